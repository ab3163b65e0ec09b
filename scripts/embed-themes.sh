#!/bin/sh
# Regenerates Sources/SynapseDashboard/Theme/BuiltinThemes.swift from the files in themes/ (the source of
# truth). Run after editing a theme; ThemeTests fails when the embedded copies differ from the files.
set -eu
cd "$(dirname "$0")/.."
out=Sources/SynapseDashboard/Theme/BuiltinThemes.swift
{
    echo '/// The built-in themes, embedded so `show` and `run` find them from any directory.'
    echo '///'
    echo '/// The files in `themes/` are the source of truth; a test checks these copies are identical.'
    echo '/// Regenerate with `scripts/embed-themes.sh`.'
    echo 'enum BuiltinThemes {'
    echo '    /// Theme file text by name (without the final newline).'
    echo '    static let sources: [String: String] = ['
    for name in dark light high-contrast monochrome; do  # keep in sync with Theme.builtinNames
        echo "        \"$name\": #\"\"\""
        cat "themes/$name.theme"
        echo '"""#,'
    done
    echo '    ]'
    echo '}'
} > "$out"
echo "wrote $out"
