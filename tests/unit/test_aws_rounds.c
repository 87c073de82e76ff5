/* test_aws_rounds.c: a refresh's second chances (collector/aws/aws_rounds.c):
 * which failed answers are set aside, the waits and bounds of the rounds,
 * and that a part is resent, or given up with the answer that failed it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_rounds.h"

static http_response answer(long status, const char *code, const char *error) {
    return (http_response){
        .status = status, .error = (char *)error, .error_code = (char *)code, .server_date = -1};
}

static void test_retryable(void **state) {
    (void)state;
    http_response r = answer(500, "InternalError", "InternalError (HTTP 500)");
    assert_true(aws_rounds_retryable(&r));
    r = answer(503, "SlowDown", "SlowDown (HTTP 503)");
    assert_true(aws_rounds_retryable(&r));
    r = answer(400, "ThrottlingException", "ThrottlingException (HTTP 400)");
    assert_true(aws_rounds_retryable(&r));
    r = answer(503, "ServiceUnavailableException", "ServiceUnavailableException (HTTP 503)");
    assert_true(aws_rounds_retryable(&r));
    r = answer(0, NULL, "Connection refused");
    assert_true(aws_rounds_retryable(&r));
    /* no retry mends these */
    r = answer(403, "AccessDenied", "AccessDenied (HTTP 403)");
    assert_false(aws_rounds_retryable(&r));
    r = answer(404, "NoSuchBucket", "NoSuchBucket (HTTP 404)");
    assert_false(aws_rounds_retryable(&r));
    r = answer(400, "EntityNotFoundException", "EntityNotFoundException (HTTP 400)");
    assert_false(aws_rounds_retryable(&r));
    r = answer(200, NULL, "the response could not be read");
    assert_false(aws_rounds_retryable(&r));
    r = answer(0, NULL, "cancelled");
    assert_false(aws_rounds_retryable(&r));
    r = answer(200, NULL, NULL);
    assert_false(aws_rounds_retryable(&r));
    /* clock skew: only when the server said its time */
    r = answer(403, "RequestTimeTooSkewed", "RequestTimeTooSkewed (HTTP 403)");
    assert_false(aws_rounds_retryable(&r));
    r.server_date = 1735689600;
    assert_true(aws_rounds_retryable(&r));
}

static void test_delays(void **state) {
    (void)state;
    for (int round = 1; round <= AWS_ROUNDS_MAX; round++) {
        int64_t units = (int64_t)1 << (round - 1);
        assert_int_equal(aws_rounds_delay_ms(round, 0, true, 1000, 0.0), units * 500);
        assert_in_range(aws_rounds_delay_ms(round, 0, true, 1000, 0.999), units * 500,
                        units * 1000);
    }
    assert_int_equal(aws_rounds_delay_ms(AWS_ROUNDS_MAX + 1, 0, true, 1000, 0.5), -1);
    assert_int_equal(aws_rounds_delay_ms(0, 0, true, 1000, 0.5), -1);
    /* the budget: no round starts once the rounds took it */
    assert_true(aws_rounds_delay_ms(2, AWS_ROUNDS_BUDGET_MS - 1, true, 1000, 0.5) > 0);
    assert_int_equal(aws_rounds_delay_ms(2, AWS_ROUNDS_BUDGET_MS, true, 1000, 0.5), -1);
    /* nothing answered at all: no round */
    assert_int_equal(aws_rounds_delay_ms(1, 0, false, 1000, 0.5), -1);
    assert_int_equal(aws_rounds_delay_ms(2, 100, false, 1000, 0.5), -1);
    /* base 0: the SDKs' 1 s */
    assert_int_equal(aws_rounds_delay_ms(1, 0, true, 0, 0.0), 500);
    /* the worst case of all the waits stays well inside the budget at 1 s units */
    int64_t total = 0;
    for (int round = 1; round <= AWS_ROUNDS_MAX; round++)
        total += aws_rounds_delay_ms(round, 0, true, 1000, 0.999999);
    assert_true(total < AWS_ROUNDS_BUDGET_MS);
}

/* A part: counts what happened to it. */
typedef struct part {
    int resent;
    int done;
    char *error;
    char *code;
    long status;
} part;

static void part_resend(void *ctx) {
    ((part *)ctx)->resent++;
}

static void part_done(void *ctx, const http_response *response) {
    part *p = ctx;
    p->done++;
    free(p->error);
    free(p->code);
    p->error = response->error ? strdup(response->error) : NULL;
    p->code = response->error_code ? strdup(response->error_code) : NULL;
    p->status = response->status;
}

static void test_defer_resend_give_up(void **state) {
    (void)state;
    aws_rounds q = {0};
    part a = {0}, b = {0}, denied = {0};
    char error[] = "SlowDown (HTTP 503): Please reduce your request rate.";
    http_response slow = answer(503, "SlowDown", error);
    http_response no = answer(403, "AccessDenied", "AccessDenied (HTTP 403)");
    assert_true(aws_rounds_defer(&q, &slow, part_resend, part_done, &a));
    assert_true(aws_rounds_defer(&q, &slow, part_resend, part_done, &b));
    assert_false(aws_rounds_defer(&q, &no, part_resend, part_done, &denied));
    assert_int_equal(q.n, 2);
    assert_true(aws_rounds_answered(&q));
    error[0] = 'X'; /* the answer is copied: it is freed after on_done */
    aws_rounds_resend(&q);
    assert_int_equal(q.n, 0);
    assert_int_equal(a.resent, 1);
    assert_int_equal(b.resent, 1);
    assert_int_equal(a.done + b.done + denied.resent + denied.done, 0);
    /* b fails again and is given up: its done gets the answer that failed it */
    error[0] = 'S';
    assert_true(aws_rounds_defer(&q, &slow, part_resend, part_done, &b));
    error[0] = 'X';
    aws_rounds_give_up(&q);
    assert_int_equal(b.done, 1);
    assert_int_equal(b.status, 503);
    assert_string_equal(b.code, "SlowDown");
    assert_string_equal(b.error, "SlowDown (HTTP 503): Please reduce your request rate.");
    assert_int_equal(a.done, 0);
    /* failures are final now */
    assert_false(aws_rounds_defer(&q, &slow, part_resend, part_done, &a));
    assert_int_equal(q.deferred, 3);
    assert_int_equal(q.given_up, 1);
    aws_rounds_clear(&q);
    free(b.error);
    free(b.code);
}

static void test_unanswered(void **state) {
    (void)state;
    aws_rounds q = {0};
    part a = {0};
    http_response refused = answer(0, NULL, "Connection refused");
    assert_true(aws_rounds_defer(&q, &refused, part_resend, part_done, &a));
    assert_false(aws_rounds_answered(&q));
    aws_rounds_clear(&q);
    assert_int_equal(q.n, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retryable),
        cmocka_unit_test(test_delays),
        cmocka_unit_test(test_defer_resend_give_up),
        cmocka_unit_test(test_unanswered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
