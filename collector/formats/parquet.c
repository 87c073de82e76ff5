/* parquet.c: the Parquet file (magic, footer) and its flat columns read
 * page by page (see parquet.h for what is read and what is refused). */
#include "collector/formats/parquet.h"

#include <stdlib.h>
#include <string.h>

#include "collector/formats/parquet_pages.h"
#include "collector/formats/parquet_thrift.h"
#include "common/xalloc.h"

struct parquet_file {
    const unsigned char *data;
    size_t length;
    parquet_footer footer;
};

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p) {
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

bool parquet_open(const char *data, size_t length, parquet_file **out, char **error) {
    const unsigned char *bytes = (const unsigned char *)data;
    if (length < 12 || memcmp(bytes, "PAR1", 4) || memcmp(bytes + length - 4, "PAR1", 4)) {
        *error = xasprintf("parquet: not a Parquet file (no PAR1 at its start and end, %zu bytes)",
                           length);
        return false;
    }
    uint32_t footer_length = le32(bytes + length - 8);
    if (footer_length > length - 12) {
        *error = xasprintf("parquet: a footer of %u bytes in a file of %zu", footer_length, length);
        return false;
    }
    parquet_file *file = xcalloc(1, sizeof *file);
    file->data = bytes;
    file->length = length;
    if (!parquet_thrift_footer(bytes + length - 8 - footer_length, footer_length, &file->footer,
                               error)) {
        free(file);
        return false;
    }
    const parquet_footer *f = &file->footer;
    int64_t sum = 0;
    for (size_t i = 0; i < f->n_row_groups; i++) {
        if (f->row_groups[i].num_rows > PARQUET_MAX_ROWS - sum) {
            sum = -1;
            break;
        }
        sum += f->row_groups[i].num_rows;
    }
    if (f->num_rows > PARQUET_MAX_ROWS || sum < 0) {
        *error = xasprintf("parquet: more than %lld rows", (long long)PARQUET_MAX_ROWS);
        parquet_close(file);
        return false;
    }
    if (sum != f->num_rows) {
        *error = xasprintf("parquet: the row groups hold %lld rows, the footer says %lld",
                           (long long)sum, (long long)f->num_rows);
        parquet_close(file);
        return false;
    }
    *out = file;
    return true;
}

void parquet_close(parquet_file *file) {
    if (!file)
        return;
    parquet_thrift_footer_clear(&file->footer);
    free(file);
}

int64_t parquet_rows(const parquet_file *file) {
    return file->footer.num_rows;
}

static const parquet_leaf *find_leaf(const parquet_file *file, const char *path) {
    for (size_t i = 0; i < file->footer.n_leaves; i++)
        if (!strcmp(file->footer.leaves[i].path, path))
            return &file->footer.leaves[i];
    return NULL;
}

bool parquet_has_column(const parquet_file *file, const char *path) {
    return find_leaf(file, path) != NULL;
}

void parquet_column_clear(parquet_column *column) {
    free(column->present);
    free(column->numbers);
    free(column->offsets);
    free(column->lengths);
    free(column->text);
    memset(column, 0, sizeof *column);
}

const char *parquet_column_text(const parquet_column *column, size_t row, size_t *length) {
    if (column->type != PARQUET_BYTE_ARRAY || !column->lengths || row >= column->rows ||
        !column->present[row])
        return NULL;
    *length = column->lengths[row];
    return column->text + column->offsets[row];
}

/* ---- one column chunk ----------------------------------------------------------- */

typedef struct dictionary {
    bool loaded;
    size_t n;
    int64_t *numbers;
    size_t *offsets; /* into bytes */
    size_t *lengths;
    unsigned char *bytes; /* the decompressed page */
} dictionary;

typedef struct chunk_reader {
    const parquet_leaf *leaf;
    parquet_column *out;
    size_t row;     /* the next row to fill */
    size_t row_end; /* this row group's end */
    size_t text_capacity;
    parquet_text_fn each; /* set: values go to it, not into the column */
    void *each_ctx;
    uint64_t each_budget; /* bytes it may still be given */
    dictionary dict;
    char **error;
} chunk_reader;

static void dictionary_clear(dictionary *d) {
    free(d->numbers);
    free(d->offsets);
    free(d->lengths);
    free(d->bytes);
    memset(d, 0, sizeof *d);
}

static bool malformed(chunk_reader *c, const char *what) {
    *c->error = xasprintf("parquet: %s in %s", what, c->leaf->path);
    return false;
}

static bool text_add(chunk_reader *c, const unsigned char *bytes, size_t length, size_t row) {
    parquet_column *col = c->out;
    if (c->each) {
        if (length > c->each_budget) {
            *c->error = xasprintf("parquet: %s holds more text than %llu times the file",
                                  c->leaf->path, (unsigned long long)PARQUET_TEXT_PER_BYTE);
            return false;
        }
        c->each_budget -= length;
        return c->each(c->each_ctx, row, (const char *)bytes, length, c->error);
    }
    if (length > PARQUET_MAX_TEXT - col->text_length) {
        *c->error = xasprintf("parquet: %s holds more than %zu MiB of text", c->leaf->path,
                              PARQUET_MAX_TEXT >> 20);
        return false;
    }
    if (col->text_length + length + 1 > c->text_capacity) {
        size_t capacity = c->text_capacity ? c->text_capacity : 4096;
        while (capacity < col->text_length + length + 1)
            capacity *= 2;
        col->text = xrealloc(col->text, capacity);
        c->text_capacity = capacity;
    }
    if (length)
        memcpy(col->text + col->text_length, bytes, length);
    col->offsets[row] = col->text_length;
    col->lengths[row] = length;
    col->text_length += length;
    col->text[col->text_length] = '\0';
    return true;
}

/* PLAIN values, one after another: the next one from *p (bit *bit for
 * BOOLEAN). */
typedef struct plain {
    const unsigned char *p;
    const unsigned char *end;
    uint64_t bit;
} plain;

static bool plain_number(chunk_reader *c, plain *v, int64_t *number) {
    size_t left = (size_t)(v->end - v->p);
    switch (c->leaf->type) {
    case PARQUET_BOOLEAN:
        if (v->bit / 8 >= left)
            return malformed(c, "BOOLEAN values past their page");
        *number = (v->p[v->bit / 8] >> (v->bit % 8)) & 1;
        v->bit++;
        return true;
    case PARQUET_INT32:
        if (left < 4)
            return malformed(c, "INT32 values past their page");
        *number = (int32_t)le32(v->p);
        v->p += 4;
        return true;
    default:
        if (left < 8)
            return malformed(c, "INT64 values past their page");
        *number = (int64_t)le64(v->p);
        v->p += 8;
        return true;
    }
}

static bool plain_text(chunk_reader *c, plain *v, const unsigned char **bytes, size_t *length) {
    if (v->end - v->p < 4)
        return malformed(c, "BYTE_ARRAY values past their page");
    uint32_t n = le32(v->p);
    v->p += 4;
    if (n > (size_t)(v->end - v->p))
        return malformed(c, "a BYTE_ARRAY value longer than its page");
    *bytes = v->p;
    *length = n;
    v->p += n;
    return true;
}

static bool read_dictionary(chunk_reader *c, const parquet_page_header *h, unsigned char *page,
                            size_t length) {
    dictionary *d = &c->dict;
    if (d->loaded)
        return malformed(c, "a second dictionary page");
    if (h->encoding != 0 && h->encoding != 2) {
        *c->error = xasprintf("parquet: dictionary encoding %s in %s not read",
                              parquet_pages_encoding_name(h->encoding), c->leaf->path);
        return false;
    }
    /* every entry takes a bit (BOOLEAN) or 4 bytes (INT32, a BYTE_ARRAY's
     * length) at least */
    uint64_t most = c->leaf->type == PARQUET_BOOLEAN ? (uint64_t)length * 8 : length / 4;
    if ((uint64_t)h->num_values > most)
        return malformed(c, "a dictionary of more entries than its page holds");
    d->loaded = true;
    d->bytes = page;
    d->n = (size_t)h->num_values;
    plain v = {.p = page, .end = page + length};
    if (c->leaf->type == PARQUET_BYTE_ARRAY) {
        d->offsets = xcalloc(d->n + 1, sizeof *d->offsets);
        d->lengths = xcalloc(d->n + 1, sizeof *d->lengths);
        for (size_t i = 0; i < d->n; i++) {
            const unsigned char *bytes;
            if (!plain_text(c, &v, &bytes, &d->lengths[i]))
                return false;
            d->offsets[i] = (size_t)(bytes - page);
        }
    } else {
        d->numbers = xcalloc(d->n + 1, sizeof *d->numbers);
        for (size_t i = 0; i < d->n; i++)
            if (!plain_number(c, &v, &d->numbers[i]))
                return false;
    }
    return true;
}

/* The values of one data page: levels (decoded into present[]) are in
 * `levels` (v1: with their 4-byte length, v2: bare), values in `values`. */
static bool read_values(chunk_reader *c, const parquet_page_header *h, const unsigned char *levels,
                        size_t levels_length, bool v1, const unsigned char *values,
                        size_t values_length) {
    parquet_column *col = c->out;
    size_t n = (size_t)h->num_values;
    size_t first = c->row;
    int max_def = c->leaf->max_definition;
    if (max_def > 0) {
        if (v1) {
            if (h->definition_level_encoding != 3) {
                *c->error = xasprintf("parquet: definition level encoding %s in %s not read",
                                      parquet_pages_encoding_name(h->definition_level_encoding),
                                      c->leaf->path);
                return false;
            }
            if (levels_length < 4 || le32(levels) > levels_length - 4)
                return malformed(c, "definition levels longer than their page");
            size_t used = 4 + le32(levels);
            values = levels + used;
            values_length = levels_length - used;
            levels += 4;
            levels_length = used - 4;
        }
        parquet_rle rle;
        parquet_rle_init(&rle, levels, levels_length, parquet_pages_bit_width((uint64_t)max_def));
        for (size_t i = 0; i < n; i++) {
            uint32_t level;
            if (!parquet_rle_next(&rle, &level))
                return malformed(c, "fewer definition levels than values");
            if (level > (uint32_t)max_def)
                return malformed(c, "a definition level above the column's maximum");
            col->present[first + i] = level == (uint32_t)max_def;
        }
    } else {
        if (v1) {
            values = levels;
            values_length = levels_length;
        }
        memset(col->present + first, 1, n);
    }
    c->row += n;

    bool dictionary_encoded = h->encoding == 2 || h->encoding == 8;
    /* BOOLEAN values in RLE (as data page v2 writers put them): a 4-byte
     * length, then the hybrid at bit width 1 */
    bool rle_booleans = h->encoding == 3 && c->leaf->type == PARQUET_BOOLEAN;
    if (h->encoding != 0 && !dictionary_encoded && !rle_booleans) {
        *c->error = xasprintf("parquet: encoding %s in %s not read",
                              parquet_pages_encoding_name(h->encoding), c->leaf->path);
        return false;
    }
    bool text = c->leaf->type == PARQUET_BYTE_ARRAY;
    plain v = {.p = values, .end = values + values_length};
    parquet_rle indices;
    if (dictionary_encoded) {
        if (!c->dict.loaded)
            return malformed(c, "dictionary-encoded values without a dictionary page");
        if (values_length < 1 || values[0] > 32)
            return malformed(c, "a bad dictionary index bit width");
        parquet_rle_init(&indices, values + 1, values_length - 1, values[0]);
    } else if (rle_booleans) {
        if (values_length < 4 || le32(values) > values_length - 4)
            return malformed(c, "RLE values longer than their page");
        parquet_rle_init(&indices, values + 4, le32(values), 1);
    }
    for (size_t i = first; i < first + n; i++) {
        if (!col->present[i])
            continue;
        if (rle_booleans) {
            uint32_t bit;
            if (!parquet_rle_next(&indices, &bit))
                return malformed(c, "fewer RLE values than values");
            col->numbers[i] = bit & 1;
        } else if (dictionary_encoded) {
            uint32_t index;
            if (!parquet_rle_next(&indices, &index))
                return malformed(c, "fewer dictionary indices than values");
            if (index >= c->dict.n)
                return malformed(c, "a dictionary index past the dictionary");
            if (text) {
                if (!text_add(c, c->dict.bytes + c->dict.offsets[index], c->dict.lengths[index], i))
                    return false;
            } else {
                col->numbers[i] = c->dict.numbers[index];
            }
        } else if (text) {
            const unsigned char *bytes;
            size_t length;
            if (!plain_text(c, &v, &bytes, &length) || !text_add(c, bytes, length, i))
                return false;
        } else if (!plain_number(c, &v, &col->numbers[i])) {
            return false;
        }
    }
    return true;
}

/* One page at data[*pos..end]: *pos moves past it. */
static bool read_page(chunk_reader *c, const parquet_file *file, const parquet_chunk *chunk,
                      size_t *pos, size_t end) {
    parquet_page_header h;
    char *header_error = NULL;
    if (!parquet_thrift_page_header(file->data + *pos, end - *pos, &h, &header_error)) {
        *c->error = xasprintf("%s in %s", header_error, c->leaf->path);
        free(header_error);
        return false;
    }
    size_t body = *pos + h.header_length;
    if ((uint64_t)h.compressed_size > end - body)
        return malformed(c, "a page longer than its column chunk");
    if ((uint64_t)h.uncompressed_size > PARQUET_MAX_PAGE)
        return malformed(c, "a page of more than 128 MiB");
    const unsigned char *raw = file->data + body;
    size_t raw_length = (size_t)h.compressed_size;
    *pos = body + raw_length;
    if (h.type == 1)
        return true; /* an index page */
    if (h.type != 0 && h.type != 2 && h.type != 3) {
        *c->error = xasprintf("parquet: page type %d in %s not read", h.type, c->leaf->path);
        return false;
    }
    if (h.type != 2 && (uint64_t)h.num_values > c->row_end - c->row)
        return malformed(c, "more values than rows");
    unsigned char *page = NULL;
    bool ok;
    if (h.type == 3) {
        if (h.definition_levels_length < 0 || h.repetition_levels_length != 0 ||
            (uint64_t)h.definition_levels_length > raw_length ||
            h.definition_levels_length > h.uncompressed_size)
            return malformed(c, "a v2 page with bad level lengths");
        size_t levels = (size_t)h.definition_levels_length;
        size_t values_length = (size_t)h.uncompressed_size - levels;
        int codec = h.is_compressed ? chunk->codec : 0;
        if (!parquet_pages_decompress(codec, raw + levels, raw_length - levels, values_length,
                                      &page, c->leaf->path, c->error))
            return false;
        if (c->leaf->max_definition == 0 && levels)
            ok = malformed(c, "definition levels in a required column");
        else
            ok = read_values(c, &h, raw, levels, false, page, values_length);
        free(page);
        return ok;
    }
    if (!parquet_pages_decompress(chunk->codec, raw, raw_length, (size_t)h.uncompressed_size, &page,
                                  c->leaf->path, c->error))
        return false;
    if (h.type == 2) {
        ok = read_dictionary(c, &h, page, (size_t)h.uncompressed_size);
        if (!c->dict.loaded || c->dict.bytes != page)
            free(page);
        return ok;
    }
    ok = read_values(c, &h, page, (size_t)h.uncompressed_size, true, NULL, 0);
    free(page);
    return ok;
}

static bool read_chunk(chunk_reader *c, const parquet_file *file, const parquet_chunk *chunk,
                       int64_t rows) {
    const char *path = c->leaf->path;
    if (chunk->external) {
        *c->error = xasprintf("parquet: %s is in another file (file_path), not read", path);
        return false;
    }
    if (!chunk->has_meta)
        return malformed(c, "a column chunk without its metadata");
    if (chunk->type != c->leaf->type)
        return malformed(c, "a column chunk of another type than the schema's");
    if (chunk->codec != 0 && chunk->codec != 1 && chunk->codec != 2 && chunk->codec != 6) {
        *c->error = xasprintf("parquet: codec %s in %s not read",
                              parquet_pages_codec_name(chunk->codec), path);
        return false;
    }
    if (chunk->num_values != rows)
        return malformed(c, "a column chunk whose num_values is not its row group's rows");
    int64_t start = chunk->data_page_offset;
    if (chunk->dictionary_page_offset > 0 && chunk->dictionary_page_offset < start)
        start = chunk->dictionary_page_offset;
    /* pages lie between the leading magic and the footer */
    uint64_t limit = file->length - 8;
    if (start < 4 || (uint64_t)start >= limit || chunk->total_compressed_size < 0 ||
        (uint64_t)chunk->total_compressed_size > limit - (uint64_t)start)
        return malformed(c, "a column chunk outside the file");
    size_t pos = (size_t)start, end = pos + (size_t)chunk->total_compressed_size;
    c->row_end = c->row + (size_t)rows;
    bool ok = true;
    while (ok && c->row < c->row_end) {
        if (pos >= end) {
            ok = malformed(c, "a column chunk that ends before its rows");
            break;
        }
        ok = read_page(c, file, chunk, &pos, end);
    }
    dictionary_clear(&c->dict);
    return ok;
}

static bool read_column(const parquet_file *file, const char *path, parquet_column *out,
                        parquet_text_fn each, void *each_ctx, char **error) {
    memset(out, 0, sizeof *out);
    const parquet_leaf *leaf = find_leaf(file, path);
    if (!leaf) {
        *error = xasprintf("parquet: no column %s", path);
        return false;
    }
    if (leaf->max_repetition > 0) {
        *error = xasprintf("parquet: %s is a repeated column (a list or map), not read: only "
                           "flat columns are",
                           path);
        return false;
    }
    if (leaf->type != PARQUET_BOOLEAN && leaf->type != PARQUET_INT32 &&
        leaf->type != PARQUET_INT64 && leaf->type != PARQUET_BYTE_ARRAY) {
        *error =
            xasprintf("parquet: type %s of %s not read", parquet_pages_type_name(leaf->type), path);
        return false;
    }
    if (each && leaf->type != PARQUET_BYTE_ARRAY) {
        *error = xasprintf("parquet: %s is %s, not BYTE_ARRAY", path,
                           parquet_pages_type_name(leaf->type));
        return false;
    }
    size_t rows = (size_t)file->footer.num_rows;
    out->type = leaf->type;
    out->rows = rows;
    out->present = xcalloc(rows + 1, 1);
    if (each) {
        /* no text kept */
    } else if (leaf->type == PARQUET_BYTE_ARRAY) {
        out->offsets = xcalloc(rows + 1, sizeof *out->offsets);
        out->lengths = xcalloc(rows + 1, sizeof *out->lengths);
    } else {
        out->numbers = xcalloc(rows + 1, sizeof *out->numbers);
    }
    chunk_reader c = {.leaf = leaf, .out = out, .error = error, .each = each, .each_ctx = each_ctx};
    c.each_budget = (uint64_t)file->length * PARQUET_TEXT_PER_BYTE;
    if (c.each_budget < PARQUET_MIN_TEXT_BUDGET)
        c.each_budget = PARQUET_MIN_TEXT_BUDGET;
    for (size_t g = 0; g < file->footer.n_row_groups; g++) {
        const parquet_row_group *group = &file->footer.row_groups[g];
        const parquet_chunk *chunk = NULL;
        for (size_t i = 0; i < group->n_chunks && !chunk; i++)
            if (group->chunks[i].path && !strcmp(group->chunks[i].path, path))
                chunk = &group->chunks[i];
        if (!chunk && group->num_rows == 0)
            continue;
        if (!chunk) {
            *error = xasprintf("parquet: row group %zu has no column chunk for %s", g, path);
            parquet_column_clear(out);
            return false;
        }
        if (!read_chunk(&c, file, chunk, group->num_rows)) {
            parquet_column_clear(out);
            return false;
        }
    }
    return true;
}

bool parquet_read_column(const parquet_file *file, const char *path, parquet_column *out,
                         char **error) {
    return read_column(file, path, out, NULL, NULL, error);
}

bool parquet_read_text_each(const parquet_file *file, const char *path, parquet_column *out,
                            parquet_text_fn each, void *ctx, char **error) {
    return read_column(file, path, out, each, ctx, error);
}
