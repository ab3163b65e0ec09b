/// A logger sink that hands every event to an ``EventQueue``: how an in-process run feeds the dashboard.
///
/// Recording is a lock and an append (see ``EventQueue/push(_:)``), so the action is never slowed by the
/// screen; the UI thread drains the queue at its own pace.
package final class QueueLogger: PluginLogger {
    /// The queue events go to.
    package let queue: EventQueue

    /// A sink pushing into `queue`.
    package init(queue: EventQueue) {
        self.queue = queue
    }

    /// Pushes `event` (a lock and an append; never waits for the screen).
    package func record(_ event: consuming Event) {
        queue.push(event)
    }

    /// Posts ``SourceNotice/logWriteFailed(_:)``, in order with the events.
    package func jobLogWriteFailed(_ reason: String?) {
        queue.post(.logWriteFailed(reason))
    }
}
