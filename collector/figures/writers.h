/* writers.h: which job or state machine writes a table (config `job = NAME`
 * or `state_machine = NAME` under [table DB.TABLE] or [database DB]; the
 * table's section wins over its database's), set on every table of every
 * snapshot, and what the Overview says of a late or stale table whose
 * writer failed (pure). */
#ifndef LAKETOP_WRITERS_H
#define LAKETOP_WRITERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

typedef struct writer_rule {
    char *database;     /* never NULL */
    char *table;        /* NULL: the rule of the whole database */
    char *name;         /* the job or state machine */
    pipeline_kind kind; /* PIPELINE_STATES for a state machine, else PIPELINE_LOCAL (any job) */
} writer_rule;

typedef struct writer_rules {
    writer_rule *rules;
    size_t n;
} writer_rules;

void writer_rules_free(writer_rules *w);
/* Names the writer of a database (table NULL) or a table; a later line of
 * the same section replaces it. */
void writer_rules_set(writer_rules *w, const char *database, const char *table, pipeline_kind kind,
                      const char *name);
/* The rule of the table's section, else of its database's; NULL: none. */
const writer_rule *writer_rules_lookup(const writer_rules *w, const char *database,
                                       const char *table);
/* Sets t->writer and t->writer_kind from the rules (w may be NULL: none). */
void writers_apply(const writer_rules *w, table_stats *t);
/* The table's writer in the snapshot; NULL when it names none or the
 * snapshot has no such job. */
const pipeline_job *writers_job(const lake_snapshot *s, const table_stats *t);
/* "job" or "state_machine" (the JSON's writer.kind). */
const char *writers_kind_name(pipeline_kind kind);

#define WRITERS_MESSAGE_MAX 120 /* bytes of an error shown on one line */

/* A run's error on one line: newlines and tabs as spaces, runs of spaces as
 * one, cut to WRITERS_MESSAGE_MAX bytes (at a character) with an ellipsis. */
char *writers_one_line(const char *error, char *out, size_t size);

/* What is wrong with a job at `now`, or false when nothing is: its newest
 * run failed ("FAILED 5h ago: MESSAGE", without ": MESSAGE" when it has no
 * error) or waits long ("WAITING for 25m", pipeline_run_waiting_long); with
 * running, also a run still going ("RUNNING for 3h"). `out` gets the text
 * after the name. */
bool writers_job_problem(const pipeline_job *job, int64_t now, bool running, char *out,
                         size_t size);

/* The late line of a late or stale table (t->late, or stale WARN/CRIT)
 * whose writer has a problem (above, running included): "late: writer compact_orders FAILED
 * 5h ago: MESSAGE" ("stale: ..." when stale); without the "late: " prefix
 * when !prefix. False (out "") when the table is neither, names no writer,
 * or its writer is fine. */
bool writers_late_text(const table_stats *t, const pipeline_job *writer, int64_t now, bool prefix,
                       char *out, size_t size);

/* The detail view's "Written by" line of a table that names a writer:
 * "job compact_orders: FAILED 5h ago: MESSAGE", "job compact_orders:
 * SUCCEEDED 2h ago", "state machine clicks_flow: RUNNING for 3h", "job
 * compact_orders: never ran", "job compact_orders: not among the lake's
 * jobs" (writer NULL). True when its newest run failed. */
bool writers_describe(const table_stats *t, const pipeline_job *writer, int64_t now, char *out,
                      size_t size);

#endif
