/* aws_memo.c: what the AWS source remembers of each table from one refresh
 * to the next: its schema change (a table whose UpdateTime has not moved
 * keeps its versions: GetTableVersions is per table, and throttled) and its
 * catalog partition count (GetPartitions pages through every partition: it
 * is counted at most every AWS_MEMO_PARTITIONS_EVERY seconds). */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "common/clock.h"
#include "common/xalloc.h"

#define AWS_MEMO_PARTITIONS_EVERY 600

/* One table, by "database\ttable". */
struct aws_memo_entry {
    char *key;
    int64_t update_time;
    int64_t changed_at; /* -1: not known (the versions are read again) */
    schema_change *changes;
    size_t n_changes;
    /* the catalog's partition count, and when it was taken */
    int64_t partitions;
    int64_t partitions_at;
    bool partitions_recalled; /* this refresh used it */
};

static char *aws_memo_key(const char *database, const char *table) {
    return xasprintf("%s\t%s", database, table);
}

static int aws_memo_cmp(const void *a, const void *b) {
    return strcmp(((const aws_memo_entry *)a)->key, ((const aws_memo_entry *)b)->key);
}

void aws_memo_free(aws_memo *memo) {
    for (size_t i = 0; i < memo->n; i++) {
        free(memo->entries[i].key);
        snapshot_free_schema_changes(memo->entries[i].changes, memo->entries[i].n_changes);
    }
    free(memo->entries);
    memo->entries = NULL;
    memo->n = 0;
}

static aws_memo_entry *aws_memo_find(const aws_memo *memo, const char *database,
                                     const char *table) {
    if (!memo->n)
        return NULL;
    aws_memo_entry probe = {.key = aws_memo_key(database, table)};
    aws_memo_entry *m =
        bsearch(&probe, memo->entries, memo->n, sizeof *memo->entries, aws_memo_cmp);
    free(probe.key);
    return m;
}

bool aws_memo_recall_partitions(aws_memo *memo, table_stats *t) {
    aws_memo_entry *m = aws_memo_find(memo, t->database, t->name);
    int64_t now = clock_now();
    if (!m || m->partitions < 0 || now - m->partitions_at >= AWS_MEMO_PARTITIONS_EVERY ||
        now < m->partitions_at)
        return false;
    t->catalog_partitions = m->partitions;
    m->partitions_recalled = true;
    return true;
}

bool aws_memo_recall_schema(const aws_memo *memo, table_stats *t) {
    const aws_memo_entry *m = aws_memo_find(memo, t->database, t->name);
    if (!m || t->update_time < 0 || m->update_time != t->update_time || m->changed_at < 0)
        return false;
    t->schema_changed_at = m->changed_at;
    t->schema_changes = schema_changes_copy(m->changes, m->n_changes);
    t->n_schema_changes = m->n_changes;
    return true;
}

void aws_memo_remember(aws_memo *memo, const lake_snapshot *s) {
    aws_memo_entry *entries = xcalloc(s->n_tables ? s->n_tables : 1, sizeof *entries);
    size_t n = 0;
    int64_t now = clock_now();
    for (size_t i = 0; i < s->n_tables; i++) {
        const table_stats *t = &s->tables[i];
        if (t->error)
            continue;
        const aws_memo_entry *old = aws_memo_find(memo, t->database, t->name);
        bool versions = t->update_time >= 0 && t->schema_changed_at >= 0;
        entries[n++] = (aws_memo_entry){
            .key = aws_memo_key(t->database, t->name),
            .update_time = t->update_time,
            .changed_at = versions ? t->schema_changed_at : -1,
            .changes =
                versions ? schema_changes_copy(t->schema_changes, t->n_schema_changes) : NULL,
            .n_changes = versions ? t->n_schema_changes : 0,
            .partitions = t->catalog_partitions,
            .partitions_at = old && old->partitions_recalled ? old->partitions_at : now,
        };
    }
    aws_memo_free(memo);
    memo->entries = entries;
    memo->n = n;
    qsort(memo->entries, memo->n, sizeof *memo->entries, aws_memo_cmp);
}
