/* history.h: the per-table daily history (one sample per table per day),
 * kept in memory by the collector and persisted as a small text file that is
 * always replaced atomically (temp file, fsync, rename).
 *
 * File format, one line per sample, tab-separated, UTF-8:
 *   # laketop history v1
 *   2026-11-21<TAB>database<TAB>table<TAB>bytes<TAB>objects<TAB>newest|-
 * `newest` is Unix seconds or '-' when unknown. Names escape '%', TAB, CR and
 * LF as %25, %09, %0D, %0A. Lines that do not parse are skipped and counted. */
#ifndef LAKETOP_HISTORY_H
#define LAKETOP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

#define HISTORY_HEADER "# laketop history v1"
#define HISTORY_KEEP_DAYS 800

typedef struct history_store history_store;

history_store *history_store_new(void);
void history_store_free(history_store *store);

/* Loads `path` into the store. A missing file is an empty history (returns
 * true). On a file that is not a laketop history, returns false with *error
 * set (caller frees) and the store untouched; lines that do not parse are
 * skipped and counted in *bad_lines (first one's number in *first_bad_line). */
bool history_store_load(history_store *store, const char *path, size_t *bad_lines,
                        size_t *first_bad_line, char **error);
/* Writes the whole store to `path` atomically, creating parent directories. */
bool history_store_save(const history_store *store, const char *path, char **error);

/* Records a sample: replaces the sample of the same day, else inserts in order. */
void history_store_record(history_store *store, const char *database, const char *table,
                          const history_sample *sample);
/* The series of a table, oldest first; NULL (and *n = 0) when unknown. */
const history_sample *history_store_series(const history_store *store, const char *database,
                                           const char *table, size_t *n);
/* Drops samples older than `oldest_day`. */
void history_store_prune(history_store *store, int32_t oldest_day);
size_t history_store_tables(const history_store *store);
/* The names of the i-th table (0 <= i < history_store_tables()). */
void history_store_table_name(const history_store *store, size_t i, const char **database,
                              const char **table);
size_t history_store_samples(const history_store *store);

/* Growth over `days`: last sample's bytes minus the bytes of the newest sample
 * at least `days` days older (or exactly that old). False when the history
 * does not reach back that far. */
bool history_growth(const history_sample *samples, size_t n, int days, int64_t *delta_bytes);

/* Fills out[0..days-1] with the bytes of the days last_day-days+1 ..
 * last_day, carrying a sample forward over days without one; days before
 * the first sample get -1 (missing). */
void history_window(const history_sample *samples, size_t n, int32_t last_day, size_t days,
                    double *out);

/* Escapes a name for the file format; returns a malloc'd string. */
char *history_escape(const char *name);
/* Unescapes in place; false on a malformed escape. */
bool history_unescape(char *name);

#endif
