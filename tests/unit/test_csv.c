/* test_csv.c: the CSV row writer (RFC 4180): plain and quoted fields
 * (commas, quotes, CR, LF), spaces kept as they are, empty and unknown
 * values, counts, the row end; each checked against text worked out by hand
 * and read back by a small RFC 4180 reader of the test's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

/* ---- writing into memory ------------------------------------------------------ */

typedef struct sink {
    FILE *out;
    char *text;
    size_t length;
} sink;

static void sink_open(sink *s) {
    s->text = NULL;
    s->length = 0;
    s->out = open_memstream(&s->text, &s->length);
    assert_non_null(s->out);
}

/* Closes the stream: s->text holds everything written. */
static void sink_close(sink *s) {
    assert_int_equal(fclose(s->out), 0);
    s->out = NULL;
}

/* One row of texts written through csv_text, ended; returns the text. */
static char *write_row(const char *const *fields, size_t n) {
    sink s;
    sink_open(&s);
    csv_row row = {.out = s.out};
    for (size_t i = 0; i < n; i++)
        csv_text(&row, fields[i]);
    csv_end(&row);
    sink_close(&s);
    return s.text;
}

/* ---- an independent RFC 4180 reader ------------------------------------------------ */

#define MAX_FIELDS 16
#define MAX_FIELD 256

typedef struct record {
    char fields[MAX_FIELDS][MAX_FIELD];
    size_t n;
} record;

/* Reads one record (RFC 4180 section 2) from *p, which must end in CRLF;
 * advances *p past it. Fails the test on anything the RFC does not allow:
 * a quote inside an unquoted field, text after a closing quote, a bare CR
 * or LF outside quotes, a missing CRLF. */
static void read_record(const char **p, record *r) {
    const char *s = *p;
    memset(r, 0, sizeof *r);
    for (;;) {
        assert_true(r->n < MAX_FIELDS);
        char *out = r->fields[r->n++];
        size_t len = 0;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0')
                    fail_msg("unterminated quoted field");
                if (*s == '"' && s[1] == '"') {
                    s += 2;
                    assert_true(len < MAX_FIELD - 1);
                    out[len++] = '"';
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    assert_true(len < MAX_FIELD - 1);
                    out[len++] = *s++;
                }
            }
            if (*s != ',' && *s != '\r')
                fail_msg("text after a closing quote: \"%s\"", s);
        } else {
            while (*s && *s != ',' && *s != '\r') {
                if (*s == '"' || *s == '\n')
                    fail_msg("a quote or LF in an unquoted field: \"%s\"", s);
                assert_true(len < MAX_FIELD - 1);
                out[len++] = *s++;
            }
        }
        out[len] = '\0';
        if (*s == ',') {
            s++;
            continue;
        }
        if (s[0] != '\r' || s[1] != '\n')
            fail_msg("the record does not end in CRLF: \"%s\"", s);
        *p = s + 2;
        return;
    }
}

/* Writes `fields` as one row and reads it back: the same fields, and
 * nothing after the row. */
static void assert_round_trip(const char *const *fields, size_t n) {
    char *text = write_row(fields, n);
    const char *p = text;
    record r;
    read_record(&p, &r);
    assert_string_equal(p, "");
    assert_int_equal(r.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r.fields[i], fields[i] ? fields[i] : "");
    free(text);
}

/* ---- the tests ------------------------------------------------------------------------ */

static void test_plain(void **state) {
    (void)state;
    const char *one[] = {"orders"};
    char *text = write_row(one, 1);
    assert_string_equal(text, "orders\r\n");
    free(text);
    const char *three[] = {"sales", "orders", "s3://lake/sales/orders/"};
    text = write_row(three, 3);
    assert_string_equal(text, "sales,orders,s3://lake/sales/orders/\r\n");
    free(text);
    /* tabs, semicolons, UTF-8 and other punctuation need no quotes */
    const char *others[] = {"a\tb", "x;y", "caf\xc3\xa9", "it's", "<&>", "=1+2"};
    text = write_row(others, 6);
    assert_string_equal(text, "a\tb,x;y,caf\xc3\xa9,it's,<&>,=1+2\r\n");
    free(text);
}

static void test_quoted(void **state) {
    (void)state;
    static const struct {
        const char *field, *written;
    } cases[] = {
        {"a,b", "\"a,b\""},
        {",", "\",\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"\"\"", "\"\"\"\"\"\""},
        {"line1\nline2", "\"line1\nline2\""},
        {"line1\r\nline2", "\"line1\r\nline2\""},
        {"cr\r", "\"cr\r\""},
        {"\n", "\"\n\""},
        {"a,\"b\"\r\nc", "\"a,\"\"b\"\"\r\nc\""},
        /* other control characters: the bytes kept, quoted */
        {"esc\x1b[2J", "\"esc\x1b[2J\""},
        {"bel\x07", "\"bel\x07\""},
        {"del\x7f", "\"del\x7f\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *fields[] = {"x", cases[i].field, "y"};
        char *text = write_row(fields, 3);
        char expect[128];
        snprintf(expect, sizeof expect, "x,%s,y\r\n", cases[i].written);
        if (strcmp(text, expect) != 0)
            fail_msg("case %zu: wrote \"%s\" for \"%s\"", i, text, cases[i].field);
        free(text);
    }
}

static void test_spaces_kept(void **state) {
    (void)state;
    /* RFC 4180: spaces are part of a field; no quotes needed, none trimmed */
    const char *fields[] = {" lead", "trail ", "  both  ", " ", "in side"};
    char *text = write_row(fields, 5);
    assert_string_equal(text, " lead,trail ,  both  , ,in side\r\n");
    free(text);
    const char *quoted[] = {" a, b "};
    text = write_row(quoted, 1);
    assert_string_equal(text, "\" a, b \"\r\n");
    free(text);
}

static void test_empty_and_unknown(void **state) {
    (void)state;
    const char *fields[] = {"a", NULL, "", "b"};
    char *text = write_row(fields, 4);
    assert_string_equal(text, "a,,,b\r\n");
    free(text);
    const char *first_last[] = {NULL, "mid", NULL};
    text = write_row(first_last, 3);
    assert_string_equal(text, ",mid,\r\n");
    free(text);
    const char *only_null[] = {NULL};
    text = write_row(only_null, 1);
    assert_string_equal(text, "\r\n");
    free(text);
    const char *two_empty[] = {"", ""};
    text = write_row(two_empty, 2);
    assert_string_equal(text, ",\r\n");
    free(text);
}

static void test_integers(void **state) {
    (void)state;
    sink s;
    sink_open(&s);
    csv_row row = {.out = s.out};
    csv_int(&row, 0);
    csv_int(&row, 42);
    csv_int(&row, -1); /* unknown */
    csv_int(&row, 1234567890123);
    csv_int(&row, INT64_MAX);
    csv_int(&row, INT64_MIN); /* negative: unknown too */
    csv_int(&row, 7);
    csv_end(&row);
    sink_close(&s);
    assert_string_equal(s.text, "0,42,,1234567890123,9223372036854775807,,7\r\n");
    free(s.text);

    /* counts and texts in one row */
    sink_open(&s);
    row = (csv_row){.out = s.out};
    csv_text(&row, "sales");
    csv_int(&row, 3);
    csv_text(&row, "a,b");
    csv_int(&row, -5);
    csv_end(&row);
    sink_close(&s);
    assert_string_equal(s.text, "sales,3,\"a,b\",\r\n");
    free(s.text);
}

static void test_rows(void **state) {
    (void)state;
    /* csv_end ends a row with CRLF and the next row starts afresh: no
     * leading comma */
    sink s;
    sink_open(&s);
    csv_row row = {.out = s.out};
    csv_text(&row, "database");
    csv_text(&row, "table");
    csv_text(&row, "bytes");
    csv_end(&row);
    assert_int_equal(row.fields, 0);
    csv_text(&row, "sales");
    csv_text(&row, "orders, 2024");
    csv_int(&row, 2048);
    csv_end(&row);
    csv_text(&row, "music");
    csv_text(&row, "songs");
    csv_int(&row, -1);
    csv_end(&row);
    csv_end(&row); /* a row of no fields */
    sink_close(&s);
    assert_string_equal(s.text, "database,table,bytes\r\n"
                                "sales,\"orders, 2024\",2048\r\n"
                                "music,songs,\r\n"
                                "\r\n");
    const char *p = s.text;
    record r;
    read_record(&p, &r);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.fields[2], "bytes");
    read_record(&p, &r);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.fields[1], "orders, 2024");
    assert_string_equal(r.fields[2], "2048");
    read_record(&p, &r);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.fields[2], "");
    read_record(&p, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.fields[0], "");
    assert_string_equal(p, "");
    free(s.text);
}

static void test_round_trip(void **state) {
    (void)state;
    const char *tricky[] = {"plain",       "a,b",     "\"quoted\"", "multi\nline", "cr\rlf\r\n",
                            " spaced ",    "",        NULL,         "\"",          ",\",\"",
                            "end quote\"", "\"start", "a\"\"b"};
    assert_round_trip(tricky, sizeof tricky / sizeof tricky[0]);
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++)
        assert_round_trip(&tricky[i], 1); /* each alone, as a whole row */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),       cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_spaces_kept), cmocka_unit_test(test_empty_and_unknown),
        cmocka_unit_test(test_integers),    cmocka_unit_test(test_rows),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
