/* hudi.h: an Apache Hudi table's timeline, from the names of the files in
 * its .hoodie/ directory (no file is read). Live figures for Hudi stay the
 * listing's (formats.c marks the row); the timeline gives the number of
 * completed commits and the newest one's time (the table's last_commit).
 *
 * A timeline instant is "<instant>.<action>[.<state>]" directly in
 * .hoodie/ (Hudi 0.x), or, in .hoodie/timeline/ (Hudi 1.x, given here as
 * "timeline/<name>"), a completed one is "<instant>_<completion>.<action>".
 * Instant times are yyyyMMddHHmmss or yyyyMMddHHmmssSSS, taken as UTC
 * (Hudi's default timeline timezone); Hudi's fixed instants
 * (00000000000000, 00000000000001 and 00000000000002 of a bootstrap) are
 * commits without a time. Completed commits are the actions
 * commit, deltacommit and replacecommit with no state suffix: the
 * ".requested" and ".inflight" variants (and "<instant>.inflight", the
 * inflight of a commit) are not completed. Other actions (clean, rollback,
 * savepoint, compaction, restore, indexing, ...) and other files
 * (hoodie.properties, metadata/, archived/, .aux/, .temp/) are not
 * commits. */
#ifndef LAKETOP_HUDI_H
#define LAKETOP_HUDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads the timeline from `names` (n file names relative to .hoodie/, in
 * any order; NULL entries skipped): *commits the number of completed
 * commits, *last_commit the newest one's time (Unix seconds; for Hudi 1.x
 * its completion time), -1 when there is none. False with *error
 * (".hoodie/2024.commit: the instant time '2024' is not
 * yyyyMMddHHmmss[SSS]") when the name of a completed commit carries a time
 * that is not one; *commits and *last_commit are then untouched. */
bool hudi_timeline_read(const char *const *names, size_t n, int64_t *last_commit, int64_t *commits,
                        char **error);

/* The Unix time of an instant time (14 or 17 digits, UTC; milliseconds
 * cut); false for anything else (a month 13, a February 30, a letter). */
bool hudi_instant_time(const char *instant, size_t length, int64_t *seconds);

#endif
