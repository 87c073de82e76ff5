/* config_jobs.c: [job NAME] sections (see config_jobs.h). */
#include "app/config_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

const config_job *config_jobs_find(const config_jobs *c, const char *name) {
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->list[i].name, name) == 0)
            return &c->list[i];
    return NULL;
}

/* critical: the names of the critical ones, borrowed from list[]. */
static void config_jobs_index(config_jobs *c) {
    free(c->critical);
    c->critical = NULL;
    c->n_critical = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->list[i].critical)
            continue;
        c->critical = xrealloc(c->critical, (c->n_critical + 1) * sizeof *c->critical);
        c->critical[c->n_critical++] = c->list[i].name;
    }
}

bool config_jobs_set(config_jobs *c, const char *job, int line, const char *name, const char *value,
                     char **error) {
    config_job *j = (config_job *)config_jobs_find(c, job);
    if (!j) {
        c->list = xrealloc(c->list, (c->n + 1) * sizeof *c->list);
        j = &c->list[c->n++];
        memset(j, 0, sizeof *j);
        j->name = xstrdup(job);
        j->line = line;
        config_jobs_index(c); /* list moved: the borrowed names did not */
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

void config_jobs_free(config_jobs *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->list[i].name);
        free(c->list[i].command);
        free(c->list[i].description);
    }
    free(c->list);
    free(c->critical);
    memset(c, 0, sizeof *c);
}
