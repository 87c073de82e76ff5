/* http.c: libcurl multi driver with AWS standard-mode retries. */
#include "collector/aws/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "collector/aws/http_answer.h"
#include "collector/aws/http_retry.h"

/* An error answer (non-2xx) only needs its code and message. */
#define HTTP_KEEP_ERROR_MAX ((size_t)1 << 20)
/* The standard retry mode's token bucket: a retry takes COST (TIMEOUT_COST
 * after a transport error); a success gives back the cost of the retry
 * that led to it, or NO_RETRY_INCREMENT when it needed none; never above
 * the initial QUOTA. */
#define HTTP_RETRY_QUOTA 500
#define HTTP_RETRY_COST 5
#define HTTP_RETRY_TIMEOUT_COST 10
#define HTTP_NO_RETRY_INCREMENT 1

struct http_client {
    http_options options;
    CURLM *multi;
    http_request *queue; /* waiting to start, FIFO */
    http_request *queue_tail;
    http_request *background; /* low priority, FIFO */
    http_request *background_tail;
    http_request *delayed; /* waiting for a retry backoff */
    http_request *running; /* attempts in curl's hands */
    int in_flight;
    int retry_quota;
    int64_t clock_offset;
    http_stats stats;
    uint64_t random_state;
};

static bool http_global_ready;
/* LAKETOP_HTTP_TRACE=FILE: one line per attempt (start and end in ms since
 * the client was made, status, URL), to see how requests overlap. */
static FILE *http_trace;
static int64_t http_trace_epoch;

http_client *http_client_new(const http_options *options) {
    if (!http_global_ready) {
        /* The collector calls this before it starts any other thread of its
         * own; curl_global_init is not thread-safe. */
        curl_global_init(CURL_GLOBAL_DEFAULT);
        http_global_ready = true;
    }
    http_client *c = xcalloc(1, sizeof *c);
    c->options = *options;
    if (c->options.max_in_flight <= 0)
        c->options.max_in_flight = 32;
    if (c->options.max_attempts <= 0)
        c->options.max_attempts = 3;
    if (c->options.connect_timeout_ms <= 0)
        c->options.connect_timeout_ms = 5000;
    if (c->options.timeout_ms <= 0)
        c->options.timeout_ms = 120000;
    if (c->options.retry_base_ms <= 0)
        c->options.retry_base_ms = 1000;
    c->multi = curl_multi_init();
    if (!c->multi)
        xfatal("curl_multi_init failed");
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->options.max_in_flight);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)c->options.max_in_flight);
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->options.max_in_flight);
    c->retry_quota = HTTP_RETRY_QUOTA;
    const char *trace = getenv("LAKETOP_HTTP_TRACE");
    if (trace && !http_trace) {
        http_trace = fopen(trace, "a");
        http_trace_epoch = clock_monotonic_ms();
    }
    c->random_state = (uint64_t)clock_monotonic_ms() * 0x9E3779B97F4A7C15ULL + 1;
    return c;
}

static double http_random01(http_client *c) {
    uint64_t x = c->random_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->random_state = x;
    return (double)(x >> 11) / (double)(1ULL << 53);
}

static void http_request_free(http_request *r) {
    http_request_clear_headers(r);
    free(r->headers);
    free(r->method);
    free(r->url);
    if (!r->spec.borrow_body)
        free(r->body);
    free(r->response.body);
    free(r->response.error);
    free(r->response.error_code);
    free(r->check);
    if (r->slist)
        curl_slist_free_all(r->slist);
    free(r);
}

void http_client_free(http_client *c) {
    if (!c)
        return;
    /* run() leaves nothing queued; free defensively anyway */
    while (c->queue) {
        http_request *r = c->queue;
        c->queue = r->next;
        http_request_free(r);
    }
    while (c->background) {
        http_request *r = c->background;
        c->background = r->next;
        http_request_free(r);
    }
    while (c->delayed) {
        http_request *r = c->delayed;
        c->delayed = r->next;
        http_request_free(r);
    }
    curl_multi_cleanup(c->multi);
    free(c);
}

void http_request_clear_headers(http_request *r) {
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    r->n_headers = 0;
}

bool http_request_after_expired(const http_request *r) {
    return r->after_expired;
}

void http_request_set_header(http_request *r, const char *name, const char *value) {
    for (size_t i = 0; i < r->n_headers; i++) {
        if (strcasecmp(r->headers[i].name, name) == 0) {
            free(r->headers[i].value);
            r->headers[i].value = xstrdup(value);
            return;
        }
    }
    r->headers = xgrow(r->headers, &r->cap_headers, r->n_headers + 1, sizeof *r->headers);
    r->headers[r->n_headers].name = xstrdup(name);
    r->headers[r->n_headers].value = xstrdup(value);
    r->n_headers++;
}

void http_client_submit(http_client *c, const http_request_spec *spec) {
    http_request *r = xcalloc(1, sizeof *r);
    r->spec = *spec;
    r->method = xstrdup(spec->method);
    r->url = xstrdup(spec->url);
    if (spec->body_length && spec->borrow_body) {
        r->body = (char *)spec->body;
        r->body_length = spec->body_length;
    } else if (spec->body_length) {
        r->body = xmalloc(spec->body_length);
        memcpy(r->body, spec->body, spec->body_length);
        r->body_length = spec->body_length;
    }
    r->response.server_date = -1;
    http_request **head = spec->background ? &c->background : &c->queue;
    http_request **tail = spec->background ? &c->background_tail : &c->queue_tail;
    if (*tail)
        (*tail)->next = r;
    else
        *head = r;
    *tail = r;
}

int http_client_idle_slots(const http_client *c) {
    int queued = 0;
    for (const http_request *r = c->queue; r; r = r->next)
        queued++;
    for (const http_request *r = c->delayed; r; r = r->next)
        queued++;
    int idle = c->options.max_in_flight - c->in_flight - queued;
    return idle > 0 ? idle : 0;
}

int64_t http_client_clock_offset(const http_client *c) {
    return c->clock_offset;
}

http_stats http_client_stats(const http_client *c) {
    http_stats s = c->stats;
    s.retry_quota = c->retry_quota;
    return s;
}

/* Keeps body bytes; false when a 2xx body passes HTTP_KEEP_BODY_MAX (the
 * request then fails with an error naming the bound). An error answer, or
 * a 2xx one that is not an answer (`as_error`), keeps its first 1 MiB. */
static bool http_keep(http_request *r, bool as_error, const char *data, size_t length) {
    size_t bound = as_error ? HTTP_KEEP_ERROR_MAX : HTTP_KEEP_BODY_MAX;
    if (length > bound - r->response.body_length) {
        if (!as_error) {
            r->too_big = true;
            return false;
        }
        length = bound - r->response.body_length; /* the code and message come first */
    }
    r->response.body =
        xgrow(r->response.body, &r->body_cap, r->response.body_length + length + 1, 1);
    memcpy(r->response.body + r->response.body_length, data, length);
    r->response.body_length += length;
    r->response.body[r->response.body_length] = '\0';
    return true;
}

/* Body bytes whose kind is known: streamed to on_data, or kept; a checked
 * answer's end noted. False aborts the transfer. */
static bool http_deliver(http_request *r, bool ok_answer, const char *data, size_t length) {
    http_answer *k = ok_answer ? r->check : NULL;
    if (k)
        http_answer_note(k, data, length);
    if (ok_answer && r->spec.on_data && !http_answer_diverted(k)) {
        r->streamed = true;
        if (!r->spec.on_data(r->spec.ctx, data, length)) {
            r->aborted = true;
            return false; /* makes curl fail the transfer */
        }
        return true;
    }
    return http_keep(r, !ok_answer || http_answer_diverted(k), data, length);
}

/* A checked answer's start: held back until its kind is known (`final`:
 * no more will come), then delivered. */
static bool http_check_head(http_request *r, const char *data, size_t length, bool final) {
    size_t take;
    if (!http_answer_take_head(r->check, data, length, final, &take))
        return true;
    return http_deliver(r, true, r->check->head, r->check->head_length) &&
           (take == length || http_deliver(r, true, data + take, length - take));
}

static size_t http_on_write(char *data, size_t size, size_t n, void *userp) {
    http_request *r = userp;
    size_t length = size * n;
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    bool ok_answer = status >= 200 && status < 300;
    if (ok_answer && r->spec.operation) {
        if (!r->check)
            r->check = xcalloc(1, sizeof *r->check);
        if (r->check->kind == HTTP_ANSWER_MORE)
            return http_check_head(r, data, length, false) ? length : 0;
    }
    return http_deliver(r, ok_answer, data, length) ? length : 0;
}

static size_t http_on_header(char *data, size_t size, size_t n, void *userp) {
    http_request *r = userp;
    size_t length = size * n;
    if (r->spec.on_header)
        r->spec.on_header(r->spec.ctx, data, length);
    if (length > 5 && strncasecmp(data, "date:", 5) == 0) {
        char value[128];
        size_t v = length - 5 < sizeof value - 1 ? length - 5 : sizeof value - 1;
        memcpy(value, data + 5, v);
        value[v] = '\0';
        char *p = value;
        while (*p == ' ')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
            *--e = '\0';
        r->response.server_date = http_retry_parse_date(p);
    } else if (length > 15 && strncasecmp(data, "content-length:", 15) == 0 && !r->spec.on_data) {
        /* A kept 2xx answer announced past the bound fails before any of
         * it is read (an answer without a length is checked as it comes). */
        long status = 0;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
        unsigned long long announced = strtoull(data + 15, NULL, 10);
        if (status >= 200 && status < 300 && announced > HTTP_KEEP_BODY_MAX) {
            r->too_big = true;
            return 0;
        }
    } else if (length > 17 && strncasecmp(data, "x-amzn-errortype:", 17) == 0) {
        char *p = data + 17;
        size_t v = length - 17;
        while (v && *p == ' ')
            p++, v--;
        while (v && (p[v - 1] == '\r' || p[v - 1] == '\n' || p[v - 1] == ' '))
            v--;
        size_t colon = 0;
        while (colon < v && p[colon] != ':')
            colon++;
        free(r->response.error_code);
        r->response.error_code = xstrndup(p, colon);
    }
    return length;
}

static void http_start(http_client *c, http_request *r) {
    r->attempt++;
    if (r->attempt > 1 && r->streamed && r->spec.on_attempt)
        r->spec.on_attempt(r->spec.ctx);
    r->streamed = false;
    r->aborted = false;
    r->too_big = false;
    free(r->check);
    r->check = NULL;
    free(r->response.body);
    r->response.body = NULL;
    r->response.body_length = 0;
    r->body_cap = 0;
    free(r->response.error_code);
    r->response.error_code = NULL;
    r->response.server_date = -1;
    http_request_clear_headers(r);
    if (r->spec.prepare)
        r->spec.prepare(r->spec.ctx, r, r->attempt);
    if (r->slist)
        curl_slist_free_all(r->slist);
    r->slist = NULL;
    for (size_t i = 0; i < r->n_headers; i++) {
        char *line = xasprintf("%s: %s", r->headers[i].name, r->headers[i].value);
        r->slist = curl_slist_append(r->slist, line);
        free(line);
    }
    /* curl adds these unless told not to; they are not signed. */
    r->slist = curl_slist_append(r->slist, "Expect:");
    r->slist = curl_slist_append(r->slist, "Accept:");
    CURL *e = curl_easy_init();
    if (!e)
        xfatal("curl_easy_init failed");
    r->easy = e;
    r->curl_error[0] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
    if (strcmp(r->method, "HEAD") == 0)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    if (r->body_length || strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_length);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->slist);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_error);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->options.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->options.timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->options.ca_bundle)
        curl_easy_setopt(e, CURLOPT_CAINFO, c->options.ca_bundle);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "laketop/" LAKETOP_VERSION);
    curl_multi_add_handle(c->multi, e);
    r->started_ms = clock_monotonic_ms();
    r->next = c->running;
    c->running = r;
    c->in_flight++;
    c->stats.requests++;
    if (r->spec.kind > HTTP_KIND_NONE && r->spec.kind < HTTP_KIND_COUNT)
        c->stats.by_kind[r->spec.kind]++;
    if (r->spec.billing == HTTP_BILL_S3_LIST)
        c->stats.s3_list_requests++;
    else if (r->spec.billing == HTTP_BILL_S3_GET)
        c->stats.s3_get_requests++;
}

static void http_trace_attempt(const http_request *r, int64_t started, long status) {
    if (!http_trace)
        return;
    fprintf(http_trace, "%lld %lld %ld %s %s\n", (long long)(started - http_trace_epoch),
            (long long)(clock_monotonic_ms() - http_trace_epoch), status, r->method, r->url);
}

static void http_finish(http_request *r) {
    if (r->spec.on_done)
        r->spec.on_done(r->spec.ctx, &r->response);
    http_request_free(r);
}

/* Handles a finished attempt: completes, or schedules a retry. */
static void http_unlink_running(http_client *c, http_request *r) {
    for (http_request **p = &c->running; *p; p = &(*p)->next) {
        if (*p == r) {
            *p = r->next;
            r->next = NULL;
            return;
        }
    }
}

static void http_complete(http_client *c, http_request *r, CURLcode result) {
    http_unlink_running(c, r);
    curl_multi_remove_handle(c->multi, r->easy);
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t got = 0;
    curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
    http_trace_attempt(r, r->started_ms, status);
    c->stats.bytes_in += (uint64_t)got;
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    c->in_flight--;
    bool transport = result != CURLE_OK && !r->aborted && !r->too_big;
    free(r->response.error);
    r->response.error = NULL;
    r->response.status = transport ? 0 : status;
    r->response.attempts = r->attempt;
    if (transport) {
        r->response.error = xstrdup(r->curl_error[0] ? r->curl_error : curl_easy_strerror(result));
    } else if (r->too_big) {
        r->response.error =
            xasprintf("the answer is larger than %zu MiB, the most laketop keeps of one answer "
                      "(HTTP_KEEP_BODY_MAX)",
                      HTTP_KEEP_BODY_MAX >> 20);
        free(r->response.body);
        r->response.body = NULL; /* never a cut body */
        r->response.body_length = 0;
    } else if (r->aborted) {
        r->response.error = xstrdup("the response could not be read");
    } else if (status < 200 || status >= 300) {
        char *code = NULL, *message = NULL;
        http_retry_parse_error(r->response.body, r->response.body_length, &code, &message);
        if (code) {
            free(r->response.error_code);
            r->response.error_code = code;
        }
        if (r->response.error_code)
            r->response.error = xasprintf("%s (HTTP %ld)%s%s", r->response.error_code, status,
                                          message ? ": " : "", message ? message : "");
        else
            r->response.error = xasprintf("HTTP %ld", status);
        free(message);
    }
    bool bad_answer = false;
    if (!r->response.error && r->check) {
        char *code = NULL;
        if (r->check->kind != HTTP_ANSWER_MORE || http_check_head(r, "", 0, true))
            r->response.error = http_answer_verdict(r->check, r->spec.operation, status,
                                                    r->streamed ? NULL : r->response.body,
                                                    r->response.body_length, &code, &bad_answer);
        if (code) {
            free(r->response.error_code);
            r->response.error_code = code;
        }
        if (r->aborted && !r->response.error)
            r->response.error = xstrdup("the response could not be read");
    }
    http_retry_kind kind =
        r->response.error && !r->aborted && !r->too_big
            ? http_retry_classify(r->response.status, r->response.error_code, transport)
            : HTTP_NO_RETRY;
    if (bad_answer && kind == HTTP_NO_RETRY)
        kind = HTTP_RETRY_TRANSIENT;
    if (kind == HTTP_RETRY_EXPIRED && r->expired_retried)
        kind = HTTP_NO_RETRY; /* renewed once already: the reason stands */
    r->after_expired = kind == HTTP_RETRY_EXPIRED;
    if (kind == HTTP_RETRY_EXPIRED) {
        r->expired_retried = true;
    } else if (kind == HTTP_RETRY_SKEW && r->response.server_date > 0) {
        c->clock_offset = r->response.server_date - clock_now();
    } else if (kind == HTTP_RETRY_SKEW) {
        kind = HTTP_NO_RETRY;
    }
    int cost = transport ? HTTP_RETRY_TIMEOUT_COST : HTTP_RETRY_COST;
    if (kind != HTTP_NO_RETRY && r->attempt < c->options.max_attempts &&
        (kind == HTTP_RETRY_SKEW || kind == HTTP_RETRY_EXPIRED || c->retry_quota >= cost)) {
        bool free_retry = kind == HTTP_RETRY_SKEW || kind == HTTP_RETRY_EXPIRED;
        r->retry_cost = free_retry ? 0 : cost;
        c->retry_quota -= r->retry_cost;
        c->stats.retries++;
        r->due_ms = clock_monotonic_ms() +
                    (free_retry ? 0
                                : http_retry_backoff_ms(r->attempt + 1, c->options.retry_base_ms,
                                                        http_random01(c)));
        r->next = c->delayed;
        c->delayed = r;
        return;
    }
    if (!r->response.error) {
        c->retry_quota += r->attempt > 1 ? r->retry_cost : HTTP_NO_RETRY_INCREMENT;
        if (c->retry_quota > HTTP_RETRY_QUOTA)
            c->retry_quota = HTTP_RETRY_QUOTA;
    }
    if (!r->response.body)
        r->response.body = xstrdup("");
    http_finish(r);
}

/* Starts queued and due requests while there is room. */
static void http_fill(http_client *c) {
    int64_t now = clock_monotonic_ms();
    for (http_request **p = &c->delayed; *p && c->in_flight < c->options.max_in_flight;) {
        http_request *r = *p;
        if (r->due_ms <= now) {
            *p = r->next;
            r->next = NULL;
            http_start(c, r);
        } else {
            p = &r->next;
        }
    }
    while (c->queue && c->in_flight < c->options.max_in_flight) {
        http_request *r = c->queue;
        c->queue = r->next;
        if (!c->queue)
            c->queue_tail = NULL;
        r->next = NULL;
        http_start(c, r);
    }
    while (!c->queue && c->background && c->in_flight < c->options.max_in_flight) {
        http_request *r = c->background;
        c->background = r->next;
        if (!c->background)
            c->background_tail = NULL;
        r->next = NULL;
        http_start(c, r);
    }
}

static void http_cancel_all(http_client *c) {
    while (c->running) {
        http_request *r = c->running;
        c->running = r->next;
        curl_multi_remove_handle(c->multi, r->easy);
        curl_easy_cleanup(r->easy);
        r->easy = NULL;
        free(r->response.error);
        r->response.error = xstrdup("cancelled");
        r->response.status = 0;
        http_finish(r);
    }
    c->in_flight = 0;
    while (c->queue || c->delayed || c->background) {
        http_request *r = c->queue ? c->queue : c->delayed ? c->delayed : c->background;
        if (c->queue)
            c->queue = r->next;
        else if (c->delayed)
            c->delayed = r->next;
        else
            c->background = r->next;
        free(r->response.error);
        r->response.error = xstrdup("cancelled");
        r->response.status = 0;
        http_finish(r);
    }
    c->queue_tail = NULL;
    c->background_tail = NULL;
}

void http_client_run(http_client *c, const bool *stop) {
    for (;;) {
        if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
            http_cancel_all(c);
            return;
        }
        http_fill(c);
        if (c->in_flight == 0 && !c->queue && !c->delayed && !c->background)
            return;
        int running = 0;
        curl_multi_perform(c->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(c->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            http_request *r = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            http_complete(c, r, msg->data.result);
        }
        if (c->in_flight == 0 && !c->queue && !c->delayed && !c->background)
            return;
        if ((c->queue || c->background) && c->in_flight < c->options.max_in_flight)
            continue;      /* callbacks queued more work: start it at once */
        int timeout = 200; /* also bounds how late a stop is noticed */
        int64_t now = clock_monotonic_ms();
        for (http_request *r = c->delayed; r; r = r->next)
            if (r->due_ms - now < timeout)
                timeout = r->due_ms > now ? (int)(r->due_ms - now) : 0;
        curl_multi_poll(c->multi, NULL, 0, timeout, NULL);
    }
}
