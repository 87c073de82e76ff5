/* fuzz_delta_log.c: libFuzzer harness for the Delta log (delta.h). The
 * input is a run of commit files separated by a line "%%%": each is
 * applied as the next version (and read again for references only); the
 * whole input is also read as a _last_checkpoint, a .crc and a log file
 * name. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n%%%\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    char *error = NULL;
    int64_t a = 0, b = 0;
    if (!delta_last_checkpoint_parse(text, size, &a, &b, &error))
        free(error);
    error = NULL;
    if (!delta_crc_parse(text, size, &a, &b, &error))
        free(error);
    char name[128];
    size_t n = size < sizeof name - 1 ? size : sizeof name - 1;
    memcpy(name, text, n);
    name[n] = '\0';
    char kind = 0;
    (void)delta_log_file_version(name, &kind);

    delta_log *log = delta_log_new();
    delta_log *refs = delta_log_new();
    int64_t version = 0;
    size_t start = 0;
    while (start <= size) {
        const char *end = memmem(text + start, size - start, separator, sizeof separator - 1);
        size_t length = end ? (size_t)(end - (text + start)) : size - start;
        error = NULL;
        if (delta_log_apply_commit(log, version, text + start, length, 1700000000, &error))
            version++;
        else
            free(error);
        error = NULL;
        if (!delta_log_reference_commit(refs, text + start, length, &error))
            free(error);
        if (!end)
            break;
        start += length + sizeof separator - 1;
    }
    delta_figures f;
    delta_log_figures(log, &f);
    (void)delta_log_is_live(log, "a");
    (void)delta_log_references(refs, "a");
    size_t n_commits = 0;
    table_commit *commits = delta_log_take_commits(log, &n_commits);
    table_commits_free(commits, n_commits);
    delta_log_free(log);
    delta_log_free(refs);
    return 0;
}
