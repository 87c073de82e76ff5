/* formats.c: an open-format table measured (formats.h): one listing of its
 * location, its metadata through the cache (formats_iceberg.c,
 * formats_delta.c; Hudi's timeline from the listing's names), and the
 * listed data files judged by what the metadata references. */
#include "collector/formats/formats.h"

#include <stdlib.h>
#include <string.h>

#include "collector/formats/formats_internal.h"
#include "collector/formats/hudi.h"
#include "common/xalloc.h"

/* The directory of the format's metadata, directly below the location. */
static const char *formats_metadata_dir(table_format format) {
    switch (format) {
    case TABLE_FORMAT_ICEBERG: return "metadata/";
    case TABLE_FORMAT_DELTA: return "_delta_log/";
    case TABLE_FORMAT_HUDI: return ".hoodie/";
    case TABLE_FORMAT_HIVE: break;
    }
    return NULL;
}

/* metadata_bytes, and the data files against what `r` references. */
static void formats_judge_files(table_stats *t, const formats_listing *l, const formats_result *r) {
    const char *dir = formats_metadata_dir(t->table_format);
    size_t dir_length = dir ? strlen(dir) : 0;
    t->metadata_bytes = 0;
    t->unreferenced_objects = t->unreferenced_bytes = t->retained_bytes = 0;
    for (size_t i = 0; i < l->n; i++) {
        const object_entry *e = &l->entries[i];
        if (dir && strncmp(e->key, dir, dir_length) == 0) {
            t->metadata_bytes += e->size;
            continue;
        }
        if (formats_is_marker(e->key))
            continue;
        int found = 0;
        if (r->referenced) {
            char *address = xasprintf("%s/%s", l->base, e->key);
            found = formats_set_find(r->referenced, address);
            free(address);
        } else if (r->log) {
            found = delta_log_is_live(r->log, e->key) ? 2 : delta_log_references(r->log, e->key);
        }
        if (found == 0) {
            t->unreferenced_objects++;
            t->unreferenced_bytes += e->size;
        } else if (found == 1) {
            t->retained_bytes += e->size;
        }
    }
}

/* The figures of a result into the table. */
static void formats_apply(table_stats *t, const formats_listing *l, const formats_result *r) {
    t->origin = FIGURES_METADATA;
    t->objects = r->objects;
    t->bytes = r->bytes;
    t->records = r->records;
    t->delete_files = r->delete_files;
    t->delete_bytes = r->delete_bytes;
    t->snapshots = r->snapshots;
    t->oldest_snapshot = r->oldest_snapshot;
    t->last_commit = r->last_commit;
    t->newest_object = r->last_commit;
    t->format_version = r->format_version;
    /* the partitions of an open format are in its metadata, not directories
     * of the catalog's keys: none when it is unpartitioned, else not counted */
    if (!t->n_partition_keys)
        t->partitions = r->partition_spec && !*r->partition_spec ? 0 : -1;
    free(t->metadata_location);
    t->metadata_location = r->metadata_location ? xstrdup(r->metadata_location) : NULL;
    free(t->partition_spec);
    t->partition_spec = r->partition_spec ? xstrdup(r->partition_spec) : NULL;
    /* Glue's Iceberg entries name no input format: the file format then
     * comes from the metadata (the catalog's own stays when it has one) */
    if (r->file_format && (!t->format || !*t->format || strcmp(t->format, "unknown") == 0)) {
        free(t->format);
        t->format = xstrdup(r->file_format);
    }
    table_commits_free(t->commits, t->n_commits);
    t->commits = table_commits_copy(r->commits, r->n_commits);
    t->n_commits = r->n_commits;
    formats_judge_files(t, l, r);
}

/* Hudi: the listing's figures, the timeline's commits. */
static void formats_hudi(table_stats *t, const formats_listing *l) {
    const char **names = xcalloc(l->n ? l->n : 1, sizeof *names);
    size_t n = 0;
    int64_t metadata = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (strncmp(l->entries[i].key, ".hoodie/", 8) == 0) {
            names[n++] = l->entries[i].key + 8;
            metadata += l->entries[i].size;
        }
    }
    t->metadata_bytes = metadata;
    int64_t last = -1, commits = -1;
    char *error = NULL;
    if (hudi_timeline_read(names, n, &last, &commits, &error)) {
        t->last_commit = last;
        t->snapshots = commits;
    } else {
        free(t->format_error);
        t->format_error = error;
    }
    free(names);
}

static char *formats_table_key(const table_stats *t) {
    return xasprintf("%s\t%s", t->database ? t->database : "", t->name ? t->name : "");
}

void formats_measure(table_stats *t, const formats_io *io, formats_cache *cache, int64_t now) {
    (void)now;
    char *name = xasprintf("%s.%s", t->database ? t->database : "", t->name ? t->name : "");
    formats_cache_debug("measure", name);
    free(name);
    free(t->format_error);
    t->format_error = NULL;
    object_entry *entries = NULL;
    size_t n = 0;
    char *error = NULL;
    if (!t->location || !*t->location) {
        free(t->error);
        t->error = xstrdup("no StorageDescriptor.Location in the catalog");
        return;
    }
    bool listed = io->list != NULL; /* NULL: from the metadata only (formats.h) */
    if (listed && !io->list(io->ctx, t->location, &entries, &n, &error)) {
        free(t->error);
        t->error = error ? error : xasprintf("cannot list %s", t->location);
        t->objects = t->bytes = t->newest_object = -1;
        return;
    }
    /* the listing's figures first: they stay when the metadata fails */
    if (listed) {
        formats_listing_hive(t, entries, n);
        t->origin = FIGURES_LISTING;
    } else {
        t->objects = t->bytes = t->newest_object = -1;
    }
    formats_listing l = {.entries = entries, .n = n, .base = io->canonical(io->ctx, t->location)};
    if (l.base) {
        size_t length = strlen(l.base);
        while (length > 0 && l.base[length - 1] == '/')
            l.base[--length] = '\0';
    }
    if (t->table_format == TABLE_FORMAT_HUDI) {
        formats_hudi(t, &l);
    } else if (!l.base) {
        t->format_error = xasprintf("location %s is not an address of this lake", t->location);
    } else {
        char *table = formats_table_key(t);
        char *key = t->table_format == TABLE_FORMAT_ICEBERG ? formats_iceberg_key(t)
                                                            : formats_delta_key(&l, &error);
        const formats_result *kept = key ? formats_cache_result(cache, table, key) : NULL;
        if (kept && kept->error) {
            error = xstrdup(kept->error);
        } else if (kept) {
            formats_apply(t, &l, kept);
        } else if (key) {
            formats_result *r = formats_result_new();
            r->key = xstrdup(key);
            bool ok = t->table_format == TABLE_FORMAT_ICEBERG
                          ? formats_iceberg_read(t, io, cache, &l, r, &error)
                          : formats_delta_read(io, cache, &l, formats_cache_last(cache, table), r,
                                               &error);
            if (ok) {
                formats_apply(t, &l, r);
                /* a Delta log goes on from its replay: its files are not
                 * kept; Iceberg's manifests are, for the next snapshots */
                if (r->log)
                    formats_result_unpin(cache, r);
                formats_cache_keep(cache, table, r);
            } else if (!r->read_failed && error) {
                /* immutable bytes that cannot be read: the same next time */
                formats_result_unpin(cache, r);
                r->error = xstrdup(error);
                formats_cache_keep(cache, table, r);
            } else {
                formats_result_free(cache, r);
            }
        }
        if (error) {
            t->format_error = error;
            error = NULL;
        } else if (!key) {
            t->format_error = xstrdup("no metadata_location in the catalog's parameters");
        }
        free(key);
        free(table);
    }
    if (!listed) {
        t->s3_objects = t->s3_bytes = t->metadata_bytes = -1;
        t->has_storage = false;
        t->unreferenced_objects = t->unreferenced_bytes = t->retained_bytes = -1;
    }
    free(error);
    free(l.base);
    object_entries_free(entries, n);
}
