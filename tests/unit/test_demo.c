/* test_demo.c: the demo lake (tools/demo.h) keeps its promises: file times
 * match their partitions and never pass `now`, the seeded history adds up
 * to the files on disk (markers, checksums and unfinished writes left out),
 * the benchmark tables hold exactly the files asked for, the Iceberg and
 * Delta tables are what their catalog entries say (metadata that libavro
 * and json-c read back, live files on disk, history equal to the current
 * snapshot), and a directory in use is refused. Determinism over a whole
 * lake is test_once.sh's; the open formats' figures read by python3-avro
 * are test_demo_formats.sh's. */
#include <avro.h>
#include <json-c/json.h>
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
#include "collector/local/local_jobs.h"
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
    /* one sample a day, from the table's first data (none before it
     * existed) to today */
    assert_true(n >= 1 && n <= DAYS);
    for (size_t i = 1; i < n; i++)
        assert_int_equal(s[i].day, s[i - 1].day + 1);
    assert_int_equal(s[n - 1].day, (int32_t)(l->now / 86400));
    assert_true(s[0].objects > 0 || n == DAYS);
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

/* a line of progress per table: 19 Hive-style demo tables, the Iceberg and
 * the Delta table, and the benchmark's */
static void test_progress(void **state) {
    (void)state;
    assert_int_equal(progress.calls, 21 + BENCH_TABLES);
    assert_true(progress.in_order);
    assert_int_equal(progress.last_done, 21 + BENCH_TABLES);
    assert_int_equal(progress.last_total, 21 + BENCH_TABLES);
}

/* ---- the open-format tables ---- */

static json_object *load_json(const lake *l, const char *relative) {
    char *path = xasprintf("%s/%s", l->dir, relative);
    json_object *o = json_object_from_file(path);
    if (!o)
        fail_msg("%s does not read as JSON", path);
    free(path);
    return o;
}

static const char *json_string_at(json_object *o, const char *a, const char *b) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, a, &v) || (b && !json_object_object_get_ex(v, b, &v)))
        fail_msg("no %s%s%s", a, b ? "." : "", b ? b : "");
    return json_object_get_string(v);
}

static int64_t json_int_at(json_object *o, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("no %s", key);
    return json_object_get_int64(v);
}

static int64_t file_size(const lake *l, const char *relative) {
    char *path = xasprintf("%s/%s", l->dir, relative);
    struct stat st;
    int64_t size = stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
    free(path);
    return size;
}

/* Reads an Avro file of the lake with libavro's own file reader; calls
 * each(record, ctx) per record; the number of records. */
static size_t read_avro(const lake *l, const char *relative,
                        void (*each)(const lake *l, avro_value_t *record, void *ctx), void *ctx) {
    char *path = xasprintf("%s/%s", l->dir, relative);
    avro_file_reader_t reader;
    if (avro_file_reader(path, &reader) != 0)
        fail_msg("libavro cannot open %s: %s", path, avro_strerror());
    avro_schema_t schema = avro_file_reader_get_writer_schema(reader);
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t record;
    avro_generic_value_new(iface, &record);
    size_t n = 0;
    while (avro_file_reader_read_value(reader, &record) == 0) {
        each(l, &record, ctx);
        n++;
    }
    avro_value_decref(&record);
    avro_value_iface_decref(iface);
    avro_schema_decref(schema);
    avro_file_reader_close(reader);
    free(path);
    return n;
}

static avro_value_t avro_field(avro_value_t *record, const char *name) {
    avro_value_t v;
    if (avro_value_get_by_name(record, name, &v, NULL) != 0)
        fail_msg("no field %s", name);
    return v;
}

/* The live files of the current snapshot: every ADDED or EXISTING data
 * file, on disk with the size its entry says. */
typedef struct live_tally {
    int64_t data_files, delete_files, bytes, records;
    size_t manifests;
} live_tally;

static void count_entry(const lake *l, avro_value_t *entry, void *ctx) {
    live_tally *tally = ctx;
    avro_value_t status = avro_field(entry, "status"), file = avro_field(entry, "data_file");
    int32_t st, content;
    int64_t size, records;
    const char *path;
    size_t path_size;
    avro_value_get_int(&status, &st);
    avro_value_t v = avro_field(&file, "content");
    avro_value_get_int(&v, &content);
    v = avro_field(&file, "file_size_in_bytes");
    avro_value_get_long(&v, &size);
    v = avro_field(&file, "record_count");
    avro_value_get_long(&v, &records);
    v = avro_field(&file, "file_path");
    avro_value_get_string(&v, &path, &path_size);
    if (st == 2)
        return;
    if (file_size(l, path) != size)
        fail_msg("%s: %lld bytes on disk, %lld in its manifest", path,
                 (long long)file_size(l, path), (long long)size);
    tally->bytes += size;
    if (content == 0) {
        tally->data_files++;
        tally->records += records;
    } else {
        tally->delete_files++;
    }
}

static void count_manifest(const lake *l, avro_value_t *manifest_file, void *ctx) {
    live_tally *tally = ctx;
    avro_value_t v = avro_field(manifest_file, "manifest_path");
    const char *path;
    size_t path_size;
    avro_value_get_string(&v, &path, &path_size);
    int64_t length;
    v = avro_field(manifest_file, "manifest_length");
    avro_value_get_long(&v, &length);
    assert_int_equal(file_size(l, path), length);
    tally->manifests++;
    read_avro(l, path, count_entry, tally);
}

static json_object *current_snapshot(json_object *metadata) {
    int64_t current = json_int_at(metadata, "current-snapshot-id");
    json_object *snapshots = NULL;
    assert_true(json_object_object_get_ex(metadata, "snapshots", &snapshots));
    for (size_t i = 0; i < json_object_array_length(snapshots); i++) {
        json_object *s = json_object_array_get_idx(snapshots, i);
        if (json_int_at(s, "snapshot-id") == current)
            return s;
    }
    fail_msg("no current snapshot %lld", (long long)current);
    return NULL;
}

static void test_iceberg_table(void **state) {
    lake *l = *state;
    json_object *entry = load_json(l, "catalog/weblogs/events.json");
    assert_string_equal(json_string_at(entry, "Parameters", "table_type"), "ICEBERG");
    assert_string_equal(json_string_at(entry, "TableType", NULL), "EXTERNAL_TABLE");
    const char *location = json_string_at(entry, "StorageDescriptor", "Location");
    assert_string_equal(location, "storing/weblogs/events");
    /* metadata_location names the newest version; version-hint.text too */
    const char *metadata_location = json_string_at(entry, "Parameters", "metadata_location");
    const char *previous = json_string_at(entry, "Parameters", "previous_metadata_location");
    assert_true(file_size(l, previous) > 0);
    char *hint_path = xasprintf("%s/%s/metadata/version-hint.text", l->dir, location);
    FILE *f = fopen(hint_path, "r");
    int version = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &version), 1);
    fclose(f);
    char *newest = xasprintf("%s/metadata/v%d.metadata.json", location, version);
    assert_string_equal(metadata_location, newest);

    json_object *metadata = load_json(l, metadata_location);
    assert_int_equal(json_int_at(metadata, "format-version"), 2);
    assert_string_equal(json_string_at(metadata, "location", NULL), location);
    json_object *current = current_snapshot(metadata);
    json_object *summary = NULL;
    assert_true(json_object_object_get_ex(current, "summary", &summary));
    /* the summary's totals are the sums over the current manifests */
    live_tally tally = {0};
    const char *manifest_list = json_string_at(current, "manifest-list", NULL);
    size_t listed = read_avro(l, manifest_list, count_manifest, &tally);
    assert_int_equal(listed, tally.manifests);
    assert_true(tally.manifests >= 2); /* the appends' and the delete's */
    assert_int_equal(tally.data_files, atoll(json_string_at(summary, "total-data-files", NULL)));
    assert_int_equal(tally.bytes, atoll(json_string_at(summary, "total-files-size", NULL)));
    assert_int_equal(tally.records, atoll(json_string_at(summary, "total-records", NULL)));
    assert_int_equal(tally.delete_files, 1);   /* the row-level delete of two days ago */
    assert_true(tally.data_files >= 2 * DAYS); /* 2 to 4 files a day */
    json_object *snapshots = NULL;
    assert_true(json_object_object_get_ex(metadata, "snapshots", &snapshots));
    assert_int_equal(json_object_array_length(snapshots), DAYS + 1); /* appends, the delete */

    /* the history's last sample is the current snapshot */
    history_store *h = load_history(l);
    const history_sample *s = last_sample(h, "weblogs", "events", l);
    assert_int_equal(s->objects, tally.data_files);
    assert_int_equal(s->bytes, tally.bytes);
    assert_int_equal(s->newest_object, json_int_at(current, "timestamp-ms") / 1000);
    history_store_free(h);
    free(newest);
    free(hint_path);
    json_object_put(metadata);
    json_object_put(entry);
}

static void test_delta_table(void **state) {
    lake *l = *state;
    json_object *entry = load_json(l, "catalog/sales/payments.json");
    assert_string_equal(json_string_at(entry, "Parameters", "spark.sql.sources.provider"), "delta");
    assert_string_equal(json_string_at(entry, "Parameters", "table_type"), "DELTA");
    const char *location = json_string_at(entry, "StorageDescriptor", "Location");
    json_object *columns = NULL, *sd = NULL;
    assert_true(json_object_object_get_ex(entry, "StorageDescriptor", &sd));
    assert_true(json_object_object_get_ex(sd, "Columns", &columns));
    assert_int_equal(json_object_array_length(columns), 7);

    /* versions 0..DAYS (creation, one append a day), each a JSON commit */
    int64_t last_ms = -1;
    for (int v = 0; v <= DAYS; v++) {
        char *commit = xasprintf("%s/%s/_delta_log/%020d.json", l->dir, location, v);
        FILE *f = fopen(commit, "r");
        if (!f)
            fail_msg("no %s", commit);
        char line[8192];
        assert_non_null(fgets(line, sizeof line, f)); /* commitInfo first */
        json_object *info = json_tokener_parse(line), *ci = NULL;
        assert_true(json_object_object_get_ex(info, "commitInfo", &ci));
        last_ms = json_int_at(ci, "timestamp");
        json_object_put(info);
        fclose(f);
        free(commit);
    }
    char *next = xasprintf("%s/_delta_log/%020d.json", location, DAYS + 1);
    assert_int_equal(file_size(l, next), -1);
    char *crc_name = xasprintf("%s/_delta_log/%020d.crc", location, DAYS);
    json_object *crc = load_json(l, crc_name);
    history_store *h = load_history(l);
    const history_sample *s = last_sample(h, "sales", "payments", l);
    assert_int_equal(s->objects, json_int_at(crc, "numFiles"));
    assert_int_equal(s->bytes, json_int_at(crc, "tableSizeBytes"));
    assert_int_equal(s->newest_object, last_ms / 1000);
    assert_true(s->objects >= DAYS);
    history_store_free(h);
    json_object_put(crc);
    free(crc_name);
    free(next);
    json_object_put(entry);
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
    /* two jobs with commands; their past in .laketop/jobs.jsonl: the newest
     * run of load_partners failed, check_landing's succeeded */
    assert_int_equal(c.jobs.n, 2);
    assert_string_equal(c.jobs.list[0].name, "check_landing");
    assert_string_equal(c.jobs.list[1].name, "load_partners");
    assert_non_null(c.jobs.list[0].command);
    assert_non_null(c.jobs.list[1].command);
    char *log_path = local_jobs_path(l->dir);
    local_jobs_log log;
    char *log_error = NULL;
    assert_true(local_jobs_read(log_path, &log, &log_error));
    assert_int_equal(log.broken_lines, 0);
    assert_int_equal(log.n, 30); /* 15 days of both */
    const pipeline_run *newest[2] = {NULL, NULL};
    for (size_t i = 0; i < log.n; i++) {
        int k = strcmp(log.entries[i].job, "load_partners") == 0;
        assert_true(log.entries[i].run.started_at < l->now);
        if (!newest[k] || log.entries[i].run.started_at > newest[k]->started_at)
            newest[k] = &log.entries[i].run;
    }
    assert_string_equal(newest[0]->state, "SUCCEEDED");
    assert_string_equal(newest[1]->state, "FAILED");
    assert_non_null(strstr(newest[1]->error, "no _SUCCESS marker"));
    local_jobs_log_free(&log);
    free(log_path);
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
        cmocka_unit_test(test_iceberg_table),
        cmocka_unit_test(test_delta_table),
    };
    return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
