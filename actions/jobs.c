/* jobs.c: background actions, one thread each, with shared progress state. */
#include "actions/jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/xalloc.h"

struct job_progress {
    jobs *owner;
    size_t index;
};

typedef struct job {
    job_status status;
    job_fn fn;
    void *ctx;
    void (*free_ctx)(void *);
    pthread_t thread;
    job_progress progress;
} job;

struct jobs {
    pthread_mutex_t lock;
    job **list;
    size_t n;
    size_t cap;
    int next_id;
    int notify_fd;
};

static void jobs_notify(jobs *j) {
    if (j->notify_fd < 0)
        return;
    char byte = 2;
    ssize_t ignored = write(j->notify_fd, &byte, 1);
    (void)ignored;
}

jobs *jobs_new(int notify_fd) {
    jobs *j = xcalloc(1, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    j->notify_fd = notify_fd;
    j->next_id = 1;
    return j;
}

void job_progress_set(job_progress *p, double fraction, const char *message) {
    jobs *j = p->owner;
    pthread_mutex_lock(&j->lock);
    job *jb = j->list[p->index];
    jb->status.progress = fraction;
    if (message) {
        free(jb->status.message);
        jb->status.message = xstrdup(message);
    }
    pthread_mutex_unlock(&j->lock);
    jobs_notify(j);
}

static void *jobs_main(void *arg) {
    job_progress *p = arg;
    jobs *j = p->owner;
    pthread_mutex_lock(&j->lock);
    job *jb = j->list[p->index];
    job_fn fn = jb->fn;
    void *ctx = jb->ctx;
    pthread_mutex_unlock(&j->lock);
    char *result = NULL;
    bool ok = fn(ctx, p, &result);
    pthread_mutex_lock(&j->lock);
    jb = j->list[p->index];
    jb->status.state = ok ? JOB_SUCCEEDED : JOB_FAILED;
    jb->status.progress = ok ? 1.0 : jb->status.progress;
    free(jb->status.message);
    jb->status.message = result ? result : xstrdup(ok ? "done" : "failed");
    jb->status.finished = clock_monotonic_ms();
    pthread_mutex_unlock(&j->lock);
    if (jb->free_ctx)
        jb->free_ctx(ctx);
    jobs_notify(j);
    return NULL;
}

int jobs_start(jobs *j, const char *title, const char *target, bool changes_lake, job_fn fn,
               void *ctx, void (*free_ctx)(void *)) {
    job *nj = xcalloc(1, sizeof *nj);
    nj->status.changes_lake = changes_lake;
    nj->fn = fn;
    nj->ctx = ctx;
    nj->free_ctx = free_ctx;
    nj->status.title = xstrdup(title);
    nj->status.target = xstrdup(target);
    nj->status.state = JOB_RUNNING;
    nj->status.progress = -1;
    nj->status.message = xstrdup("starting");
    nj->status.started = clock_monotonic_ms();
    pthread_mutex_lock(&j->lock);
    nj->status.id = j->next_id++;
    j->list = xgrow(j->list, &j->cap, j->n + 1, sizeof *j->list);
    nj->progress = (job_progress){.owner = j, .index = j->n};
    j->list[j->n++] = nj;
    int id = nj->status.id;
    if (pthread_create(&nj->thread, NULL, jobs_main, &nj->progress) != 0)
        xfatal("cannot start a job thread");
    pthread_mutex_unlock(&j->lock);
    jobs_notify(j);
    return id;
}

size_t jobs_snapshot(jobs *j, job_status **out) {
    pthread_mutex_lock(&j->lock);
    size_t n = j->n;
    *out = xcalloc(n ? n : 1, sizeof **out);
    for (size_t i = 0; i < n; i++) {
        const job_status *s = &j->list[n - 1 - i]->status;
        (*out)[i] = *s;
        (*out)[i].title = xstrdup(s->title);
        (*out)[i].target = xstrdup(s->target);
        (*out)[i].message = xstrdup(s->message ? s->message : "");
    }
    pthread_mutex_unlock(&j->lock);
    return n;
}

void jobs_status_free(job_status *list, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(list[i].title);
        free(list[i].target);
        free(list[i].message);
    }
    free(list);
}

size_t jobs_running(jobs *j) {
    pthread_mutex_lock(&j->lock);
    size_t running = 0;
    for (size_t i = 0; i < j->n; i++)
        running += j->list[i]->status.state == JOB_RUNNING;
    pthread_mutex_unlock(&j->lock);
    return running;
}

void jobs_free(jobs *j) {
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        pthread_join(j->list[i]->thread, NULL);
        free(j->list[i]->status.title);
        free(j->list[i]->status.target);
        free(j->list[i]->status.message);
        free(j->list[i]);
    }
    free(j->list);
    pthread_mutex_destroy(&j->lock);
    free(j);
}
