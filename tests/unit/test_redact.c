/* test_redact.c: secrets out of messages: the canonical request and the
 * string to sign a service quotes back are dropped, credential headers and
 * query parameters masked, registered secrets masked in each form text
 * carries them, and ordinary text left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/redact.h"

typedef struct redact_case {
    const char *in, *out;
} redact_case;

static void check_cases(const redact_case *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char *got = redact_dup(cases[i].in);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].out);
        free(got);
    }
}

static int forget(void **state) {
    (void)state;
    redact_forget_all();
    return 0;
}

static void test_untouched(void **state) {
    (void)state;
    static const redact_case cases[] = {
        {"", ""},
        {"Glue GetTables: ThrottlingException (HTTP 400): Rate exceeded",
         "Glue GetTables: ThrottlingException (HTTP 400): Rate exceeded"},
        /* the words alone are no header */
        {"Authorization header requires 'Signature' parameter.",
         "Authorization header requires 'Signature' parameter."},
        {"The security token included in the request is invalid.",
         "The security token included in the request is invalid."},
        {"x-amz-security-token-ttl: 5", "x-amz-security-token-ttl: 5"}, /* another name */
        {"Authorization: ", "Authorization: "},                         /* no value */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
    assert_null(redact_dup(NULL));
    assert_null(redact_take(NULL));
}

/* The Glue answer to a signature mismatch, as AWS (and the test endpoint)
 * send it: the canonical request holds the session token. */
static void test_canonical_request_dropped(void **state) {
    (void)state;
    const char *glue =
        "InvalidSignatureException (HTTP 400): The request signature we calculated does not "
        "match the signature you provided. Check your AWS Secret Access Key and signing method. "
        "Consult the service documentation for details.\n\nThe Canonical String for this request "
        "should have been\n'POST\n/\n\ncontent-type:application/x-amz-json-1.1\n"
        "host:glue.us-east-1.amazonaws.com\nx-amz-date:20261202T000000Z\n"
        "x-amz-security-token:IQoJb3JpZ2luX2VjEPLANTED\nx-amz-target:AWSGlue.GetDatabases\n\n"
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\nabc'\n\n"
        "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261202T000000Z\n"
        "20261202/us-east-1/glue/aws4_request\nabc'\n";
    char *got = redact_dup(glue);
    assert_string_equal(got, "InvalidSignatureException (HTTP 400): The request signature we "
                             "calculated does not match the signature you provided. Check your "
                             "AWS Secret Access Key and signing method. Consult the service "
                             "documentation for details.");
    free(got);
    /* the string to sign alone, and the markers in other cases */
    static const redact_case cases[] = {
        {"bad.\nThe String-to-Sign should have been\n'AWS4...'", "bad."},
        {"bad. the canonical string for this request should have been 'x'", "bad."},
        {"The Canonical String for this request should have been\n'x'", ""},
        /* as the JSON error body has it, its escapes not decoded */
        {"Check your key.\\n\\nThe Canonical String for this request should have been\\n'POST",
         "Check your key."},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_named_values(void **state) {
    (void)state;
    static const redact_case cases[] = {
        /* headers: to the end of the line */
        {"x-amz-security-token:TOKEN/abc+def=\nnext", "x-amz-security-token:***\nnext"},
        {"X-Amz-Security-Token: TOKEN", "X-Amz-Security-Token: ***"},
        {"host:h\\nx-amz-security-token:TOKEN/x=\\nx-amz-target:AWSGlue.GetDatabases",
         "host:h\\nx-amz-security-token:***\\nx-amz-target:AWSGlue.GetDatabases"},
        {"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/s3/aws4_request, "
         "SignedHeaders=host, Signature=0123abcd\r\nHost: x",
         "Authorization: ***\r\nHost: x"},
        /* query parameters: to the next & or blank */
        {"GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261202%2Fus-east-1"
         "&X-Amz-Security-Token=IQo%2Bx%3D&X-Amz-Signature=beef HTTP/1.1",
         "GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
         "&X-Amz-Security-Token=***&X-Amz-Signature=*** HTTP/1.1"},
        /* quoted, as in JSON */
        {"{\"X-Amz-Security-Token\": \"tok en\", \"n\": 1}",
         "{\"X-Amz-Security-Token\": \"***\", \"n\": 1}"},
        {"authorization='Bearer abc' rest", "authorization='***' rest"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_registered_secrets(void **state) {
    (void)state;
    redact_register("LAKETOPSECRET/with+special=chars");
    redact_register("LAKETOPTOKEN//abc=");
    redact_register("LAKETOPTOKEN//abc="); /* twice: harmless */
    redact_register("abc");                /* too short: ignored */
    redact_register(NULL);
    static const redact_case cases[] = {
        {"key LAKETOPSECRET/with+special=chars in text", "key *** in text"},
        {"LAKETOPTOKEN//abc=LAKETOPTOKEN//abc=", "******"},
        /* URI-encoded as in a query, and with JSON's escaped slash */
        {"token=LAKETOPTOKEN%2F%2Fabc%3D&x=1", "token=***&x=1"},
        {"\"LAKETOPSECRET\\/with+special=chars\"", "\"***\""},
        {"abc stays", "abc stays"},
        {"LAKETOPSECRET/with+special=char (one short)",
         "LAKETOPSECRET/with+special=char (one short)"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
    char *taken = redact_take(strdup("x LAKETOPTOKEN//abc= y"));
    assert_string_equal(taken, "x *** y");
    free(taken);
    redact_forget_all();
    char *after = redact_dup("LAKETOPTOKEN//abc=");
    assert_string_equal(after, "LAKETOPTOKEN//abc=");
    free(after);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_untouched, forget),
        cmocka_unit_test_teardown(test_canonical_request_dropped, forget),
        cmocka_unit_test_teardown(test_named_values, forget),
        cmocka_unit_test_teardown(test_registered_secrets, forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
