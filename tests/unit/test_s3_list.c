/* test_s3_list.c: the streaming ListObjectsV2 parser: objects, prefixes,
 * URL-encoded keys, pagination tokens, byte-at-a-time feeding, and clear
 * errors on malformed answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_source.h"
#include "collector/aws/s3_list.h"
#include "common/xalloc.h"

typedef struct seen {
    char keys[16][256];
    int64_t sizes[16];
    int64_t times[16];
    int n;
    char prefixes[8][256];
    int n_prefixes;
} seen;

static void on_object(void *ctx, const s3_object *o) {
    seen *s = ctx;
    snprintf(s->keys[s->n], sizeof s->keys[0], "%s", o->key);
    s->sizes[s->n] = o->size;
    s->times[s->n] = o->last_modified;
    s->n++;
}

static void on_prefix(void *ctx, const char *prefix) {
    seen *s = ctx;
    snprintf(s->prefixes[s->n_prefixes++], sizeof s->prefixes[0], "%s", prefix);
}

static const char page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Name>lake</Name><Prefix>t%2F</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>"
    "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
    "<Contents><Key>t%2Fa+b%2B%25.parquet</Key><LastModified>2025-01-02T03:04:05.000Z"
    "</LastModified><ETag>&quot;abc&quot;</ETag><Size>123</Size><StorageClass>STANDARD"
    "</StorageClass></Contents>"
    "<Contents><Key>t%2F%E2%9C%93</Key><LastModified>bad</LastModified><Size>0</Size></Contents>"
    "<CommonPrefixes><Prefix>t%2Fdt%3D2025-01-01%2F</Prefix></CommonPrefixes>"
    "<NextContinuationToken>tok+en/=</NextContinuationToken>"
    "</ListBucketResult>";

static void test_page(void **state) {
    (void)state;
    seen s = {0};
    s3_list_callbacks cb = {on_object, on_prefix, &s};
    s3_list_parser *p = s3_list_parser_new(&cb);
    /* byte by byte: the parser must not care where chunks end */
    for (size_t i = 0; i < sizeof page - 1; i++)
        assert_true(s3_list_parser_feed(p, page + i, 1));
    assert_true(s3_list_parser_finish(p));
    assert_int_equal(s.n, 2);
    assert_string_equal(s.keys[0], "t/a b+%.parquet");
    assert_int_equal(s.sizes[0], 123);
    assert_int_equal(s.times[0], 1735787045);
    assert_string_equal(s.keys[1], "t/\xE2\x9C\x93");
    assert_int_equal(s.times[1], -1);
    assert_int_equal(s.n_prefixes, 1);
    assert_string_equal(s.prefixes[0], "t/dt=2025-01-01/");
    assert_true(s3_list_parser_truncated(p));
    assert_string_equal(s3_list_parser_next_token(p), "tok+en/="); /* tokens are not decoded */
    /* reset for a retried request: a fresh document parses again */
    s3_list_parser_reset(p);
    memset(&s, 0, sizeof s);
    assert_true(s3_list_parser_feed(p, page, sizeof page - 1));
    assert_true(s3_list_parser_finish(p));
    assert_int_equal(s.n, 2);
    s3_list_parser_free(p);
}

static void test_plain_last_page(void **state) {
    (void)state;
    const char *xml = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b"
                      "</Key><Size>5</Size></Contents></ListBucketResult>";
    seen s = {0};
    s3_list_callbacks cb = {on_object, on_prefix, &s};
    s3_list_parser *p = s3_list_parser_new(&cb);
    assert_true(s3_list_parser_feed(p, xml, strlen(xml)));
    assert_true(s3_list_parser_finish(p));
    assert_string_equal(s.keys[0], "a+b"); /* not URL-encoded: '+' stays */
    assert_false(s3_list_parser_truncated(p));
    assert_null(s3_list_parser_next_token(p));
    s3_list_parser_free(p);
}

static void test_malformed(void **state) {
    (void)state;
    static const struct {
        const char *xml, *expect;
    } cases[] = {
        {"<ListBucketResult><Contents><Key>a</Key>", "malformed"},
        {"<ListBucketResult><Contents><Key>a</Key><Size>x</Size></Contents></ListBucketResult>",
         "Size is not a number"},
        {"<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>", "lacks Key"},
        {"<Error><Code>AccessDenied</Code></Error>", "not a ListBucketResult"},
        {"", "no element found"},
        {"<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
         "without NextContinuationToken"},
        {"<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%zz</Key><Size>1"
         "</Size></Contents></ListBucketResult>",
         "bad %-escape"},
        {"<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents></ListBucketResult>junk",
         "malformed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        seen s = {0};
        s3_list_callbacks cb = {on_object, on_prefix, &s};
        s3_list_parser *p = s3_list_parser_new(&cb);
        bool ok = s3_list_parser_feed(p, cases[i].xml, strlen(cases[i].xml));
        ok = s3_list_parser_finish(p) && ok;
        assert_false(ok);
        const char *error = s3_list_parser_error(p);
        if (!error || !strstr(error, cases[i].expect))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, error ? error : "(null)", cases[i].expect);
        s3_list_parser_free(p);
    }
    /* a key longer than any S3 key is refused, not overflowed */
    size_t n = 20000;
    char *big = xmalloc(n + 200);
    strcpy(big, "<ListBucketResult><Contents><Key>");
    size_t len = strlen(big);
    memset(big + len, 'k', n);
    strcpy(big + len + n, "</Key><Size>1</Size></Contents></ListBucketResult>");
    seen s = {0};
    s3_list_callbacks cb = {on_object, on_prefix, &s};
    s3_list_parser *p = s3_list_parser_new(&cb);
    s3_list_parser_feed(p, big, strlen(big));
    assert_false(s3_list_parser_finish(p));
    assert_int_equal(s.n, 0);
    s3_list_parser_free(p);
    free(big);
}

static void test_url_decode(void **state) {
    (void)state;
    char *d = s3_url_decode("a%2Fb+c%7E");
    assert_string_equal(d, "a/b c~");
    free(d);
    assert_null(s3_url_decode("%4"));
    assert_null(s3_url_decode("%G0"));
}

/* ---- the fast path against expat ------------------------------------ */

typedef struct trace {
    char text[8192];
    size_t len;
} trace;

static void trace_object(void *ctx, const s3_object *o) {
    trace *t = ctx;
    t->len += (size_t)snprintf(t->text + t->len, sizeof t->text - t->len, "O %s|%lld|%lld|%s\n",
                               o->key, (long long)o->size, (long long)o->last_modified, o->etag);
}

static void trace_prefix(void *ctx, const char *prefix) {
    trace *t = ctx;
    t->len += (size_t)snprintf(t->text + t->len, sizeof t->text - t->len, "P %s\n", prefix);
}

/* What a parse reports, fed `chunk` bytes at a time: objects, prefixes,
 * then ok or failed, truncation and token. */
static void parse_trace(const char *xml, size_t length, bool fast, size_t chunk, trace *t) {
    memset(t, 0, sizeof *t);
    s3_list_callbacks cb = {trace_object, trace_prefix, t};
    s3_list_parser *p = s3_list_parser_new(&cb);
    s3_list_parser_set_fast(p, fast);
    bool ok = true;
    for (size_t i = 0; i < length && ok; i += chunk)
        ok = s3_list_parser_feed(p, xml + i, length - i < chunk ? length - i : chunk);
    ok = s3_list_parser_finish(p) && ok;
    const char *token = s3_list_parser_next_token(p);
    t->len += (size_t)snprintf(t->text + t->len, sizeof t->text - t->len, "%s %d %s\n",
                               ok ? "ok" : "failed", s3_list_parser_truncated(p),
                               ok && token ? token : "-");
    s3_list_parser_free(p);
}

static void same_as_expat(const char *xml, bool want_ok) {
    trace slow, fast;
    size_t length = strlen(xml);
    parse_trace(xml, length, false, length ? length : 1, &slow);
    if ((strstr(slow.text, "\nok ") != NULL || strncmp(slow.text, "ok ", 3) == 0) != want_ok)
        fail_msg("expat: %s for\n%s", slow.text, xml);
    static const size_t chunks[] = {1, 2, 3, 7, 64, 100000};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        parse_trace(xml, length, true, chunks[i], &fast);
        if (strcmp(slow.text, fast.text) != 0)
            fail_msg("in chunks of %zu:\n%s\nexpat:\n%s\nfast path:\n%s", chunks[i], xml, slow.text,
                     fast.text);
    }
}

#define ROOT "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
#define OBJ(k) "<Contents><Key>" k "</Key><Size>1</Size></Contents>"

static void test_fast_path(void **state) {
    (void)state;
    /* what S3 writes: the fast path reads it all */
    same_as_expat(page, true);
    same_as_expat(ROOT OBJ("a") "</ListBucketResult>", true);
    same_as_expat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" ROOT
                  "\n  " OBJ("a") "\n" OBJ("b") "\n</ListBucketResult>\n",
                  true);
    same_as_expat(ROOT "<Contents>\n <Key>a</Key>\n <Size>1</Size>\n <Owner><ID>x</ID>"
                       "<DisplayName>y</DisplayName></Owner><RestoreStatus/></Contents>"
                       "</ListBucketResult>",
                  true);
    same_as_expat(
        ROOT OBJ("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#9;&#10;&#13;") "</ListBucketResult>", true);
    same_as_expat(
        ROOT OBJ("a]]b>c]>") "<CommonPrefixes><Prefix/></CommonPrefixes>"
                             "<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>"
                             "<IsTruncated>true</IsTruncated><NextContinuationToken>t&amp;k"
                             "</NextContinuationToken></ListBucketResult >",
        true);
    /* what it hands to expat, mid-way or at the start: the same results */
    same_as_expat(ROOT OBJ("a") "<!-- a comment -->" OBJ("b") "</ListBucketResult>", true);
    same_as_expat(ROOT OBJ("a") OBJ("<![CDATA[x<y]]>") "</ListBucketResult>", true);
    same_as_expat(ROOT OBJ("a") OBJ("caf\xc3\xa9") "</ListBucketResult>", true);
    same_as_expat(ROOT OBJ("a") OBJ("cr\r\nlf") "</ListBucketResult>", true);
    same_as_expat(ROOT OBJ("a") "<Contents a=\"1\"><Key>k</Key><Size>2</Size></Contents>"
                                "</ListBucketResult>",
                  true);
    same_as_expat(ROOT OBJ("&#xe9;&#233;") "</ListBucketResult>", true);
    same_as_expat("\xef\xbb\xbf" ROOT OBJ("bom") "</ListBucketResult>", true);
    same_as_expat("<?xml version='1.0'?>" ROOT OBJ("a") "</ListBucketResult>", true);
    same_as_expat("<!DOCTYPE x>" ROOT OBJ("a") "</ListBucketResult>", true);
    same_as_expat(ROOT OBJ("a") "</ListBucketResult><!-- after -->\n", true);
    same_as_expat("<s3:ListBucketResult xmlns:s3=\"u\">" OBJ("a") "</s3:ListBucketResult>", false);
    /* mistakes: both refuse, after the same objects */
    same_as_expat(ROOT OBJ("a") "<Contents><Key>b</Key></Contents></ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") OBJ("b]]>c") "</ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") OBJ("&nbsp;") "</ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") OBJ("&#0;") "</ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") OBJ("&#X41;") "</ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") OBJ("x\x01") "</ListBucketResult>", false);
    same_as_expat(ROOT OBJ("a") "<Contents><Key>b</Kex><Size>1</Size></Contents>"
                                "</ListBucketResult>",
                  false);
    same_as_expat(ROOT OBJ("a") "</ListBucketResult>junk", false);
    same_as_expat(ROOT OBJ("a"), false);
    same_as_expat(ROOT OBJ("a") "</ListBucketResul>", false);
    same_as_expat(" <?xml version=\"1.0\"?>" ROOT "</ListBucketResult>", false);
    same_as_expat("<ListBucketResult a=\"1\" a=\"2\">" OBJ("a") "</ListBucketResult>", false);
    same_as_expat("<Error><Code>AccessDenied</Code></Error>", false);
    same_as_expat("", false);
    same_as_expat("   ", false);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page),      cmocka_unit_test(test_plain_last_page),
        cmocka_unit_test(test_malformed), cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_fast_path),
    };
    return cmocka_run_group_tests_name("s3_list", tests, NULL, NULL);
}
