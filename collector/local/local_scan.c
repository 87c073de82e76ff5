/* local_scan.c: a table's directory on the local lake, walked for its
 * storage figures (data objects, bytes, newest object, partitions, markers)
 * by the rules of collector/storage.h. */
#include "collector/local/local_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/formats/formats.h"
#include "collector/local/local_lake.h"
#include "collector/storage.h"

typedef struct local_scan {
    table_stats *table;
    size_t partition_depth;
    char *error;
    const char *top_level[2]; /* _delta_log, .hoodie directly under the location */
    size_t n_top_level;
} local_scan;

/* Walks `dirfd` (which it closes). `depth` is the number of directories below
 * the table location; `in_partitions` says whether every directory so far was
 * a key=value partition directory; in a `hidden` directory files count only
 * for s3_objects and s3_bytes (everything under the location). */
static void local_scan_walk(local_scan *scan, int dirfd, const char *path, size_t depth,
                            bool in_partitions, bool hidden) {
    DIR *d = fdopendir(dirfd);
    if (!d) {
        if (!scan->error)
            scan->error = xasprintf("cannot read %s: %s", path, strerror(errno));
        close(dirfd);
        return;
    }
    table_stats *t = scan->table;
    if (!hidden && in_partitions && depth == scan->partition_depth && depth > 0)
        t->partitions++;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT && !scan->error) /* vanished mid-scan: not an error */
                scan->error = xasprintf("cannot stat %s/%s: %s", path, e->d_name, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            /* _temporary, .spark-staging: not data, but on storage */
            bool hide = hidden || storage_is_hidden_dir(e->d_name);
            if (depth == 0 && scan->n_top_level < 2 &&
                (strcmp(e->d_name, "_delta_log") == 0 || strcmp(e->d_name, ".hoodie") == 0))
                scan->top_level[scan->n_top_level++] =
                    e->d_name[0] == '_' ? "_delta_log" : ".hoodie";
            char *sub = fs_join(path, e->d_name);
            int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                if (!scan->error)
                    scan->error = xasprintf("cannot read %s: %s", sub, strerror(errno));
            } else {
                bool part = in_partitions && depth < scan->partition_depth &&
                            storage_is_partition_name(e->d_name);
                local_scan_walk(scan, fd, sub, depth + 1, part, hide);
            }
            free(sub);
        } else if (S_ISREG(st.st_mode)) {
            t->s3_objects++;
            t->s3_bytes += st.st_size;
            cost_storage_add(&t->storage, COST_STANDARD, st.st_size); /* a disk has no classes */
            if (hidden)
                continue;
            if (storage_is_marker_name(e->d_name)) {
                t->marker_objects++;
                continue;
            }
            t->objects++;
            t->bytes += st.st_size;
            if (st.st_mtime > t->newest_object)
                t->newest_object = st.st_mtime;
        }
    }
    closedir(d);
}

void local_scan_table(const char *lake_dir, table_stats *t) {
    char *error = NULL;
    char *dir = local_lake_resolve(lake_dir, t->location, &error);
    t->objects = t->bytes = t->partitions = t->marker_objects = -1;
    t->newest_object = -1;
    t->has_storage = false;
    if (!dir) {
        free(t->error);
        t->error = error;
        return;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        free(t->error);
        t->error = errno == ENOENT ? xasprintf("location %s does not exist", dir)
                                   : xasprintf("cannot read %s: %s", dir, strerror(errno));
        free(dir);
        return;
    }
    t->objects = t->bytes = t->partitions = t->marker_objects = 0;
    t->s3_objects = t->s3_bytes = 0;
    t->storage = (cost_storage){0};
    t->has_storage = true;
    local_scan scan = {.table = t, .partition_depth = t->n_partition_keys};
    local_scan_walk(&scan, fd, dir, 0, true, false);
    formats_detect(t, scan.top_level, scan.n_top_level);
    if (scan.error) {
        free(t->error);
        t->error = scan.error;
    }
    free(dir);
}
