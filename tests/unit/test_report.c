/* test_report.c: batch output: CSV quoting (RFC 4180), JSON that parses
 * back with the documented fields and nulls, the text table with names that
 * hold terminal controls escaped, format names. */
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

/* noinline: inlined, GCC 12 takes the text open_memstream gives back for
 * a pointer to `buf` (-Wdangling-pointer, a false alarm) */
__attribute__((noinline)) static char *capture(void (*fn)(FILE *, const void *), const void *arg) {
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

/* "identity": null for the local lake; for an account its four members,
 * each null when unknown (GetCallerIdentity failed) */
static void test_json_identity(void **state) {
    (void)state;
    lake_snapshot *s = make_snapshot();
    char *text = capture(write_json, s);
    json_object *doc = json_tokener_parse(text), *v, *id;
    assert_true(json_object_object_get_ex(doc, "identity", &v));
    assert_null(v);
    json_object_put(doc);
    free(text);
    s->identity = xcalloc(1, sizeof *s->identity);
    s->identity->account = xstrdup("123456789012");
    s->identity->arn = xstrdup("arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-1");
    s->identity->name = xstrdup("ops-readonly");
    s->identity->profile = xstrdup("ops");
    s->identity->credentials = xstrdup("assume-role");
    text = capture(write_json, s);
    doc = json_tokener_parse(text);
    assert_true(json_object_object_get_ex(doc, "identity", &id));
    assert_true(json_object_object_get_ex(id, "account", &v));
    assert_string_equal(json_object_get_string(v), "123456789012");
    assert_true(json_object_object_get_ex(id, "arn", &v));
    assert_string_equal(json_object_get_string(v),
                        "arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-1");
    assert_true(json_object_object_get_ex(id, "profile", &v));
    assert_string_equal(json_object_get_string(v), "ops");
    assert_true(json_object_object_get_ex(id, "credentials", &v));
    assert_string_equal(json_object_get_string(v), "assume-role");
    json_object_put(doc);
    free(text);
    free(s->identity->account);
    free(s->identity->arn);
    s->identity->account = s->identity->arn = NULL;
    text = capture(write_json, s);
    doc = json_tokener_parse(text);
    assert_true(json_object_object_get_ex(doc, "identity", &id));
    assert_true(json_object_object_get_ex(id, "account", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(id, "arn", &v));
    assert_null(v);
    assert_true(json_object_object_get_ex(id, "profile", &v));
    assert_string_equal(json_object_get_string(v), "ops");
    json_object_put(doc);
    free(text);
    snapshot_release(s);
}

static void write_table(FILE *fp, const void *arg) {
    assert_true(report_write(fp, arg, REPORT_TABLE));
}

/* names and messages from the lake reach a terminal: an OSC 52 (the
 * clipboard), a BEL, a newline, a C1 CSI and a bidi override are escaped */
#define HOSTILE_NAME                             \
    "x\x1b]52;c;SGVsbG8=\x07\nfake line\xc2\x9b" \
    "2J\xe2\x80\xaegnp.exe"
#define HOSTILE_SAFE "x\\x1b]52;c;SGVsbG8=\\x07\\nfake line\\u009b2J\\u202egnp.exe"

static void test_table_escapes_names(void **state) {
    (void)state;
    lake_snapshot *s = make_snapshot();
    free(s->tables[0].name);
    s->tables[0].name = xstrdup(HOSTILE_NAME);
    free(s->tables[0].database);
    s->tables[0].database = xstrdup("db\x1b[2J");
    free(s->tables[1].error);
    s->tables[1].error = xstrdup("denied\r\x1b]0;title\x07");
    char *text = capture(write_table, s);
    assert_null(strchr(text, '\x1b'));
    assert_null(strchr(text, '\x07'));
    assert_null(strchr(text, '\r'));
    assert_null(strstr(text, "\xc2\x9b"));
    assert_null(strstr(text, "\xe2\x80\xae"));
    assert_null(strstr(text, "\nfake line"));
    assert_non_null(strstr(text, HOSTILE_SAFE));
    assert_non_null(strstr(text, "db\\x1b[2J"));
    assert_non_null(strstr(text, "! denied\\r\\x1b]0;title\\x07\n"));
    assert_non_null(strstr(text, "b,ügly")); /* valid UTF-8 as it is */
    /* the header, two rows, a blank line and the totals: no line added */
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 5);
    free(text);
    /* CSV keeps the bytes (quoted: the name holds a newline); JSON escapes */
    text = capture(write_csv, s);
    assert_non_null(strstr(text, "\"" HOSTILE_NAME "\""));
    free(text);
    text = capture(write_json, s);
    assert_null(strchr(text, '\x1b'));
    json_object *doc = json_tokener_parse(text), *tables, *v;
    assert_non_null(doc);
    assert_true(json_object_object_get_ex(doc, "tables", &tables));
    assert_true(json_object_object_get_ex(json_object_array_get_idx(tables, 0), "name", &v));
    assert_string_equal(json_object_get_string(v), HOSTILE_NAME);
    json_object_put(doc);
    free(text);
    snapshot_release(s);
}

/* A database that could not be read, with no tables: its counts are
 * unknown (null, '?'), not 0; one that was read keeps its numbers. */
static void test_unread_database(void **state) {
    (void)state;
    lake_snapshot *s = make_snapshot();
    s->databases = xrealloc(s->databases, 2 * sizeof *s->databases);
    memset(&s->databases[1], 0, sizeof s->databases[1]);
    s->databases[1].name = xstrdup("zcensus");
    s->databases[1].error = xstrdup("Glue GetTables: InternalServiceException");
    s->n_databases = 2;
    free(s->databases[0].history); /* derived again below */
    s->databases[0].history = NULL;
    s->databases[0].n_history = 0;
    derive_snapshot(s);
    char *text = capture(write_json, s);
    json_object *doc = json_tokener_parse(text);
    assert_non_null(doc);
    json_object *dbs, *v;
    assert_true(json_object_object_get_ex(doc, "databases", &dbs));
    assert_int_equal(json_object_array_length(dbs), 2);
    json_object *read = json_object_array_get_idx(dbs, 0),
                *unread = json_object_array_get_idx(dbs, 1);
    const char *keys[] = {"tables", "bytes", "objects", "stale_tables", "error_tables"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        assert_true(json_object_object_get_ex(unread, keys[i], &v));
        if (v)
            fail_msg("unread database: %s is %s, not null", keys[i], json_object_get_string(v));
        assert_true(json_object_object_get_ex(read, keys[i], &v));
        assert_non_null(v);
    }
    assert_true(json_object_object_get_ex(read, "tables", &v));
    assert_int_equal(json_object_get_int64(v), 2);
    json_object_put(doc);
    free(text);
    s->tables[1].partitions = -1; /* unknown: "-" in PARTS, not 0 */
    text = capture(write_table, s);
    assert_non_null(strstr(text, "b,ügly"));
    char *row = xstrdup(strstr(text, "b,ügly")), *save = NULL;
    const char *field = strtok_r(row, " ", &save);
    for (int i = 0; i < 5 && field; i++) /* name, size, files, age, stale, then parts */
        field = strtok_r(NULL, " ", &save);
    assert_non_null(field);
    assert_string_equal(field, "-");
    free(row);
    assert_non_null(strstr(text, "\n2 databases (1 could not be read: their tables unknown), ? "
                                 "tables, ? in ? files, ? stale, ? with errors\n"));
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
        cmocka_unit_test(test_csv_field),           cmocka_unit_test(test_json),
        cmocka_unit_test(test_table_escapes_names), cmocka_unit_test(test_unread_database),
        cmocka_unit_test(test_format_names),        cmocka_unit_test(test_json_identity),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
