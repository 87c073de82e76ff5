/* backup_format.c: the on-disk backup format: written, read back and
 * verified (see backup_format.h). */
#include "actions/backup_format.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions/backup_sweep.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/glue_json.h"
#include "collector/aws/sigv4.h"

/* The most backups one destination takes in one second (STAMP-2 ...). */
#define BACKUP_SAME_SECOND_MAX 999u

static char *backup_escape(const char *name) {
    size_t n = strlen(name);
    char *out = xmalloc(n * 3 + 1), *o = out;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-' || (c == '.' && p != name))
            *o++ = (char)c;
        else
            o += sprintf(o, "%%%02X", c);
    }
    *o = '\0';
    return out;
}

/* Undoes backup_escape (malloc'd; NULL on a bad escape). */
static char *backup_unescape(const char *name) {
    char *out = xmalloc(strlen(name) + 1);
    if (!fmt_percent_decode(name, out, false)) {
        free(out);
        return NULL;
    }
    return out;
}

const char *backup_format_string(json_object *o, const char *key) {
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

typedef struct backup_writer {
    char *root;         /* the partial directory */
    json_object *files; /* relative path -> sha256 */
    backup_counts *counts;
} backup_writer;

/* Backups hold the catalog: directories 0700 and files 0600 whatever the
 * umask (mkdir and open only take bits away, so each is chmod'ed). */
#define BACKUP_DIR_MODE 0700
#define BACKUP_FILE_MODE 0600

static bool backup_private_dir(const char *path, char **error) {
    if ((mkdir(path, BACKUP_DIR_MODE) != 0 && errno != EEXIST) ||
        chmod(path, BACKUP_DIR_MODE) != 0) {
        *error = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Writes root/relative 0600, its directories below root 0700. */
static bool backup_private_file(const char *root, const char *relative, const char *text,
                                char **error) {
    char *path = fs_join(root, relative);
    size_t skip = strlen(path) - strlen(relative);
    bool ok = true;
    for (char *p = path + skip; ok && (p = strchr(p, '/')); p++) {
        *p = '\0';
        ok = backup_private_dir(path, error);
        *p = '/';
    }
    ok = ok && fs_write_atomic(path, text, strlen(text), error);
    if (ok && chmod(path, BACKUP_FILE_MODE) != 0) {
        *error = xasprintf("%s: %s", path, strerror(errno));
        ok = false;
    }
    free(path);
    return ok;
}

static bool backup_put(backup_writer *w, const char *relative, const char *text, char **error) {
    bool ok = backup_private_file(w->root, relative, text, error);
    if (ok) {
        char hash[65];
        sigv4_sha256_hex(text, strlen(text), hash);
        json_object_object_add(w->files, relative, json_object_new_string(hash));
        w->counts->files++;
    }
    return ok;
}

static bool backup_put_json(backup_writer *w, const char *relative, json_object *o, char **error) {
    char *text = glue_json_pretty(o);
    bool ok = backup_put(w, relative, text, error);
    free(text);
    return ok;
}

static void backup_append(char **buf, size_t *len, size_t *cap, const char *text) {
    size_t n = strlen(text);
    *buf = xgrow(*buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, text, n + 1);
    *len += n;
}

static void backup_columns(char **buf, size_t *len, size_t *cap, json_object *cols) {
    for (size_t i = 0; cols && i < json_object_array_length(cols); i++) {
        json_object *c = json_object_array_get_idx(cols, i);
        const char *name = backup_format_string(c, "Name"), *type = backup_format_string(c, "Type");
        const char *comment = backup_format_string(c, "Comment");
        char *line = xasprintf("%s  `%s` %s%s%s%s", i ? ",\n" : "", name ? name : "?",
                               type ? type : "string", comment ? " COMMENT '" : "",
                               comment ? comment : "", comment ? "'" : "");
        backup_append(buf, len, cap, line);
        free(line);
    }
}

char *backup_format_ddl(json_object *table, const char *database) {
    size_t len = 0, cap = 0;
    char *buf = NULL;
    const char *name = backup_format_string(table, "Name");
    json_object *sd = NULL, *cols = NULL, *keys = NULL, *serde = NULL, *params = NULL;
    json_object_object_get_ex(table, "StorageDescriptor", &sd);
    if (sd)
        json_object_object_get_ex(sd, "Columns", &cols);
    json_object_object_get_ex(table, "PartitionKeys", &keys);
    if (sd)
        json_object_object_get_ex(sd, "SerdeInfo", &serde);
    json_object_object_get_ex(table, "Parameters", &params);
    char *head = xasprintf("-- %s.%s, written by laketop\nCREATE EXTERNAL TABLE `%s`.`%s` (\n",
                           database, name ? name : "?", database, name ? name : "?");
    backup_append(&buf, &len, &cap, head);
    free(head);
    backup_columns(&buf, &len, &cap, cols);
    backup_append(&buf, &len, &cap, "\n)\n");
    if (keys && json_object_array_length(keys) > 0) {
        backup_append(&buf, &len, &cap, "PARTITIONED BY (\n");
        backup_columns(&buf, &len, &cap, keys);
        backup_append(&buf, &len, &cap, "\n)\n");
    }
    const char *lib = backup_format_string(serde, "SerializationLibrary");
    if (lib) {
        char *line = xasprintf("ROW FORMAT SERDE '%s'\n", lib);
        backup_append(&buf, &len, &cap, line);
        free(line);
    }
    const char *in = backup_format_string(sd, "InputFormat"),
               *out = backup_format_string(sd, "OutputFormat");
    if (in && out) {
        char *line = xasprintf("STORED AS INPUTFORMAT '%s'\n  OUTPUTFORMAT '%s'\n", in, out);
        backup_append(&buf, &len, &cap, line);
        free(line);
    }
    const char *location = backup_format_string(sd, "Location");
    if (location) {
        char *line = xasprintf("LOCATION '%s'\n", location);
        backup_append(&buf, &len, &cap, line);
        free(line);
    }
    if (params && json_object_object_length(params) > 0) {
        backup_append(&buf, &len, &cap, "TBLPROPERTIES (\n");
        bool first = true;
        json_object_object_foreach(params, key, value) {
            char *line = xasprintf("%s  '%s'='%s'", first ? "" : ",\n", key,
                                   json_object_is_type(value, json_type_string)
                                       ? json_object_get_string(value)
                                       : json_object_to_json_string(value));
            backup_append(&buf, &len, &cap, line);
            free(line);
            first = false;
        }
        backup_append(&buf, &len, &cap, "\n)\n");
    }
    backup_append(&buf, &len, &cap, ";\n");
    return buf;
}

static bool backup_write_all(backup_writer *w, json_object *dump, char **error) {
    json_object *databases, *tables, *partitions;
    if (!json_object_object_get_ex(dump, "databases", &databases) ||
        !json_object_object_get_ex(dump, "tables", &tables) ||
        !json_object_object_get_ex(dump, "partitions", &partitions)) {
        *error = xstrdup("the catalog dump is incomplete");
        return false;
    }
    for (size_t i = 0; i < json_object_array_length(databases); i++) {
        json_object *db = json_object_array_get_idx(databases, i);
        const char *name = backup_format_string(db, "Name");
        if (!name)
            continue;
        char *esc = backup_escape(name);
        char *rel = xasprintf("databases/%s.json", esc);
        bool ok = backup_put_json(w, rel, db, error);
        free(rel);
        w->counts->databases++;
        json_object *list = NULL, *parts = NULL;
        json_object_object_get_ex(tables, name, &list);
        json_object_object_get_ex(partitions, name, &parts);
        for (size_t k = 0; ok && list && k < json_object_array_length(list); k++) {
            json_object *t = json_object_array_get_idx(list, k);
            const char *tname = backup_format_string(t, "Name");
            if (!tname)
                continue;
            char *tesc = backup_escape(tname);
            rel = xasprintf("tables/%s/%s.json", esc, tesc);
            ok = backup_put_json(w, rel, t, error);
            free(rel);
            char *ddl = backup_format_ddl(t, name);
            rel = xasprintf("ddl/%s/%s.sql", esc, tesc);
            ok = ok && backup_put(w, rel, ddl, error);
            free(rel);
            free(ddl);
            json_object *tp = NULL;
            if (ok && parts && json_object_object_get_ex(parts, tname, &tp)) {
                rel = xasprintf("partitions/%s/%s.json", esc, tesc);
                ok = backup_put_json(w, rel, tp, error);
                free(rel);
                w->counts->partitions += json_object_array_length(tp);
            }
            w->counts->tables++;
            free(tesc);
        }
        free(esc);
        if (!ok)
            return false;
    }
    return true;
}

/* Takes the first free name of STAMP, STAMP-2, STAMP-3 ... in `dest` by
 * creating it (mkdir is atomic: two backups of the same second, in two
 * threads or two processes, never take the same name). The empty directory
 * holds the name until the whole backup is renamed over it. */
static bool backup_claim_name(const char *dest, const char *stamp, char **final, char **error) {
    for (unsigned n = 1; n <= BACKUP_SAME_SECOND_MAX; n++) {
        char *path =
            n == 1 ? xasprintf("%s/%s", dest, stamp) : xasprintf("%s/%s-%u", dest, stamp, n);
        if (mkdir(path, BACKUP_DIR_MODE) == 0) {
            *final = path;
            return true;
        }
        int saved = errno;
        if (saved != EEXIST) {
            *error = xasprintf("%s: cannot create: %s", path, strerror(saved));
            free(path);
            return false;
        }
        free(path);
    }
    *error =
        xasprintf("%s: %u backups in the second %s already", dest, BACKUP_SAME_SECOND_MAX, stamp);
    return false;
}

/* Renames the whole backup over the empty directory that holds its name. */
static bool backup_move(const char *partial, const char *final, char **error) {
    if (rename(partial, final) == 0)
        return true;
    *error = xasprintf("%s: cannot rename into place: %s", final, strerror(errno));
    rmdir(final);
    return false;
}

bool backup_format_write(json_object *dump, const char *dest, const char *source_name, int64_t now,
                         char **written, backup_counts *counts, char **error) {
    memset(counts, 0, sizeof *counts);
    if (!fs_mkdirs(dest, error))
        return false;
    char stamp[32], iso[32];
    fmt_iso8601(now, iso, sizeof iso);
    /* 2026-11-21T20:43:18Z -> 20261121T204318Z */
    size_t n = 0;
    for (const char *p = iso; *p; p++)
        if (*p != '-' && *p != ':')
            stamp[n++] = *p;
    stamp[n] = '\0';
    /* written under a private hidden name unique to this call (two backups
     * of one process run at once from the dashboard's jobs) */
    char owner[64];
    backup_sweep_owner(owner, sizeof owner); /* PID-START: a later backup tells if it died */
    backup_writer w = {
        .root = xasprintf("%s/" BACKUP_FORMAT_PARTIAL "%s-%s-XXXXXX", dest, stamp, owner),
        .files = json_object_new_object(),
        .counts = counts};
    if (!mkdtemp(w.root)) {
        *error = xasprintf("%s: cannot create: %s", w.root, strerror(errno));
        json_object_put(w.files);
        free(w.root);
        return false;
    }
    bool ok = backup_private_dir(w.root, error) && backup_write_all(&w, dump, error);
    if (ok) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "format", json_object_new_string(BACKUP_FORMAT));
        json_object_object_add(m, "created", json_object_new_string(iso));
        json_object_object_add(m, "source", json_object_new_string(source_name));
        json_object *c = json_object_new_object();
        json_object_object_add(c, "databases", json_object_new_int64((int64_t)counts->databases));
        json_object_object_add(c, "tables", json_object_new_int64((int64_t)counts->tables));
        json_object_object_add(c, "partitions", json_object_new_int64((int64_t)counts->partitions));
        json_object_object_add(m, "counts", c);
        json_object_object_add(m, "files", json_object_get(w.files));
        const char *text = json_object_to_json_string_ext(
            m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
        ok = backup_private_file(w.root, "manifest.json", text, error);
        json_object_put(m);
    }
    char *final = NULL;
    if (ok)
        ok = backup_claim_name(dest, stamp, &final, error) && backup_move(w.root, final, error);
    if (!ok)
        fs_remove_tree(w.root);
    json_object_put(w.files);
    free(w.root);
    if (ok)
        *written = final;
    else
        free(final);
    return ok;
}

int backup_format_name_compare(const char *a, const char *b) {
    size_t la = strcspn(a, "-"), lb = strcspn(b, "-");
    int by_stamp = strncmp(a, b, la < lb ? la : lb);
    if (by_stamp != 0 || la != lb)
        return by_stamp != 0 ? by_stamp : la < lb ? -1 : 1;
    unsigned long na = a[la] ? strtoul(a + la + 1, NULL, 10) : 1;
    unsigned long nb = b[lb] ? strtoul(b + lb + 1, NULL, 10) : 1;
    if (na != nb)
        return na < nb ? -1 : 1;
    return strcmp(a, b);
}

/* The newest backup directory inside `dir` (see backup_format_name_compare);
 * one without a manifest (a name still held, not yet filled) is not a
 * backup. */
static char *backup_newest(const char *dir) {
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *best = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *manifest = xasprintf("%s/%s/manifest.json", dir, e->d_name);
        bool has = access(manifest, F_OK) == 0;
        free(manifest);
        if (has && (!best || backup_format_name_compare(e->d_name, best) > 0)) {
            free(best);
            best = xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (!best)
        return NULL;
    char *path = fs_join(dir, best);
    free(best);
    return path;
}

static json_object *backup_read_json(const char *root, const char *relative, const char *want_hash,
                                     char **error) {
    char *path = fs_join(root, relative);
    size_t length;
    char *text = fs_read_file(path, &length, error);
    if (!text) {
        free(path);
        return NULL;
    }
    json_object *o = NULL;
    if (want_hash) {
        char hash[65];
        sigv4_sha256_hex(text, length, hash);
        if (strcmp(hash, want_hash) != 0) {
            *error = xasprintf("%s: checksum does not match the manifest (the backup was changed "
                               "or damaged)",
                               path);
            free(text);
            free(path);
            return NULL;
        }
    }
    if (strstr(relative, ".json")) {
        o = json_tokener_parse(text);
        if (!o)
            *error = xasprintf("%s: JSON does not parse", path);
    } else {
        o = json_object_new_string("");
    }
    free(text);
    free(path);
    return o;
}

/* Counts the files below a backup directory, the manifest aside. */
static size_t backup_count_files(const char *dir, bool top) {
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (top && strcmp(e->d_name, "manifest.json") == 0)
            continue;
        char *sub = fs_join(dir, e->d_name);
        n += fs_is_dir(sub) ? backup_count_files(sub, false) : 1;
        free(sub);
    }
    closedir(d);
    return n;
}

bool backup_format_read(const char *dir, json_object **dump, backup_counts *counts, char **chosen,
                        char **error) {
    memset(counts, 0, sizeof *counts);
    char *root = NULL;
    char *manifest_path = fs_join(dir, "manifest.json");
    if (access(manifest_path, F_OK) == 0) {
        root = xstrdup(dir);
    } else {
        root = backup_newest(dir);
        if (!root) {
            *error = xasprintf("%s: not a laketop backup (no manifest.json here or in a "
                               "directory below)",
                               dir);
            free(manifest_path);
            return false;
        }
    }
    free(manifest_path);
    json_object *m = backup_read_json(root, "manifest.json", NULL, error);
    if (!m) {
        free(root);
        return false;
    }
    json_object *files, *format;
    if (!json_object_object_get_ex(m, "format", &format) ||
        strcmp(json_object_get_string(format), BACKUP_FORMAT) != 0 ||
        !json_object_object_get_ex(m, "files", &files) ||
        !json_object_is_type(files, json_type_object)) {
        *error = xasprintf("%s/manifest.json: not a %s manifest", root, BACKUP_FORMAT);
        json_object_put(m);
        free(root);
        return false;
    }
    size_t on_disk = backup_count_files(root, true);
    if (on_disk != (size_t)json_object_object_length(files)) {
        *error = xasprintf("%s: %zu %s on disk, the manifest lists %d", root, on_disk,
                           fmt_plural((int64_t)on_disk, "file", "files"),
                           json_object_object_length(files));
        json_object_put(m);
        free(root);
        return false;
    }
    json_object *databases, *tables, *partitions;
    json_object *out = glue_json_dump_new(&databases, &tables, &partitions);
    bool ok = true;
    /* verify everything first, then take the JSON in */
    json_object_object_foreach(files, rel, hash) {
        json_object *o = backup_read_json(root, rel, json_object_get_string(hash), error);
        if (!o) {
            ok = false;
            break;
        }
        counts->files++;
        if (strncmp(rel, "databases/", 10) == 0) {
            json_object_array_add(databases, o);
            counts->databases++;
            continue;
        }
        if (strncmp(rel, "tables/", 7) == 0 || strncmp(rel, "partitions/", 11) == 0) {
            bool is_table = rel[0] == 't';
            const char *database = backup_format_string(
                is_table ? o : json_object_array_get_idx(o, 0), "DatabaseName");
            /* the database comes from the directory when the JSON lacks it */
            char *dirname_part = xstrdup(rel + (is_table ? 7 : 11));
            char *slash = strchr(dirname_part, '/');
            if (slash)
                *slash = '\0';
            char *decoded = backup_unescape(dirname_part);
            const char *db = decoded ? decoded : database;
            if (is_table) {
                json_object *list;
                if (!json_object_object_get_ex(tables, db, &list)) {
                    list = json_object_new_array();
                    json_object_object_add(tables, db, list);
                }
                json_object_array_add(list, o);
                counts->tables++;
            } else {
                json_object *per_db;
                if (!json_object_object_get_ex(partitions, db, &per_db)) {
                    per_db = json_object_new_object();
                    json_object_object_add(partitions, db, per_db);
                }
                const char *table =
                    backup_format_string(json_object_array_get_idx(o, 0), "TableName");
                char *tname = backup_unescape(slash ? slash + 1 : "");
                size_t tl = tname ? strlen(tname) : 0;
                if (tname && tl > 5 && strcmp(tname + tl - 5, ".json") == 0)
                    tname[tl - 5] = '\0';
                json_object_object_add(per_db, table ? table : tname ? tname : "?", o);
                counts->partitions += json_object_array_length(o);
                free(tname);
            }
            free(decoded);
            free(dirname_part);
            continue;
        }
        json_object_put(o); /* ddl */
    }
    json_object_put(m);
    if (!ok) {
        json_object_put(out);
        free(root);
        return false;
    }
    *dump = out;
    *chosen = root;
    return true;
}
