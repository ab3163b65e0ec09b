import SynapsePlugins

/// What a run did, in one value: the overview pane, `show`'s summary section and `export` all show this.
///
/// Derived (pure) from a ``DashboardState`` and what a reader knows beside the log: whether the writer is
/// lost (`writer.json`, never written into the log) and the writer's host. Param values whose names look
/// secret (`key`, `token`, `secret`, `password`, any case, at any depth) are already masked here, so
/// nothing built on it can show them. ``json`` is the stable form (docs/event-log.md, "Run summary").
package struct RunSummary: Sendable, Hashable {
    /// The run's state as a reader should say it.
    package enum Outcome: String, Sendable, Hashable {
        /// No `run_status` record yet.
        case waiting
        /// `pending`: the run was created, nothing ran yet.
        case pending
        /// Running, with a writer alive (or none known).
        case running
        /// Completed.
        case completed
        /// Failed.
        case failed
        /// Cancelled.
        case cancelled
        /// No final status and the writer is gone (derived by readers, never logged).
        case lost
    }

    /// One action of a pipeline.
    package struct Action: Sendable, Hashable {
        /// The action's name.
        package var name: String
        /// Its status.
        package var status: ActionStatus
        /// Its error, when it failed.
        package var error: RunError?
    }

    /// The run's action, or a pipeline's actions in order.
    package var actions: [String]
    /// A pipeline's actions with their statuses (empty for a single action).
    package var pipeline: [Action]
    /// The job id, in full.
    package var jobID: String?
    /// What the run's status comes to (``Outcome/lost`` when the writer is gone).
    package var outcome: Outcome
    /// The status as logged.
    package var status: RunStatus?
    /// The writer's last proof of life, when lost.
    package var lostSince: Double?
    /// When the run started (its `running` status, or its first event), epoch seconds.
    package var started: Double?
    /// When it ended: its final status; for a lost run, its writer's last proof of life (or last event).
    package var ended: Double?
    /// Seconds from ``started`` to ``ended`` (to `now`, or the latest event, while it runs).
    package var duration: Double?
    /// The host the run's writer ran on, when known.
    package var host: String?
    /// The params the run logged last (validated, with defaults, when the runner logged them), secrets masked.
    package var params: JSONValue?
    /// The result, on completion.
    package var result: JSONValue?
    /// The error (type and whole message), on failure or cancellation.
    package var error: RunError?
    /// The overall progress figure (0...1), as the Progress pane shows it; `nil` when none is known (nothing
    /// declared weights: then ``stepsDone`` says what is).
    package var progress: Double?
    /// The steps done and the current step, when steps reported progress but no run percent is known.
    package var stepsDone: DashboardState.StepsDone?
    /// Every numeric metric except the run's counters, in the Metrics pane's order, with its best value.
    package var metrics: [MetricSummary]
    /// Records read.
    package var events: Int
    /// Lines of the log that could not be read, and the latest one's reason.
    package var unreadableLines: Int
    /// Why the latest unreadable line could not be read.
    package var lastUnreadable: String?
    /// `log_gap` records: times the writer dropped records (a full disk).
    package var logGaps: Int
    /// Records the writer said it dropped.
    package var droppedRecords: Int

    /// Summarises a run.
    /// - Parameters:
    ///   - state: the run, reduced from its events.
    ///   - lostSince: the writer's last proof of life when a reader found it gone (ignored once the run has
    ///     a final status).
    ///   - host: the writer's host (`writer.json`, or this machine for a run in this process).
    ///   - now: the time for a running run's duration; `nil` uses its latest event.
    package init(state: DashboardState, lostSince: Double? = nil, host: String? = nil, now: Double? = nil) {
        let run = state.run
        pipeline = state.actions.map { Action(name: $0.name, status: $0.status, error: $0.error) }
        if !pipeline.isEmpty {
            actions = pipeline.map(\.name)
        } else {
            actions = run.action.map { [$0] } ?? []
        }
        jobID = run.jobID
        status = run.status
        let final = run.status?.isFinal == true
        self.lostSince = final ? nil : lostSince
        switch run.status {
        case nil: outcome = self.lostSince == nil ? .waiting : .lost
        case .pending?: outcome = self.lostSince == nil ? .pending : .lost
        case .running?: outcome = self.lostSince == nil ? .running : .lost
        case .completed?: outcome = .completed
        case .failed?: outcome = .failed
        case .cancelled?: outcome = .cancelled
        }
        started = run.startedAt ?? state.firstTimestamp
        if final {
            ended = run.endedAt ?? state.lastTimestamp
        } else if let since = self.lostSince {
            ended = Swift.max(since, state.lastTimestamp ?? since)
        }
        if let started {
            let end = ended ?? now ?? state.lastTimestamp ?? started
            duration = end.isFinite ? Swift.max(0, end - started) : nil
        }
        self.host = host
        params = run.params?.maskingSecrets
        result = run.status == .completed ? run.result : nil
        error = run.error ?? state.actions.first { $0.status == .failed && $0.error != nil }?.error
        progress = state.overallFraction
        stepsDone = state.stepsDone
        metrics = MetricSummary.all(in: state)
        events = state.eventCount
        unreadableLines = state.unreadableCount
        lastUnreadable = state.lastUnreadable
        logGaps = state.logGapCount
        droppedRecords = state.lostRecordCount
    }

    /// Progress in words: the overall percent when it is known, else the steps done and the current step,
    /// saying why there is no percent (`1 step done, in step 2: training 45.0% (no weights declared)`).
    package var progressText: String? {
        if let progress { return NumberFormat.percent(progress) }
        return stepsDone.map { $0.text + " (no weights declared)" }
    }

    /// The status word: `completed`, `failed`, `lost`, ...
    package var statusWord: String { outcome.rawValue }
}

/// One numeric metric of a run: its last value and, for a metric whose direction is known, its best.
///
/// The direction comes from the metric's name (``Goal/of(_:)``): losses and errors are best at their
/// minimum, accuracies and scores at their maximum. The best is the first sample that reached it, with the
/// run's counter (epoch, step, ...) at that sample.
package struct MetricSummary: Sendable, Hashable {
    /// Which way a metric improves.
    package enum Goal: String, Sendable, Hashable {
        /// Lower is better (losses, errors).
        case minimum = "min"
        /// Higher is better (accuracies, scores).
        case maximum = "max"

        /// Words that make a metric lower-is-better, matched against the name's words (split at anything
        /// but letters and digits, lower-cased); any word containing `loss` counts too (`valloss`).
        package static let lowerIsBetter: Set<String> = [
            "loss", "error", "err", "mse", "mae", "rmse", "nll", "perplexity", "ppl", "wer", "cer", "fid", "cost",
            "regret", "lpips",
        ]
        /// Words that make a metric higher-is-better; any word starting with `acc` counts too (`acc1`).
        package static let higherIsBetter: Set<String> = [
            "accuracy", "acc", "f1", "precision", "recall", "auc", "auroc", "map", "iou", "miou", "dice", "bleu",
            "rouge", "score", "r2", "top1", "top5", "psnr", "ssim", "reward", "return",
        ]

        /// The goal a metric's name implies: ``minimum`` when a word of it is lower-is-better (checked first:
        /// `loss_acc_gap` is a loss), ``maximum`` when one is higher-is-better, `nil` otherwise (a learning
        /// rate, a throughput: no best).
        package static func of(_ name: String) -> Goal? {
            var words: [String] = []
            var word = ""
            for c in name.lowercased().unicodeScalars {
                if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                    word.unicodeScalars.append(c)
                } else if !word.isEmpty {
                    words.append(word)
                    word = ""
                }
            }
            if !word.isEmpty { words.append(word) }
            if words.contains(where: { lowerIsBetter.contains($0) || $0.contains("loss") }) { return .minimum }
            if words.contains(where: { higherIsBetter.contains($0) || $0.hasPrefix("acc") }) { return .maximum }
            return nil
        }
    }

    /// The step (or `log_metric` category) that logged it.
    package var step: String
    /// `true` for a `log_metric` category's metric.
    package var category: Bool
    /// The metric's name (dotted for nested dicts).
    package var name: String
    /// The latest sample (may be NaN or infinite).
    package var last: Double?
    /// The smallest and largest finite samples.
    package var min: Double?
    /// The largest finite sample.
    package var max: Double?
    /// Samples seen, finite or not.
    package var samples: Int
    /// NaN or infinite samples seen.
    package var nonFinite: Int
    /// The direction its name implies, if any.
    package var goal: Goal?
    /// The best finite value (``min`` or ``max`` by ``goal``); `nil` without a goal or a finite sample.
    package var best: Double?
    /// The name of the counter ``bestAt`` counts (`epoch`, `step`, ...), when the samples had one.
    package var counterName: String?
    /// The counter's value at the best sample; `nil` when unknown.
    package var bestAt: Double?
    /// The best sample's position among the metric's samples (from 1).
    package var bestSample: Int?
    /// `true` for a system figure (``init(system:series:)``), which has no goal and no counter.
    package var system = false

    /// The metric's id, for the chart and the table.
    package var id: MetricID { MetricID(step: step, name: name, category: category, system: system) }

    /// Every numeric metric of a run in table order, leaving out the counters the x axis uses.
    package static func all(in state: DashboardState) -> [MetricSummary] {
        var out: [MetricSummary] = []
        for step in state.metrics {
            for entry in step.entries {
                guard let series = entry.series, !StepMetrics.isCounter(entry.name) else { continue }
                out.append(MetricSummary(step: step, name: entry.name, series: series))
            }
        }
        return out
    }

    /// A system figure's history (`system/cpu_percent`, ...): last, min and max, no best.
    init(system figure: SystemSeries.Figure, series: MetricSeries) {
        step = "system"
        category = false
        name = figure.chartName
        last = series.last
        min = series.min
        max = series.max
        samples = series.sampleCount
        nonFinite = series.nonFiniteCount
        system = true
    }

    init(step metrics: StepMetrics, name: String, series: MetricSeries) {
        step = metrics.step
        category = metrics.kind == .category
        self.name = name
        last = series.last
        min = series.min
        max = series.max
        samples = series.sampleCount
        nonFinite = series.nonFiniteCount
        goal = Goal.of(name)
        let at: MetricSeries.Position?
        switch goal {
        case .minimum?: best = series.min; at = series.min == nil ? nil : series.minAt
        case .maximum?: best = series.max; at = series.max == nil ? nil : series.maxAt
        case nil: best = nil; at = nil
        }
        if let at {
            bestSample = at.sample
            if at.counter.isFinite {
                bestAt = at.counter
                counterName = metrics.counterName
            }
        }
    }
}

extension RunSummary {
    /// The summary as one JSON object with stable keys (docs/event-log.md, "Run summary"); a key whose value
    /// is unknown is left out, and non-finite numbers are the strings `NaN`, `Infinity`, `-Infinity` so the
    /// object is strict JSON.
    package var json: JSONValue {
        var o: JSONObject = ["v": 1, "actions": .array(actions.map { .string($0) }), "status": .string(statusWord)]
        if !pipeline.isEmpty {
            o["pipeline"] = .array(pipeline.map { a in
                var p: JSONObject = ["action": .string(a.name), "status": .string(a.status.rawValue)]
                if let e = a.error { p["error"] = Self.json(e) }
                return .object(p)
            })
        }
        if let jobID { o["job_id"] = .string(jobID) }
        if let status { o["logged_status"] = .string(status.rawValue) }
        if let lostSince { o["lost_since"] = Self.number(lostSince) }
        if let started { o["started"] = Self.number(started) }
        if let ended { o["ended"] = Self.number(ended) }
        if let duration { o["duration"] = Self.number(duration) }
        if let host { o["host"] = .string(host) }
        if let params { o["params"] = params }
        if let result { o["result"] = result }
        if let error { o["error"] = Self.json(error) }
        if let progress { o["progress"] = Self.number(progress) }
        if let stepsDone {
            o["steps_done"] = .int(stepsDone.done)
            if let name = stepsDone.current, let number = stepsDone.number {
                var step: JSONObject = ["name": .string(name), "number": .int(number)]
                if let f = stepsDone.fraction { step["fraction"] = Self.number(f) }
                o["current_step"] = .object(step)
            }
        }
        o["metrics"] = .array(metrics.map(\.json))
        o["events"] = .int(events)
        o["unreadable_lines"] = .int(unreadableLines)
        if let lastUnreadable { o["last_unreadable"] = .string(lastUnreadable) }
        o["log_gaps"] = .int(logGaps)
        o["dropped_records"] = .int(droppedRecords)
        return .object(o)
    }

    static func json(_ e: RunError) -> JSONValue { ["type": .string(e.type), "message": .string(e.message)] }

    /// A number, or its name when it is not finite (strict JSON has no NaN).
    static func number(_ d: Double) -> JSONValue {
        if d.isFinite { return .double(d) }
        return .string(d.isNaN ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
    }
}

extension MetricSummary {
    /// The metric as a JSON object (keys in docs/event-log.md, "Run summary").
    package var json: JSONValue {
        var o: JSONObject = ["step": .string(step), "name": .string(name), "samples": .int(samples)]
        if category { o["category"] = true }
        if let last { o["last"] = RunSummary.number(last) }
        if let min { o["min"] = RunSummary.number(min) }
        if let max { o["max"] = RunSummary.number(max) }
        if nonFinite > 0 { o["non_finite"] = .int(nonFinite) }
        if let goal { o["goal"] = .string(goal.rawValue) }
        if let best { o["best"] = RunSummary.number(best) }
        if let counterName { o["counter"] = .string(counterName) }
        if let bestAt { o["best_at"] = RunSummary.number(bestAt) }
        if let bestSample { o["best_sample"] = .int(bestSample) }
        return .object(o)
    }
}
