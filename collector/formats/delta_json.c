/* delta_json.c: the Delta log's JSON helpers (delta_json.h), and the
 * log's small files: _last_checkpoint, the per-version .crc, and what a log
 * file's name says (delta.h). */
#include "collector/formats/delta_json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta.h"
#include "common/xalloc.h"

/* ---- JSON ---- */

/* An integer member: 1 and *out when it is one (a whole finite double
 * too), 0 when absent or null, -1 when it is something else. */
int delta_json_int(json_object *obj, const char *key, int64_t *out) {
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

const char *delta_json_string(json_object *obj, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

json_object *delta_json_object(json_object *obj, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
        return NULL;
    return v;
}

/* A whole JSON document in text[0, length) (whitespace around it), NULL
 * with *why; `tok` is reused (NULL: one of its own). */
json_object *delta_json_parse(json_tokener *tok, const char *text, size_t length,
                              const char **why) {
    if (length > INT32_MAX) {
        *why = "too long";
        return NULL;
    }
    if (memchr(text, '\0', length)) {
        *why = "a NUL byte";
        return NULL;
    }
    json_tokener *own = tok ? NULL : json_tokener_new();
    if (tok)
        json_tokener_reset(tok);
    else
        tok = own;
    json_object *obj = json_tokener_parse_ex(tok, text, (int)length);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    if (own)
        json_tokener_free(own); /* not NULL-safe in json-c 0.16 */
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

/* ---- _last_checkpoint and .crc ---- */

bool delta_last_checkpoint_parse(const char *text, size_t length, int64_t *version, int64_t *parts,
                                 char **error) {
    const char *why = NULL;
    json_object *obj = delta_json_parse(NULL, text, length, &why);
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
    json_object *obj = delta_json_parse(NULL, text, length, &why);
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
