/* formats_delta.c: a Delta table's result from its _delta_log/ as the
 * listing shows it: the newest version; every JSON commit from 0 replayed
 * when they are all there, else the checkpoint (_last_checkpoint's, else
 * the newest) and the commits after it; the newest version's .crc for the
 * live size; every commit file present marks what it references. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta_checkpoint.h"
#include "collector/formats/formats_internal.h"
#include "common/xalloc.h"

/* The log files of the listing, by kind. */
typedef struct formats_delta_files {
    const object_entry **commits; /* .json, sorted by version */
    int64_t *versions;
    size_t n_commits;
    const object_entry *checkpoint; /* the newest single-part one (or _last_checkpoint's) */
    int64_t checkpoint_version;
    int64_t multipart_version; /* the newest multi-part checkpoint; -1 none */
    const object_entry *last_checkpoint;
    const object_entry *crc; /* of the newest version */
    int64_t newest;
} formats_delta_files;

static void formats_delta_files_free(formats_delta_files *f) {
    free(f->commits);
    free(f->versions);
}

static int formats_delta_by_version(const void *a, const void *b) {
    const int64_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

static bool formats_delta_gather(const formats_listing *l, formats_delta_files *f, char **error) {
    memset(f, 0, sizeof *f);
    f->checkpoint_version = f->multipart_version = f->newest = -1;
    size_t cap = 0;
    int64_t *pairs = NULL; /* version, entry index */
    const object_entry *crcs_newest = NULL;
    int64_t crc_version = -1;
    for (size_t i = 0; i < l->n; i++) {
        const char *key = l->entries[i].key;
        if (strncmp(key, "_delta_log/", 11) != 0 || strchr(key + 11, '/'))
            continue;
        const char *name = key + 11;
        if (strcmp(name, "_last_checkpoint") == 0) {
            f->last_checkpoint = &l->entries[i];
            continue;
        }
        char kind = 0;
        int64_t v = delta_log_file_version(name, &kind);
        if (v < 0)
            continue;
        if (kind == 'j') {
            pairs = xgrow(pairs, &cap, 2 * (f->n_commits + 1), sizeof *pairs);
            pairs[2 * f->n_commits] = v;
            pairs[2 * f->n_commits + 1] = (int64_t)i;
            f->n_commits++;
        } else if (kind == 'p' && v > f->checkpoint_version) {
            f->checkpoint_version = v;
            f->checkpoint = &l->entries[i];
        } else if (kind == 'm' && v > f->multipart_version) {
            f->multipart_version = v;
        } else if (kind == 'c' && v > crc_version) {
            crc_version = v;
            crcs_newest = &l->entries[i];
        }
        if (kind != 'c' && v > f->newest)
            f->newest = v;
    }
    if (f->n_commits > 1)
        qsort(pairs, f->n_commits, 2 * sizeof *pairs, formats_delta_by_version);
    f->commits = xcalloc(f->n_commits ? f->n_commits : 1, sizeof *f->commits);
    f->versions = xcalloc(f->n_commits ? f->n_commits : 1, sizeof *f->versions);
    for (size_t i = 0; i < f->n_commits; i++) {
        f->versions[i] = pairs[2 * i];
        f->commits[i] = &l->entries[pairs[2 * i + 1]];
    }
    free(pairs);
    if (crc_version == f->newest)
        f->crc = crcs_newest;
    if (f->newest < 0) {
        *error = xstrdup("_delta_log/ has no commit file");
        return false;
    }
    return true;
}

char *formats_delta_key(const formats_listing *l, char **error) {
    formats_delta_files f;
    bool ok = formats_delta_gather(l, &f, error);
    int64_t newest = f.newest;
    formats_delta_files_free(&f);
    return ok ? xasprintf("delta %" PRId64, newest) : NULL;
}

static char *formats_delta_address(const formats_listing *l, const object_entry *e) {
    return xasprintf("%s/%s", l->base, e->key);
}

static bool formats_delta_fetch(const formats_io *io, formats_cache *cache,
                                const formats_listing *l, const object_entry *e, formats_result *r,
                                const char **data, size_t *length, char **error) {
    char *address = formats_delta_address(l, e);
    /* the I/O's reason names the object */
    bool ok = formats_cache_read(cache, io, address, e->size, r, data, length, error);
    if (!ok && !*error)
        *error = xasprintf("%s cannot be read", e->key);
    free(address);
    return ok;
}

/* The version of the checkpoint to start from: _last_checkpoint's when
 * its file is listed, else the newest listed. -1 none. */
static int64_t formats_delta_checkpoint(const formats_io *io, formats_cache *cache,
                                        const formats_listing *l, formats_delta_files *f,
                                        formats_result *r) {
    if (!f->last_checkpoint)
        return f->checkpoint_version;
    const char *data;
    size_t length;
    char *why = NULL;
    int64_t version = -1, parts = 1;
    if (!formats_delta_fetch(io, cache, l, f->last_checkpoint, r, &data, &length, &why) ||
        !delta_last_checkpoint_parse(data, length, &version, &parts, &why)) {
        free(why); /* the newest checkpoint listed stands in */
        return f->checkpoint_version;
    }
    if (parts > 1 || version == f->checkpoint_version)
        return f->checkpoint_version;
    char *name = xasprintf("_delta_log/%020" PRId64 ".checkpoint.parquet", version);
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->entries[i].key, name) == 0) {
            f->checkpoint = &l->entries[i];
            f->checkpoint_version = version;
            break;
        }
    }
    free(name);
    return f->checkpoint_version;
}

/* The version `previous`'s log stands at when the listing holds every
 * commit after it up to the newest (the log then goes on from there); -1
 * otherwise. */
static int64_t formats_delta_continues(const formats_result *previous,
                                       const formats_delta_files *f) {
    if (!previous || !previous->log || previous->error)
        return -1;
    delta_figures pf;
    delta_log_figures(previous->log, &pf);
    if (pf.version < 0 || pf.version >= f->newest)
        return -1;
    size_t i = 0;
    while (i < f->n_commits && f->versions[i] <= pf.version)
        i++;
    if (i == f->n_commits || f->versions[i] != pf.version + 1 ||
        f->versions[f->n_commits - 1] != f->newest ||
        f->newest - f->versions[i] != (int64_t)(f->n_commits - 1 - i))
        return -1;
    return pf.version;
}

bool formats_delta_read(const formats_io *io, formats_cache *cache, const formats_listing *l,
                        formats_result *previous, formats_result *r, char **error) {
    formats_delta_files f;
    if (!formats_delta_gather(l, &f, error)) {
        formats_delta_files_free(&f);
        return false;
    }
    /* the log of the last refresh goes on with the commits after it (its
     * result is spent: it no longer matches any key) */
    int64_t continued = formats_delta_continues(previous, &f);
    table_commit *before = NULL;
    size_t n_before = 0;
    if (continued >= 0) {
        r->log = previous->log;
        previous->log = NULL;
        free(previous->key);
        previous->key = NULL;
        before = previous->commits;
        n_before = previous->n_commits;
        previous->commits = NULL;
        previous->n_commits = 0;
    } else {
        r->log = delta_log_new();
        delta_log_set_root(r->log, l->base); /* absolute adds under the location */
    }
    /* every commit from 0: replayed, the checkpoint is not read */
    bool from_zero = continued >= 0 || (f.n_commits > 0 && f.versions[0] == 0 &&
                                        f.versions[f.n_commits - 1] == (int64_t)f.n_commits - 1 &&
                                        f.versions[f.n_commits - 1] == f.newest);
    int64_t start = continued >= 0 ? continued + 1 : 0;
    bool ok = true;
    const char *data;
    size_t length;
    char *why = NULL;
    if (!from_zero) {
        int64_t c = formats_delta_checkpoint(io, cache, l, &f, r);
        if (c < 0) {
            *error = f.multipart_version >= 0
                         ? xasprintf("_delta_log: the multi-part checkpoint of version %" PRId64
                                     " is not read, and the commits before it are gone",
                                     f.multipart_version)
                         : xasprintf("_delta_log: a gap in the log: no checkpoint, and version "
                                     "0 to %" PRId64 " are not all there",
                                     f.newest);
            ok = false;
        } else if (!formats_delta_fetch(io, cache, l, f.checkpoint, r, &data, &length, error)) {
            ok = false;
        } else if (!delta_checkpoint_read(data, length, r->log, &why)) {
            *error = xasprintf("%s: %s", f.checkpoint->key, why ? why : "not read");
            free(why);
            ok = false;
        } else {
            delta_log_set_version(r->log, c, f.checkpoint->mtime);
            start = c + 1;
        }
    }
    int64_t expected = start;
    for (size_t i = 0; i < f.n_commits && ok; i++) {
        const object_entry *e = f.commits[i];
        int64_t v = f.versions[i];
        if (continued >= 0 && v < start)
            continue; /* in the log already */
        if (!formats_delta_fetch(io, cache, l, e, r, &data, &length, error)) {
            ok = false;
        } else if (v < start) {
            ok = delta_log_reference_commit(r->log, data, length, &why);
        } else if (v != expected) {
            *error = xasprintf("_delta_log: a gap in the log: version %" PRId64 " follows %" PRId64,
                               v, expected - 1);
            ok = false;
        } else {
            ok = delta_log_apply_commit(r->log, v, data, length, e->mtime, &why);
            expected = v + 1;
        }
        if (!ok && why && !*error) {
            *error = xasprintf("%s: %s", e->key, why);
        }
        free(why);
        why = NULL;
    }
    if (ok && expected <= f.newest) {
        *error = xasprintf("_delta_log: version %" PRId64 ".json is missing (a gap in the log)",
                           expected);
        ok = false;
    }
    if (ok) {
        delta_figures fig;
        delta_log_figures(r->log, &fig);
        r->objects = fig.files;
        r->bytes = fig.bytes;
        r->records = fig.records;
        r->last_commit = fig.last_commit;
        r->format_version = fig.min_reader_version;
        if (fig.partition_columns && !r->partition_spec)
            r->partition_spec = xstrdup(fig.partition_columns);
        if (!r->file_format)
            r->file_format = xstrdup("parquet"); /* Delta keeps its data in Parquet */
        r->snapshots = (int64_t)f.n_commits;
        r->metadata_location = xasprintf("_delta_log/%020" PRId64 ".json", f.newest);
        int64_t size = -1, files = -1;
        if (f.crc && formats_delta_fetch(io, cache, l, f.crc, r, &data, &length, &why) &&
            delta_crc_parse(data, length, &size, &files, &why)) {
            r->bytes = size;
            r->objects = files;
        }
        free(why); /* a .crc that cannot be read: the replay's figures */
        size_t n_new = 0;
        table_commit *added = delta_log_take_commits(r->log, &n_new);
        r->n_commits = n_before + n_new;
        r->commits = r->n_commits ? xcalloc(r->n_commits, sizeof *r->commits) : NULL;
        if (n_before)
            memcpy(r->commits, before, n_before * sizeof *before);
        if (n_new)
            memcpy(r->commits + n_before, added, n_new * sizeof *added);
        free(before); /* their operations moved over */
        free(added);
        before = NULL;
        n_before = 0;
        for (size_t i = 0; i < r->n_commits; i++)
            if (r->commits[i].at >= 0 &&
                (r->oldest_snapshot < 0 || r->commits[i].at < r->oldest_snapshot))
                r->oldest_snapshot = r->commits[i].at;
    }
    table_commits_free(before, n_before);
    formats_delta_files_free(&f);
    return ok;
}
