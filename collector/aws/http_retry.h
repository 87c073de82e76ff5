/* http_retry.h: the AWS SDKs' "standard" retry mode as pure functions:
 * which answers are retried (throttling, transient, clock skew, expired
 * credentials), the
 * backoff before the next attempt, and what an error answer says (its code
 * and message, its Date). http.c applies them; they are tested on their
 * own. */
#ifndef LAKETOP_HTTP_RETRY_H
#define LAKETOP_HTTP_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum http_retry_kind {
    HTTP_NO_RETRY,
    HTTP_RETRY_TRANSIENT,
    HTTP_RETRY_THROTTLE,
    HTTP_RETRY_SKEW,
    /* the credentials expired (a clock behind the service's, a machine
     * that slept): sent again once, at once, after the signer renews them */
    HTTP_RETRY_EXPIRED
} http_retry_kind;
/* Decides from the status and the AWS error code whether to retry. */
http_retry_kind http_retry_classify(long status, const char *error_code, bool transport_error);
/* Finds the AWS error code and message in an error body (S3 XML <Code>,
 * JSON "__type"/"code", "x-amzn-errortype"); malloc'd strings or NULL. */
void http_retry_parse_error(const char *body, size_t length, char **code, char **message);
/* Parses an RFC 1123 date ("Sun, 06 Nov 1994 08:49:37 GMT"); -1 if bad. */
int64_t http_retry_parse_date(const char *text);
/* Backoff before attempt `attempt` (2..): random in [0, min(2^(attempt-1), 20)] units. */
int64_t http_retry_backoff_ms(int attempt, int base_ms, double random01);

#endif
