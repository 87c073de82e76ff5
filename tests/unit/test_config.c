/* test_config.c: the INI config, threshold rules and their lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "app/config_aws.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static char *write_temp(const char *text) {
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-config");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return xstrdup(tmpl);
}

static void test_good(void **state) {
    (void)state;
    setenv("HOME", "/home/ops", 1);
    char *path = write_temp("; a comment\n[laketop]\nlake = ~/lake\ninterval = 5m\n"
                            "theme = light\nstale_warn = 1d\nstale_crit = 3d\nread_only = yes\n"
                            "view = databases\n"
                            "[database sales]\nstale_warn = 6h\n"
                            "[table sales.orders]\nstale_crit = 12h\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_string_equal(c.lake_dir, "/home/ops/lake");
    assert_int_equal(c.interval_seconds, 300);
    assert_string_equal(c.theme, "light");
    assert_true(c.read_only);
    assert_true(c.start_databases);
    int64_t warn, crit;
    thresholds_lookup(&c.thresholds, "music", "songs", &warn, &crit);
    assert_int_equal(warn, 86400);
    assert_int_equal(crit, 3 * 86400);
    thresholds_lookup(&c.thresholds, "sales", "customers", &warn, &crit);
    assert_int_equal(warn, 6 * 3600);
    assert_int_equal(crit, 3 * 86400);
    thresholds_lookup(&c.thresholds, "sales", "orders", &warn, &crit);
    assert_int_equal(warn, 6 * 3600);
    assert_int_equal(crit, 12 * 3600);
    config_free(&c);
    unlink(path);
    free(path);
}

/* A rule may come before the zones it names; a bucket alone is a zone. */
static void test_good_zones(void **state) {
    (void)state;
    char *path = write_temp("[sync r]\nfrom = a\nto = b\n[zone a]\nuri = /a\n"
                            "[zone b]\nuri = s3://bucket\n[laketop]\nstale_crit = 3d\n"
                            "stale_warn = 1d\n[table s.o]\nstale_crit = 1h\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_int_equal(c.sync.n_zones, 2);
    assert_int_equal(c.sync.n_rules, 1);
    config_free(&c);
    unlink(path);
    free(path);
}

static void test_bad(void **state) {
    (void)state;
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"[laketop]\ninterval = soon\n", ":2: interval"},
        {"[laketop]\nlake = /x\ncolour = red\n", ":3: unknown key \"colour\""},
        {"[laketop]\nthis line has no equals sign\n", ":2:"},
        {"[nonsense]\nx = 1\n", "unknown section [nonsense]"},
        {"[table orders]\nstale_warn = 1d\n", "[table DATABASE.TABLE]"},
        {"[database sales]\nstale_warn = tomorrow\n", "not a duration"},
        {"[database sales]\nlake = /x\n", "unknown key \"lake\""},
        {"[laketop]\nread_only = perhaps\n", "not true or false"},
        {"[laketop]\nview = tables\n", "view: \"tables\" is not overview or databases"},
        {"[laketop]\nstale_warn = 3d\nstale_crit = 1d\n",
         ":3: stale_crit (1d) is shorter than stale_warn (3d)"},
        {"[laketop]\nstale_crit = 1d\n\nstale_warn = 3d\n", ":4: stale_crit (1d) is shorter"},
        {"[laketop]\nstale_warn = 9d\n", ":2: stale_crit (7d) is shorter than stale_warn (9d): the "
                                         "default stale_crit"},
        {"[database sales]\nstale_crit = 1h\nstale_warn = 1d\n",
         ":3: [database sales] stale_crit is shorter than its stale_warn"},
        {"[table s.o]\nstale_warn = 2h\n[laketop]\nlake = /x\n[table s.o]\nstale_crit = 1h\n",
         ":6: [table s.o] stale_crit is shorter"},
        /* empty paths */
        {"[laketop]\nlake =\n", ":2: lake: empty"},
        {"[laketop]\ntheme = dark\nbackup_dir = \n", ":3: backup_dir: empty"},
        {"[zone a]\nuri =\n", ":2: uri: empty"},
        /* zones and rules, checked once the whole file is read */
        {"[zone s]\nrole = user\nuri = s3://\n", ":3: zone s: "},
        {"[zone s]\nuri = s3:///prefix/\n", ":2: zone s: "},
        {"[zone a]\nrole = user\n", ":2: [zone a] has no uri"},
        {"[zone a]\nuri = /a\n[sync r]\nfrom = a\nto = nowhere\n",
         ":5: sync rule r names zone \"nowhere\", which is not defined"},
        {"[sync r]\nfrom = elsewhere\nto = a\n[zone a]\nuri = /a\n",
         ":2: sync rule r names zone \"elsewhere\""},
        {"[zone a]\nuri = /a\n[sync r]\nprefix = x/\nfrom = a\n", ":4: [sync r] has no to"},
        {"[zone a]\nuri = /a\n[sync r]\nfrom = a\nto = a\n",
         ":5: sync rule r copies zone a onto itself"},
        /* issue 12: every value checked, every kind of section named */
        {"[laketop]\nendpoint_url = localhost:9000\n",
         ":2: endpoint_url: \"localhost:9000\" is not an http:// or https:// address"},
        {"[laketop]\nendpoint_url = https://\n", ":2: endpoint_url: \"https://\" is not"},
        {"[laketop]\nregion = EU West\n", ":2: region: \"EU West\" is not a region's name"},
        /* issue 13: the open formats' insight keys */
        {"[laketop]\nwaste_share = 30\n", ":2: waste_share: \"30\" is not a share"},
        {"[laketop]\nwaste_share = -5%\n", ":2: waste_share: \"-5%\" is not"},
        {"[laketop]\nwaste_share = 2000%\n", ":2: waste_share: \"2000%\" is not"},
        {"[laketop]\nwaste_share = lots\n", ":2: waste_share: \"lots\" is not"},
        {"[laketop]\nwaste_share = 30%%\n", ":2: waste_share"},
        {"[laketop]\n\nwaste_bytes = big\n", ":3: waste_bytes: \"big\" is not a size"},
        {"[laketop]\nwaste_bytes = -1GiB\n", ":2: waste_bytes"},
        {"[laketop]\nmax_snapshots = 0\n", ":2: max_snapshots: \"0\" is not a count of 1"},
        {"[laketop]\nmax_snapshots = 5x\n", ":2: max_snapshots"},
        {"[table s.o]\nmax_snapshots = 10\n", ":2: max_snapshots: set in [laketop] only"},
        {"[database s]\nwaste_share = 10%\n", ":2: waste_share: set in [laketop] only"},
        {"[jobs x]\nrun = y\n",
         ":2: unknown section [jobs x] (expected [laketop], [database NAME], "
         "[table DATABASE.TABLE], [crawler NAME], [zone NAME], [sync NAME], [job NAME] or "
         "[prices])"},
        /* issue 14: [job NAME] */
        {"[job x]\nrun = y\n",
         ":2: unknown key \"run\" in [job x] (command, severity, description)"},
        {"[job x]\ncommand = true\nseverity = high\n",
         ":3: severity: \"high\" is not warning or critical"},
        {"[job x]\ncommand =\n", ":2: command: empty"},
        /* issue 14: [prices] */
        {"[prices]\nStandard = 0.1\n", ":2: unknown key \"Standard\" in [prices]"},
        {"[prices]\nglacier = cheap\n", ":2: glacier: \"cheap\" is not a price in USD"},
        {"[prices]\n\nathena_per_tb = -5\n", ":3: athena_per_tb: \"-5\" is not a price"},
        {"[prices]\nlist_per_1000 = 0.005$\n", ":2: list_per_1000: \"0.005$\" is not"},
        {"[prices]\nget_per_1000 = inf\n", ":2: get_per_1000: \"inf\" is not"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = write_temp(cases[i].text);
        config c;
        config_init(&c);
        char *error = NULL;
        assert_false(config_load(&c, path, true, &error));
        assert_non_null(error);
        if (!strstr(error, cases[i].expect) || !strstr(error, path))
            fail_msg("case %zu: \"%s\" lacks \"%s\" or the path", i, error, cases[i].expect);
        free(error);
        config_free(&c);
        unlink(path);
        free(path);
    }
    config c;
    config_init(&c);
    char *error = NULL;
    assert_true(config_load(&c, "/nonexistent/laketop/config", false, &error));
    assert_false(config_load(&c, "/nonexistent/laketop/config", true, &error));
    assert_non_null(strstr(error, "/nonexistent/laketop/config"));
    free(error);
    config_free(&c);
}

static void test_paths(void **state) {
    (void)state;
    setenv("XDG_STATE_HOME", "/state", 1);
    char *a = config_history_path("/nonexistent/lakes/prod");
    char *b = config_history_path("/nonexistent/other/prod");
    assert_non_null(strstr(a, "/state/laketop/lakes/prod-"));
    assert_string_not_equal(a, b); /* same name, different lakes */
    free(a);
    free(b);
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    char *p = config_default_path();
    assert_string_equal(p, "/cfg/laketop/config");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/ops", 1);
    p = config_default_path();
    assert_string_equal(p, "/home/ops/.config/laketop/config");
    free(p);
}

/* protected_accounts: 12 digits each, commas, spaces around them; a
 * later line replaces an earlier one; anything else is FILE:LINE */
static void test_protected_accounts(void **state) {
    (void)state;
    char *path = write_temp("[laketop]\nprotected_accounts = 000000000001\n"
                            "protected_accounts = 123456789012 ,210987654321\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_int_equal(c.n_protected_accounts, 2);
    assert_string_equal(c.protected_accounts[0], "123456789012");
    assert_string_equal(c.protected_accounts[1], "210987654321");
    assert_true(config_account_protected(&c, "210987654321"));
    assert_false(config_account_protected(&c, "000000000001"));
    assert_false(config_account_protected(&c, "21098765432"));
    assert_false(config_account_protected(&c, NULL));
    config_free(&c);
    unlink(path);
    free(path);
    static const struct {
        const char *value, *quoted;
    } bad[] = {
        {"12345678901", "\"12345678901\""},     /* 11 digits */
        {"1234567890123", "\"1234567890123\""}, /* 13 */
        {"123456789012,", "\"\""},              /* an empty entry */
        {"123456789012;210987654321", "\"123456789012;210987654321\""},
        {"12345678901x", "\"12345678901x\""},
        {"prod", "\"prod\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *text = xasprintf("[laketop]\ntheme = dark\nprotected_accounts = %s\n", bad[i].value);
        path = write_temp(text);
        config_init(&c);
        error = NULL;
        assert_false(config_load(&c, path, true, &error));
        char *where =
            xasprintf("%s:3: protected_accounts: %s is not an AWS account id", path, bad[i].quoted);
        if (!strstr(error, where))
            fail_msg("%s: %s", bad[i].value, error);
        free(where);
        free(error);
        config_free(&c);
        unlink(path);
        free(path);
        free(text);
    }
}

/* The [database]/[table] sections with their header's line, each name
 * once; the theme's line; the file's path. */
static void test_sections(void **state) {
    (void)state;
    char *path = write_temp("[laketop]\n\ntheme = light\n[table sales.orderz]\n; note\n"
                            "stale_warn = 1d\n[database music]\nquota = 1TiB\n"
                            "[table sales.orderz]\nstale_crit = 3d\n"
                            "[crawler c]\npath = x\n[laketop]\nendpoint_url = http://h:1\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_string_equal(c.path, path);
    assert_int_equal(c.theme_line, 3);
    assert_int_equal(c.n_sections, 2);
    assert_string_equal(c.sections[0].database, "sales");
    assert_string_equal(c.sections[0].table, "orderz");
    assert_int_equal(c.sections[0].line, 4);
    assert_string_equal(c.sections[1].database, "music");
    assert_null(c.sections[1].table);
    assert_int_equal(c.sections[1].line, 7);
    assert_string_equal(c.endpoint_url, "http://h:1");
    config_free(&c);
    unlink(path);
    free(path);
    assert_true(config_endpoint_ok("https://glue.eu-west-1.amazonaws.com"));
    assert_false(config_endpoint_ok("ftp://x"));
    assert_false(config_endpoint_ok("http:///x"));
}

/* issue 13: waste_share as a percent or a fraction, waste_bytes with
 * units, max_snapshots; the defaults when absent (30 %, 10 GiB, 500). */
static void test_insight_keys(void **state) {
    (void)state;
    static const struct {
        const char *text;
        double share;
        int64_t bytes, snapshots;
    } cases[] = {
        {"[laketop]\nlake = /x\n", 0.30, (int64_t)10 << 30, 500},
        {"[laketop]\nwaste_share = 40%\nwaste_bytes = 2GiB\nmax_snapshots = 50\n", 0.40,
         (int64_t)2 << 30, 50},
        {"[laketop]\nwaste_share = 12.5 %\nwaste_bytes = 0\n", 0.125, 0, 500},
        {"[laketop]\nwaste_share = 0.25\nwaste_bytes = 500MB\n", 0.25, 500000000, 500},
        {"[laketop]\nwaste_share = 150%\n", 1.5, (int64_t)10 << 30, 500},
        {"[laketop]\nwaste_share = 0%\nwaste_share = 1\n", 1.0, (int64_t)10 << 30, 500},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = write_temp(cases[i].text);
        config c;
        config_init(&c);
        char *error = NULL;
        if (!config_load(&c, path, true, &error))
            fail_msg("case %zu: %s", i, error);
        if (c.thresholds.waste_share < cases[i].share - 1e-9 ||
            c.thresholds.waste_share > cases[i].share + 1e-9)
            fail_msg("case %zu: waste_share %g, expected %g", i, c.thresholds.waste_share,
                     cases[i].share);
        assert_int_equal(c.thresholds.waste_bytes, cases[i].bytes);
        assert_int_equal(c.thresholds.max_snapshots, cases[i].snapshots);
        config_free(&c);
        unlink(path);
        free(path);
    }
}

static void test_prices(void **state) {
    (void)state;
    char *path = write_temp("[prices]\nstandard = 0.1\ndeep_archive = 0\nathena_per_tb = 7.5\n"
                            "list_per_1000 = 0.01\nget_per_1000 = 1e-3\n");
    config c;
    config_init(&c);
    cost_prices want;
    cost_prices_default(&want);
    /* the built-in ones before the file */
    assert_true(c.prices.gb_month[COST_GLACIER] == want.gb_month[COST_GLACIER]);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_true(c.prices.gb_month[COST_STANDARD] == 0.1);
    assert_true(c.prices.gb_month[COST_DEEP_ARCHIVE] == 0);
    assert_true(c.prices.gb_month[COST_GLACIER] == want.gb_month[COST_GLACIER]); /* kept */
    assert_true(c.prices.athena_per_tb == 7.5);
    assert_true(c.prices.list_per_1000 == 0.01);
    assert_true(c.prices.get_per_1000 == 1e-3);
    config_free(&c);
    unlink(path);
    free(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),     cmocka_unit_test(test_good_zones),
        cmocka_unit_test(test_bad),      cmocka_unit_test(test_insight_keys),
        cmocka_unit_test(test_paths),    cmocka_unit_test(test_protected_accounts),
        cmocka_unit_test(test_sections), cmocka_unit_test(test_prices),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
