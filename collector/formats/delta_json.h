/* delta_json.h: private to collector/formats/ (the Delta readers): the JSON
 * helpers the log's files share, strict about what Delta writers write. */
#ifndef LAKETOP_DELTA_JSON_H
#define LAKETOP_DELTA_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* An integer member: 1 and *out when it is one (a whole finite double
 * too), 0 when absent or null, -1 when it is something else. */
int delta_json_int(json_object *obj, const char *key, int64_t *out);
/* A string member, NULL when absent or not a string. */
const char *delta_json_string(json_object *obj, const char *key);
/* An object member, NULL when absent or not an object. */
json_object *delta_json_object(json_object *obj, const char *key);
/* A whole JSON document in text[0, length) (whitespace around it), NULL
 * with *why; `tok` is reused (NULL: one of its own). */
json_object *delta_json_parse(json_tokener *tok, const char *text, size_t length, const char **why);

#endif
