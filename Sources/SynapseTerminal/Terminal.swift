#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import SynapseDashboard

/// `true` while curses owns the terminal; read by the `atexit` hook so even an unexpected `exit()`
/// leaves the terminal usable.
nonisolated(unsafe) private var cursesActive = false
nonisolated(unsafe) private var exitHookInstalled = false

/// The ncurses driver: the only type in the package that calls curses, always from one thread.
///
/// It owns the terminal between ``init(options:)`` and ``restore()``, draws a ``Canvas`` by sending only
/// the cells that changed since the last frame (``CanvasDiff``), and turns input into ``Key``s.
/// It is deliberately not `Sendable`: curses is not thread-safe, so the UI thread creates it, uses it and
/// restores it; other threads talk to that thread through an ``EventQueue``.
package final class Terminal {
    /// How the terminal is set up.
    package struct Options: Sendable {
        /// The most colours to use; the terminal may offer fewer. `.none` for `NO_COLOR` / monochrome.
        package var maxColors: ColorMode
        /// Report mouse-wheel steps as keys.
        package var mouse: Bool

        /// Options; by default as many colours as the terminal has (up to 256) and the mouse wheel.
        package init(maxColors: ColorMode = .palette256, mouse: Bool = true) {
            self.maxColors = maxColors
            self.mouse = mouse
        }
    }

    /// The colours in use: the lesser of what was asked and what the terminal has.
    package private(set) var colorMode: ColorMode = .none
    /// The descriptor keys arrive on: poll it, then call ``readKeys()``.
    package let inputFD: Int32

    private var screen: OpaquePointer?
    private var input: UnsafeMutablePointer<FILE>?
    private var output: UnsafeMutablePointer<FILE>?
    private var previous: Canvas?
    private var pairs: ColorPairs
    private var styleCache: [Style: (attr_t, Int16)] = [:]

    /// Takes over the terminal: locale, screen, raw-ish input, colours, hidden cursor.
    ///
    /// Reads keys from the controlling terminal when standard input is not one (`… | synapse-tui`).
    package init(options: Options = Options()) throws {
        // Without the locale, ncursesw treats every byte above 0x7F as a separate character and block or
        // braille glyphs come out as garbage.
        setlocale(LC_ALL, "")
        if isatty(STDIN_FILENO) == 1 {
            input = synapse_stdin()
        } else {
            input = fopen("/dev/tty", "r")
        }
        output = isatty(STDOUT_FILENO) == 1 ? synapse_stdout() : fopen("/dev/tty", "w")
        guard let input, let output else { throw TerminalError.noTerminal }
        inputFD = fileno(input)
        CrashRestore.install(fd: fileno(output))
        guard let screen = newterm(nil, output, input) else {
            CrashRestore.uninstall()
            throw TerminalError.unknownTerminal(Self.termName)
        }
        self.screen = screen
        cursesActive = true
        if !exitHookInstalled {
            exitHookInstalled = true
            atexit { if cursesActive { cursesActive = false; endwin() } }
        }
        cbreak()  // keys arrive at once, but Ctrl-C still raises SIGINT (handled by SignalPipe)
        noecho()
        nonl()
        keypad(synapse_stdscr(), true)
        nodelay(synapse_stdscr(), true)  // we poll() the descriptor ourselves; get_wch must never block
        set_escdelay(25)  // the default second makes Esc feel broken
        // Home/End as tmux, screen, rxvt and the Linux console send them, whatever $TERM's terminfo says
        // (tmux sends ESC[1~ / ESC[4~ under xterm-256color, whose terminfo knows only ESC OH / ESC OF).
        for (sequence, key) in Self.extraKeys { _ = define_key(sequence, key) }
        curs_set(0)
        if options.mouse {
            mousemask(synapse_button4_pressed() | synapse_button5_pressed() | synapse_button1_pressed(), nil)
            mouseinterval(0)
        }
        pairs = ColorPairs(mode: .none)
        colorMode = Self.startColors(max: options.maxColors)
        pairs = ColorPairs(mode: colorMode)
    }

    deinit { restore() }

    /// Gives the terminal back (cursor, echo, line mode, main screen). Safe to call more than once.
    package func restore() {
        guard let screen else { return }
        curs_set(1)
        endwin()
        delscreen(screen)
        CrashRestore.uninstall()
        self.screen = nil
        cursesActive = false
        if let input, input != synapse_stdin() { fclose(input) }
        if let output, output != synapse_stdout() { fclose(output) }
        input = nil
        output = nil
    }

    /// The current size in cells.
    package var size: (width: Int, height: Int) {
        (Int(synapse_getmaxx(synapse_stdscr())), Int(synapse_getmaxy(synapse_stdscr())))
    }

    /// Forgets resolved styles: call after the theme changed.
    package func resetStyles() {
        styleCache.removeAll()
        pairs.reset()
        previous = nil  // every cell's colour may have changed
    }

    /// Draws `canvas`, sending only the cells that differ from the last frame.
    ///
    /// - Parameter resolve: turns a cell's semantic style into colours (the theme), called once per style.
    package func present(_ canvas: Canvas, resolve: (Style) -> TerminalStyle) {
        guard screen != nil else { return }
        if let previous, previous.width != canvas.width || previous.height != canvas.height {
            erase()
        }
        var scalars = [wchar_t](repeating: 0, count: 6)
        var cchar = cchar_t()
        let width = canvas.width
        for i in CanvasDiff.cellsToDraw(from: previous, to: canvas) {
            let cell = canvas.cell(at: i)
            let (attributes, pair) = curses(cell.style, resolve)
            var n = 0
            for scalar in cell.character.unicodeScalars where n < 5 {
                scalars[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
            scalars[n] = 0
            setcchar(&cchar, scalars, attributes, pair, nil)
            // The bottom-right cell reports ERR (the cursor cannot advance) but is drawn: ignore it.
            _ = mvadd_wch(Int32(i / width), Int32(i % width), &cchar)
        }
        refresh()
        previous = canvas
    }

    /// Escape sequences some terminals send for keys their terminfo entry does not list.
    static let extraKeys: [(String, Int32)] = [
        ("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[8~", KEY_END),
        ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
    ]

    /// Asks the terminal to put `text` on the clipboard (OSC 52, base64, so nothing in it reaches the terminal
    /// raw). Terminals that do not allow it ignore the sequence; tmux passes it on with `set-clipboard on`.
    package func copyToClipboard(_ text: String) {
        guard let output else { return }
        let sequence = "\u{1B}]52;c;" + Self.base64(Array(text.utf8)) + "\u{07}"
        fflush(output)
        _ = sequence.withCString { fputs($0, output) }
        fflush(output)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every key waiting on the input, without blocking. A resize also forgets the last frame so the
    /// next ``present(_:resolve:)`` repaints the whole screen.
    package func readKeys() -> [Key] {
        var keys: [Key] = []
        var code: wint_t = 0
        while true {
            let kind = get_wch(&code)
            if kind == ERR { break }
            let input: RawInput = kind == KEY_CODE_YES ? .function(Int32(code)) : .character(UInt32(code))
            if input == .function(KEY_MOUSE) {
                var event = MEVENT()
                if getmouse(&event) == OK,
                   let key = KeyDecoder.key(forMouse: UInt(event.bstate), x: Int(event.x), y: Int(event.y)) { keys.append(key) }
                continue
            }
            if input == .function(KEY_RESIZE) {
                previous = nil
                clearok(synapse_stdscr(), true)
            }
            if let key = KeyDecoder.key(for: input) { keys.append(key) }
        }
        return keys
    }

    private func curses(_ style: Style, _ resolve: (Style) -> TerminalStyle) -> (attr_t, Int16) {
        if let cached = styleCache[style] { return cached }
        let resolved = resolve(style)
        var attributes = synapse_a_normal()
        if resolved.attributes.contains(.bold) { attributes |= synapse_a_bold() }
        if resolved.attributes.contains(.dim) { attributes |= synapse_a_dim() }
        if resolved.attributes.contains(.reverse) { attributes |= synapse_a_reverse() }
        if resolved.attributes.contains(.underline) { attributes |= synapse_a_underline() }
        let result = (attributes, pairs.pair(for: resolved))
        styleCache[style] = result
        return result
    }

    private static func startColors(max: ColorMode) -> ColorMode {
        guard max != .none, has_colors() else { return .none }
        start_color()
        // Pair colour -1 then means "the terminal's own": themes with an empty background keep it.
        use_default_colors()
        if synapse_colors() >= 256, max == .palette256 { return .palette256 }
        return synapse_colors() >= 8 ? .basic16 : .none
    }

    private static var termName: String {
        getenv("TERM").map { String(cString: $0) } ?? "(unset)"
    }
}

/// Why the terminal could not be taken over.
package enum TerminalError: Error, CustomStringConvertible {
    /// Neither standard input/output nor `/dev/tty` is a terminal.
    case noTerminal
    /// curses does not know `$TERM`.
    case unknownTerminal(String)

    /// What went wrong and what to do instead.
    package var description: String {
        switch self {
        case .noTerminal: return "no terminal to draw on (use --headless or `show` in scripts)"
        case .unknownTerminal(let term): return "the terminal type '\(term)' is unknown to curses; try TERM=xterm-256color"
        }
    }
}
