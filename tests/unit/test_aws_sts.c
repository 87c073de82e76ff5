/* test_aws_sts.c: STS's answers read (AssumeRole and
 * AssumeRoleWithWebIdentity credentials, GetCallerIdentity, ErrorResponse),
 * broken and hostile ones refused without a secret in the message, and the
 * name a person knows an ARN by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_sts.h"
#include "common/redact.h"
#include "common/xalloc.h"

static const char assume_role[] =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <AssumeRoleResult>\n"
    "    <SourceIdentity>Alice</SourceIdentity>\n"
    "    <AssumedRoleUser>\n"
    "      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>\n"
    "      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>\n"
    "    </AssumedRoleUser>\n"
    "    <Credentials>\n"
    "      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
    "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
    "      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"
    "</SessionToken>\n"
    "      <Expiration>2019-11-09T13:34:41Z</Expiration>\n"
    "    </Credentials>\n"
    "    <PackedPolicySize>6</PackedPolicySize>\n"
    "  </AssumeRoleResult>\n"
    "  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
    "</ResponseMetadata>\n"
    "</AssumeRoleResponse>\n";

static void test_credentials(void **state) {
    (void)state;
    redact_forget_all();
    aws_credentials c = {.expiration = -1};
    char *error = NULL;
    assert_true(aws_sts_parse_credentials(assume_role, strlen(assume_role), &c, &error));
    assert_string_equal(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    assert_string_equal(c.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    assert_string_equal(c.session_token,
                        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW");
    assert_int_equal(c.expiration, 1573306481);
    /* the secret and the token are kept out of messages from now on */
    char *shown =
        redact_dup("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY id ASIAIOSFODNN7EXAMPLE");
    assert_string_equal(shown, "key *** id ASIAIOSFODNN7EXAMPLE");
    free(shown);
    aws_credentials_clear(&c);
    /* web identity's answer, with a prefix, fractions of a second, CDATA */
    static const char web[] =
        "<?xml version=\"1.0\"?><sts:AssumeRoleWithWebIdentityResponse "
        "xmlns:sts=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<sts:AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>s</"
        "SubjectFromWebIdentityToken><Credentials><SessionToken><![CDATA[TOK&EN]]></SessionToken>"
        "<SecretAccessKey>S&amp;K</SecretAccessKey><Expiration>2030-01-01T00:00:00.123Z"
        "</Expiration><AccessKeyId>ASIAWEB</AccessKeyId></Credentials>"
        "</sts:AssumeRoleWithWebIdentityResult></sts:AssumeRoleWithWebIdentityResponse>";
    assert_true(aws_sts_parse_credentials(web, strlen(web), &c, &error));
    assert_string_equal(c.access_key_id, "ASIAWEB");
    assert_string_equal(c.secret_access_key, "S&K");
    assert_string_equal(c.session_token, "TOK&EN");
    assert_int_equal(c.expiration, 1893456000);
    aws_credentials_clear(&c);
    redact_forget_all();
}

static void test_credentials_refused(void **state) {
    (void)state;
    static const struct {
        const char *xml, *error;
    } bad[] = {
        {"", "not XML"},
        {"<AssumeRoleResponse><AssumeRoleResult>", "not XML"},
        {"<html><body>proxy</body></html>", "no Credentials/AccessKeyId"},
        /* the Credentials must be where STS puts them */
        {"<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>"
         "TOPSECRET</SecretAccessKey><SessionToken>T</SessionToken><Expiration>"
         "2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResponse>",
         "no Credentials/AccessKeyId"},
        {"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
         "<SecretAccessKey>TOPSECRET</SecretAccessKey><Expiration>2030-01-01T00:00:00Z"
         "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
         "no Credentials/SessionToken"},
        {"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
         "<SecretAccessKey>TOPSECRET</SecretAccessKey><SessionToken>T</SessionToken>"
         "<Expiration>soon</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
         "Expiration is not an ISO 8601 time"},
        {"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x "
         "is not authorized</Message></Error><RequestId>1</RequestId></ErrorResponse>",
         "AccessDenied: User: x is not authorized"},
        /* an entity defined in the document is not expanded into a secret's place */
        {"<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>",
         "no Credentials/AccessKeyId"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        aws_credentials c = {.expiration = -1};
        char *error = NULL;
        if (aws_sts_parse_credentials(bad[i].xml, strlen(bad[i].xml), &c, &error))
            fail_msg("case %zu accepted", i);
        if (!strstr(error, bad[i].error))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, error, bad[i].error);
        assert_null(strstr(error, "TOPSECRET"));
        assert_null(c.access_key_id);
        free(error);
    }
}

static void test_identity(void **state) {
    (void)state;
    static const char xml[] =
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/ops-readonly/"
        "laketop-1</Arn><UserId>AROAEXAMPLE:laketop-1</UserId><Account>123456789012</Account>"
        "</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567</RequestId>"
        "</ResponseMetadata></GetCallerIdentityResponse>";
    aws_identity id = {0};
    char *error = NULL;
    assert_true(aws_sts_parse_identity(xml, strlen(xml), &id, &error));
    assert_string_equal(id.account, "123456789012");
    assert_string_equal(id.arn, "arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-1");
    assert_string_equal(id.user_id, "AROAEXAMPLE:laketop-1");
    assert_string_equal(id.name, "ops-readonly");
    aws_identity_clear(&id);
    static const char err[] = "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The "
                              "security token included in the request is expired</Message>"
                              "</Error></ErrorResponse>";
    assert_false(aws_sts_parse_identity(err, strlen(err), &id, &error));
    assert_string_equal(error, "ExpiredToken: The security token included in the request is "
                               "expired");
    free(error);
    static const char none[] = "<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>x"
                               "</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>";
    assert_false(aws_sts_parse_identity(none, strlen(none), &id, &error));
    assert_non_null(strstr(error, "Account and Arn"));
    free(error);
}

static void test_error(void **state) {
    (void)state;
    char *code, *message;
    static const char xml[] = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/"
                              "\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
                              "<Message>1 validation error detected</Message></Error>"
                              "<RequestId>r</RequestId></ErrorResponse>";
    assert_true(aws_sts_parse_error(xml, strlen(xml), &code, &message));
    assert_string_equal(code, "ValidationError");
    assert_string_equal(message, "1 validation error detected");
    free(code);
    free(message);
    /* the EC2 shape, <Response><Errors><Error> */
    static const char ec2[] = "<Response><Errors><Error><Code>Throttling</Code></Error></Errors>"
                              "</Response>";
    assert_true(aws_sts_parse_error(ec2, strlen(ec2), &code, &message));
    assert_string_equal(code, "Throttling");
    assert_null(message);
    free(code);
    assert_false(aws_sts_parse_error("<a/>", 4, &code, &message));
    assert_false(aws_sts_parse_error("nope", 4, &code, &message));
    assert_null(code);
}

static void test_identity_name(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-1700000000", "ops-readonly"},
        {"arn:aws:iam::123456789012:user/alice", "alice"},
        {"arn:aws:iam::123456789012:user/division/team/bob", "bob"},
        {"arn:aws:iam::123456789012:role/path/deploy", "deploy"},
        {"arn:aws:iam::123456789012:root", "root"},
        {"arn:aws:sts::123456789012:federated-user/carol", "carol"},
        {"arn:aws-cn:sts::123456789012:assumed-role/cn-role/s", "cn-role"},
        /* an SSO permission set's role: the permission set */
        {"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/"
         "alice@example.com",
         "ReadOnly"},
        {"arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_Access_fedcba9876543210/u",
         "Admin_Access"},
        /* not quite: kept whole */
        {"arn:aws:sts::1:assumed-role/AWSReservedSSO_X_notHEX0123456789/u",
         "AWSReservedSSO_X_notHEX0123456789"},
        {"arn:aws:sts::1:assumed-role//s", "s"},
        {"not-an-arn", "not-an-arn"},
        {"something/else", "else"},
        {"arn:aws:iam::1:", "arn:aws:iam::1:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = aws_identity_name(cases[i][0]);
        if (strcmp(name, cases[i][1]) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i][0], name, cases[i][1]);
        free(name);
    }
    assert_null(aws_identity_name(NULL));
}

/* The STS calls' errors without a server: one line naming the profile and
 * the role; an endpoint that is not a URL; no credentials for
 * GetCallerIdentity. */
static void test_calls_fail_clearly(void **state) {
    (void)state;
    aws_config c = {.profile = "ops", .region = "us-east-1", .endpoint_sts = "http://127.0.0.1:1"};
    aws_credentials signer = {.access_key_id = "AKID", .secret_access_key = "SECRETSECRET"};
    aws_assume_role q = {.profile = "ops", .role_arn = "arn:aws:iam::1:role/r"};
    aws_credentials out = {.expiration = -1};
    char *error = NULL;
    assert_false(aws_sts_assume_role(&c, &signer, &q, &out, &error));
    assert_non_null(strstr(error, "profile ops: AssumeRole arn:aws:iam::1:role/r: no answer"));
    assert_null(strchr(error, '\n'));
    free(error);
    c.endpoint_sts = "sts.example.com";
    assert_false(aws_sts_assume_role(&c, &signer, &q, &out, &error));
    assert_non_null(strstr(error, "is not a URL"));
    free(error);
    assert_false(aws_sts_assume_role_with_web_identity(&c, "pod", "arn:aws:iam::1:role/p", NULL,
                                                       "/nonexistent/token", 0, &out, &error));
    assert_non_null(strstr(error, "profile pod: AssumeRoleWithWebIdentity arn:aws:iam::1:role/p"));
    assert_non_null(strstr(error, "token file"));
    free(error);
    aws_identity id = {0};
    assert_false(aws_sts_caller_identity(&c, &id, &error));
    assert_non_null(strstr(error, "profile ops: GetCallerIdentity: no credentials"));
    free(error);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credentials),   cmocka_unit_test(test_credentials_refused),
        cmocka_unit_test(test_identity),      cmocka_unit_test(test_error),
        cmocka_unit_test(test_identity_name), cmocka_unit_test(test_calls_fail_clearly),
    };
    return cmocka_run_group_tests_name("aws_sts", tests, NULL, NULL);
}
