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

/* The head as http.c fills it: spaces before the document (S3's keep-alive
 * of a long copy) are dropped however many come; an error after them is
 * still an error. */
static void test_take_head(void **state) {
    (void)state;
    http_answer a = {0};
    size_t taken;
    char spaces[3000];
    memset(spaces, ' ', sizeof spaces);
    spaces[100] = '\n';
    assert_false(http_answer_take_head(&a, spaces, sizeof spaces, false, &taken));
    assert_int_equal(taken, sizeof spaces);
    assert_int_equal(a.head_length, 0);
    const char *error = "<Error><Code>InternalError</Code><Message>m</Message></Error>";
    assert_true(http_answer_take_head(&a, error, strlen(error), false, &taken));
    assert_int_equal(a.kind, HTTP_ANSWER_XML_ERROR);
    assert_int_equal(taken, strlen(error));
    http_answer_note(&a, a.head, a.head_length);
    char *code = NULL;
    bool retry;
    char *why = http_answer_verdict(&a, "CopyObject", 200, a.head, a.head_length, &code, &retry);
    assert_string_equal(why, "InternalError (inside an HTTP 200 answer to CopyObject): m");
    assert_string_equal(code, "InternalError");
    assert_false(retry); /* the code decides */
    free(why);
    free(code);
    /* only spaces, then the end: as an empty answer */
    http_answer b = {0};
    assert_true(http_answer_take_head(&b, "  \n", 3, true, &taken));
    assert_null(http_answer_verdict(&b, "PutObject", 200, "", 0, &code, &retry));
    /* the end of a streamed answer, in pieces smaller and larger than the tail */
    http_answer c = {0};
    const char *start = "<ListBucketResult>";
    assert_true(http_answer_take_head(&c, start, strlen(start), false, &taken));
    http_answer_note(&c, c.head, c.head_length);
    char big[1000];
    memset(big, 'x', sizeof big);
    http_answer_note(&c, big, sizeof big);
    http_answer_note(&c, "</ListBucket", 12);
    assert_non_null(why = http_answer_verdict(&c, "ListObjectsV2", 200, NULL, 0, &code, &retry));
    assert_true(retry);
    free(why);
    http_answer_note(&c, "Result>\n", 8);
    assert_null(http_answer_verdict(&c, "ListObjectsV2", 200, NULL, 0, &code, &retry));
    assert_int_equal(c.total, strlen(start) + 1000 + 12 + 8);
    for (int i = 0; i < 100; i++) /* padded with spaces past the tail's size */
        http_answer_note(&c, big, 0), http_answer_note(&c, "          \n", 11);
    assert_null(http_answer_verdict(&c, "ListObjectsV2", 200, NULL, 0, &code, &retry));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),      cmocka_unit_test(test_xml_whole),
        cmocka_unit_test(test_json_whole), cmocka_unit_test(test_describe),
        cmocka_unit_test(test_take_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
