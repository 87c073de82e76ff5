/* test_sql_refs.c: table references from a corpus of real-looking Athena
 * queries: joins, comma lists, CTEs, subqueries, quoted and qualified
 * names, the default database, comments and string literals that look like
 * tables, functions that take FROM, and text that does not parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/sql_refs.h"

static const struct {
    const char *sql, *db, *want; /* want: names joined by spaces; NULL: does not parse */
} corpus[] = {
    {"SELECT * FROM orders", "sales", "sales.orders"},
    {"select count(*) from Sales.Orders o where o.id > 3", NULL, "sales.orders"},
    {"SELECT * FROM \"sales\".\"Order Lines\" AS l", "x", "sales.order lines"},
    {"SELECT * FROM `music`.`songs`", NULL, "music.songs"},
    {"SELECT * FROM awsdatacatalog.weblogs.page_views", NULL, "weblogs.page_views"},
    {"SELECT a.x FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c.d USING (id)", "db",
     "db.a db.b c.d"},
    {"SELECT * FROM a, b x, c AS y WHERE a.k = x.k", "db", "db.a db.b db.c"},
    {"WITH recent AS (SELECT * FROM events WHERE dt > '2026-01-01'), top(n) AS (SELECT n FROM "
     "recent) SELECT * FROM top JOIN users u ON true",
     "app", "app.events app.users"},
    {"SELECT * FROM (SELECT id FROM raw.clicks) t JOIN (SELECT id FROM raw.views) v USING (id)",
     NULL, "raw.clicks raw.views"},
    {"SELECT 'FROM fake_table' AS s, x FROM real -- FROM commented\n/* JOIN hidden */", "d",
     "d.real"},
    {"SELECT extract(year FROM ts), substring(s FROM 2 FOR 3), trim(BOTH 'x' FROM s) FROM t", "d",
     "d.t"},
    {"SELECT * FROM t WHERE a IS DISTINCT FROM b", "d", "d.t"},
    {"SELECT * FROM orders CROSS JOIN UNNEST(items) AS i(item)", "sales", "sales.orders"},
    {"SELECT * FROM TABLE(sequence(1, 3))", "d", ""},
    {"SELECT 1", "d", ""},
    {"SELECT * FROM orders", NULL, ""}, /* unqualified and no default: left out */
    {"SELECT * FROM a UNION ALL SELECT * FROM a", "d", "d.a"},
    {"SELECT * FROM \"we\"\"ird\"", "d", "d.we\"ird"},
    {"SELECT 'it''s' FROM t", "d", "d.t"},
    {"SELECT * FROM t WHERE s = 'unclosed", "d", NULL},
    {"SELECT * FROM (SELECT 1", "d", NULL},
    {"SELECT * FROM t /* unclosed", "d", NULL},
    {"SELECT * FROM \"unclosed", "d", NULL},
};

static void test_corpus(void **state) {
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        sql_refs r;
        bool ok = sql_refs_extract(corpus[i].sql, corpus[i].db, &r);
        char got[1024] = "";
        for (size_t k = 0; k < r.n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", r.names[k]);
        bool good = corpus[i].want ? ok && strcmp(got, corpus[i].want) == 0 : !ok && r.n == 0;
        if (!good) {
            print_error("query %zu: %s\n  got %s [%s], want %s\n", i, corpus[i].sql,
                        ok ? "ok" : "unparsed", got, corpus[i].want ? corpus[i].want : "unparsed");
            failures++;
        }
        sql_refs_free(&r);
    }
    assert_int_equal(failures, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
    return cmocka_run_group_tests_name("sql_refs", tests, NULL, NULL);
}
