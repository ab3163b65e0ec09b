import Foundation

/// Plain output of the commands (not events): results on standard output, problems on standard error.
enum Console {
    /// A line on standard output, flushed at once so a reader of a pipe sees it before the run ends.
    static func out(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    /// `synapse-tui: <message>` on standard error.
    static func error(_ message: String) {
        write("synapse-tui: \(message)\n", to: STDERR_FILENO)
    }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}
