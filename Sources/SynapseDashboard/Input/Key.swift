/// A key press (or mouse wheel step, or resize) as the terminal driver reports it.
public enum Key: Sendable, Hashable {
    /// A printable character (`q`, `/`, `N`, `?`, ...).
    case char(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Paging keys.
    case pageUp, pageDown, home, end
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Editing keys.
    case enter, escape, backspace
    /// The terminal changed size.
    case resize
    /// Mouse wheel.
    case wheelUp, wheelDown
}
