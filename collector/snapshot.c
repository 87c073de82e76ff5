/* snapshot.c: life cycle of the immutable lake snapshot and the derived
 * figures (staleness, growth, database totals) computed before publishing. */
#include "collector/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "collector/figures/forecast.h"
#include "collector/figures/insights.h"
#include "collector/figures/history.h"
#include "collector/figures/schema.h"

lake_snapshot *snapshot_new(const char *source) {
    lake_snapshot *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->source = xstrdup(source);
    s->generated_at = -1;
    s->requests = -1;
    return s;
}

void snapshot_retain(lake_snapshot *snapshot) {
    __atomic_add_fetch(&snapshot->refs, 1, __ATOMIC_RELAXED);
}

static void snapshot_free_columns(table_column *columns, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(columns[i].name);
        free(columns[i].type);
        free(columns[i].comment);
    }
    free(columns);
}

void table_stats_clear(table_stats *t) {
    free(t->database);
    free(t->name);
    free(t->location);
    free(t->format);
    free(t->table_type);
    free(t->description);
    free(t->owner);
    free(t->created_by);
    snapshot_free_columns(t->columns, t->n_columns);
    snapshot_free_columns(t->partition_keys, t->n_partition_keys);
    for (size_t i = 0; i < t->n_parameters; i++) {
        free(t->parameters[i].key);
        free(t->parameters[i].value);
    }
    free(t->parameters);
    schema_changes_free(t->schema_changes, t->n_schema_changes);
    free(t->error);
    free(t->history);
    memset(t, 0, sizeof *t);
}

void database_stats_clear(database_stats *d) {
    free(d->name);
    free(d->description);
    free(d->location);
    free(d->shared_from);
    free(d->error);
    free(d->history);
    memset(d, 0, sizeof *d);
}

void crawler_info_clear(crawler_info *c) {
    free(c->name);
    free(c->database);
    free(c->state);
    free(c->schedule);
    free(c->last_status);
    free(c->last_error);
    for (size_t k = 0; k < c->n_targets; k++)
        free(c->targets[k]);
    free(c->targets);
    memset(c, 0, sizeof *c);
    c->last_start = -1;
    c->tables_created = c->tables_updated = c->tables_deleted = -1;
}

void snapshot_release(lake_snapshot *s) {
    if (!s)
        return;
    if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (size_t i = 0; i < s->n_tables; i++)
        table_stats_clear(&s->tables[i]);
    for (size_t i = 0; i < s->n_databases; i++)
        database_stats_clear(&s->databases[i]);
    for (size_t i = 0; i < s->n_crawlers; i++)
        crawler_info_clear(&s->crawlers[i]);
    free(s->crawlers);
    for (size_t i = 0; i < s->n_zones; i++) {
        free(s->zones[i].name);
        free(s->zones[i].uri);
        free(s->zones[i].role);
        free(s->zones[i].error);
    }
    free(s->zones);
    for (size_t i = 0; i < s->n_rules; i++) {
        free(s->rules[i].name);
        free(s->rules[i].from);
        free(s->rules[i].to);
        free(s->rules[i].last_result);
    }
    free(s->rules);
    free(s->tables);
    free(s->databases);
    free(s->source);
    free(s->error);
    free(s->queries_error);
    free(s);
}

static int snapshot_cmp_table(const void *a, const void *b) {
    const table_stats *x = a, *y = b;
    int c = strcmp(x->database, y->database);
    return c ? c : strcmp(x->name, y->name);
}

static int snapshot_cmp_database(const void *a, const void *b) {
    const database_stats *x = a, *y = b;
    return strcmp(x->name, y->name);
}

const database_stats *snapshot_find_database(const lake_snapshot *s, const char *name) {
    database_stats key = {.name = (char *)name};
    if (!s->n_databases)
        return NULL;
    return bsearch(&key, s->databases, s->n_databases, sizeof key, snapshot_cmp_database);
}

const table_stats *snapshot_find_table(const lake_snapshot *s, const char *database,
                                       const char *name) {
    table_stats key = {.database = (char *)database, .name = (char *)name};
    if (!s->n_tables)
        return NULL;
    return bsearch(&key, s->tables, s->n_tables, sizeof key, snapshot_cmp_table);
}

static void snapshot_table_derive(const lake_snapshot *s, table_stats *t, int64_t now) {
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
    t->usual_interval_seconds = insights_usual_interval(t->history, t->n_history);
    double factor = s->late_factor > 0 ? s->late_factor : INSIGHTS_LATE_FACTOR;
    t->late = t->usual_interval_seconds > 0 && t->staleness_seconds >= 0 &&
              (double)t->staleness_seconds > factor * (double)t->usual_interval_seconds;
    t->growth_today_bytes = 0;
    t->anomaly =
        insights_anomaly(t->history, t->n_history, s->anomaly_k > 0 ? s->anomaly_k : INSIGHTS_MAD_K,
                         &t->growth_today_bytes);
    t->small_files = insights_small_files(
        t->objects, t->bytes, s->small_files > 0 ? s->small_files : INSIGHTS_SMALL_FILES,
        s->small_file_size > 0 ? s->small_file_size : INSIGHTS_SMALL_AVG);
    forecast f = {0};
    t->has_forecast = forecast_fit(t->history, t->n_history, &f);
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

/* Sums the tables' daily history, carrying each table's last sample forward
 * over days it has no sample for. */
static void snapshot_database_history(lake_snapshot *s, database_stats *d) {
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

static int snapshot_cmp_crawler(const void *a, const void *b) {
    return strcmp(((const crawler_info *)a)->name, ((const crawler_info *)b)->name);
}

void snapshot_finish(lake_snapshot *s) {
    if (s->n_crawlers)
        qsort(s->crawlers, s->n_crawlers, sizeof *s->crawlers, snapshot_cmp_crawler);
    if (s->n_tables)
        qsort(s->tables, s->n_tables, sizeof *s->tables, snapshot_cmp_table);
    if (s->n_databases)
        qsort(s->databases, s->n_databases, sizeof *s->databases, snapshot_cmp_database);
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
        while (t < s->n_tables && strcmp(s->tables[t].database, d->name) == 0) {
            table_stats *tb = &s->tables[t];
            snapshot_table_derive(s, tb, s->generated_at);
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
        snapshot_database_history(s, d);
    }
}
