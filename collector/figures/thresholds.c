/* thresholds.c: staleness threshold rules and their lookup. */
#include "collector/figures/thresholds.h"

#include <stdlib.h>
#include <string.h>

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
    *warn = t->warn;
    *crit = t->crit;
    const threshold_rule *db = thresholds_find(t, database, NULL);
    if (db) {
        if (db->warn >= 0)
            *warn = db->warn;
        if (db->crit >= 0)
            *crit = db->crit;
    }
    const threshold_rule *tb = table ? thresholds_find(t, database, table) : NULL;
    if (tb) {
        if (tb->warn >= 0)
            *warn = tb->warn;
        if (tb->crit >= 0)
            *crit = tb->crit;
    }
}
