/* test_formats.c: collector/formats/formats.h with a fake formats_io (an
 * object store in memory): detection from the catalog's parameters and the
 * names under the location, a listing's totals, commits merged into the
 * sampled history, and measure through the cache: an unchanged Delta log
 * costs no read, a new version reads only its own file, a broken log keeps
 * the listing's figures with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/formats.h"
#include "common/fmt.h"
#include "common/xalloc.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* ---- a fake object store --------------------------------------------- */

typedef struct fake_object {
    char *address;
    char *data;
    int64_t mtime;
} fake_object;

typedef struct fake_store {
    fake_object objects[32];
    size_t n;
    int reads;
    int lists;
} fake_store;

static void fake_put(fake_store *s, const char *address, const char *data, int64_t mtime) {
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->objects[i].address, address) == 0) {
            free(s->objects[i].data);
            s->objects[i].data = xstrdup(data);
            s->objects[i].mtime = mtime;
            return;
        }
    }
    s->objects[s->n++] = (fake_object){xstrdup(address), xstrdup(data), mtime};
}

static void fake_remove(fake_store *s, const char *address) {
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->objects[i].address, address) == 0) {
            free(s->objects[i].address);
            free(s->objects[i].data);
            s->objects[i] = s->objects[--s->n];
            return;
        }
    }
}

static void fake_clear(fake_store *s) {
    for (size_t i = 0; i < s->n; i++) {
        free(s->objects[i].address);
        free(s->objects[i].data);
    }
    s->n = 0;
}

static bool fake_read(void *ctx, const char *address, char **data, size_t *length, char **error) {
    fake_store *s = ctx;
    s->reads++;
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->objects[i].address, address) == 0) {
            *length = strlen(s->objects[i].data);
            *data = xstrdup(s->objects[i].data);
            return true;
        }
    }
    *error = xasprintf("%s: no such object", address);
    return false;
}

static int fake_by_key(const void *a, const void *b) {
    return strcmp(((const object_entry *)a)->key, ((const object_entry *)b)->key);
}

static bool fake_list(void *ctx, const char *location, object_entry **entries, size_t *n,
                      char **error) {
    (void)error;
    fake_store *s = ctx;
    s->lists++;
    size_t length = strlen(location);
    *entries = xcalloc(s->n + 1, sizeof **entries);
    *n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const char *a = s->objects[i].address;
        if (strncmp(a, location, length) == 0 && a[length] == '/')
            (*entries)[(*n)++] = (object_entry){.key = xstrdup(a + length + 1),
                                                .size = (int64_t)strlen(s->objects[i].data),
                                                .mtime = s->objects[i].mtime};
    }
    qsort(*entries, *n, sizeof **entries, fake_by_key);
    return true;
}

static char *fake_canonical(void *ctx, const char *address) {
    (void)ctx;
    return strncmp(address, "mem://", 6) == 0 ? xstrdup(address) : NULL;
}

static table_stats fake_table(const char *location, const char *const *params, size_t n_params) {
    table_stats t = {0};
    t.database = xstrdup("db");
    t.name = xstrdup("t");
    t.location = xstrdup(location);
    t.format = xstrdup("parquet");
    t.table_type = xstrdup("EXTERNAL_TABLE");
    table_stats_formats_unknown(&t);
    t.objects = t.bytes = t.newest_object = -1;
    t.n_parameters = n_params / 2;
    t.parameters = xcalloc(t.n_parameters + 1, sizeof *t.parameters);
    for (size_t i = 0; i < t.n_parameters; i++)
        t.parameters[i] = (table_param){xstrdup(params[2 * i]), xstrdup(params[2 * i + 1])};
    return t;
}

/* ---- detection ---------------------------------------------------------- */

static table_format detected(const char *const *params, size_t n, const char *const *top,
                             size_t n_top) {
    table_stats t = fake_table("mem://t", params, n);
    formats_detect(&t, top, n_top);
    table_format f = t.table_format;
    table_stats_clear(&t);
    return f;
}

static void test_detect(void **state) {
    (void)state;
    const char *ice[] = {"table_type", "iceberg", "metadata_location", "s3://b/t/m.json"};
    assert_int_equal(detected(ice, N(ice), NULL, 0), TABLE_FORMAT_ICEBERG);
    const char *ice_nowhere[] = {"table_type", "ICEBERG"};
    assert_int_equal(detected(ice_nowhere, N(ice_nowhere), NULL, 0), TABLE_FORMAT_HIVE);
    const char *delta[] = {"table_type", "DELTA"};
    assert_int_equal(detected(delta, N(delta), NULL, 0), TABLE_FORMAT_DELTA);
    const char *spark[] = {"spark.sql.sources.provider", "delta"};
    assert_int_equal(detected(spark, N(spark), NULL, 0), TABLE_FORMAT_DELTA);
    const char *spark_parquet[] = {"spark.sql.sources.provider", "parquet"};
    assert_int_equal(detected(spark_parquet, N(spark_parquet), NULL, 0), TABLE_FORMAT_HIVE);
    const char *hudi[] = {"table_type", "hudi"};
    assert_int_equal(detected(hudi, N(hudi), NULL, 0), TABLE_FORMAT_HUDI);
    const char *hoodie[] = {"hoodie.table.name", "x"};
    assert_int_equal(detected(hoodie, N(hoodie), NULL, 0), TABLE_FORMAT_HUDI);
    const char *plain[] = {"classification", "parquet"};
    assert_int_equal(detected(plain, N(plain), NULL, 0), TABLE_FORMAT_HIVE);
    /* what the location holds decides */
    const char *log[] = {"dt=2024-01-01", "_delta_log"};
    assert_int_equal(detected(plain, N(plain), log, N(log)), TABLE_FORMAT_DELTA);
    const char *hoodie_dir[] = {".hoodie"};
    assert_int_equal(detected(plain, N(plain), hoodie_dir, 1), TABLE_FORMAT_HUDI);
    assert_int_equal(detected(hudi, N(hudi), log, N(log)), TABLE_FORMAT_DELTA);
    const char *other[] = {"_temporary", "_SUCCESS"};
    assert_int_equal(detected(plain, N(plain), other, N(other)), TABLE_FORMAT_HIVE);
}

static void test_listing_totals(void **state) {
    (void)state;
    object_entry e[] = {{.key = "a.parquet", .size = 10},
                        {.key = "_SUCCESS", .size = 0},
                        {.key = "_temporary/0/b.parquet", .size = 7},
                        {.key = ".hoodie/x.commit", .size = 3}};
    table_stats t = fake_table("mem://t", NULL, 0);
    formats_listing_totals(&t, e, N(e));
    assert_int_equal(t.s3_objects, 4);
    assert_int_equal(t.s3_bytes, 20);
    assert_int_equal(t.unreferenced_bytes, -1); /* Hive: unknown */
    table_stats_clear(&t);
}

/* ---- history ------------------------------------------------------------ */

static void test_history_merge(void **state) {
    (void)state;
    table_stats t = fake_table("mem://t", NULL, 0);
    int64_t day = 86400, d0 = 20000;
    table_commit c[] = {
        {.id = 1, .at = (d0 + 1) * day + 100, .total_files = 1, .total_bytes = 100},
        {.id = 2, .at = (d0 + 3) * day + 200, .total_files = 2, .total_bytes = 200},
        {.id = 3, .at = (d0 + 3) * day + 900, .total_files = 3, .total_bytes = 300},
        {.id = 4, .at = (d0 + 5) * day, .total_files = -1, .total_bytes = -1}, /* unknown */
    };
    t.commits = table_commits_copy(c, N(c));
    t.n_commits = N(c);
    size_t n = 3;
    history_sample *h = xcalloc(n, sizeof *h);
    h[0] = (history_sample){.day = (int32_t)d0, .bytes = 5, .objects = 1, .newest_object = 1};
    h[1] = (history_sample){.day = (int32_t)d0 + 3, .bytes = 7, .objects = 1, .newest_object = 2};
    h[2] = (history_sample){.day = (int32_t)d0 + 6, .bytes = 9, .objects = 4, .newest_object = 3};
    formats_history_merge(&t, &h, &n);
    assert_int_equal(n, 4);
    assert_int_equal(h[0].day, d0); /* a sample, no commit that day */
    assert_int_equal(h[0].bytes, 5);
    assert_int_equal(h[1].day, d0 + 1); /* a commit's day, before any sample */
    assert_int_equal(h[1].bytes, 100);
    assert_int_equal(h[1].newest_object, (d0 + 1) * day + 100);
    assert_int_equal(h[2].day, d0 + 3); /* both: the day's last commit */
    assert_int_equal(h[2].bytes, 300);
    assert_int_equal(h[2].objects, 3);
    assert_int_equal(h[3].day, d0 + 6); /* the commit of day 5 had no totals */
    assert_int_equal(h[3].bytes, 9);
    free(h);
    /* no history at all: the commits alone */
    h = NULL;
    n = 0;
    formats_history_merge(&t, &h, &n);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].day, d0 + 1);
    free(h);
    table_stats_clear(&t);
}

/* ---- measure and the cache ---------------------------------------------- */

static const char commit0[] =
    "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"WRITE\"}}\n"
    "{\"add\":{\"path\":\"a.parquet\",\"size\":10,\"modificationTime\":1700000000000,"
    "\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":3}\"}}\n";
static const char commit1[] =
    "{\"commitInfo\":{\"timestamp\":1700086400000,\"operation\":\"OPTIMIZE\"}}\n"
    "{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1700086400000}}\n"
    "{\"add\":{\"path\":\"b.parquet\",\"size\":20,\"modificationTime\":1700086400000,"
    "\"dataChange\":false,\"stats\":\"{\\\"numRecords\\\":3}\"}}\n";

static void measure(table_stats *t, fake_store *s, formats_cache *cache) {
    formats_io io = {.ctx = s, .read = fake_read, .list = fake_list, .canonical = fake_canonical};
    formats_detect(t, NULL, 0);
    formats_measure(t, &io, cache, 1700100000);
}

static void test_measure_cache(void **state) {
    (void)state;
    fake_store s = {0};
    fake_put(&s, "mem://t/_delta_log/00000000000000000000.json", commit0, 1700000000);
    fake_put(&s, "mem://t/a.parquet", "0123456789", 1700000000);
    fake_put(&s, "mem://t/orphan.parquet", "xxxxx", 1690000000);
    fake_put(&s, "mem://t/_SUCCESS", "", 1700000000);
    fake_put(&s, "mem://t/", "", 1700000000); /* the location's own marker: key "" */
    formats_cache *cache = formats_cache_new();
    const char *params[] = {"table_type", "DELTA"};

    table_stats t = fake_table("mem://t", params, N(params));
    measure(&t, &s, cache);
    assert_null(t.format_error);
    assert_int_equal(t.origin, FIGURES_METADATA);
    assert_int_equal(t.objects, 1);
    assert_int_equal(t.bytes, 10);
    assert_int_equal(t.records, 3);
    assert_int_equal(t.snapshots, 1);
    assert_int_equal(t.last_commit, 1700000000);
    assert_int_equal(t.newest_object, 1700000000);
    assert_int_equal(t.s3_objects, 5);
    assert_int_equal(t.s3_bytes, (int64_t)strlen(commit0) + 15);
    assert_int_equal(t.metadata_bytes, (int64_t)strlen(commit0));
    assert_int_equal(t.unreferenced_objects, 1);
    assert_int_equal(t.unreferenced_bytes, 5);
    assert_int_equal(t.retained_bytes, 0);
    /* no metaData with partitionColumns replayed: its partitions are not
     * known (the listing's 0 would say "unpartitioned") */
    assert_int_equal(t.partitions, -1);
    assert_null(t.partition_spec);
    assert_int_equal(s.reads, 1);
    assert_int_equal(formats_cache_reads(cache), 1);
    table_stats_clear(&t);

    /* unchanged: the listing only */
    t = fake_table("mem://t", params, N(params));
    measure(&t, &s, cache);
    assert_int_equal(s.reads, 1);
    assert_int_equal(s.lists, 2);
    assert_int_equal(t.bytes, 10);
    assert_int_equal(t.unreferenced_bytes, 5);
    table_stats_clear(&t);

    /* a new version: its file alone is read */
    fake_put(&s, "mem://t/_delta_log/00000000000000000001.json", commit1, 1700086400);
    fake_put(&s, "mem://t/b.parquet", "bbbbbbbbbbbbbbbbbbbb", 1700086400);
    t = fake_table("mem://t", params, N(params));
    measure(&t, &s, cache);
    assert_null(t.format_error);
    assert_int_equal(s.reads, 2);
    assert_int_equal(t.objects, 1);
    assert_int_equal(t.bytes, 20);
    assert_int_equal(t.snapshots, 2);
    assert_int_equal(t.retained_bytes, 10); /* a.parquet: removed, not vacuumed */
    assert_int_equal(t.unreferenced_bytes, 5);
    assert_int_equal(t.n_commits, 2);
    assert_string_equal(t.commits[1].operation, "OPTIMIZE");
    assert_string_equal(t.metadata_location, "_delta_log/00000000000000000001.json");
    table_stats_clear(&t);
    /* the log went on from the last refresh's: a replay from scratch agrees */
    formats_cache *fresh = formats_cache_new();
    t = fake_table("mem://t", params, N(params));
    measure(&t, &s, fresh);
    assert_int_equal(s.reads, 4);
    assert_int_equal(t.objects, 1);
    assert_int_equal(t.bytes, 20);
    assert_int_equal(t.records, 3);
    assert_int_equal(t.retained_bytes, 10);
    assert_int_equal(t.n_commits, 2);
    assert_int_equal(t.oldest_snapshot, 1700000000);
    table_stats_clear(&t);
    formats_cache_free(fresh);

    /* a gap: version 3 without 2, no checkpoint: the listing's figures */
    fake_put(&s, "mem://t/_delta_log/00000000000000000003.json", commit1, 1700090000);
    t = fake_table("mem://t", params, N(params));
    measure(&t, &s, cache);
    assert_non_null(t.format_error);
    assert_non_null(strstr(t.format_error, "gap"));
    assert_int_equal(t.origin, FIGURES_LISTING);
    assert_int_equal(t.objects, 3); /* a, b, orphan: _delta_log/ and _SUCCESS are not data */
    assert_int_equal(t.bytes, 35);
    assert_int_equal(t.marker_objects, 2);
    assert_int_equal(t.unreferenced_bytes, -1);
    assert_null(t.error);
    int reads = s.reads;
    table_stats_clear(&t);
    /* the same broken log again: kept as its reason, nothing read */
    t = fake_table("mem://t", params, N(params));
    measure(&t, &s, cache);
    assert_non_null(t.format_error);
    assert_int_equal(s.reads, reads);
    table_stats_clear(&t);
    fake_remove(&s, "mem://t/_delta_log/00000000000000000003.json");

    /* a location that cannot be listed here: the row's error */
    t = fake_table("s3://elsewhere/t", params, N(params));
    measure(&t, &s, cache);
    assert_int_equal(t.table_format, TABLE_FORMAT_DELTA);
    assert_non_null(t.format_error);
    table_stats_clear(&t);

    formats_cache_free(cache);
    fake_clear(&s);
}

/* A Hudi table: the listing's figures, the timeline's commits. */
/* No list (S3 Tables: listing not allowed): nothing is listed, the S3
 * figures stay unknown, and a format that needs a listing to find its
 * metadata (Delta's log) says so instead of showing a listing's zeros. */
static void test_measure_metadata_only(void **state) {
    (void)state;
    fake_store s = {0};
    fake_put(&s, "mem://t/_delta_log/00000000000000000000.json", commit0, 1700000000);
    fake_put(&s, "mem://t/a.parquet", "0123456789", 1700000000);
    formats_cache *cache = formats_cache_new();
    const char *params[] = {"table_type", "DELTA"};
    table_stats t = fake_table("mem://t", params, N(params));
    formats_detect(&t, NULL, 0);
    formats_io io = {.ctx = &s, .read = fake_read, .canonical = fake_canonical};
    formats_measure(&t, &io, cache, 1700100000);
    assert_int_equal(s.lists, 0);
    assert_null(t.error);
    assert_non_null(t.format_error);
    assert_int_equal(t.objects, -1);
    assert_int_equal(t.bytes, -1);
    assert_int_equal(t.s3_objects, -1);
    assert_int_equal(t.s3_bytes, -1);
    assert_int_equal(t.metadata_bytes, -1);
    assert_int_equal(t.unreferenced_bytes, -1);
    assert_int_equal(t.retained_bytes, -1);
    table_stats_clear(&t);
    formats_cache_free(cache);
    fake_clear(&s);
}

static void test_measure_hudi(void **state) {
    (void)state;
    fake_store s = {0};
    fake_put(&s, "mem://h/.hoodie/hoodie.properties", "x=y", 1);
    fake_put(&s, "mem://h/.hoodie/20240102030405.commit", "{}", 1);
    fake_put(&s, "mem://h/.hoodie/20240103000000.commit.inflight", "", 1);
    fake_put(&s, "mem://h/2024/01/02/f.parquet", "123456", 1704164645);
    formats_cache *cache = formats_cache_new();
    table_stats t = fake_table("mem://h", NULL, 0);
    const char *top[] = {".hoodie"};
    formats_detect(&t, top, 1);
    formats_io io = {.ctx = &s, .read = fake_read, .list = fake_list, .canonical = fake_canonical};
    formats_measure(&t, &io, cache, 1704200000);
    assert_int_equal(t.table_format, TABLE_FORMAT_HUDI);
    assert_int_equal(t.origin, FIGURES_LISTING);
    assert_int_equal(t.objects, 1);
    assert_int_equal(t.bytes, 6);
    assert_int_equal(t.s3_objects, 4);
    assert_int_equal(t.snapshots, 1);
    assert_int_equal(t.last_commit, 1704164645);
    assert_int_equal(s.reads, 0);
    table_stats_clear(&t);
    formats_cache_free(cache);
    fake_clear(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),        cmocka_unit_test(test_listing_totals),
        cmocka_unit_test(test_history_merge), cmocka_unit_test(test_measure_cache),
        cmocka_unit_test(test_measure_hudi),  cmocka_unit_test(test_measure_metadata_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
