/* sigv4.h: AWS Signature Version 4 (HMAC-SHA256 via OpenSSL): canonical
 * request, string to sign, derived key, Authorization header. Pure: no
 * network, no globals, no clock (the caller passes the time).
 *
 * Two path rules:
 *  - S3 (params.s3 = true): the path is signed exactly as sent (it is already
 *    URI-encoded once by the caller; no '.'/'..' folding, no re-encoding) and
 *    x-amz-content-sha256 is always signed.
 *  - every other service: the path is normalised (empty, '.' and '..'
 *    segments folded) and each segment URI-encoded again, as the SigV4 suite
 *    requires.
 * Query strings: parameters are decoded and re-encoded with RFC 3986
 * unreserved characters only, sorted by encoded key then value (repeated
 * keys are kept, in value order); "a" and "a=" both sign as "a=".
 * Headers: names lower-cased, values trimmed with inner runs of spaces folded
 * to one, repeated names joined with ',' in the order given, sorted by name. */
#ifndef LAKETOP_SIGV4_H
#define LAKETOP_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sigv4_credentials {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL when none: then X-Amz-Security-Token is not added */
} sigv4_credentials;

typedef struct sigv4_header {
    const char *name;
    const char *value;
} sigv4_header;

typedef struct sigv4_request {
    const char *method;          /* "GET", "POST" ... */
    const char *host;            /* the Host header as sent: "host" or "host:port" */
    const char *path;            /* as sent on the request line, e.g. "/bucket/a%20b" */
    const char *query;           /* as sent, without '?'; NULL or "" when none */
    const sigv4_header *headers; /* further headers to sign (Content-Type, X-Amz-Target,
                                  * Range...); must not include Host or X-Amz-Date */
    size_t n_headers;
    const void *payload; /* body; NULL with length 0 for none */
    size_t payload_length;
    const char *payload_hash; /* NULL: SHA-256 of the payload; or e.g. "UNSIGNED-PAYLOAD" */
} sigv4_request;

typedef struct sigv4_params {
    const char *region;  /* "us-east-1" */
    const char *service; /* "s3", "glue", "athena", "service" */
    int64_t time;        /* Unix seconds, UTC */
    bool s3;             /* S3 path and header rules (see above) */
    /* Sign x-amz-content-sha256 even when not S3 (S3 always does). */
    bool sign_content_sha256;
} sigv4_params;

typedef struct sigv4_result {
    char amz_date[17];       /* "20150830T123600Z": send as X-Amz-Date */
    char content_sha256[65]; /* the payload hash used (send as x-amz-content-sha256 for S3) */
    char *authorization;     /* the Authorization header value */
    char *canonical_request; /* for tests and debugging */
    char *string_to_sign;
    char *signed_headers; /* "host;x-amz-date" */
} sigv4_result;

/* Signs; false only on bad input, with *error set: NULL method, host, path or
 * credentials; a malformed percent-escape in the query; a header the signer
 * adds itself (Host, X-Amz-Date, X-Amz-Security-Token with a token,
 * x-amz-content-sha256 for S3); a header name that is empty or holds a
 * space, control character, ':' or ';'; a payload_hash over 64 characters;
 * a time outside the years 1000-9999. */
bool sigv4_sign(const sigv4_request *request, const sigv4_credentials *credentials,
                const sigv4_params *params, sigv4_result *result, char **error);
void sigv4_result_free(sigv4_result *result);

/* Lower-case hex SHA-256 of data. */
void sigv4_sha256_hex(const void *data, size_t length, char out[65]);
/* RFC 3986 encoding of everything but A-Z a-z 0-9 - _ . ~ (and '/' when
 * keep_slash), upper-case hex; malloc'd. */
char *sigv4_uri_encode(const char *text, size_t length, bool keep_slash);
/* Percent-decoding (and '+' kept as '+'); malloc'd; NULL on a bad escape. */
char *sigv4_uri_decode(const char *text, size_t length);

#endif
