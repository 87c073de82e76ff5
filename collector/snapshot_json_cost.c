/* snapshot_json_cost.c: the cost figures (cost.h) of a snapshot as JSON,
 * the part of snapshot_json.h's shape that issue 14 added. */
#include "collector/snapshot_json.h"

json_object *snapshot_json_usd(double usd) {
    return usd < 0 ? NULL : json_object_new_double(usd);
}

/* {"STANDARD": bytes, "GLACIER": bytes}: the classes it has objects in,
 * in cost.h's order; null when the storage was not listed. */
static json_object *snapshot_json_classes(const table_stats *t) {
    if (!t->has_storage)
        return NULL;
    json_object *o = json_object_new_object();
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        if (t->storage.objects[c] > 0)
            json_object_object_add(o, cost_class_s3((cost_class)c),
                                   json_object_new_int64(t->storage.bytes[c]));
    return o;
}

void snapshot_json_cost_table(json_object *o, const table_stats *t) {
    json_object_object_add(o, "storage_classes", snapshot_json_classes(t));
    json_object_object_add(o, "cost_month_usd", snapshot_json_usd(t->cost_month_usd));
    json_object_object_add(o, "cost_month_30d_usd", snapshot_json_usd(t->cost_month_30d_usd));
    json_object_object_add(o, "query_cost_30d_usd", snapshot_json_usd(t->query_cost_30d_usd));
    /* incomplete multipart uploads (snapshot.h): null when unknown */
    json_object_object_add(o, "incomplete_uploads", snapshot_json_count(t->incomplete_uploads));
    json_object_object_add(o, "incomplete_upload_bytes",
                           snapshot_json_count(t->incomplete_upload_bytes));
    json_object_object_add(
        o, "incomplete_upload_bytes_partial",
        t->incomplete_upload_bytes >= 0 ? json_object_new_boolean(t->upload_bytes_partial) : NULL);
    json_object_object_add(o, "incomplete_upload_cost_month_usd",
                           snapshot_json_usd(t->incomplete_upload_cost_month_usd));
    json_object_object_add(o, "oldest_incomplete_upload",
                           snapshot_json_time(t->oldest_incomplete_upload));
    json_object_object_add(o, "incomplete_uploads_error", snapshot_json_string(t->uploads_error));
}

void snapshot_json_cost_database(json_object *o, const database_stats *d) {
    bool unread = snapshot_json_database_unread(d);
    json_object_object_add(o, "cost_month_usd",
                           unread ? NULL : snapshot_json_usd(d->cost_month_usd));
    json_object_object_add(o, "cost_month_30d_usd",
                           unread ? NULL : snapshot_json_usd(d->cost_month_30d_usd));
    json_object_object_add(o, "query_cost_30d_usd",
                           unread ? NULL : snapshot_json_usd(d->query_cost_30d_usd));
}

json_object *snapshot_json_cost(const lake_snapshot *s) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "storage_month_usd", snapshot_json_usd(s->storage_month_usd));
    json_object_object_add(o, "queries_30d_usd", snapshot_json_usd(s->queries_30d_usd));
    json_object_object_add(o, "laketop_refresh_day_usd", snapshot_json_usd(s->refresh_day_usd));
    json_object_object_add(o, "s3_list_requests", snapshot_json_count(s->s3_list_requests));
    json_object_object_add(o, "s3_get_requests", snapshot_json_count(s->s3_get_requests));
    json_object_object_add(o, "queries_without_cost",
                           s->has_queries ? json_object_new_int64((int64_t)s->queries_cost_unknown)
                                          : NULL);
    json_object *prices = json_object_new_object(), *gb = json_object_new_object();
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        json_object_object_add(gb, cost_class_key((cost_class)c),
                               json_object_new_double(s->prices.gb_month[c]));
    json_object_object_add(prices, "gb_month", gb);
    json_object_object_add(prices, "athena_per_tb",
                           json_object_new_double(s->prices.athena_per_tb));
    json_object_object_add(prices, "list_per_1000",
                           json_object_new_double(s->prices.list_per_1000));
    json_object_object_add(prices, "get_per_1000", json_object_new_double(s->prices.get_per_1000));
    json_object_object_add(o, "prices", prices);
    return o;
}
