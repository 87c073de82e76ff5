/* thresholds.h: staleness thresholds, global with per-database and per-table
 * overrides, looked up most specific first (table, database, global), and
 * the thresholds a table's learned interval gives.
 *
 * The rule (one for the dashboard, --once and check):
 *  1. a [table DB.T] section that sets stale_warn or stale_crit: those
 *     (what it leaves unset comes from its database, else the global);
 *  2. else a [database DB] section that sets one: those;
 *  3. else, when the table has learned its usual interval between arrivals
 *     (insights.h), warn at late_factor times it (where it is called late)
 *     and crit at twice that, each never below the global value: a table
 *     that usually gets data every 30 days is stale after 45, critical
 *     after 90, and a daily table keeps the global 2d and 7d;
 *  4. else the global thresholds ([laketop], --stale-warn/--stale-crit,
 *     else 2d and 7d). */
#ifndef LAKETOP_THRESHOLDS_H
#define LAKETOP_THRESHOLDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

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
     * files: over small_files files averaging under small_file_size; waste:
     * unreferenced bytes over waste_share of the live and over waste_bytes;
     * many snapshots: over max_snapshots. */
    double late_factor;
    double anomaly_k;
    int64_t small_files;
    int64_t small_file_size;
    double waste_share;
    int64_t waste_bytes;
    int64_t max_snapshots;
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
/* The same, and which section set them: STALE_RULE_TABLE, _DATABASE or
 * _GLOBAL (a section that sets only a quota sets no threshold). */
stale_rule thresholds_lookup_rule(const thresholds *t, const char *database, const char *table,
                                  int64_t *warn, int64_t *crit);
/* Rule 3: the thresholds of a table whose usual interval is `usual`
 * seconds (> 0) over the global `*warn` and `*crit`; true when the
 * interval raised either (the table is then judged by it). */
bool thresholds_learned(int64_t usual, double late_factor, int64_t *warn, int64_t *crit);
/* "usually every 30d": an interval to the nearest hour (arrivals wobble). */
char *thresholds_interval_text(int64_t usual, char *out, size_t size);
/* Why a table's threshold is what it is, after `level` ("crit at",
 * "warning at"...) and the threshold that `crit` picks: "crit at 7d",
 * "crit at 7d; usually every 1d", "warn at 45d, from its usual 30d",
 * "warn at 2d, from [table sales.orders]", "crit at 30d, from [database
 * census]". */
char *thresholds_reason(const table_stats *t, bool crit, const char *level, char *out, size_t size);
/* Only where they came from: "" (global), "from [table sales.orders]",
 * "from [database census]", "from its usual 30d". */
char *thresholds_source_text(const table_stats *t, char *out, size_t size);

#endif
