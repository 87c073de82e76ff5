/* test_sync.c: sync planning: what is copied, deleted and left alone given
 * two listings (local files by size and time, S3 objects by size and ETag,
 * multipart ETags, a local and an S3 side by age), the plan's summary with
 * and without delete = true, and the sync action on two local zones: the
 * dry run changes nothing, a sync makes the destination equal, extras go
 * only with delete = true, partial copies a killed sync left are cleared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "actions/sync.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static object_entry entry(const char *key, int64_t size, int64_t mtime, const char *etag) {
    return (object_entry){.key = (char *)key, .size = size, .mtime = mtime, .etag = (char *)etag};
}

static bool has_key(const object_entry *list, size_t n, const char *key) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].key, key) == 0)
            return true;
    return false;
}

static void test_plan_local(void **state) {
    (void)state;
    const object_entry src[] = {entry("a", 10, 100, NULL), entry("b", 20, 200, NULL),
                                entry("c", 5, 300, NULL), entry("e", 7, 400, NULL)};
    const object_entry dst[] = {entry("b", 20, 200, NULL), entry("c", 6, 300, NULL),
                                entry("d", 1, 400, NULL), entry("e", 7, 401, NULL)};
    sync_plan p;
    sync_plan_compare(src, 4, dst, 4, &p);
    /* a is missing, c differs in size, e in time: copied; b is the same */
    assert_int_equal(p.n_copy, 3);
    assert_true(has_key(p.copy, p.n_copy, "a"));
    assert_true(has_key(p.copy, p.n_copy, "c"));
    assert_true(has_key(p.copy, p.n_copy, "e"));
    assert_int_equal(p.bytes_to_copy, 10 + 5 + 7);
    assert_int_equal(p.n_same, 1);
    assert_int_equal(p.n_remove, 1);
    assert_string_equal(p.remove[0].key, "d");
    sync_plan_free(&p);
    assert_int_equal(p.n_copy, 0);

    sync_plan_compare(src, 4, NULL, 0, &p); /* an empty destination: everything */
    assert_int_equal(p.n_copy, 4);
    assert_int_equal(p.n_remove, 0);
    sync_plan_free(&p);
    sync_plan_compare(NULL, 0, dst, 4, &p); /* an empty source: only extras */
    assert_int_equal(p.n_copy, 0);
    assert_int_equal(p.n_remove, 4);
    assert_int_equal(p.bytes_to_copy, 0);
    sync_plan_free(&p);
}

static void test_plan_s3(void **state) {
    (void)state;
    /* both on S3: the ETag decides, times do not; a multipart ETag (a copy
     * changes it) counts as the same when the size matches */
    const object_entry src[] = {entry("same", 3, 1, "\"aa\""), entry("changed", 3, 1, "\"bb\""),
                                entry("multi", 9, 1, "\"cc-2\"")};
    const object_entry dst[] = {entry("changed", 3, 1, "\"b2\""), entry("multi", 9, 1, "\"dd\""),
                                entry("same", 3, 999, "\"aa\"")};
    /* listings come sorted by key */
    const object_entry src_sorted[] = {src[1], src[2], src[0]};
    sync_plan p;
    sync_plan_compare(src_sorted, 3, dst, 3, &p);
    assert_int_equal(p.n_copy, 1);
    assert_string_equal(p.copy[0].key, "changed");
    assert_string_equal(p.copy[0].etag, "\"bb\"");
    assert_int_equal(p.n_same, 2);
    sync_plan_free(&p);

    /* a local file and an S3 object: the copy counts when it is no older */
    const object_entry file[] = {entry("f", 4, 500, NULL), entry("g", 4, 500, NULL)};
    const object_entry object[] = {entry("f", 4, 500, "\"e\""), entry("g", 4, 499, "\"e\"")};
    sync_plan_compare(file, 2, object, 2, &p);
    assert_int_equal(p.n_copy, 1);
    assert_string_equal(p.copy[0].key, "g");
    sync_plan_free(&p);
}

static void test_summary(void **state) {
    (void)state;
    const object_entry src[] = {entry("a", 2048, 1, NULL)};
    const object_entry dst[] = {entry("x", 1, 1, NULL), entry("y", 1, 1, NULL)};
    sync_plan p;
    sync_plan_compare(src, 1, dst, 2, &p);
    sync_rule keep = {.name = "r", .from = "storing", .to = "users", .delete_extra = false};
    sync_rule drop = keep;
    drop.delete_extra = true;
    char *s = sync_plan_summary(&keep, &p);
    assert_string_equal(s, "storing -> users: 1 object (2.0 KiB) to copy, 0 unchanged, 2 extra "
                           "at the destination kept (delete = false)");
    free(s);
    s = sync_plan_summary(&drop, &p);
    assert_non_null(strstr(s, "2 extra at the destination to delete"));
    free(s);
    sync_plan_free(&p);
    sync_plan_compare(src, 1, src, 1, &p);
    s = sync_plan_summary(&drop, &p);
    assert_non_null(strstr(s, "0 objects (0 B) to copy, 1 unchanged, 0 extra at the destination"));
    assert_null(strstr(s, "delete"));
    free(s);
    sync_plan_free(&p);
}

/* ---- the action on two local zones ---------------------------------------- */

static void put_file(const char *root, const char *rel, size_t bytes, long mtime) {
    char *path = fs_join(root, rel);
    char *dir = xstrdup(path);
    *strrchr(dir, '/') = '\0';
    char *error = NULL;
    assert_true(fs_mkdirs(dir, &error));
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (size_t i = 0; i < bytes; i++)
        fputc('x', fp);
    fclose(fp);
    struct timeval tv[2] = {{mtime, 0}, {mtime, 0}};
    assert_int_equal(utimes(path, tv), 0);
    free(dir);
    free(path);
}

typedef struct notes {
    int progress;
    int notes;
    char last_note[512];
} notes;

static void record_progress(void *ctx, double fraction, const char *text) {
    (void)fraction;
    (void)text;
    ((notes *)ctx)->progress++;
}

static void record_note(void *ctx, const char *line) {
    notes *n = ctx;
    n->notes++;
    snprintf(n->last_note, sizeof n->last_note, "%s", line);
}

static bool exists(const char *root, const char *rel) {
    char *path = fs_join(root, rel);
    bool yes = access(path, F_OK) == 0;
    free(path);
    return yes;
}

static void test_run_local(void **state) {
    (void)state;
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-sync-test");
    assert_non_null(mkdtemp(tmpl));
    char *from = fs_join(tmpl, "from"), *to = fs_join(tmpl, "to"), *st = fs_join(tmpl, "state");
    setenv("XDG_STATE_HOME", st, 1);
    put_file(from, "t/dt=1/a.csv", 10, 1000);
    put_file(from, "t/dt=2/b.csv", 20, 2000);
    put_file(from, "other/c.csv", 5, 3000);
    put_file(to, "t/extra.csv", 3, 3000);
    put_file(to, "t/.laketop-partial-123-b.csv", 7, 3000); /* a killed sync's */
    zone zones[] = {{.name = "from", .uri = from, .role = "storing"},
                    {.name = "to", .uri = to, .role = "user"}};
    char *prefixes[] = {"t/"};
    sync_rule rules[] = {
        {.name = "keep", .from = "from", .to = "to", .prefixes = prefixes, .n_prefixes = 1},
        {.name = "drop",
         .from = "from",
         .to = "to",
         .prefixes = prefixes,
         .n_prefixes = 1,
         .delete_extra = true}};
    sync_config c = {.zones = zones, .n_zones = 2, .rules = rules, .n_rules = 2};
    notes n = {0};
    action_report report = {.progress = record_progress, .note = record_note, .ctx = &n};
    char *result = NULL;

    sync_request dry = {.config = &c, .rule = "keep", .dry_run = true};
    assert_int_equal(sync_run(&dry, &report, &result), ACTION_RESULT_DONE);
    assert_string_equal(result, "from -> to: 2 objects (30 B) to copy, 0 unchanged, 1 extra at the "
                                "destination kept (delete = false)");
    free(result);
    assert_false(exists(to, "t/dt=1/a.csv"));

    sync_request keep = {.config = &c, .rule = "keep"};
    assert_int_equal(sync_run(&keep, &report, &result), ACTION_RESULT_DONE);
    assert_string_equal(result, "copied 2 objects (30 B), deleted 0");
    free(result);
    assert_int_equal(n.notes, 1); /* the plan, before copying */
    assert_non_null(strstr(n.last_note, "2 objects (30 B) to copy"));
    assert_true(n.progress >= 3); /* comparing, then each copy */
    assert_true(exists(to, "t/dt=1/a.csv") && exists(to, "t/dt=2/b.csv"));
    assert_false(exists(to, "other/c.csv")); /* only the rule's prefixes */
    assert_true(exists(to, "t/extra.csv"));
    assert_false(exists(to, "t/.laketop-partial-123-b.csv"));
    struct stat sb;
    char *copied = fs_join(to, "t/dt=2/b.csv");
    assert_int_equal(stat(copied, &sb), 0);
    assert_int_equal(sb.st_size, 20);
    assert_int_equal(sb.st_mtime, 2000); /* the source's time: the next sync skips it */
    free(copied);

    assert_int_equal(sync_run(&keep, NULL, &result), ACTION_RESULT_DONE);
    assert_string_equal(result, "copied 0 objects (0 B), deleted 0");
    free(result);
    sync_request drop = {.config = &c, .rule = "drop"};
    assert_int_equal(sync_run(&drop, NULL, &result), ACTION_RESULT_DONE);
    assert_string_equal(result, "copied 0 objects (0 B), deleted 1");
    free(result);
    assert_false(exists(to, "t/extra.csv"));

    /* the last run is kept for the Zones view */
    char *runs = zones_runs_path();
    json_object *all = zones_runs_load(runs), *entry_, *ok;
    assert_true(json_object_object_get_ex(all, "drop", &entry_));
    assert_true(json_object_object_get_ex(entry_, "ok", &ok) && json_object_get_boolean(ok));
    json_object_put(all);
    free(runs);

    sync_request nosuch = {.config = &c, .rule = "nosuch"};
    assert_int_equal(sync_run(&nosuch, NULL, &result), ACTION_RESULT_REFUSED);
    assert_string_equal(result, "no rule named nosuch; the rules are: keep drop");
    free(result);
    rules[1].to = "nowhere";
    assert_int_equal(sync_run(&keep, NULL, &result), ACTION_RESULT_REFUSED);
    assert_non_null(strstr(result, "names zone \"nowhere\""));
    free(result);

    fs_remove_tree(tmpl);
    free(from);
    free(to);
    free(st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_local),
        cmocka_unit_test(test_plan_s3),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_run_local),
    };
    return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
