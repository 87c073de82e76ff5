/* report.c: --once output as JSON (json-c), CSV (RFC 4180) or a text table. */
#include "app/report.h"

#include <inttypes.h>
#include <math.h>
#include <json-c/json.h>
#include <string.h>

#include "collector/figures/schema.h"
#include "common/fmt.h"

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

static json_object *report_time(int64_t t) {
    if (t < 0)
        return NULL; /* json null */
    char buf[32];
    return json_object_new_string(fmt_iso8601(t, buf, sizeof buf));
}

static json_object *report_count(int64_t v) {
    return v < 0 ? NULL : json_object_new_int64(v);
}

static json_object *report_string(const char *s) {
    return s ? json_object_new_string(s) : NULL;
}

static const char *report_stale_word(stale_level level) {
    switch (level) {
    case STALE_FRESH: return "fresh";
    case STALE_WARN: return "warn";
    case STALE_CRIT: return "crit";
    case STALE_UNKNOWN: break;
    }
    return "unknown";
}

/* The last schema change against the version before it:
 * [{"change": "added|removed|retyped|reordered", "column", "from", "to"}]. */
static json_object *report_schema_changes(const table_stats *t) {
    static const char *const words[] = {"added", "removed", "retyped", "reordered"};
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < t->n_schema_changes; i++) {
        const schema_change *c = &t->schema_changes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "change", json_object_new_string(words[c->kind]));
        if (c->column)
            json_object_object_add(o, "column", json_object_new_string(c->column));
        if (c->from)
            json_object_object_add(o, "from", json_object_new_string(c->from));
        if (c->to)
            json_object_object_add(o, "to", json_object_new_string(c->to));
        json_object_array_add(list, o);
    }
    return list;
}

json_object *report_table_json(const table_stats *t) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "database", json_object_new_string(t->database));
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "location", json_object_new_string(t->location));
    json_object_object_add(o, "format", json_object_new_string(t->format));
    json_object_object_add(o, "table_type", json_object_new_string(t->table_type));
    json_object_object_add(o, "objects", report_count(t->objects));
    json_object_object_add(o, "bytes", report_count(t->bytes));
    json_object_object_add(o, "average_object_bytes",
                           t->objects > 0 ? json_object_new_int64(t->bytes / t->objects) : NULL);
    json_object_object_add(o, "marker_objects", report_count(t->marker_objects));
    json_object_object_add(o, "newest_object", report_time(t->newest_object));
    json_object_object_add(o, "catalog_created", report_time(t->create_time));
    json_object_object_add(o, "catalog_updated", report_time(t->update_time));
    json_object_object_add(o, "staleness_seconds", report_count(t->staleness_seconds));
    json_object_object_add(o, "stale", json_object_new_string(report_stale_word(t->stale)));
    json_object_object_add(o, "stale_warn_seconds", json_object_new_int64(t->stale_warn_seconds));
    json_object_object_add(o, "stale_crit_seconds", json_object_new_int64(t->stale_crit_seconds));
    json_object_object_add(o, "partitions", report_count(t->partitions));
    json_object_object_add(o, "catalog_partitions", report_count(t->catalog_partitions));
    json_object_object_add(o, "schema_changed_at", report_time(t->schema_changed_at));
    json_object_object_add(o, "schema_changes", report_schema_changes(t));
    json_object_object_add(o, "growth_7d_bytes",
                           t->has_growth_7d ? json_object_new_int64(t->growth_7d_bytes) : NULL);
    json_object_object_add(o, "growth_30d_bytes",
                           t->has_growth_30d ? json_object_new_int64(t->growth_30d_bytes) : NULL);
    json_object_object_add(o, "queries_30d", report_count(t->queries_30d));
    json_object_object_add(o, "quota_bytes",
                           report_count(t->quota_bytes > 0 ? t->quota_bytes : -1));
    json_object_object_add(o, "days_to_quota", report_count(t->days_to_quota));
    json_object_object_add(o, "usual_interval_seconds", report_count(t->usual_interval_seconds));
    json_object_object_add(o, "late", json_object_new_boolean(t->late));
    json_object_object_add(o, "anomaly", json_object_new_boolean(t->anomaly));
    json_object_object_add(o, "small_files", json_object_new_boolean(t->small_files));
    /* the Theil-Sen trend; null with too little history */
    json_object_object_add(
        o, "growth_bytes_per_day",
        t->has_forecast ? json_object_new_int64((int64_t)llround(t->growth_bytes_per_day)) : NULL);
    json_object_object_add(o, "projected_bytes_30d",
                           t->has_forecast ? json_object_new_int64(t->projected_bytes_30d) : NULL);
    json_object_object_add(o, "projected_bytes_90d",
                           t->has_forecast ? json_object_new_int64(t->projected_bytes_90d) : NULL);
    json_object_object_add(o, "scanned_at", report_time(t->scanned_at));
    json_object_object_add(o, "error", report_string(t->error));
    json_object *keys = json_object_new_array();
    for (size_t i = 0; i < t->n_partition_keys; i++)
        json_object_array_add(keys, json_object_new_string(t->partition_keys[i].name));
    json_object_object_add(o, "partition_keys", keys);
    return o;
}

/* Writes one table: its fields through json-c, then its history streamed by
 * hand, so that memory stays flat however long the history is. */
static void report_json_table(FILE *out, const table_stats *t) {
    json_object *o = report_table_json(t);
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

static bool report_json(FILE *out, const lake_snapshot *s) {
    json_object *head = json_object_new_object();
    json_object_object_add(head, "generated_at", report_time(s->generated_at));
    json_object_object_add(head, "source", json_object_new_string(s->source));
    json_object_object_add(head, "error", report_string(s->error));
    json_object_object_add(head, "requests", report_count(s->requests));
    json_object *dbs = json_object_new_array();
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(d->name));
        json_object_object_add(o, "tables", json_object_new_int64((int64_t)d->n_tables));
        json_object_object_add(o, "bytes", json_object_new_int64(d->bytes));
        json_object_object_add(o, "objects", json_object_new_int64(d->objects));
        json_object_object_add(o, "stale_tables", json_object_new_int64((int64_t)d->stale_tables));
        json_object_object_add(o, "error_tables", json_object_new_int64((int64_t)d->error_tables));
        json_object_object_add(o, "description", report_string(d->description));
        json_object_object_add(o, "shared_from", report_string(d->shared_from));
        json_object_object_add(o, "error", report_string(d->error));
        json_object_array_add(dbs, o);
    }
    json_object_object_add(head, "databases", dbs);
    json_object *crawlers = json_object_new_array();
    for (size_t i = 0; i < s->n_crawlers; i++) {
        const crawler_info *c = &s->crawlers[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(c->name));
        json_object_object_add(o, "database", report_string(c->database));
        json_object_object_add(o, "state", report_string(c->state));
        json_object_object_add(o, "schedule", report_string(c->schedule));
        json_object_object_add(o, "last_crawl_status", report_string(c->last_status));
        json_object_object_add(o, "last_crawl_start", report_time(c->last_start));
        json_object_object_add(o, "last_crawl_error", report_string(c->last_error));
        /* by the last crawl; null when unknown */
        json_object_object_add(o, "tables_created", report_count(c->tables_created));
        json_object_object_add(o, "tables_updated", report_count(c->tables_updated));
        json_object_object_add(o, "tables_deleted", report_count(c->tables_deleted));
        json_object *targets = json_object_new_array();
        for (size_t k = 0; k < c->n_targets; k++)
            json_object_array_add(targets, json_object_new_string(c->targets[k]));
        json_object_object_add(o, "targets", targets);
        json_object_array_add(crawlers, o);
    }
    json_object_object_add(head, "crawlers", crawlers);
    /* queries in the history window that did not parse; null without a history */
    json_object_object_add(head, "queries_error", report_string(s->queries_error));
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
        report_json_table(out, &s->tables[i]);
        fputs(i + 1 < s->n_tables ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
    return !ferror(out);
}

static void report_csv_next(report_csv_row *row) {
    if (row->fields++)
        fputc(',', row->out);
}

void report_csv_text(report_csv_row *row, const char *text) {
    report_csv_next(row);
    if (!text)
        return;
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, row->out);
        return;
    }
    fputc('"', row->out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', row->out);
        fputc(*p, row->out);
    }
    fputc('"', row->out);
}

void report_csv_int(report_csv_row *row, int64_t value) {
    report_csv_next(row);
    if (value >= 0)
        fprintf(row->out, "%" PRId64, value);
}

void report_csv_end(report_csv_row *row) {
    fputs("\r\n", row->out);
    row->fields = 0;
}

static bool report_csv(FILE *out, const lake_snapshot *s) {
    fputs("database,name,location,format,objects,bytes,newest_object,catalog_updated,"
          "staleness_seconds,stale,partitions,growth_7d_bytes,growth_30d_bytes,error\r\n",
          out);
    report_csv_row row = {.out = out};
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
        report_csv_text(&row, t->database);
        report_csv_text(&row, t->name);
        report_csv_text(&row, t->location);
        report_csv_text(&row, t->format);
        report_csv_int(&row, t->objects);
        report_csv_int(&row, t->bytes);
        report_csv_text(&row, newest);
        report_csv_text(&row, updated);
        report_csv_int(&row, t->staleness_seconds);
        report_csv_text(&row, report_stale_word(t->stale));
        report_csv_int(&row, t->partitions);
        report_csv_text(&row, g7);
        report_csv_text(&row, g30);
        report_csv_text(&row, t->error);
        report_csv_end(&row);
    }
    return !ferror(out);
}

/* What looks wrong with a table, for people: "late, schema 2d". */
static const char *report_text_notes(const lake_snapshot *s, const table_stats *t, char *buf,
                                     size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    const char *flags[] = {t->late ? "late" : NULL, t->anomaly ? "anomaly" : NULL,
                           t->small_files ? "small files" : NULL,
                           t->days_to_quota == 0 && t->quota_bytes > 0 ? "quota reached" : NULL};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (flags[i] && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", flags[i]);
    int64_t ago = s->generated_at - t->schema_changed_at;
    if (t->n_schema_changes && ago >= 0 && ago < SCHEMA_RECENT_SECONDS && len < size) {
        char age[32];
        fmt_age(ago, age, sizeof age);
        snprintf(buf + len, size - len, "%sschema %s", len ? ", " : "", age);
    }
    return buf;
}

static bool report_text(FILE *out, const lake_snapshot *s) {
    fprintf(out, "%-14s %-28s %10s %8s %10s %9s %6s %10s %7s  %s\n", "DATABASE", "TABLE", "SIZE",
            "FILES", "LAST DATA", "STALE", "PARTS", "IN 30D", "QUERIES", "NOTES");
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        char size[32], files[32], age[32], projected[32] = "-", queries[32] = "-", notes[160];
        if (t->bytes >= 0)
            fmt_bytes(t->bytes, size, sizeof size);
        else
            snprintf(size, sizeof size, "-");
        fmt_count(t->objects, files, sizeof files);
        if (t->objects == 0)
            snprintf(age, sizeof age, "empty");
        else
            fmt_age(t->staleness_seconds, age, sizeof age);
        if (t->has_forecast)
            fmt_bytes(t->projected_bytes_30d, projected, sizeof projected);
        if (t->queries_30d >= 0)
            fmt_count(t->queries_30d, queries, sizeof queries);
        fprintf(out, "%-14s %-28s %10s %8s %10s %9s %6" PRId64 " %10s %7s", t->database, t->name,
                size, files, age, report_stale_word(t->stale),
                t->partitions < 0 ? 0 : t->partitions, projected, queries);
        report_text_notes(s, t, notes, sizeof notes);
        if (notes[0] || t->error)
            fprintf(out, "  %s%s%s%s", notes, notes[0] && t->error ? " " : "", t->error ? "! " : "",
                    t->error ? t->error : "");
        fputc('\n', out);
    }
    int64_t bytes = 0, objects = 0;
    size_t stale = 0;
    for (size_t i = 0; i < s->n_databases; i++) {
        bytes += s->databases[i].bytes;
        objects += s->databases[i].objects;
        stale += s->databases[i].stale_tables;
    }
    char size[32];
    fprintf(out,
            "\n%zu databases, %zu tables, %s in %" PRId64 " files, %zu stale, %zu with errors\n",
            s->n_databases, s->n_tables, fmt_bytes(bytes, size, sizeof size), objects, stale,
            s->error_tables);
    return !ferror(out);
}

bool report_write(FILE *out, const lake_snapshot *s, report_format format) {
    bool ok = false;
    switch (format) {
    case REPORT_JSON: ok = report_json(out, s); break;
    case REPORT_CSV: ok = report_csv(out, s); break;
    case REPORT_TABLE: ok = report_text(out, s); break;
    }
    return fflush(out) == 0 && ok;
}
