/* sync_local.c: a sync's work on local zones: files put in place under a
 * partial name, then renamed; partial copies a killed sync left cleared;
 * extra files deleted; and the plan carried out between two local zones. */
#include "actions/sync_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

bool sync_place(const char *to, int64_t mtime, const char *what,
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

bool sync_clear_partials(const zone *to, const sync_rule *rule, char **error) {
    zone_listing stale;
    if (!zones_list(to, rule->prefixes, rule->n_prefixes, NULL, &stale, error))
        return false;
    for (size_t i = 0; i < stale.n_partials; i++)
        unlink(stale.partials[i]);
    zones_listing_free(&stale);
    return true;
}

bool sync_remove_files(const char *dir, const sync_rule *rule, const sync_plan *plan,
                       const action_report *report, size_t copied, size_t *removed, char **error) {
    if (!rule->delete_extra)
        return true;
    for (size_t i = 0; i < plan->n_remove; i++) {
        char *path = fs_join(dir, plan->remove[i].key);
        if (unlink(path) != 0 && errno != ENOENT) {
            *error = xasprintf("cannot delete %s: %s", path, strerror(errno));
            free(path);
            return false;
        }
        free(path);
        (*removed)++;
        sync_progressed(report, copied + *removed, sync_total(rule, plan));
    }
    return true;
}

bool sync_apply_local(const zone *from, const zone *to, const sync_rule *rule,
                      const sync_plan *plan, const action_report *report, size_t *copied,
                      size_t *removed, char **error) {
    if (!sync_clear_partials(to, rule, error))
        return false;
    for (size_t i = 0; i < plan->n_copy; i++) {
        char *src = fs_join(zones_dir(from), plan->copy[i].key);
        char *dst = fs_join(zones_dir(to), plan->copy[i].key);
        bool ok = sync_copy_file(src, dst, plan->copy[i].mtime, error);
        free(src);
        free(dst);
        if (!ok)
            return false;
        (*copied)++;
        sync_progressed(report, *copied, sync_total(rule, plan));
    }
    return sync_remove_files(zones_dir(to), rule, plan, report, *copied, removed, error);
}
