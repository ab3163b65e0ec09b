import SynapsePlugins

extension Theme {
    /// The themes shipped in `themes/`, in the order `t` cycles through them.
    package static let builtinNames = ["dark", "light", "high-contrast", "monochrome"]

    /// The built-in theme after `name` (the first one when `name` is not built in).
    package static func nextBuiltinName(after name: String) -> String {
        guard let i = builtinNames.firstIndex(of: name) else { return builtinNames[0] }
        return builtinNames[(i + 1) % builtinNames.count]
    }
}
