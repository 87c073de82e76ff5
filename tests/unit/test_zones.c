/* test_zones.c: zones and sync rules as the config declares them: the checks
 * before a sync (missing zones, a zone copied onto itself, malformed s3://
 * addresses), s3:// zone addresses, mapping files (rules from CSV rows,
 * quoted fields, broken rows named by file and line), look-ups, a local
 * zone's listing (keys, sizes, partial copies apart), an S3 zone's listing
 * through a fake object store, the rules' last runs and the Zones view's
 * figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "collector/zones.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *make_tmpdir(void) {
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-zones-test");
    assert_non_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

/* Writes `text` to dir/rel (parents made); returns the full path. */
static char *write_file(const char *dir, const char *rel, const char *text) {
    char *path = fs_join(dir, rel);
    char *parent = xstrdup(path);
    *strrchr(parent, '/') = '\0';
    char *error = NULL;
    if (!fs_mkdirs(parent, &error))
        fail_msg("%s", error);
    free(parent);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
    return path;
}

static void put_file(const char *dir, const char *rel, const char *text, long mtime) {
    char *path = write_file(dir, rel, text);
    struct timeval tv[2] = {{mtime, 0}, {mtime, 0}};
    assert_int_equal(utimes(path, tv), 0);
    free(path);
}

/* Zones used by most cases; a static config, copied onto the heap where a
 * test adds to it. */
static zone base_zones[] = {
    {.name = "landing", .uri = "/lake/landing", .role = "landing"},
    {.name = "storing", .uri = "/lake/storing", .role = "storing"},
    {.name = "marketing", .uri = "file:///users/marketing", .role = "user"},
    {.name = "finance", .uri = "s3://fin-bucket/data/", .role = "user"},
};

static char *orders_prefix[] = {"sales/orders/"};
static sync_rule base_rules[] = {
    {.name = "to_marketing",
     .from = "storing",
     .to = "marketing",
     .prefixes = orders_prefix,
     .n_prefixes = 1},
    {.name = "to_finance", .from = "storing", .to = "finance", .delete_extra = true},
};

static sync_config base_config(void) {
    return (sync_config){.zones = base_zones,
                         .n_zones = sizeof base_zones / sizeof base_zones[0],
                         .rules = base_rules,
                         .n_rules = sizeof base_rules / sizeof base_rules[0]};
}

/* ---- zones_check -------------------------------------------------------------- */

static void test_check_good(void **state) {
    (void)state;
    sync_config c = base_config();
    char *error = NULL;
    if (!zones_check(&c, &error))
        fail_msg("%s", error);
    assert_null(error);

    sync_config empty = {0}; /* no zones, no rules */
    assert_true(zones_check(&empty, &error));
    assert_null(error);

    /* a bucket without a prefix is a whole bucket, and fine */
    zone whole[] = {{.name = "a", .uri = "s3://bucket", .role = "user"},
                    {.name = "b", .uri = "/b", .role = "user"}};
    sync_rule r = {.name = "r", .from = "b", .to = "a"};
    sync_config c2 = {.zones = whole, .n_zones = 2, .rules = &r, .n_rules = 1};
    assert_true(zones_check(&c2, &error));
    assert_null(error);
}

static void test_check_missing_zone(void **state) {
    (void)state;
    char *error = NULL;
    sync_rule bad_to = {.name = "r1", .from = "storing", .to = "nowhere"};
    sync_config c = {.zones = base_zones, .n_zones = 4, .rules = &bad_to, .n_rules = 1};
    assert_false(zones_check(&c, &error));
    assert_string_equal(
        error, "sync rule r1 names zone \"nowhere\", which is not defined ([zone nowhere])");
    free(error);

    error = NULL;
    sync_rule bad_from = {.name = "r2", .from = "elsewhere", .to = "storing"};
    c.rules = &bad_from;
    assert_false(zones_check(&c, &error));
    assert_non_null(strstr(error, "sync rule r2 names zone \"elsewhere\""));
    free(error);

    /* a rule after good ones is checked too */
    error = NULL;
    sync_rule rules[] = {base_rules[0], base_rules[1], bad_to};
    c.rules = rules;
    c.n_rules = 3;
    assert_false(zones_check(&c, &error));
    assert_non_null(strstr(error, "sync rule r1"));
    free(error);
}

static void test_check_onto_itself(void **state) {
    (void)state;
    char *error = NULL;
    sync_rule self = {.name = "loop", .from = "storing", .to = "storing"};
    sync_config c = {.zones = base_zones, .n_zones = 4, .rules = &self, .n_rules = 1};
    assert_false(zones_check(&c, &error));
    assert_string_equal(error, "sync rule loop copies zone storing onto itself");
    free(error);
}

static void test_check_bad_s3(void **state) {
    (void)state;
    static const char *bad[] = {"s3:///p", "s3://", "s3:///"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* no rule needs it: a zone that cannot be reached is refused anyway */
        zone zones[] = {{.name = "good", .uri = "s3://b/p/", .role = "user"},
                        {.name = "broken", .uri = (char *)bad[i], .role = "user"}};
        sync_config c = {.zones = zones, .n_zones = 2};
        char *error = NULL;
        assert_false(zones_check(&c, &error));
        assert_non_null(error);
        if (!strstr(error, "zone broken") || !strstr(error, bad[i]))
            fail_msg("case %s: \"%s\" names neither the zone nor its address", bad[i], error);
        free(error);
    }
}

/* ---- zones_s3_split ------------------------------------------------------------ */

static void test_s3_split(void **state) {
    (void)state;
    static const struct {
        const char *uri, *bucket, *prefix;
    } good[] = {
        {"s3://bucket/prefix", "bucket", "prefix/"},
        {"s3://bucket/prefix/", "bucket", "prefix/"},
        {"s3://bucket/a/b/c", "bucket", "a/b/c/"},
        {"s3://bucket", "bucket", ""},
        {"s3://bucket/", "bucket", ""},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        zone z = {.name = "z", .uri = (char *)good[i].uri, .role = "user"};
        char *bucket = NULL, *prefix = NULL, *error = NULL;
        if (!zones_s3_split(&z, &bucket, &prefix, &error))
            fail_msg("%s: %s", good[i].uri, error);
        assert_null(error);
        assert_string_equal(bucket, good[i].bucket);
        assert_string_equal(prefix, good[i].prefix);
        free(bucket);
        free(prefix);
    }

    static const char *bad[] = {"s3:///p", "s3://", "/local/dir", "hdfs://nn/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zone z = {.name = "users", .uri = (char *)bad[i], .role = "user"};
        char *bucket = (char *)"sentinel", *prefix = (char *)"sentinel", *error = NULL;
        assert_false(zones_s3_split(&z, &bucket, &prefix, &error));
        assert_null(bucket);
        assert_null(prefix);
        assert_non_null(error);
        if (strncmp(error, "zone users: ", 12) != 0 || !strstr(error, bad[i]))
            fail_msg("case %s: \"%s\"", bad[i], error);
        free(error);
    }
}

/* ---- zones_find, zones_find_rule, zones_use_s3, zones_dir ------------------------ */

static void test_find(void **state) {
    (void)state;
    sync_config c = base_config();
    assert_ptr_equal(zones_find(&c, "storing"), &base_zones[1]);
    assert_ptr_equal(zones_find(&c, "finance"), &base_zones[3]);
    assert_null(zones_find(&c, "Storing")); /* names are exact */
    assert_null(zones_find(&c, "stor"));
    assert_null(zones_find(&c, "/lake/storing")); /* by name, not address */
    assert_ptr_equal(zones_find_rule(&c, "to_finance"), &base_rules[1]);
    assert_ptr_equal(zones_find_rule(&c, "to_marketing"), &base_rules[0]);
    assert_null(zones_find_rule(&c, "to"));
    assert_null(zones_find_rule(&c, "storing")); /* a zone is not a rule */

    sync_config empty = {0};
    assert_null(zones_find(&empty, "storing"));
    assert_null(zones_find_rule(&empty, "to_finance"));
}

static void test_use_s3(void **state) {
    (void)state;
    sync_config c = base_config();
    assert_true(zones_use_s3(&c));
    c.n_zones = 3; /* without finance: all local */
    assert_false(zones_use_s3(&c));
    sync_config empty = {0};
    assert_false(zones_use_s3(&empty));
    zone only[] = {{.name = "x", .uri = "s3://b", .role = "user"}};
    sync_config one = {.zones = only, .n_zones = 1};
    assert_true(zones_use_s3(&one));
}

static void test_dir(void **state) {
    (void)state;
    zone plain = {.name = "a", .uri = "/data/lake", .role = "storing"};
    zone file = {.name = "b", .uri = "file:///data/users", .role = "user"};
    zone relative = {.name = "c", .uri = "lake/here", .role = "user"};
    assert_string_equal(zones_dir(&plain), "/data/lake");
    assert_string_equal(zones_dir(&file), "/data/users");
    assert_string_equal(zones_dir(&relative), "lake/here");
    assert_ptr_equal(zones_dir(&plain), plain.uri); /* borrowed from the zone */
    assert_ptr_equal(zones_dir(&file), file.uri + strlen("file://"));
}

/* ---- zones_config_copy ------------------------------------------------------------ */

static void test_config_copy(void **state) {
    (void)state;
    sync_config src = base_config();
    zone with_null_role[5];
    memcpy(with_null_role, base_zones, sizeof base_zones);
    with_null_role[4] = (zone){.name = "norole", .uri = "/x", .role = NULL};
    src.zones = with_null_role;
    src.n_zones = 5;
    sync_config dst;
    zones_config_copy(&dst, &src);
    assert_int_equal(dst.n_zones, 5);
    assert_int_equal(dst.n_rules, 2);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(dst.zones[i].name, base_zones[i].name);
        assert_string_equal(dst.zones[i].uri, base_zones[i].uri);
        assert_string_equal(dst.zones[i].role, base_zones[i].role);
        assert_ptr_not_equal(dst.zones[i].name, base_zones[i].name); /* its own */
    }
    assert_null(dst.zones[4].role);
    assert_string_equal(dst.rules[0].name, "to_marketing");
    assert_int_equal(dst.rules[0].n_prefixes, 1);
    assert_string_equal(dst.rules[0].prefixes[0], "sales/orders/");
    assert_ptr_not_equal(dst.rules[0].prefixes[0], orders_prefix[0]);
    assert_false(dst.rules[0].delete_extra);
    assert_true(dst.rules[1].delete_extra);
    assert_int_equal(dst.rules[1].n_prefixes, 0);
    zones_config_free(&dst);
    assert_int_equal(dst.n_zones, 0);
    assert_int_equal(dst.n_rules, 0);
    assert_null(dst.zones);
}

/* ---- zones_load_mapping ------------------------------------------------------------ */

static const sync_rule *rule_named(const sync_config *c, const char *name) {
    const sync_rule *r = zones_find_rule(c, name);
    if (!r)
        fail_msg("no rule named \"%s\"", name);
    return r;
}

static void assert_mapping_rule(const sync_config *c, const char *name, const char *to,
                                const char *prefix) {
    const sync_rule *r = rule_named(c, name);
    assert_string_equal(r->from, "storing");
    assert_string_equal(r->to, to);
    assert_int_equal(r->n_prefixes, 1);
    assert_string_equal(r->prefixes[0], prefix);
    assert_false(r->delete_extra);
}

static void test_mapping_rows(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    char *path = write_file(dir, "mapping.csv",
                            "TABLE,GROUP,FEQ,USER_BUCKET\n"
                            "orders,sales,daily,marketing\n"
                            "\n" /* a blank line is skipped */
                            "customers,sales,weekly,s3://fin-bucket/data/\n"
                            "  events , ops ,, marketing  \n" /* spaces around, FEQ empty */
                            "\"cust,omers\",\"grp \"\"A\"\"\",\"d,w\",\"finance\"\n"
                            "clicks,web,hourly,file:///users/marketing\n");
    sync_config c;
    sync_config src = base_config();
    zones_config_copy(&c, &src);
    char *error = NULL;
    if (!zones_load_mapping(&c, path, &error))
        fail_msg("%s", error);
    assert_null(error);
    assert_int_equal(c.n_rules, 2 + 5);
    /* the config's own rules are kept, first */
    assert_string_equal(c.rules[0].name, "to_marketing");
    assert_string_equal(c.rules[1].name, "to_finance");
    /* rows in file order */
    assert_string_equal(c.rules[2].name, "sales/orders");
    assert_string_equal(c.rules[3].name, "sales/customers");
    assert_mapping_rule(&c, "sales/orders", "marketing", "orders/");
    assert_mapping_rule(&c, "sales/customers", "finance", "customers/"); /* by URI */
    assert_mapping_rule(&c, "ops/events", "marketing", "events/");
    assert_mapping_rule(&c, "grp \"A\"/cust,omers", "finance", "cust,omers/");
    assert_mapping_rule(&c, "web/clicks", "marketing", "clicks/"); /* a file:// URI */
    /* the rules pass the checks a sync makes */
    assert_true(zones_check(&c, &error));
    zones_config_free(&c);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

/* As Excel writes "CSV UTF-8": a byte-order mark, and blank lines before
 * the header. */
static void test_mapping_bom_and_leading_blank(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    char *path = write_file(dir, "mapping.csv",
                            "\xef\xbb\xbf\n\nTABLE,GROUP,FEQ,USER_BUCKET\n"
                            "orders,sales,daily,marketing\n");
    sync_config c;
    sync_config src = base_config();
    zones_config_copy(&c, &src);
    char *error = NULL;
    if (!zones_load_mapping(&c, path, &error))
        fail_msg("%s", error);
    assert_int_equal(c.n_rules, 2 + 1);
    assert_mapping_rule(&c, "sales/orders", "marketing", "orders/");
    zones_config_free(&c);
    /* a wrong header after blank lines is named on its own line */
    free(path);
    path = write_file(dir, "bad.csv", "\n\nTABLE,GROUP\n");
    zones_config_copy(&c, &src);
    assert_false(zones_load_mapping(&c, path, &error));
    assert_non_null(strstr(error, "bad.csv:3: the header must be"));
    free(error);
    zones_config_free(&c);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

static void test_mapping_crlf_and_storing(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    /* as a spreadsheet writes it: CRLF, quoted header */
    char *path = write_file(dir, "m.csv",
                            "\"TABLE\",\"GROUP\",\"FEQ\",\"USER_BUCKET\"\r\n"
                            "orders,sales,daily,users\r\n");
    /* the storing zone is found by role, whatever its name */
    zone zones[] = {{.name = "main", .uri = "/lake", .role = "storing"},
                    {.name = "users", .uri = "/users", .role = "user"}};
    sync_config src = {.zones = zones, .n_zones = 2};
    sync_config c;
    zones_config_copy(&c, &src);
    char *error = NULL;
    if (!zones_load_mapping(&c, path, &error))
        fail_msg("%s", error);
    assert_int_equal(c.n_rules, 1);
    assert_string_equal(c.rules[0].name, "sales/orders");
    assert_string_equal(c.rules[0].from, "main");
    assert_string_equal(c.rules[0].to, "users");
    assert_string_equal(c.rules[0].prefixes[0], "orders/");
    zones_config_free(&c);

    /* no zone with role storing: the first row says so */
    zone no_storing[] = {{.name = "users", .uri = "/users", .role = "user"},
                         {.name = "other", .uri = "/other", .role = NULL}};
    sync_config src2 = {.zones = no_storing, .n_zones = 2};
    zones_config_copy(&c, &src2);
    error = NULL;
    assert_false(zones_load_mapping(&c, path, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, ":2: no zone has role = storing"));
    assert_non_null(strstr(error, path));
    free(error);
    zones_config_free(&c);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

static void test_mapping_broken(void **state) {
    (void)state;
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"TABLE,GROUP,FEQ\norders,sales,daily,marketing\n", ":1: the header must be"},
        {"TABLE,GROUP,FREQ,USER_BUCKET\n", ":1: the header must be"},
        {"orders,sales,daily,marketing\n", ":1: the header must be"}, /* no header */
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,daily,marketing\nbroken,row\n", ":3: 2 fields"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\n\n\norders,sales,daily\n", ":4: 3 fields"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,daily,marketing,extra\n", ":2: 5 fields"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\n\"a,b\",c,d\n", ":2: 3 fields"}, /* the quoted comma */
        {"TABLE,GROUP,FEQ,USER_BUCKET\n,sales,daily,marketing\n", ":2: TABLE, GROUP and"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,,daily,marketing\n", ":2: TABLE, GROUP and"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,daily, \n", ":2: TABLE, GROUP and"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\nsales/orders,g,d,marketing\n", "be a plain name"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\n..,g,d,marketing\n", "be a plain name"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,daily,nowhere\n",
         ":2: USER_BUCKET \"nowhere\" is not a zone (declare [zone nowhere])"},
        {"TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,daily,marketing\nx,y,z,fin-bucket\n",
         ":3: USER_BUCKET \"fin-bucket\" is not a zone"}, /* a bucket alone is no zone's URI */
    };
    char *dir = make_tmpdir();
    sync_config src = base_config();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "case%zu.csv", i);
        char *path = write_file(dir, name, cases[i].text);
        sync_config c;
        zones_config_copy(&c, &src);
        char *error = NULL;
        assert_false(zones_load_mapping(&c, path, &error));
        assert_non_null(error);
        /* "PATH:LINE: ..." */
        if (strncmp(error, path, strlen(path)) != 0 || !strstr(error, cases[i].expect))
            fail_msg("case %zu: \"%s\" lacks the path or \"%s\"", i, error, cases[i].expect);
        free(error);
        zones_config_free(&c);
        free(path);
    }

    /* a file that cannot be read */
    char *missing = fs_join(dir, "missing.csv");
    sync_config c;
    zones_config_copy(&c, &src);
    char *error = NULL;
    assert_false(zones_load_mapping(&c, missing, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, missing));
    assert_int_equal(c.n_rules, 2);
    free(error);
    zones_config_free(&c);
    free(missing);
    fs_remove_tree(dir);
    free(dir);
}

/* TABLE must be a plain name ('/' and ".." are refused): "." is not one
 * either. Its rule's prefix "./" is the whole storing zone, so the row
 * copied every table to the user zone. FAILS on the code as it is: "." is
 * accepted (zones_load_mapping checks only '/' and ".."). */
static void test_mapping_dot_table(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    char *storing = fs_join(dir, "storing"), *user = fs_join(dir, "user");
    put_file(storing, "orders/a.csv", "a", 1);
    put_file(storing, "secret/b.csv", "b", 1);
    char *path = write_file(dir, "m.csv", "TABLE,GROUP,FEQ,USER_BUCKET\n.,mkt,daily,user\n");
    zone zones[] = {{.name = "storing", .uri = storing, .role = "storing"},
                    {.name = "user", .uri = user, .role = "user"}};
    sync_config src = {.zones = zones, .n_zones = 2};
    sync_config c;
    zones_config_copy(&c, &src);
    char *error = NULL;
    bool loaded = zones_load_mapping(&c, path, &error);
    if (loaded) {
        /* what such a rule would copy: every table of the zone */
        zone_listing l;
        assert_true(zones_list(&c.zones[0], c.rules[0].prefixes, 1, NULL, &l, &error));
        size_t n = l.n;
        zones_listing_free(&l);
        zones_config_free(&c);
        fs_remove_tree(dir);
        free(path);
        free(storing);
        free(user);
        free(dir);
        fail_msg("TABLE \".\" accepted: rule %s would copy %zu objects (the whole storing zone)",
                 "mkt/.", n);
    }
    assert_non_null(strstr(error, ":2:"));
    assert_non_null(strstr(error, "be a plain name"));
    free(error);
    zones_config_free(&c);
    free(path);
    free(storing);
    free(user);
    fs_remove_tree(dir);
    free(dir);
}

static void test_mapping_empty(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    sync_config src = base_config();
    static const char *texts[] = {"", "\n\n", "TABLE,GROUP,FEQ,USER_BUCKET\n",
                                  "TABLE,GROUP,FEQ,USER_BUCKET"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "empty%zu.csv", i);
        char *path = write_file(dir, name, texts[i]);
        sync_config c;
        zones_config_copy(&c, &src);
        char *error = NULL;
        if (!zones_load_mapping(&c, path, &error))
            fail_msg("case %zu: %s", i, error);
        assert_null(error);
        assert_int_equal(c.n_rules, 2); /* nothing added, nothing lost */
        assert_string_equal(c.rules[1].name, "to_finance");
        zones_config_free(&c);
        free(path);
    }
    /* a last row without a newline counts */
    char *path = write_file(dir, "last.csv", "TABLE,GROUP,FEQ,USER_BUCKET\norders,sales,d,finance");
    sync_config c;
    zones_config_copy(&c, &src);
    char *error = NULL;
    if (!zones_load_mapping(&c, path, &error))
        fail_msg("%s", error);
    assert_int_equal(c.n_rules, 3);
    assert_mapping_rule(&c, "sales/orders", "finance", "orders/");
    zones_config_free(&c);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

/* ---- zones_list on a local zone -------------------------------------------------------- */

static void test_list_local(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    char *root = fs_join(dir, "zone");
    put_file(root, "sales/orders/dt=2/b.csv", "bbbbbbbbbbbbbbbbbbbb", 2000); /* 20 B */
    put_file(root, "sales/orders/dt=1/a.csv", "aaaaaaaaaa", 1000);           /* 10 B */
    put_file(root, "sales/orders/dt=1/.laketop-partial-42-c.csv", "ccc", 1); /* not an object */
    put_file(root, "sales/customers/part-0.parquet", "p", 3000);
    put_file(root, "top.txt", "", 4000); /* empty, at the zone's root */
    put_file(root, ".laketop-partial-7-top.txt", "xx", 1);
    char *empty_dir = fs_join(root, "sales/empty");
    char *error = NULL;
    assert_true(fs_mkdirs(empty_dir, &error));

    zone z = {.name = "z", .uri = root, .role = "storing"};
    zone_listing l;
    if (!zones_list(&z, NULL, 0, NULL, &l, &error))
        fail_msg("%s", error);
    /* every object, sorted by key, keys relative to the zone */
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].key, "sales/customers/part-0.parquet");
    assert_string_equal(l.items[1].key, "sales/orders/dt=1/a.csv");
    assert_string_equal(l.items[2].key, "sales/orders/dt=2/b.csv");
    assert_string_equal(l.items[3].key, "top.txt");
    assert_int_equal(l.items[0].size, 1);
    assert_int_equal(l.items[1].size, 10);
    assert_int_equal(l.items[2].size, 20);
    assert_int_equal(l.items[3].size, 0);
    assert_int_equal(l.items[1].mtime, 1000);
    assert_int_equal(l.items[2].mtime, 2000);
    assert_null(l.items[1].etag);
    /* partial copies apart, by full path */
    assert_int_equal(l.n_partials, 2);
    char *p1 = fs_join(root, "sales/orders/dt=1/.laketop-partial-42-c.csv");
    char *p2 = fs_join(root, ".laketop-partial-7-top.txt");
    bool saw1 = false, saw2 = false;
    for (size_t i = 0; i < l.n_partials; i++) {
        saw1 = saw1 || strcmp(l.partials[i], p1) == 0;
        saw2 = saw2 || strcmp(l.partials[i], p2) == 0;
    }
    assert_true(saw1 && saw2);
    for (size_t i = 0; i < l.n; i++)
        assert_null(strstr(l.items[i].key, ZONES_PARTIAL));
    zones_listing_free(&l);
    assert_int_equal(l.n, 0);
    assert_null(l.items);

    /* under prefixes: with or without '/', one missing (empty) */
    char *prefixes[] = {"sales/orders/dt=2/", "sales/customers", "sales/nothing/"};
    if (!zones_list(&z, prefixes, 3, NULL, &l, &error))
        fail_msg("%s", error);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].key, "sales/customers/part-0.parquet");
    assert_string_equal(l.items[1].key, "sales/orders/dt=2/b.csv");
    assert_int_equal(l.n_partials, 0);
    zones_listing_free(&l);

    char *dt1[] = {"sales/orders/dt=1/"};
    if (!zones_list(&z, dt1, 1, NULL, &l, &error))
        fail_msg("%s", error);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "sales/orders/dt=1/a.csv");
    assert_int_equal(l.n_partials, 1);
    assert_string_equal(l.partials[0], p1);
    zones_listing_free(&l);

    /* the same zone as a file:// URI */
    char *uri = xasprintf("file://%s", root);
    zone zf = {.name = "zf", .uri = uri, .role = "storing"};
    if (!zones_list(&zf, NULL, 0, NULL, &l, &error))
        fail_msg("%s", error);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[3].key, "top.txt");
    zones_listing_free(&l);

    /* a zone whose directory does not exist yet is empty */
    char *gone = fs_join(dir, "not-made");
    zone zg = {.name = "zg", .uri = gone, .role = "user"};
    assert_true(zones_list(&zg, NULL, 0, NULL, &l, &error));
    assert_int_equal(l.n, 0);
    assert_int_equal(l.n_partials, 0);
    zones_listing_free(&l);

    free(gone);
    free(uri);
    free(p1);
    free(p2);
    free(empty_dir);
    fs_remove_tree(dir);
    free(root);
    free(dir);
}

static void test_list_refused(void **state) {
    (void)state;
    zone_listing l;
    char *error = NULL;
    /* an S3 zone without a source that reaches S3 */
    zone s3 = {.name = "finance", .uri = "s3://fin-bucket/data/", .role = "user"};
    assert_false(zones_list(&s3, NULL, 0, NULL, &l, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, "zone finance"));
    assert_non_null(strstr(error, "AWS options"));
    assert_int_equal(l.n, 0);
    free(error);
    /* another scheme */
    error = NULL;
    zone hdfs = {.name = "h", .uri = "hdfs://nn/lake", .role = "user"};
    assert_false(zones_list(&hdfs, NULL, 0, NULL, &l, &error));
    assert_non_null(strstr(error, "zone h: hdfs://nn/lake zones cannot be synced"));
    free(error);
}

/* ---- zones_list on an S3 zone, through a fake object store ------------------------------ */

typedef struct fake_s3 {
    lake_source source;
    char asked_bucket[8][64];
    char asked_prefix[8][64];
    int calls;
    bool fail;
} fake_s3;

static bool fake_list_objects(lake_source *self, const char *bucket, const char *prefix,
                              object_entry **objects, size_t *n, char **error) {
    fake_s3 *f = (fake_s3 *)self;
    assert_true(f->calls < 8);
    snprintf(f->asked_bucket[f->calls], sizeof f->asked_bucket[0], "%s", bucket);
    snprintf(f->asked_prefix[f->calls], sizeof f->asked_prefix[0], "%s", prefix);
    f->calls++;
    *objects = NULL;
    *n = 0;
    if (f->fail) {
        *error = xstrdup("AccessDenied");
        return false;
    }
    /* keys relative to the prefix asked, not sorted */
    *objects = xcalloc(2, sizeof **objects);
    (*objects)[0] = (object_entry){.key = xstrdup("z.csv"), .size = 5, .etag = xstrdup("\"e1\"")};
    (*objects)[1] = (object_entry){.key = xstrdup("a/b.csv"), .size = 7, .mtime = 9};
    *n = 2;
    return true;
}

static const source_object_store fake_store = {.list_objects = fake_list_objects};

static void test_list_s3(void **state) {
    (void)state;
    fake_s3 f = {.source = {.name = "fake", .objects = &fake_store}};
    zone z = {.name = "finance", .uri = "s3://fin-bucket/data", .role = "user"};
    zone_listing l;
    char *error = NULL;
    char *prefixes[] = {"t1/", "t2/"};
    if (!zones_list(&z, prefixes, 2, &f.source, &l, &error))
        fail_msg("%s", error);
    assert_int_equal(f.calls, 2);
    assert_string_equal(f.asked_bucket[0], "fin-bucket");
    assert_string_equal(f.asked_prefix[0], "data/t1/");
    assert_string_equal(f.asked_prefix[1], "data/t2/");
    /* keys relative to the zone, sorted */
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].key, "t1/a/b.csv");
    assert_string_equal(l.items[1].key, "t1/z.csv");
    assert_string_equal(l.items[2].key, "t2/a/b.csv");
    assert_string_equal(l.items[3].key, "t2/z.csv");
    assert_int_equal(l.items[1].size, 5);
    assert_string_equal(l.items[1].etag, "\"e1\"");
    assert_int_equal(l.items[0].mtime, 9);
    assert_null(l.items[0].etag);
    assert_int_equal(l.n_partials, 0);
    zones_listing_free(&l);

    /* the whole zone: the zone's prefix itself */
    f.calls = 0;
    if (!zones_list(&z, NULL, 0, &f.source, &l, &error))
        fail_msg("%s", error);
    assert_int_equal(f.calls, 1);
    assert_string_equal(f.asked_prefix[0], "data/");
    assert_string_equal(l.items[0].key, "a/b.csv");
    zones_listing_free(&l);

    /* the store's error is the listing's */
    f.calls = 0;
    f.fail = true;
    assert_false(zones_list(&z, NULL, 0, &f.source, &l, &error));
    assert_string_equal(error, "AccessDenied");
    assert_int_equal(l.n, 0);
    free(error);

    /* a malformed address is refused naming the zone, the store never asked */
    f.calls = 0;
    f.fail = false;
    error = NULL;
    zone bad = {.name = "broken", .uri = "s3:///p", .role = "user"};
    assert_false(zones_list(&bad, NULL, 0, &f.source, &l, &error));
    assert_non_null(strstr(error, "zone broken"));
    assert_int_equal(f.calls, 0);
    free(error);
}

/* ---- the rules' last runs and the Zones view's figures --------------------------------- */

static void test_runs_and_describe(void **state) {
    (void)state;
    char *dir = make_tmpdir();
    char *st = fs_join(dir, "state");
    setenv("XDG_STATE_HOME", st, 1);
    char *runs = zones_runs_path();
    char *expect = fs_join(st, "laketop/syncs.json");
    assert_string_equal(runs, expect);
    free(expect);

    /* missing, broken or not an object: an empty object */
    json_object *o = zones_runs_load(runs);
    assert_true(json_object_is_type(o, json_type_object));
    assert_int_equal(json_object_object_length(o), 0);
    json_object_put(o);
    o = zones_runs_load(NULL);
    assert_int_equal(json_object_object_length(o), 0);
    json_object_put(o);
    char *path = write_file(st, "laketop/syncs.json", "[1, 2]");
    free(path);
    o = zones_runs_load(runs);
    assert_true(json_object_is_type(o, json_type_object));
    json_object_put(o);
    path = write_file(st, "laketop/syncs.json", "{\"r\": ");
    free(path);
    o = zones_runs_load(runs);
    assert_true(json_object_is_type(o, json_type_object));
    json_object_put(o);

    path = write_file(st, "laketop/syncs.json",
                      "{\"keep\": {\"time\": \"2024-01-02T03:04:05Z\", \"ok\": true, "
                      "\"result\": \"copied 2 objects\"},"
                      " \"bad\": {\"time\": \"2024-01-02T00:00:00Z\", \"ok\": false, "
                      "\"result\": \"failed\"}}");
    free(path);
    o = zones_runs_load(runs);
    assert_int_equal(json_object_object_length(o), 2);
    json_object_put(o);

    char *a = fs_join(dir, "a"), *b = fs_join(dir, "b"), *none = fs_join(dir, "none");
    put_file(a, "t/x", "12345", 1);
    put_file(a, "t/y", "123", 1);
    put_file(a, "t/.laketop-partial-1-z", "1234567", 1); /* not counted */
    zone zones[] = {{.name = "a", .uri = a, .role = "storing"},
                    {.name = "b", .uri = b, .role = NULL},
                    {.name = "s3", .uri = "s3://bucket/p/", .role = "user"},
                    {.name = "none", .uri = none, .role = "user"}};
    put_file(b, "only", "1", 1);
    sync_rule rules[] = {{.name = "keep", .from = "a", .to = "b"},
                         {.name = "bad", .from = "a", .to = "s3", .delete_extra = true},
                         {.name = "never", .from = "b", .to = "a"}};
    sync_config c = {.zones = zones, .n_zones = 4, .rules = rules, .n_rules = 3};
    lake_snapshot *s = snapshot_new("test");
    zones_describe(&c, NULL, s);
    assert_int_equal(s->n_zones, 4);
    assert_string_equal(s->zones[0].name, "a");
    assert_int_equal(s->zones[0].objects, 2);
    assert_int_equal(s->zones[0].bytes, 8);
    assert_null(s->zones[0].error);
    assert_string_equal(s->zones[1].role, ""); /* no role */
    assert_int_equal(s->zones[1].objects, 1);
    assert_int_equal(s->zones[2].objects, -1); /* no S3 source */
    assert_int_equal(s->zones[2].bytes, -1);
    assert_non_null(s->zones[2].error);
    assert_int_equal(s->zones[3].objects, 0);
    assert_int_equal(s->zones[3].bytes, 0);
    assert_int_equal(s->n_rules, 3);
    assert_string_equal(s->rules[0].name, "keep");
    assert_int_equal(s->rules[0].last_run, 1704164645);
    assert_true(s->rules[0].last_ok);
    assert_string_equal(s->rules[0].last_result, "copied 2 objects");
    assert_false(s->rules[1].last_ok);
    assert_true(s->rules[1].delete_extra);
    assert_int_equal(s->rules[1].last_run, 1704153600);
    assert_string_equal(s->rules[1].last_result, "failed");
    assert_int_equal(s->rules[2].last_run, -1); /* never run */
    assert_null(s->rules[2].last_result);
    assert_false(s->rules[2].last_ok);
    snapshot_release(s);

    unsetenv("XDG_STATE_HOME");
    free(runs);
    free(a);
    free(b);
    free(none);
    free(st);
    fs_remove_tree(dir);
    free(dir);
}

/* a relative uri is inside the lake (the demo's laketop.conf says
 * "uri = storing"); absolute, file:// and s3:// addresses stay */
static void test_resolve_relative(void **state) {
    (void)state;
    zone zs[] = {{.name = "a", .uri = xstrdup("storing"), .role = "storing"},
                 {.name = "b", .uri = xstrdup("users/marketing/"), .role = "user"},
                 {.name = "c", .uri = xstrdup("/data/lake"), .role = "user"},
                 {.name = "d", .uri = xstrdup("file:///data/users"), .role = "user"},
                 {.name = "e", .uri = xstrdup("s3://bucket/prefix/"), .role = "user"}};
    sync_config c = {.zones = zs, .n_zones = 5};
    zones_resolve_relative(&c, "/lakes/demo");
    assert_string_equal(zs[0].uri, "/lakes/demo/storing");
    assert_string_equal(zs[1].uri, "/lakes/demo/users/marketing/");
    assert_string_equal(zs[2].uri, "/data/lake");
    assert_string_equal(zs[3].uri, "file:///data/users");
    assert_string_equal(zs[4].uri, "s3://bucket/prefix/");
    for (size_t i = 0; i < 5; i++)
        free(zs[i].uri);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_good),
        cmocka_unit_test(test_check_missing_zone),
        cmocka_unit_test(test_check_onto_itself),
        cmocka_unit_test(test_check_bad_s3),
        cmocka_unit_test(test_s3_split),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_use_s3),
        cmocka_unit_test(test_dir),
        cmocka_unit_test(test_resolve_relative),
        cmocka_unit_test(test_config_copy),
        cmocka_unit_test(test_mapping_rows),
        cmocka_unit_test(test_mapping_crlf_and_storing),
        cmocka_unit_test(test_mapping_broken),
        cmocka_unit_test(test_mapping_empty),
        cmocka_unit_test(test_mapping_dot_table),
        cmocka_unit_test(test_mapping_bom_and_leading_blank),
        cmocka_unit_test(test_list_local),
        cmocka_unit_test(test_list_refused),
        cmocka_unit_test(test_list_s3),
        cmocka_unit_test(test_runs_and_describe),
    };
    return cmocka_run_group_tests_name("zones", tests, NULL, NULL);
}
