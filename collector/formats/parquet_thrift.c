/* parquet_thrift.c: the Parquet footer (FileMetaData: the schema walked
 * into leaves with their levels, row groups, column chunks) and page
 * headers, read with parquet_compact.h. Only the fields laketop needs are
 * kept. */
#include "collector/formats/parquet_thrift.h"

#include <stdlib.h>
#include <string.h>

#include "collector/formats/parquet_compact.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

/* ---- the footer ------------------------------------------------------------ */

typedef struct schema_element {
    int type; /* -1 for a group */
    int repetition;
    const unsigned char *name;
    size_t name_length;
    int64_t num_children;
} schema_element;

static bool read_schema_element(parquet_compact *r, int type, schema_element *e) {
    if (!parquet_compact_enter(r, type))
        return false;
    e->type = -1;
    e->repetition = 0;
    e->name = NULL;
    e->name_length = 0;
    e->num_children = 0;
    int last = 0, id, t;
    int64_t v;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &t))
            return false;
        if (t == PARQUET_COMPACT_STOP)
            break;
        bool ok;
        switch (id) {
        case 1:
            ok = parquet_compact_i32(r, t, &v);
            e->type = (int)v;
            break;
        case 3:
            ok = parquet_compact_i32(r, t, &v);
            e->repetition = (int)v;
            break;
        case 4: ok = parquet_compact_binary(r, t, &e->name, &e->name_length); break;
        case 5: ok = parquet_compact_i32(r, t, &e->num_children); break;
        default: ok = parquet_compact_skip(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (!e->name)
        return parquet_compact_fail(r, "a schema element without a name");
    if (e->num_children < 0)
        return parquet_compact_fail(r, "a negative num_children");
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
static bool build_node(parquet_compact *r, leaves_builder *b, const char *prefix, int definition,
                       int repetition, int depth) {
    if (depth > PARQUET_COMPACT_MAX_DEPTH)
        return parquet_compact_fail(r, "schema nested too deep");
    if (b->next >= b->n_elements)
        return parquet_compact_fail(r, "schema has fewer elements than its num_children say");
    const schema_element *e = &b->elements[b->next++];
    if (memchr(e->name, '\0', e->name_length))
        return parquet_compact_fail(r, "a schema name with a NUL byte");
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
        return parquet_compact_fail(r, "schema has fewer elements than its num_children say");
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

static bool read_schema(parquet_compact *r, int type, parquet_footer *out) {
    int element;
    size_t n;
    if (!parquet_compact_list(r, type, &element, &n))
        return false;
    if (element != PARQUET_COMPACT_STRUCT)
        return parquet_compact_fail(r, "a schema that is not a list of structs");
    if (n == 0)
        return parquet_compact_fail(r, "an empty schema");
    schema_element *elements = xcalloc(n, sizeof *elements);
    for (size_t i = 0; i < n; i++) {
        if (!read_schema_element(r, PARQUET_COMPACT_STRUCT, &elements[i])) {
            free(elements);
            return false;
        }
    }
    leaves_builder b = {.elements = elements, .n_elements = n, .next = 1};
    bool ok = true;
    if ((uint64_t)elements[0].num_children > n - 1)
        ok = parquet_compact_fail(r, "schema has fewer elements than its num_children say");
    for (int64_t i = 0; ok && i < elements[0].num_children; i++)
        ok = build_node(r, &b, "", 0, 0, 1);
    free(elements);
    out->leaves = b.leaves;
    out->n_leaves = b.n_leaves;
    return ok;
}

static char *join_path(parquet_compact *r, int type, bool *ok) {
    int element;
    size_t n;
    *ok = false;
    if (!parquet_compact_list(r, type, &element, &n))
        return NULL;
    if (element != PARQUET_COMPACT_BINARY) {
        parquet_compact_fail(r, "a path_in_schema that is not a list of strings");
        return NULL;
    }
    strbuf sb = {0};
    for (size_t i = 0; i < n; i++) {
        const unsigned char *b;
        size_t length;
        if (!parquet_compact_binary(r, PARQUET_COMPACT_BINARY, &b, &length) ||
            memchr(b, '\0', length)) {
            parquet_compact_fail(r, "a bad path_in_schema");
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

static bool read_column_meta(parquet_compact *r, int type, parquet_chunk *c) {
    if (!parquet_compact_enter(r, type))
        return false;
    int last = 0, id, t;
    int64_t v;
    bool ok;
    bool have_path = false;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &t))
            return false;
        if (t == PARQUET_COMPACT_STOP)
            break;
        switch (id) {
        case 1:
            ok = parquet_compact_i32(r, t, &v);
            c->type = (int)v;
            break;
        case 3:
            if (have_path)
                return parquet_compact_fail(r, "path_in_schema given twice");
            c->path = join_path(r, t, &ok);
            have_path = ok;
            break;
        case 4:
            ok = parquet_compact_i32(r, t, &v);
            c->codec = (int)v;
            break;
        case 5: ok = parquet_compact_i64(r, t, &c->num_values); break;
        case 7: ok = parquet_compact_i64(r, t, &c->total_compressed_size); break;
        case 9: ok = parquet_compact_i64(r, t, &c->data_page_offset); break;
        case 11: ok = parquet_compact_i64(r, t, &c->dictionary_page_offset); break;
        default: ok = parquet_compact_skip(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (!have_path)
        return parquet_compact_fail(r, "a column chunk without path_in_schema");
    c->has_meta = true;
    return true;
}

static bool read_column_chunk(parquet_compact *r, int type, parquet_chunk *c) {
    if (!parquet_compact_enter(r, type))
        return false;
    memset(c, 0, sizeof *c);
    c->dictionary_page_offset = -1;
    c->num_values = -1;
    c->data_page_offset = -1;
    int last = 0, id, t;
    bool ok;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &t))
            return false;
        if (t == PARQUET_COMPACT_STOP)
            break;
        if (id == 1) {
            const unsigned char *b;
            size_t n;
            ok = parquet_compact_binary(r, t, &b, &n);
            c->external = ok && n > 0;
        } else if (id == 3) {
            if (c->has_meta)
                return parquet_compact_fail(r, "meta_data given twice");
            ok = read_column_meta(r, t, c);
        } else {
            ok = parquet_compact_skip(r, t);
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

static bool read_row_group(parquet_compact *r, int type, parquet_row_group *g) {
    if (!parquet_compact_enter(r, type))
        return false;
    int last = 0, id, t;
    bool ok, have_columns = false;
    g->num_rows = -1;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &t))
            return false;
        if (t == PARQUET_COMPACT_STOP)
            break;
        if (id == 1) {
            int element;
            size_t n;
            if (have_columns)
                return parquet_compact_fail(r, "columns given twice");
            have_columns = true;
            if (!parquet_compact_list(r, t, &element, &n))
                return false;
            if (element != PARQUET_COMPACT_STRUCT)
                return parquet_compact_fail(r, "columns that are not structs");
            g->chunks = xcalloc(n ? n : 1, sizeof *g->chunks);
            for (size_t i = 0; i < n; i++) {
                g->n_chunks = i + 1;
                if (!read_column_chunk(r, PARQUET_COMPACT_STRUCT, &g->chunks[i]))
                    return false;
            }
            ok = true;
        } else if (id == 3) {
            ok = parquet_compact_i64(r, t, &g->num_rows);
        } else {
            ok = parquet_compact_skip(r, t);
        }
        if (!ok)
            return false;
    }
    r->depth--;
    if (g->num_rows < 0)
        return parquet_compact_fail(r, "a row group without num_rows");
    return true;
}

bool parquet_thrift_footer(const unsigned char *data, size_t length, parquet_footer *out,
                           char **error) {
    memset(out, 0, sizeof *out);
    out->num_rows = -1;
    parquet_compact r = {.p = data, .end = data + length};
    int last = 0, id, t;
    bool ok = true, have_schema = false, have_groups = false;
    while (ok) {
        if (!parquet_compact_field(&r, &last, &id, &t)) {
            ok = false;
            break;
        }
        if (t == PARQUET_COMPACT_STOP)
            break;
        if (id == 2) {
            ok = have_schema ? parquet_compact_fail(&r, "schema given twice")
                             : read_schema(&r, t, out);
            have_schema = true;
        } else if (id == 3) {
            ok = parquet_compact_i64(&r, t, &out->num_rows);
        } else if (id == 4) {
            int element;
            size_t n;
            if (have_groups) {
                ok = parquet_compact_fail(&r, "row_groups given twice");
                break;
            }
            have_groups = true;
            ok = parquet_compact_list(&r, t, &element, &n);
            if (ok && element != PARQUET_COMPACT_STRUCT)
                ok = parquet_compact_fail(&r, "row groups that are not structs");
            if (ok) {
                out->row_groups = xcalloc(n ? n : 1, sizeof *out->row_groups);
                for (size_t i = 0; ok && i < n; i++) {
                    out->n_row_groups = i + 1;
                    ok = read_row_group(&r, PARQUET_COMPACT_STRUCT, &out->row_groups[i]);
                }
            }
        } else {
            ok = parquet_compact_skip(&r, t);
        }
    }
    if (ok && !have_schema)
        ok = parquet_compact_fail(&r, "no schema");
    if (ok && out->num_rows < 0)
        ok = parquet_compact_fail(&r, "no num_rows");
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
static bool read_page_kind(parquet_compact *r, int type, int kind, parquet_page_header *h) {
    if (!parquet_compact_enter(r, type))
        return false;
    int last = 0, id, t;
    int64_t v;
    bool ok;
    for (;;) {
        if (!parquet_compact_field(r, &last, &id, &t))
            return false;
        if (t == PARQUET_COMPACT_STOP)
            break;
        ok = true;
        if (id == 1) {
            ok = parquet_compact_i32(r, t, &h->num_values);
        } else if (kind == 3) {
            switch (id) {
            case 2: ok = parquet_compact_i32(r, t, &h->num_nulls); break;
            case 4:
                ok = parquet_compact_i32(r, t, &v);
                h->encoding = (int)v;
                break;
            case 5: ok = parquet_compact_i32(r, t, &h->definition_levels_length); break;
            case 6: ok = parquet_compact_i32(r, t, &h->repetition_levels_length); break;
            case 7:
                if (t != PARQUET_COMPACT_TRUE && t != PARQUET_COMPACT_FALSE)
                    return parquet_compact_fail(r, "a field of the wrong type");
                h->is_compressed = t == PARQUET_COMPACT_TRUE;
                break;
            default: ok = parquet_compact_skip(r, t);
            }
        } else if (id == 2) {
            ok = parquet_compact_i32(r, t, &v);
            h->encoding = (int)v;
        } else if (kind == 0 && id == 3) {
            ok = parquet_compact_i32(r, t, &v);
            h->definition_level_encoding = (int)v;
        } else if (kind == 0 && id == 4) {
            ok = parquet_compact_i32(r, t, &v);
            h->repetition_level_encoding = (int)v;
        } else {
            ok = parquet_compact_skip(r, t);
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
    parquet_compact r = {.p = data, .end = data + length};
    int last = 0, id, t;
    int64_t v;
    bool ok = true, have_kind = false;
    while (ok) {
        if (!parquet_compact_field(&r, &last, &id, &t)) {
            ok = false;
            break;
        }
        if (t == PARQUET_COMPACT_STOP)
            break;
        switch (id) {
        case 1:
            ok = parquet_compact_i32(&r, t, &v);
            out->type = (int)v;
            break;
        case 2: ok = parquet_compact_i32(&r, t, &out->uncompressed_size); break;
        case 3: ok = parquet_compact_i32(&r, t, &out->compressed_size); break;
        case 5:
        case 7:
        case 8:
            if (have_kind) {
                ok = parquet_compact_fail(&r, "two page kinds in one header");
                break;
            }
            have_kind = true;
            ok = read_page_kind(&r, t, id == 5 ? 0 : id == 7 ? 2 : 3, out);
            break;
        default: ok = parquet_compact_skip(&r, t);
        }
    }
    if (ok && (out->type < 0 || out->uncompressed_size < 0 || out->compressed_size < 0))
        ok = parquet_compact_fail(&r, "a page header without its type or sizes");
    if (ok && out->type != 1 && (!have_kind || out->num_values < 0))
        ok = parquet_compact_fail(&r, "a page header without its page kind");
    if (!ok) {
        *error = xasprintf("parquet: page header: %s", r.failure ? r.failure : "malformed");
        return false;
    }
    out->header_length = (size_t)(r.p - data);
    return true;
}
