import SynapseDashboard
import Testing
@testable import SynapseTerminal

@Suite struct CanvasDiffTests {
    @Test func firstFrameDrawsEveryCellButContinuations() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.put("中a", x: 0, y: 0)
        #expect(CanvasDiff.cellsToDraw(from: nil, to: canvas) == [0, 2, 3, 4, 5, 6, 7])
    }

    @Test func identicalFramesDrawNothing() {
        var canvas = Canvas(width: 10, height: 3)
        canvas.put("hello", x: 1, y: 1)
        #expect(CanvasDiff.cellsToDraw(from: canvas, to: canvas).isEmpty)
    }

    @Test func onlyChangedCellsAreDrawn() {
        var old = Canvas(width: 10, height: 2)
        old.put("50%", x: 0, y: 1)
        var new = old
        new.put("60%", x: 0, y: 1)
        #expect(CanvasDiff.cellsToDraw(from: old, to: new) == [10])
    }

    @Test func styleChangesCount() {
        var old = Canvas(width: 3, height: 1)
        old.put("abc", x: 0, y: 0)
        var new = old
        new.put("b", x: 1, y: 0, style: Style(.danger, .bold))
        #expect(CanvasDiff.cellsToDraw(from: old, to: new) == [1])
    }

    @Test func replacingAWideCharacterRedrawsBothHalves() {
        var old = Canvas(width: 4, height: 1)
        old.put("中", x: 1, y: 0)
        var new = Canvas(width: 4, height: 1)
        new.put("ab", x: 1, y: 0)
        #expect(CanvasDiff.cellsToDraw(from: old, to: new) == [1, 2])
    }

    @Test func aWideCharacterAppearingIsDrawnFromItsLeftCell() {
        var old = Canvas(width: 4, height: 1)
        old.put("ab", x: 1, y: 0)
        var new = Canvas(width: 4, height: 1)
        new.put("中", x: 1, y: 0)
        #expect(CanvasDiff.cellsToDraw(from: old, to: new) == [1])
    }

    @Test func aNewSizeRedrawsEverything() {
        let old = Canvas(width: 2, height: 2)
        let new = Canvas(width: 3, height: 1)
        #expect(CanvasDiff.cellsToDraw(from: old, to: new) == [0, 1, 2])
    }
}

@Suite struct ColorFitTests {
    @Test func eightColourTerminalsKeepBrightColoursVisible() {
        #expect(ColorPairs.fit(2, colors: 8) == 2)
        #expect(ColorPairs.fit(8, colors: 8) == 7, "bright black would vanish as black")
        #expect(ColorPairs.fit(12, colors: 8) == 4)
        #expect(ColorPairs.fit(12, colors: 16) == 12)
        #expect(ColorPairs.fit(200, colors: 256) == 200)
    }
}
