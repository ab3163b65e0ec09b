import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The jobs browser: its list (goldens of text and colour roles at 80x24 and 200x50) and its keys.
@Suite struct JobBrowserTests {
    /// 2026-11-29 09:00:00 UTC.
    static let now = 1_795_942_800.0

    static func rows() -> [JobRow] {
        let loss = { (last: Double, best: Double) in [JobRow.Metric(name: "training/loss", last: last, best: best),
                                                      JobRow.Metric(name: "training/accuracy", last: 0.9, best: 0.93),
                                                      JobRow.Metric(name: "validation/val_loss", last: last * 1.1, best: best * 1.1)] }
        return [
            JobRow(id: "3031342b-5703-4c11-9010-c91b96d02df4", action: "train", status: "running", isLive: true,
                   fraction: 0.553, current: 166, total: 300, started: now - 12, duration: 12, metrics: loss(0.242, 0.2401),
                   params: "epochs=300 learning_rate=0.001 api_key=********"),
            JobRow(id: "c948a21e-67b5-4006-846c-07f77cc2fb19", action: "evaluate", status: "completed", fraction: 1,
                   current: 10, total: 10, started: now - 300, duration: 0.5,
                   metrics: [JobRow.Metric(name: "evaluation/mAP", last: 0.8656, best: 0.8656)], params: "split=test"),
            JobRow(id: "696723fb-f75d-418e-b0e5-0f6758293011", action: "train", status: "failed", fraction: 0.25,
                   current: 5, total: 20, started: now - 4000, duration: 61, metrics: loss(0.5189, 0.4804),
                   params: "epochs=20 learning_rate=0.03"),
            JobRow(id: "90e0673e-9999-4605-8710-bbb824539463", action: "train", status: "lost", fraction: 0.4,
                   current: 8, total: 20, started: now - 90_000, duration: 3725, metrics: loss(0.04926, 0.0491),
                   params: "epochs=20 learning_rate=0.02"),
            JobRow(id: "0b85a979-9f49-4a4e-b072-fa88bd58182b", action: "greet", status: "cancelled",
                   started: now - 100_000, duration: 2),
        ]
    }

    static func browser() -> JobBrowser {
        var b = JobBrowser(sourceLabel: "/home/me/.synapse/jobs")
        b.update(rows())
        return b
    }

    static func render(_ b: JobBrowser, _ size: Size) -> Canvas {
        JobBrowserRenderer.render(b, size: size, options: .init(utcOffset: 0, now: now))
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 200, height: 50)])
    func listGolden(size: Size) {
        var b = Self.browser()
        _ = b.handle(.down, pageRows: 20)
        _ = b.handle(.char(" "), pageRows: 20)  // marks the second job, moves to the third
        let canvas = Self.render(b, size)
        if let problem = Golden.check("browser-\(size)", canvas.text) { Issue.record("\(problem)") }
        if let problem = Golden.check("roles-browser-\(size)", ColourRoleGoldenTests.roleMap(canvas)) { Issue.record("\(problem)") }
    }

    @Test func statusesReadWithoutColourAndHaveTheirOwnRole() throws {
        let canvas = Self.render(Self.browser(), Size(width: 80, height: 24))
        let lines = canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var roles: [String: Role] = [:]
        for status in ["running", "completed", "failed", "lost", "cancelled"] {
            let y = try #require(lines.indices.dropFirst(2).first { lines[$0].contains(" \(status) ") })
            let x = try #require(lines[y].range(of: status)).lowerBound.utf16Offset(in: lines[y])
            // The cursor row is drawn in the selection role; look at the others.
            if y != 2 { roles[status] = canvas[x, y].style.role }
        }
        #expect(roles == ["completed": .success, "failed": .danger, "lost": .danger, "cancelled": .warning])
        // The cursor reads without colour: ▸ in the first column.
        #expect(lines[2].hasPrefix("▸ 3031342b"))
    }

    @Test func idsAreCutToTheShortestPrefixNoOtherJobShares() {
        let prefixes = JobBrowser.uniquePrefixes(["raysubmit_9q8w7e6r", "raysubmit_9q1a2b3c", "raysubmit_x", "short",
                                                  "3031342b-5703-4c11-9010-c91b96d02df4"])
        #expect(prefixes == ["raysubmit_9q8w7e6r": "raysubmit_9q8", "raysubmit_9q1a2b3c": "raysubmit_9q1",
                             "raysubmit_x": "raysubmit_x", "short": "short",
                             "3031342b-5703-4c11-9010-c91b96d02df4": "3031342b"])
        // Ray's submission ids share `raysubmit_`: the list and its questions tell them apart.
        var b = JobBrowser(sourceLabel: "http://127.0.0.1:8265", canDelete: false)
        b.update([JobRow(id: "raysubmit_9q8w7e6r", action: "train", status: "running", isLive: true, started: Self.now - 5),
                  JobRow(id: "raysubmit_9q1a2b3c", action: "train", status: "completed", started: Self.now - 50)])
        let text = Self.render(b, Size(width: 80, height: 24)).text
        #expect(text.contains("raysubmit_9q8 ") && text.contains("raysubmit_9q1 "), "\(text)")
        #expect(b.short(of: "raysubmit_9q8w7e6r") == "raysubmit_9q8")
    }

    @Test func aSecretParamArrivesMaskedAndIsShownSo() {
        let canvas = Self.render(Self.browser(), Size(width: 200, height: 50))
        #expect(canvas.text.contains("api_key=********"))
    }

    @Test func filterMatchesIdActionOrStatusAndEscClearsIt() {
        var b = Self.browser()
        _ = b.handle(.char("/"), pageRows: 20)
        for c in "lost" { _ = b.handle(.char(c), pageRows: 20) }
        #expect(b.editingFilter)
        #expect(b.visible.map(\.status) == ["lost"])
        // The cursor follows the filter to its first match.
        #expect(b.cursorID == "90e0673e-9999-4605-8710-bbb824539463")
        let typing = Self.render(b, Size(width: 80, height: 24)).text
        #expect(typing.split(separator: "\n").last?.hasPrefix("/lost") == true)
        _ = b.handle(.enter, pageRows: 20)
        #expect(!b.editingFilter && b.filter == "lost")
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("1 of 5 jobs"))
        _ = b.handle(.escape, pageRows: 20)
        #expect(b.filter.isEmpty && b.visible.count == 5)
        _ = b.handle(.char("/"), pageRows: 20)
        for c in "C948" { _ = b.handle(.char(c), pageRows: 20) }
        #expect(b.visible.map(\.action) == ["evaluate"])
        _ = b.handle(.char("\u{1B}"), pageRows: 20)  // a raw control character is not typed into the filter
        #expect(b.filter == "C948")
        _ = b.handle(.char("z"), pageRows: 20)
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("No job matches \"C948z\""))
    }

    @Test func sortKeysStepAndReverse() {
        var b = Self.browser()
        #expect(b.visible.first?.status == "running")  // newest first
        _ = b.handle(.char("s"), pageRows: 20)
        #expect(b.sort == .status)
        #expect(b.visible.map(\.status) == ["running", "lost", "failed", "completed", "cancelled"])
        _ = b.handle(.char("S"), pageRows: 20)
        #expect(b.visible.map(\.status) == ["cancelled", "completed", "failed", "lost", "running"])
        while b.sort != .duration { _ = b.handle(.char("s"), pageRows: 20) }
        #expect(b.visible.map(\.duration) == [3725, 61, 12, 2, 0.5])
        while b.sort != .metric { _ = b.handle(.char("s"), pageRows: 20) }
        // Jobs without the metric go last, whichever way.
        #expect(b.visible.last?.action == "greet")
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("sort metric ↓"))
    }

    @Test func enterAttachesTheJobUnderTheCursorAndTheCursorFollowsItsJob() {
        var b = Self.browser()
        _ = b.handle(.down, pageRows: 20)
        #expect(b.handle(.enter, pageRows: 20) == [.attach("c948a21e-67b5-4006-846c-07f77cc2fb19")])
        // A refresh that adds a newer job keeps the cursor on the same job.
        var more = Self.rows()
        more.append(JobRow(id: "ffffffff-new", action: "train", status: "running", isLive: true, started: Self.now))
        b.update(more)
        #expect(b.handle(.enter, pageRows: 20) == [.attach("c948a21e-67b5-4006-846c-07f77cc2fb19")])
        // Its job deleted, the cursor goes to the first row.
        b.update(Array(more.filter { $0.id != "c948a21e-67b5-4006-846c-07f77cc2fb19" }))
        #expect(b.handle(.enter, pageRows: 20) == [.attach("ffffffff-new")])
    }

    @Test func spaceMarksAndCComparesTheMarkedInListOrder() {
        var b = Self.browser()
        #expect(b.handle(.char("C"), pageRows: 20) == [.compare(["3031342b-5703-4c11-9010-c91b96d02df4"])])
        _ = b.handle(.char(" "), pageRows: 20)
        _ = b.handle(.down, pageRows: 20)
        _ = b.handle(.char(" "), pageRows: 20)
        #expect(b.marked.count == 2)
        #expect(b.handle(.char("C"), pageRows: 20)
                == [.compare(["3031342b-5703-4c11-9010-c91b96d02df4", "696723fb-f75d-418e-b0e5-0f6758293011"])])
        // Space again unmarks; Esc (no filter) clears every mark.
        _ = b.handle(.up, pageRows: 20)
        _ = b.handle(.char(" "), pageRows: 20)
        #expect(b.marked == ["3031342b-5703-4c11-9010-c91b96d02df4"])
        _ = b.handle(.escape, pageRows: 20)
        #expect(b.marked.isEmpty)
    }

    @Test func atMostEightRunsAreMarked() {
        var b = JobBrowser(sourceLabel: "x")
        b.update((0..<10).map { JobRow(id: "job-\($0)", status: "completed", started: Double($0)) })
        for _ in 0..<10 { _ = b.handle(.char(" "), pageRows: 20) }
        #expect(b.marked.count == JobBrowser.maxCompared)
        #expect(b.notice?.contains("At most 8") == true)
    }

    @Test func cancelAsksAndOnlyForALiveRun() {
        var b = Self.browser()
        #expect(b.handle(.char("c"), pageRows: 20).isEmpty)
        #expect(b.question == .cancel("3031342b-5703-4c11-9010-c91b96d02df4"))
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("Cancel the running job 3031342b (train)?"))
        #expect(b.handle(.char("n"), pageRows: 20).isEmpty && b.question == nil)
        _ = b.handle(.char("c"), pageRows: 20)
        #expect(b.handle(.char("y"), pageRows: 20) == [.cancel("3031342b-5703-4c11-9010-c91b96d02df4")])
        _ = b.handle(.down, pageRows: 20)
        #expect(b.handle(.char("c"), pageRows: 20).isEmpty && b.question == nil)
        #expect(b.notice == "c948a21e is not running (completed)")
    }

    @Test func deleteAsksAndOnlyForAFinishedJob() {
        var b = Self.browser()
        _ = b.handle(.char("D"), pageRows: 20)
        #expect(b.question == nil && b.notice?.contains("cancel it (c) before deleting it") == true)
        _ = b.handle(.end, pageRows: 20)
        _ = b.handle(.char("D"), pageRows: 20)
        #expect(b.question == .delete("0b85a979-9f49-4a4e-b072-fa88bd58182b"))
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("Delete the folder of job 0b85a979"))
        #expect(b.handle(.char("y"), pageRows: 20) == [.delete("0b85a979-9f49-4a4e-b072-fa88bd58182b")])
        var ray = JobBrowser(sourceLabel: "http://ray:8265", canDelete: false)
        ray.update(Self.rows())
        _ = ray.handle(.end, pageRows: 20)
        _ = ray.handle(.char("D"), pageRows: 20)
        #expect(ray.question == nil && ray.notice?.contains("Ray") == true)
    }

    @Test func keyMetricIsPickedPerActionElseTheFirstReported() throws {
        var b = Self.browser()
        #expect(b.keyMetric(of: Self.rows()[0])?.name == "training/loss")
        _ = b.handle(.char("m"), pageRows: 20)
        let picker = try #require(b.picker)
        #expect(picker.metrics == ["training/loss", "training/accuracy", "validation/val_loss"])
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("Key metric of train"))
        _ = b.handle(.down, pageRows: 20)
        #expect(b.handle(.enter, pageRows: 20) == [.keyMetric(action: "train", metric: "training/accuracy")])
        // Every train run shows it; evaluate keeps its first.
        #expect(b.keyMetric(of: Self.rows()[2])?.name == "training/accuracy")
        #expect(b.keyMetric(of: Self.rows()[1])?.name == "evaluation/mAP")
        // The 80-column list keeps the part of the name that tells it apart.
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("accuracy"))
    }

    @Test func pagingScrollsAndTheCursorStaysInView() {
        var b = JobBrowser(sourceLabel: "x")
        b.update((0..<100).map { JobRow(id: String(format: "job-%03d", $0), status: "completed", started: Double($0)) })
        _ = b.handle(.pageDown, pageRows: 21)
        _ = b.handle(.pageDown, pageRows: 21)
        let text = Self.render(b, Size(width: 80, height: 24)).text
        #expect(text.contains("▸ job-059"), "\(text)")
        _ = b.handle(.end, pageRows: 21)
        #expect(Self.render(b, Size(width: 80, height: 24)).text.contains("▸ job-000"))
    }

    @Test func tinyAndEmptyScreensDoNotCrash() {
        let b = Self.browser()
        for (w, h) in [(0, 0), (1, 1), (10, 2), (20, 3), (40, 6)] {
            _ = Self.render(b, Size(width: w, height: h))
        }
        let empty = JobBrowser(sourceLabel: "/tmp/none/jobs")
        #expect(Self.render(empty, Size(width: 80, height: 24)).text.contains("No jobs in /tmp/none/jobs"))
    }

    @Test func controlCharactersInAJobNeverReachTheScreenRaw() {
        var b = JobBrowser(sourceLabel: "x")
        b.update([JobRow(id: "evil", action: "tr\u{1B}[2Jain", status: "running", isLive: true,
                         metrics: [.init(name: "lo\u{07}ss", last: .nan, best: nil)], params: "a=\u{1B}]52;c;x\u{07}")])
        let text = Self.render(b, Size(width: 200, height: 10)).text
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }
}
