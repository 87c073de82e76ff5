/* fuzz_glue_json.c: libFuzzer harness for the Glue JSON mapping (Table and
 * Database shapes, as in GetTables answers and local catalog files) and
 * for AWS error bodies. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/glue_json.h"
#include "collector/aws/http.h"
#include "collector/aws/http_retry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *code = NULL, *message = NULL;
    http_retry_parse_error((const char *)data, size, &code, &message);
    free(code);
    free(message);
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    json_tokener_free(tok);
    if (!o)
        return 0;
    table_stats t;
    memset(&t, 0, sizeof t);
    char *error = NULL;
    if (glue_json_table(o, "db", &t, &error))
        table_stats_clear(&t);
    else
        free(error);
    database_stats d;
    memset(&d, 0, sizeof d);
    error = NULL;
    if (!glue_json_database(o, &d, &error))
        free(error);
    database_stats_clear(&d);
    json_object_put(o);
    return 0;
}
