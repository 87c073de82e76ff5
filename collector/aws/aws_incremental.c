/* aws_incremental.c: the AWS source's kept figures of partition
 * directories (incremental.h), read from its state file at first use and
 * written atomically after each refresh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "common/fs.h"
#include "common/xalloc.h"

void aws_source_incremental(lake_source *source, const char *state_path,
                            const incremental_settings *settings, bool full) {
    aws_source *src = (aws_source *)source;
    free(src->incr_path);
    src->incr_path = state_path ? xstrdup(state_path) : NULL;
    incremental_settings_free(&src->incr);
    incremental_settings_copy(&src->incr, settings);
    src->incr_full = full;
}

void aws_source_full_next(lake_source *source) {
    __atomic_store_n(&((aws_source *)source)->incr_full, true, __ATOMIC_RELAXED);
}

void aws_incremental_begin(aws_source *src) {
    src->incr_full_now = __atomic_exchange_n(&src->incr_full, false, __ATOMIC_RELAXED);
}

static void aws_incremental_load(aws_source *src) {
    if (src->incr_loaded || !src->incr_path)
        return;
    src->incr_loaded = true;
    size_t length = 0;
    char *error = NULL;
    char *text = fs_read_file(src->incr_path, &length, &error);
    free(error); /* none yet: every table listed whole, once */
    if (!text)
        return;
    error = NULL;
    if (!incremental_state_parse(text, length, &src->incr_state, &error)) {
        /* a broken state file: everything listed whole, the file rewritten */
        free(error);
    }
    free(text);
}

incremental_table *aws_incremental_table(aws_source *src, const char *database, const char *table,
                                         const char *location) {
    if (!src->incr_path)
        return NULL;
    aws_incremental_load(src);
    incremental_table *t = incremental_state_find(&src->incr_state, database, table);
    return t && strcmp(t->location, location) == 0 ? t : NULL;
}

void aws_incremental_put(aws_source *src, incremental_table *t) {
    aws_incremental_load(src);
    incremental_state_put(&src->incr_state, t);
}

bool aws_catalog_complete(const lake_snapshot *s) {
    for (size_t i = 0; i < s->n_databases; i++)
        if (s->databases[i].error)
            return false;
    return true;
}

bool aws_catalog_has_table(void *ctx, const char *database, const char *table) {
    const lake_snapshot *s = ctx;
    for (size_t i = 0; i < s->n_tables; i++)
        if (strcmp(s->tables[i].database, database) == 0 && strcmp(s->tables[i].name, table) == 0)
            return true;
    return false;
}

void aws_incremental_prune(aws_source *src, const lake_snapshot *s) {
    if (!aws_catalog_complete(s) || !src->incr_path)
        return; /* a database unread: its tables are not known gone */
    aws_incremental_load(src);
    incremental_state_prune(&src->incr_state, aws_catalog_has_table, (void *)s);
}

void aws_incremental_save(aws_source *src) {
    if (!src->incr_path || !src->incr_loaded)
        return;
    char *text = incremental_state_format(&src->incr_state);
    char *dir = xstrdup(src->incr_path);
    char *slash = strrchr(dir, '/');
    char *error = NULL;
    if (slash) {
        *slash = '\0';
        if (!fs_mkdirs(dir, &error)) {
            free(error);
            error = NULL;
        }
    }
    if (!fs_write_atomic(src->incr_path, text, strlen(text), &error))
        free(error); /* the next run lists more, nothing worse */
    free(dir);
    free(text);
}
