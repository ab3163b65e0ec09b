extension ActionRunner {
    /// Starts `request` as a job of `store`: creates the job's folder and event log, records into it and
    /// into `loggers` (the console, the dashboard's queue), and closes the log when the run ends.
    ///
    /// Throws only when the job cannot be created (an unsafe or existing id, an unwritable home).
    public func startJob(_ request: RunRequest, in store: JobStore, alsoLoggingTo loggers: [any PluginLogger] = [])
        throws(JobStoreError) -> RunHandle {
        let log = try store.openLog(for: request.jobID)
        let logger = FanOutLogger([log] + loggers)
        let task = Task {
            let outcome = await self.run(request, logger: logger)
            log.close()
            return outcome
        }
        return RunHandle(jobID: request.jobID, task: task)
    }
}
