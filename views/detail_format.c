/* detail_format.c: the "Table format" section of the detail view and the
 * maintenance hints chosen from its figures (detail_format.h). */
#include "views/detail_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/insights.h"
#include "common/fmt.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/widgets.h"
#include "views/format_mark.h"

#define DETAIL_HINTS_MAX 4

static detail_hint *detail_hint_new(detail_hint *out, size_t cap, size_t *n, bool warn) {
    if (*n >= cap)
        return NULL;
    detail_hint *h = &out[(*n)++];
    memset(h, 0, sizeof *h);
    h->warn = warn;
    return h;
}

static void detail_hint_statement(detail_hint *h, const char *engine, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void detail_hint_statement(detail_hint *h, const char *engine, const char *fmt, ...) {
    if (!h || h->n_statements >= DETAIL_HINT_STATEMENTS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->statement[h->n_statements], sizeof h->statement[0], fmt, ap);
    va_end(ap);
    h->engine[h->n_statements++] = engine;
}

/* "2026-11-25 06:00:00": a SQL TIMESTAMP literal of `at` (UTC). */
static void detail_sql_time(int64_t at, char *out, size_t size) {
    char iso[32];
    fmt_iso8601(at, iso, sizeof iso); /* 2026-11-25T06:00:00Z */
    char *t = strchr(iso, 'T'), *z = strchr(iso, 'Z');
    if (t)
        *t = ' ';
    if (z)
        *z = '\0';
    snprintf(out, size, "%s", iso);
}

/* Only older snapshots hold them: past the waste thresholds. */
static bool detail_retained_large(const insight_settings *in, const table_stats *t) {
    return t->retained_bytes > 0 &&
           insights_waste(t->retained_bytes, t->bytes, in->waste_share, in->waste_bytes);
}

size_t detail_format_hints(const insight_settings *in, const table_stats *t, int64_t now,
                           detail_hint *out, size_t cap) {
    size_t n = 0;
    if (t->table_format == TABLE_FORMAT_HIVE || format_mark_listed(t))
        return 0;
    bool iceberg = t->table_format == TABLE_FORMAT_ICEBERG;
    bool delta = t->table_format == TABLE_FORMAT_DELTA;
    char *name = xasprintf("%s.%s", t->database, t->name);
    char a[32], b[32];
    bool retained = detail_retained_large(in, t);
    if (t->unreferenced_bytes > 0 && (iceberg || delta)) {
        detail_hint *h = detail_hint_new(out, cap, &n, t->waste);
        if (h) {
            fmt_bytes(t->unreferenced_bytes, a, sizeof a);
            int share = insights_waste_percent(t->unreferenced_bytes, t->bytes);
            char of_live[48] = "";
            if (share >= 0)
                snprintf(of_live, sizeof of_live, " (%d %% of live)", share);
            snprintf(h->why, sizeof h->why, "%s unreferenced%s: %s", a, of_live,
                     iceberg ? "remove the orphan files" : "vacuum them");
        }
        if (iceberg) {
            detail_hint_statement(h, "Spark", "CALL system.remove_orphan_files(table => '%s')",
                                  name);
            detail_hint_statement(h, "Athena", "VACUUM %s", name);
        } else {
            if (h && retained) {
                fmt_bytes(t->retained_bytes, b, sizeof b);
                size_t len = strlen(h->why);
                snprintf(h->why + len, sizeof h->why - len, ", and the %s old versions hold", b);
            }
            detail_hint_statement(h, "Delta", "VACUUM %s RETAIN %d HOURS", name,
                                  DETAIL_HINT_KEEP_SECONDS / 3600);
        }
    }
    if (iceberg && (t->many_snapshots || retained)) {
        detail_hint *h = detail_hint_new(out, cap, &n, t->many_snapshots || retained);
        if (h) {
            fmt_bytes(t->retained_bytes, b, sizeof b);
            if (t->many_snapshots && retained)
                snprintf(h->why, sizeof h->why,
                         "%" PRId64 " snapshots, %s only older ones hold: expire them",
                         t->snapshots, b);
            else if (t->many_snapshots)
                snprintf(h->why, sizeof h->why,
                         "%" PRId64 " snapshots (over %" PRId64 "): expire them", t->snapshots,
                         in->max_snapshots);
            else
                snprintf(h->why, sizeof h->why, "%s only older snapshots hold: expire them", b);
        }
        char keep[32];
        detail_sql_time(now - DETAIL_HINT_KEEP_SECONDS, keep, sizeof keep);
        detail_hint_statement(h, "Spark", "CALL system.expire_snapshots('%s', TIMESTAMP '%s')",
                              name, keep);
        detail_hint_statement(h, "Athena", "VACUUM %s", name);
    }
    if (delta && retained && t->unreferenced_bytes <= 0) {
        detail_hint *h = detail_hint_new(out, cap, &n, true);
        if (h) {
            fmt_bytes(t->retained_bytes, b, sizeof b);
            snprintf(h->why, sizeof h->why, "%s only old versions hold: vacuum them", b);
        }
        detail_hint_statement(h, "Delta", "VACUUM %s RETAIN %d HOURS", name,
                              DETAIL_HINT_KEEP_SECONDS / 3600);
    }
    if (delta && t->many_snapshots) {
        detail_hint *h = detail_hint_new(out, cap, &n, true);
        if (h)
            snprintf(h->why, sizeof h->why,
                     "%" PRId64 " versions in the log (over %" PRId64 "): keep less of it",
                     t->snapshots, in->max_snapshots);
        detail_hint_statement(h, "Delta",
                              "ALTER TABLE %s SET TBLPROPERTIES "
                              "('delta.logRetentionDuration' = 'interval 7 days')",
                              name);
    }
    if (t->small_files && (iceberg || delta)) {
        detail_hint *h = detail_hint_new(out, cap, &n, true);
        if (h) {
            fmt_count(t->objects, a, sizeof a);
            fmt_bytes(t->objects > 0 ? t->bytes / t->objects : 0, b, sizeof b);
            snprintf(h->why, sizeof h->why, "%s live files averaging %s: compact them", a, b);
        }
        if (iceberg) {
            detail_hint_statement(h, "Athena", "OPTIMIZE %s REWRITE DATA USING BIN_PACK", name);
            detail_hint_statement(h, "Spark", "CALL system.rewrite_data_files('%s')", name);
        } else {
            detail_hint_statement(h, "Delta", "OPTIMIZE %s", name);
        }
    }
    free(name);
    return n;
}

/* "Iceberg v2", "Delta Lake (reader v1)", "Hudi". */
static void detail_format_title(const table_stats *t, char *out, size_t size) {
    const char *name = format_mark_name(t->table_format);
    if (t->format_version > 0 && t->table_format == TABLE_FORMAT_ICEBERG)
        snprintf(out, size, "%s v%d", name, t->format_version);
    else if (t->format_version > 0 && t->table_format == TABLE_FORMAT_DELTA)
        snprintf(out, size, "%s (reader v%d)", name, t->format_version);
    else
        snprintf(out, size, "%s", name);
}

/* "+3 -1" of a commit's counts; "?" where the metadata does not say. */
static void detail_plus_minus(int64_t added, int64_t removed, char *out, size_t size) {
    char p[24] = "?", m[24] = "?";
    if (added >= 0)
        snprintf(p, sizeof p, "%" PRId64, added);
    if (removed >= 0)
        snprintf(m, sizeof m, "%" PRId64, removed);
    snprintf(out, size, "+%s -%s", p, m);
}

/* "2026-12-01 10:00" (UTC, to the minute) into out[17]. */
static void detail_minute(int64_t at, char *out) {
    char iso[24];
    fmt_iso8601(at, iso, sizeof iso); /* 2026-12-01T10:00:00Z */
    iso[10] = ' ';
    iso[16] = '\0';
    memcpy(out, iso, 17);
}

/* "2026-12-01 10:00 (5h ago)" */
static void detail_when(int64_t at, int64_t now, char *out, size_t size) {
    char when[17], age[24];
    detail_minute(at, when);
    fmt_age(now - at, age, sizeof age);
    snprintf(out, size, "%s (%s ago)", when, age);
}

/* The commits, newest first: at most `room` lines (at least 3). */
static void detail_format_commits(detail_lines *l, const table_stats *t, int room) {
    if (t->n_commits == 0) {
        if (t->origin == FIGURES_METADATA)
            detail_add(l, "Commits", ROLE_DIM, "none retained");
        return;
    }
    size_t shown = room < 3 ? 3 : (size_t)room;
    if (shown > t->n_commits)
        shown = t->n_commits;
    detail_add(l, "Commits", ROLE_LABEL, "the last %zu of %zu: files, records added/removed", shown,
               t->n_commits);
    /* time (UTC), operation, +added -removed files, records */
    for (size_t k = 0; k < shown; k++) {
        const table_commit *c = &t->commits[t->n_commits - 1 - k];
        char when[17] = "-", files[48], records[48];
        if (c->at >= 0)
            detail_minute(c->at, when);
        detail_plus_minus(c->added_files, c->removed_files, files, sizeof files);
        detail_plus_minus(c->added_records, c->removed_records, records, sizeof records);
        strbuf op = {0};
        widget_pad(&op, c->operation ? c->operation : "?", 10);
        detail_add(l, "", ROLE_NORMAL, "%s  %s %s files, %s records", when, op.data, files,
                   records);
        strbuf_free(&op);
    }
}

static void detail_format_storage(detail_lines *l, const lake_snapshot *s, const table_stats *t) {
    char a[32], b[32];
    bool metadata = t->origin == FIGURES_METADATA;
    if (metadata && t->bytes >= 0) {
        fmt_bytes(t->bytes, a, sizeof a);
        strbuf line = {0};
        strbuf_printf(&line, "%s in %" PRId64 " %s", a, t->objects,
                      fmt_plural(t->objects, "file", "files"));
        if (t->records >= 0)
            strbuf_printf(&line, ", %" PRId64 " %s", t->records,
                          fmt_plural(t->records, "record", "records"));
        detail_add(l, "Live", ROLE_SIZE, "%s", line.data);
        strbuf_free(&line);
    }
    if (t->s3_bytes >= 0) {
        fmt_bytes(t->s3_bytes, a, sizeof a);
        strbuf line = {0};
        strbuf_printf(&line, "%s in %" PRId64 " %s", a, t->s3_objects,
                      fmt_plural(t->s3_objects, "object", "objects"));
        if (t->metadata_bytes >= 0) {
            fmt_bytes(t->metadata_bytes, b, sizeof b);
            strbuf_printf(&line, ", of which metadata %s", b);
        }
        detail_add(l, "On storage", ROLE_NORMAL, "%s", line.data);
        strbuf_free(&line);
    }
    if (t->unreferenced_bytes >= 0) {
        fmt_bytes(t->unreferenced_bytes, a, sizeof a);
        int share = insights_waste_percent(t->unreferenced_bytes, t->bytes);
        strbuf line = {0};
        strbuf_printf(&line, "%s", a);
        if (t->unreferenced_objects >= 0)
            strbuf_printf(&line, " in %" PRId64 " %s", t->unreferenced_objects,
                          fmt_plural(t->unreferenced_objects, "file", "files"));
        if (share >= 0)
            strbuf_printf(&line, ", %d %% of live", share);
        if (t->waste) {
            fmt_bytes(s->insights.waste_bytes, b, sizeof b);
            strbuf_printf(&line, ": WASTE (over %.0f %% and %s)", s->insights.waste_share * 100, b);
        } else if (t->unreferenced_bytes == 0) {
            strbuf_puts(&line, ": every data file is referenced");
        }
        detail_add(l, "Unreferenced", t->waste ? ROLE_STALE_WARN : ROLE_NORMAL, "%s", line.data);
        strbuf_free(&line);
    }
    if (t->retained_bytes >= 0) {
        fmt_bytes(t->retained_bytes, a, sizeof a);
        detail_add(l, "Retained", ROLE_NORMAL, "%s only older %s hold", a,
                   t->table_format == TABLE_FORMAT_DELTA ? "versions" : "snapshots");
    }
    if (t->delete_files >= 0 && t->table_format == TABLE_FORMAT_ICEBERG) {
        if (t->delete_bytes >= 0) {
            fmt_bytes(t->delete_bytes, a, sizeof a);
            detail_add(l, "Delete files", ROLE_NORMAL, "%" PRId64 " (%s)", t->delete_files, a);
        } else {
            detail_add(l, "Delete files", ROLE_NORMAL, "%" PRId64, t->delete_files);
        }
    }
}

static void detail_format_history(detail_lines *l, const lake_snapshot *s, const table_stats *t,
                                  int64_t now) {
    char when[96];
    bool delta = t->table_format == TABLE_FORMAT_DELTA;
    if (t->snapshots >= 0) {
        strbuf line = {0};
        strbuf_printf(&line, "%" PRId64, t->snapshots);
        if (t->oldest_snapshot >= 0) {
            detail_when(t->oldest_snapshot, now, when, sizeof when);
            strbuf_printf(&line, ", oldest %s", when);
        }
        if (t->many_snapshots)
            strbuf_printf(&line, ": MANY (over %" PRId64 ")", s->insights.max_snapshots);
        detail_add(l, delta ? "Versions" : "Snapshots",
                   t->many_snapshots ? ROLE_STALE_WARN : ROLE_NORMAL, "%s", line.data);
        strbuf_free(&line);
    }
    if (t->last_commit >= 0) {
        detail_when(t->last_commit, now, when, sizeof when);
        detail_add(l, "Last commit", ROLE_NORMAL, "%s", when);
    }
}

void detail_format_lines(detail_lines *l, const lake_snapshot *s, const table_stats *t, int width,
                         int height, int64_t now) {
    if (t->table_format == TABLE_FORMAT_HIVE)
        return;
    char title[64];
    detail_format_title(t, title, sizeof title);
    bool listed = format_mark_listed(t);
    detail_add(l, NULL, ROLE_NORMAL, "%s", "");
    size_t first = l->n;
    const char *mark = format_mark(t, screen_utf8());
    if (listed)
        detail_add(
            l, "Table format", ROLE_STALE_WARN, "%s %s: figures from the listing, %s", title, mark,
            t->table_format == TABLE_FORMAT_HUDI ? "its timeline is not read" : "not its metadata");
    else
        detail_add(l, "Table format", ROLE_LABEL, "%s %s: figures from its %s", title, mark,
                   t->table_format == TABLE_FORMAT_DELTA ? "log" : "metadata");
    if (t->format_error)
        detail_add_wrapped(l, "Format error", ROLE_ERROR, t->format_error, width);
    detail_format_storage(l, s, t);
    detail_format_history(l, s, t, now);
    if (t->partition_spec) /* "": the spec has no field */
        detail_add(l, "Partitioning", t->partition_spec[0] ? ROLE_NORMAL : ROLE_DIM, "%s",
                   t->partition_spec[0] ? t->partition_spec : "unpartitioned");
    if (t->metadata_location) {
        strbuf cut = {0};
        widget_text_middle(&cut, t->metadata_location, width - DETAIL_TEXT_X - 1);
        detail_add(l, "Metadata", ROLE_DIM, "%s", cut.data ? cut.data : "");
        strbuf_free(&cut);
    }
    detail_hint hints[DETAIL_HINTS_MAX];
    size_t n = detail_format_hints(&s->insights, t, now, hints, DETAIL_HINTS_MAX);
    if (n == 0)
        detail_add(l, "Maintenance", ROLE_DIM, "%s",
                   listed ? "none suggested: the figures are the listing's" : "nothing to do");
    for (size_t i = 0; i < n; i++) {
        detail_add(l, i ? "" : "Maintenance", hints[i].warn ? ROLE_STALE_WARN : ROLE_NORMAL, "%s",
                   hints[i].why);
        for (size_t k = 0; k < hints[i].n_statements; k++) {
            char *line = xasprintf("%s: %s", hints[i].engine[k], hints[i].statement[k]);
            detail_add_statement(l, ROLE_NORMAL, line, width, DETAIL_TEXT_X - 1);
            free(line);
        }
    }
    /* the commits last, with the room this section leaves on one screen */
    int room = height - (int)(l->n - first) - 1;
    detail_format_commits(l, t, room);
}
