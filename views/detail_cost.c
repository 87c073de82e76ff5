/* detail_cost.c: the detail view's cost lines (detail_cost.h). */
#include "views/detail_cost.h"

#include <inttypes.h>
#include <stdio.h>

#include "collector/figures/cost.h"
#include "common/fmt.h"

const char *detail_cost_usd(double usd, char *buf, size_t size) {
    if (usd > 0 && usd < 0.00005)
        snprintf(buf, size, "<$0.0001");
    else if (usd >= 0 && usd < 9.995)
        snprintf(buf, size, "$%.4f", usd);
    else
        cost_format_usd(usd, buf, size);
    return buf;
}

/* Incomplete multipart uploads under the location: their parts are
 * billed as storage until aborted (not in the month above). */
static void detail_cost_uploads(detail_lines *l, const lake_snapshot *s, const table_stats *t) {
    if (t->uploads_error) {
        detail_add(l, "Uploads left", ROLE_DIM, "unknown: %s", t->uploads_error);
        return;
    }
    if (t->incomplete_uploads < 0) {
        detail_add(l, "Uploads left", ROLE_DIM, "unknown (not listed)");
        return;
    }
    if (t->incomplete_uploads == 0) {
        detail_add(l, "Uploads left", ROLE_DIM, "none incomplete");
        return;
    }
    char age[32], bytes[32], usd[32];
    fmt_age(s->generated_at - t->oldest_incomplete_upload, age, sizeof age);
    const char *what = fmt_plural(t->incomplete_uploads, "upload", "uploads");
    if (t->incomplete_upload_bytes < 0)
        detail_add(l, "Uploads left", t->uploads_left ? ROLE_STALE_WARN : ROLE_NORMAL,
                   "%lld incomplete %s, oldest %s ago", (long long)t->incomplete_uploads, what,
                   age);
    else
        detail_add(l, "Uploads left", t->uploads_left ? ROLE_STALE_WARN : ROLE_NORMAL,
                   "%lld incomplete %s, %s%s of parts, %s/month, oldest %s ago",
                   (long long)t->incomplete_uploads, what,
                   t->upload_bytes_partial ? "at least " : "",
                   fmt_bytes(t->incomplete_upload_bytes, bytes, sizeof bytes),
                   detail_cost_usd(t->incomplete_upload_cost_month_usd, usd, sizeof usd), age);
}

void detail_cost_lines(detail_lines *l, const lake_snapshot *s, const table_stats *t) {
    char month[32], month_30d[32], queries[32];
    if (t->cost_month_usd < 0) {
        detail_add(l, "Cost", ROLE_DIM, "storage unknown (not listed)");
    } else {
        detail_cost_usd(t->cost_month_usd, month, sizeof month);
        if (t->cost_month_30d_usd >= 0)
            detail_add(l, "Cost", ROLE_NORMAL, "%s/month of storage, %s/month in 30 days", month,
                       detail_cost_usd(t->cost_month_30d_usd, month_30d, sizeof month_30d));
        else
            detail_add(l, "Cost", ROLE_NORMAL, "%s/month of storage", month);
    }
    if (t->query_cost_30d_usd >= 0)
        detail_add(l, "Query cost", ROLE_NORMAL, "%s in 30 days (its share of %lld %s)",
                   detail_cost_usd(t->query_cost_30d_usd, queries, sizeof queries),
                   (long long)t->queries_30d, fmt_plural(t->queries_30d, "query", "queries"));
    else
        detail_add(l, "Query cost", ROLE_DIM, "unknown (no query history)");
    detail_cost_uploads(l, s, t);
    if (!t->has_storage)
        return;
    /* every object under the location, by class: what S3 bills */
    const char *label = "Classes";
    for (int c = 0; c < COST_CLASS_COUNT; c++) {
        if (t->storage.objects[c] <= 0)
            continue;
        char bytes[32], usd[32];
        fmt_bytes(t->storage.bytes[c], bytes, sizeof bytes);
        double class_usd = cost_storage_class_month(&s->prices, &t->storage, (cost_class)c);
        detail_add(l, label, ROLE_NORMAL, "%-19s %9s in %" PRId64 " %s, %s/month",
                   cost_class_s3((cost_class)c), bytes, t->storage.objects[c],
                   fmt_plural(t->storage.objects[c], "object", "objects"),
                   detail_cost_usd(class_usd, usd, sizeof usd));
        label = NULL;
    }
}
