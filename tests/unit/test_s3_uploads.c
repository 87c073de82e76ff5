/* test_s3_uploads.c: the ListMultipartUploads and ListParts parsers:
 * uploads with their markers, URL-encoded keys, parts summed, pagination,
 * and clear errors on malformed answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/s3_uploads.h"

static const char uploads_page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Bucket>lake</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
    "<NextKeyMarker>t%2Fb+c.parquet</NextKeyMarker><NextUploadIdMarker>id2</NextUploadIdMarker>"
    "<EncodingType>url</EncodingType><Prefix>t%2F</Prefix><MaxUploads>2</MaxUploads>"
    "<IsTruncated>true</IsTruncated>"
    "<Upload><Key>t%2Fa.parquet</Key><UploadId>id1</UploadId>"
    "<Initiator><ID>arn</ID><DisplayName>x</DisplayName></Initiator>"
    "<Owner><ID>o</ID></Owner><StorageClass>STANDARD_IA</StorageClass>"
    "<Initiated>2025-01-02T03:04:05.000Z</Initiated></Upload>"
    "<Upload><Key>t%2Fb+c.parquet</Key><UploadId>id2</UploadId>"
    "<Initiated>bad</Initiated></Upload>"
    "</ListMultipartUploadsResult>";

static void test_uploads_page(void **state) {
    (void)state;
    s3_uploads_page p;
    char *error = NULL;
    assert_true(s3_uploads_parse(uploads_page, sizeof uploads_page - 1, &p, &error));
    assert_null(error);
    assert_int_equal(p.n_uploads, 2);
    assert_string_equal(p.uploads[0].key, "t/a.parquet");
    assert_string_equal(p.uploads[0].upload_id, "id1");
    assert_string_equal(p.uploads[0].storage_class, "STANDARD_IA");
    assert_int_equal(p.uploads[0].initiated, 1735787045);
    assert_string_equal(p.uploads[1].key, "t/b c.parquet");
    assert_string_equal(p.uploads[1].storage_class, "");
    assert_int_equal(p.uploads[1].initiated, -1);
    assert_true(p.truncated);
    assert_string_equal(p.next_key_marker, "t/b c.parquet");
    assert_string_equal(p.next_upload_id_marker, "id2");
    s3_uploads_page_clear(&p);
}

static void test_uploads_empty(void **state) {
    (void)state;
    static const char xml[] = "<ListMultipartUploadsResult><Bucket>b</Bucket>"
                              "<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>";
    s3_uploads_page p;
    char *error = NULL;
    assert_true(s3_uploads_parse(xml, sizeof xml - 1, &p, &error));
    assert_int_equal(p.n_uploads, 0);
    assert_false(p.truncated);
    assert_null(p.next_key_marker);
    s3_uploads_page_clear(&p);
}

static void expect_uploads_error(const char *xml, const char *part) {
    s3_uploads_page p;
    char *error = NULL;
    assert_false(s3_uploads_parse(xml, strlen(xml), &p, &error));
    assert_non_null(error);
    assert_non_null(strstr(error, part));
    assert_int_equal(p.n_uploads, 0);
    free(error);
}

static void test_uploads_errors(void **state) {
    (void)state;
    expect_uploads_error("<ListBucketResult/>", "not a ListMultipartUploadsResult");
    expect_uploads_error("<ListMultipartUploadsResult><Upload><Key>k</Key></Upload>"
                         "</ListMultipartUploadsResult>",
                         "lacks Key or UploadId");
    expect_uploads_error("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
                         "</ListMultipartUploadsResult>",
                         "truncated without NextKeyMarker");
    expect_uploads_error("<ListMultipartUploadsResult><Upload>", "ListMultipartUploads");
    expect_uploads_error("", "ListMultipartUploads");
    expect_uploads_error("<ListMultipartUploadsResult><EncodingType>url</EncodingType>"
                         "<Upload><Key>%zz</Key><UploadId>i</UploadId></Upload>"
                         "</ListMultipartUploadsResult>",
                         "bad %-escape");
}

static void test_parts(void **state) {
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Bucket>lake</Bucket><Key>t/a</Key><UploadId>id1</UploadId>"
        "<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>"
        "<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>"
        "<Part><PartNumber>1</PartNumber><LastModified>2025-01-02T03:04:05.000Z</LastModified>"
        "<ETag>&quot;e&quot;</ETag><Size>5242880</Size></Part>"
        "<Part><PartNumber>2</PartNumber><Size>17</Size></Part>"
        "<StorageClass>STANDARD</StorageClass></ListPartsResult>";
    s3_parts_page p;
    char *error = NULL;
    assert_true(s3_parts_parse(xml, sizeof xml - 1, &p, &error));
    assert_int_equal(p.parts, 2);
    assert_int_equal(p.bytes, 5242897);
    assert_true(p.truncated);
    assert_int_equal(p.next_part_number_marker, 2);

    static const char last[] = "<ListPartsResult><IsTruncated>false</IsTruncated>"
                               "<Part><PartNumber>3</PartNumber><Size>1</Size></Part>"
                               "</ListPartsResult>";
    assert_true(s3_parts_parse(last, sizeof last - 1, &p, &error));
    assert_int_equal(p.parts, 1);
    assert_false(p.truncated);
    assert_int_equal(p.next_part_number_marker, -1);
}

static void expect_parts_error(const char *xml, const char *part) {
    s3_parts_page p;
    char *error = NULL;
    assert_false(s3_parts_parse(xml, strlen(xml), &p, &error));
    assert_non_null(strstr(error, part));
    assert_int_equal(p.bytes, 0);
    free(error);
}

static void test_parts_errors(void **state) {
    (void)state;
    expect_parts_error("<ListMultipartUploadsResult/>", "not a ListPartsResult");
    expect_parts_error("<ListPartsResult><Part><PartNumber>1</PartNumber></Part></ListPartsResult>",
                       "lacks its Size");
    expect_parts_error("<ListPartsResult><Part><Size>-4</Size></Part></ListPartsResult>",
                       "not a number");
    expect_parts_error("<ListPartsResult><IsTruncated>true</IsTruncated></ListPartsResult>",
                       "truncated without NextPartNumberMarker");
    expect_parts_error("<ListPartsResult><Part>", "ListParts");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uploads_page),   cmocka_unit_test(test_uploads_empty),
        cmocka_unit_test(test_uploads_errors), cmocka_unit_test(test_parts),
        cmocka_unit_test(test_parts_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
