/* test_queries.c: counting executions per table: names that are prefixes of
 * others (sales / sales_archive, orders / orders_old) land on the right
 * table, a table the lake lacks counts nowhere, old executions stop the
 * count, unparsed SQL is counted apart; the bytes Athena bills, split
 * evenly over a query's tables, summed for the account (issue 14). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/queries.h"
#include "common/xalloc.h"

#define NOW 1800000000

static const char *const names[][2] = {
    {"sales_archive", "orders"}, {"sales", "orders_old"}, {"sales", "orders"},
    {"sales", "order"},          {"web", "orders"},       {"a", "b"},
};
#define N_TABLES (sizeof names / sizeof names[0])

static lake_snapshot *lake(void) {
    lake_snapshot *s = snapshot_new("test");
    s->tables = xcalloc(N_TABLES, sizeof *s->tables);
    for (size_t i = 0; i < N_TABLES; i++) {
        s->tables[i].database = xstrdup(names[i][0]);
        s->tables[i].name = xstrdup(names[i][1]);
        s->tables[i].queries_30d = -1;
    }
    s->n_tables = N_TABLES;
    return s;
}

static int64_t count(const lake_snapshot *s, const char *database, const char *table) {
    for (size_t i = 0; i < s->n_tables; i++)
        if (strcmp(s->tables[i].database, database) == 0 && strcmp(s->tables[i].name, table) == 0)
            return s->tables[i].queries_30d;
    fail_msg("no table %s.%s", database, table);
    return -2;
}

static bool add(query_tally *q, const char *sql, const char *database, int64_t age_days) {
    char *text = xasprintf("{\"Query\": \"%s\", \"QueryExecutionContext\": {\"Database\": "
                           "\"%s\"}, \"Status\": {\"SubmissionDateTime\": %lld}}",
                           sql, database, (long long)(NOW - age_days * 86400));
    json_object *o = json_tokener_parse(text);
    assert_non_null(o);
    bool in_window = queries_add(q, o);
    json_object_put(o);
    free(text);
    return in_window;
}

static void test_lookup(void **state) {
    (void)state;
    lake_snapshot *s = lake();
    query_tally q;
    queries_begin(&q, s, NOW);
    assert_true(add(&q, "SELECT * FROM orders", "sales", 1));
    assert_true(add(&q, "SELECT * FROM sales.orders o JOIN sales.orders_old x ON true", "web", 2));
    assert_true(add(&q, "SELECT * FROM sales_archive.orders", "sales", 3));
    assert_true(add(&q, "SELECT * FROM orders", "web", 4));
    assert_true(add(&q, "SELECT * FROM sales.ord", "sales", 5)); /* no such table */
    assert_true(add(&q, "SELECT * FROM nosuch.orders", "sales", 5));
    assert_true(add(&q, "SELECT * FROM a.b, sales.\\\"order\\\"", "sales", 6));
    assert_true(add(&q, "SELECT * FROM b WHERE x = 'unclosed", "a", 7)); /* unparsed */
    assert_false(add(&q, "SELECT * FROM orders", "sales", 31));          /* too old */
    queries_end(&q);
    assert_int_equal(count(s, "sales", "orders"), 2);
    assert_int_equal(count(s, "sales", "orders_old"), 1);
    assert_int_equal(count(s, "sales_archive", "orders"), 1);
    assert_int_equal(count(s, "web", "orders"), 1);
    assert_int_equal(count(s, "sales", "order"), 1);
    assert_int_equal(count(s, "a", "b"), 1);
    assert_int_equal(s->queries_unparsed, 1);
    assert_true(s->has_queries);
    snapshot_release(s);
}

static void test_no_tables(void **state) {
    (void)state;
    lake_snapshot *s = snapshot_new("empty");
    query_tally q;
    queries_begin(&q, s, NOW);
    assert_true(add(&q, "SELECT * FROM orders", "sales", 1));
    queries_end(&q);
    assert_int_equal(s->queries_unparsed, 0);
    snapshot_release(s);
}

/* An execution with a state and what it scanned (-1: no Statistics). */
static void add_billed(query_tally *q, const char *sql, const char *state, long long scanned) {
    char *statistics = scanned >= 0
                           ? xasprintf(", \"Statistics\": {\"DataScannedInBytes\": %lld}", scanned)
                           : xstrdup("");
    char *text = xasprintf("{\"Query\": \"%s\", \"QueryExecutionContext\": {\"Database\": "
                           "\"sales\"}, \"Status\": {\"State\": \"%s\", "
                           "\"SubmissionDateTime\": %lld}%s}",
                           sql, state, (long long)(NOW - 86400), statistics);
    json_object *o = json_tokener_parse(text);
    assert_non_null(o);
    assert_true(queries_add(q, o));
    json_object_put(o);
    free(text);
    free(statistics);
}

static double billed(const lake_snapshot *s, const char *database, const char *table) {
    for (size_t i = 0; i < s->n_tables; i++)
        if (strcmp(s->tables[i].database, database) == 0 && strcmp(s->tables[i].name, table) == 0)
            return s->tables[i].query_billed_bytes_30d;
    fail_msg("no table %s.%s", database, table);
    return -2;
}

/* The bytes Athena bills (cost.h), split evenly over the tables a query
 * reads; the account's sum has them all, the unknown counted apart. */
static void test_billed_bytes(void **state) {
    (void)state;
    const double mib = 1048576;
    lake_snapshot *s = lake();
    query_tally q;
    queries_begin(&q, s, NOW);
    /* 30 MiB over sales.orders and a.b: 15 each */
    add_billed(&q, "SELECT * FROM orders, a.b", "SUCCEEDED", 30 * 1048576LL);
    add_billed(&q, "SELECT * FROM orders", "FAILED", 99 * 1048576LL);      /* free */
    add_billed(&q, "SELECT * FROM orders", "CANCELLED", 1);                /* 10 MiB */
    add_billed(&q, "SELECT * FROM orders", "SUCCEEDED", -1);               /* unknown */
    add_billed(&q, "SELECT * FROM nosuch.t", "SUCCEEDED", 20 * 1048576LL); /* the bill only */
    add_billed(&q, "SELECT * FROM (SELECT", "SUCCEEDED", 0);               /* unparsed: 10 MiB */
    queries_end(&q);
    assert_true(billed(s, "sales", "orders") == 25 * mib);
    assert_true(billed(s, "a", "b") == 15 * mib);
    assert_true(billed(s, "web", "orders") == 0);
    assert_true(s->queries_billed_bytes_30d == (30 + 10 + 20 + 10) * mib);
    assert_int_equal(s->queries_cost_unknown, 1);
    assert_int_equal(count(s, "sales", "orders"), 4);
    snapshot_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_no_tables),
        cmocka_unit_test(test_billed_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
