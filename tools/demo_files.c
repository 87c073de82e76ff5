/* demo_files.c: the data files of a demo table, day by day, with the sizes
 * its growth pattern asks for, modification times matching their partition
 * dates, and the markers that writers such as Spark leave beside them. */
#include "tools/demo_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define DEMO_STALL_DAYS 20
#define DEMO_PARQUET_PART (128 * DEMO_KIB) /* split a day into files of about this */
#define DEMO_TEXT_PART (192 * DEMO_KIB)

/* YYYYMMDD */
static void demo_files_compact_date(int32_t day, char out[9]) {
    char iso[16];
    fmt_day(day, iso, sizeof iso);
    snprintf(out, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

/* Scaled day size, at least 256 bytes. */
static int64_t demo_files_scaled(const demo_ctx *c, double bytes) {
    int64_t v = (int64_t)(bytes * c->scale);
    return v < 256 ? 256 : v;
}

/* Target bytes of day index `d` (0 when the table gets nothing that day). */
static int64_t demo_files_day_bytes(const demo_ctx *c, const demo_spec *t, int d, demo_rng *r) {
    int from_end = c->days - 1 - d;
    int32_t day = c->first_day + d;
    double jitter = 0.92 + 0.16 * (double)demo_rng_range(r, 0, 1000) / 1000.0;
    int weekday = (int)(((int64_t)day + 4) % 7); /* 0 = Sunday */
    double week = weekday == 0 || weekday == 6 ? 0.6 : 1.0;
    switch (t->growth) {
    case GROW_STEADY: return demo_files_scaled(c, (double)t->bytes_start);
    case GROW_ACCEL: {
        double f = c->days > 1 ? (double)d / (c->days - 1) : 1.0;
        return demo_files_scaled(c, (double)t->bytes_start +
                                        (double)(t->bytes_end - t->bytes_start) * f * f * jitter);
    }
    case GROW_SEASONAL: return demo_files_scaled(c, (double)t->bytes_start * week * jitter);
    case GROW_STALLED: {
        int stall = c->days > 2 * DEMO_STALL_DAYS ? DEMO_STALL_DAYS : c->days / 2;
        if (from_end < stall)
            return 0;
        return demo_files_scaled(c, (double)t->bytes_start * week * jitter);
    }
    case GROW_PERIODIC:
        if (d != 0 && from_end % t->period != t->phase)
            return 0;
        /* Reference data does not shrink with longer histories. */
        return (int64_t)((double)t->bytes_start * jitter);
    case GROW_EMPTY:
    case GROW_TINY:
    case GROW_FILES: return 0;
    }
    return 0;
}

/* Spreads `total` files over the days with random weights. */
static int *demo_files_spread(const demo_ctx *c, int total, demo_rng *r) {
    int *counts = xcalloc((size_t)c->days, sizeof *counts);
    int64_t *weights = xcalloc((size_t)c->days + 1, sizeof *weights);
    for (int d = 0; d < c->days; d++)
        weights[d + 1] = weights[d] + demo_rng_range(r, 50, 150);
    int64_t sum = weights[c->days];
    for (int d = 0; d < c->days; d++)
        counts[d] =
            (int)((int64_t)total * weights[d + 1] / sum - (int64_t)total * weights[d] / sum);
    free(weights);
    return counts;
}

/* Data file i of `day` as its writer names it: Spark part files, dated CSV
 * extracts, Firehose objects. */
static char *demo_files_name(const demo_spec *t, demo_rng *r, int32_t day, int64_t mtime, int i) {
    char date[9];
    demo_files_compact_date(day, date);
    if (t->format == DEMO_PARQUET) {
        uint64_t a = demo_rng_next(r), b = demo_rng_next(r);
        return xasprintf("part-%05d-%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
                         "-%012" PRIx64 "-c000.snappy.parquet",
                         i, a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                         b & (uint64_t)0xffffffffffffULL);
    }
    if (t->format == DEMO_CSV)
        return xasprintf("%s_%s_%03d.csv", t->name, date, i);
    char iso[32];
    fmt_iso8601(mtime, iso, sizeof iso);
    /* Firehose style: name-1-YYYY-MM-DD-HH-MM-SS-<n>-<hex>.json */
    return xasprintf("%s-1-%.10s-%.2s-%.2s-%.2s-%03d-%08" PRIx64 ".json", t->name, iso, iso + 11,
                     iso + 14, iso + 17, i, demo_rng_next(r) >> 32);
}

static char *demo_files_partition_dir(const char *location_dir, const demo_spec *t, int32_t day) {
    char iso[16];
    fmt_day(day, iso, sizeof iso);
    switch (t->layout) {
    case DEMO_DT: return xasprintf("%s/dt=%s", location_dir, iso);
    case DEMO_YEAR_MONTH: return xasprintf("%s/year=%.4s/month=%.2s", location_dir, iso, iso + 5);
    case DEMO_FLAT: break;
    }
    return xstrdup(location_dir);
}

/* An empty marker file dir/name. */
static bool demo_files_write_empty(demo_ctx *c, const char *dir, const char *name, int64_t mtime) {
    char *path = xasprintf("%s/%s", dir, name);
    bool ok = demo_write_file(c, path, "", 0, mtime, true);
    free(path);
    return ok;
}

/* Markers of one day: _SUCCESS in the partition, dt=..._$folder$ beside it. */
static bool demo_files_write_markers(demo_ctx *c, const demo_spec *t, const char *location_dir,
                                     const char *part_dir, int32_t day, int64_t mtime) {
    if ((t->markers & MARK_SUCCESS) && !demo_files_write_empty(c, part_dir, "_SUCCESS", mtime))
        return false;
    if ((t->markers & MARK_FOLDER) && t->layout == DEMO_DT) {
        char iso[16], name[40];
        snprintf(name, sizeof name, "dt=%s_$folder$", fmt_day(day, iso, sizeof iso));
        return demo_files_write_empty(c, location_dir, name, mtime);
    }
    return true;
}

/* A Spark job caught mid-write: files under _temporary/ are not data. */
static bool demo_files_write_temporary(demo_ctx *c, demo_table_state *s, const char *location_dir) {
    char date[9];
    demo_files_compact_date(c->today, date);
    char *dir =
        xasprintf("%s/_temporary/0/_temporary/attempt_%s0000_0001_m_000000_0", location_dir, date);
    bool ok = demo_mkdirs(c, dir);
    if (ok) {
        char *name = demo_files_name(s->spec, &s->rng, c->today, c->now, 0);
        char *path = xasprintf("%s/%s", dir, name);
        demo_content_parquet(&c->buf, &s->rng, 48 * DEMO_KIB);
        ok = demo_write_file(c, path, c->buf.data, c->buf.length, c->now, false);
        free(name);
        free(path);
    }
    free(dir);
    return ok;
}

/* How many files day index `d` gets (0: none). */
static int demo_files_count(const demo_spec *t, int d, int64_t day_bytes, const int *tiny) {
    if (t->growth == GROW_TINY)
        return tiny[d];
    if (t->growth == GROW_FILES)
        return t->files_per_day[d];
    if (day_bytes <= 0)
        return 0;
    int64_t part = t->format == DEMO_PARQUET ? DEMO_PARQUET_PART : DEMO_TEXT_PART;
    int n = (int)(1 + day_bytes / part);
    return n < t->parts ? t->parts : n;
}

/* Creates the partition directory unless it is the one made last (*made). */
static bool demo_files_enter_partition(demo_ctx *c, const demo_spec *t, const char *part_dir,
                                       char **made) {
    if (*made && strcmp(*made, part_dir) == 0)
        return true;
    bool ok = true;
    if (t->layout == DEMO_DT) {
        if (mkdir(part_dir, 0755) != 0 && errno != EEXIST)
            ok = demo_fail(c, "cannot create %s: %s", part_dir, strerror(errno));
    } else {
        ok = demo_mkdirs(c, part_dir);
    }
    free(*made);
    *made = xstrdup(part_dir);
    return ok;
}

/* Data file `i` of `day` (in c->buf), and its .crc when the table has them. */
static bool demo_files_write_one(demo_ctx *c, demo_table_state *s, const char *part_dir,
                                 int32_t day, int64_t mtime, int i) {
    char *name = demo_files_name(s->spec, &s->rng, day, mtime, i);
    char *path = xasprintf("%s/%s", part_dir, name);
    bool ok = demo_write_file(c, path, c->buf.data, c->buf.length, mtime, false);
    free(path);
    if (ok && (s->spec->markers & MARK_CRC)) {
        char crc[12] = {'c', 'r', 'c', '\0'};
        uint64_t v = demo_rng_next(&s->rng);
        memcpy(crc + 4, &v, 8);
        char *crc_path = xasprintf("%s/.%s.crc", part_dir, name);
        ok = demo_write_file(c, crc_path, crc, sizeof crc, mtime, false);
        free(crc_path);
    }
    free(name);
    return ok;
}

/* The files of day index `d` in part_dir; adds them to the tally. */
static bool demo_files_write_day(demo_ctx *c, demo_table_state *s, const char *location_dir,
                                 const char *part_dir, int d, int64_t day_bytes, int n,
                                 demo_files_tally *tally) {
    const demo_spec *t = s->spec;
    int32_t day = c->first_day + d;
    bool spread = n > 1 && (t->parts > 1 || t->growth == GROW_TINY || t->growth == GROW_FILES);
    int64_t batch_sod = (int64_t)t->batch_hour * 3600 + demo_rng_range(&s->rng, 0, 1799);
    int64_t last_time = -1;
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        int64_t sod;
        if (spread) {
            int64_t slot = 86400 / n;
            sod = i * slot + demo_rng_range(&s->rng, 0, slot > 1 ? slot - 1 : 0);
        } else {
            sod = batch_sod + i * 11;
        }
        int64_t mtime = demo_time(c, day, sod);
        int64_t target;
        if (t->growth == GROW_TINY || t->growth == GROW_FILES)
            target = demo_rng_range(&s->rng, t->file_min, t->file_max);
        else
            target = day_bytes / n + (i == 0 ? day_bytes % n : 0);
        if (t->format == DEMO_PARQUET)
            demo_content_parquet(&c->buf, &s->rng, (size_t)target);
        else
            demo_content_text(&c->buf, s, day, mtime, target);
        ok = demo_files_write_one(c, s, part_dir, day, mtime, i);
        tally->bytes[d] += (int64_t)c->buf.length;
        tally->objects[d]++;
        if (mtime > tally->newest[d])
            tally->newest[d] = mtime;
        if (mtime > last_time)
            last_time = mtime;
        if (tally->first_data < 0 || mtime < tally->first_data)
            tally->first_data = mtime;
    }
    if (ok)
        ok = demo_files_write_markers(c, t, location_dir, part_dir, day, last_time);
    if (last_time > tally->last_data)
        tally->last_data = last_time;
    return ok;
}

bool demo_files_write_table(demo_ctx *c, demo_table_state *s, demo_files_tally *tally) {
    const demo_spec *t = s->spec;
    size_t days = (size_t)c->days;
    tally->bytes = xcalloc(days, sizeof *tally->bytes);
    tally->objects = xcalloc(days, sizeof *tally->objects);
    tally->newest = xcalloc(days, sizeof *tally->newest);
    tally->first_data = tally->last_data = -1;
    int *tiny = t->growth == GROW_TINY ? demo_files_spread(c, t->total_files, &s->rng) : NULL;
    char *location_dir = xasprintf("%s/%s", c->dir, t->location);
    size_t ll = strlen(location_dir);
    while (ll > 0 && location_dir[ll - 1] == '/')
        location_dir[--ll] = '\0';
    char *made_dir = NULL; /* the last partition directory created */
    bool ok = demo_mkdirs(c, location_dir);
    for (int d = 0; ok && d < c->days; d++) {
        tally->newest[d] = -1;
        int64_t day_bytes = demo_files_day_bytes(c, t, d, &s->rng);
        int n = demo_files_count(t, d, day_bytes, tiny);
        if (n <= 0)
            continue;
        char *part_dir = demo_files_partition_dir(location_dir, t, c->first_day + d);
        ok = demo_files_enter_partition(c, t, part_dir, &made_dir) &&
             demo_files_write_day(c, s, location_dir, part_dir, d, day_bytes, n, tally);
        free(part_dir);
    }
    if (ok && (t->markers & MARK_TEMPORARY))
        ok = demo_files_write_temporary(c, s, location_dir);
    free(made_dir);
    free(location_dir);
    free(tiny);
    return ok;
}

void demo_files_tally_free(demo_files_tally *tally) {
    free(tally->bytes);
    free(tally->objects);
    free(tally->newest);
}

/* storing/sales/orders_old/: an old copy of orders beside the real table, in
 * no catalog entry. A scan by name prefix would wrongly count it. */
bool demo_files_write_orders_old(demo_ctx *c) {
    demo_rng rng = demo_rng_seed("sales", "orders_old", 0);
    char *base = xasprintf("%s/storing/sales/orders_old", c->dir);
    bool ok = true;
    int n_days = c->days < 12 ? c->days : 12;
    for (int d = 0; ok && d < n_days; d++) {
        int32_t day = c->first_day + d;
        char iso[16];
        char *dir = xasprintf("%s/dt=%s", base, fmt_day(day, iso, sizeof iso));
        ok = demo_mkdirs(c, dir);
        int64_t mtime = demo_time(c, day, 3600 + demo_rng_range(&rng, 0, 1799));
        for (int i = 0; ok && i < 2; i++) {
            uint64_t id = demo_rng_next(&rng);
            char *path = xasprintf("%s/part-%05d-%016" PRIx64 "-c000.snappy.parquet", dir, i, id);
            demo_content_parquet(&c->buf, &rng, (size_t)demo_rng_range(&rng, 40, 64) * DEMO_KIB);
            ok = demo_write_file(c, path, c->buf.data, c->buf.length, mtime, false);
            free(path);
        }
        if (ok)
            ok = demo_files_write_empty(c, dir, "_SUCCESS", mtime);
        free(dir);
    }
    free(base);
    return ok;
}
