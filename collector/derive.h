/* derive.h: the derived figures of a snapshot (see snapshot.h's "Derived"
 * fields), computed once by the collector before it publishes. */
#ifndef LAKETOP_DERIVE_H
#define LAKETOP_DERIVE_H

#include "collector/snapshot.h"

/* Sorts the snapshot (snapshot_sort) and fills its derived fields:
 * staleness, growth, insights (with snapshot->insights), forecasts, quotas
 * and the database totals. Needs generated_at, the tables' thresholds,
 * quotas and history. */
void derive_snapshot(lake_snapshot *snapshot);

#endif
