/* test_demo.c: the demo lake (tools/demo.h) keeps its promises: file times
 * match their partitions and never pass `now`, the seeded history adds up
 * to the files on disk (markers, checksums and unfinished writes left out),
 * the benchmark tables hold exactly the files asked for, and a directory in
 * use is refused. Determinism over a whole lake is test_once.sh's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/config.h"
#include "collector/figures/history.h"
#include "common/fs.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tools/demo.h"
#include "tests/unit/unit_tmp.h"

#define NOW_TEXT "2026-11-20T12:00:00Z"
#define DAYS 5
#define BENCH_TABLES 3
#define BENCH_FILES 41

typedef struct lake {
    char dir[1024];
    int64_t now;
} lake;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* the progress callback's calls, in order */
static struct {
    int calls, last_done, last_total;
    bool in_order;
} progress = {.in_order = true};

static void count_progress(void *ctx, const char *database, const char *table, int done,
                           int total) {
    (void)database;
    (void)table;
    assert_ptr_equal(ctx, &progress);
    progress.calls++;
    progress.in_order = progress.in_order && done == progress.last_done + 1;
    progress.last_done = done;
    progress.last_total = total;
}

static int setup(void **state) {
    lake *l = calloc(1, sizeof *l);
    unit_tmp_template(l->dir, sizeof l->dir, "laketop-demo");
    if (!mkdtemp(l->dir) || !fmt_parse_iso8601(NOW_TEXT, &l->now))
        return -1;
    demo_options o = {.now = l->now,
                      .days = DAYS,
                      .extra_tables = BENCH_TABLES,
                      .extra_files = BENCH_FILES,
                      .progress = count_progress,
                      .progress_ctx = &progress};
    char *error = NULL;
    if (!demo_write(l->dir, &o, &error)) { /* into an empty directory */
        fprintf(stderr, "demo_write: %s\n", error);
        free(error);
        return -1;
    }
    *state = l;
    return 0;
}

static int teardown(void **state) {
    lake *l = *state;
    nftw(l->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(l);
    return 0;
}

/* ---- walking the lake (nftw passes no context, so it lives here) ---- */

static struct {
    int64_t now;
    size_t files;
    size_t today_files;
    size_t partitioned;
    size_t data_files;
    int64_t data_bytes;
    int64_t newest;
    char failure[512];
} walk;

static bool is_data_file(const char *path) {
    const char *name = strrchr(path, '/') + 1;
    size_t n = strlen(name);
    return name[0] != '_' && name[0] != '.' && !strstr(path, "/_temporary/") &&
           !(n > 8 && strcmp(name + n - 8, "$folder$") == 0);
}

static void walk_fail(const char *path, const char *why) {
    if (!walk.failure[0])
        snprintf(walk.failure, sizeof walk.failure, "%s: %s", path, why);
}

static int check_times(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    walk.files++;
    int64_t mtime = (int64_t)st->st_mtime;
    if (mtime > walk.now)
        walk_fail(path, "modified after the demo's now");
    char day[16];
    fmt_day((int32_t)(mtime / 86400), day, sizeof day);
    if (mtime / 86400 == walk.now / 86400) {
        walk.today_files++;
        if (mtime < walk.now - 2 * 3600)
            walk_fail(path, "today's file outside the last two hours");
    }
    const char *dt = strstr(path, "/dt=");
    if (dt) {
        walk.partitioned++;
        if (strncmp(dt + 4, day, 10) != 0)
            walk_fail(path, "modified on another day than its dt= partition");
    }
    const char *year = strstr(path, "/year=");
    if (year && !strstr(path, "/_temporary/")) {
        walk.partitioned++;
        char want[32];
        snprintf(want, sizeof want, "/year=%.4s/month=%.2s/", day, day + 5);
        if (strncmp(year, want, strlen(want)) != 0)
            walk_fail(path, "modified in another month than its year=/month= partition");
    }
    return 0;
}

static int count_data(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)ftw;
    if (flag != FTW_F || !is_data_file(path))
        return 0;
    walk.data_files++;
    walk.data_bytes += (int64_t)st->st_size;
    if ((int64_t)st->st_mtime > walk.newest)
        walk.newest = (int64_t)st->st_mtime;
    return 0;
}

static void count_table(const lake *l, const char *location) {
    memset(&walk, 0, sizeof walk);
    walk.newest = -1;
    char *dir = xasprintf("%s/%s", l->dir, location);
    assert_int_equal(nftw(dir, count_data, 16, FTW_PHYS), 0);
    free(dir);
}

static history_store *load_history(const lake *l) {
    history_store *h = history_store_new();
    char *path = xasprintf("%s/.laketop/history.tsv", l->dir);
    history_refused refused;
    char *error = NULL;
    assert_true(history_store_load(h, path, INT32_MAX, &refused, &error));
    assert_int_equal(refused.bad_lines, 0);
    free(path);
    return h;
}

static const history_sample *last_sample(const history_store *h, const char *database,
                                         const char *table, const lake *l) {
    size_t n = 0;
    const history_sample *s = history_store_series(h, database, table, &n);
    if (!s)
        fail_msg("no history for %s.%s", database, table);
    assert_int_equal(n, DAYS); /* one sample a day */
    assert_int_equal(s[n - 1].day, (int32_t)(l->now / 86400));
    return &s[n - 1];
}

/* ---- the tests ---- */

static void test_times_match_partitions(void **state) {
    lake *l = *state;
    memset(&walk, 0, sizeof walk);
    walk.now = l->now;
    assert_int_equal(nftw(l->dir, check_times, 16, FTW_PHYS), 0);
    if (walk.failure[0])
        fail_msg("%s", walk.failure);
    assert_true(walk.files > 100);
    assert_true(walk.partitioned > 50);
    assert_true(walk.today_files > 10); /* today is in the lake, squeezed before now */
}

static void test_history_adds_up(void **state) {
    lake *l = *state;
    history_store *h = load_history(l);
    static const struct {
        const char *database, *table, *location;
    } tables[] = {
        {"sales", "orders", "storing/sales/orders"},             /* _SUCCESS markers */
        {"music", "songs", "storing/music/songs"},               /* .crc beside each file */
        {"music", "songplays", "storing/music/songplays"},       /* _temporary/ */
        {"weblogs", "page_views", "landing/weblogs/page_views"}, /* $folder$ markers */
        {"census", "zip_codes", "landing/census/zip_codes"},     /* a monthly load */
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        const history_sample *s = last_sample(h, tables[i].database, tables[i].table, l);
        count_table(l, tables[i].location);
        if (s->objects != (int64_t)walk.data_files || s->bytes != walk.data_bytes ||
            s->newest_object != walk.newest)
            fail_msg("%s.%s: history says %lld objects, %lld bytes, newest %lld; on disk %zu, "
                     "%lld, %lld",
                     tables[i].database, tables[i].table, (long long)s->objects,
                     (long long)s->bytes, (long long)s->newest_object, walk.data_files,
                     (long long)walk.data_bytes, (long long)walk.newest);
        assert_true(s->objects > 0);
    }
    /* A catalogued table that never received data. */
    const history_sample *empty = last_sample(h, "weblogs", "ad_impressions", l);
    assert_int_equal(empty->objects, 0);
    assert_int_equal(empty->bytes, 0);
    assert_int_equal(empty->newest_object, -1);
    history_store_free(h);
}

static void test_bench_files(void **state) {
    lake *l = *state;
    history_store *h = load_history(l);
    int64_t objects = 0;
    for (int i = 0; i < BENCH_TABLES; i++) {
        char table[32], location[64];
        snprintf(table, sizeof table, "events_%03d", i);
        snprintf(location, sizeof location, "storing/bench_000/%s", table);
        const history_sample *s = last_sample(h, "bench_000", table, l);
        count_table(l, location);
        assert_int_equal(s->objects, (int64_t)walk.data_files);
        assert_int_equal(s->bytes, walk.data_bytes);
        objects += s->objects;
    }
    /* The tables trade files in pairs, but hold exactly what was asked. */
    assert_int_equal(objects, BENCH_FILES);
    size_t n = 0;
    assert_null(history_store_series(h, "bench_000", "events_003", &n));
    history_store_free(h);
}

static void test_refuses_used_directory(void **state) {
    lake *l = *state;
    demo_options o = {.now = l->now, .days = 2};
    char *error = NULL;
    assert_false(demo_write(l->dir, &o, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, "not empty"));
    free(error);

    /* A path below a regular file cannot be made. */
    char *file = xasprintf("%s/.laketop/history.tsv/lake", l->dir);
    error = NULL;
    assert_false(demo_write(file, &o, &error));
    assert_non_null(error);
    free(error);
    free(file);
    /* A regular file is not a directory to write into. */
    file = xasprintf("%s/.laketop/history.tsv", l->dir);
    error = NULL;
    assert_false(demo_write(file, &o, &error));
    assert_non_null(strstr(error, "not a directory"));
    free(error);
    free(file);
}

/* a line of progress per table: 19 demo tables and the benchmark's */
static void test_progress(void **state) {
    (void)state;
    assert_int_equal(progress.calls, 19 + BENCH_TABLES);
    assert_true(progress.in_order);
    assert_int_equal(progress.last_done, 19 + BENCH_TABLES);
    assert_int_equal(progress.last_total, 19 + BENCH_TABLES);
}

/* DIR/laketop.conf reads as a config; its crawler, zones and rules name
 * what the lake holds, every path inside it */
static void test_declarations(void **state) {
    lake *l = *state;
    char *path = xasprintf("%s/laketop.conf", l->dir);
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_int_equal(c.n_crawlers, 1);
    assert_string_equal(c.crawlers[0].name, "partners_landing");
    assert_string_equal(c.crawlers[0].path, "landing/partners");
    /* it finds two table directories the catalog does not know yet */
    char *suppliers = xasprintf("%s/landing/partners/suppliers/suppliers.csv", l->dir);
    char *shipments = xasprintf("%s/landing/partners/shipments", l->dir);
    char *catalog = xasprintf("%s/catalog/partners", l->dir);
    assert_int_equal(access(suppliers, R_OK), 0);
    assert_true(fs_is_dir(shipments));
    assert_false(fs_is_dir(catalog));
    /* zones inside the lake, each there; every rule between two of them */
    assert_int_equal(c.sync.n_zones, 3);
    zones_resolve_relative(&c.sync, l->dir);
    for (size_t i = 0; i < c.sync.n_zones; i++) {
        assert_int_equal(strncmp(c.sync.zones[i].uri, l->dir, strlen(l->dir)), 0);
        assert_true(fs_is_dir(c.sync.zones[i].uri));
    }
    assert_int_equal(c.sync.n_rules, 2);
    for (size_t i = 0; i < c.sync.n_rules; i++) {
        assert_non_null(zones_find(&c.sync, c.sync.rules[i].from));
        assert_non_null(zones_find(&c.sync, c.sync.rules[i].to));
        for (size_t k = 0; k < c.sync.rules[i].n_prefixes; k++) {
            char *dir = xasprintf("%s/storing/%s", l->dir, c.sync.rules[i].prefixes[k]);
            assert_true(fs_is_dir(dir));
            free(dir);
        }
    }
    config_free(&c);
    free(suppliers);
    free(shipments);
    free(catalog);
    free(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_match_partitions),
        cmocka_unit_test(test_history_adds_up),
        cmocka_unit_test(test_bench_files),
        cmocka_unit_test(test_refuses_used_directory),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_declarations),
    };
    return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
