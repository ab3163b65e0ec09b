/// Where a dashboard's events come from, once it is running: a job's event log followed
/// (``EventLogTailer``), a captured console file followed (``ConsoleFileTailer``), a child process run
/// (``ChildProcessSource``), a Ray job followed (`RayEventSource`). `attach`, `show` and `run --plugin`
/// pick one when they read their options and from then on only start it into their ``EventQueue``, stop
/// it and hand its ``cancelHook(reportingTo:)`` to the `c` key: they never switch over which kind it is.
///
/// A run in this process is not a source: its actions write into the queue as they run (a `QueueLogger`).
package protocol EventSource: AnyObject, Sendable {
    /// How the dashboard's header names the source before the log says which action it is.
    var label: String { get }
    /// Starts pushing events and notices into `sink` on a thread or task of its own. Calling it twice does
    /// nothing.
    func start(into sink: EventQueue)
    /// Stops reading; returns once nothing more will be pushed. The job itself goes on.
    func stop()
    /// The dashboard's `c` key: asks what produces the events to stop, reporting into `sink`. `nil` for a
    /// source that can only read (a log, a console file).
    func cancelHook(reportingTo sink: EventQueue) -> (@Sendable () -> Void)?
}

