/* test_backup.c: the on-disk backup format: a catalog dump written, then
 * read back equal (databases, tables, partitions, names that need
 * escaping), the manifest's counts and checksums, the Hive DDL; a damaged
 * file, an extra file, a missing manifest and another format refused; a
 * directory of backups gives the newest; backups of the same second (also
 * two at once from two threads) get names of their own; modes 0700/0600. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions/backup.h"
#include "actions/backup_format.h"
#include "collector/glue_json.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static json_object *column(const char *name, const char *type) {
    json_object *c = json_object_new_object();
    json_object_object_add(c, "Name", json_object_new_string(name));
    json_object_object_add(c, "Type", json_object_new_string(type));
    return c;
}

/* Two databases (one with a name that needs escaping), a partitioned
 * table with two partitions, and an unpartitioned one. */
static json_object *make_dump(void) {
    json_object *databases, *tables, *partitions;
    json_object *dump = glue_json_dump_new(&databases, &tables, &partitions);
    const char *names[] = {"sales", "odd/name db"};
    for (size_t i = 0; i < 2; i++) {
        json_object *db = json_object_new_object();
        json_object_object_add(db, "Name", json_object_new_string(names[i]));
        json_object_array_add(databases, db);
    }
    json_object *orders = json_object_new_object();
    json_object_object_add(orders, "Name", json_object_new_string("orders"));
    json_object_object_add(orders, "DatabaseName", json_object_new_string("sales"));
    json_object *sd = json_object_new_object();
    json_object *cols = json_object_new_array();
    json_object_array_add(cols, column("id", "bigint"));
    json_object_array_add(cols, column("amount", "double"));
    json_object_object_add(sd, "Columns", cols);
    json_object_object_add(sd, "Location", json_object_new_string("s3://lake/sales/orders/"));
    json_object_object_add(orders, "StorageDescriptor", sd);
    json_object *keys = json_object_new_array();
    json_object_array_add(keys, column("dt", "string"));
    json_object_object_add(orders, "PartitionKeys", keys);
    json_object *sales_tables = json_object_new_array();
    json_object_array_add(sales_tables, orders);
    json_object_object_add(tables, "sales", sales_tables);
    json_object *odd = json_object_new_object();
    json_object_object_add(odd, "Name", json_object_new_string("t.1"));
    json_object_object_add(odd, "DatabaseName", json_object_new_string("odd/name db"));
    json_object *odd_tables = json_object_new_array();
    json_object_array_add(odd_tables, odd);
    json_object_object_add(tables, "odd/name db", odd_tables);
    json_object *parts = json_object_new_array();
    const char *days[] = {"2026-01-01", "2026-01-02"};
    for (size_t d = 0; d < 2; d++) {
        json_object *p = json_object_new_object();
        json_object *values = json_object_new_array();
        json_object_array_add(values, json_object_new_string(days[d]));
        json_object_object_add(p, "Values", values);
        json_object_object_add(p, "DatabaseName", json_object_new_string("sales"));
        json_object_object_add(p, "TableName", json_object_new_string("orders"));
        json_object_array_add(parts, p);
    }
    json_object *sales_parts = json_object_new_object();
    json_object_object_add(sales_parts, "orders", parts);
    json_object_object_add(partitions, "sales", sales_parts);
    return dump;
}

static char *temp_dir(void) {
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-backup-test");
    assert_non_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

static char *write_backup(const char *dest, int64_t now) {
    json_object *dump = make_dump();
    char *written = NULL, *error = NULL;
    backup_counts counts;
    if (!backup_format_write(dump, dest, "local:/lake", now, &written, &counts, &error))
        fail_msg("%s", error);
    assert_int_equal(counts.databases, 2);
    assert_int_equal(counts.tables, 2);
    assert_int_equal(counts.partitions, 2);
    assert_int_equal(counts.files, 7); /* 2 databases, 2 tables, 2 DDL, 1 partitions file */
    json_object_put(dump);
    return written;
}

static void test_roundtrip(void **state) {
    (void)state;
    char *dest = temp_dir();
    char *written = write_backup(dest, 1767225600); /* 2026-01-01T00:00:00Z */
    char *expected = fs_join(dest, "20260101T000000Z");
    assert_string_equal(written, expected);
    free(expected);
    /* escaped file names; the JSON inside carries the real ones */
    char *odd = fs_join(written, "tables/odd%2Fname%20db/t.1.json");
    assert_int_equal(access(odd, F_OK), 0);
    free(odd);

    json_object *back = NULL;
    backup_counts counts;
    char *chosen = NULL, *error = NULL;
    /* a directory of backups: the newest is read */
    if (!backup_format_read(dest, &back, &counts, &chosen, &error))
        fail_msg("%s", error);
    assert_string_equal(chosen, written);
    assert_int_equal(counts.databases, 2);
    assert_int_equal(counts.tables, 2);
    assert_int_equal(counts.partitions, 2);
    json_object *tables, *list, *parts, *per_db, *orders_parts;
    assert_true(json_object_object_get_ex(back, "tables", &tables));
    assert_true(json_object_object_get_ex(tables, "odd/name db", &list));
    assert_string_equal(backup_format_string(json_object_array_get_idx(list, 0), "Name"), "t.1");
    assert_true(json_object_object_get_ex(back, "partitions", &parts));
    assert_true(json_object_object_get_ex(parts, "sales", &per_db));
    assert_true(json_object_object_get_ex(per_db, "orders", &orders_parts));
    assert_int_equal(json_object_array_length(orders_parts), 2);
    json_object_put(back);
    free(chosen);

    /* a second, later backup is the one a directory read picks */
    char *later = write_backup(dest, 1767225600 + 3600);
    assert_true(backup_format_read(dest, &back, &counts, &chosen, &error));
    assert_string_equal(chosen, later);
    json_object_put(back);
    free(chosen);
    /* the same second again: a name of its own beside the first, and the
     * later stamp is still the newest */
    char *again = write_backup(dest, 1767225600);
    expected = fs_join(dest, "20260101T000000Z-2");
    assert_string_equal(again, expected);
    free(expected);
    assert_true(backup_format_read(dest, &back, &counts, &chosen, &error));
    assert_string_equal(chosen, later);
    json_object_put(back);
    free(chosen);
    free(again);
    free(later);
    free(written);
    fs_remove_tree(dest);
    free(dest);
}

/* Eleven backups in one second: -2 ... -11, and -11 (not -9, as text
 * would sort them) is the newest; a name held by an empty directory (a
 * backup on its way) is passed over. */
static void test_same_second(void **state) {
    (void)state;
    char *dest = temp_dir();
    for (int i = 1; i <= 11; i++) {
        char *written = write_backup(dest, 1767225600);
        char *expected = i == 1 ? xasprintf("%s/20260101T000000Z", dest)
                                : xasprintf("%s/20260101T000000Z-%d", dest, i);
        assert_string_equal(written, expected);
        free(expected);
        free(written);
    }
    char *held = fs_join(dest, "20260101T000000Z-12");
    assert_int_equal(mkdir(held, 0700), 0);
    json_object *back = NULL;
    backup_counts counts;
    char *chosen = NULL, *error = NULL;
    if (!backup_format_read(dest, &back, &counts, &chosen, &error))
        fail_msg("%s", error);
    char *expected = fs_join(dest, "20260101T000000Z-11");
    assert_string_equal(chosen, expected);
    free(expected);
    json_object_put(back);
    free(chosen);
    /* the held name is skipped by the next backup of that second */
    char *next = write_backup(dest, 1767225600);
    expected = fs_join(dest, "20260101T000000Z-13");
    assert_string_equal(next, expected);
    free(expected);
    free(next);
    free(held);
    fs_remove_tree(dest);
    free(dest);
}

/* A source whose catalog is make_dump(), made on each job's thread. */
static bool fake_dump(lake_source *self, json_object **dump, char **error) {
    (void)self;
    (void)error;
    *dump = make_dump();
    return true;
}

static void fake_free(lake_source *self) {
    free(self->name);
    free(self);
}

static lake_source *fake_make(void *ctx, char **error) {
    (void)ctx;
    (void)error;
    lake_source *s = xcalloc(1, sizeof *s);
    s->name = xstrdup("local:/lake");
    s->dump_catalog = fake_dump;
    s->free = fake_free;
    return s;
}

typedef struct backup_thread {
    const char *dest;
    action_status status;
    char *result;
} backup_thread;

static void *backup_thread_run(void *arg) {
    backup_thread *t = arg;
    backup_request r = {.source = {.make = fake_make}, .dest = t->dest};
    t->status = backup_run(&r, NULL, &t->result);
    return NULL;
}

/* Two backups of one catalog at the same clock second from two threads (as
 * two of the dashboard's jobs): both succeed, in two directories, both read
 * back; both audited (getpwuid_r: this runs under TSan too). */
static void test_concurrent(void **state) {
    (void)state;
    char *dest = temp_dir(), *home = temp_dir();
    setenv("LAKETOP_NOW", "2026-01-01T00:00:00Z", 1);
    setenv("XDG_STATE_HOME", home, 1);
    backup_thread t[2] = {{.dest = dest}, {.dest = dest}};
    pthread_t id[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&id[i], NULL, backup_thread_run, &t[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(id[i], NULL);
    unsetenv("LAKETOP_NOW");
    char *dirs[2];
    for (int i = 0; i < 2; i++) {
        if (t[i].status != ACTION_RESULT_DONE)
            fail_msg("backup %d: %s", i, t[i].result);
        const char *in = strstr(t[i].result, " in ");
        assert_non_null(in);
        dirs[i] = xstrdup(in + 4);
        assert_non_null(strstr(dirs[i], "/20260101T000000Z"));
        json_object *back = NULL;
        backup_counts counts;
        char *chosen = NULL, *error = NULL;
        if (!backup_format_read(dirs[i], &back, &counts, &chosen, &error))
            fail_msg("%s", error);
        assert_int_equal(counts.tables, 2);
        json_object_put(back);
        free(chosen);
        free(t[i].result);
    }
    assert_string_not_equal(dirs[0], dirs[1]);
    char *log = xasprintf("%s/laketop/audit.log", home), *error = NULL;
    size_t length;
    char *text = fs_read_file(log, &length, &error);
    assert_non_null(text);
    size_t lines = 0;
    for (char *p = text; (p = strstr(p, "\"action\":\"backup\"")); p++)
        lines++;
    assert_int_equal(lines, 2);
    free(text);
    free(log);
    free(dirs[0]);
    free(dirs[1]);
    unsetenv("XDG_STATE_HOME");
    fs_remove_tree(home);
    fs_remove_tree(dest);
    free(home);
    free(dest);
}

/* Checks every mode below a backup: directories 0700, files 0600. */
static void assert_private(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t want = S_ISDIR(st.st_mode) ? 0700 : 0600;
    if ((st.st_mode & 07777) != want)
        fail_msg("%s: mode %04o, not %04o", path, (unsigned)(st.st_mode & 07777), (unsigned)want);
    if (!S_ISDIR(st.st_mode))
        return;
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *sub = fs_join(path, e->d_name);
        assert_private(sub);
        free(sub);
    }
    closedir(d);
}

/* A backup holds the catalog: private whatever the umask (0 lets everything
 * through; 0277 would take the owner's write bit). */
static void test_modes(void **state) {
    (void)state;
    mode_t masks[] = {0, 022, 0277};
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        char *dest = temp_dir();
        mode_t old = umask(masks[i]);
        char *written = write_backup(dest, 1767225600);
        umask(old);
        assert_private(written);
        free(written);
        fs_remove_tree(dest);
        free(dest);
    }
}

static void test_ddl(void **state) {
    (void)state;
    json_object *dump = make_dump(), *tables, *list;
    json_object_object_get_ex(dump, "tables", &tables);
    json_object_object_get_ex(tables, "sales", &list);
    char *ddl = backup_format_ddl(json_object_array_get_idx(list, 0), "sales");
    assert_non_null(strstr(ddl, "CREATE EXTERNAL TABLE `sales`.`orders` (\n  `id` bigint,\n"
                                "  `amount` double\n)\n"));
    assert_non_null(strstr(ddl, "PARTITIONED BY (\n  `dt` string\n)\n"));
    assert_non_null(strstr(ddl, "LOCATION 's3://lake/sales/orders/'\n"));
    assert_string_equal(ddl + strlen(ddl) - 2, ";\n");
    free(ddl);
    json_object_put(dump);
}

/* Reading `dir` fails with an error containing `why`. */
static void refused(const char *dir, const char *why) {
    json_object *back = NULL;
    backup_counts counts;
    char *chosen = NULL, *error = NULL;
    assert_false(backup_format_read(dir, &back, &counts, &chosen, &error));
    assert_null(back);
    assert_non_null(error);
    if (!strstr(error, why))
        fail_msg("\"%s\" does not say \"%s\"", error, why);
    free(error);
}

static void put(const char *dir, const char *rel, const char *text) {
    char *path = fs_join(dir, rel), *error = NULL;
    assert_true(fs_write_atomic(path, text, strlen(text), &error));
    free(path);
}

static void test_damaged(void **state) {
    (void)state;
    char *dest = temp_dir();
    char *b = write_backup(dest, 1767225600);
    /* a table changed after the backup: its checksum no longer matches */
    char *path = fs_join(b, "tables/sales/orders.json");
    size_t length;
    char *error = NULL;
    char *text = fs_read_file(path, &length, &error);
    char *bigint = strstr(text, "bigint");
    assert_non_null(bigint);
    memcpy(bigint, "string", 6);
    put(b, "tables/sales/orders.json", text);
    refused(b, "checksum does not match");
    refused(b, "tables/sales/orders.json");
    memcpy(bigint, "bigint", 6);
    put(b, "tables/sales/orders.json", text);
    json_object *back = NULL;
    backup_counts counts;
    char *chosen = NULL;
    assert_true(backup_format_read(b, &back, &counts, &chosen, &error)); /* mended */
    json_object_put(back);
    free(chosen);
    /* a file the manifest does not list */
    put(b, "tables/sales/intruder.json", "{}");
    refused(b, "the manifest lists");
    char *intruder = fs_join(b, "tables/sales/intruder.json");
    unlink(intruder);
    free(intruder);
    /* another format */
    char *manifest_path = fs_join(b, "manifest.json");
    char *manifest = fs_read_file(manifest_path, &length, &error);
    char *format = strstr(manifest, BACKUP_FORMAT);
    assert_non_null(format);
    format[strlen(BACKUP_FORMAT) - 1] = '9';
    put(b, "manifest.json", manifest);
    refused(b, "not a laketop-catalog-backup/1 manifest");
    /* no manifest at all, here or below */
    unlink(manifest_path);
    refused(b, "not a laketop backup");
    refused(dest, "not a laketop backup");
    free(manifest);
    free(manifest_path);
    free(text);
    free(path);
    free(b);
    fs_remove_tree(dest);
    free(dest);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),  cmocka_unit_test(test_same_second),
        cmocka_unit_test(test_concurrent), cmocka_unit_test(test_modes),
        cmocka_unit_test(test_ddl),        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests_name("backup", tests, NULL, NULL);
}
