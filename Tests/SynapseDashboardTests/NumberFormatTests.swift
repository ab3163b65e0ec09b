import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0.0, "0"), (20.0, "20"), (-3.0, "-3"), (1234.0, "1,234"), (99_999.0, "99,999"), (123_456.0, "123.5k"),
        (2_350_000.0, "2.35M"), (0.08809, "0.08809"), (0.1, "0.1"), (0.123456789, "0.1235"), (1.0 / 3, "0.3333"),
        (12.3456, "12.35"), (123.456, "123.5"), (1234.56, "1,235"), (0.00001234, "1.23e-05"), (0.001, "0.001"),
        (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"),
    ])
    func numbers(value: Double, expected: String) {
        #expect(NumberFormat.number(value) == expected)
    }

    @Test func valuesDurationsRatesPercentsClock() {
        #expect(NumberFormat.value(.int(1_500_000)) == "1.5M")
        #expect(NumberFormat.value(.string("warmup")) == "warmup")
        #expect(NumberFormat.value(.bool(true)) == "true")
        #expect(NumberFormat.value(.null) == "-")
        #expect(NumberFormat.value(["a": 1]) == #"{"a":1}"#)
        #expect(NumberFormat.duration(42) == "0:42")
        #expect(NumberFormat.duration(725) == "12:05")
        #expect(NumberFormat.duration(3723) == "1:02:03")
        #expect(NumberFormat.duration(3 * 86_400 + 4 * 3600) == "3d 4h")
        #expect(NumberFormat.duration(-1) == "-")
        #expect(NumberFormat.rate(3.25) == "3.3/s" || NumberFormat.rate(3.25) == "3.2/s")
        #expect(NumberFormat.rate(1500) == "1.5k/s")
        #expect(NumberFormat.rate(0.5) == "30/min")
        #expect(NumberFormat.rate(0) == "0/s")
        #expect(NumberFormat.percent(0.425) == "42.5%")
        #expect(NumberFormat.percent(1) == "100%")
        #expect(NumberFormat.percent(1.7) == "100%")
        #expect(NumberFormat.count(987) == "987")
        #expect(NumberFormat.count(12_345) == "12.35k")
        #expect(NumberFormat.clock(1_764_076_800.9) == "13:20:00")
        #expect(NumberFormat.clock(1_764_076_800, utcOffset: 3600) == "14:20:00")
    }
}

/// Numbers from a log can be anything: each figure below once trapped or printed 300 digits (issue #13).
@Suite struct NumberFormatExtremesTests {
    @Test(arguments: [
        (1e300, "1e300"), (-1e300, "-1e300"), (1.2346e20, "1.235e20"), (1e18, "1e18"), (9.99e17, "999P"),
        (Double.greatestFiniteMagnitude, "1.798e308"), (-9.2e18, "-9.2e18"),
    ])
    func hugeNumbers(value: Double, expected: String) {
        #expect(NumberFormat.number(value) == expected)
    }

    @Test func extremeIntegersAndDurations() {
        #expect(NumberFormat.integer(.min) == "-9.223e18")
        #expect(NumberFormat.integer(.max) == "9.223e18")
        #expect(NumberFormat.value(.int(.min)) == "-9.223e18")
        #expect(NumberFormat.count(.max) == "9.223e18")
        #expect(NumberFormat.duration(1e300) == ">9999d")
        #expect(NumberFormat.duration(.infinity) == "-")
        #expect(NumberFormat.rate(1e300) == "1e300/s")
        #expect(NumberFormat.clock(1e19) == "--:--:--")
        #expect(NumberFormat.clock(-1e19) == "--:--:--")
        #expect(NumberFormat.clock(-1) == "23:59:59")
    }

    @Test func saturatingConversion() {
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: -1e300) == .min)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: 9_223_372_036_854_775_807.0) == .max)
        #expect(Int(saturating: -9_223_372_036_854_775_808.0) == .min)
        #expect(Int(saturating: 9_223_372_036_854_774_784.0) == 9_223_372_036_854_774_784)
        #expect(Int(saturating: -2.9) == -2)
        #expect(Int.min.saturatingMagnitude == .max)
        #expect((-5).saturatingMagnitude == 5)
    }
}
