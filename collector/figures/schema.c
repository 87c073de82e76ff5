/* schema.c: column diffs between table versions. */
#include "collector/figures/schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/fmt.h"
#include "common/xalloc.h"

static const table_column *schema_find(const table_column *cols, size_t n, const char *name,
                                       size_t *index) {
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(cols[i].name, name) == 0) {
            if (index)
                *index = i;
            return &cols[i];
        }
    }
    return NULL;
}

static void schema_add(schema_change **out, size_t *n, size_t *cap, schema_change_kind kind,
                       const char *column, const char *from, const char *to) {
    *out = xgrow(*out, cap, *n + 1, sizeof **out);
    (*out)[(*n)++] = (schema_change){
        .kind = kind,
        .column = column ? xstrdup(column) : NULL,
        .from = from ? xstrdup(from) : NULL,
        .to = to ? xstrdup(to) : NULL,
    };
}

size_t schema_diff(const table_column *before, size_t n_before, const table_column *after,
                   size_t n_after, schema_change **out) {
    size_t n = 0, cap = 0;
    *out = NULL;
    /* the columns both have, in the new order, must come in rising old positions */
    bool in_order = true;
    size_t last_old = 0, kept = 0;
    for (size_t i = 0; i < n_before; i++) {
        const table_column *now = schema_find(after, n_after, before[i].name, NULL);
        if (!now)
            schema_add(out, &n, &cap, SCHEMA_REMOVED, before[i].name, before[i].type, NULL);
        else if (strcasecmp(now->type, before[i].type) != 0)
            schema_add(out, &n, &cap, SCHEMA_RETYPED, before[i].name, before[i].type, now->type);
    }
    for (size_t i = 0; i < n_after; i++) {
        size_t old;
        if (!schema_find(before, n_before, after[i].name, &old)) {
            schema_add(out, &n, &cap, SCHEMA_ADDED, after[i].name, NULL, after[i].type);
            continue;
        }
        if (kept++ && old < last_old)
            in_order = false;
        last_old = old;
    }
    if (n == 0 && !in_order)
        schema_add(out, &n, &cap, SCHEMA_REORDERED, NULL, NULL, NULL);
    return n;
}

schema_change *schema_changes_copy(const schema_change *changes, size_t n) {
    if (!n)
        return NULL;
    schema_change *copy = xcalloc(n, sizeof *copy);
    for (size_t i = 0; i < n; i++)
        copy[i] = (schema_change){
            .kind = changes[i].kind,
            .column = changes[i].column ? xstrdup(changes[i].column) : NULL,
            .from = changes[i].from ? xstrdup(changes[i].from) : NULL,
            .to = changes[i].to ? xstrdup(changes[i].to) : NULL,
        };
    return copy;
}

static int schema_version_cmp(const void *a, const void *b) {
    const schema_version *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void schema_apply_versions(table_stats *t, schema_version *versions, size_t n) {
    if (n == 0)
        return;
    qsort(versions, n, sizeof *versions, schema_version_cmp);
    snapshot_free_schema_changes(t->schema_changes, t->n_schema_changes);
    t->schema_changes = NULL;
    t->n_schema_changes = 0;
    t->schema_changed_at = versions[0].time;
    for (size_t i = n - 1; i > 0; i--) {
        schema_change *changes;
        size_t k = schema_diff(versions[i - 1].columns, versions[i - 1].n_columns,
                               versions[i].columns, versions[i].n_columns, &changes);
        if (k) {
            t->schema_changed_at = versions[i].time;
            t->schema_changes = changes;
            t->n_schema_changes = k;
            return;
        }
    }
}

void schema_versions_free(schema_version *versions, size_t n) {
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < versions[i].n_columns; k++) {
            free(versions[i].columns[k].name);
            free(versions[i].columns[k].type);
            free(versions[i].columns[k].comment);
        }
        free(versions[i].columns);
    }
    free(versions);
}

char *schema_summary(const schema_change *changes, size_t n, char *buf, size_t size) {
    size_t count[4] = {0};
    for (size_t i = 0; i < n; i++)
        count[changes[i].kind]++;
    if (count[SCHEMA_REORDERED] && n == count[SCHEMA_REORDERED]) {
        snprintf(buf, size, "columns reordered");
        return buf;
    }
    size_t len = 0;
    static const char *const sign[] = {"+", "-", "~"};
    buf[0] = '\0';
    for (int k = 0; k < 3; k++)
        if (count[k] && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s%zu", len ? " " : "", sign[k],
                                    count[k]);
    if (len < size)
        snprintf(buf + len, size - len, " %s", fmt_plural((int64_t)(n), "column", "columns"));
    return buf;
}
