/* sigv4.c: AWS Signature Version 4 (see sigv4.h): canonical request, string
 * to sign, derived key and Authorization header, with OpenSSL's SHA-256 and
 * HMAC. Matches the AWS SigV4 test suite and botocore's SigV4Auth/S3SigV4Auth. */
#include "collector/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fmt.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

static void set_error(char **error, const char *message) {
    if (error)
        *error = xstrdup(message);
}

/* ---- hashing ---------------------------------------------------------- */

static void hex_lower(const unsigned char *bytes, size_t length, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * length] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t length, char out[65]) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    if (!data) { /* nothing to hash: the hash of the empty string */
        data = "";
        length = 0;
    }
    if (!EVP_Digest(data, length, digest, &digest_length, EVP_sha256(), NULL))
        xfatal("OpenSSL SHA-256 failed");
    hex_lower(digest, digest_length, out);
}

/* out = HMAC-SHA256(key, message); 32 bytes. */
static void hmac_sha256(const void *key, size_t key_length, const char *message,
                        unsigned char out[32]) {
    unsigned int out_length = 0;
    if (!HMAC(EVP_sha256(), key, (int)key_length, (const unsigned char *)message, strlen(message),
              out, &out_length) ||
        out_length != 32)
        xfatal("OpenSSL HMAC-SHA256 failed");
}

/* ---- percent-encoding ------------------------------------------------- */

static bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

static void encode_into(strbuf *buffer, const char *text, size_t length, bool keep_slash) {
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            strbuf_putc(buffer, (char)c);
        } else {
            char escape[3] = {'%', digits[c >> 4], digits[c & 0x0f]};
            strbuf_append(buffer, escape, 3);
        }
    }
}

char *sigv4_uri_encode(const char *text, size_t length, bool keep_slash) {
    if (!text)
        return NULL;
    strbuf buffer = {0};
    encode_into(&buffer, text, length, keep_slash);
    return strbuf_take(&buffer);
}

/* Decodes into a malloc'd buffer and sets *decoded_length (the result may
 * hold NUL bytes from "%00"); NULL on a '%' not followed by two hex digits. */
static char *decode_bytes(const char *text, size_t length, size_t *decoded_length) {
    char *out = xmalloc(length + 1);
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] != '%') {
            out[n++] = text[i];
            continue;
        }
        int high = i + 2 < length ? fmt_hex_digit(text[i + 1]) : -1;
        int low = high >= 0 ? fmt_hex_digit(text[i + 2]) : -1;
        if (low < 0) {
            free(out);
            return NULL;
        }
        out[n++] = (char)(high << 4 | low);
        i += 2;
    }
    out[n] = '\0';
    *decoded_length = n;
    return out;
}

char *sigv4_uri_decode(const char *text, size_t length) {
    if (!text)
        return NULL;
    size_t decoded_length;
    return decode_bytes(text, length, &decoded_length);
}

/* ---- canonical URI ---------------------------------------------------- */

/* Non-S3 path: empty, '.' and '..' segments folded the way botocore's
 * remove_dot_segments does (a trailing '/' is kept only when the path ends
 * with one and something is left), then every byte but unreserved ones and
 * '/' percent-encoded, so an escape already in the path is encoded again. */
static void normalized_path(strbuf *out, const char *path) {
    if (!*path) {
        strbuf_putc(out, '/');
        return;
    }
    typedef struct segment {
        const char *start;
        size_t length;
    } segment;
    segment *kept = NULL;
    size_t n_kept = 0, capacity = 0;
    size_t path_length = strlen(path);
    for (const char *p = path;; p++) {
        size_t length = strcspn(p, "/");
        if (length == 2 && p[0] == '.' && p[1] == '.') {
            if (n_kept > 0)
                n_kept--;
        } else if (length > 0 && !(length == 1 && p[0] == '.')) {
            kept = xgrow(kept, &capacity, n_kept + 1, sizeof *kept);
            kept[n_kept++] = (segment){p, length};
        }
        p += length;
        if (!*p)
            break;
    }
    if (path[0] == '/')
        strbuf_putc(out, '/');
    for (size_t i = 0; i < n_kept; i++) {
        if (i > 0)
            strbuf_putc(out, '/');
        encode_into(out, kept[i].start, kept[i].length, false);
    }
    if (path[path_length - 1] == '/' && n_kept > 0)
        strbuf_putc(out, '/');
    free(kept);
}

/* ---- canonical query string ------------------------------------------- */

typedef struct query_parameter {
    char *key; /* both URI-encoded again, unreserved characters only */
    char *value;
} query_parameter;

static int compare_parameters(const void *a, const void *b) {
    const query_parameter *x = a, *y = b;
    int by_key = strcmp(x->key, y->key);
    return by_key ? by_key : strcmp(x->value, y->value);
}

/* Decodes then re-encodes one key or value; NULL on a bad escape. */
static char *reencode(const char *text, size_t length) {
    size_t decoded_length;
    char *decoded = decode_bytes(text, length, &decoded_length);
    if (!decoded)
        return NULL;
    char *encoded = sigv4_uri_encode(decoded, decoded_length, false);
    free(decoded);
    return encoded;
}

/* Empty parameters ("a&&b", a trailing '&') are dropped. */
static bool canonical_query(strbuf *out, const char *query, char **error) {
    query_parameter *parameters = NULL;
    size_t n_parameters = 0, capacity = 0;
    bool ok = true;
    size_t length = query ? strlen(query) : 0;
    for (size_t start = 0; start < length;) {
        const char *pair = query + start;
        const char *amp = memchr(pair, '&', length - start);
        size_t pair_length = amp ? (size_t)(amp - pair) : length - start;
        start += pair_length + 1;
        if (pair_length == 0)
            continue;
        const char *equals = memchr(pair, '=', pair_length);
        size_t key_length = equals ? (size_t)(equals - pair) : pair_length;
        char *key = reencode(pair, key_length);
        char *value = equals ? reencode(equals + 1, pair_length - key_length - 1) : xstrdup("");
        if (!key || !value) {
            free(key);
            free(value);
            set_error(error, "malformed percent-escape in the query string");
            ok = false;
            break;
        }
        parameters = xgrow(parameters, &capacity, n_parameters + 1, sizeof *parameters);
        parameters[n_parameters++] = (query_parameter){key, value};
    }
    if (ok && n_parameters > 0)
        qsort(parameters, n_parameters, sizeof *parameters, compare_parameters);
    for (size_t i = 0; i < n_parameters; i++) {
        if (ok) {
            if (i > 0)
                strbuf_putc(out, '&');
            strbuf_puts(out, parameters[i].key);
            strbuf_putc(out, '=');
            strbuf_puts(out, parameters[i].value);
        }
        free(parameters[i].key);
        free(parameters[i].value);
    }
    free(parameters);
    return ok;
}

/* ---- canonical headers ------------------------------------------------ */

typedef struct canonical_header {
    char *name;  /* lower-case */
    char *value; /* trimmed, inner whitespace runs folded to one space */
    size_t order;
} canonical_header;

typedef struct header_list {
    canonical_header *items;
    size_t count;
    size_t capacity;
} header_list;

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trimall: leading and trailing whitespace removed, every inner run of
 * whitespace (spaces, tabs, the line breaks of a folded header) made one
 * space, as botocore's ' '.join(value.split()) does. */
static char *trim_all(const char *value) {
    strbuf out = {0};
    bool pending_space = false;
    for (const char *p = value; *p; p++) {
        if (is_space(*p)) {
            pending_space = out.length > 0;
            continue;
        }
        if (pending_space)
            strbuf_putc(&out, ' ');
        pending_space = false;
        strbuf_putc(&out, *p);
    }
    return strbuf_take(&out);
}

static char *lower_case(const char *name) {
    char *lower = xstrdup(name);
    for (char *p = lower; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return lower;
}

static void add_header(header_list *list, char *name, char *value) {
    list->items = xgrow(list->items, &list->capacity, list->count + 1, sizeof *list->items);
    list->items[list->count] = (canonical_header){name, value, list->count};
    list->count++;
}

static void free_headers(header_list *list) {
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].value);
    }
    free(list->items);
}

/* By name, then in the order given, so repeated names keep their order. */
static int compare_headers(const void *a, const void *b) {
    const canonical_header *x = a, *y = b;
    int by_name = strcmp(x->name, y->name);
    if (by_name)
        return by_name;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A name that would break the canonical form: empty, or with a control
 * character, a space, ':' or ';'. */
static bool is_bad_header_name(const char *name) {
    if (!*name)
        return true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p <= ' ' || *p == 0x7f || *p == ':' || *p == ';')
            return true;
    }
    return false;
}

/* Adds the caller's headers; false when one is malformed or is one the
 * signer sets itself (it would be signed twice). */
static bool add_request_headers(header_list *list, const sigv4_request *request, bool adds_token,
                                bool adds_content_sha256, char **error) {
    if (request->n_headers > 0 && !request->headers) {
        set_error(error, "headers is NULL but n_headers is not 0");
        return false;
    }
    for (size_t i = 0; i < request->n_headers; i++) {
        const sigv4_header *header = &request->headers[i];
        if (!header->name || !header->value) {
            set_error(error, "a header has a NULL name or value");
            return false;
        }
        if (is_bad_header_name(header->name)) {
            if (error)
                *error = xasprintf("bad header name \"%s\"", header->name);
            return false;
        }
        char *name = lower_case(header->name);
        if (!strcmp(name, "host") || !strcmp(name, "x-amz-date") ||
            (adds_token && !strcmp(name, "x-amz-security-token")) ||
            (adds_content_sha256 && !strcmp(name, "x-amz-content-sha256"))) {
            if (error)
                *error = xasprintf("header %s is set by the signer: do not pass it", name);
            free(name);
            return false;
        }
        add_header(list, name, trim_all(header->value));
    }
    return true;
}

/* Writes the canonical headers (each followed by '\n') and the signed
 * header list; the list is sorted first. */
static void canonical_headers(header_list *list, strbuf *out, strbuf *signed_names) {
    qsort(list->items, list->count, sizeof *list->items, compare_headers);
    for (size_t i = 0; i < list->count; i++) {
        const canonical_header *header = &list->items[i];
        bool same_as_previous = i > 0 && !strcmp(list->items[i - 1].name, header->name);
        if (same_as_previous) {
            strbuf_putc(out, ',');
        } else {
            if (i > 0) {
                strbuf_putc(out, '\n');
                strbuf_putc(signed_names, ';');
            }
            strbuf_puts(out, header->name);
            strbuf_putc(out, ':');
            strbuf_puts(signed_names, header->name);
        }
        strbuf_puts(out, header->value);
    }
    if (list->count > 0)
        strbuf_putc(out, '\n');
}

/* ---- signing ---------------------------------------------------------- */

static bool check_input(const sigv4_request *request, const sigv4_credentials *credentials,
                        const sigv4_params *params, char **error) {
    const char *missing = NULL;
    if (!request)
        missing = "request";
    else if (!credentials)
        missing = "credentials";
    else if (!params)
        missing = "params";
    else if (!request->method || !*request->method)
        missing = "method";
    else if (!request->host || !*request->host)
        missing = "host";
    else if (!request->path)
        missing = "path";
    else if (!credentials->access_key_id || !*credentials->access_key_id)
        missing = "access key id";
    else if (!credentials->secret_access_key)
        missing = "secret access key";
    else if (!params->region || !*params->region)
        missing = "region";
    else if (!params->service || !*params->service)
        missing = "service";
    else if (!request->payload && request->payload_length > 0)
        missing = "payload (NULL with a length)";
    if (missing) {
        if (error)
            *error = xasprintf("sigv4: missing %s", missing);
        return false;
    }
    if (request->payload_hash && strlen(request->payload_hash) > 64) {
        set_error(error, "sigv4: payload hash longer than 64 characters");
        return false;
    }
    return true;
}

/* "20150830T123600Z"; false when the time is not in years 0000-9999. */
static bool format_amz_date(int64_t unix_seconds, char out[17]) {
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    if ((int64_t)t != unix_seconds || !gmtime_r(&t, &tm) || tm.tm_year < -1900 ||
        tm.tm_year > 9999 - 1900)
        return false;
    return strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) == 16;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
 * "aws4_request"); the signature is HMAC(kSigning, string to sign) in hex. */
static void signature_hex(const char *secret, const char *date, const sigv4_params *params,
                          const char *string_to_sign, char out[65]) {
    char *secret_key = xasprintf("AWS4%s", secret);
    unsigned char key[32], next[32];
    hmac_sha256(secret_key, strlen(secret_key), date, key);
    OPENSSL_cleanse(secret_key, strlen(secret_key));
    free(secret_key);
    hmac_sha256(key, sizeof key, params->region, next);
    hmac_sha256(next, sizeof next, params->service, key);
    hmac_sha256(key, sizeof key, "aws4_request", next);
    hmac_sha256(next, sizeof next, string_to_sign, key);
    hex_lower(key, sizeof key, out);
    OPENSSL_cleanse(next, sizeof next);
    OPENSSL_cleanse(key, sizeof key);
}

bool sigv4_sign(const sigv4_request *request, const sigv4_credentials *credentials,
                const sigv4_params *params, sigv4_result *result, char **error) {
    if (error)
        *error = NULL;
    if (!result) {
        set_error(error, "sigv4: missing result");
        return false;
    }
    *result = (sigv4_result){0};
    if (!check_input(request, credentials, params, error))
        return false;
    if (!format_amz_date(params->time, result->amz_date)) {
        set_error(error, "sigv4: time out of range");
        return false;
    }
    if (request->payload_hash)
        strcpy(result->content_sha256, request->payload_hash);
    else
        sigv4_sha256_hex(request->payload, request->payload_length, result->content_sha256);

    /* An empty token counts as none, as in botocore. */
    const char *token = credentials->session_token;
    bool adds_token = token && *token;
    bool adds_content_sha256 = params->s3 || params->sign_content_sha256;

    strbuf canonical = {0};
    strbuf_puts(&canonical, request->method);
    strbuf_putc(&canonical, '\n');
    if (params->s3)
        strbuf_puts(&canonical, *request->path ? request->path : "/");
    else
        normalized_path(&canonical, request->path);
    strbuf_putc(&canonical, '\n');
    if (!canonical_query(&canonical, request->query, error)) {
        free(canonical.data);
        return false;
    }
    strbuf_putc(&canonical, '\n');

    header_list headers = {0};
    add_header(&headers, xstrdup("host"), trim_all(request->host));
    add_header(&headers, xstrdup("x-amz-date"), xstrdup(result->amz_date));
    if (adds_token)
        add_header(&headers, xstrdup("x-amz-security-token"), trim_all(token));
    if (adds_content_sha256)
        add_header(&headers, xstrdup("x-amz-content-sha256"), xstrdup(result->content_sha256));
    if (!add_request_headers(&headers, request, adds_token, adds_content_sha256, error)) {
        free_headers(&headers);
        free(canonical.data);
        return false;
    }
    strbuf signed_names = {0};
    canonical_headers(&headers, &canonical, &signed_names);
    free_headers(&headers);
    strbuf_putc(&canonical, '\n');
    strbuf_puts(&canonical, signed_names.data);
    strbuf_putc(&canonical, '\n');
    strbuf_puts(&canonical, result->content_sha256);

    char date[9];
    memcpy(date, result->amz_date, 8);
    date[8] = '\0';
    char canonical_hash[65];
    sigv4_sha256_hex(canonical.data, canonical.length, canonical_hash);
    result->canonical_request = strbuf_take(&canonical);
    result->signed_headers = strbuf_take(&signed_names);
    result->string_to_sign =
        xasprintf(SIGV4_ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n%s", result->amz_date, date,
                  params->region, params->service, canonical_hash);

    char signature[65];
    signature_hex(credentials->secret_access_key, date, params, result->string_to_sign, signature);
    result->authorization = xasprintf(SIGV4_ALGORITHM " Credential=%s/%s/%s/%s/aws4_request, "
                                                      "SignedHeaders=%s, Signature=%s",
                                      credentials->access_key_id, date, params->region,
                                      params->service, result->signed_headers, signature);
    return true;
}

void sigv4_result_free(sigv4_result *result) {
    if (!result)
        return;
    free(result->authorization);
    free(result->canonical_request);
    free(result->string_to_sign);
    free(result->signed_headers);
    *result = (sigv4_result){0};
}
