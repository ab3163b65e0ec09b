/// The built-in themes, embedded so `show` and `run` find them from any directory.
///
/// The files in `themes/` are the source of truth; a test checks these copies are identical.
/// Regenerate with `scripts/embed-themes.sh`.
enum BuiltinThemes {
    /// Theme file text by name (without the final newline).
    static let sources: [String: String] = [
        "dark": #"""
# dark: the default theme, for dark terminal backgrounds.
#
# One line per key:   key = colour [on colour] [bold] [dim] [underline] [reverse] [| colour [on colour]]
# A colour is #RRGGBB, a 256-colour palette index (0-255), a basic name (black, red, green, yellow, blue,
# magenta, cyan, white, bright-black ... bright-white) or "default" (the terminal's own colour).
# After "|" comes the 16-colour fallback (basic names only); without it the nearest basic colour is used.
# Keys left out look like "normal". Lines starting with # are comments.

normal       = default
muted        = #8a8a8a                 | bright-black
title        = #d0d0d0 bold            | white
border       = #4e4e4e                 | bright-black
focus        = #5fafff bold            | bright-blue
accent       = #ffaf5f bold            | yellow
key.hint     = #87d7ff bold            | cyan
info         = #5fafd7                 | blue
warning      = #ffd75f                 | yellow
success      = #87d787                 | green
danger       = #ff5f5f bold            | bright-red
dev          = #af87d7                 | magenta
bar.done     = #5fafff                 | blue
bar.todo     = #3a3a3a                 | bright-black
table.header = #bcbcbc bold underline  | white
chart        = #87d7af                 | cyan
highlight    = #1c1c1c on #ffd75f bold | black on yellow
selection    = default on #303a4a      | default on blue
"""#,
        "light": #"""
# light: for light terminal backgrounds (dark text, deeper colours).
#
# Format: see dark.theme.

normal       = default
muted        = #6c6c6c                 | bright-black
title        = #1c1c1c bold            | black
border       = #b2b2b2                 | white
focus        = #005fd7 bold            | blue
accent       = #af5f00 bold            | red
key.hint     = #005f87 bold            | blue
info         = #005faf                 | blue
warning      = #875f00                 | yellow
success      = #008700                 | green
danger       = #d70000 bold            | red
dev          = #8700af                 | magenta
bar.done     = #0087d7                 | blue
bar.todo     = #d0d0d0                 | white
table.header = #303030 bold underline  | black
chart        = #008787                 | cyan
highlight    = #000000 on #ffd700 bold | black on yellow
selection    = default on #d7e7ff      | default on cyan
"""#,
        "high-contrast": #"""
# high-contrast: pure colours and bold text for low vision and washed-out screens.
#
# Format: see dark.theme.

normal       = bright-white
muted        = white
title        = bright-white bold
border       = bright-white
focus        = bright-yellow bold underline
accent       = bright-yellow bold
key.hint     = bright-cyan bold
info         = bright-cyan bold
warning      = bright-yellow bold
success      = bright-green bold
danger       = bright-red bold
dev          = bright-magenta bold
bar.done     = bright-green
bar.todo     = white
table.header = bright-white bold underline
chart        = bright-cyan
highlight    = black on bright-yellow bold
selection    = black on bright-white
"""#,
        "monochrome": #"""
# monochrome: no colours at all, only attributes (used for NO_COLOR).
#
# Format: see dark.theme.

normal       = default
muted        = default dim
title        = default bold
border       = default dim
focus        = default bold
accent       = default bold
key.hint     = default bold
info         = default
warning      = default bold
success      = default
danger       = default bold underline
dev          = default dim
bar.done     = default
bar.todo     = default dim
table.header = default bold underline
chart        = default
highlight    = default reverse
selection    = default reverse
"""#,
    ]
}
