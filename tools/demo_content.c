/* demo_content.c: what the demo's data files hold: parquet-shaped bytes, and
 * CSV or JSON-lines rows whose values follow each column's kind. */
#include "tools/demo_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/fmt.h"

void demo_content_parquet(demo_buf *b, demo_rng *rng, size_t size) {
    if (size < 12)
        size = 12;
    b->len = 0;
    demo_buf_reserve(b, size);
    memcpy(b->data, "PAR1", 4);
    size_t body_end = size - 8;
    size_t i = 4;
    while (i < body_end) {
        uint64_t v = demo_rng_next(rng);
        size_t n = body_end - i < 8 ? body_end - i : 8;
        memcpy(b->data + i, &v, n);
        i += n;
    }
    uint32_t footer = (uint32_t)(size / 7 + 16);
    unsigned char le[4] = {(unsigned char)footer, (unsigned char)(footer >> 8),
                           (unsigned char)(footer >> 16), (unsigned char)(footer >> 24)};
    memcpy(b->data + body_end, le, 4);
    memcpy(b->data + body_end + 4, "PAR1", 4);
    b->len = size;
    b->data[size] = '\0';
}

/* A string value: quoted in JSON, bare in CSV. */
static void demo_content_string(demo_buf *b, bool json, const char *value) {
    demo_buf_printf(b, json ? "\"%s\"" : "%s", value);
}

/* One value of `col` in a row of `day`, times not after `file_time`; JSON
 * quotes what is not a number. */
static void demo_content_value(demo_buf *b, demo_table_state *s, const demo_column *col,
                               int32_t day, int64_t file_time, bool json) {
    demo_rng *r = &s->rng;
    char tmp[48];
    int64_t day_start = (int64_t)day * 86400;
    switch (col->kind) {
    case K_SEQ: demo_buf_printf(b, "%" PRId64, ++s->seq); return;
    case K_INT:
        snprintf(tmp, sizeof tmp, "%" PRId64, demo_rng_range(r, col->lo, col->hi));
        demo_content_string(b, json && strcmp(col->type, "string") == 0, tmp);
        return;
    case K_MONEY: {
        /* Cents first, then the whole part: the order GCC happened to give
         * them as two arguments of one call (unspecified in C, and clang
         * took the other), kept so that the lake is the one it always was. */
        int cents = (int)demo_rng_range(r, 0, 99);
        int64_t whole = demo_rng_range(r, col->lo, col->hi);
        demo_buf_printf(b, "%" PRId64 ".%02d", whole, cents);
        return;
    }
    case K_DOUBLE: {
        int64_t v = demo_rng_range(r, col->lo * 10000, col->hi * 10000);
        demo_buf_printf(b, "%.4f", (double)v / 10000.0);
        return;
    }
    case K_TS:
    case K_EPOCH_MS: {
        int64_t t = demo_rng_range(r, day_start, file_time);
        if (col->kind == K_EPOCH_MS) {
            demo_buf_printf(b, "%" PRId64, t * 1000 + demo_rng_range(r, 0, 999));
            return;
        }
        fmt_iso8601(t, tmp, sizeof tmp);
        if (!json) { /* CSV: "YYYY-MM-DD HH:MM:SS" */
            tmp[10] = ' ';
            tmp[19] = '\0';
        }
        demo_content_string(b, json, tmp);
        return;
    }
    case K_DATE:
        fmt_day(day - (int32_t)demo_rng_range(r, 0, col->hi), tmp, sizeof tmp);
        demo_content_string(b, json, tmp);
        return;
    case K_WORD: demo_content_string(b, json, col->words[demo_rng_next(r) % col->n_words]); return;
    case K_HEX: {
        static const char hex[] = "0123456789abcdef";
        size_t n = (size_t)col->lo < sizeof tmp - 1 ? (size_t)col->lo : sizeof tmp - 1;
        uint64_t v = demo_rng_next(r);
        for (size_t i = 0; i < n; i++) {
            if (i % 16 == 15)
                v = demo_rng_next(r);
            tmp[i] = hex[v & 15];
            v >>= 4;
        }
        tmp[n] = '\0';
        demo_content_string(b, json, tmp);
        return;
    }
    case K_EMAIL:
        snprintf(tmp, sizeof tmp, "user%" PRId64 "@example.com", demo_rng_range(r, 1000, 999999));
        demo_content_string(b, json, tmp);
        return;
    case K_URL: {
        int64_t number = demo_rng_range(r, 1, 9999); /* first, as for K_MONEY */
        const char *word = col->words[demo_rng_next(r) % col->n_words];
        snprintf(tmp, sizeof tmp, "/%s/%" PRId64, word, number);
        demo_content_string(b, json, tmp);
        return;
    }
    }
}

void demo_content_text(demo_buf *b, demo_table_state *s, int32_t day, int64_t file_time,
                       int64_t target) {
    const demo_spec *t = s->spec;
    bool json = t->format == DEMO_JSON;
    b->len = 0;
    if (!json) {
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i)
                demo_buf_add(b, ",", 1);
            demo_buf_str(b, t->columns[i].name);
        }
        demo_buf_add(b, "\n", 1);
    }
    do {
        if (json)
            demo_buf_add(b, "{", 1);
        for (size_t i = 0; i < t->n_columns; i++) {
            if (json)
                demo_buf_printf(b, "%s\"%s\":", i ? "," : "", t->columns[i].name);
            else if (i)
                demo_buf_add(b, ",", 1);
            demo_content_value(b, s, &t->columns[i], day, file_time, json);
        }
        demo_buf_str(b, json ? "}\n" : "\n");
    } while ((int64_t)b->len < target);
}
