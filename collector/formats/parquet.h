/* parquet.h: the smallest Parquet reader that reads what Delta Lake
 * writers put in a checkpoint: whole flat columns by dotted path
 * ("add.path", "add.size"), one value or null per row, over every row
 * group.
 *
 * Read: data pages v1 and v2, dictionary pages; PLAIN, PLAIN_DICTIONARY
 * and RLE_DICTIONARY values (and RLE for BOOLEAN); RLE/bit-packed hybrid
 * definition levels;
 * BOOLEAN, INT32, INT64 and BYTE_ARRAY; codecs UNCOMPRESSED, SNAPPY, GZIP
 * and ZSTD. Not read, with an error that names it: repeated columns (max
 * repetition level above 0: lists and maps), other encodings
 * (DELTA_BINARY_PACKED, DELTA_*_BYTE_ARRAY, BYTE_STREAM_SPLIT, BIT_PACKED
 * levels), other types (INT96, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY), other
 * codecs (LZO, BROTLI, LZ4), column chunks in other files.
 *
 * Limits (past them: an error, never a crash): PARQUET_MAX_ROWS rows,
 * pages of PARQUET_MAX_PAGE bytes once decompressed, PARQUET_MAX_TEXT bytes
 * of BYTE_ARRAY values kept for one column (parquet_read_text_each keeps
 * none). Every offset and length is checked
 * against the file; a column chunk that gives more or fewer values than its
 * row group's rows is an error. */
#ifndef LAKETOP_PARQUET_H
#define LAKETOP_PARQUET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARQUET_MAX_ROWS ((int64_t)1 << 24)
#define PARQUET_MAX_PAGE ((size_t)128 << 20)
#define PARQUET_MAX_TEXT ((size_t)512 << 20)
/* parquet_read_text_each: the values given may add up to this many times
 * the file's length (dictionary pages and codecs make text larger than
 * the file, not unboundedly), and at least PARQUET_MIN_TEXT_BUDGET. */
#define PARQUET_TEXT_PER_BYTE 64
#define PARQUET_MIN_TEXT_BUDGET ((uint64_t)64 << 20)

typedef struct parquet_file parquet_file;

/* Reads the footer of the whole file in `data` (kept, not copied: it must
 * outlive the parquet_file). False with *error ("parquet: ...") for bytes
 * that are not Parquet or a footer that does not parse. */
bool parquet_open(const char *data, size_t length, parquet_file **out, char **error);
void parquet_close(parquet_file *file);
int64_t parquet_rows(const parquet_file *file);
/* True when the schema has a leaf column at `path`. */
bool parquet_has_column(const parquet_file *file, const char *path);

enum {
    PARQUET_BOOLEAN = 0,
    PARQUET_INT32 = 1,
    PARQUET_INT64 = 2,
    PARQUET_BYTE_ARRAY = 6,
};

/* One column, one entry per row of the file. */
typedef struct parquet_column {
    int type; /* PARQUET_* */
    size_t rows;
    unsigned char *present; /* 1 a value, 0 null */
    int64_t *numbers;       /* BOOLEAN (0/1), INT32, INT64; 0 when null */
    size_t *offsets;        /* BYTE_ARRAY: into text; 0 when null */
    size_t *lengths;
    char *text; /* every BYTE_ARRAY value, one after another */
    size_t text_length;
} parquet_column;

/* Reads the leaf column at `path` ("add.path"). False with *error for a
 * column that is missing ("parquet: no column add.path"), repeated, of a
 * type or in an encoding or codec not read (named), or malformed. */
bool parquet_read_column(const parquet_file *file, const char *path, parquet_column *out,
                         char **error);
void parquet_column_clear(parquet_column *column);
/* A BYTE_ARRAY column's values given one by one, in row order, to
 * `each` (the bytes are valid during the call only; nulls are not given),
 * none of them kept: out->present says which rows have one, and
 * offsets/lengths/text stay NULL. `each` returns false with *error set to
 * stop the read (which then returns false with that error). For columns
 * larger than PARQUET_MAX_TEXT, e.g. a big checkpoint's add.stats. */
typedef bool (*parquet_text_fn)(void *ctx, size_t row, const char *bytes, size_t length,
                                char **error);
bool parquet_read_text_each(const parquet_file *file, const char *path, parquet_column *out,
                            parquet_text_fn each, void *ctx, char **error);
/* A BYTE_ARRAY value: its bytes (not NUL-terminated) and length; NULL
 * for a null or a row out of range. */
const char *parquet_column_text(const parquet_column *column, size_t row, size_t *length);

#endif
