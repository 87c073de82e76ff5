/* formats_cache.c: the cache of immutable metadata objects and of each
 * table's computed result (formats_internal.h). */
#include "collector/formats/formats_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/xalloc.h"

#define FORMATS_BUCKETS 1024

struct formats_blob {
    formats_blob *next; /* in its bucket */
    char *key;          /* "address\nsize" */
    char *data;
    size_t length;
    size_t refs; /* results holding it */
};

typedef struct formats_kept {
    struct formats_kept *next;
    char *table;
    formats_result *result;
} formats_kept;

struct formats_cache {
    formats_blob *blobs[FORMATS_BUCKETS];
    formats_kept *results[FORMATS_BUCKETS];
    uint64_t reads;
};

static size_t formats_cache_bucket(const char *key) {
    return (size_t)(hash_fnv1a(key) % FORMATS_BUCKETS);
}

formats_cache *formats_cache_new(void) {
    return xcalloc(1, sizeof(formats_cache));
}

uint64_t formats_cache_reads(const formats_cache *cache) {
    return cache ? cache->reads : 0;
}

formats_result *formats_result_new(void) {
    formats_result *r = xcalloc(1, sizeof *r);
    r->objects = r->bytes = r->records = r->delete_files = r->delete_bytes = -1;
    r->snapshots = r->oldest_snapshot = r->last_commit = -1;
    return r;
}

static void formats_blob_release(formats_cache *cache, formats_blob *blob) {
    if (--blob->refs > 0)
        return;
    formats_blob **p = &cache->blobs[formats_cache_bucket(blob->key)];
    while (*p && *p != blob)
        p = &(*p)->next;
    if (*p)
        *p = blob->next;
    free(blob->key);
    free(blob->data);
    free(blob);
}

void formats_result_unpin(formats_cache *cache, formats_result *r) {
    for (size_t i = 0; i < r->n_blobs; i++)
        formats_blob_release(cache, r->blobs[i]);
    free(r->blobs);
    r->blobs = NULL;
    r->n_blobs = r->cap_blobs = 0;
}

void formats_result_free(formats_cache *cache, formats_result *r) {
    if (!r)
        return;
    formats_result_unpin(cache, r);
    free(r->error);
    free(r->key);
    free(r->metadata_location);
    free(r->partition_spec);
    free(r->file_format);
    table_commits_free(r->commits, r->n_commits);
    formats_set_free(r->referenced);
    delta_log_free(r->log);
    free(r);
}

void formats_cache_free(formats_cache *cache) {
    if (!cache)
        return;
    for (size_t b = 0; b < FORMATS_BUCKETS; b++) {
        for (formats_kept *k = cache->results[b], *next; k; k = next) {
            next = k->next;
            formats_result_free(cache, k->result);
            free(k->table);
            free(k);
        }
    }
    for (size_t b = 0; b < FORMATS_BUCKETS; b++) {
        for (formats_blob *blob = cache->blobs[b], *next; blob; blob = next) {
            next = blob->next; /* pins of a result never kept */
            free(blob->key);
            free(blob->data);
            free(blob);
        }
    }
    free(cache);
}

void formats_cache_debug(const char *what, const char *address) {
    const char *path = getenv("LAKETOP_FORMATS_DEBUG");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%s %s\n", what, address);
    fclose(f);
}

static void formats_pin(formats_result *pin, formats_blob *blob) {
    for (size_t i = 0; i < pin->n_blobs; i++)
        if (pin->blobs[i] == blob)
            return;
    pin->blobs = xgrow(pin->blobs, &pin->cap_blobs, pin->n_blobs + 1, sizeof *pin->blobs);
    pin->blobs[pin->n_blobs++] = blob;
    blob->refs++;
}

bool formats_cache_read(formats_cache *cache, const formats_io *io, const char *address,
                        int64_t size, formats_result *pin, const char **data, size_t *length,
                        char **error) {
    char *key = xasprintf("%s\n%lld", address, (long long)size);
    size_t b = formats_cache_bucket(key);
    formats_blob *blob = cache->blobs[b];
    while (blob && strcmp(blob->key, key) != 0)
        blob = blob->next;
    if (!blob) {
        char *bytes = NULL;
        size_t n = 0;
        cache->reads++;
        formats_cache_debug("read", address);
        if (!io->read(io->ctx, address, &bytes, &n, error)) {
            pin->read_failed = true;
            free(key);
            return false;
        }
        blob = xcalloc(1, sizeof *blob);
        blob->key = key;
        key = NULL;
        blob->data = bytes ? bytes : xstrdup("");
        blob->length = bytes ? n : 0;
        blob->next = cache->blobs[b];
        cache->blobs[b] = blob;
    }
    free(key);
    formats_pin(pin, blob);
    *data = blob->data;
    *length = blob->length;
    return true;
}

const formats_result *formats_cache_result(const formats_cache *cache, const char *table,
                                           const char *key) {
    for (formats_kept *k = cache->results[formats_cache_bucket(table)]; k; k = k->next)
        if (strcmp(k->table, table) == 0)
            return k->result && key && k->result->key && strcmp(k->result->key, key) == 0
                       ? k->result
                       : NULL;
    return NULL;
}

formats_result *formats_cache_last(formats_cache *cache, const char *table) {
    for (formats_kept *k = cache->results[formats_cache_bucket(table)]; k; k = k->next)
        if (strcmp(k->table, table) == 0)
            return k->result;
    return NULL;
}

void formats_cache_keep(formats_cache *cache, const char *table, formats_result *result) {
    size_t b = formats_cache_bucket(table);
    for (formats_kept *k = cache->results[b]; k; k = k->next) {
        if (strcmp(k->table, table) == 0) {
            formats_result *old = k->result;
            k->result = result; /* the new pins first: blobs both use stay */
            formats_result_free(cache, old);
            return;
        }
    }
    formats_kept *k = xcalloc(1, sizeof *k);
    k->table = xstrdup(table);
    k->result = result;
    k->next = cache->results[b];
    cache->results[b] = k;
}
