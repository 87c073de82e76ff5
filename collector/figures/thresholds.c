/* thresholds.c: staleness threshold rules and their lookup. */
#include "collector/figures/thresholds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"

#include "common/xalloc.h"
#include "collector/figures/insights.h"

void thresholds_init(thresholds *t) {
    memset(t, 0, sizeof *t);
    t->warn = THRESHOLDS_DEFAULT_WARN;
    t->crit = THRESHOLDS_DEFAULT_CRIT;
    t->quota = -1;
    insight_settings d = insights_default_settings();
    t->late_factor = d.late_factor;
    t->anomaly_k = d.anomaly_k;
    t->small_files = d.small_files;
    t->small_file_size = d.small_file_size;
    t->waste_share = d.waste_share;
    t->waste_bytes = d.waste_bytes;
    t->max_snapshots = d.max_snapshots;
}

void thresholds_free(thresholds *t) {
    for (size_t i = 0; i < t->n_rules; i++) {
        free(t->rules[i].database);
        free(t->rules[i].table);
    }
    free(t->rules);
    memset(t, 0, sizeof *t);
}

void thresholds_copy(thresholds *dst, const thresholds *src) {
    thresholds_init(dst);
    dst->warn = src->warn;
    dst->crit = src->crit;
    dst->quota = src->quota;
    dst->late_factor = src->late_factor;
    dst->anomaly_k = src->anomaly_k;
    dst->small_files = src->small_files;
    dst->small_file_size = src->small_file_size;
    dst->waste_share = src->waste_share;
    dst->waste_bytes = src->waste_bytes;
    dst->max_snapshots = src->max_snapshots;
    for (size_t i = 0; i < src->n_rules; i++) {
        thresholds_set(dst, src->rules[i].database, src->rules[i].table, src->rules[i].warn,
                       src->rules[i].crit);
        if (src->rules[i].quota >= 0)
            thresholds_set_quota(dst, src->rules[i].database, src->rules[i].table,
                                 src->rules[i].quota);
    }
}

static threshold_rule *thresholds_find(const thresholds *t, const char *database,
                                       const char *table) {
    for (size_t i = 0; i < t->n_rules; i++) {
        threshold_rule *r = &t->rules[i];
        if (strcmp(r->database, database) != 0)
            continue;
        if ((table == NULL) != (r->table == NULL))
            continue;
        if (table && strcmp(table, r->table) != 0)
            continue;
        return r;
    }
    return NULL;
}

void thresholds_set(thresholds *t, const char *database, const char *table, int64_t warn,
                    int64_t crit) {
    threshold_rule *r = thresholds_find(t, database, table);
    if (!r) {
        t->rules = xgrow(t->rules, &t->cap_rules, t->n_rules + 1, sizeof *t->rules);
        r = &t->rules[t->n_rules++];
        r->database = xstrdup(database);
        r->table = table ? xstrdup(table) : NULL;
        r->warn = -1;
        r->crit = -1;
        r->quota = -1;
    }
    if (warn >= 0)
        r->warn = warn;
    if (crit >= 0)
        r->crit = crit;
}

void thresholds_set_quota(thresholds *t, const char *database, const char *table, int64_t quota) {
    if (!database) {
        t->quota = quota;
        return;
    }
    thresholds_set(t, database, table, -1, -1); /* makes the rule when missing */
    thresholds_find(t, database, table)->quota = quota;
}

int64_t thresholds_quota(const thresholds *t, const char *database, const char *table) {
    const threshold_rule *tb = table ? thresholds_find(t, database, table) : NULL;
    if (tb && tb->quota >= 0)
        return tb->quota;
    const threshold_rule *db = thresholds_find(t, database, NULL);
    if (db && db->quota >= 0)
        return db->quota;
    return t->quota;
}

void thresholds_lookup(const thresholds *t, const char *database, const char *table, int64_t *warn,
                       int64_t *crit) {
    thresholds_lookup_rule(t, database, table, warn, crit);
}

stale_rule thresholds_lookup_rule(const thresholds *t, const char *database, const char *table,
                                  int64_t *warn, int64_t *crit) {
    stale_rule rule = STALE_RULE_GLOBAL;
    *warn = t->warn;
    *crit = t->crit;
    const threshold_rule *db = thresholds_find(t, database, NULL);
    if (db) {
        if (db->warn >= 0)
            *warn = db->warn;
        if (db->crit >= 0)
            *crit = db->crit;
        if (db->warn >= 0 || db->crit >= 0)
            rule = STALE_RULE_DATABASE;
    }
    const threshold_rule *tb = table ? thresholds_find(t, database, table) : NULL;
    if (tb) {
        if (tb->warn >= 0)
            *warn = tb->warn;
        if (tb->crit >= 0)
            *crit = tb->crit;
        if (tb->warn >= 0 || tb->crit >= 0)
            rule = STALE_RULE_TABLE;
    }
    return rule;
}

bool thresholds_learned(int64_t usual, double late_factor, int64_t *warn, int64_t *crit) {
    if (usual <= 0 || late_factor <= 0)
        return false;
    double late = late_factor * (double)usual;
    if (late > 1e15)
        late = 1e15; /* a config's late_factor cannot overflow a threshold */
    int64_t learned_warn = (int64_t)late, learned_crit = 2 * learned_warn;
    bool raised = false;
    if (learned_warn > *warn) {
        *warn = learned_warn;
        raised = true;
    }
    if (learned_crit > *crit) {
        *crit = learned_crit;
        raised = true;
    }
    return raised;
}

/* To the nearest hour from an hour on: 29d 23h 57m reads 30d. */
static int64_t thresholds_round_hour(int64_t seconds) {
    return seconds >= 3600 ? (seconds + 1800) / 3600 * 3600 : seconds;
}

char *thresholds_interval_text(int64_t usual, char *out, size_t size) {
    return fmt_age(thresholds_round_hour(usual), out, size);
}

char *thresholds_source_text(const table_stats *t, char *out, size_t size) {
    char usual[32];
    switch (t->stale_rule) {
    case STALE_RULE_TABLE: snprintf(out, size, "from [table %s.%s]", t->database, t->name); break;
    case STALE_RULE_DATABASE: snprintf(out, size, "from [database %s]", t->database); break;
    case STALE_RULE_LEARNED:
        snprintf(out, size, "from its usual %s",
                 thresholds_interval_text(t->usual_interval_seconds, usual, sizeof usual));
        break;
    case STALE_RULE_GLOBAL:
    default: snprintf(out, size, "%s", ""); break;
    }
    return out;
}

char *thresholds_reason(const table_stats *t, bool crit, const char *level, char *out,
                        size_t size) {
    char at[32], source[600], usual[32];
    int64_t limit = crit ? t->stale_crit_seconds : t->stale_warn_seconds;
    fmt_age(t->stale_rule == STALE_RULE_LEARNED ? thresholds_round_hour(limit) : limit, at,
            sizeof at);
    thresholds_source_text(t, source, sizeof source);
    if (source[0])
        snprintf(out, size, "%s %s, %s", level, at, source);
    else if (t->usual_interval_seconds > 0)
        snprintf(out, size, "%s %s; usually every %s", level, at,
                 thresholds_interval_text(t->usual_interval_seconds, usual, sizeof usual));
    else
        snprintf(out, size, "%s %s", level, at);
    return out;
}
