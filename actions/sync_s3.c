/* sync_s3.c: a sync's work on S3 zones: server-side copies between two
 * S3 zones, uploads and downloads between a local zone and an S3 one. */
#include "actions/sync_internal.h"

#include <stdlib.h>

#include "common/fs.h"
#include "common/xalloc.h"

typedef struct sync_s3_progress {
    const action_report *report;
    size_t total;
} sync_s3_progress;

static void sync_s3_progressed(void *ctx, size_t done) {
    sync_s3_progress *p = ctx;
    sync_progressed(p->report, done, p->total);
}

/* Both zones on S3: server-side copies, then deletions when the rule says so. */
bool sync_apply_s3(const zone *from, const zone *to, const sync_rule *rule, lake_source *s3,
                   const sync_plan *plan, const action_report *report, size_t *copied,
                   size_t *removed, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("sync rule %s needs the AWS options for its s3:// zones", rule->name);
        return false;
    }
    char *fb, *fp, *tb, *tp;
    if (!zones_s3_split(from, &fb, &fp, error))
        return false;
    if (!zones_s3_split(to, &tb, &tp, error)) {
        free(fb);
        free(fp);
        return false;
    }
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
    sync_s3_progress sp = {report, sync_total(rule, plan)};
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
    const object_entry *listed;
} sync_download_ctx;

static bool sync_fill_from_s3(void *ctx, int out, char **error) {
    const sync_download_ctx *d = ctx;
    return d->s3->objects->download_file(d->s3, d->bucket, d->key, d->listed, out, error);
}

/* Downloads one object (streamed into the partial file), checked against
 * its listing (length, MD5): a download that is not the object is an
 * error, and sync_place removes the partial file. */
static bool sync_download(lake_source *s3, const char *bucket, const char *key, const char *to,
                          const object_entry *listed, char **error) {
    sync_download_ctx d = {s3, bucket, key, listed};
    return sync_place(to, listed->mtime, "download", sync_fill_from_s3, &d, error);
}

/* One local zone and one on S3: uploads or downloads, one object at a time,
 * then deletions when the rule says so. */
bool sync_apply_mixed(const zone *from, const zone *to, const sync_rule *rule, lake_source *s3,
                      const sync_plan *plan, const action_report *report, size_t *copied,
                      size_t *removed, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("sync rule %s needs the AWS options for its s3:// zone", rule->name);
        return false;
    }
    bool up = storage_is_s3(to->uri);
    if (!up && !sync_clear_partials(to, rule, error)) /* partial downloads a killed sync left */
        return false;
    char *bucket, *prefix;
    if (!zones_s3_split(up ? to : from, &bucket, &prefix, error))
        return false;
    const char *dir = zones_dir(up ? from : to);
    bool ok = true;
    for (size_t i = 0; ok && i < plan->n_copy; i++) {
        char *key = xasprintf("%s%s", prefix, plan->copy[i].key);
        char *path = fs_join(dir, plan->copy[i].key);
        ok = up ? s3->objects->upload_file(s3, bucket, key, path, error)
                : sync_download(s3, bucket, key, path, &plan->copy[i], error);
        free(key);
        free(path);
        if (ok) {
            (*copied)++;
            sync_progressed(report, *copied, sync_total(rule, plan));
        }
    }
    if (ok && up && rule->delete_extra && plan->n_remove) {
        char **keys = xcalloc(plan->n_remove, sizeof *keys);
        for (size_t i = 0; i < plan->n_remove; i++)
            keys[i] = xasprintf("%s%s", prefix, plan->remove[i].key);
        ok = s3->objects->delete_objects(s3, bucket, keys, plan->n_remove, removed, error);
        for (size_t i = 0; i < plan->n_remove; i++)
            free(keys[i]);
        free(keys);
        if (ok)
            sync_progressed(report, *copied + *removed, sync_total(rule, plan));
    } else if (ok && !up) {
        ok = sync_remove_files(dir, rule, plan, report, *copied, removed, error);
    }
    free(bucket);
    free(prefix);
    return ok;
}
