/* report.c: --once output as JSON (json-c), CSV (RFC 4180) or a text table. */
#include "app/report.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "app/watchdog.h"
#include "collector/figures/schema.h"
#include "collector/snapshot_json.h"
#include "common/csv.h"
#include "common/fmt.h"
#include "common/redact.h"
#include "common/text_safe.h"
#include "common/xalloc.h"
#include "views/format_mark.h"

bool report_parse_format(const char *name, report_format *format) {
    if (strcmp(name, "json") == 0)
        *format = REPORT_JSON;
    else if (strcmp(name, "csv") == 0)
        *format = REPORT_CSV;
    else if (strcmp(name, "table") == 0)
        *format = REPORT_TABLE;
    else
        return false;
    return true;
}

/* An error as JSON: null, or the text with any secret it quotes removed
 * (common/redact.h; the collector's errors are redacted already, this is
 * the second line). */
static json_object *report_error_json(const char *error) {
    char *safe = redact_dup(error);
    json_object *o = snapshot_json_string(safe);
    free(safe);
    return o;
}

/* Writes one table: its fields through json-c, then its history streamed by
 * hand, so that memory stays flat however long the history is. */
static void report_json_table(FILE *out, const lake_snapshot *s, const table_stats *t) {
    json_object *o = snapshot_json_table(t);
    json_object_object_add(o, "writer", snapshot_json_writer(s, t));
    if (t->error)
        json_object_object_add(o, "error", report_error_json(t->error));
    const char *text =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    /* "{ ... }": drop the closing brace (exactly one) to append the history */
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len > 0 && text[len - 1] == '}')
        len--;
    fwrite(text, 1, len, out);
    fputs(", \"history\": [", out);
    for (size_t i = 0; i < t->n_history; i++) {
        char day[16];
        fprintf(out, "%s{ \"date\": \"%s\", \"bytes\": %" PRId64 ", \"objects\": %" PRId64 " }",
                i ? ", " : "", fmt_day(t->history[i].day, day, sizeof day), t->history[i].bytes,
                t->history[i].objects);
    }
    fputs("] }", out);
    json_object_put(o);
}

/* Who the figures were read as: null for the local lake; each member null
 * when unknown (GetCallerIdentity failed: the figures still stand). */
static json_object *report_identity_json(const snapshot_identity *id) {
    if (!id)
        return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "account", snapshot_json_string(id->account));
    json_object_object_add(o, "arn", snapshot_json_string(id->arn));
    json_object_object_add(o, "profile", snapshot_json_string(id->profile));
    json_object_object_add(o, "credentials", snapshot_json_string(id->credentials));
    return o;
}

static bool report_json(FILE *out, const lake_snapshot *s) {
    json_object *head = json_object_new_object();
    json_object_object_add(head, "generated_at", snapshot_json_time(s->generated_at));
    json_object_object_add(head, "source", json_object_new_string(s->source));
    json_object_object_add(head, "error", report_error_json(s->error));
    json_object_object_add(head, "requests", snapshot_json_count(s->requests));
    if (s->requests_by_kind[0] >= 0) {
        json_object *by = json_object_new_object();
        for (int k = 0; k < SNAPSHOT_REQUEST_KINDS; k++)
            json_object_object_add(by, snapshot_request_kind_name(k),
                                   snapshot_json_count(s->requests_by_kind[k]));
        json_object_object_add(head, "requests_by_kind", by);
    }
    json_object_object_add(head, "identity", report_identity_json(s->identity));
    json_object_object_add(head, "cost", snapshot_json_cost(s));
    json_object *dbs = json_object_new_array();
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        json_object *o = snapshot_json_database(d);
        /* the error once more through redact (the JSON's one place) */
        json_object_object_add(o, "error", report_error_json(d->error));
        json_object_array_add(dbs, o);
    }
    json_object_object_add(head, "databases", dbs);
    json_object *crawlers = json_object_new_array();
    for (size_t i = 0; i < s->n_crawlers; i++) {
        const crawler_info *c = &s->crawlers[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(c->name));
        json_object_object_add(o, "database", snapshot_json_string(c->database));
        json_object_object_add(o, "state", snapshot_json_string(c->state));
        json_object_object_add(o, "schedule", snapshot_json_string(c->schedule));
        json_object_object_add(o, "last_crawl_status", snapshot_json_string(c->last_status));
        json_object_object_add(o, "last_crawl_start", snapshot_json_time(c->last_start));
        json_object_object_add(o, "last_crawl_error", report_error_json(c->last_error));
        /* by the last crawl; null when unknown */
        json_object_object_add(o, "tables_created", snapshot_json_count(c->tables_created));
        json_object_object_add(o, "tables_updated", snapshot_json_count(c->tables_updated));
        json_object_object_add(o, "tables_deleted", snapshot_json_count(c->tables_deleted));
        json_object *targets = json_object_new_array();
        for (size_t k = 0; k < c->n_targets; k++)
            json_object_array_add(targets, json_object_new_string(c->targets[k]));
        json_object_object_add(o, "targets", targets);
        json_object_array_add(crawlers, o);
    }
    json_object_object_add(head, "crawlers", crawlers);
    json_object *jobs = json_object_new_array();
    for (size_t i = 0; i < s->n_jobs; i++)
        json_object_array_add(jobs, snapshot_json_job(&s->jobs[i], s->generated_at));
    json_object_object_add(head, "jobs", jobs);
    json_object *machines = json_object_new_array();
    for (size_t i = 0; i < s->n_state_machines; i++)
        json_object_array_add(machines, snapshot_json_job(&s->state_machines[i], s->generated_at));
    json_object_object_add(head, "state_machines", machines);
    json_object_object_add(head, "pipeline_error", report_error_json(s->pipeline_error));
    /* queries in the history window that did not parse; null without a history */
    json_object_object_add(head, "queries_error", report_error_json(s->queries_error));
    json_object_object_add(head, "inventory_error", report_error_json(s->inventory_error));
    json_object *inventory = NULL; /* the S3 Inventory through Athena: what its queries cost */
    if (s->inventory_athena_queries) {
        inventory = json_object_new_object();
        json_object_object_add(inventory, "athena_queries",
                               json_object_new_int64((int64_t)s->inventory_athena_queries));
        json_object_object_add(inventory, "athena_query_id",
                               json_object_new_string(s->inventory_athena_query_id));
        json_object_object_add(inventory, "athena_scanned_bytes",
                               json_object_new_int64(s->inventory_athena_scanned));
        json_object_object_add(inventory, "athena_billed_bytes",
                               json_object_new_int64(s->inventory_athena_billed));
        json_object_object_add(inventory, "athena_usd",
                               json_object_new_double(cost_scanned_usd(
                                   &s->prices, (double)s->inventory_athena_billed)));
    }
    json_object_object_add(head, "inventory", inventory);
    json_object_object_add(head, "queries_unparsed",
                           s->has_queries ? json_object_new_int64((int64_t)s->queries_unparsed)
                                          : NULL);
    const char *text = json_object_to_json_string_ext(
        head, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    if (len > 0 && text[len - 1] == '}')
        len--;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    fwrite(text, 1, len, out);
    json_object_put(head);
    fputs(",\n  \"tables\": [\n", out);
    for (size_t i = 0; i < s->n_tables; i++) {
        fputs("    ", out);
        report_json_table(out, s, &s->tables[i]);
        fputs(i + 1 < s->n_tables ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
    return !ferror(out);
}

static bool report_csv(FILE *out, const lake_snapshot *s) {
    fputs("database,name,location,format,objects,bytes,newest_object,catalog_updated,"
          "staleness_seconds,stale,partitions,growth_7d_bytes,growth_30d_bytes,error\r\n",
          out);
    csv_row row = {.out = out};
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        char newest[32] = "", updated[32] = "", g7[32] = "", g30[32] = "";
        if (t->newest_object >= 0)
            fmt_iso8601(t->newest_object, newest, sizeof newest);
        if (t->update_time >= 0)
            fmt_iso8601(t->update_time, updated, sizeof updated);
        if (t->has_growth_7d) /* growth may be negative: not a count */
            snprintf(g7, sizeof g7, "%" PRId64, t->growth_7d_bytes);
        if (t->has_growth_30d)
            snprintf(g30, sizeof g30, "%" PRId64, t->growth_30d_bytes);
        csv_text(&row, t->database);
        csv_text(&row, t->name);
        csv_text(&row, t->location);
        csv_text(&row, t->format);
        csv_int(&row, t->objects);
        csv_int(&row, t->bytes);
        csv_text(&row, newest);
        csv_text(&row, updated);
        csv_int(&row, t->staleness_seconds);
        csv_text(&row, snapshot_json_stale_word(t->stale));
        csv_int(&row, t->partitions);
        csv_text(&row, g7);
        csv_text(&row, g30);
        char *error = redact_dup(t->error);
        csv_text(&row, error);
        free(error);
        csv_end(&row);
    }
    return !ferror(out);
}

/* What looks wrong with a table, for people: "late, schema 2d". */
static const char *report_text_notes(const lake_snapshot *s, const table_stats *t, char *buf,
                                     size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    const char *flags[] = {t->late ? "late" : NULL,
                           t->anomaly ? "anomaly" : NULL,
                           t->small_files ? "small files" : NULL,
                           t->waste ? "waste" : NULL,
                           t->many_snapshots ? "many snapshots" : NULL,
                           t->days_to_quota == 0 && t->quota_bytes > 0 ? "quota reached" : NULL};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (flags[i] && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", flags[i]);
    if (t->schema_recent && len < size) {
        char age[32];
        fmt_age(s->generated_at - t->schema_changed_at, age, sizeof age);
        snprintf(buf + len, size - len, "%sschema %s", len ? ", " : "", age);
    }
    return buf;
}

/* `text` left-aligned in `columns` terminal columns (by display width: a
 * CJK character takes two), as %-*s would by bytes. */
static void report_pad(FILE *out, const char *text, size_t columns) {
    fputs(text, out);
    for (size_t w = text_safe_width(text); w < columns; w++)
        fputc(' ', out);
}

static bool report_text(FILE *out, const lake_snapshot *s) {
    fprintf(out, "%-14s %-28s %10s %8s %10s %9s %6s %10s %7s %8s  %s\n", "DATABASE", "TABLE",
            "SIZE", "FILES", "LAST DATA", "STALE", "PARTS", "IN 30D", "QUERIES", "$/MO", "NOTES");
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        char size[32], files[32], age[32], parts[32] = "-", projected[32] = "-", queries[32] = "-",
                                           notes[160];
        if (t->bytes >= 0)
            fmt_bytes(t->bytes, size, sizeof size);
        else
            snprintf(size, sizeof size, "-");
        fmt_count(t->objects, files, sizeof files);
        if (t->objects == 0)
            snprintf(age, sizeof age, "empty");
        else
            fmt_age(t->staleness_seconds, age, sizeof age);
        if (t->partitions >= 0) /* unknown: "-", never 0 */
            snprintf(parts, sizeof parts, "%" PRId64, t->partitions);
        if (t->has_forecast)
            fmt_bytes(t->projected_bytes_30d, projected, sizeof projected);
        if (t->queries_30d >= 0)
            fmt_count(t->queries_30d, queries, sizeof queries);
        /* names and errors come from the lake: nothing in them reaches the
         * terminal raw (an ESC, an OSC 52, a newline, a bidi override) */
        char *database = text_safe_dup(t->database, TEXT_SAFE_TERMINAL);
        char *name = text_safe_dup(t->name, TEXT_SAFE_TERMINAL);
        char *redacted = redact_dup(t->error);
        char *error = text_safe_dup(redacted, TEXT_SAFE_TERMINAL);
        free(redacted);
        report_pad(out, database ? database : "", 14);
        fputc(' ', out);
        /* an open table format's mark, as the Tables view's in ASCII
         * (format_mark.h): "events ice", "orders dlt*" (from the listing) */
        const char *mark = format_mark(t, false);
        char *shown = mark ? xasprintf("%s %s", name ? name : "", mark) : NULL;
        report_pad(out, shown ? shown : name ? name : "", 28);
        free(shown);
        char usd[32];
        fprintf(out, " %10s %8s %10s %9s %6s %10s %7s %8s", size, files, age,
                snapshot_json_stale_word(t->stale), parts, projected, queries,
                cost_format_usd(t->cost_month_usd, usd, sizeof usd));
        report_text_notes(s, t, notes, sizeof notes);
        if (notes[0] || error)
            fprintf(out, "  %s%s%s%s", notes, notes[0] && error ? " " : "", error ? "! " : "",
                    error ? error : "");
        fputc('\n', out);
        free(database);
        free(name);
        free(error);
    }
    int64_t bytes = 0, objects = 0;
    size_t stale = 0, unread = 0;
    for (size_t i = 0; i < s->n_databases; i++) {
        bytes += s->databases[i].bytes;
        objects += s->databases[i].objects;
        stale += s->databases[i].stale_tables;
        unread += snapshot_json_database_unread(&s->databases[i]);
    }
    char size[32];
    if (unread) /* the totals are not known: never a false 0 */
        fprintf(out,
                "\n%zu %s (%zu could not be read: their tables unknown), ? tables, ? in ? "
                "files, ? stale, ? with errors\n",
                s->n_databases, fmt_plural((int64_t)(s->n_databases), "database", "databases"),
                unread);
    else
        fprintf(out, "\n%zu %s, %zu %s, %s in %" PRId64 " %s, %zu stale, %zu with errors\n",
                s->n_databases, fmt_plural((int64_t)(s->n_databases), "database", "databases"),
                s->n_tables, fmt_plural((int64_t)(s->n_tables), "table", "tables"),
                fmt_bytes(bytes, size, sizeof size), objects,
                fmt_plural((int64_t)(objects), "file", "files"), stale, s->error_tables);
    /* the cost (cost.h): to the cent and below, as a total is read closely */
    if (s->storage_month_usd >= 0) {
        fprintf(out, "storage $%.4f/month", s->storage_month_usd);
        if (s->queries_30d_usd >= 0)
            fprintf(out, ", queries $%.4f in 30 days", s->queries_30d_usd);
        if (s->refresh_day_usd >= 0)
            fprintf(out, ", laketop's requests $%.4f/day", s->refresh_day_usd);
        fputc('\n', out);
    }
    return !ferror(out);
}

bool report_write(FILE *out, const lake_snapshot *s, report_format format) {
    bool ok = false;
    watchdog_phase("writing the report to stdout (a reader that does not read?)");
    switch (format) {
    case REPORT_JSON: ok = report_json(out, s); break;
    case REPORT_CSV: ok = report_csv(out, s); break;
    case REPORT_TABLE: ok = report_text(out, s); break;
    }
    return fflush(out) == 0 && ok;
}

/* "laketop: [WHAT NAME: ]ERROR" on `out`, any secret it quotes removed. */
static void report_say_error(FILE *out, const char *what, const char *database, const char *name,
                             const char *error) {
    char *safe = redact_dup(error);
    if (what)
        fprintf(out, "laketop: %s %s%s%s: %s\n", what, database, name ? "." : "", name ? name : "",
                safe);
    else
        fprintf(out, "laketop: %s\n", safe);
    free(safe);
}

bool report_errors(FILE *out, const lake_snapshot *s) {
    bool any = false;
    if (s->error) {
        report_say_error(out, NULL, NULL, NULL, s->error);
        any = true;
    }
    for (size_t i = 0; i < s->n_databases; i++) {
        if (s->databases[i].error) {
            report_say_error(out, "database", s->databases[i].name, NULL, s->databases[i].error);
            any = true;
        }
    }
    for (size_t i = 0; i < s->n_tables; i++) {
        if (s->tables[i].error) {
            report_say_error(out, "table", s->tables[i].database, s->tables[i].name,
                             s->tables[i].error);
            any = true;
        }
    }
    return any;
}
