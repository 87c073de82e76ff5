/* detail_provenance.c: a table's provenance in words (see
 * detail_provenance.h). */
#include "views/detail_provenance.h"

#include <stdio.h>

#include "common/fmt.h"

bool detail_provenance_stale(const table_stats *t, int64_t now) {
    return t->provenance == PROVENANCE_INCREMENTAL && t->provenance_verify_every > 0 &&
           t->provenance_verified_at >= 0 &&
           now - t->provenance_verified_at > t->provenance_verify_every;
}

const char *detail_provenance_words(const table_stats *t, int64_t now, char *buf, size_t size) {
    int64_t as_of = t->provenance_as_of >= 0 ? t->provenance_as_of : t->scanned_at;
    char ago[32] = "?", oldest[32] = "?", period[32] = "?";
    if (as_of >= 0)
        fmt_age(now - as_of, ago, sizeof ago);
    if (t->provenance_verified_at >= 0)
        fmt_age(now - t->provenance_verified_at, oldest, sizeof oldest);
    if (t->provenance_verify_every > 0)
        fmt_age(t->provenance_verify_every, period, sizeof period);
    switch (t->provenance) {
    case PROVENANCE_INCREMENTAL:
        if (t->provenance_verify_every > 0)
            snprintf(buf, size,
                     "incremental: new and recent partitions listed %s ago, the rest verified "
                     "within %s (oldest %s ago)",
                     ago, period, oldest);
        else
            snprintf(buf, size,
                     "incremental: new and recent partitions listed %s ago, the rest verified "
                     "%s ago",
                     ago, oldest);
        break;
    case PROVENANCE_INVENTORY:
        if (t->provenance_verified_at >= 0 && as_of > t->provenance_verified_at)
            snprintf(buf, size,
                     "S3 Inventory of %s (taken %s ago), plus newer partitions listed %s ago",
                     t->inventory_date ? t->inventory_date : "?", oldest, ago);
        else if (t->provenance_verified_at >= 0)
            snprintf(buf, size, "S3 Inventory of %s (taken %s ago)",
                     t->inventory_date ? t->inventory_date : "?", oldest);
        else
            snprintf(buf, size, "S3 Inventory of %s", t->inventory_date ? t->inventory_date : "?");
        break;
    case PROVENANCE_METADATA: snprintf(buf, size, "from its metadata, read %s ago", ago); break;
    case PROVENANCE_LISTED:
    default: snprintf(buf, size, "listed %s ago", ago); break;
    }
    return buf;
}
