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

#include "collector/formats/delta_json.h"
#include "common/hash.h"
#include "common/fmt.h"
#include "common/strbuf.h"
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
    char *partition_columns; /* the newest metaData's, ", "-joined; NULL unknown */
    char *root;              /* canonical, no trailing '/'; NULL none */
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
    free(log->partition_columns);
    free(log->root);
    table_commits_free(log->commits, log->n_commits);
    free(log);
}

/* ---- paths ---- */

/* The path with %XX decoded; a '%' not followed by two hex digits, or
 * %00, stays as written. */
static char *delta_path_decode(const char *path) {
    size_t len = strlen(path);
    char *out = xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (path[i] == '%' && i + 2 < len) {
            int hi = fmt_hex_digit(path[i + 1]);
            int lo = fmt_hex_digit(path[i + 2]);
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

/* An absolute address in one spelling: s3a:// and s3n:// as s3://,
 * file:///p and file:/p as /p; anything else as it is. */
static const char *delta_canonical(const char *address, const char **scheme) {
    static const char *const s3[] = {"s3://", "s3a://", "s3n://"};
    for (size_t i = 0; i < sizeof s3 / sizeof *s3; i++)
        if (strncmp(address, s3[i], strlen(s3[i])) == 0) {
            *scheme = "s3://";
            return address + strlen(s3[i]);
        }
    *scheme = "";
    if (strncmp(address, "file:///", 8) == 0)
        return address + 7;
    if (strncmp(address, "file:/", 6) == 0)
        return address + 5;
    return address;
}

void delta_log_set_root(delta_log *log, const char *root) {
    free(log->root);
    log->root = NULL;
    if (!root || !root[0])
        return;
    const char *scheme = NULL;
    const char *rest = delta_canonical(root, &scheme);
    size_t len = strlen(rest);
    while (len > 0 && rest[len - 1] == '/')
        len--;
    log->root = xasprintf("%s%.*s", scheme, (int)len, rest);
}

/* The decoded path of an add or remove, relative to the root when it is
 * an absolute address under it. */
static char *delta_path(const delta_log *log, const char *path) {
    char *decoded = delta_path_decode(path);
    if (!log->root || (!strchr(decoded, ':') && decoded[0] != '/'))
        return decoded;
    const char *scheme = NULL;
    const char *rest = delta_canonical(decoded, &scheme);
    size_t slen = strlen(scheme), root_len = strlen(log->root);
    size_t rlen = root_len >= slen ? root_len - slen : 0;
    if (root_len >= slen && strncmp(log->root, scheme, slen) == 0 &&
        strncmp(log->root + slen, rest, rlen) == 0 && rest[rlen] == '/' && rest[rlen + 1]) {
        char *relative = xstrdup(rest + rlen + 1);
        free(decoded);
        return relative;
    }
    return decoded;
}

static uint64_t delta_hash(const char *s) {
    uint64_t h = hash_fnv1a(s);
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
    if (path && path[0])
        delta_add_decoded(log, delta_path(log, path), size, records, modification_time);
}

void delta_log_remove(delta_log *log, const char *path) {
    if (path && path[0])
        delta_unlive(log, delta_entry(log, delta_path(log, path)));
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
    out->partition_columns = log->partition_columns;
}

table_commit *delta_log_take_commits(delta_log *log, size_t *n) {
    table_commit *commits = log->commits;
    *n = log->n_commits;
    log->commits = NULL;
    log->n_commits = log->cap_commits = 0;
    return commits;
}

/* numRecords from an action's "stats" (a JSON string), less the rows its
 * deletion vector deletes; -1 when unknown. */
static int64_t delta_action_records(json_tokener *tok, json_object *action) {
    const char *stats = delta_json_string(action, "stats");
    if (!stats)
        return -1;
    const char *why = NULL;
    json_object *parsed = delta_json_parse(tok, stats, strlen(stats), &why);
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
    const delta_log *log; /* for the paths' root */
    delta_action *actions;
    size_t n;
    size_t cap;
    bool has_timestamp;
    int64_t timestamp_ms;
    char *operation;
    int min_reader_version;
    char *partition_columns; /* from a metaData action; NULL none */
} delta_parsed;

static void delta_parsed_clear(delta_parsed *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->actions[i].path);
    free(p->actions);
    free(p->operation);
    free(p->partition_columns);
    memset(p, 0, sizeof *p);
}

static void delta_parsed_init(delta_parsed *p, const delta_log *log) {
    memset(p, 0, sizeof *p);
    p->log = log;
}

static const char *delta_parse_file_action(json_tokener *tok, json_object *body,
                                           delta_action_kind kind, bool references_only,
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
    a.records = kind == DELTA_CDC || references_only ? -1 : delta_action_records(tok, body);
    a.path = delta_path(p->log, path);
    p->actions = xgrow(p->actions, &p->cap, p->n + 1, sizeof *p->actions);
    p->actions[p->n++] = a;
    return NULL;
}

/* One action line into *p; NULL, or why it is wrong. */
static const char *delta_parse_line(json_tokener *tok, json_object *line, delta_parsed *p,
                                    bool references_only) {
    if (!json_object_is_type(line, json_type_object))
        return "not a JSON object";
    json_object_object_foreach(line, key, body) {
        const char *why = NULL;
        if (strcmp(key, "add") == 0)
            why = delta_parse_file_action(tok, body, DELTA_ADD, references_only, p);
        else if (strcmp(key, "remove") == 0)
            why = delta_parse_file_action(tok, body, DELTA_REMOVE, references_only, p);
        else if (strcmp(key, "cdc") == 0)
            why = delta_parse_file_action(tok, body, DELTA_CDC, references_only, p);
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
            json_object *columns = NULL;
            if (json_object_object_get_ex(body, "partitionColumns", &columns) &&
                json_object_is_type(columns, json_type_array)) {
                strbuf joined = {0};
                for (size_t i = 0; i < json_object_array_length(columns); i++) {
                    json_object *column = json_object_array_get_idx(columns, i);
                    if (json_object_is_type(column, json_type_string))
                        strbuf_printf(&joined, "%s%s", joined.length ? ", " : "",
                                      json_object_get_string(column));
                }
                free(p->partition_columns);
                p->partition_columns = strbuf_take(&joined);
            }
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
    json_tokener *tok = json_tokener_new();
    bool ok = true;
    while (start < length) {
        const char *nl = memchr(text + start, '\n', length - start);
        size_t end = nl ? (size_t)(nl - text) : length;
        line_no++;
        size_t i = start;
        while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
            i++;
        if (i < end) {
            const char *why = NULL;
            json_object *line = delta_json_parse(tok, text + start, end - start, &why);
            if (line) {
                why = delta_parse_line(tok, line, p, references_only);
                json_object_put(line);
            }
            if (why) {
                if (error)
                    *error = xasprintf("%s%sline %zu: %s", name, name[0] ? " " : "", line_no, why);
                ok = false;
                break;
            }
        }
        start = end + 1;
    }
    json_tokener_free(tok);
    return ok;
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
    delta_parsed_init(&p, log);
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
    if (p.partition_columns) {
        free(log->partition_columns);
        log->partition_columns = p.partition_columns;
        p.partition_columns = NULL;
    }
    log->version = version;
    log->last_commit = c->at;
    delta_parsed_clear(&p);
    return true;
}

bool delta_log_reference_commit(delta_log *log, const char *text, size_t length, char **error) {
    delta_parsed p;
    delta_parsed_init(&p, log);
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
