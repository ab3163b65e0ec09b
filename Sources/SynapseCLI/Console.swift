import Synchronization
import Foundation
import SynapsePlugins

/// Plain output of the commands (not events): results on standard output, problems on standard error.
enum Console {
    /// Set when a line could not be written (`/dev/full`, EIO, a closed pipe): the command's exit status
    /// must say so, since what it printed is lost.
    static var writeFailed: Bool { failures.withLock { $0 } }
    private static let failures = Mutex(false)

    /// Notes that another writer of the command's output (the run's console lines) lost what it printed.
    static func noteWriteFailure() { failures.withLock { $0 = true } }

    /// A line on standard output, flushed at once so a reader of a pipe sees it before the run ends.
    static func out(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    /// `synapse-tui: <message>` on standard error. Messages quote user input (a command, a path, a job
    /// id): control characters are shown as stand-ins, never sent to the terminal raw.
    static func error(_ message: String) {
        write("synapse-tui: \(safe(message))\n", to: STDERR_FILENO)
    }

    /// `text` with control characters (C0 but line breaks, DEL, C1, bidi overrides) as visible stand-ins.
    static func safe(_ text: String) -> String {
        SafeText.lines(text).joined(separator: "\n")
    }

    /// JSON text for a terminal: `jsonText` escapes C0 controls as JSON requires, and this also escapes
    /// DEL, C1 controls and bidi overrides (`\u009b` is a CSI to many terminals). Still the same JSON value.
    static func json(_ value: JSONValue) -> String {
        let text = value.jsonText
        guard !SafeText.isSafeUnicode(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failures.withLock { $0 = true }
                    return
                }
                offset += n
            }
        }
    }
}
