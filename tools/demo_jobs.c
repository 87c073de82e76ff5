/* demo_jobs.c: the demo lake's jobs' past, DIR/.laketop/jobs.jsonl
 * (collector/local/local_jobs.h): two weeks and a day of daily runs of the two jobs
 * DIR/laketop.conf declares (demo_config.c), dated from the demo's clock.
 * check_landing lists landing/partners and succeeds but once; load_partners
 * refuses an upload without its _SUCCESS marker and failed on three days,
 * the newest run among them, so the Pipeline view, check and the metrics
 * have a failure to show. Deterministic: the same lake for the same now. */
#include "tools/demo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/local/local_jobs.h"
#include "common/xalloc.h"

#define DEMO_JOBS_DAYS 14

/* The stderr of load_partners' command (demo_config.c), word for word. */
#define DEMO_JOBS_LOAD_ERROR                                                                    \
    "load_partners: no _SUCCESS marker in landing/partners/shipments: the partner's upload is " \
    "not complete"

static void demo_jobs_add(demo_ctx *c, const char *job, int64_t started, int64_t seconds,
                          int exit_status, const char *error) {
    char id[128], line[4096];
    /* the id a run of laketop's would have: NAME-STARTSECONDS-PID */
    snprintf(id, sizeof id, "%s-%lld-%d", job, (long long)started, 1000 + (int)(started % 30000));
    pipeline_run run;
    memset(&run, 0, sizeof run);
    run.id = id;
    run.state = "RUNNING";
    run.started_at = started;
    run.ended_at = run.duration_seconds = -1;
    run.exit_status = -1;
    size_t n = local_jobs_format_line(line, sizeof line, job, &run);
    strbuf_append(&c->buf, line, n);
    run.state = exit_status == 0 ? "SUCCEEDED" : "FAILED";
    run.ended_at = started + seconds;
    run.exit_status = exit_status;
    run.error = (char *)error;
    n = local_jobs_format_line(line, sizeof line, job, &run);
    strbuf_append(&c->buf, line, n);
}

bool demo_jobs_write(demo_ctx *c) {
    demo_rng rng = demo_rng_seed("jobs", "log", 0);
    strbuf_free(&c->buf);
    for (int k = DEMO_JOBS_DAYS; k >= 0; k--) { /* k days ago; today's runs ended hours ago */
        /* check_landing about 05:00 before now's time of day, a few seconds */
        int64_t check_at = c->now - (int64_t)k * 86400 - 3 * 3600 - demo_rng_range(&rng, 0, 600);
        bool lost = k == 10; /* the day landing/partners was moved */
        demo_jobs_add(c, "check_landing", check_at, demo_rng_range(&rng, 1, 3), lost ? 2 : 0,
                      lost ? "ls: cannot access 'landing/partners': No such file or directory"
                           : NULL);
        /* load_partners an hour later, 20 to 90 s; failed today, yesterday and 8 days ago */
        int64_t load_at = check_at + 3600 + demo_rng_range(&rng, 0, 300);
        bool failed = k == 0 || k == 1 || k == 8;
        demo_jobs_add(c, "load_partners", load_at, demo_rng_range(&rng, 20, 90), failed ? 2 : 0,
                      failed ? DEMO_JOBS_LOAD_ERROR : NULL);
    }
    char *dir = xasprintf("%s/.laketop", c->dir);
    char *path = xasprintf("%s/jobs.jsonl", dir);
    bool ok =
        demo_mkdirs(c, dir) && demo_write_file(c, path, c->buf.data, c->buf.length, c->now, false);
    free(path);
    free(dir);
    strbuf_free(&c->buf);
    return ok;
}
