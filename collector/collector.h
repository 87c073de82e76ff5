/* collector.h: the background collector thread.
 *
 * The thread refreshes the catalog and storage statistics every
 * `interval_seconds` (or at once after collector_refresh_now), builds a new
 * lake_snapshot (see snapshot.h for the contract) and publishes it by
 * swapping one pointer under a mutex; it then writes one byte to notify_fd so
 * that the UI's poll() wakes. It never calls curses and never blocks on the
 * UI. At start it first publishes a snapshot built from the saved history
 * (from_saved_state = true) so that the first frame needs no scan. */
#ifndef LAKETOP_COLLECTOR_H
#define LAKETOP_COLLECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/snapshot.h"
#include "collector/source.h"
#include "collector/figures/cost.h"
#include "collector/figures/thresholds.h"
#include "collector/figures/writers.h"

typedef struct collector_options {
    lake_source *source;      /* borrowed: must outlive the collector */
    const char *history_path; /* NULL: history kept in memory only */
    int interval_seconds;
    thresholds thresholds;
    int notify_fd; /* -1: nobody to wake */
    /* Zones and sync rules to describe in each snapshot (sizes, last runs);
     * borrowed, may be NULL. */
    const struct sync_config *sync;
    /* Reaches s3:// zones when `source` does not (a local lake with S3
     * zones); borrowed, may be NULL. Used on the collector's thread only. */
    lake_source *s3;
    /* Who writes each table (config job = / state_machine =); borrowed, may
     * be NULL. */
    const writer_rules *writers;
    /* The jobs and state machines of `severity = critical` ([job NAME] in
     * the config): their pipeline_job.critical is set after each refresh,
     * whatever the source. Borrowed, may be NULL. */
    const char *const *critical_jobs;
    size_t n_critical_jobs;
    /* The prices the cost is figured at (the config's [prices]); borrowed,
     * NULL: the built-in ones (cost_prices_default). */
    const cost_prices *prices;
} collector_options;

typedef enum collector_state {
    COLLECTOR_STARTING,
    COLLECTOR_SCANNING,
    COLLECTOR_IDLE,
    COLLECTOR_STOPPED,
} collector_state;

typedef struct collector_status {
    collector_state state;
    char *last_error;     /* malloc'd, NULL when the last refresh went fine */
    int64_t last_refresh; /* when the last refresh finished, -1 before */
    uint64_t refreshes;   /* completed refreshes */
} collector_status;

typedef struct collector collector;

/* Starts the thread. The options are copied. */
collector *collector_start(const collector_options *options);
/* Asks for a refresh now (returns at once). */
void collector_refresh_now(collector *c);
/* The newest published snapshot with a reference for the caller, who must
 * snapshot_release() it; NULL before the first one. */
lake_snapshot *collector_acquire(collector *c);
/* A copy of the status; the caller frees status->last_error. */
void collector_get_status(collector *c, collector_status *status);
/* Stops and joins the thread, frees everything. */
void collector_stop(collector *c);

/* One synchronous refresh on the calling thread (batch mode, tests): loads
 * and saves the history like the thread does. NULL with *error when the lake
 * cannot be read at all. */
lake_snapshot *collector_refresh_once(const collector_options *options, char **error);

#endif
