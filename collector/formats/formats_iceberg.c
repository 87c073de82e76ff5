/* formats_iceberg.c: an Iceberg table's result from its metadata file,
 * the manifest lists and the manifests of every retained snapshot (read
 * through the cache: each is immutable), parsed by iceberg.h. */
#include <stdlib.h>
#include <string.h>

#include "collector/formats/formats_internal.h"
#include "collector/formats/iceberg.h"
#include "common/xalloc.h"

char *formats_iceberg_key(const table_stats *t) {
    const char *location = formats_parameter(t, "metadata_location");
    return location && *location ? xstrdup(location) : NULL;
}

/* What one measure gathers beyond the result. */
typedef struct formats_iceberg {
    const formats_io *io;
    formats_cache *cache;
    formats_result *result;
    formats_set *manifests_done; /* canonical addresses of the manifests read */
    int64_t live_files, live_bytes, live_records;
} formats_iceberg;

static bool formats_iceberg_fetch(formats_iceberg *ice, const char *address, const char **data,
                                  size_t *length, char **error) {
    char *canonical = ice->io->canonical(ice->io->ctx, address);
    if (!canonical) {
        *error = xasprintf("%s is not an address of this lake", address);
        return false;
    }
    char *why = NULL;
    bool ok =
        formats_cache_read(ice->cache, ice->io, canonical, -1, ice->result, data, length, &why);
    if (!ok) {
        *error = xasprintf("%s: %s", address, why ? why : "cannot be read");
        free(why);
    }
    free(canonical);
    return ok;
}

/* One manifest: its files referenced (live when of the current snapshot,
 * whose figures it adds to). A manifest of the current snapshot is read
 * again for the current one's sums when an older snapshot came first; it
 * never is, the current snapshot goes first. */
static bool formats_iceberg_manifest(formats_iceberg *ice, const char *address, bool current,
                                     char **error) {
    char *canonical = ice->io->canonical(ice->io->ctx, address);
    if (canonical && formats_set_find(ice->manifests_done, canonical)) {
        free(canonical);
        return true;
    }
    const char *data;
    size_t length;
    if (!formats_iceberg_fetch(ice, address, &data, &length, error)) {
        free(canonical);
        return false;
    }
    iceberg_file *files = NULL;
    size_t n = 0;
    char *why = NULL;
    if (!iceberg_manifest_read(data, length, &files, &n, &why)) {
        *error = xasprintf("manifest %s: %s", address, why ? why : "not a manifest");
        free(why);
        free(canonical);
        return false;
    }
    formats_result *r = ice->result;
    for (size_t i = 0; i < n; i++) {
        const iceberg_file *f = &files[i];
        if (f->status == 2 || !f->path)
            continue; /* DELETED */
        char *path = ice->io->canonical(ice->io->ctx, f->path);
        if (path)
            formats_set_add(r->referenced, path, current);
        free(path);
        if (!current)
            continue;
        if (f->content == 0) {
            ice->live_files++;
            ice->live_bytes += f->size > 0 ? f->size : 0;
            ice->live_records += f->records > 0 ? f->records : 0;
        } else {
            r->delete_files++;
            r->delete_bytes += f->size > 0 ? f->size : 0;
        }
    }
    iceberg_files_free(files, n);
    if (canonical)
        formats_set_add(ice->manifests_done, canonical, false);
    free(canonical);
    return true;
}

/* A snapshot's manifests, from its manifest list or (v1) its own list. */
static bool formats_iceberg_snapshot(formats_iceberg *ice, const iceberg_snapshot *s, bool current,
                                     char **error) {
    if (!s->manifest_list) {
        for (size_t i = 0; i < s->n_manifests; i++)
            if (!formats_iceberg_manifest(ice, s->manifests[i], current, error))
                return false;
        return true;
    }
    const char *data;
    size_t length;
    if (!formats_iceberg_fetch(ice, s->manifest_list, &data, &length, error))
        return false;
    iceberg_manifest_ref *refs = NULL;
    size_t n = 0;
    char *why = NULL;
    if (!iceberg_manifest_list_read(data, length, &refs, &n, &why)) {
        *error = xasprintf("manifest list %s: %s", s->manifest_list, why ? why : "not one");
        free(why);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        ok = formats_iceberg_manifest(ice, refs[i].path, current, error);
    iceberg_manifest_refs_free(refs, n);
    return ok;
}

static int formats_iceberg_commit_order(const void *a, const void *b) {
    const table_commit *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

static void formats_iceberg_commits(formats_result *r, const iceberg_metadata *md) {
    r->commits = md->n_snapshots ? xcalloc(md->n_snapshots, sizeof *r->commits) : NULL;
    r->n_commits = md->n_snapshots;
    for (size_t i = 0; i < md->n_snapshots; i++) {
        const iceberg_snapshot *s = &md->snapshots[i];
        r->commits[i] = (table_commit){
            .id = s->id,
            .at = s->timestamp_ms >= 0 ? s->timestamp_ms / 1000 : -1,
            .operation = s->operation ? xstrdup(s->operation) : NULL,
            .added_files = s->added_data_files,
            .removed_files = s->deleted_data_files,
            .added_records = s->added_records,
            .removed_records = s->deleted_records,
            .total_files = s->total_data_files,
            .total_bytes = s->total_files_size,
            .total_records = s->total_records,
        };
        int64_t at = r->commits[i].at;
        if (at >= 0 && (r->oldest_snapshot < 0 || at < r->oldest_snapshot))
            r->oldest_snapshot = at;
    }
    if (r->n_commits > 1)
        qsort(r->commits, r->n_commits, sizeof *r->commits, formats_iceberg_commit_order);
}

bool formats_iceberg_read(const table_stats *t, const formats_io *io, formats_cache *cache,
                          const formats_listing *listing, formats_result *r, char **error) {
    (void)listing;
    const char *address = formats_parameter(t, "metadata_location");
    formats_iceberg ice = {.io = io, .cache = cache, .result = r};
    const char *data;
    size_t length;
    char *why = NULL;
    if (!formats_iceberg_fetch(&ice, address, &data, &length, error))
        return false;
    iceberg_metadata md = {0};
    if (!iceberg_metadata_parse(data, length, &md, &why)) {
        *error = xasprintf("%s: %s", address, why ? why : "not an Iceberg metadata file");
        free(why);
        return false;
    }
    r->referenced = formats_set_new();
    ice.manifests_done = formats_set_new();
    r->delete_files = r->delete_bytes = 0;
    r->format_version = md.format_version;
    r->metadata_location = xstrdup(address);
    r->partition_spec = md.partition_spec ? xstrdup(md.partition_spec) : NULL;
    r->file_format = md.file_format ? xstrdup(md.file_format) : NULL;
    r->snapshots = (int64_t)md.n_snapshots;
    formats_iceberg_commits(r, &md);
    const iceberg_snapshot *current = iceberg_current_snapshot(&md);
    bool ok = true;
    if (current)
        ok = formats_iceberg_snapshot(&ice, current, true, error);
    for (size_t i = 0; i < md.n_snapshots && ok; i++)
        if (&md.snapshots[i] != current)
            ok = formats_iceberg_snapshot(&ice, &md.snapshots[i], false, error);
    if (ok && current) {
        r->objects = current->total_data_files >= 0 ? current->total_data_files : ice.live_files;
        r->bytes = current->total_files_size >= 0 ? current->total_files_size : ice.live_bytes;
        r->records = current->total_records >= 0 ? current->total_records : ice.live_records;
        r->last_commit = current->timestamp_ms >= 0 ? current->timestamp_ms / 1000 : -1;
    } else if (ok) { /* no snapshot yet: an empty table */
        r->objects = r->bytes = r->records = 0;
    }
    formats_set_free(ice.manifests_done);
    iceberg_metadata_clear(&md);
    return ok;
}
