/* backup_s3.c: catalog backups kept on S3 (see backup_s3.h). */
#include "actions/backup_s3.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/action.h"
#include "actions/backup_sweep.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/storage.h"

/* The most backups one prefix takes in one second (STAMP-2 ...). */
#define BACKUP_S3_SAME_SECOND_MAX 999u
/* NAME/.laketop-claim-TOKEN: a name being claimed (see backup_s3_claim) */
#define BACKUP_S3_CLAIM ".laketop-claim-"

static void backup_s3_entries_free(object_entry *objects, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(objects[i].key);
        free(objects[i].etag);
    }
    free(objects);
}

/* Every file under dir (relative names, '/'-separated), `skip` excluded. */
static void backup_s3_files(const char *dir, const char *relative, const char *skip, char ***names,
                            size_t *n, size_t *cap) {
    char *path = *relative ? fs_join(dir, relative) : xstrdup(dir);
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *rel = *relative ? xasprintf("%s/%s", relative, e->d_name) : xstrdup(e->d_name);
            char *full = fs_join(dir, rel);
            if (fs_is_dir(full)) {
                backup_s3_files(dir, rel, skip, names, n, cap);
                free(rel);
            } else if (skip && strcmp(rel, skip) == 0) {
                free(rel);
            } else {
                *names = xgrow(*names, cap, *n + 1, sizeof **names);
                (*names)[(*n)++] = rel;
            }
            free(full);
        }
        closedir(d);
    }
    free(path);
}

static bool backup_s3_put_file(lake_source *s3, const char *bucket, const char *key,
                               const char *path, char **error) {
    size_t length = 0;
    char *data = fs_read_file(path, &length, error);
    if (!data)
        return false;
    bool ok = s3->objects->put_object(s3, bucket, key, data, length, error);
    free(data);
    return ok;
}

/* The first of STAMP, STAMP-2, STAMP-3 ... after the *after-th that no
 * object under `url` is named by (a backup, complete or not, or a claim);
 * *after gets its number. NULL with *error when the listing fails. */
static char *backup_s3_free_name(lake_source *s3, const char *bucket, const char *prefix,
                                 const char *stamp, unsigned *after, char **error) {
    object_entry *objects = NULL;
    size_t n = 0;
    if (!s3->objects->list_objects(s3, bucket, prefix, &objects, &n, error))
        return NULL;
    char *name = NULL;
    for (unsigned k = *after + 1; !name && k <= BACKUP_S3_SAME_SECOND_MAX; k++) {
        char *candidate = k == 1 ? xstrdup(stamp) : xasprintf("%s-%u", stamp, k);
        size_t len = strlen(candidate);
        bool taken = false;
        for (size_t i = 0; i < n && !taken; i++)
            taken = strncmp(objects[i].key, candidate, len) == 0 && objects[i].key[len] == '/';
        if (taken) {
            free(candidate);
        } else {
            name = candidate;
            *after = k;
        }
    }
    if (!name)
        *error = xasprintf("s3://%s/%s: %u backups in the second %s already", bucket, prefix,
                           BACKUP_S3_SAME_SECOND_MAX, stamp);
    backup_s3_entries_free(objects, n);
    return name;
}

/* Claims the free name `name` under bucket/prefix: puts
 * NAME/.laketop-claim-TOKEN, then lists NAME/: the name is ours when that
 * claim is all there is (S3 lists what was written before: of two writers
 * the later one sees the earlier one's claim, or its files, and gives the
 * name up). *claim gets the claim's key (to delete before the manifest). */
static bool backup_s3_claim(lake_source *s3, const char *bucket, const char *prefix,
                            const char *name, char **claim, bool *won, char **error) {
    static unsigned counter;
    char owner[64];
    backup_sweep_owner(owner, sizeof owner);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char *leaf = xasprintf(BACKUP_S3_CLAIM "%s-%ld-%u", owner, (long)ts.tv_nsec,
                           __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    char *dir = xasprintf("%s%s/", prefix, name);
    char *key = xasprintf("%s%s", dir, leaf);
    object_entry *objects = NULL;
    size_t n = 0;
    bool ok = s3->objects->put_object(s3, bucket, key, "", 0, error) &&
              s3->objects->list_objects(s3, bucket, dir, &objects, &n, error);
    *won = ok && n == 1 && strcmp(objects[0].key, leaf) == 0;
    size_t deleted;
    if (ok && !*won)
        ok = s3->objects->delete_objects(s3, bucket, &key, 1, &deleted, error);
    backup_s3_entries_free(objects, n);
    free(dir);
    free(leaf);
    if (ok && *won)
        *claim = key;
    else
        free(key);
    return ok;
}

typedef struct backup_s3_unclaim {
    lake_source *s3;
    const char *bucket;
    char *claim;
} backup_s3_unclaim;

/* Before the manifest: the claim goes (a backup holds only its files). */
static bool backup_s3_drop_claim(void *ctx, char **error) {
    backup_s3_unclaim *u = ctx;
    size_t deleted;
    return !u->claim ||
           u->s3->objects->delete_objects(u->s3, u->bucket, &u->claim, 1, &deleted, error);
}

/* backup_s3_put_tree, with before_last (may be NULL) run before `last`. */
static bool backup_s3_put_tree_then(lake_source *s3, const char *local, const char *url,
                                    const char *last, bool (*before_last)(void *, char **),
                                    void *ctx, size_t *files, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", url);
        return false;
    }
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return false;
    char **names = NULL;
    size_t n = 0, cap = 0;
    backup_s3_files(local, "", last, &names, &n, &cap);
    bool ok = true;
    *files = 0;
    for (size_t i = 0; i < n + (last != NULL) && ok; i++) {
        if (i == n && before_last && !before_last(ctx, error)) {
            ok = false;
            break;
        }
        const char *rel = i < n ? names[i] : last;
        char *key = xasprintf("%s%s", prefix, rel);
        char *path = fs_join(local, rel);
        ok = backup_s3_put_file(s3, bucket, key, path, error);
        *files += ok;
        free(path);
        free(key);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(bucket);
    free(prefix);
    return ok;
}

bool backup_s3_put_tree(lake_source *s3, const char *local, const char *url, const char *last,
                        size_t *files, char **error) {
    return backup_s3_put_tree_then(s3, local, url, last, NULL, NULL, files, error);
}

/* Two backups of one process (the dashboard's jobs) take their names one
 * after the other; of two processes, the claim decides. */
static pthread_mutex_t backup_s3_naming = PTHREAD_MUTEX_INITIALIZER;

/* Uploads the backup directory `local` (as backup_format_write made it)
 * under `url`, as the first free STAMP[-N] it can claim; *written gets the
 * s3:// address of the backup, *files the number of objects put. */
static bool backup_s3_upload(lake_source *s3, const char *local, const char *url, char **written,
                             size_t *files, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", url);
        return false;
    }
    const char *stamp = strrchr(local, '/') ? strrchr(local, '/') + 1 : local;
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return false;
    pthread_mutex_lock(&backup_s3_naming);
    backup_s3_unclaim unclaim = {.s3 = s3, .bucket = bucket};
    char *name = NULL;
    bool ok = true, won = false;
    unsigned after = 0;
    while (ok && !won) {
        free(name);
        name = backup_s3_free_name(s3, bucket, prefix, stamp, &after, error);
        ok = name != NULL;
        if (ok && s3->objects->delete_objects)
            ok = backup_s3_claim(s3, bucket, prefix, name, &unclaim.claim, &won, error);
        else
            won = ok; /* a store that cannot delete: the listing alone */
    }
    char *dest = ok ? xasprintf("s3://%s/%s%s", bucket, prefix, name) : NULL;
    /* the manifest goes last: until it is there the backup is not listed as one */
    ok = ok && backup_s3_put_tree_then(s3, local, dest, "manifest.json", backup_s3_drop_claim,
                                       &unclaim, files, error);
    pthread_mutex_unlock(&backup_s3_naming);
    free(unclaim.claim);
    free(name);
    free(bucket);
    free(prefix);
    if (ok)
        *written = dest;
    else
        free(dest);
    return ok;
}

/* "" when `prefix` is a backup itself, else the newest "STAMP/" under it
 * that has a manifest; NULL when none. */
static char *backup_s3_pick(const object_entry *objects, size_t n) {
    char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *k = objects[i].key;
        if (strcmp(k, "manifest.json") == 0) {
            free(best);
            return xstrdup("");
        }
        const char *slash = strchr(k, '/');
        if (!slash || strcmp(slash + 1, "manifest.json") != 0 || slash == k)
            continue;
        size_t len = (size_t)(slash - k) + 1;
        char *name = xstrndup(k, len - 1); /* STAMP-2 is newer than STAMP */
        char *best_name = best ? xstrndup(best, strlen(best) - 1) : NULL;
        if (!best || backup_format_name_compare(name, best_name) > 0) {
            free(best);
            best = xstrndup(k, len);
        }
        free(name);
        free(best_name);
    }
    return best;
}

/* Downloads the backup at `url` (a backup, or a prefix of backups: the
 * newest with a manifest is taken) into the directory `into`; *local gets
 * the downloaded backup's directory, *chosen its s3:// address. */
static bool backup_s3_download(lake_source *s3, const char *url, const char *into, char **local,
                               char **chosen, char **error) {
    char *bucket, *prefix;
    object_entry *objects;
    size_t n;
    bool ok = action_s3_list(s3, url, &bucket, &prefix, &objects, &n, error);
    char *stamp = ok ? backup_s3_pick(objects, n) : NULL;
    if (ok && !stamp) {
        *error = xasprintf("s3://%s/%s: no backup there (no manifest.json)", bucket, prefix);
        ok = false;
    }
    char *dir = NULL;
    if (ok) {
        /* the backup's own name, or "backup" when the address is the backup */
        size_t sl = strlen(stamp);
        char *name = sl ? xstrndup(stamp, sl - 1) : xstrdup("backup");
        dir = fs_join(into, name);
        free(name);
    }
    size_t sl = stamp ? strlen(stamp) : 0;
    for (size_t i = 0; ok && i < n; i++) {
        const char *k = objects[i].key;
        if (strncmp(k, stamp, sl) != 0)
            continue;
        const char *rel = k + sl;
        if (!*rel || strstr(rel, "..") || rel[strlen(rel) - 1] == '/')
            continue; /* directory markers; never a path out of `into` */
        char *key = xasprintf("%s%s", prefix, k);
        char *data = NULL;
        size_t length = 0;
        ok = s3->objects->get_object(s3, bucket, key, &data, &length, error);
        if (ok) {
            char *path = fs_join(dir, rel);
            char *parent = xstrdup(path);
            *strrchr(parent, '/') = '\0';
            ok = fs_mkdirs(parent, error) && fs_write_atomic(path, data, length, error);
            free(parent);
            free(path);
        }
        free(data);
        free(key);
    }
    if (ok) {
        *local = dir;
        *chosen =
            xasprintf("s3://%s/%s%.*s", bucket, prefix, sl ? (int)(sl - 1) : 0, stamp ? stamp : "");
        if (!sl && *prefix) /* no trailing '/' on the address of a backup */
            (*chosen)[strlen(*chosen) - 1] = '\0';
    } else {
        free(dir);
    }
    free(stamp);
    backup_s3_entries_free(objects, n);
    free(bucket);
    free(prefix);
    return ok;
}

/* A private directory under $TMPDIR for a backup on its way. */
char *backup_s3_staging(char **error) {
    char owner[64];
    backup_sweep_owner(owner, sizeof owner); /* PID-START: a later backup tells if it died */
    char *path = xasprintf("%s/" BACKUP_S3_STAGING "%s-XXXXXX", backup_sweep_tmpdir(), owner);
    if (!mkdtemp(path)) {
        *error = xasprintf("cannot make a staging directory %s: %s", path, strerror(errno));
        free(path);
        return NULL;
    }
    return path;
}

bool backup_s3_write(json_object *dump, lake_source *s3, const char *url, const char *source_name,
                     int64_t now, char **written, backup_counts *counts, char **error) {
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return false;
    free(bucket);
    free(prefix);
    char *staging = backup_s3_staging(error);
    if (!staging)
        return false;
    char *local = NULL;
    size_t files = 0;
    bool ok = backup_format_write(dump, staging, source_name, now, &local, counts, error) &&
              backup_s3_upload(s3, local, url, written, &files, error);
    free(local);
    fs_remove_tree(staging);
    free(staging);
    return ok;
}

bool backup_s3_read(lake_source *s3, const char *url, json_object **dump, backup_counts *counts,
                    char **chosen, char **error) {
    char *staging = backup_s3_staging(error);
    if (!staging)
        return false;
    char *local = NULL, *address = NULL, *read = NULL;
    bool ok = backup_s3_download(s3, url, staging, &local, &address, error);
    if (ok && !backup_format_read(local, dump, counts, &read, error)) {
        ok = false; /* name the object, not the staging file */
        size_t n = strlen(local);
        if (strncmp(*error, local, n) == 0) {
            char *named = xasprintf("%s%s", address, *error + n);
            free(*error);
            *error = named;
        }
    }
    free(read);
    free(local);
    fs_remove_tree(staging);
    free(staging);
    if (ok)
        *chosen = address;
    else
        free(address);
    return ok;
}
