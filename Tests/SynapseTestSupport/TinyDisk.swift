import Foundation

/// A 64 KiB tmpfs mounted for one test (the disk-full tests of the runtime and of the CLI).
package struct TinyDisk {
    package let path: String

    package static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        guard let disk = try? TinyDisk() else { return false }
        disk.unmount()
        return true
    }()

    package init(size: String = "64k") throws {
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
    package func fill() throws {
        let fd = open(path + "/filler", O_WRONLY | O_CREAT, 0o600)
        defer { close(fd) }
        let block = [UInt8](repeating: 0x20, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) > 0 {}
    }

    package func free() { unlink(path + "/filler") }

    package func unmount() {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [path]
        try? umount.run()
        umount.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}
