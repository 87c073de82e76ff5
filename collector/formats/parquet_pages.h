/* parquet_pages.h: what a Parquet page's bytes need before their values
 * can be read: the codecs (UNCOMPRESSED, SNAPPY, GZIP, ZSTD) and the
 * RLE/bit-packed hybrid decoder of levels and dictionary indices. Every
 * read is bounded by the bytes given. Internal to parquet.c. */
#ifndef LAKETOP_PARQUET_PAGES_H
#define LAKETOP_PARQUET_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The name of a codec, encoding or physical type number, for messages
 * ("SNAPPY", "DELTA_BINARY_PACKED", "INT96"); "#N" for an unknown one. */
const char *parquet_pages_codec_name(int codec);
const char *parquet_pages_encoding_name(int encoding);
const char *parquet_pages_type_name(int type);

/* Decompresses `in` into *out (malloc'd, exactly `out_length` bytes, one
 * more zero byte after them). False with *error naming `column` when the
 * codec is not one of the four, the bytes are not valid, or they do not
 * give exactly out_length bytes. */
bool parquet_pages_decompress(int codec, const unsigned char *in, size_t in_length,
                              size_t out_length, unsigned char **out, const char *column,
                              char **error);

/* The RLE/bit-packed hybrid (no length prefix: the caller gives the run's
 * bytes). bit_width 0..32. */
typedef struct parquet_rle {
    const unsigned char *p;
    const unsigned char *end;
    int bit_width;
    uint64_t left;             /* values left in the current run */
    bool packed;               /* the current run is bit-packed */
    uint32_t value;            /* an RLE run's value */
    const unsigned char *bits; /* a bit-packed run's bytes */
    size_t bits_length;
    uint64_t bit_index; /* the next value in the bit-packed run */
} parquet_rle;

void parquet_rle_init(parquet_rle *rle, const unsigned char *data, size_t length, int bit_width);
/* The next value; false when the bytes end or a run header is malformed. */
bool parquet_rle_next(parquet_rle *rle, uint32_t *value);

/* The bits needed for values 0..max (0 for max 0). */
int parquet_pages_bit_width(uint64_t max);

#endif
