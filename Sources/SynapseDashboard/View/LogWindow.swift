import SynapsePlugins

/// The entries of a log pane that fit on screen, chosen without looking at more history than needed.
///
/// A log is a range of sequence numbers (a ``RingBuffer``'s) and a filter; the window is `height` matching
/// entries, either the newest (following) or from a top entry down. Cost is proportional to the rows shown
/// plus the entries the filter skips, never to the whole history.
package struct LogWindow {
    /// First kept sequence number.
    package var first: Int
    /// Last sequence number (first - 1 when empty).
    package var last: Int
    /// Whether an entry is shown at all (level filter).
    package var matches: (Int) -> Bool

    /// Creates a window over `first...last`.
    package init(first: Int, last: Int, matches: @escaping (Int) -> Bool = { _ in true }) {
        self.first = first
        self.last = last
        self.matches = matches
    }

    /// The nearest matching sequence before `s`.
    package func previous(before s: Int) -> Int? {
        var i = min(s, last + 1) - 1
        while i >= first {
            if matches(i) { return i }
            i -= 1
        }
        return nil
    }

    /// The nearest matching sequence after `s`.
    package func next(after s: Int) -> Int? {
        var i = max(s, first - 1) + 1
        while i <= last {
            if matches(i) { return i }
            i += 1
        }
        return nil
    }

    /// The newest matching entry.
    package var lastMatch: Int? { previous(before: last + 1) }
    /// The oldest matching entry.
    package var firstMatch: Int? { next(after: first - 1) }

    /// The visible sequence numbers, top to bottom.
    package func visible(height: Int, follow: Bool, top: Int) -> [Int] {
        guard height > 0 else { return [] }
        var rows: [Int] = []
        rows.reserveCapacity(height)
        if !follow {
            var s = next(after: max(top, first) - 1)
            while let current = s, rows.count < height {
                rows.append(current)
                s = next(after: current)
            }
        }
        // Following, or the view reached the end with rows to spare: fill upwards from above.
        var above = rows.first ?? (last + 1)
        var prefix: [Int] = []
        while rows.count + prefix.count < height, let p = previous(before: above) {
            prefix.append(p)
            above = p
        }
        return prefix.reversed() + rows
    }

    /// How many entries match, counting no further than `limit` (cost bounded by the limit plus skipped entries).
    package func count(upTo limit: Int) -> Int {
        visible(height: max(0, limit), follow: true, top: 0).count
    }

    /// Moves `n` matching entries up (negative: down) from `top`; the result is a valid top.
    package func move(top: Int, by n: Int) -> Int {
        var t = top
        if n > 0 {
            for _ in 0..<n { guard let p = previous(before: t) else { break }; t = p }
        } else if n < 0 {
            for _ in 0..<(-n) { guard let p = next(after: t) else { break }; t = p }
        }
        return t
    }
}
