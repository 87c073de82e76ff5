/* aws_rounds.h: a refresh's second chances. Every request already has the
 * standard retry mode's 3 attempts (http.c); a refresh of hundreds of
 * requests under 20-30 % faults still loses a few of them, and with them a
 * database's tables or a table's figures. So a part of a refresh whose
 * request failed with a retryable error (the same classification as
 * http_retry.c: throttling, 500/502/503/504, transport errors, clock skew
 * with a server date) is set aside, and once every other request of the
 * refresh is answered it is sent again, with fresh attempts, after a
 * backoff: round after round within AWS_ROUNDS_MAX rounds and
 * AWS_ROUNDS_BUDGET_MS. Only a part still failing then is reported, with
 * its reason, as before. An error that no retry can mend (AccessDenied,
 * NoSuchBucket, EntityNotFound, a bad answer) is reported at once.
 *
 * Why these bounds: at 30 % faults a request fails its 3 attempts 2.7 % of
 * the time; each round divides that by about 37 again, so 4 rounds leave
 * about 1 in 70 million. The waits before the rounds, 1, 2, 4 and 8 backoff
 * units (1 s as the SDKs; half of it to all of it, at random), span a
 * throttling burst of several seconds, and the 30 s budget keeps the whole
 * retrying well inside the dashboard's default 60 s interval: no round
 * starts once the rounds have taken 30 s. When every part set aside failed
 * without any answer (the endpoint is down or unreachable) no further
 * round is tried, and none at all when nothing else of the refresh was
 * answered either: more attempts would only delay the message. Athena's
 * query history is read beside the scan and has rounds of its own at the
 * end (aws_athena.c); the inventory's Athena queries run one call after
 * another: a call there gets its rounds at once, with the same bounds
 * (aws_request_athena_one). */
#ifndef LAKETOP_AWS_ROUNDS_H
#define LAKETOP_AWS_ROUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/aws/http.h"

#define AWS_ROUNDS_MAX 4
#define AWS_ROUNDS_BUDGET_MS 30000

/* A part set aside: what sends it again, and the answer that failed it (for
 * done when it is given up). */
typedef struct aws_rounds_part {
    void (*resend)(void *ctx);
    void (*done)(void *ctx, const http_response *response);
    void *ctx;
    http_response response; /* status, error, error_code, server_date; body "" */
} aws_rounds_part;

typedef struct aws_rounds {
    aws_rounds_part *parts;
    size_t n, cap;
    int round;          /* rounds started so far */
    int64_t started_ms; /* when the first round started (monotonic) */
    bool giving_up;     /* failures are final now: defer refuses */
    uint64_t deferred;  /* counters for figures and tests */
    uint64_t recovered; /* parts resent (whatever their outcome) */
    uint64_t given_up;
} aws_rounds;

/* True when a retry could mend the failed answer: classified as
 * http_retry_classify does (clock skew only with a server date), and not a
 * cancellation. */
bool aws_rounds_retryable(const http_response *response);

/* Sets the part aside when its answer is retryable and failures are not
 * final yet: true, and the caller keeps ctx alive and returns; false: the
 * caller reports the failure now. */
bool aws_rounds_defer(aws_rounds *q, const http_response *response, void (*resend)(void *ctx),
                      void (*done)(void *ctx, const http_response *response), void *ctx);

/* The wait before round `round` (1..): random01 in [0, 1) picks in
 * [units/2, units] of base_ms, units = 2^(round - 1); -1 when that round
 * must not start (past AWS_ROUNDS_MAX, past the budget `elapsed_ms` after
 * the first round, or when the failures got no answer at all: `answered`
 * false). base_ms <= 0: the SDKs' 1000. */
int64_t aws_rounds_delay_ms(int round, int64_t elapsed_ms, bool answered, int base_ms,
                            double random01);

/* Whether any part set aside got an answer (a status) from the endpoint. */
bool aws_rounds_answered(const aws_rounds *q);

/* Sends every part set aside again (each may be set aside anew). */
void aws_rounds_resend(aws_rounds *q);
/* Failures are final: every part set aside gets its failed answer (done),
 * and later failures are not deferred. */
void aws_rounds_give_up(aws_rounds *q);
/* Frees what is left (nothing after give_up). */
void aws_rounds_clear(aws_rounds *q);

/* The waits' randomness: a seed from the clock, then a number in [0, 1)
 * per call (the state is the caller's: no shared state between threads). */
uint64_t aws_rounds_random_seed(void);
double aws_rounds_random01(uint64_t *state);
/* Sleeps ms, in slices, ending early when *stop (may be NULL) is set. */
void aws_rounds_sleep(int64_t ms, const bool *stop);

/* Runs the rounds on `http` after the first pass of a refresh: waits,
 * resends and runs the client until nothing is set aside, then gives up
 * what is left; `progress`: the first pass got answers (a first round is
 * tried even when the parts set aside got none); *stop (may be NULL) ends
 * the waiting at once. */
void aws_rounds_run(aws_rounds *q, http_client *http, int base_ms, bool progress, const bool *stop);

#endif
