/* screen.c: curses set-up and tear-down, colour pairs per role, size; the
 * crash signals' handler that gives the terminal back before the process
 * dies. */
#include "tui/screen.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/xalloc.h"

static bool screen_active;
static bool screen_colour;
static bool screen_is_utf8;
static int screen_attrs[THEME_ROLE_COUNT];

bool screen_utf8(void) {
    return screen_is_utf8;
}

bool screen_has_colours(void) {
    return screen_colour;
}

/* --- crash signals ---------------------------------------------------------
 * q, Ctrl-C, SIGTERM and SIGHUP end the main loop and go through
 * screen_end(). A crash signal cannot: its handler may only make
 * async-signal-safe calls, so everything it needs is prepared while curses
 * starts: the terminal's modes from before curses (termios) and the bytes
 * that leave curses' modes (from terminfo). The handler writes those bytes,
 * puts the modes back, restores the signal's previous action (the default,
 * or a sanitizer's handler that then reports) and raises the signal again,
 * so the exit status and the core dump stay. */

static const int screen_crash_signals[] = {SIGSEGV, SIGABRT, SIGQUIT, SIGBUS, SIGFPE, SIGILL};
#define SCREEN_CRASH_SIGNAL_COUNT (sizeof screen_crash_signals / sizeof screen_crash_signals[0])

static int screen_tty_fd = -1;
static struct termios screen_tty_modes;
static struct sigaction screen_crash_previous[SCREEN_CRASH_SIGNAL_COUNT];
static bool screen_crash_installed[SCREEN_CRASH_SIGNAL_COUNT];
static char screen_restore_bytes[512];
static size_t screen_restore_length;

/* Appends BYTES, without terminfo's padding ("$<5>": no terminal that
 * needs a delay here is worth a dependency on term.h's macros). */
static void screen_restore_append(const char *bytes) {
    for (const char *p = bytes; *p; p++) {
        if (p[0] == '$' && p[1] == '<' && strchr(p, '>')) {
            p = strchr(p, '>');
            continue;
        }
        if (screen_restore_length < sizeof screen_restore_bytes)
            screen_restore_bytes[screen_restore_length++] = *p;
    }
}

/* Appends terminfo's capability NAME, or FALLBACK when the terminal has none
 * (FALLBACK NULL: nothing). */
static void screen_restore_add(const char *name, const char *fallback) {
    char *cap = tigetstr(name);
    const char *bytes = cap && cap != (char *)-1 ? cap : fallback;
    if (bytes)
        screen_restore_append(bytes);
}

static void screen_on_crash(int sig) {
    int saved_errno = errno;
    if (screen_tty_fd >= 0) {
        const char *p = screen_restore_bytes;
        size_t left = screen_restore_length;
        while (left > 0) {
            ssize_t n = write(screen_tty_fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            p += n;
            left -= (size_t)n;
        }
        tcsetattr(screen_tty_fd, TCSANOW, &screen_tty_modes);
    }
    /* SA_RESETHAND has put back SIG_DFL; a previous handler of its own (a
     * sanitizer's) gets the signal instead. SA_NODEFER: raise() delivers it
     * now. */
    for (size_t i = 0; i < SCREEN_CRASH_SIGNAL_COUNT; i++) {
        const struct sigaction *old = &screen_crash_previous[i];
        bool own_handler = (old->sa_flags & SA_SIGINFO) ||
                           (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN);
        if (screen_crash_signals[i] == sig && own_handler)
            sigaction(sig, old, NULL);
    }
    raise(sig);
    errno = saved_errno;
}

/* Before initscr: the terminal's modes as the shell left them. */
static void screen_crash_save_modes(void) {
    int fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO : isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
    if (fd >= 0 && tcgetattr(fd, &screen_tty_modes) == 0)
        screen_tty_fd = fd;
}

/* After initscr: the bytes that undo curses, then the handlers. */
static void screen_crash_install(void) {
    screen_restore_length = 0;
    screen_restore_add("sgr0", "\033[0m");
    /* every mouse mode ncurses may have set (XM varies by terminfo) */
    screen_restore_append("\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
    screen_restore_add("rmkx", NULL);
    screen_restore_add("cnorm", "\033[?25h");
    screen_restore_add("rmcup", "\033[?1049l");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = screen_on_crash;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < SCREEN_CRASH_SIGNAL_COUNT; i++) {
        int sig = screen_crash_signals[i];
        struct sigaction *old = &screen_crash_previous[i];
        screen_crash_installed[i] = false;
        if (sigaction(sig, NULL, old) != 0)
            continue;
        /* a SIGQUIT the shell set to be ignored (a background job) stays so */
        if (sig == SIGQUIT && !(old->sa_flags & SA_SIGINFO) && old->sa_handler == SIG_IGN)
            continue;
        screen_crash_installed[i] = sigaction(sig, &sa, NULL) == 0;
    }
}

/* After endwin: the actions from before screen_init. */
static void screen_crash_uninstall(void) {
    for (size_t i = 0; i < SCREEN_CRASH_SIGNAL_COUNT; i++) {
        if (screen_crash_installed[i])
            sigaction(screen_crash_signals[i], &screen_crash_previous[i], NULL);
        screen_crash_installed[i] = false;
    }
}

void screen_end(void) {
    if (!screen_active)
        return;
    screen_active = false;
    mousemask(0, NULL);
    curs_set(1);
    endwin();
    screen_crash_uninstall();
}

void screen_init(void) {
    /* The locale is set by main() before any thread starts: setlocale() is
     * not safe while another thread creates locales (json-c does). */
    const char *codeset = nl_langinfo(CODESET);
    screen_is_utf8 = codeset && strcmp(codeset, "UTF-8") == 0;
    /* Esc must answer at once, not after ncurses' default 1 s. */
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    screen_crash_save_modes();
    if (!initscr())
        xfatal("cannot start the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
    screen_active = true;
    screen_crash_install();
    xalloc_set_fatal_hook(screen_end);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    const char *no_colour = getenv("NO_COLOR");
    screen_colour = has_colors() && !(no_colour && *no_colour);
    if (screen_colour) {
        start_color();
        use_default_colors();
    }
}

void screen_set_mouse(bool enabled) {
    mousemask(enabled
                  ? (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED)
                  : 0,
              NULL);
}

static int screen_style_attrs(const theme_style *s) {
    int a = A_NORMAL;
    if (s->attrs & THEME_BOLD)
        a |= A_BOLD;
    if (s->attrs & THEME_DIM)
        a |= A_DIM;
    if (s->attrs & THEME_REVERSE)
        a |= A_REVERSE;
    if (s->attrs & THEME_UNDERLINE)
        a |= A_UNDERLINE;
    return a;
}

void screen_apply_theme(const theme *t) {
    bool colour = screen_colour && !t->monochrome;
    theme mono;
    theme_mono(&mono);
    for (int i = 0; i < THEME_ROLE_COUNT; i++) {
        if (!colour) {
            /* A colour theme on a colourless terminal: mono's attributes. */
            const theme_style *s = t->monochrome ? &t->styles[i] : &mono.styles[i];
            screen_attrs[i] = screen_style_attrs(s);
            continue;
        }
        const theme_style *s = &t->styles[i];
        short fg = s->fg, bg = s->bg;
        if (fg >= COLORS)
            fg = fg == 8 ? -1 : (short)(fg % 8); /* grey on 8 colours: default */
        if (bg >= COLORS)
            bg = (short)(bg % 8);
        init_pair((short)(i + 1), fg, bg);
        screen_attrs[i] = COLOR_PAIR(i + 1) | screen_style_attrs(s);
    }
}

int screen_attr(theme_role role) {
    return screen_attrs[role];
}

void screen_size(int *rows, int *cols) {
    getmaxyx(stdscr, *rows, *cols);
}

bool screen_fits(int *rows, int *cols) {
    screen_size(rows, cols);
    if (*rows >= SCREEN_MIN_ROWS && *cols >= SCREEN_MIN_COLS)
        return true;
    erase();
    const char *lines[] = {"Terminal too small", NULL};
    char need[64];
    snprintf(need, sizeof need, "%dx%d, need %dx%d", *cols, *rows, SCREEN_MIN_COLS,
             SCREEN_MIN_ROWS);
    lines[1] = need;
    for (int i = 0; i < 2; i++) {
        int len = (int)strlen(lines[i]);
        int y = *rows / 2 - 1 + i, x = (*cols - len) / 2;
        if (y >= 0 && y < *rows)
            mvaddnstr(y, x < 0 ? 0 : x, lines[i], *cols);
    }
    return false;
}
