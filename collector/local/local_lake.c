/* local_lake.c: scans table directories and serves the local lake as a
 * lake_source (its catalog is local_catalog.c). */
#include "collector/local/local_lake.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"
#include "common/clock.h"
#include "collector/local/local_catalog.h"
#include "collector/local/local_crawler.h"
#include "collector/figures/queries.h"
#include "collector/source.h"
#include "collector/storage.h"

char *local_lake_resolve(const char *lake_dir, const char *location, char **error) {
    if (!location || !*location) {
        *error = xstrdup("no StorageDescriptor.Location in the catalog");
        return NULL;
    }
    if (strncmp(location, "file://", 7) == 0)
        return xstrdup(location + 7);
    if (strstr(location, "://")) {
        *error = xasprintf("location %s is not on the local lake", location);
        return NULL;
    }
    if (location[0] == '/')
        return xstrdup(location);
    return fs_join(lake_dir, location);
}

typedef struct local_lake_scan {
    table_stats *table;
    size_t partition_depth;
    char *error;
} local_lake_scan;

/* Walks `dirfd` (which it closes). `depth` is the number of directories below
 * the table location; `in_partitions` says whether every directory so far was
 * a key=value partition directory. */
static void local_lake_walk(local_lake_scan *scan, int dirfd, const char *path, size_t depth,
                            bool in_partitions) {
    DIR *d = fdopendir(dirfd);
    if (!d) {
        if (!scan->error)
            scan->error = xasprintf("cannot read %s: %s", path, strerror(errno));
        close(dirfd);
        return;
    }
    table_stats *t = scan->table;
    if (in_partitions && depth == scan->partition_depth && depth > 0)
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
            if (storage_is_hidden_dir(e->d_name))
                continue; /* _temporary, .spark-staging */
            char *sub = fs_join(path, e->d_name);
            int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                if (!scan->error)
                    scan->error = xasprintf("cannot read %s: %s", sub, strerror(errno));
            } else {
                bool part = in_partitions && depth < scan->partition_depth &&
                            storage_is_partition_name(e->d_name);
                local_lake_walk(scan, fd, sub, depth + 1, part);
            }
            free(sub);
        } else if (S_ISREG(st.st_mode)) {
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

void local_lake_scan_table(const char *lake_dir, table_stats *t) {
    char *error = NULL;
    char *dir = local_lake_resolve(lake_dir, t->location, &error);
    t->objects = t->bytes = t->partitions = t->marker_objects = -1;
    t->newest_object = -1;
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
    local_lake_scan scan = {.table = t, .partition_depth = t->n_partition_keys};
    local_lake_walk(&scan, fd, dir, 0, true);
    if (scan.error) {
        free(t->error);
        t->error = scan.error;
    }
    free(dir);
}

/* The local lake as a lake_source. */
typedef struct local_source {
    lake_source base;
    char *lake_dir;
    local_crawler_def *crawlers;
    size_t n_crawlers;
} local_source;

static void local_source_describe_crawlers(local_source *l, lake_snapshot *s) {
    if (!l->n_crawlers)
        return;
    s->crawlers = xcalloc(l->n_crawlers, sizeof *s->crawlers);
    for (size_t i = 0; i < l->n_crawlers; i++)
        local_crawler_describe(l->lake_dir, &l->crawlers[i], &s->crawlers[s->n_crawlers++]);
}

static const local_crawler_def *local_source_crawler(local_source *l, const char *name) {
    for (size_t i = 0; i < l->n_crawlers; i++)
        if (strcmp(l->crawlers[i].name, name) == 0)
            return &l->crawlers[i];
    return NULL;
}

static bool local_source_start_crawler(lake_source *self, const char *name, char **error) {
    local_source *l = (local_source *)self;
    const local_crawler_def *def = local_source_crawler(l, name);
    if (!def) {
        *error = xasprintf("EntityNotFoundException: no crawler named %s ([crawler %s] in the "
                           "config)",
                           name, name);
        return false;
    }
    /* a local crawl runs to the end here; its result is in the state file,
     * which get_crawler reads */
    local_crawl_result r;
    char *crawl_error = NULL;
    if (!local_crawler_run(l->lake_dir, def, clock_now(), &r, &crawl_error))
        free(crawl_error); /* recorded as the crawl's ErrorMessage */
    return true;
}

static bool local_source_get_crawler(lake_source *self, const char *name, crawler_info *out,
                                     char **error) {
    local_source *l = (local_source *)self;
    const local_crawler_def *def = local_source_crawler(l, name);
    if (!def) {
        *error = xasprintf("EntityNotFoundException: no crawler named %s", name);
        return false;
    }
    local_crawler_describe(l->lake_dir, def, out);
    return true;
}

void local_source_add_crawler(lake_source *source, const char *name, const char *path,
                              const char *database) {
    local_source *l = (local_source *)source;
    l->crawlers = xrealloc(l->crawlers, (l->n_crawlers + 1) * sizeof *l->crawlers);
    l->crawlers[l->n_crawlers++] = (local_crawler_def){
        .name = xstrdup(name), .path = xstrdup(path), .database = xstrdup(database)};
}

static bool local_source_read_catalog(lake_source *self, lake_snapshot *s, char **error) {
    if (!local_catalog_read(((local_source *)self)->lake_dir, s, error))
        return false;
    local_source_describe_crawlers((local_source *)self, s);
    return true;
}

static bool local_source_refresh(lake_source *self, lake_snapshot *s, const bool *stop,
                                 char **error) {
    local_source *l = (local_source *)self;
    if (!local_catalog_read(l->lake_dir, s, error))
        return false;
    local_source_describe_crawlers(l, s);
    for (size_t i = 0; i < s->n_tables; i++) {
        if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
            *error = NULL;
            return false;
        }
        if (!s->tables[i].error)
            local_lake_scan_table(l->lake_dir, &s->tables[i]);
    }
    /* the query log, when the lake keeps one: a broken log costs the
     * counts, never the refresh */
    char *log = xasprintf("%s/.laketop/queries.jsonl", l->lake_dir);
    char *log_error = NULL;
    if (!queries_read_log(log, s, clock_now(), &log_error))
        free(log_error);
    free(log);
    return true;
}

static void local_source_free(lake_source *self) {
    local_source *l = (local_source *)self;
    for (size_t i = 0; i < l->n_crawlers; i++) {
        free(l->crawlers[i].name);
        free(l->crawlers[i].path);
        free(l->crawlers[i].database);
    }
    free(l->crawlers);
    free(l->lake_dir);
    free(l->base.name);
    free(l);
}

/* The catalog's dump and restore writes (local_catalog.h). */
static bool local_source_dump(lake_source *self, json_object **dump, char **error) {
    return local_catalog_dump(((local_source *)self)->lake_dir, dump, error);
}

static bool local_source_create_database(lake_source *self, json_object *database, char **error) {
    return local_catalog_create_database(((local_source *)self)->lake_dir, database, error);
}

static bool local_source_put_table(lake_source *self, const char *database, json_object *table,
                                   bool replace, char **error) {
    return local_catalog_put_table(((local_source *)self)->lake_dir, database, table, replace,
                                   error);
}

static bool local_source_add_partitions(lake_source *self, const char *database, const char *table,
                                        json_object *partitions, char **error) {
    return local_catalog_add_partitions(((local_source *)self)->lake_dir, database, table,
                                        partitions, error);
}

lake_source *local_source_new(const char *lake_dir) {
    local_source *l = xcalloc(1, sizeof *l);
    l->lake_dir = xstrdup(lake_dir);
    l->base.name = xasprintf("local:%s", lake_dir);
    l->base.refresh = local_source_refresh;
    l->base.read_catalog = local_source_read_catalog;
    l->base.dump_catalog = local_source_dump;
    static const source_catalog_writes writes = {.create_database = local_source_create_database,
                                                 .put_table = local_source_put_table,
                                                 .add_partitions = local_source_add_partitions};
    static const source_crawlers crawlers = {.start_crawler = local_source_start_crawler,
                                             .get_crawler = local_source_get_crawler};
    l->base.writes = &writes;
    l->base.crawlers = &crawlers;
    l->base.free = local_source_free;
    return &l->base;
}

void lake_source_free(lake_source *source) {
    if (source)
        source->free(source);
}
