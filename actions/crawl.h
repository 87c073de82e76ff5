/* crawl.h: starting a crawler and following it to the end: done only once
 * it has been seen running and is READY again (never on the READY that
 * precedes the start), or when its last crawl is one that began after ours
 * was asked for (a crawl shorter than a poll). */
#ifndef LAKETOP_CRAWL_H
#define LAKETOP_CRAWL_H

#include <stdbool.h>
#include <stdint.h>

#include "actions/action.h"
#include "actions/jobs.h"
#include "collector/source.h"

typedef struct crawl_follow {
    int64_t asked_at; /* when StartCrawler was sent (Unix seconds) */
    bool seen_running;
    int polls_ready; /* polls that found it READY without a new crawl */
} crawl_follow;

typedef enum crawl_outcome { CRAWL_WAITING, CRAWL_SUCCEEDED, CRAWL_FAILED } crawl_outcome;

/* One observation of the crawler; CRAWL_WAITING until it is over. */
crawl_outcome crawl_observe(crawl_follow *follow, const crawler_info *crawler);

typedef struct crawl_request {
    action_source source; /* the lake (or account) whose crawler it is */
    const char *name;
    bool wait;   /* follow it to the end (else done once it started) */
    int poll_ms; /* between two looks at it */
} crawl_request;

/* The crawl action: starts the crawler and, when `wait`, follows it,
 * reporting each state; audited. ACTION_RESULT_DONE when the crawl succeeded (or
 * started, without wait), ACTION_RESULT_FAILED when it failed or could not be
 * started; *result gets one line (malloc'd). */
action_status crawl_run(const crawl_request *request, const action_report *report, char **result);

/* The same as a background job (the dashboard's `c`); returns its id. */
int crawl_start_job(jobs *j, const action_context *context, const char *name);

#endif
