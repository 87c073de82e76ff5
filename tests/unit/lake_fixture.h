/* lake_fixture.h: a tiny lake on disk for the collector tests. */
#ifndef LAKETOP_LAKE_FIXTURE_H
#define LAKETOP_LAKE_FIXTURE_H

#include "unit_tmp.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

static void fixture_file(const char *root, const char *rel, size_t bytes, long mtime) {
    char *path = fs_join(root, rel);
    char *dir = xstrdup(path);
    *strrchr(dir, '/') = '\0';
    char *error = NULL;
    if (!fs_mkdirs(dir, &error)) {
        fprintf(stderr, "%s\n", error);
        abort();
    }
    FILE *fp = fopen(path, "w");
    for (size_t i = 0; i < bytes; i++)
        fputc('x', fp);
    fclose(fp);
    struct timeval tv[2] = {{mtime, 0}, {mtime, 0}};
    utimes(path, tv);
    free(dir);
    free(path);
}

static void fixture_text(const char *root, const char *rel, const char *text) {
    char *path = fs_join(root, rel);
    char *error = NULL;
    if (!fs_write_atomic(path, text, strlen(text), &error)) {
        fprintf(stderr, "%s\n", error);
        abort();
    }
    free(path);
}

#define FIXTURE_DAY 1763683200L /* 2025-11-21T00:00:00Z */

/* sales: orders (partitioned dt, markers, a sibling orders_old/), customers
 * (empty), broken (bad JSON), lost (missing location), notdir (a file);
 * web: events (unpartitioned). */
static char *fixture_lake(void) {
    char tmpl[256];
    char *root = xstrdup(mkdtemp(unit_tmp_template(tmpl, sizeof tmpl, "laketop-lake")));
    fixture_text(root, "catalog/sales/database.json",
                 "{\"Name\": \"sales\", \"Description\": \"Sales\", \"CreateTime\": 1700000000}");
    fixture_text(root, "catalog/sales/orders.json",
                 "{\"Name\": \"orders\", \"DatabaseName\": \"sales\", \"TableType\": "
                 "\"EXTERNAL_TABLE\",\n \"UpdateTime\": \"2025-11-01T10:00:00Z\",\n"
                 " \"Parameters\": {\"classification\": \"parquet\"},\n"
                 " \"PartitionKeys\": [{\"Name\": \"dt\", \"Type\": \"string\"}],\n"
                 " \"StorageDescriptor\": {\"Location\": \"storing/sales/orders/\", \"Columns\": "
                 "[{\"Name\": \"id\", \"Type\": \"bigint\"}]}}");
    fixture_text(root, "catalog/sales/customers.json",
                 "{\"Name\": \"customers\", \"StorageDescriptor\": {\"Location\": "
                 "\"storing/sales/customers\", \"InputFormat\": "
                 "\"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat\"}}");
    fixture_text(root, "catalog/sales/broken.json",
                 "{\"Name\": \"broken\",\n \"StorageDescriptor\": {\n");
    fixture_text(
        root, "catalog/sales/lost.json",
        "{\"Name\": \"lost\", \"StorageDescriptor\": {\"Location\": \"storing/nowhere/\"}}");
    fixture_text(
        root, "catalog/sales/notdir.json",
        "{\"Name\": \"notdir\", \"StorageDescriptor\": {\"Location\": \"storing/afile\"}}");
    fixture_text(root, "catalog/web/events.json",
                 "{\"Name\": \"events\", \"StorageDescriptor\": {\"Location\": \"file://");
    /* events' location is absolute: rewrite it with the root */
    char *events = xasprintf(
        "{\"Name\": \"events\", \"Parameters\": {\"classification\": "
        "\"json\"}, \"StorageDescriptor\": {\"Location\": \"file://%s/landing/web/events/\"}}",
        root);
    fixture_text(root, "catalog/web/events.json", events);
    free(events);
    fixture_file(root, "storing/sales/orders/dt=2025-11-19/part-0.parquet", 100,
                 FIXTURE_DAY - 2 * 86400);
    fixture_file(root, "storing/sales/orders/dt=2025-11-19/part-1.parquet", 50,
                 FIXTURE_DAY - 2 * 86400 + 60);
    fixture_file(root, "storing/sales/orders/dt=2025-11-19/_SUCCESS", 0, FIXTURE_DAY);
    fixture_file(root, "storing/sales/orders/dt=2025-11-20/part-0.parquet", 200,
                 FIXTURE_DAY - 86400 + 3600);
    fixture_file(root, "storing/sales/orders/dt=2025-11-20_$folder$", 0, FIXTURE_DAY);
    fixture_file(root, "storing/sales/orders/.part-0.parquet.crc", 12, FIXTURE_DAY + 999);
    fixture_file(root, "storing/sales/orders/_temporary/0/part-9.parquet", 999, FIXTURE_DAY + 999);
    fixture_file(root, "storing/sales/orders_old/dt=2025-01-01/part-0.parquet", 5000,
                 FIXTURE_DAY + 999);
    fixture_file(root, "storing/afile", 10, FIXTURE_DAY);
    fixture_file(root, "landing/web/events/a.json", 30, FIXTURE_DAY - 10 * 86400);
    char *customers = fs_join(root, "storing/sales/customers");
    char *error = NULL;
    fs_mkdirs(customers, &error);
    free(customers);
    return root;
}

static void fixture_remove(char *root) {
    char *cmd = xasprintf("rm -rf '%s'", root);
    if (system(cmd) != 0)
        abort();
    free(cmd);
    free(root);
}

#endif
