/* http_retry.c: retry decisions and error answers (see http_retry.h). */
#include "collector/aws/http_retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/redact.h"
#include "common/xalloc.h"

http_retry_kind http_retry_classify(long status, const char *code, bool transport_error) {
    if (transport_error)
        return HTTP_RETRY_TRANSIENT;
    static const char *const throttles[] = {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    };
    /* The SDKs' transient codes, and the 5xx codes of Glue and Athena: an
     * error inside a 200 has no 5xx status to go by. */
    static const char *const transients[] = {
        "RequestTimeout",          "RequestTimeoutException",    "InternalError",
        "InternalFailure",         "ServiceUnavailable",         "InternalServiceException",
        "InternalServerException", "ServiceUnavailableException"};
    if (code) {
        for (size_t i = 0; i < sizeof throttles / sizeof throttles[0]; i++)
            if (strcmp(code, throttles[i]) == 0)
                return HTTP_RETRY_THROTTLE;
        if (strcmp(code, "RequestTimeTooSkewed") == 0 || strcmp(code, "RequestExpired") == 0 ||
            strcmp(code, "InvalidSignatureException") == 0 ||
            strcmp(code, "SignatureDoesNotMatch") == 0)
            return status == 403 || status == 400 ? HTTP_RETRY_SKEW : HTTP_NO_RETRY;
        /* S3's, STS's and the JSON services' names for a session token
         * past its expiry */
        if (strcmp(code, "ExpiredToken") == 0 || strcmp(code, "ExpiredTokenException") == 0 ||
            strcmp(code, "TokenRefreshRequired") == 0)
            return status == 403 || status == 400 ? HTTP_RETRY_EXPIRED : HTTP_NO_RETRY;
        for (size_t i = 0; i < sizeof transients / sizeof transients[0]; i++)
            if (strcmp(code, transients[i]) == 0)
                return HTTP_RETRY_TRANSIENT;
    }
    if (status == 429)
        return HTTP_RETRY_THROTTLE;
    if (status == 500 || status == 502 || status == 503 || status == 504)
        return HTTP_RETRY_TRANSIENT;
    return HTTP_NO_RETRY;
}

/* The text of the first <tag>...</tag> in an XML error body. */
static char *http_retry_xml_text(const char *body, size_t length, const char *tag) {
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = memmem(body, length, open, strlen(open));
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = memmem(a, length - (size_t)(a - body), close, strlen(close));
    return b ? xstrndup(a, (size_t)(b - a)) : NULL;
}

/* The string value of "key" in a flat JSON error body. */
static char *http_retry_json_text(const char *body, size_t length, const char *key) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *a = memmem(body, length, quoted, strlen(quoted));
    if (!a)
        return NULL;
    const char *end = body + length;
    a += strlen(quoted);
    while (a < end && (*a == ' ' || *a == ':'))
        a++;
    if (a >= end || *a != '"')
        return NULL;
    a++;
    const char *b = a;
    while (b < end && *b != '"') {
        if (*b == '\\' && b + 1 < end)
            b++;
        b++;
    }
    return b < end ? xstrndup(a, (size_t)(b - a)) : NULL;
}

void http_retry_parse_error(const char *body, size_t length, char **code, char **message) {
    *code = NULL;
    *message = NULL;
    if (!body || !length)
        return;
    *code = http_retry_xml_text(body, length, "Code");
    if (*code) {
        *message = redact_take(http_retry_xml_text(body, length, "Message"));
        return;
    }
    *code = http_retry_json_text(body, length, "__type");
    if (!*code)
        *code = http_retry_json_text(body, length, "code");
    if (*code) {
        /* "com.amazonaws.glue#EntityNotFoundException" -> the name */
        char *hash = strrchr(*code, '#');
        if (hash)
            memmove(*code, hash + 1, strlen(hash));
        char *colon = strchr(*code, ':');
        if (colon)
            *colon = '\0';
    }
    *message = http_retry_json_text(body, length, "message");
    if (!*message)
        *message = http_retry_json_text(body, length, "Message");
    *message = redact_take(*message); /* what was signed, quoted back */
}

int64_t http_retry_parse_date(const char *text) {
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char wday[8], mon[8], zone[8];
    int day, year, h, m, s;
    if (sscanf(text, "%3s, %d %3s %d %d:%d:%d %3s", wday, &day, mon, &year, &h, &m, &s, zone) != 8)
        return -1;
    int month = -1;
    for (int i = 0; i < 12; i++)
        if (strcmp(mon, months[i]) == 0)
            month = i + 1;
    if (month < 0 || strcmp(zone, "GMT") != 0)
        return -1;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, h, m, s);
    int64_t t;
    return fmt_parse_iso8601(iso, &t) ? t : -1;
}

int64_t http_retry_backoff_ms(int attempt, int base_ms, double random01) {
    int exponent = attempt - 1;
    double cap = exponent >= 5 ? 20.0 : (double)(1 << exponent);
    if (cap > 20.0)
        cap = 20.0;
    return (int64_t)(random01 * cap * base_ms);
}
