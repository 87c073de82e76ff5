/* delta_log.c: the Delta Lake transaction log replayed into the live files
 * (see delta.h). Files are kept in one open-addressing hash table keyed by
 * the decoded path (a table can hold hundreds of thousands of files); an
 * entry that exists is referenced, and it is live while its flag says so. */
#include "collector/formats/delta.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

typedef struct delta_file {
    char *path; /* decoded; NULL for an empty slot */
    uint64_t hash;
    int64_t size;
    int64_t records;
    int64_t modification_time;
    bool live;
} delta_file;

struct delta_log {
    delta_file *slots;
    size_t capacity; /* a power of two, or 0 */
    size_t used;
    /* Totals over the live files, in unsigned arithmetic so that hostile
     * sizes wrap instead of overflowing (and a removal undoes an add). */
    uint64_t live_files;
    uint64_t live_bytes;
    uint64_t live_records;
    uint64_t live_without_records;
    int64_t version;
    int64_t last_commit;
    int min_reader_version;
    table_commit *commits;
    size_t n_commits;
    size_t cap_commits;
};

delta_log *delta_log_new(void) {
    delta_log *log = xcalloc(1, sizeof *log);
    log->version = -1;
    log->last_commit = -1;
    return log;
}

void delta_log_free(delta_log *log) {
    if (!log)
        return;
    for (size_t i = 0; i < log->capacity; i++)
        free(log->slots[i].path);
    free(log->slots);
    table_commits_free(log->commits, log->n_commits);
    free(log);
}

/* ---- paths ---- */

static int delta_hex(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The path with %XX decoded; a '%' not followed by two hex digits, or
 * %00, stays as written. */
static char *delta_path_decode(const char *path) {
    size_t len = strlen(path);
    char *out = xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (path[i] == '%' && i + 2 < len) {
            int hi = delta_hex(path[i + 1]);
            int lo = delta_hex(path[i + 2]);
            if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
                out[o++] = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out[o++] = path[i];
    }
    out[o] = '\0';
    return out;
}

static uint64_t delta_hash(const char *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

/* The slot of `path` (decoded) or the empty slot where it would go. */
static delta_file *delta_slot(const delta_log *log, const char *path, uint64_t hash) {
    size_t mask = log->capacity - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        delta_file *f = &log->slots[i];
        if (!f->path || (f->hash == hash && strcmp(f->path, path) == 0))
            return f;
    }
}

static void delta_grow(delta_log *log) {
    size_t old_capacity = log->capacity;
    delta_file *old = log->slots;
    log->capacity = old_capacity ? old_capacity * 2 : 64;
    log->slots = xcalloc(log->capacity, sizeof *log->slots);
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i].path)
            *delta_slot(log, old[i].path, old[i].hash) = old[i];
    free(old);
}

/* The entry of the decoded `path`, made (not live) when absent; takes
 * `path`. */
static delta_file *delta_entry(delta_log *log, char *path) {
    if ((log->used + 1) * 10 > log->capacity * 7)
        delta_grow(log);
    uint64_t hash = delta_hash(path);
    delta_file *f = delta_slot(log, path, hash);
    if (f->path) {
        free(path);
        return f;
    }
    f->path = path;
    f->hash = hash;
    f->size = 0;
    f->records = -1;
    f->modification_time = -1;
    f->live = false;
    log->used++;
    return f;
}

static const delta_file *delta_find(const delta_log *log, const char *path) {
    if (!log->capacity || !path)
        return NULL;
    const delta_file *f = delta_slot(log, path, delta_hash(path));
    return f->path ? f : NULL;
}

static void delta_unlive(delta_log *log, delta_file *f) {
    if (!f->live)
        return;
    f->live = false;
    log->live_files--;
    log->live_bytes -= (uint64_t)f->size;
    if (f->records < 0)
        log->live_without_records--;
    else
        log->live_records -= (uint64_t)f->records;
}

/* Adds; returns the file's entry. */
static delta_file *delta_add_decoded(delta_log *log, char *path, int64_t size, int64_t records,
                                     int64_t modification_time) {
    delta_file *f = delta_entry(log, path);
    delta_unlive(log, f);
    f->size = size;
    f->records = records < 0 ? -1 : records;
    f->modification_time = modification_time;
    f->live = true;
    log->live_files++;
    log->live_bytes += (uint64_t)size;
    if (f->records < 0)
        log->live_without_records++;
    else
        log->live_records += (uint64_t)f->records;
    return f;
}

void delta_log_add(delta_log *log, const char *path, int64_t size, int64_t records,
                   int64_t modification_time) {
    delta_add_decoded(log, delta_path_decode(path), size, records, modification_time);
}

void delta_log_remove(delta_log *log, const char *path) {
    delta_unlive(log, delta_entry(log, delta_path_decode(path)));
}

bool delta_log_references(const delta_log *log, const char *path) {
    return delta_find(log, path) != NULL;
}

bool delta_log_is_live(const delta_log *log, const char *path) {
    const delta_file *f = delta_find(log, path);
    return f && f->live;
}

void delta_log_set_version(delta_log *log, int64_t version, int64_t at) {
    log->version = version;
    log->last_commit = at;
}

void delta_log_figures(const delta_log *log, delta_figures *out) {
    out->version = log->version;
    out->files = (int64_t)log->live_files;
    out->bytes = (int64_t)log->live_bytes;
    out->records = log->live_without_records ? -1 : (int64_t)log->live_records;
    out->last_commit = log->last_commit;
    out->min_reader_version = log->min_reader_version;
}

table_commit *delta_log_take_commits(delta_log *log, size_t *n) {
    table_commit *commits = log->commits;
    *n = log->n_commits;
    log->commits = NULL;
    log->n_commits = log->cap_commits = 0;
    return commits;
}

/* ---- JSON ---- */

/* An integer member: 1 and *out when it is one (a whole finite double
 * too), 0 when absent or null, -1 when it is something else. */
static int delta_json_int(json_object *obj, const char *key, int64_t *out) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !v)
        return 0;
    if (json_object_is_type(v, json_type_int)) {
        errno = 0;
        int64_t i = json_object_get_int64(v);
        if (errno == ERANGE || (i == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX))
            return -1; /* past int64 (json-c keeps it as a uint64) */
        *out = i;
        return 1;
    }
    if (json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18)
            return -1;
        *out = (int64_t)d;
        return 1;
    }
    return -1;
}

static const char *delta_json_string(json_object *obj, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *delta_json_object(json_object *obj, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
        return NULL;
    return v;
}

/* A whole JSON document in text[0, length) (whitespace around it), NULL
 * with *why. */
static json_object *delta_json_parse(const char *text, size_t length, const char **why) {
    if (length > INT32_MAX) {
        *why = "too long";
        return NULL;
    }
    if (memchr(text, '\0', length)) {
        *why = "a NUL byte";
        return NULL;
    }
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, text, (int)length);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!obj || err != json_tokener_success) {
        json_object_put(obj);
        *why = err == json_tokener_continue ? "not JSON (it ends early)" : "not JSON";
        return NULL;
    }
    for (size_t i = used; i < length; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n') {
            json_object_put(obj);
            *why = "not JSON (something follows the object)";
            return NULL;
        }
    return obj;
}

/* numRecords from an action's "stats" (a JSON string), less the rows its
 * deletion vector deletes; -1 when unknown. */
static int64_t delta_action_records(json_object *action) {
    const char *stats = delta_json_string(action, "stats");
    if (!stats)
        return -1;
    const char *why = NULL;
    json_object *parsed = delta_json_parse(stats, strlen(stats), &why);
    if (!parsed)
        return -1;
    int64_t records = -1;
    if (!json_object_is_type(parsed, json_type_object) ||
        delta_json_int(parsed, "numRecords", &records) != 1 || records < 0)
        records = -1;
    json_object_put(parsed);
    json_object *dv = delta_json_object(action, "deletionVector");
    int64_t deleted = 0;
    if (records >= 0 && dv && delta_json_int(dv, "cardinality", &deleted) == 1) {
        if (deleted < 0 || deleted > records)
            return -1;
        records -= deleted;
    }
    return records;
}

/* ---- commit files ---- */

typedef enum { DELTA_ADD, DELTA_REMOVE, DELTA_CDC } delta_action_kind;

typedef struct delta_action {
    delta_action_kind kind;
    char *path; /* decoded */
    int64_t size;
    int64_t records;
    int64_t modification_time;
} delta_action;

typedef struct delta_parsed {
    delta_action *actions;
    size_t n;
    size_t cap;
    bool has_timestamp;
    int64_t timestamp_ms;
    char *operation;
    int min_reader_version;
} delta_parsed;

static void delta_parsed_clear(delta_parsed *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->actions[i].path);
    free(p->actions);
    free(p->operation);
    memset(p, 0, sizeof *p);
}

static const char *delta_parse_file_action(json_object *body, delta_action_kind kind,
                                           delta_parsed *p) {
    if (!json_object_is_type(body, json_type_object))
        return kind == DELTA_ADD      ? "add is not an object"
               : kind == DELTA_REMOVE ? "remove is not an object"
                                      : "cdc is not an object";
    const char *path = delta_json_string(body, "path");
    if (!path || !path[0])
        return kind == DELTA_ADD      ? "add without a path"
               : kind == DELTA_REMOVE ? "remove without a path"
                                      : "cdc without a path";
    delta_action a = {kind, NULL, 0, -1, -1};
    if (kind == DELTA_ADD) {
        int got = delta_json_int(body, "size", &a.size);
        if (got == 0)
            return "add without a size";
        if (got < 0 || a.size < 0)
            return "add with a size that is not a count of bytes";
        if (delta_json_int(body, "modificationTime", &a.modification_time) < 0)
            return "add with a modificationTime that is not a number";
    }
    a.records = kind == DELTA_CDC ? -1 : delta_action_records(body);
    a.path = delta_path_decode(path);
    p->actions = xgrow(p->actions, &p->cap, p->n + 1, sizeof *p->actions);
    p->actions[p->n++] = a;
    return NULL;
}

/* One action line into *p; NULL, or why it is wrong. */
static const char *delta_parse_line(json_object *line, delta_parsed *p, bool references_only) {
    if (!json_object_is_type(line, json_type_object))
        return "not a JSON object";
    json_object_object_foreach(line, key, body) {
        const char *why = NULL;
        if (strcmp(key, "add") == 0)
            why = delta_parse_file_action(body, DELTA_ADD, p);
        else if (strcmp(key, "remove") == 0)
            why = delta_parse_file_action(body, DELTA_REMOVE, p);
        else if (strcmp(key, "cdc") == 0)
            why = delta_parse_file_action(body, DELTA_CDC, p);
        else if (references_only)
            continue;
        else if (strcmp(key, "commitInfo") == 0) {
            if (!json_object_is_type(body, json_type_object))
                return "commitInfo is not an object";
            int64_t ms = 0;
            /* inCommitTimestamp, when the table has them, is the commit's
             * time; timestamp otherwise (both milliseconds) */
            if (delta_json_int(body, "inCommitTimestamp", &ms) == 1 ||
                delta_json_int(body, "timestamp", &ms) == 1) {
                p->has_timestamp = true;
                p->timestamp_ms = ms;
            }
            const char *operation = delta_json_string(body, "operation");
            if (operation && operation[0]) {
                free(p->operation);
                p->operation = xstrdup(operation);
            }
        } else if (strcmp(key, "protocol") == 0) {
            if (!json_object_is_type(body, json_type_object))
                return "protocol is not an object";
            int64_t reader = 0;
            int got = delta_json_int(body, "minReaderVersion", &reader);
            if (got != 1 || reader < 1 || reader > 1000)
                return "protocol without a minReaderVersion";
            p->min_reader_version = (int)reader;
        } else if (strcmp(key, "metaData") == 0) {
            if (!json_object_is_type(body, json_type_object))
                return "metaData is not an object";
        }
        if (why)
            return why;
    }
    return NULL;
}

/* Every line of a commit file into *p; false with *error prefixed by
 * `name` ("" for none). */
static bool delta_parse_commit(const char *text, size_t length, const char *name,
                               bool references_only, delta_parsed *p, char **error) {
    size_t line_no = 0;
    size_t start = 0;
    while (start < length) {
        const char *nl = memchr(text + start, '\n', length - start);
        size_t end = nl ? (size_t)(nl - text) : length;
        line_no++;
        size_t i = start;
        while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
            i++;
        if (i < end) {
            const char *why = NULL;
            json_object *line = delta_json_parse(text + start, end - start, &why);
            if (line) {
                why = delta_parse_line(line, p, references_only);
                json_object_put(line);
            }
            if (why) {
                if (error)
                    *error = xasprintf("%s%sline %zu: %s", name, name[0] ? " " : "", line_no, why);
                return false;
            }
        }
        start = end + 1;
    }
    return true;
}

static table_commit *delta_new_commit(delta_log *log) {
    log->commits = xgrow(log->commits, &log->cap_commits, log->n_commits + 1, sizeof *log->commits);
    table_commit *c = &log->commits[log->n_commits++];
    memset(c, 0, sizeof *c);
    return c;
}

static int64_t delta_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

bool delta_log_apply_commit(delta_log *log, int64_t version, const char *text, size_t length,
                            int64_t file_mtime, char **error) {
    char name[48];
    snprintf(name, sizeof name, "%020" PRId64 ".json", version);
    if (version < 0) {
        if (error)
            *error = xasprintf("%s: not a version", name);
        return false;
    }
    if (log->version < 0 && version != 0) {
        if (error)
            *error =
                xasprintf("%s: the log starts at version %" PRId64
                          " with no checkpoint before it (versions 0 to %" PRId64 " are missing)",
                          name, version, version - 1);
        return false;
    }
    if (log->version >= 0 && (log->version == INT64_MAX || version != log->version + 1)) {
        if (error) {
            if (version > log->version)
                *error = xasprintf("%s: a gap in the log: version %" PRId64
                                   " follows version %" PRId64 " (%" PRId64 " missing)",
                                   name, version, log->version, log->version + 1);
            else
                *error = xasprintf("%s: version %" PRId64 " comes after version %" PRId64
                                   " (out of order)",
                                   name, version, log->version);
        }
        return false;
    }
    delta_parsed p;
    memset(&p, 0, sizeof p);
    if (!delta_parse_commit(text, length, name, false, &p, error)) {
        delta_parsed_clear(&p);
        return false;
    }
    table_commit *c = delta_new_commit(log);
    c->id = version;
    c->at = p.has_timestamp ? delta_floor_div(p.timestamp_ms, 1000) : file_mtime;
    c->operation = p.operation;
    p.operation = NULL;
    uint64_t added_records = 0, removed_records = 0;
    bool added_known = true, removed_known = true;
    /* Removes first, then adds: a commit that rewrites a file's deletion
     * vector removes and adds the same path, in any order. */
    for (size_t i = 0; i < p.n; i++) {
        delta_action *a = &p.actions[i];
        if (a->kind == DELTA_ADD)
            continue;
        char *path = a->path;
        a->path = NULL;
        delta_file *f = delta_entry(log, path);
        if (a->kind == DELTA_CDC)
            continue;
        c->removed_files++;
        int64_t records = f->live ? f->records : a->records;
        if (records < 0)
            removed_known = false;
        else
            removed_records += (uint64_t)records;
        delta_unlive(log, f);
    }
    for (size_t i = 0; i < p.n; i++) {
        delta_action *a = &p.actions[i];
        if (a->kind != DELTA_ADD)
            continue;
        c->added_files++;
        if (a->records < 0)
            added_known = false;
        else
            added_records += (uint64_t)a->records;
        delta_add_decoded(log, a->path, a->size, a->records, a->modification_time);
        a->path = NULL;
    }
    c->added_records = added_known ? (int64_t)added_records : -1;
    c->removed_records = removed_known ? (int64_t)removed_records : -1;
    c->total_files = (int64_t)log->live_files;
    c->total_bytes = (int64_t)log->live_bytes;
    c->total_records = log->live_without_records ? -1 : (int64_t)log->live_records;
    if (p.min_reader_version)
        log->min_reader_version = p.min_reader_version;
    log->version = version;
    log->last_commit = c->at;
    delta_parsed_clear(&p);
    return true;
}

bool delta_log_reference_commit(delta_log *log, const char *text, size_t length, char **error) {
    delta_parsed p;
    memset(&p, 0, sizeof p);
    if (!delta_parse_commit(text, length, "", true, &p, error)) {
        delta_parsed_clear(&p);
        return false;
    }
    for (size_t i = 0; i < p.n; i++) {
        delta_entry(log, p.actions[i].path);
        p.actions[i].path = NULL;
    }
    delta_parsed_clear(&p);
    return true;
}

/* ---- _last_checkpoint and .crc ---- */

bool delta_last_checkpoint_parse(const char *text, size_t length, int64_t *version, int64_t *parts,
                                 char **error) {
    const char *why = NULL;
    json_object *obj = delta_json_parse(text, length, &why);
    if (obj && !json_object_is_type(obj, json_type_object))
        why = "not a JSON object";
    int64_t v = -1, p = 1;
    if (!why && (delta_json_int(obj, "version", &v) != 1 || v < 0))
        why = "no version";
    int got = why ? 0 : delta_json_int(obj, "parts", &p);
    if (!why && (got < 0 || (got == 1 && (p < 1 || p > 100000))))
        why = "parts is not a count of files";
    json_object_put(obj);
    if (why) {
        if (error)
            *error = xasprintf("_last_checkpoint: %s", why);
        return false;
    }
    *version = v;
    *parts = got == 1 ? p : 1;
    return true;
}

bool delta_crc_parse(const char *text, size_t length, int64_t *table_size_bytes, int64_t *num_files,
                     char **error) {
    const char *why = NULL;
    json_object *obj = delta_json_parse(text, length, &why);
    if (obj && !json_object_is_type(obj, json_type_object))
        why = "not a JSON object";
    int64_t bytes = -1, files = -1;
    if (!why && (delta_json_int(obj, "tableSizeBytes", &bytes) != 1 || bytes < 0))
        why = "no tableSizeBytes";
    if (!why && (delta_json_int(obj, "numFiles", &files) != 1 || files < 0))
        why = "no numFiles";
    json_object_put(obj);
    if (why) {
        if (error)
            *error = xasprintf("crc: %s", why);
        return false;
    }
    *table_size_bytes = bytes;
    *num_files = files;
    return true;
}

/* ---- file names ---- */

/* Digits at *s into *out (no overflow); the end, or NULL. */
static const char *delta_digits(const char *s, int64_t *out) {
    if (*s < '0' || *s > '9')
        return NULL;
    int64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        int d = *s - '0';
        if (v > (INT64_MAX - d) / 10)
            return NULL;
        v = v * 10 + d;
    }
    *out = v;
    return s;
}

int64_t delta_log_file_version(const char *name, char *kind) {
    char k = 0;
    int64_t version = -1, part = 0, parts = 0;
    const char *rest = name ? delta_digits(name, &version) : NULL;
    if (!rest)
        version = -1;
    else if (strcmp(rest, ".json") == 0)
        k = 'j';
    else if (strcmp(rest, ".crc") == 0)
        k = 'c';
    else if (strcmp(rest, ".checkpoint.parquet") == 0)
        k = 'p';
    else if (strncmp(rest, ".checkpoint.", 12) == 0) {
        const char *r = delta_digits(rest + 12, &part);
        r = r && *r == '.' ? delta_digits(r + 1, &parts) : NULL;
        if (r && strcmp(r, ".parquet") == 0 && part >= 1 && part <= parts)
            k = 'm';
        else
            version = -1;
    } else
        version = -1;
    if (kind)
        *kind = k;
    return version;
}
