/* aws_formats.c: S3 for collector/formats/: GetObject and the listing of a
 * table's location through the source's object store (its request layer:
 * signed, retried, counted in the refresh's requests), addresses in one
 * spelling (s3://bucket/key; s3a:// and s3n:// too); and the refresh's
 * measure of every open-format table. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/formats/formats.h"
#include "collector/storage.h"
#include "common/clock.h"
#include "common/xalloc.h"

static char *aws_formats_canonical(void *ctx, const char *address) {
    (void)ctx;
    if (!address)
        return NULL;
    static const char *const schemes[] = {"s3://", "s3a://", "s3n://"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(address, schemes[i], n) == 0 && address[n] && address[n] != '/')
            return xasprintf("s3://%s", address + n);
    }
    return NULL;
}

static bool aws_formats_read(void *ctx, const char *address, char **data, size_t *length,
                             char **error) {
    aws_source *src = ctx;
    char *canonical = aws_formats_canonical(ctx, address);
    const char *slash = canonical ? strchr(canonical + 5, '/') : NULL;
    if (!slash || !slash[1]) {
        *error = xasprintf("%s is not an S3 object's address", address);
        free(canonical);
        return false;
    }
    char *bucket = xstrndup(canonical + 5, (size_t)(slash - canonical - 5));
    bool ok = aws_object_store.get_object(&src->base, bucket, slash + 1, data, length, error);
    free(bucket);
    free(canonical);
    return ok;
}

static bool aws_formats_list(void *ctx, const char *location, object_entry **entries, size_t *n,
                             char **error) {
    aws_source *src = ctx;
    char *canonical = aws_formats_canonical(ctx, location);
    char *bucket = NULL, *prefix = NULL;
    bool ok = canonical && storage_s3_parse(canonical, &bucket, &prefix, NULL);
    if (!ok)
        *error = xasprintf("location %s is not on S3", location);
    else
        ok = aws_object_store.list_objects(&src->base, bucket, prefix, entries, n, error);
    free(bucket);
    free(prefix);
    free(canonical);
    return ok;
}

void aws_formats_measure_metadata(aws_source *src, table_stats *t) {
    formats_io io = {.ctx = src, .read = aws_formats_read, .canonical = aws_formats_canonical};
    formats_measure(t, &io, src->formats, clock_now());
}

void aws_formats_measure(aws_source *src, lake_snapshot *s, const bool *stop) {
    formats_io io = {.ctx = src,
                     .read = aws_formats_read,
                     .list = aws_formats_list,
                     .canonical = aws_formats_canonical};
    int64_t now = clock_now();
    for (size_t i = 0; i < s->n_tables; i++) {
        if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
            return;
        table_stats *t = &s->tables[i];
        if (t->table_format != TABLE_FORMAT_HIVE && !t->error)
            formats_measure(t, &io, src->formats, now);
    }
}
