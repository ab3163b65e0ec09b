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
