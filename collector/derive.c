/* derive.c: the figures computed from what a refresh gathered, before the
 * snapshot is published: staleness against the thresholds, growth, the
 * insights (late, anomaly, small files, a recent schema change, an open
 * table format's waste and many snapshots), the
 * thresholds a learned interval gives (thresholds.h's rule), the forecast
 * (flat for a late table) and quota, and each database's totals and summed history. The
 * computations themselves live in collector/figures/; this file applies
 * them to a snapshot. The cost (cost.h) is priced here, at the snapshot's
 * prices, from the price-free figures the listings and queries gathered. */
#include "collector/derive.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "collector/figures/cost.h"
#include "collector/figures/forecast.h"
#include "collector/figures/history.h"
#include "collector/figures/history_recent.h"
#include "collector/figures/insights.h"
#include "collector/figures/schema.h"
#include "collector/figures/thresholds.h"

static void derive_table(const lake_snapshot *s, table_stats *t, int64_t now) {
    const insight_settings *in = &s->insights;
    /* learned from the last HISTORY_RECENT_DAYS days: the cadence of now,
     * and the first frame's (history_recent.h) */
    size_t recent = t->n_history;
    while (recent > 0 &&
           t->history[recent - 1].day > t->history[t->n_history - 1].day - HISTORY_RECENT_DAYS)
        recent--;
    t->usual_interval_seconds = insights_usual_interval(t->history + recent, t->n_history - recent);
    /* thresholds.h's rule 3: without a section of its own, a table that has
     * learned its interval is judged by it */
    if (t->stale_rule == STALE_RULE_GLOBAL &&
        thresholds_learned(t->usual_interval_seconds, in->late_factor, &t->stale_warn_seconds,
                           &t->stale_crit_seconds))
        t->stale_rule = STALE_RULE_LEARNED;
    if (t->newest_object >= 0 && now >= 0) {
        t->staleness_seconds = now > t->newest_object ? now - t->newest_object : 0;
        if (t->staleness_seconds >= t->stale_crit_seconds)
            t->stale = STALE_CRIT;
        else if (t->staleness_seconds >= t->stale_warn_seconds)
            t->stale = STALE_WARN;
        else
            t->stale = STALE_FRESH;
    } else {
        t->staleness_seconds = -1;
        t->stale = STALE_UNKNOWN;
    }
    t->has_growth_7d = history_growth(t->history, t->n_history, 7, &t->growth_7d_bytes);
    t->has_growth_30d = history_growth(t->history, t->n_history, 30, &t->growth_30d_bytes);
    t->late = t->usual_interval_seconds > 0 && t->staleness_seconds >= 0 &&
              (double)t->staleness_seconds > in->late_factor * (double)t->usual_interval_seconds;
    t->growth_today_bytes = 0;
    t->anomaly = insights_anomaly(t->history, t->n_history, in->anomaly_k, &t->growth_today_bytes);
    /* objects and bytes are the live files of a table read from its
     * format's metadata (snapshot.h): small files are judged on those */
    t->small_files =
        insights_small_files(t->objects, t->bytes, in->small_files, in->small_file_size);
    t->waste = insights_waste(t->unreferenced_bytes, t->bytes, in->waste_share, in->waste_bytes);
    t->many_snapshots = insights_many_snapshots(t->snapshots, in->max_snapshots);
    t->uploads_left =
        insights_uploads_left(t->incomplete_uploads, t->oldest_incomplete_upload, now);
    int64_t changed_ago = now - t->schema_changed_at;
    t->schema_recent = t->n_schema_changes && t->schema_changed_at >= 0 && changed_ago >= 0 &&
                       changed_ago < SCHEMA_RECENT_SECONDS;
    forecast f = {0};
    t->has_forecast = forecast_fit(t->history, t->n_history, &f);
    /* a late table has stopped, for all anyone knows: it is not growing,
     * whatever the days before it stopped say */
    t->forecast_flat = t->has_forecast && t->late && t->bytes >= 0;
    if (t->forecast_flat)
        forecast_flat(t->bytes, &f);
    if (t->has_forecast) {
        t->growth_bytes_per_day = f.bytes_per_day;
        t->projected_bytes_30d = f.projected_30d;
        t->projected_bytes_90d = f.projected_90d;
    }
    t->days_to_quota = -1;
    if (t->quota_bytes > 0 && t->bytes >= 0)
        t->days_to_quota = t->has_forecast || t->bytes >= t->quota_bytes
                               ? forecast_days_to_quota(&f, t->bytes, t->quota_bytes)
                               : -1;
}

static void derive_table_cost(const lake_snapshot *s, table_stats *t) {
    const cost_prices *p = &s->prices;
    t->cost_month_usd = t->has_storage ? cost_storage_month(p, &t->storage) : -1;
    /* the parts of incomplete uploads, billed as storage (not in cost_month_usd) */
    t->incomplete_upload_cost_month_usd =
        t->incomplete_upload_bytes >= 0 ? cost_storage_month(p, &t->upload_storage) : -1;
    t->cost_month_30d_usd = -1;
    if (t->cost_month_usd >= 0 && t->has_forecast && t->projected_bytes_30d >= 0 && t->bytes >= 0) {
        /* the same mix of classes at the projected size; from nothing, new
         * data lands in STANDARD */
        if (t->bytes > 0)
            t->cost_month_30d_usd =
                t->cost_month_usd * (double)t->projected_bytes_30d / (double)t->bytes;
        else
            t->cost_month_30d_usd = t->cost_month_usd + (double)t->projected_bytes_30d /
                                                            (1024.0 * 1024.0 * 1024.0) *
                                                            p->gb_month[COST_STANDARD];
    }
    t->query_cost_30d_usd =
        t->queries_30d >= 0 ? cost_scanned_usd(p, t->query_billed_bytes_30d) : -1;
}

/* Adds a known figure (>= 0) to a sum that is -1 until one is. */
static void derive_cost_sum(double *sum, double figure) {
    if (figure < 0)
        return;
    *sum = *sum < 0 ? figure : *sum + figure;
}

/* Sums the tables' daily history, carrying each table's last sample forward
 * over days it has no sample for. */
static void derive_database_history(lake_snapshot *s, database_stats *d) {
    int32_t first = INT32_MAX, last = INT32_MIN;
    for (size_t i = 0; i < d->n_tables; i++) {
        const table_stats *t = &s->tables[d->first_table + i];
        if (t->n_history == 0)
            continue;
        if (t->history[0].day < first)
            first = t->history[0].day;
        if (t->history[t->n_history - 1].day > last)
            last = t->history[t->n_history - 1].day;
    }
    if (first > last)
        return;
    size_t days = (size_t)(last - first) + 1;
    d->history = xcalloc(days, sizeof *d->history);
    d->n_history = days;
    for (size_t k = 0; k < days; k++) {
        d->history[k].day = first + (int32_t)k;
        d->history[k].newest_object = -1;
    }
    for (size_t i = 0; i < d->n_tables; i++) {
        const table_stats *t = &s->tables[d->first_table + i];
        size_t j = 0;
        const history_sample *carry = NULL;
        for (size_t k = 0; k < days; k++) {
            int32_t day = first + (int32_t)k;
            while (j < t->n_history && t->history[j].day <= day)
                carry = &t->history[j++];
            if (!carry)
                continue;
            history_sample *out = &d->history[k];
            out->bytes += carry->bytes;
            out->objects += carry->objects;
            if (carry->newest_object > out->newest_object)
                out->newest_object = carry->newest_object;
        }
    }
}

void derive_snapshot(lake_snapshot *s) {
    snapshot_sort(s);
    s->error_tables = 0;
    size_t t = 0;
    for (size_t i = 0; i < s->n_databases; i++) {
        database_stats *d = &s->databases[i];
        while (t < s->n_tables && strcmp(s->tables[t].database, d->name) < 0)
            t++; /* tables of a database that has no database.json: skipped */
        d->first_table = t;
        d->n_tables = 0;
        d->bytes = 0;
        d->objects = 0;
        d->stale_tables = 0;
        d->error_tables = 0;
        d->cost_month_usd = d->cost_month_30d_usd = d->query_cost_30d_usd = -1;
        while (t < s->n_tables && strcmp(s->tables[t].database, d->name) == 0) {
            table_stats *tb = &s->tables[t];
            derive_table(s, tb, s->generated_at);
            derive_table_cost(s, tb);
            derive_cost_sum(&d->cost_month_usd, tb->cost_month_usd);
            derive_cost_sum(&d->cost_month_30d_usd, tb->cost_month_30d_usd);
            derive_cost_sum(&d->query_cost_30d_usd, tb->query_cost_30d_usd);
            d->n_tables++;
            if (tb->bytes > 0)
                d->bytes += tb->bytes;
            if (tb->objects > 0)
                d->objects += tb->objects;
            if (tb->stale == STALE_WARN || tb->stale == STALE_CRIT)
                d->stale_tables++;
            if (tb->error)
                d->error_tables++;
            t++;
        }
        s->error_tables += d->error_tables;
        derive_database_history(s, d);
    }
    /* the account's: the tables of every database (those the databases
     * skip above are shown nowhere) */
    s->storage_month_usd = -1;
    for (size_t i = 0; i < s->n_databases; i++)
        derive_cost_sum(&s->storage_month_usd, s->databases[i].cost_month_usd);
    s->queries_30d_usd = s->has_queries && s->queries_billed_bytes_30d >= 0
                             ? cost_scanned_usd(&s->prices, s->queries_billed_bytes_30d)
                             : -1;
    s->refresh_day_usd =
        s->s3_list_requests >= 0 && s->s3_get_requests >= 0 && s->interval_seconds > 0
            ? cost_refresh_day(&s->prices, s->s3_list_requests, s->s3_get_requests,
                               s->interval_seconds)
            : -1;
}
