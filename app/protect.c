/* protect.c: protected accounts on the command line (see protect.h). */
#include "app/protect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_source.h"
#include "collector/storage.h"
#include "common/redact.h"
#include "common/xalloc.h"

snapshot_identity *protect_identity(command_context *a) {
    char *error = NULL;
    lake_source *made = NULL, *source = a->cfg.aws ? a->source : NULL;
    if (!source)
        source = made = options_make_s3_source(a, &error);
    snapshot_identity *id = source ? aws_source_identity(source, &error) : NULL;
    lake_source_free(made);
    if (!id) {
        id = xcalloc(1, sizeof *id);
        id->error = redact_take(error ? error : xstrdup("no AWS credentials"));
        error = NULL;
    }
    free(error);
    return id;
}

/* A line typed on the terminal (stdin), its newline dropped; NULL at EOF. */
static char *protect_read_line(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

/* Whether command `name`, which changes something (its mutates_what
 * said so), changes it in the AWS account: a crawl or a restore of an
 * account; a sync to an s3:// zone; a backup or an export changes
 * something only on S3. */
static bool protect_touches_aws(const command_context *a, const char *name, const char *arg) {
    if (strcmp(name, "sync") == 0) {
        const sync_rule *rule = arg ? zones_find_rule(&a->cfg.sync, arg) : NULL;
        const zone *to = rule ? zones_find(&a->cfg.sync, rule->to) : NULL;
        return !to || !to->uri || storage_is_s3(to->uri);
    }
    return strcmp(name, "backup") == 0 || strcmp(name, "export") == 0 || a->cfg.aws;
}

int protect_confirm(command_context *a, const char *name, const char *arg) {
    const char *given = a->flags->confirm_account;
    if ((!a->cfg.n_protected_accounts && !given) || !protect_touches_aws(a, name, arg))
        return -1;
    snapshot_identity *id = protect_identity(a);
    int status = -1;
    if (!id->account) {
        fprintf(stderr,
                "laketop %s: cannot tell which AWS account this would change (%s); %s, so "
                "nothing is done\n",
                name, id->error ? id->error : "no identity",
                given ? "--confirm-account cannot be checked" : "protected_accounts is set");
        status = OPTIONS_EXIT_USAGE;
    } else if (given) {
        if (strcmp(given, id->account) != 0) {
            fprintf(stderr,
                    "laketop %s: --confirm-account %s, but the credentials (profile %s) are "
                    "of account %s: nothing done\n",
                    name, given, id->profile ? id->profile : "?", id->account);
            status = OPTIONS_EXIT_USAGE;
        }
    } else if (config_account_protected(&a->cfg, id->account)) {
        if (!isatty(STDIN_FILENO)) {
            fprintf(stderr,
                    "laketop %s: account %s is protected (protected_accounts): type its id on "
                    "a terminal, or pass --confirm-account %s; nothing done\n",
                    name, id->account, id->account);
            status = OPTIONS_EXIT_USAGE;
        } else {
            fprintf(stderr, "laketop %s: account %s%s%s is protected: type its id to go on: ", name,
                    id->account, id->name ? " " : "", id->name ? id->name : "");
            fflush(stderr);
            char *typed = protect_read_line();
            if (!typed || strcmp(typed, id->account) != 0) {
                fprintf(stderr, "laketop %s: the id typed is not %s: nothing done\n", name,
                        id->account);
                status = OPTIONS_EXIT_USAGE;
            }
            free(typed);
        }
    }
    snapshot_identity_free(id);
    return status;
}
