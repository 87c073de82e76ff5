/* config_names.c: config names checked against themes and the catalog
 * (see config_names.h). */
#include "app/config_names.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "tui/theme.h"

bool config_names_theme(const char *name, const char *themes_dir, char **error) {
    theme t;
    char *why = NULL;
    if (theme_load(themes_dir, name, &t, &why))
        return true;
    char **names = theme_list(themes_dir);
    size_t n = 0;
    while (names[n])
        n++;
    bool exists = false;
    strbuf list = {0};
    for (size_t i = 0; i < n; i++) {
        exists = exists || strcmp(names[i], name) == 0;
        strbuf_printf(&list, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
    }
    if (exists) /* its file is there but does not parse: that is the news */
        *error = xasprintf("theme: %s", why);
    else if (themes_dir)
        *error = xasprintf("theme: \"%s\" is not a theme: %s (NAME.theme files in %s; dark and "
                           "mono are built in)",
                           name, list.data, themes_dir);
    else
        *error = xasprintf("theme: \"%s\" is not a theme: %s (built in; no themes directory "
                           "found: set themes_dir)",
                           name, list.data);
    strbuf_free(&list);
    theme_list_free(names);
    free(why);
    return false;
}

/* Edits (insert, delete, change a letter) from a to b, up to 3 (then 4). */
static size_t config_names_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb + 3 || lb > la + 3 || lb >= 256)
        return 4;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diagonal + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = up;
        }
    }
    return row[lb] < 4 ? row[lb] : 4;
}

/* The name of `n` names (stride apart, at `offset` in each) nearest to
 * `wanted`, within 2 edits (1 for names under 4 letters); NULL. */
static const char *config_names_nearest(const char *wanted, const void *items, size_t n,
                                        size_t stride, size_t offset) {
    const char *best = NULL;
    size_t best_distance = strlen(wanted) < 4 ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        const char *name = *(char *const *)((const char *)items + i * stride + offset);
        size_t d = config_names_distance(wanted, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best;
}

/* The [job NAME] sections that name no job or state machine of the
 * snapshot, when it read its pipeline (it lists one at least). */
static void config_names_jobs(const config *c, const lake_snapshot *s, char ***lines, size_t *n) {
    if (s->pipeline_error || s->n_jobs + s->n_state_machines == 0)
        return;
    for (size_t i = 0; i < c->jobs.n; i++) {
        const config_job *j = &c->jobs.list[i];
        if (snapshot_find_job(s, PIPELINE_GLUE, j->name) ||
            snapshot_find_job(s, PIPELINE_STATES, j->name))
            continue;
        strbuf line = {0};
        strbuf_printf(&line, "%s:%d: [job %s] names no job or state machine",
                      c->path ? c->path : "config", j->line, j->name);
        const char *near = config_names_nearest(j->name, s->jobs, s->n_jobs, sizeof *s->jobs,
                                                offsetof(pipeline_job, name));
        if (!near)
            near = config_names_nearest(j->name, s->state_machines, s->n_state_machines,
                                        sizeof *s->state_machines, offsetof(pipeline_job, name));
        if (near)
            strbuf_printf(&line, "; did you mean %s?", near);
        *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
        (*lines)[(*n)++] = strbuf_take(&line);
    }
}

bool config_names_unmatched(const config *c, const lake_snapshot *s, char ***lines, size_t *n) {
    *lines = NULL;
    *n = 0;
    if (!s || s->error || s->from_saved_state)
        return false;
    for (size_t i = 0; i < c->n_sections; i++) {
        const config_section *sec = &c->sections[i];
        const database_stats *db = snapshot_find_database(s, sec->database);
        if (db && (!sec->table || db->error || snapshot_find_table(s, sec->database, sec->table)))
            continue;
        strbuf line = {0};
        strbuf_printf(&line, "%s:%d: [%s %s%s%s] ", c->path ? c->path : "config", sec->line,
                      sec->table ? "table" : "database", sec->database, sec->table ? "." : "",
                      sec->table ? sec->table : "");
        const char *near = NULL;
        if (!db) {
            strbuf_puts(&line, "names no database of the catalog");
            near = config_names_nearest(sec->database, s->databases, s->n_databases,
                                        sizeof *s->databases, offsetof(database_stats, name));
            if (near)
                strbuf_printf(&line, "; did you mean %s%s%s?", near, sec->table ? "." : "",
                              sec->table ? sec->table : "");
        } else {
            strbuf_puts(&line, "names no table of the catalog");
            near = config_names_nearest(sec->table, s->tables + db->first_table, db->n_tables,
                                        sizeof *s->tables, offsetof(table_stats, name));
            if (near)
                strbuf_printf(&line, "; did you mean %s.%s?", sec->database, near);
        }
        *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
        (*lines)[(*n)++] = strbuf_take(&line);
    }
    config_names_jobs(c, s, lines, n);
    return true;
}

void config_names_free(char **lines, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

void config_names_warn(const config *c, const lake_snapshot *s, FILE *out) {
    char **lines;
    size_t n;
    config_names_unmatched(c, s, &lines, &n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "laketop: warning: %s\n", lines[i]);
    config_names_free(lines, n);
}
