/* theme.c: theme files: parsing role = colour lines into styles. */
#include "tui/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/xalloc.h"

static const char *const theme_names[] = {
#define THEME_NAME(role, name, fg, bg, attrs) name,
    THEME_ROLES(THEME_NAME)
#undef THEME_NAME
};

static const theme_style theme_defaults[] = {
#define THEME_STYLE(role, name, fg, bg, attrs) {fg, bg, attrs},
    THEME_ROLES(THEME_STYLE)
#undef THEME_STYLE
};

const char *theme_role_name(theme_role role) {
    return role < THEME_ROLE_COUNT ? theme_names[role] : "?";
}

void theme_default(theme *t) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "dark");
    memcpy(t->styles, theme_defaults, sizeof t->styles);
}

void theme_mono(theme *t) {
    theme_default(t);
    snprintf(t->name, sizeof t->name, "mono");
    t->monochrome = true;
    for (int i = 0; i < THEME_ROLE_COUNT; i++)
        t->styles[i] = (theme_style){-1, -1, 0};
    t->styles[ROLE_TITLE].attrs = THEME_REVERSE | THEME_BOLD;
    /* The header is underlined, the selection reversed: a selection on the
     * first row must not look like the header above it. */
    t->styles[ROLE_HEADER].attrs = THEME_BOLD | THEME_UNDERLINE;
    t->styles[ROLE_HEADER_SORTED].attrs = THEME_REVERSE | THEME_BOLD | THEME_UNDERLINE;
    t->styles[ROLE_SELECTED].attrs = THEME_REVERSE;
    t->styles[ROLE_STATUS].attrs = THEME_REVERSE;
    t->styles[ROLE_STATUS_ERROR].attrs = THEME_REVERSE | THEME_BOLD;
    t->styles[ROLE_NAME].attrs = THEME_BOLD;
    t->styles[ROLE_DIM].attrs = THEME_DIM;
    t->styles[ROLE_STALE_WARN].attrs = THEME_BOLD;
    t->styles[ROLE_STALE_CRIT].attrs = THEME_BOLD | THEME_UNDERLINE;
    t->styles[ROLE_ERROR].attrs = THEME_BOLD | THEME_UNDERLINE;
    t->styles[ROLE_LABEL].attrs = THEME_BOLD;
    t->styles[ROLE_KEY].attrs = THEME_BOLD;
    t->styles[ROLE_FILTER].attrs = THEME_REVERSE;
}

static bool theme_parse_colour(const char *word, short *out) {
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    if (strcmp(word, "default") == 0) {
        *out = -1;
        return true;
    }
    for (short i = 0; i < 8; i++) {
        if (strcmp(word, names[i]) == 0) {
            *out = i;
            return true;
        }
        if (strncmp(word, "bright", 6) == 0 && strcmp(word + 6, names[i]) == 0) {
            *out = (short)(i + 8);
            return true;
        }
    }
    if (strcmp(word, "grey") == 0 || strcmp(word, "gray") == 0) {
        *out = 8;
        return true;
    }
    char *end;
    long n = strtol(word, &end, 10);
    if (*word && !*end && n >= 0 && n <= 255) {
        *out = (short)n;
        return true;
    }
    return false;
}

static bool theme_parse_attr(const char *word, int *attrs) {
    static const struct {
        const char *name;
        int flag;
    } table[] = {{"bold", THEME_BOLD},
                 {"dim", THEME_DIM},
                 {"reverse", THEME_REVERSE},
                 {"underline", THEME_UNDERLINE}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(word, table[i].name) == 0) {
            *attrs |= table[i].flag;
            return true;
        }
    }
    return false;
}

static char *theme_trim(char *s) {
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Parses "FG [on BG] [attr...]" into a style. */
static bool theme_parse_style(char *value, theme_style *style, char **why) {
    theme_style st = {-1, -1, 0};
    int colours = 0;
    bool want_bg = false;
    for (char *word = strtok(value, " \t"); word; word = strtok(NULL, " \t")) {
        short c;
        if (strcmp(word, "on") == 0) {
            if (want_bg || colours != 1) {
                *why = xstrdup("\"on\" must follow a foreground colour");
                return false;
            }
            want_bg = true;
        } else if (theme_parse_attr(word, &st.attrs)) {
            continue;
        } else if (theme_parse_colour(word, &c)) {
            if (want_bg) {
                st.bg = c;
                want_bg = false;
                colours = 2;
            } else if (colours == 0) {
                st.fg = c;
                colours = 1;
            } else {
                *why = xasprintf("unexpected colour \"%s\" (write FG on BG)", word);
                return false;
            }
        } else {
            *why = xasprintf("unknown colour or attribute \"%s\"", word);
            return false;
        }
    }
    if (want_bg) {
        *why = xstrdup("missing background colour after \"on\"");
        return false;
    }
    *style = st;
    return true;
}

bool theme_parse(const char *text, const char *name, theme *t, char **error) {
    char *copy = xstrdup(text);
    int lineno = 0;
    bool ok = true;
    snprintf(t->name, sizeof t->name, "%s", name);
    /* Walk lines by hand: strtok_r would skip empty lines and miscount. */
    char *line = copy;
    while (line && ok) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = theme_trim(line);
        if (*s) {
            char *eq = strchr(s, '=');
            if (!eq) {
                *error = xasprintf("line %d: expected \"role = colour\"", lineno);
                ok = false;
                break;
            }
            *eq = '\0';
            char *key = theme_trim(s), *value = theme_trim(eq + 1);
            if (strcmp(key, "monochrome") == 0) {
                if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0) {
                    t->monochrome = strcmp(value, "true") == 0;
                } else {
                    *error = xasprintf("line %d: monochrome is true or false", lineno);
                    ok = false;
                }
            } else {
                int role = -1;
                for (int i = 0; i < THEME_ROLE_COUNT; i++)
                    if (strcmp(key, theme_names[i]) == 0)
                        role = i;
                char *why = NULL;
                if (role < 0) {
                    *error = xasprintf("line %d: unknown colour role \"%s\"", lineno, key);
                    ok = false;
                } else if (!theme_parse_style(value, &t->styles[role], &why)) {
                    *error = xasprintf("line %d: %s: %s", lineno, key, why);
                    free(why);
                    ok = false;
                }
            }
        }
        line = next;
    }
    free(copy);
    return ok;
}

/* A colour as an 8-colour terminal shows it (bright ones lose their
 * brightness there): two styles alike on such a terminal are alike. */
static short theme_colour_8(short c) {
    return c >= 8 && c < 16 ? (short)(c - 8) : c;
}

bool theme_styles_alike(const theme_style *a, const theme_style *b, bool monochrome) {
    /* bold changes only the letters, not the bar a row is drawn as */
    int attrs_a = a->attrs & ~THEME_BOLD, attrs_b = b->attrs & ~THEME_BOLD;
    if (attrs_a != attrs_b)
        return false;
    if (monochrome)
        return true;
    return theme_colour_8(a->fg) == theme_colour_8(b->fg) &&
           theme_colour_8(a->bg) == theme_colour_8(b->bg);
}

char *theme_check(const theme *t) {
    static const theme_role headers[] = {ROLE_HEADER, ROLE_HEADER_SORTED};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        if (theme_styles_alike(&t->styles[ROLE_SELECTED], &t->styles[headers[i]], t->monochrome))
            return xasprintf("selected looks like %s (at most bold tells them apart): a "
                             "selection on the first row could not be seen; give them different "
                             "colours or attributes",
                             theme_names[headers[i]]);
    }
    return NULL;
}

bool theme_load(const char *themes_dir, const char *name, theme *t, char **error) {
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
            *error = xasprintf("bad theme name \"%s\"", name);
            return false;
        }
    }
    char *file = xasprintf("%s.theme", name);
    char *path = themes_dir ? fs_join(themes_dir, file) : NULL;
    free(file);
    char *read_error = NULL;
    char *text = path ? fs_read_file(path, NULL, &read_error) : NULL;
    bool ok;
    if (!text) {
        if (strcmp(name, "mono") == 0) {
            theme_mono(t);
            ok = true;
        } else if (strcmp(name, "dark") == 0) {
            theme_default(t);
            ok = true;
        } else {
            *error = read_error ? xasprintf("theme \"%s\": %s", name, read_error)
                                : xasprintf("theme \"%s\" not found", name);
            ok = false;
        }
        free(read_error);
        free(path);
        return ok;
    }
    if (strcmp(name, "mono") == 0)
        theme_mono(t);
    else
        theme_default(t);
    char *parse_error = NULL;
    ok = theme_parse(text, name, t, &parse_error);
    if (ok && (parse_error = theme_check(t)) != NULL)
        ok = false;
    if (!ok) {
        *error = xasprintf("%s: %s", path, parse_error);
        free(parse_error);
    }
    free(text);
    free(path);
    return ok;
}

static int theme_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_list(const char *themes_dir) {
    size_t n = 0, cap = 0;
    char **names = NULL;
    DIR *d = themes_dir ? opendir(themes_dir) : NULL;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len > 6 && e->d_name[0] != '.' && strcmp(e->d_name + len - 6, ".theme") == 0) {
                names = xgrow(names, &cap, n + 1, sizeof *names);
                names[n++] = xstrndup(e->d_name, len - 6);
            }
        }
        closedir(d);
    }
    static const char *const builtin[] = {"dark", "mono"};
    for (size_t b = 0; b < 2; b++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found = found || strcmp(names[i], builtin[b]) == 0;
        if (!found) {
            names = xgrow(names, &cap, n + 1, sizeof *names);
            names[n++] = xstrdup(builtin[b]);
        }
    }
    qsort(names, n, sizeof *names, theme_cmp);
    names = xgrow(names, &cap, n + 1, sizeof *names);
    names[n] = NULL;
    return names;
}

void theme_list_free(char **names) {
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}
