/* history.h: the per-table daily history (one sample per table per day),
 * kept in memory by the collector and persisted as a small text file that is
 * always replaced atomically (temp file, fsync, rename).
 *
 * File format, one line per sample, tab-separated, UTF-8:
 *   # laketop history v1
 *   2026-11-21<TAB>database<TAB>table<TAB>bytes<TAB>objects<TAB>newest|-
 * `newest` is Unix seconds or '-' when unknown. Names escape '%', TAB, CR and
 * LF as %25, %09, %0D, %0A.
 *
 * A load refuses what it cannot trust: lines that do not parse, and samples
 * dated after the last day it is given (tomorrow: a clock set wrong, a file
 * from elsewhere). Neither reaches a series, so no figure (growth,
 * sparkline, forecast) is ever computed from them; they are counted for the
 * caller to report, and kept as they are, at the top of the file, by the
 * next save (a sample whose day has come is then read again). */
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

/* What a load refused; line numbers are 1-based, 0 when none. */
typedef struct history_refused {
    size_t bad_lines; /* lines that do not parse */
    size_t first_bad_line;
    size_t future_samples; /* samples dated after the last day allowed */
    size_t first_future_line;
    int32_t last_day; /* that day */
} history_refused;

/* Loads `path` into the store, refusing samples dated after `last_day`
 * (INT32_MAX: none). A missing file is an empty history (returns true). On a
 * file that is not a laketop history, returns false with *error set (caller
 * frees) and the store untouched. What was refused goes to *refused. */
bool history_store_load(history_store *store, const char *path, int32_t last_day,
                        history_refused *refused, char **error);
/* The message that reports a load's refusals ("PATH:LINE: ..."), or NULL
 * when it refused nothing; the caller frees it. */
char *history_refused_message(const char *path, const history_refused *refused);
/* Lines refused by loads into this store (kept by its saves). */
size_t history_store_refused_lines(const history_store *store);
/* Writes the whole store to `path` atomically, creating parent directories. */
bool history_store_save(const history_store *store, const char *path, char **error);
/* A part of the store, written the same way: of each table, the samples of
 * the last `days` days before its newest sample, the one before them, and at
 * least its last `samples` samples (days <= 0: all, and the refused lines,
 * as history_store_save); `note` (NULL: none) is a comment line after the
 * header. */
bool history_store_save_part(const history_store *store, const char *path, int days, size_t samples,
                             const char *note, char **error);

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
