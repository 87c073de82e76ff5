/* view_state.c: the state file of the columns chosen with F2 (see
 * view_state.h): its parser, its writer, its place, read and written. */
#include "app/view_state.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

#define VIEW_STATE_MAX_BYTES (256 * 1024) /* a few lines are expected */
#define VIEW_STATE_MAX_WARNINGS 20        /* said; the others only counted */

typedef struct view_state_parser {
    const char *file;
    size_t line;
    strbuf *warnings;
    size_t n_warnings;
} view_state_parser;

__attribute__((format(printf, 2, 3))) static void view_state_warn(view_state_parser *p,
                                                                  const char *fmt, ...) {
    if (++p->n_warnings > VIEW_STATE_MAX_WARNINGS || !p->warnings)
        return;
    strbuf_printf(p->warnings, "%s:%zu: ", p->file, p->line);
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    strbuf_puts(p->warnings, text);
    strbuf_putc(p->warnings, '\n');
    free(text);
}

/* `token` as it may be quoted in a warning: printable ASCII, cut at 32. */
static void view_state_quote(const char *token, char *out, size_t size) {
    size_t n = 0;
    for (const char *t = token; *t && n + 4 < size; t++, n++)
        out[n] = *t > 0x20 && *t < 0x7f ? *t : '?';
    if (token[n] && n + 4 >= size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* A column name as the state file writes it: [a-z0-9] words joined by '-'. */
static bool view_state_name_ok(const char *name) {
    if (!*name || *name == '-')
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return false;
    return true;
}

static int view_state_column(const view_ops *v, const view_layout *l, const char *name) {
    char own[64];
    for (size_t i = 0; i < l->n_columns; i++) {
        view_layout_column_name(&v->columns[i], own, sizeof own);
        if (strcmp(own, name) == 0)
            return (int)i;
    }
    return -1;
}

static int view_state_view(const char *name) {
    for (int id = 0; id < VIEW_COUNT; id++) {
        const char *own = view_layout_view_name((view_id)id);
        if (own && strcmp(own, name) == 0)
            return id;
    }
    return -1;
}

/* sort=COLUMN:asc|desc or sort=none; false when it cannot be read. */
static bool view_state_sort(view_state_parser *p, const char *view_name, const view_ops *v,
                            view_layout *l, const char *value) {
    if (strcmp(value, "none") == 0) {
        l->has_sort = true;
        l->sort_column = -1;
        l->sort_descending = false;
        return true;
    }
    const char *colon = strchr(value, ':');
    char name[64], quoted[40];
    if (!colon || (size_t)(colon - value) >= sizeof name ||
        (strcmp(colon + 1, "asc") != 0 && strcmp(colon + 1, "desc") != 0)) {
        view_state_quote(value, quoted, sizeof quoted);
        view_state_warn(p,
                        "sort=%s: want sort=COLUMN:asc, sort=COLUMN:desc or sort=none (the "
                        "line is ignored)",
                        quoted);
        return false;
    }
    memcpy(name, value, (size_t)(colon - value));
    name[colon - value] = '\0';
    int column = view_state_column(v, l, name);
    if (column < 0) {
        view_state_quote(name, quoted, sizeof quoted);
        view_state_warn(p, "view %s has no column \"%s\" to sort by (its own sort is kept)",
                        view_name, quoted);
        return true;
    }
    l->has_sort = true;
    l->sort_column = column;
    l->sort_descending = strcmp(colon + 1, "desc") == 0;
    return true;
}

/* One line's `n` words: its layout into `layouts`
 * when it can be read. `seen` is the line each view was given on. */
static void view_state_line(view_state_parser *p, char **tokens, size_t n, view_layout *layouts,
                            size_t *seen) {
    char quoted[40];
    int id = view_state_view(tokens[0]);
    if (id < 0) {
        view_state_quote(tokens[0], quoted, sizeof quoted);
        view_state_warn(p,
                        "unknown view \"%s\" (the line is ignored; the views: databases, "
                        "tables, crawlers, zones)",
                        quoted);
        return;
    }
    const char *view_name = tokens[0];
    if (seen[id]) {
        view_state_warn(p, "view %s was given on line %zu already (this line is ignored)",
                        view_name, seen[id]);
        return;
    }
    const view_ops *v = dashboard_view((view_id)id);
    view_layout l;
    view_layout_default(&l, (view_id)id);
    int listed[VIEW_LAYOUT_MAX_COLUMNS];
    bool used[VIEW_LAYOUT_MAX_COLUMNS] = {0};
    size_t n_listed = 0;
    bool sort_given = false;
    for (size_t t = 1; t < n; t++) {
        const char *token = tokens[t];
        if (strncmp(token, "sort=", 5) == 0) {
            if (sort_given) {
                view_state_warn(p, "sort= is given twice (the line is ignored)");
                return;
            }
            sort_given = true;
            if (!view_state_sort(p, view_name, v, &l, token + 5))
                return;
            continue;
        }
        bool hide = token[0] == '-';
        const char *name = token + hide;
        if (!view_state_name_ok(name)) {
            view_state_quote(token, quoted, sizeof quoted);
            view_state_warn(p, "\"%s\" is not a column name (the line is ignored)", quoted);
            return;
        }
        int column = view_state_column(v, &l, name);
        if (column < 0) {
            view_state_quote(name, quoted, sizeof quoted);
            view_state_warn(p, "view %s has no column \"%s\" (skipped)", view_name, quoted);
            continue;
        }
        if (used[column]) {
            view_state_warn(p, "column %s is listed twice (the line is ignored)", name);
            return;
        }
        used[column] = true;
        listed[n_listed++] = column;
        l.hidden[column] = hide;
    }
    if (l.hidden[0]) {
        view_state_warn(p, "the %s column is always shown (shown)", v->columns[0].title);
        l.hidden[0] = false;
    }
    /* the Name column first, then those listed, then the others */
    size_t at = 0;
    l.order[at++] = 0;
    for (size_t i = 0; i < n_listed; i++)
        if (listed[i] != 0)
            l.order[at++] = listed[i];
    for (size_t c = 1; c < l.n_columns; c++)
        if (!used[c])
            l.order[at++] = (int)c;
    layouts[id] = l;
    seen[id] = p->line;
}

size_t view_state_parse(const char *text, size_t length, const char *file, view_layout *layouts,
                        strbuf *warnings) {
    view_layout_defaults(layouts);
    view_state_parser p = {.file = file ? file : "views", .warnings = warnings};
    size_t seen[VIEW_COUNT] = {0};
    strbuf line = {0};
    size_t pos = 0;
    while (pos < length) {
        p.line++;
        size_t end = pos;
        while (end < length && text[end] != '\n')
            end++;
        line.length = 0;
        for (size_t i = pos; i < end; i++) /* a NUL byte: not a name's */
            strbuf_putc(&line, text[i] ? text[i] : '\x01');
        strbuf_putc(&line, '\0');
        pos = end + 1;
        if (line.length > 1 && line.data[line.length - 2] == '\r')
            line.data[line.length - 2] = '\0';
        char *tokens[2 * VIEW_LAYOUT_MAX_COLUMNS + 4];
        size_t n = 0;
        bool too_many = false;
        for (char *save = NULL, *t = strtok_r(line.data, " \t", &save); t;
             t = strtok_r(NULL, " \t", &save)) {
            if (n == sizeof tokens / sizeof tokens[0]) {
                too_many = true;
                break;
            }
            tokens[n++] = t;
        }
        if (n == 0 || tokens[0][0] == '#')
            continue;
        if (too_many) {
            view_state_warn(&p, "more words than a view has columns (the line is ignored)");
            continue;
        }
        view_state_line(&p, tokens, n, layouts, seen);
    }
    strbuf_free(&line);
    return p.n_warnings;
}

void view_state_format(const view_layout *layouts, strbuf *out) {
    strbuf_puts(out, "# laketop: the columns chosen with F2, written by laketop (a line a view:\n"
                     "# VIEW COLUMN... sort=COLUMN:asc|desc|none; a hidden column starts with "
                     "'-').\n");
    for (int id = 0; id < VIEW_COUNT; id++) {
        const view_layout *l = &layouts[id];
        if (!view_layout_supported((view_id)id) || view_layout_is_default(l, (view_id)id))
            continue;
        const view_ops *v = dashboard_view((view_id)id);
        char name[64];
        strbuf_puts(out, view_layout_view_name((view_id)id));
        for (size_t i = 0; i < l->n_columns; i++) {
            view_layout_column_name(&v->columns[l->order[i]], name, sizeof name);
            strbuf_printf(out, " %s%s", l->hidden[l->order[i]] ? "-" : "", name);
        }
        if (l->has_sort && l->sort_column >= 0 && (size_t)l->sort_column < l->n_columns) {
            view_layout_column_name(&v->columns[l->sort_column], name, sizeof name);
            strbuf_printf(out, " sort=%s:%s", name, l->sort_descending ? "desc" : "asc");
        } else if (l->has_sort) {
            strbuf_puts(out, " sort=none");
        }
        strbuf_putc(out, '\n');
    }
}

char *view_state_path(void) {
    return fs_xdg_laketop("STATE", "views");
}

char *view_state_load(const char *path, view_layout *layouts) {
    view_layout_defaults(layouts);
    if (!path)
        return NULL;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return NULL; /* nothing chosen yet */
    char *error = NULL;
    size_t length = 0;
    char *text = fs_read_file(path, &length, &error);
    if (!text) {
        char *said = xasprintf("%s (the views' own columns)", error);
        free(error);
        return said;
    }
    if (length > VIEW_STATE_MAX_BYTES) {
        free(text);
        return xasprintf("%s: over %d KiB, not read (the views' own columns)", path,
                         VIEW_STATE_MAX_BYTES / 1024);
    }
    strbuf warnings = {0};
    size_t n = view_state_parse(text, length, path, layouts, &warnings);
    free(text);
    char *all = strbuf_take(&warnings);
    char *said = NULL;
    if (n) {
        char *newline = strchr(all, '\n');
        if (newline)
            *newline = '\0';
        said = n > 1 ? xasprintf("%s (and %zu more)", all, n - 1) : xstrdup(all);
    }
    free(all);
    return said;
}

char *view_state_save(const char *path, const view_layout *layouts) {
    if (!path)
        return xstrdup("no $XDG_STATE_HOME or $HOME to keep it in");
    strbuf text = {0};
    view_state_format(layouts, &text);
    char *error = NULL;
    bool saved = fs_write_atomic(path, text.data, text.length, &error);
    strbuf_free(&text);
    return saved ? NULL : error;
}
