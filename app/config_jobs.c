/* config_jobs.c: [job NAME] sections (see config_jobs.h). */
#include "app/config_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

const struct config_job *config_jobs_find(const config *c, const char *name) {
    for (size_t i = 0; i < c->n_jobs; i++)
        if (strcmp(c->jobs[i].name, name) == 0)
            return &c->jobs[i];
    return NULL;
}

/* critical_jobs: the names of the critical ones, borrowed from jobs[]. */
static void config_jobs_index(config *c) {
    free(c->critical_jobs);
    c->critical_jobs = NULL;
    c->n_critical_jobs = 0;
    for (size_t i = 0; i < c->n_jobs; i++) {
        if (!c->jobs[i].critical)
            continue;
        c->critical_jobs =
            xrealloc(c->critical_jobs, (c->n_critical_jobs + 1) * sizeof *c->critical_jobs);
        c->critical_jobs[c->n_critical_jobs++] = c->jobs[i].name;
    }
}

bool config_jobs_set(config *c, const char *job, const char *name, const char *value,
                     char **error) {
    struct config_job *j = (struct config_job *)config_jobs_find(c, job);
    if (!j) {
        c->jobs = xrealloc(c->jobs, (c->n_jobs + 1) * sizeof *c->jobs);
        j = &c->jobs[c->n_jobs++];
        memset(j, 0, sizeof *j);
        j->name = xstrdup(job);
    }
    if (strcmp(name, "command") == 0 || strcmp(name, "description") == 0) {
        char **slot = name[0] == 'c' ? &j->command : &j->description;
        if (name[0] == 'c' && !value[0]) {
            *error = xasprintf("command: empty (a shell command, run with /bin/sh -c in the "
                               "lake directory; or remove the line)");
            return false;
        }
        free(*slot);
        *slot = xstrdup(value);
        return true;
    }
    if (strcmp(name, "severity") == 0) {
        if (strcmp(value, "warning") != 0 && strcmp(value, "critical") != 0) {
            *error = xasprintf("severity: \"%s\" is not warning or critical", value);
            return false;
        }
        j->critical = value[0] == 'c';
        config_jobs_index(c);
        return true;
    }
    *error =
        xasprintf("unknown key \"%s\" in [job %s] (command, severity, description)", name, job);
    return false;
}

void config_jobs_free(config *c) {
    for (size_t i = 0; i < c->n_jobs; i++) {
        free(c->jobs[i].name);
        free(c->jobs[i].command);
        free(c->jobs[i].description);
    }
    free(c->jobs);
    free(c->critical_jobs);
    c->jobs = NULL;
    c->critical_jobs = NULL;
    c->n_jobs = c->n_critical_jobs = 0;
}
