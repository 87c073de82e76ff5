/* crawl.c: StartCrawler, then GetCrawler until the run is over. */
#include "actions/crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "actions/audit.h"

/* Polls that may find the crawler READY with no new crawl before we give
 * up on it having started (Glue takes a few seconds to show RUNNING). */
#define CRAWL_START_POLLS 60

crawl_outcome crawl_observe(crawl_follow *f, const crawler_info *c) {
    const char *state = c->state ? c->state : "";
    if (strcmp(state, "RUNNING") == 0 || strcmp(state, "STOPPING") == 0) {
        f->seen_running = true;
        return CRAWL_WAITING;
    }
    if (strcmp(state, "READY") != 0)
        return CRAWL_WAITING;
    /* a crawl that began after we asked (give the clocks 5 s) is ours */
    bool ours = c->last_start >= 0 && c->last_start >= f->asked_at - 5;
    if (!f->seen_running && !ours) {
        f->polls_ready++;
        return CRAWL_WAITING;
    }
    if (c->last_status && strcmp(c->last_status, "SUCCEEDED") == 0)
        return CRAWL_SUCCEEDED;
    return CRAWL_FAILED;
}

static void crawl_sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts the crawler and follows it; 0 when it succeeded, else 1. */
static int crawl_follow_run(lake_source *source, const char *name, bool wait, int poll_ms,
                            const action_report *report, char **result) {
    char *error = NULL;
    if (!source->crawlers) {
        *result = xasprintf("%s has no crawlers yet", source->name);
        return 1;
    }
    crawl_follow follow = {.asked_at = clock_now()};
    if (!source->crawlers->start_crawler(source, name, &error)) {
        if (strstr(error, "CrawlerRunningException"))
            *result =
                xasprintf("crawler %s is already running: wait for it, or stop it first", name);
        else if (strstr(error, "EntityNotFoundException"))
            *result = xasprintf("there is no crawler named %s", name);
        else
            *result = xasprintf("crawler %s could not be started: %s", name, error);
        free(error);
        return 1;
    }
    action_progress(report, -1, "started");
    if (!wait) {
        *result = xasprintf("crawler %s started", name);
        return 0;
    }
    int64_t began = clock_monotonic_ms();
    for (int poll = 0;; poll++) {
        /* the first look is at once: a local crawl is over when it returns */
        if (poll > 0)
            crawl_sleep_ms(poll_ms);
        crawler_info c;
        if (!source->crawlers->get_crawler(source, name, &c, &error)) {
            *result = xasprintf("crawler %s: %s", name, error);
            free(error);
            return 1;
        }
        crawl_outcome o = crawl_observe(&follow, &c);
        action_progress(report, -1, "%s, %llds", c.state ? c.state : "?",
                        (long long)((clock_monotonic_ms() - began) / 1000));
        if (o != CRAWL_WAITING) {
            if (o == CRAWL_SUCCEEDED && c.tables_created >= 0)
                *result = xasprintf("crawler %s: SUCCEEDED (tables: %lld created, %lld updated, "
                                    "%lld deleted)",
                                    name, (long long)c.tables_created, (long long)c.tables_updated,
                                    (long long)c.tables_deleted);
            else if (o == CRAWL_SUCCEEDED)
                *result = xasprintf("crawler %s: SUCCEEDED", name);
            else
                *result =
                    xasprintf("crawler %s: %s%s%s", name, c.last_status ? c.last_status : "FAILED",
                              c.last_error ? ": " : "", c.last_error ? c.last_error : "");
            crawler_info_clear(&c);
            return o == CRAWL_SUCCEEDED ? 0 : 1;
        }
        crawler_info_clear(&c);
        if (follow.polls_ready > CRAWL_START_POLLS) {
            *result = xasprintf("crawler %s did not start running", name);
            return 1;
        }
    }
}

action_status crawl_run(const crawl_request *r, const action_report *report, char **result) {
    char *error = NULL;
    lake_source *source = action_source_open(&r->source, &error);
    if (!source) {
        *result = error ? error : xstrdup("no source to crawl");
        return ACTION_RESULT_ERROR;
    }
    int status = crawl_follow_run(source, r->name, r->wait, r->poll_ms, report, result);
    audit_log(report, source->name, r->wait ? "crawl" : "crawl --no-wait", r->name, *result);
    action_source_close(&r->source, source);
    return status == 0 ? ACTION_RESULT_DONE : ACTION_RESULT_FAILED;
}

typedef struct crawl_job {
    action_context context;
    char *name;
} crawl_job;

static bool crawl_job_run(void *ctx, job_progress *progress, char **result) {
    crawl_job *c = ctx;
    crawl_request r = {
        .source = {.make = c->context.make_source, .make_ctx = c->context.make_ctx},
        .name = c->name,
        .wait = true,
        .poll_ms = c->context.crawl_poll_ms,
    };
    action_report report = action_report_job(progress);
    return crawl_run(&r, &report, result) == ACTION_RESULT_DONE;
}

static void crawl_job_free(void *ctx) {
    crawl_job *c = ctx;
    free(c->name);
    free(c);
}

int crawl_start_job(jobs *j, const action_context *context, const char *name) {
    crawl_job *c = xcalloc(1, sizeof *c);
    c->context = *context;
    c->name = xstrdup(name);
    return jobs_start(j, "crawl", name, true, crawl_job_run, c, crawl_job_free);
}
