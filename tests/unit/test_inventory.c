/* test_inventory.c: S3 Inventory reports read on this machine: the manifest
 * and its checksum, the newest report date, CSV rows and URL-encoded keys,
 * and the streamed per-table aggregation (gzip fed in pieces). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "collector/inventory/inventory_agg.h"
#include "collector/inventory/inventory_config.h"
#include "collector/inventory/inventory_csv.h"
#include "collector/inventory/inventory_manifest.h"

static const char manifest_json[] =
    "{\"sourceBucket\":\"lake\",\"destinationBucket\":\"arn:aws:s3:::inv\","
    "\"version\":\"2016-11-30\",\"creationTimestamp\":\"1764550800000\","
    "\"fileFormat\":\"CSV\",\"fileSchema\":\"Bucket, Key, Size, LastModifiedDate, "
    "StorageClass\",\"files\":[{\"key\":\"lake/all/data/a.csv.gz\",\"size\":120,"
    "\"MD5checksum\":\"00ff\"},{\"key\":\"lake/all/data/b.csv.gz\",\"size\":7}]}";

static void test_manifest(void **state) {
    (void)state;
    inventory_manifest m;
    char *error = NULL;
    assert_true(inventory_manifest_parse(manifest_json, strlen(manifest_json), &m, &error));
    assert_string_equal(m.source_bucket, "lake");
    assert_string_equal(inventory_manifest_destination_name(&m), "inv");
    assert_true(inventory_manifest_is_csv(&m));
    assert_int_equal(m.created_ms, 1764550800000LL);
    assert_int_equal(m.n_files, 2);
    assert_string_equal(m.files[0].key, "lake/all/data/a.csv.gz");
    assert_int_equal(m.files[0].size, 120);
    assert_string_equal(m.files[0].md5, "00ff");
    assert_null(m.files[1].md5);
    inventory_manifest_clear(&m);

    const char *bad[] = {"", "[]", "{\"sourceBucket\":\"x\"}", "{\"sourceBucket\":\"lake\"",
                         "{\"sourceBucket\":\"a\",\"destinationBucket\":\"b\",\"fileFormat\":"
                         "\"CSV\",\"fileSchema\":\"Key\",\"creationTimestamp\":\"12x\","
                         "\"files\":[]}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        error = NULL;
        assert_false(inventory_manifest_parse(bad[i], strlen(bad[i]), &m, &error));
        assert_non_null(error);
        free(error);
    }
}

static void test_checksum(void **state) {
    (void)state;
    /* md5("abc"), from RFC 1321's test suite */
    const char *good = "900150983cd24fb0d6963f7d28e17f72\n";
    char *error = NULL;
    assert_true(inventory_manifest_check("abc", 3, good, strlen(good), &error));
    assert_true(inventory_manifest_check("abc", 3, "900150983CD24FB0D6963F7D28E17F72", 32, &error));
    assert_false(inventory_manifest_check("abd", 3, good, strlen(good), &error));
    assert_non_null(strstr(error, "is not the MD5 of manifest.json"));
    free(error);
    error = NULL;
    assert_false(inventory_manifest_check("abc", 3, "", 0, &error));
    free(error);
}

static void test_report_dates(void **state) {
    (void)state;
    assert_true(inventory_is_report_date("2026-12-01T01-00Z/"));
    assert_true(inventory_is_report_date("2026-12-01T01-00Z"));
    assert_false(inventory_is_report_date("hive/"));
    assert_false(inventory_is_report_date("2026-12-01T01-00Zx"));
    const char *names[] = {"2026-11-30T01-00Z/", "hive/", "2026-12-01T01-00Z/", "data/",
                           "2026-11-29T23-00Z/"};
    assert_int_equal(inventory_newest_report(names, 5), 2);
    assert_int_equal(inventory_newest_report(names + 1, 1), -1);
}

static void test_url_decode(void **state) {
    (void)state;
    char a[] = "t/a+b%2Bc%25d%3De%C3%A9";
    assert_true(inventory_url_decode(a));
    assert_string_equal(a, "t/a b+c%d=e\xc3\xa9");
    char b[] = "bad%2";
    assert_false(inventory_url_decode(b));
    char c[] = "nul%00";
    assert_false(inventory_url_decode(c));
    char d[] = "x%zz";
    assert_false(inventory_url_decode(d));
}

static void test_csv_rows(void **state) {
    (void)state;
    inventory_columns cols;
    char *error = NULL;
    assert_true(inventory_columns_parse(
        "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass",
        &cols, &error));
    assert_int_equal(cols.count, 8);
    assert_int_equal(cols.size, 5);
    inventory_row row;
    char line[] = "\"lake\",\"t/dt%3D1/a+b.parquet\",\"v1\",\"true\",\"false\",\"42\","
                  "\"2026-11-30T12:00:00.000Z\",\"GLACIER_IR\"";
    assert_true(inventory_csv_row(&cols, line, &row));
    assert_string_equal(row.bucket, "lake");
    assert_string_equal(row.key, "t/dt=1/a b.parquet");
    assert_int_equal(row.size, 42);
    assert_int_equal(row.last_modified, 1796040000); /* python3 calendar.timegm */
    assert_string_equal(row.storage_class, "GLACIER_IR");
    assert_true(row.current);
    char old[] = "\"lake\",\"t/a\",\"v0\",\"false\",\"false\",\"1\",\"2026-11-30T12:00:00.000Z\","
                 "\"STANDARD\"";
    assert_true(inventory_csv_row(&cols, old, &row));
    assert_false(row.current);
    char marker[] =
        "\"lake\",\"t/a\",\"v2\",\"true\",\"true\",\"\",\"2026-11-30T12:00:00.000Z\",\"\"";
    assert_true(inventory_csv_row(&cols, marker, &row));
    assert_false(row.current);
    char quoted[] = "\"la\"\"ke\",\"k\",\"\",\"true\",\"false\",\"3\",\"\",\"\"";
    assert_true(inventory_csv_row(&cols, quoted, &row));
    assert_string_equal(row.bucket, "la\"ke");
    assert_int_equal(row.last_modified, -1);

    char few[] = "\"lake\",\"k\",\"3\"";
    assert_false(inventory_csv_row(&cols, few, &row));
    char open_quote[] = "\"lake,\"k\",\"\",\"true\",\"false\",\"3\",\"\",\"\"";
    assert_false(inventory_csv_row(&cols, open_quote, &row));
    char bad_size[] = "\"lake\",\"k\",\"\",\"true\",\"false\",\"-3\",\"\",\"\"";
    assert_false(inventory_csv_row(&cols, bad_size, &row));
    char bad_time[] = "\"lake\",\"k\",\"\",\"true\",\"false\",\"3\",\"yesterday\",\"\"";
    assert_false(inventory_csv_row(&cols, bad_time, &row));

    assert_false(inventory_columns_parse("Bucket, Size", &cols, &error));
    free(error);
}

/* gzip of `text` (one member) into a malloc'd buffer */
static unsigned char *gzip_text(const char *text, size_t *length) {
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, strlen(text)) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)(uintptr_t)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *length = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static const char agg_csv[] =
    "\"lake\",\"tbl/dt%3D2026-01-01/part+0.parquet\",\"100\",\"2026-11-01T00:00:00.000Z\","
    "\"STANDARD\"\n"
    "\"lake\",\"tbl/dt%3D2026-01-02/a%2Bb%25c%C3%A9.parquet\",\"200\",\"2026-11-02T00:00:00.000Z\","
    "\"STANDARD_IA\"\r\n"
    "\"lake\",\"tbl/dt%3D2026-01-02/_SUCCESS\",\"0\",\"2026-11-03T00:00:00.000Z\",\"STANDARD\"\n"
    "\"lake\",\"tbl/_temporary/0/x.parquet\",\"50\",\"2026-11-04T00:00:00.000Z\",\"STANDARD\"\n"
    "\"lake\",\"tbl/\",\"0\",\"2026-11-04T00:00:00.000Z\",\"STANDARD\"\n"
    "\"lake\",\"tbl_old/x.parquet\",\"7\",\"2026-11-05T00:00:00.000Z\",\"STANDARD\"\n"
    "\"lake\",\"tbl/nested/y.parquet\",\"9\",\"2026-11-06T00:00:00.000Z\",\"GLACIER\"\n"
    "\"other\",\"tbl/z.parquet\",\"1000\",\"2026-11-07T00:00:00.000Z\",\"STANDARD\"\n"
    "\"lake\",\"loose.csv\",\"5\",\"2026-11-08T00:00:00.000Z\",\"STANDARD\"\n";

static void test_aggregate(void **state) {
    (void)state;
    inventory_columns cols;
    char *error = NULL;
    assert_true(inventory_columns_parse("Bucket, Key, Size, LastModifiedDate, StorageClass", &cols,
                                        &error));
    size_t gz_length;
    unsigned char *gz = gzip_text(agg_csv, &gz_length);
    /* whole, then one byte at a time: the same figures */
    for (int pass = 0; pass < 2; pass++) {
        inventory_agg *a = inventory_agg_new(&cols);
        size_t tbl = inventory_agg_add_table(a, "lake", "tbl/");
        size_t nested = inventory_agg_add_table(a, "lake", "tbl/nested/");
        size_t old = inventory_agg_add_table(a, "lake", "tbl_old/");
        size_t other = inventory_agg_add_table(a, "other", "tbl/");
        inventory_agg_set_partition_depth(a, tbl, 1);
        if (pass == 0) {
            assert_true(inventory_agg_feed(a, gz, gz_length, &error));
        } else {
            for (size_t i = 0; i < gz_length; i++)
                assert_true(inventory_agg_feed(a, gz + i, 1, &error));
        }
        assert_true(inventory_agg_end_file(a, &error));
        const inventory_figures *f = inventory_agg_figures(a, tbl);
        assert_int_equal(f->objects, 2);
        assert_int_equal(f->bytes, 300);
        assert_int_equal(f->markers, 2); /* _SUCCESS and the tbl/ directory key */
        assert_int_equal(f->s3_objects, 5);
        assert_int_equal(f->s3_bytes, 350);
        assert_int_equal(f->partitions, 2);      /* dt=2026-01-01, dt=2026-01-02 */
        assert_int_equal(f->newest, 1793577600); /* 2026-11-02 (python3 calendar.timegm) */
        assert_int_equal(f->storage.objects[COST_STANDARD_IA], 1);
        assert_int_equal(f->storage.billed[COST_STANDARD_IA], 128 * 1024);
        f = inventory_agg_figures(a, nested);
        assert_int_equal(f->objects, 1);
        assert_int_equal(f->storage.objects[COST_GLACIER], 1);
        f = inventory_agg_figures(a, old);
        assert_int_equal(f->objects, 1);
        assert_int_equal(f->bytes, 7);
        f = inventory_agg_figures(a, other);
        assert_int_equal(f->bytes, 1000);
        assert_int_equal(inventory_agg_rows(a), 9);
        assert_int_equal(inventory_agg_unmatched(a), 1);
        inventory_agg_free(a);
    }
    /* two files, the second of two gzip members */
    inventory_agg *a = inventory_agg_new(&cols);
    size_t tbl = inventory_agg_add_table(a, "lake", "tbl/");
    assert_true(inventory_agg_feed(a, gz, gz_length, &error));
    assert_true(inventory_agg_end_file(a, &error));
    assert_true(inventory_agg_feed(a, gz, gz_length, &error));
    assert_true(inventory_agg_feed(a, gz, gz_length, &error));
    assert_true(inventory_agg_end_file(a, &error));
    assert_int_equal(inventory_agg_figures(a, tbl)->objects, 9); /* with nested/ */
    /* one file's aggregator merged into another's: the partitions counted once */
    inventory_agg *b = inventory_agg_new(&cols);
    inventory_agg_add_table(b, "lake", "tbl/");
    inventory_agg_set_partition_depth(b, 0, 1);
    inventory_agg *c = inventory_agg_new(&cols);
    inventory_agg_add_table(c, "lake", "tbl/");
    inventory_agg_set_partition_depth(c, 0, 1);
    assert_true(inventory_agg_feed(b, gz, gz_length, &error));
    assert_true(inventory_agg_end_file(b, &error));
    assert_true(inventory_agg_feed(c, gz, gz_length, &error));
    assert_true(inventory_agg_end_file(c, &error));
    inventory_agg_merge(b, c);
    /* the report: per top-level directory, sorted, partitions counted once */
    inventory_report rep;
    inventory_agg_report(b, "2026-12-01T01-00Z", 1796086800, &rep);
    assert_string_equal(rep.date, "2026-12-01T01-00Z");
    assert_int_equal(rep.n_tables, 1);
    assert_int_equal(rep.athena_scanned, -1);
    assert_int_equal(rep.tables[0].total.objects, 6);
    assert_int_equal(rep.tables[0].n_dirs, 4); /* nested/ is tbl's here: no table of its own */
    const incremental_dir *d = rep.tables[0].dirs;
    assert_string_equal(d[0].name, "tbl/_temporary/");
    assert_int_equal(d[0].figures.objects, 0);
    assert_int_equal(d[0].figures.s3_objects, 2);
    assert_int_equal(d[0].figures.s3_bytes, 100);
    assert_string_equal(d[1].name, "tbl/dt=2026-01-01/");
    assert_int_equal(d[1].figures.objects, 2);
    assert_int_equal(d[1].figures.bytes, 200);
    assert_int_equal(d[1].figures.partitions, 1);
    assert_int_equal(d[1].figures.newest, 1793491200); /* 2026-11-01 */
    assert_string_equal(d[2].name, "tbl/dt=2026-01-02/");
    assert_int_equal(d[2].figures.objects, 2);
    assert_int_equal(d[2].figures.bytes, 400);
    assert_int_equal(d[2].figures.markers, 2);
    assert_int_equal(d[2].figures.s3_objects, 4);
    assert_int_equal(d[2].figures.partitions, 1);
    assert_int_equal(d[2].figures.storage.objects[COST_STANDARD_IA], 2);
    assert_int_equal(d[2].listed_at, 1796086800);
    assert_string_equal(d[3].name, "tbl/nested/");
    assert_int_equal(d[3].figures.objects, 2);
    assert_int_equal(d[3].figures.partitions, 0); /* not a key=value directory */
    inventory_report_clear(&rep);
    assert_null(rep.tables);
    /* a flat table: totals only */
    inventory_agg_report(a, "2026-12-01T01-00Z", 1796086800, &rep);
    assert_int_equal(rep.tables[0].total.objects, 9);
    assert_int_equal(rep.tables[0].n_dirs, 0);
    inventory_report_clear(&rep);
    assert_int_equal(inventory_agg_figures(b, 0)->objects, 6);
    assert_int_equal(inventory_agg_figures(b, 0)->partitions, 2);
    assert_int_equal(inventory_agg_figures(b, 0)->bytes, 618);
    inventory_agg_free(b);
    inventory_agg_free(c);
    /* a file cut short */
    assert_true(inventory_agg_feed(a, gz, gz_length - 5, &error));
    assert_false(inventory_agg_end_file(a, &error));
    assert_non_null(strstr(error, "cut short"));
    free(error);
    inventory_agg_free(a);
    free(gz);

    /* not gzip; a malformed row */
    a = inventory_agg_new(&cols);
    error = NULL;
    assert_false(inventory_agg_feed(a, "plain text\n", 11, &error));
    assert_non_null(strstr(error, "not gzip"));
    free(error);
    inventory_agg_free(a);
    gz = gzip_text("\"lake\",\"tbl/a\",\"1\",\"\",\"\"\n\"lake\",\"tbl/b\"\n", &gz_length);
    a = inventory_agg_new(&cols);
    error = NULL;
    bool ok = inventory_agg_feed(a, gz, gz_length, &error);
    if (ok)
        ok = inventory_agg_end_file(a, &error);
    assert_false(ok);
    assert_non_null(strstr(error, "line 2"));
    free(error);
    inventory_agg_free(a);
    free(gz);
}

/* A generated report of LAKETOP_INVENTORY_ROWS rows (default 1,000,000),
 * deflated and fed in 64 KiB pieces as they are made, so that only the
 * aggregator's own memory grows with the rows (peak RSS compared in the
 * README notes). Row i is in table i % 4, of 1000 + i % 977 bytes, and
 * every 10th is a _SUCCESS marker; the expected figures are sums over i. */
#define NOV_1 1793491200 /* 2026-11-01T00:00Z, python3 calendar.timegm */

static void test_million_rows(void **state) {
    (void)state;
    const char *env = getenv("LAKETOP_INVENTORY_ROWS");
    long n = env ? atol(env) : 1000000;
    inventory_columns cols;
    char *error = NULL;
    assert_true(inventory_columns_parse("Bucket, Key, Size, LastModifiedDate, StorageClass", &cols,
                                        &error));
    inventory_agg *a = inventory_agg_new(&cols);
    size_t t[4];
    t[0] = inventory_agg_add_table(a, "lake", "t0/");
    t[1] = inventory_agg_add_table(a, "lake", "t1/");
    t[2] = inventory_agg_add_table(a, "lake", "t1_old/");
    t[3] = inventory_agg_add_table(a, "lake", "t3/");
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    static unsigned char out[65536];
    static const char *dirs[4] = {"t0", "t1", "t1_old", "t3"};
    int64_t objects[4] = {0}, bytes[4] = {0}, markers[4] = {0}, newest[4] = {0};
    char line[256];
    for (long i = 0; i <= n; i++) {
        int flush = i == n ? Z_FINISH : Z_NO_FLUSH;
        int length = 0;
        if (i < n) {
            int k = (int)(i % 4);
            int64_t size = 1000 + i % 977;
            bool marker = i % 10 == 9;
            length = snprintf(line, sizeof line,
                              "\"lake\",\"%s/dt%%3D%ld/%s%ld\",\"%lld\","
                              "\"2026-11-%02ldT00:00:00.000Z\",\"STANDARD\"\n",
                              dirs[k], i % 365, marker ? "_SUCCESS" : "part+", i, (long long)size,
                              1 + i % 28);
            if (marker) {
                markers[k]++;
            } else {
                objects[k]++;
                bytes[k] += size;
                int64_t day = NOV_1 + (i % 28) * 86400;
                if (day > newest[k])
                    newest[k] = day;
            }
        }
        z.next_in = (unsigned char *)line;
        z.avail_in = (uInt)length;
        do {
            z.next_out = out;
            z.avail_out = sizeof out;
            deflate(&z, flush);
            size_t produced = sizeof out - z.avail_out;
            if (produced)
                assert_true(inventory_agg_feed(a, out, produced, &error));
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    assert_true(inventory_agg_end_file(a, &error));
    assert_int_equal(inventory_agg_rows(a), n);
    for (int k = 0; k < 4; k++) {
        const inventory_figures *f = inventory_agg_figures(a, t[k]);
        assert_int_equal(f->objects, objects[k]);
        assert_int_equal(f->bytes, bytes[k]);
        assert_int_equal(f->markers, markers[k]);
        assert_int_equal(f->newest, newest[k]);
    }
    inventory_agg_free(a);
}

static void test_configurations(void **state) {
    (void)state;
    /* the shape of botocore's s3 model (ListInventoryConfigurationsOutput) */
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<ListInventoryConfigurationsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<InventoryConfiguration><Id>orc</Id><IsEnabled>true</IsEnabled>"
        "<Destination><S3BucketDestination><Format>ORC</Format>"
        "<Bucket>arn:aws:s3:::inv</Bucket></S3BucketDestination></Destination>"
        "</InventoryConfiguration>"
        "<InventoryConfiguration><Id>off</Id><IsEnabled>false</IsEnabled>"
        "<Destination><S3BucketDestination><Format>CSV</Format>"
        "<Bucket>arn:aws:s3:::inv</Bucket></S3BucketDestination></Destination>"
        "</InventoryConfiguration>"
        "<InventoryConfiguration><Id>daily</Id><IsEnabled>true</IsEnabled>"
        "<Filter><Prefix>wh/</Prefix></Filter>"
        "<Destination><S3BucketDestination><Format>CSV</Format><Prefix>reports/</Prefix>"
        "<Bucket>arn:aws:s3:::inv</Bucket></S3BucketDestination></Destination>"
        "<Schedule><Frequency>Daily</Frequency></Schedule>"
        "</InventoryConfiguration><IsTruncated>false</IsTruncated>"
        "</ListInventoryConfigurationsResult>";
    inventory_config *c;
    size_t n;
    char *error = NULL;
    assert_true(inventory_config_parse(xml, strlen(xml), &c, &n, &error));
    assert_int_equal(n, 3);
    const inventory_config *p = inventory_config_pick(c, n, false);
    assert_non_null(p);
    assert_string_equal(p->id, "daily");
    assert_string_equal(p->dest_bucket, "inv");
    assert_string_equal(p->dest_prefix, "reports");
    assert_string_equal(p->filter, "wh/");
    assert_string_equal(c[0].filter, "");
    assert_string_equal(c[0].dest_prefix, "");
    assert_null(inventory_config_pick(c, 2, false)); /* ORC, and a disabled CSV */
    /* with Athena, a columnar report first (ORC before CSV), else CSV */
    assert_string_equal(inventory_config_pick(c, n, true)->id, "orc");
    assert_string_equal(inventory_config_pick(c + 1, 2, true)->id, "daily");
    assert_null(inventory_config_pick(c + 1, 1, true));
    inventory_configs_free(c, n);
    const char *empty = "<ListInventoryConfigurationsResult/>";
    assert_true(inventory_config_parse(empty, strlen(empty), &c, &n, &error));
    assert_int_equal(n, 0);
    inventory_configs_free(c, n);
    const char *other = "<Error><Code>x</Code></Error>";
    assert_false(inventory_config_parse(other, strlen(other), &c, &n, &error));
    free(error);
    assert_false(inventory_config_parse("<a>", 3, &c, &n, &error));
    free(error);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest),     cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_report_dates), cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_csv_rows),     cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_million_rows), cmocka_unit_test(test_configurations),
    };
    return cmocka_run_group_tests_name("inventory", tests, NULL, NULL);
}
