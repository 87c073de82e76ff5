/* demo_iceberg.c: weblogs.events, the demo's Iceberg table (format version
 * 2, partitioned by day(event_ts)), written commit by commit as a Spark job
 * and its maintenance would leave it over the last 40 days:
 *  - a daily append (the day's partition, 2 to 4 files);
 *  - 22 days ago, a compaction (operation "replace") of the partitions
 *    older than that, one file each; 8 days ago another, of the partitions
 *    from 22 to 9 days ago;
 *  - 5 days ago, an expiry of the snapshots older than 12 days, their files
 *    left in place: the files the first compaction replaced are no longer
 *    referenced by any snapshot (unreferenced), those of the second are
 *    still held by the snapshots before it (retained);
 *  - 3 days ago, a write that failed before its commit: orphan files;
 *  - 2 days ago, a row-level delete: one position delete file.
 * Every commit writes a manifest list, its new manifests and a metadata
 * version (v1 is the table's creation, with no snapshot). Data files are
 * parquet-shaped bytes of the sizes the manifests say. */
#include "tools/demo_iceberg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define ICE_DAYS 40             /* days of commits */
#define ICE_FIRST_REPLACE 22    /* days ago: compacts the partitions older than this */
#define ICE_SECOND_REPLACE 8    /* days ago: compacts those from 22 to 9 days ago */
#define ICE_EXPIRE 5            /* days ago: expires the snapshots ... */
#define ICE_EXPIRE_BEFORE 12    /* ... older than the append of 12 days ago */
#define ICE_FAILED_WRITE 3      /* days ago: orphans of a failed write */
#define ICE_DELETE 2            /* days ago: a row-level delete ... */
#define ICE_DELETE_PARTITION 20 /* ... in the partition of 20 days ago */
#define ICE_ROW_BYTES 52        /* average bytes of a row in the data files */

/* ---- the files ---- */

/* A new data or delete file of `size` bytes in the partition of `day`,
 * written at `mtime`; returns its index. */
static size_t ice_write_file(ice_table *t, int content, int32_t day, int64_t size, int64_t records,
                             int task, const char *uuid, int64_t mtime, bool *ok) {
    demo_ctx *c = t->c;
    char iso[16];
    fmt_day(day, iso, sizeof iso);
    char *dir = xasprintf("%s/%s/data/event_ts_day=%s", c->dir, t->location, iso);
    *ok = *ok && demo_mkdirs(c, dir);
    free(dir);
    t->files = xrealloc(t->files, (t->n_files + 1) * sizeof *t->files);
    ice_file *f = &t->files[t->n_files];
    *f = (ice_file){.content = content, .day = day, .size = size, .records = records};
    f->path = xasprintf("%s/data/event_ts_day=%s/%05d-%d-%s-%05d%s.parquet", t->location, iso, 0,
                        task, uuid, 1, content ? "-deletes" : "");
    if (*ok) {
        demo_content_parquet(&c->buf, &t->rng, (size_t)size);
        char *path = xasprintf("%s/%s", c->dir, f->path);
        *ok = demo_write_file(c, path, c->buf.data, c->buf.length, mtime, false);
        free(path);
        strbuf_free(&c->buf);
    }
    return t->n_files++;
}

/* ---- commits ---- */

/* A commit in the making: the snapshot's id, sequence number and the
 * manifests it writes. */
typedef struct ice_commit {
    int64_t id, seq, ms;
    char uuid[37];
    size_t *added; /* manifests it writes, first in its list */
    size_t n_added;
    bool *dropped; /* per manifest of the parent: left out */
} ice_commit;

static ice_commit ice_commit_begin(ice_table *t, int64_t ms) {
    ice_commit k = {.ms = ms};
    k.id = (int64_t)(demo_rng_next(&t->rng) >> 1);
    k.seq = t->current >= 0 ? t->snapshots[t->current].seq + 1 : 1;
    demo_rng_uuid(&t->rng, k.uuid);
    k.dropped = xcalloc(t->n_manifests + 1, sizeof *k.dropped);
    return k;
}

/* A new manifest of the commit; entries are added to the one returned. */
static ice_manifest *ice_commit_manifest(ice_table *t, ice_commit *k, int content) {
    t->manifests = xrealloc(t->manifests, (t->n_manifests + 1) * sizeof *t->manifests);
    ice_manifest *m = &t->manifests[t->n_manifests];
    *m = (ice_manifest){.content = content, .seq = k->seq, .min_seq = k->seq, .snapshot_id = k->id};
    m->path = xasprintf("%s/metadata/%s-m%zu.avro", t->location, k->uuid, k->n_added);
    k->added = xrealloc(k->added, (k->n_added + 1) * sizeof *k->added);
    k->added[k->n_added++] = t->n_manifests++;
    return m;
}

static void ice_manifest_add(ice_table *t, ice_manifest *m, size_t file, int status) {
    m->entries = xrealloc(m->entries, (m->n_entries + 1) * sizeof *m->entries);
    m->entries[m->n_entries++] = (ice_entry){.file = file, .status = status};
    if (status == ICE_ADDED) {
        t->files[file].seq = m->seq;
        t->files[file].snapshot_id = m->snapshot_id;
    } else if (status == ICE_EXISTING && t->files[file].seq < m->min_seq) {
        m->min_seq = t->files[file].seq;
    }
}

/* True when manifest m has a file that is not deleted in it. */
static bool ice_manifest_holds_files(const ice_manifest *m) {
    for (size_t i = 0; i < m->n_entries; i++)
        if (m->entries[i].status != ICE_DELETED)
            return true;
    return false;
}

/* Writes the commit's manifests, its manifest list and a metadata version;
 * the summary's changes are in *s, the totals are figured here. */
static bool ice_commit_finish(ice_table *t, ice_commit *k, const char *operation, ice_snapshot *s) {
    bool ok = true;
    for (size_t i = 0; ok && i < k->n_added; i++)
        ok = demo_iceberg_write_manifest(t, &t->manifests[k->added[i]], k->ms / 1000);
    s->id = k->id;
    s->seq = k->seq;
    s->ms = k->ms;
    s->operation = operation;
    s->parent = t->current >= 0 ? t->snapshots[t->current].id : -1;
    s->manifest_list =
        xasprintf("%s/metadata/snap-%" PRId64 "-1-%s.avro", t->location, k->id, k->uuid);
    /* The new manifests first, then the parent's that still hold files. */
    s->manifests = xcalloc(t->n_manifests, sizeof *s->manifests);
    for (size_t i = 0; i < k->n_added; i++)
        s->manifests[s->n_manifests++] = k->added[i];
    if (t->current >= 0) {
        const ice_snapshot *parent = &t->snapshots[t->current];
        for (size_t i = 0; i < parent->n_manifests; i++) {
            size_t m = parent->manifests[i];
            if (!k->dropped[m] && ice_manifest_holds_files(&t->manifests[m]))
                s->manifests[s->n_manifests++] = m;
        }
    }
    for (size_t i = 0; i < t->n_files; i++) {
        const ice_file *f = &t->files[i];
        if (!f->live)
            continue;
        s->total_size += f->size;
        if (f->content == 0) {
            s->total_files++;
            s->total_records += f->records;
        } else {
            s->total_delete_files++;
            s->total_position_deletes += f->records;
        }
    }
    ok = ok && demo_iceberg_write_manifest_list(t, s);
    t->snapshots = xrealloc(t->snapshots, (t->n_snapshots + 1) * sizeof *t->snapshots);
    t->snapshots[t->n_snapshots] = *s;
    t->current = (int)t->n_snapshots++;
    free(k->added);
    free(k->dropped);
    return ok && demo_iceberg_write_metadata(t, k->ms);
}

/* The day's append: 2 to 4 files (fewer at weekends), a little larger
 * each week. */
static bool ice_append(ice_table *t, int32_t day, int ago, int64_t ms) {
    ice_commit k = ice_commit_begin(t, ms);
    ice_manifest *m = ice_commit_manifest(t, &k, 0);
    int weekday = (int)(((int64_t)day + 4) % 7);
    bool weekend = weekday == 0 || weekday == 6;
    int n = weekend ? 2 : (int)demo_rng_range(&t->rng, 3, 4);
    double growth = 1.0 + 0.4 * (double)(ICE_DAYS - 1 - ago) / (ICE_DAYS - 1);
    ice_snapshot s = {.changed_partitions = 1};
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int64_t size = (int64_t)(growth * (double)demo_rng_range(&t->rng, 16, 40) * DEMO_KIB);
        int64_t records = size / ICE_ROW_BYTES - demo_rng_range(&t->rng, 0, 99);
        size_t f = ice_write_file(t, 0, day, size, records, i, k.uuid, ms / 1000 - 20 + i, &ok);
        t->files[f].live = true;
        ice_manifest_add(t, m, f, ICE_ADDED);
        s.added_files++;
        s.added_records += records;
        s.added_size += size;
    }
    return ok && ice_commit_finish(t, &k, "append", &s);
}

/* Compacts the live data files of the partitions lo..hi (days) into one
 * file each; false only on a failed write (a range without files is no
 * commit). */
static bool ice_replace(ice_table *t, int32_t lo, int32_t hi, int64_t ms) {
    if (t->current < 0)
        return true;
    const ice_snapshot *parent = &t->snapshots[t->current];
    bool any = false;
    for (size_t i = 0; i < t->n_files && !any; i++)
        any = t->files[i].live && t->files[i].content == 0 && t->files[i].day >= lo &&
              t->files[i].day <= hi;
    if (!any)
        return true;
    ice_commit k = ice_commit_begin(t, ms);
    ice_manifest *added = ice_commit_manifest(t, &k, 0);
    size_t added_index = k.added[0];
    ice_manifest *rewritten = ice_commit_manifest(t, &k, 0);
    added = &t->manifests[added_index]; /* the array may have moved */
    ice_snapshot s = {0};
    bool ok = true;
    for (int32_t day = lo; ok && day <= hi; day++) {
        int64_t bytes = 0, records = 0;
        for (size_t i = 0; i < t->n_files; i++) {
            const ice_file *f = &t->files[i];
            if (f->live && f->content == 0 && f->day == day) {
                bytes += f->size;
                records += f->records;
            }
        }
        if (bytes == 0)
            continue;
        /* Fewer, larger row groups compress a little better. */
        int64_t size = bytes * (900 + demo_rng_range(&t->rng, 0, 50)) / 1000;
        size_t out =
            ice_write_file(t, 0, day, size, records, (int)(day - lo), k.uuid, ms / 1000 - 60, &ok);
        added = &t->manifests[added_index];
        ice_manifest_add(t, added, out, ICE_ADDED);
        s.added_files++;
        s.added_records += records;
        s.added_size += size;
        s.changed_partitions++;
    }
    /* Every manifest of the parent that holds a replaced file is rewritten:
     * its replaced files DELETED, the others EXISTING. */
    rewritten = &t->manifests[k.added[1]];
    for (size_t i = 0; i < parent->n_manifests; i++) {
        const ice_manifest *m = &t->manifests[parent->manifests[i]];
        bool affected = false;
        for (size_t e = 0; e < m->n_entries && !affected; e++) {
            const ice_file *f = &t->files[m->entries[e].file];
            affected = m->entries[e].status != ICE_DELETED && f->content == 0 && f->day >= lo &&
                       f->day <= hi;
        }
        if (!affected)
            continue;
        k.dropped[parent->manifests[i]] = true;
        for (size_t e = 0; e < m->n_entries; e++) {
            size_t fi = m->entries[e].file;
            ice_file *f = &t->files[fi];
            if (m->entries[e].status == ICE_DELETED)
                continue;
            if (f->day >= lo && f->day <= hi) {
                f->live = false;
                ice_manifest_add(t, rewritten, fi, ICE_DELETED);
                s.deleted_files++;
                s.deleted_records += f->records;
                s.removed_size += f->size;
            } else {
                ice_manifest_add(t, rewritten, fi, ICE_EXISTING);
            }
        }
    }
    for (size_t e = 0; e < added->n_entries; e++)
        t->files[added->entries[e].file].live = true;
    return ok && ice_commit_finish(t, &k, "replace", &s);
}

/* Position deletes against the first live data file of the partition
 * nearest to `day` (the oldest one when the lake is younger). */
static bool ice_delete(ice_table *t, int32_t day, int64_t ms) {
    size_t target = t->n_files;
    int32_t best = INT32_MAX;
    for (size_t i = 0; i < t->n_files; i++) {
        const ice_file *f = &t->files[i];
        int32_t distance = f->day > day ? f->day - day : day - f->day;
        if (f->live && f->content == 0 && distance < best) {
            best = distance;
            target = i;
        }
    }
    if (target == t->n_files)
        return true;
    ice_commit k = ice_commit_begin(t, ms);
    ice_manifest *m = ice_commit_manifest(t, &k, 1);
    int64_t rows = demo_rng_range(&t->rng, 20, 60);
    int64_t size = 1400 + rows * 12;
    bool ok = true;
    size_t f =
        ice_write_file(t, 1, t->files[target].day, size, rows, 0, k.uuid, ms / 1000 - 5, &ok);
    m = &t->manifests[k.added[0]];
    t->files[f].live = true;
    ice_manifest_add(t, m, f, ICE_ADDED);
    ice_snapshot s = {.added_delete_files = 1,
                      .added_position_deletes = rows,
                      .added_size = size,
                      .changed_partitions = 1};
    return ok && ice_commit_finish(t, &k, "delete", &s);
}

/* Removes the snapshots older than `before_ms` from the metadata (not the
 * current one); their files stay. */
static bool ice_expire(ice_table *t, int64_t before_ms, int64_t ms) {
    for (size_t i = 0; i < t->n_snapshots; i++)
        if (t->snapshots[i].ms < before_ms && (int)i != t->current)
            t->snapshots[i].expired = true;
    return demo_iceberg_write_metadata(t, ms);
}

/* A write that failed after its files and before its commit. */
static bool ice_failed_write(ice_table *t, int32_t day, int64_t mtime) {
    char uuid[37];
    demo_rng_uuid(&t->rng, uuid);
    bool ok = true;
    for (int i = 0; ok && i < 4; i++) {
        int64_t size = demo_rng_range(&t->rng, 64, 100) * DEMO_KIB;
        ice_write_file(t, 0, day, size, size / ICE_ROW_BYTES, i, uuid, mtime + i, &ok);
    }
    return ok;
}

/* ---- the table ---- */

static void ice_live_totals(const ice_table *t, int64_t *files, int64_t *bytes) {
    *files = *bytes = 0;
    if (t->current >= 0) {
        *files = t->snapshots[t->current].total_files;
        *bytes = t->snapshots[t->current].total_size;
    }
}

static void ice_table_free(ice_table *t) {
    for (size_t i = 0; i < t->n_files; i++)
        free(t->files[i].path);
    for (size_t i = 0; i < t->n_manifests; i++) {
        free(t->manifests[i].path);
        free(t->manifests[i].entries);
    }
    for (size_t i = 0; i < t->n_snapshots; i++) {
        free(t->snapshots[i].manifest_list);
        free(t->snapshots[i].manifests);
    }
    for (size_t i = 0; i < t->n_versions; i++)
        free(t->versions[i]);
    free(t->files);
    free(t->manifests);
    free(t->snapshots);
    free(t->versions);
    free(t->version_ms);
    free(t->location);
    free(t->uuid);
}

/* One day's commits, in the order of their times. */
static bool ice_write_day(ice_table *t, int ago, int64_t *expire_before) {
    demo_ctx *c = t->c;
    int32_t day = c->today - ago;
    int64_t ms = demo_time(c, day, 3600 + demo_rng_range(&t->rng, 0, 1799)) * 1000 +
                 demo_rng_range(&t->rng, 0, 999);
    bool ok = ice_append(t, day, ago, ms);
    if (ago == ICE_EXPIRE_BEFORE)
        *expire_before = ms;
    if (ok && ago == ICE_FAILED_WRITE)
        ok = ice_failed_write(t, day, demo_time(c, day, 10 * 3600 + 600));
    if (ok && ago == ICE_FIRST_REPLACE)
        ok = ice_replace(t, c->today - (ICE_DAYS - 1), day - 1,
                         demo_time(c, day, 13 * 3600 + 420) * 1000 + 250);
    if (ok && ago == ICE_SECOND_REPLACE)
        ok = ice_replace(t, c->today - ICE_FIRST_REPLACE, day - 1,
                         demo_time(c, day, 13 * 3600 + 380) * 1000 + 125);
    if (ok && ago == ICE_EXPIRE && *expire_before >= 0)
        ok = ice_expire(t, *expire_before, demo_time(c, day, 15 * 3600 + 30) * 1000 + 500);
    if (ok && ago == ICE_DELETE)
        ok = ice_delete(t, c->today - ICE_DELETE_PARTITION,
                        demo_time(c, day, 16 * 3600 + 900) * 1000 + 750);
    return ok;
}

bool demo_iceberg_write(demo_ctx *c) {
    ice_table t = {.c = c, .database = "weblogs", .name = "events", .current = -1};
    t.rng = demo_rng_seed(t.database, t.name, 0);
    t.location = xstrdup("storing/weblogs/events");
    char uuid[37];
    demo_rng_uuid(&t.rng, uuid);
    t.uuid = xstrdup(uuid);
    int first = c->days < ICE_DAYS ? c->days - 1 : ICE_DAYS - 1;
    char *metadata_dir = xasprintf("%s/%s/metadata", c->dir, t.location);
    bool ok = demo_mkdirs(c, metadata_dir);
    free(metadata_dir);
    /* created (v1, no snapshot) shortly before the first append */
    int64_t created = demo_time(c, c->today - first, 2400);
    ok = ok && demo_iceberg_write_metadata(&t, created * 1000);

    demo_files_tally tally = {.first_data = -1, .last_data = -1};
    tally.bytes = xcalloc((size_t)c->days, sizeof *tally.bytes);
    tally.objects = xcalloc((size_t)c->days, sizeof *tally.objects);
    tally.newest = xcalloc((size_t)c->days, sizeof *tally.newest);
    for (int d = 0; d < c->days; d++)
        tally.newest[d] = -1;
    int64_t expire_before = -1, files = 0, bytes = 0;
    for (int ago = first; ok && ago >= 0; ago--) {
        size_t before = t.n_snapshots;
        ok = ice_write_day(&t, ago, &expire_before);
        int d = c->days - 1 - ago;
        int64_t day_files, day_bytes;
        ice_live_totals(&t, &day_files, &day_bytes);
        tally.objects[d] = day_files - files;
        tally.bytes[d] = day_bytes - bytes;
        files = day_files;
        bytes = day_bytes;
        for (size_t i = before; i < t.n_snapshots; i++)
            if (t.snapshots[i].ms / 1000 > tally.newest[d])
                tally.newest[d] = t.snapshots[i].ms / 1000;
    }
    if (ok) {
        size_t n_columns;
        const demo_column *columns = demo_iceberg_columns(&n_columns);
        demo_open_table entry = {
            .database = t.database,
            .name = t.name,
            .description = "Web events as an Iceberg table (compacted, snapshots expired)",
            .location = t.location,
            .columns = columns,
            .n_columns = n_columns,
            .metadata_location = t.versions[t.n_versions - 1],
            .previous_metadata_location = t.n_versions > 1 ? t.versions[t.n_versions - 2] : NULL,
            .create_time = created,
            .update_time = t.version_ms[t.n_versions - 1] / 1000,
        };
        ok = demo_catalog_write_open_table(c, &entry);
    }
    if (ok) {
        demo_spec spec = {.database = t.database, .name = t.name};
        demo_history_record_table(c, &spec, &tally);
    }
    demo_files_tally_free(&tally);
    ice_table_free(&t);
    return ok;
}
