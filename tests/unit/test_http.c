/* test_http.c: the pure parts of the HTTP layer: which answers are retried,
 * AWS error bodies, HTTP dates, backoff bounds; and a real round of
 * retries against a tiny local server (a thread on 127.0.0.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector/aws/http.h"
#include "collector/aws/http_retry.h"
#include "common/xalloc.h"

static void test_classify(void **state) {
    (void)state;
    assert_int_equal(http_retry_classify(400, "ThrottlingException", false), HTTP_RETRY_THROTTLE);
    assert_int_equal(http_retry_classify(503, "SlowDown", false), HTTP_RETRY_THROTTLE);
    assert_int_equal(http_retry_classify(429, NULL, false), HTTP_RETRY_THROTTLE);
    assert_int_equal(http_retry_classify(500, NULL, false), HTTP_RETRY_TRANSIENT);
    assert_int_equal(http_retry_classify(502, NULL, false), HTTP_RETRY_TRANSIENT);
    assert_int_equal(http_retry_classify(504, NULL, false), HTTP_RETRY_TRANSIENT);
    assert_int_equal(http_retry_classify(0, NULL, true), HTTP_RETRY_TRANSIENT);
    assert_int_equal(http_retry_classify(403, "RequestTimeTooSkewed", false), HTTP_RETRY_SKEW);
    assert_int_equal(http_retry_classify(400, "ExpiredToken", false), HTTP_RETRY_EXPIRED);
    assert_int_equal(http_retry_classify(400, "ExpiredTokenException", false), HTTP_RETRY_EXPIRED);
    assert_int_equal(http_retry_classify(403, "ExpiredToken", false), HTTP_RETRY_EXPIRED);
    assert_int_equal(http_retry_classify(500, "ExpiredToken", false), HTTP_NO_RETRY);
    assert_int_equal(http_retry_classify(403, "AccessDenied", false), HTTP_NO_RETRY);
    assert_int_equal(http_retry_classify(404, "NoSuchBucket", false), HTTP_NO_RETRY);
    assert_int_equal(http_retry_classify(400, "EntityNotFoundException", false), HTTP_NO_RETRY);
    assert_int_equal(http_retry_classify(501, NULL, false), HTTP_NO_RETRY);
}

static void test_parse_error(void **state) {
    (void)state;
    char *code, *message;
    const char *xml = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>"
                      "<Message>Access Denied</Message></Error>";
    http_retry_parse_error(xml, strlen(xml), &code, &message);
    assert_string_equal(code, "AccessDenied");
    assert_string_equal(message, "Access Denied");
    free(code);
    free(message);
    const char *json = "{\"__type\":\"com.amazonaws.glue#EntityNotFoundException\","
                       "\"message\":\"Database x not found.\"}";
    http_retry_parse_error(json, strlen(json), &code, &message);
    assert_string_equal(code, "EntityNotFoundException");
    assert_string_equal(message, "Database x not found.");
    free(code);
    free(message);
    const char *odd = "{\"__type\": \"ThrottlingException:http://internal\", \"Message\": \"x\"}";
    http_retry_parse_error(odd, strlen(odd), &code, &message);
    assert_string_equal(code, "ThrottlingException");
    assert_string_equal(message, "x");
    free(code);
    free(message);
    http_retry_parse_error("garbage", 7, &code, &message);
    assert_null(code);
    assert_null(message);
    http_retry_parse_error("{\"__type\": \"unterminated", 24, &code, &message);
    assert_null(code);
}

static void test_date_and_backoff(void **state) {
    (void)state;
    assert_int_equal(http_retry_parse_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    assert_int_equal(http_retry_parse_date("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
    assert_int_equal(http_retry_parse_date("yesterday"), -1);
    for (int attempt = 2; attempt < 12; attempt++) {
        int64_t cap = attempt - 1 >= 5 ? 20000 : (1 << (attempt - 1)) * 1000;
        assert_int_equal(http_retry_backoff_ms(attempt, 1000, 0.0), 0);
        assert_true(http_retry_backoff_ms(attempt, 1000, 0.999) <= cap);
        assert_true(http_retry_backoff_ms(attempt, 1000, 0.999) >= cap * 9 / 10);
    }
}

/* A server that answers the first `fail` requests with a throttling error,
 * then 200 with a body: ok_body, or big_body bytes of JSON (without a
 * Content-Length when big_unannounced: read until the connection closes).
 * The test thread changes fail, served and big_body only between runs. */
typedef struct server {
    int fd;
    int port;
    int fail;
    int served;
    const char *ok_body;
    const char *fail_body; /* NULL: a throttling error */
    size_t big_body;
    bool big_unannounced;
} server;

/* Writes `bytes` of a JSON object ({"x":"aaa..."}) in chunks. */
static bool server_write_big(int c, size_t bytes) {
    static char chunk[65536];
    memset(chunk, 'a', sizeof chunk);
    size_t sent = 0;
    while (sent < bytes) {
        const char *p = chunk;
        size_t n = bytes - sent < sizeof chunk ? bytes - sent : sizeof chunk;
        if (sent == 0) {
            p = "{\"x\":\"";
            n = 6;
        } else if (bytes - sent == 2) {
            p = "\"}";
        }
        if (bytes - sent > 2 && n > bytes - sent - 2)
            n = bytes - sent - 2;
        if (send(c, p, n, MSG_NOSIGNAL) != (ssize_t)n)
            return false;
        sent += n;
    }
    return true;
}

static void *server_main(void *arg) {
    server *s = arg;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        for (;;) { /* keep-alive: several requests per connection */
            char buf[8192];
            ssize_t got = 0, n;
            while ((n = read(c, buf + got, sizeof buf - 1 - (size_t)got)) > 0) {
                got += n;
                buf[got] = '\0';
                if (strstr(buf, "\r\n\r\n"))
                    break;
            }
            if (n <= 0 && got == 0)
                break;
            if (strncmp(buf, "QUIT", 4) == 0) {
                close(c);
                return NULL;
            }
            char reply[1024];
            int served = __atomic_fetch_add(&s->served, 1, __ATOMIC_SEQ_CST);
            size_t big = __atomic_load_n(&s->big_body, __ATOMIC_SEQ_CST);
            if (served >= __atomic_load_n(&s->fail, __ATOMIC_SEQ_CST) && big) {
                if (s->big_unannounced)
                    snprintf(reply, sizeof reply, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                else
                    snprintf(reply, sizeof reply, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
                             big);
                if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0 || !server_write_big(c, big) ||
                    s->big_unannounced)
                    break;
                continue;
            }
            if (served < s->fail) {
                const char *body =
                    s->fail_body ? s->fail_body
                                 : "{\"__type\":\"ThrottlingException\",\"message\":\"slow down\"}";
                snprintf(reply, sizeof reply,
                         "HTTP/1.1 400 Bad Request\r\nContent-Length: %zu\r\n"
                         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n%s",
                         strlen(body), body);
            } else {
                snprintf(reply, sizeof reply, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s",
                         strlen(s->ok_body), s->ok_body);
            }
            if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0)
                break;
        }
        close(c);
    }
}

typedef struct result {
    long status;
    int attempts;
    char body[256];
    char error[256];
    char streamed[256];
    int prepared;
    bool after_expired[4]; /* what each attempt's prepare was told */
} result;

static void on_prepare(void *ctx, http_request *r, int attempt) {
    result *res = ctx;
    res->prepared = attempt;
    if (attempt < 4)
        res->after_expired[attempt] = http_request_after_expired(r);
    http_request_set_header(r, "X-Attempt", attempt == 1 ? "1" : "n");
}

static bool on_data(void *ctx, const char *data, size_t length) {
    result *res = ctx;
    strncat(res->streamed, data, length < 200 ? length : 200);
    return true;
}

static void on_attempt(void *ctx) {
    result *res = ctx;
    res->streamed[0] = '\0';
}

static void on_done(void *ctx, const http_response *response) {
    result *res = ctx;
    res->status = response->status;
    res->attempts = response->attempts;
    snprintf(res->body, sizeof res->body, "%s", response->body ? response->body : "");
    snprintf(res->error, sizeof res->error, "%s", response->error ? response->error : "");
}

typedef struct big_result {
    long status;
    size_t length;
    bool whole_json; /* starts with '{' and ends with '}' */
    char *error;
} big_result;

static void on_done_big(void *ctx, const http_response *response) {
    big_result *res = ctx;
    res->status = response->status;
    res->length = response->body_length;
    res->whole_json = response->body_length >= 2 && response->body[0] == '{' &&
                      response->body[response->body_length - 1] == '}';
    res->error = response->error ? xstrdup(response->error) : NULL;
}

static void run_against(server *s, int max_attempts, result *res) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s->port);
    http_options o = {.max_attempts = max_attempts, .retry_base_ms = 5};
    http_client *c = http_client_new(&o);
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = on_prepare,
                              .on_data = on_data,
                              .on_attempt = on_attempt,
                              .on_done = on_done,
                              .ctx = res};
    http_client_submit(c, &spec);
    http_client_run(c, NULL);
    http_client_free(c);
}

static void server_start(server *s, pthread_t *t) {
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &len);
    s->port = ntohs(a.sin_port);
    listen(s->fd, 64);
    pthread_create(t, NULL, server_main, s);
}

static void server_stop(server *s, pthread_t t) {
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)s->port)};
    int q = socket(AF_INET, SOCK_STREAM, 0);
    connect(q, (struct sockaddr *)&a, sizeof a);
    assert_true(write(q, "QUIT\r\n\r\n", 8) == 8);
    close(q);
    pthread_join(t, NULL);
    close(s->fd);
}

static void test_retries(void **state) {
    (void)state;
    server s = {.fail = 2, .ok_body = "hello"};
    pthread_t t;
    server_start(&s, &t);

    /* two throttles, then success on the third attempt */
    result r = {0};
    run_against(&s, 3, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 3);
    assert_int_equal(r.prepared, 3); /* signed again for every attempt */
    assert_string_equal(r.streamed, "hello");
    assert_string_equal(r.error, "");

    /* out of attempts: the error names the code */
    s.served = 0;
    result r2 = {0};
    run_against(&s, 2, &r2);
    assert_int_equal(r2.status, 400);
    assert_int_equal(r2.attempts, 2);
    assert_non_null(strstr(r2.error, "ThrottlingException"));
    assert_non_null(strstr(r2.error, "slow down"));

    /* nothing listening: a transport error after the attempts */
    server dead = {.port = 1};
    result r3 = {0};
    run_against(&dead, 2, &r3);
    assert_int_equal(r3.status, 0);
    assert_int_equal(r3.attempts, 2);
    assert_true(strlen(r3.error) > 0);

    server_stop(&s, t);
}

/* Submits n GETs on a long-lived client and runs them to their end. */
static void run_many(http_client *c, const server *s, int n) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s->port);
    result *results = xcalloc((size_t)n, sizeof *results);
    for (int i = 0; i < n; i++) {
        http_request_spec spec = {
            .method = "GET", .url = url, .on_done = on_done, .ctx = &results[i]};
        http_client_submit(c, &spec);
    }
    http_client_run(c, NULL);
    free(results);
}

static void server_set(server *s, int fail) {
    __atomic_store_n(&s->served, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->fail, fail, __ATOMIC_SEQ_CST);
}

/* Credentials refused as expired: sent again once, at once, and the
 * prepare of that attempt is told so (the signer renews them); a second
 * refusal ends the request with the service's reason. */
static void test_expired_credentials(void **state) {
    (void)state;
    server s = {.fail = 1,
                .ok_body = "fine",
                .fail_body = "{\"__type\":\"ExpiredTokenException\","
                             "\"message\":\"The security token included in the request is "
                             "expired\"}"};
    pthread_t t;
    server_start(&s, &t);
    result r = {0};
    run_against(&s, 3, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 2);
    assert_false(r.after_expired[1]);
    assert_true(r.after_expired[2]);
    assert_string_equal(r.streamed, "fine");

    server_set(&s, 3); /* still refused once renewed: no third attempt */
    result r2 = {0};
    run_against(&s, 3, &r2);
    assert_int_equal(r2.status, 400);
    assert_int_equal(r2.attempts, 2);
    assert_non_null(strstr(r2.error, "ExpiredTokenException"));
    server_stop(&s, t);
}

/* The retry quota of a long-lived client (a dashboard's): a burst of
 * throttling drains it, successes fill it again, and retries come back. */
static void test_retry_quota_refills(void **state) {
    (void)state;
    server s = {.ok_body = "{}"};
    pthread_t t;
    server_start(&s, &t);
    http_options o = {.max_attempts = 2,
                      .retry_base_ms = 1,
                      .max_in_flight = 1}; /* the server serves one connection at a time */
    http_client *c = http_client_new(&o);
    assert_int_equal(http_client_stats(c).retry_quota, 500);

    /* a success after one retry gives that retry's cost (5) back */
    server_set(&s, 1);
    run_many(c, &s, 1);
    assert_int_equal(http_client_stats(c).retries, 1);
    assert_int_equal(http_client_stats(c).retry_quota, 500);

    /* the burst: every answer throttles; 100 retries of 5 drain 500 */
    server_set(&s, 1000000);
    run_many(c, &s, 120);
    http_stats drained = http_client_stats(c);
    assert_int_equal(drained.retries, 1 + 100);
    assert_true(drained.retry_quota < 5);
    run_many(c, &s, 10); /* drained: no retry at all */
    assert_int_equal(http_client_stats(c).retries, drained.retries);

    /* after it: successes without a retry give 1 each, up to 500 */
    server_set(&s, 0);
    run_many(c, &s, 600);
    assert_int_equal(http_client_stats(c).retry_quota, 500);
    assert_int_equal(http_client_stats(c).retries, drained.retries);

    /* so the next throttled requests are retried again */
    server_set(&s, 1000000);
    run_many(c, &s, 10);
    assert_int_equal(http_client_stats(c).retries, drained.retries + 10);
    assert_int_equal(http_client_stats(c).retry_quota, 450);

    http_client_free(c);
    server_stop(&s, t);
}

/* One kept (not streamed) GET of the server's big body. */
static void run_kept(const server *s, long *status, size_t *length, char **error) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s->port);
    http_options o = {.max_attempts = 3, .retry_base_ms = 1, .max_in_flight = 1};
    http_client *c = http_client_new(&o);
    big_result big = {0};
    http_request_spec spec = {.method = "GET", .url = url, .on_done = on_done_big, .ctx = &big};
    http_client_submit(c, &spec);
    http_client_run(c, NULL);
    http_client_free(c);
    *status = big.status;
    *length = big.length;
    *error = big.error;
    assert_true(big.whole_json || big.length == 0);
}

/* Glue answers (kept bodies) of several MiB are kept whole; one past
 * HTTP_KEEP_BODY_MAX is an error naming the bound, never a cut body. */
static void test_big_bodies(void **state) {
    (void)state;
    server s = {.ok_body = "{}", .big_body = (size_t)3 << 20};
    pthread_t t;
    server_start(&s, &t);
    long status;
    size_t length;
    char *error;
    run_kept(&s, &status, &length, &error);
    assert_int_equal(status, 200);
    assert_null(error);
    assert_int_equal(length, (size_t)3 << 20);

    __atomic_store_n(&s.big_body, HTTP_KEEP_BODY_MAX + 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&s.served, 0, __ATOMIC_SEQ_CST);
    run_kept(&s, &status, &length, &error);
    assert_non_null(error);
    assert_non_null(strstr(error, "64 MiB"));
    assert_int_equal(length, 0);
    assert_int_equal(__atomic_load_n(&s.served, __ATOMIC_SEQ_CST), 1); /* not retried */
    free(error);
    server_stop(&s, t);

    /* the same without a Content-Length: found as the bytes come */
    server u = {.ok_body = "{}", .big_body = HTTP_KEEP_BODY_MAX + 1, .big_unannounced = true};
    server_start(&u, &t);
    run_kept(&u, &status, &length, &error);
    assert_non_null(error);
    assert_non_null(strstr(error, "64 MiB"));
    assert_int_equal(length, 0);
    free(error);
    __atomic_store_n(&u.big_body, (size_t)3 << 20, __ATOMIC_SEQ_CST);
    run_kept(&u, &status, &length, &error);
    assert_null(error);
    assert_int_equal(length, (size_t)3 << 20);
    server_stop(&u, t);
}

/* One request naming `operation` (NULL: data), streamed or kept, against s. */
static void run_checked(server *s, const char *operation, bool streamed, result *res) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", s->port);
    http_options o = {.max_attempts = 3, .retry_base_ms = 5};
    http_client *c = http_client_new(&o);
    memset(res, 0, sizeof *res);
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = on_prepare,
                              .on_data = streamed ? on_data : NULL,
                              .on_attempt = on_attempt,
                              .on_done = on_done,
                              .ctx = res,
                              .operation = operation};
    http_client_submit(c, &spec);
    http_client_run(c, NULL);
    http_client_free(c);
}

/* An <Error> inside a 200: its code and message, retried only when the
 * code is; an HTML page and a cut XML answer are retried; a request that
 * names no operation takes the body as data. */
static void test_errors_inside_200(void **state) {
    (void)state;
    pthread_t t;
    server s = {.ok_body = "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code>"
                           "<Message>Access Denied</Message></Error>"};
    server_start(&s, &t);
    result res;
    run_checked(&s, "CopyObject", false, &res);
    assert_string_equal(res.error,
                        "AccessDenied (inside an HTTP 200 answer to CopyObject): Access Denied");
    assert_int_equal(res.attempts, 1); /* not a code that is retried */
    run_checked(&s, NULL, false, &res);
    assert_string_equal(res.error, ""); /* data: an object may hold anything */
    assert_non_null(strstr(res.body, "<Code>AccessDenied</Code>"));
    server_stop(&s, t);

    server u = {.ok_body = "<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>"};
    server_start(&u, &t);
    run_checked(&u, "ListObjectsV2", true, &res);
    assert_string_equal(res.error, "SlowDown (inside an HTTP 200 answer to ListObjectsV2): Reduce");
    assert_int_equal(res.attempts, 3);
    assert_string_equal(res.streamed, ""); /* never handed to the listing's parser */
    server_stop(&u, t);

    server h = {.ok_body = "<html><head><title>Login</title></head></html>"};
    server_start(&h, &t);
    run_checked(&h, "GetTables", false, &res);
    assert_non_null(strstr(res.error, "the answer to GetTables is not XML or JSON: an HTML page "
                                      "titled \"Login\""));
    assert_int_equal(res.attempts, 3);
    server_stop(&h, t);

    server x = {.ok_body = "<ListBucketResult><Contents><Key>a</Key></Contents></ListBu"};
    server_start(&x, &t);
    run_checked(&x, "ListObjectsV2", true, &res);
    assert_non_null(strstr(res.error, "is not XML: it ends before its </ListBucketResult>"));
    assert_int_equal(res.attempts, 3);
    server_stop(&x, t);

    server w = {.ok_body =
                    "<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>"};
    server_start(&w, &t);
    run_checked(&w, "ListObjectsV2", true, &res);
    assert_string_equal(res.error, "");
    assert_string_equal(res.streamed, w.ok_body); /* a whole answer is streamed whole */
    server_stop(&w, t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_parse_error),
        cmocka_unit_test(test_date_and_backoff),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_retry_quota_refills),
        cmocka_unit_test(test_expired_credentials),
        cmocka_unit_test(test_big_bodies),
        cmocka_unit_test(test_errors_inside_200),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
