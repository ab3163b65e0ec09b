#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a process tree's figures from Linux's `/proc` (and the host's and the container's), with plain
/// `open`/`read` into one reused buffer: a sample costs a few hundred small reads, no Foundation, no String
/// per file. On other systems ``isSupported`` is `false` and nothing is read.
package struct ProcessTreeReader {
    #if canImport(Glibc)
    private let systemRead = Glibc.read
    #else
    private let systemRead = Darwin.read
    #endif

    /// One process's cumulative figures.
    package struct ProcessFigures: Equatable {
        package var pid: Int32
        package var parent: Int32
        /// `starttime` from `stat`: tells a reused pid from the process it had before.
        package var startTime: UInt64
        /// User + system CPU, in clock ticks.
        package var cpuTicks: UInt64
        package var rssBytes: Int
        package var threads: Int
        package var readBytes: Int
        package var writeBytes: Int
        package var openFiles: Int
    }

    /// The container's limits (cgroup v2, or v1's memory and cpu controllers).
    package struct Limits: Equatable {
        package var memoryMax: Int?
        package var cpuCores: Double?
        /// Where the memory in use is read (`memory.current` / `memory.usage_in_bytes`).
        package var memoryCurrentPath: String?
    }

    #if os(Linux)
    package static let isSupported = true
    #else
    package static let isSupported = false
    #endif

    private var buffer = [UInt8](repeating: 0, count: 4096)
    package let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    package let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    package init() {}

    /// Each process's parent as read before: a process's parent only changes when the parent dies, and then
    /// it moves to init or a subreaper, out of any tree but theirs. So `/proc/N/stat` is read once per new
    /// process, not every process every sample (the tree's own members are read each sample anyway, for
    /// their figures, and refresh their entry there).
    private var parents: [Int32: Int32] = [:]

    /// The pids of `root` and all its descendants (only `root` itself when it has none; empty when it is gone).
    ///
    /// Lists `/proc` and reads the parent of each process it has not seen before: `/proc/N/task/T/children`
    /// would touch fewer files but is missing on kernels built without `CONFIG_PROC_CHILDREN` (this
    /// machine's, for one).
    package mutating func tree(of root: Int32) -> [Int32] {
        var seen: [Int32: Int32] = [:]
        seen.reserveCapacity(parents.count + 16)
        forEachPid { pid in
            if let parent = parents[pid] {
                seen[pid] = parent
            } else if let parent = parentOf(pid) {
                seen[pid] = parent
            }
        }
        parents = seen
        guard seen[root] != nil else { return [] }
        var members: Set<Int32> = [root]
        var result: [Int32] = [root]
        // Parents precede children in pid order only until pids wrap: repeat until nothing new joins.
        var grew = true
        while grew {
            grew = false
            for (pid, parent) in seen where !members.contains(pid) && members.contains(parent) {
                members.insert(pid)
                result.append(pid)
                grew = true
            }
        }
        return result
    }

    /// Calls `body` with every numeric entry of `/proc`.
    private func forEachPid(_ body: (Int32) -> Void) {
        #if os(Linux)
        guard let dir = opendir("/proc") else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let pid = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Int32 in
                var value: Int32 = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 0x30, byte <= 0x39, value < 100_000_000 else { return 0 }
                    value = value * 10 + Int32(byte - 0x30)
                }
                return value
            }
            if pid > 0 { body(pid) }
        }
        #endif
    }

    private mutating func parentOf(_ pid: Int32) -> Int32? {
        guard let fields = statFields(pid) else { return nil }
        return Int32(truncatingIfNeeded: fields.parent)
    }

    /// Fields of `/proc/PID/stat` after the command name (which may hold spaces and parentheses).
    private mutating func statFields(_ pid: Int32) -> (parent: Int, utime: UInt64, stime: UInt64, threads: Int,
                                                      start: UInt64, rssPages: Int)? {
        let n = read("/proc/\(pid)/stat")
        guard n > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { b -> (Int, UInt64, UInt64, Int, UInt64, Int)? in
            var close = n - 1
            while close >= 0, b[close] != UInt8(ascii: ")") { close -= 1 }
            guard close >= 0 else { return nil }
            // Field 3 (state) starts two bytes after ')'; collect fields 3...24.
            var values = [UInt64](repeating: 0, count: 25)
            var field = 3, i = close + 2
            while i < n, field <= 24 {
                var value: UInt64 = 0
                while i < n, b[i] != 0x20, b[i] != 0x0A {
                    let d = b[i] &- 0x30
                    if d < 10 { value = value &* 10 &+ UInt64(d) }
                    i += 1
                }
                values[field] = value
                field += 1
                i += 1
            }
            guard field > 24 else { return nil }
            // A zombie has exited (only its parent has not collected it): it no longer counts.
            if close + 2 < n, b[close + 2] == UInt8(ascii: "Z") || b[close + 2] == UInt8(ascii: "X") { return nil }
            return (Int(truncatingIfNeeded: values[4]), values[14], values[15], Int(truncatingIfNeeded: values[20]),
                    values[22], Int(truncatingIfNeeded: values[24]))
        }
    }

    /// One process's figures; `nil` when it is gone (or a zombie).
    package mutating func figures(of pid: Int32) -> ProcessFigures? {
        guard let s = statFields(pid) else { return nil }
        parents[pid] = Int32(truncatingIfNeeded: s.parent)
        var f = ProcessFigures(pid: pid, parent: Int32(truncatingIfNeeded: s.parent), startTime: s.start,
                               cpuTicks: s.utime &+ s.stime, rssBytes: s.rssPages * pageSize, threads: s.threads,
                               readBytes: 0, writeBytes: 0, openFiles: countEntries("/proc/\(pid)/fd"))
        let n = read("/proc/\(pid)/io")
        if n > 0 {
            f.readBytes = field("read_bytes:", n) ?? 0
            f.writeBytes = field("write_bytes:", n) ?? 0
        }
        return f
    }

    /// The host's memory (total, available) in bytes and its one-minute load.
    package mutating func host() -> (memoryTotal: Int, memoryAvailable: Int, load1: Double) {
        var total = 0, available = 0, load = 0.0
        var n = read("/proc/meminfo")
        if n > 0 {
            total = (field("MemTotal:", n) ?? 0) * 1024
            available = (field("MemAvailable:", n) ?? 0) * 1024
        }
        n = read("/proc/loadavg")
        if n > 0 {
            load = buffer.withUnsafeBufferPointer { b in
                var end = 0
                while end < n, b[end] != 0x20 { end += 1 }
                return Double(String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self)) ?? 0
            }
        }
        return (total, available, load)
    }

    /// The cores online.
    package static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// This process's cgroup limits: v2 (`memory.max`, `cpu.max`) or v1 (`memory.limit_in_bytes`,
    /// `cpu.cfs_quota_us`/`cpu.cfs_period_us`). A memory limit at or above the host's memory is no limit.
    package mutating func limits(hostMemory: Int, cgroupRoot: String = "/sys/fs/cgroup",
                                 cgroupFile: String = "/proc/self/cgroup") -> Limits {
        var limits = Limits()
        let n = read(cgroupFile)
        guard n > 0 else { return limits }
        let membership = buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[0..<n]), as: UTF8.self) }
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let controllers = parts[1].split(separator: ",")
            let path = parts[2] == "/" ? "" : String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                // cgroup v2
                let dir = cgroupRoot + path
                if let max = number(dir + "/memory.max") {
                    limits.memoryMax = max
                    limits.memoryCurrentPath = dir + "/memory.current"
                }
                let words = text(of: dir + "/cpu.max").split(separator: " ")
                if words.count == 2, let quota = Double(words[0]), let period = Double(words[1]), period > 0 {
                    limits.cpuCores = quota / period
                }
            } else if controllers.contains("memory") {
                let dir = cgroupRoot + "/memory" + path
                if let max = number(dir + "/memory.limit_in_bytes") {
                    limits.memoryMax = max
                    limits.memoryCurrentPath = dir + "/memory.usage_in_bytes"
                }
            } else if controllers.contains("cpu") {
                let dir = cgroupRoot + "/" + controllers.joined(separator: ",") + path
                if let quota = number(dir + "/cpu.cfs_quota_us"), let period = number(dir + "/cpu.cfs_period_us"),
                   quota > 0, period > 0 {
                    limits.cpuCores = Double(quota) / Double(period)
                }
            }
        }
        if let max = limits.memoryMax, hostMemory > 0, max >= hostMemory {
            limits.memoryMax = nil
            limits.memoryCurrentPath = nil
        }
        return limits
    }

    /// A file holding one integer (`nil` for `max`, `-1`, a missing file or anything else).
    package mutating func number(_ path: String) -> Int? {
        let t = text(of: path)
        guard let v = Int(t), v >= 0 else { return nil }
        return v
    }

    private mutating func text(of path: String) -> String {
        let n = read(path)
        guard n > 0 else { return "" }
        return buffer.withUnsafeBufferPointer { b in
            var end = n
            while end > 0, b[end - 1] == 0x0A || b[end - 1] == 0x20 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self)
        }
    }

    /// The number after `name` in the first `n` bytes of the buffer (`name: 123 kB` lines).
    private func field(_ name: StaticString, _ n: Int) -> Int? {
        buffer.withUnsafeBufferPointer { b -> Int? in
            let key = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            var i = 0
            while i + key.count <= n {
                let atLineStart = i == 0 || b[i - 1] == 0x0A
                if atLineStart, memcmp(b.baseAddress! + i, key.baseAddress!, key.count) == 0 {
                    var j = i + key.count, value = 0, digits = 0
                    while j < n, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                    while j < n, b[j] >= 0x30, b[j] <= 0x39, digits < 19 {
                        value = value * 10 + Int(b[j] - 0x30)
                        j += 1
                        digits += 1
                    }
                    return digits > 0 ? value : nil
                }
                while i < n, b[i] != 0x0A { i += 1 }
                i += 1
            }
            return nil
        }
    }

    /// Entries of a directory other than `.` and `..` (0 when it cannot be read).
    private func countEntries(_ path: String) -> Int {
        #if os(Linux)
        guard let dir = opendir(path) else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let dot = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw[0] == 0x2E && (raw[1] == 0 || (raw[1] == 0x2E && raw[2] == 0))
            }
            if !dot { count += 1 }
        }
        return count
        #else
        return 0
        #endif
    }

    /// Reads up to the buffer's size of a file into the buffer; the byte count, 0 when it cannot be read.
    private mutating func read(_ path: String) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        return buffer.withUnsafeMutableBytes { raw -> Int in
            var total = 0
            while total < raw.count {
                let n = systemRead(fd, raw.baseAddress! + total, raw.count - total)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                total += n
            }
            return total
        }
    }
}
