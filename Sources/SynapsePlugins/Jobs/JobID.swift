import Foundation

/// Job ids: a new one per run, and the rules an id must follow before it names a folder.
public enum JobID {
    /// The longest id accepted.
    public static let maxLength = 128

    /// A new job id: a lowercase UUID, as the Python SDK's backend jobs have.
    public static func generate() -> String {
        UUID().uuidString.lowercased()
    }

    /// Checks that `id` can safely name a folder under `jobs/`: 1 to 128 characters of `A-Z a-z 0-9 . _ -`,
    /// not starting with `.` (so never `.`, `..` or a hidden folder) and not containing `..`.
    /// Path separators, NUL, spaces and every other character are refused.
    public static func validate(_ id: String) throws(JobStoreError) {
        guard !id.isEmpty else { throw JobStoreError.unsafeID(id, reason: "it is empty") }
        guard id.utf8.count <= maxLength else {
            throw JobStoreError.unsafeID(id, reason: "it is longer than \(maxLength) characters")
        }
        for byte in id.utf8 {
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            guard ok else {
                let what = byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") ? "a path separator" : "a character other than A-Z a-z 0-9 . _ -"
                throw JobStoreError.unsafeID(id, reason: "it contains \(what)")
            }
        }
        guard !id.hasPrefix(".") else { throw JobStoreError.unsafeID(id, reason: "it starts with '.'") }
        guard !id.contains("..") else { throw JobStoreError.unsafeID(id, reason: "it contains '..'") }
    }

    /// Whether `id` passes ``validate(_:)``.
    public static func isValid(_ id: String) -> Bool {
        (try? validate(id)) != nil
    }
}
