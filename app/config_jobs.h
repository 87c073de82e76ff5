/* config_jobs.h: the [job NAME] sections of the config: a local lake's job
 * (command = ..., run with /bin/sh -c in the lake directory when asked),
 * and for any job or state machine of that name (local, Glue or Step
 * Functions) its severity: a newest run that failed is a WARNING for
 * `laketop check`, a CRITICAL with severity = critical.
 *
 *   [job compact_orders]
 *   command = ./bin/compact sales/orders
 *   severity = critical          # warning (the default) or critical
 *   description = nightly compaction of sales.orders
 *
 * A section without command only sets the severity (of an account's Glue
 * job or state machine). */
#ifndef LAKETOP_CONFIG_JOBS_H
#define LAKETOP_CONFIG_JOBS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct config_job {
    char *name;
    char *command;     /* NULL: none (the section sets a severity only) */
    char *description; /* NULL: none */
    bool critical;
    int line; /* of its (first) [job NAME] header */
} config_job;

typedef struct config_jobs {
    config_job *list; /* in the file's order, each name once */
    size_t n;
    const char **critical; /* the names of the critical ones (borrowed from list) */
    size_t n_critical;
} config_jobs;

/* Sets key `name` of [job JOB] (its header on `line`) to `value`; false
 * with *error (without FILE:LINE: the caller's) for an unknown key, an
 * empty command or a severity that is neither warning nor critical. */
bool config_jobs_set(config_jobs *jobs, const char *job, int line, const char *name,
                     const char *value, char **error);
/* The job of that name, NULL when the config has no [job NAME]. */
const config_job *config_jobs_find(const config_jobs *jobs, const char *name);
void config_jobs_free(config_jobs *jobs);

#endif
