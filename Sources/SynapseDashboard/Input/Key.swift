/// A key press (or mouse wheel step, or resize) as the terminal driver reports it.
package enum Key: Sendable, Hashable {
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
    /// Mouse wheel, where the pointer is unknown (scrolls the focused pane).
    case wheelUp, wheelDown
    /// Mouse wheel over a screen cell: scrolls the pane under the pointer.
    case wheel(up: Bool, x: Int, y: Int)
    /// A mouse click on a screen cell: focuses the pane under the pointer.
    case click(x: Int, y: Int)
}
