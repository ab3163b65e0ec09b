/// Something an event source says about itself rather than about the run: the dashboard shows it
/// (a "waiting" header, a count of unreadable lines) but it is not an ``Event`` of the job.
package enum SourceNotice: Sendable, Hashable {
    /// The source has nothing to read yet (the job's log does not exist yet).
    case waiting(String)
    /// The source is reading (catching up or following live).
    case following(String)
    /// Everything read so far is void: the log was truncated or replaced, and is read again from the
    /// start. Consumers rebuild their state from the events that follow.
    case restarted(reason: String)
    /// A line that could not be read; reading goes on.
    case unreadable(UnreadableLine)
    /// The source will produce nothing more (an in-process run finished, a follower stopped).
    case finished
    /// Something the reader must see, which holds until the source says otherwise (``following(_:)``,
    /// ``restarted(reason:)``): the log was deleted, a stream ended or stopped at a limit, the log could not
    /// be written. Shown on the status line (`attach`, `run`) and on stderr (`show`).
    case problem(String)
    /// The job log of a run in this process cannot be written now (why, as a sentence), or takes writes
    /// again (`nil`). The dashboard's header says so while it lasts, and the status line says why.
    case logWriteFailed(String?)
    /// A block of the log's lines, already read (on the reader's threads) and ready to reduce: how a log
    /// reader hands over a long history (see ``LogBlock``). It travels beside the events, in order, like
    /// the other notices; it is a run's events, only in compact form.
    case lines(LogBlock)
}
