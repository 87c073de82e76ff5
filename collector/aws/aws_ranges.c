/* aws_ranges.c: the AWS source's bounds of listing ranges (ranges.h), kept
 * in memory across refreshes and, with a state directory, in ranges.tsv
 * beside the incremental state: read at first use, written atomically
 * after each refresh. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "common/fs.h"
#include "common/xalloc.h"

/* ranges.tsv in the directory of the incremental state; NULL without one */
static char *aws_ranges_path(const aws_source *src) {
    if (!src->incr_path)
        return NULL;
    const char *slash = strrchr(src->incr_path, '/');
    if (!slash)
        return xstrdup("ranges.tsv");
    return xasprintf("%.*s/ranges.tsv", (int)(slash - src->incr_path), src->incr_path);
}

static void aws_ranges_load(aws_source *src) {
    if (src->ranges_loaded)
        return;
    src->ranges_loaded = true;
    char *path = aws_ranges_path(src);
    if (!path)
        return;
    size_t length = 0;
    char *error = NULL;
    char *text = fs_read_file(path, &length, &error);
    free(error); /* none yet: ranges from the directories, once */
    free(path);
    if (text && strlen(text) == length && !ranges_state_parse(text, &src->ranges)) {
        /* a broken file: its readable lines kept, the file rewritten */
    }
    free(text);
}

const ranges_table *aws_ranges_table(aws_source *src, const char *database, const char *table,
                                     const char *location) {
    aws_ranges_load(src);
    return ranges_state_find(&src->ranges, database, table, location);
}

void aws_ranges_put(aws_source *src, const char *database, const char *table, const char *location,
                    char **bounds, int64_t *counts, size_t n) {
    aws_ranges_load(src);
    ranges_state_put(&src->ranges, database, table, location, bounds, counts, n);
}

void aws_ranges_save(aws_source *src, const lake_snapshot *s) {
    if (aws_catalog_complete(s)) /* a database unread: its tables are not known gone */
        ranges_state_sweep(&src->ranges, aws_catalog_has_table, (void *)s);
    char *path = aws_ranges_path(src);
    if (!path || !src->ranges_loaded) {
        free(path);
        return;
    }
    char *text = ranges_state_format(&src->ranges);
    char *error = NULL;
    if (!fs_write_atomic(path, text, strlen(text), &error))
        free(error); /* the next run plans from directories, nothing worse */
    free(text);
    free(path);
}
