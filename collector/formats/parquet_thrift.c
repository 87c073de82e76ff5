/* parquet_thrift.c: the Thrift compact protocol (varints, zigzag, field
 * headers, lists, skipping what is not read) and the Parquet footer and
 * page header read with it. Only the fields laketop needs are kept. */
#include "collector/formats/parquet_thrift.h"

#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"

/* Compact protocol types. */
enum {
    T_STOP = 0,
    T_TRUE = 1,
    T_FALSE = 2,
    T_BYTE = 3,
    T_I16 = 4,
    T_I32 = 5,
    T_I64 = 6,
    T_DOUBLE = 7,
    T_BINARY = 8,
    T_LIST = 9,
    T_SET = 10,
    T_MAP = 11,
    T_STRUCT = 12,
};

#define THRIFT_MAX_DEPTH 32

typedef struct reader {
    const unsigned char *p;
    const unsigned char *end;
    int depth;
    const char *failure; /* static text, first one kept */
} reader;

static bool fail(reader *r, const char *why) {
    if (!r->failure)
        r->failure = why;
    return false;
}

static bool read_varint(reader *r, uint64_t *out) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return fail(r, "truncated");
        unsigned char b = *r->p++;
        value |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = value;
            return true;
        }
    }
    return fail(r, "a varint longer than 10 bytes");
}

static bool read_zigzag(reader *r, int64_t *out) {
    uint64_t u;
    if (!read_varint(r, &u))
        return false;
    *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return true;
}

static bool read_i32(reader *r, int type, int64_t *out) {
    if (type != T_I32 && type != T_I16 && type != T_BYTE)
        return fail(r, "a field of the wrong type");
    if (type == T_BYTE) {
        if (r->p >= r->end)
            return fail(r, "truncated");
        *out = (signed char)*r->p++;
        return true;
    }
    if (!read_zigzag(r, out))
        return false;
    if (*out < INT32_MIN || *out > INT32_MAX)
        return fail(r, "an i32 out of range");
    return true;
}

static bool read_i64(reader *r, int type, int64_t *out) {
    if (type == T_I32 || type == T_I16 || type == T_BYTE)
        return read_i32(r, type, out);
    if (type != T_I64)
        return fail(r, "a field of the wrong type");
    return read_zigzag(r, out);
}

static bool read_binary(reader *r, int type, const unsigned char **bytes, size_t *length) {
    if (type != T_BINARY)
        return fail(r, "a field of the wrong type");
    uint64_t n;
    if (!read_varint(r, &n))
        return false;
    if (n > (uint64_t)(r->end - r->p))
        return fail(r, "a string longer than the bytes left");
    *bytes = r->p;
    *length = (size_t)n;
    r->p += n;
    return true;
}

/* The next field header: *type T_STOP at the end of the struct. */
static bool read_field(reader *r, int *last_id, int *id, int *type) {
    if (r->p >= r->end)
        return fail(r, "truncated");
    unsigned char b = *r->p++;
    *type = b & 0x0f;
    if (*type == T_STOP)
        return true;
    int delta = b >> 4;
    if (delta) {
        *id = *last_id + delta;
    } else {
        int64_t v;
        if (!read_zigzag(r, &v))
            return false;
        if (v < INT16_MIN || v > INT16_MAX)
            return fail(r, "a field id out of range");
        *id = (int)v;
    }
    if (*type > T_STRUCT)
        return fail(r, "an unknown field type");
    *last_id = *id;
    return true;
}

/* A list or set header: element type and count (no more than bytes left,
 * as every element takes one byte at least). */
static bool read_list(reader *r, int type, int *element_type, size_t *count) {
    if (type != T_LIST && type != T_SET)
        return fail(r, "a field of the wrong type");
    if (r->p >= r->end)
        return fail(r, "truncated");
    unsigned char b = *r->p++;
    uint64_t n = b >> 4;
    if (n == 15 && !read_varint(r, &n))
        return false;
    *element_type = b & 0x0f;
    if (n > (uint64_t)(r->end - r->p))
        return fail(r, "a list longer than the bytes left");
    *count = (size_t)n;
    return true;
}

static bool skip_value(reader *r, int type);

static bool skip_struct(reader *r) {
    if (++r->depth > THRIFT_MAX_DEPTH)
        return fail(r, "nested too deep");
    int last = 0, id, type;
    for (;;) {
        if (!read_field(r, &last, &id, &type))
            return false;
        if (type == T_STOP)
            break;
        if (!skip_value(r, type))
            return false;
    }
    r->depth--;
    return true;
}

static bool skip_value(reader *r, int type) {
    uint64_t u;
    int element;
    size_t n;
    switch (type) {
    case T_TRUE:
    case T_FALSE: return true;
    case T_BYTE:
        if (r->p >= r->end)
            return fail(r, "truncated");
        r->p++;
        return true;
    case T_I16:
    case T_I32:
    case T_I64: return read_varint(r, &u);
    case T_DOUBLE:
        if (r->end - r->p < 8)
            return fail(r, "truncated");
        r->p += 8;
        return true;
    case T_BINARY: {
        const unsigned char *b;
        return read_binary(r, type, &b, &n);
    }
    case T_LIST:
    case T_SET:
        if (!read_list(r, type, &element, &n))
            return false;
        if (++r->depth > THRIFT_MAX_DEPTH)
            return fail(r, "nested too deep");
        for (size_t i = 0; i < n; i++) {
            /* booleans in a list take a byte each */
            int t = element == T_TRUE || element == T_FALSE ? T_BYTE : element;
            if (!skip_value(r, t))
                return false;
        }
        r->depth--;
        return true;
    case T_MAP: {
        if (!read_varint(r, &u))
            return false;
        if (u == 0)
            return true;
        if (u > (uint64_t)(r->end - r->p))
            return fail(r, "a map longer than the bytes left");
        if (r->p >= r->end)
            return fail(r, "truncated");
        unsigned char kinds = *r->p++;
        int key = kinds >> 4, value = kinds & 0x0f;
        if (key == T_TRUE || key == T_FALSE)
            key = T_BYTE;
        if (value == T_TRUE || value == T_FALSE)
            value = T_BYTE;
        if (++r->depth > THRIFT_MAX_DEPTH)
            return fail(r, "nested too deep");
        for (uint64_t i = 0; i < u; i++)
            if (!skip_value(r, key) || !skip_value(r, value))
                return false;
        r->depth--;
        return true;
    }
    case T_STRUCT: return skip_struct(r);
    default: return fail(r, "an unknown field type");
    }
}

static bool enter_struct(reader *r, int type) {
    if (type != T_STRUCT)
        return fail(r, "a field of the wrong type");
    if (++r->depth > THRIFT_MAX_DEPTH)
        return fail(r, "nested too deep");
    return true;
}

/* ---- the footer ------------------------------------------------------------ */

typedef struct schema_element {
    int type; /* -1 for a group */
    int repetition;
    const unsigned char *name;
    size_t name_length;
    int64_t num_children;
} schema_element;

static bool read_schema_element(reader *r, int type, schema_element *e) {
    if (!enter_struct(r, type))
        return false;
    e->type = -1;
    e->repetition = 0;
    e->name = NULL;
    e->name_length = 0;
    e->num_children = 0;
    int last = 0, id, t;
    int64_t v;
    for (;;) {
        if (!read_field(r, &last, &id, &t))
            return false;
        if (t == T_STOP)
            break;
        bool ok;
        switch (id) {
        case 1:
            ok = read_i32(r, t, &v);
            e->type = (int)v;
            break;
        case 3:
            ok = read_i32(r, t, &v);
            e->repetition = (int)v;
            break;
        case 4: ok = read_binary(r, t, &e->name, &e->name_length); break;
        case 5: ok = read_i32(r, t, &e->num_children); break;
        default: ok = skip_value(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (!e->name)
        return fail(r, "a schema element without a name");
    if (e->num_children < 0)
        return fail(r, "a negative num_children");
    return true;
}

typedef struct leaves_builder {
    const schema_element *elements;
    size_t n_elements;
    size_t next;
    parquet_leaf *leaves;
    size_t n_leaves;
    size_t cap_leaves;
} leaves_builder;

/* Element b->next and its subtree, under `prefix` with the levels above. */
static bool build_node(reader *r, leaves_builder *b, const char *prefix, int definition,
                       int repetition, int depth) {
    if (depth > THRIFT_MAX_DEPTH)
        return fail(r, "schema nested too deep");
    if (b->next >= b->n_elements)
        return fail(r, "schema has fewer elements than its num_children say");
    const schema_element *e = &b->elements[b->next++];
    if (memchr(e->name, '\0', e->name_length))
        return fail(r, "a schema name with a NUL byte");
    char *path = *prefix ? xasprintf("%s.%.*s", prefix, (int)e->name_length, (const char *)e->name)
                         : xasprintf("%.*s", (int)e->name_length, (const char *)e->name);
    if (e->repetition == 1)
        definition++;
    else if (e->repetition == 2) {
        definition++;
        repetition++;
    }
    if (e->num_children == 0) {
        if (b->n_leaves == b->cap_leaves) {
            b->cap_leaves = b->cap_leaves ? b->cap_leaves * 2 : 16;
            b->leaves = xrealloc(b->leaves, b->cap_leaves * sizeof *b->leaves);
        }
        parquet_leaf *leaf = &b->leaves[b->n_leaves++];
        leaf->path = path;
        leaf->type = e->type;
        leaf->max_definition = definition;
        leaf->max_repetition = repetition;
        return true;
    }
    if ((uint64_t)e->num_children > b->n_elements - b->next) {
        free(path);
        return fail(r, "schema has fewer elements than its num_children say");
    }
    for (int64_t i = 0; i < e->num_children; i++) {
        if (!build_node(r, b, path, definition, repetition, depth + 1)) {
            free(path);
            return false;
        }
    }
    free(path);
    return true;
}

static bool read_schema(reader *r, int type, parquet_footer *out) {
    int element;
    size_t n;
    if (!read_list(r, type, &element, &n))
        return false;
    if (element != T_STRUCT)
        return fail(r, "a schema that is not a list of structs");
    if (n == 0)
        return fail(r, "an empty schema");
    schema_element *elements = xcalloc(n, sizeof *elements);
    for (size_t i = 0; i < n; i++) {
        if (!read_schema_element(r, T_STRUCT, &elements[i])) {
            free(elements);
            return false;
        }
    }
    leaves_builder b = {.elements = elements, .n_elements = n, .next = 1};
    bool ok = true;
    if ((uint64_t)elements[0].num_children > n - 1)
        ok = fail(r, "schema has fewer elements than its num_children say");
    for (int64_t i = 0; ok && i < elements[0].num_children; i++)
        ok = build_node(r, &b, "", 0, 0, 1);
    free(elements);
    out->leaves = b.leaves;
    out->n_leaves = b.n_leaves;
    return ok;
}

static char *join_path(reader *r, int type, bool *ok) {
    int element;
    size_t n;
    *ok = false;
    if (!read_list(r, type, &element, &n))
        return NULL;
    if (element != T_BINARY) {
        fail(r, "a path_in_schema that is not a list of strings");
        return NULL;
    }
    strbuf sb = {0};
    for (size_t i = 0; i < n; i++) {
        const unsigned char *b;
        size_t length;
        if (!read_binary(r, T_BINARY, &b, &length) || memchr(b, '\0', length)) {
            fail(r, "a bad path_in_schema");
            strbuf_free(&sb);
            return NULL;
        }
        if (i)
            strbuf_append(&sb, ".", 1);
        strbuf_append(&sb, (const char *)b, length);
    }
    *ok = true;
    return strbuf_take(&sb);
}

static bool read_column_meta(reader *r, int type, parquet_chunk *c) {
    if (!enter_struct(r, type))
        return false;
    int last = 0, id, t;
    int64_t v;
    bool ok;
    bool have_path = false;
    for (;;) {
        if (!read_field(r, &last, &id, &t))
            return false;
        if (t == T_STOP)
            break;
        switch (id) {
        case 1:
            ok = read_i32(r, t, &v);
            c->type = (int)v;
            break;
        case 3:
            if (have_path)
                return fail(r, "path_in_schema given twice");
            c->path = join_path(r, t, &ok);
            have_path = ok;
            break;
        case 4:
            ok = read_i32(r, t, &v);
            c->codec = (int)v;
            break;
        case 5: ok = read_i64(r, t, &c->num_values); break;
        case 7: ok = read_i64(r, t, &c->total_compressed_size); break;
        case 9: ok = read_i64(r, t, &c->data_page_offset); break;
        case 11: ok = read_i64(r, t, &c->dictionary_page_offset); break;
        default: ok = skip_value(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (!have_path)
        return fail(r, "a column chunk without path_in_schema");
    c->has_meta = true;
    return true;
}

static bool read_column_chunk(reader *r, int type, parquet_chunk *c) {
    if (!enter_struct(r, type))
        return false;
    memset(c, 0, sizeof *c);
    c->dictionary_page_offset = -1;
    c->num_values = -1;
    c->data_page_offset = -1;
    int last = 0, id, t;
    bool ok;
    for (;;) {
        if (!read_field(r, &last, &id, &t))
            return false;
        if (t == T_STOP)
            break;
        if (id == 1) {
            const unsigned char *b;
            size_t n;
            ok = read_binary(r, t, &b, &n);
            c->external = ok && n > 0;
        } else if (id == 3) {
            if (c->has_meta)
                return fail(r, "meta_data given twice");
            ok = read_column_meta(r, t, c);
        } else {
            ok = skip_value(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    return true;
}

static void row_group_clear(parquet_row_group *g) {
    for (size_t i = 0; i < g->n_chunks; i++)
        free(g->chunks[i].path);
    free(g->chunks);
    g->chunks = NULL;
    g->n_chunks = 0;
}

static bool read_row_group(reader *r, int type, parquet_row_group *g) {
    if (!enter_struct(r, type))
        return false;
    int last = 0, id, t;
    bool ok, have_columns = false;
    g->num_rows = -1;
    for (;;) {
        if (!read_field(r, &last, &id, &t))
            return false;
        if (t == T_STOP)
            break;
        if (id == 1) {
            int element;
            size_t n;
            if (have_columns)
                return fail(r, "columns given twice");
            have_columns = true;
            if (!read_list(r, t, &element, &n))
                return false;
            if (element != T_STRUCT)
                return fail(r, "columns that are not structs");
            g->chunks = xcalloc(n ? n : 1, sizeof *g->chunks);
            for (size_t i = 0; i < n; i++) {
                g->n_chunks = i + 1;
                if (!read_column_chunk(r, T_STRUCT, &g->chunks[i]))
                    return false;
            }
            ok = true;
        } else if (id == 3) {
            ok = read_i64(r, t, &g->num_rows);
        } else {
            ok = skip_value(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (g->num_rows < 0)
        return fail(r, "a row group without num_rows");
    return true;
}

bool parquet_thrift_footer(const unsigned char *data, size_t length, parquet_footer *out,
                           char **error) {
    memset(out, 0, sizeof *out);
    out->num_rows = -1;
    reader r = {.p = data, .end = data + length};
    int last = 0, id, t;
    bool ok = true, have_schema = false, have_groups = false;
    while (ok) {
        if (!read_field(&r, &last, &id, &t)) {
            ok = false;
            break;
        }
        if (t == T_STOP)
            break;
        if (id == 2) {
            ok = have_schema ? fail(&r, "schema given twice") : read_schema(&r, t, out);
            have_schema = true;
        } else if (id == 3) {
            ok = read_i64(&r, t, &out->num_rows);
        } else if (id == 4) {
            int element;
            size_t n;
            if (have_groups) {
                ok = fail(&r, "row_groups given twice");
                break;
            }
            have_groups = true;
            ok = read_list(&r, t, &element, &n);
            if (ok && element != T_STRUCT)
                ok = fail(&r, "row groups that are not structs");
            if (ok) {
                out->row_groups = xcalloc(n ? n : 1, sizeof *out->row_groups);
                for (size_t i = 0; ok && i < n; i++) {
                    out->n_row_groups = i + 1;
                    ok = read_row_group(&r, T_STRUCT, &out->row_groups[i]);
                }
            }
        } else {
            ok = skip_value(&r, t);
        }
    }
    if (ok && !have_schema)
        ok = fail(&r, "no schema");
    if (ok && out->num_rows < 0)
        ok = fail(&r, "no num_rows");
    if (!ok) {
        *error = xasprintf("parquet: footer: %s", r.failure ? r.failure : "malformed");
        parquet_thrift_footer_clear(out);
        return false;
    }
    return true;
}

void parquet_thrift_footer_clear(parquet_footer *footer) {
    for (size_t i = 0; i < footer->n_leaves; i++)
        free(footer->leaves[i].path);
    free(footer->leaves);
    for (size_t i = 0; i < footer->n_row_groups; i++)
        row_group_clear(&footer->row_groups[i]);
    free(footer->row_groups);
    memset(footer, 0, sizeof *footer);
}

/* ---- page headers ------------------------------------------------------------ */

/* DataPageHeader (v1), DictionaryPageHeader or DataPageHeaderV2. */
static bool read_page_kind(reader *r, int type, int kind, parquet_page_header *h) {
    if (!enter_struct(r, type))
        return false;
    int last = 0, id, t;
    int64_t v;
    bool ok;
    for (;;) {
        if (!read_field(r, &last, &id, &t))
            return false;
        if (t == T_STOP)
            break;
        ok = true;
        if (id == 1) {
            ok = read_i32(r, t, &h->num_values);
        } else if (kind == 3) {
            switch (id) {
            case 2: ok = read_i32(r, t, &h->num_nulls); break;
            case 4:
                ok = read_i32(r, t, &v);
                h->encoding = (int)v;
                break;
            case 5: ok = read_i32(r, t, &h->definition_levels_length); break;
            case 6: ok = read_i32(r, t, &h->repetition_levels_length); break;
            case 7:
                if (t != T_TRUE && t != T_FALSE)
                    return fail(r, "a field of the wrong type");
                h->is_compressed = t == T_TRUE;
                break;
            default: ok = skip_value(r, t);
            }
        } else if (id == 2) {
            ok = read_i32(r, t, &v);
            h->encoding = (int)v;
        } else if (kind == 0 && id == 3) {
            ok = read_i32(r, t, &v);
            h->definition_level_encoding = (int)v;
        } else if (kind == 0 && id == 4) {
            ok = read_i32(r, t, &v);
            h->repetition_level_encoding = (int)v;
        } else {
            ok = skip_value(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    return true;
}

bool parquet_thrift_page_header(const unsigned char *data, size_t length, parquet_page_header *out,
                                char **error) {
    memset(out, 0, sizeof *out);
    out->type = -1;
    out->uncompressed_size = -1;
    out->compressed_size = -1;
    out->num_values = -1;
    out->is_compressed = true;
    reader r = {.p = data, .end = data + length};
    int last = 0, id, t;
    int64_t v;
    bool ok = true, have_kind = false;
    while (ok) {
        if (!read_field(&r, &last, &id, &t)) {
            ok = false;
            break;
        }
        if (t == T_STOP)
            break;
        switch (id) {
        case 1:
            ok = read_i32(&r, t, &v);
            out->type = (int)v;
            break;
        case 2: ok = read_i32(&r, t, &out->uncompressed_size); break;
        case 3: ok = read_i32(&r, t, &out->compressed_size); break;
        case 5:
        case 7:
        case 8:
            if (have_kind) {
                ok = fail(&r, "two page kinds in one header");
                break;
            }
            have_kind = true;
            ok = read_page_kind(&r, t, id == 5 ? 0 : id == 7 ? 2 : 3, out);
            break;
        default: ok = skip_value(&r, t);
        }
    }
    if (ok && (out->type < 0 || out->uncompressed_size < 0 || out->compressed_size < 0))
        ok = fail(&r, "a page header without its type or sizes");
    if (ok && out->type != 1 && (!have_kind || out->num_values < 0))
        ok = fail(&r, "a page header without its page kind");
    if (!ok) {
        *error = xasprintf("parquet: page header: %s", r.failure ? r.failure : "malformed");
        return false;
    }
    out->header_length = (size_t)(r.p - data);
    return true;
}
