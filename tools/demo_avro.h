/* demo_avro.h: Avro object container files for the demo's Iceberg table
 * (manifest lists and manifests): records filled and encoded with libavro,
 * the schema written as given (with Iceberg's field ids), file metadata,
 * a deterministic sync marker, one block. Private to tools/. */
#ifndef LAKETOP_DEMO_AVRO_H
#define LAKETOP_DEMO_AVRO_H

#include <avro.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/demo_internal.h"

typedef struct demo_avro demo_avro;

/* A file of records of `schema_json` (NULL with c->error when libavro
 * refuses it); the sync marker is drawn from rng. */
demo_avro *demo_avro_new(demo_ctx *c, const char *schema_json, demo_rng *rng);
/* The record to fill for the next append, reset to its defaults. */
avro_value_t *demo_avro_record(demo_avro *a);
/* Encodes the record as it was filled. */
bool demo_avro_append(demo_ctx *c, demo_avro *a);
/* Writes the file: the header (avro.schema, avro.codec "null", then the
 * n_meta key/value pairs of meta[]), the records, at `mtime`; *size (may
 * be NULL) is the file's length. */
bool demo_avro_finish(demo_ctx *c, demo_avro *a, const char *path, const char *const *meta,
                      size_t n_meta, int64_t mtime, int64_t *size);
void demo_avro_free(demo_avro *a);

#endif
