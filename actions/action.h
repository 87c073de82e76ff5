/* action.h: what every action on the lake shares (crawl, sync, backup,
 * restore, export). Each action is one function, called alike by the
 * command line (app/commands.c) and by the dashboard's jobs: it reports how
 * far it is through an action_report its caller provides (the command line
 * prints to stderr, a job sets its progress line), takes its sources
 * through action_source (the caller's own, or made on the job's thread:
 * sources are not shared between threads), and ends with an action_status
 * and one line of result (malloc'd), the same text in both places. */
#ifndef LAKETOP_ACTION_H
#define LAKETOP_ACTION_H

#include <stdbool.h>

#include "actions/jobs.h"
#include "collector/source.h"
#include "collector/zones.h"

typedef enum action_status {
    ACTION_RESULT_DONE,    /* it did what was asked; the result says what */
    ACTION_RESULT_FAILED,  /* it ran and ended badly; the result says how (a crawl
                            * that ended FAILED, a copy that failed halfway) */
    ACTION_RESULT_ERROR,   /* an error stopped it; the result is the error (the
                            * catalog cannot be read, a damaged backup) */
    ACTION_RESULT_REFUSED, /* the request cannot be carried out as given: no such
                            * rule, a bad s3:// address, S3 without the AWS options */
} action_status;

/* The command line's exit status: 0 done, 1 failed or stopped, 2 refused. */
int action_exit_status(action_status status);

typedef struct action_report {
    /* How far it is: fraction 0..1 (-1 unknown) and a short state. */
    void (*progress)(void *ctx, double fraction, const char *text);
    /* A line worth keeping: what a sync is about to do, a backup verified. */
    void (*note)(void *ctx, const char *line);
    void *ctx;
} action_report;

/* Report through `r` (may be NULL, as may its functions). */
void action_progress(const action_report *r, double fraction, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void action_note(const action_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A job's report: progress and notes become the job's progress line. */
action_report action_report_job(job_progress *progress);

/* Where an action gets a source: the caller's own, used as is (the command
 * line, on its one thread), else one made for the action (a job's thread). */
typedef struct action_source {
    lake_source *borrowed;
    lake_source *(*make)(void *ctx, char **error);
    void *make_ctx;
} action_source;

/* NULL with *error when making it failed, NULL with *error untouched when
 * there is no way to have one. */
lake_source *action_source_open(const action_source *s, char **error);
/* Frees `opened` when it was made, not borrowed. */
void action_source_close(const action_source *s, lake_source *opened);

/* A source that reaches S3 for `dest`: `lake` itself when it does (an AWS
 * account; may be NULL), else one from `s`; NULL with *error ("DEST: no S3
 * access ...") when there is none. Close it with action_s3_close. */
lake_source *action_s3_open(const action_source *s, lake_source *lake, const char *dest,
                            char **error);
void action_s3_close(const action_source *s, lake_source *lake, lake_source *opened);

/* Lists every object under the s3:// address `url` through `s3`'s object
 * store: *bucket and *prefix get its parts (freed by the caller, also on a
 * failure), *objects and *n the objects (keys relative to the prefix);
 * false with *error when there is no S3 access, the address does not
 * parse or the listing fails. */
bool action_s3_list(lake_source *s3, const char *url, char **bucket, char **prefix,
                    object_entry **objects, size_t *n, char **error);

/* Whether `dest` is a local path or a well-formed s3:// address; else
 * false with *error saying why. */
bool action_address_ok(const char *dest, char **error);

/* The actions, as read-only mode tells them apart. */
typedef enum action_kind {
    ACTION_KIND_BACKUP,
    ACTION_KIND_EXPORT,
    ACTION_KIND_RESTORE,
    ACTION_KIND_CRAWL,
    ACTION_KIND_SYNC,
    ACTION_KIND_JOB,
} action_kind;

/* Read-only mode is decided here, for every caller: the command line's
 * table (app/commands.c), the dashboard's keys, its daily export and help
 * (views/). What running `kind` would change outside laketop, said as
 * read-only mode says it when it refuses (malloc'd), or NULL when it
 * changes nothing there. `dest` is where it writes: a backup's or an
 * export's destination (NULL: its default, a local directory), a sync
 * rule's zone (NULL: unknown). A backup or an export to a local directory
 * changes nothing in the account or the lake and is allowed; to s3:// it
 * puts objects and is not; a restore, a crawl and a sync always change
 * something. Below this, the AWS source refuses every mutating request of
 * a read-only run (aws_config.h), should a caller forget to ask. A job
 * run (a Glue job, a local [job NAME] command) always changes something. */
char *action_changes(action_kind kind, const char *dest);

/* What the dashboard's actions run with, set up by app/ at start-up and
 * alive as long as the jobs: how to make sources on a job's thread, where
 * backups and the daily export go, the zones and rules, how often a crawl
 * or a job run is polled. The views start actions by name
 * (backup_start_job, crawl_start_job, sync_start_job, export_start_job,
 * job_run_start_job) with it. */
typedef struct action_context {
    lake_source *(*make_source)(void *ctx, char **error);    /* the lake's */
    lake_source *(*make_s3_source)(void *ctx, char **error); /* reaches S3 */
    void *make_ctx;
    const char *backup_dest; /* `b`; NULL: no backups here */
    const char *export_dest; /* the daily export; NULL: none */
    const sync_config *sync; /* `s`; NULL: no rules */
    int crawl_poll_ms;       /* between two looks at a running crawler or job run */
} action_context;

#endif
