/* demo_content.c: what the demo's data files hold: parquet-shaped bytes, and
 * CSV or JSON-lines rows whose values follow each column's kind. */
#include "tools/demo_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/fmt.h"

void demo_content_parquet(strbuf *b, demo_rng *rng, size_t size) {
    if (size < 12)
        size = 12;
    strbuf_free(b);
    strbuf_append(b, "PAR1", 4);
    size_t body = size - 12;
    char chunk[512]; /* appended a chunk at a time, not 8 bytes at a time */
    while (body > 0) {
        size_t n = body < sizeof chunk ? body : sizeof chunk;
        for (size_t i = 0; i < n; i += 8) {
            uint64_t v = demo_rng_next(rng);
            memcpy(chunk + i, &v, n - i < 8 ? n - i : 8);
        }
        strbuf_append(b, chunk, n);
        body -= n;
    }
    uint32_t footer = (uint32_t)(size / 7 + 16);
    char le[4] = {(char)footer, (char)(footer >> 8), (char)(footer >> 16), (char)(footer >> 24)};
    strbuf_append(b, le, 4);
    strbuf_append(b, "PAR1", 4);
}

/* One value of `col` in a row of `day`, times not after `file_time`: the
 * text (in tmp, or a word of the column's), *quoted when JSON quotes it. */
static const char *demo_content_value(demo_table_state *s, const demo_column *col, int32_t day,
                                      int64_t file_time, bool json, char tmp[48], bool *quoted) {
    demo_rng *r = &s->rng;
    int64_t day_start = (int64_t)day * 86400;
    *quoted = true;
    switch (col->kind) {
    case K_SEQ:
        *quoted = false;
        snprintf(tmp, 48, "%" PRId64, ++s->seq);
        return tmp;
    case K_INT:
        *quoted = strcmp(col->type, "string") == 0;
        snprintf(tmp, 48, "%" PRId64, demo_rng_range(r, col->lo, col->hi));
        return tmp;
    case K_MONEY: {
        /* Cents first, then the whole part: the order GCC happened to give
         * them as two arguments of one call (unspecified in C, and clang
         * took the other), kept so that the lake is the one it always was. */
        int cents = (int)demo_rng_range(r, 0, 99);
        int64_t whole = demo_rng_range(r, col->lo, col->hi);
        *quoted = false;
        snprintf(tmp, 48, "%" PRId64 ".%02d", whole, cents);
        return tmp;
    }
    case K_DOUBLE: {
        int64_t v = demo_rng_range(r, col->lo * 10000, col->hi * 10000);
        *quoted = false;
        snprintf(tmp, 48, "%.4f", (double)v / 10000.0);
        return tmp;
    }
    case K_TS:
    case K_EPOCH_MS: {
        int64_t t = demo_rng_range(r, day_start, file_time);
        if (col->kind == K_EPOCH_MS) {
            *quoted = false;
            snprintf(tmp, 48, "%" PRId64, t * 1000 + demo_rng_range(r, 0, 999));
            return tmp;
        }
        fmt_iso8601(t, tmp, 48);
        if (!json) { /* CSV: "YYYY-MM-DD HH:MM:SS" */
            tmp[10] = ' ';
            tmp[19] = '\0';
        }
        return tmp;
    }
    case K_DATE: return fmt_day(day - (int32_t)demo_rng_range(r, 0, col->hi), tmp, 48);
    case K_WORD: return col->words[demo_rng_next(r) % col->n_words];
    case K_HEX: {
        static const char hex[] = "0123456789abcdef";
        size_t n = (size_t)col->lo < 47 ? (size_t)col->lo : 47;
        uint64_t v = demo_rng_next(r);
        for (size_t i = 0; i < n; i++) {
            if (i % 16 == 15)
                v = demo_rng_next(r);
            tmp[i] = hex[v & 15];
            v >>= 4;
        }
        tmp[n] = '\0';
        return tmp;
    }
    case K_EMAIL:
        snprintf(tmp, 48, "user%" PRId64 "@example.com", demo_rng_range(r, 1000, 999999));
        return tmp;
    case K_URL: {
        int64_t number = demo_rng_range(r, 1, 9999); /* first, as for K_MONEY */
        const char *word = col->words[demo_rng_next(r) % col->n_words];
        snprintf(tmp, 48, "/%s/%" PRId64, word, number);
        return tmp;
    }
    }
    tmp[0] = '\0';
    return tmp;
}

void demo_content_text(strbuf *b, demo_table_state *s, int32_t day, int64_t file_time,
                       int64_t target) {
    const demo_spec *t = s->spec;
    bool json = t->format == DEMO_JSON;
    strbuf_free(b);
    if (!json) {
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i)
                strbuf_putc(b, ',');
            strbuf_puts(b, t->columns[i].name);
        }
        strbuf_putc(b, '\n');
    }
    do {
        if (json)
            strbuf_putc(b, '{');
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i)
                strbuf_putc(b, ',');
            if (json) {
                strbuf_putc(b, '"');
                strbuf_puts(b, t->columns[i].name);
                strbuf_puts(b, "\":");
            }
            char tmp[48];
            bool quoted;
            const char *value =
                demo_content_value(s, &t->columns[i], day, file_time, json, tmp, &quoted);
            if (json && quoted)
                strbuf_putc(b, '"');
            strbuf_puts(b, value);
            if (json && quoted)
                strbuf_putc(b, '"');
        }
        strbuf_puts(b, json ? "}\n" : "\n");
    } while ((int64_t)b->length < target);
}
