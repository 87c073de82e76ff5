/* incremental.c: which partition directories a refresh lists, and the
 * state file of their figures (see incremental.h). */
#include "collector/figures/incremental.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define INCREMENTAL_MAGIC "laketop-incremental 1"
#define INCREMENTAL_P_FIELDS (10 + 3 * COST_CLASS_COUNT)

void incremental_settings_default(incremental_settings *s) {
    s->recent = INCREMENTAL_DEFAULT_RECENT;
    s->verify_every = INCREMENTAL_DEFAULT_VERIFY;
    s->flat_below = INCREMENTAL_DEFAULT_FLAT_BELOW;
    s->rules = NULL;
    s->n_rules = 0;
}

void incremental_settings_free(incremental_settings *s) {
    for (size_t i = 0; i < s->n_rules; i++) {
        free(s->rules[i].database);
        free(s->rules[i].table);
    }
    free(s->rules);
    s->rules = NULL;
    s->n_rules = 0;
}

void incremental_settings_copy(incremental_settings *to, const incremental_settings *from) {
    *to = *from;
    to->rules = from->n_rules ? xcalloc(from->n_rules, sizeof *to->rules) : NULL;
    for (size_t i = 0; i < from->n_rules; i++) {
        to->rules[i] = from->rules[i];
        to->rules[i].database = xstrdup(from->rules[i].database);
        to->rules[i].table = from->rules[i].table ? xstrdup(from->rules[i].table) : NULL;
    }
}

static bool incremental_rule_is(const incremental_rule *r, const char *database,
                                const char *table) {
    return strcmp(r->database, database) == 0 &&
           (table ? r->table && strcmp(r->table, table) == 0 : !r->table);
}

incremental_rule *incremental_settings_rule(incremental_settings *s, const char *database,
                                            const char *table) {
    for (size_t i = 0; i < s->n_rules; i++)
        if (incremental_rule_is(&s->rules[i], database, table))
            return &s->rules[i];
    s->rules = xrealloc(s->rules, (s->n_rules + 1) * sizeof *s->rules);
    incremental_rule *r = &s->rules[s->n_rules++];
    *r = (incremental_rule){.database = xstrdup(database),
                            .table = table ? xstrdup(table) : NULL,
                            .recent = -1,
                            .verify_every = -1,
                            .flat_below = -1};
    return r;
}

static void incremental_rule_apply(const incremental_rule *r, incremental_settings *out) {
    if (r->recent >= 0)
        out->recent = r->recent;
    if (r->verify_every >= 0)
        out->verify_every = r->verify_every;
    if (r->flat_below >= 0)
        out->flat_below = r->flat_below;
}

void incremental_settings_lookup(const incremental_settings *s, const char *database,
                                 const char *table, incremental_settings *out) {
    *out = *s;
    out->rules = NULL;
    out->n_rules = 0;
    for (size_t i = 0; i < s->n_rules; i++) /* the database's first, then the table's over it */
        if (incremental_rule_is(&s->rules[i], database, NULL))
            incremental_rule_apply(&s->rules[i], out);
    for (size_t i = 0; i < s->n_rules; i++)
        if (incremental_rule_is(&s->rules[i], database, table))
            incremental_rule_apply(&s->rules[i], out);
}

void incremental_figures_add(incremental_figures *to, const incremental_figures *from) {
    to->objects += from->objects;
    to->bytes += from->bytes;
    if (from->newest > to->newest)
        to->newest = from->newest;
    to->markers += from->markers;
    to->partitions += from->partitions;
    to->s3_objects += from->s3_objects;
    to->s3_bytes += from->s3_bytes;
    cost_storage_merge(&to->storage, &from->storage);
}

void incremental_table_clear(incremental_table *t) {
    free(t->database);
    free(t->table);
    free(t->location);
    free(t->report_date);
    for (size_t i = 0; i < t->n_dirs; i++)
        free(t->dirs[i].name);
    free(t->dirs);
    memset(t, 0, sizeof *t);
}

void incremental_state_free(incremental_state *s) {
    for (size_t i = 0; i < s->n_tables; i++)
        incremental_table_clear(&s->tables[i]);
    free(s->tables);
    s->tables = NULL;
    s->n_tables = 0;
}

incremental_table *incremental_state_find(incremental_state *s, const char *database,
                                          const char *table) {
    for (size_t i = 0; i < s->n_tables; i++)
        if (strcmp(s->tables[i].database, database) == 0 && strcmp(s->tables[i].table, table) == 0)
            return &s->tables[i];
    return NULL;
}

void incremental_state_put(incremental_state *s, incremental_table *t) {
    incremental_table *old = incremental_state_find(s, t->database, t->table);
    if (old) {
        incremental_table_clear(old);
        *old = *t;
    } else {
        s->tables = xrealloc(s->tables, (s->n_tables + 1) * sizeof *s->tables);
        s->tables[s->n_tables++] = *t;
    }
    memset(t, 0, sizeof *t);
}

const incremental_dir *incremental_table_dir(const incremental_table *t, const char *name) {
    size_t lo = 0, hi = t->n_dirs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->dirs[mid].name, name);
        if (c == 0)
            return &t->dirs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

typedef struct incremental_old {
    size_t index;
    int64_t listed_at;
} incremental_old;

static int incremental_old_cmp(const void *a, const void *b) {
    const incremental_old *x = a, *y = b;
    if (x->listed_at != y->listed_at)
        return x->listed_at < y->listed_at ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t incremental_plan(const incremental_table *previous, char *const *dirs, size_t n, int64_t now,
                        const incremental_settings *settings, bool *list) {
    if (previous && previous->report_date)
        return incremental_plan_since(previous, dirs, n, list);
    size_t recent = settings->recent > 0 ? (size_t)settings->recent : 0;
    incremental_old *old = xcalloc(n ? n : 1, sizeof *old);
    size_t n_old = 0, listed = 0;
    for (size_t i = 0; i < n; i++) {
        const incremental_dir *d = previous ? incremental_table_dir(previous, dirs[i]) : NULL;
        list[i] = !d || i + recent >= n;
        if (!list[i])
            old[n_old++] = (incremental_old){i, d->listed_at};
        else
            listed++;
    }
    /* the old ones: oldest-listed first; those due, and a share of the
     * rest in proportion to the time since the last refresh */
    qsort(old, n_old, sizeof *old, incremental_old_cmp);
    int64_t elapsed = previous ? now - previous->refreshed_at : 0;
    size_t budget = 0;
    if (elapsed > 0 && settings->verify_every > 0) {
        double share = (double)n_old * (double)elapsed / (double)settings->verify_every;
        budget = share >= (double)n_old ? n_old : (size_t)share;
        if ((double)budget < share)
            budget++;
    } else if (settings->verify_every <= 0) {
        budget = n_old;
    }
    for (size_t k = 0; k < n_old; k++) {
        bool due = old[k].listed_at + settings->verify_every <= now;
        if (due || k < budget) {
            list[old[k].index] = true;
            listed++;
        }
    }
    free(old);
    return listed;
}

static bool incremental_plain(const char *s) {
    return !strpbrk(s, "\t\n\r");
}

static void incremental_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void incremental_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *piece = xvasprintf(fmt, ap);
    va_end(ap);
    size_t n = strlen(piece);
    *buf = xgrow(*buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, piece, n + 1);
    *len += n;
    free(piece);
}

char *incremental_state_format(const incremental_state *s) {
    char *buf = NULL;
    size_t len = 0, cap = 0;
    incremental_append(&buf, &len, &cap, "%s\n", INCREMENTAL_MAGIC);
    for (size_t i = 0; i < s->n_tables; i++) {
        const incremental_table *t = &s->tables[i];
        bool plain = incremental_plain(t->database) && incremental_plain(t->table) &&
                     incremental_plain(t->location);
        for (size_t j = 0; plain && j < t->n_dirs; j++)
            plain = incremental_plain(t->dirs[j].name);
        if (!plain)
            continue; /* a name the format cannot hold: listed whole next time */
        incremental_append(&buf, &len, &cap, "T\t%s\t%s\t%s\t%lld", t->database, t->table,
                           t->location, (long long)t->refreshed_at);
        if (t->report_date && incremental_plain(t->report_date))
            incremental_append(&buf, &len, &cap, "\t%s\t%lld", t->report_date,
                               (long long)t->report_created);
        incremental_append(&buf, &len, &cap, "\n");
        for (size_t j = 0; j < t->n_dirs; j++) {
            const incremental_dir *d = &t->dirs[j];
            const incremental_figures *f = &d->figures;
            incremental_append(
                &buf, &len, &cap, "P\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld", d->name,
                (long long)d->listed_at, (long long)f->objects, (long long)f->bytes,
                (long long)f->newest, (long long)f->markers, (long long)f->partitions,
                (long long)f->s3_objects, (long long)f->s3_bytes);
            for (int c = 0; c < COST_CLASS_COUNT; c++)
                incremental_append(&buf, &len, &cap, "\t%lld\t%lld\t%lld",
                                   (long long)f->storage.bytes[c], (long long)f->storage.objects[c],
                                   (long long)f->storage.billed[c]);
            incremental_append(&buf, &len, &cap, "\n");
        }
    }
    return buf;
}

static bool incremental_number(const char *s, int64_t *out) {
    if (!*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

/* Splits a line at tabs in place: up to `max` fields; how many. */
static size_t incremental_split(char *line, char **fields, size_t max) {
    size_t n = 0;
    for (char *p = line;;) {
        if (n == max)
            return max + 1;
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            return n;
        *tab = '\0';
        p = tab + 1;
    }
}

static bool incremental_parse_line(char *line, incremental_state *out, char **why) {
    char *f[INCREMENTAL_P_FIELDS + 1];
    size_t n = incremental_split(line, f, INCREMENTAL_P_FIELDS);
    if (strcmp(f[0], "T") == 0) {
        int64_t at, created = 0;
        if ((n != 5 && n != 7) || !*f[1] || !*f[2] || !incremental_number(f[4], &at) ||
            (n == 7 && (!*f[5] || !incremental_number(f[6], &created)))) {
            *why = xstrdup("a T line is T, database, table, location, time[, report date, "
                           "report time]");
            return false;
        }
        if (incremental_state_find(out, f[1], f[2])) {
            *why = xasprintf("table %s.%s twice", f[1], f[2]);
            return false;
        }
        incremental_table t = {.database = xstrdup(f[1]),
                               .table = xstrdup(f[2]),
                               .location = xstrdup(f[3]),
                               .refreshed_at = at,
                               .report_date = n == 7 ? xstrdup(f[5]) : NULL,
                               .report_created = created};
        incremental_state_put(out, &t);
        return true;
    }
    if (strcmp(f[0], "P") == 0) {
        if (!out->n_tables) {
            *why = xstrdup("a P line before any T line");
            return false;
        }
        if (n != INCREMENTAL_P_FIELDS || !*f[1]) {
            *why = xasprintf("a P line has %d fields", INCREMENTAL_P_FIELDS);
            return false;
        }
        int64_t v[INCREMENTAL_P_FIELDS];
        for (size_t i = 2; i < n; i++)
            if (!incremental_number(f[i], &v[i])) {
                *why = xasprintf("field %zu is not a number", i + 1);
                return false;
            }
        incremental_table *t = &out->tables[out->n_tables - 1];
        if (t->n_dirs && strcmp(t->dirs[t->n_dirs - 1].name, f[1]) >= 0) {
            *why = xstrdup("directories out of order");
            return false;
        }
        incremental_dir d = {.name = xstrdup(f[1]), .listed_at = v[2]};
        incremental_figures *fig = &d.figures;
        fig->objects = v[3];
        fig->bytes = v[4];
        fig->newest = v[5];
        fig->markers = v[6];
        fig->partitions = v[7];
        fig->s3_objects = v[8];
        fig->s3_bytes = v[9];
        for (int c = 0; c < COST_CLASS_COUNT; c++) {
            fig->storage.bytes[c] = v[10 + 3 * c];
            fig->storage.objects[c] = v[11 + 3 * c];
            fig->storage.billed[c] = v[12 + 3 * c];
        }
        t->dirs = xrealloc(t->dirs, (t->n_dirs + 1) * sizeof *t->dirs);
        t->dirs[t->n_dirs++] = d;
        return true;
    }
    *why = xstrdup("not a T or P line");
    return false;
}

bool incremental_state_parse(const char *text, size_t length, incremental_state *out,
                             char **error) {
    memset(out, 0, sizeof *out);
    if (memchr(text, '\0', length)) {
        *error = xstrdup("line 1: a NUL byte");
        return false;
    }
    char *copy = xstrndup(text, length);
    char *line = copy;
    size_t number = 0;
    bool ok = true;
    while (ok && *line) {
        number++;
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *why = NULL;
        if (number == 1) {
            if (strcmp(line, INCREMENTAL_MAGIC) != 0)
                why = xstrdup("not a laketop incremental state file");
        } else if (*line) {
            incremental_parse_line(line, out, &why);
        }
        if (why) {
            *error = xasprintf("line %zu: %s", number, why);
            free(why);
            ok = false;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    if (ok && number == 0) {
        *error = xstrdup("line 1: empty");
        ok = false;
    }
    free(copy);
    if (!ok)
        incremental_state_free(out);
    return ok;
}

size_t incremental_plan_since(const incremental_table *previous, char *const *dirs, size_t n,
                              bool *list) {
    size_t listed = 0;
    for (size_t i = 0; i < n; i++) {
        const incremental_dir *d = incremental_table_dir(previous, dirs[i]);
        list[i] = !d || d->listed_at != previous->report_created ||
                  (d->figures.newest > 0 &&
                   d->figures.newest >= previous->report_created - INCREMENTAL_SINCE_ACTIVE);
        listed += list[i];
    }
    return listed;
}

void incremental_state_prune(incremental_state *s,
                             bool (*keep)(void *ctx, const char *database, const char *table),
                             void *ctx) {
    size_t kept = 0;
    for (size_t i = 0; i < s->n_tables; i++) {
        if (keep(ctx, s->tables[i].database, s->tables[i].table))
            s->tables[kept++] = s->tables[i];
        else
            incremental_table_clear(&s->tables[i]);
    }
    s->n_tables = kept;
}
