/* local_crawler.c: directories of a zone into Glue-shaped catalog entries. */
#include "collector/local/local_crawler.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/glue_json.h"
#include "collector/local/local_catalog.h"
#include "collector/storage.h"

void local_crawler_columns(const char *format, const char *line, table_column **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!line)
        return;
    if (strcmp(format, "csv") == 0) {
        char *copy = xstrdup(line);
        size_t len = strlen(copy);
        while (len && (copy[len - 1] == '\n' || copy[len - 1] == '\r'))
            copy[--len] = '\0';
        size_t cap = 0;
        for (char *save = NULL, *f = strtok_r(copy, ",", &save); f;
             f = strtok_r(NULL, ",", &save)) {
            while (*f == ' ' || *f == '"')
                f++;
            char *e = f + strlen(f);
            while (e > f && (e[-1] == ' ' || e[-1] == '"'))
                *--e = '\0';
            if (!*f)
                continue;
            *out = xgrow(*out, &cap, *n + 1, sizeof **out);
            (*out)[(*n)++] = (table_column){.name = xstrdup(f), .type = xstrdup("string")};
        }
        free(copy);
    } else if (strcmp(format, "json") == 0) {
        json_object *o = json_tokener_parse(line);
        if (o && json_object_is_type(o, json_type_object)) {
            size_t cap = 0;
            json_object_object_foreach(o, key, value) {
                const char *type = "string";
                if (json_object_is_type(value, json_type_int))
                    type = "bigint";
                else if (json_object_is_type(value, json_type_double))
                    type = "double";
                else if (json_object_is_type(value, json_type_boolean))
                    type = "boolean";
                else if (json_object_is_type(value, json_type_object))
                    type = "struct<>";
                else if (json_object_is_type(value, json_type_array))
                    type = "array<string>";
                *out = xgrow(*out, &cap, *n + 1, sizeof **out);
                (*out)[(*n)++] = (table_column){.name = xstrdup(key), .type = xstrdup(type)};
            }
        }
        json_object_put(o);
    }
}

static const char *local_crawler_format_of(const char *file) {
    const char *dot = strrchr(file, '.');
    if (!dot)
        return "unknown";
    if (strstr(file, ".parquet"))
        return "parquet";
    if (strcmp(dot, ".csv") == 0 || strcmp(dot, ".tsv") == 0)
        return "csv";
    if (strcmp(dot, ".json") == 0 || strcmp(dot, ".jsonl") == 0)
        return "json";
    if (strcmp(dot, ".orc") == 0)
        return "orc";
    if (strcmp(dot, ".avro") == 0)
        return "avro";
    return "unknown";
}

/* What a walk of a table directory finds. */
typedef struct local_crawler_scan {
    char *first_file; /* the first data file, for format and columns */
    char **keys;      /* partition keys from the first data file's directories */
    size_t n_keys;
} local_crawler_scan;

static void local_crawler_walk(const char *dir, const char *relative, local_crawler_scan *scan) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    while ((e = readdir(d)))
        if (!storage_is_hidden_dir(e->d_name)) { /* nor a file named so: a marker */
            names = xgrow(names, &cap, n + 1, sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    closedir(d);
    /* sorted, so the first data file is the same every time */
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (strcmp(names[k], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[k];
                names[k] = t;
            }
    for (size_t i = 0; i < n && !scan->first_file; i++) {
        char *path = fs_join(dir, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            char *rel = relative[0] ? xasprintf("%s/%s", relative, names[i]) : xstrdup(names[i]);
            local_crawler_walk(path, rel, scan);
            free(rel);
        } else if (S_ISREG(st.st_mode) && !storage_is_marker_name(names[i])) {
            scan->first_file = xstrdup(path);
            /* partition keys: the key=value directories on its way */
            char *copy = xstrdup(relative);
            for (char *save = NULL, *c = strtok_r(copy, "/", &save); c;
                 c = strtok_r(NULL, "/", &save)) {
                if (!storage_is_partition_name(c))
                    break;
                char *eq = strchr(c, '=');
                scan->keys = xrealloc(scan->keys, (scan->n_keys + 1) * sizeof *scan->keys);
                scan->keys[scan->n_keys++] = xstrndup(c, (size_t)(eq - c));
            }
            free(copy);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static char *local_crawler_first_line(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    if (getline(&line, &cap, fp) < 0) {
        free(line);
        line = NULL;
    }
    fclose(fp);
    return line;
}

static json_object *local_crawler_columns_json(const table_column *cols, size_t n) {
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "Name", json_object_new_string(cols[i].name));
        json_object_object_add(c, "Type", json_object_new_string(cols[i].type));
        json_object_array_add(a, c);
    }
    return a;
}

/* The table entry a crawl would write; `old` (may be NULL) lends its
 * CreateTime and, for formats whose schema cannot be read here, columns. */
static json_object *local_crawler_table(const local_crawler_def *def, const char *table,
                                        const local_crawler_scan *scan, json_object *old,
                                        int64_t now) {
    const char *format = scan->first_file ? local_crawler_format_of(scan->first_file) : "unknown";
    char when[32];
    json_object *t = json_object_new_object();
    json_object_object_add(t, "Name", json_object_new_string(table));
    json_object_object_add(t, "DatabaseName", json_object_new_string(def->database));
    json_object_object_add(t, "TableType", json_object_new_string("EXTERNAL_TABLE"));
    json_object *created = NULL;
    if (old && json_object_object_get_ex(old, "CreateTime", &created))
        json_object_object_add(t, "CreateTime", json_object_get(created));
    else
        json_object_object_add(t, "CreateTime",
                               json_object_new_string(fmt_iso8601(now, when, sizeof when)));
    json_object *params = json_object_new_object();
    json_object_object_add(params, "classification", json_object_new_string(format));
    json_object_object_add(params, "laketop.crawler", json_object_new_string(def->name));
    json_object_object_add(t, "Parameters", params);
    json_object *keys = json_object_new_array();
    for (size_t i = 0; i < scan->n_keys; i++) {
        json_object *k = json_object_new_object();
        json_object_object_add(k, "Name", json_object_new_string(scan->keys[i]));
        json_object_object_add(k, "Type", json_object_new_string("string"));
        json_object_array_add(keys, k);
    }
    json_object_object_add(t, "PartitionKeys", keys);
    json_object *sd = json_object_new_object();
    char *location = xasprintf("%s/%s/", def->path, table);
    json_object_object_add(sd, "Location", json_object_new_string(location));
    free(location);
    table_column *cols = NULL;
    size_t n = 0;
    char *line = scan->first_file ? local_crawler_first_line(scan->first_file) : NULL;
    local_crawler_columns(format, line, &cols, &n);
    free(line);
    json_object *old_sd, *old_cols;
    if (n == 0 && old && json_object_object_get_ex(old, "StorageDescriptor", &old_sd) &&
        json_object_object_get_ex(old_sd, "Columns", &old_cols))
        json_object_object_add(sd, "Columns", json_object_get(old_cols));
    else
        json_object_object_add(sd, "Columns", local_crawler_columns_json(cols, n));
    for (size_t i = 0; i < n; i++) {
        free(cols[i].name);
        free(cols[i].type);
    }
    free(cols);
    json_object_object_add(t, "StorageDescriptor", sd);
    return t;
}

/* What makes two entries "the same table": location, format, columns, keys. */
static char *local_crawler_signature(json_object *t) {
    json_object *sd = NULL, *v;
    json_object_object_get_ex(t, "StorageDescriptor", &sd);
    json_object *sig = json_object_new_array();
    const char *parts[] = {"PartitionKeys"};
    for (size_t i = 0; i < 1; i++)
        json_object_array_add(sig, json_object_object_get_ex(t, parts[i], &v) ? json_object_get(v)
                                                                              : NULL);
    json_object_array_add(
        sig, sd && json_object_object_get_ex(sd, "Columns", &v) ? json_object_get(v) : NULL);
    json_object_array_add(
        sig, sd && json_object_object_get_ex(sd, "Location", &v) ? json_object_get(v) : NULL);
    json_object *params;
    json_object_array_add(sig, json_object_object_get_ex(t, "Parameters", &params) &&
                                       json_object_object_get_ex(params, "classification", &v)
                                   ? json_object_get(v)
                                   : NULL);
    char *out = xstrdup(json_object_to_json_string_ext(sig, JSON_C_TO_STRING_PLAIN));
    json_object_put(sig);
    return out;
}

static void local_crawler_record(const char *lake_dir, const local_crawler_def *def, int64_t now,
                                 bool ok, const char *message, const local_crawl_result *r) {
    char *path = xasprintf("%s/catalog/.crawlers.json", lake_dir);
    char *error = NULL;
    char *text = fs_read_file(path, NULL, &error);
    free(error);
    json_object *all = text ? json_tokener_parse(text) : NULL;
    free(text);
    if (!all || !json_object_is_type(all, json_type_object)) {
        json_object_put(all);
        all = json_object_new_object();
    }
    char when[32];
    json_object *e = json_object_new_object();
    json_object_object_add(e, "Status", json_object_new_string(ok ? "SUCCEEDED" : "FAILED"));
    json_object_object_add(e, "StartTime",
                           json_object_new_string(fmt_iso8601(now, when, sizeof when)));
    if (!ok)
        json_object_object_add(e, "ErrorMessage", json_object_new_string(message));
    json_object_object_add(e, "TablesCreated", json_object_new_int64(r->created));
    json_object_object_add(e, "TablesUpdated", json_object_new_int64(r->updated));
    json_object_object_add(e, "TablesDeleted", json_object_new_int64(r->deleted));
    json_object_object_add(all, def->name, e);
    error = NULL;
    if (!glue_json_write_file(path, all, &error))
        free(error);
    json_object_put(all);
    free(path);
}

bool local_crawler_run(const char *lake_dir, const local_crawler_def *def, int64_t now,
                       local_crawl_result *r, char **error) {
    memset(r, 0, sizeof *r);
    char *root = fs_join(lake_dir, def->path);
    char *db_dir = xasprintf("%s/catalog/%s", lake_dir, def->database);
    DIR *d = opendir(root);
    bool ok = d != NULL;
    if (!ok)
        *error = xasprintf("crawler %s: cannot read %s: %s", def->name, root, strerror(errno));
    char **seen = NULL;
    size_t n_seen = 0, cap_seen = 0;
    if (ok) {
        char *db_json = fs_join(db_dir, "database.json");
        if (access(db_json, F_OK) != 0) {
            json_object *db = json_object_new_object();
            json_object_object_add(db, "Name", json_object_new_string(def->database));
            ok = glue_json_write_file(db_json, db, error);
            json_object_put(db);
        }
        free(db_json);
    }
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        if (storage_is_hidden_dir(e->d_name))
            continue;
        char *tdir = fs_join(root, e->d_name);
        if (!fs_is_dir(tdir)) {
            free(tdir);
            continue;
        }
        local_crawler_scan scan = {0};
        local_crawler_walk(tdir, "", &scan);
        char *file = xasprintf("%s/%s.json", db_dir, e->d_name);
        char *read_error = NULL;
        char *text = access(file, F_OK) == 0 ? fs_read_file(file, NULL, &read_error) : NULL;
        free(read_error);
        json_object *old = text ? json_tokener_parse(text) : NULL;
        free(text);
        json_object *t = local_crawler_table(def, e->d_name, &scan, old, now);
        char *a = old ? local_crawler_signature(old) : NULL, *b = local_crawler_signature(t);
        if (!old || strcmp(a, b) != 0) {
            char when[32];
            json_object_object_add(t, "UpdateTime",
                                   json_object_new_string(fmt_iso8601(now, when, sizeof when)));
            ok = (!old || local_catalog_keep_version(db_dir, e->d_name, t, error)) &&
                 glue_json_write_file(file, t, error);
            if (old)
                r->updated++;
            else
                r->created++;
        }
        seen = xgrow(seen, &cap_seen, n_seen + 1, sizeof *seen);
        seen[n_seen++] = xstrdup(e->d_name);
        free(a);
        free(b);
        json_object_put(t);
        json_object_put(old);
        free(file);
        free(tdir);
        free(scan.first_file);
        for (size_t i = 0; i < scan.n_keys; i++)
            free(scan.keys[i]);
        free(scan.keys);
    }
    if (d)
        closedir(d);
    /* entries this crawler made whose directory is gone */
    DIR *cd = ok ? opendir(db_dir) : NULL;
    while (cd && (e = readdir(cd))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
            strcmp(e->d_name, "database.json") == 0)
            continue;
        bool present = false;
        for (size_t i = 0; i < n_seen && !present; i++)
            present = strlen(seen[i]) == len - 5 && strncmp(seen[i], e->d_name, len - 5) == 0;
        if (present)
            continue;
        char *file = fs_join(db_dir, e->d_name);
        char *read_error = NULL;
        char *text = fs_read_file(file, NULL, &read_error);
        free(read_error);
        json_object *t = text ? json_tokener_parse(text) : NULL, *params, *by;
        free(text);
        if (t && json_object_object_get_ex(t, "Parameters", &params) &&
            json_object_object_get_ex(params, "laketop.crawler", &by) &&
            strcmp(json_object_get_string(by), def->name) == 0 && unlink(file) == 0) {
            /* as Glue's DeleteTable: its versions go with it */
            char *versions = xasprintf("%s/versions/%.*s", db_dir, (int)(len - 5), e->d_name);
            fs_remove_tree(versions);
            free(versions);
            r->deleted++;
        }
        json_object_put(t);
        free(file);
    }
    if (cd)
        closedir(cd);
    for (size_t i = 0; i < n_seen; i++)
        free(seen[i]);
    free(seen);
    local_crawler_record(lake_dir, def, now, ok, ok ? "" : *error, r);
    free(root);
    free(db_dir);
    return ok;
}

void local_crawler_describe(const char *lake_dir, const local_crawler_def *def, crawler_info *c) {
    memset(c, 0, sizeof *c);
    c->name = xstrdup(def->name);
    c->database = xstrdup(def->database);
    c->state = xstrdup("READY"); /* local crawls run to the end in one go */
    c->last_start = -1;
    c->tables_created = c->tables_updated = c->tables_deleted = -1;
    c->targets = xmalloc(sizeof *c->targets);
    c->targets[0] = xstrdup(def->path);
    c->n_targets = 1;
    char *path = xasprintf("%s/catalog/.crawlers.json", lake_dir);
    char *error = NULL;
    char *text = fs_read_file(path, NULL, &error);
    free(error);
    free(path);
    json_object *all = text ? json_tokener_parse(text) : NULL, *e, *v;
    free(text);
    if (all && json_object_object_get_ex(all, def->name, &e)) {
        if (json_object_object_get_ex(e, "Status", &v))
            c->last_status = xstrdup(json_object_get_string(v));
        if (json_object_object_get_ex(e, "ErrorMessage", &v))
            c->last_error = xstrdup(json_object_get_string(v));
        if (json_object_object_get_ex(e, "StartTime", &v))
            fmt_parse_iso8601(json_object_get_string(v), &c->last_start);
        if (json_object_object_get_ex(e, "TablesCreated", &v))
            c->tables_created = json_object_get_int64(v);
        if (json_object_object_get_ex(e, "TablesUpdated", &v))
            c->tables_updated = json_object_get_int64(v);
        if (json_object_object_get_ex(e, "TablesDeleted", &v))
            c->tables_deleted = json_object_get_int64(v);
    }
    json_object_put(all);
}
