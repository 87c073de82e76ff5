/* parquet_compact.h: the Thrift compact protocol, read from a bounded
 * buffer (internal to the Parquet reader: parquet_thrift.c reads the
 * footer and page headers with it). Every call checks the bytes left; the
 * first failure is kept in `failure`; nesting is bounded by
 * PARQUET_COMPACT_MAX_DEPTH; a list never claims more elements than bytes
 * left. */
#ifndef LAKETOP_PARQUET_COMPACT_H
#define LAKETOP_PARQUET_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Compact protocol field types. */
enum {
    PARQUET_COMPACT_STOP = 0,
    PARQUET_COMPACT_TRUE = 1,
    PARQUET_COMPACT_FALSE = 2,
    PARQUET_COMPACT_BYTE = 3,
    PARQUET_COMPACT_I16 = 4,
    PARQUET_COMPACT_I32 = 5,
    PARQUET_COMPACT_I64 = 6,
    PARQUET_COMPACT_DOUBLE = 7,
    PARQUET_COMPACT_BINARY = 8,
    PARQUET_COMPACT_LIST = 9,
    PARQUET_COMPACT_SET = 10,
    PARQUET_COMPACT_MAP = 11,
    PARQUET_COMPACT_STRUCT = 12,
};

#define PARQUET_COMPACT_MAX_DEPTH 32

typedef struct parquet_compact {
    const unsigned char *p;
    const unsigned char *end;
    int depth;
    const char *failure; /* static text, the first one kept */
} parquet_compact;

/* Keeps `why` (the first one) and returns false. */
bool parquet_compact_fail(parquet_compact *r, const char *why);
bool parquet_compact_varint(parquet_compact *r, uint64_t *out);
/* A field of `type` read as an i32 (byte, i16, i32) or i64 (those or i64). */
bool parquet_compact_i32(parquet_compact *r, int type, int64_t *out);
bool parquet_compact_i64(parquet_compact *r, int type, int64_t *out);
/* A binary/string field: its bytes inside the buffer. */
bool parquet_compact_binary(parquet_compact *r, int type, const unsigned char **bytes,
                            size_t *length);
/* The next field header of a struct whose previous field id is *last_id;
 * *type PARQUET_COMPACT_STOP at its end. */
bool parquet_compact_field(parquet_compact *r, int *last_id, int *id, int *type);
/* A list or set header. */
bool parquet_compact_list(parquet_compact *r, int type, int *element_type, size_t *count);
/* Skips a value of `type` (structs, lists and maps whole). */
bool parquet_compact_skip(parquet_compact *r, int type);
/* Checks that a field is a struct and goes one level deeper (the caller
 * reads its fields, then decrements depth). */
bool parquet_compact_enter(parquet_compact *r, int type);

#endif
