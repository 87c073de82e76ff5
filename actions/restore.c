/* restore.c: a catalog recreated from a backup (see restore.h). */
#include "actions/restore.h"

#include <stdlib.h>
#include <string.h>

#include "actions/audit.h"
#include "actions/backup_format.h"
#include "actions/backup_s3.h"
#include "actions/backup_sweep.h"
#include "collector/storage.h"
#include "common/fmt.h"
#include "common/xalloc.h"

static bool restore_has(json_object *list, const char *name) {
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        const char *n = backup_format_string(json_object_array_get_idx(list, i), "Name");
        if (n && strcmp(n, name) == 0)
            return true;
    }
    return false;
}

/* The partitions of `want` whose Values are not in `have` (a new array). */
static json_object *restore_missing_partitions(json_object *want, json_object *have) {
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(want); i++) {
        json_object *p = json_object_array_get_idx(want, i), *values;
        if (!json_object_object_get_ex(p, "Values", &values))
            continue;
        const char *key = json_object_to_json_string(values);
        bool present = false;
        for (size_t k = 0; have && k < json_object_array_length(have) && !present; k++) {
            json_object *hv;
            if (json_object_object_get_ex(json_object_array_get_idx(have, k), "Values", &hv))
                present = strcmp(json_object_to_json_string(hv), key) == 0;
        }
        if (!present)
            json_object_array_add(out, json_object_get(p));
    }
    return out;
}

#define RESTORE_SAY(...)               \
    do {                               \
        if (log)                       \
            fprintf(log, __VA_ARGS__); \
    } while (0)

/* Recreates what the backup has and the source lacks; never overwrites a
 * table unless `force`. With dry_run nothing is changed. Each step is
 * written to `log` (may be NULL). False with *error at the first failure
 * (what was done before it stays done and is counted). */
static bool restore_apply(lake_source *source, json_object *backup, bool dry_run, bool force,
                          restore_result *r, FILE *log, char **error) {
    memset(r, 0, sizeof *r);
    if (!source->dump_catalog || !source->writes) {
        *error = xasprintf("%s cannot restore a catalog yet", source->name);
        return false;
    }
    json_object *current = NULL;
    if (!source->dump_catalog(source, &current, error))
        return false;
    json_object *want_dbs, *want_tables, *want_parts, *have_dbs, *have_tables, *have_parts;
    json_object_object_get_ex(backup, "databases", &want_dbs);
    json_object_object_get_ex(backup, "tables", &want_tables);
    json_object_object_get_ex(backup, "partitions", &want_parts);
    json_object_object_get_ex(current, "databases", &have_dbs);
    json_object_object_get_ex(current, "tables", &have_tables);
    json_object_object_get_ex(current, "partitions", &have_parts);
    const char *verb = dry_run ? "would " : "";
    bool ok = true;
    for (size_t i = 0; ok && i < json_object_array_length(want_dbs); i++) {
        json_object *db = json_object_array_get_idx(want_dbs, i);
        const char *name = backup_format_string(db, "Name");
        if (!name)
            continue;
        if (!restore_has(have_dbs, name)) {
            RESTORE_SAY("%screate database %s\n", verb, name);
            if (!dry_run && !source->writes->create_database(source, db, error)) {
                ok = false;
                break;
            }
            r->databases_created++;
        }
        json_object *tables = NULL, *have_list = NULL, *parts = NULL, *have_db_parts = NULL;
        json_object_object_get_ex(want_tables, name, &tables);
        json_object_object_get_ex(have_tables, name, &have_list);
        json_object_object_get_ex(want_parts, name, &parts);
        json_object_object_get_ex(have_parts, name, &have_db_parts);
        for (size_t k = 0; ok && tables && k < json_object_array_length(tables); k++) {
            json_object *t = json_object_array_get_idx(tables, k);
            const char *tname = backup_format_string(t, "Name");
            if (!tname)
                continue;
            bool exists = restore_has(have_list, tname);
            if (exists && !force) {
                RESTORE_SAY("skip table %s.%s: it exists (--force replaces it)\n", name, tname);
                r->tables_skipped++;
            } else {
                RESTORE_SAY("%s%s table %s.%s\n", verb, exists ? "replace" : "create", name, tname);
                if (!dry_run && !source->writes->put_table(source, name, t, exists, error)) {
                    ok = false;
                    break;
                }
                if (exists)
                    r->tables_replaced++;
                else
                    r->tables_created++;
            }
            json_object *tp = NULL, *have_tp = NULL;
            if (parts && json_object_object_get_ex(parts, tname, &tp)) {
                if (have_db_parts)
                    json_object_object_get_ex(have_db_parts, tname, &have_tp);
                json_object *missing = restore_missing_partitions(tp, have_tp);
                size_t n = json_object_array_length(missing);
                if (n) {
                    RESTORE_SAY("%sadd %zu %s to %s.%s\n", verb, n,
                                fmt_plural((int64_t)n, "partition", "partitions"), name, tname);
                    if (!dry_run &&
                        !source->writes->add_partitions(source, name, tname, missing, error))
                        ok = false;
                    else
                        r->partitions_added += n;
                }
                json_object_put(missing);
            }
        }
    }
    json_object_put(current);
    return ok;
}

/* --dry-run from s3://: the backups there that a killed backup left
 * without a manifest, which a restore never reads (see backup_sweep.h). */
static void restore_list_incomplete(lake_source *s3, const char *url, const action_report *report) {
    backup_incomplete *list = NULL;
    size_t n = 0;
    char *error = NULL;
    if (!backup_sweep_s3_list(s3, url, &list, &n, &error)) {
        action_note(report, "cannot look for incomplete backups: %s", error);
        free(error);
        return;
    }
    size_t len = strlen(url);
    const char *sep = len && url[len - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++)
        action_note(report,
                    "incomplete backup %s%s%s: %zu %s, no manifest (killed, or still being "
                    "written); never restored; `laketop backup %s --prune-incomplete` removes it "
                    "once it is an hour old",
                    url, sep, list[i].name, list[i].n_keys,
                    fmt_plural((int64_t)list[i].n_keys, "object", "objects"), url);
    backup_sweep_s3_free(list, n);
}

action_status restore_run(const restore_request *r, const action_report *report, char **result) {
    char *error = NULL;
    if (!action_address_ok(r->from, &error)) {
        *result = error;
        return ACTION_RESULT_REFUSED;
    }
    lake_source *source = action_source_open(&r->source, &error);
    if (!source) {
        *result = error ? error : xstrdup("no catalog to restore into");
        return ACTION_RESULT_ERROR;
    }
    json_object *backup = NULL;
    backup_counts counts;
    char *chosen = NULL;
    bool read;
    if (storage_is_s3(r->from)) {
        lake_source *s3 = action_s3_open(&r->s3, source, r->from, &error);
        if (s3 && r->dry_run)
            restore_list_incomplete(s3, r->from, report);
        read = s3 && backup_s3_read(s3, r->from, &backup, &counts, &chosen, &error);
        action_s3_close(&r->s3, source, s3);
    } else {
        read = backup_format_read(r->from, &backup, &counts, &chosen, &error);
    }
    if (!read) {
        *result = error;
        free(chosen);
        action_source_close(&r->source, source);
        return ACTION_RESULT_ERROR;
    }
    action_note(report, "%s verified (%zu %s, %zu %s, %zu %s)", chosen, counts.databases,
                fmt_plural((int64_t)counts.databases, "database", "databases"), counts.tables,
                fmt_plural((int64_t)counts.tables, "table", "tables"), counts.partitions,
                fmt_plural((int64_t)counts.partitions, "partition", "partitions"));
    restore_result done;
    bool ok = restore_apply(source, backup, r->dry_run, r->force, &done, r->log, &error);
    json_object_put(backup);
    char *summary =
        xasprintf("%s%zu %s, %zu %s created, %zu replaced, %zu skipped, %zu %s added",
                  r->dry_run ? "dry run, would be: " : "", done.databases_created,
                  fmt_plural((int64_t)done.databases_created, "database", "databases"),
                  done.tables_created, fmt_plural((int64_t)done.tables_created, "table", "tables"),
                  done.tables_replaced, done.tables_skipped, done.partitions_added,
                  fmt_plural((int64_t)done.partitions_added, "partition", "partitions"));
    if (!r->dry_run)
        audit_log(report, source->name, "restore", chosen, ok ? summary : error);
    if (ok) {
        *result = summary;
    } else {
        *result = xasprintf("%s (before that: %s)", error, summary);
        free(summary);
        free(error);
    }
    free(chosen);
    action_source_close(&r->source, source);
    return ok ? ACTION_RESULT_DONE : ACTION_RESULT_ERROR;
}
