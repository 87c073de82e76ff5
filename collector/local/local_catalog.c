/* local_catalog.c: the local lake's catalog/ directory: reads it into a
 * snapshot (with each table's kept versions), dumps it in Glue's shapes for
 * backups, and writes restores into it. */
#include "collector/local/local_catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/glue_json.h"
#include "collector/figures/schema.h"

/* Byte offset -> line number for error messages. */
static size_t local_catalog_line_of(const char *text, size_t offset) {
    size_t line = 1;
    for (size_t i = 0; i < offset && text[i]; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static json_object *local_catalog_parse_json(const char *path, char **error) {
    size_t len;
    char *text = fs_read_file(path, &len, error);
    if (!text)
        return NULL;
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (!obj && jerr == json_tokener_continue)
        jerr = json_tokener_error_parse_eof;
    if (jerr != json_tokener_success) {
        size_t offset = tok->char_offset;
        *error = xasprintf("%s:%zu: JSON does not parse: %s", path,
                           local_catalog_line_of(text, offset), json_tokener_error_desc(jerr));
        json_object_put(obj);
        obj = NULL;
    } else if (!json_object_is_type(obj, json_type_object)) {
        *error = xasprintf("%s: expected a JSON object", path);
        json_object_put(obj);
        obj = NULL;
    }
    json_tokener_free(tok);
    free(text);
    return obj;
}

static bool local_catalog_is_json_name(const char *name) {
    size_t len = strlen(name);
    return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".json") == 0;
}

static void local_catalog_read_versions(const char *db_dir, json_object *current, table_stats *t);
static bool local_catalog_safe_name(const char *name);

/* The partitions the catalog registers for a partitioned table (its
 * partitions/TABLE.json, as the dump reads them): 0 without the file, -1
 * when the file cannot be read (the dump then says why). The same figure as
 * Glue's GetPartitions count on AWS, and the one a backup counts. */
static int64_t local_catalog_count_partitions(const char *db_dir, const char *table) {
    if (!local_catalog_safe_name(table))
        return -1;
    char *path = xasprintf("%s/partitions/%s.json", db_dir, table);
    int64_t n = 0;
    if (access(path, F_OK) == 0) {
        char *error = NULL;
        char *text = fs_read_file(path, NULL, &error);
        json_object *parts = text ? json_tokener_parse(text) : NULL;
        free(text);
        n = parts && json_object_is_type(parts, json_type_array)
                ? (int64_t)json_object_array_length(parts)
                : -1;
        json_object_put(parts);
        free(error);
    }
    free(path);
    return n;
}

static void local_catalog_add_table(const char *db_dir, const char *database, const char *file,
                                    lake_snapshot *s, size_t *cap, size_t db_first) {
    char *path = fs_join(db_dir, file);
    char *error = NULL;
    s->tables = xgrow(s->tables, cap, s->n_tables + 1, sizeof *s->tables);
    table_stats *t = &s->tables[s->n_tables];
    memset(t, 0, sizeof *t);
    json_object *obj = local_catalog_parse_json(path, &error);
    if (obj && !glue_json_table(obj, database, t, &error)) {
        char *why = xasprintf("%s: %s", path, error);
        free(error);
        error = why;
        table_stats_clear(t);
    }
    if (error) {
        /* A row named after the file, so the broken table is visible. */
        t->name = xstrndup(file, strlen(file) - 5);
        t->location = xstrdup("");
        t->format = xstrdup("unknown");
        t->table_type = xstrdup("");
        t->create_time = t->update_time = -1;
        t->last_access_time = t->retention = t->lake_formation = -1;
        t->error = error;
    }
    /* The directory decides the database, whatever DatabaseName says. */
    free(t->database);
    t->database = xstrdup(database);
    t->objects = t->bytes = t->partitions = t->marker_objects = -1;
    t->newest_object = -1;
    t->scanned_at = -1;
    t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
    table_stats_formats_unknown(t);
    /* a directory has no multipart uploads: nothing can be left there */
    t->incomplete_uploads = t->incomplete_upload_bytes = 0;
    if (!error)
        local_catalog_read_versions(db_dir, obj, t);
    if (!error && t->n_partition_keys)
        t->catalog_partitions = local_catalog_count_partitions(db_dir, t->name);
    json_object_put(obj);
    /* Two files naming the same table: keep the first one seen. The
     * database's tables are the ones from db_first on (one directory). */
    for (size_t i = db_first; i < s->n_tables; i++) {
        if (strcmp(s->tables[i].database, t->database) == 0 &&
            strcmp(s->tables[i].name, t->name) == 0) {
            table_stats_clear(t);
            free(path);
            return;
        }
    }
    s->n_tables++;
    free(path);
}

static int local_catalog_cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of a directory, skipping "." and "..". */
static char **local_catalog_list(const char *dir, size_t *n, char **error) {
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) {
        *error = xasprintf("%s: %s", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = xgrow(names, &cap, *n + 1, sizeof *names);
        names[(*n)++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, local_catalog_cmp_names);
    return names;
}

static void local_catalog_free_list(char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- table versions: catalog/<db>/versions/<table>/<N>.json ------------- */

static bool local_catalog_version_id(const char *name, int64_t *id) {
    char *end;
    if (!local_catalog_is_json_name(name) || name[0] < '0' || name[0] > '9')
        return false;
    long long v = strtoll(name, &end, 10);
    if (strcmp(end, ".json") != 0)
        return false;
    *id = v;
    return true;
}

static int64_t local_catalog_newest_version(const char *versions_dir) {
    DIR *d = opendir(versions_dir);
    int64_t newest = 0, id;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (local_catalog_version_id(e->d_name, &id) && id > newest)
            newest = id;
    closedir(d);
    return newest;
}

bool local_catalog_keep_version(const char *db_dir, const char *table, json_object *replacement,
                                char **error) {
    char *file = xasprintf("%s/%s.json", db_dir, table);
    size_t len;
    char *ignored = NULL;
    char *text = access(file, F_OK) == 0 ? fs_read_file(file, &len, &ignored) : NULL;
    free(file);
    free(ignored);
    json_object *current = text ? json_tokener_parse(text) : NULL;
    bool same = current && json_object_equal(current, replacement);
    json_object_put(current);
    if (!text || same) {
        free(text);
        return true;
    }
    char *dir = xasprintf("%s/versions/%s", db_dir, table);
    bool ok = fs_mkdirs(dir, error);
    if (ok) {
        char *path =
            xasprintf("%s/%lld.json", dir, (long long)local_catalog_newest_version(dir) + 1);
        ok = fs_write_atomic(path, text, len, error);
        free(path);
    }
    free(dir);
    free(text);
    return ok;
}

/* Sets the table's last schema change from its kept versions and itself
 * (`current`, the table file's object); nothing when none are kept. */
static void local_catalog_read_versions(const char *db_dir, json_object *current, table_stats *t) {
    char *dir = xasprintf("%s/versions/%s", db_dir, t->name);
    size_t n_files;
    char *error = NULL;
    char **files = fs_is_dir(dir) ? local_catalog_list(dir, &n_files, &error) : NULL;
    free(error);
    schema_version *versions = NULL;
    size_t n = 0, cap = 0;
    int64_t newest = 0;
    for (size_t i = 0; files && i < n_files; i++) {
        int64_t id;
        if (!local_catalog_version_id(files[i], &id))
            continue;
        char *path = fs_join(dir, files[i]);
        json_object *o = local_catalog_parse_json(path, &error);
        free(error);
        error = NULL;
        free(path);
        if (!o)
            continue; /* a broken old version: the others still tell */
        json_object *when = NULL;
        if (!json_object_object_get_ex(o, "UpdateTime", &when))
            json_object_object_get_ex(o, "CreateTime", &when);
        versions = xgrow(versions, &cap, n + 1, sizeof *versions);
        schema_version *v = &versions[n++];
        v->id = id;
        v->time = glue_json_time(when);
        glue_json_table_columns(o, &v->columns, &v->n_columns);
        json_object_put(o);
        if (id > newest)
            newest = id;
    }
    if (n) {
        versions = xgrow(versions, &cap, n + 1, sizeof *versions);
        schema_version *v = &versions[n++];
        v->id = newest + 1;
        v->time = t->update_time >= 0 ? t->update_time : t->create_time;
        glue_json_table_columns(current, &v->columns, &v->n_columns);
        schema_apply_versions(t, versions, n);
    }
    schema_versions_free(versions, n);
    if (files)
        local_catalog_free_list(files, n_files);
    free(dir);
}

bool local_catalog_read(const char *lake_dir, lake_snapshot *s, char **error) {
    if (!fs_is_dir(lake_dir)) {
        *error = xasprintf("lake directory %s: %s", lake_dir,
                           access(lake_dir, F_OK) == 0 ? "not a directory" : "does not exist");
        return false;
    }
    char *catalog = fs_join(lake_dir, "catalog");
    size_t n_dbs;
    char *list_error = NULL;
    char **dbs = local_catalog_list(catalog, &n_dbs, &list_error);
    if (!dbs && list_error) {
        *error = xasprintf("%s (a lake needs catalog/<database>/<table>.json; "
                           "`laketop demo DIR` writes an example)",
                           list_error);
        free(list_error);
        free(catalog);
        return false;
    }
    size_t db_cap = 0, table_cap = 0;
    for (size_t i = 0; i < n_dbs; i++) {
        char *db_dir = fs_join(catalog, dbs[i]);
        if (dbs[i][0] == '.' || !fs_is_dir(db_dir)) {
            free(db_dir);
            continue;
        }
        s->databases = xgrow(s->databases, &db_cap, s->n_databases + 1, sizeof *s->databases);
        database_stats *d = &s->databases[s->n_databases++];
        memset(d, 0, sizeof *d);
        d->name = xstrdup(dbs[i]);
        d->create_time = -1;
        char *db_json = fs_join(db_dir, "database.json");
        char *db_error = NULL;
        if (access(db_json, F_OK) == 0) {
            json_object *obj = local_catalog_parse_json(db_json, &db_error);
            if (obj && !glue_json_database(obj, d, &db_error)) {
                char *why = xasprintf("%s: %s", db_json, db_error);
                free(db_error);
                db_error = why;
            }
            json_object_put(obj);
            /* The directory decides the name. */
            free(d->name);
            d->name = xstrdup(dbs[i]);
        }
        d->error = db_error;
        free(db_json);

        size_t n_files;
        char *files_error = NULL;
        char **files = local_catalog_list(db_dir, &n_files, &files_error);
        if (files_error) {
            if (!d->error)
                d->error = files_error;
            else
                free(files_error);
        }
        size_t db_first = s->n_tables;
        for (size_t k = 0; k < n_files; k++)
            if (local_catalog_is_json_name(files[k]) && strcmp(files[k], "database.json") != 0)
                local_catalog_add_table(db_dir, d->name, files[k], s, &table_cap, db_first);
        local_catalog_free_list(files, n_files);
        free(db_dir);
    }
    local_catalog_free_list(dbs, n_dbs);
    free(catalog);
    return true;
}

/* ---- the catalog in Glue's shapes (backups and restores) ---------------- */

static bool local_catalog_safe_name(const char *name) {
    return name && *name && name[0] != '.' && !strchr(name, '/') && !strchr(name, '\n');
}

static char *local_catalog_partitions_path(const char *lake_dir, const char *database,
                                           const char *table) {
    return xasprintf("%s/catalog/%s/partitions/%s.json", lake_dir, database, table);
}

bool local_catalog_dump(const char *lake_dir, json_object **dump, char **error) {
    char *catalog = fs_join(lake_dir, "catalog");
    size_t n_dbs;
    char *list_error = NULL;
    char **dbs = local_catalog_list(catalog, &n_dbs, &list_error);
    if (!dbs && list_error) {
        *error = list_error;
        free(catalog);
        return false;
    }
    json_object *databases, *tables, *partitions;
    json_object *root = glue_json_dump_new(&databases, &tables, &partitions);
    bool ok = true;
    for (size_t i = 0; i < n_dbs && ok; i++) {
        char *db_dir = fs_join(catalog, dbs[i]);
        if (dbs[i][0] == '.' || !fs_is_dir(db_dir)) {
            free(db_dir);
            continue;
        }
        char *db_json = fs_join(db_dir, "database.json");
        json_object *db = NULL;
        if (access(db_json, F_OK) == 0)
            db = local_catalog_parse_json(db_json, error);
        else
            db = json_object_new_object();
        free(db_json);
        if (!db) {
            ok = false;
            free(db_dir);
            break;
        }
        json_object_object_add(db, "Name", json_object_new_string(dbs[i]));
        json_object_array_add(databases, db);
        json_object *db_tables = json_object_new_array(), *db_parts = json_object_new_object();
        json_object_object_add(tables, dbs[i], db_tables);
        json_object_object_add(partitions, dbs[i], db_parts);
        size_t n_files;
        char *files_error = NULL;
        char **files = local_catalog_list(db_dir, &n_files, &files_error);
        free(files_error);
        for (size_t k = 0; k < n_files && ok; k++) {
            if (!local_catalog_is_json_name(files[k]) || strcmp(files[k], "database.json") == 0)
                continue;
            char *path = fs_join(db_dir, files[k]);
            json_object *t = local_catalog_parse_json(path, error);
            free(path);
            if (!t) {
                ok = false;
                break;
            }
            json_object *name;
            if (!json_object_object_get_ex(t, "Name", &name) ||
                !json_object_is_type(name, json_type_string)) {
                *error = xasprintf("%s/%s: a table without a Name", db_dir, files[k]);
                json_object_put(t);
                ok = false;
                break;
            }
            json_object_object_add(t, "DatabaseName", json_object_new_string(dbs[i]));
            char *ppath =
                local_catalog_partitions_path(lake_dir, dbs[i], json_object_get_string(name));
            if (access(ppath, F_OK) == 0) {
                json_object *parts = NULL;
                char *text = fs_read_file(ppath, NULL, error);
                if (text)
                    parts = json_tokener_parse(text);
                free(text);
                if (!parts || !json_object_is_type(parts, json_type_array)) {
                    if (!*error)
                        *error = xasprintf("%s: not a JSON array of partitions", ppath);
                    json_object_put(parts);
                    json_object_put(t);
                    free(ppath);
                    ok = false;
                    break;
                }
                json_object_object_add(db_parts, json_object_get_string(name), parts);
            }
            free(ppath);
            json_object_array_add(db_tables, t);
        }
        local_catalog_free_list(files, n_files);
        free(db_dir);
    }
    local_catalog_free_list(dbs, n_dbs);
    free(catalog);
    if (!ok) {
        json_object_put(root);
        return false;
    }
    *dump = root;
    return true;
}

bool local_catalog_create_database(const char *lake_dir, json_object *database, char **error) {
    json_object *name;
    if (!json_object_object_get_ex(database, "Name", &name) ||
        !local_catalog_safe_name(json_object_get_string(name))) {
        *error = xstrdup("a database needs a plain Name");
        return false;
    }
    char *path = xasprintf("%s/catalog/%s/database.json", lake_dir, json_object_get_string(name));
    bool ok;
    if (access(path, F_OK) == 0) {
        *error = xasprintf("database %s exists", json_object_get_string(name));
        ok = false;
    } else {
        ok = glue_json_write_file(path, database, error);
    }
    free(path);
    return ok;
}

bool local_catalog_put_table(const char *lake_dir, const char *database, json_object *table,
                             bool replace, char **error) {
    json_object *name;
    if (!json_object_object_get_ex(table, "Name", &name) ||
        !local_catalog_safe_name(json_object_get_string(name)) ||
        !local_catalog_safe_name(database)) {
        *error = xstrdup("a table needs a plain Name and database");
        return false;
    }
    char *path =
        xasprintf("%s/catalog/%s/%s.json", lake_dir, database, json_object_get_string(name));
    bool ok;
    if (!replace && access(path, F_OK) == 0) {
        *error = xasprintf("table %s.%s exists", database, json_object_get_string(name));
        ok = false;
    } else {
        char *db_dir = xasprintf("%s/catalog/%s", lake_dir, database);
        ok = local_catalog_keep_version(db_dir, json_object_get_string(name), table, error) &&
             glue_json_write_file(path, table, error);
        free(db_dir);
    }
    free(path);
    return ok;
}

bool local_catalog_add_partitions(const char *lake_dir, const char *database, const char *table,
                                  json_object *partitions, char **error) {
    if (!local_catalog_safe_name(database) || !local_catalog_safe_name(table)) {
        *error = xstrdup("partitions need a plain database and table name");
        return false;
    }
    char *path = local_catalog_partitions_path(lake_dir, database, table);
    json_object *have = NULL;
    if (access(path, F_OK) == 0) {
        char *text = fs_read_file(path, NULL, error);
        have = text ? json_tokener_parse(text) : NULL;
        free(text);
        if (!have || !json_object_is_type(have, json_type_array)) {
            if (!*error)
                *error = xasprintf("%s: not a JSON array of partitions", path);
            json_object_put(have);
            free(path);
            return false;
        }
    } else {
        have = json_object_new_array();
    }
    for (size_t i = 0; i < json_object_array_length(partitions); i++) {
        json_object *p = json_object_array_get_idx(partitions, i), *values;
        if (!json_object_object_get_ex(p, "Values", &values))
            continue;
        const char *want = json_object_to_json_string(values);
        bool present = false;
        for (size_t k = 0; k < json_object_array_length(have) && !present; k++) {
            json_object *hv;
            if (json_object_object_get_ex(json_object_array_get_idx(have, k), "Values", &hv))
                present = strcmp(json_object_to_json_string(hv), want) == 0;
        }
        if (!present)
            json_object_array_add(have, json_object_get(p));
    }
    bool ok = glue_json_write_file(path, have, error);
    json_object_put(have);
    free(path);
    return ok;
}
