/* local_crawler.h: the local lake's crawler. A crawler is declared in the
 * config ([crawler NAME] path = storing/sales, database = sales): each
 * directory under `path` is a table. A crawl writes the table's Glue-shaped
 * catalog entry: Hive key=value partition keys, the format from the files'
 * names, columns from the CSV header or the JSON keys (parquet keeps the
 * columns it had), keeping the entry it replaces as a version
 * (local_catalog.h), and removes the entries it made for directories that
 * are gone, with their versions. It reports tables created, updated and
 * deleted, and keeps its last crawl in catalog/.crawlers.json. */
#ifndef LAKETOP_LOCAL_CRAWLER_H
#define LAKETOP_LOCAL_CRAWLER_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/snapshot.h"

typedef struct local_crawler_def {
    char *name;
    char *path;     /* relative to the lake */
    char *database; /* where its tables go */
} local_crawler_def;

typedef struct local_crawl_result {
    int64_t created;
    int64_t updated;
    int64_t deleted;
} local_crawl_result;

/* One crawl; the state file records it whatever the outcome. */
bool local_crawler_run(const char *lake_dir, const local_crawler_def *def, int64_t now,
                       local_crawl_result *result, char **error);
/* The crawler as crawler_info (state, last crawl, counts, its target). */
void local_crawler_describe(const char *lake_dir, const local_crawler_def *def, crawler_info *out);
/* Column names and Glue types from a CSV header line or a JSON object line
 * (malloc'd arrays; *n = 0 when none). Pure, for tests. */
void local_crawler_columns(const char *format, const char *first_line, table_column **columns,
                           size_t *n);

#endif
