#ifndef SYNAPSE_CNCURSES_SHIM_H
#define SYNAPSE_CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so ask for the wide-character API here,
// before curses.h, or get_wch / add_wch / setcchar are missing.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Function-like macros do not import into Swift: wrap the ones we need.
static inline int synapse_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int synapse_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t synapse_a_bold(void) { return A_BOLD; }
static inline attr_t synapse_a_dim(void) { return A_DIM; }
static inline attr_t synapse_a_reverse(void) { return A_REVERSE; }
static inline attr_t synapse_a_underline(void) { return A_UNDERLINE; }
static inline attr_t synapse_a_normal(void) { return A_NORMAL; }
static inline int synapse_color_pair(int n) { return COLOR_PAIR(n); }
// Globals Swift 6 refuses as shared mutable state; curses is only used from the UI thread.
static inline WINDOW *synapse_stdscr(void) { return stdscr; }
static inline int synapse_colors(void) { return COLORS; }
static inline int synapse_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *synapse_stdin(void) { return stdin; }
static inline FILE *synapse_stdout(void) { return stdout; }
// Mouse wheel masks are built by a function-like macro.
static inline mmask_t synapse_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t synapse_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t synapse_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
#endif
