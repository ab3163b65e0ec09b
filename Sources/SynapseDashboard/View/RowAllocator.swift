/// Divides rows among bands stacked top to bottom, from what each needs rather than from size thresholds.
///
/// Each band first gets its minimum, most important first (bands whose minimum no longer fits are left
/// out); then spare rows go out by weight, never beyond what a band can fill; rows nobody can fill go to
/// the band marked to absorb them (the one that grows as the run goes on).
package enum RowAllocator {
    /// What one band asks for.
    package struct Demand: Sendable, Hashable {
        /// Rows below which the band is not worth showing.
        package var min: Int
        /// Rows it can fill (title included).
        package var want: Int
        /// Share of spare rows.
        package var weight: Int
        /// Lower is kept first.
        package var priority: Int
        /// Takes the rows nobody can fill.
        package var absorbsSpare = false

        package init(min: Int, want: Int, weight: Int, priority: Int, absorbsSpare: Bool = false) {
            self.min = min
            self.want = Swift.max(min, want)
            self.weight = weight
            self.priority = priority
            self.absorbsSpare = absorbsSpare
        }
    }

    /// Rows per band (0: left out), summing to at most `rows`.
    package static func allocate(_ demands: [Demand], rows: Int) -> [Int] {
        var heights = [Int](repeating: 0, count: demands.count)
        var spare = Swift.max(0, rows)
        let order = demands.indices.sorted { (demands[$0].priority, $0) < (demands[$1].priority, $1) }
        for i in order where demands[i].min <= spare {
            heights[i] = demands[i].min
            spare -= demands[i].min
        }
        let kept = order.filter { heights[$0] > 0 }
        // Fixed-size bands (weight 0: Progress) get all they can fill first: they are small and say the most.
        for i in kept where spare > 0 && demands[i].weight == 0 && heights[i] < demands[i].want {
            let add = Swift.min(spare, demands[i].want - heights[i])
            heights[i] += add
            spare -= add
        }
        // Water-filling by weight, capped at each band's want.
        while spare > 0 {
            let active = kept.filter { heights[$0] < demands[$0].want && demands[$0].weight > 0 }
            guard !active.isEmpty else { break }
            let total = active.reduce(0) { $0 + demands[$1].weight }
            let round = spare
            for i in active where spare > 0 {
                let share = Swift.max(1, round * demands[i].weight / total)
                let add = Swift.min(share, demands[i].want - heights[i], spare)
                heights[i] += add
                spare -= add
            }
        }
        if spare > 0, let sink = kept.last(where: { demands[$0].absorbsSpare }) ?? kept.last {
            heights[sink] += spare
        }
        return heights
    }
}
