import Foundation

/// A local folder shipped to the cluster as the job's `working_dir`, the way `ray job submit --working-dir`
/// does: zipped (entries at the top level, stored uncompressed), uploaded once to
/// `PUT /api/packages/gcs/_ray_pkg_<hash>.zip` (content-addressed: an existing package is not sent again),
/// and named in the runtime env as `gcs://_ray_pkg_<hash>.zip`.
package enum RayPackage {
    /// Folders never shipped (caches, VCS data, virtual environments).
    static let skippedNames: Set<String> = [".git", "__pycache__", ".pytest_cache", ".mypy_cache", "node_modules",
                                            ".build", ".DS_Store"]
    /// Ray refuses packages over 500 MiB; a plugin folder that big is a mistake.
    package static let maxBytes = 100 << 20

    /// The zip of `directory`'s contents, with its content hash.
    package static func zip(directory: String) throws(RayError) -> (bytes: [UInt8], hash: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RayError.invalidArgument("not a folder: \(directory)")
        }
        var files: [(path: String, data: [UInt8], mode: UInt16)] = []
        var total = 0
        func walk(_ relative: String) throws(RayError) {
            let full = relative.isEmpty ? directory : directory + "/" + relative
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: full).sorted() } catch {
                throw RayError.invalidArgument("cannot read \(full): \(error.localizedDescription)")
            }
            for name in names where !skippedNames.contains(name) && !name.hasPrefix(".venv") && !name.hasSuffix(".pyc") {
                let child = relative.isEmpty ? name : relative + "/" + name
                let childFull = directory + "/" + child
                var childIsDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: childFull, isDirectory: &childIsDirectory) else { continue }
                if childIsDirectory.boolValue {
                    try walk(child)
                } else {
                    guard let data = FileManager.default.contents(atPath: childFull) else {
                        throw RayError.invalidArgument("cannot read \(childFull)")
                    }
                    total += data.count
                    if total > maxBytes {
                        throw RayError.invalidArgument("\(directory) holds over \(maxBytes >> 20) MiB: too big to ship as a Ray working_dir")
                    }
                    let executable = FileManager.default.isExecutableFile(atPath: childFull)
                    files.append((child, Array(data), executable ? 0o755 : 0o644))
                }
            }
        }
        try walk("")
        let bytes = ZipWriter.stored(files)
        let hash = SHA1.hash(bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
        return (bytes, hash)
    }
}

extension RayJobsClient {
    /// Ships `directory` as a working_dir package (unless the cluster has it already); returns its URI for
    /// `runtime_env.working_dir`.
    package func uploadWorkingDir(_ directory: String) async throws(RayError) -> String {
        let (bytes, hash) = try RayPackage.zip(directory: directory)
        let name = "_ray_pkg_\(hash).zip"
        let path = "/api/packages/gcs/\(name)"
        do {
            _ = try await send("GET", path, body: nil, jobID: nil)
        } catch {
            guard case .http(404, _, _) = error else { throw error }
            _ = try await send("PUT", path, rawBody: bytes, contentType: "application/zip")
        }
        return "gcs://\(name)"
    }
}

/// The smallest zip writer that Python's `zipfile` reads: stored (uncompressed) entries, CRC-32, Unix modes.
enum ZipWriter {
    static func stored(_ files: [(path: String, data: [UInt8], mode: UInt16)]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ buffer: inout [UInt8]) { buffer += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ buffer: inout [UInt8]) {
            buffer += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
        }
        for file in files {
            let name = Array(file.path.utf8)
            let crc = CRC32.checksum(file.data)
            let offset = UInt32(out.count)
            // Local file header.
            u32(0x0403_4B50, &out); u16(20, &out); u16(0x0800, &out); u16(0, &out)  // version, UTF-8 names, stored
            u16(0, &out); u16(0x21, &out)  // time 00:00, date 1980-01-01
            u32(crc, &out); u32(UInt32(file.data.count), &out); u32(UInt32(file.data.count), &out)
            u16(name.count, &out); u16(0, &out)
            out += name
            out += file.data
            // Central directory entry.
            u32(0x0201_4B50, &central); u16(0x0314, &central); u16(20, &central); u16(0x0800, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central)
            u32(crc, &central); u32(UInt32(file.data.count), &central); u32(UInt32(file.data.count), &central)
            u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(UInt32(0o100000 | UInt32(file.mode)) << 16, &central)
            u32(offset, &central)
            central += name
        }
        let centralOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out)
        u16(files.count, &out); u16(files.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
