/* backup_sweep.c: what killed backups leave behind (see backup_sweep.h). */
#include "actions/backup_sweep.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions/action.h"
#include "collector/storage.h"
#include "common/fs.h"
#include "common/xalloc.h"

/* A process's start time in clock ticks since boot (field 22 of
 * /proc/PID/stat); -1 when there is no such process (or no /proc). */
static long long backup_sweep_start(long pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command may hold spaces and ')' */
    if (!p)
        return -1;
    p++;
    for (int field = 3; field < 22 && p; field++) /* p: the space before field 3 */
        p = strchr(p + 1, ' ');
    return p ? strtoll(p + 1, NULL, 10) : -1;
}

void backup_sweep_owner(char *buf, size_t size) {
    long pid = (long)getpid();
    long long start = backup_sweep_start(pid);
    snprintf(buf, size, "%ld-%lld", pid, start < 0 ? 0 : start);
}

const char *backup_sweep_tmpdir(void) {
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

/* "20261121T204318Z" or "20261121T204318Z-N". */
static bool backup_sweep_is_stamp(const char *name) {
    static const char shape[] = "dddddddd"
                                "T"
                                "dddddd"
                                "Z";
    for (size_t i = 0; shape[i]; i++) {
        bool digit = shape[i] == 'd';
        if (digit ? !isdigit((unsigned char)name[i]) : name[i] != shape[i])
            return false;
    }
    const char *rest = name + sizeof shape - 1;
    if (!*rest)
        return true;
    if (*rest++ != '-' || !*rest)
        return false;
    for (; *rest; rest++)
        if (!isdigit((unsigned char)*rest))
            return false;
    return true;
}

/* Parses "PID-START-XXXXXX" (this laketop), "PID-XXXXXX" (an older one's
 * partial: start -1) or "XXXXXX" (an older one's staging: pid -1). False
 * when `rest` is none of these (not a name laketop made). */
static bool backup_sweep_parse_owner(const char *rest, long *pid, long long *start) {
    *pid = -1;
    *start = -1;
    size_t len = strlen(rest);
    if (len < 6)
        return false;
    for (size_t i = len - 6; i < len; i++) /* mkdtemp's six */
        if (!isalnum((unsigned char)rest[i]))
            return false;
    if (len == 6)
        return true;
    char *end;
    errno = 0;
    long p = strtol(rest, &end, 10);
    if (errno || end == rest || *end != '-' || p <= 0)
        return false;
    *pid = p;
    if ((size_t)(end + 1 - rest) == len - 6)
        return true; /* PID-XXXXXX */
    const char *s = end + 1;
    long long st = strtoll(s, &end, 10);
    if (end == s || *end != '-' || (size_t)(end + 1 - rest) != len - 6)
        return false;
    *start = st;
    return true;
}

/* Whether the writer that named a leftover is gone, or, when that cannot
 * be told, the leftover is old. */
static bool backup_sweep_abandoned(long pid, long long start, int64_t mtime, int64_t now) {
    bool old = now - mtime > BACKUP_SWEEP_AGE_SECONDS;
    if (pid < 0)
        return old;
    if (pid == (long)getpid() && (start < 0 || start == backup_sweep_start(pid)))
        return false; /* this process's own: another job's */
    bool exists = kill((pid_t)pid, 0) == 0 || errno == EPERM;
    if (!exists)
        return true;
    if (start > 0) /* this laketop's: alive exactly when it is the same process */
        return backup_sweep_start(pid) != start;
    return old; /* an older laketop's: the pid may be another process now */
}

static void backup_sweep_name(char **names, const char *name) {
    if (!names)
        return;
    char *joined = *names ? xasprintf("%s, %s", *names, name) : xstrdup(name);
    free(*names);
    *names = joined;
}

size_t backup_sweep_local(const char *dir, const char *prefix, bool stamped, int64_t now,
                          char **names) {
    if (names)
        *names = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t removed = 0, plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        char *path = fs_join(dir, name);
        struct stat st;
        bool ours = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid();
        if (ours && stamped && backup_sweep_is_stamp(name)) {
            /* a held name never filled: empty, old (rmdir only takes an empty one) */
            if (now - st.st_mtime > BACKUP_SWEEP_AGE_SECONDS && rmdir(path) == 0) {
                removed++;
                backup_sweep_name(names, name);
            }
        } else if (ours && strncmp(name, prefix, plen) == 0) {
            const char *rest = name + plen;
            if (stamped) { /* STAMP- first */
                const char *dash = strchr(rest, '-');
                rest = dash ? dash + 1 : "";
            }
            long pid;
            long long start;
            if (backup_sweep_parse_owner(rest, &pid, &start) &&
                (!stamped || pid > 0 || start > 0) &&
                backup_sweep_abandoned(pid, start, st.st_mtime, now)) {
                fs_remove_tree(path);
                if (!fs_is_dir(path)) {
                    removed++;
                    backup_sweep_name(names, name);
                }
            }
        }
        free(path);
    }
    closedir(d);
    return removed;
}

void backup_sweep_s3_free(backup_incomplete *list, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(list[i].name);
        for (size_t k = 0; k < list[i].n_keys; k++)
            free(list[i].keys[k]);
        free(list[i].keys);
    }
    free(list);
}

bool backup_sweep_s3_list(lake_source *s3, const char *url, backup_incomplete **out, size_t *n,
                          char **error) {
    *out = NULL;
    *n = 0;
    char *bucket, *prefix;
    object_entry *objects;
    size_t n_objects;
    bool ok = action_s3_list(s3, url, &bucket, &prefix, &objects, &n_objects, error);
    backup_incomplete *list = NULL;
    size_t n_list = 0, cap = 0;
    bool is_backup = false;
    for (size_t i = 0; ok && i < n_objects; i++)
        is_backup = is_backup || strcmp(objects[i].key, "manifest.json") == 0;
    for (size_t i = 0; ok && !is_backup && i < n_objects; i++) {
        const char *k = objects[i].key, *slash = strchr(k, '/');
        if (!slash)
            continue;
        char *name = xstrndup(k, (size_t)(slash - k));
        if (!backup_sweep_is_stamp(name)) {
            free(name);
            continue;
        }
        backup_incomplete *b = NULL;
        for (size_t j = 0; j < n_list && !b; j++)
            if (strcmp(list[j].name, name) == 0)
                b = &list[j];
        if (!b) {
            list = xgrow(list, &cap, n_list + 1, sizeof *list);
            b = &list[n_list++];
            *b = (backup_incomplete){.name = name, .newest = -1};
        } else {
            free(name);
        }
        if (strcmp(slash + 1, "manifest.json") == 0)
            b->newest = INT64_MAX; /* complete: dropped below */
        b->keys = xrealloc(b->keys, (b->n_keys + 1) * sizeof *b->keys);
        b->keys[b->n_keys++] = xasprintf("%s%s", prefix, k);
        b->bytes += objects[i].size;
        if (b->newest != INT64_MAX && objects[i].mtime > b->newest)
            b->newest = objects[i].mtime;
    }
    /* keep the ones without a manifest */
    size_t kept = 0;
    for (size_t j = 0; j < n_list; j++) {
        if (list[j].newest == INT64_MAX) {
            free(list[j].name);
            for (size_t k = 0; k < list[j].n_keys; k++)
                free(list[j].keys[k]);
            free(list[j].keys);
        } else {
            list[kept++] = list[j];
        }
    }
    object_entries_free(objects, n_objects);
    free(bucket);
    free(prefix);
    if (!ok) {
        backup_sweep_s3_free(list, kept);
        return false;
    }
    *out = list;
    *n = kept;
    return true;
}

bool backup_sweep_s3_remove(lake_source *s3, const char *url, const backup_incomplete *b,
                            size_t *deleted, char **error) {
    *deleted = 0;
    if (!s3 || !s3->objects || !s3->objects->delete_objects) {
        *error = xasprintf("%s: this source cannot delete S3 objects", url);
        return false;
    }
    char *bucket = NULL, *prefix = NULL;
    if (!storage_s3_parse(url, &bucket, &prefix, error))
        return false;
    bool ok = s3->objects->delete_objects(s3, bucket, b->keys, b->n_keys, deleted, error);
    free(bucket);
    free(prefix);
    return ok;
}
