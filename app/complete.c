/* complete.c: the names the shell completion offers (see complete.h). */
#include "app/complete.h"

#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_profiles_list.h"
#include "tui/theme.h"

static void complete_profiles(void) {
    char **names = NULL, *error = NULL;
    size_t n = 0;
    if (aws_profiles_list_read(&names, &n, &error))
        for (size_t i = 0; i < n; i++)
            puts(names[i]);
    aws_profiles_list_free(names);
    free(error); /* a broken file: nothing to offer, as with no file */
}

int complete_exec(command_context *a, const char *kind) {
    const config *cfg = &a->cfg;
    if (strcmp(kind, "options") == 0 || strcmp(kind, "argument-options") == 0) {
        options_names(stdout, kind[0] == 'a');
    } else if (strcmp(kind, "profiles") == 0) {
        complete_profiles();
    } else if (strcmp(kind, "crawlers") == 0) {
        for (size_t i = 0; i < cfg->n_crawlers; i++)
            puts(cfg->crawlers[i].name);
    } else if (strcmp(kind, "jobs") == 0) {
        for (size_t i = 0; i < cfg->jobs.n; i++)
            puts(cfg->jobs.list[i].name);
    } else if (strcmp(kind, "rules") == 0) {
        for (size_t i = 0; i < cfg->sync.n_rules; i++)
            puts(cfg->sync.rules[i].name);
    } else if (strcmp(kind, "themes") == 0) {
        char **names = theme_list(a->themes_dir);
        for (size_t i = 0; names[i]; i++)
            puts(names[i]);
        theme_list_free(names);
    } else if (strcmp(kind, "formats") == 0) {
        fputs("json\ncsv\ntable\ntext\nprometheus\n", stdout);
    } else if (strcmp(kind, "views") == 0) {
        fputs("overview\ndatabases\n", stdout);
    } else {
        fprintf(stderr, "laketop complete: \"%s\" is not one of " COMPLETE_KINDS "\n", kind);
        return OPTIONS_EXIT_USAGE;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
