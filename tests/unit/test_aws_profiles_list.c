/* test_aws_profiles_list.c: the profile names of the shared AWS files (the
 * dashboard's P key): config sections "default" and "profile NAME", every
 * credentials section, sso-session and services left out, each name once,
 * sorted; the files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE;
 * a broken file's FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_profiles_list.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static const char config_text[] = "[default]\n"
                                  "region = eu-west-1\n"
                                  "[profile ops]\n"
                                  "role_arn = arn:aws:iam::123456789012:role/ops-readonly\n"
                                  "source_profile = base\n"
                                  "[profile   staging]\n"
                                  "sso_session = corp\n"
                                  "s3 =\n"
                                  "  max_concurrent_requests = 20\n"
                                  "[sso-session corp]\n"
                                  "sso_start_url = https://corp.awsapps.com/start\n"
                                  "[services local]\n"
                                  "s3 =\n"
                                  "  endpoint_url = http://127.0.0.1:9000\n";
static const char credentials_text[] = "[base]\n"
                                       "aws_access_key_id = AKIDBASE\n"
                                       "aws_secret_access_key = s3cr3t\n"
                                       "[default]\n"
                                       "aws_access_key_id = AKIDDEFAULT\n"
                                       "aws_secret_access_key = s3cr3t\n";

static void test_both_files(void **state) {
    (void)state;
    char **names = NULL, *error = NULL;
    size_t n = 0;
    assert_true(aws_profiles_list(config_text, "config", credentials_text, "credentials", &names,
                                  &n, &error));
    assert_int_equal(n, 4);
    assert_string_equal(names[0], "base");
    assert_string_equal(names[1], "default");
    assert_string_equal(names[2], "ops");
    assert_string_equal(names[3], "staging");
    assert_null(names[4]);
    aws_profiles_list_free(names);
}

static void test_config_alone_keeps_profile_prefix_rule(void **state) {
    (void)state;
    /* in the config file a bare [ops] is not a profile (the CLI ignores it) */
    char **names = NULL, *error = NULL;
    size_t n = 0;
    assert_true(aws_profiles_list("[ops]\nregion = x\n[profile prod]\nregion = y\n", "c", NULL,
                                  NULL, &names, &n, &error));
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "prod");
    aws_profiles_list_free(names);
}

static void test_none(void **state) {
    (void)state;
    char **names = NULL, *error = NULL;
    size_t n = 7;
    assert_true(aws_profiles_list(NULL, NULL, NULL, NULL, &names, &n, &error));
    assert_int_equal(n, 0);
    assert_non_null(names);
    assert_null(names[0]);
    aws_profiles_list_free(names);
}

static void test_broken_file(void **state) {
    (void)state;
    char **names = NULL, *error = NULL;
    size_t n = 0;
    assert_false(aws_profiles_list("[profile a]\nregion = x\nnot a line\n", "/home/u/.aws/config",
                                   NULL, NULL, &names, &n, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, "/home/u/.aws/config:3"));
    free(error);
}

static void write_file(const char *path, const char *text) {
    char *error = NULL;
    assert_true(fs_write_atomic(path, text, strlen(text), &error));
}

static void test_files_from_environment(void **state) {
    (void)state;
    char dir[4096];
    unit_tmp_template(dir, sizeof dir, "laketop-profiles");
    assert_non_null(mkdtemp(dir));
    char *config = xasprintf("%s/cfg", dir), *credentials = xasprintf("%s/creds", dir);
    write_file(config, "[profile from-config]\nregion = eu-west-1\n");
    write_file(credentials, "[from-credentials]\naws_access_key_id = A\n");
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", credentials, 1);
    char **names = NULL, *error = NULL;
    size_t n = 0;
    assert_true(aws_profiles_list_read(&names, &n, &error));
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "from-config");
    assert_string_equal(names[1], "from-credentials");
    aws_profiles_list_free(names);
    /* a missing file is no profile, not an error */
    unlink(credentials);
    assert_true(aws_profiles_list_read(&names, &n, &error));
    assert_int_equal(n, 1);
    aws_profiles_list_free(names);
    unlink(config);
    rmdir(dir);
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    free(config);
    free(credentials);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_files),
        cmocka_unit_test(test_config_alone_keeps_profile_prefix_rule),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_broken_file),
        cmocka_unit_test(test_files_from_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
