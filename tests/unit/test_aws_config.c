/* test_aws_config.c: shared credentials/config files, profile and region
 * resolution, endpoint overrides, credential_process, credentials JSON, and
 * that no secret ever appears in a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_config.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/xalloc.h"

static char dir[64];

static void write_file(const char *name, const char *text) {
    char *path = xasprintf("%s/%s", dir, name);
    char *error = NULL;
    assert_true(fs_write_atomic(path, text, strlen(text), &error));
    free(path);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/laketop-aws-XXXXXX");
    assert_non_null(mkdtemp(dir));
    static const char *const vars[] = {"AWS_ACCESS_KEY_ID",
                                       "AWS_SECRET_ACCESS_KEY",
                                       "AWS_SESSION_TOKEN",
                                       "AWS_PROFILE",
                                       "AWS_DEFAULT_PROFILE",
                                       "AWS_REGION",
                                       "AWS_DEFAULT_REGION",
                                       "AWS_ENDPOINT_URL",
                                       "AWS_ENDPOINT_URL_S3",
                                       "AWS_ENDPOINT_URL_GLUE",
                                       "AWS_ENDPOINT_URL_ATHENA",
                                       "AWS_CA_BUNDLE",
                                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                       "AWS_CONTAINER_CREDENTIALS_FULL_URI"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    char *creds = xasprintf("%s/credentials", dir), *config = xasprintf("%s/config", dir);
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    free(creds);
    free(config);
    write_file("credentials", "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\n"
                              "aws_secret_access_key = SECRETDEFAULT\n\n"
                              "[prod]\naws_access_key_id=AKIDPROD\naws_secret_access_key="
                              "SECRETPROD\naws_session_token = TOKENPROD\n");
    write_file("config", "[default]\nregion = eu-west-1\n[profile prod]\nregion = us-west-2\n"
                         "endpoint_url = http://127.0.0.1:9999/\ns3 =\n  addressing_style = path\n"
                         "[profile proc]\nregion = eu-central-1\ncredential_process = printf "
                         "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
                         "\"SECRETPROC\", \"SessionToken\": \"TOK\", \"Expiration\": "
                         "\"2030-01-01T00:00:00Z\"}'\n"
                         "[profile failing]\nregion = eu-central-1\ncredential_process = sh -c "
                         "'echo SECRETLEAK; exit 3'\n"
                         "[profile half]\nregion = eu-west-1\naws_access_key_id = AKIDHALF\n");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char *cmd = xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static void test_ini(void **state) {
    (void)state;
    char *error = NULL;
    assert_false(aws_ini_parse("[default]\nthis is junk\n", "creds", NULL, NULL, &error));
    assert_string_equal(error, "creds:2: expected \"key = value\"");
    free(error);
    assert_false(aws_ini_parse("key = value\n", "cfg", NULL, NULL, &error));
    assert_non_null(strstr(error, "cfg:1:"));
    free(error);
    assert_false(aws_ini_parse("[broken\n", "cfg", NULL, NULL, &error));
    assert_non_null(strstr(error, "cfg:1: a section header"));
    free(error);
    assert_false(aws_ini_parse("[a]\n= x\n", "cfg", NULL, NULL, &error));
    assert_non_null(strstr(error, "cfg:2: empty key"));
    free(error);
}

static void test_default_profile(void **state) {
    (void)state;
    aws_request_options o = {0};
    aws_config c;
    char *error = NULL;
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_string_equal(c.profile, "default");
    assert_string_equal(c.region, "eu-west-1");
    assert_string_equal(c.credentials.access_key_id, "AKIDDEFAULT");
    assert_string_equal(c.endpoint_s3, "https://s3.eu-west-1.amazonaws.com");
    assert_string_equal(c.endpoint_glue, "https://glue.eu-west-1.amazonaws.com");
    assert_false(c.path_style);
    assert_true(aws_config_refresh(&c, 0, &error)); /* static: nothing to fetch */
    aws_config_free(&c);
}

static void test_profile_and_overrides(void **state) {
    (void)state;
    aws_request_options o = {.profile = "prod"};
    aws_config c;
    char *error = NULL;
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
    assert_true(aws_config_resolve(&o, &c, &error));
    /* an explicit --profile wins over the environment's keys */
    assert_string_equal(c.credentials.access_key_id, "AKIDPROD");
    assert_string_equal(c.credentials.session_token, "TOKENPROD");
    assert_string_equal(c.region, "us-west-2");
    assert_string_equal(c.endpoint_glue, "http://127.0.0.1:9999");
    assert_true(c.path_style);
    aws_config_free(&c);
    /* without --profile the environment's keys win; AWS_REGION beats the profile */
    setenv("AWS_PROFILE", "prod", 1);
    setenv("AWS_REGION", "ap-south-1", 1);
    setenv("AWS_ENDPOINT_URL_S3", "http://localhost:1234", 1);
    aws_request_options none = {0};
    assert_true(aws_config_resolve(&none, &c, &error));
    assert_string_equal(c.credentials.access_key_id, "AKIDENV");
    assert_string_equal(c.credentials.source, "environment");
    assert_string_equal(c.region, "ap-south-1");
    assert_string_equal(c.endpoint_s3, "http://localhost:1234");
    assert_string_equal(c.endpoint_glue, "http://127.0.0.1:9999"); /* the profile's */
    aws_config_free(&c);
    /* --region and --endpoint-url beat everything */
    aws_request_options flags = {.region = "sa-east-1", .endpoint_url = "http://127.0.0.1:7/"};
    assert_true(aws_config_resolve(&flags, &c, &error));
    assert_string_equal(c.region, "sa-east-1");
    assert_string_equal(c.endpoint_s3, "http://127.0.0.1:7");
    assert_string_equal(c.endpoint_athena, "http://127.0.0.1:7");
    aws_config_free(&c);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_REGION");
    unsetenv("AWS_ENDPOINT_URL_S3");
}

static void test_errors(void **state) {
    (void)state;
    aws_config c;
    char *error = NULL;
    aws_request_options unknown = {.profile = "nope"};
    assert_false(aws_config_resolve(&unknown, &c, &error));
    assert_non_null(strstr(error, "profile \"nope\" not found"));
    free(error);
    aws_request_options half = {.profile = "half"};
    assert_false(aws_config_resolve(&half, &c, &error));
    assert_non_null(strstr(error, "only one of"));
    free(error);
    write_file("config", "[default]\noutput = json\n");
    aws_request_options none = {0};
    assert_false(aws_config_resolve(&none, &c, &error));
    assert_non_null(strstr(error, "no AWS region"));
    free(error);
    write_file("credentials", "[default]\naws_access_key_id = A\njunk line\n");
    assert_false(aws_config_resolve(&none, &c, &error));
    assert_non_null(strstr(error, "credentials:3:"));
    assert_null(strstr(error, "junk")); /* the line's text is not echoed */
    free(error);
}

static void test_process(void **state) {
    (void)state;
    aws_config c;
    char *error = NULL;
    aws_request_options o = {.profile = "proc"};
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_int_equal(c.credential_kind, AWS_CREDS_PROCESS);
    assert_true(aws_config_refresh(&c, 1700000000, &error));
    assert_string_equal(c.credentials.access_key_id, "AKIDPROC");
    assert_string_equal(c.credentials.session_token, "TOK");
    assert_int_equal(c.credentials.expiration, 1893456000);
    /* within 5 minutes of expiry: fetched again */
    free(c.credentials.access_key_id);
    c.credentials.access_key_id = xstrdup("OLD");
    assert_true(aws_config_refresh(&c, 1893456000 - 100, &error));
    assert_string_equal(c.credentials.access_key_id, "AKIDPROC");
    aws_config_free(&c);
    aws_request_options f = {.profile = "failing"};
    assert_true(aws_config_resolve(&f, &c, &error));
    assert_false(aws_config_refresh(&c, 0, &error));
    assert_non_null(strstr(error, "status 3"));
    assert_null(strstr(error, "SECRETLEAK"));
    free(error);
    aws_config_free(&c);
}

static void test_credentials_json(void **state) {
    (void)state;
    aws_credentials c = {.expiration = -1};
    char *error = NULL;
    assert_true(aws_parse_credentials_json(
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Token\":\"T\","
        "\"Expiration\":\"2030-01-01T00:00:00Z\"}",
        &c, &error));
    assert_string_equal(c.session_token, "T");
    aws_credentials_clear(&c);
    static const char *const bad[] = {
        "not json", "[]", "{\"AccessKeyId\":\"A\"}",
        "{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"TOPSECRET\"}",
        "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"TOPSECRET\",\"Expiration\":\"soon\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(aws_parse_credentials_json(bad[i], &c, &error));
        assert_null(strstr(error, "TOPSECRET"));
        free(error);
    }
    aws_credentials_clear(&c);
}

/* The secret key and the session token are registered for redaction where
 * they are loaded (environment, profile, credentials JSON); the access key
 * id is not (it is no secret). */
static void expect_redacted(const char *in, const char *want) {
    char *got = redact_dup(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_secrets_registered(void **state) {
    (void)state;
    redact_forget_all();
    setenv("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRET/abc+def", 1);
    setenv("AWS_SESSION_TOKEN", "ENVTOKEN//xyz=", 1);
    aws_request_options o = {0};
    aws_config c;
    char *error = NULL;
    assert_true(aws_config_resolve(&o, &c, &error));
    aws_config_free(&c);
    expect_redacted("AKIDENVIRONMENT ENVSECRET/abc+def ENVTOKEN%2F%2Fxyz%3D",
                    "AKIDENVIRONMENT *** ***");
    aws_credentials j = {.expiration = -1};
    assert_true(aws_parse_credentials_json(
        "{\"AccessKeyId\":\"AKIDJSON\",\"SecretAccessKey\":\"JSONSECRET1\",\"Token\":"
        "\"JSONTOKEN22\"}",
        &j, &error));
    aws_credentials_clear(&j);
    expect_redacted("AKIDJSON JSONSECRET1 JSONTOKEN22", "AKIDJSON *** ***");
    redact_forget_all();
}

/* --read-only at the request layer: only requests that read are sent. */
static void test_read_only_guard(void **state) {
    (void)state;
    aws_request_options rw = {0}, ro = {.read_only = true};
    char *error = NULL;
    assert_false(aws_config_refused(&rw, "S3", "PUT", "s3://b/k", &error));
    assert_false(aws_config_refused(&rw, "Glue", "CreateTable", NULL, &error));
    static const char *const reads[][2] = {
        {"S3", "GET"},
        {"S3", "HEAD"},
        {"Glue", "GetDatabases"},
        {"Glue", "GetPartitions"},
        {"Glue", "BatchGetPartition"},
        {"Glue", "SearchTables"},
        {"Athena", "ListQueryExecutions"},
        {"Athena", "BatchGetQueryExecution"},
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
        if (aws_config_refused(&ro, reads[i][0], reads[i][1], NULL, &error))
            fail_msg("%s %s refused: %s", reads[i][0], reads[i][1], error);
    static const char *const writes[][2] = {
        {"S3", "PUT"},
        {"S3", "POST"},
        {"S3", "DELETE"},
        {"S3", "GETX"},
        {"Glue", "CreateTable"},
        {"Glue", "UpdateTable"},
        {"Glue", "BatchCreatePartition"},
        {"Glue", "StartCrawler"},
        {"Glue", "DeleteTable"},
        {"Athena", "StartQueryExecution"},
    };
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        error = NULL;
        if (!aws_config_refused(&ro, writes[i][0], writes[i][1], "s3://b/k", &error))
            fail_msg("%s %s sent under read-only", writes[i][0], writes[i][1]);
        assert_non_null(strstr(error, "not sent: read-only mode"));
        free(error);
    }
    assert_true(aws_config_refused(&ro, "S3", "PUT", "s3://b/k", &error));
    assert_string_equal(error, "S3 PUT s3://b/k: not sent: read-only mode");
    free(error);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ini),
        cmocka_unit_test_setup_teardown(test_default_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_and_overrides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test(test_credentials_json),
        cmocka_unit_test_setup_teardown(test_secrets_registered, setup, teardown),
        cmocka_unit_test(test_read_only_guard),
    };
    return cmocka_run_group_tests_name("aws_config", tests, NULL, NULL);
}
