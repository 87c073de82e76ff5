/* zones.c: zones and sync rules, a zone's objects and the rules' last runs
 * (see zones.h). */
#include "collector/zones.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collector/storage.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"

void zones_config_free(sync_config *c) {
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

const zone *zones_find(const sync_config *c, const char *name) {
    for (size_t i = 0; i < c->n_zones; i++)
        if (strcmp(c->zones[i].name, name) == 0)
            return &c->zones[i];
    return NULL;
}

const sync_rule *zones_find_rule(const sync_config *c, const char *name) {
    for (size_t i = 0; i < c->n_rules; i++)
        if (strcmp(c->rules[i].name, name) == 0)
            return &c->rules[i];
    return NULL;
}

void zones_config_copy(sync_config *dst, const sync_config *src) {
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

bool zones_s3_split(const zone *z, char **bucket, char **prefix, char **error) {
    *bucket = *prefix = NULL;
    char *why = NULL;
    if (storage_s3_parse(z->uri, bucket, prefix, &why))
        return true;
    *error = xasprintf("zone %s: %s", z->name, why);
    free(why);
    return false;
}

bool zones_check(const sync_config *c, char **error) {
    for (size_t i = 0; i < c->n_zones; i++) {
        if (!storage_is_s3(c->zones[i].uri))
            continue;
        char *bucket, *prefix;
        bool ok = zones_s3_split(&c->zones[i], &bucket, &prefix, error);
        free(bucket);
        free(prefix);
        if (!ok)
            return false;
    }
    for (size_t i = 0; i < c->n_rules; i++) {
        const sync_rule *r = &c->rules[i];
        const char *missing = !zones_find(c, r->from) ? r->from
                              : !zones_find(c, r->to) ? r->to
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
static size_t zones_csv_fields(char *line, char **fields, size_t max) {
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

static char *zones_trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

bool zones_load_mapping(sync_config *c, const char *path, char **error) {
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
    bool header = true; /* the first line that is not blank */
    char *start = strncmp(text, "\xef\xbb\xbf", 3) == 0 ? text + 3 : text; /* Excel's BOM */
    for (char *line = start; line && ok;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *s = zones_trim(line);
        if (!*s) {
            line = next;
            continue;
        }
        char *f[5];
        size_t n = zones_csv_fields(s, f, 5);
        if (header) {
            header = false;
            if (n != 4 || strcmp(zones_trim(f[0]), "TABLE") != 0 ||
                strcmp(zones_trim(f[1]), "GROUP") != 0 || strcmp(zones_trim(f[2]), "FEQ") != 0 ||
                strcmp(zones_trim(f[3]), "USER_BUCKET") != 0) {
                *error = xasprintf("%s:%d: the header must be TABLE,GROUP,FEQ,USER_BUCKET", path,
                                   lineno);
                ok = false;
            }
            line = next;
            continue;
        }
        if (n != 4) {
            *error =
                xasprintf("%s:%d: %zu %s where TABLE,GROUP,FEQ,USER_BUCKET are 4", path, lineno,
                          n > 4 ? (size_t)5 : n, fmt_plural((int64_t)n, "field", "fields"));
            ok = false;
            break;
        }
        for (size_t k = 0; k < 4; k++)
            f[k] = zones_trim(f[k]);
        if (!*f[0] || !*f[1] || !*f[3] || strchr(f[0], '/') || strstr(f[0], "..") ||
            strcmp(f[0], ".") == 0) { /* "." would be the whole zone */
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
        const zone *dest = zones_find(c, f[3]);
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

bool zones_use_s3(const sync_config *c) {
    for (size_t i = 0; i < c->n_zones; i++)
        if (storage_is_s3(c->zones[i].uri))
            return true;
    return false;
}

void zones_resolve_relative(sync_config *c, const char *lake) {
    for (size_t i = 0; i < c->n_zones; i++) {
        zone *z = &c->zones[i];
        if (!z->uri || !z->uri[0] || z->uri[0] == '/' || storage_is_s3(z->uri) ||
            strncmp(z->uri, "file://", 7) == 0)
            continue;
        char *inside = fs_join(lake, z->uri);
        free(z->uri);
        z->uri = inside;
    }
}

const char *zones_dir(const zone *z) {
    return strncmp(z->uri, "file://", 7) == 0 ? z->uri + 7 : z->uri;
}

/* Walks root/relative, adding every regular file; partial copies are
 * reported apart. */
static bool zones_walk(const char *root, const char *relative, zone_listing *out, char **error) {
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
        if (strncmp(e->d_name, ZONES_PARTIAL, strlen(ZONES_PARTIAL)) == 0) {
            out->partials = xgrow(out->partials, &out->cap_partials, out->n_partials + 1,
                                  sizeof *out->partials);
            out->partials[out->n_partials++] = fs_join(path, e->d_name);
            continue;
        }
        char *rel = relative[0] ? xasprintf("%s/%s", relative, e->d_name) : xstrdup(e->d_name);
        char *full = fs_join(root, rel);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = zones_walk(root, rel, out, error);
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

static bool zones_list_s3(const zone *z, char *const *prefixes, size_t n_prefixes, lake_source *s3,
                          zone_listing *out, char **error) {
    if (!s3 || !s3->objects) {
        *error = xasprintf("zone %s (%s) needs the AWS options (--profile, --region, "
                           "--endpoint-url or source = aws)",
                           z->name, z->uri);
        return false;
    }
    char *bucket, *zprefix;
    if (!zones_s3_split(z, &bucket, &zprefix, error))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < (n_prefixes ? n_prefixes : 1); i++) {
        const char *rp = n_prefixes ? prefixes[i] : "";
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

static int zones_cmp_key(const void *a, const void *b) {
    return strcmp(((const object_entry *)a)->key, ((const object_entry *)b)->key);
}

void zones_listing_free(zone_listing *l) {
    object_entries_free(l->items, l->n);
    for (size_t i = 0; i < l->n_partials; i++)
        free(l->partials[i]);
    free(l->partials);
    memset(l, 0, sizeof *l);
}

bool zones_list(const zone *z, char *const *prefixes, size_t n_prefixes, lake_source *s3,
                zone_listing *out, char **error) {
    memset(out, 0, sizeof *out);
    bool ok = true;
    if (storage_is_s3(z->uri)) {
        ok = zones_list_s3(z, prefixes, n_prefixes, s3, out, error);
    } else if (strstr(zones_dir(z), "://")) {
        *error = xasprintf("zone %s: %s zones cannot be synced (local directories and s3:// can)",
                           z->name, z->uri);
        ok = false;
    } else {
        for (size_t i = 0; ok && i < (n_prefixes ? n_prefixes : 1); i++) {
            char *prefix = xstrdup(n_prefixes ? prefixes[i] : "");
            size_t len = strlen(prefix);
            while (len > 0 && prefix[len - 1] == '/')
                prefix[--len] = '\0';
            ok = zones_walk(zones_dir(z), prefix, out, error);
            free(prefix);
        }
    }
    if (!ok) {
        zones_listing_free(out);
        return false;
    }
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, zones_cmp_key);
    return true;
}

char *zones_runs_path(void) {
    return fs_xdg_laketop("STATE", "syncs.json");
}

json_object *zones_runs_load(const char *path) {
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

void zones_describe(const sync_config *c, lake_source *s3, lake_snapshot *s) {
    s->zones = xcalloc(c->n_zones ? c->n_zones : 1, sizeof *s->zones);
    for (size_t i = 0; i < c->n_zones; i++) {
        const zone *z = &c->zones[i];
        zone_stats *zs = &s->zones[s->n_zones++];
        zs->name = xstrdup(z->name);
        zs->uri = xstrdup(z->uri);
        zs->role = xstrdup(z->role ? z->role : "");
        zone_listing list;
        char *error = NULL;
        if (zones_list(z, NULL, 0, s3, &list, &error)) {
            zs->objects = (int64_t)list.n;
            for (size_t k = 0; k < list.n; k++)
                zs->bytes += list.items[k].size;
            zones_listing_free(&list);
        } else {
            zs->objects = zs->bytes = -1;
            zs->error = error;
        }
    }
    char *path = zones_runs_path();
    json_object *state = zones_runs_load(path);
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
