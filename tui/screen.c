/* screen.c: curses set-up and tear-down, colour pairs per role, size. */
#include "tui/screen.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void screen_end(void) {
    if (!screen_active)
        return;
    screen_active = false;
    mousemask(0, NULL);
    curs_set(1);
    endwin();
}

void screen_init(void) {
    /* The locale is set by main() before any thread starts: setlocale() is
     * not safe while another thread creates locales (json-c does). */
    const char *codeset = nl_langinfo(CODESET);
    screen_is_utf8 = codeset && strcmp(codeset, "UTF-8") == 0;
    /* Esc must answer at once, not after ncurses' default 1 s. */
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (!initscr())
        xfatal("cannot start the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
    screen_active = true;
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
