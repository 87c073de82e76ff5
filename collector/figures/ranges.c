/* ranges.c: listing ranges planned from a table's last listing (ranges.h):
 * grains merged into page-sized ranges, and the state file's text. */
#include "collector/figures/ranges.h"

#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static int ranges_grain_cmp(const void *a, const void *b) {
    return strcmp(((const ranges_grain *)a)->last_key, ((const ranges_grain *)b)->last_key);
}

size_t ranges_plan(ranges_grain *grains, size_t n, int64_t page_keys, char ***bounds,
                   int64_t **counts) {
    *bounds = NULL;
    *counts = NULL;
    if (n == 0)
        return 0;
    qsort(grains, n, sizeof *grains, ranges_grain_cmp);
    size_t n_bounds = 0, cap = 0, cap_counts = 0;
    int64_t in_page = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_page > 0 && in_page + grains[i].keys > page_keys) {
            *bounds = xgrow(*bounds, &cap, n_bounds + 1, sizeof **bounds);
            *counts = xgrow(*counts, &cap_counts, n_bounds + 1, sizeof **counts);
            (*counts)[n_bounds] = in_page;
            (*bounds)[n_bounds++] = xstrdup(grains[i - 1].last_key);
            in_page = 0;
        }
        in_page += grains[i].keys;
    }
    return n_bounds;
}

static ranges_table *ranges_state_slot(ranges_state *s, const char *database, const char *table) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->tables[i].database, database) == 0 && strcmp(s->tables[i].table, table) == 0)
            return &s->tables[i];
    return NULL;
}

const ranges_table *ranges_state_find(const ranges_state *s, const char *database,
                                      const char *table, const char *location) {
    ranges_table *t = ranges_state_slot((ranges_state *)s, database, table);
    return t && strcmp(t->location, location) == 0 ? t : NULL;
}

static void ranges_table_clear(ranges_table *t) {
    for (size_t i = 0; i < t->n_bounds; i++)
        free(t->bounds[i]);
    free(t->bounds);
    free(t->counts);
    free(t->database);
    free(t->table);
    free(t->location);
    memset(t, 0, sizeof *t);
}

void ranges_state_put(ranges_state *s, const char *database, const char *table,
                      const char *location, char **bounds, int64_t *counts, size_t n) {
    ranges_table *t = ranges_state_slot(s, database, table);
    if (t) {
        ranges_table_clear(t);
    } else {
        s->tables = xgrow(s->tables, &s->cap, s->n + 1, sizeof *s->tables);
        t = &s->tables[s->n++];
    }
    *t = (ranges_table){.database = xstrdup(database),
                        .table = xstrdup(table),
                        .location = xstrdup(location),
                        .bounds = bounds,
                        .counts = counts,
                        .n_bounds = n};
}

static void ranges_escape(strbuf *b, const char *text) {
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || *c == '%')
            strbuf_printf(b, "%%%02X", *c);
        else
            strbuf_putc(b, (char)*c);
    }
}

char *ranges_state_format(const ranges_state *s) {
    strbuf b = {0};
    for (size_t i = 0; i < s->n; i++) {
        const ranges_table *t = &s->tables[i];
        for (size_t k = 0; k < t->n_bounds; k++) {
            ranges_escape(&b, t->database);
            strbuf_putc(&b, '\t');
            ranges_escape(&b, t->table);
            strbuf_putc(&b, '\t');
            ranges_escape(&b, t->location);
            strbuf_putc(&b, '\t');
            ranges_escape(&b, t->bounds[k]);
            strbuf_printf(&b, "\t%lld\n", (long long)t->counts[k]);
        }
    }
    char *text = strbuf_take(&b);
    return text ? text : xstrdup("");
}

bool ranges_state_parse(const char *text, ranges_state *s) {
    while (*text) {
        const char *end = strchr(text, '\n');
        if (!end)
            return false; /* a line cut short: the rest not read */
        char *line = xstrndup(text, (size_t)(end - text));
        text = end + 1;
        char *field[5];
        size_t n = 0;
        for (char *c = line; n < 5;) {
            field[n++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        int64_t count = 0;
        bool ok =
            n == 5 && !strchr(field[4], '\t') && fmt_parse_count(field[4], &count) && count > 0;
        for (size_t k = 0; ok && k < 4; k++)
            ok = fmt_percent_decode(field[k], field[k], false) && (k == 3 || field[k][0]);
        if (!ok) {
            free(line);
            return false;
        }
        ranges_table *t = ranges_state_slot(s, field[0], field[1]);
        if (!t || strcmp(t->location, field[2]) != 0) {
            ranges_state_put(s, field[0], field[1], field[2], NULL, NULL, 0);
            t = ranges_state_slot(s, field[0], field[1]);
        }
        if (t->n_bounds < RANGES_MAX_BOUNDS &&
            (t->n_bounds == 0 || strcmp(t->bounds[t->n_bounds - 1], field[3]) < 0)) {
            t->bounds = xrealloc(t->bounds, (t->n_bounds + 1) * sizeof *t->bounds);
            t->counts = xrealloc(t->counts, (t->n_bounds + 1) * sizeof *t->counts);
            t->counts[t->n_bounds] = count;
            t->bounds[t->n_bounds++] = xstrdup(field[3]);
        }
        free(line);
    }
    return true;
}

void ranges_state_sweep(ranges_state *s,
                        bool (*exists)(void *ctx, const char *database, const char *table),
                        void *ctx) {
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (exists(ctx, s->tables[i].database, s->tables[i].table))
            s->tables[kept++] = s->tables[i];
        else
            ranges_table_clear(&s->tables[i]);
    }
    s->n = kept;
}

void ranges_state_free(ranges_state *s) {
    for (size_t i = 0; i < s->n; i++)
        ranges_table_clear(&s->tables[i]);
    free(s->tables);
    memset(s, 0, sizeof *s);
}
