/* writers.c: the job or state machine that writes each table, and the
 * Overview's words for a late table whose writer failed (writers.h). */
#include "collector/figures/writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/pipeline.h"
#include "common/fmt.h"
#include "common/xalloc.h"

void writer_rules_free(writer_rules *w) {
    for (size_t i = 0; i < w->n; i++) {
        free(w->rules[i].database);
        free(w->rules[i].table);
        free(w->rules[i].name);
    }
    free(w->rules);
    w->rules = NULL;
    w->n = 0;
}

static writer_rule *writer_rules_find(const writer_rules *w, const char *database,
                                      const char *table) {
    for (size_t i = 0; i < w->n; i++) {
        writer_rule *r = &w->rules[i];
        if (strcmp(r->database, database) == 0 && (table == NULL) == (r->table == NULL) &&
            (!table || strcmp(r->table, table) == 0))
            return r;
    }
    return NULL;
}

void writer_rules_set(writer_rules *w, const char *database, const char *table, pipeline_kind kind,
                      const char *name) {
    writer_rule *r = writer_rules_find(w, database, table);
    if (!r) {
        w->rules = xrealloc(w->rules, (w->n + 1) * sizeof *w->rules);
        r = &w->rules[w->n++];
        r->database = xstrdup(database);
        r->table = table ? xstrdup(table) : NULL;
        r->name = NULL;
    }
    free(r->name);
    r->name = xstrdup(name);
    r->kind = kind == PIPELINE_STATES ? PIPELINE_STATES : PIPELINE_LOCAL;
}

const writer_rule *writer_rules_lookup(const writer_rules *w, const char *database,
                                       const char *table) {
    if (!w || !database)
        return NULL;
    const writer_rule *r = table ? writer_rules_find(w, database, table) : NULL;
    return r ? r : writer_rules_find(w, database, NULL);
}

void writers_apply(const writer_rules *w, table_stats *t) {
    const writer_rule *r = writer_rules_lookup(w, t->database, t->name);
    free(t->writer);
    t->writer = r ? xstrdup(r->name) : NULL;
    t->writer_kind = r ? r->kind : PIPELINE_LOCAL;
}

const pipeline_job *writers_job(const lake_snapshot *s, const table_stats *t) {
    if (!s || !t->writer)
        return NULL;
    return snapshot_find_job(s, t->writer_kind, t->writer);
}

const char *writers_kind_name(pipeline_kind kind) {
    return kind == PIPELINE_STATES ? "state_machine" : "job";
}

char *writers_one_line(const char *error, char *out, size_t size) {
    if (!size)
        return out;
    size_t limit = size - 1 < WRITERS_MESSAGE_MAX ? size - 1 : WRITERS_MESSAGE_MAX;
    size_t n = 0;
    bool cut = false;
    for (const char *p = error ? error : ""; *p; p++) {
        char c = *p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p;
        if (c == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        if (n >= limit) {
            cut = true;
            break;
        }
        out[n++] = c;
    }
    while (n && out[n - 1] == ' ')
        n--;
    if (cut) {
        /* room for the ellipsis (3 bytes), then back to a character's start */
        while (n + 3 > limit && n)
            n--;
        while (n && ((unsigned char)out[n] & 0xC0) == 0x80)
            n--;
        while (n && out[n - 1] == ' ')
            n--;
        if (n + 3 <= limit) {
            memcpy(out + n, "\xe2\x80\xa6", 3);
            n += 3;
        }
    }
    out[n] = '\0';
    return out;
}

bool writers_job_problem(const pipeline_job *job, int64_t now, bool running, char *out,
                         size_t size) {
    if (size)
        out[0] = '\0';
    const pipeline_run *run = job ? pipeline_newest(job) : NULL;
    if (!run)
        return false;
    char age[32];
    pipeline_outcome outcome = pipeline_state_outcome(run->state);
    if (pipeline_run_failed(run)) {
        int64_t at = run->ended_at >= 0 ? run->ended_at : run->started_at;
        if (at >= 0)
            fmt_age(now > at ? now - at : 0, age, sizeof age);
        char message[WRITERS_MESSAGE_MAX + 1];
        writers_one_line(run->error, message, sizeof message);
        snprintf(out, size, "%s%s%s%s%s", run->state, at >= 0 ? " " : "", at >= 0 ? age : "",
                 at >= 0 ? " ago" : "", message[0] ? ": " : "");
        size_t used = strlen(out);
        if (message[0] && used < size)
            snprintf(out + used, size - used, "%s", message);
        return true;
    }
    if (pipeline_run_waiting_long(run, now) || (running && outcome == PIPELINE_RUNNING)) {
        if (run->started_at >= 0) {
            fmt_age(now > run->started_at ? now - run->started_at : 0, age, sizeof age);
            snprintf(out, size, "%s for %s", run->state, age);
        } else {
            snprintf(out, size, "%s", run->state);
        }
        return true;
    }
    return false;
}

bool writers_describe(const table_stats *t, const pipeline_job *writer, int64_t now, char *out,
                      size_t size) {
    const char *kind = t->writer_kind == PIPELINE_STATES ? "state machine" : "job";
    const pipeline_run *run = writer ? pipeline_newest(writer) : NULL;
    char state[WRITERS_MESSAGE_MAX + 96];
    if (!writer) {
        snprintf(out, size, "%s %s: not among the lake's %s", kind, t->writer ? t->writer : "-",
                 t->writer_kind == PIPELINE_STATES ? "state machines" : "jobs");
        return false;
    }
    if (!run) {
        snprintf(out, size, "%s %s: never ran", kind, writer->name);
        return false;
    }
    if (!writers_job_problem(writer, now, true, state, sizeof state)) {
        int64_t at = run->ended_at >= 0 ? run->ended_at : run->started_at;
        char age[32];
        if (at >= 0)
            snprintf(state, sizeof state, "%s %s ago", run->state ? run->state : "-",
                     fmt_age(now > at ? now - at : 0, age, sizeof age));
        else
            snprintf(state, sizeof state, "%s", run->state ? run->state : "-");
    }
    snprintf(out, size, "%s %s: %s", kind, writer->name, state);
    return pipeline_run_failed(run);
}

bool writers_late_text(const table_stats *t, const pipeline_job *writer, int64_t now, bool prefix,
                       char *out, size_t size) {
    if (size)
        out[0] = '\0';
    bool stale = t->stale == STALE_WARN || t->stale == STALE_CRIT;
    if (!t->writer || !writer || (!stale && !t->late))
        return false;
    char problem[WRITERS_MESSAGE_MAX + 96];
    if (!writers_job_problem(writer, now, true, problem, sizeof problem))
        return false;
    snprintf(out, size, "%s%s%s %s %s", prefix ? (stale ? "stale" : "late") : "",
             prefix ? ": " : "", "writer", t->writer, problem);
    return true;
}
