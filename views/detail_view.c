/* detail_view.c: one table in detail: location, format, storage figures,
 * staleness against its thresholds, the full history chart, columns,
 * partition keys and parameters. Scrolls with the navigation keys. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/forecast.h"
#include "collector/figures/thresholds.h"
#include "collector/figures/writers.h"
#include "collector/figures/schema.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/sparkline.h"
#include "views/dashboard.h"
#include "views/detail_cost.h"
#include "views/detail_format.h"
#include "views/detail_lines.h"
#include "views/detail_provenance.h"
#include "views/format_mark.h"

#define TABLE_CHART_ROWS 8

/* A name padded to `cells` display cells (a column in a line of text). */
static char *table_padded(const char *name, int cells) {
    strbuf out = {0};
    widget_pad(&out, name, cells);
    return strbuf_take(&out);
}

static const char *table_stale_word(const table_stats *t) {
    switch (t->stale) {
    case STALE_FRESH: return "fresh";
    case STALE_WARN: return "STALE (past warn)";
    case STALE_CRIT: return "STALE (past critical)";
    case STALE_UNKNOWN: break;
    }
    return t->objects == 0 ? "empty: no data files" : "unknown";
}

static theme_role table_stale_role(const table_stats *t) {
    return t->stale == STALE_FRESH  ? ROLE_FRESH
           : t->stale == STALE_WARN ? ROLE_STALE_WARN
           : t->stale == STALE_CRIT ? ROLE_STALE_CRIT
                                    : ROLE_DIM;
}

static void table_add_chart(detail_lines *l, const table_stats *t, int width) {
    if (t->n_history == 0) {
        detail_add(l, "History", ROLE_DIM, "no samples yet");
        return;
    }
    char first[16], last[16], max[32];
    fmt_day(t->history[0].day, first, sizeof first);
    fmt_day(t->history[t->n_history - 1].day, last, sizeof last);
    double *values = xcalloc(t->n_history, sizeof *values);
    double hi = 0;
    for (size_t i = 0; i < t->n_history; i++) {
        values[i] = (double)t->history[i].bytes;
        if (values[i] > hi)
            hi = values[i];
    }
    fmt_bytes((int64_t)hi, max, sizeof max);
    detail_add(l, "History", ROLE_NORMAL, "size, %zu daily %s, %s to %s (top = %s)", t->n_history,
               fmt_plural((int64_t)(t->n_history), "sample", "samples"), first, last, max);
    size_t chart_width = width > 4 ? (size_t)width - 2 : 1;
    if (chart_width > t->n_history && t->n_history > 0)
        chart_width = t->n_history < 8 ? 8 : t->n_history;
    if (chart_width > (size_t)width - 2)
        chart_width = (size_t)width - 2;
    size_t row_size = chart_width * 3 + 1;
    char *rows[TABLE_CHART_ROWS];
    for (int r = 0; r < TABLE_CHART_ROWS; r++)
        rows[r] = xmalloc(row_size);
    sparkline_chart(values, t->n_history, chart_width, TABLE_CHART_ROWS, screen_utf8(), rows,
                    row_size);
    for (int r = 0; r < TABLE_CHART_ROWS; r++) {
        detail_add(l, DETAIL_WHOLE_LINE, ROLE_CHART, "%s", rows[r]);
        free(rows[r]);
    }
    int gap = (int)chart_width - (int)strlen(first) - (int)strlen(last);
    detail_add(l, DETAIL_WHOLE_LINE, ROLE_DIM, "%s%*s%s", first, gap > 1 ? gap : 1, "", last);
    free(values);
}

/* `now`: the frame's clock (dashboard.h), from which the status bar counts
 * the data's age too. */
static void table_build(detail_lines *l, const lake_snapshot *s, const table_stats *t, int width,
                        int height, int64_t now) {
    char a[64], b[64], c[64];
    /* database.table; when that does not fit, the database is cut first
     * (both names in the middle: their ends stay readable) */
    strbuf shown = {0};
    int room = width - 15;
    char *full = xasprintf("%s.%s", t->database, t->name);
    if (widget_text_width(full) > room && widget_text_width(t->database) > room / 3)
        widget_text_middle(&shown, t->database, room / 3 > 8 ? room / 3 : 8);
    else
        strbuf_puts(&shown, t->database);
    free(full);
    strbuf_putc(&shown, '.'); /* then the table, its middle cut if it must be */
    widget_text_middle(&shown, t->name, width - 14 - widget_text_width(shown.data));
    detail_add(l, "Table", ROLE_NAME, "%s", shown.data);
    strbuf_free(&shown);
    if (t->error)
        detail_add_wrapped(l, "Error", ROLE_ERROR, t->error, width);
    detail_add(l, "Location", ROLE_NORMAL, "%s", t->location[0] ? t->location : "(none)");
    detail_add(l, "Format", ROLE_NORMAL, "%s%s%s%s", t->format, t->table_type[0] ? " (" : "",
               t->table_type, t->table_type[0] ? ")" : "");
    if (t->description)
        detail_add(l, "Description", ROLE_NORMAL, "%s", t->description);
    if (t->objects >= 0 && t->origin == FIGURES_METADATA) {
        /* an open format's live files (its section below has the rest) */
        fmt_bytes(t->bytes, a, sizeof a);
        fmt_bytes(t->objects ? t->bytes / t->objects : 0, b, sizeof b);
        detail_add(l, "Size", ROLE_SIZE, "%s in %lld live %s (average %s), from its %s", a,
                   (long long)t->objects, fmt_plural((int64_t)(t->objects), "file", "files"), b,
                   t->table_format == TABLE_FORMAT_DELTA ? "log" : "metadata");
    } else if (t->objects >= 0 && format_mark_listed(t)) {
        /* an open format's figures from the listing: every file, not the live */
        fmt_bytes(t->bytes, a, sizeof a);
        fmt_bytes(t->objects ? t->bytes / t->objects : 0, b, sizeof b);
        detail_add(l, "Size", ROLE_SIZE, "%s in %lld %s (average %s) * from the listing", a,
                   (long long)t->objects, fmt_plural((int64_t)(t->objects), "file", "files"), b);
    } else if (t->objects >= 0) {
        fmt_bytes(t->bytes, a, sizeof a);
        fmt_bytes(t->objects ? t->bytes / t->objects : 0, b, sizeof b);
        detail_add(l, "Size", detail_provenance_stale(t, now) ? ROLE_DIM : ROLE_SIZE,
                   "%s in %lld %s (average %s); %lld marker %s left out", a, (long long)t->objects,
                   fmt_plural((int64_t)(t->objects), "file", "files"), b,
                   (long long)t->marker_objects,
                   fmt_plural((int64_t)(t->marker_objects), "file", "files"));
    } else {
        detail_add(l, "Size", ROLE_DIM, "unknown (not scanned)");
    }
    if (t->n_partition_keys) {
        strbuf list = {0};
        for (size_t i = 0; i < t->n_partition_keys; i++)
            strbuf_printf(&list, "%s%s %s", i ? ", " : "", t->partition_keys[i].name,
                          t->partition_keys[i].type);
        char *keys = strbuf_take(&list);
        if (t->catalog_partitions >= 0)
            detail_add(l, "Partitions",
                       t->catalog_partitions != t->partitions ? ROLE_STALE_WARN : ROLE_NORMAL,
                       "%lld in storage, %lld in the catalog (keys: %s)", (long long)t->partitions,
                       (long long)t->catalog_partitions, keys);
        else
            detail_add(l, "Partitions", ROLE_NORMAL, "%lld (keys: %s)", (long long)t->partitions,
                       keys);
        free(keys);
    } else if (t->table_format != TABLE_FORMAT_HIVE && t->partition_spec && *t->partition_spec) {
        /* an open format partitions in its metadata, not in the catalog's keys */
        detail_add(l, "Partitions", ROLE_NORMAL, "by %s (its metadata)", t->partition_spec);
    } else if (t->table_format != TABLE_FORMAT_HIVE && !t->partition_spec) {
        detail_add(l, "Partitions", ROLE_DIM, "not known");
    } else {
        detail_add(l, "Partitions", ROLE_DIM, "not partitioned");
    }
    if (t->stale_rule == STALE_RULE_LEARNED) { /* 1.5 x 29d 23h 57m reads 45d */
        thresholds_interval_text(t->stale_warn_seconds, b, sizeof b);
        thresholds_interval_text(t->stale_crit_seconds, c, sizeof c);
    } else {
        fmt_age(t->stale_warn_seconds, b, sizeof b);
        fmt_age(t->stale_crit_seconds, c, sizeof c);
    }
    char source[600], rule[604] = "";
    if (thresholds_source_text(t, source, sizeof source)[0]) /* which rule (thresholds.h) */
        snprintf(rule, sizeof rule, ", %s", source);
    if (t->newest_object >= 0) {
        char age[32];
        fmt_iso8601(t->newest_object, a, sizeof a);
        fmt_age(t->staleness_seconds, age, sizeof age);
        detail_add(l, "Last data", table_stale_role(t), "%s, %s ago: %s (warn %s, critical %s%s)",
                   a, age, table_stale_word(t), b, c, rule);
    } else {
        detail_add(l, "Last data", ROLE_DIM, "%s (warn %s, critical %s%s)", table_stale_word(t), b,
                   c, rule);
    }
    if (t->has_growth_7d || t->has_growth_30d) {
        if (t->has_growth_7d)
            fmt_bytes_delta(t->growth_7d_bytes, a, sizeof a);
        if (t->has_growth_30d)
            fmt_bytes_delta(t->growth_30d_bytes, b, sizeof b);
        detail_add(l, "Growth", ROLE_NORMAL, "7 days %s, 30 days %s", t->has_growth_7d ? a : "-",
                   t->has_growth_30d ? b : "-");
    } else {
        detail_add(l, "Growth", ROLE_DIM, "needs more history");
    }
    if (t->usual_interval_seconds > 0) {
        char usual[32];
        int64_t u = t->usual_interval_seconds; /* to the nearest hour: arrivals wobble */
        fmt_age(u >= 3600 ? (u + 1800) / 3600 * 3600 : u, usual, sizeof usual);
        detail_add(l, "Arrivals", t->late ? ROLE_STALE_WARN : ROLE_NORMAL, "usually every %s%s",
                   usual, t->late ? ": LATE (no new data for over 1.5 times that)" : "");
    }
    if (t->writer) { /* config job = / state_machine = */
        char writer[WRITERS_MESSAGE_MAX + 200];
        bool failed =
            writers_describe(t, writers_job(s, t), s->generated_at, writer, sizeof writer);
        detail_add(l, "Written by", failed ? ROLE_ERROR : ROLE_NORMAL, "%s", writer);
    }
    if (t->anomaly) {
        fmt_bytes_delta(t->growth_today_bytes, a, sizeof a);
        detail_add(l, "Anomaly", ROLE_STALE_WARN, "today %s, far outside its usual growth", a);
    }
    if (t->small_files) {
        fmt_count(t->objects, a, sizeof a);
        fmt_bytes(t->objects > 0 ? t->bytes / t->objects : 0, b, sizeof b);
        detail_add(l, "Small files", ROLE_STALE_WARN, "%s files averaging %s: compact them", a, b);
    }
    if (t->forecast_flat) {
        fmt_bytes(t->projected_bytes_30d, a, sizeof a);
        detail_add(l, "Forecast", ROLE_STALE_WARN, "flat at %s: late, so taken as stopped", a);
    } else if (t->has_forecast) {
        char p30[32], p90[32];
        fmt_bytes_delta((int64_t)llround(t->growth_bytes_per_day), a, sizeof a);
        fmt_bytes(t->projected_bytes_30d, p30, sizeof p30);
        fmt_bytes(t->projected_bytes_90d, p90, sizeof p90);
        detail_add(l, "Forecast", ROLE_NORMAL, "%s/day; in 30 days %s, in 90 days %s (Theil-Sen)",
                   a, p30, p90);
    } else {
        detail_add(l, "Forecast", ROLE_DIM, "needs %d days of history", FORECAST_MIN_DAYS);
    }
    if (t->quota_bytes > 0) {
        fmt_bytes(t->quota_bytes, a, sizeof a);
        if (t->days_to_quota == 0)
            detail_add(l, "Quota", ROLE_STALE_CRIT, "%s: reached", a);
        else if (t->days_to_quota > 0)
            detail_add(l, "Quota", t->days_to_quota <= 30 ? ROLE_STALE_WARN : ROLE_NORMAL,
                       "%s: reached in %lld %s at the trend", a, (long long)t->days_to_quota,
                       fmt_plural((int64_t)(t->days_to_quota), "day", "days"));
        else
            detail_add(l, "Quota", ROLE_NORMAL, "%s: not reached at the trend", a);
    }
    detail_cost_lines(l, s, t);
    if (t->create_time >= 0)
        fmt_iso8601(t->create_time, a, sizeof a);
    if (t->update_time >= 0)
        fmt_iso8601(t->update_time, b, sizeof b);
    detail_add(l, "Catalog", ROLE_NORMAL, "created %s, updated %s", t->create_time >= 0 ? a : "-",
               t->update_time >= 0 ? b : "-");
    if (t->schema_changed_at >= 0) {
        char when[32], age[32];
        fmt_iso8601(t->schema_changed_at, when, sizeof when);
        fmt_age(s->generated_at - t->schema_changed_at, age, sizeof age);
        if (!t->n_schema_changes) {
            detail_add(l, "Schema", ROLE_NORMAL, "columns last changed %s (%s ago)", when, age);
        } else {
            char summary[64];
            detail_add(
                l, "Schema", t->schema_recent ? ROLE_STALE_WARN : ROLE_NORMAL,
                "changed %s ago (%s): %s", age, when,
                schema_summary(t->schema_changes, t->n_schema_changes, summary, sizeof summary));
        }
        /* the column diff against the version before */
        for (size_t i = 0; i < t->n_schema_changes; i++) {
            const schema_change *sc = &t->schema_changes[i];
            char *column = table_padded(sc->column, 24);
            switch (sc->kind) {
            case SCHEMA_ADDED:
                detail_add(l, NULL, ROLE_GROWTH_UP, "+ %s %s", column, sc->to);
                break;
            case SCHEMA_REMOVED:
                detail_add(l, NULL, ROLE_STALE_CRIT, "- %s %s", column, sc->from);
                break;
            case SCHEMA_RETYPED:
                detail_add(l, NULL, ROLE_STALE_WARN, "~ %s %s -> %s", column, sc->from, sc->to);
                break;
            case SCHEMA_REORDERED:
                detail_add(l, NULL, ROLE_STALE_WARN, "~ %s", "the same columns, reordered");
                break;
            }
            free(column);
        }
    }
    if (t->objects >= 0 && t->scanned_at >= 0 && t->provenance != PROVENANCE_LISTED) {
        /* a listed table's "Scanned" line below says it: no line more */
        char words[192];
        detail_add(l, "Figures", detail_provenance_stale(t, now) ? ROLE_DIM : ROLE_NORMAL, "%s",
                   detail_provenance_words(t, now, words, sizeof words));
    }
    if (t->scanned_at >= 0) {
        /* from the frame's clock, as the status bar's "data ... old": a
         * table scanned by the last refresh reads the same age */
        fmt_age(now - t->scanned_at, b, sizeof b);
        detail_add(l, "Scanned", ROLE_DIM, "%s ago%s", b,
                   s->from_saved_state ? " (saved state)" : "");
    }
    detail_format_lines(l, s, t, width, height, now);
    detail_add(l, NULL, ROLE_NORMAL, "%s", "");
    table_add_chart(l, t, width);
    detail_add(l, NULL, ROLE_NORMAL, "%s", "");
    detail_add(l, "Columns", ROLE_LABEL, "%zu", t->n_columns);
    for (size_t i = 0; i < t->n_columns; i++) {
        char *name = table_padded(t->columns[i].name, 24);
        char *type = table_padded(t->columns[i].type, 16);
        detail_add(l, NULL, ROLE_NORMAL, "%s %s %s", name, type,
                   t->columns[i].comment ? t->columns[i].comment : "");
        free(name);
        free(type);
    }
    detail_add(l, NULL, ROLE_NORMAL, "%s", "");
    detail_add(l, "Parameters", ROLE_LABEL, "%zu", t->n_parameters);
    for (size_t i = 0; i < t->n_parameters; i++)
        detail_add(l, NULL, ROLE_NORMAL, "%s = %s", t->parameters[i].key, t->parameters[i].value);
}

static size_t table_line_count(dashboard *a, view_frame *f, int width, int height) {
    const table_stats *t =
        a->snapshot ? snapshot_find_table(a->snapshot, f->database, f->table) : NULL;
    if (!t)
        return 0;
    detail_lines l = {0};
    table_build(&l, a->snapshot, t, width, height, a->now);
    size_t n = l.n;
    detail_lines_free(&l);
    return n;
}

static void table_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const table_stats *t =
        a->snapshot ? snapshot_find_table(a->snapshot, f->database, f->table) : NULL;
    if (!t) {
        widget_text(y + 1, 2, width - 4, screen_attr(ROLE_DIM),
                    "This table is no longer in the catalog. Esc goes back.", false);
        return;
    }
    detail_lines l = {0};
    table_build(&l, a->snapshot, t, width, height, a->now);
    int max_scroll = (int)l.n - height > 0 ? (int)l.n - height : 0;
    if (f->scroll > max_scroll)
        f->scroll = max_scroll;
    if (f->scroll < 0)
        f->scroll = 0;
    for (int r = 0; r < height && (size_t)(f->scroll + r) < l.n; r++) {
        const detail_line *line = &l.lines[f->scroll + r];
        if (strcmp(line->label, DETAIL_WHOLE_LINE) == 0) {
            widget_text(y + r, 1, width - 1, screen_attr(line->role), line->text, false);
            continue;
        }
        widget_text(y + r, 1, 12, screen_attr(ROLE_LABEL), line->label, false);
        widget_text(y + r, DETAIL_TEXT_X, width - DETAIL_TEXT_X, screen_attr(line->role),
                    line->text, false);
    }
    detail_lines_free(&l);
}

static bool table_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    (void)key;
    int page = page_rows > 1 ? page_rows - 1 : 1;
    switch (action) {
    case ACTION_UP: f->scroll--; break;
    case ACTION_DOWN: f->scroll++; break;
    case ACTION_PAGE_UP: f->scroll -= page; break;
    case ACTION_PAGE_DOWN: f->scroll += page; break;
    case ACTION_HOME: f->scroll = 0; break;
    case ACTION_END: {
        int rows, cols;
        screen_size(&rows, &cols);
        f->scroll = (int)table_line_count(a, f, cols, page_rows);
        break;
    }
    case ACTION_ENTER: break;
    default: return false;
    }
    if (f->scroll < 0)
        f->scroll = 0;
    return true;
}

const view_ops detail_view = {
    .title = "Table",
    .draw = table_draw,
    .key = table_key,
};
