import Foundation
import Synchronization
import Testing
@testable import SynapsePlugins

/// The job log on a full disk (issue #13): a tmpfs of 64 KiB, filled by the test and then freed. Mounting
/// needs root (CI runs as root); elsewhere the suite is skipped and says why.
@Suite(.serialized, .enabled(if: TinyDisk.canMount, "mounting a tmpfs needs root (CI runs as root)"))
struct DiskFullTests {
    static func record(_ i: Int) -> Event {
        Event(timestamp: 1_764_076_800 + Double(i), step: "training",
              payload: .metrics(["epoch": .int(i), "loss": .double(1 / Double(i + 1))]))
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Records that meet a full disk wait, are written in order once there is room, and the failure is
    /// reported once, at once; the log never holds a partial line.
    @Test func recordsWaitAndAreWrittenWhenSpaceReturns() throws {
        let disk = try TinyDisk()
        defer { disk.unmount() }
        let path = disk.path + "/events.jsonl"
        let reports = Mutex<[String]>([])
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        log.onWriteFailure { text in reports.withLock { $0.append(text) } }
        try disk.fill()
        for i in 0..<200 { log.record(Self.record(i)) }
        #expect(reports.withLock { $0.count } == 1)
        #expect(reports.withLock { $0.first?.contains("No space left on device") == true })
        #expect(log.recordsNotWritten > 0)
        let partial = try Self.lines(path)
        #expect(partial.last == "", "the log ends with a whole line")
        disk.free()
        log.record(Self.record(200))
        log.close()
        #expect(log.recordsNotWritten == 0)
        let written = try Self.lines(path).dropLast()
        #expect(written.count == 201)
        for (i, line) in written.enumerated() {
            #expect(line.contains("\"epoch\":\(i),"), "line \(i) in order: \(line)")
        }
    }

    /// Past the memory bound the oldest waiting records are dropped, counted, and a `log_gap` record says
    /// how many as soon as the disk takes it.
    @Test func overflowIsCountedAndRecorded() throws {
        // Room enough, once freed, for what waited in memory.
        let disk = try TinyDisk(size: "16m")
        defer { disk.unmount() }
        let path = disk.path + "/events.jsonl"
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        try disk.fill()
        let n = 60_000  // ~100 bytes each: past the 4 MiB held in memory
        for i in 0..<n { log.record(Self.record(i)) }
        let missing = log.recordsNotWritten
        #expect(missing > 0 && missing <= n)
        disk.free()
        log.record(Self.record(n))
        log.close()
        let lines = try Self.lines(path).dropLast()
        let gap = try #require(lines.first { $0.contains(#""event":"log_gap""#) })
        let event = try #require(try EventCodec.decodeLine(gap))
        let lost = try #require(EventCodec.data(of: event.payload)["lost"]?.intValue)
        #expect(lost > 0 && lines.count == n + 1 - lost + 1)
        #expect(log.recordsNotWritten == lost, "what was dropped stays counted: the log is incomplete")
    }
}

/// A 64 KiB tmpfs mounted for one test.
struct TinyDisk {
    let path: String

    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        guard let disk = try? TinyDisk() else { return false }
        disk.unmount()
        return true
    }()

    init(size: String = "64k") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tinydisk-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    /// Fills the disk to the last byte with a filler file.
    func fill() throws {
        let fd = open(path + "/filler", O_WRONLY | O_CREAT, 0o600)
        defer { close(fd) }
        let block = [UInt8](repeating: 0x20, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) > 0 {}
    }

    func free() { unlink(path + "/filler") }

    func unmount() {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [path]
        try? umount.run()
        umount.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}
