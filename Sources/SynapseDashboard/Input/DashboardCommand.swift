/// What the app loop must do after a key (the pure key handler cannot do it itself).
package enum DashboardCommand: Sendable, Hashable {
    /// Leave the dashboard (restore the terminal and exit).
    case quit
    /// Cancel the run (in-process: signal the action; it records `cancelled`).
    case cancelRun
    /// Switch to the built-in theme with this name (``UIState/themeName`` already holds it).
    case themeChanged(String)
    /// Put this text on the clipboard (the driver sends OSC 52; `y` in the detail view).
    case copy(String)
}
