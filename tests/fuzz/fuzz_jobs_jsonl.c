/* fuzz_jobs_jsonl.c: libFuzzer harness for the local lake's run log
 * (collector/local/local_jobs.c): any bytes parse to whole runs (a job, an
 * id once each, a state; times unknown or not negative); each run written
 * back as a line reads back the same; the stderr tail of the same bytes
 * stays within its limits and holds no control but newline and tab. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/local/local_jobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    local_jobs_log log;
    local_jobs_parse((const char *)data, size, &log);
    static char line[1 << 21];
    for (size_t i = 0; i < log.n; i++) {
        const local_jobs_entry *e = &log.entries[i];
        if (!e->job || !e->run.id || !e->run.state || e->run.started_at < 0)
            abort();
        for (size_t k = i + 1; k < log.n; k++)
            if (strcmp(e->run.id, log.entries[k].run.id) == 0)
                abort();
        size_t n = local_jobs_format_line(line, sizeof line, e->job, &e->run);
        if (n == 0)
            continue; /* larger than any line laketop writes */
        local_jobs_log again;
        local_jobs_parse(line, n, &again);
        if (again.n != 1 || again.broken_lines != 0 || !same(again.entries[0].job, e->job) ||
            !same(again.entries[0].run.id, e->run.id) ||
            !same(again.entries[0].run.state, e->run.state) ||
            !same(again.entries[0].run.error, e->run.error) ||
            again.entries[0].run.started_at != e->run.started_at ||
            again.entries[0].run.ended_at != e->run.ended_at ||
            again.entries[0].run.exit_status != e->run.exit_status)
            abort();
        local_jobs_log_free(&again);
    }
    local_jobs_log_free(&log);
    char tail[LOCAL_JOBS_TAIL_BYTES + 1];
    size_t n = local_jobs_stderr_tail((const char *)data, size, tail, sizeof tail);
    if (n > LOCAL_JOBS_TAIL_BYTES || strlen(tail) != n)
        abort();
    size_t lines = 1;
    for (size_t i = 0; i < n; i++) {
        lines += tail[i] == '\n';
        unsigned char c = (unsigned char)tail[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            abort(); /* no control reaches a terminal */
    }
    if (lines > LOCAL_JOBS_TAIL_LINES)
        abort();
    return 0;
}
