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

#define SYNC_PARTIAL ".laketop-partial-"

void sync_config_free(sync_config *c) {
    for (size_t i = 0; i < c->n_zones; i++) {
        free(c->zones[i].name);
        free(c->zones[i].uri);
        free(c->zones[i].role);
    }
    for (size_t i = 0; i < c->n_rules; i++) {
        sync_rule *r = &c->rules[i];
        free(r->name);
        free(r->from);
        free(r->to);
        for (size_t k = 0; k < r->n_prefixes; k++)
            free(r->prefixes[k]);
        free(r->prefixes);
    }
    free(c->zones);
    free(c->rules);
    memset(c, 0, sizeof *c);
}

const zone *sync_find_zone(const sync_config *c, const char *name) {
    for (size_t i = 0; i < c->n_zones; i++)
        if (strcmp(c->zones[i].name, name) == 0)
            return &c->zones[i];
    return NULL;
}

const sync_rule *sync_find_rule(const sync_config *c, const char *name) {
    for (size_t i = 0; i < c->n_rules; i++)
        if (strcmp(c->rules[i].name, name) == 0)
            return &c->rules[i];
    return NULL;
}

bool sync_check(const sync_config *c, char **error) {
    for (size_t i = 0; i < c->n_rules; i++) {
        const sync_rule *r = &c->rules[i];
        const char *missing = !sync_find_zone(c, r->from) ? r->from
                              : !sync_find_zone(c, r->to) ? r->to
                                                          : NULL;
        if (missing) {
            *error = xasprintf("sync rule %s names zone \"%s\", which is not defined ([zone %s])",
                               r->name, missing, missing);
            return false;
        }
        if (strcmp(r->from, r->to) == 0) {
            *error = xasprintf("sync rule %s copies zone %s onto itself", r->name, r->from);
            return false;
        }
    }
    return true;
}

/* Splits a CSV line (quotes allowed) into up to `max` fields. */
static size_t sync_csv_fields(char *line, char **fields, size_t max) {
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            p++;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            char *comma = strchr(p, ',');
            *out = '\0';
            if (!comma)
                return n;
            p = comma + 1;
            continue;
        }
        char *comma = strchr(p, ',');
        if (!comma)
            return n;
        *comma = '\0';
        p = comma + 1;
    }
    return n + (*p ? 1 : 0); /* more fields than wanted */
}

static char *sync_trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

bool sync_load_mapping(sync_config *c, const char *path, char **error) {
    char *text = fs_read_file(path, NULL, error);
    if (!text)
        return false;
    const zone *storing = NULL;
    for (size_t i = 0; i < c->n_zones; i++)
        if (c->zones[i].role && strcmp(c->zones[i].role, "storing") == 0)
            storing = &c->zones[i];
    bool ok = true;
    int lineno = 0;
    size_t cap = c->n_rules;
    for (char *line = text; line && ok;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *s = sync_trim(line);
        if (!*s) {
            line = next;
            continue;
        }
        char *f[5];
        size_t n = sync_csv_fields(s, f, 5);
        if (lineno == 1) {
            if (n != 4 || strcmp(sync_trim(f[0]), "TABLE") != 0 ||
                strcmp(sync_trim(f[1]), "GROUP") != 0 || strcmp(sync_trim(f[2]), "FEQ") != 0 ||
                strcmp(sync_trim(f[3]), "USER_BUCKET") != 0) {
                *error = xasprintf("%s:1: the header must be TABLE,GROUP,FEQ,USER_BUCKET", path);
                ok = false;
            }
            line = next;
            continue;
        }
        if (n != 4) {
            *error = xasprintf("%s:%d: %zu fields where TABLE,GROUP,FEQ,USER_BUCKET are 4", path,
                               lineno, n > 4 ? (size_t)5 : n);
            ok = false;
            break;
        }
        for (size_t k = 0; k < 4; k++)
            f[k] = sync_trim(f[k]);
        if (!*f[0] || !*f[1] || !*f[3] || strchr(f[0], '/') || strstr(f[0], "..")) {
            *error = xasprintf("%s:%d: TABLE, GROUP and USER_BUCKET must be filled in (and TABLE "
                               "be a plain name)",
                               path, lineno);
            ok = false;
            break;
        }
        if (!storing) {
            *error = xasprintf("%s:%d: no zone has role = storing to copy from", path, lineno);
            ok = false;
            break;
        }
        const zone *dest = sync_find_zone(c, f[3]);
        for (size_t i = 0; !dest && i < c->n_zones; i++)
            if (strcmp(c->zones[i].uri, f[3]) == 0)
                dest = &c->zones[i];
        if (!dest) {
            *error = xasprintf("%s:%d: USER_BUCKET \"%s\" is not a zone (declare [zone %s])", path,
                               lineno, f[3], f[3]);
            ok = false;
            break;
        }
        c->rules = xgrow(c->rules, &cap, c->n_rules + 1, sizeof *c->rules);
        sync_rule *r = &c->rules[c->n_rules++];
        memset(r, 0, sizeof *r);
        r->name = xasprintf("%s/%s", f[1], f[0]);
        r->from = xstrdup(storing->name);
        r->to = xstrdup(dest->name);
        r->prefixes = xmalloc(sizeof *r->prefixes);
        r->prefixes[0] = xasprintf("%s/", f[0]);
        r->n_prefixes = 1;
        line = next;
    }
    free(text);
    return ok;
}

static const char *sync_zone_dir(const zone *z) {
    return strncmp(z->uri, "file://", 7) == 0 ? z->uri + 7 : z->uri;
}

typedef struct sync_list {
    object_entry *items;
    size_t n;
    size_t cap;
} sync_list;

/* Walks dir/prefix..., adding every regular file (partial copies aside). */
static bool sync_walk(const char *root, const char *relative, sync_list *out, bool clean,
                      char **error) {
    char *path = relative[0] ? fs_join(root, relative) : xstrdup(root);
    DIR *d = opendir(path);
    if (!d) {
        bool missing = errno == ENOENT;
        if (!missing)
            *error = xasprintf("cannot read %s: %s", path, strerror(errno));
        free(path);
        return missing;
    }
    struct dirent *e;
    bool ok = true;
    while (ok && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strncmp(e->d_name, SYNC_PARTIAL, strlen(SYNC_PARTIAL)) == 0) {
            /* left by a sync that was killed: never an object; cleared from
             * the destination */
            if (clean) {
                char *stale = fs_join(path, e->d_name);
                unlink(stale);
                free(stale);
            }
            continue;
        }
        char *rel = relative[0] ? xasprintf("%s/%s", relative, e->d_name) : xstrdup(e->d_name);
        char *full = fs_join(root, rel);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = sync_walk(root, rel, out, clean, error);
        } else if (lstat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            out->items = xgrow(out->items, &out->cap, out->n + 1, sizeof *out->items);
            out->items[out->n++] =
                (object_entry){.key = xstrdup(rel), .size = st.st_size, .mtime = st.st_mtime};
        }
        free(full);
        free(rel);
    }
    closedir(d);
    free(path);
    return ok;
}

static int sync_cmp_key(const void *a, const void *b) {
    return strcmp(((const object_entry *)a)->key, ((const object_entry *)b)->key);
}

static void sync_list_free(sync_list *l) {
    object_entries_free(l->items, l->n);
}

bool sync_uses_s3(const sync_config *c) {
    for (size_t i = 0; i < c->n_zones; i++)
        if (storage_is_s3(c->zones[i].uri))
            return true;
    return false;
}

static bool sync_list_s3(const zone *z, const sync_rule *r, lake_source *s3, sync_list *out,
                         char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("zone %s (%s) needs the AWS options (--profile, --region, "
                           "--endpoint-url or source = aws)",
                           z->name, z->uri);
        return false;
    }
    char *bucket, *zprefix;
    storage_s3_parse(z->uri, &bucket, &zprefix, NULL);
    bool ok = true;
    for (size_t i = 0; ok && i < (r->n_prefixes ? r->n_prefixes : 1); i++) {
        const char *rp = r->n_prefixes ? r->prefixes[i] : "";
        char *prefix = xasprintf("%s%s", zprefix, rp);
        object_entry *objects = NULL;
        size_t n = 0;
        ok = s3->objects->list_objects(s3, bucket, prefix, &objects, &n, error);
        for (size_t k = 0; ok && k < n; k++) {
            out->items = xgrow(out->items, &out->cap, out->n + 1, sizeof *out->items);
            out->items[out->n++] =
                (object_entry){.key = xasprintf("%s%s", rp, objects[k].key),
                               .size = objects[k].size,
                               .mtime = objects[k].mtime,
                               .etag = objects[k].etag ? xstrdup(objects[k].etag) : NULL};
        }
        object_entries_free(objects, n);
        free(prefix);
    }
    free(bucket);
    free(zprefix);
    return ok;
}

/* Lists a zone under the rule's prefixes, sorted by key. */
static bool sync_list_zone(const zone *z, const sync_rule *r, lake_source *s3, sync_list *out,
                           bool clean, char **error) {
    memset(out, 0, sizeof *out);
    if (storage_is_s3(z->uri)) {
        if (!sync_list_s3(z, r, s3, out, error)) {
            sync_list_free(out);
            return false;
        }
        if (out->n)
            qsort(out->items, out->n, sizeof *out->items, sync_cmp_key);
        return true;
    }
    const char *dir = sync_zone_dir(z);
    if (strstr(dir, "://")) {
        *error = xasprintf("zone %s: %s zones cannot be synced (local directories and s3:// can)",
                           z->name, z->uri);
        return false;
    }
    for (size_t i = 0; i < (r->n_prefixes ? r->n_prefixes : 1); i++) {
        char *prefix = xstrdup(r->n_prefixes ? r->prefixes[i] : "");
        size_t len = strlen(prefix);
        while (len > 0 && prefix[len - 1] == '/')
            prefix[--len] = '\0';
        bool ok = sync_walk(dir, prefix, out, clean, error);
        free(prefix);
        if (!ok) {
            sync_list_free(out);
            return false;
        }
    }
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, sync_cmp_key);
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
    const zone *from = sync_find_zone(c, rule->from), *to = sync_find_zone(c, rule->to);
    if (!from || !to) {
        *error = xasprintf("sync rule %s names a zone that is not defined", rule->name);
        return false;
    }
    sync_list src, dst;
    if (!sync_list_zone(from, rule, s3, &src, false, error))
        return false;
    if (!sync_list_zone(to, rule, s3, &dst, false, error)) {
        sync_list_free(&src);
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
    sync_list_free(&src);
    sync_list_free(&dst);
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
    char *tmp = xasprintf("%s/%s%ld-%s", dir, SYNC_PARTIAL, (long)getpid(), slash ? slash + 1 : to);
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
        sync_list stale;
        if (!sync_list_zone(to, rule, NULL, &stale, true, error))
            return false;
        sync_list_free(&stale);
    }
    char *bucket, *prefix;
    storage_s3_parse((up ? to : from)->uri, &bucket, &prefix, NULL);
    const char *dir = sync_zone_dir(up ? from : to);
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
    const zone *from = sync_find_zone(c, rule->from), *to = sync_find_zone(c, rule->to);
    if (storage_is_s3(from->uri) && storage_is_s3(to->uri))
        return sync_apply_s3(from, to, rule, s3, plan, progress, ctx, copied, removed, error);
    if (storage_is_s3(from->uri) || storage_is_s3(to->uri))
        return sync_apply_mixed(from, to, rule, s3, plan, progress, ctx, copied, removed, error);
    sync_list stale; /* clears partial copies a killed sync left behind */
    if (!sync_list_zone(to, rule, NULL, &stale, true, error))
        return false;
    sync_list_free(&stale);
    size_t total = plan->n_copy + (rule->delete_extra ? plan->n_remove : 0);
    for (size_t i = 0; i < plan->n_copy; i++) {
        char *src = fs_join(sync_zone_dir(from), plan->copy[i].key);
        char *dst = fs_join(sync_zone_dir(to), plan->copy[i].key);
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
        char *dst = fs_join(sync_zone_dir(to), plan->remove[i].key);
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

static char *sync_state_path(void) {
    char *state = fs_xdg_home("STATE");
    if (!state)
        return NULL;
    char *path = xasprintf("%s/laketop/syncs.json", state);
    free(state);
    return path;
}

static json_object *sync_state_load(const char *path) {
    char *error = NULL;
    char *text = path ? fs_read_file(path, NULL, &error) : NULL;
    free(error);
    json_object *o = text ? json_tokener_parse(text) : NULL;
    free(text);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = json_object_new_object();
    }
    return o;
}

void sync_state_record(const char *rule, bool ok, const char *result) {
    char *path = sync_state_path();
    if (!path)
        return;
    json_object *all = sync_state_load(path);
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

void sync_describe(const sync_config *c, lake_source *s3, lake_snapshot *s) {
    s->zones = xcalloc(c->n_zones ? c->n_zones : 1, sizeof *s->zones);
    for (size_t i = 0; i < c->n_zones; i++) {
        const zone *z = &c->zones[i];
        zone_stats *zs = &s->zones[s->n_zones++];
        zs->name = xstrdup(z->name);
        zs->uri = xstrdup(z->uri);
        zs->role = xstrdup(z->role ? z->role : "");
        sync_rule all = {.name = (char *)"", .from = z->name, .to = z->name};
        sync_list list;
        char *error = NULL;
        if (sync_list_zone(z, &all, s3, &list, false, &error)) {
            zs->objects = (int64_t)list.n;
            for (size_t k = 0; k < list.n; k++)
                zs->bytes += list.items[k].size;
            sync_list_free(&list);
        } else {
            zs->objects = zs->bytes = -1;
            zs->error = error;
        }
    }
    char *path = sync_state_path();
    json_object *state = sync_state_load(path);
    free(path);
    s->rules = xcalloc(c->n_rules ? c->n_rules : 1, sizeof *s->rules);
    for (size_t i = 0; i < c->n_rules; i++) {
        const sync_rule *r = &c->rules[i];
        rule_stats *rs = &s->rules[s->n_rules++];
        rs->name = xstrdup(r->name);
        rs->from = xstrdup(r->from);
        rs->to = xstrdup(r->to);
        rs->delete_extra = r->delete_extra;
        rs->last_run = -1;
        json_object *entry, *v;
        if (json_object_object_get_ex(state, r->name, &entry)) {
            if (json_object_object_get_ex(entry, "time", &v))
                fmt_parse_iso8601(json_object_get_string(v), &rs->last_run);
            if (json_object_object_get_ex(entry, "result", &v))
                rs->last_result = xstrdup(json_object_get_string(v));
            rs->last_ok = json_object_object_get_ex(entry, "ok", &v) && json_object_get_boolean(v);
        }
    }
    json_object_put(state);
}

void sync_config_copy(sync_config *dst, const sync_config *src) {
    memset(dst, 0, sizeof *dst);
    dst->zones = xcalloc(src->n_zones ? src->n_zones : 1, sizeof *dst->zones);
    for (size_t i = 0; i < src->n_zones; i++) {
        dst->zones[i].name = xstrdup(src->zones[i].name);
        dst->zones[i].uri = xstrdup(src->zones[i].uri);
        dst->zones[i].role = src->zones[i].role ? xstrdup(src->zones[i].role) : NULL;
    }
    dst->n_zones = src->n_zones;
    dst->rules = xcalloc(src->n_rules ? src->n_rules : 1, sizeof *dst->rules);
    for (size_t i = 0; i < src->n_rules; i++) {
        const sync_rule *r = &src->rules[i];
        sync_rule *d = &dst->rules[i];
        d->name = xstrdup(r->name);
        d->from = xstrdup(r->from);
        d->to = xstrdup(r->to);
        d->delete_extra = r->delete_extra;
        d->prefixes = xcalloc(r->n_prefixes ? r->n_prefixes : 1, sizeof *d->prefixes);
        for (size_t k = 0; k < r->n_prefixes; k++)
            d->prefixes[k] = xstrdup(r->prefixes[k]);
        d->n_prefixes = r->n_prefixes;
    }
    dst->n_rules = src->n_rules;
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
    const sync_rule *rule = sync_find_rule(&j->config, j->rule);
    char *error = NULL;
    if (!rule) {
        *result = xasprintf("no sync rule named %s", j->rule);
        return false;
    }
    job_progress_set(progress, 0, "comparing the zones");
    lake_source *s3 = NULL;
    if (sync_uses_s3(&j->config) && j->make_source && !(s3 = j->make_source(j->make_ctx, &error))) {
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
    sync_config_free(&j->config);
    free(j->rule);
    free(j);
}
