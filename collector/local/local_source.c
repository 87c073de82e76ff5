/* local_source.c: the local lake as a lake_source: a refresh reads the
 * catalog (local_catalog.c), scans each table (local_scan.c) and reads the
 * query log and the jobs' run log (local_jobs.c); crawlers run through
 * local_crawler.c, jobs through local_job_runner.c. */
#include "collector/local/local_source.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "collector/figures/pipeline.h"
#include "collector/figures/queries.h"
#include "collector/local/local_catalog.h"
#include "collector/local/local_crawler.h"
#include "collector/local/local_formats.h"
#include "collector/local/local_job_runner.h"
#include "collector/local/local_jobs.h"
#include "collector/local/local_scan.h"

/* The local lake as a lake_source. */
typedef struct local_source {
    lake_source base;
    char *lake_dir;
    local_crawler_def *crawlers;
    size_t n_crawlers;
    formats_cache *formats; /* the open-format tables' metadata, across refreshes */
    struct local_source_job {
        char *name, *command, *description;
    } * jobs; /* the [job NAME] sections with a command */
    size_t n_jobs;
    pthread_mutex_t lock; /* guards supervisors */
    long *supervisors;    /* runs started with wait, not yet reaped */
    size_t n_supervisors;
} local_source;

static void local_source_describe_crawlers(local_source *l, lake_snapshot *s) {
    if (!l->n_crawlers)
        return;
    s->crawlers = xcalloc(l->n_crawlers, sizeof *s->crawlers);
    for (size_t i = 0; i < l->n_crawlers; i++)
        local_crawler_describe(l->lake_dir, &l->crawlers[i], &s->crawlers[s->n_crawlers++]);
}

static const local_crawler_def *local_source_crawler(local_source *l, const char *name) {
    for (size_t i = 0; i < l->n_crawlers; i++)
        if (strcmp(l->crawlers[i].name, name) == 0)
            return &l->crawlers[i];
    return NULL;
}

static bool local_source_start_crawler(lake_source *self, const char *name, char **error) {
    local_source *l = (local_source *)self;
    const local_crawler_def *def = local_source_crawler(l, name);
    if (!def) {
        *error = xasprintf("EntityNotFoundException: no crawler named %s ([crawler %s] in the "
                           "config)",
                           name, name);
        return false;
    }
    /* a local crawl runs to the end here; its result is in the state file,
     * which get_crawler reads */
    local_crawl_result r;
    char *crawl_error = NULL;
    if (!local_crawler_run(l->lake_dir, def, clock_now(), &r, &crawl_error))
        free(crawl_error); /* recorded as the crawl's ErrorMessage */
    return true;
}

static bool local_source_get_crawler(lake_source *self, const char *name, crawler_info *out,
                                     char **error) {
    local_source *l = (local_source *)self;
    const local_crawler_def *def = local_source_crawler(l, name);
    if (!def) {
        *error = xasprintf("EntityNotFoundException: no crawler named %s", name);
        return false;
    }
    local_crawler_describe(l->lake_dir, def, out);
    return true;
}

void local_source_add_crawler(lake_source *source, const char *name, const char *path,
                              const char *database) {
    local_source *l = (local_source *)source;
    l->crawlers = xrealloc(l->crawlers, (l->n_crawlers + 1) * sizeof *l->crawlers);
    l->crawlers[l->n_crawlers++] = (local_crawler_def){
        .name = xstrdup(name), .path = xstrdup(path), .database = xstrdup(database)};
}

void local_source_add_job(lake_source *source, const char *name, const char *command,
                          const char *description) {
    local_source *l = (local_source *)source;
    l->jobs = xrealloc(l->jobs, (l->n_jobs + 1) * sizeof *l->jobs);
    l->jobs[l->n_jobs++] = (struct local_source_job){
        .name = xstrdup(name),
        .command = xstrdup(command),
        .description = xstrdup(description && description[0] ? description : command)};
}

static const struct local_source_job *local_source_job(local_source *l, const char *name) {
    for (size_t i = 0; i < l->n_jobs; i++)
        if (strcmp(l->jobs[i].name, name) == 0)
            return &l->jobs[i];
    return NULL;
}

static bool local_source_start_job(lake_source *self, const char *name, char *const *args,
                                   size_t n_args, bool wait_hint, char **run_id, char **error) {
    local_source *l = (local_source *)self;
    const struct local_source_job *job = local_source_job(l, name);
    if (!job) {
        *error = xasprintf("EntityNotFoundException: no job named %s ([job %s] with a command "
                           "in the config)",
                           name, name);
        return false;
    }
    local_job_start start = {.lake_dir = l->lake_dir,
                             .name = job->name,
                             .command = job->command,
                             .args = args,
                             .n_args = n_args,
                             .wait = wait_hint};
    long supervisor;
    if (!local_job_runner_start(&start, run_id, &supervisor, error))
        return false;
    if (wait_hint) { /* reaped when its run is seen ended */
        pthread_mutex_lock(&l->lock);
        l->supervisors = xrealloc(l->supervisors, (l->n_supervisors + 1) * sizeof *l->supervisors);
        l->supervisors[l->n_supervisors++] = supervisor;
        pthread_mutex_unlock(&l->lock);
    }
    return true;
}

/* Reaps the supervisor of run `id` if this source started it: at once
 * (`wait`: its run ended, it exits right away), or only if it already
 * ended; true when it was reaped. */
static bool local_source_reap(local_source *l, const char *id, bool wait) {
    long pid = local_jobs_id_pid(id);
    bool reaped = false;
    pthread_mutex_lock(&l->lock);
    for (size_t i = 0; i < l->n_supervisors && !reaped; i++)
        if (l->supervisors[i] == pid && (!wait ? local_job_runner_gone(pid) : true)) {
            if (wait)
                local_job_runner_reap(pid);
            l->supervisors[i] = l->supervisors[--l->n_supervisors];
            reaped = true;
        }
    pthread_mutex_unlock(&l->lock);
    return reaped;
}

static bool local_source_get_job_run(lake_source *self, const char *name, const char *run_id,
                                     pipeline_run *out, char **error) {
    local_source *l = (local_source *)self;
    /* our supervisor of the run already gone (killed outright): collected
     * before the log is read, so that its last line, if it wrote one, is
     * seen, and if not, the run is settled below (STOPPED) */
    local_source_reap(l, run_id, false);
    char *path = local_jobs_path(l->lake_dir);
    local_jobs_log log;
    bool ok = local_jobs_read(path, &log, error);
    local_jobs_entry *e = ok ? (local_jobs_entry *)local_jobs_find(&log, run_id) : NULL;
    if (ok && (!e || strcmp(e->job, name) != 0)) {
        *error =
            xasprintf("EntityNotFoundException: %s has no run %s of job %s", path, run_id, name);
        ok = false;
    }
    if (ok) {
        pipeline_run_clear(out);
        *out = e->run;
        memset(&e->run, 0, sizeof e->run);
        if (pipeline_outcome_ended(pipeline_state_outcome(out->state)))
            local_source_reap(l, out->id, true);
        else
            local_job_runner_settle(out); /* STOPPED when its supervisor is gone */
    }
    local_jobs_log_free(&log);
    free(path);
    return ok;
}

/* snapshot->jobs: each [job NAME] with a command, its runs from the log
 * (runs of jobs no longer declared are left out). */
static void local_source_describe_jobs(local_source *l, lake_snapshot *s) {
    if (!l->n_jobs)
        return;
    char *path = local_jobs_path(l->lake_dir), *error = NULL;
    local_jobs_log log;
    bool read = local_jobs_read(path, &log, &error);
    if (!read)
        s->pipeline_error = xstrdup(error);
    else if (log.broken_lines)
        s->pipeline_error = xasprintf("%s: %zu %s not a run, skipped", path, log.broken_lines,
                                      log.broken_lines == 1 ? "line is" : "lines are");
    int64_t now = clock_now();
    s->jobs = xcalloc(l->n_jobs, sizeof *s->jobs);
    for (size_t i = 0; i < l->n_jobs; i++) {
        pipeline_job *j = &s->jobs[s->n_jobs++];
        pipeline_job_clear(j);
        j->name = xstrdup(l->jobs[i].name);
        j->kind = PIPELINE_LOCAL;
        j->description = xstrdup(l->jobs[i].description);
        if (!read)
            j->error = xstrdup(error);
        size_t n = 0;
        for (size_t k = 0; k < log.n; k++)
            n += strcmp(log.entries[k].job, j->name) == 0;
        j->runs = n ? xcalloc(n, sizeof *j->runs) : NULL;
        for (size_t k = 0; k < log.n; k++) {
            if (strcmp(log.entries[k].job, j->name) != 0)
                continue;
            pipeline_run *r = &j->runs[j->n_runs++];
            *r = log.entries[k].run;
            memset(&log.entries[k].run, 0, sizeof log.entries[k].run);
            local_job_runner_settle(r);
        }
        pipeline_keep_runs(j, now);
    }
    local_jobs_log_free(&log);
    free(error);
    free(path);
}

static bool local_source_read_catalog(lake_source *self, lake_snapshot *s, char **error) {
    if (!local_catalog_read(((local_source *)self)->lake_dir, s, error))
        return false;
    local_source_describe_crawlers((local_source *)self, s);
    local_source_describe_jobs((local_source *)self, s); /* a small file: the first frame too */
    return true;
}

static bool local_source_refresh(lake_source *self, lake_snapshot *s, const bool *stop,
                                 char **error) {
    local_source *l = (local_source *)self;
    if (!local_catalog_read(l->lake_dir, s, error))
        return false;
    local_source_describe_crawlers(l, s);
    for (size_t i = 0; i < s->n_tables; i++) {
        if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
            *error = NULL;
            return false;
        }
        table_stats *t = &s->tables[i];
        if (t->error)
            continue;
        /* a table the catalog says is Iceberg, Delta or Hudi: one listing,
         * in formats_measure; the scan may find a _delta_log/ or .hoodie/ */
        formats_detect(t, NULL, 0);
        if (t->table_format == TABLE_FORMAT_HIVE)
            local_scan_table(l->lake_dir, t);
        if (t->table_format != TABLE_FORMAT_HIVE && !t->error) {
            formats_io io;
            local_formats_io(&io, l->lake_dir);
            formats_measure(t, &io, l->formats, clock_now());
        }
    }
    /* the query log, when the lake keeps one: a broken log costs the
     * counts, never the refresh */
    char *log = xasprintf("%s/.laketop/queries.jsonl", l->lake_dir);
    char *log_error = NULL;
    if (!queries_read_log(log, s, clock_now(), &log_error))
        free(log_error);
    free(log);
    local_source_describe_jobs(l, s);
    return true;
}

static void local_source_free(lake_source *self) {
    local_source *l = (local_source *)self;
    for (size_t i = 0; i < l->n_crawlers; i++) {
        free(l->crawlers[i].name);
        free(l->crawlers[i].path);
        free(l->crawlers[i].database);
    }
    free(l->crawlers);
    for (size_t i = 0; i < l->n_jobs; i++) {
        free(l->jobs[i].name);
        free(l->jobs[i].command);
        free(l->jobs[i].description);
    }
    free(l->jobs);
    free(l->supervisors); /* runs not followed to their end: their supervisors, once
                             the caller goes, stop them (local_job_runner.h) */
    pthread_mutex_destroy(&l->lock);
    formats_cache_free(l->formats);
    free(l->lake_dir);
    free(l->base.name);
    free(l);
}

/* The catalog's dump and restore writes (local_catalog.h). */
static bool local_source_dump(lake_source *self, json_object **dump, char **error) {
    return local_catalog_dump(((local_source *)self)->lake_dir, dump, error);
}

static bool local_source_create_database(lake_source *self, json_object *database, char **error) {
    return local_catalog_create_database(((local_source *)self)->lake_dir, database, error);
}

static bool local_source_put_table(lake_source *self, const char *database, json_object *table,
                                   bool replace, char **error) {
    return local_catalog_put_table(((local_source *)self)->lake_dir, database, table, replace,
                                   error);
}

static bool local_source_add_partitions(lake_source *self, const char *database, const char *table,
                                        json_object *partitions, char **error) {
    return local_catalog_add_partitions(((local_source *)self)->lake_dir, database, table,
                                        partitions, error);
}

lake_source *local_source_new(const char *lake_dir) {
    local_source *l = xcalloc(1, sizeof *l);
    l->lake_dir = xstrdup(lake_dir);
    l->formats = formats_cache_new();
    l->base.name = xasprintf("local:%s", lake_dir);
    l->base.refresh = local_source_refresh;
    l->base.read_catalog = local_source_read_catalog;
    l->base.dump_catalog = local_source_dump;
    static const source_catalog_writes writes = {.create_database = local_source_create_database,
                                                 .put_table = local_source_put_table,
                                                 .add_partitions = local_source_add_partitions};
    static const source_crawlers crawlers = {.start_crawler = local_source_start_crawler,
                                             .get_crawler = local_source_get_crawler};
    static const source_pipeline pipeline = {.start_job = local_source_start_job,
                                             .get_job_run = local_source_get_job_run};
    l->base.writes = &writes;
    l->base.crawlers = &crawlers;
    l->base.pipeline = &pipeline;
    pthread_mutex_init(&l->lock, NULL);
    l->base.free = local_source_free;
    return &l->base;
}
