import SynapsePlugins

/// The jobs browser's model (`synapse-tui` with no arguments): the listed jobs, the filter, the sort, the
/// cursor, the marks and any question being asked. Keys go through ``handle(_:pageRows:)``, which is pure
/// and returns what the shell must do; ``JobBrowserRenderer`` draws it.
package struct JobBrowser: Sendable {
    /// The columns the list can be sorted by (`s` steps through them, `S` reverses).
    package enum SortKey: String, Sendable, CaseIterable {
        case started, status, action, progress, metric, duration
    }

    /// A question waiting for y/n.
    package enum Question: Sendable, Hashable {
        case cancel(String)
        case delete(String)
    }

    /// What a key asks the shell to do.
    package enum Command: Sendable, Hashable {
        /// Open the dashboard on this job; the list comes back when it closes.
        case attach(String)
        /// Cancel this live job (already confirmed).
        case cancel(String)
        /// Delete this finished job's folder (already confirmed).
        case delete(String)
        /// Open these jobs in the comparison view.
        case compare([String])
        /// Remember `metric` as the key metric of `action`.
        case keyMetric(action: String, metric: String)
        case quit
    }

    /// Every job known, in no particular order (``visible`` filters and sorts them).
    package private(set) var rows: [JobRow] = [] {
        didSet {
            if rows.map(\.id) != oldValue.map(\.id) { shortIDs = Self.uniquePrefixes(rows.map(\.id)) }
        }
    }
    /// Each job's id as the list shows it (``short(of:)``).
    private var shortIDs: [String: String] = [:]
    /// The filter text (`/`): a job is shown when its id, action or status contains it (any case).
    package var filter = ""
    /// `true` while the filter is being typed.
    package var editingFilter = false
    package var sort = SortKey.started
    /// `false` sorts ascending; the default shows the newest, highest, longest first.
    package var descending = true
    /// The job under the cursor (kept across refreshes and re-sorts by id).
    package private(set) var cursorID: String?
    /// The first row shown.
    package private(set) var scroll = 0
    /// Marked jobs (Space), for the comparison view.
    package private(set) var marked: Set<String> = []
    /// The key metric picked per action (remembered by the shell).
    package var keyMetrics: [String: String] = [:]
    package private(set) var question: Question?
    /// The metric picker (`m`): the metrics of the cursor job and the highlighted one.
    package private(set) var picker: (action: String, metrics: [String], index: Int)?
    /// A one-line note for the status line (what the last command did, or why it could not).
    package var notice: String?
    /// Where the jobs come from, for the header (`~/.synapse/jobs`, a Ray URL).
    package var sourceLabel: String
    /// Jobs whose folder can be deleted (local jobs; not a Ray cluster's).
    package var canDelete: Bool
    /// Jobs that could not be read (a FIFO for a log), said in the header.
    package var skipped = 0

    /// The most runs the comparison view takes.
    package static let maxCompared = 8

    /// An empty browser over `sourceLabel`.
    package init(sourceLabel: String, canDelete: Bool = true) {
        self.sourceLabel = sourceLabel
        self.canDelete = canDelete
    }

    /// Replaces the rows (a refresh); the cursor stays on its job, marks on jobs that still exist.
    package mutating func update(_ rows: [JobRow]) {
        self.rows = rows
        let ids = Set(rows.map(\.id))
        marked.formIntersection(ids)
        if let id = cursorID, !ids.contains(id) { cursorID = nil }
        if cursorID == nil { cursorID = visible.first?.id }
    }

    /// The rows shown: filtered, then sorted.
    package var visible: [JobRow] {
        let needle = filter.lowercased()
        let shown = needle.isEmpty ? rows : rows.filter { row in
            row.id.lowercased().contains(needle) || (row.action ?? "").lowercased().contains(needle)
                || row.status.lowercased().contains(needle)
        }
        return shown.sorted(by: ordering)
    }

    /// Descending puts the larger first; ties (and missing values) fall back to newest, then id, so the
    /// order never flickers between refreshes.
    private func ordering(_ a: JobRow, _ b: JobRow) -> Bool {
        func cmp<T: Comparable>(_ x: T?, _ y: T?) -> Bool? {
            switch (x, y) {
            case let (x?, y?): return x == y ? nil : (descending ? x > y : x < y)
            case (.some, nil): return true  // a value before none, either way
            case (nil, .some): return false
            case (nil, nil): return nil
            }
        }
        let decided: Bool?
        switch sort {
        case .started: decided = cmp(a.started, b.started)
        case .status: decided = cmp(a.status, b.status)
        case .action: decided = cmp(a.action, b.action)
        case .progress: decided = cmp(a.fraction, b.fraction)
        case .duration: decided = cmp(a.duration, b.duration)
        case .metric:
            let x = a.keyMetric(picked: a.action.flatMap { keyMetrics[$0] })?.last.flatMap { $0.isNaN ? nil : $0 }
            let y = b.keyMetric(picked: b.action.flatMap { keyMetrics[$0] })?.last.flatMap { $0.isNaN ? nil : $0 }
            decided = cmp(x, y)
        }
        if let decided { return decided }
        if a.started != b.started { return (a.started ?? 0) > (b.started ?? 0) }
        return a.id < b.id
    }

    /// The cursor's position in ``visible``.
    package func cursorIndex(in shown: [JobRow]) -> Int? {
        cursorID.flatMap { id in shown.firstIndex { $0.id == id } }
    }

    /// The key metric of `row`'s action.
    package func keyMetric(of row: JobRow) -> JobRow.Metric? {
        row.keyMetric(picked: row.action.flatMap { keyMetrics[$0] })
    }

    /// Handles one key; `pageRows` is how many rows the list shows (for PgUp/PgDn and scrolling).
    package mutating func handle(_ key: Key, pageRows: Int) -> [Command] {
        if question != nil { return answer(key) }
        if picker != nil { return pick(key) }
        if editingFilter { editFilter(key); return [] }
        notice = nil
        let shown = visible
        let index = cursorIndex(in: shown)
        let row = index.map { shown[$0] }
        switch key {
        case .up, .char("k"): move(to: (index ?? 0) - 1, in: shown, pageRows: pageRows)
        case .down, .char("j"): move(to: (index ?? -1) + 1, in: shown, pageRows: pageRows)
        case .pageUp: move(to: (index ?? 0) - max(1, pageRows - 1), in: shown, pageRows: pageRows)
        case .pageDown: move(to: (index ?? 0) + max(1, pageRows - 1), in: shown, pageRows: pageRows)
        case .home, .char("g"): move(to: 0, in: shown, pageRows: pageRows)
        case .end, .char("G"): move(to: shown.count - 1, in: shown, pageRows: pageRows)
        case .wheelUp, .wheel(up: true, _, _): move(to: (index ?? 0) - 3, in: shown, pageRows: pageRows)
        case .wheelDown, .wheel(up: false, _, _): move(to: (index ?? 0) + 3, in: shown, pageRows: pageRows)
        case .char("/"):
            editingFilter = true
        case .escape:
            if !filter.isEmpty { filter = ""; keepCursorVisible(pageRows: pageRows) } else { marked.removeAll() }
        case .char("s"):
            let all = SortKey.allCases
            sort = all[(all.firstIndex(of: sort)! + 1) % all.count]
            descending = sort != .action
        case .char("S"):
            descending.toggle()
        case .enter:
            if let row { return [.attach(row.id)] }
        case .char(" "):
            guard let row else { break }
            if marked.contains(row.id) {
                marked.remove(row.id)
            } else if marked.count >= Self.maxCompared {
                notice = "At most \(Self.maxCompared) runs can be compared"
            } else {
                marked.insert(row.id)
            }
            move(to: (index ?? 0) + 1, in: shown, pageRows: pageRows)
        case .char("C"):
            // The marked runs in list order; with none marked, the run under the cursor alone.
            let ids = marked.isEmpty ? row.map { [$0.id] } ?? [] : shown.map(\.id).filter(marked.contains)
            if ids.isEmpty { notice = "Mark runs with Space, then C compares them"; break }
            return [.compare(ids)]
        case .char("c"):
            guard let row else { break }
            if row.isLive { question = .cancel(row.id) } else { notice = "\(Self.short(row.id)) is not running (\(row.status))" }
        case .char("D"):
            guard let row else { break }
            if !canDelete {
                notice = "Jobs of a Ray cluster are not deleted from here"
            } else if row.isFinished {
                question = .delete(row.id)
            } else {
                notice = "\(Self.short(row.id)) is \(row.status): cancel it (c) before deleting it"
            }
        case .char("m"):
            guard let row else { break }
            guard let action = row.action, !row.metrics.isEmpty else { notice = "\(Self.short(row.id)) reported no metrics"; break }
            let names = row.metrics.map(\.name)
            picker = (action, names, names.firstIndex(of: keyMetric(of: row)?.name ?? "") ?? 0)
        case .char("q"):
            return [.quit]
        default:
            break
        }
        return []
    }

    private mutating func answer(_ key: Key) -> [Command] {
        guard let asked = question else { return [] }
        switch key {
        case .char("y"), .char("Y"):
            question = nil
            switch asked {
            case .cancel(let id): return [.cancel(id)]
            case .delete(let id): return [.delete(id)]
            }
        case .char("n"), .char("N"), .escape, .char("q"):
            question = nil
        default:
            break
        }
        return []
    }

    private mutating func pick(_ key: Key) -> [Command] {
        guard var p = picker else { return [] }
        switch key {
        case .up, .char("k"): p.index = max(0, p.index - 1)
        case .down, .char("j"): p.index = min(p.metrics.count - 1, p.index + 1)
        case .home: p.index = 0
        case .end: p.index = p.metrics.count - 1
        case .enter:
            picker = nil
            keyMetrics[p.action] = p.metrics[p.index]
            return [.keyMetric(action: p.action, metric: p.metrics[p.index])]
        case .escape, .char("q"), .char("m"):
            picker = nil
            return []
        default:
            break
        }
        picker = p
        return []
    }

    private mutating func editFilter(_ key: Key) {
        switch key {
        case .enter: editingFilter = false
        case .escape: editingFilter = false; filter = ""
        case .backspace: if !filter.isEmpty { filter.removeLast() }
        case .char(let c) where !c.isNewline && c.asciiValue.map({ $0 >= 0x20 && $0 != 0x7F }) ?? true:
            if filter.count < 80 { filter.append(c) }
        default: break
        }
        // The cursor follows the filter to the first match when its job is filtered out.
        let shown = visible
        if cursorIndex(in: shown) == nil { cursorID = shown.first?.id; scroll = 0 }
    }

    private mutating func move(to target: Int, in shown: [JobRow], pageRows: Int) {
        guard !shown.isEmpty else { cursorID = nil; return }
        let i = max(0, min(shown.count - 1, target))
        cursorID = shown[i].id
        scrollTo(i, pageRows: pageRows)
    }

    private mutating func keepCursorVisible(pageRows: Int) {
        let shown = visible
        if let i = cursorIndex(in: shown) { scrollTo(i, pageRows: pageRows) } else { cursorID = shown.first?.id; scroll = 0 }
    }

    private mutating func scrollTo(_ i: Int, pageRows: Int) {
        let rows = max(1, pageRows)
        if i < scroll { scroll = i }
        if i >= scroll + rows { scroll = i - rows + 1 }
    }

    /// The first row to draw for a list of `rows` rows: the kept scroll, moved only as far as the cursor
    /// needs (a resize or a refresh can leave it out of view).
    package func firstRow(shown: [JobRow], rows: Int) -> Int {
        var first = min(scroll, max(0, shown.count - rows))
        if let i = cursorIndex(in: shown) {
            if i < first { first = i }
            if i >= first + rows { first = i - rows + 1 }
        }
        return max(0, first)
    }

    /// The id as the list shows it: its first 8 characters.
    package static func short(_ id: String) -> String { String(id.prefix(8)) }

    /// The id as the list shows it: the shortest prefix of at least 8 characters that no other listed job
    /// shares (a Ray cluster's `raysubmit_...` ids share their first 10).
    package func short(of id: String) -> String { shortIDs[id] ?? Self.short(id) }

    /// The shortest prefix of each id, at least 8 characters (the whole id when shorter), that no other id
    /// starts with: in sorted order only the neighbours can share a longer prefix.
    package static func uniquePrefixes(_ ids: [String]) -> [String: String] {
        let sorted = Array(Set(ids)).sorted().map { Array($0.unicodeScalars) }
        func common(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            var n = 0
            while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
            return n
        }
        var out: [String: String] = [:]
        out.reserveCapacity(sorted.count)
        for (i, id) in sorted.enumerated() {
            var shared = 0
            if i > 0 { shared = max(shared, common(sorted[i - 1], id)) }
            if i + 1 < sorted.count { shared = max(shared, common(id, sorted[i + 1])) }
            let length = min(id.count, max(8, shared + 1))
            var text = String.UnicodeScalarView()
            text.append(contentsOf: id[..<length])
            out[String(String.UnicodeScalarView(id))] = String(text)
        }
        return out
    }
}
