/* aws_request.c: the AWS source's requests: endpoint URLs, SigV4 signing
 * before every attempt, JSON-protocol calls (X-Amz-Target) to Glue and
 * Athena, and S3 REST requests in path or virtual-hosted style. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/sigv4.h"
#include "common/clock.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

/* ---- URLs and signing ---------------------------------------------------- */

/* An endpoint URL in the parts a request is built from. */
typedef struct aws_url {
    char *scheme; /* "https" */
    char *host;   /* "host" or "host:port" as the Host header */
    char *base;   /* path prefix of the endpoint, "" or "/x" */
} aws_url;

static bool aws_url_parse(const char *url, aws_url *out) {
    const char *sep = strstr(url, "://");
    if (!sep)
        return false;
    out->scheme = xstrndup(url, (size_t)(sep - url));
    const char *host = sep + 3;
    const char *slash = strchr(host, '/');
    out->host = slash ? xstrndup(host, (size_t)(slash - host)) : xstrdup(host);
    out->base = xstrdup(slash ? slash : "");
    size_t n = strlen(out->base);
    while (n > 0 && out->base[n - 1] == '/')
        out->base[--n] = '\0';
    /* the default port is not part of the Host header */
    size_t h = strlen(out->host);
    if ((strcmp(out->scheme, "https") == 0 && h > 4 && strcmp(out->host + h - 4, ":443") == 0) ||
        (strcmp(out->scheme, "http") == 0 && h > 3 && strcmp(out->host + h - 3, ":80") == 0))
        *strrchr(out->host, ':') = '\0';
    return *out->host != '\0';
}

static void aws_url_free(aws_url *u) {
    free(u->scheme);
    free(u->host);
    free(u->base);
}

void aws_request_signing_free(aws_signing *g) {
    free(g->host);
    free(g->path);
    free(g->query);
    free(g->signed_key);
}

void aws_request_sign(aws_signing *g, http_request *request) {
    aws_source *src = g->src;
    /* temporary credentials that near their expiry during a long refresh
     * are renewed here (a comparison when they are fresh); on failure the
     * request goes with the old ones and the service says why */
    char *renew_error = NULL;
    if (http_request_after_expired(request) && g->signed_key)
        aws_config_expire(&src->config, g->signed_key);
    if (!aws_config_refresh(&src->config, clock_now(), &renew_error))
        free(renew_error);
    aws_credentials *cred = &src->config.credentials;
    sigv4_header extra[4];
    size_t n_extra = 0;
    bool s3 = strcmp(g->service, "s3") == 0;
    if (g->target) {
        extra[n_extra++] = (sigv4_header){
            "Content-Type", g->content_type ? g->content_type : "application/x-amz-json-1.1"};
        extra[n_extra++] = (sigv4_header){"X-Amz-Target", g->target};
    }
    if (g->copy_source)
        extra[n_extra++] = (sigv4_header){"x-amz-copy-source", g->copy_source};
    if (g->copy_range)
        extra[n_extra++] = (sigv4_header){"x-amz-copy-source-range", g->copy_range};
    sigv4_request r = {
        .method = request->method,
        .host = g->host,
        .path = g->path,
        .query = g->query,
        .headers = extra,
        .n_headers = n_extra,
        .payload = g->body,
        .payload_length = g->body_length,
    };
    sigv4_credentials c = {cred->access_key_id, cred->secret_access_key, cred->session_token};
    sigv4_params p = {.region = src->config.region,
                      .service = g->service,
                      .time = clock_now() + http_client_clock_offset(src->http),
                      .s3 = s3};
    sigv4_result out;
    char *error = NULL;
    if (!c.access_key_id || !sigv4_sign(&r, &c, &p, &out, &error)) {
        free(error); /* the request goes unsigned and fails with the server's reason */
        return;
    }
    free(g->signed_key);
    g->signed_key = xstrdup(c.access_key_id);
    http_request_set_header(request, "Host", g->host);
    http_request_set_header(request, "X-Amz-Date", out.amz_date);
    if (s3)
        http_request_set_header(request, "X-Amz-Content-SHA256", out.content_sha256);
    if (cred->session_token)
        http_request_set_header(request, "X-Amz-Security-Token", cred->session_token);
    for (size_t i = 0; i < n_extra; i++)
        http_request_set_header(request, extra[i].name, extra[i].value);
    http_request_set_header(request, "Authorization", out.authorization);
    sigv4_result_free(&out);
}

/* ---- the JSON protocol: Glue and Athena ----------------------------------- */

/* What a JSON call is for: Athena; Step Functions and Glue's job
 * operations the pipeline; the rest of Glue the catalog. */
static http_kind aws_request_kind(const char *service, const char *target) {
    if (strcmp(service, "athena") == 0)
        return HTTP_KIND_ATHENA;
    if (strcmp(service, "states") == 0)
        return HTTP_KIND_PIPELINE;
    static const char *const jobs[] = {"AWSGlue.GetJobs", "AWSGlue.GetJobRuns", "AWSGlue.GetJobRun",
                                       "AWSGlue.StartJobRun", "AWSGlue.GetTriggers"};
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs; i++)
        if (strcmp(target, jobs[i]) == 0)
            return HTTP_KIND_PIPELINE;
    return HTTP_KIND_CATALOG;
}

void aws_request_json_send(aws_source *src, const char *endpoint, const char *service,
                           aws_signing *sign, const char *target, const char *body,
                           void (*prepare)(void *, http_request *, int),
                           void (*done)(void *, const http_response *), void *ctx,
                           bool background) {
    aws_url u = {0};
    aws_url_parse(endpoint, &u);
    *sign = (aws_signing){.src = src,
                          .service = service,
                          .host = xstrdup(u.host),
                          .path = xasprintf("%s/", u.base),
                          .target = target,
                          /* Step Functions speaks JSON 1.0 */
                          .content_type =
                              strcmp(service, "states") == 0 ? "application/x-amz-json-1.0" : NULL,
                          .body = body,
                          .body_length = strlen(body)};
    char *url = xasprintf("%s://%s%s/", u.scheme, u.host, u.base);
    http_request_spec spec = {.method = "POST",
                              .url = url,
                              .body = body,
                              .body_length = strlen(body),
                              .prepare = prepare,
                              .on_done = done,
                              .ctx = ctx,
                              .background = background,
                              .operation = strchr(target, '.') ? strchr(target, '.') + 1 : target,
                              .kind = aws_request_kind(service, target)};
    http_client_submit(src->http, &spec);
    free(url);
    aws_url_free(&u);
}

void aws_request_glue_send(aws_source *src, aws_signing *sign, const char *target, const char *body,
                           void (*prepare)(void *, http_request *, int),
                           void (*done)(void *, const http_response *), void *ctx,
                           bool background) {
    aws_request_json_send(src, src->config.endpoint_glue, "glue", sign, target, body, prepare, done,
                          ctx, background);
}

/* One call waited for: the answer, parsed, or why there is none. */
typedef struct aws_one_call {
    aws_signing sign;
    char *target;
    char *body;
    json_object *out; /* the answer, or NULL */
    char *error;
    bool retryable; /* the failure could be mended by a later round */
    bool answered;  /* the failure came with a status */
} aws_one_call;

static void aws_one_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((aws_one_call *)ctx)->sign, request);
}

static void aws_one_done(void *ctx, const http_response *response) {
    aws_one_call *c = ctx;
    if (response->error) {
        c->error = xstrdup(response->error);
        c->retryable = aws_rounds_retryable(response);
        c->answered = response->status != 0;
        return;
    }
    c->out = json_tokener_parse(response->body);
    if (!c->out || !json_object_is_type(c->out, json_type_object)) {
        json_object_put(c->out);
        c->out = NULL;
        c->error = xstrdup("the answer is not a JSON object");
    }
}

/* One JSON-protocol call to Glue or Athena, run to its end; *out gets the
 * answer (may be NULL when not wanted); on a failure, *retryable (may be
 * NULL) says whether a later round could mend it, *answered whether the
 * endpoint answered at all. */
static bool aws_json_one(aws_source *src, const char *endpoint, const char *service,
                         const char *prefix, const char *label, const char *operation,
                         json_object *input, json_object **out, char **error, bool *retryable,
                         bool *answered) {
    if (aws_config_refused(&src->options.request, label, operation, NULL, error)) {
        if (retryable)
            *retryable = false;
        if (answered)
            *answered = false;
        return false; /* --read-only: a write never leaves */
    }
    aws_one_call c = {.target = xasprintf("%s.%s", prefix, operation),
                      .body =
                          xstrdup(json_object_to_json_string_ext(input, JSON_C_TO_STRING_PLAIN))};
    aws_request_json_send(src, endpoint, service, &c.sign, c.target, c.body, aws_one_prepare,
                          aws_one_done, &c, false);
    http_client_run(src->http, NULL);
    bool ok = c.out != NULL;
    if (!ok)
        *error = xasprintf("%s %s: %s", label, operation, c.error ? c.error : "no answer");
    if (retryable)
        *retryable = !ok && c.retryable;
    if (answered)
        *answered = c.answered;
    if (out && ok)
        *out = c.out;
    else
        json_object_put(c.out);
    free(c.error);
    aws_request_signing_free(&c.sign);
    free(c.target);
    free(c.body);
    return ok;
}

bool aws_request_glue_one(aws_source *src, const char *operation, json_object *input,
                          json_object **out, char **error) {
    return aws_json_one(src, src->config.endpoint_glue, "glue", "AWSGlue", "Glue", operation, input,
                        out, error, NULL, NULL);
}

bool aws_request_states_one(aws_source *src, const char *operation, json_object *input,
                            json_object **out, char **error) {
    return aws_json_one(src, src->config.endpoint_states, "states", "AWSStepFunctions",
                        "Step Functions", operation, input, out, error, NULL, NULL);
}

bool aws_request_athena_one(aws_source *src, const char *operation, json_object *input,
                            json_object **out, char **error) {
    /* the inventory's Athena calls run one after another, after the scan:
     * a call that failed its attempts gets its rounds at once (aws_rounds.h) */
    int64_t started = clock_monotonic_ms();
    uint64_t random = aws_rounds_random_seed();
    for (int round = 1;; round++) {
        bool retryable = false, answered = false;
        if (aws_json_one(src, src->config.endpoint_athena, "athena", "AmazonAthena", "Athena",
                         operation, input, out, error, &retryable, &answered))
            return true;
        /* the first round is tried whatever the failure: the scan before
         * it was answered */
        int64_t delay =
            retryable
                ? aws_rounds_delay_ms(round, clock_monotonic_ms() - started, answered || round == 1,
                                      src->options.retry_base_ms, aws_rounds_random01(&random))
                : -1;
        if (delay < 0)
            return false;
        aws_rounds_sleep(delay, src->stop);
        if (src->stop && __atomic_load_n(src->stop, __ATOMIC_RELAXED))
            return false; /* with the last failure */
        free(*error);
        *error = NULL;
    }
}

/* ---- S3 ------------------------------------------------------------------ */

char *aws_request_s3_address(aws_source *src, const char *bucket, const char *key,
                             const char *query, aws_signing *sign) {
    aws_url u = {0};
    aws_url_parse(src->config.endpoint_s3, &u);
    char *bucket_enc = sigv4_uri_encode(bucket, strlen(bucket), false);
    char *key_enc = key ? sigv4_uri_encode(key, strlen(key), true) : NULL;
    bool path_style = src->config.path_style || strchr(bucket, '.');
    char *host = path_style ? xstrdup(u.host) : xasprintf("%s.%s", bucket, u.host);
    char *path =
        path_style ? xasprintf("%s/%s%s%s", u.base, bucket_enc, key ? "/" : "", key ? key_enc : "")
                   : xasprintf("%s/%s", u.base, key ? key_enc : "");
    char *url = query && *query ? xasprintf("%s://%s%s?%s", u.scheme, host, path, query)
                                : xasprintf("%s://%s%s", u.scheme, host, path);
    sign->src = src;
    sign->service = "s3";
    sign->host = host;
    sign->path = path;
    sign->query = query && *query ? xstrdup(query) : NULL;
    free(bucket_enc);
    free(key_enc);
    aws_url_free(&u);
    return url;
}

/* Appends "&key=value" (value URI-encoded) to a query being built. */
static void aws_query_add(char **query, const char *key, const char *value) {
    char *enc = sigv4_uri_encode(value, strlen(value), false);
    char *next =
        *query && **query ? xasprintf("%s&%s=%s", *query, key, enc) : xasprintf("%s=%s", key, enc);
    free(enc);
    free(*query);
    *query = next;
}

char *aws_request_list_query(const char *token, bool delimiter, const char *prefix,
                             const char *start_after, int64_t max_keys) {
    /* parameters in sorted order, as signed */
    char *query = NULL;
    if (token)
        aws_query_add(&query, "continuation-token", token);
    if (delimiter)
        aws_query_add(&query, "delimiter", "/");
    aws_query_add(&query, "encoding-type", "url");
    aws_query_add(&query, "list-type", "2");
    if (max_keys > 0) {
        char number[24];
        snprintf(number, sizeof number, "%lld", (long long)max_keys);
        aws_query_add(&query, "max-keys", number);
    }
    aws_query_add(&query, "prefix", prefix);
    if (start_after)
        aws_query_add(&query, "start-after", start_after);
    return query;
}

static void aws_s3_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((aws_s3_call *)ctx)->sign, request);
}

static void aws_s3_done(void *ctx, const http_response *response) {
    aws_s3_call *c = ctx;
    c->status = response->status;
    if (response->error)
        c->error = xstrdup(response->error);
    else
        c->body = xstrdup(response->body ? response->body : "");
    if (!response->error && c->done) {
        (*c->done)++;
        if (c->progress)
            c->progress(c->ctx, *c->done);
    }
}

/* The S3 operation of a request, for messages (the answer is checked). */
static const char *aws_s3_operation(const char *method, const char *key, const char *query,
                                    const aws_s3_call *c) {
    bool q_upload = query && strstr(query, "uploadId=");
    if (strcmp(method, "GET") == 0)
        return key ? "GetObject" : "ListObjectsV2";
    if (strcmp(method, "PUT") == 0 && c->sign.copy_source)
        return q_upload ? "UploadPartCopy" : "CopyObject";
    if (strcmp(method, "PUT") == 0)
        return q_upload ? "UploadPart" : "PutObject";
    if (strcmp(method, "POST") == 0)
        return q_upload ? "CompleteMultipartUpload" : "CreateMultipartUpload";
    if (strcmp(method, "DELETE") == 0)
        return "DeleteObject";
    return method;
}

void aws_request_s3_submit(aws_source *src, aws_s3_call *c, const char *method, const char *bucket,
                           const char *key, const char *query, const char *body) {
    aws_request_s3_submit_n(src, c, method, bucket, key, query, body, body ? strlen(body) : 0);
}

void aws_request_s3_submit_n(aws_source *src, aws_s3_call *c, const char *method,
                             const char *bucket, const char *key, const char *query,
                             const char *body, size_t body_length) {
    char *url = aws_request_s3_address(src, bucket, key, query, &c->sign);
    char *where = xasprintf("s3://%s/%s", bucket, key ? key : "");
    bool refused = aws_config_refused(&src->options.request, "S3", method, where, &c->error);
    free(where);
    if (refused) { /* --read-only: a write never leaves; the call ends unsent */
        free(url);
        return;
    }
    c->sign.body = body ? body : "";
    c->sign.body_length = body ? body_length : 0;
    http_request_spec spec = {.method = method,
                              .url = url,
                              .body = body,
                              .body_length = body ? body_length : 0,
                              .borrow_body =
                                  true, /* the signer reads it too: it outlives the call */
                              .prepare = aws_s3_prepare,
                              .on_done = aws_s3_done,
                              .ctx = c,
                              /* the answer is checked (an object's bytes are streamed by
                               * aws_object_store.c's own GetObject, which checks them itself) */
                              .operation = aws_s3_operation(method, key, query, c),
                              /* S3's tiers: DELETE is free, a GET of an object is a
                               * GET, the rest (LIST, PUT, COPY, POST) a LIST */
                              .billing = strcmp(method, "DELETE") == 0       ? HTTP_BILL_NONE
                                         : strcmp(method, "GET") == 0 && key ? HTTP_BILL_S3_GET
                                                                             : HTTP_BILL_S3_LIST,
                              .kind = strcmp(method, "GET") != 0 ? HTTP_KIND_NONE
                                      : key                      ? HTTP_KIND_METADATA
                                                                 : HTTP_KIND_LISTING};
    http_client_submit(src->http, &spec);
    free(url);
}

void aws_request_s3_call_clear(aws_s3_call *c) {
    aws_request_signing_free(&c->sign);
    free(c->body);
    free(c->error);
}
