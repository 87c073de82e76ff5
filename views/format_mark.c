/* format_mark.c: the open table format's mark beside a name (format_mark.h). */
#include "views/format_mark.h"

#include <stddef.h>

bool format_mark_listed(const table_stats *t) {
    return t->table_format != TABLE_FORMAT_HIVE && t->origin != FIGURES_METADATA;
}

const char *format_mark(const table_stats *t, bool utf8) {
    bool listed = format_mark_listed(t);
    switch (t->table_format) {
    case TABLE_FORMAT_ICEBERG: return listed ? "ice*" : "ice";
    case TABLE_FORMAT_DELTA:
        if (utf8)
            return listed ? "\xce\x94*" : "\xce\x94"; /* Δ, U+0394 */
        return listed ? "dlt*" : "dlt";
    case TABLE_FORMAT_HUDI:
        if (utf8)
            return listed ? "hudi*" : "hudi";
        return listed ? "hud*" : "hud";
    case TABLE_FORMAT_HIVE: break;
    }
    return NULL;
}

const char *format_mark_name(table_format format) {
    switch (format) {
    case TABLE_FORMAT_ICEBERG: return "Iceberg";
    case TABLE_FORMAT_DELTA: return "Delta Lake";
    case TABLE_FORMAT_HUDI: return "Hudi";
    case TABLE_FORMAT_HIVE: break;
    }
    return "Hive-style";
}
