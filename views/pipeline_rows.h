/* pipeline_rows.h: what the pipeline screens share (the Pipeline view,
 * the run history of one job, the Overview's job lines): the rows (the
 * jobs, then the state machines), the words for a kind and the colour of
 * a run's state. Views only read the snapshot. */
#ifndef LAKETOP_PIPELINE_ROWS_H
#define LAKETOP_PIPELINE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "views/dashboard.h"

typedef struct pipeline_rows {
    const lake_snapshot *s;
    const view_frame *f;
    int64_t now;
    const pipeline_job **jobs; /* the jobs, then the state machines */
    size_t n;
} pipeline_rows;

/* The rows of `s` (NULL: none) in the snapshot's order. */
void pipeline_rows_build(pipeline_rows *r, const lake_snapshot *s, const view_frame *f,
                         int64_t now);
void pipeline_rows_free(pipeline_rows *r);
/* For sorting by state, what needs a look first: failed 0, waiting 1,
 * running 2, unknown 3, stopped 4, succeeded 5, never ran 6. */
int64_t pipeline_rows_state_rank(const pipeline_job *job);
/* A run's state's colour: failed ROLE_ERROR, waiting long ROLE_STALE_WARN,
 * running or waiting ROLE_SIZE, succeeded ROLE_FRESH, else ROLE_DIM. */
theme_role pipeline_rows_state_role(const pipeline_run *run, int64_t now);
/* "local", "glue", "states" (the JSON's kind). */
const char *pipeline_rows_kind_word(pipeline_kind kind);
/* What a frame of the run history keeps in its `database`: "states" for
 * a state machine, else "job"; and the job it names (NULL: gone). */
const char *pipeline_rows_kind_key(pipeline_kind kind);
const pipeline_job *pipeline_rows_find(const lake_snapshot *s, const char *kind_key,
                                       const char *name);

#endif
