/* sync.c: zone-to-zone copies: plan by comparing listings, apply safely. */
#include "actions/sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "actions/audit.h"

/* Lists a zone under the rule's prefixes; `clean` deletes the partial
 * copies a killed sync left there (the destination's). */
static bool sync_list_zone(const zone *z, const sync_rule *r, lake_source *s3, zone_listing *out,
                           bool clean, char **error) {
    if (!zones_list(z, r->prefixes, r->n_prefixes, s3, out, error))
        return false;
    for (size_t i = 0; clean && i < out->n_partials; i++)
        unlink(out->partials[i]);
    return true;
}

static void sync_take(object_entry **list, size_t *n, size_t *cap, const object_entry *item) {
    *list = xgrow(*list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = (object_entry){.key = xstrdup(item->key),
                                     .size = item->size,
                                     .mtime = item->mtime,
                                     .etag = item->etag ? xstrdup(item->etag) : NULL};
}

/* Same object? Local files: size and modification time. S3: size and ETag,
 * unless one is a multipart ETag ("...-N"), which a copy changes. Between a
 * local and an S3 zone: size, and the copy no older than the source (an
 * upload is newer than its file; a download gets its object's time). */
static bool sync_same(const object_entry *src, const object_entry *dst) {
    const object_entry *a = src, *b = dst;
    if (a->size != b->size)
        return false;
    if (!a->etag != !b->etag)
        return dst->mtime >= src->mtime;
    if (!a->etag)
        return a->mtime == b->mtime;
    if (strchr(a->etag, '-') || strchr(b->etag, '-'))
        return true;
    return strcmp(a->etag, b->etag) == 0;
}

bool sync_plan_build(const sync_config *c, const sync_rule *rule, lake_source *s3, sync_plan *plan,
                     char **error) {
    memset(plan, 0, sizeof *plan);
    const zone *from = zones_find(c, rule->from), *to = zones_find(c, rule->to);
    if (!from || !to) {
        *error = xasprintf("sync rule %s names a zone that is not defined", rule->name);
        return false;
    }
    zone_listing src, dst;
    if (!sync_list_zone(from, rule, s3, &src, false, error))
        return false;
    if (!sync_list_zone(to, rule, s3, &dst, false, error)) {
        zones_listing_free(&src);
        return false;
    }
    size_t cap_copy = 0, cap_remove = 0, i = 0, k = 0;
    while (i < src.n || k < dst.n) {
        int cmp = i >= src.n ? 1 : k >= dst.n ? -1 : strcmp(src.items[i].key, dst.items[k].key);
        if (cmp < 0) {
            sync_take(&plan->copy, &plan->n_copy, &cap_copy, &src.items[i]);
            plan->bytes_to_copy += src.items[i++].size;
        } else if (cmp > 0) {
            sync_take(&plan->remove, &plan->n_remove, &cap_remove, &dst.items[k++]);
        } else {
            if (!sync_same(&src.items[i], &dst.items[k])) {
                sync_take(&plan->copy, &plan->n_copy, &cap_copy, &src.items[i]);
                plan->bytes_to_copy += src.items[i].size;
            } else {
                plan->n_same++;
            }
            i++;
            k++;
        }
    }
    zones_listing_free(&src);
    zones_listing_free(&dst);
    return true;
}

void sync_plan_free(sync_plan *p) {
    for (size_t i = 0; i < p->n_copy; i++) {
        free(p->copy[i].key);
        free(p->copy[i].etag);
    }
    for (size_t i = 0; i < p->n_remove; i++) {
        free(p->remove[i].key);
        free(p->remove[i].etag);
    }
    free(p->copy);
    free(p->remove);
    memset(p, 0, sizeof *p);
}

/* Puts one object in place the way every sync does: `fill` writes it into a
 * partial name beside `to`, then fsync, the source's time, rename. A
 * failure leaves no partial file; *error names `what` (set by fill, or
 * here). */
static bool sync_place(const char *to, int64_t mtime, const char *what,
                       bool (*fill)(void *ctx, int fd, char **error), void *ctx, char **error) {
    char *dir = xstrdup(to);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (!fs_mkdirs(dir, error)) {
        free(dir);
        return false;
    }
    char *tmp =
        xasprintf("%s/%s%ld-%s", dir, ZONES_PARTIAL, (long)getpid(), slash ? slash + 1 : to);
    free(dir);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char *why = NULL;
    bool ok = out >= 0 && fill(ctx, out, &why);
    ok = ok && fsync(out) == 0;
    if (out >= 0 && close(out) != 0)
        ok = false;
    if (ok) {
        struct timeval tv[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
        ok = utimes(tmp, tv) == 0 && rename(tmp, to) == 0;
    }
    if (!ok) {
        *error = why ? why : xasprintf("cannot %s to %s: %s", what, to, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

static bool sync_fill_from_file(void *ctx, int out, char **error) {
    (void)error; /* errno tells */
    int in = open((const char *)ctx, O_RDONLY | O_CLOEXEC);
    bool ok = in >= 0;
    char buf[1 << 16];
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0 && write(out, buf, (size_t)n) == n;
    }
    if (in >= 0) {
        int saved = errno;
        close(in);
        errno = saved;
    }
    return ok;
}

/* Copies one local file. */
static bool sync_copy_file(const char *from, const char *to, int64_t mtime, char **error) {
    char *what = xasprintf("copy %s", from);
    bool ok = sync_place(to, mtime, what, sync_fill_from_file, (void *)from, error);
    free(what);
    return ok;
}

typedef struct sync_s3_progress {
    void (*progress)(void *, size_t, size_t);
    void *ctx;
    size_t total;
} sync_s3_progress;

static void sync_s3_progressed(void *ctx, size_t done) {
    sync_s3_progress *p = ctx;
    if (p->progress)
        p->progress(p->ctx, done, p->total);
}

/* Both zones on S3: server-side copies, then deletions when the rule says so. */
static bool sync_apply_s3(const zone *from, const zone *to, const sync_rule *rule, lake_source *s3,
                          const sync_plan *plan, void (*progress)(void *, size_t, size_t),
                          void *ctx, size_t *copied, size_t *removed, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("sync rule %s needs the AWS options for its s3:// zones", rule->name);
        return false;
    }
    char *fb, *fp, *tb, *tp;
    storage_s3_parse(from->uri, &fb, &fp, NULL);
    storage_s3_parse(to->uri, &tb, &tp, NULL);
    object_copy *copies = xcalloc(plan->n_copy ? plan->n_copy : 1, sizeof *copies);
    char **keys = xcalloc(plan->n_copy * 2 + plan->n_remove + 1, sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < plan->n_copy; i++) {
        keys[nk] = xasprintf("%s%s", fp, plan->copy[i].key);
        keys[nk + 1] = xasprintf("%s%s", tp, plan->copy[i].key);
        copies[i] = (object_copy){.from_bucket = fb,
                                  .from_key = keys[nk],
                                  .to_bucket = tb,
                                  .to_key = keys[nk + 1],
                                  .size = plan->copy[i].size};
        nk += 2;
    }
    sync_s3_progress sp = {progress, ctx, plan->n_copy + (rule->delete_extra ? plan->n_remove : 0)};
    bool ok =
        s3->objects->copy_objects(s3, copies, plan->n_copy, sync_s3_progressed, &sp, copied, error);
    if (ok && rule->delete_extra && plan->n_remove) {
        char **remove = keys + nk;
        for (size_t i = 0; i < plan->n_remove; i++)
            remove[i] = xasprintf("%s%s", tp, plan->remove[i].key);
        nk += plan->n_remove;
        ok = s3->objects->delete_objects(s3, tb, remove, plan->n_remove, removed, error);
    }
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    free(copies);
    free(fb);
    free(fp);
    free(tb);
    free(tp);
    return ok;
}

typedef struct sync_download_ctx {
    lake_source *s3;
    const char *bucket, *key;
} sync_download_ctx;

static bool sync_fill_from_s3(void *ctx, int out, char **error) {
    const sync_download_ctx *d = ctx;
    return d->s3->objects->download_file(d->s3, d->bucket, d->key, out, error);
}

/* Downloads one object (streamed into the partial file). */
static bool sync_download(lake_source *s3, const char *bucket, const char *key, const char *to,
                          int64_t mtime, char **error) {
    sync_download_ctx d = {s3, bucket, key};
    return sync_place(to, mtime, "download", sync_fill_from_s3, &d, error);
}

/* One local zone and one on S3: uploads or downloads, one object at a time,
 * then deletions when the rule says so. */
static bool sync_apply_mixed(const zone *from, const zone *to, const sync_rule *rule,
                             lake_source *s3, const sync_plan *plan,
                             void (*progress)(void *, size_t, size_t), void *ctx, size_t *copied,
                             size_t *removed, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("sync rule %s needs the AWS options for its s3:// zone", rule->name);
        return false;
    }
    bool up = storage_is_s3(to->uri);
    if (!up) { /* clears partial downloads a killed sync left behind */
        zone_listing stale;
        if (!sync_list_zone(to, rule, NULL, &stale, true, error))
            return false;
        zones_listing_free(&stale);
    }
    char *bucket, *prefix;
    storage_s3_parse((up ? to : from)->uri, &bucket, &prefix, NULL);
    const char *dir = zones_dir(up ? from : to);
    size_t total = plan->n_copy + (rule->delete_extra ? plan->n_remove : 0);
    bool ok = true;
    for (size_t i = 0; ok && i < plan->n_copy; i++) {
        char *key = xasprintf("%s%s", prefix, plan->copy[i].key);
        char *path = fs_join(dir, plan->copy[i].key);
        ok = up ? s3->objects->upload_file(s3, bucket, key, path, error)
                : sync_download(s3, bucket, key, path, plan->copy[i].mtime, error);
        free(key);
        free(path);
        if (ok) {
            (*copied)++;
            if (progress)
                progress(ctx, *copied, total);
        }
    }
    if (ok && rule->delete_extra && plan->n_remove) {
        if (up) {
            char **keys = xcalloc(plan->n_remove, sizeof *keys);
            for (size_t i = 0; i < plan->n_remove; i++)
                keys[i] = xasprintf("%s%s", prefix, plan->remove[i].key);
            ok = s3->objects->delete_objects(s3, bucket, keys, plan->n_remove, removed, error);
            for (size_t i = 0; i < plan->n_remove; i++)
                free(keys[i]);
            free(keys);
        } else {
            for (size_t i = 0; ok && i < plan->n_remove; i++) {
                char *path = fs_join(dir, plan->remove[i].key);
                if (unlink(path) != 0 && errno != ENOENT) {
                    *error = xasprintf("cannot delete %s: %s", path, strerror(errno));
                    ok = false;
                } else {
                    (*removed)++;
                }
                free(path);
            }
        }
        if (ok && progress)
            progress(ctx, *copied + *removed, total);
    }
    free(bucket);
    free(prefix);
    return ok;
}

bool sync_apply(const sync_config *c, const sync_rule *rule, lake_source *s3, const sync_plan *plan,
                void (*progress)(void *, size_t, size_t), void *ctx, size_t *copied,
                size_t *removed, char **error) {
    *copied = *removed = 0;
    const zone *from = zones_find(c, rule->from), *to = zones_find(c, rule->to);
    if (storage_is_s3(from->uri) && storage_is_s3(to->uri))
        return sync_apply_s3(from, to, rule, s3, plan, progress, ctx, copied, removed, error);
    if (storage_is_s3(from->uri) || storage_is_s3(to->uri))
        return sync_apply_mixed(from, to, rule, s3, plan, progress, ctx, copied, removed, error);
    zone_listing stale; /* clears partial copies a killed sync left behind */
    if (!sync_list_zone(to, rule, NULL, &stale, true, error))
        return false;
    zones_listing_free(&stale);
    size_t total = plan->n_copy + (rule->delete_extra ? plan->n_remove : 0);
    for (size_t i = 0; i < plan->n_copy; i++) {
        char *src = fs_join(zones_dir(from), plan->copy[i].key);
        char *dst = fs_join(zones_dir(to), plan->copy[i].key);
        bool ok = sync_copy_file(src, dst, plan->copy[i].mtime, error);
        free(src);
        free(dst);
        if (!ok)
            return false;
        (*copied)++;
        if (progress)
            progress(ctx, *copied, total);
    }
    if (!rule->delete_extra)
        return true;
    for (size_t i = 0; i < plan->n_remove; i++) {
        char *dst = fs_join(zones_dir(to), plan->remove[i].key);
        if (unlink(dst) != 0 && errno != ENOENT) {
            *error = xasprintf("cannot delete %s: %s", dst, strerror(errno));
            free(dst);
            return false;
        }
        free(dst);
        (*removed)++;
        if (progress)
            progress(ctx, *copied + *removed, total);
    }
    return true;
}

/* ---- state, description, jobs --------------------------------------------- */

void sync_state_record(const char *rule, bool ok, const char *result) {
    char *path = zones_runs_path();
    if (!path)
        return;
    json_object *all = zones_runs_load(path);
    json_object *entry = json_object_new_object();
    char when[32];
    json_object_object_add(entry, "time",
                           json_object_new_string(fmt_iso8601(clock_now(), when, sizeof when)));
    json_object_object_add(entry, "ok", json_object_new_boolean(ok));
    json_object_object_add(entry, "result", json_object_new_string(result));
    json_object_object_add(all, rule, entry);
    const char *text = json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY);
    char *error = NULL;
    if (!fs_write_atomic(path, text, strlen(text), &error))
        free(error); /* the state is a convenience: the audit log has the record */
    json_object_put(all);
    free(path);
}

char *sync_plan_summary(const sync_rule *rule, const sync_plan *plan) {
    char size[32];
    fmt_bytes(plan->bytes_to_copy, size, sizeof size);
    return xasprintf("%s -> %s: %zu objects (%s) to copy, %zu unchanged, %zu extra at the "
                     "destination%s",
                     rule->from, rule->to, plan->n_copy, size, plan->n_same, plan->n_remove,
                     plan->n_remove ? (rule->delete_extra ? " to delete" : " kept (delete = false)")
                                    : "");
}

static void sync_job_progress(void *ctx, size_t done, size_t total) {
    char line[64];
    snprintf(line, sizeof line, "%zu / %zu", done, total);
    job_progress_set(ctx, total ? (double)done / (double)total : 1.0, line);
}

bool sync_job_run(void *ctx, job_progress *progress, char **result) {
    sync_job *j = ctx;
    const sync_rule *rule = zones_find_rule(&j->config, j->rule);
    char *error = NULL;
    if (!rule) {
        *result = xasprintf("no sync rule named %s", j->rule);
        return false;
    }
    job_progress_set(progress, 0, "comparing the zones");
    lake_source *s3 = NULL;
    if (zones_use_s3(&j->config) && j->make_source && !(s3 = j->make_source(j->make_ctx, &error))) {
        *result = error;
        return false;
    }
    sync_plan plan;
    if (!sync_plan_build(&j->config, rule, s3, &plan, &error)) {
        *result = error;
        lake_source_free(s3);
        return false;
    }
    if (j->plan_only) {
        *result = sync_plan_summary(rule, &plan);
        sync_plan_free(&plan);
        lake_source_free(s3);
        return true;
    }
    size_t copied = 0, removed = 0;
    bool ok = sync_apply(&j->config, rule, s3, &plan, sync_job_progress, progress, &copied,
                         &removed, &error);
    lake_source_free(s3);
    char size[32];
    fmt_bytes(plan.bytes_to_copy, size, sizeof size);
    *result = ok ? xasprintf("copied %zu objects (%s), deleted %zu", copied, size, removed)
                 : xasprintf("%s (after %zu copied, %zu deleted)", error, copied, removed);
    free(error);
    sync_state_record(rule->name, ok, *result);
    audit_log(rule->from, "sync", rule->name, *result);
    sync_plan_free(&plan);
    return ok;
}

void sync_job_free(void *ctx) {
    sync_job *j = ctx;
    zones_config_free(&j->config);
    free(j->rule);
    free(j);
}
