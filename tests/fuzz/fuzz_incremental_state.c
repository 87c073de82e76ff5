/* fuzz_incremental_state.c: libFuzzer harness for the incremental
 * listings' state file (collector/figures/incremental.c): any bytes parse
 * or are refused with an error and nothing kept; what parses has its
 * directories in order and findable, and its text reads back to the same
 * text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/incremental.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    incremental_state s, again;
    char *error = NULL;
    if (!incremental_state_parse((const char *)data, size, &s, &error)) {
        if (!error || s.n_tables)
            abort();
        free(error);
        return 0;
    }
    for (size_t i = 0; i < s.n_tables; i++) {
        const incremental_table *t = &s.tables[i];
        for (size_t j = 0; j < t->n_dirs; j++) {
            if (j && strcmp(t->dirs[j - 1].name, t->dirs[j].name) >= 0)
                abort();
            if (incremental_table_dir(t, t->dirs[j].name) != &t->dirs[j])
                abort();
        }
    }
    char *text = incremental_state_format(&s);
    if (!incremental_state_parse(text, strlen(text), &again, &error))
        abort();
    char *text2 = incremental_state_format(&again);
    if (strcmp(text, text2) != 0)
        abort();
    free(text);
    free(text2);
    incremental_state_free(&s);
    incremental_state_free(&again);
    return 0;
}
