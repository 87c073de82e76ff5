/* test_aws_sso.c: IAM Identity Center credentials without a network: the
 * cache file names (vectors from botocore's own
 * SSOTokenLoader._generate_cache_key), the cached token's JSON in the
 * forms the AWS tools write, the portal's answer, and aws_sso_credentials
 * up to the request (no token, an expired one, a broken file, the legacy
 * form's file name), with every secret registered for redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/aws/aws_sso.h"
#include "common/fs.h"
#include "common/redact.h"
#include "tests/unit/unit_tmp.h"

/* 2026-12-02T10:00:00Z */
#define NOW INT64_C(1796205600)

static int forget(void **state) {
    (void)state;
    redact_forget_all();
    return 0;
}

/* python3 -c 'from botocore.utils import SSOTokenLoader as L;
 *   print(L()._generate_cache_key(START_URL, SESSION))' */
static void test_cache_name(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"https://my-sso-portal.awsapps.com/start", "c7aaaf71fcc8777ae2475525ed049d39fe16c484"},
        {"https://d-92671207e4.awsapps.com/start", "13f9d35043871d073ab260e020f0ffde092cb14b"},
        {"my-sso", "0ad374308c5a4e22f723adf10145eafad7c4031c"},
        {"dev", "34c6fceca75e456f25e7e99531e2425c6c1de443"},
        {"\xc3\xbc"
         "n\xc3\xaf"
         "code session",
         "f1e6a45d043a4caf19cfea63fccb8d8e832ab87e"},
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"}, /* SHA-1 of nothing */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = aws_sso_cache_name(cases[i][0]);
        char want[64];
        snprintf(want, sizeof want, "%s.json", cases[i][1]);
        assert_string_equal(name, want);
        free(name);
    }
}

static void test_token_botocore(void **state) {
    (void)state;
    /* what botocore's SSOTokenProvider writes after a refresh
     * (_sso_json_dumps: "%Y-%m-%dT%H:%M:%SZ") */
    const char *json =
        "{\"startUrl\": \"https://d-92671207e4.awsapps.com/start\", \"region\": \"eu-west-1\", "
        "\"accessToken\": \"aoaAAAAAGVsYWtldG9wLWFjY2Vzcw\", \"expiresAt\": "
        "\"2026-12-02T11:00:00Z\", \"clientId\": \"client-123\", \"clientSecret\": "
        "\"c2VjcmV0LWNsaWVudA\", \"registrationExpiresAt\": \"2027-03-02T10:00:00Z\", "
        "\"refreshToken\": \"aorAAAAAGVsYWtldG9wLXJlZnJlc2g\"}";
    aws_sso_token t = {0};
    char *error = NULL;
    assert_true(aws_sso_parse_token(json, &t, &error));
    assert_null(error);
    assert_string_equal(t.access_token, "aoaAAAAAGVsYWtldG9wLWFjY2Vzcw");
    assert_int_equal(t.expires_at, NOW + 3600);
    assert_string_equal(t.refresh_token, "aorAAAAAGVsYWtldG9wLXJlZnJlc2g");
    assert_string_equal(t.client_id, "client-123");
    assert_string_equal(t.client_secret, "c2VjcmV0LWNsaWVudA");
    assert_string_equal(t.region, "eu-west-1");
    assert_string_equal(t.start_url, "https://d-92671207e4.awsapps.com/start");
    /* the three secrets are masked from now on; the client id is not one */
    char *shown = redact_dup("a aoaAAAAAGVsYWtldG9wLWFjY2Vzcw b aorAAAAAGVsYWtldG9wLXJlZnJlc2g c "
                             "c2VjcmV0LWNsaWVudA d client-123");
    assert_string_equal(shown, "a *** b *** c *** d client-123");
    free(shown);
    aws_sso_token_clear(&t);
    assert_null(t.access_token);
}

/* The other time forms: botocore's generic JSON cache ("...UTC"), the CLI
 * v2 and the SDKs (fractional seconds, offsets), no zone (UTC). */
static void test_token_times(void **state) {
    (void)state;
    static const struct {
        const char *expires;
        int64_t want;
    } cases[] = {
        {"2026-12-02T10:00:00UTC", NOW},      {"2026-12-02T10:00:00Z", NOW},
        {"2026-12-02T10:00:00.123456Z", NOW}, {"2026-12-02T11:00:00+01:00", NOW},
        {"2026-12-02T09:30:00-0030", NOW},    {"2026-12-02T10:00:00", NOW},
        {"2026-12-02 10:00:00Z", NOW},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[200];
        snprintf(json, sizeof json, "{\"accessToken\": \"tok-times\", \"expiresAt\": \"%s\"}",
                 cases[i].expires);
        aws_sso_token t = {0};
        char *error = NULL;
        if (!aws_sso_parse_token(json, &t, &error))
            fail_msg("%s: %s", cases[i].expires, error);
        if (t.expires_at != cases[i].want)
            fail_msg("%s: got %lld", cases[i].expires, (long long)t.expires_at);
        assert_null(t.refresh_token);
        aws_sso_token_clear(&t);
    }
}

static void test_token_malformed(void **state) {
    (void)state;
    static const struct {
        const char *json, *error;
    } cases[] = {
        {"", "not a JSON object"},
        {"not json", "not a JSON object"},
        {"[1, 2]", "not a JSON object"},
        {"\"accessToken\"", "not a JSON object"},
        {"{\"expiresAt\": \"2026-12-02T10:00:00Z\"}", "lacks accessToken"},
        {"{\"accessToken\": \"\", \"expiresAt\": \"2026-12-02T10:00:00Z\"}", "lacks accessToken"},
        {"{\"accessToken\": 42, \"expiresAt\": \"2026-12-02T10:00:00Z\"}", "lacks accessToken"},
        {"{\"accessToken\": \"secret-tok\"}", "lacks expiresAt"},
        {"{\"accessToken\": \"secret-tok\", \"expiresAt\": 1796205600}", "lacks expiresAt"},
        {"{\"accessToken\": \"secret-tok\", \"expiresAt\": \"tomorrow\"}",
         "expiresAt \"tomorrow\" is not an ISO 8601 time"},
        {"{\"accessToken\": \"secret-tok\", \"expiresAt\": \"2026-13-02T10:00:00Z\"}",
         "is not an ISO 8601 time"},
        {"{\"accessToken\": \"secret-tok\", \"expiresAt\": \"2026-12-02T10:00:00 GMT+1\"}",
         "is not an ISO 8601 time"},
        {"{\"accessToken\": \"secret-tok\", \"expiresAt\": \"2026-12-02T10:00:00Z\"", /* cut */
         "not a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aws_sso_token t = {0};
        char *error = NULL;
        if (aws_sso_parse_token(cases[i].json, &t, &error))
            fail_msg("case %zu parsed", i);
        if (!error || !strstr(error, cases[i].error))
            fail_msg("case %zu: got '%s', want '%s'", i, error ? error : "(null)", cases[i].error);
        assert_null(strstr(error, "secret-tok"));
        assert_null(t.access_token);
        free(error);
    }
    aws_sso_token t = {0};
    char *error = NULL;
    assert_false(aws_sso_parse_token(NULL, &t, &error));
    free(error);
}

static void test_role_credentials(void **state) {
    (void)state;
    const char *json = "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSOEXAMPLE\", "
                       "\"secretAccessKey\": \"sso/role/secret+key\", \"sessionToken\": "
                       "\"IQoJb3JpZ2luX2VjEXAMPLEtoken==\", \"expiration\": 1796209200000}}";
    aws_credentials c = {0};
    char *error = NULL;
    assert_true(aws_sso_parse_role_credentials(json, &c, &error));
    assert_string_equal(c.access_key_id, "ASIASSOEXAMPLE");
    assert_string_equal(c.secret_access_key, "sso/role/secret+key");
    assert_string_equal(c.session_token, "IQoJb3JpZ2luX2VjEXAMPLEtoken==");
    assert_int_equal(c.expiration, NOW + 3600);
    char *shown = redact_dup("sso/role/secret+key IQoJb3JpZ2luX2VjEXAMPLEtoken== ASIASSOEXAMPLE");
    assert_string_equal(shown, "*** *** ASIASSOEXAMPLE");
    free(shown);
    aws_credentials_clear(&c);
    /* a double (some JSON writers) is milliseconds too */
    assert_true(aws_sso_parse_role_credentials(
        "{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"s\", "
        "\"sessionToken\": \"t\", \"expiration\": 1796209200000.0}}",
        &c, &error));
    assert_int_equal(c.expiration, NOW + 3600);
    aws_credentials_clear(&c);
}

static void test_role_credentials_malformed(void **state) {
    (void)state;
    static const struct {
        const char *json, *error;
    } cases[] = {
        {"", "no roleCredentials"},
        {"{}", "no roleCredentials"},
        {"{\"roleCredentials\": \"x\"}", "no roleCredentials"},
        {"{\"roleCredentials\": {\"secretAccessKey\": \"rc-secret\", \"sessionToken\": \"t\", "
         "\"expiration\": 1796209200000}}",
         "lack accessKeyId"},
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"sessionToken\": \"t\", "
         "\"expiration\": 1796209200000}}",
         "lack secretAccessKey"},
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"rc-secret\", "
         "\"expiration\": 1796209200000}}",
         "lack sessionToken"},
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"rc-secret\", "
         "\"sessionToken\": \"t\"}}",
         "lack a numeric expiration"},
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"rc-secret\", "
         "\"sessionToken\": \"t\", \"expiration\": \"2026-12-02T10:00:00Z\"}}",
         "lack a numeric expiration"},
        /* seconds, not milliseconds */
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"rc-secret\", "
         "\"sessionToken\": \"t\", \"expiration\": 1796209200}}",
         "not a time in milliseconds"},
        {"{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"rc-secret\", "
         "\"sessionToken\": \"t\", \"expiration\": -1}}",
         "not a time in milliseconds"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aws_credentials c = {0};
        char *error = NULL;
        if (aws_sso_parse_role_credentials(cases[i].json, &c, &error))
            fail_msg("case %zu parsed", i);
        if (!error || !strstr(error, cases[i].error))
            fail_msg("case %zu: got '%s', want '%s'", i, error ? error : "(null)", cases[i].error);
        assert_null(strstr(error, "rc-secret"));
        assert_null(c.access_key_id);
        free(error);
    }
}

/* A private cache directory for the aws_sso_credentials cases. */
typedef struct sso_dir {
    char path[1024];
} sso_dir;

static void sso_dir_make(sso_dir *d) {
    unit_tmp_template(d->path, sizeof d->path, "laketop-test-sso");
    assert_non_null(mkdtemp(d->path));
}

static void sso_dir_write(const sso_dir *d, const char *key, const char *json) {
    char *name = aws_sso_cache_name(key);
    char *path = fs_join(d->path, name);
    char *error = NULL;
    assert_true(fs_write_atomic(path, json, strlen(json), &error));
    free(path);
    free(name);
}

static char *sso_try(const aws_sso_profile *p, const sso_dir *d) {
    aws_credentials c = {0};
    char *error = NULL;
    /* nothing listens on port 1: a request would fail with "Connection refused" */
    assert_false(aws_sso_credentials(p, "http://127.0.0.1:1", d->path, NULL, NOW, &c, &error));
    assert_null(c.access_key_id);
    assert_non_null(error);
    return error;
}

static const aws_sso_profile session_profile = {
    .profile = "ops",
    .session_name = "my-sso",
    .start_url = "https://d-92671207e4.awsapps.com/start",
    .region = "eu-west-1",
    .account_id = "123456789012",
    .role_name = "ops-readonly",
};

static const aws_sso_profile legacy_profile = {
    .profile = "legacy",
    .session_name = NULL,
    .start_url = "https://d-92671207e4.awsapps.com/start",
    .region = "eu-west-1",
    .account_id = "123456789012",
    .role_name = "ops-readonly",
};

static void test_credentials_no_token(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    /* a client registration beside it is not a token */
    sso_dir_write(&d, "x", "{}");
    char *client = fs_join(d.path, "botocore-client-id-eu-west-1.json");
    fs_write_atomic(client, "{\"clientId\": \"c\", \"clientSecret\": \"s3cr3t-client\"}", 48, NULL);
    free(client);
    char *error = sso_try(&session_profile, &d);
    assert_string_equal(error, "the SSO session for profile ops has no cached token: run `aws sso "
                               "login --profile ops`");
    free(error);
    /* the legacy profile's file is named by the start URL, not the session:
     * a token under the session's name is not its token */
    sso_dir_write(&d, "my-sso",
                  "{\"accessToken\": \"tok-session\", \"expiresAt\": \"2026-12-02T09:00:00Z\"}");
    error = sso_try(&legacy_profile, &d);
    assert_string_equal(error, "the SSO session for profile legacy has no cached token: run `aws "
                               "sso login --profile legacy`");
    free(error);
    fs_remove_tree(d.path);
}

static void test_credentials_expired(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    /* expired a second ago; no refresh token */
    sso_dir_write(&d, "my-sso",
                  "{\"accessToken\": \"tok-expired\", \"expiresAt\": \"2026-12-02T09:59:59Z\"}");
    sso_dir_write(&d, "https://d-92671207e4.awsapps.com/start",
                  "{\"accessToken\": \"tok-legacy\", \"expiresAt\": \"2026-12-02T10:00:00UTC\", "
                  "\"startUrl\": \"https://d-92671207e4.awsapps.com/start\", \"region\": "
                  "\"eu-west-1\"}");
    char *error = sso_try(&session_profile, &d);
    assert_string_equal(error, "the SSO session for profile ops has expired: run `aws sso login "
                               "--profile ops`");
    free(error);
    error = sso_try(&legacy_profile, &d);
    assert_string_equal(error, "the SSO session for profile legacy has expired: run `aws sso "
                               "login --profile legacy`");
    free(error);
    /* a refresh token whose client registration expired: no refresh tried */
    sso_dir_write(&d, "my-sso",
                  "{\"accessToken\": \"tok-expired\", \"expiresAt\": \"2026-12-02T09:00:00Z\", "
                  "\"refreshToken\": \"tok-refresh\", \"clientId\": \"cid\", \"clientSecret\": "
                  "\"tok-client\", \"registrationExpiresAt\": \"2026-12-01T00:00:00Z\"}");
    error = sso_try(&session_profile, &d);
    assert_string_equal(error, "the SSO session for profile ops has expired: run `aws sso login "
                               "--profile ops`");
    free(error);
    /* a refresh that cannot reach SSO OIDC leaves it expired, the file as it was */
    setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:1", 1);
    const char *refreshable =
        "{\"accessToken\": \"tok-expired\", \"expiresAt\": \"2026-12-02T09:00:00Z\", "
        "\"refreshToken\": \"tok-refresh\", \"clientId\": \"cid\", \"clientSecret\": "
        "\"tok-client\", \"registrationExpiresAt\": \"2027-01-01T00:00:00Z\"}";
    sso_dir_write(&d, "my-sso", refreshable);
    error = sso_try(&session_profile, &d);
    unsetenv("AWS_ENDPOINT_URL_SSO_OIDC");
    assert_string_equal(error, "the SSO session for profile ops has expired: run `aws sso login "
                               "--profile ops`");
    free(error);
    char *name = aws_sso_cache_name("my-sso");
    char *path = fs_join(d.path, name);
    char *text = fs_read_file(path, NULL, NULL);
    assert_string_equal(text, refreshable);
    free(text);
    free(path);
    free(name);
    fs_remove_tree(d.path);
}

static void test_credentials_broken_file(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    sso_dir_write(&d, "my-sso", "{\"accessToken\": \"tok-broken\", \"expiresAt\": \"soon\"}");
    char *error = sso_try(&session_profile, &d);
    assert_non_null(strstr(error, "the SSO session for profile ops has no usable cached token: "
                                  "run `aws sso login --profile ops`"));
    assert_non_null(strstr(error, "0ad374308c5a4e22f723adf10145eafad7c4031c.json"));
    assert_non_null(strstr(error, "expiresAt \"soon\""));
    assert_null(strstr(error, "tok-broken"));
    free(error);
    fs_remove_tree(d.path);
}

/* A valid token, the portal unreachable: the message names the portal
 * and the profile, never the token. */
static void test_credentials_portal_down(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    sso_dir_write(
        &d, "my-sso",
        "{\"accessToken\": \"tok-valid-bearer\", \"expiresAt\": \"2026-12-02T18:00:00Z\"}");
    char *error = sso_try(&session_profile, &d);
    assert_non_null(strstr(error, "the SSO portal http://127.0.0.1:1 for profile ops: "));
    assert_null(strstr(error, "tok-valid-bearer"));
    free(error);
    fs_remove_tree(d.path);
}

/* Ten minutes left (inside botocore's 15-minute refresh window) and OIDC
 * unreachable: the token, still valid, goes to the portal (its error, not
 * "expired"), and the cache file is left as it was. */
static void test_credentials_refresh_fails_token_kept(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    const char *soon = "{\"accessToken\": \"tok-soon\", \"expiresAt\": \"2026-12-02T10:10:00Z\", "
                       "\"refreshToken\": \"tok-refresh\", \"clientId\": \"cid\", "
                       "\"clientSecret\": \"tok-client\", \"registrationExpiresAt\": "
                       "\"2027-01-01T00:00:00Z\"}";
    sso_dir_write(&d, "my-sso", soon);
    setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:1", 1);
    char *error = sso_try(&session_profile, &d);
    unsetenv("AWS_ENDPOINT_URL_SSO_OIDC");
    assert_non_null(strstr(error, "the SSO portal http://127.0.0.1:1 for profile ops: "));
    assert_null(strstr(error, "tok-"));
    free(error);
    char *name = aws_sso_cache_name("my-sso");
    char *path = fs_join(d.path, name);
    char *text = fs_read_file(path, NULL, NULL);
    assert_string_equal(text, soon);
    free(text);
    free(path);
    free(name);
    fs_remove_tree(d.path);
}

static void test_credentials_incomplete_profile(void **state) {
    (void)state;
    sso_dir d;
    sso_dir_make(&d);
    aws_sso_profile p = session_profile;
    p.role_name = NULL;
    aws_credentials c = {0};
    char *error = NULL;
    assert_false(aws_sso_credentials(&p, "http://127.0.0.1:1", d.path, NULL, NOW, &c, &error));
    assert_non_null(strstr(error, "profile ops: SSO needs"));
    assert_non_null(strstr(error, "(missing sso_role_name)"));
    free(error);
    error = NULL;
    p = session_profile;
    assert_false(aws_sso_credentials(&p, NULL, d.path, NULL, NOW, &c, &error));
    assert_non_null(strstr(error, "(missing sso_region)"));
    free(error);
    fs_remove_tree(d.path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cache_name, forget),
        cmocka_unit_test_teardown(test_token_botocore, forget),
        cmocka_unit_test_teardown(test_token_times, forget),
        cmocka_unit_test_teardown(test_token_malformed, forget),
        cmocka_unit_test_teardown(test_role_credentials, forget),
        cmocka_unit_test_teardown(test_role_credentials_malformed, forget),
        cmocka_unit_test_teardown(test_credentials_no_token, forget),
        cmocka_unit_test_teardown(test_credentials_expired, forget),
        cmocka_unit_test_teardown(test_credentials_broken_file, forget),
        cmocka_unit_test_teardown(test_credentials_portal_down, forget),
        cmocka_unit_test_teardown(test_credentials_refresh_fails_token_kept, forget),
        cmocka_unit_test_teardown(test_credentials_incomplete_profile, forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
