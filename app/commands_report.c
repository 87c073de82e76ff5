/* commands_report.c: the command line's side of an action's report (see
 * commands_report.h). */
#include "app/commands_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/redact.h"

static void commands_report_progress(void *ctx, double fraction, const char *text) {
    commands_report *r = ctx;
    (void)fraction;
    if (!r->tty)
        return;
    fprintf(stderr, "\rlaketop %s: %-30s", r->label, text);
    fflush(stderr);
    r->line_open = true;
}

static void commands_report_note(void *ctx, const char *line) {
    commands_report *r = ctx;
    if (r->line_open)
        fputc('\n', stderr);
    r->line_open = false;
    char *safe = redact_dup(line);
    fprintf(stderr, "laketop %s: %s\n", r->label, safe);
    free(safe);
}

const action_report *commands_report_start(commands_report *r, const char *name,
                                           const char *label) {
    *r = (commands_report){.command = name, .label = label, .tty = isatty(STDERR_FILENO)};
    r->report = (action_report){
        .progress = commands_report_progress, .note = commands_report_note, .ctx = r};
    return &r->report;
}

int commands_report_end(commands_report *r, action_status status, const char *prefix,
                        char *result) {
    if (r->line_open)
        fputc('\n', stderr);
    result = redact_take(result); /* an error may quote a secret */
    if (status == ACTION_RESULT_DONE || status == ACTION_RESULT_FAILED)
        printf("%s%s\n", prefix, result);
    else
        fprintf(stderr, "laketop %s: %s\n", r->command, result);
    free(result);
    return action_exit_status(status);
}
