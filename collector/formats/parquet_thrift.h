/* parquet_thrift.h: the Parquet structures laketop reads with the Thrift
 * compact protocol (parquet_compact.h): the footer (FileMetaData:
 * schema, row groups, column chunks) and a page header. Every length is
 * checked against the bytes given; lists never allocate more elements than
 * there are bytes left. Internal to parquet.c. */
#ifndef LAKETOP_PARQUET_THRIFT_H
#define LAKETOP_PARQUET_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One leaf of the schema: its dotted path, physical type, repetition and
 * the levels worked out from the groups above it. */
typedef struct parquet_leaf {
    char *path; /* "add.path" */
    int type;   /* parquet.thrift Type: 0 BOOLEAN, 1 INT32, 2 INT64, 6 BYTE_ARRAY... */
    int max_definition;
    int max_repetition;
} parquet_leaf;

typedef struct parquet_chunk {
    char *path; /* path_in_schema, joined with "." */
    int type;
    int codec; /* 0 UNCOMPRESSED, 1 SNAPPY, 2 GZIP, 6 ZSTD, ... */
    int64_t num_values;
    int64_t data_page_offset;
    int64_t dictionary_page_offset; /* -1 none */
    int64_t total_compressed_size;
    bool has_meta; /* meta_data present (not only a file_path) */
    bool external; /* file_path set: the chunk is in another file */
} parquet_chunk;

typedef struct parquet_row_group {
    int64_t num_rows;
    parquet_chunk *chunks;
    size_t n_chunks;
} parquet_row_group;

typedef struct parquet_footer {
    int64_t num_rows;
    parquet_leaf *leaves;
    size_t n_leaves;
    parquet_row_group *row_groups;
    size_t n_row_groups;
} parquet_footer;

/* Parses FileMetaData from `length` bytes. False with *error
 * ("parquet: footer: ...") for anything malformed. */
bool parquet_thrift_footer(const unsigned char *data, size_t length, parquet_footer *out,
                           char **error);
void parquet_thrift_footer_clear(parquet_footer *footer);

typedef struct parquet_page_header {
    int type; /* 0 DATA_PAGE, 1 INDEX_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2 */
    int64_t uncompressed_size;
    int64_t compressed_size;
    int64_t num_values;
    int encoding;
    int definition_level_encoding;    /* v1 */
    int repetition_level_encoding;    /* v1 */
    int64_t num_nulls;                /* v2 */
    int64_t definition_levels_length; /* v2 */
    int64_t repetition_levels_length; /* v2 */
    bool is_compressed;               /* v2; true by default */
    size_t header_length;             /* bytes the header took */
} parquet_page_header;

/* Parses a PageHeader at the start of `data`. */
bool parquet_thrift_page_header(const unsigned char *data, size_t length, parquet_page_header *out,
                                char **error);

#endif
