/* screen.h: the terminal: curses start and end, colour roles turned into
 * curses attributes, UTF-8 detection, and the one place that knows the
 * terminal's size and whether it is too small. */
#ifndef LAKETOP_SCREEN_H
#define LAKETOP_SCREEN_H

#include <stdbool.h>

#include "tui/theme.h"

#define SCREEN_MIN_COLS 60
#define SCREEN_MIN_ROWS 12

/* Starts curses (the caller has called setlocale(LC_ALL, "") before starting
 * any thread: setlocale races with locale creation in other threads). Registers screen_end as the
 * fatal hook so that any fatal error restores the terminal before printing,
 * and handles the crash signals (SIGSEGV, SIGABRT, SIGQUIT, SIGBUS, SIGFPE,
 * SIGILL) until screen_end: the terminal's modes from before curses are put
 * back, the alternate screen left, the cursor shown and mouse tracking
 * turned off, then the signal is raised again (same exit status, core
 * dump). SIGINT, SIGTERM and SIGHUP are the main loop's (mainloop.h). */
void screen_init(void);
/* Ends curses (idempotent, safe from the fatal hook); gives the crash
 * signals back their previous actions. */
void screen_end(void);
/* Applies a theme; falls back to its attributes only when the terminal has
 * no colours or the theme is monochrome. */
void screen_apply_theme(const theme *t);
/* True when colours are available and not disabled by NO_COLOR. */
bool screen_has_colours(void);
/* The curses attribute for a role. */
int screen_attr(theme_role role);
/* True in a UTF-8 locale. */
bool screen_utf8(void);
/* The terminal's current size: every reader of the size asks here. */
void screen_size(int *rows, int *cols);
/* Current size; false (and a centred message drawn) when too small. */
bool screen_fits(int *rows, int *cols);
void screen_set_mouse(bool enabled);

#endif
