/* local_jobs.h: the local lake's run log, LAKE/.laketop/jobs.jsonl: one
 * JSON object per line, appended; a run writes a line when it starts and
 * one when it ends, and the LAST line of an id wins:
 *   {"job": "compact_orders", "id": "compact_orders-1764583200-4242",
 *    "state": "FAILED", "started_at": 1764583200, "ended_at": 1764583242,
 *    "exit_status": 1, "error": "the last lines of its stderr"}
 * Times are Unix seconds; ended_at, exit_status and error may be null.
 * States: RUNNING, SUCCEEDED (exit 0), FAILED (exit != 0), STOPPED
 * (killed: laketop quit while it ran, or a signal).
 * The parser is pure (bytes in, runs out); the line writer allocates
 * nothing, so that the runner's supervisor (local_job_runner.h), a child
 * forked from a threaded process, may use it. */
#ifndef LAKETOP_LOCAL_JOBS_H
#define LAKETOP_LOCAL_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

/* The error of a run: at most this many of stderr's last lines and bytes. */
#define LOCAL_JOBS_TAIL_LINES 5
#define LOCAL_JOBS_TAIL_BYTES 1000

/* One run as its last line says it. */
typedef struct local_jobs_entry {
    char *job;
    pipeline_run run;
} local_jobs_entry;

typedef struct local_jobs_log {
    local_jobs_entry *entries; /* one per run id, in the order of their first lines */
    size_t n;
    size_t broken_lines; /* lines that are not a run (skipped), blank ones aside */
} local_jobs_log;

/* Parses `length` bytes of jobs.jsonl (any bytes; a last line without its
 * newline counts). A line that is not a JSON object with strings "job",
 * "id" and "state" and an integer "started_at" is skipped and counted (but
 * for a last line without its newline: it may be being written). */
void local_jobs_parse(const char *data, size_t length, local_jobs_log *out);
void local_jobs_log_free(local_jobs_log *log);
/* The run `id`, NULL when the log has none. */
const local_jobs_entry *local_jobs_find(const local_jobs_log *log, const char *id);

/* LAKE/.laketop/jobs.jsonl (malloc'd). */
char *local_jobs_path(const char *lake_dir);
/* Reads and parses the file; a missing file is an empty log. False with
 * *error when it cannot be read. */
bool local_jobs_read(const char *path, local_jobs_log *out, char **error);

/* The line of `run` of job `job` (with its newline) into buf (cap bytes;
 * 2 * LOCAL_JOBS_TAIL_BYTES * 6 + 1024 is always enough for names under
 * 256 bytes); its length, 0 when it does not fit. No allocation, no stdio. */
size_t local_jobs_format_line(char *buf, size_t cap, const char *job, const pipeline_run *run);
/* Appends one line with one write (O_APPEND, under flock): whole lines
 * even with several writers. False (errno set) when it cannot. No
 * allocation. */
bool local_jobs_append(const char *path, const char *line, size_t length);

/* The last LOCAL_JOBS_TAIL_LINES lines of `length` bytes of stderr, at
 * most LOCAL_JOBS_TAIL_BYTES of them (cut at a character), trailing
 * newlines and blank lines dropped, carriage returns dropped, bytes that
 * are not UTF-8 and controls but newline and tab (ESC...) written '?',
 * into out (cap >= LOCAL_JOBS_TAIL_BYTES + 1; NUL-terminated); its
 * length. No allocation. */
size_t local_jobs_stderr_tail(const char *data, size_t length, char *out, size_t cap);

/* The supervisor's pid in a run id NAME-STARTSECONDS-PID; -1 when the id
 * does not end so. */
long local_jobs_id_pid(const char *id);

#endif
