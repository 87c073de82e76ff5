/* export.c: the daily export (see export.h). */
#include "actions/export.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/backup_s3.h"
#include "collector/storage.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/snapshot_json.h"
#include "common/csv.h"

/* "2026-11-21 20:50:00+00:00", as the Glue job printed times; "" unknown */
static const char *export_time(int64_t t, char *buf, size_t size) {
    buf[0] = '\0';
    if (t < 0)
        return buf;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S+00:00", &tm);
    return buf;
}

static void export_tables(FILE *out, const lake_snapshot *s) {
    fputs("TableName,DatabaseName,Owner,CreateTime,UpdateTime,LastAccessTime,TableType,Retention,"
          "CreatedBy,IsRegisteredWithLakeFormation,Location,SizeInMBOnS3,TotalFilesonS3\r\n",
          out);
    csv_row row = {.out = out};
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        char created[40], updated[40], accessed[40], mb[48] = "";
        if (t->bytes >= 0)
            snprintf(mb, sizeof mb, "%.6f", (double)t->bytes / (1024.0 * 1024.0));
        csv_text(&row, t->name);
        csv_text(&row, t->database);
        csv_text(&row, t->owner);
        csv_text(&row, export_time(t->create_time, created, sizeof created));
        csv_text(&row, export_time(t->update_time, updated, sizeof updated));
        csv_text(&row, export_time(t->last_access_time, accessed, sizeof accessed));
        csv_text(&row, t->table_type);
        csv_int(&row, t->retention);
        csv_text(&row, t->created_by);
        csv_text(&row, t->lake_formation < 0 ? "" : t->lake_formation ? "True" : "False");
        csv_text(&row, t->location);
        csv_text(&row, mb);
        csv_int(&row, t->objects);
        csv_end(&row);
    }
}

static void export_databases(FILE *out, const lake_snapshot *s) {
    fputs("DatabaseName,CreateTime,SharedResource,SharedResourceOwner,SharedResourceDatabaseName,"
          "Location,Description\r\n",
          out);
    csv_row row = {.out = out};
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        char created[40];
        /* shared_from is "CATALOG:DATABASE" for a resource link */
        const char *colon = d->shared_from ? strchr(d->shared_from, ':') : NULL;
        char *owner = colon ? xstrndup(d->shared_from, (size_t)(colon - d->shared_from)) : NULL;
        csv_text(&row, d->name);
        csv_text(&row, export_time(d->create_time, created, sizeof created));
        csv_text(&row, d->shared_from ? "True" : "False");
        csv_text(&row, owner);
        csv_text(&row, colon ? colon + 1 : NULL);
        csv_text(&row, d->location);
        csv_text(&row, d->description);
        csv_end(&row);
        free(owner);
    }
}

/* A dollar figure to nine significant digits; "" unknown. */
static const char *export_usd(double usd, char *buf, size_t size) {
    buf[0] = '\0';
    if (usd >= 0)
        snprintf(buf, size, "%.9g", usd);
    return buf;
}

/* costs.csv beside tables.csv (issue 14): what a table costs (cost.h),
 * its storage classes as "STANDARD=bytes;GLACIER=bytes". */
static void export_costs(FILE *out, const lake_snapshot *s) {
    fputs("TableName,DatabaseName,StorageCostMonthUSD,StorageCostMonthIn30DaysUSD,"
          "QueryCost30DaysUSD,StorageClasses\r\n",
          out);
    csv_row row = {.out = out};
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        char month[48], month_30d[48], queries[48], classes[512] = "";
        size_t len = 0;
        for (int c = 0; t->has_storage && c < COST_CLASS_COUNT; c++)
            if (t->storage.objects[c] > 0 && len < sizeof classes)
                len += (size_t)snprintf(classes + len, sizeof classes - len, "%s%s=%" PRId64,
                                        len ? ";" : "", cost_class_s3((cost_class)c),
                                        t->storage.bytes[c]);
        csv_text(&row, t->name);
        csv_text(&row, t->database);
        csv_text(&row, export_usd(t->cost_month_usd, month, sizeof month));
        csv_text(&row, export_usd(t->cost_month_30d_usd, month_30d, sizeof month_30d));
        csv_text(&row, export_usd(t->query_cost_30d_usd, queries, sizeof queries));
        csv_text(&row, classes);
        csv_end(&row);
    }
}

static void export_jsonl(FILE *out, const lake_snapshot *s) {
    for (size_t i = 0; i < s->n_tables; i++) {
        json_object *o = snapshot_json_table(&s->tables[i]);
        json_object_object_add(o, "writer", snapshot_json_writer(s, &s->tables[i]));
        fprintf(out, "%s\n",
                json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    }
}

static bool export_file(const char *dir, const char *name, const lake_snapshot *s,
                        void (*write)(FILE *, const lake_snapshot *), char **error) {
    if (!fs_mkdirs(dir, error))
        return false;
    char *path = fs_join(dir, name);
    fs_atomic a;
    bool ok = fs_atomic_begin(&a, path, error);
    if (ok) {
        write(a.fp, s);
        ok = fs_atomic_commit(&a, error);
    }
    free(path);
    return ok;
}

/* Writes the export of the snapshot's day (generated_at, UTC) under dest;
 * *tables_dir gets the directory of tables.csv (malloc'd). */
static bool export_write(const lake_snapshot *s, const char *dest, char **tables_dir,
                         char **error) {
    time_t tt = (time_t)s->generated_at;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char part[64];
    snprintf(part, sizeof part, "year=%04d/month=%d/day=%d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
    char *tables = xasprintf("%s/datalake/tables/%s", dest, part);
    char *databases = xasprintf("%s/datalake/databases/%s", dest, part);
    bool ok = export_file(tables, "tables.csv", s, export_tables, error) &&
              export_file(tables, "laketop.jsonl", s, export_jsonl, error) &&
              export_file(tables, "costs.csv", s, export_costs, error) &&
              export_file(databases, "databases.csv", s, export_databases, error);
    free(databases);
    if (ok)
        *tables_dir = tables;
    else
        free(tables);
    return ok;
}

/* Writes the export to `dest`, a directory or s3:// (through `s3`, a
 * source that can put objects); *written says where tables.csv went. */
static bool export_to(const lake_snapshot *s, const char *dest, lake_source *s3, char **written,
                      char **error) {
    *written = NULL;
    if (!storage_is_s3(dest))
        return export_write(s, dest, written, error);
    /* to S3: written in a staging directory, then uploaded file by file */
    char *staging = backup_s3_staging(error), *local = NULL;
    size_t files = 0;
    bool ok = staging && export_write(s, staging, &local, error) &&
              backup_s3_put_tree(s3, staging, dest, NULL, &files, error);
    if (ok)
        *written = xasprintf("%s%s%s", dest, dest[strlen(dest) - 1] == '/' ? "" : "/",
                             local + strlen(staging) + 1);
    if (staging)
        fs_remove_tree(staging);
    free(staging);
    free(local);
    return ok;
}

char *export_incomplete(const lake_snapshot *s) {
    if (s->error)
        return xasprintf("the source could not be read: %s", s->error);
    for (size_t i = 0; i < s->n_databases; i++)
        if (s->databases[i].error)
            return xasprintf("database %s could not be read: %s", s->databases[i].name,
                             s->databases[i].error);
    for (size_t i = 0; i < s->n_tables; i++)
        if (s->tables[i].error)
            return xasprintf("%zu %s could not be read (%s.%s: %s)", s->error_tables,
                             fmt_plural((int64_t)s->error_tables, "table", "tables"),
                             s->tables[i].database, s->tables[i].name, s->tables[i].error);
    return NULL;
}

action_status export_run(const export_request *r, const action_report *report, char **result) {
    char *error = NULL, *written = NULL;
    if (!action_address_ok(r->dest, &error)) {
        *result = error;
        return ACTION_RESULT_REFUSED;
    }
    char *incomplete = export_incomplete(r->snapshot);
    if (incomplete) {
        *result = xasprintf("not exported, nothing written: %s", incomplete);
        free(incomplete);
        return ACTION_RESULT_ERROR;
    }
    action_progress(report, -1, "writing the day's tables.csv and databases.csv");
    lake_source *s3 = storage_is_s3(r->dest) ? action_s3_open(&r->s3, NULL, r->dest, &error) : NULL;
    bool ok = !error && export_to(r->snapshot, r->dest, s3, &written, &error);
    action_s3_close(&r->s3, NULL, s3);
    *result = ok      ? xasprintf("%zu %s, %zu %s in %s", r->snapshot->n_tables,
                                  fmt_plural((int64_t)r->snapshot->n_tables, "table", "tables"),
                                  r->snapshot->n_databases,
                                  fmt_plural((int64_t)r->snapshot->n_databases, "database", "databases"),
                                  written)
              : error ? error
                      : xstrdup("failed");
    free(written);
    return ok ? ACTION_RESULT_DONE : ACTION_RESULT_ERROR;
}

typedef struct export_job {
    action_context context;
    lake_snapshot *snapshot;
    char *dest;
} export_job;

static bool export_job_run(void *ctx, job_progress *progress, char **result) {
    export_job *e = ctx;
    export_request r = {
        .snapshot = e->snapshot,
        .dest = e->dest,
        .s3 = {.make = e->context.make_s3_source, .make_ctx = e->context.make_ctx},
    };
    action_report report = action_report_job(progress);
    return export_run(&r, &report, result) == ACTION_RESULT_DONE;
}

static void export_job_free(void *ctx) {
    export_job *e = ctx;
    snapshot_release(e->snapshot);
    free(e->dest);
    free(e);
}

int export_start_job(jobs *j, const action_context *context, lake_snapshot *snapshot) {
    export_job *e = xcalloc(1, sizeof *e);
    e->context = *context;
    snapshot_retain(snapshot);
    e->snapshot = snapshot;
    e->dest = xstrdup(context->export_dest);
    return jobs_start(j, "export", e->dest, false, export_job_run, e, export_job_free);
}
