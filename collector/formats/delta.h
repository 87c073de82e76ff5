/* delta.h: the Delta Lake transaction log (_delta_log/): commit files
 * (NNNNNNNNNNNNNNNNNNNN.json, one action per line), _last_checkpoint and
 * the per-version .crc, replayed into the live files. Pure: the bytes come
 * from formats.c; a checkpoint's Parquet is read by delta_checkpoint.h. */
#ifndef LAKETOP_DELTA_H
#define LAKETOP_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

typedef struct delta_log delta_log;

delta_log *delta_log_new(void);
void delta_log_free(delta_log *log);

/* One add or remove (from a commit or a checkpoint row). `path` as the log
 * writes it: relative to the table root and percent-encoded, or an
 * absolute URI; it is decoded here. records -1 when the add has no
 * stats.numRecords. An add replaces a live file of the same path; a
 * remove takes it out of the live files. Both mark the path referenced. */
void delta_log_add(delta_log *log, const char *path, int64_t size, int64_t records,
                   int64_t modification_time);
void delta_log_remove(delta_log *log, const char *path);
/* The table's location (its catalog spelling: "s3://bucket/table",
 * "file:///lake/t", "/lake/t"): an absolute path in an add or remove under
 * it (s3a:// and s3n:// taken as s3://, file:/p and file:///p as /p, as
 * Spark writes them) is kept relative to it, like a relative one. Call it
 * before any add. Without it, or for a file elsewhere (a shallow clone's
 * source), an absolute path is kept as written (decoded). */
void delta_log_set_root(delta_log *log, const char *root);

/* Applies one commit file as version `version` (versions must come in
 * order, each one after the last: a gap is an error naming the versions;
 * with no checkpoint before it the first must be 0).
 * add, remove, commitInfo (timestamp, operation), metaData and protocol
 * (minReaderVersion) are read; other actions are skipped. file_mtime is
 * the commit's time when commitInfo has no timestamp. Records one
 * table_commit. False with *error ("00000000000000000003.json line 2: ...")
 * for a line that is not JSON or an action without its required fields;
 * nothing of a refused commit is applied. Within a commit the removes are
 * applied before the adds (a deletion-vector rewrite removes and adds one
 * path); an add's records are numRecords less its deletion vector's
 * cardinality. A cdc action's path (_change_data/) is referenced. */
bool delta_log_apply_commit(delta_log *log, int64_t version, const char *text, size_t length,
                            int64_t file_mtime, char **error);
/* After a checkpoint's rows were given through delta_log_add/remove: the
 * log now stands at `version` (the next commit must be version + 1). */
void delta_log_set_version(delta_log *log, int64_t version, int64_t at);
/* Reads the add, remove (and cdc) paths of a commit file into the
 * referenced set only (a commit older than the replay's start); false with
 * *error "line 2: ..." (the caller names the file). */
bool delta_log_reference_commit(delta_log *log, const char *text, size_t length, char **error);

typedef struct delta_figures {
    int64_t version; /* the newest version applied; -1 none */
    int64_t files;   /* live files */
    int64_t bytes;
    int64_t records;        /* -1 when a live file has no numRecords */
    int64_t last_commit;    /* the newest version's time; -1 */
    int min_reader_version; /* 0 unknown */
    /* The newest metaData's partitionColumns, ", "-joined ("" none); NULL
     * when no commit replayed has a metaData. Owned by the log. */
    const char *partition_columns;
} delta_figures;

void delta_log_figures(const delta_log *log, delta_figures *out);
/* True when `path` (decoded, relative to the table root) is named by an
 * add or remove the log has seen. */
bool delta_log_references(const delta_log *log, const char *path);
/* True when `path` is a live file. */
bool delta_log_is_live(const delta_log *log, const char *path);
/* The commits applied, oldest first (with their totals after each); the
 * caller owns them (table_commits_free). */
table_commit *delta_log_take_commits(delta_log *log, size_t *n);

/* _last_checkpoint: {"version": N, "size": ..., "parts": P}; parts 1 when
 * absent. */
bool delta_last_checkpoint_parse(const char *text, size_t length, int64_t *version, int64_t *parts,
                                 char **error);
/* NNN.crc: tableSizeBytes and numFiles (required), numRecords? (-1). */
bool delta_crc_parse(const char *text, size_t length, int64_t *table_size_bytes, int64_t *num_files,
                     char **error);

/* The version of a log file name ("00000000000000000012.json" -> 12,
 * "...12.checkpoint.parquet" -> 12 with *kind 'p', "...12.crc" -> 'c',
 * "...12.json" -> 'j'); -1 for any other name (multi-part checkpoints
 * "N.checkpoint.K.P.parquet" are 'm'). */
int64_t delta_log_file_version(const char *name, char *kind);

#endif
