/* formats_detect.c: which format a table is in (the catalog's parameters
 * and the names under its location), a listing's totals by the Hive
 * rules, and an open-format table's commits as daily history samples. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector/formats/formats.h"
#include "collector/formats/formats_internal.h"
#include "common/fmt.h"
#include "common/xalloc.h"

const char *formats_parameter(const table_stats *t, const char *key) {
    for (size_t i = 0; i < t->n_parameters; i++)
        if (t->parameters[i].key && strcmp(t->parameters[i].key, key) == 0)
            return t->parameters[i].value;
    return NULL;
}

/* A parameter by its key in any case. */
static const char *formats_parameter_nocase(const table_stats *t, const char *key) {
    for (size_t i = 0; i < t->n_parameters; i++)
        if (t->parameters[i].key && strcasecmp(t->parameters[i].key, key) == 0)
            return t->parameters[i].value;
    return NULL;
}

static bool formats_is(const char *value, const char *word) {
    return value && strcasecmp(value, word) == 0;
}

void formats_detect(table_stats *t, const char *const *top_level, size_t n_top_level) {
    const char *type = formats_parameter_nocase(t, "table_type");
    const char *metadata = formats_parameter(t, "metadata_location");
    table_format format = TABLE_FORMAT_HIVE;
    if (formats_is(type, "ICEBERG") && metadata && *metadata)
        format = TABLE_FORMAT_ICEBERG;
    else if (formats_is(type, "DELTA") ||
             formats_is(formats_parameter(t, "spark.sql.sources.provider"), "delta"))
        format = TABLE_FORMAT_DELTA;
    else if (formats_is(type, "HUDI"))
        format = TABLE_FORMAT_HUDI;
    for (size_t i = 0; format == TABLE_FORMAT_HIVE && i < t->n_parameters; i++)
        if (t->parameters[i].key && strncmp(t->parameters[i].key, "hoodie.", 7) == 0)
            format = TABLE_FORMAT_HUDI;
    /* what the location holds decides over the catalog */
    for (size_t i = 0; i < n_top_level; i++) {
        if (!top_level[i])
            continue;
        if (strcmp(top_level[i], "_delta_log") == 0)
            format = TABLE_FORMAT_DELTA;
        else if (strcmp(top_level[i], ".hoodie") == 0 && format != TABLE_FORMAT_DELTA)
            format = TABLE_FORMAT_HUDI;
    }
    if (format != TABLE_FORMAT_HIVE || t->table_format == TABLE_FORMAT_HIVE)
        t->table_format = format;
}

void formats_listing_totals(table_stats *t, const object_entry *entries, size_t n) {
    t->s3_objects = (int64_t)n;
    t->s3_bytes = 0;
    t->storage = (cost_storage){0};
    t->has_storage = true;
    for (size_t i = 0; i < n; i++) {
        t->s3_bytes += entries[i].size > 0 ? entries[i].size : 0;
        cost_storage_add(&t->storage, (cost_class)entries[i].storage_class, entries[i].size);
    }
}

bool formats_is_marker(const char *key) {
    /* "": the location's own "directory" object (prefix/ on S3) */
    return !*key || storage_is_marker_key(key);
}

/* True when a directory on the way to `key` is hidden (_temporary/). */
static bool formats_in_hidden_dir(const char *key) {
    for (const char *c = key; *c;) {
        const char *slash = strchr(c, '/');
        if (!slash)
            return false;
        if (slash > c && storage_is_hidden_dir(c))
            return true;
        c = slash + 1;
    }
    return false;
}

void formats_listing_hive(table_stats *t, const object_entry *entries, size_t n) {
    formats_listing_totals(t, entries, n);
    t->objects = t->bytes = t->marker_objects = t->partitions = 0;
    t->newest_object = -1;
    size_t depth = t->n_partition_keys;
    const char *last = NULL;
    size_t last_length = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = entries[i].key;
        if (formats_in_hidden_dir(key))
            continue;
        if (formats_is_marker(key)) {
            t->marker_objects++;
            continue;
        }
        t->objects++;
        t->bytes += entries[i].size;
        if (entries[i].mtime > t->newest_object)
            t->newest_object = entries[i].mtime;
        size_t plength = depth ? storage_partition_prefix_length(key, depth) : 0;
        if (plength && !(last && last_length == plength && memcmp(last, key, plength) == 0)) {
            /* listings come sorted: a partition's files are together */
            t->partitions++;
            last = key;
            last_length = plength;
        }
    }
}

/* The commits as samples, one per day (the day's last commit), oldest
 * first; *n of them. */
static history_sample *formats_commit_samples(const table_stats *t, size_t *n) {
    history_sample *out = t->n_commits ? xcalloc(t->n_commits, sizeof *out) : NULL;
    *n = 0;
    for (size_t i = 0; i < t->n_commits; i++) {
        const table_commit *c = &t->commits[i];
        if (c->at < 0 || c->total_files < 0 || c->total_bytes < 0)
            continue;
        history_sample s = {.day = fmt_day_of(c->at),
                            .bytes = c->total_bytes,
                            .objects = c->total_files,
                            .newest_object = c->at};
        size_t k = 0;
        while (k < *n && out[k].day != s.day)
            k++;
        if (k < *n) {
            if (out[k].newest_object <= s.newest_object)
                out[k] = s;
            continue;
        }
        size_t at = *n; /* sorted by day */
        while (at > 0 && out[at - 1].day > s.day) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = s;
        (*n)++;
    }
    return out;
}

void formats_history_merge(const table_stats *t, history_sample **history, size_t *n) {
    size_t n_commits = 0;
    history_sample *commits = formats_commit_samples(t, &n_commits);
    if (!n_commits) {
        free(commits);
        return;
    }
    size_t total = *n + n_commits;
    history_sample *out = xcalloc(total, sizeof *out);
    size_t i = 0, j = 0, k = 0;
    const history_sample *old = *history;
    while (i < *n || j < n_commits) {
        if (j >= n_commits || (i < *n && old[i].day < commits[j].day)) {
            out[k++] = old[i++];
        } else if (i >= *n || commits[j].day < old[i].day) {
            out[k++] = commits[j++];
        } else { /* the same day: the commit's figures */
            out[k++] = commits[j++];
            i++;
        }
    }
    free(commits);
    free(*history);
    *history = out;
    *n = k;
}
