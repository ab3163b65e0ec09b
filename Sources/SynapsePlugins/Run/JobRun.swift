import Foundation

extension ActionRunner {
    /// Starts `request` as a job of `store`: creates the job's folder and event log, records into it and
    /// into `loggers` (the console, the dashboard's queue), and closes the log when the run ends.
    ///
    /// With `systemInterval`, what this process (and any process it starts) costs the machine is recorded
    /// as `system` records every `systemInterval` seconds while the run lasts.
    ///
    /// Throws only when the job cannot be created (an unsafe or existing id, an unwritable home).
    public func startJob(_ request: RunRequest, in store: JobStore, alsoLoggingTo loggers: [any PluginLogger] = [],
                         systemInterval: Double? = nil) throws(JobStoreError) -> RunHandle {
        try startJob(request, in: store, alsoLoggingTo: loggers, systemInterval: systemInterval, output: nil)
    }

    /// ``startJob(_:in:alsoLoggingTo:systemInterval:)``, and with `output`, what the process prints while
    /// the run goes (its own `print`, stderr) is recorded as the run's `output` events.
    package func startJob(_ request: RunRequest, in store: JobStore, alsoLoggingTo loggers: [any PluginLogger] = [],
                          systemInterval: Double? = nil, output: OutputCapture?) throws(JobStoreError) -> RunHandle {
        let log = try store.openLog(for: request.jobID)
        // Proof of life for readers in other terminals (`lost` when this process dies without a final status).
        let heartbeat = JobHeartbeat(directory: try store.directory(of: request.jobID))
        // A write failure (a full disk) is shown at once by the other sinks: the console, the dashboard.
        log.onWriteFailure { text in
            for sink in loggers {
                sink.record(Event(level: .danger, payload: .message(Message(content: text))))
                sink.jobLogWriteFailed(text)
            }
        }
        // ...and so is its end: the log_gap record the log got (the dashboard counts the lost records).
        log.onWriteRecovery { gap in
            var lost = 0
            if case .custom(_, let data)? = gap?.payload { lost = data.objectValue?["lost"]?.intValue ?? 0 }
            let text = lost > 0
                ? "the job log takes writes again; \(lost) records could not be kept in memory and are not in it (a log_gap record says so)"
                : "the job log takes writes again; every record that waited was written"
            for sink in loggers {
                if let gap { sink.record(gap) }
                sink.record(Event(level: lost > 0 ? .warning : .success, payload: .message(Message(content: text))))
                sink.jobLogWriteFailed(nil)
            }
        }
        let fanOut = FanOutLogger([log] + loggers)
        var logger: any PluginLogger = fanOut
        var sampler: SystemSampler?
        if let systemInterval {
            let gate = SystemRecordGate(fanOut)
            logger = gate
            sampler = SystemSampler(root: getpid(), interval: systemInterval) { gate.record($0) }
        }
        output?.attach(logger)
        sampler?.start()
        let reason = CancellationReason()
        let task = Task { [logger, sampler, heartbeat] in
            let outcome = await self.run(request, logger: logger, reason: reason)
            sampler?.stop()
            output?.detach()
            log.close()
            heartbeat.stop()
            return outcome
        }
        return RunHandle(jobID: request.jobID, task: task, reason: reason, jobLog: log)
    }
}
