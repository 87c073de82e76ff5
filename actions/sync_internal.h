/* sync_internal.h: what the sync's files share, not for other modules:
 * sync.c (the action), sync_plan.c (what to do), sync_local.c (files of
 * local zones) and sync_s3.c (zones on S3). */
#ifndef LAKETOP_SYNC_INTERNAL_H
#define LAKETOP_SYNC_INTERNAL_H

#include "actions/sync.h"

/* After each object: `done` of `total` objects, to the report. */
void sync_progressed(const action_report *report, size_t done, size_t total);

/* The objects a rule touches in all: its copies, and its deletions when the
 * rule says delete = true. */
size_t sync_total(const sync_rule *rule, const sync_plan *plan);

/* Puts one object in place the way every sync does: `fill` writes it into
 * a partial name beside `to`, then fsync, the source's time, rename. A
 * failure leaves no partial file; *error names `what` (set by fill, or
 * here). */
bool sync_place(const char *to, int64_t mtime, const char *what,
                bool (*fill)(void *ctx, int fd, char **error), void *ctx, char **error);

/* Deletes the partial copies a killed sync left in the local zone `to`
 * under the rule's prefixes. */
bool sync_clear_partials(const zone *to, const sync_rule *rule, char **error);

/* Deletes the plan's extra objects from the local directory `dir` (when
 * the rule says so), counting them in *removed after `copied` copies. */
bool sync_remove_files(const char *dir, const sync_rule *rule, const sync_plan *plan,
                       const action_report *report, size_t copied, size_t *removed, char **error);

/* Carries a plan out between two local zones, two S3 zones, or a local
 * zone and an S3 one; *copied and *removed count what was done. */
bool sync_apply_local(const zone *from, const zone *to, const sync_rule *rule,
                      const sync_plan *plan, const action_report *report, size_t *copied,
                      size_t *removed, char **error);
bool sync_apply_s3(const zone *from, const zone *to, const sync_rule *rule, lake_source *s3,
                   const sync_plan *plan, const action_report *report, size_t *copied,
                   size_t *removed, char **error);
bool sync_apply_mixed(const zone *from, const zone *to, const sync_rule *rule, lake_source *s3,
                      const sync_plan *plan, const action_report *report, size_t *copied,
                      size_t *removed, char **error);

#endif
