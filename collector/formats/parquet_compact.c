/* parquet_compact.c: the Thrift compact protocol as Parquet's footer and
 * page headers use it: varints, zigzag integers, field headers, lists and
 * the skipping of whatever is not read, every length checked against the
 * bytes left and nesting bounded. */
#include "collector/formats/parquet_compact.h"

#include <string.h>

bool parquet_compact_fail(parquet_compact *r, const char *why) {
    if (!r->failure)
        r->failure = why;
    return false;
}

bool parquet_compact_varint(parquet_compact *r, uint64_t *out) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return parquet_compact_fail(r, "truncated");
        unsigned char b = *r->p++;
        value |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = value;
            return true;
        }
    }
    return parquet_compact_fail(r, "a varint longer than 10 bytes");
}

static bool compact_zigzag(parquet_compact *r, int64_t *out) {
    uint64_t u;
    if (!parquet_compact_varint(r, &u))
        return false;
    *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return true;
}

bool parquet_compact_i32(parquet_compact *r, int type, int64_t *out) {
    if (type != PARQUET_COMPACT_I32 && type != PARQUET_COMPACT_I16 && type != PARQUET_COMPACT_BYTE)
        return parquet_compact_fail(r, "a field of the wrong type");
    if (type == PARQUET_COMPACT_BYTE) {
        if (r->p >= r->end)
            return parquet_compact_fail(r, "truncated");
        *out = (signed char)*r->p++;
        return true;
    }
    if (!compact_zigzag(r, out))
        return false;
    if (*out < INT32_MIN || *out > INT32_MAX)
        return parquet_compact_fail(r, "an i32 out of range");
    return true;
}

bool parquet_compact_i64(parquet_compact *r, int type, int64_t *out) {
    if (type == PARQUET_COMPACT_I32 || type == PARQUET_COMPACT_I16 || type == PARQUET_COMPACT_BYTE)
        return parquet_compact_i32(r, type, out);
    if (type != PARQUET_COMPACT_I64)
        return parquet_compact_fail(r, "a field of the wrong type");
    return compact_zigzag(r, out);
}

bool parquet_compact_binary(parquet_compact *r, int type, const unsigned char **bytes,
                            size_t *length) {
    if (type != PARQUET_COMPACT_BINARY)
        return parquet_compact_fail(r, "a field of the wrong type");
    uint64_t n;
    if (!parquet_compact_varint(r, &n))
        return false;
    if (n > (uint64_t)(r->end - r->p))
        return parquet_compact_fail(r, "a string longer than the bytes left");
    *bytes = r->p;
    *length = (size_t)n;
    r->p += n;
    return true;
}

/* The next field header: *type PARQUET_COMPACT_STOP at the end of the struct. */
bool parquet_compact_field(parquet_compact *r, int *last_id, int *id, int *type) {
    if (r->p >= r->end)
        return parquet_compact_fail(r, "truncated");
    unsigned char b = *r->p++;
    *type = b & 0x0f;
    if (*type == PARQUET_COMPACT_STOP)
        return true;
    int delta = b >> 4;
    if (delta) {
        *id = *last_id + delta;
    } else {
        int64_t v;
        if (!compact_zigzag(r, &v))
            return false;
        if (v < INT16_MIN || v > INT16_MAX)
            return parquet_compact_fail(r, "a field id out of range");
        *id = (int)v;
    }
    if (*type > PARQUET_COMPACT_STRUCT)
        return parquet_compact_fail(r, "an unknown field type");
    *last_id = *id;
    return true;
}

/* A list or set header: element type and count (no more than bytes left,
 * as every element takes one byte at least). */
bool parquet_compact_list(parquet_compact *r, int type, int *element_type, size_t *count) {
    if (type != PARQUET_COMPACT_LIST && type != PARQUET_COMPACT_SET)
        return parquet_compact_fail(r, "a field of the wrong type");
    if (r->p >= r->end)
        return parquet_compact_fail(r, "truncated");
    unsigned char b = *r->p++;
    uint64_t n = b >> 4;
    if (n == 15 && !parquet_compact_varint(r, &n))
        return false;
    *element_type = b & 0x0f;
    if (n > (uint64_t)(r->end - r->p))
        return parquet_compact_fail(r, "a list longer than the bytes left");
    *count = (size_t)n;
    return true;
}

static bool compact_skip_struct(parquet_compact *r) {
    if (++r->depth > PARQUET_COMPACT_MAX_DEPTH)
        return parquet_compact_fail(r, "nested too deep");
    int last = 0, id, type;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &type))
            return false;
        if (type == PARQUET_COMPACT_STOP)
            break;
        if (!parquet_compact_skip(r, type))
            return false;
    }
    r->depth--;
    return true;
}

bool parquet_compact_skip(parquet_compact *r, int type) {
    uint64_t u;
    int element;
    size_t n;
    switch (type) {
    case PARQUET_COMPACT_TRUE:
    case PARQUET_COMPACT_FALSE: return true;
    case PARQUET_COMPACT_BYTE:
        if (r->p >= r->end)
            return parquet_compact_fail(r, "truncated");
        r->p++;
        return true;
    case PARQUET_COMPACT_I16:
    case PARQUET_COMPACT_I32:
    case PARQUET_COMPACT_I64: return parquet_compact_varint(r, &u);
    case PARQUET_COMPACT_DOUBLE:
        if (r->end - r->p < 8)
            return parquet_compact_fail(r, "truncated");
        r->p += 8;
        return true;
    case PARQUET_COMPACT_BINARY: {
        const unsigned char *b;
        return parquet_compact_binary(r, type, &b, &n);
    }
    case PARQUET_COMPACT_LIST:
    case PARQUET_COMPACT_SET:
        if (!parquet_compact_list(r, type, &element, &n))
            return false;
        if (++r->depth > PARQUET_COMPACT_MAX_DEPTH)
            return parquet_compact_fail(r, "nested too deep");
        for (size_t i = 0; i < n; i++) {
            /* booleans in a list take a byte each */
            int t = element == PARQUET_COMPACT_TRUE || element == PARQUET_COMPACT_FALSE
                        ? PARQUET_COMPACT_BYTE
                        : element;
            if (!parquet_compact_skip(r, t))
                return false;
        }
        r->depth--;
        return true;
    case PARQUET_COMPACT_MAP: {
        if (!parquet_compact_varint(r, &u))
            return false;
        if (u == 0)
            return true;
        if (u > (uint64_t)(r->end - r->p))
            return parquet_compact_fail(r, "a map longer than the bytes left");
        if (r->p >= r->end)
            return parquet_compact_fail(r, "truncated");
        unsigned char kinds = *r->p++;
        int key = kinds >> 4, value = kinds & 0x0f;
        if (key == PARQUET_COMPACT_TRUE || key == PARQUET_COMPACT_FALSE)
            key = PARQUET_COMPACT_BYTE;
        if (value == PARQUET_COMPACT_TRUE || value == PARQUET_COMPACT_FALSE)
            value = PARQUET_COMPACT_BYTE;
        if (++r->depth > PARQUET_COMPACT_MAX_DEPTH)
            return parquet_compact_fail(r, "nested too deep");
        for (uint64_t i = 0; i < u; i++)
            if (!parquet_compact_skip(r, key) || !parquet_compact_skip(r, value))
                return false;
        r->depth--;
        return true;
    }
    case PARQUET_COMPACT_STRUCT: return compact_skip_struct(r);
    default: return parquet_compact_fail(r, "an unknown field type");
    }
}

bool parquet_compact_enter(parquet_compact *r, int type) {
    if (type != PARQUET_COMPACT_STRUCT)
        return parquet_compact_fail(r, "a field of the wrong type");
    if (++r->depth > PARQUET_COMPACT_MAX_DEPTH)
        return parquet_compact_fail(r, "nested too deep");
    return true;
}
