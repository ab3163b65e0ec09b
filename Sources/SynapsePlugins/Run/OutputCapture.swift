import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches what the process writes to its standard output and standard error while a dashboard owns the
/// terminal, and records each line as an `output` event of the run, as a child process's lines are.
///
/// ``start()`` points descriptors 1 and 2 at pipes (the dashboard draws on the terminal through its own
/// descriptor); the runner ``attach(_:)``es the run's logger when the run starts and ``detach()``es it when
/// the run ends, after everything written until then was recorded. ``stop()`` gives the descriptors back and
/// writes out, to the real ones, whatever came after the run (nothing is dropped).
package final class OutputCapture: @unchecked Sendable {
    private struct Pump: Sendable {
        let stream: OutputLine.Stream
        let fd: Int32
        let saved: Int32
        let readEnd: Int32
    }

    /// A line longer than this is recorded in pieces (a runaway write never holds unbounded memory).
    static let maxLine = 64 << 10
    /// What is kept for ``stop()`` once no logger is attached.
    static let maxHeld = 1 << 20

    private let lock = NSLock()
    private var pumps: [Pump] = []
    private var logger: (any PluginLogger)?
    private var partial: [OutputLine.Stream: [UInt8]] = [:]
    private var held: [OutputLine.Stream: [UInt8]] = [:]
    private var busy = 0
    private var stopped = false

    private init() {}

    /// Redirects standard output and standard error into the capture. Throws when a pipe or descriptor
    /// cannot be had (nothing is redirected then).
    package static func start() throws -> OutputCapture {
        try start(descriptors: [(.stdout, STDOUT_FILENO), (.stderr, STDERR_FILENO)])
    }

    /// Captures `descriptors` (tests hand spare ones, so the test runner's own output stays where it is).
    package static func start(descriptors: [(OutputLine.Stream, Int32)]) throws -> OutputCapture {
        let capture = OutputCapture()
        fflush(nil)  // every stdio stream: what was written before goes where it was meant to
        for (stream, fd) in descriptors {
            var ends: [Int32] = [0, 0]
            let saved = dup(fd)
            guard saved >= 0, pipe(&ends) == 0 else {
                if saved >= 0 { close(saved) }
                capture.restore()
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            _ = fcntl(saved, F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            dup2(ends[1], fd)
            close(ends[1])
            capture.pumps.append(Pump(stream: stream, fd: fd, saved: saved, readEnd: ends[0]))
        }
        // A pipe makes stdio buffer whole blocks: a print() would arrive late, in chunks.
        if descriptors.contains(where: { $0.1 == STDOUT_FILENO }) { lineBufferStandardOutput() }
        for pump in capture.pumps {
            let thread = Thread { capture.read(pump) }
            thread.name = "synapse.output.\(pump.stream.rawValue)"
            thread.start()
        }
        return capture
    }

    /// Records every later line into `logger`.
    package func attach(_ logger: any PluginLogger) {
        lock.lock(); defer { lock.unlock() }
        self.logger = logger
    }

    /// Records what was written so far (a last line without its newline too), then stops recording: later
    /// lines are kept and written out by ``stop()``.
    package func detach() {
        fflush(nil)
        // Wait until the pipes are empty and no chunk is being turned into events.
        let deadline = MonotonicClock.now() + 2
        while MonotonicClock.now() < deadline {
            lock.lock()
            let idle = busy == 0 && pumps.allSatisfy { Self.pending($0.readEnd) == 0 }
            if idle {
                for stream in [OutputLine.Stream.stdout, .stderr] {
                    if let rest = partial[stream], !rest.isEmpty { emit(rest[...], stream) }
                    partial[stream] = nil
                }
                logger = nil
                lock.unlock()
                return
            }
            lock.unlock()
            usleep(1000)
        }
        lock.lock(); logger = nil; lock.unlock()
    }

    /// Gives standard output and standard error back and writes out what came after ``detach()``.
    package func stop() {
        lock.lock()
        if stopped { lock.unlock(); return }
        stopped = true
        lock.unlock()
        fflush(nil)
        restore()
        // The readers see EOF once the descriptors no longer point at the pipes; wait for them.
        let deadline = MonotonicClock.now() + 2
        while MonotonicClock.now() < deadline {
            lock.lock(); let done = readersDone == pumps.count; lock.unlock()
            if done { break }
            usleep(1000)
        }
        lock.lock()
        let out = held
        held = [:]
        for stream in [OutputLine.Stream.stdout, .stderr] { if let rest = partial[stream] { held[stream, default: []] += rest } }
        lock.unlock()
        for pump in pumps {
            if let bytes = out[pump.stream], !bytes.isEmpty {
                bytes.withUnsafeBytes { _ = write(pump.fd, $0.baseAddress, $0.count) }
            }
            close(pump.readEnd)
        }
    }

    private var readersDone = 0

    /// `setvbuf(stdout, nil, _IOLBF, 0)`. C's `stdout` is a mutable global Swift 6 will not read; its address,
    /// looked up by name, gives the same `FILE *` without that diagnostic.
    private static func lineBufferStandardOutput() {
        guard let symbol = dlsym(nil, "stdout") else { return }
        if let file = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee {
            setvbuf(file, nil, _IOLBF, 0)
        }
    }

    private func restore() {
        for pump in pumps {
            dup2(pump.saved, pump.fd)
            close(pump.saved)
        }
    }

    private static func pending(_ fd: Int32) -> Int32 {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? count : 0
    }

    private func read(_ pump: Pump) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Wait for data outside the lock, then read it under the lock (it is there: the read does not
            // block). Reading first left a window where bytes were out of the pipe but not yet taken, and
            // detach() saw an empty pipe and dropped them (seen under load in OutputCaptureTests).
            var p = pollfd(fd: pump.readEnd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            lock.lock()
            let n = chunk.withUnsafeMutableBytes { Glibc.read(pump.readEnd, $0.baseAddress, $0.count) }
            let failure = n < 0 ? errno : 0
            if n > 0 {
                busy += 1
                take(chunk[..<n], pump.stream)
                busy -= 1
            }
            lock.unlock()
            if n < 0 && failure == EINTR { continue }
            if n <= 0 { break }
        }
        lock.lock(); readersDone += 1; lock.unlock()
    }

    /// Splits bytes into lines (under the lock).
    private func take(_ bytes: ArraySlice<UInt8>, _ stream: OutputLine.Stream) {
        guard logger != nil else {
            if held[stream, default: []].count < Self.maxHeld { held[stream, default: []] += bytes }
            return
        }
        var line = partial[stream] ?? []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                emit(line[...], stream)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
                if line.count >= Self.maxLine {
                    emit(line[...], stream)
                    line.removeAll(keepingCapacity: true)
                }
            }
        }
        partial[stream] = line
    }

    private func emit(_ bytes: ArraySlice<UInt8>, _ stream: OutputLine.Stream) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        logger?.record(Event(payload: .output(OutputLine(stream: stream, text: text))))
    }
}
