import CNcurses
import SynapseDashboard

/// One input as `get_wch` returns it: a character, or a function-key code.
package enum RawInput: Sendable, Hashable {
    /// `get_wch` returned `OK`: a (wide) character, control characters included.
    case character(UInt32)
    /// `get_wch` returned `KEY_CODE_YES`: a `KEY_*` code.
    case function(Int32)
}

/// Turns raw curses input into the dashboard's ``Key``. Pure, so every mapping is unit-tested without a
/// terminal; mouse events need `getmouse` and are resolved by the driver before they get here.
package enum KeyDecoder {
    /// The key for one input, or `nil` for input the dashboard has no use for.
    package static func key(for input: RawInput) -> Key? {
        switch input {
        case .character(let code):
            return character(code)
        case .function(let code):
            return function(code)
        }
    }

    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x1B: return .escape
        case 0x08, 0x7F: return .backspace
        case 0x00..<0x20: return nil  // other control keys: Ctrl-C arrives as SIGINT, the rest mean nothing here
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    static func function(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE, KEY_DC: return .backspace
        case KEY_RESIZE: return .resize
        default: return nil
        }
    }

    /// The key for a mouse event's button mask: only the wheel means something to the dashboard.
    package static func key(forMouse mask: UInt) -> Key? {
        if mask & UInt(synapse_button4_pressed()) != 0 { return .wheelUp }
        if mask & UInt(synapse_button5_pressed()) != 0 { return .wheelDown }
        return nil
    }

    /// The key for a mouse event at a cell: the wheel scrolls and a left click focuses the pane there.
    package static func key(forMouse mask: UInt, x: Int, y: Int) -> Key? {
        if mask & UInt(synapse_button4_pressed()) != 0 { return .wheel(up: true, x: x, y: y) }
        if mask & UInt(synapse_button5_pressed()) != 0 { return .wheel(up: false, x: x, y: y) }
        if mask & UInt(synapse_button1_pressed()) != 0 { return .click(x: x, y: y) }
        return nil
    }
}
