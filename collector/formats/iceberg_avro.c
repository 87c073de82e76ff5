/* iceberg_avro.c: checks an Avro object container file in memory before
 * libavro reads it (iceberg_avro.h says why): the framing, each block
 * decompressed, and each record against the writer's schema. */
#include "collector/formats/iceberg_avro.h"

#include <json-c/json.h>
#include <limits.h>
#include <snappy-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/xalloc.h"

#define ICEBERG_AVRO_SYNC 16
/* A block decompressed to more than this, or a file to more than the
 * second, is refused (manifests are kilobytes to a few megabytes). */
#define ICEBERG_AVRO_MAX_BLOCK ((size_t)64 << 20)
#define ICEBERG_AVRO_MAX_TOTAL ((size_t)256 << 20)
/* Deeper nesting of values than this is refused (Iceberg's are 6 deep). */
#define ICEBERG_AVRO_MAX_DEPTH 32

typedef struct iceberg_avro_cursor {
    const unsigned char *p;
    const unsigned char *end;
} iceberg_avro_cursor;

static size_t iceberg_avro_left(const iceberg_avro_cursor *c) {
    return (size_t)(c->end - c->p);
}

/* A zigzag varint of at most 10 bytes, as libavro reads one (and refused
 * when its tenth byte would overflow 64 bits). */
static bool iceberg_avro_long(iceberg_avro_cursor *c, int64_t *out) {
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (c->p >= c->end)
            return false;
        unsigned char b = *c->p++;
        if (shift == 63 && (b & 0x7e))
            return false;
        value |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (int64_t)((value >> 1) ^ (0 - (value & 1)));
            return true;
        }
    }
    return false;
}

/* A length-prefixed string or bytes lying wholly in the cursor. */
static bool iceberg_avro_bytes(iceberg_avro_cursor *c, const unsigned char **bytes,
                               size_t *length) {
    int64_t n;
    if (!iceberg_avro_long(c, &n) || n < 0 || (uint64_t)n > iceberg_avro_left(c))
        return false;
    *bytes = c->p;
    *length = (size_t)n;
    c->p += n;
    return true;
}

/* The count of a block of an array or map (negative: followed by its
 * size in bytes); 0 ends the value. */
static bool iceberg_avro_block_count(iceberg_avro_cursor *c, int64_t *count) {
    if (!iceberg_avro_long(c, count))
        return false;
    if (*count < 0) {
        int64_t size;
        if (*count == INT64_MIN || !iceberg_avro_long(c, &size) || size < 0)
            return false;
        *count = -*count;
    }
    return true;
}

typedef struct iceberg_avro_walk {
    iceberg_avro_cursor c;
    int64_t budget;  /* records, items and entries still allowed */
    const char *why; /* what was wrong */
} iceberg_avro_walk;

static bool iceberg_avro_refuse(iceberg_avro_walk *w, const char *why) {
    w->why = why;
    return false;
}

static bool iceberg_avro_datum(iceberg_avro_walk *w, avro_schema_t schema, int depth);

static bool iceberg_avro_items(iceberg_avro_walk *w, avro_schema_t items, bool map, int depth) {
    for (;;) {
        int64_t count;
        if (!iceberg_avro_block_count(&w->c, &count))
            return iceberg_avro_refuse(w, "an array or map count runs past the block");
        if (count == 0)
            return true;
        if (count > w->budget)
            return iceberg_avro_refuse(w, "more items than the block has bytes");
        w->budget -= count;
        for (int64_t i = 0; i < count; i++) {
            const unsigned char *key;
            size_t key_length;
            if (map && !iceberg_avro_bytes(&w->c, &key, &key_length))
                return iceberg_avro_refuse(w, "a map key runs past the block");
            if (!iceberg_avro_datum(w, items, depth + 1))
                return false;
        }
    }
}

/* One value of `schema` at the cursor, skipped over. */
static bool iceberg_avro_datum(iceberg_avro_walk *w, avro_schema_t schema, int depth) {
    int64_t v;
    const unsigned char *bytes;
    size_t length;
    if (depth > ICEBERG_AVRO_MAX_DEPTH)
        return iceberg_avro_refuse(w, "values nested too deeply");
    switch (avro_typeof(schema)) {
    case AVRO_NULL: return true;
    case AVRO_BOOLEAN:
        if (iceberg_avro_left(&w->c) < 1)
            return iceberg_avro_refuse(w, "a boolean runs past the block");
        w->c.p++;
        return true;
    case AVRO_INT32:
        if (!iceberg_avro_long(&w->c, &v) || v < INT32_MIN || v > INT32_MAX)
            return iceberg_avro_refuse(w, "a bad int");
        return true;
    case AVRO_INT64:
        if (!iceberg_avro_long(&w->c, &v))
            return iceberg_avro_refuse(w, "a bad long");
        return true;
    case AVRO_FLOAT:
    case AVRO_DOUBLE: {
        size_t size = avro_typeof(schema) == AVRO_FLOAT ? 4 : 8;
        if (iceberg_avro_left(&w->c) < size)
            return iceberg_avro_refuse(w, "a number runs past the block");
        w->c.p += size;
        return true;
    }
    case AVRO_STRING:
    case AVRO_BYTES:
        if (!iceberg_avro_bytes(&w->c, &bytes, &length))
            return iceberg_avro_refuse(w, "a string length runs past the block");
        return true;
    case AVRO_FIXED: {
        int64_t size = avro_schema_fixed_size(schema);
        if (size < 0 || (uint64_t)size > iceberg_avro_left(&w->c))
            return iceberg_avro_refuse(w, "a fixed runs past the block");
        w->c.p += size;
        return true;
    }
    case AVRO_ENUM:
        if (!iceberg_avro_long(&w->c, &v) || v < 0 ||
            v >= avro_schema_enum_number_of_symbols(schema))
            return iceberg_avro_refuse(w, "an enum symbol out of range");
        return true;
    case AVRO_RECORD: {
        size_t n = avro_schema_record_size(schema);
        for (size_t i = 0; i < n; i++) {
            avro_schema_t field = avro_schema_record_field_get_by_index(schema, (int)i);
            if (!field || !iceberg_avro_datum(w, field, depth + 1))
                return field ? false : iceberg_avro_refuse(w, "a record field without a type");
        }
        return true;
    }
    case AVRO_ARRAY: return iceberg_avro_items(w, avro_schema_array_items(schema), false, depth);
    case AVRO_MAP: return iceberg_avro_items(w, avro_schema_map_values(schema), true, depth);
    case AVRO_UNION: {
        if (!iceberg_avro_long(&w->c, &v) || v < 0 || (uint64_t)v >= avro_schema_union_size(schema))
            return iceberg_avro_refuse(w, "a union branch out of range");
        avro_schema_t branch = avro_schema_union_branch(schema, (int)v);
        if (!branch)
            return iceberg_avro_refuse(w, "a union branch without a type");
        return iceberg_avro_datum(w, branch, depth + 1);
    }
    case AVRO_LINK: {
        avro_schema_t target = avro_schema_link_target(schema);
        if (!target)
            return iceberg_avro_refuse(w, "a named type that is not defined");
        return iceberg_avro_datum(w, target, depth + 1);
    }
    default: return iceberg_avro_refuse(w, "a type libavro does not read");
    }
}

typedef enum iceberg_avro_codec {
    ICEBERG_AVRO_NULL,
    ICEBERG_AVRO_DEFLATE,
    ICEBERG_AVRO_SNAPPY,
} iceberg_avro_codec;

/* The block decompressed into *out (malloc'd; NULL for the null codec,
 * whose block is its own bytes). */
static const char *iceberg_avro_decompress(iceberg_avro_codec codec, const unsigned char *block,
                                           size_t length, size_t limit, unsigned char **out,
                                           size_t *out_length) {
    *out = NULL;
    if (codec == ICEBERG_AVRO_NULL) {
        *out_length = length;
        return length > limit ? "a block is too large" : NULL;
    }
    if (codec == ICEBERG_AVRO_SNAPPY) {
        size_t n;
        if (length < 4 ||
            snappy_uncompressed_length((const char *)block, length - 4, &n) != SNAPPY_OK)
            return "a snappy block is not snappy";
        if (n > limit)
            return "a block decompresses to too much";
        *out = xmalloc(n ? n : 1);
        if (snappy_uncompress((const char *)block, length - 4, (char *)*out, &n) != SNAPPY_OK)
            return "a snappy block does not decompress";
        uLong crc = crc32(0L, *out, (uInt)n);
        const unsigned char *want = block + length - 4;
        if (((uLong)want[0] << 24 | (uLong)want[1] << 16 | (uLong)want[2] << 8 | want[3]) != crc)
            return "a snappy block fails its CRC";
        *out_length = n;
        return NULL;
    }
    /* deflate (raw, as Avro writes it) */
    if (length > UINT_MAX)
        return "a block is too large";
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -15) != Z_OK)
        return "zlib did not start";
    size_t capacity = length < 4096 ? 16384 : length * 4;
    if (capacity > limit)
        capacity = limit ? limit : 1;
    *out = xmalloc(capacity);
    z.next_in = (Bytef *)block;
    z.avail_in = (uInt)length;
    const char *why = NULL;
    for (;;) {
        z.next_out = *out + z.total_out;
        z.avail_out = (uInt)(capacity - z.total_out);
        int rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            why = "a deflate block does not decompress";
            break;
        }
        if (z.avail_out > 0) { /* input used up before the stream's end */
            why = "a deflate block ends early";
            break;
        }
        if (capacity >= limit) {
            why = "a block decompresses to too much";
            break;
        }
        capacity = capacity > limit / 2 ? limit : capacity * 2;
        *out = xrealloc(*out, capacity);
    }
    *out_length = z.total_out;
    inflateEnd(&z);
    return why;
}

/* The names of the named types (record, error, enum, fixed) defined in a
 * schema's JSON, into `names` (an object used as a set); false when one is
 * defined twice: libavro refuses that but leaks the schema it was building
 * ("Cannot save record schema"). Compared by the name after its last dot,
 * so two same names in different namespaces are refused too (Iceberg's
 * schemas use no namespaces). */
static bool iceberg_avro_names_unique(json_object *node, json_object *names, int depth) {
    if (depth > 2 * ICEBERG_AVRO_MAX_DEPTH + 8)
        return false;
    if (json_object_is_type(node, json_type_array)) {
        size_t n = json_object_array_length(node);
        for (size_t i = 0; i < n; i++)
            if (!iceberg_avro_names_unique(json_object_array_get_idx(node, i), names, depth + 1))
                return false;
        return true;
    }
    if (!json_object_is_type(node, json_type_object))
        return true;
    json_object *type = NULL, *name = NULL;
    if (json_object_object_get_ex(node, "type", &type) &&
        json_object_is_type(type, json_type_string) &&
        json_object_object_get_ex(node, "name", &name) &&
        json_object_is_type(name, json_type_string)) {
        const char *kind = json_object_get_string(type);
        if (strcmp(kind, "record") == 0 || strcmp(kind, "error") == 0 ||
            strcmp(kind, "enum") == 0 || strcmp(kind, "fixed") == 0) {
            const char *full = json_object_get_string(name), *dot = strrchr(full, '.');
            const char *shortname = dot ? dot + 1 : full;
            if (json_object_object_get_ex(names, shortname, NULL))
                return false;
            json_object_object_add(names, shortname, NULL);
        }
    }
    json_object_object_foreach(node, key, value) {
        if (strcmp(key, "default") != 0 && !iceberg_avro_names_unique(value, names, depth + 1))
            return false;
    }
    return true;
}

/* The writer's schema parsed by libavro, once it is JSON whose named
 * types are defined once; NULL with a reason otherwise. */
static avro_schema_t iceberg_avro_schema(const unsigned char *json, size_t length,
                                         const char **why) {
    if (length > INT_MAX) {
        *why = "too large";
        return NULL;
    }
    json_tokener *tok = json_tokener_new_ex(4 * ICEBERG_AVRO_MAX_DEPTH);
    json_object *root = json_tokener_parse_ex(tok, (const char *)json, (int)length);
    bool complete = root && json_tokener_get_parse_end(tok) == length;
    json_tokener_free(tok);
    if (!complete) {
        json_object_put(root);
        *why = "not JSON";
        return NULL;
    }
    json_object *names = json_object_new_object();
    bool unique = iceberg_avro_names_unique(root, names, 0);
    json_object_put(names);
    json_object_put(root);
    if (!unique) {
        *why = "a named type defined twice, or nested too deeply";
        return NULL;
    }
    avro_schema_t schema = NULL;
    if (avro_schema_from_json_length((const char *)json, length, &schema) != 0 || !schema) {
        *why = avro_strerror();
        return NULL;
    }
    return schema;
}

typedef struct iceberg_avro_checker {
    char *error;
} iceberg_avro_checker;

__attribute__((format(printf, 2, 3))) static bool iceberg_avro_fail(iceberg_avro_checker *k,
                                                                    const char *fmt, ...) {
    if (!k->error) {
        va_list ap;
        va_start(ap, fmt);
        k->error = xvasprintf(fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool iceberg_avro_is(const unsigned char *bytes, size_t length, const char *text) {
    return length == strlen(text) && memcmp(bytes, text, length) == 0;
}

/* The header: magic, metadata (the schema and the codec), sync marker. */
static bool iceberg_avro_header(iceberg_avro_checker *k, iceberg_avro_cursor *c,
                                const unsigned char **schema, size_t *schema_length,
                                iceberg_avro_codec *codec) {
    const unsigned char *codec_name = NULL;
    size_t codec_length = 0;
    *schema = NULL;
    if (iceberg_avro_left(c) < 4 || memcmp(c->p, "Obj\x01", 4) != 0)
        return iceberg_avro_fail(k, "not an Avro object container file (no Obj magic)");
    c->p += 4;
    for (;;) {
        int64_t count;
        if (!iceberg_avro_block_count(c, &count))
            return iceberg_avro_fail(k, "truncated Avro file: the header's metadata ends early");
        if (count == 0)
            break;
        if ((uint64_t)count > iceberg_avro_left(c))
            return iceberg_avro_fail(k, "bad Avro header: %lld metadata entries", (long long)count);
        for (int64_t i = 0; i < count; i++) {
            const unsigned char *key, *value;
            size_t key_length, value_length;
            if (!iceberg_avro_bytes(c, &key, &key_length) ||
                !iceberg_avro_bytes(c, &value, &value_length))
                return iceberg_avro_fail(k,
                                         "truncated Avro file: the header's metadata ends early");
            if (iceberg_avro_is(key, key_length, "avro.schema")) {
                *schema = value;
                *schema_length = value_length;
            } else if (iceberg_avro_is(key, key_length, "avro.codec")) {
                codec_name = value;
                codec_length = value_length;
            }
        }
    }
    if (!*schema)
        return iceberg_avro_fail(k, "bad Avro header: no avro.schema");
    if (!codec_name)
        return iceberg_avro_fail(k, "bad Avro header: no avro.codec");
    if (iceberg_avro_is(codec_name, codec_length, "null"))
        *codec = ICEBERG_AVRO_NULL;
    else if (iceberg_avro_is(codec_name, codec_length, "deflate"))
        *codec = ICEBERG_AVRO_DEFLATE;
    else if (iceberg_avro_is(codec_name, codec_length, "snappy"))
        *codec = ICEBERG_AVRO_SNAPPY;
    else
        return iceberg_avro_fail(k, "Avro codec '%.*s' is not read (null, deflate, snappy are)",
                                 (int)(codec_length > 20 ? 20 : codec_length), codec_name);
    if (iceberg_avro_left(c) < ICEBERG_AVRO_SYNC)
        return iceberg_avro_fail(k, "truncated Avro file: no sync marker after the header");
    return true;
}

/* The blocks after the header, each checked against `schema`. */
static bool iceberg_avro_blocks(iceberg_avro_checker *k, iceberg_avro_cursor *c,
                                const unsigned char *sync, iceberg_avro_codec codec,
                                avro_schema_t schema, int64_t *records) {
    size_t total = 0;
    *records = 0;
    for (int block = 1; c->p < c->end; block++) {
        int64_t count, size;
        if (!iceberg_avro_long(c, &count) || !iceberg_avro_long(c, &size))
            return iceberg_avro_fail(k, "truncated Avro file: block %d ends in its header", block);
        if (count <= 0)
            return iceberg_avro_fail(k, "bad Avro file: block %d holds %lld records", block,
                                     (long long)count);
        if (size < 0 || (uint64_t)size > iceberg_avro_left(c))
            return iceberg_avro_fail(k, "truncated Avro file: block %d is %lld bytes, %zu are left",
                                     block, (long long)size, iceberg_avro_left(c));
        const unsigned char *data = c->p;
        c->p += size;
        if (iceberg_avro_left(c) < ICEBERG_AVRO_SYNC)
            return iceberg_avro_fail(k, "truncated Avro file: block %d has no sync marker", block);
        if (memcmp(c->p, sync, ICEBERG_AVRO_SYNC) != 0)
            return iceberg_avro_fail(k, "bad Avro file: block %d has the wrong sync marker", block);
        c->p += ICEBERG_AVRO_SYNC;
        unsigned char *plain = NULL;
        size_t plain_length = 0;
        const char *why = iceberg_avro_decompress(
            codec, data, (size_t)size,
            ICEBERG_AVRO_MAX_TOTAL - total < ICEBERG_AVRO_MAX_BLOCK ? ICEBERG_AVRO_MAX_TOTAL - total
                                                                    : ICEBERG_AVRO_MAX_BLOCK,
            &plain, &plain_length);
        if (why) {
            free(plain);
            return iceberg_avro_fail(k, "bad Avro file: block %d: %s", block, why);
        }
        total += plain_length;
        iceberg_avro_walk w = {{plain ? plain : data, (plain ? plain : data) + plain_length},
                               (int64_t)plain_length,
                               NULL};
        if ((uint64_t)count > plain_length) {
            free(plain);
            return iceberg_avro_fail(k, "bad Avro file: block %d holds %lld records in %zu bytes",
                                     block, (long long)count, plain_length);
        }
        bool ok = true;
        for (int64_t i = 0; ok && i < count; i++)
            if (!iceberg_avro_datum(&w, schema, 0)) {
                iceberg_avro_fail(k, "bad Avro file: block %d, record %lld: %s", block,
                                  (long long)i + 1, w.why);
                ok = false;
            }
        if (ok && w.c.p != w.c.end)
            ok = iceberg_avro_fail(k, "bad Avro file: block %d has %zu bytes after its records",
                                   block, iceberg_avro_left(&w.c));
        free(plain);
        if (!ok)
            return false;
        *records += count;
    }
    return true;
}

bool iceberg_avro_check(const char *data, size_t length, iceberg_avro_file *out, char **error) {
    iceberg_avro_checker k = {NULL};
    iceberg_avro_cursor c = {(const unsigned char *)data, (const unsigned char *)data + length};
    const unsigned char *schema_json;
    size_t schema_length = 0;
    iceberg_avro_codec codec = ICEBERG_AVRO_NULL;
    out->schema = NULL;
    out->records = 0;
    *error = NULL;
    if (!data || !iceberg_avro_header(&k, &c, &schema_json, &schema_length, &codec)) {
        if (!data)
            iceberg_avro_fail(&k, "not an Avro object container file (empty)");
        *error = k.error;
        return false;
    }
    const unsigned char *sync = c.p;
    c.p += ICEBERG_AVRO_SYNC;
    const char *why = NULL;
    avro_schema_t schema = iceberg_avro_schema(schema_json, schema_length, &why);
    if (!schema) {
        iceberg_avro_fail(&k, "bad Avro header: the schema does not parse (%s)", why);
        *error = k.error;
        return false;
    }
    if (!iceberg_avro_blocks(&k, &c, sync, codec, schema, &out->records)) {
        avro_schema_decref(schema);
        out->records = 0;
        *error = k.error;
        return false;
    }
    out->schema = schema;
    return true;
}
