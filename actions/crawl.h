/* crawl.h: starting a crawler and following it to the end: done only once
 * it has been seen running and is READY again (never on the READY that
 * precedes the start), or when its last crawl is one that began after ours
 * was asked for (a crawl shorter than a poll). */
#ifndef LAKETOP_CRAWL_H
#define LAKETOP_CRAWL_H

#include <stdbool.h>
#include <stdint.h>

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

/* Starts `name` and, when `wait`, follows it, reporting each state to
 * `progress` (may be NULL). Returns 0 when the crawl succeeded (or was
 * started, without wait), 1 when it failed or could not be started;
 * *result gets one line (malloc'd). */
int crawl_run(lake_source *source, const char *name, bool wait, int poll_ms,
              void (*progress)(void *ctx, const char *state), void *ctx, char **result);

/* As a background job (the dashboard's `c`). */
typedef struct crawl_job {
    lake_source *(*make_source)(void *ctx, char **error);
    void *make_ctx;
    char *name;
    int poll_ms;
} crawl_job;

bool crawl_job_run(void *ctx, job_progress *progress, char **result);
void crawl_job_free(void *ctx);

#endif
