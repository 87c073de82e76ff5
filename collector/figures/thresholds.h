/* thresholds.h: staleness thresholds, global with per-database and per-table
 * overrides, looked up most specific first (table, database, global). */
#ifndef LAKETOP_THRESHOLDS_H
#define LAKETOP_THRESHOLDS_H

#include <stddef.h>
#include <stdint.h>

#define THRESHOLDS_DEFAULT_WARN (2 * 86400)
#define THRESHOLDS_DEFAULT_CRIT (7 * 86400)

typedef struct threshold_rule {
    char *database; /* never NULL */
    char *table;    /* NULL: rule for the whole database */
    int64_t warn;   /* -1: inherit */
    int64_t crit;   /* -1: inherit */
    int64_t quota;  /* bytes; -1: inherit */
} threshold_rule;

typedef struct thresholds {
    int64_t warn;
    int64_t crit;
    int64_t quota; /* bytes a table may reach (days_to_quota); -1: none */
    /* insights.h: late past late_factor times the usual interval; small
     * files: over small_files files averaging under small_file_size. */
    double late_factor;
    double anomaly_k;
    int64_t small_files;
    int64_t small_file_size;
    threshold_rule *rules;
    size_t n_rules;
    size_t cap_rules;
} thresholds;

void thresholds_init(thresholds *t);
void thresholds_free(thresholds *t);
void thresholds_copy(thresholds *dst, const thresholds *src);
/* Sets a rule's warn or crit (pass -1 to leave a value unchanged). */
void thresholds_set(thresholds *t, const char *database, const char *table, int64_t warn,
                    int64_t crit);
/* A size quota for a database or a table (or all, with database NULL). */
void thresholds_set_quota(thresholds *t, const char *database, const char *table, int64_t quota);
/* The most specific quota; -1 when none. */
int64_t thresholds_quota(const thresholds *t, const char *database, const char *table);
void thresholds_lookup(const thresholds *t, const char *database, const char *table, int64_t *warn,
                       int64_t *crit);

#endif
