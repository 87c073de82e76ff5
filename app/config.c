/* config.c: INI configuration (via inih), XDG paths. */
#include "app/config.h"
#include "app/config_accounts.h"
#include "app/config_aws.h"
#include "app/config_incremental.h"
#include "app/config_insights.h"
#include "app/config_prices.h"
#include "app/config_reader.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "collector/storage.h"
#include "common/fmt.h"
#include "common/xalloc.h"

void config_init(config *c) {
    memset(c, 0, sizeof *c);
    c->interval_seconds = 60;
    c->mouse = true;
    c->concurrency = 32;
    thresholds_init(&c->thresholds);
    cost_prices_default(&c->prices);
    incremental_settings_default(&c->incremental);
}

void config_free(config *c) {
    free(c->path);
    free(c->lake_dir);
    free(c->theme);
    free(c->themes_dir);
    free(c->profile);
    free(c->region);
    free(c->endpoint_url);
    free(c->inventory);
    config_inventory_free(&c->athena);
    free(c->backup_dir);
    free(c->export_dir);
    free(c->mapping);
    zones_config_free(&c->sync);
    for (size_t i = 0; i < c->n_crawlers; i++) {
        free(c->crawlers[i].name);
        free(c->crawlers[i].path);
        free(c->crawlers[i].database);
    }
    free(c->crawlers);
    config_jobs_free(&c->jobs);
    for (size_t i = 0; i < c->n_protected_accounts; i++)
        free(c->protected_accounts[i]);
    free(c->protected_accounts);
    for (size_t i = 0; i < c->n_sections; i++) {
        free(c->sections[i].database);
        free(c->sections[i].table);
    }
    free(c->sections);
    thresholds_free(&c->thresholds);
    incremental_settings_free(&c->incremental);
    writer_rules_free(&c->writers);
    memset(c, 0, sizeof *c);
}

/* "~/x" -> "$HOME/x"; other paths copied. */
static char *config_expand_home(const char *path) {
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home)
        return xasprintf("%s%s", home, path + 1);
    return xstrdup(path);
}

/* The lines things were set on, by index (0: not set in this file), for
 * the checks that can only be made once the whole file is read. */
typedef struct config_lines {
    int *line;
    size_t cap;
} config_lines;

static void config_lines_set(config_lines *l, size_t index, int line) {
    size_t old = l->cap;
    l->line = xgrow(l->line, &l->cap, index + 1, sizeof *l->line);
    memset(l->line + old, 0, (l->cap - old) * sizeof *l->line);
    l->line[index] = line;
}

static int config_lines_get(const config_lines *l, size_t index) {
    return index < l->cap ? l->line[index] : 0;
}

typedef struct config_parse {
    config *c;
    char *error;
    config_reader reader;              /* the lines read, counted */
    int warn_line, crit_line;          /* [laketop] stale_warn, stale_crit */
    config_lines rule_warn, rule_crit; /* by threshold rule */
    config_lines zone_first, zone_uri; /* by zone: its first key, its uri */
    config_lines rule_first, from, to; /* by sync rule: its first key, from, to */
} config_parse;

/* A value that names a file or directory: never empty. */
static bool config_path_given(config_parse *p, const char *name, const char *value) {
    if (value[0])
        return true;
    p->error = xasprintf("%s: empty (name a path, or remove the line for the default)", name);
    return false;
}

/* The index of the threshold rule for (database, table), which exists. */
static size_t config_threshold_index(const thresholds *t, const char *database, const char *table) {
    size_t i = 0;
    for (; i + 1 < t->n_rules; i++)
        if (strcmp(t->rules[i].database, database) == 0 &&
            (table == NULL) == (t->rules[i].table == NULL) &&
            (!table || strcmp(t->rules[i].table, table) == 0))
            break;
    return i;
}

static bool config_bool(const char *value, bool *out) {
    if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1") ||
        !strcasecmp(value, "on")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0") ||
        !strcasecmp(value, "off")) {
        *out = false;
        return true;
    }
    return false;
}

/* Remembers [database D] or [table D.T] (the first of each) for the
 * warning about sections that name nothing in the catalog. */
static void config_section_seen(config_parse *p, const char *database, const char *table) {
    config *c = p->c;
    for (size_t i = 0; i < c->n_sections; i++)
        if (strcmp(c->sections[i].database, database) == 0 &&
            (table == NULL) == (c->sections[i].table == NULL) &&
            (!table || strcmp(c->sections[i].table, table) == 0))
            return;
    c->sections = xrealloc(c->sections, (c->n_sections + 1) * sizeof *c->sections);
    c->sections[c->n_sections++] = (config_section){.database = xstrdup(database),
                                                    .table = table ? xstrdup(table) : NULL,
                                                    .line = p->reader.section_line};
}

/* "stale_warn"/"stale_crit"/"quota" in any section. */
static int config_threshold(config_parse *p, const char *database, const char *table,
                            const char *name, const char *value) {
    int64_t seconds;
    if (database)
        config_section_seen(p, database, table);
    if (database && (strcmp(name, "job") == 0 || strcmp(name, "state_machine") == 0)) {
        if (!value[0]) {
            p->error = xasprintf("%s: empty (name the %s that writes these tables)", name,
                                 name[0] == 'j' ? "job" : "state machine");
            return 0;
        }
        writer_rules_set(&p->c->writers, database, table,
                         name[0] == 'j' ? PIPELINE_LOCAL : PIPELINE_STATES, value);
        return 1;
    }
    if (database && config_incremental_is_key(name))
        return config_incremental_set_in(&p->c->incremental, database, table, name, value,
                                         &p->error);
    if (database && config_insights_is_key(name)) {
        p->error = xasprintf("%s: set in [laketop] only (one setting for the whole lake)", name);
        return 0;
    }
    if (strcmp(name, "quota") == 0) {
        int64_t bytes;
        if (!fmt_parse_bytes(value, &bytes) || bytes <= 0) {
            p->error = xasprintf("quota: \"%s\" is not a size (e.g. 500GiB, 2TiB)", value);
            return 0;
        }
        thresholds_set_quota(&p->c->thresholds, database, table, bytes);
        return 1;
    }
    bool warn = strcmp(name, "stale_warn") == 0;
    if (!warn && strcmp(name, "stale_crit") != 0) {
        p->error = xasprintf(
            "unknown key \"%s\" (expected stale_warn, stale_crit, quota, job or state_machine)",
            name);
        return 0;
    }
    if (!fmt_parse_duration(value, &seconds)) {
        p->error = xasprintf("%s: \"%s\" is not a duration (e.g. 36h, 2d)", name, value);
        return 0;
    }
    if (!database) {
        if (warn)
            p->c->thresholds.warn = seconds;
        else
            p->c->thresholds.crit = seconds;
        *(warn ? &p->warn_line : &p->crit_line) = p->reader.line;
    } else {
        thresholds_set(&p->c->thresholds, database, table, warn ? seconds : -1,
                       warn ? -1 : seconds);
        size_t index = config_threshold_index(&p->c->thresholds, database, table);
        config_lines_set(warn ? &p->rule_warn : &p->rule_crit, index, p->reader.line);
    }
    return 1;
}

static int config_crawler(config_parse *p, const char *crawler, const char *name,
                          const char *value) {
    config *c = p->c;
    struct config_crawler *cr = NULL;
    for (size_t i = 0; i < c->n_crawlers && !cr; i++)
        if (strcmp(c->crawlers[i].name, crawler) == 0)
            cr = &c->crawlers[i];
    if (!cr) {
        c->crawlers = xrealloc(c->crawlers, (c->n_crawlers + 1) * sizeof *c->crawlers);
        cr = &c->crawlers[c->n_crawlers++];
        cr->name = xstrdup(crawler);
        cr->path = xstrdup("");
        cr->database = xstrdup(crawler);
    }
    char **slot = strcmp(name, "path") == 0       ? &cr->path
                  : strcmp(name, "database") == 0 ? &cr->database
                                                  : NULL;
    if (!slot) {
        p->error = xasprintf("unknown key \"%s\" in [crawler %s] (path, database)", name, crawler);
        return 0;
    }
    if (slot == &cr->path && (value[0] == '/' || strstr(value, ".."))) {
        p->error = xasprintf("path: \"%s\" must be inside the lake (relative, without ..)", value);
        return 0;
    }
    free(*slot);
    *slot = xstrdup(value);
    return 1;
}

static zone *config_zone_named(config *c, const char *name) {
    for (size_t i = 0; i < c->sync.n_zones; i++)
        if (strcmp(c->sync.zones[i].name, name) == 0)
            return &c->sync.zones[i];
    c->sync.zones = xrealloc(c->sync.zones, (c->sync.n_zones + 1) * sizeof *c->sync.zones);
    zone *z = &c->sync.zones[c->sync.n_zones++];
    memset(z, 0, sizeof *z);
    z->name = xstrdup(name);
    z->uri = xstrdup("");
    return z;
}

static int config_zone(config_parse *p, const char *zone_name, const char *name,
                       const char *value) {
    zone *z = config_zone_named(p->c, zone_name);
    size_t index = (size_t)(z - p->c->sync.zones);
    if (!config_lines_get(&p->zone_first, index))
        config_lines_set(&p->zone_first, index, p->reader.line);
    if (strcmp(name, "uri") == 0) {
        if (!config_path_given(p, "uri", value))
            return 0;
        config_lines_set(&p->zone_uri, index, p->reader.line);
        free(z->uri);
        z->uri = config_expand_home(value);
    } else if (strcmp(name, "role") == 0) {
        if (strcmp(value, "landing") && strcmp(value, "storing") && strcmp(value, "user")) {
            p->error = xasprintf("role: \"%s\" is not landing, storing or user", value);
            return 0;
        }
        free(z->role);
        z->role = xstrdup(value);
    } else {
        p->error = xasprintf("unknown key \"%s\" in [zone %s] (uri, role)", name, zone_name);
        return 0;
    }
    return 1;
}

static sync_rule *config_rule_named(config *c, const char *name) {
    for (size_t i = 0; i < c->sync.n_rules; i++)
        if (strcmp(c->sync.rules[i].name, name) == 0)
            return &c->sync.rules[i];
    c->sync.rules = xrealloc(c->sync.rules, (c->sync.n_rules + 1) * sizeof *c->sync.rules);
    sync_rule *r = &c->sync.rules[c->sync.n_rules++];
    memset(r, 0, sizeof *r);
    r->name = xstrdup(name);
    r->from = xstrdup("");
    r->to = xstrdup("");
    return r;
}

static int config_sync_rule(config_parse *p, const char *rule_name, const char *name,
                            const char *value) {
    sync_rule *r = config_rule_named(p->c, rule_name);
    size_t index = (size_t)(r - p->c->sync.rules);
    if (!config_lines_get(&p->rule_first, index))
        config_lines_set(&p->rule_first, index, p->reader.line);
    if (strcmp(name, "from") == 0 || strcmp(name, "to") == 0) {
        char **slot = name[0] == 'f' ? &r->from : &r->to;
        config_lines_set(name[0] == 'f' ? &p->from : &p->to, index, p->reader.line);
        free(*slot);
        *slot = xstrdup(value);
    } else if (strcmp(name, "prefix") == 0 || strcmp(name, "prefixes") == 0) {
        char *copy = xstrdup(value);
        for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok;
             tok = strtok_r(NULL, ", ", &save)) {
            if (strstr(tok, "..") || tok[0] == '/') {
                p->error = xasprintf("prefix \"%s\": a path inside the zone, without ..", tok);
                free(copy);
                return 0;
            }
            r->prefixes = xrealloc(r->prefixes, (r->n_prefixes + 1) * sizeof *r->prefixes);
            r->prefixes[r->n_prefixes++] = xstrdup(tok);
        }
        free(copy);
    } else if (strcmp(name, "delete") == 0) {
        if (!config_bool(value, &r->delete_extra)) {
            p->error = xasprintf("delete: \"%s\" is not true or false", value);
            return 0;
        }
    } else {
        p->error = xasprintf("unknown key \"%s\" in [sync %s] (from, to, prefix, delete)", name,
                             rule_name);
        return 0;
    }
    return 1;
}

/* protected_accounts = ID, ID...: the line replaces an earlier one. */
static int config_protected_accounts(config_parse *p, const char *value) {
    config *c = p->c;
    char **ids;
    size_t n;
    if (!config_accounts_parse(value, &ids, &n, &p->error))
        return 0;
    for (size_t i = 0; i < c->n_protected_accounts; i++)
        free(c->protected_accounts[i]);
    free(c->protected_accounts);
    c->protected_accounts = ids;
    c->n_protected_accounts = n;
    return 1;
}

bool config_account_protected(const config *c, const char *account) {
    for (size_t i = 0; account && i < c->n_protected_accounts; i++)
        if (strcmp(c->protected_accounts[i], account) == 0)
            return true;
    return false;
}

static int config_handler(void *user, const char *section, const char *name, const char *value) {
    config_parse *p = user;
    config *c = p->c;
    if (strcmp(section, "laketop") == 0 || section[0] == '\0') {
        if (strcmp(name, "lake") == 0) {
            if (!config_path_given(p, "lake", value))
                return 0;
            free(c->lake_dir);
            c->lake_dir = config_expand_home(value);
        } else if (strcmp(name, "interval") == 0) {
            if (!fmt_parse_duration(value, &c->interval_seconds) || c->interval_seconds < 1) {
                p->error = xasprintf("interval: \"%s\" is not a duration of 1s or more", value);
                return 0;
            }
        } else if (strcmp(name, "mapping") == 0) {
            if (!config_path_given(p, name, value))
                return 0;
            free(c->mapping);
            c->mapping = config_expand_home(value);
        } else if (strcmp(name, "backup_dir") == 0 || strcmp(name, "export_dir") == 0) {
            char **target = name[0] == 'b' ? &c->backup_dir : &c->export_dir;
            if (!config_path_given(p, name, value))
                return 0;
            free(*target);
            *target = config_expand_home(value);
        } else if (strcmp(name, "theme") == 0) {
            free(c->theme);
            c->theme = xstrdup(value);
            c->theme_line = p->reader.line; /* checked against the theme files: options.c */
        } else if (strcmp(name, "view") == 0) {
            if (strcmp(value, "overview") != 0 && strcmp(value, "databases") != 0) {
                p->error = xasprintf("view: \"%s\" is not overview or databases", value);
                return 0;
            }
            c->start_databases = value[0] == 'd';
        } else if (strcmp(name, "themes_dir") == 0) {
            if (!config_path_given(p, name, value))
                return 0;
            free(c->themes_dir);
            c->themes_dir = config_expand_home(value);
        } else if (strcmp(name, "read_only") == 0 || strcmp(name, "mouse") == 0 ||
                   strcmp(name, "production") == 0) {
            bool *target = name[0] == 'r'   ? &c->read_only
                           : name[0] == 'm' ? &c->mouse
                                            : &c->production;
            if (!config_bool(value, target)) {
                p->error = xasprintf("%s: \"%s\" is not true or false", name, value);
                return 0;
            }
        } else if (strcmp(name, "source") == 0) {
            if (strcmp(value, "aws") != 0 && strcmp(value, "local") != 0) {
                p->error = xasprintf("source: \"%s\" is not local or aws", value);
                return 0;
            }
            c->aws = strcmp(value, "aws") == 0;
        } else if (strcmp(name, "profile") == 0 || strcmp(name, "region") == 0 ||
                   strcmp(name, "endpoint_url") == 0) {
            char **slot = name[0] == 'p'   ? &c->profile
                          : name[0] == 'r' ? &c->region
                                           : &c->endpoint_url;
            if (!config_aws_value_ok(name, value, &p->error))
                return 0;
            free(*slot);
            *slot = xstrdup(value);
        } else if (strcmp(name, "protected_accounts") == 0) {
            return config_protected_accounts(p, value);
        } else if (strcmp(name, "s3_path_style") == 0) {
            if (!config_bool(value, &c->s3_path_style)) {
                p->error = xasprintf("%s: \"%s\" is not true or false", name, value);
                return 0;
            }
        } else if (strcmp(name, "inventory") == 0) {
            char *bucket = NULL, *prefix = NULL;
            bool ok = strcmp(value, "auto") == 0 || /* ListBucketInventoryConfigurations */
                      (storage_s3_parse(value, &bucket, &prefix, NULL) && strchr(prefix, '/') &&
                       strchr(prefix, '/') != prefix && strchr(prefix, '/')[1]);
            free(bucket);
            free(prefix);
            if (!ok) {
                p->error = xasprintf(
                    "inventory: \"%s\" is not auto nor s3://DEST/SOURCE-BUCKET/CONFIG-ID/", value);
                return 0;
            }
            free(c->inventory);
            c->inventory = xstrdup(value);
        } else if (strcmp(name, "concurrency") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || n < 1 || n > 1024) {
                p->error = xasprintf("concurrency: \"%s\" is not a number from 1 to 1024", value);
                return 0;
            }
            c->concurrency = n;
        } else if (strncmp(name, "stale_", 6) == 0 || strcmp(name, "quota") == 0) {
            return config_threshold(p, NULL, NULL, name, value);
        } else if (config_insights_is_key(name)) {
            return config_insights_set(&c->thresholds, name, value, &p->error);
        } else if (config_incremental_is_key(name)) {
            return config_incremental_set(&c->incremental, name, value, &p->error);
        } else if (config_inventory_is_key(name)) {
            return config_inventory_set(&c->athena, name, value, &p->error);
        } else {
            p->error = xasprintf("unknown key \"%s\" in [laketop]", name);
            return 0;
        }
        return 1;
    }
    if (strcmp(section, "prices") == 0)
        return config_prices_set(&c->prices, name, value, &p->error);
    if (strncmp(section, "crawler ", 8) == 0 && section[8])
        return config_crawler(p, section + 8, name, value);
    if (strncmp(section, "zone ", 5) == 0 && section[5])
        return config_zone(p, section + 5, name, value);
    if (strncmp(section, "sync ", 5) == 0 && section[5])
        return config_sync_rule(p, section + 5, name, value);
    if (strncmp(section, "job ", 4) == 0 && section[4])
        return config_jobs_set(&c->jobs, section + 4, p->reader.section_line, name, value,
                               &p->error);
    if (strncmp(section, "database ", 9) == 0 && section[9]) {
        return config_threshold(p, section + 9, NULL, name, value);
    }
    if (strncmp(section, "table ", 6) == 0) {
        const char *dot = strchr(section + 6, '.');
        if (!dot || dot == section + 6 || !dot[1]) {
            p->error = xasprintf("section [%s]: write [table DATABASE.TABLE]", section);
            return 0;
        }
        char *database = xstrndup(section + 6, (size_t)(dot - section - 6));
        int ok = config_threshold(p, database, dot + 1, name, value);
        free(database);
        return ok;
    }
    p->error = xasprintf("unknown section [%s] (expected [laketop], [database NAME], "
                         "[table DATABASE.TABLE], [crawler NAME], [zone NAME], [sync NAME], "
                         "[job NAME] or [prices])",
                         section);
    return 0;
}

/* The checks of what the whole file says: thresholds, zones, rules. 0 when
 * it makes sense, else the line to blame (*why set). */
static int config_check(config_parse *p, char **why) {
    const config *c = p->c;
    const thresholds *t = &c->thresholds;
    if (t->crit < t->warn && (p->warn_line || p->crit_line)) {
        char crit[32], warn[32];
        fmt_age(t->crit, crit, sizeof crit);
        fmt_age(t->warn, warn, sizeof warn);
        *why = xasprintf("stale_crit (%s) is shorter than stale_warn (%s)%s", crit, warn,
                         !p->crit_line   ? ": the default stale_crit; set it too"
                         : !p->warn_line ? ": the default stale_warn; set it too"
                                         : "");
        return p->warn_line > p->crit_line ? p->warn_line : p->crit_line;
    }
    for (size_t i = 0; i < t->n_rules; i++) {
        const threshold_rule *r = &t->rules[i];
        if (r->warn >= 0 && r->crit >= 0 && r->crit < r->warn) {
            *why = xasprintf("[%s %s%s%s] stale_crit is shorter than its stale_warn",
                             r->table ? "table" : "database", r->database, r->table ? "." : "",
                             r->table ? r->table : "");
            int wl = config_lines_get(&p->rule_warn, i), cl = config_lines_get(&p->rule_crit, i);
            return wl > cl ? wl : cl;
        }
    }
    const sync_config *sync = &c->sync;
    for (size_t i = 0; i < sync->n_zones; i++) {
        const zone *z = &sync->zones[i];
        int uri_line = config_lines_get(&p->zone_uri, i);
        if (!uri_line) {
            *why = xasprintf("[zone %s] has no uri", z->name);
            return config_lines_get(&p->zone_first, i);
        }
        char *bucket, *prefix;
        bool ok = !storage_is_s3(z->uri) || zones_s3_split(z, &bucket, &prefix, why);
        if (storage_is_s3(z->uri) && ok) {
            free(bucket);
            free(prefix);
        }
        if (!ok)
            return uri_line;
    }
    for (size_t i = 0; i < sync->n_rules; i++) {
        const sync_rule *r = &sync->rules[i];
        int from_line = config_lines_get(&p->from, i), to_line = config_lines_get(&p->to, i);
        if (!from_line || !to_line) {
            *why = xasprintf("[sync %s] has no %s (a zone's name)", r->name,
                             !from_line ? "from" : "to");
            return config_lines_get(&p->rule_first, i);
        }
        bool from_missing = !zones_find(sync, r->from);
        if (from_missing || !zones_find(sync, r->to)) {
            const char *missing = from_missing ? r->from : r->to;
            *why = xasprintf("sync rule %s names zone \"%s\", which is not defined ([zone %s])",
                             r->name, missing, missing);
            return from_missing ? from_line : to_line;
        }
        if (strcmp(r->from, r->to) == 0) {
            *why = xasprintf("sync rule %s copies zone %s onto itself", r->name, r->from);
            return from_line > to_line ? from_line : to_line;
        }
    }
    return 0;
}

bool config_load(config *c, const char *path, bool must_exist, char **error) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (!must_exist && access(path, F_OK) != 0)
            return true;
        *error = xasprintf("%s: cannot open: %m", path);
        return false;
    }
    config_parse p = {.c = c, .reader = {.fp = fp}};
    free(c->path);
    c->path = xstrdup(path);
    int line = ini_parse_stream(config_reader_line, &p.reader, config_handler, &p);
    fclose(fp);
    if (p.reader.error) {
        line = p.reader.line;
        *error = xasprintf("%s:%d: %s", path, line, p.reader.error);
        free(p.reader.error);
    } else if (line != 0) {
        *error = xasprintf("%s:%d: %s", path, line,
                           p.error ? p.error : "not a \"key = value\" line or [section]");
    } else {
        line = config_check(&p, &p.error);
        if (line)
            *error = xasprintf("%s:%d: %s", path, line, p.error);
    }
    free(p.error);
    free(p.rule_warn.line);
    free(p.rule_crit.line);
    free(p.zone_first.line);
    free(p.zone_uri.line);
    free(p.rule_first.line);
    free(p.from.line);
    free(p.to.line);
    return line == 0;
}
