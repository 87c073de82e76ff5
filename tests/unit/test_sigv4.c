/* test_sigv4.c: AWS Signature Version 4: every case of the AWS SigV4 test
 * suite in tests/sigv4 (run from the repository root), the S3 documentation's
 * GET vector, URI encoding, header and query canonicalisation, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "collector/aws/sigv4.h"
#include "common/xalloc.h"

#define SUITE_DIR "tests/sigv4"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- the AWS test suite ----------------------------------------------- */

static const sigv4_params suite_params = {
    .region = "us-east-1",
    .service = "service",
    .time = 0, /* from the X-Amz-Date header of each .req */
    .s3 = false,
};

/* get-vanilla-with-session-token: the token is not in the .req; the suite
 * expects it signed (its .creq, .sts and .authz). */
#define SUITE_VANILLA_TOKEN "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

/* Every case folder, relative to tests/sigv4. None is skipped: the four that
 * widely used signers skip pass here too (normalize-path/get-space: the raw
 * space on the request line is encoded like any other byte; the three
 * repeated-key query cases: parameters are kept in a list sorted by key then
 * value, not in a map). */
#define SUITE_CASES(X)                          \
    X("get-header-key-duplicate")               \
    X("get-header-value-multiline")             \
    X("get-header-value-order")                 \
    X("get-header-value-trim")                  \
    X("get-unreserved")                         \
    X("get-utf8")                               \
    X("get-vanilla")                            \
    X("get-vanilla-empty-query-key")            \
    X("get-vanilla-query")                      \
    X("get-vanilla-query-order-encoded")        \
    X("get-vanilla-query-order-key")            \
    X("get-vanilla-query-order-key-case")       \
    X("get-vanilla-query-order-value")          \
    X("get-vanilla-query-unreserved")           \
    X("get-vanilla-utf8-query")                 \
    X("get-vanilla-with-session-token")         \
    X("normalize-path/get-relative")            \
    X("normalize-path/get-relative-relative")   \
    X("normalize-path/get-slash")               \
    X("normalize-path/get-slash-dot-slash")     \
    X("normalize-path/get-slash-pointless-dot") \
    X("normalize-path/get-slashes")             \
    X("normalize-path/get-space")               \
    X("normalize-path/get-special-character")   \
    X("post-header-key-case")                   \
    X("post-header-key-sort")                   \
    X("post-header-value-case")                 \
    X("post-sts-token/post-sts-header-after")   \
    X("post-sts-token/post-sts-header-before")  \
    X("post-vanilla")                           \
    X("post-vanilla-empty-query-value")         \
    X("post-vanilla-query")                     \
    X("post-x-www-form-urlencoded")             \
    X("post-x-www-form-urlencoded-parameters")
#define SUITE_CASE(dir) {.name = dir, .test_func = test_suite_case, .initial_state = (void *)dir},

typedef struct parsed_request {
    char *method;
    char *path;
    char *query; /* NULL when the request line has no '?' */
    char *host;
    char *session_token;
    int64_t time;
    sigv4_header headers[16];
    size_t n_headers;
    char *body;
    size_t body_length;
} parsed_request;

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    size_t capacity = 0, used = 0;
    char *data = NULL;
    for (;;) {
        data = xgrow(data, &capacity, used + 4097, 1);
        size_t got = fread(data + used, 1, 4096, file);
        used += got;
        if (got < 4096)
            break;
    }
    fclose(file);
    data[used] = '\0';
    if (length)
        *length = used;
    return data;
}

static char *read_case_file(const char *dir, const char *extension) {
    const char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    char *path = xasprintf(SUITE_DIR "/%s/%s.%s", dir, name, extension);
    char *text = read_file(path, NULL);
    if (!text)
        fail_msg("cannot read %s (tests run from the repository root)", path);
    free(path);
    return text;
}

static char *trimmed_copy(const char *text) {
    while (*text == ' ' || *text == '\t')
        text++;
    size_t length = strlen(text);
    while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t'))
        length--;
    return xstrndup(text, length);
}

static int64_t parse_amz_date(const char *text) {
    struct tm tm = {0};
    const char *end = strptime(text, "%Y%m%dT%H%M%SZ", &tm);
    assert_non_null(end);
    assert_int_equal(*end, '\0');
    return (int64_t)timegm(&tm);
}

/* A raw request: "METHOD TARGET HTTP/1.1" (TARGET may hold spaces), header
 * lines ("Name:value"; a line starting with whitespace continues the one
 * before and is kept with its line break, for the signer to fold), a blank
 * line, the body. Host, X-Amz-Date and X-Amz-Security-Token go to their own
 * fields: the signer adds those headers itself. */
static void parse_request(const char *text, parsed_request *request) {
    *request = (parsed_request){0};
    const char *line_end = strchr(text, '\n');
    size_t line_length = line_end ? (size_t)(line_end - text) : strlen(text);
    char *line = xstrndup(text, line_length);
    char *first_space = strchr(line, ' ');
    char *last_space = strrchr(line, ' ');
    assert_non_null(first_space);
    assert_ptr_not_equal(first_space, last_space);
    assert_string_equal(last_space, " HTTP/1.1");
    request->method = xstrndup(line, (size_t)(first_space - line));
    char *target = xstrndup(first_space + 1, (size_t)(last_space - first_space - 1));
    char *question = strchr(target, '?');
    if (question)
        request->query = xstrdup(question + 1);
    request->path = question ? xstrndup(target, (size_t)(question - target)) : xstrdup(target);
    free(target);
    free(line);

    char *last_value = NULL; /* where a continuation line goes */
    char **last_slot = NULL;
    const char *p = line_end ? line_end + 1 : text + strlen(text);
    while (*p) {
        line_end = strchr(p, '\n');
        line_length = line_end ? (size_t)(line_end - p) : strlen(p);
        line = xstrndup(p, line_length);
        p = line_end ? line_end + 1 : p + line_length;
        if (!*line) { /* the blank line: the body follows */
            free(line);
            request->body = xstrdup(p);
            request->body_length = strlen(p);
            break;
        }
        if ((line[0] == ' ' || line[0] == '\t') && last_slot) {
            char *joined = xasprintf("%s\n%s", last_value, line);
            free(last_value);
            *last_slot = last_value = joined;
            free(line);
            continue;
        }
        char *colon = strchr(line, ':');
        assert_non_null(colon);
        *colon = '\0';
        const char *value = colon + 1;
        if (!strcasecmp(line, "Host")) {
            request->host = trimmed_copy(value);
            last_slot = NULL;
        } else if (!strcasecmp(line, "X-Amz-Date")) {
            request->time = parse_amz_date(value);
            last_slot = NULL;
        } else if (!strcasecmp(line, "X-Amz-Security-Token")) {
            request->session_token = trimmed_copy(value);
            last_slot = NULL;
        } else {
            assert_true(request->n_headers < sizeof request->headers / sizeof *request->headers);
            sigv4_header *header = &request->headers[request->n_headers++];
            header->name = xstrdup(line);
            last_value = xstrdup(value);
            header->value = last_value;
            last_slot = (char **)&header->value;
        }
        free(line);
    }
}

static void free_request(parsed_request *request) {
    free(request->method);
    free(request->path);
    free(request->query);
    free(request->host);
    free(request->session_token);
    for (size_t i = 0; i < request->n_headers; i++) {
        free((char *)request->headers[i].name);
        free((char *)request->headers[i].value);
    }
    free(request->body);
}

/* The value of "Name: value" or "Name:value" in a signed request. */
static char *header_line_value(const char *text, const char *name) {
    size_t name_length = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (!strncasecmp(p, name, name_length) && p[name_length] == ':') {
            const char *value = p + name_length + 1;
            while (*value == ' ')
                value++;
            return xstrndup(value, strcspn(value, "\n"));
        }
    }
    return NULL;
}

static void test_suite_case(void **state) {
    const char *dir = *state;
    char *raw = read_case_file(dir, "req");
    parsed_request parsed;
    parse_request(raw, &parsed);
    free(raw);
    assert_non_null(parsed.host);
    assert_true(parsed.time > 0);

    sigv4_credentials credentials = {
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        .session_token = parsed.session_token, /* post-sts-header-before */
    };
    if (!strcmp(dir, "get-vanilla-with-session-token"))
        credentials.session_token = SUITE_VANILLA_TOKEN;
    sigv4_request request = {
        .method = parsed.method,
        .host = parsed.host,
        .path = parsed.path,
        .query = parsed.query,
        .headers = parsed.headers,
        .n_headers = parsed.n_headers,
        .payload = parsed.body,
        .payload_length = parsed.body_length,
    };
    sigv4_params params = suite_params;
    params.time = parsed.time;
    sigv4_result result;
    char *error = NULL;
    bool signed_ok = sigv4_sign(&request, &credentials, &params, &result, &error);
    if (!signed_ok)
        fail_msg("%s: %s", dir, error);

    char *creq = read_case_file(dir, "creq");
    char *sts = read_case_file(dir, "sts");
    char *authz = read_case_file(dir, "authz");
    char *sreq = read_case_file(dir, "sreq");
    assert_string_equal(result.canonical_request, creq);
    assert_string_equal(result.string_to_sign, sts);
    assert_string_equal(result.authorization, authz);
    assert_string_equal(result.amz_date, "20150830T123600Z");

    /* The signed request carries the same Authorization, except in
     * get-vanilla-with-session-token, whose .sreq holds get-vanilla's. */
    char *sent = header_line_value(sreq, "Authorization");
    assert_non_null(sent);
    if (strcmp(dir, "get-vanilla-with-session-token") != 0)
        assert_string_equal(sent, result.authorization);
    /* post-sts-header-after: the token is added after signing, so it is
     * signed without one; the .sreq shows it sent unsigned. */
    if (!strcmp(dir, "post-sts-token/post-sts-header-after")) {
        char *token = header_line_value(sreq, "X-Amz-Security-Token");
        assert_non_null(token);
        assert_null(strstr(result.signed_headers, "x-amz-security-token"));
        free(token);
    }
    free(sent);
    free(creq);
    free(sts);
    free(authz);
    free(sreq);
    sigv4_result_free(&result);
    free_request(&parsed);
}

static const char *const suite_case_dirs[] = {
#define SUITE_CASE_DIR(dir) dir,
    SUITE_CASES(SUITE_CASE_DIR)
#undef SUITE_CASE_DIR
};

/* Counts the case folders (those holding NAME.req) under dir and fails on
 * one that suite_case_dirs does not list, so no case is left out unseen. */
static size_t check_case_folders(const char *dir, const char *relative) {
    DIR *listing = opendir(dir);
    if (!listing)
        fail_msg("cannot open %s (tests run from the repository root)", dir);
    size_t found = 0;
    struct dirent *entry;
    while ((entry = readdir(listing))) {
        const char *name = entry->d_name;
        if (name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, name);
        char *sub = *relative ? xasprintf("%s/%s", relative, name) : xstrdup(name);
        char *req = xasprintf("%s/%s.req", path, name);
        FILE *probe = fopen(req, "r");
        if (probe) {
            fclose(probe);
            bool listed = false;
            for (size_t i = 0; i < sizeof suite_case_dirs / sizeof *suite_case_dirs; i++)
                listed = listed || !strcmp(suite_case_dirs[i], sub);
            if (!listed)
                fail_msg("suite case %s is not in suite_case_dirs", sub);
            found++;
        } else {
            DIR *inner = opendir(path);
            if (inner) {
                closedir(inner);
                found += check_case_folders(path, sub);
            }
        }
        free(req);
        free(sub);
        free(path);
    }
    closedir(listing);
    return found;
}

static void test_suite_is_complete(void **state) {
    (void)state;
    assert_int_equal(check_case_folders(SUITE_DIR, ""),
                     sizeof suite_case_dirs / sizeof *suite_case_dirs);
    char *license = read_file(SUITE_DIR "/LICENSE", NULL);
    char *notice = read_file(SUITE_DIR "/NOTICE", NULL);
    assert_non_null(license);
    assert_non_null(notice);
    assert_non_null(strstr(license, "Apache License"));
    free(license);
    free(notice);
}

/* ---- the S3 documentation's GET example ------------------------------- */

static void test_s3_get_object_vector(void **state) {
    (void)state;
    const sigv4_credentials credentials = {
        .access_key_id = "AKIAIOSFODNN7EXAMPLE",
        .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };
    const sigv4_header headers[] = {{"Range", "bytes=0-9"}};
    const sigv4_request request = {
        .method = "GET",
        .host = "examplebucket.s3.amazonaws.com",
        .path = "/test.txt",
        .headers = headers,
        .n_headers = 1,
    };
    const sigv4_params params = {
        .region = "us-east-1", .service = "s3", .time = 1369353600, .s3 = true};
    sigv4_result result;
    assert_true(sigv4_sign(&request, &credentials, &params, &result, NULL));
    assert_string_equal(result.amz_date, "20130524T000000Z");
    assert_string_equal(result.content_sha256, EMPTY_SHA256);
    assert_string_equal(result.signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
    assert_string_equal(result.canonical_request,
                        "GET\n"
                        "/test.txt\n"
                        "\n"
                        "host:examplebucket.s3.amazonaws.com\n"
                        "range:bytes=0-9\n"
                        "x-amz-content-sha256:" EMPTY_SHA256 "\n"
                        "x-amz-date:20130524T000000Z\n"
                        "\n"
                        "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA256);
    assert_string_equal(result.string_to_sign, "AWS4-HMAC-SHA256\n"
                                               "20130524T000000Z\n"
                                               "20130524/us-east-1/s3/aws4_request\n"
                                               "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bb"
                                               "b2dc43964946972");
    assert_string_equal(
        result.authorization,
        "AWS4-HMAC-SHA256 "
        "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    sigv4_result_free(&result);
}

/* ---- helpers for the rule tests --------------------------------------- */

static const sigv4_credentials test_credentials = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

static const sigv4_params test_params = {
    .region = "us-east-1", .service = "glue", .time = 1440938160};

/* Signs GET on host h with path, query and headers; returns the canonical
 * request (malloc'd) or fails the test. */
static char *canonical_for(const char *path, const char *query, const sigv4_header *headers,
                           size_t n_headers, const sigv4_params *params) {
    const sigv4_request request = {
        .method = "GET",
        .host = "h",
        .path = path,
        .query = query,
        .headers = headers,
        .n_headers = n_headers,
    };
    sigv4_result result;
    char *error = NULL;
    if (!sigv4_sign(&request, &test_credentials, params ? params : &test_params, &result, &error))
        fail_msg("sign failed: %s", error);
    char *canonical = xstrdup(result.canonical_request);
    sigv4_result_free(&result);
    return canonical;
}

/* Line index (0-based) of a canonical request, malloc'd. */
static char *canonical_line(const char *canonical, int index) {
    const char *p = canonical;
    for (int i = 0; i < index; i++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    return xstrndup(p, strcspn(p, "\n"));
}

static void assert_path_signs_as(const char *path, bool s3, const char *expected) {
    sigv4_params params = test_params;
    params.s3 = s3;
    char *canonical = canonical_for(path, NULL, NULL, 0, &params);
    char *line = canonical_line(canonical, 1);
    assert_string_equal(line, expected);
    free(line);
    free(canonical);
}

static void assert_query_signs_as(const char *query, const char *expected) {
    char *canonical = canonical_for("/", query, NULL, 0, NULL);
    char *line = canonical_line(canonical, 2);
    assert_string_equal(line, expected);
    free(line);
    free(canonical);
}

/* ---- unit tests ------------------------------------------------------- */

static void test_sha256_hex(void **state) {
    (void)state;
    char hex[65];
    sigv4_sha256_hex("", 0, hex);
    assert_string_equal(hex, EMPTY_SHA256);
    sigv4_sha256_hex(NULL, 0, hex);
    assert_string_equal(hex, EMPTY_SHA256);
    sigv4_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sigv4_sha256_hex("Param1=value1", 13, hex);
    assert_string_equal(hex, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

static void assert_encodes(const char *text, size_t length, bool keep_slash, const char *expected) {
    char *encoded = sigv4_uri_encode(text, length, keep_slash);
    assert_non_null(encoded);
    assert_string_equal(encoded, expected);
    free(encoded);
}

static void test_uri_encode(void **state) {
    (void)state;
    const char *unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    assert_encodes(unreserved, strlen(unreserved), false, unreserved);
    assert_encodes("", 0, false, "");
    assert_encodes("a b+c=d&e/f", 11, false, "a%20b%2Bc%3Dd%26e%2Ff");
    assert_encodes("a b+c=d&e/f", 11, true, "a%20b%2Bc%3Dd%26e/f");
    assert_encodes("100%", 4, true, "100%25");
    assert_encodes("\xe1\x88\xb4", 3, false, "%E1%88%B4");
    assert_encodes("$!'()*,;:@", 10, true, "%24%21%27%28%29%2A%2C%3B%3A%40");
    assert_encodes("a\0b", 3, false, "a%00b"); /* the length counts, not the NUL */
    assert_encodes("abcdef", 3, false, "abc"); /* only length bytes */
    assert_encodes("\x7f\x80\xff", 3, false, "%7F%80%FF");
    assert_null(sigv4_uri_encode(NULL, 0, false));
}

static void assert_decodes(const char *text, const char *expected) {
    char *decoded = sigv4_uri_decode(text, strlen(text));
    assert_non_null(decoded);
    assert_string_equal(decoded, expected);
    free(decoded);
}

static void test_uri_decode(void **state) {
    (void)state;
    assert_decodes("", "");
    assert_decodes("plain", "plain");
    assert_decodes("a%20b", "a b");
    assert_decodes("a+b", "a+b"); /* '+' stays '+': it is not a space */
    assert_decodes("%e1%88%B4", "\xe1\x88\xb4");
    assert_decodes("%2525", "%25"); /* one level only */
    assert_decodes("%7E%2f", "~/");
    char *prefix = sigv4_uri_decode("a%20bcd", 5); /* only length bytes */
    assert_string_equal(prefix, "a b");
    free(prefix);
    const char *bad[] = {"%", "%4", "abc%", "%G0", "%0G", "a%2", "%%20", "% 20", "%-1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *decoded = sigv4_uri_decode(bad[i], strlen(bad[i]));
        if (decoded)
            fail_msg("\"%s\" decoded to \"%s\"; wanted NULL", bad[i], decoded);
    }
    char *cut = sigv4_uri_decode("%41", 2); /* the escape is cut by length */
    assert_null(cut);
    assert_null(sigv4_uri_decode(NULL, 0));
}

static void test_round_trip(void **state) {
    (void)state;
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)(i == 0 ? 1 : i);
    char *encoded = sigv4_uri_encode(all, sizeof all, false);
    char *decoded = sigv4_uri_decode(encoded, strlen(encoded));
    assert_non_null(decoded);
    assert_memory_equal(decoded, all, sizeof all);
    free(encoded);
    free(decoded);
}

static void test_header_trimming(void **state) {
    (void)state;
    const sigv4_header headers[] = {
        {"My-Header1", "  value1  "},
        {"My-Header2", "\"a   b   c\""},
        {"X-Tabs", "\ta\t\t b \t"},
        {"X-Folded", "value1\n  value2\r\n\tvalue3"},
        {"X-Empty", ""},
        {"X-Blank", "   "},
        {"X-Inner", "keep:colons;and,commas"},
    };
    char *canonical = canonical_for("/", NULL, headers, 7, NULL);
    assert_string_equal(canonical, "GET\n/\n\n"
                                   "host:h\n"
                                   "my-header1:value1\n"
                                   "my-header2:\"a b c\"\n"
                                   "x-amz-date:20150830T123600Z\n"
                                   "x-blank:\n"
                                   "x-empty:\n"
                                   "x-folded:value1 value2 value3\n"
                                   "x-inner:keep:colons;and,commas\n"
                                   "x-tabs:a b\n"
                                   "\n"
                                   "host;my-header1;my-header2;x-amz-date;x-blank;x-empty;"
                                   "x-folded;x-inner;x-tabs\n" EMPTY_SHA256);
    free(canonical);
}

static void test_header_names_and_repeats(void **state) {
    (void)state;
    /* Names are lower-cased and sorted; values of a repeated name are joined
     * with ',' in the order given, whatever the case of each name. */
    const sigv4_header headers[] = {
        {"Zeta", "last"},   {"MY-HEADER", "b"},   {"alpha", "first"},
        {"my-header", "a"}, {"My-Header", " c "}, {"x-amz-target", "Glue.GetTables"},
    };
    char *canonical = canonical_for("/", NULL, headers, 6, NULL);
    assert_string_equal(canonical,
                        "GET\n/\n\n"
                        "alpha:first\n"
                        "host:h\n"
                        "my-header:b,a,c\n"
                        "x-amz-date:20150830T123600Z\n"
                        "x-amz-target:Glue.GetTables\n"
                        "zeta:last\n"
                        "\n"
                        "alpha;host;my-header;x-amz-date;x-amz-target;zeta\n" EMPTY_SHA256);
    free(canonical);
}

static void test_query_canonicalisation(void **state) {
    (void)state;
    assert_query_signs_as("", "");
    assert_query_signs_as("b=2&a=3&a=1&A=0&c", "A=0&a=1&a=3&b=2&c=");
    assert_query_signs_as("a&a=", "a=&a=");          /* "a" and "a=" are the same */
    assert_query_signs_as("a-b=1&a=2", "a=2&a-b=1"); /* by key, then value */
    assert_query_signs_as("k=%7e%2d+x%20y", "k=~-%2Bx%20y");
    assert_query_signs_as("k=a=b", "k=a%3Db"); /* split at the first '=' */
    assert_query_signs_as("&&a=1&", "a=1");    /* empty parameters dropped */
    assert_query_signs_as("=v", "=v");         /* an empty key is kept */
    assert_query_signs_as("Param=Value2&%E1%88%B4=Value1", "%E1%88%B4=Value1&Param=Value2");
    assert_query_signs_as("\xe1\x88\xb4=caf\xc3\xa9", "%E1%88%B4=caf%C3%A9");
    assert_query_signs_as("prefix=a/b c&delimiter=%2F&list-type=2",
                          "delimiter=%2F&list-type=2&prefix=a%2Fb%20c");
    assert_query_signs_as("t=a%2Bb%3D%3D", "t=a%2Bb%3D%3D");
    assert_query_signs_as("x=%00y", "x=%00y"); /* a NUL byte survives */
    assert_query_signs_as("v=2&v=10&v=1", "v=1&v=10&v=2");
}

static void test_path_rules(void **state) {
    (void)state;
    assert_path_signs_as("", false, "/");
    assert_path_signs_as("/", false, "/");
    assert_path_signs_as("/a/b/../c/./d", false, "/a/c/d");
    assert_path_signs_as("/a/b/..", false, "/a"); /* as botocore */
    assert_path_signs_as("/a/b/../", false, "/a/");
    assert_path_signs_as("/../..", false, "/");
    assert_path_signs_as("//a//b//", false, "/a/b/");
    assert_path_signs_as("/a%20b", false, "/a%2520b"); /* encoded again */
    assert_path_signs_as("/%2E%2E/x", false, "/%252E%252E/x");
    assert_path_signs_as("/a b/c+d=e", false, "/a%20b/c%2Bd%3De");
    /* S3: exactly as sent. */
    assert_path_signs_as("/bucket/a//b/../c%20d", true, "/bucket/a//b/../c%20d");
    assert_path_signs_as("/key%2Bwith%3Dplus", true, "/key%2Bwith%3Dplus");
    assert_path_signs_as("", true, "/");
}

static void test_s3_and_payload_rules(void **state) {
    (void)state;
    const sigv4_request request = {
        .method = "PUT",
        .host = "bucket.s3.us-east-1.amazonaws.com",
        .path = "/a%20b.txt",
        .payload = "hello",
        .payload_length = 5,
    };
    const sigv4_params s3 = {.region = "us-east-1", .service = "s3", .time = 0, .s3 = true};
    sigv4_result result;
    assert_true(sigv4_sign(&request, &test_credentials, &s3, &result, NULL));
    assert_string_equal(result.amz_date, "19700101T000000Z");
    assert_string_equal(result.content_sha256,
                        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assert_string_equal(result.signed_headers, "host;x-amz-content-sha256;x-amz-date");
    assert_non_null(strstr(result.canonical_request, "\n/a%20b.txt\n"));
    sigv4_result_free(&result);

    sigv4_request unsigned_payload = request;
    unsigned_payload.payload_hash = "UNSIGNED-PAYLOAD";
    assert_true(sigv4_sign(&unsigned_payload, &test_credentials, &s3, &result, NULL));
    assert_string_equal(result.content_sha256, "UNSIGNED-PAYLOAD");
    assert_non_null(strstr(result.canonical_request, "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
    assert_non_null(strstr(result.canonical_request, "x-amz-date\nUNSIGNED-PAYLOAD"));
    sigv4_result_free(&result);

    /* Not S3: x-amz-content-sha256 only on request. */
    sigv4_params glue = test_params;
    assert_true(sigv4_sign(&request, &test_credentials, &glue, &result, NULL));
    assert_string_equal(result.signed_headers, "host;x-amz-date");
    assert_non_null(strstr(result.canonical_request, "\n/a%2520b.txt\n"));
    sigv4_result_free(&result);
    glue.sign_content_sha256 = true;
    assert_true(sigv4_sign(&request, &test_credentials, &glue, &result, NULL));
    assert_string_equal(result.signed_headers, "host;x-amz-content-sha256;x-amz-date");
    sigv4_result_free(&result);
}

static void test_session_token(void **state) {
    (void)state;
    sigv4_credentials credentials = test_credentials;
    credentials.session_token = "token/with+chars==";
    const sigv4_request request = {.method = "GET", .host = "h", .path = "/"};
    sigv4_result result;
    assert_true(sigv4_sign(&request, &credentials, &test_params, &result, NULL));
    assert_string_equal(result.signed_headers, "host;x-amz-date;x-amz-security-token");
    assert_non_null(strstr(result.canonical_request, "x-amz-security-token:token/with+chars==\n"));
    sigv4_result_free(&result);
    credentials.session_token = ""; /* empty: none, as in botocore */
    assert_true(sigv4_sign(&request, &credentials, &test_params, &result, NULL));
    assert_string_equal(result.signed_headers, "host;x-amz-date");
    sigv4_result_free(&result);
}

static void test_time_and_scope(void **state) {
    (void)state;
    const sigv4_request request = {.method = "GET", .host = "h", .path = "/"};
    sigv4_params params = test_params;
    params.region = "eu-west-1";
    params.time = 951782400 + 86399; /* 2000-02-29T23:59:59Z */
    sigv4_result result;
    assert_true(sigv4_sign(&request, &test_credentials, &params, &result, NULL));
    assert_string_equal(result.amz_date, "20000229T235959Z");
    assert_non_null(strstr(result.string_to_sign, "\n20000229/eu-west-1/glue/aws4_request\n"));
    assert_non_null(strstr(result.authorization, "Credential=AKIDEXAMPLE/20000229/eu-west-1/"
                                                 "glue/aws4_request, SignedHeaders="));
    sigv4_result_free(&result);

    char *error = NULL;
    params.time = INT64_MAX;
    assert_false(sigv4_sign(&request, &test_credentials, &params, &result, &error));
    assert_non_null(error);
    free(error);
    params.time = 253402300800; /* year 10000 does not fit X-Amz-Date */
    assert_false(sigv4_sign(&request, &test_credentials, &params, &result, &error));
    free(error);
}

/* Expects sigv4_sign to refuse, with an error and an empty result. */
static void assert_refused(const sigv4_request *request, const sigv4_credentials *credentials,
                           const sigv4_params *params) {
    sigv4_result result;
    memset(&result, 0x5a, sizeof result); /* garbage in: must be cleared */
    char *error = NULL;
    assert_false(sigv4_sign(request, credentials, params, &result, &error));
    assert_non_null(error);
    assert_true(strlen(error) > 0);
    assert_null(result.authorization);
    assert_null(result.canonical_request);
    assert_null(result.string_to_sign);
    assert_null(result.signed_headers);
    free(error);
    sigv4_result_free(&result); /* harmless after a refusal */
    /* And without an error pointer. */
    assert_false(sigv4_sign(request, credentials, params, &result, NULL));
}

static void test_bad_input(void **state) {
    (void)state;
    const sigv4_request good = {.method = "GET", .host = "h", .path = "/", .query = "a=1"};
    sigv4_request request = good;
    sigv4_credentials credentials = test_credentials;
    sigv4_params params = test_params;

    assert_refused(NULL, &credentials, &params);
    assert_refused(&request, NULL, &params);
    assert_refused(&request, &credentials, NULL);
    assert_false(sigv4_sign(&request, &credentials, &params, NULL, NULL));
    char *error = NULL;
    assert_false(sigv4_sign(&request, &credentials, &params, NULL, &error));
    free(error);

    request.method = NULL;
    assert_refused(&request, &credentials, &params);
    request = good;
    request.host = NULL;
    assert_refused(&request, &credentials, &params);
    request = good;
    request.path = NULL;
    assert_refused(&request, &credentials, &params);
    request = good;
    request.payload_length = 4; /* NULL payload with a length */
    assert_refused(&request, &credentials, &params);
    request = good;
    request.n_headers = 2; /* NULL headers with a count */
    assert_refused(&request, &credentials, &params);
    request = good;
    request.payload_hash = "0123456789012345678901234567890123456789012345678901234567890123456789";
    assert_refused(&request, &credentials, &params);

    credentials.access_key_id = NULL;
    assert_refused(&good, &credentials, &params);
    credentials = test_credentials;
    credentials.secret_access_key = NULL;
    assert_refused(&good, &credentials, &params);
    credentials = test_credentials;

    params.region = NULL;
    assert_refused(&good, &credentials, &params);
    params = test_params;
    params.service = NULL;
    assert_refused(&good, &credentials, &params);
    params = test_params;

    /* Malformed percent-escapes in the query. */
    const char *bad_queries[] = {"a=%", "a=%4", "a=%zz", "%G1=x", "ok=1&bad=%2", "x=100%"};
    for (size_t i = 0; i < sizeof bad_queries / sizeof *bad_queries; i++) {
        request = good;
        request.query = bad_queries[i];
        assert_refused(&request, &credentials, &params);
    }

    /* Headers: NULL parts, names that break the canonical form, and the
     * headers the signer adds itself. */
    sigv4_header header = {"X-Ok", NULL};
    request = good;
    request.headers = &header;
    request.n_headers = 1;
    assert_refused(&request, &credentials, &params);
    const char *bad_names[] = {NULL, "", "a b", "a:b", "a;b", "a\nb", "Host", "X-Amz-Date"};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        header = (sigv4_header){bad_names[i], "v"};
        assert_refused(&request, &credentials, &params);
    }
    header = (sigv4_header){"X-Amz-Security-Token", "t"};
    credentials.session_token = "t";
    assert_refused(&request, &credentials, &params);
    credentials.session_token = NULL; /* without a token of ours it is an ordinary header */
    sigv4_result result;
    assert_true(sigv4_sign(&request, &credentials, &params, &result, NULL));
    sigv4_result_free(&result);
    header = (sigv4_header){"x-amz-content-sha256", EMPTY_SHA256};
    params.s3 = true;
    assert_refused(&request, &credentials, &params);

    sigv4_result_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_is_complete),
        SUITE_CASES(SUITE_CASE) cmocka_unit_test(test_s3_get_object_vector),
        cmocka_unit_test(test_sha256_hex),
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_uri_decode),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_header_trimming),
        cmocka_unit_test(test_header_names_and_repeats),
        cmocka_unit_test(test_query_canonicalisation),
        cmocka_unit_test(test_path_rules),
        cmocka_unit_test(test_s3_and_payload_rules),
        cmocka_unit_test(test_session_token),
        cmocka_unit_test(test_time_and_scope),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("sigv4", tests, NULL, NULL);
}
