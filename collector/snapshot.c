/* snapshot.c: life cycle of the immutable lake snapshot, its order, and
 * lookups in it. The derived figures are computed by derive.c. */
#include "collector/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

lake_snapshot *snapshot_new(const char *source) {
    lake_snapshot *s = xcalloc(1, sizeof *s);
    s->refs = 1;
    s->source = xstrdup(source);
    s->generated_at = -1;
    s->requests = -1;
    for (int k = 0; k < SNAPSHOT_REQUEST_KINDS; k++)
        s->requests_by_kind[k] = -1;
    s->s3_list_requests = s->s3_get_requests = -1;
    s->queries_billed_bytes_30d = -1;
    s->storage_month_usd = s->queries_30d_usd = s->refresh_day_usd = -1;
    cost_prices_default(&s->prices);
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

void snapshot_free_schema_changes(schema_change *changes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(changes[i].column);
        free(changes[i].from);
        free(changes[i].to);
    }
    free(changes);
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
    snapshot_free_schema_changes(t->schema_changes, t->n_schema_changes);
    free(t->error);
    free(t->history);
    free(t->metadata_location);
    free(t->partition_spec);
    free(t->format_error);
    table_commits_free(t->commits, t->n_commits);
    free(t->writer);
    free(t->uploads_error);
    free(t->inventory_date);
    memset(t, 0, sizeof *t);
}

void table_stats_formats_unknown(table_stats *t) {
    t->table_format = TABLE_FORMAT_HIVE;
    t->origin = FIGURES_LISTING;
    t->provenance = PROVENANCE_LISTED;
    t->provenance_as_of = t->provenance_verified_at = -1;
    t->format_version = 0;
    t->records = t->delete_files = t->delete_bytes = -1;
    t->snapshots = t->oldest_snapshot = t->last_commit = -1;
    t->s3_objects = t->s3_bytes = t->metadata_bytes = -1;
    t->unreferenced_objects = t->unreferenced_bytes = t->retained_bytes = -1;
    t->has_storage = false;
    t->incomplete_uploads = t->incomplete_upload_bytes = t->oldest_incomplete_upload = -1;
    t->incomplete_upload_cost_month_usd = -1;
}

void table_commits_free(table_commit *commits, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(commits[i].operation);
    free(commits);
}

table_commit *table_commits_copy(const table_commit *from, size_t n) {
    table_commit *to = n ? xcalloc(n, sizeof *to) : NULL;
    for (size_t i = 0; i < n; i++) {
        to[i] = from[i];
        to[i].operation = from[i].operation ? xstrdup(from[i].operation) : NULL;
    }
    return to;
}

const char *provenance_kind_name(provenance_kind kind) {
    switch (kind) {
    case PROVENANCE_INCREMENTAL: return "incremental";
    case PROVENANCE_INVENTORY: return "inventory";
    case PROVENANCE_METADATA: return "metadata";
    case PROVENANCE_LISTED: break;
    }
    return "listed";
}

const char *table_format_name(table_format format) {
    switch (format) {
    case TABLE_FORMAT_ICEBERG: return "iceberg";
    case TABLE_FORMAT_DELTA: return "delta";
    case TABLE_FORMAT_HUDI: return "hudi";
    case TABLE_FORMAT_HIVE: break;
    }
    return "hive";
}

static char *snapshot_strdup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

static table_column *snapshot_copy_columns(const table_column *from, size_t n) {
    table_column *to = n ? xcalloc(n, sizeof *to) : NULL;
    for (size_t i = 0; i < n; i++)
        to[i] = (table_column){snapshot_strdup(from[i].name), snapshot_strdup(from[i].type),
                               snapshot_strdup(from[i].comment)};
    return to;
}

void table_stats_copy(table_stats *to, const table_stats *from) {
    *to = *from; /* the numbers; every pointer is replaced below */
    to->database = snapshot_strdup(from->database);
    to->name = snapshot_strdup(from->name);
    to->location = snapshot_strdup(from->location);
    to->format = snapshot_strdup(from->format);
    to->table_type = snapshot_strdup(from->table_type);
    to->description = snapshot_strdup(from->description);
    to->owner = snapshot_strdup(from->owner);
    to->created_by = snapshot_strdup(from->created_by);
    to->error = snapshot_strdup(from->error);
    to->columns = snapshot_copy_columns(from->columns, from->n_columns);
    to->partition_keys = snapshot_copy_columns(from->partition_keys, from->n_partition_keys);
    to->parameters =
        from->n_parameters ? xcalloc(from->n_parameters, sizeof *to->parameters) : NULL;
    for (size_t i = 0; i < from->n_parameters; i++)
        to->parameters[i] = (table_param){snapshot_strdup(from->parameters[i].key),
                                          snapshot_strdup(from->parameters[i].value)};
    to->schema_changes =
        from->n_schema_changes ? xcalloc(from->n_schema_changes, sizeof *to->schema_changes) : NULL;
    for (size_t i = 0; i < from->n_schema_changes; i++)
        to->schema_changes[i] = (schema_change){from->schema_changes[i].kind,
                                                snapshot_strdup(from->schema_changes[i].column),
                                                snapshot_strdup(from->schema_changes[i].from),
                                                snapshot_strdup(from->schema_changes[i].to)};
    to->metadata_location = snapshot_strdup(from->metadata_location);
    to->partition_spec = snapshot_strdup(from->partition_spec);
    to->format_error = snapshot_strdup(from->format_error);
    to->uploads_error = snapshot_strdup(from->uploads_error);
    to->commits = table_commits_copy(from->commits, from->n_commits);
    to->writer = snapshot_strdup(from->writer);
    to->inventory_date = snapshot_strdup(from->inventory_date);
    to->history = NULL; /* the collector attaches the history afresh */
    to->n_history = 0;
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
    free(s->inventory_error);
    free(s->inventory_athena_query_id);
    snapshot_identity_free(s->identity);
    for (size_t i = 0; i < s->n_jobs; i++)
        pipeline_job_clear(&s->jobs[i]);
    free(s->jobs);
    for (size_t i = 0; i < s->n_state_machines; i++)
        pipeline_job_clear(&s->state_machines[i]);
    free(s->state_machines);
    free(s->pipeline_error);
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

int64_t snapshot_figures_at(const lake_snapshot *s) {
    if (!s->from_saved_state)
        return s->generated_at;
    int64_t newest = -1;
    for (size_t i = 0; i < s->n_tables; i++)
        if (s->tables[i].scanned_at > newest)
            newest = s->tables[i].scanned_at;
    return newest >= 0 ? newest : s->generated_at;
}

static int snapshot_cmp_crawler(const void *a, const void *b) {
    return strcmp(((const crawler_info *)a)->name, ((const crawler_info *)b)->name);
}

void snapshot_sort(lake_snapshot *s) {
    if (s->n_crawlers)
        qsort(s->crawlers, s->n_crawlers, sizeof *s->crawlers, snapshot_cmp_crawler);
    if (s->n_tables)
        qsort(s->tables, s->n_tables, sizeof *s->tables, snapshot_cmp_table);
    if (s->n_databases)
        qsort(s->databases, s->n_databases, sizeof *s->databases, snapshot_cmp_database);
    snapshot_sort_pipeline(s);
}

snapshot_identity *snapshot_identity_copy(const snapshot_identity *from) {
    if (!from)
        return NULL;
    snapshot_identity *to = xcalloc(1, sizeof *to);
    to->account = snapshot_strdup(from->account);
    to->arn = snapshot_strdup(from->arn);
    to->name = snapshot_strdup(from->name);
    to->profile = snapshot_strdup(from->profile);
    to->region = snapshot_strdup(from->region);
    to->credentials = snapshot_strdup(from->credentials);
    to->error = snapshot_strdup(from->error);
    return to;
}

void snapshot_identity_free(snapshot_identity *id) {
    if (!id)
        return;
    free(id->account);
    free(id->arn);
    free(id->name);
    free(id->profile);
    free(id->region);
    free(id->credentials);
    free(id->error);
    free(id);
}

char *snapshot_identity_label(const snapshot_identity *id) {
    if (!id)
        return NULL;
    if (!id->account || !*id->account)
        return xstrdup("identity unknown");
    if (!id->name || !*id->name)
        return xstrdup(id->account);
    return xasprintf("%s %s", id->account, id->name);
}

const char *snapshot_request_kind_name(int k) {
    static const char *const names[SNAPSHOT_REQUEST_KINDS] = {
        "listing", "catalog", "metadata", "athena", "pipeline", "inventory", "other"};
    return k >= 0 && k < SNAPSHOT_REQUEST_KINDS ? names[k] : "?";
}
