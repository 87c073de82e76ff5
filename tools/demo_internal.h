/* demo_internal.h: what the parts of the demo generator (tools/demo*.c)
 * share: the seeded random numbers, the shape of a planned table and the
 * context every writer goes through. Private to tools/. */
#ifndef LAKETOP_DEMO_INTERNAL_H
#define LAKETOP_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/figures/history.h"
#include "common/strbuf.h"
#include "tools/demo.h"

#define DEMO_KIB 1024

/* ---- demo_rng.c: deterministic random numbers (splitmix64) ---- */

typedef struct demo_rng {
    uint64_t state;
} demo_rng;

uint64_t demo_rng_next(demo_rng *r);
/* Uniform in [lo, hi]; lo when hi <= lo. */
int64_t demo_rng_range(demo_rng *r, int64_t lo, int64_t hi);
/* A generator seeded from the names "a.b" and a salt. */
demo_rng demo_rng_seed(const char *a, const char *b, uint64_t salt);
/* A version 4 UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", into out[37]. */
void demo_rng_uuid(demo_rng *r, char out[37]);

/* ---- a table of the plan (demo_plan.c) ---- */

typedef enum demo_format { DEMO_PARQUET, DEMO_CSV, DEMO_JSON } demo_format;

typedef enum demo_layout {
    DEMO_FLAT,      /* unpartitioned: every day's files in the location */
    DEMO_DT,        /* dt=YYYY-MM-DD */
    DEMO_YEAR_MONTH /* year=YYYY/month=MM */
} demo_layout;

typedef enum demo_growth {
    GROW_STEADY,   /* the same bytes every day */
    GROW_ACCEL,    /* daily bytes grow quadratically from bytes_start to bytes_end */
    GROW_SEASONAL, /* weekdays busier than weekends, some noise */
    GROW_STALLED,  /* like seasonal, but nothing for the last DEMO_STALL_DAYS days */
    GROW_PERIODIC, /* a load every `period` days, the last one `phase` days ago */
    GROW_EMPTY,    /* catalogued, never loaded */
    GROW_TINY,     /* total_files small files of file_min..file_max bytes */
    GROW_FILES,    /* files_per_day[] files of file_min..file_max bytes (benchmark) */
} demo_growth;

enum {
    MARK_SUCCESS = 1,   /* _SUCCESS beside each day's files */
    MARK_FOLDER = 2,    /* dt=..._$folder$ beside each partition directory */
    MARK_CRC = 4,       /* .part-....crc beside each data file */
    MARK_TEMPORARY = 8, /* a _temporary/ directory with an unfinished write */
};

typedef enum demo_kind {
    K_SEQ,      /* 1, 2, 3 ... over the table's life */
    K_INT,      /* lo..hi */
    K_MONEY,    /* lo..hi with cents */
    K_DOUBLE,   /* lo..hi with four decimals */
    K_TS,       /* a time of the file's day, not after the file */
    K_EPOCH_MS, /* the same in epoch milliseconds */
    K_DATE,     /* the file's day minus 0..hi days */
    K_WORD,     /* one of words[] */
    K_HEX,      /* lo hex digits */
    K_EMAIL,
    K_URL, /* /<word>/<number> */
} demo_kind;

typedef struct demo_column {
    const char *name;
    const char *type;
    demo_kind kind;
    int64_t lo, hi;
    const char *const *words;
    size_t n_words;
    const char *comment;
} demo_column;

typedef struct demo_spec {
    const char *database;
    const char *name;
    const char *location; /* relative to the lake, trailing slash */
    const char *description;
    const char *pattern; /* Parameters."laketop.demo.growth" */
    demo_format format;
    demo_layout layout;
    demo_growth growth;
    int64_t bytes_start; /* per day (per load for periodic tables) */
    int64_t bytes_end;
    int period, phase;
    int parts; /* > 1: at least that many files per day, spread over the day */
    int batch_hour;
    unsigned markers;
    const demo_column *columns;
    size_t n_columns;
    int total_files;
    int file_min, file_max;
    const int *files_per_day; /* GROW_FILES, one count per day index */
    /* A schema change: the columns of the table's first catalog version,
     * replaced by `columns` two days ago (kept in catalog/<db>/versions/). */
    const demo_column *old_columns;
    size_t n_old_columns;
} demo_spec;

/* One table being written: its spec, its random numbers (every part draws
 * from them in a fixed order) and its row counter. */
typedef struct demo_table_state {
    const demo_spec *spec;
    demo_rng rng;
    int64_t seq;
} demo_table_state;

/* ---- demo.c: the context and the helpers every part writes through ---- */

typedef struct demo_ctx {
    const char *dir;
    int64_t now;
    int days;
    int32_t first_day;
    int32_t today;
    double scale; /* keeps long histories about as small as 90 days */
    strbuf buf;   /* the file being written; emptied (strbuf_free) before each */
    history_store *history;
    char *error;
    const demo_options *options; /* its progress callback */
    int tables_done, tables_total;
} demo_ctx;

/* Keeps the first error in c->error; returns false. */
bool demo_fail(demo_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The time of second `sod` of `day`; today's seconds are squeezed before now. */
int64_t demo_time(const demo_ctx *c, int32_t day, int64_t sod);
/* Writes a file with modification time `mtime` (replace: it may exist). */
bool demo_write_file(demo_ctx *c, const char *path, const void *data, size_t len, int64_t mtime,
                     bool replace);
bool demo_mkdirs(demo_ctx *c, const char *path);

/* ---- demo_content.c: what data files hold ---- */

/* "PAR1", deterministic bytes, a footer length and "PAR1" again. */
void demo_content_parquet(strbuf *b, demo_rng *rng, size_t size);
/* CSV (with a header) or JSON lines of at least `target` bytes, values of
 * `day`, times not after `file_time`. */
void demo_content_text(strbuf *b, demo_table_state *s, int32_t day, int64_t file_time,
                       int64_t target);

/* ---- demo_files.c: the data files of a table ---- */

/* What a table's files came to, per day index: bytes, objects and the
 * newest modification time (-1: none); the first and last data file's
 * times (-1: no data at all). */
typedef struct demo_files_tally {
    int64_t *bytes;
    int64_t *objects;
    int64_t *newest;
    int64_t first_data;
    int64_t last_data;
} demo_files_tally;

/* Writes the data files (and markers) of s->spec; fills *tally, to be freed
 * with demo_files_tally_free whatever the result. */
bool demo_files_write_table(demo_ctx *c, demo_table_state *s, demo_files_tally *tally);
void demo_files_tally_free(demo_files_tally *tally);
/* storing/sales/orders_old/: files in no catalog entry. */
bool demo_files_write_orders_old(demo_ctx *c);

/* ---- demo_catalog.c: the Glue-shaped catalog ---- */

/* catalog/<db>/<table>.json (and versions/ after a schema change), created
 * shortly before the first data and updated after the last (times drawn
 * from s->rng). */
bool demo_catalog_write_table(demo_ctx *c, demo_table_state *s, const demo_files_tally *tally);
/* catalog/<name>/database.json. */
bool demo_catalog_write_database(demo_ctx *c, const char *name, const char *description,
                                 const char *location);

/* An Iceberg or a Delta table's entry, as Glue has them: Iceberg's with
 * Parameters.table_type ICEBERG and metadata_location (as Iceberg's
 * GlueCatalog writes it), Delta's with spark.sql.sources.provider delta
 * and table_type DELTA (as Glue's crawler for Delta Lake does). Addresses
 * are relative to the lake. */
typedef struct demo_open_table {
    const char *database, *name, *description;
    const char *location; /* no trailing slash */
    const demo_column *columns;
    size_t n_columns;
    const char *metadata_location; /* Iceberg; NULL: a Delta table */
    const char *previous_metadata_location;
    int64_t create_time, update_time;
} demo_open_table;

bool demo_catalog_write_open_table(demo_ctx *c, const demo_open_table *t);

/* ---- demo_iceberg.c, demo_delta.c: the open-format tables ---- */

/* weblogs.events: an Iceberg v2 table (manifests in Avro), its catalog
 * entry and history. */
bool demo_iceberg_write(demo_ctx *c);
/* sales.payments: a Delta table (JSON commits and a .crc), its catalog
 * entry and history. */
bool demo_delta_write(demo_ctx *c);

/* ---- demo_history.c: the saved state under DIR/.laketop ---- */

/* One history sample a day for the table, cumulative. */
void demo_history_record_table(demo_ctx *c, const demo_spec *t, const demo_files_tally *tally);
/* .laketop/queries.jsonl: Athena-shaped query executions. */
bool demo_history_write_queries(demo_ctx *c);
/* .laketop/history.tsv from c->history. */
bool demo_history_save(demo_ctx *c);

/* ---- demo_config.c: DIR/laketop.conf and what its crawler finds ---- */

/* landing/partners/ (two tables no catalog entry knows), users/marketing/
 * and DIR/laketop.conf: a crawler, zones and sync rules. */
bool demo_config_write(demo_ctx *c);

/* ---- demo_jobs.c: the past of laketop.conf's jobs ---- */

/* .laketop/jobs.jsonl: 15 days of daily runs of check_landing (one
 * failure) and load_partners (three, today's among them). */
bool demo_jobs_write(demo_ctx *c);

/* ---- demo_plan.c: the databases and tables of the lake ---- */

/* The databases, then the tables, each with its files, catalog entry and
 * history. */
bool demo_plan_write(demo_ctx *c);
/* The tables demo_plan_write writes (for the progress line). */
int demo_plan_tables(void);
/* Scale mode: n_tables generated tables with about n_files files in all. */
bool demo_plan_write_bench(demo_ctx *c, int n_tables, int n_files);

#endif
