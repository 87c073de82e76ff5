/* fuzz_inventory_gzip.c: libFuzzer harness for the streamed aggregation of
 * S3 Inventory data files: the input is gzip data (CSV rows of Bucket, Key,
 * Size, LastModifiedDate, StorageClass), fed in pieces whose sizes the
 * first byte chooses, into tables with nested and sibling locations and
 * partition depths, then merged twice into a total. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/inventory/inventory_agg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!size)
        return 0;
    size_t piece = (size_t)data[0] % 64 + 1;
    data++;
    size--;
    inventory_columns cols;
    char *error = NULL;
    if (!inventory_columns_parse("Bucket, Key, Size, LastModifiedDate, StorageClass", &cols,
                                 &error))
        abort();
    inventory_agg *a = inventory_agg_new(&cols);
    inventory_agg_add_table(a, "lake", "tbl/");
    inventory_agg_add_table(a, "lake", "tbl/nested/");
    inventory_agg_add_table(a, "lake", "tbl_old/");
    inventory_agg_add_table(a, "lake", "");
    inventory_agg_set_partition_depth(a, 0, 2);
    inventory_agg_set_partition_depth(a, 3, 1);
    bool ok = true;
    for (size_t at = 0; ok && at < size; at += piece)
        ok = inventory_agg_feed(a, data + at, size - at < piece ? size - at : piece, &error);
    if (ok)
        ok = inventory_agg_end_file(a, &error);
    if (!ok)
        free(error);
    /* merged into another made the same way: the report's total */
    inventory_agg *total = inventory_agg_new(&cols);
    inventory_agg_add_table(total, "lake", "tbl/");
    inventory_agg_add_table(total, "lake", "tbl/nested/");
    inventory_agg_add_table(total, "lake", "tbl_old/");
    inventory_agg_add_table(total, "lake", "");
    inventory_agg_merge(total, a);
    inventory_agg_merge(total, a);
    for (size_t i = 0; i < 4; i++)
        if (inventory_agg_figures(total, i)->partitions != inventory_agg_figures(a, i)->partitions)
            abort(); /* a partition seen twice counts once */
    inventory_agg_free(total);
    inventory_agg_free(a);
    return 0;
}
