/* fuzz_iceberg_metadata.c: libFuzzer harness for the Iceberg metadata
 * reader (metadata.json, format versions 1 and 2). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/iceberg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    iceberg_metadata m;
    char *error = NULL;
    if (!iceberg_metadata_parse((const char *)data, size, &m, &error)) {
        if (!error)
            abort(); /* a failure always says why */
        free(error);
        return 0;
    }
    /* touch what the callers read */
    const iceberg_snapshot *current = iceberg_current_snapshot(&m);
    size_t total = strlen(m.location) + strlen(m.partition_spec);
    for (size_t i = 0; i < m.n_snapshots; i++) {
        const iceberg_snapshot *s = &m.snapshots[i];
        if (s->manifest_list)
            total += strlen(s->manifest_list);
        for (size_t k = 0; k < s->n_manifests; k++)
            total += strlen(s->manifests[k]);
        if (s->operation)
            total += strlen(s->operation);
    }
    for (size_t i = 0; i < m.n_columns; i++)
        total += strlen(m.columns[i].name) + strlen(m.columns[i].type);
    if (current && current->id != m.current_snapshot_id)
        abort();
    if (total == (size_t)-1)
        abort();
    iceberg_metadata_clear(&m);
    return 0;
}
