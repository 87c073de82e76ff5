/* aws_rounds.c: a refresh's parts set aside after a retryable failure, and
 * the rounds that send them again (see aws_rounds.h for the bounds and
 * why). */
#include "collector/aws/aws_rounds.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/aws/http_retry.h"
#include "common/clock.h"
#include "common/xalloc.h"

bool aws_rounds_retryable(const http_response *response) {
    if (!response->error || strcmp(response->error, "cancelled") == 0)
        return false;
    http_retry_kind kind =
        http_retry_classify(response->status, response->error_code, response->status == 0);
    if (kind == HTTP_RETRY_SKEW)
        return response->server_date > 0; /* the offset is learnt: a new signature can pass */
    return kind != HTTP_NO_RETRY;
}

bool aws_rounds_defer(aws_rounds *q, const http_response *response, void (*resend)(void *ctx),
                      void (*done)(void *ctx, const http_response *response), void *ctx) {
    if (q->giving_up || !aws_rounds_retryable(response))
        return false;
    q->parts = xgrow(q->parts, &q->cap, q->n + 1, sizeof *q->parts);
    aws_rounds_part *p = &q->parts[q->n++];
    *p = (aws_rounds_part){.resend = resend, .done = done, .ctx = ctx};
    p->response.status = response->status;
    p->response.body = xstrdup("");
    p->response.error = xstrdup(response->error);
    p->response.error_code = response->error_code ? xstrdup(response->error_code) : NULL;
    p->response.attempts = response->attempts;
    p->response.server_date = response->server_date;
    q->deferred++;
    return true;
}

int64_t aws_rounds_delay_ms(int round, int64_t elapsed_ms, bool answered, int base_ms,
                            double random01) {
    if (round < 1 || round > AWS_ROUNDS_MAX || elapsed_ms >= AWS_ROUNDS_BUDGET_MS)
        return -1;
    if (!answered)
        return -1;
    if (base_ms <= 0)
        base_ms = 1000;
    int64_t units = (int64_t)1 << (round - 1);
    double share = 0.5 + 0.5 * random01;
    return (int64_t)(share * (double)(units * base_ms));
}

bool aws_rounds_answered(const aws_rounds *q) {
    for (size_t i = 0; i < q->n; i++)
        if (q->parts[i].response.status != 0)
            return true;
    return false;
}

static void aws_rounds_part_clear(aws_rounds_part *p) {
    free(p->response.body);
    free(p->response.error);
    free(p->response.error_code);
}

/* Takes the parts set aside out of q (the callbacks may set new ones aside). */
static aws_rounds_part *aws_rounds_take(aws_rounds *q, size_t *n) {
    aws_rounds_part *parts = q->parts;
    *n = q->n;
    q->parts = NULL;
    q->n = q->cap = 0;
    return parts;
}

void aws_rounds_resend(aws_rounds *q) {
    size_t n;
    aws_rounds_part *parts = aws_rounds_take(q, &n);
    for (size_t i = 0; i < n; i++) {
        parts[i].resend(parts[i].ctx);
        aws_rounds_part_clear(&parts[i]);
        q->recovered++;
    }
    free(parts);
}

void aws_rounds_give_up(aws_rounds *q) {
    q->giving_up = true;
    size_t n;
    aws_rounds_part *parts = aws_rounds_take(q, &n);
    for (size_t i = 0; i < n; i++) {
        parts[i].done(parts[i].ctx, &parts[i].response);
        aws_rounds_part_clear(&parts[i]);
        q->given_up++;
    }
    free(parts);
}

void aws_rounds_clear(aws_rounds *q) {
    for (size_t i = 0; i < q->n; i++)
        aws_rounds_part_clear(&q->parts[i]);
    free(q->parts);
    q->parts = NULL;
    q->n = q->cap = 0;
}

static bool aws_rounds_stopped(const bool *stop) {
    return stop && __atomic_load_n(stop, __ATOMIC_RELAXED);
}

uint64_t aws_rounds_random_seed(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_nsec * 6364136223846793005ULL + (uint64_t)ts.tv_sec;
}

double aws_rounds_random01(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

void aws_rounds_sleep(int64_t ms, const bool *stop) {
    int64_t until = clock_monotonic_ms() + ms;
    for (int64_t left = ms; left > 0 && !aws_rounds_stopped(stop);
         left = until - clock_monotonic_ms()) {
        int64_t slice = left < 50 ? left : 50;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)slice * 1000000L};
        nanosleep(&ts, NULL);
    }
}

void aws_rounds_run(aws_rounds *q, http_client *http, int base_ms, bool progress,
                    const bool *stop) {
    if (base_ms <= 0)
        base_ms = 1000;
    uint64_t seed =
        (uint64_t)clock_monotonic_ms() * 6364136223846793005ULL + 1442695040888963407ULL;
    while (q->n > 0) {
        if (q->round == 0)
            q->started_ms = clock_monotonic_ms();
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double random01 = (double)(seed >> 11) / 9007199254740992.0;
        int64_t delay =
            aws_rounds_stopped(stop)
                ? -1
                : aws_rounds_delay_ms(q->round + 1, clock_monotonic_ms() - q->started_ms,
                                      aws_rounds_answered(q) || (q->round == 0 && progress),
                                      base_ms, random01);
        if (delay < 0)
            break;
        q->round++;
        aws_rounds_sleep(delay, stop);
        if (aws_rounds_stopped(stop))
            break;
        aws_rounds_resend(q);
        http_client_run(http, stop);
    }
    aws_rounds_give_up(q);
    http_client_run(http, stop); /* nothing is sent on giving up; this is a safeguard */
}
