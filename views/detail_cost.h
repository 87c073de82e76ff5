/* detail_cost.h: the detail view's cost lines (issue 14): what a month of
 * the table's storage costs and in 30 days, its Athena queries' share,
 * its incomplete multipart uploads (their parts' bytes and dollars), and
 * its storage classes, each with its bytes, objects and dollars. */
#ifndef LAKETOP_DETAIL_COST_H
#define LAKETOP_DETAIL_COST_H

#include "collector/snapshot.h"
#include "views/detail_lines.h"

void detail_cost_lines(detail_lines *l, const lake_snapshot *s, const table_stats *t);

/* Dollars with the cents' fractions a small lake needs: "<$0.0001",
 * "$0.0012", "$4.2000", else as cost_format_usd ("$42.0", "$4.2k"); "-" unknown. */
const char *detail_cost_usd(double usd, char *buf, size_t size);

#endif
