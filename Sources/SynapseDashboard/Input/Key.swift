/// A key press (or mouse wheel step, or resize) as the terminal driver reports it.
public enum Key: Sendable, Hashable {
    /// A printable character (`q`, `/`, `N`, `?`, ...).
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab
    /// Shift-Tab.
    case backTab
    case enter, escape, backspace
    /// The terminal changed size.
    case resize
    /// Mouse wheel.
    case wheelUp, wheelDown
}
