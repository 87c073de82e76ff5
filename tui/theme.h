/* theme.h: colour roles, defined once, and theme files mapping roles to
 * colours and attributes.
 *
 * A theme file has one line per role:   role = FG [on BG] [bold] [dim]
 * [reverse] [underline]   where colours are default, black, red, green,
 * yellow, blue, magenta, cyan, white, bright<colour> or 0-255. '#' starts a
 * comment. Roles not named keep the built-in defaults (the dark scheme). */
#ifndef LAKETOP_THEME_H
#define LAKETOP_THEME_H

#include <stdbool.h>

/* X(ROLE, "name", fg, bg, attrs) with the dark scheme's defaults. Colours
 * use -1 for the terminal default; attrs are THEME_* flags. */
#define THEME_ROLES(X)                                                    \
    X(NORMAL, "normal", -1, -1, 0)                                        \
    X(TITLE, "title", 0, 6, THEME_BOLD)                                   \
    X(HEADER, "header", 0, 2, 0)                                          \
    X(HEADER_SORTED, "header_sorted", 0, 2, THEME_BOLD | THEME_UNDERLINE) \
    X(SELECTED, "selected", 0, 6, 0)                                      \
    X(STATUS, "status", 0, 6, 0)                                          \
    X(STATUS_ERROR, "status_error", 15, 1, THEME_BOLD)                    \
    X(NAME, "name", -1, -1, THEME_BOLD)                                   \
    X(SIZE, "size", 6, -1, 0)                                             \
    X(COUNT, "count", -1, -1, 0)                                          \
    X(DIM, "dim", 8, -1, 0)                                               \
    X(FRESH, "fresh", 2, -1, 0)                                           \
    X(STALE_WARN, "stale_warn", 3, -1, THEME_BOLD)                        \
    X(STALE_CRIT, "stale_crit", 1, -1, THEME_BOLD)                        \
    X(ERROR, "error", 1, -1, THEME_BOLD)                                  \
    X(SPARKLINE, "sparkline", 4, -1, 0)                                   \
    X(GROWTH_UP, "growth_up", 2, -1, 0)                                   \
    X(GROWTH_DOWN, "growth_down", 5, -1, 0)                               \
    X(CHART, "chart", 4, -1, 0)                                           \
    X(LABEL, "label", 6, -1, THEME_BOLD)                                  \
    X(KEY, "key", 3, -1, THEME_BOLD)                                      \
    X(FILTER, "filter", 0, 3, 0)

#define THEME_BOLD 1
#define THEME_DIM 2
#define THEME_REVERSE 4
#define THEME_UNDERLINE 8

typedef enum theme_role {
#define THEME_ENUM(role, name, fg, bg, attrs) ROLE_##role,
    THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
        THEME_ROLE_COUNT
} theme_role;

typedef struct theme_style {
    short fg; /* -1 default, 0-255 */
    short bg;
    int attrs; /* THEME_* */
} theme_style;

typedef struct theme {
    char name[64];
    bool monochrome; /* "monochrome = true": colours ignored, attrs only */
    theme_style styles[THEME_ROLE_COUNT];
} theme;

/* The built-in dark scheme (defaults of THEME_ROLES). */
void theme_default(theme *t);
/* The built-in monochrome scheme: bold, dim and reverse only. */
void theme_mono(theme *t);
const char *theme_role_name(theme_role role);
/* Parses theme text over the defaults. False with *error ("line N: ...")
 * on the first line that makes no sense. */
bool theme_parse(const char *text, const char *name, theme *t, char **error);
/* Two styles that look the same as the bar of a row: the same attributes
 * (bold aside, it changes only letters) and, unless monochrome, the same
 * colours on an 8-colour terminal. */
bool theme_styles_alike(const theme_style *a, const theme_style *b, bool monochrome);
/* Why a theme cannot be used (malloc'd), or NULL: the selected row must not
 * look like the header or its sorted column, or a selection on the first
 * row is invisible. */
char *theme_check(const theme *t);
/* Loads THEMES_DIR/NAME.theme; "mono" falls back to the built-in scheme and
 * "dark" to the defaults when no file is found. A file that theme_check
 * refuses is an error ("PATH: selected looks like header ..."). */
bool theme_load(const char *themes_dir, const char *name, theme *t, char **error);
/* Theme names found in themes_dir (sorted, malloc'd, NULL-terminated). */
char **theme_list(const char *themes_dir);
void theme_list_free(char **names);

#endif
