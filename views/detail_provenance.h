/* detail_provenance.h: where a table's figures come from, in words, for
 * the detail view (issue 15 item 1): "listed 2m ago"; "incremental: new
 * and recent partitions listed 2m ago, the rest verified within 24h
 * (oldest 5h ago)"; "S3 Inventory of 2026-12-01, plus a listing 2m ago";
 * "from its metadata, read 2m ago". Figures older than their verification
 * period are stale: the view dims them. */
#ifndef LAKETOP_DETAIL_PROVENANCE_H
#define LAKETOP_DETAIL_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

/* The words for t's provenance as of `now` into buf (NUL-terminated, cut
 * to size); buf. */
const char *detail_provenance_words(const table_stats *t, int64_t now, char *buf, size_t size);
/* Whether t's figures are older than their verification period (an
 * incremental table whose oldest partition listing is older than
 * verify_every). */
bool detail_provenance_stale(const table_stats *t, int64_t now);

#endif
