/* fuzz_view_state.c: libFuzzer harness for the state file of the columns
 * chosen with F2 (app/view_state.c): any bytes parse to layouts that are
 * whole (every column once, the Name column first and shown), and what is
 * written from them reads back without a warning and writes the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/view_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    view_layout layouts[VIEW_COUNT], again[VIEW_COUNT];
    strbuf warnings = {0};
    view_state_parse((const char *)data, size, "fuzz", layouts, &warnings);
    strbuf_free(&warnings);
    for (int id = 0; id < VIEW_COUNT; id++) {
        const view_layout *l = &layouts[id];
        bool seen[VIEW_LAYOUT_MAX_COLUMNS] = {0};
        for (size_t i = 0; i < l->n_columns; i++) {
            int c = l->order[i];
            if (c < 0 || (size_t)c >= l->n_columns || seen[c])
                abort();
            seen[c] = true;
        }
        if (l->n_columns && (l->order[0] != 0 || l->hidden[0]))
            abort();
        if (l->has_sort && l->sort_column >= (int)l->n_columns)
            abort();
    }
    strbuf text = {0}, text2 = {0};
    view_state_format(layouts, &text);
    if (view_state_parse(text.data, text.length, "fuzz", again, NULL) != 0)
        abort();
    view_state_format(again, &text2);
    if (text.length != text2.length || memcmp(text.data, text2.data, text.length) != 0)
        abort();
    strbuf_free(&text);
    strbuf_free(&text2);
    return 0;
}
