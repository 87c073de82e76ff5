/* backup_s3.c: catalog backups kept on S3 (see backup_s3.h). */
#include "actions/backup_s3.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "actions/backup_sweep.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/storage.h"

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

/* Uploads the backup directory `local` (as backup_format_write made it) under
 * `url`; *written gets the s3:// address of the backup, *files the number
 * of objects put. */
/* The first of STAMP, STAMP-2, STAMP-3 ... that no object under `url` is
 * named by (a backup, complete or not, of the same second); NULL with
 * *error when the listing fails. */
static char *backup_s3_free_name(lake_source *s3, const char *url, const char *stamp,
                                 char **error) {
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return NULL;
    object_entry *objects = NULL;
    size_t n = 0;
    char *name = NULL;
    if (s3 && s3->objects && s3->objects->list_objects(s3, bucket, prefix, &objects, &n, error)) {
        for (unsigned k = 1; !name && k <= 999; k++) {
            char *candidate = k == 1 ? xstrdup(stamp) : xasprintf("%s-%u", stamp, k);
            size_t len = strlen(candidate);
            bool taken = false;
            for (size_t i = 0; i < n && !taken; i++)
                taken = strncmp(objects[i].key, candidate, len) == 0 && objects[i].key[len] == '/';
            if (taken)
                free(candidate);
            else
                name = candidate;
        }
        if (!name)
            *error = xasprintf("%s: 999 backups in the second %s already", url, stamp);
    } else if (!s3 || !s3->objects) {
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", url);
    }
    backup_s3_entries_free(objects, n);
    free(bucket);
    free(prefix);
    return name;
}

/* Two backups of one process (the dashboard's jobs) to S3 take their names
 * one after the other: a name is free until its objects are put. */
static pthread_mutex_t backup_s3_naming = PTHREAD_MUTEX_INITIALIZER;

static bool backup_s3_upload(lake_source *s3, const char *local, const char *url, char **written,
                             size_t *files, char **error) {
    const char *stamp = strrchr(local, '/') ? strrchr(local, '/') + 1 : local;
    pthread_mutex_lock(&backup_s3_naming);
    char *name = backup_s3_free_name(s3, url, stamp, error);
    size_t n = strlen(url);
    char *dest = name ? xasprintf("%s%s%s", url, n && url[n - 1] == '/' ? "" : "/", name) : NULL;
    /* the manifest goes last: until it is there the backup is not listed as one */
    bool ok = dest && backup_s3_put_tree(s3, local, dest, "manifest.json", files, error);
    pthread_mutex_unlock(&backup_s3_naming);
    free(name);
    if (ok)
        *written = dest;
    else
        free(dest);
    return ok;
}

bool backup_s3_put_tree(lake_source *s3, const char *local, const char *url, const char *last,
                        size_t *files, char **error) {
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
    if (!s3 || !s3->objects) {
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", url);
        return false;
    }
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return false;
    object_entry *objects = NULL;
    size_t n = 0;
    bool ok = s3->objects->list_objects(s3, bucket, prefix, &objects, &n, error);
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
