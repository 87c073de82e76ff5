/* test_http_answer.c: what a 2xx body is: XML with its root, an S3 <Error>,
 * JSON, an HTML page, anything else; whether XML and JSON are whole; a
 * JSON error object; the description of a foreign body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/http_answer.h"

static http_answer_kind sniff(const char *body, bool final, http_answer_root *root) {
    return http_answer_sniff(body, strlen(body), final, root);
}

static void test_sniff(void **state) {
    (void)state;
    http_answer_root root;
    const char *list = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
                       "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name>";
    assert_int_equal(sniff(list, false, &root), HTTP_ANSWER_XML);
    assert_string_equal(root.name, "ListBucketResult");
    assert_false(root.self_closed);
    /* every prefix of the start: more is needed (or, when final, not XML) */
    for (size_t n = 0; n < strlen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
                                  "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"");
         n++) {
        assert_int_equal(http_answer_sniff(list, n, false, &root), HTTP_ANSWER_MORE);
        assert_int_not_equal(http_answer_sniff(list, n, true, &root), HTTP_ANSWER_MORE);
    }
    const char *error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError"
                        "</Code><Message>x</Message></Error>";
    assert_int_equal(sniff(error, false, &root), HTTP_ANSWER_XML_ERROR);
    assert_int_equal(sniff("\xef\xbb\xbf  <!-- c --><CopyObjectResult><ETag>", false, &root),
                     HTTP_ANSWER_XML);
    assert_string_equal(root.name, "CopyObjectResult");
    assert_int_equal(sniff("<LocationConstraint xmlns=\"x\"/>", false, &root), HTTP_ANSWER_XML);
    assert_true(root.self_closed);
    assert_int_equal(sniff("  {\"TableList\": [", false, &root), HTTP_ANSWER_JSON);
    assert_int_equal(sniff("<html><head><title>502", false, &root), HTTP_ANSWER_HTML);
    assert_int_equal(sniff("<!DOCTYPE html>\n<HTML>", false, &root), HTTP_ANSWER_HTML);
    assert_int_equal(sniff("\n<HTML lang=en>", false, &root), HTTP_ANSWER_HTML);
    assert_int_equal(sniff("Service Unavailable", false, &root), HTTP_ANSWER_OTHER);
    assert_int_equal(sniff("", true, &root), HTTP_ANSWER_OTHER);
}

static void test_xml_whole(void **state) {
    (void)state;
    http_answer_root root = {.name = "ListBucketResult"};
    const char *whole = "<Contents><Key>a</Key></Contents></ListBucketResult>\n";
    assert_true(http_answer_xml_whole(whole, strlen(whole), &root));
    assert_true(http_answer_xml_whole("</ListBucketResult >", 20, &root));
    const char *cut = "<Contents><Key>a</Key></Contents></ListBucketRes";
    assert_false(http_answer_xml_whole(cut, strlen(cut), &root));
    assert_false(http_answer_xml_whole("<Contents><Key>a</Key>", 22, &root));
    assert_false(http_answer_xml_whole("", 0, &root));
    assert_false(http_answer_xml_whole("</OtherResult>", 14, &root));
    http_answer_root closed = {.name = "LocationConstraint", .self_closed = true};
    assert_true(http_answer_xml_whole("/>", 2, &closed));
}

static void test_json_whole(void **state) {
    (void)state;
    bool error_object;
    const char *page = "{\"TableList\":[{\"Name\":\"a\\\"}\",\"Parameters\":{\"__type\":\"x\"}}],"
                       "\"NextToken\":\"t\"}";
    assert_null(http_answer_json_whole(page, strlen(page), &error_object));
    assert_false(error_object); /* "__type" deeper down is a parameter, not an error */
    const char *err = "{\"__type\":\"InternalServiceException\",\"message\":\"m\"}";
    assert_null(http_answer_json_whole(err, strlen(err), &error_object));
    assert_true(error_object);
    const char *later = "{\"a\":1, \"__type\":\"X\"}";
    assert_null(http_answer_json_whole(later, strlen(later), &error_object));
    assert_true(error_object);
    for (size_t n = 1; n < strlen(page); n++) /* every cut of it */
        assert_non_null(http_answer_json_whole(page, n, &error_object));
    assert_non_null(strstr(http_answer_json_whole("{\"a\":\"b", 7, &error_object), "string"));
    assert_non_null(http_answer_json_whole("{}}", 3, &error_object));
    assert_non_null(http_answer_json_whole("{} {}", 5, &error_object));
    assert_non_null(http_answer_json_whole("  ", 2, &error_object));
    assert_null(http_answer_json_whole("[1,{\"__type\":2}]", 16, &error_object));
    assert_false(error_object);
}

static void test_describe(void **state) {
    (void)state;
    const char *page = "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>";
    char *d = http_answer_describe(page, strlen(page), HTTP_ANSWER_HTML);
    assert_string_equal(d, "an HTML page titled \"502 Bad Gateway\"");
    free(d);
    d = http_answer_describe("<html>", 6, HTTP_ANSWER_HTML);
    assert_string_equal(d, "an HTML page");
    free(d);
    d = http_answer_describe("Bad\x1b]0;x\a", 9, HTTP_ANSWER_OTHER);
    assert_string_equal(d, "it begins \"Bad\\x1b]0;x\\x07\""); /* no control byte comes out */
    free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_xml_whole),
        cmocka_unit_test(test_json_whole),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
