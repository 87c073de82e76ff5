/* demo_avro.c: Avro object container files as Iceberg writes its manifest
 * lists and manifests. libavro (avro-c) encodes every record, the file
 * metadata map and the block header; the container around them is framed
 * here because avro-c's own file writer drops the schema's "field-id"
 * attributes (Iceberg readers resolve fields by id), takes no file metadata
 * ("schema", "partition-spec", "format-version", ...) and draws its sync
 * marker from the clock (the demo lake must be the same byte for byte). */
#include "tools/demo_avro.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

struct demo_avro {
    char *schema_json; /* written as given into the header */
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t record;
    strbuf body; /* the encoded records of the one block */
    int64_t count;
    char sync[16];
};

static bool demo_avro_fail(demo_ctx *c, const char *what) {
    return demo_fail(c, "avro: %s: %s", what, avro_strerror());
}

demo_avro *demo_avro_new(demo_ctx *c, const char *schema_json, demo_rng *rng) {
    demo_avro *a = xcalloc(1, sizeof *a);
    if (avro_schema_from_json_length(schema_json, strlen(schema_json), &a->schema) != 0) {
        demo_avro_fail(c, "the schema does not parse");
        free(a);
        return NULL;
    }
    a->iface = avro_generic_class_from_schema(a->schema);
    if (!a->iface || avro_generic_value_new(a->iface, &a->record) != 0) {
        demo_avro_fail(c, "no value for the schema");
        if (a->iface)
            avro_value_iface_decref(a->iface);
        avro_schema_decref(a->schema);
        free(a);
        return NULL;
    }
    a->schema_json = xstrdup(schema_json);
    for (size_t i = 0; i < sizeof a->sync; i += 8) {
        uint64_t v = demo_rng_next(rng);
        memcpy(a->sync + i, &v, 8);
    }
    return a;
}

avro_value_t *demo_avro_record(demo_avro *a) {
    avro_value_reset(&a->record);
    return &a->record;
}

/* Appends the encoding of `value` to b. */
static bool demo_avro_encode(demo_ctx *c, strbuf *b, avro_value_t *value) {
    size_t size = 0;
    if (avro_value_sizeof(value, &size) != 0)
        return demo_avro_fail(c, "cannot size a value");
    char *data = xmalloc(size ? size : 1);
    avro_writer_t w = avro_writer_memory(data, (int64_t)size);
    bool ok = avro_value_write(w, value) == 0;
    if (ok)
        strbuf_append(b, data, size);
    else
        demo_avro_fail(c, "cannot encode a value");
    avro_writer_free(w);
    free(data);
    return ok;
}

/* A long in Avro's zigzag varint, encoded by libavro. */
static bool demo_avro_long(demo_ctx *c, strbuf *b, int64_t v) {
    avro_schema_t s = avro_schema_long();
    avro_value_iface_t *iface = avro_generic_class_from_schema(s);
    avro_value_t value;
    bool ok = avro_generic_value_new(iface, &value) == 0;
    if (ok) {
        avro_value_set_long(&value, v);
        ok = demo_avro_encode(c, b, &value);
        avro_value_decref(&value);
    }
    avro_value_iface_decref(iface);
    avro_schema_decref(s);
    return ok;
}

bool demo_avro_append(demo_ctx *c, demo_avro *a) {
    a->count++;
    return demo_avro_encode(c, &a->body, &a->record);
}

/* The header's metadata, a map of bytes: avro.schema (the text as given,
 * field ids and all), avro.codec, then the caller's pairs. */
static bool demo_avro_header(demo_ctx *c, strbuf *b, const char *schema_json,
                             const char *const *meta, size_t n_meta) {
    avro_schema_t bytes = avro_schema_bytes();
    avro_schema_t map = avro_schema_map(bytes);
    avro_value_iface_t *iface = avro_generic_class_from_schema(map);
    avro_value_t value, element;
    bool ok = avro_generic_value_new(iface, &value) == 0;
    if (ok) {
        avro_value_add(&value, "avro.schema", &element, NULL, NULL);
        avro_value_set_bytes(&element, (void *)schema_json, strlen(schema_json));
        avro_value_add(&value, "avro.codec", &element, NULL, NULL);
        avro_value_set_bytes(&element, "null", 4);
        for (size_t i = 0; i + 1 < 2 * n_meta; i += 2) {
            avro_value_add(&value, meta[i], &element, NULL, NULL);
            avro_value_set_bytes(&element, (void *)meta[i + 1], strlen(meta[i + 1]));
        }
        ok = demo_avro_encode(c, b, &value);
        avro_value_decref(&value);
    } else {
        demo_avro_fail(c, "no value for the file metadata");
    }
    avro_value_iface_decref(iface);
    avro_schema_decref(map);
    avro_schema_decref(bytes);
    return ok;
}

bool demo_avro_finish(demo_ctx *c, demo_avro *a, const char *path, const char *const *meta,
                      size_t n_meta, int64_t mtime, int64_t *size) {
    strbuf file = {0};
    strbuf_append(&file, "Obj\x01", 4);
    bool ok = demo_avro_header(c, &file, a->schema_json, meta, n_meta);
    strbuf_append(&file, a->sync, sizeof a->sync);
    if (ok && a->count > 0) { /* one block: count, size, records, sync */
        ok =
            demo_avro_long(c, &file, a->count) && demo_avro_long(c, &file, (int64_t)a->body.length);
        strbuf_append(&file, a->body.data, a->body.length);
        strbuf_append(&file, a->sync, sizeof a->sync);
    }
    if (ok)
        ok = demo_write_file(c, path, file.data, file.length, mtime, false);
    if (size)
        *size = (int64_t)file.length;
    strbuf_free(&file);
    return ok;
}

void demo_avro_free(demo_avro *a) {
    if (!a)
        return;
    avro_value_decref(&a->record);
    avro_value_iface_decref(a->iface);
    avro_schema_decref(a->schema);
    strbuf_free(&a->body);
    free(a->schema_json);
    free(a);
}
