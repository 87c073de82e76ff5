/* local_source.c: the local lake as a lake_source: a refresh reads the
 * catalog (local_catalog.c), scans each table (local_scan.c) and reads the
 * query log; crawlers run through local_crawler.c. */
#include "collector/local/local_source.h"

#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "collector/figures/queries.h"
#include "collector/local/local_catalog.h"
#include "collector/local/local_crawler.h"
#include "collector/local/local_formats.h"
#include "collector/local/local_scan.h"

/* The local lake as a lake_source. */
typedef struct local_source {
    lake_source base;
    char *lake_dir;
    local_crawler_def *crawlers;
    size_t n_crawlers;
    formats_cache *formats; /* the open-format tables' metadata, across refreshes */
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
        table_stats *t = &s->tables[i];
        if (t->error)
            continue;
        /* a table the catalog says is Iceberg, Delta or Hudi: one listing,
         * in formats_measure; the scan may find a _delta_log/ or .hoodie/ */
        formats_detect(t, NULL, 0);
        if (t->table_format == TABLE_FORMAT_HIVE)
            local_scan_table(l->lake_dir, t);
        if (t->table_format != TABLE_FORMAT_HIVE && !t->error) {
            formats_io io;
            local_formats_io(&io, l->lake_dir);
            formats_measure(t, &io, l->formats, clock_now());
        }
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
    formats_cache_free(l->formats);
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
    l->formats = formats_cache_new();
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
