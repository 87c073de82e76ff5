/* test_schema.c: column diffs (added, removed, retyped, reordered, case,
 * nothing) and the newest change in a list of table versions (unsorted ids,
 * later versions with the same columns, no change at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/schema.h"
#include "common/xalloc.h"

/* "name:type,name:type" -> columns (malloc'd strings, as the snapshot's) */
static table_column *cols(const char *spec, size_t *n) {
    table_column *out = calloc(16, sizeof *out);
    *n = 0;
    char *copy = xstrdup(spec), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        *colon = '\0';
        out[*n].name = xstrdup(item);
        out[*n].type = xstrdup(colon + 1);
        (*n)++;
    }
    free(copy);
    return out;
}

static void free_cols(table_column *c, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].type);
    }
    free(c);
}

/* The diff rendered as "+name:type -name:type ~name:from>to =" for checking. */
static void render(const schema_change *c, size_t n, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        switch (c[i].kind) {
        case SCHEMA_ADDED:
            len += (size_t)snprintf(buf + len, size - len, "+%s:%s ", c[i].column, c[i].to);
            break;
        case SCHEMA_REMOVED:
            len += (size_t)snprintf(buf + len, size - len, "-%s:%s ", c[i].column, c[i].from);
            break;
        case SCHEMA_RETYPED:
            len += (size_t)snprintf(buf + len, size - len, "~%s:%s>%s ", c[i].column, c[i].from,
                                    c[i].to);
            break;
        case SCHEMA_REORDERED: len += (size_t)snprintf(buf + len, size - len, "= "); break;
        }
    }
}

static void check_diff(const char *before, const char *after, const char *want) {
    size_t nb, na;
    table_column *b = cols(before, &nb), *a = cols(after, &na);
    schema_change *c;
    size_t n = schema_diff(b, nb, a, na, &c);
    char got[512];
    render(c, n, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("%s -> %s: got \"%s\", want \"%s\"", before, after, got, want);
    snapshot_free_schema_changes(c, n);
    free_cols(b, nb);
    free_cols(a, na);
}

static void test_diff(void **state) {
    (void)state;
    check_diff("id:bigint,name:string", "id:bigint,name:string", "");
    check_diff("id:bigint", "id:bigint,email:string", "+email:string ");
    check_diff("id:bigint,fax:string", "id:bigint", "-fax:string ");
    check_diff("id:int,name:string", "id:bigint,name:string", "~id:int>bigint ");
    /* a rename is one removed and one added */
    check_diff("id:bigint,zip:string", "id:bigint,postcode:string",
               "-zip:string +postcode:string ");
    /* Glue and Hive names and types do not care about case */
    check_diff("ID:BIGINT,Name:String", "id:bigint,name:string", "");
    check_diff("a:int,b:int,c:int", "c:int,a:int,b:int", "= ");
    /* a reorder beside a real change is not reported on its own */
    check_diff("a:int,b:int", "b:int,a:int,c:int", "+c:int ");
    check_diff("a:int,phone:string,d:string", "a:bigint,d:date,state:string",
               "~a:int>bigint -phone:string ~d:string>date +state:string ");
    check_diff("", "a:int", "+a:int ");
}

static void test_summary(void **state) {
    (void)state;
    size_t nb, na;
    table_column *b = cols("a:int,phone:string,d:string", &nb);
    table_column *a = cols("a:bigint,d:string,s:string,t:string", &na);
    schema_change *c;
    size_t n = schema_diff(b, nb, a, na, &c);
    char buf[64];
    assert_string_equal(schema_summary(c, n, buf, sizeof buf), "+2 -1 ~1 columns");
    snapshot_free_schema_changes(c, n);
    free_cols(a, na);
    a = cols("phone:string,a:int,d:string", &na);
    n = schema_diff(b, nb, a, na, &c);
    assert_string_equal(schema_summary(c, n, buf, sizeof buf), "columns reordered");
    snapshot_free_schema_changes(c, n);
    free_cols(a, na);
    free_cols(b, nb);
}

static schema_version version(int64_t id, int64_t time, const char *spec) {
    schema_version v = {.id = id, .time = time};
    v.columns = cols(spec, &v.n_columns);
    return v;
}

static void test_versions(void **state) {
    (void)state;
    /* unsorted; the change is at version 2; version 3 kept the columns */
    schema_version *v = calloc(4, sizeof *v);
    v[0] = version(3, 3000, "id:bigint,name:string");
    v[1] = version(1, 1000, "id:int");
    v[2] = version(2, 2000, "id:bigint,name:string");
    v[3] = version(0, 500, "id:int");
    table_stats t = {.schema_changed_at = -1};
    schema_apply_versions(&t, v, 4);
    assert_int_equal(t.schema_changed_at, 2000);
    char got[256];
    render(t.schema_changes, t.n_schema_changes, got, sizeof got);
    assert_string_equal(got, "~id:int>bigint +name:string ");
    /* a copy says the same, on strings of its own */
    schema_change *copy = schema_changes_copy(t.schema_changes, t.n_schema_changes);
    char again[256];
    render(copy, t.n_schema_changes, again, sizeof again);
    assert_string_equal(again, got);
    assert_ptr_not_equal(copy[0].column, t.schema_changes[0].column);
    snapshot_free_schema_changes(copy, t.n_schema_changes);
    assert_null(schema_changes_copy(NULL, 0));
    schema_versions_free(v, 4);
    snapshot_free_schema_changes(t.schema_changes, t.n_schema_changes);

    /* never changed: the first version's time, no changes */
    v = calloc(2, sizeof *v);
    v[0] = version(7, 7000, "id:int");
    v[1] = version(4, 4000, "id:int");
    t = (table_stats){.schema_changed_at = -1};
    schema_apply_versions(&t, v, 2);
    assert_int_equal(t.schema_changed_at, 4000);
    assert_int_equal(t.n_schema_changes, 0);
    assert_null(t.schema_changes);
    schema_versions_free(v, 2);

    /* no versions: nothing is set */
    t = (table_stats){.schema_changed_at = -1};
    schema_apply_versions(&t, NULL, 0);
    assert_int_equal(t.schema_changed_at, -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
