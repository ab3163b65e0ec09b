import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The fast paths of text drawing (printable ASCII byte by byte, isolated scalars without `Character`s,
/// widths measured only as far as needed, sparklines and braille written straight into cells) against the
/// definition: every grapheme of the safe text as a `Character`, at its display width.
@Suite struct CanvasTextPathTests {
    /// Reference `put(_:x:y:style:limit:)`: sanitise, then each grapheme as a Character.
    func referencePut(_ c: inout Canvas, _ text: String, x: Int, y: Int, style: Style, limit: Int?) -> Int {
        guard y >= 0, y < c.height else { return x }
        return c.putByGrapheme(SafeText.line(text, ascii: c.asciiOnly), x: x, y: y, style: style,
                               end: min(limit ?? c.width, c.width))
    }

    /// Reference `put(_:x:y:width:...)`: the whole text measured Character by Character.
    func referencePut(_ c: inout Canvas, _ text: String, x: Int, y: Int, width: Int, style: Style,
                      alignRight: Bool) -> Int {
        guard width > 0 else { return x }
        let safe = SafeText.line(text, ascii: c.asciiOnly)
        let w = DisplayWidth.of(Substring(safe))
        if w <= width {
            return referencePut(&c, safe, x: alignRight ? x + width - w : x, y: y, style: style, limit: x + width)
        }
        let end = referencePut(&c, safe, x: x, y: y, style: style, limit: x + width - 1)
        c[min(end, x + width - 1), y] = Cell(c.asciiOnly ? "~" : "…", style: style)
        return x + width
    }

    /// Reference `putTail`: drop leading Characters until the rest fits after the ellipsis.
    func referenceTail(_ c: inout Canvas, _ text: String, x: Int, y: Int, width: Int, style: Style) -> Int {
        guard width > 0 else { return x }
        let safe = SafeText.line(text, ascii: c.asciiOnly)
        var w = DisplayWidth.of(Substring(safe))
        if w <= width { return referencePut(&c, safe, x: x, y: y, style: style, limit: x + width) }
        var tail = Substring(safe)
        while w > width - 1, let first = tail.first {
            w -= DisplayWidth.of(Substring(String(first)))
            tail.removeFirst()
        }
        c[x, y] = Cell(c.asciiOnly ? "~" : "…", style: style)
        return referencePut(&c, String(tail), x: x + 1, y: y, style: style, limit: x + width)
    }

    /// A canvas with wide characters and styles already on it, so overwriting halves is exercised.
    func background(asciiOnly: Bool) -> Canvas {
        var c = Canvas(width: 16, height: 2, asciiOnly: asciiOnly)
        c.fill(c.bounds, with: "·", style: Style(.muted))
        _ = referencePut(&c, "中文日本語x", x: 1, y: 0, style: Style(.info), limit: nil)
        _ = referencePut(&c, "e\u{301}👩‍💻한", x: 3, y: 1, style: Style(.dev), limit: nil)
        return c
    }

    func expectSame(_ a: Canvas, _ b: Canvas, _ note: String) {
        for i in 0..<(a.width * a.height) where a.cell(at: i) != b.cell(at: i)
            || Array(a.cell(at: i).character.unicodeScalars) != Array(b.cell(at: i).character.unicodeScalars) {
            Issue.record("cell \(i): \(a.cell(at: i)) vs \(b.cell(at: i)) — \(note)")
            return
        }
    }

    @Test func putMatchesTheGraphemeDefinition() {
        let style = Style(.warning, .bold)
        for asciiOnly in [false, true] {
            for text in TrickyText.all {
                for (x, y, limit) in [(0, 0, nil), (3, 1, nil), (-2, 0, nil), (14, 0, nil), (2, 1, 7), (0, 2, nil), (5, 0, 4)] as [(Int, Int, Int?)] {
                    var fast = background(asciiOnly: asciiOnly), reference = fast
                    let a = fast.put(text, x: x, y: y, style: style, limit: limit)
                    let b = referencePut(&reference, text, x: x, y: y, style: style, limit: limit)
                    let note = "\(Array(text.unicodeScalars)) at \(x),\(y) limit \(String(describing: limit)) ascii \(asciiOnly)"
                    #expect(a == b, "\(note)")
                    expectSame(fast, reference, note)
                }
            }
        }
    }

    @Test func boundedPutAndTailMatchTheDefinition() {
        let style = Style(.info)
        for asciiOnly in [false, true] {
            for text in TrickyText.all + ["/data/images/img_425168.jpg", String(repeating: "long ", count: 40)] {
                for (x, width, right) in [(0, 16, false), (1, 5, true), (2, 1, false), (-1, 6, false), (10, 8, true), (0, 0, false)] {
                    var fast = background(asciiOnly: asciiOnly), reference = fast
                    let a = fast.put(text, x: x, y: 0, width: width, style: style, alignRight: right)
                    let b = referencePut(&reference, text, x: x, y: 0, width: width, style: style, alignRight: right)
                    let note = "\(Array(text.unicodeScalars)) x \(x) width \(width) ascii \(asciiOnly)"
                    #expect(a == b, "\(note)")
                    expectSame(fast, reference, note)

                    var fastTail = background(asciiOnly: asciiOnly), referenceTail = fastTail
                    let c = fastTail.putTail(text, x: x, y: 1, width: width, style: style)
                    let d = self.referenceTail(&referenceTail, text, x: x, y: 1, width: width, style: style)
                    #expect(c == d, "tail \(note)")
                    expectSame(fastTail, referenceTail, "tail \(note)")
                }
                let canvas = Canvas(width: 1, height: 1, asciiOnly: asciiOnly)
                #expect(canvas.displayWidth(text) == DisplayWidth.of(Substring(SafeText.line(text, ascii: asciiOnly))))
            }
        }
    }

    @Test func sparklinesDrawTheirTextsCells() {
        var series = MetricSeries()
        for i in 0..<500 { series.append(sin(Double(i) / 20) * Double(i)) }
        let custom = Glyphs(horizontal: "-", focusHorizontal: "=", vertical: "|", barFull: "#", barEmpty: "-", barPartials: [],
                            spark: ["a", "中", "e\u{301}", "\u{1B}", "b", "c", "d", "e"], activeMarker: ">",
                            selectedMarker: ">", ellipsis: "~", axisCorner: "+", axisTick: "+", chartPoint: "*",
                            useBraille: false)
        for glyphs in [Glyphs.unicode, .ascii, custom] {
            for asciiOnly in [false, true] {
                for (x, width) in [(0, 32), (3, 10), (-4, 12), (10, 32), (2, 0)] {
                    var direct = background(asciiOnly: asciiOnly), reference = direct
                    Sparkline.draw(series, width: width, glyphs: glyphs, into: &direct, x: x, y: 1, style: Style(.chart))
                    reference.put(Sparkline.text(series, width: width, glyphs: glyphs), x: x, y: 1, style: Style(.chart))
                    expectSame(direct, reference, "x \(x) width \(width) ascii \(asciiOnly) \(glyphs.spark)")
                }
            }
        }
    }

    @Test func multiScalarGraphemesKeepEveryScalar() {
        var c = Canvas(width: 10, height: 1)
        c.put("e\u{301}👩‍💻x", x: 0, y: 0)
        #expect(Array(c[0, 0].character.unicodeScalars) == ["e", "\u{301}"])
        #expect(c[1, 0].character == "👩‍💻")
        #expect(c[2, 0].isContinuation)
        #expect(c.line(0) == "e\u{301}👩‍💻x")
        #expect(c.cells.count == 10)
        #expect(c.cells[3] == Cell("x"))
    }

    @Test func equalityIsPerCellNotPerTable() {
        var a = Canvas(width: 4, height: 1), b = Canvas(width: 4, height: 1)
        a.put("👍🏽", x: 0, y: 0)
        a.put("a\u{301}", x: 0, y: 0)  // leaves an unused cluster entry behind
        b.put("a\u{301}", x: 0, y: 0)
        #expect(a == b)
        // Canonically equivalent graphemes are equal cells, as `Character`s are.
        var c = Canvas(width: 4, height: 1)
        c.put("á", x: 0, y: 0)
        #expect(c == b)
        #expect(c.sameCell(at: 0, as: b))
        var d = Canvas(width: 4, height: 1)
        d.put("a", x: 0, y: 0)
        #expect(d != b)
        #expect(!d.sameCell(at: 0, as: b))
        d[0, 0] = Cell("á")
        #expect(d == c)
    }
}
