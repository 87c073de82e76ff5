/* fuzz_delta_log.c: libFuzzer harness for the Delta log (delta.h). The
 * input is a run of commit files separated by a line "%%%": each is
 * applied as the next version (and read again for references only); the
 * whole input is also read as a _last_checkpoint, a .crc and a log file
 * name, and its lines as the names in a Hudi table's .hoodie/ (hudi.h).
 * Absolute paths are made relative to a root. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta.h"
#include "collector/formats/hudi.h"

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

    /* Hudi: the lines as file names */
    char *copy = malloc(size + 1);
    memcpy(copy, text, size);
    copy[size] = '\0';
    char *names[64];
    size_t n_names = 0;
    for (char *line = copy; line && n_names < 64;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        names[n_names++] = line;
        line = nl ? nl + 1 : NULL;
    }
    int64_t last = 0, commits_n = 0;
    error = NULL;
    if (!hudi_timeline_read((const char *const *)names, n_names, &last, &commits_n, &error))
        free(error);
    free(copy);

    delta_log *log = delta_log_new();
    delta_log_set_root(log, "s3://lake/t");
    delta_log *refs = delta_log_new();
    delta_log_set_root(refs, "file:///lake/t/");
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
