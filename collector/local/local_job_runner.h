/* local_job_runner.h: runs one of the local lake's [job NAME] commands and
 * records the run in jobs.jsonl (local_jobs.h).
 *
 * start forks a supervisor (a child that does not exec). It appends the
 * RUNNING line, runs `/bin/sh -c COMMAND` in the lake directory (its own
 * process group, stdin and stdout /dev/null, env LAKETOP_LAKE, LAKETOP_JOB
 * and LAKETOP_ARG_KEY=VALUE per argument, '-' and '.' of a KEY written '_'
 * so that the shell can expand it), keeps the last lines of its
 * stderr, waits for it and appends the final line: SUCCEEDED (exit 0),
 * FAILED (exit != 0, the stderr tail as its error) or STOPPED (the
 * supervisor got SIGTERM, SIGINT or SIGHUP: it stops the command's group;
 * or the command died of a signal). When `wait`, the caller follows the
 * run: the supervisor stops it when the thread that started it goes away
 * (laketop quits or is killed; PR_SET_PDEATHSIG). Without, it lives on in
 * a session of its own (double fork: no zombie is left behind). A
 * supervisor killed outright (SIGKILL) takes its command with it (SIGTERM
 * to the command's shell).
 * The run id is NAME-STARTSECONDS-SUPERVISORPID. */
#ifndef LAKETOP_LOCAL_JOB_RUNNER_H
#define LAKETOP_LOCAL_JOB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "collector/snapshot.h"

typedef struct local_job_start {
    const char *lake_dir;
    const char *name;
    const char *command;
    char *const *args; /* "KEY=VALUE" */
    size_t n_args;
    bool wait;
} local_job_start;

/* Starts the run; returns once its RUNNING line is written, with *run_id
 * (malloc'd) and *supervisor (its pid; a child of the caller when `wait`).
 * False with *error when it could not start. */
bool local_job_runner_start(const local_job_start *start, char **run_id, long *supervisor,
                            char **error);
/* Collects the supervisor `pid` (a child started with wait) once its run
 * ended: it exits right after its last line. */
void local_job_runner_reap(long pid);
/* Whether that supervisor ended (then collected), without waiting: one
 * killed outright never writes its run's end. */
bool local_job_runner_gone(long pid);
/* A run still RUNNING in the log whose supervisor is no longer there (the
 * machine restarted, it was killed with SIGKILL): STOPPED, with an error
 * that says so. True when it changed the run. */
bool local_job_runner_settle(pipeline_run *run);

#endif
