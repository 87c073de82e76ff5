/* history.c: daily per-table samples, in memory (a hash map of series) and on
 * disk (an atomically replaced text file). */
#include "collector/figures/history.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hash.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"

typedef struct history_series {
    char *database;
    char *table;
    uint64_t hash;
    history_sample *samples;
    size_t n;
    size_t cap;
} history_series;

struct history_store {
    history_series *series; /* dense array, insertion order */
    size_t n_series;
    size_t cap_series;
    size_t *slots; /* open addressing: index + 1 into series, 0 = empty */
    size_t n_slots;
    char **refused; /* lines a load refused, as read; saved first */
    size_t n_refused;
    size_t cap_refused;
};

static uint64_t history_hash(const char *database, const char *table) {
    uint64_t h = hash_fnv1a_byte(hash_fnv1a(database), 0xff);
    return hash_fnv1a_more(h, table);
}

history_store *history_store_new(void) {
    history_store *s = xcalloc(1, sizeof *s);
    s->n_slots = 64;
    s->slots = xcalloc(s->n_slots, sizeof *s->slots);
    return s;
}

void history_store_free(history_store *s) {
    if (!s)
        return;
    for (size_t i = 0; i < s->n_series; i++) {
        free(s->series[i].database);
        free(s->series[i].table);
        free(s->series[i].samples);
    }
    for (size_t i = 0; i < s->n_refused; i++)
        free(s->refused[i]);
    free(s->refused);
    free(s->series);
    free(s->slots);
    free(s);
}

static history_series *history_lookup(const history_store *s, const char *database,
                                      const char *table, uint64_t hash, size_t *slot_out) {
    size_t mask = s->n_slots - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
        size_t idx = s->slots[slot];
        if (idx == 0) {
            if (slot_out)
                *slot_out = slot;
            return NULL;
        }
        history_series *se = &s->series[idx - 1];
        if (se->hash == hash && strcmp(se->database, database) == 0 &&
            strcmp(se->table, table) == 0)
            return se;
    }
}

static void history_rehash(history_store *s) {
    free(s->slots);
    s->n_slots *= 2;
    s->slots = xcalloc(s->n_slots, sizeof *s->slots);
    size_t mask = s->n_slots - 1;
    for (size_t i = 0; i < s->n_series; i++) {
        size_t slot = s->series[i].hash & mask;
        while (s->slots[slot])
            slot = (slot + 1) & mask;
        s->slots[slot] = i + 1;
    }
}

static history_series *history_get_or_add(history_store *s, const char *database,
                                          const char *table) {
    uint64_t hash = history_hash(database, table);
    size_t slot;
    history_series *se = history_lookup(s, database, table, hash, &slot);
    if (se)
        return se;
    if ((s->n_series + 1) * 2 > s->n_slots) {
        history_rehash(s);
        history_lookup(s, database, table, hash, &slot);
    }
    s->series = xgrow(s->series, &s->cap_series, s->n_series + 1, sizeof *s->series);
    se = &s->series[s->n_series++];
    memset(se, 0, sizeof *se);
    se->database = xstrdup(database);
    se->table = xstrdup(table);
    se->hash = hash;
    s->slots[slot] = s->n_series;
    return se;
}

void history_store_record(history_store *s, const char *database, const char *table,
                          const history_sample *sample) {
    history_series *se = history_get_or_add(s, database, table);
    /* Common case first: same day as the last sample, or a later day. */
    if (se->n > 0 && se->samples[se->n - 1].day == sample->day) {
        se->samples[se->n - 1] = *sample;
        return;
    }
    size_t pos = se->n;
    while (pos > 0 && se->samples[pos - 1].day > sample->day)
        pos--;
    if (pos > 0 && se->samples[pos - 1].day == sample->day) {
        se->samples[pos - 1] = *sample;
        return;
    }
    se->samples = xgrow(se->samples, &se->cap, se->n + 1, sizeof *se->samples);
    memmove(&se->samples[pos + 1], &se->samples[pos], (se->n - pos) * sizeof *se->samples);
    se->samples[pos] = *sample;
    se->n++;
}

const history_sample *history_store_series(const history_store *s, const char *database,
                                           const char *table, size_t *n) {
    history_series *se = history_lookup(s, database, table, history_hash(database, table), NULL);
    *n = se ? se->n : 0;
    return se ? se->samples : NULL;
}

void history_store_prune(history_store *s, int32_t oldest_day) {
    for (size_t i = 0; i < s->n_series; i++) {
        history_series *se = &s->series[i];
        size_t drop = 0;
        while (drop < se->n && se->samples[drop].day < oldest_day)
            drop++;
        if (drop) {
            memmove(se->samples, se->samples + drop, (se->n - drop) * sizeof *se->samples);
            se->n -= drop;
        }
    }
}

size_t history_store_tables(const history_store *s) {
    return s->n_series;
}

void history_store_table_name(const history_store *s, size_t i, const char **database,
                              const char **table) {
    *database = s->series[i].database;
    *table = s->series[i].table;
}

size_t history_store_samples(const history_store *s) {
    size_t total = 0;
    for (size_t i = 0; i < s->n_series; i++)
        total += s->series[i].n;
    return total;
}

bool history_growth(const history_sample *samples, size_t n, int days, int64_t *delta) {
    if (n < 2)
        return false;
    const history_sample *last = &samples[n - 1];
    int32_t target = last->day - days;
    for (size_t i = n - 1; i-- > 0;) {
        if (samples[i].day <= target) {
            *delta = last->bytes - samples[i].bytes;
            return true;
        }
    }
    return false;
}

void history_window(const history_sample *samples, size_t n, int32_t last_day, size_t days,
                    double *out) {
    size_t j = 0;
    const history_sample *carry = NULL;
    for (size_t k = 0; k < days; k++) {
        int32_t day = last_day - (int32_t)(days - 1 - k);
        while (j < n && samples[j].day <= day)
            carry = &samples[j++];
        out[k] = carry ? (double)carry->bytes : -1.0;
    }
}

char *history_escape(const char *name) {
    size_t extra = 0;
    for (const char *p = name; *p; p++)
        if (*p == '%' || *p == '\t' || *p == '\n' || *p == '\r')
            extra += 2;
    char *out = xmalloc(strlen(name) + extra + 1), *o = out;
    for (const char *p = name; *p; p++) {
        if (*p == '%' || *p == '\t' || *p == '\n' || *p == '\r') {
            sprintf(o, "%%%02X", (unsigned char)*p);
            o += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

bool history_unescape(char *name) {
    return fmt_percent_decode(name, name, false);
}

/* Reads a non-negative decimal up to `stop`; one pass, no locale. */
static bool history_read_uint(char **p, char stop, int64_t *out) {
    char *c = *p;
    int64_t v = 0;
    if (*c < '0' || *c > '9')
        return false;
    for (; *c >= '0' && *c <= '9'; c++) {
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*c - '0');
    }
    if (*c != stop)
        return false;
    *p = c + (stop ? 1 : 0);
    *out = v;
    return true;
}

/* Cuts a name at the next tab; *escaped says whether it holds a '%'. */
static char *history_read_name(char **p, bool *escaped) {
    char *start = *p, *c = start;
    *escaped = false;
    for (; *c && *c != '\t'; c++)
        if (*c == '%')
            *escaped = true;
    if (*c != '\t' || c == start)
        return NULL;
    *c = '\0';
    *p = c + 1;
    return start;
}

typedef enum history_line {
    HISTORY_LINE_OK,
    HISTORY_LINE_BAD,    /* does not parse */
    HISTORY_LINE_FUTURE, /* parses, dated after the last day allowed */
} history_line;

/* Parses one line in a single pass; `last` caches the series of the
 * previous line, since a saved file holds each table's samples together and
 * in day order. The line is cut up in place. */
static history_line history_parse_line(char *line, int32_t last_day, history_store *s,
                                       history_series **last) {
    int32_t day;
    if (strlen(line) < 11 || line[10] != '\t')
        return HISTORY_LINE_BAD;
    line[10] = '\0';
    if (!fmt_parse_day(line, &day))
        return HISTORY_LINE_BAD;
    char *p = line + 11;
    bool esc_db, esc_table;
    char *database = history_read_name(&p, &esc_db);
    char *table = database ? history_read_name(&p, &esc_table) : NULL;
    int64_t bytes, objects, newest = -1;
    if (!table || !history_read_uint(&p, '\t', &bytes) || !history_read_uint(&p, '\t', &objects))
        return HISTORY_LINE_BAD;
    if (p[0] == '-' && p[1] == '\0')
        newest = -1;
    else if (!history_read_uint(&p, '\0', &newest))
        return HISTORY_LINE_BAD;
    if ((esc_db && !history_unescape(database)) || (esc_table && !history_unescape(table)))
        return HISTORY_LINE_BAD;
    if (day > last_day)
        return HISTORY_LINE_FUTURE;
    history_sample sample = {
        .day = day, .bytes = bytes, .objects = objects, .newest_object = newest};
    history_series *se = *last;
    if (se && se->n > 0 && se->samples[se->n - 1].day < day && strcmp(se->table, table) == 0 &&
        strcmp(se->database, database) == 0) {
        se->samples = xgrow(se->samples, &se->cap, se->n + 1, sizeof *se->samples);
        se->samples[se->n++] = sample;
        return HISTORY_LINE_OK;
    }
    history_store_record(s, database, table, &sample);
    *last = history_lookup(s, database, table, history_hash(database, table), NULL);
    return HISTORY_LINE_OK;
}

/* Keeps a refused line as it was read (it is cut up by the parse). */
static void history_keep_refused(history_store *s, const char *line, size_t length) {
    s->refused = xgrow(s->refused, &s->cap_refused, s->n_refused + 1, sizeof *s->refused);
    s->refused[s->n_refused++] = xstrndup(line, length);
}

size_t history_store_refused_lines(const history_store *s) {
    return s->n_refused;
}

char *history_refused_message(const char *path, const history_refused *r) {
    char day[16];
    fmt_day(r->last_day, day, sizeof day);
    if (r->bad_lines && r->future_samples)
        return xasprintf("%s:%zu: %zu history line(s) did not parse and %zu sample(s) dated "
                         "after %s (the first on line %zu) were refused; the figures leave "
                         "them out",
                         path, r->first_bad_line, r->bad_lines, r->future_samples, day,
                         r->first_future_line);
    if (r->bad_lines)
        return xasprintf("%s:%zu: %zu history line(s) did not parse and were skipped", path,
                         r->first_bad_line, r->bad_lines);
    if (r->future_samples)
        return xasprintf("%s:%zu: %zu history sample(s) dated after %s were refused; the "
                         "figures leave them out",
                         path, r->first_future_line, r->future_samples, day);
    return NULL;
}

bool history_store_load(history_store *s, const char *path, int32_t last_day,
                        history_refused *refused, char **error) {
    *refused = (history_refused){.last_day = last_day};
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT)
            return true;
        *error = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    /* Line by line through stdio's buffer: memory stays small and warm,
     * however long the history. */
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t lineno = 0;
    bool ok = true;
    history_series *last = NULL;
    char *copy = NULL; /* the line as read, for one that is refused */
    size_t copy_cap = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (strcmp(line, HISTORY_HEADER) != 0) {
                *error = xasprintf("%s:1: not a laketop history file (expected \"%s\")", path,
                                   HISTORY_HEADER);
                ok = false;
                break;
            }
            continue;
        }
        if (len == 0 || line[0] == '#')
            continue;
        copy = xgrow(copy, &copy_cap, (size_t)len + 1, 1);
        memcpy(copy, line, (size_t)len + 1);
        history_line kind = (size_t)len != strlen(line)
                                ? HISTORY_LINE_BAD
                                : history_parse_line(line, last_day, s, &last);
        if (kind == HISTORY_LINE_BAD && refused->bad_lines++ == 0)
            refused->first_bad_line = lineno;
        if (kind == HISTORY_LINE_FUTURE && refused->future_samples++ == 0)
            refused->first_future_line = lineno;
        if (kind != HISTORY_LINE_OK)
            history_keep_refused(s, copy, (size_t)len);
    }
    free(copy);
    if (ok && ferror(fp)) {
        *error = xasprintf("%s: read error: %s", path, strerror(errno));
        ok = false;
    }
    free(line);
    fclose(fp);
    return ok;
}

bool history_store_save(const history_store *s, const char *path, char **error) {
    return history_store_save_part(s, path, 0, 0, NULL, error);
}

/* The first sample of `se` a part of `days` days and `samples` samples keeps. */
static size_t history_part_first(const history_series *se, int days, size_t samples) {
    if (days <= 0 || se->n == 0)
        return 0;
    int32_t from = se->samples[se->n - 1].day - days + 1;
    size_t first = se->n;
    while (first > 0 && se->samples[first - 1].day >= from)
        first--;
    if (first > 0) /* the sample before the window: a growth over the whole window */
        first--;
    if (se->n - first < samples)
        first = se->n > samples ? se->n - samples : 0;
    return first;
}

bool history_store_save_part(const history_store *s, const char *path, int days, size_t samples,
                             const char *note, char **error) {
    fs_atomic out;
    if (!fs_atomic_begin(&out, path, error))
        return false;
    fprintf(out.fp, "%s\n", HISTORY_HEADER);
    if (note)
        fprintf(out.fp, "# %s\n", note);
    /* first, so that a sample recorded since, of the same day, wins on load;
     * a part leaves them out: they are the whole file's */
    for (size_t i = 0; days <= 0 && i < s->n_refused; i++) {
        fputs(s->refused[i], out.fp);
        fputc('\n', out.fp);
    }
    for (size_t i = 0; i < s->n_series; i++) {
        const history_series *se = &s->series[i];
        size_t first = history_part_first(se, days, samples);
        char *db = history_escape(se->database), *tb = history_escape(se->table);
        for (size_t k = first; k < se->n; k++) {
            const history_sample *h = &se->samples[k];
            char day[16];
            fmt_day(h->day, day, sizeof day);
            if (h->newest_object >= 0)
                fprintf(out.fp, "%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n", day, db, tb,
                        h->bytes, h->objects, h->newest_object);
            else
                fprintf(out.fp, "%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t-\n", day, db, tb, h->bytes,
                        h->objects);
        }
        free(db);
        free(tb);
    }
    return fs_atomic_commit(&out, error);
}
