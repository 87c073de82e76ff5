/* test_history.c: recording, growth, windows, escaping, atomic save and a
 * tolerant load that never trusts a file that is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/figures/history.h"
#include "common/fs.h"
#include "common/xalloc.h"

static char *tmpdir(void) {
    char tmpl[] = "/tmp/laketop-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return xstrdup(dir);
}

static history_sample sample(int32_t day, int64_t bytes) {
    return (history_sample){
        .day = day, .bytes = bytes, .objects = bytes / 10, .newest_object = day * 86400LL};
}

static void test_record_order(void **state) {
    (void)state;
    history_store *s = history_store_new();
    history_sample a = sample(10, 100), b = sample(12, 300), c = sample(11, 200),
                   d = sample(12, 350);
    history_store_record(s, "db", "t", &a);
    history_store_record(s, "db", "t", &b);
    history_store_record(s, "db", "t", &c); /* out of order: inserted */
    history_store_record(s, "db", "t", &d); /* same day: replaced */
    size_t n;
    const history_sample *h = history_store_series(s, "db", "t", &n);
    assert_int_equal(n, 3);
    assert_int_equal(h[0].day, 10);
    assert_int_equal(h[1].bytes, 200);
    assert_int_equal(h[2].bytes, 350);
    assert_null(history_store_series(s, "db", "other", &n));
    assert_int_equal(n, 0);
    history_store_prune(s, 11);
    h = history_store_series(s, "db", "t", &n);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].day, 11);
    history_store_free(s);
}

static void test_many_tables(void **state) {
    (void)state;
    history_store *s = history_store_new();
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "t%d", i);
        history_sample x = sample(1, i);
        history_store_record(s, "db", name, &x);
    }
    assert_int_equal(history_store_tables(s), 5000);
    for (int i = 0; i < 5000; i += 97) {
        snprintf(name, sizeof name, "t%d", i);
        size_t n;
        const history_sample *h = history_store_series(s, "db", name, &n);
        assert_int_equal(n, 1);
        assert_int_equal(h[0].bytes, i);
    }
    /* "a"+"bc" and "ab"+"c" are different tables */
    history_sample x = sample(1, 1), y = sample(1, 2);
    history_store_record(s, "a", "bc", &x);
    history_store_record(s, "ab", "c", &y);
    size_t n;
    assert_int_equal(history_store_series(s, "a", "bc", &n)[0].bytes, 1);
    assert_int_equal(history_store_series(s, "ab", "c", &n)[0].bytes, 2);
    history_store_free(s);
}

static void test_growth(void **state) {
    (void)state;
    history_sample h[40];
    for (int i = 0; i < 40; i++)
        h[i] = sample(100 + i, 1000 + 10 * i);
    int64_t delta;
    assert_true(history_growth(h, 40, 7, &delta));
    assert_int_equal(delta, 70);
    assert_true(history_growth(h, 40, 30, &delta));
    assert_int_equal(delta, 300);
    assert_false(history_growth(h, 5, 7, &delta));
    assert_false(history_growth(h, 1, 1, &delta));
    /* a gap: the newest sample at least 7 days older is used */
    history_sample gap[3] = {sample(1, 10), sample(5, 50), sample(20, 200)};
    assert_true(history_growth(gap, 3, 7, &delta));
    assert_int_equal(delta, 150);
}

static void test_window(void **state) {
    (void)state;
    history_sample h[3] = {sample(10, 5), sample(12, 7), sample(13, 9)};
    double out[6];
    history_window(h, 3, 14, 6, out);
    /* days 9..14 */
    assert_true(out[0] < 0);
    assert_true(out[1] == 5 && out[2] == 5 && out[3] == 7 && out[4] == 9 && out[5] == 9);
}

static void test_escape(void **state) {
    (void)state;
    char *e = history_escape("a\tb%c\nd");
    assert_string_equal(e, "a%09b%25c%0Ad");
    assert_true(history_unescape(e));
    assert_string_equal(e, "a\tb%c\nd");
    free(e);
    char bad[] = "x%zz";
    assert_false(history_unescape(bad));
    char cut[] = "x%4";
    assert_false(history_unescape(cut));
}

static void test_save_load(void **state) {
    (void)state;
    char *dir = tmpdir();
    char *path = xasprintf("%s/sub/dir/history.tsv", dir);
    history_store *s = history_store_new();
    history_sample a = sample(20000, 123456789012LL), b = sample(20001, 5);
    b.newest_object = -1;
    history_store_record(s, "sales", "orders", &a);
    history_store_record(s, "we\tird", "na%me", &b);
    char *error = NULL;
    assert_true(history_store_save(s, path, &error));
    history_store_free(s);

    history_store *t = history_store_new();
    size_t bad, first;
    assert_true(history_store_load(t, path, &bad, &first, &error));
    assert_int_equal(bad, 0);
    size_t n;
    const history_sample *h = history_store_series(t, "sales", "orders", &n);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].bytes, 123456789012LL);
    assert_int_equal(h[0].newest_object, 20000 * 86400LL);
    h = history_store_series(t, "we\tird", "na%me", &n);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].newest_object, -1);
    history_store_free(t);
    /* no temp file left behind */
    char *cmd = xasprintf("test $(ls -a %s/sub/dir | wc -l) -eq 3", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);

    /* bad lines are skipped and counted, with the first one's number */
    FILE *fp = fopen(path, "a");
    fputs("garbage\n2026-01-01\tdb\tt\t-5\t1\t-\n2026-01-01\tdb\tt\t10\t1\t-\n", fp);
    fclose(fp);
    t = history_store_new();
    assert_true(history_store_load(t, path, &bad, &first, &error));
    assert_int_equal(bad, 2);
    assert_int_equal(first, 4);
    assert_int_equal(history_store_tables(t), 3);
    history_store_free(t);

    /* a file that is not ours is refused, not overwritten by callers */
    fp = fopen(path, "w");
    fputs("something else\n", fp);
    fclose(fp);
    t = history_store_new();
    assert_false(history_store_load(t, path, &bad, &first, &error));
    assert_non_null(strstr(error, "not a laketop history"));
    free(error);
    error = NULL;
    /* a missing file is an empty history */
    char *missing = xasprintf("%s/none.tsv", dir);
    assert_true(history_store_load(t, missing, &bad, &first, &error));
    assert_int_equal(history_store_samples(t), 0);
    history_store_free(t);
    /* saving into a place that cannot be written fails cleanly */
    history_store *u = history_store_new();
    assert_false(history_store_save(u, "/proc/laketop/history.tsv", &error));
    assert_non_null(error);
    free(error);
    history_store_free(u);
    free(missing);
    cmd = xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(path);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_order), cmocka_unit_test(test_many_tables),
        cmocka_unit_test(test_growth),       cmocka_unit_test(test_window),
        cmocka_unit_test(test_escape),       cmocka_unit_test(test_save_load),
    };
    return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
