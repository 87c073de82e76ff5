/* fuzz_queries.c: libFuzzer harness for the query history's executions
 * (queries.h: Athena's QueryExecution shape, from BatchGetQueryExecution
 * or the local lake's queries.jsonl): the SQL's tables, the window and the
 * billed bytes (Statistics.DataScannedInBytes, Status.State) split over
 * two tables of a small snapshot. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/figures/queries.h"
#include "common/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    json_tokener_free(tok);
    if (!o)
        return 0;
    lake_snapshot *s = snapshot_new("fuzz");
    s->tables = xcalloc(2, sizeof *s->tables);
    s->n_tables = 2;
    s->tables[0].database = xstrdup("sales");
    s->tables[0].name = xstrdup("orders");
    s->tables[1].database = xstrdup("sales");
    s->tables[1].name = xstrdup("customers");
    query_tally q;
    queries_begin(&q, s, 1767225600);
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            queries_add(&q, json_object_array_get_idx(o, i));
    } else if (json_object_is_type(o, json_type_object)) {
        queries_add(&q, o);
    }
    queries_end(&q);
    json_object_put(o);
    snapshot_release(s);
    return 0;
}
