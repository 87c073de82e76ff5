/* inventory_agg.c: streamed aggregation of S3 Inventory CSV.gz files into
 * per-table figures. */
#include "collector/inventory/inventory_agg.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "collector/storage.h"
#include "common/hash.h"
#include "common/xalloc.h"

#define AGG_OUT_SIZE 65536
#define AGG_MAX_LINE (1 << 20)

/* A set of partition hashes (open addressing; 0 stands for empty, so a
 * hash of 0 is stored as 1). */
typedef struct agg_set {
    uint64_t *slots;
    uint32_t *dir; /* per slot: the partition's directory (agg_dirs index) */
    size_t cap, n;
    size_t depth;
} agg_set;

static bool agg_set_add(agg_set *s, uint64_t h, uint32_t dir);

static void agg_set_grow(agg_set *s) {
    agg_set bigger = {.cap = s->cap ? 2 * s->cap : 64, .depth = s->depth};
    bigger.slots = xcalloc(bigger.cap, sizeof *bigger.slots);
    bigger.dir = xcalloc(bigger.cap, sizeof *bigger.dir);
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            agg_set_add(&bigger, s->slots[i], s->dir[i]);
    free(s->slots);
    free(s->dir);
    *s = bigger;
}

/* Adds h (of directory `dir`); whether it was new. */
static bool agg_set_add(agg_set *s, uint64_t h, uint32_t dir) {
    if (!h)
        h = 1;
    if (2 * (s->n + 1) > s->cap)
        agg_set_grow(s);
    size_t i = (size_t)(h & (s->cap - 1));
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return false;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = h;
    s->dir[i] = dir;
    s->n++;
    return true;
}

/* A partitioned table's top-level directories: name -> figures (a hash of
 * their indices; memory in proportion to the directories, not the rows). */
typedef struct agg_dirs {
    char **names; /* the full prefix: "tbl/dt=2026-12-01/" */
    incremental_figures *figures;
    size_t n, cap_names, cap_figures;
    uint32_t *slots; /* index + 1; 0 empty */
    size_t cap_slots;
} agg_dirs;

static uint64_t agg_hash(const char *s, size_t length) {
    uint64_t h = HASH_FNV1A_START;
    for (size_t i = 0; i < length; i++)
        h = hash_fnv1a_byte(h, (unsigned char)s[i]);
    return h;
}

static void agg_dirs_free(agg_dirs *d) {
    for (size_t i = 0; i < d->n; i++)
        free(d->names[i]);
    free(d->names);
    free(d->figures);
    free(d->slots);
}

static void agg_dirs_rehash(agg_dirs *d) {
    free(d->slots);
    d->cap_slots = d->cap_slots ? 2 * d->cap_slots : 64;
    d->slots = xcalloc(d->cap_slots, sizeof *d->slots);
    for (size_t k = 0; k < d->n; k++) {
        size_t i = (size_t)(agg_hash(d->names[k], strlen(d->names[k])) & (d->cap_slots - 1));
        while (d->slots[i])
            i = (i + 1) & (d->cap_slots - 1);
        d->slots[i] = (uint32_t)(k + 1);
    }
}

/* The index of directory s[0..length) (prefix `prefix` before it), made
 * when new. */
static uint32_t agg_dirs_find(agg_dirs *d, const char *prefix, const char *s, size_t length) {
    size_t plength = strlen(prefix);
    if (2 * (d->n + 1) > d->cap_slots)
        agg_dirs_rehash(d);
    uint64_t h = agg_hash(prefix, plength);
    for (size_t k = 0; k < length; k++)
        h = hash_fnv1a_byte(h, (unsigned char)s[k]);
    size_t i = (size_t)(h & (d->cap_slots - 1));
    for (; d->slots[i]; i = (i + 1) & (d->cap_slots - 1)) {
        const char *name = d->names[d->slots[i] - 1];
        if (strlen(name) == plength + length && memcmp(name, prefix, plength) == 0 &&
            memcmp(name + plength, s, length) == 0)
            return d->slots[i] - 1;
    }
    d->names = xgrow(d->names, &d->cap_names, d->n + 1, sizeof *d->names);
    d->figures = xgrow(d->figures, &d->cap_figures, d->n + 1, sizeof *d->figures);
    char *name = xmalloc(plength + length + 1);
    memcpy(name, prefix, plength);
    memcpy(name + plength, s, length);
    name[plength + length] = '\0';
    d->names[d->n] = name;
    memset(&d->figures[d->n], 0, sizeof d->figures[d->n]);
    d->figures[d->n].newest = -1;
    d->slots[i] = (uint32_t)(d->n + 1);
    return (uint32_t)d->n++;
}

typedef struct agg_table {
    char *location; /* "bucket/prefix" */
    size_t length;
    size_t index; /* as added */
} agg_table;

struct inventory_agg {
    inventory_columns cols;
    agg_table *sorted;
    inventory_figures *figures;
    agg_set *sets;   /* per table, as added */
    agg_dirs *dirs;  /* per table, as added: its directories (depth >= 1) */
    char **prefixes; /* per table, as added */
    size_t n, cap, fig_cap, set_cap, dirs_cap, prefixes_cap;
    bool ready;
    z_stream z;
    bool z_open, z_ended;
    unsigned char *out;
    char *line;
    size_t line_length, line_cap;
    char *lookup;
    size_t lookup_cap;
    int64_t rows, unmatched, line_number;
};

inventory_agg *inventory_agg_new(const inventory_columns *cols) {
    inventory_agg *a = xcalloc(1, sizeof *a);
    a->cols = *cols;
    a->out = xmalloc(AGG_OUT_SIZE);
    return a;
}

void inventory_agg_free(inventory_agg *a) {
    if (!a)
        return;
    if (a->z_open)
        inflateEnd(&a->z);
    for (size_t i = 0; i < a->n; i++)
        free(a->sorted[i].location);
    free(a->sorted);
    free(a->figures);
    for (size_t i = 0; i < a->n; i++) {
        free(a->sets[i].slots);
        free(a->sets[i].dir);
        agg_dirs_free(&a->dirs[i]);
        free(a->prefixes[i]);
    }
    free(a->sets);
    free(a->dirs);
    free(a->prefixes);
    free(a->out);
    free(a->line);
    free(a->lookup);
    free(a);
}

size_t inventory_agg_add_table(inventory_agg *a, const char *bucket, const char *prefix) {
    a->sorted = xgrow(a->sorted, &a->cap, a->n + 1, sizeof *a->sorted);
    a->figures = xgrow(a->figures, &a->fig_cap, a->n + 1, sizeof *a->figures);
    a->sets = xgrow(a->sets, &a->set_cap, a->n + 1, sizeof *a->sets);
    a->dirs = xgrow(a->dirs, &a->dirs_cap, a->n + 1, sizeof *a->dirs);
    a->prefixes = xgrow(a->prefixes, &a->prefixes_cap, a->n + 1, sizeof *a->prefixes);
    memset(&a->sets[a->n], 0, sizeof a->sets[a->n]);
    memset(&a->dirs[a->n], 0, sizeof a->dirs[a->n]);
    a->prefixes[a->n] = xstrdup(prefix);
    agg_table *t = &a->sorted[a->n];
    t->location = xasprintf("%s/%s", bucket, prefix);
    t->length = strlen(t->location);
    t->index = a->n;
    memset(&a->figures[a->n], 0, sizeof a->figures[a->n]);
    a->ready = false;
    return a->n++;
}

static int agg_compare(const void *x, const void *y) {
    const agg_table *p = x, *q = y;
    int c = strcmp(p->location, q->location);
    if (c)
        return c;
    return p->index < q->index ? -1 : p->index > q->index;
}

/* The first table whose location is exactly s[0..length), or NULL. */
static const agg_table *agg_find(const inventory_agg *a, const char *s, size_t length) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const agg_table *t = &a->sorted[mid];
        int c = strncmp(t->location, s, length);
        if (c == 0 && t->length > length)
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < a->n && a->sorted[lo].length == length &&
        memcmp(a->sorted[lo].location, s, length) == 0)
        return &a->sorted[lo];
    return NULL;
}

void inventory_agg_set_partition_depth(inventory_agg *a, size_t table, size_t depth) {
    if (table < a->n)
        a->sets[table].depth = depth;
}

void inventory_agg_merge(inventory_agg *to, const inventory_agg *from) {
    for (size_t i = 0; i < to->n && i < from->n; i++) {
        inventory_figures *t = &to->figures[i];
        const inventory_figures *f = &from->figures[i];
        t->objects += f->objects;
        t->bytes += f->bytes;
        t->markers += f->markers;
        t->s3_objects += f->s3_objects;
        t->s3_bytes += f->s3_bytes;
        if (f->newest > t->newest)
            t->newest = f->newest;
        cost_storage_merge(&t->storage, &f->storage);
        const agg_dirs *fd = &from->dirs[i];
        agg_dirs *td = &to->dirs[i];
        uint32_t *map = xcalloc(fd->n ? fd->n : 1, sizeof *map);
        for (size_t k = 0; k < fd->n; k++) {
            map[k] = agg_dirs_find(td, "", fd->names[k], strlen(fd->names[k]));
            incremental_figures add = fd->figures[k];
            add.partitions = 0; /* counted below, from the set */
            incremental_figures_add(&td->figures[map[k]], &add);
        }
        const agg_set *s = &from->sets[i];
        for (size_t k = 0; k < s->cap; k++)
            if (s->slots[k] && agg_set_add(&to->sets[i], s->slots[k], map[s->dir[k]]))
                td->figures[map[s->dir[k]]].partitions++;
        free(map);
        t->partitions = (int64_t)to->sets[i].n;
    }
    to->rows += from->rows;
    to->unmatched += from->unmatched;
}

static void agg_count(inventory_figures *f, agg_set *set, agg_dirs *dirs, const char *prefix,
                      const char *rest, const inventory_row *row) {
    incremental_figures none = {0}, *d = &none;
    uint32_t dir = 0;
    const char *top = set->depth ? strchr(rest, '/') : NULL;
    if (top) {
        dir = agg_dirs_find(dirs, prefix, rest, (size_t)(top - rest) + 1);
        d = &dirs->figures[dir];
    }
    f->s3_objects++;
    f->s3_bytes += row->size;
    d->s3_objects++;
    d->s3_bytes += row->size;
    cost_class c = COST_STANDARD; /* a class S3 added since: as STANDARD */
    cost_class_from_s3(row->storage_class, &c);
    cost_storage_add(&f->storage, c, row->size);
    cost_storage_add(&d->storage, c, row->size);
    for (const char *p = rest; *p;) {
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        if (storage_is_hidden_dir(p))
            return;
        p = slash + 1;
    }
    if (storage_is_marker_key(row->key)) {
        f->markers++;
        d->markers++;
        return;
    }
    f->objects++;
    f->bytes += row->size;
    d->objects++;
    d->bytes += row->size;
    if (row->last_modified > f->newest)
        f->newest = row->last_modified;
    if (row->last_modified > d->newest)
        d->newest = row->last_modified;
    size_t plength = set->depth ? storage_partition_prefix_length(rest, set->depth) : 0;
    if (plength) {
        if (agg_set_add(set, agg_hash(rest, plength), dir))
            d->partitions++;
        f->partitions = (int64_t)set->n;
    }
}

bool inventory_agg_row(inventory_agg *a, char *line) {
    inventory_row row;
    if (!inventory_csv_row(&a->cols, line, &row))
        return false;
    a->rows++;
    if (!row.current)
        return true;
    if (!a->ready) {
        if (a->n)
            qsort(a->sorted, a->n, sizeof *a->sorted, agg_compare);
        a->ready = true;
    }
    size_t bl = strlen(row.bucket), kl = strlen(row.key);
    a->lookup = xgrow(a->lookup, &a->lookup_cap, bl + kl + 2, 1);
    memcpy(a->lookup, row.bucket, bl);
    a->lookup[bl] = '/';
    memcpy(a->lookup + bl + 1, row.key, kl + 1);
    /* the longest location first: every '/' of the key, from the end, then
     * the bucket's root */
    const agg_table *hit = NULL;
    for (size_t end = bl + 1 + kl; end > bl && !hit; end--)
        if (a->lookup[end - 1] == '/')
            hit = agg_find(a, a->lookup, end);
    if (!hit) {
        a->unmatched++;
        return true;
    }
    const agg_table *last = a->sorted + a->n;
    for (const agg_table *t = hit; t < last && t->length == hit->length &&
                                   memcmp(t->location, hit->location, hit->length) == 0;
         t++)
        agg_count(&a->figures[t->index], &a->sets[t->index], &a->dirs[t->index],
                  a->prefixes[t->index], a->lookup + t->length, &row);
    return true;
}

/* Takes the complete lines of out[0..n), keeping a partial one. */
static bool agg_lines(inventory_agg *a, const unsigned char *out, size_t n, char **error) {
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && out[i] != '\n')
            continue;
        size_t piece = i - start;
        if (a->line_length + piece > AGG_MAX_LINE) {
            *error = xasprintf("inventory line %lld is longer than %d bytes",
                               (long long)a->line_number + 1, AGG_MAX_LINE);
            return false;
        }
        a->line = xgrow(a->line, &a->line_cap, a->line_length + piece + 1, 1);
        memcpy(a->line + a->line_length, out + start, piece);
        a->line_length += piece;
        start = i + 1;
        if (i == n)
            break;
        a->line[a->line_length] = '\0';
        a->line_number++;
        if (a->line_length && a->line[a->line_length - 1] == '\r')
            a->line[--a->line_length] = '\0';
        size_t length = a->line_length;
        a->line_length = 0;
        if (length && memchr(a->line, '\0', length)) {
            *error = xasprintf("inventory line %lld holds a NUL byte", (long long)a->line_number);
            return false;
        }
        if (length && !inventory_agg_row(a, a->line)) {
            *error = xasprintf("inventory line %lld is not a row of the schema",
                               (long long)a->line_number);
            return false;
        }
    }
    return true;
}

bool inventory_agg_feed(inventory_agg *a, const void *data, size_t length, char **error) {
    if (!a->z_open) {
        memset(&a->z, 0, sizeof a->z);
        if (inflateInit2(&a->z, 16 + MAX_WBITS) != Z_OK)
            xfatal("zlib: inflateInit2 failed");
        a->z_open = true;
        a->z_ended = false;
        a->line_length = 0;
        a->line_number = 0;
    }
    while (length) {
        uInt chunk = length > (1u << 30) ? (1u << 30) : (uInt)length;
        a->z.next_in = (unsigned char *)(uintptr_t)data;
        a->z.avail_in = chunk;
        while (a->z.avail_in) {
            if (a->z_ended) {
                /* another gzip member follows */
                inflateReset(&a->z);
                a->z_ended = false;
            }
            a->z.next_out = a->out;
            a->z.avail_out = AGG_OUT_SIZE;
            int rc = inflate(&a->z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                *error = xasprintf("inventory data is not gzip (%s)",
                                   a->z.msg ? a->z.msg : "zlib error");
                return false;
            }
            size_t produced = AGG_OUT_SIZE - a->z.avail_out;
            if (!agg_lines(a, a->out, produced, error))
                return false;
            if (rc == Z_STREAM_END)
                a->z_ended = true;
            else if (rc == Z_BUF_ERROR && !produced)
                break;
        }
        data = (const char *)data + chunk;
        length -= chunk;
    }
    return true;
}

bool inventory_agg_end_file(inventory_agg *a, char **error) {
    bool ok = true;
    if (!a->z_open) {
        *error = xstrdup("inventory data file is empty");
        return false;
    }
    /* what inflate still holds */
    for (int rounds = 0; ok && !a->z_ended && rounds < 1 << 20; rounds++) {
        a->z.next_in = NULL;
        a->z.avail_in = 0;
        a->z.next_out = a->out;
        a->z.avail_out = AGG_OUT_SIZE;
        int rc = inflate(&a->z, Z_NO_FLUSH);
        size_t produced = AGG_OUT_SIZE - a->z.avail_out;
        if (produced)
            ok = agg_lines(a, a->out, produced, error);
        if (rc == Z_STREAM_END)
            a->z_ended = true;
        else if (!produced)
            break;
    }
    if (ok && !a->z_ended) {
        *error = xstrdup("inventory data file is cut short (gzip stream not ended)");
        ok = false;
    }
    if (ok && a->line_length && a->line[a->line_length - 1] == '\r')
        a->line_length--;
    if (ok && a->line_length) {
        a->line[a->line_length] = '\0';
        a->line_number++;
        a->line_length = 0;
        if (!inventory_agg_row(a, a->line)) {
            *error = xasprintf("inventory line %lld is not a row of the schema",
                               (long long)a->line_number);
            ok = false;
        }
    }
    inflateEnd(&a->z);
    a->z_open = false;
    a->line_length = 0;
    return ok;
}

const inventory_figures *inventory_agg_figures(const inventory_agg *a, size_t table) {
    return table < a->n ? &a->figures[table] : NULL;
}

int64_t inventory_agg_rows(const inventory_agg *a) {
    return a->rows;
}

int64_t inventory_agg_unmatched(const inventory_agg *a) {
    return a->unmatched;
}

static int agg_dir_compare(const void *x, const void *y) {
    return strcmp(((const incremental_dir *)x)->name, ((const incremental_dir *)y)->name);
}

void inventory_agg_report(const inventory_agg *a, const char *date, int64_t created,
                          inventory_report *out) {
    memset(out, 0, sizeof *out);
    out->date = xstrdup(date);
    out->created = created;
    out->rows = a->rows;
    out->athena_scanned = -1;
    out->n_tables = a->n;
    out->tables = xcalloc(a->n ? a->n : 1, sizeof *out->tables);
    for (size_t i = 0; i < a->n; i++) {
        const inventory_figures *f = &a->figures[i];
        inventory_table_report *t = &out->tables[i];
        t->total = (incremental_figures){.objects = f->objects,
                                         .bytes = f->bytes,
                                         .newest = f->newest,
                                         .markers = f->markers,
                                         .partitions = f->partitions,
                                         .s3_objects = f->s3_objects,
                                         .s3_bytes = f->s3_bytes,
                                         .storage = f->storage};
        const agg_dirs *d = &a->dirs[i];
        if (!a->sets[i].depth)
            continue;
        t->n_dirs = d->n;
        t->dirs = xcalloc(d->n ? d->n : 1, sizeof *t->dirs);
        for (size_t k = 0; k < d->n; k++)
            t->dirs[k] = (incremental_dir){
                .name = xstrdup(d->names[k]), .listed_at = created, .figures = d->figures[k]};
        qsort(t->dirs, t->n_dirs, sizeof *t->dirs, agg_dir_compare);
    }
}
