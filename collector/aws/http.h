/* http.h: HTTP on libcurl's multi interface for the AWS source: many
 * requests in flight on reused connections, timeouts, and the AWS SDKs'
 * "standard" retry mode (3 attempts, backoff rand() * min(2^attempt, 20 s),
 * throttling codes and 500/502/503/504 retried, a retry quota). It runs in
 * the collector thread: http_client_run() drives every submitted request,
 * including those that completion callbacks submit (the next page), until
 * none is left. Nothing here blocks the UI.
 *
 * A request is prepared again before every attempt (prepare callback: sign
 * with the current time and clock offset) and its body is either streamed
 * to on_data (2xx answers: e.g. an S3 listing into an XML parser; on_attempt
 * resets the consumer before a retry) or kept for on_done. A 2xx answer of
 * a request that names its operation is checked first (see `operation`):
 * its start is held back until its kind is known. A kept 2xx body
 * is bounded by HTTP_KEEP_BODY_MAX (64 MiB, see http.c for why): a longer
 * one ends the request with an error naming the bound, never a cut body.
 * Error bodies (non-2xx) keep their first 1 MiB, enough for the code and
 * message. */
#ifndef LAKETOP_HTTP_H
#define LAKETOP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct http_client http_client;

/* The most of a 2xx answer that is kept (for on_done) when not streamed.
 * Glue's JSON answers are kept whole and bounded only by MaxResults: a
 * GetTables page is up to 100 tables, a GetPartitions page up to 1,000
 * partitions, each carrying its columns (about 100-300 bytes of JSON per
 * column with its type, comment and parameters). 100 tables of 1,000
 * columns, or 1,000 partitions of 150 columns, come to 20-45 MB: 64 MiB
 * holds such a page with room to spare, yet still bounds what one answer
 * can make laketop hold (memory grows only as the bytes arrive). */
#define HTTP_KEEP_BODY_MAX ((size_t)64 << 20)

typedef struct http_header {
    char *name;
    char *value;
} http_header;

typedef struct http_response {
    long status; /* 0 when no answer came (transport error) */
    char *body;  /* the kept body (NUL-terminated), "" when streamed */
    size_t body_length;
    char *error;      /* transport error or the AWS error code and message; NULL on 2xx */
    char *error_code; /* "AccessDenied", "ThrottlingException", ... or NULL */
    int attempts;
    int64_t server_date; /* the Date header (Unix seconds), -1 when absent */
} http_response;

typedef struct http_request http_request;

/* How S3 bills a request (its two request tiers; cost.h prices them):
 * PUT, COPY, POST and LIST at the LIST price, GET and the rest at the GET
 * price; other services (Glue, Athena, STS) are not counted. */
typedef enum http_billing {
    HTTP_BILL_NONE = 0,
    HTTP_BILL_S3_LIST,
    HTTP_BILL_S3_GET,
} http_billing;

/* What a request is for (http_stats.by_kind; the --once JSON's
 * requests_by_kind): S3 listings, the catalog (Glue, S3 Tables), objects
 * read for table formats' metadata, Athena, the pipeline (Glue jobs,
 * Step Functions), an S3 Inventory report's data files; NONE is the rest
 * ("other": STS, writes). */
typedef enum http_kind {
    HTTP_KIND_NONE = 0,
    HTTP_KIND_LISTING,
    HTTP_KIND_CATALOG,
    HTTP_KIND_METADATA,
    HTTP_KIND_ATHENA,
    HTTP_KIND_PIPELINE,
    HTTP_KIND_INVENTORY,
    HTTP_KIND_COUNT
} http_kind;

typedef struct http_request_spec {
    const char *method;
    const char *url;
    const char *body; /* copied, unless borrow_body */
    size_t body_length;
    /* The body stays valid until on_done: used as it is, not copied (an
     * upload of a mapped file must not be held in memory again). */
    bool borrow_body;
    /* Called before each attempt with the attempt number (1..): fills the
     * headers to send (request->headers) e.g. with a fresh signature. */
    void (*prepare)(void *ctx, http_request *request, int attempt);
    /* 2xx body data as it arrives; return false to abort the request. */
    bool (*on_data)(void *ctx, const char *data, size_t length);
    /* Before every attempt after the first that streamed data. */
    void (*on_attempt)(void *ctx);
    /* Once, after the last attempt; the response is freed afterwards. */
    void (*on_done)(void *ctx, const http_response *response);
    void *ctx;
    /* Low priority: started only when no normal request is waiting (extras
     * that must not delay the main work). */
    bool background;
    /* The operation ("ListObjectsV2", "GetTables"), for messages. When set,
     * a 2xx answer is checked (http_answer.h): an error inside a 200 (S3's
     * <Error>, a JSON object with "__type") is an error with its code and
     * message, retried when the code is; an HTML page, text, or XML or
     * JSON cut short is an error ("the answer to OP is not XML: ..."),
     * retried. NULL: the body is data, taken as it comes (GetObject). */
    const char *operation;
    /* Each header line of each attempt's answer, as it comes (may be NULL). */
    void (*on_header)(void *ctx, const char *line, size_t length);
    /* Which S3 request tier each attempt is billed in (http_stats). */
    http_billing billing;
    /* What it is for: each attempt counted in http_stats.by_kind. */
    http_kind kind;
} http_request_spec;

struct http_request {
    http_request_spec spec;
    char *method;
    char *url;
    char *body;
    size_t body_length;
    http_header *headers; /* set by prepare */
    size_t n_headers;
    size_t cap_headers;
    /* internal */
    int attempt;
    int64_t due_ms;
    int64_t started_ms;
    bool streamed;
    bool aborted;
    bool too_big;              /* the kept body passed HTTP_KEEP_BODY_MAX */
    int retry_cost;            /* taken from the retry quota for the last retry, 0: none */
    bool expired_retried;      /* sent again once after its credentials were refused */
    bool after_expired;        /* the last attempt's credentials were refused as expired */
    struct http_answer *check; /* a checked answer's start and end (see operation) */
    http_response response;
    size_t body_cap;
    void *easy;
    struct curl_slist *slist;
    char curl_error[256];
    http_request *next;
};

typedef struct http_options {
    int max_in_flight;       /* default 32 */
    int max_attempts;        /* default 3 */
    long connect_timeout_ms; /* default 5000 */
    long timeout_ms;         /* whole request, default 120000 */
    const char *ca_bundle;   /* AWS_CA_BUNDLE; NULL: system */
    int retry_base_ms;       /* backoff unit: 1000 as the SDKs; tests may lower it */
} http_options;

http_client *http_client_new(const http_options *options);
void http_client_free(http_client *client);
/* Queues a request (callbacks run inside http_client_run). */
void http_client_submit(http_client *client, const http_request_spec *spec);
/* Drives everything until no request is left, or *stop becomes true (then
 * the rest is abandoned: on_done gets status 0 and "cancelled"). */
void http_client_run(http_client *client, const bool *stop);

/* For prepare callbacks. */
void http_request_set_header(http_request *request, const char *name, const char *value);
void http_request_clear_headers(http_request *request);
/* True when the attempt being prepared follows one refused for expired
 * credentials (ExpiredToken): the signer renews them before it signs. Such
 * a refusal is sent again once, at once, outside the retry quota. */
bool http_request_after_expired(const http_request *request);

/* Free request slots: room to start more work at once (in flight and
 * queued requests count as busy). */
int http_client_idle_slots(const http_client *client);

/* The clock offset learnt from a RequestTimeTooSkewed answer (server date -
 * local date, seconds); signers add it to their time. */
int64_t http_client_clock_offset(const http_client *client);
/* Counters for figures and tests. */
typedef struct http_stats {
    uint64_t requests;         /* attempts sent */
    uint64_t s3_list_requests; /* of those, billed at S3's LIST price (http_billing) */
    uint64_t s3_get_requests;  /* ... at its GET price */
    uint64_t retries;
    uint64_t bytes_in;
    /* attempts by http_kind */
    uint64_t by_kind[HTTP_KIND_COUNT];
    int retry_quota; /* what is left of it */
} http_stats;
http_stats http_client_stats(const http_client *client);

#endif
