/* export.c: the daily export (see export.h). */
#include "export.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/fs.h"
#include "../common/xalloc.h"
#include "report.h"

/* "2026-11-21 20:50:00+00:00"; "" when unknown */
static void export_time(FILE *out, int64_t t) {
    if (t < 0)
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[40];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+00:00", &tm);
    fputs(buf, out);
}

static void export_int(FILE *out, int64_t v) {
    if (v >= 0)
        fprintf(out, "%" PRId64, v);
}

static void export_tables(FILE *out, const lake_snapshot *s) {
    fputs("TableName,DatabaseName,Owner,CreateTime,UpdateTime,LastAccessTime,TableType,Retention,"
          "CreatedBy,IsRegisteredWithLakeFormation,Location,SizeInMBOnS3,TotalFilesonS3\r\n",
          out);
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        report_csv_field(out, t->name);
        fputc(',', out);
        report_csv_field(out, t->database);
        fputc(',', out);
        report_csv_field(out, t->owner ? t->owner : "");
        fputc(',', out);
        export_time(out, t->create_time);
        fputc(',', out);
        export_time(out, t->update_time);
        fputc(',', out);
        export_time(out, t->last_access_time);
        fputc(',', out);
        report_csv_field(out, t->table_type ? t->table_type : "");
        fputc(',', out);
        export_int(out, t->retention);
        fputc(',', out);
        report_csv_field(out, t->created_by ? t->created_by : "");
        fputc(',', out);
        fputs(t->lake_formation < 0 ? "" : t->lake_formation ? "True" : "False", out);
        fputc(',', out);
        report_csv_field(out, t->location ? t->location : "");
        fputc(',', out);
        if (t->bytes >= 0)
            fprintf(out, "%.6f", (double)t->bytes / (1024.0 * 1024.0));
        fputc(',', out);
        export_int(out, t->objects);
        fputs("\r\n", out);
    }
}

static void export_databases(FILE *out, const lake_snapshot *s) {
    fputs("DatabaseName,CreateTime,SharedResource,SharedResourceOwner,SharedResourceDatabaseName,"
          "Location,Description\r\n",
          out);
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        report_csv_field(out, d->name);
        fputc(',', out);
        export_time(out, d->create_time);
        fputc(',', out);
        /* shared_from is "CATALOG:DATABASE" for a resource link */
        const char *colon = d->shared_from ? strchr(d->shared_from, ':') : NULL;
        fputs(d->shared_from ? "True" : "False", out);
        fputc(',', out);
        if (colon) {
            char *owner = xstrndup(d->shared_from, (size_t)(colon - d->shared_from));
            report_csv_field(out, owner);
            free(owner);
        }
        fputc(',', out);
        report_csv_field(out, colon ? colon + 1 : "");
        fputc(',', out);
        report_csv_field(out, d->location ? d->location : "");
        fputc(',', out);
        report_csv_field(out, d->description ? d->description : "");
        fputs("\r\n", out);
    }
}

static void export_jsonl(FILE *out, const lake_snapshot *s) {
    for (size_t i = 0; i < s->n_tables; i++) {
        json_object *o = report_table_json(&s->tables[i]);
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

bool export_write(const lake_snapshot *s, const char *dest, char **tables_dir, char **error) {
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
              export_file(databases, "databases.csv", s, export_databases, error);
    free(databases);
    if (ok)
        *tables_dir = tables;
    else
        free(tables);
    return ok;
}
