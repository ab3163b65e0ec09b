import Foundation

/// The command line, parsed once.
enum Options {
    static let all: [String] = Array(CommandLine.arguments.dropFirst())
    static var command: String { all.first ?? "run" }
    static var rest: [String] { Array(all.dropFirst()) }
    static let seed: UInt64 = UInt64(option("--seed", "20261125")) ?? 20261125
}

func option(_ name: String, _ fallback: String) -> String {
    let a = Options.all
    if let i = a.firstIndex(of: name), i + 1 < a.count { return a[i + 1] }
    return fallback
}

func flag(_ name: String) -> Bool { Options.all.contains(name) }

/// Report lines go to stdout unbuffered; progress notes go to stderr.
func out(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
