/* aws_crawlers.c: Glue crawlers: a Crawler object read into a crawler_info
 * (GetCrawler here, GetCrawlers in a refresh), and StartCrawler. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/glue_json.h"
#include "common/xalloc.h"

static char *glue_string_or_null(json_object *o, const char *key) {
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return xstrdup(json_object_get_string(v));
}

/* A Glue Crawler object into a crawler_info (cleared first). */
void aws_crawlers_from_json(json_object *o, crawler_info *c) {
    json_object *v, *targets;
    memset(c, 0, sizeof *c);
    c->tables_created = c->tables_updated = c->tables_deleted = -1;
    c->name = glue_string_or_null(o, "Name");
    c->database = glue_string_or_null(o, "DatabaseName");
    c->state = glue_string_or_null(o, "State");
    json_object *schedule = NULL, *last = NULL;
    json_object_object_get_ex(o, "Schedule", &schedule);
    c->schedule = glue_string_or_null(schedule, "ScheduleExpression");
    json_object_object_get_ex(o, "LastCrawl", &last);
    c->last_status = glue_string_or_null(last, "Status");
    c->last_error = glue_string_or_null(last, "ErrorMessage");
    c->last_start =
        last && json_object_object_get_ex(last, "StartTime", &v) ? glue_json_time(v) : -1;
    if (!json_object_object_get_ex(o, "Targets", &targets))
        return;
    static const struct {
        const char *list, *field, *kind;
    } kinds[] = {{"S3Targets", "Path", NULL},
                 {"JdbcTargets", "Path", "jdbc"},
                 {"DynamoDBTargets", "Path", "dynamodb"},
                 {"CatalogTargets", "DatabaseName", "catalog"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        json_object *arr;
        if (!json_object_object_get_ex(targets, kinds[k].list, &arr) ||
            !json_object_is_type(arr, json_type_array))
            continue;
        for (size_t j = 0; j < json_object_array_length(arr); j++) {
            char *path = glue_string_or_null(json_object_array_get_idx(arr, j), kinds[k].field);
            if (!path)
                continue;
            c->targets = xrealloc(c->targets, (c->n_targets + 1) * sizeof *c->targets);
            if (kinds[k].kind) {
                c->targets[c->n_targets++] = xasprintf("%s:%s", kinds[k].kind, path);
                free(path);
            } else {
                c->targets[c->n_targets++] = path;
            }
        }
    }
}

static bool aws_crawlers_start(lake_source *self, const char *name, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "Name", json_object_new_string(name));
    bool ok = aws_request_glue_one(src, "StartCrawler", in, NULL, error);
    json_object_put(in);
    return ok;
}

static bool aws_crawlers_get(lake_source *self, const char *name, crawler_info *out, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object(), *answer = NULL, *crawler;
    json_object_object_add(in, "Name", json_object_new_string(name));
    bool ok = aws_request_glue_one(src, "GetCrawler", in, &answer, error);
    json_object_put(in);
    if (ok && !json_object_object_get_ex(answer, "Crawler", &crawler)) {
        *error = xstrdup("Glue GetCrawler: the answer has no Crawler");
        ok = false;
    }
    if (ok)
        aws_crawlers_from_json(crawler, out);
    json_object_put(answer);
    return ok;
}

const source_crawlers aws_crawlers = {.start_crawler = aws_crawlers_start,
                                      .get_crawler = aws_crawlers_get};
