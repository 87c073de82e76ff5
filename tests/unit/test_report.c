/* test_report.c: batch output: CSV quoting (RFC 4180), JSON that parses
 * back with the documented fields and nulls, format names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "common/csv.h"
#include "collector/derive.h"
#include "collector/figures/insights.h"
#include "common/xalloc.h"

static char *capture(void (*fn)(FILE *, const void *), const void *arg) {
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    fn(fp, arg);
    fclose(fp);
    return buf;
}

static void csv_one(FILE *fp, const void *arg) {
    csv_row row = {.out = fp};
    csv_text(&row, arg);
}

/* a row: commas between fields, empty ones for NULL and unknown counts, CRLF */
static void csv_two_rows(FILE *fp, const void *arg) {
    (void)arg;
    csv_row row = {.out = fp};
    csv_text(&row, "a,b");
    csv_text(&row, NULL);
    csv_int(&row, 42);
    csv_int(&row, -1);
    csv_text(&row, "z");
    csv_end(&row);
    csv_text(&row, "next");
    csv_end(&row);
}

static void test_csv_field(void **state) {
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = capture(csv_one, cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    char *got = capture(csv_two_rows, NULL);
    assert_string_equal(got, "\"a,b\",,42,,z\r\nnext\r\n");
    free(got);
}

static lake_snapshot *make_snapshot(void) {
    lake_snapshot *s = snapshot_new("local:/lake");
    s->insights = insights_default_settings();
    s->generated_at = 1763683200; /* 2025-11-21 */
    s->n_databases = 1;
    s->databases = xcalloc(1, sizeof *s->databases);
    s->databases[0].name = xstrdup("sa\"les");
    s->n_tables = 2;
    s->tables = xcalloc(2, sizeof *s->tables);
    for (size_t i = 0; i < 2; i++) {
        table_stats *t = &s->tables[i];
        t->database = xstrdup("sa\"les");
        t->name = xstrdup(i ? "b,ügly" : "a");
        t->location = xstrdup("storing/x/");
        t->format = xstrdup("parquet");
        t->table_type = xstrdup("");
        t->create_time = t->update_time = -1;
        t->objects = i ? -1 : 3;
        t->bytes = i ? -1 : 300;
        t->newest_object = i ? -1 : 1763683200 - 3600;
        t->partitions = 0;
        t->stale_warn_seconds = 86400;
        t->stale_crit_seconds = 2 * 86400;
        if (i)
            t->error = xstrdup("cannot read, really");
        t->n_history = 1;
        t->history = xcalloc(1, sizeof *t->history);
        t->history[0] = (history_sample){.day = 20413, .bytes = 300, .objects = 3};
    }
    derive_snapshot(s);
    return s;
}

static void write_json(FILE *fp, const void *arg) {
    assert_true(report_write(fp, arg, REPORT_JSON));
}

static void write_csv(FILE *fp, const void *arg) {
    assert_true(report_write(fp, arg, REPORT_CSV));
}

static void test_json(void **state) {
    (void)state;
    lake_snapshot *s = make_snapshot();
    char *text = capture(write_json, s);
    json_object *doc = json_tokener_parse(text);
    assert_non_null(doc);
    json_object *v, *tables, *t0, *t1;
    assert_true(json_object_object_get_ex(doc, "generated_at", &v));
    assert_string_equal(json_object_get_string(v), "2025-11-21T00:00:00Z");
    assert_true(json_object_object_get_ex(doc, "tables", &tables));
    assert_int_equal(json_object_array_length(tables), 2);
    t0 = json_object_array_get_idx(tables, 0);
    t1 = json_object_array_get_idx(tables, 1);
    assert_true(json_object_object_get_ex(t0, "staleness_seconds", &v));
    assert_int_equal(json_object_get_int64(v), 3600);
    assert_true(json_object_object_get_ex(t0, "newest_object", &v));
    assert_string_equal(json_object_get_string(v), "2025-11-20T23:00:00Z");
    assert_true(json_object_object_get_ex(t0, "history", &v));
    assert_int_equal(json_object_array_length(v), 1);
    /* unknown values are null, names survive escaping */
    assert_true(json_object_object_get_ex(t1, "bytes", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(t1, "newest_object", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(t1, "name", &v));
    assert_string_equal(json_object_get_string(v), "b,ügly");
    assert_true(json_object_object_get_ex(t1, "database", &v));
    assert_string_equal(json_object_get_string(v), "sa\"les");
    json_object_put(doc);
    free(text);
    text = capture(write_csv, s);
    assert_non_null(strstr(text, "\"sa\"\"les\",a,"));
    assert_non_null(strstr(text, "\"b,ügly\""));
    assert_non_null(strstr(text, "\"cannot read, really\"\r\n"));
    free(text);
    snapshot_release(s);
}

static void test_format_names(void **state) {
    (void)state;
    report_format f;
    assert_true(report_parse_format("json", &f) && f == REPORT_JSON);
    assert_true(report_parse_format("csv", &f) && f == REPORT_CSV);
    assert_true(report_parse_format("table", &f) && f == REPORT_TABLE);
    assert_false(report_parse_format("xml", &f));
    assert_false(report_parse_format("", &f));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
