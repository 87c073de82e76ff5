/* collector.c: the collector thread: refresh, publish, sleep, repeat. */
#include "collector/collector.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "collector/derive.h"
#include "collector/figures/history.h"
#include "collector/figures/history_recent.h"
#include "collector/formats/formats.h"
#include "collector/zones.h"

#define COLLECTOR_RETRY_SECONDS 10

struct collector {
    collector_options options;
    char *history_path;
    history_store *history;
    bool history_writable; /* false when the file exists but is not ours */

    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    bool refresh_requested;
    lake_snapshot *published; /* guarded by lock */
    collector_status status;  /* guarded by lock; last_error owned */
};

static void collector_attach_history(const history_store *history, table_stats *t) {
    size_t n;
    const history_sample *series = history_store_series(history, t->database, t->name, &n);
    free(t->history);
    t->history = NULL;
    t->n_history = n;
    if (n) {
        t->history = xmalloc(n * sizeof *series);
        memcpy(t->history, series, n * sizeof *series);
    }
}

/* Also the cost's settings (the prices, the interval the refresh cost
 * counts at): o's, else the built-in prices. */
static void collector_insight_settings(const collector_options *o, lake_snapshot *s) {
    const thresholds *th = &o->thresholds;
    if (o->prices)
        s->prices = *o->prices;
    else
        cost_prices_default(&s->prices);
    s->interval_seconds = o->interval_seconds;
    s->insights = (insight_settings){.late_factor = th->late_factor,
                                     .anomaly_k = th->anomaly_k,
                                     .small_files = th->small_files,
                                     .small_file_size = th->small_file_size,
                                     .waste_share = th->waste_share,
                                     .waste_bytes = th->waste_bytes,
                                     .max_snapshots = th->max_snapshots};
}

static void collector_apply_thresholds(const thresholds *th, table_stats *t) {
    t->stale_rule = thresholds_lookup_rule(th, t->database, t->name, &t->stale_warn_seconds,
                                           &t->stale_crit_seconds);
    t->quota_bytes = thresholds_quota(th, t->database, t->name);
}

/* Loads the history; a file that is not ours is never overwritten. Returns a
 * message for the status bar or NULL. */
static char *collector_load_history(history_store *history, const char *path, bool *writable) {
    *writable = path != NULL;
    if (!path)
        return NULL;
    history_refused refused;
    char *error = NULL;
    /* a sample dated after tomorrow (UTC) is refused: a clock set wrong */
    if (!history_store_load(history, path, fmt_day_of(clock_now()) + 1, &refused, &error)) {
        *writable = false;
        char *msg = xasprintf("history not used: %s", error);
        free(error);
        return msg;
    }
    return history_refused_message(path, &refused);
}

/* For sources whose catalog is remote: one row per table the history
 * knows, so that the first frame has the last figures. */
static void collector_rows_from_history(const history_store *history, lake_snapshot *s) {
    size_t n = history_store_tables(history);
    s->tables = xcalloc(n ? n : 1, sizeof *s->tables);
    s->databases = xcalloc(n ? n : 1, sizeof *s->databases);
    for (size_t i = 0; i < n; i++) {
        const char *database, *table;
        history_store_table_name(history, i, &database, &table);
        table_stats *t = &s->tables[s->n_tables++];
        t->database = xstrdup(database);
        t->name = xstrdup(table);
        t->location = xstrdup("");
        t->format = xstrdup("unknown");
        t->table_type = xstrdup("");
        t->create_time = t->update_time = -1;
        t->partitions = t->marker_objects = -1;
        t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
        table_stats_formats_unknown(t);
        t->last_access_time = t->retention = t->lake_formation = -1;
        bool known = false;
        for (size_t k = 0; k < s->n_databases && !known; k++)
            known = strcmp(s->databases[k].name, database) == 0;
        if (!known) {
            database_stats *d = &s->databases[s->n_databases++];
            d->name = xstrdup(database);
            d->create_time = -1;
        }
    }
}

/* The history, read on a thread of its own while the collector reads the
 * catalog: first its recent part (history_recent.h), when there is one that
 * is usable, then the whole. */
typedef struct collector_loader {
    history_store *history;
    const char *path;
    bool writable;
    char *message;
    pthread_mutex_t lock;
    pthread_cond_t done;
    bool recent_done;      /* guarded by lock */
    history_store *recent; /* guarded by lock; NULL: none usable */
} collector_loader;

static void *collector_load_history_thread(void *arg) {
    collector_loader *l = arg;
    history_store *recent = history_store_new();
    if (!l->path || !history_recent_load(recent, l->path, fmt_day_of(clock_now()) + 1)) {
        history_store_free(recent);
        recent = NULL;
    }
    pthread_mutex_lock(&l->lock);
    l->recent = recent;
    l->recent_done = true;
    pthread_cond_signal(&l->done);
    pthread_mutex_unlock(&l->lock);
    l->message = collector_load_history(l->history, l->path, &l->writable);
    return NULL;
}

/* severity = critical, by name (collector_options.critical_jobs). */
static void collector_mark_critical(const collector_options *o, pipeline_job *jobs, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < o->n_critical_jobs; k++)
            if (strcmp(jobs[i].name, o->critical_jobs[k]) == 0)
                jobs[i].critical = true;
}

/* A snapshot of the catalog alone, or NULL when it cannot be read. */
static lake_snapshot *collector_saved_catalog(const collector *c) {
    const collector_options *o = &c->options;
    lake_snapshot *s = snapshot_new(o->source->name);
    char *error = NULL;
    bool catalog_ok = true;
    if (o->source->read_catalog)
        catalog_ok = o->source->read_catalog(o->source, s, &error);
    free(error);
    if (!catalog_ok) {
        snapshot_release(s);
        return NULL;
    }
    return s;
}

/* Completes a catalog snapshot (taken) with the newest sample of each table
 * in `history`, without touching the data directories. NULL when there is
 * nothing saved to show. */
static lake_snapshot *collector_saved_finish(const collector *c, lake_snapshot *s,
                                             const history_store *history) {
    const collector_options *o = &c->options;
    if (!s || history_store_samples(history) == 0) {
        snapshot_release(s);
        return NULL;
    }
    if (!o->source->read_catalog)
        collector_rows_from_history(history, s);
    s->from_saved_state = true;
    s->generated_at = clock_now();
    /* when the saved figures were taken: the history's last save, for the
     * tables whose newest sample is of that day (a sample has only a day) */
    struct stat st;
    int64_t saved_at =
        c->history_path && stat(c->history_path, &st) == 0 ? (int64_t)st.st_mtime : -1;
    s->history_refused = history_store_refused_lines(history);
    collector_mark_critical(o, s->jobs, s->n_jobs);
    collector_mark_critical(o, s->state_machines, s->n_state_machines);
    for (size_t i = 0; i < s->n_tables; i++) {
        table_stats *t = &s->tables[i];
        collector_apply_thresholds(&o->thresholds, t);
        writers_apply(o->writers, t);
        collector_attach_history(history, t);
        if (t->n_history) {
            const history_sample *last = &t->history[t->n_history - 1];
            t->objects = last->objects;
            t->bytes = last->bytes;
            t->newest_object = last->newest_object;
            t->scanned_at = saved_at >= 0 && fmt_day_of(saved_at) == last->day
                                ? saved_at
                                : (int64_t)last->day * 86400;
        }
    }
    collector_insight_settings(o, s);
    derive_snapshot(s);
    return s;
}

static void collector_publish(collector *c, lake_snapshot *s);

/* Publishes the saved figures, the first frame's: from the recent history
 * as soon as it and the catalog are read, then from the whole history (its
 * longer charts). Loads the history into c->history; its message (if any)
 * goes to *history_msg. */
static void collector_publish_saved(collector *c, char **history_msg) {
    collector_loader loader = {.history = c->history, .path = c->history_path};
    pthread_mutex_init(&loader.lock, NULL);
    pthread_cond_init(&loader.done, NULL);
    pthread_t thread;
    bool threaded = pthread_create(&thread, NULL, collector_load_history_thread, &loader) == 0;
    if (!threaded)
        collector_load_history_thread(&loader);
    lake_snapshot *s = collector_saved_catalog(c);
    pthread_mutex_lock(&loader.lock);
    while (!loader.recent_done)
        pthread_cond_wait(&loader.done, &loader.lock);
    history_store *recent = loader.recent;
    pthread_mutex_unlock(&loader.lock);
    if (recent && s) {
        lake_snapshot *first = collector_saved_finish(c, s, recent);
        if (first)
            collector_publish(c, first);
        s = collector_saved_catalog(c); /* while the whole history loads */
    }
    history_store_free(recent);
    if (threaded)
        pthread_join(thread, NULL);
    pthread_mutex_destroy(&loader.lock);
    pthread_cond_destroy(&loader.done);
    c->history_writable = loader.writable;
    *history_msg = loader.message;
    lake_snapshot *saved = collector_saved_finish(c, s, c->history);
    if (saved)
        collector_publish(c, saved);
}

/* A database whose tables could not be listed (its GetTables failed) would
 * look empty: it keeps the tables the previous snapshot had for it, each
 * marked with the reason (their figures are then the last good ones, with
 * their age, as for any table that could not be refreshed). */
static void collector_keep_unread_databases(lake_snapshot *s, const lake_snapshot *previous) {
    if (!previous)
        return;
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        bool has_tables = false;
        for (size_t k = 0; k < s->n_tables && !has_tables; k++)
            has_tables = strcmp(s->tables[k].database, d->name) == 0;
        const database_stats *old =
            d->error && !has_tables ? snapshot_find_database(previous, d->name) : NULL;
        if (!old || !old->n_tables)
            continue;
        s->tables = xrealloc(s->tables, (s->n_tables + old->n_tables) * sizeof *s->tables);
        for (size_t k = 0; k < old->n_tables; k++) {
            table_stats *t = &s->tables[s->n_tables++];
            table_stats_copy(t, &previous->tables[old->first_table + k]);
            free(t->error);
            t->error = xasprintf("database %s could not be read: %s", d->name, d->error);
        }
    }
}

/* A table that could not be refreshed keeps its last open-format figures
 * (those of the same table format) beside its last objects and bytes. */
static void collector_keep_formats(table_stats *t, const table_stats *old) {
    if (t->table_format != old->table_format || t->s3_objects >= 0)
        return;
    t->origin = old->origin;
    t->format_version = old->format_version;
    t->records = old->records;
    t->delete_files = old->delete_files;
    t->delete_bytes = old->delete_bytes;
    t->snapshots = old->snapshots;
    t->oldest_snapshot = old->oldest_snapshot;
    t->last_commit = old->last_commit;
    t->s3_objects = old->s3_objects;
    t->s3_bytes = old->s3_bytes;
    t->storage = old->storage;
    t->has_storage = old->has_storage;
    t->metadata_bytes = old->metadata_bytes;
    t->unreferenced_objects = old->unreferenced_objects;
    t->unreferenced_bytes = old->unreferenced_bytes;
    t->retained_bytes = old->retained_bytes;
    free(t->metadata_location);
    t->metadata_location = old->metadata_location ? xstrdup(old->metadata_location) : NULL;
    free(t->partition_spec);
    t->partition_spec = old->partition_spec ? xstrdup(old->partition_spec) : NULL;
    table_commits_free(t->commits, t->n_commits);
    t->commits = table_commits_copy(old->commits, old->n_commits);
    t->n_commits = old->n_commits;
}

/* The data objects at a table's newest sample, for the source (size_hint). */
static int64_t collector_size_hint(void *ctx, const char *database, const char *table) {
    size_t n;
    const history_sample *series = history_store_series(ctx, database, table, &n);
    return n ? series[n - 1].objects : -1;
}

/* One full refresh. `previous` (may be NULL) supplies the last good figures
 * of tables whose scan fails. On a source-level failure returns NULL with
 * *error. `history_error` receives a history save failure, if any. When
 * *stop (may be NULL) becomes true the scan is abandoned between tables and
 * NULL is returned with no error, so quitting never waits for a long scan. */
static lake_snapshot *collector_build(const collector_options *o, history_store *history,
                                      const char *history_path, const lake_snapshot *previous,
                                      const bool *stop, char **error, char **history_error) {
    int64_t started = clock_monotonic_ms();
    lake_snapshot *s = snapshot_new(o->source->name);
    int64_t now = clock_now();
    int32_t today = fmt_day_of(now);
    o->source->size_hint = collector_size_hint;
    o->source->size_hint_ctx = history;
    if (!o->source->refresh(o->source, s, stop, error)) {
        snapshot_release(s);
        return NULL;
    }
    collector_mark_critical(o, s->jobs, s->n_jobs);
    collector_mark_critical(o, s->state_machines, s->n_state_machines);
    collector_keep_unread_databases(s, previous);
    for (size_t i = 0; i < s->n_tables; i++) {
        table_stats *t = &s->tables[i];
        collector_apply_thresholds(&o->thresholds, t);
        writers_apply(o->writers, t);
        if (!t->error)
            t->scanned_at = now;
        if (t->error) {
            const table_stats *old =
                previous ? snapshot_find_table(previous, t->database, t->name) : NULL;
            if (old && old->objects >= 0) {
                t->objects = old->objects;
                t->bytes = old->bytes;
                t->newest_object = old->newest_object;
                t->partitions = old->partitions;
                t->marker_objects = old->marker_objects;
                if (t->catalog_partitions < 0)
                    t->catalog_partitions = old->catalog_partitions;
                t->scanned_at = old->scanned_at;
                collector_keep_formats(t, old);
            } else {
                t->scanned_at = -1;
            }
        } else if (t->objects >= 0 && t->bytes >= 0) {
            /* a table without storage figures (a view) has no sample */
            history_sample sample = {.day = today,
                                     .bytes = t->bytes,
                                     .objects = t->objects,
                                     .newest_object = t->newest_object};
            history_store_record(history, t->database, t->name, &sample);
        }
    }
    history_store_prune(history, today - HISTORY_KEEP_DAYS);
    for (size_t i = 0; i < s->n_tables; i++) {
        table_stats *t = &s->tables[i];
        collector_attach_history(history, t);
        /* an Iceberg or Delta table's own commits give it its past at once
         * (formats.h); the samples fill the days without a commit */
        if (t->n_commits)
            formats_history_merge(t, &t->history, &t->n_history);
    }
    s->history_refused = history_store_refused_lines(history);
    s->generated_at = now;
    if (o->sync)
        zones_describe(o->sync, o->source->objects ? o->source : o->s3, s);
    collector_insight_settings(o, s);
    derive_snapshot(s);
    if (history_path && history_store_save(history, history_path, history_error))
        history_recent_save(history, history_path, history_error);
    s->scan_ms = clock_monotonic_ms() - started;
    return s;
}

lake_snapshot *collector_refresh_once(const collector_options *o, char **error) {
    history_store *history = history_store_new();
    bool writable;
    char *history_msg = collector_load_history(history, o->history_path, &writable);
    char *save_error = NULL;
    lake_snapshot *s = collector_build(o, history, writable ? o->history_path : NULL, NULL, NULL,
                                       error, &save_error);
    if (s && (history_msg || save_error) && !s->error) {
        /* Not fatal for the figures: reported beside them. */
        s->error = xstrdup(save_error ? save_error : history_msg);
    } else if (s && history_msg) { /* beside the source's own error, not instead */
        char *both = xasprintf("%s; %s", s->error, history_msg);
        free(s->error);
        s->error = both;
    }
    free(history_msg);
    free(save_error);
    history_store_free(history);
    return s;
}

static void collector_notify(collector *c) {
    if (c->options.notify_fd < 0)
        return;
    char byte = 1;
    /* A full pipe already means "something new": the write may fail. */
    ssize_t ignored = write(c->options.notify_fd, &byte, 1);
    (void)ignored;
}

static void collector_publish(collector *c, lake_snapshot *s) {
    pthread_mutex_lock(&c->lock);
    lake_snapshot *old = c->published;
    c->published = s;
    pthread_mutex_unlock(&c->lock);
    snapshot_release(old);
    collector_notify(c);
}

static void collector_set_state(collector *c, collector_state state, bool finished,
                                char *error /* taken */) {
    pthread_mutex_lock(&c->lock);
    c->status.state = state;
    if (finished) {
        free(c->status.last_error);
        c->status.last_error = error;
        c->status.last_refresh = clock_now();
        c->status.refreshes++;
    } else {
        free(error);
    }
    pthread_mutex_unlock(&c->lock);
    collector_notify(c);
}

static void *collector_main(void *arg) {
    collector *c = arg;
    char *history_msg = NULL;
    collector_publish_saved(c, &history_msg);
    for (;;) {
        collector_set_state(c, COLLECTOR_SCANNING, false, NULL);
        lake_snapshot *previous = collector_acquire(c);
        char *error = NULL, *history_error = NULL;
        lake_snapshot *s =
            collector_build(&c->options, c->history, c->history_writable ? c->history_path : NULL,
                            previous, &c->stop, &error, &history_error);
        snapshot_release(previous);
        if (s)
            collector_publish(c, s);
        if (!error && history_error)
            error = history_error;
        else
            free(history_error);
        if (!error && history_msg)
            error = xstrdup(history_msg);
        bool failed = s == NULL && error != NULL;
        collector_set_state(c, COLLECTOR_IDLE, true, error);

        pthread_mutex_lock(&c->lock);
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        /* a source that could not be read at all is tried again sooner */
        int wait = c->options.interval_seconds;
        if (failed && wait > COLLECTOR_RETRY_SECONDS)
            wait = COLLECTOR_RETRY_SECONDS;
        deadline.tv_sec += wait;
        while (!c->stop && !c->refresh_requested) {
            if (pthread_cond_timedwait(&c->wake, &c->lock, &deadline) == ETIMEDOUT)
                break;
        }
        bool stop = c->stop;
        c->refresh_requested = false;
        pthread_mutex_unlock(&c->lock);
        if (stop)
            break;
    }
    free(history_msg);
    collector_set_state(c, COLLECTOR_STOPPED, false, NULL);
    return NULL;
}

collector *collector_start(const collector_options *options) {
    collector *c = xcalloc(1, sizeof *c);
    c->options = *options;
    c->history_path = options->history_path ? xstrdup(options->history_path) : NULL;
    c->options.history_path = c->history_path;
    thresholds_copy(&c->options.thresholds, &options->thresholds);
    if (c->options.interval_seconds < 1)
        c->options.interval_seconds = 1;
    c->history = history_store_new();
    c->status.state = COLLECTOR_STARTING;
    c->status.last_refresh = -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->wake, &attr);
    pthread_condattr_destroy(&attr);
    int rc = pthread_create(&c->thread, NULL, collector_main, c);
    if (rc != 0)
        xfatal("cannot start the collector thread: %s", strerror(rc));
    return c;
}

void collector_refresh_now(collector *c) {
    pthread_mutex_lock(&c->lock);
    c->refresh_requested = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
}

lake_snapshot *collector_acquire(collector *c) {
    pthread_mutex_lock(&c->lock);
    lake_snapshot *s = c->published;
    if (s)
        snapshot_retain(s);
    pthread_mutex_unlock(&c->lock);
    return s;
}

void collector_get_status(collector *c, collector_status *status) {
    pthread_mutex_lock(&c->lock);
    *status = c->status;
    status->last_error = c->status.last_error ? xstrdup(c->status.last_error) : NULL;
    pthread_mutex_unlock(&c->lock);
}

void collector_stop(collector *c) {
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    __atomic_store_n(&c->stop, true, __ATOMIC_RELAXED); /* also read by a running scan */
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    snapshot_release(c->published);
    free(c->status.last_error);
    history_store_free(c->history);
    thresholds_free(&c->options.thresholds);
    free(c->history_path);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    free(c);
}
