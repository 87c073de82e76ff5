/* test_aws_config.c: shared credentials/config files, profile and region
 * resolution, endpoint overrides, credential_process, credentials JSON, and
 * that no secret ever appears in a message; the credential chain (assumed
 * roles, chains, cycles, credential_source, web identity, SSO, precedence,
 * the STS and SSO endpoints) and its refreshes against a tiny STS on
 * 127.0.0.1 (a thread): one call per lifetime, the source renewed when
 * it expires, MFA asked once, the web identity token read again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector/aws/aws_config.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static char dir[1024];

static void write_file(const char *name, const char *text) {
    char *path = xasprintf("%s/%s", dir, name);
    char *error = NULL;
    assert_true(fs_write_atomic(path, text, strlen(text), &error));
    free(path);
}

static int setup(void **state) {
    (void)state;
    unit_tmp_template(dir, sizeof dir, "laketop-aws");
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
                                       "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                       "AWS_ENDPOINT_URL_STS",
                                       "AWS_ENDPOINT_URL_SSO",
                                       "AWS_ROLE_ARN",
                                       "AWS_WEB_IDENTITY_TOKEN_FILE",
                                       "AWS_ROLE_SESSION_NAME"};
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

/* ---- the chain ------------------------------------------------------------------ */

static const char chain_credentials[] =
    "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = SECRETBASE\n"
    "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = SECRETSELF\n";
static const char chain_config[] =
    "[default]\nregion = eu-west-1\n"
    "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n"
    "[profile chain]\nrole_arn = arn:aws:iam::123456789012:role/chained\nsource_profile = ops\n"
    "role_session_name = chain-session\nexternal_id = ext-7\nduration_seconds = 1800\n"
    "[profile self]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = self\n"
    "[profile envrole]\nrole_arn = arn:aws:iam::1:role/env\ncredential_source = Environment\n"
    "[profile imdsrole]\nrole_arn = arn:aws:iam::1:role/imds\n"
    "credential_source = Ec2InstanceMetadata\n"
    "[profile cycle_a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = cycle_b\n"
    "[profile cycle_b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = cycle_c\n"
    "[profile cycle_c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = cycle_a\n"
    "[profile loop]\nrole_arn = arn:aws:iam::1:role/loop\nsource_profile = loop\n"
    "[profile orphan]\nrole_arn = arn:aws:iam::1:role/o\nsource_profile = nobody\n"
    "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
    "credential_source = Environment\n"
    "[profile strange]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Moon\n"
    "[profile bare]\nrole_arn = arn:aws:iam::1:role/x\n"
    "[profile long]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
    "duration_seconds = forever\n"
    "[profile empty]\nregion = eu-west-1\n"
    "[profile nocreds]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = empty\n"
    "[profile pod]\nrole_arn = arn:aws:iam::1:role/pod\nweb_identity_token_file = /tmp/tok\n"
    "role_session_name = pod-session\n"
    "[profile onpod]\nrole_arn = arn:aws:iam::1:role/onpod\nsource_profile = pod\n"
    "[profile proc_over_config_keys]\naws_access_key_id = AKIDCFG\n"
    "aws_secret_access_key = SECRETCFG\ncredential_process = true\n"
    "[profile mfa]\nrole_arn = arn:aws:iam::1:role/admin\nsource_profile = base\n"
    "mfa_serial = arn:aws:iam::1:mfa/me\n";

static char *chain_resolve(const char *profile, const char **method, char **error) {
    aws_request_options o = {.profile = profile, .region = "eu-west-1"};
    aws_config c;
    if (!aws_config_resolve(&o, &c, error))
        return NULL;
    *method = aws_config_credential_method(&c);
    char *text = aws_config_chain_text(&c);
    aws_config_free(&c);
    return text;
}

static void expect_chain(const char *profile, const char *method, const char *text) {
    const char *got_method = NULL;
    char *error = NULL;
    char *got = chain_resolve(profile, &got_method, &error);
    if (!got)
        fail_msg("profile %s: %s", profile ? profile : "(none)", error);
    if (strcmp(got_method, method) != 0 || strcmp(got, text) != 0)
        fail_msg("profile %s: got %s \"%s\", want %s \"%s\"", profile ? profile : "(none)",
                 got_method, got, method, text);
    free(got);
}

static void expect_chain_error(const char *profile, const char *const *parts) {
    const char *method;
    char *error = NULL;
    char *got = chain_resolve(profile, &method, &error);
    if (got)
        fail_msg("profile %s resolved: %s", profile, got);
    for (size_t i = 0; parts[i]; i++)
        if (!strstr(error, parts[i]))
            fail_msg("profile %s: \"%s\" lacks \"%s\"", profile, error, parts[i]);
    assert_null(strchr(error, '\n'));
    free(error);
}

static void test_chain_roles(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    write_file("config", chain_config);
    expect_chain("ops", "assume-role",
                 "assume-role arn:aws:iam::123456789012:role/ops (profile ops) <- profile base "
                 "(static keys)");
    expect_chain("chain", "assume-role",
                 "assume-role arn:aws:iam::123456789012:role/chained (profile chain, external_id) "
                 "<- assume-role arn:aws:iam::123456789012:role/ops (profile ops) <- profile base "
                 "(static keys)");
    /* a profile naming itself as its source, for its own keys */
    expect_chain("self", "assume-role",
                 "assume-role arn:aws:iam::1:role/self (profile self) <- profile self (static "
                 "keys)");
    /* credential_source = Environment needs the keys there (botocore checks it then too) */
    expect_chain_error("envrole",
                       (const char *const[]){"profile envrole", "credential_source = Environment",
                                             "AWS_ACCESS_KEY_ID", NULL});
    expect_chain("imdsrole", "assume-role",
                 "assume-role arn:aws:iam::1:role/imds (profile imdsrole) <- instance metadata");
    /* a source profile with web identity */
    expect_chain("onpod", "assume-role",
                 "assume-role arn:aws:iam::1:role/onpod (profile onpod) <- web-identity "
                 "arn:aws:iam::1:role/pod (profile pod, token /tmp/tok)");
    expect_chain("mfa", "assume-role",
                 "assume-role arn:aws:iam::1:role/admin (profile mfa, MFA) <- profile base "
                 "(static keys)");
    expect_chain("base", "profile", "profile base (static keys)");
    /* the config file's keys come after credential_process, as in botocore */
    expect_chain("proc_over_config_keys", "process",
                 "profile proc_over_config_keys (credential_process)");
    /* an explicit profile wins over the environment's keys; without one they win */
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
    expect_chain("envrole", "assume-role",
                 "assume-role arn:aws:iam::1:role/env (profile envrole) <- environment "
                 "(credential_source of profile envrole)");
    setenv("AWS_PROFILE", "ops", 1);
    expect_chain(NULL, "environment", "environment (static keys)");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    expect_chain(NULL, "assume-role",
                 "assume-role arn:aws:iam::123456789012:role/ops (profile ops) <- profile base "
                 "(static keys)");
    unsetenv("AWS_PROFILE");
    expect_chain("empty", "none", "none");
}

static void test_chain_errors(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    write_file("config", chain_config);
    expect_chain_error("cycle_b",
                       (const char *const[]){"profile cycle_b", "a cycle",
                                             "cycle_b -> cycle_c -> cycle_a -> cycle_b", NULL});
    expect_chain_error("loop", (const char *const[]){"profile loop", "loop -> loop", NULL});
    expect_chain_error("orphan",
                       (const char *const[]){"profile orphan", "\"nobody\"", "is not in", NULL});
    expect_chain_error("both", (const char *const[]){"profile both",
                                                     "both source_profile and "
                                                     "credential_source",
                                                     NULL});
    expect_chain_error("strange", (const char *const[]){"profile strange", "\"Moon\"",
                                                        "Ec2InstanceMetadata", NULL});
    expect_chain_error("bare", (const char *const[]){"profile bare", "no source_profile", NULL});
    expect_chain_error(
        "long", (const char *const[]){"profile long", "duration_seconds", "\"forever\"", NULL});
    expect_chain_error("nocreds", (const char *const[]){"profile nocreds", "\"empty\"",
                                                        "has no credentials", NULL});
}

static void test_chain_web_identity_and_precedence(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    write_file("config", chain_config);
    expect_chain("pod", "web-identity",
                 "web-identity arn:aws:iam::1:role/pod (profile pod, token /tmp/tok)");
    /* the environment's web identity (EKS), no profile given */
    setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/eks", 1);
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token", 1);
    expect_chain(NULL, "web-identity",
                 "web-identity arn:aws:iam::1:role/eks (profile default, token /var/run/token)");
    /* the environment's keys come first */
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
    expect_chain(NULL, "environment", "environment (static keys)");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    /* an explicit profile: the environment's web identity does not count */
    expect_chain("base", "profile", "profile base (static keys)");
    /* AWS_PROFILE is not explicit: a profile's assumed role comes before the
     * environment's web identity, as in botocore */
    setenv("AWS_PROFILE", "ops", 1);
    expect_chain(NULL, "assume-role",
                 "assume-role arn:aws:iam::123456789012:role/ops (profile ops) <- profile base "
                 "(static keys)");
    /* ... and the environment's web identity before the profile's keys */
    setenv("AWS_PROFILE", "base", 1);
    expect_chain(NULL, "web-identity",
                 "web-identity arn:aws:iam::1:role/eks (profile base, token /var/run/token)");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_ROLE_ARN");
    /* a token without a role */
    expect_chain_error(NULL,
                       (const char *const[]){"profile default", "no role", "AWS_ROLE_ARN", NULL});
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
}

static void test_chain_sso(void **state) {
    (void)state;
    write_file("credentials", "");
    write_file("config", "[default]\nregion = eu-west-1\n"
                         "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
                         "sso_role_name = ReadOnly\nregion = us-east-2\n"
                         "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
                         "sso_region = eu-central-1\n"
                         "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\n"
                         "sso_region = ap-south-1\nsso_account_id = 444455556666\n"
                         "sso_role_name = Admin\n"
                         "[profile half]\nsso_session = corp\nsso_account_id = 1\n"
                         "[profile lost]\nsso_session = gone\nsso_account_id = 1\n"
                         "sso_role_name = R\n"
                         "[profile ssorole]\nrole_arn = arn:aws:iam::1:role/up\n"
                         "source_profile = dev\n");
    aws_request_options o = {.profile = "dev"};
    aws_config c;
    char *error = NULL;
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_int_equal(c.credential_kind, AWS_CREDS_SSO);
    assert_string_equal(aws_config_credential_method(&c), "sso");
    assert_string_equal(c.region, "us-east-2");
    /* the portal of sso_region, not of the profile's region */
    assert_string_equal(c.endpoint_sso, "https://portal.sso.eu-central-1.amazonaws.com");
    aws_config_free(&c);
    expect_chain("legacy", "sso", "sso 444455556666 Admin (profile legacy)");
    expect_chain("ssorole", "assume-role",
                 "assume-role arn:aws:iam::1:role/up (profile ssorole) <- sso 111122223333 "
                 "ReadOnly (profile dev)");
    expect_chain_error("half", (const char *const[]){"profile half uses SSO", "sso_role_name",
                                                     "aws configure sso --profile half", NULL});
    expect_chain_error("lost", (const char *const[]){"profile lost", "[sso-session gone]", NULL});
}

static void test_chain_endpoints(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    write_file("config", chain_config);
    aws_request_options o = {.profile = "ops", .region = "eu-west-1"};
    aws_config c;
    char *error = NULL;
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_string_equal(c.endpoint_sts, "https://sts.eu-west-1.amazonaws.com");
    assert_string_equal(c.endpoint_sso, "https://portal.sso.eu-west-1.amazonaws.com");
    aws_config_free(&c);
    aws_request_options cn = {.profile = "ops", .region = "cn-north-1"};
    assert_true(aws_config_resolve(&cn, &c, &error));
    assert_string_equal(c.endpoint_sts, "https://sts.cn-north-1.amazonaws.com.cn");
    aws_config_free(&c);
    /* the global variable for every service, the service's own over it */
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
    setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:7001", 1);
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_string_equal(c.endpoint_sts, "http://127.0.0.1:7001");
    assert_string_equal(c.endpoint_sso, "http://127.0.0.1:4566");
    assert_string_equal(c.endpoint_glue, "http://127.0.0.1:4566");
    aws_config_free(&c);
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:7002/", 1);
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_string_equal(c.endpoint_sso, "http://127.0.0.1:7002");
    aws_config_free(&c);
    /* --endpoint-url beats them all */
    aws_request_options flag = {
        .profile = "ops", .region = "eu-west-1", .endpoint_url = "http://127.0.0.1:9/"};
    assert_true(aws_config_resolve(&flag, &c, &error));
    assert_string_equal(c.endpoint_sts, "http://127.0.0.1:9");
    assert_string_equal(c.endpoint_sso, "http://127.0.0.1:9");
    aws_config_free(&c);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_STS");
    unsetenv("AWS_ENDPOINT_URL_SSO");
    /* the profile's endpoint_url too */
    write_file("config", "[default]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:8/\n"
                         "role_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
    aws_request_options none = {0};
    assert_true(aws_config_resolve(&none, &c, &error));
    assert_string_equal(c.endpoint_sts, "http://127.0.0.1:8");
    aws_config_free(&c);
}

/* ---- a tiny STS -------------------------------------------------------------------- */

typedef struct sts_server {
    int fd;
    int port;
    pthread_mutex_t lock;
    int calls;
    char bodies[8][1024];       /* the first forms received */
    bool signed_calls[8];       /* whether each carried an Authorization */
    const char *expirations[8]; /* the Expiration of each answer, in turn */
    const char *error_code;     /* answer 403 with it instead */
} sts_server;

static void *sts_server_run(void *arg) {
    sts_server *s = arg;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[16384];
        size_t n = 0;
        ssize_t r;
        char *body = NULL;
        long length = -1;
        while (n < sizeof buf - 1 && (r = read(c, buf + n, sizeof buf - 1 - n)) > 0) {
            n += (size_t)r;
            buf[n] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end && length < 0) {
                char *cl = strcasestr(buf, "Content-Length:");
                length = cl ? atol(cl + 15) : 0;
                body = end + 4;
            }
            if (body && (long)(buf + n - body) >= length)
                break;
        }
        pthread_mutex_lock(&s->lock);
        int i = s->calls++;
        if (i < 8) {
            snprintf(s->bodies[i], sizeof s->bodies[i], "%s", body ? body : "");
            s->signed_calls[i] = strcasestr(buf, "\r\nAuthorization: AWS4-HMAC-SHA256") != NULL;
        }
        const char *expiration = s->expirations[i < 8 ? i : 7];
        pthread_mutex_unlock(&s->lock);
        char answer[2048];
        int len;
        if (s->error_code)
            len = snprintf(answer, sizeof answer,
                           "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>Not "
                           "authorized</Message></Error></ErrorResponse>",
                           s->error_code);
        else
            len = snprintf(answer, sizeof answer,
                           "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA%d"
                           "</AccessKeyId><SecretAccessKey>SECRETSTS%d</SecretAccessKey>"
                           "<SessionToken>TOKENSTS%d</SessionToken><Expiration>%s</Expiration>"
                           "</Credentials></AssumeRoleResult></AssumeRoleResponse>",
                           i + 1, i + 1, i + 1, expiration ? expiration : "2030-01-01T01:00:00Z");
        char head[256];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n"
                          "Connection: close\r\n\r\n",
                          s->error_code ? "403 Forbidden" : "200 OK", len);
        if (write(c, head, (size_t)hl) < 0 || write(c, answer, (size_t)len) < 0)
            (void)0;
        close(c);
    }
}

static void sts_server_start(sts_server *s, pthread_t *t) {
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &len);
    s->port = ntohs(a.sin_port);
    assert_int_equal(listen(s->fd, 16), 0);
    pthread_mutex_init(&s->lock, NULL);
    assert_int_equal(pthread_create(t, NULL, sts_server_run, s), 0);
    char *url = xasprintf("http://127.0.0.1:%d", s->port);
    setenv("AWS_ENDPOINT_URL_STS", url, 1);
    free(url);
}

static void sts_server_stop(sts_server *s, pthread_t t) {
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&s->lock);
    unsetenv("AWS_ENDPOINT_URL_STS");
}

static int sts_calls(sts_server *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->calls;
    pthread_mutex_unlock(&s->lock);
    return n;
}

typedef struct mfa_asked {
    int times;
    bool answer;
} mfa_asked;

static bool mfa_answer(void *ctx, const char *profile, const char *serial, char *code,
                       size_t size) {
    mfa_asked *m = ctx;
    m->times++;
    assert_string_equal(profile, "mfa");
    assert_string_equal(serial, "arn:aws:iam::1:mfa/me");
    snprintf(code, size, "123456\n");
    return m->answer;
}

static void test_chain_mfa_without_terminal(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    write_file("config", chain_config);
    setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1", 1);
    mfa_asked m = {.answer = false};
    aws_request_options o = {.profile = "mfa", .region = "eu-west-1"};
    for (int with_callback = 0; with_callback < 2; with_callback++) {
        o.mfa_code = with_callback ? mfa_answer : NULL;
        o.mfa_ctx = &m;
        aws_config c;
        char *error = NULL;
        assert_true(aws_config_resolve(&o, &c, &error));
        assert_false(aws_config_refresh(&c, 1893456000, &error));
        assert_string_equal(error, "profile mfa needs an MFA code (mfa_serial "
                                   "arn:aws:iam::1:mfa/me): run the dashboard in a terminal to "
                                   "type it");
        free(error);
        aws_config_free(&c);
    }
    assert_int_equal(m.times, 1);
    unsetenv("AWS_ENDPOINT_URL_STS");
}

static void test_chain_refreshes(void **state) {
    (void)state;
    write_file("credentials", chain_credentials);
    char *token = xasprintf("%s/token", dir);
    char *config = xasprintf("%s[profile web]\nrole_arn = arn:aws:iam::1:role/web\n"
                             "web_identity_token_file = %s\n",
                             chain_config, token);
    write_file("config", config);
    free(config);
    sts_server s = {.expirations = {"2030-01-01T01:00:00Z", "2030-01-01T02:00:00Z",
                                    "2030-01-01T03:00:00Z", "2030-01-01T03:00:00Z",
                                    "2030-01-01T04:00:00Z", "2030-01-01T01:00:00Z",
                                    "2030-01-01T05:00:00Z", "2030-01-01T05:00:00Z"}};
    pthread_t t;
    sts_server_start(&s, &t);
    const int64_t t0 = 1893456000; /* 2030-01-01T00:00:00Z */
    char *error = NULL;
    /* a chain of two: two calls, the second signed with the first's keys */
    aws_request_options o = {.profile = "chain", .region = "eu-west-1"};
    aws_config c;
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_null(c.credentials.access_key_id);
    if (!aws_config_refresh(&c, t0, &error))
        fail_msg("%s", error);
    assert_int_equal(sts_calls(&s), 2);
    assert_true(s.signed_calls[0] && s.signed_calls[1]);
    assert_non_null(strstr(s.bodies[0], "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops"));
    assert_non_null(strstr(s.bodies[0], "RoleSessionName=laketop-"));
    assert_non_null(strstr(s.bodies[1], "Action=AssumeRole&Version=2011-06-15"));
    assert_non_null(strstr(s.bodies[1], "RoleSessionName=chain-session"));
    assert_non_null(strstr(s.bodies[1], "ExternalId=ext-7"));
    assert_non_null(strstr(s.bodies[1], "DurationSeconds=1800"));
    assert_string_equal(c.credentials.access_key_id, "ASIA2");
    assert_string_equal(c.credentials.session_token, "TOKENSTS2");
    assert_int_equal(c.credentials.expiration, t0 + 7200);
    /* fresh: no call, however often it is asked */
    for (int i = 0; i < 100; i++)
        assert_true(aws_config_refresh(&c, t0 + 600 + i, &error));
    assert_int_equal(sts_calls(&s), 2);
    /* the top within 5 minutes of its expiry, its source (ops, expired at
     * t0+3600) too: the source first, then the top */
    assert_true(aws_config_refresh(&c, t0 + 7200 - 200, &error));
    assert_int_equal(sts_calls(&s), 4);
    assert_string_equal(c.credentials.access_key_id, "ASIA4");
    aws_config_free(&c);
    /* another source of the same profile (an action's): the shared ones */
    assert_true(aws_config_resolve(&o, &c, &error));
    assert_true(aws_config_refresh(&c, t0 + 7200 - 100, &error));
    assert_int_equal(sts_calls(&s), 4);
    assert_string_equal(c.credentials.access_key_id, "ASIA4");
    aws_config_free(&c);
    /* MFA: asked once, sent with the call; a second source asks no more */
    mfa_asked m = {.answer = true};
    aws_request_options mo = {
        .profile = "mfa", .region = "eu-west-1", .mfa_code = mfa_answer, .mfa_ctx = &m};
    for (int i = 0; i < 2; i++) {
        assert_true(aws_config_resolve(&mo, &c, &error));
        if (!aws_config_refresh(&c, t0, &error))
            fail_msg("%s", error);
        aws_config_free(&c);
    }
    assert_int_equal(m.times, 1);
    assert_int_equal(sts_calls(&s), 5);
    assert_non_null(strstr(s.bodies[4], "SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fme"));
    assert_non_null(strstr(s.bodies[4], "TokenCode=123456"));
    assert_null(strstr(s.bodies[4], "%0A"));
    /* web identity: unsigned, the token file read again at each fetch */
    fs_write_atomic(token, "token-one\n", 10, &error);
    aws_request_options wo = {.profile = "web", .region = "eu-west-1"};
    assert_true(aws_config_resolve(&wo, &c, &error));
    assert_true(aws_config_refresh(&c, t0, &error));
    assert_int_equal(sts_calls(&s), 6);
    assert_false(s.signed_calls[5]);
    assert_non_null(strstr(s.bodies[5], "Action=AssumeRoleWithWebIdentity"));
    assert_non_null(strstr(s.bodies[5], "WebIdentityToken=token-one"));
    assert_null(strstr(s.bodies[5], "%0A")); /* the file's newline is not the token's */
    fs_write_atomic(token, "token-two", 9, &error);
    assert_true(aws_config_refresh(&c, t0 + 3 * 3600, &error));
    assert_int_equal(sts_calls(&s), 7);
    assert_non_null(strstr(s.bodies[6], "WebIdentityToken=token-two"));
    aws_config_free(&c);
    /* a refused role: one line naming the profile, the role, the code */
    s.error_code = "AccessDenied";
    aws_request_options ro = {.profile = "ops", .region = "eu-west-1"};
    assert_true(aws_config_resolve(&ro, &c, &error));
    assert_false(aws_config_refresh(&c, t0 + 10 * 3600, &error));
    assert_non_null(strstr(error, "profile ops: AssumeRole arn:aws:iam::123456789012:role/ops: "
                                  "AccessDenied: Not authorized (check that the role trusts"));
    assert_null(strstr(error, "SECRETBASE"));
    free(error);
    aws_config_free(&c);
    sts_server_stop(&s, t);
    free(token);
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
        cmocka_unit_test_setup_teardown(test_chain_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_web_identity_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_sso, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_endpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_mfa_without_terminal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_refreshes, setup, teardown),
    };
    return cmocka_run_group_tests_name("aws_config", tests, NULL, NULL);
}
