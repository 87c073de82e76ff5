/* iceberg_avro.h: the guard in front of libavro for the Iceberg manifest
 * readers. Debian's libavro (1.11.1) trusts what it reads: a string or
 * block length is allocated as given (a 1 TiB string length in a 100-byte
 * file aborts an ASan build, and asks malloc for it otherwise), a block
 * that does not decompress is read anyway, a file with no block cannot be
 * opened, and its error paths leak. So before libavro
 * reads an object container file, this checks every byte of it: the
 * header (magic, metadata map, codec, sync marker), every block (count,
 * length, sync marker, the end of the file exactly after one), and, after
 * decompressing each block (null, deflate or snappy, as libavro would),
 * that its records follow the writer's schema: every length, count and
 * union branch within the block, bounded nesting and item counts. The
 * values themselves are libavro's to read. */
#ifndef LAKETOP_ICEBERG_AVRO_H
#define LAKETOP_ICEBERG_AVRO_H

#include <avro.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct iceberg_avro_file {
    avro_schema_t schema; /* the writer's schema, parsed by libavro; the caller's reference */
    int64_t records;      /* the records of all blocks */
} iceberg_avro_file;

/* True when libavro may read `data` (and *out says what it holds); false
 * with *error (malloc'd, naming what is wrong) otherwise. */
bool iceberg_avro_check(const char *data, size_t length, iceberg_avro_file *out, char **error);

#endif
