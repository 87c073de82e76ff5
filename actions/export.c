/* export.c: the daily export (see export.h). */
#include "actions/export.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void export_jsonl(FILE *out, const lake_snapshot *s) {
    for (size_t i = 0; i < s->n_tables; i++) {
        json_object *o = snapshot_json_table(&s->tables[i]);
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
