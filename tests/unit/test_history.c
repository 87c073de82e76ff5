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
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static char *tmpdir(void) {
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-test");
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
    history_refused r;
    assert_true(history_store_load(t, path, INT32_MAX, &r, &error));
    assert_int_equal(r.bad_lines, 0);
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
    assert_true(history_store_load(t, path, INT32_MAX, &r, &error));
    assert_int_equal(r.bad_lines, 2);
    assert_int_equal(r.first_bad_line, 4);
    assert_int_equal(history_store_tables(t), 3);
    history_store_free(t);

    /* a file that is not ours is refused, not overwritten by callers */
    fp = fopen(path, "w");
    fputs("something else\n", fp);
    fclose(fp);
    t = history_store_new();
    assert_false(history_store_load(t, path, INT32_MAX, &r, &error));
    assert_non_null(strstr(error, "not a laketop history"));
    free(error);
    error = NULL;
    /* a missing file is an empty history */
    char *missing = xasprintf("%s/none.tsv", dir);
    assert_true(history_store_load(t, missing, INT32_MAX, &r, &error));
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

static void write_file(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Samples dated after the last day allowed and lines that do not parse are
 * refused: counted (with their first line), reported, never in a series, so
 * no figure sees them; the next save keeps them, first, as they were. */
static void test_refused(void **state) {
    (void)state;
    char *dir = tmpdir();
    char *path = xasprintf("%s/history.tsv", dir);
    /* 2026-03-01 is day 20513; tomorrow 2026-03-02 is allowed, 2026-03-03 not */
    int32_t today;
    assert_true(fmt_parse_day("2026-03-01", &today));
    write_file(path, "# laketop history v1\n"
                     "2026-02-20\tdb\tt\t100\t1\t-\n"
                     "2026-02-27\tdb\tt\t200\t2\t-\n"
                     "2026-03-01\tdb\tt\t300\t3\t-\n"
                     "2026-03-02\tdb\tt\t310\t3\t-\n"    /* tomorrow: kept */
                     "2031-01-01\tdb\tt\t999999\t9\t-\n" /* the future: refused */
                     "2026-02-2x\tdb\tt\t5\t1\t-\n"      /* does not parse */
                     "2026-03-10\tdb\tother\t7\t1\t-\n"  /* the future too */
                     "2026-02-21\tdb\tt\tlots\t1\t-\n"); /* does not parse */
    history_store *s = history_store_new();
    history_refused r;
    char *error = NULL;
    assert_true(history_store_load(s, path, today + 1, &r, &error));
    assert_int_equal(r.bad_lines, 2);
    assert_int_equal(r.first_bad_line, 7);
    assert_int_equal(r.future_samples, 2);
    assert_int_equal(r.first_future_line, 6);
    assert_int_equal(history_store_refused_lines(s), 4);
    /* the series holds only what is trusted: the figures never see the rest */
    size_t n;
    const history_sample *h = history_store_series(s, "db", "t", &n);
    assert_int_equal(n, 4);
    assert_int_equal(h[n - 1].day, today + 1);
    assert_int_equal(h[n - 1].bytes, 310);
    assert_null(history_store_series(s, "db", "other", &n));
    int64_t delta = 0;
    assert_true(history_growth(h, 4, 7, &delta));
    assert_int_equal(delta, 310 - 100);
    double window[3];
    history_window(h, 4, today + 1, 3, window);
    assert_true(window[2] == 310 && window[1] == 300 && window[0] == 200);
    /* the message names the file, the first line, both counts and the day */
    char *msg = history_refused_message(path, &r);
    assert_non_null(msg);
    char *where = xasprintf("%s:7: 2 history line(s) did not parse", path);
    assert_non_null(strstr(msg, where));
    assert_non_null(strstr(msg, "2 sample(s) dated after 2026-03-02"));
    assert_non_null(strstr(msg, "line 6"));
    free(where);
    free(msg);
    history_refused only_future = {.future_samples = 1, .first_future_line = 3, .last_day = today};
    msg = history_refused_message("h.tsv", &only_future);
    assert_string_equal(msg, "h.tsv:3: 1 history sample(s) dated after 2026-03-01 were refused; "
                             "the figures leave them out");
    free(msg);
    history_refused none = {.last_day = today};
    assert_null(history_refused_message("h.tsv", &none));

    /* a save keeps the refused lines, first, byte for byte */
    history_sample later = sample(today + 1, 320);
    history_store_record(s, "db", "t", &later);
    assert_true(history_store_save(s, path, &error));
    history_store_free(s);
    char *text = fs_read_file(path, NULL, &error);
    assert_non_null(text);
    assert_non_null(strstr(text, "# laketop history v1\n2031-01-01\tdb\tt\t999999\t9\t-\n"
                                 "2026-02-2x\tdb\tt\t5\t1\t-\n"));
    assert_non_null(strstr(text, "2026-02-21\tdb\tt\tlots\t1\t-\n"));
    free(text);
    /* read again the same day: the same refusals, and the recorded sample */
    s = history_store_new();
    assert_true(history_store_load(s, path, today + 1, &r, &error));
    assert_int_equal(r.bad_lines, 2);
    assert_int_equal(r.future_samples, 2);
    h = history_store_series(s, "db", "t", &n);
    assert_int_equal(n, 4);
    assert_int_equal(h[n - 1].bytes, 320);
    history_store_free(s);
    /* once 2026-03-10 has come, its sample is read */
    int32_t march10;
    assert_true(fmt_parse_day("2026-03-10", &march10));
    s = history_store_new();
    assert_true(history_store_load(s, path, march10 + 1, &r, &error));
    assert_int_equal(r.future_samples, 1);
    assert_non_null(history_store_series(s, "db", "other", &n));
    assert_int_equal(n, 1);
    history_store_free(s);

    char *cmd = xasprintf("rm -rf %s", dir);
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
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
