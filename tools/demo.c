/* demo.c: writes the deterministic demo lake of `laketop demo` (zones, a
 * Glue-shaped catalog, seeded daily history) and the benchmark's large lake. */
#include "tools/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "collector/figures/history.h"

#define DEMO_DEFAULT_DAYS 90
#define DEMO_KIB 1024
#define DEMO_STALL_DAYS 20
#define DEMO_BENCH_TABLES_PER_DB 50
#define DEMO_PARQUET_PART (128 * DEMO_KIB) /* split a day into files of about this */
#define DEMO_TEXT_PART (192 * DEMO_KIB)
#define DEMO_TODAY_WINDOW (2 * 3600) /* today's files land in the last 2 hours */

/* ---- deterministic random numbers (splitmix64) ---- */

typedef struct demo_rng {
    uint64_t state;
} demo_rng;

static uint64_t demo_next(demo_rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t demo_range(demo_rng *r, int64_t lo, int64_t hi) {
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(demo_next(r) % (uint64_t)(hi - lo + 1));
}

static demo_rng demo_seed(const char *a, const char *b, uint64_t salt) {
    uint64_t h = 1469598103934665603ULL ^ salt;
    for (const char *p = a; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ '.') * 1099511628211ULL;
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    demo_rng r = {h};
    demo_next(&r);
    return r;
}

/* ---- a growable byte buffer ---- */

typedef struct demo_buf {
    char *data;
    size_t len;
    size_t cap;
} demo_buf;

static void demo_buf_reserve(demo_buf *b, size_t extra) {
    if (b->len + extra + 1 > b->cap)
        b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

static void demo_buf_add(demo_buf *b, const char *s, size_t n) {
    demo_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void demo_buf_str(demo_buf *b, const char *s) {
    demo_buf_add(b, s, strlen(s));
}

static void demo_buf_printf(demo_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void demo_buf_printf(demo_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (!b->data || b->len + (size_t)n + 1 > b->cap) {
        demo_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* ---- the tables ---- */

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

#define DEMO_WORDS(a) a, sizeof a / sizeof a[0]
#define DEMO_COLUMNS(a) .columns = a, .n_columns = sizeof a / sizeof a[0]

static const char *const first_names[] = {
    "Ava",   "Liam",  "Noah",  "Emma", "Olivia", "Lucas", "Mia", "Ethan", "Sofia", "Mateo",
    "Amara", "Kenji", "Priya", "Lars", "Chloe",  "Omar",  "Zoe", "Ivan",  "Leila", "Hugo"};
static const char *const last_names[] = {
    "Smith", "Garcia",   "Chen",   "Patel",  "Johnson", "Kim",    "Rossi", "Dubois", "Nguyen",
    "Silva", "Kowalski", "Haddad", "Okafor", "Larsen",  "Tanaka", "Brown", "Martin", "Lopez"};
static const char *const cities[] = {
    "Portland", "Austin",  "Denver", "Boston", "Seattle", "Chicago", "Atlanta", "Phoenix",
    "Madison",  "Raleigh", "Tucson", "Omaha",  "Detroit", "Fresno",  "Tampa",   "Reno"};
static const char *const states[] = {"OR", "TX", "CO", "MA", "WA", "IL", "GA", "AZ",
                                     "WI", "NC", "NE", "CA", "NY", "FL", "MI", "NV"};
static const char *const counties[] = {"King",   "Cook", "Harris", "Maricopa", "Travis",
                                       "Dane",   "Wake", "Fulton", "Suffolk",  "Denver",
                                       "Orange", "Pima", "Wayne",  "Washoe",   "Douglas"};
static const char *const order_statuses[] = {"placed",    "paid",     "shipped",
                                             "delivered", "returned", "cancelled"};
static const char *const currencies[] = {"USD", "USD", "USD", "EUR", "GBP", "CAD"};
static const char *const channels[] = {"web", "mobile", "store", "partner"};
static const char *const event_types[] = {"login",       "logout",   "view", "search",
                                          "add_to_cart", "checkout", "share"};
static const char *const pages[] = {"home",    "search", "products", "cart", "checkout",
                                    "account", "help",   "blog",     "deals"};
static const char *const devices[] = {"desktop", "ios", "android", "tablet"};
static const char *const countries[] = {"US", "DE", "FR", "GB", "BR", "IN", "JP", "CA", "MX", "ES"};
static const char *const click_events[] = {"click", "scroll", "hover", "focus", "submit"};
static const char *const referrers[] = {"google.com", "bing.com",      "direct",
                                        "newsletter", "x.com",         "facebook.com",
                                        "reddit.com", "duckduckgo.com"};
static const char *const levels[] = {"free", "paid"};
static const char *const genders[] = {"F", "M"};
static const char *const log_pages[] = {"NextSong", "NextSong", "NextSong", "Home",
                                        "Login",    "Logout",   "Settings", "Upgrade"};
static const char *const song_titles[] = {
    "Midnight Drive", "Paper Moons", "Golden Hour",     "Static Love", "River of Glass",
    "Neon Rain",      "Slow Burn",   "Northern Lights", "Echo Park",   "Salt and Smoke",
    "Glass Houses",   "Wildfire",    "Late Trains",     "Blue Hour",   "Satellite Heart"};
static const char *const artist_names[] = {
    "Velvet Static", "Nova Kane",   "The Quiet Hours", "Los Pajaros",     "Kiko Mori",
    "Amber Fields",  "Juno Park",   "Paper Lanterns",  "DJ Ferro",        "Marla and the Tides",
    "Tin Orchard",   "Sable Coast", "Ozzie Blum",      "The Long Weekend"};
static const char *const product_categories[] = {"books",   "garden",      "kitchen", "toys",
                                                 "outdoor", "electronics", "apparel"};
static const char *const segments[] = {"champions", "loyal", "at_risk", "new", "hibernating"};
static const char *const bench_kinds[] = {"alpha", "beta", "gamma", "delta", "epsilon"};

static const demo_column orders_columns[] = {
    {"order_id", "bigint", K_SEQ, 0, 0, NULL, 0, "primary key"},
    {"customer_id", "bigint", K_INT, 1, 48000, NULL, 0, "sales.customers.customer_id"},
    {"order_ts", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"status", "string", K_WORD, 0, 0, DEMO_WORDS(order_statuses), NULL},
    {"total_amount", "decimal(10,2)", K_MONEY, 3, 900, NULL, 0, NULL},
    {"currency", "string", K_WORD, 0, 0, DEMO_WORDS(currencies), "ISO 4217"},
    {"channel", "string", K_WORD, 0, 0, DEMO_WORDS(channels), NULL},
};
static const demo_column order_items_columns[] = {
    {"order_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"line_no", "int", K_INT, 1, 8, NULL, 0, NULL},
    {"product_id", "bigint", K_INT, 1, 2400, NULL, 0, NULL},
    {"quantity", "int", K_INT, 1, 6, NULL, 0, NULL},
    {"unit_price", "decimal(10,2)", K_MONEY, 1, 250, NULL, 0, NULL},
    {"discount", "decimal(4,2)", K_MONEY, 0, 0, NULL, 0, NULL},
};
static const demo_column customers_columns[] = {
    {"customer_id", "bigint", K_SEQ, 0, 0, NULL, 0, "primary key"},
    {"first_name", "string", K_WORD, 0, 0, DEMO_WORDS(first_names), NULL},
    {"last_name", "string", K_WORD, 0, 0, DEMO_WORDS(last_names), NULL},
    {"email", "string", K_EMAIL, 0, 0, NULL, 0, "PII"},
    {"city", "string", K_WORD, 0, 0, DEMO_WORDS(cities), NULL},
    {"state", "string", K_WORD, 0, 0, DEMO_WORDS(states), NULL},
    {"signup_date", "date", K_DATE, 0, 900, NULL, 0, NULL},
};
/* customers before the change: no state yet, a phone, signup_date as text */
static const demo_column customers_v1_columns[] = {
    {"customer_id", "bigint", K_SEQ, 0, 0, NULL, 0, "primary key"},
    {"first_name", "string", K_WORD, 0, 0, DEMO_WORDS(first_names), NULL},
    {"last_name", "string", K_WORD, 0, 0, DEMO_WORDS(last_names), NULL},
    {"email", "string", K_EMAIL, 0, 0, NULL, 0, "PII"},
    {"phone", "string", K_WORD, 0, 0, NULL, 0, "PII"},
    {"city", "string", K_WORD, 0, 0, DEMO_WORDS(cities), NULL},
    {"signup_date", "string", K_DATE, 0, 900, NULL, 0, NULL},
};
static const demo_column products_columns[] = {
    {"product_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"sku", "string", K_HEX, 10, 0, NULL, 0, NULL},
    {"category", "string", K_WORD, 0, 0, DEMO_WORDS(product_categories), NULL},
    {"list_price", "decimal(10,2)", K_MONEY, 2, 400, NULL, 0, NULL},
    {"active", "boolean", K_INT, 0, 1, NULL, 0, NULL},
};
static const demo_column user_activity_columns[] = {
    {"user_id", "bigint", K_INT, 1, 250000, NULL, 0, NULL},
    {"event_time", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"event_type", "string", K_WORD, 0, 0, DEMO_WORDS(event_types), NULL},
    {"page", "string", K_URL, 0, 0, DEMO_WORDS(pages), NULL},
    {"device", "string", K_WORD, 0, 0, DEMO_WORDS(devices), NULL},
    {"country", "string", K_WORD, 0, 0, DEMO_WORDS(countries), NULL},
    {"duration_ms", "int", K_INT, 20, 90000, NULL, 0, NULL},
};
static const demo_column page_views_columns[] = {
    {"view_id", "string", K_HEX, 16, 0, NULL, 0, NULL},
    {"user_id", "bigint", K_INT, 1, 250000, NULL, 0, NULL},
    {"url", "string", K_URL, 0, 0, DEMO_WORDS(pages), NULL},
    {"referrer", "string", K_WORD, 0, 0, DEMO_WORDS(referrers), NULL},
    {"view_time", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"load_ms", "int", K_INT, 80, 4000, NULL, 0, NULL},
};
static const demo_column sessions_columns[] = {
    {"session_id", "string", K_HEX, 12, 0, NULL, 0, NULL},
    {"user_id", "bigint", K_INT, 1, 250000, NULL, 0, NULL},
    {"started_at", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"pages", "int", K_INT, 1, 40, NULL, 0, NULL},
    {"device", "string", K_WORD, 0, 0, DEMO_WORDS(devices), NULL},
    {"country", "string", K_WORD, 0, 0, DEMO_WORDS(countries), NULL},
};
static const demo_column clickstream_columns[] = {
    {"ts", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"sid", "string", K_HEX, 8, 0, NULL, 0, NULL},
    {"ev", "string", K_WORD, 0, 0, DEMO_WORDS(click_events), NULL},
    {"path", "string", K_URL, 0, 0, DEMO_WORDS(pages), NULL},
    {"x", "int", K_INT, 0, 1920, NULL, 0, NULL},
    {"y", "int", K_INT, 0, 1080, NULL, 0, NULL},
};
static const demo_column ad_impressions_columns[] = {
    {"impression_id", "string", K_HEX, 16, 0, NULL, 0, NULL},
    {"campaign_id", "bigint", K_INT, 1, 300, NULL, 0, NULL},
    {"user_id", "bigint", K_INT, 1, 250000, NULL, 0, NULL},
    {"shown_at", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"cost", "decimal(8,4)", K_DOUBLE, 0, 2, NULL, 0, "USD"},
};
static const demo_column zip_codes_columns[] = {
    {"zip", "string", K_INT, 10000, 99999, NULL, 0, NULL},
    {"city", "string", K_WORD, 0, 0, DEMO_WORDS(cities), NULL},
    {"state", "string", K_WORD, 0, 0, DEMO_WORDS(states), NULL},
    {"latitude", "double", K_DOUBLE, 25, 49, NULL, 0, NULL},
    {"longitude", "double", K_DOUBLE, -124, -67, NULL, 0, NULL},
    {"population", "int", K_INT, 200, 110000, NULL, 0, NULL},
};
static const demo_column population_columns[] = {
    {"state", "string", K_WORD, 0, 0, DEMO_WORDS(states), NULL},
    {"county", "string", K_WORD, 0, 0, DEMO_WORDS(counties), NULL},
    {"year", "int", K_INT, 2010, 2025, NULL, 0, NULL},
    {"population", "bigint", K_INT, 5000, 5000000, NULL, 0, NULL},
    {"median_age", "double", K_DOUBLE, 28, 52, NULL, 0, NULL},
};
static const demo_column songs_columns[] = {
    {"song_id", "string", K_HEX, 18, 0, NULL, 0, NULL},
    {"title", "string", K_WORD, 0, 0, DEMO_WORDS(song_titles), NULL},
    {"artist_id", "string", K_HEX, 18, 0, NULL, 0, NULL},
    {"year", "int", K_INT, 1960, 2026, NULL, 0, NULL},
    {"duration", "double", K_DOUBLE, 90, 600, NULL, 0, "seconds"},
};
static const demo_column artists_columns[] = {
    {"artist_id", "string", K_HEX, 18, 0, NULL, 0, NULL},
    {"name", "string", K_WORD, 0, 0, DEMO_WORDS(artist_names), NULL},
    {"location", "string", K_WORD, 0, 0, DEMO_WORDS(cities), NULL},
    {"latitude", "double", K_DOUBLE, -40, 60, NULL, 0, NULL},
    {"longitude", "double", K_DOUBLE, -120, 140, NULL, 0, NULL},
};
static const demo_column music_users_columns[] = {
    {"user_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"first_name", "string", K_WORD, 0, 0, DEMO_WORDS(first_names), NULL},
    {"last_name", "string", K_WORD, 0, 0, DEMO_WORDS(last_names), NULL},
    {"gender", "string", K_WORD, 0, 0, DEMO_WORDS(genders), NULL},
    {"level", "string", K_WORD, 0, 0, DEMO_WORDS(levels), NULL},
};
static const demo_column songplays_columns[] = {
    {"songplay_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"start_time", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"user_id", "bigint", K_INT, 1, 9000, NULL, 0, NULL},
    {"level", "string", K_WORD, 0, 0, DEMO_WORDS(levels), NULL},
    {"song_id", "string", K_HEX, 18, 0, NULL, 0, NULL},
    {"artist_id", "string", K_HEX, 18, 0, NULL, 0, NULL},
    {"session_id", "bigint", K_INT, 1, 99999, NULL, 0, NULL},
    {"location", "string", K_WORD, 0, 0, DEMO_WORDS(cities), NULL},
    {"user_agent", "string", K_WORD, 0, 0, DEMO_WORDS(devices), NULL},
};
static const demo_column log_data_columns[] = {
    {"artist", "string", K_WORD, 0, 0, DEMO_WORDS(artist_names), NULL},
    {"firstName", "string", K_WORD, 0, 0, DEMO_WORDS(first_names), NULL},
    {"lastName", "string", K_WORD, 0, 0, DEMO_WORDS(last_names), NULL},
    {"level", "string", K_WORD, 0, 0, DEMO_WORDS(levels), NULL},
    {"page", "string", K_WORD, 0, 0, DEMO_WORDS(log_pages), NULL},
    {"sessionId", "bigint", K_INT, 1, 99999, NULL, 0, NULL},
    {"song", "string", K_WORD, 0, 0, DEMO_WORDS(song_titles), NULL},
    {"ts", "bigint", K_EPOCH_MS, 0, 0, NULL, 0, "epoch milliseconds"},
    {"userId", "string", K_INT, 1, 9000, NULL, 0, NULL},
};
static const demo_column daily_revenue_columns[] = {
    {"day", "date", K_DATE, 0, 0, NULL, 0, NULL},
    {"channel", "string", K_WORD, 0, 0, DEMO_WORDS(channels), NULL},
    {"orders", "int", K_INT, 100, 999, NULL, 0, NULL},
    {"revenue", "decimal(12,2)", K_MONEY, 10000, 99999, NULL, 0, NULL},
};
static const demo_column top_customers_columns[] = {
    {"customer_id", "bigint", K_INT, 1, 48000, NULL, 0, NULL},
    {"segment", "string", K_WORD, 0, 0, DEMO_WORDS(segments), NULL},
    {"lifetime_value", "decimal(12,2)", K_MONEY, 100, 90000, NULL, 0, NULL},
    {"orders_12m", "int", K_INT, 1, 80, NULL, 0, NULL},
};
static const demo_column bench_columns[] = {
    {"id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"event_time", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"kind", "string", K_WORD, 0, 0, DEMO_WORDS(bench_kinds), NULL},
    {"value", "double", K_DOUBLE, 0, 1000, NULL, 0, NULL},
};

#define DEMO_TABLE(db, table, loc, desc, pat, fmt, lay, grow)                            \
    .database = db, .name = table, .location = loc, .description = desc, .pattern = pat, \
    .format = fmt, .layout = lay, .growth = grow

static const demo_spec demo_tables[] = {
    /* sales: CSV extracts land in landing/, Spark writes parquet to storing/. */
    {DEMO_TABLE("sales", "orders", "storing/sales/orders/",
                "Orders, one row per order (from raw_orders)", "accelerating", DEMO_PARQUET,
                DEMO_DT, GROW_ACCEL),
     .bytes_start = 12 * DEMO_KIB, .bytes_end = 240 * DEMO_KIB, .batch_hour = 1,
     .markers = MARK_SUCCESS, DEMO_COLUMNS(orders_columns)},
    {DEMO_TABLE("sales", "order_items", "storing/sales/order_items/", "Order lines", "accelerating",
                DEMO_PARQUET, DEMO_DT, GROW_ACCEL),
     .bytes_start = 6 * DEMO_KIB, .bytes_end = 120 * DEMO_KIB, .batch_hour = 1,
     .markers = MARK_SUCCESS, DEMO_COLUMNS(order_items_columns)},
    {DEMO_TABLE("sales", "customers", "storing/sales/customers/",
                "Customer master data, daily increments", "steady", DEMO_PARQUET, DEMO_FLAT,
                GROW_STEADY),
     .bytes_start = 19873, .batch_hour = 3, .markers = MARK_SUCCESS,
     DEMO_COLUMNS(customers_columns), .old_columns = customers_v1_columns,
     .n_old_columns = sizeof customers_v1_columns / sizeof customers_v1_columns[0]},
    {DEMO_TABLE("sales", "products", "storing/sales/products/",
                "Product catalogue, daily increments", "steady", DEMO_PARQUET, DEMO_FLAT,
                GROW_STEADY),
     .bytes_start = 3917, .batch_hour = 3, DEMO_COLUMNS(products_columns)},
    {DEMO_TABLE("sales", "raw_orders", "landing/sales/orders/",
                "Nightly CSV extract of the order system", "accelerating", DEMO_CSV, DEMO_DT,
                GROW_ACCEL),
     .bytes_start = 6 * DEMO_KIB, .bytes_end = 120 * DEMO_KIB, .batch_hour = 0,
     DEMO_COLUMNS(orders_columns)},
    /* weblogs: JSON lines delivered by a firehose, Hive partitions by day. */
    {DEMO_TABLE("weblogs", "user_activity", "landing/weblogs/user_activity/",
                "User events from the web app", "seasonal", DEMO_JSON, DEMO_DT, GROW_SEASONAL),
     .bytes_start = 40 * DEMO_KIB, .parts = 4, DEMO_COLUMNS(user_activity_columns)},
    {DEMO_TABLE("weblogs", "page_views", "landing/weblogs/page_views/", "Page views with referrers",
                "accelerating", DEMO_JSON, DEMO_DT, GROW_ACCEL),
     .bytes_start = 6 * DEMO_KIB, .bytes_end = 96 * DEMO_KIB, .parts = 2, .markers = MARK_FOLDER,
     DEMO_COLUMNS(page_views_columns)},
    {DEMO_TABLE("weblogs", "sessions", "landing/weblogs/sessions/",
                "Sessionized activity (the job stopped)", "stalled", DEMO_JSON, DEMO_DT,
                GROW_STALLED),
     .bytes_start = 32 * DEMO_KIB, .batch_hour = 4, DEMO_COLUMNS(sessions_columns)},
    {DEMO_TABLE("weblogs", "clickstream_raw", "landing/weblogs/clickstream_raw/",
                "Raw click events, one tiny file per flush", "tiny-files", DEMO_JSON, DEMO_DT,
                GROW_TINY),
     .total_files = 3000, .file_min = 200, .file_max = 2000, DEMO_COLUMNS(clickstream_columns)},
    {DEMO_TABLE("weblogs", "ad_impressions", "landing/weblogs/ad_impressions/",
                "Ad impressions (feed not connected yet)", "empty", DEMO_JSON, DEMO_DT, GROW_EMPTY),
     DEMO_COLUMNS(ad_impressions_columns)},
    /* census: small reference data, rarely reloaded. */
    {DEMO_TABLE("census", "zip_codes", "landing/census/zip_codes/",
                "ZIP code reference, monthly reload", "monthly", DEMO_CSV, DEMO_FLAT,
                GROW_PERIODIC),
     .bytes_start = 40 * DEMO_KIB, .period = 30, .phase = 12, .batch_hour = 5,
     DEMO_COLUMNS(zip_codes_columns)},
    {DEMO_TABLE("census", "population", "landing/census/population/",
                "County population estimates, weekly", "weekly", DEMO_CSV, DEMO_FLAT,
                GROW_PERIODIC),
     .bytes_start = 8 * DEMO_KIB, .period = 7, .phase = 4, .batch_hour = 6,
     DEMO_COLUMNS(population_columns)},
    /* music: a Sparkify-like star schema. */
    {DEMO_TABLE("music", "songs", "storing/music/songs/", "Song dimension", "steady", DEMO_PARQUET,
                DEMO_FLAT, GROW_STEADY),
     .bytes_start = 5987, .batch_hour = 2, .markers = MARK_CRC, DEMO_COLUMNS(songs_columns)},
    {DEMO_TABLE("music", "artists", "storing/music/artists/", "Artist dimension", "steady",
                DEMO_PARQUET, DEMO_FLAT, GROW_STEADY),
     .bytes_start = 2903, .batch_hour = 2, .markers = MARK_CRC, DEMO_COLUMNS(artists_columns)},
    {DEMO_TABLE("music", "users", "storing/music/users/", "Listener dimension", "seasonal",
                DEMO_PARQUET, DEMO_FLAT, GROW_SEASONAL),
     .bytes_start = 2300, .batch_hour = 2, DEMO_COLUMNS(music_users_columns)},
    {DEMO_TABLE("music", "songplays", "storing/music/songplays/", "Song plays fact table",
                "accelerating", DEMO_PARQUET, DEMO_YEAR_MONTH, GROW_ACCEL),
     .bytes_start = 8 * DEMO_KIB, .bytes_end = 160 * DEMO_KIB, .batch_hour = 2,
     .markers = MARK_TEMPORARY, DEMO_COLUMNS(songplays_columns)},
    {DEMO_TABLE("music", "log_data", "landing/music/log_data/", "Player event logs", "seasonal",
                DEMO_JSON, DEMO_DT, GROW_SEASONAL),
     .bytes_start = 20 * DEMO_KIB, .parts = 3, DEMO_COLUMNS(log_data_columns)},
    /* marketing_app: copies in the users/ zone for a BI application. */
    {DEMO_TABLE("marketing_app", "daily_revenue", "users/marketing_app/daily_revenue/",
                "Revenue per channel, copied daily for dashboards", "steady", DEMO_CSV, DEMO_FLAT,
                GROW_STEADY),
     .bytes_start = 1536, .batch_hour = 5, DEMO_COLUMNS(daily_revenue_columns)},
    {DEMO_TABLE("marketing_app", "top_customers", "users/marketing_app/top_customers/",
                "Weekly copy of the best customers", "weekly", DEMO_PARQUET, DEMO_FLAT,
                GROW_PERIODIC),
     .bytes_start = 24 * DEMO_KIB, .period = 7, .phase = 0, .batch_hour = 7,
     DEMO_COLUMNS(top_customers_columns)},
};

typedef struct demo_database {
    const char *name;
    const char *description;
    const char *location;
} demo_database;

static const demo_database demo_databases[] = {
    {"sales", "Orders, customers and products: CSV extracts and parquet tables", "storing/sales/"},
    {"weblogs", "Web analytics events as JSON lines", "landing/weblogs/"},
    {"census", "Public census reference data", "landing/census/"},
    {"music", "Streaming service star schema (Sparkify-like)", "storing/music/"},
    {"marketing_app", "Copies for the marketing team's BI app", "users/marketing_app/"},
};

/* ---- writing ---- */

typedef struct demo_ctx {
    const char *dir;
    int64_t now;
    int days;
    int32_t first_day;
    int32_t today;
    double scale; /* keeps long histories about as small as 90 days */
    demo_buf buf;
    history_store *history;
    char *error;
} demo_ctx;

static bool demo_fail(demo_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool demo_fail(demo_ctx *c, const char *fmt, ...) {
    if (c->error)
        return false;
    va_list ap;
    va_start(ap, fmt);
    c->error = xvasprintf(fmt, ap);
    va_end(ap);
    return false;
}

/* The time of second `sod` of `day`. Today's files are squeezed into the
 * last DEMO_TODAY_WINDOW seconds before `now` (never after it, never
 * before midnight), keeping their order. */
static int64_t demo_time(const demo_ctx *c, int32_t day, int64_t sod) {
    if (sod < 0)
        sod = 0;
    if (sod > 86399)
        sod = 86399;
    int64_t start = (int64_t)day * 86400;
    if (day < c->today)
        return start + sod;
    int64_t t = c->now - (86399 - sod) * DEMO_TODAY_WINDOW / 86400;
    return t < start ? start : t;
}

static void demo_compact_date(int32_t day, char out[9]) {
    char iso[16];
    fmt_day(day, iso, sizeof iso);
    snprintf(out, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

static bool demo_write_file(demo_ctx *c, const char *path, const void *data, size_t len,
                            int64_t mtime, bool replace) {
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL), 0644);
    if (fd < 0)
        return demo_fail(c, "cannot create %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            int err = put < 0 ? errno : EIO;
            close(fd);
            return demo_fail(c, "cannot write %s: %s", path, strerror(err));
        }
        p += put;
        len -= (size_t)put;
    }
    struct timespec times[2] = {{.tv_sec = (time_t)mtime}, {.tv_sec = (time_t)mtime}};
    if (futimens(fd, times) != 0) {
        int err = errno;
        close(fd);
        return demo_fail(c, "cannot set the time of %s: %s", path, strerror(err));
    }
    if (close(fd) != 0)
        return demo_fail(c, "cannot write %s: %s", path, strerror(errno));
    return true;
}

static bool demo_mkdirs(demo_ctx *c, const char *path) {
    char *error = NULL;
    if (fs_mkdirs(path, &error))
        return true;
    demo_fail(c, "cannot create %s", error);
    free(error);
    return false;
}

/* "PAR1", deterministic bytes, a footer length and "PAR1" again. */
static void demo_parquet_bytes(demo_buf *b, demo_rng *rng, size_t size) {
    if (size < 12)
        size = 12;
    b->len = 0;
    demo_buf_reserve(b, size);
    memcpy(b->data, "PAR1", 4);
    size_t body_end = size - 8;
    size_t i = 4;
    while (i < body_end) {
        uint64_t v = demo_next(rng);
        size_t n = body_end - i < 8 ? body_end - i : 8;
        memcpy(b->data + i, &v, n);
        i += n;
    }
    uint32_t footer = (uint32_t)(size / 7 + 16);
    unsigned char le[4] = {(unsigned char)footer, (unsigned char)(footer >> 8),
                           (unsigned char)(footer >> 16), (unsigned char)(footer >> 24)};
    memcpy(b->data + body_end, le, 4);
    memcpy(b->data + body_end + 4, "PAR1", 4);
    b->len = size;
    b->data[size] = '\0';
}

typedef struct demo_table_state {
    const demo_spec *spec;
    demo_rng rng;
    int64_t seq;
} demo_table_state;

static void demo_value(demo_buf *b, demo_table_state *s, const demo_column *col, int32_t day,
                       int64_t file_time, bool json) {
    demo_rng *r = &s->rng;
    char tmp[48];
    int64_t day_start = (int64_t)day * 86400;
    switch (col->kind) {
    case K_SEQ: demo_buf_printf(b, "%" PRId64, ++s->seq); return;
    case K_INT:
        if (json && strcmp(col->type, "string") == 0)
            demo_buf_printf(b, "\"%" PRId64 "\"", demo_range(r, col->lo, col->hi));
        else
            demo_buf_printf(b, "%" PRId64, demo_range(r, col->lo, col->hi));
        return;
    case K_MONEY:
        demo_buf_printf(b, "%" PRId64 ".%02d", demo_range(r, col->lo, col->hi),
                        (int)demo_range(r, 0, 99));
        return;
    case K_DOUBLE: {
        int64_t v = demo_range(r, col->lo * 10000, col->hi * 10000);
        demo_buf_printf(b, "%.4f", (double)v / 10000.0);
        return;
    }
    case K_TS:
    case K_EPOCH_MS: {
        int64_t t = demo_range(r, day_start, file_time);
        if (col->kind == K_EPOCH_MS) {
            demo_buf_printf(b, "%" PRId64, t * 1000 + demo_range(r, 0, 999));
            return;
        }
        fmt_iso8601(t, tmp, sizeof tmp);
        if (json) {
            demo_buf_printf(b, "\"%s\"", tmp);
        } else {
            tmp[10] = ' ';
            tmp[19] = '\0';
            demo_buf_str(b, tmp);
        }
        return;
    }
    case K_DATE:
        fmt_day(day - (int32_t)demo_range(r, 0, col->hi), tmp, sizeof tmp);
        demo_buf_printf(b, json ? "\"%s\"" : "%s", tmp);
        return;
    case K_WORD:
        demo_buf_printf(b, json ? "\"%s\"" : "%s", col->words[demo_next(r) % col->n_words]);
        return;
    case K_HEX: {
        static const char hex[] = "0123456789abcdef";
        size_t n = (size_t)col->lo < sizeof tmp - 1 ? (size_t)col->lo : sizeof tmp - 1;
        uint64_t v = demo_next(r);
        for (size_t i = 0; i < n; i++) {
            if (i % 16 == 15)
                v = demo_next(r);
            tmp[i] = hex[v & 15];
            v >>= 4;
        }
        tmp[n] = '\0';
        demo_buf_printf(b, json ? "\"%s\"" : "%s", tmp);
        return;
    }
    case K_EMAIL:
        demo_buf_printf(b, json ? "\"user%" PRId64 "@example.com\"" : "user%" PRId64 "@example.com",
                        demo_range(r, 1000, 999999));
        return;
    case K_URL:
        demo_buf_printf(b, json ? "\"/%s/%" PRId64 "\"" : "/%s/%" PRId64,
                        col->words[demo_next(r) % col->n_words], demo_range(r, 1, 9999));
        return;
    }
}

/* CSV (with a header) or JSON lines of at least `target` bytes. */
static void demo_text_bytes(demo_buf *b, demo_table_state *s, int32_t day, int64_t file_time,
                            int64_t target) {
    const demo_spec *t = s->spec;
    bool json = t->format == DEMO_JSON;
    b->len = 0;
    if (!json) {
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i)
                demo_buf_add(b, ",", 1);
            demo_buf_str(b, t->columns[i].name);
        }
        demo_buf_add(b, "\n", 1);
    }
    do {
        if (json)
            demo_buf_add(b, "{", 1);
        for (size_t i = 0; i < t->n_columns; i++) {
            if (json)
                demo_buf_printf(b, "%s\"%s\":", i ? "," : "", t->columns[i].name);
            else if (i)
                demo_buf_add(b, ",", 1);
            demo_value(b, s, &t->columns[i], day, file_time, json);
        }
        demo_buf_str(b, json ? "}\n" : "\n");
    } while ((int64_t)b->len < target);
}

/* Scaled day size, at least 256 bytes. */
static int64_t demo_scaled(const demo_ctx *c, double bytes) {
    int64_t v = (int64_t)(bytes * c->scale);
    return v < 256 ? 256 : v;
}

/* Target bytes of day index `d` (0 when the table gets nothing that day). */
static int64_t demo_day_bytes(const demo_ctx *c, const demo_spec *t, int d, demo_rng *r) {
    int from_end = c->days - 1 - d;
    int32_t day = c->first_day + d;
    double jitter = 0.92 + 0.16 * (double)demo_range(r, 0, 1000) / 1000.0;
    int weekday = (int)(((int64_t)day + 4) % 7); /* 0 = Sunday */
    double week = weekday == 0 || weekday == 6 ? 0.6 : 1.0;
    switch (t->growth) {
    case GROW_STEADY: return demo_scaled(c, (double)t->bytes_start);
    case GROW_ACCEL: {
        double f = c->days > 1 ? (double)d / (c->days - 1) : 1.0;
        return demo_scaled(c, (double)t->bytes_start +
                                  (double)(t->bytes_end - t->bytes_start) * f * f * jitter);
    }
    case GROW_SEASONAL: return demo_scaled(c, (double)t->bytes_start * week * jitter);
    case GROW_STALLED: {
        int stall = c->days > 2 * DEMO_STALL_DAYS ? DEMO_STALL_DAYS : c->days / 2;
        if (from_end < stall)
            return 0;
        return demo_scaled(c, (double)t->bytes_start * week * jitter);
    }
    case GROW_PERIODIC:
        if (d != 0 && from_end % t->period != t->phase)
            return 0;
        /* Reference data does not shrink with longer histories. */
        return (int64_t)((double)t->bytes_start * jitter);
    case GROW_EMPTY:
    case GROW_TINY:
    case GROW_FILES: return 0;
    }
    return 0;
}

/* Spreads `total` files over the days with random weights. */
static int *demo_spread_files(const demo_ctx *c, int total, demo_rng *r) {
    int *counts = xcalloc((size_t)c->days, sizeof *counts);
    int64_t *weights = xcalloc((size_t)c->days + 1, sizeof *weights);
    for (int d = 0; d < c->days; d++)
        weights[d + 1] = weights[d] + demo_range(r, 50, 150);
    int64_t sum = weights[c->days];
    for (int d = 0; d < c->days; d++)
        counts[d] =
            (int)((int64_t)total * weights[d + 1] / sum - (int64_t)total * weights[d] / sum);
    free(weights);
    return counts;
}

static char *demo_data_name(const demo_spec *t, demo_rng *r, int32_t day, int64_t mtime, int i) {
    char date[9];
    demo_compact_date(day, date);
    if (t->format == DEMO_PARQUET) {
        uint64_t a = demo_next(r), b = demo_next(r);
        return xasprintf("part-%05d-%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
                         "-%012" PRIx64 "-c000.snappy.parquet",
                         i, a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                         b & (uint64_t)0xffffffffffffULL);
    }
    if (t->format == DEMO_CSV)
        return xasprintf("%s_%s_%03d.csv", t->name, date, i);
    char iso[32];
    fmt_iso8601(mtime, iso, sizeof iso);
    /* Firehose style: name-1-YYYY-MM-DD-HH-MM-SS-<n>-<hex>.json */
    return xasprintf("%s-1-%.10s-%.2s-%.2s-%.2s-%03d-%08" PRIx64 ".json", t->name, iso, iso + 11,
                     iso + 14, iso + 17, i, demo_next(r) >> 32);
}

static char *demo_partition_dir(const char *location_dir, const demo_spec *t, int32_t day) {
    char iso[16];
    fmt_day(day, iso, sizeof iso);
    switch (t->layout) {
    case DEMO_DT: return xasprintf("%s/dt=%s", location_dir, iso);
    case DEMO_YEAR_MONTH: return xasprintf("%s/year=%.4s/month=%.2s", location_dir, iso, iso + 5);
    case DEMO_FLAT: break;
    }
    return xstrdup(location_dir);
}

static json_object *demo_jtime(int64_t t) {
    char iso[32];
    return json_object_new_string(fmt_iso8601(t, iso, sizeof iso));
}

static bool demo_write_json(demo_ctx *c, const char *path, json_object *obj, int64_t mtime) {
    const char *text = json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *with_newline = xasprintf("%s\n", text);
    bool ok = demo_write_file(c, path, with_newline, strlen(with_newline), mtime, false);
    free(with_newline);
    return ok;
}

static json_object *demo_columns_json(const demo_column *cols, size_t n) {
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *col = json_object_new_object();
        json_object_object_add(col, "Name", json_object_new_string(cols[i].name));
        json_object_object_add(col, "Type", json_object_new_string(cols[i].type));
        if (cols[i].comment)
            json_object_object_add(col, "Comment", json_object_new_string(cols[i].comment));
        json_object_array_add(arr, col);
    }
    return arr;
}

/* Versions 1 (the old columns, as created) and 2 (today's columns, two
 * days and three hours before the demo's now, so that it reads "2d ago"
 * whatever the time of day) of a table whose schema changed; the table
 * file is the newest. */
static bool demo_write_versions(demo_ctx *c, const demo_spec *t, const char *db_dir,
                                json_object *table, int64_t create_time) {
    char *dir = xasprintf("%s/versions/%s", db_dir, t->name);
    bool ok = demo_mkdirs(c, dir);
    int64_t changed = c->now - (2 * 86400 + 3 * 3600 + 1234);
    if (changed <= create_time)
        changed = create_time + 1;
    for (int version = 1; ok && version <= 2; version++) {
        json_object *o = NULL, *sd;
        json_object_deep_copy(table, &o, NULL);
        int64_t when = version == 1 ? create_time : changed;
        json_object_object_add(o, "UpdateTime", demo_jtime(when));
        if (version == 1 && json_object_object_get_ex(o, "StorageDescriptor", &sd))
            json_object_object_add(sd, "Columns",
                                   demo_columns_json(t->old_columns, t->n_old_columns));
        char *path = xasprintf("%s/%d.json", dir, version);
        ok = demo_write_json(c, path, o, when);
        free(path);
        json_object_put(o);
    }
    free(dir);
    return ok;
}

static bool demo_write_table_json(demo_ctx *c, const demo_spec *t, int64_t create_time,
                                  int64_t update_time) {
    static const char *const classifications[] = {"parquet", "csv", "json"};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Name", json_object_new_string(t->name));
    json_object_object_add(o, "DatabaseName", json_object_new_string(t->database));
    json_object_object_add(o, "Description", json_object_new_string(t->description));
    json_object_object_add(o, "Owner", json_object_new_string("hadoop"));
    json_object_object_add(o, "CreateTime", demo_jtime(create_time));
    json_object_object_add(o, "UpdateTime", demo_jtime(update_time));
    json_object_object_add(o, "Retention", json_object_new_int(0));
    json_object_object_add(o, "TableType", json_object_new_string("EXTERNAL_TABLE"));

    json_object *params = json_object_new_object();
    json_object_object_add(params, "classification",
                           json_object_new_string(classifications[t->format]));
    json_object_object_add(params, "compressionType",
                           json_object_new_string(t->format == DEMO_PARQUET ? "snappy" : "none"));
    json_object_object_add(params, "typeOfData", json_object_new_string("file"));
    if (t->format == DEMO_CSV) {
        json_object_object_add(params, "delimiter", json_object_new_string(","));
        json_object_object_add(params, "skip.header.line.count", json_object_new_string("1"));
    }
    json_object_object_add(params, "laketop.demo.growth", json_object_new_string(t->pattern));
    json_object_object_add(o, "Parameters", params);

    json_object *keys = json_object_new_array();
    static const demo_column dt_key[] = {{"dt", "string", K_DATE, 0, 0, NULL, 0, NULL}};
    static const demo_column ym_keys[] = {{"year", "string", K_INT, 0, 0, NULL, 0, NULL},
                                          {"month", "string", K_INT, 0, 0, NULL, 0, NULL}};
    if (t->layout == DEMO_DT) {
        json_object_put(keys);
        keys = demo_columns_json(dt_key, 1);
    } else if (t->layout == DEMO_YEAR_MONTH) {
        json_object_put(keys);
        keys = demo_columns_json(ym_keys, 2);
    }
    json_object_object_add(o, "PartitionKeys", keys);

    json_object *sd = json_object_new_object();
    json_object_object_add(sd, "Location", json_object_new_string(t->location));
    json_object_object_add(sd, "Columns", demo_columns_json(t->columns, t->n_columns));
    bool parquet = t->format == DEMO_PARQUET;
    json_object_object_add(
        sd, "InputFormat",
        json_object_new_string(parquet
                                   ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
                                   : "org.apache.hadoop.mapred.TextInputFormat"));
    json_object_object_add(
        sd, "OutputFormat",
        json_object_new_string(
            parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
                    : "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"));
    json_object_object_add(sd, "Compressed", json_object_new_boolean(0));
    json_object *serde = json_object_new_object();
    json_object *serde_params = json_object_new_object();
    const char *library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    if (t->format == DEMO_CSV) {
        library = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
        json_object_object_add(serde_params, "field.delim", json_object_new_string(","));
    } else if (t->format == DEMO_JSON) {
        library = "org.openx.data.jsonserde.JsonSerDe";
        json_object_object_add(serde_params, "paths", json_object_new_string(""));
    } else {
        json_object_object_add(serde_params, "serialization.format", json_object_new_string("1"));
    }
    json_object_object_add(serde, "SerializationLibrary", json_object_new_string(library));
    json_object_object_add(serde, "Parameters", serde_params);
    json_object_object_add(sd, "SerdeInfo", serde);
    json_object_object_add(sd, "StoredAsSubDirectories", json_object_new_boolean(0));
    json_object_object_add(o, "StorageDescriptor", sd);

    char *db_dir = xasprintf("%s/catalog/%s", c->dir, t->database);
    char *path = xasprintf("%s/%s.json", db_dir, t->name);
    bool ok = demo_mkdirs(c, db_dir) && demo_write_json(c, path, o, update_time);
    if (ok && t->old_columns)
        ok = demo_write_versions(c, t, db_dir, o, create_time);
    free(db_dir);
    free(path);
    json_object_put(o);
    return ok;
}

static bool demo_write_database_json(demo_ctx *c, const char *name, const char *description,
                                     const char *location) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "Name", json_object_new_string(name));
    json_object_object_add(o, "Description", json_object_new_string(description));
    json_object_object_add(o, "LocationUri", json_object_new_string(location));
    int64_t created = demo_time(c, c->first_day, 1200);
    json_object_object_add(o, "CreateTime", demo_jtime(created));
    char *db_dir = xasprintf("%s/catalog/%s", c->dir, name);
    char *path = xasprintf("%s/database.json", db_dir);
    bool ok = demo_mkdirs(c, db_dir) && demo_write_json(c, path, o, created);
    free(db_dir);
    free(path);
    json_object_put(o);
    return ok;
}

/* Markers of one day: _SUCCESS in the partition, dt=..._$folder$ beside it. */
static bool demo_write_day_markers(demo_ctx *c, const demo_spec *t, const char *location_dir,
                                   const char *part_dir, int32_t day, int64_t mtime) {
    if (t->markers & MARK_SUCCESS) {
        char *path = xasprintf("%s/_SUCCESS", part_dir);
        bool ok = demo_write_file(c, path, "", 0, mtime, true);
        free(path);
        if (!ok)
            return false;
    }
    if ((t->markers & MARK_FOLDER) && t->layout == DEMO_DT) {
        char iso[16];
        char *path = xasprintf("%s/dt=%s_$folder$", location_dir, fmt_day(day, iso, sizeof iso));
        bool ok = demo_write_file(c, path, "", 0, mtime, true);
        free(path);
        if (!ok)
            return false;
    }
    return true;
}

/* A Spark job caught mid-write: files under _temporary/ are not data. */
static bool demo_write_temporary(demo_ctx *c, demo_table_state *s, const char *location_dir) {
    char date[9];
    demo_compact_date(c->today, date);
    char *dir =
        xasprintf("%s/_temporary/0/_temporary/attempt_%s0000_0001_m_000000_0", location_dir, date);
    bool ok = demo_mkdirs(c, dir);
    if (ok) {
        char *name = demo_data_name(s->spec, &s->rng, c->today, c->now, 0);
        char *path = xasprintf("%s/%s", dir, name);
        demo_parquet_bytes(&c->buf, &s->rng, 48 * DEMO_KIB);
        ok = demo_write_file(c, path, c->buf.data, c->buf.len, c->now, false);
        free(name);
        free(path);
    }
    free(dir);
    return ok;
}

static void demo_record_history(demo_ctx *c, const demo_spec *t, const int64_t *bytes,
                                const int64_t *objects, const int64_t *newest) {
    history_sample sample = {.bytes = 0, .objects = 0, .newest_object = -1};
    for (int d = 0; d < c->days; d++) {
        sample.day = c->first_day + d;
        sample.bytes += bytes[d];
        sample.objects += objects[d];
        if (newest[d] > sample.newest_object)
            sample.newest_object = newest[d];
        history_store_record(c->history, t->database, t->name, &sample);
    }
}

static bool demo_write_table(demo_ctx *c, const demo_spec *t, uint64_t salt) {
    demo_table_state s = {.spec = t, .rng = demo_seed(t->database, t->name, salt), .seq = 0};
    size_t days = (size_t)c->days;
    int64_t *bytes = xcalloc(days, sizeof *bytes);
    int64_t *objects = xcalloc(days, sizeof *objects);
    int64_t *newest = xcalloc(days, sizeof *newest);
    int *tiny = t->growth == GROW_TINY ? demo_spread_files(c, t->total_files, &s.rng) : NULL;
    char *location_dir = xasprintf("%s/%s", c->dir, t->location);
    size_t ll = strlen(location_dir);
    while (ll > 0 && location_dir[ll - 1] == '/')
        location_dir[--ll] = '\0';
    char *made_dir = NULL; /* the last partition directory created */
    int64_t first_data = -1, last_data = -1;
    bool ok = demo_mkdirs(c, location_dir);

    for (int d = 0; ok && d < c->days; d++) {
        int32_t day = c->first_day + d;
        newest[d] = -1;
        int64_t day_bytes = demo_day_bytes(c, t, d, &s.rng);
        int n = 0;
        if (t->growth == GROW_TINY)
            n = tiny[d];
        else if (t->growth == GROW_FILES)
            n = t->files_per_day[d];
        else if (day_bytes > 0) {
            int64_t part = t->format == DEMO_PARQUET ? DEMO_PARQUET_PART : DEMO_TEXT_PART;
            n = (int)(1 + day_bytes / part);
            if (n < t->parts)
                n = t->parts;
        }
        if (n <= 0)
            continue;
        char *part_dir = demo_partition_dir(location_dir, t, day);
        if (!made_dir || strcmp(made_dir, part_dir) != 0) {
            if (t->layout == DEMO_DT) {
                if (mkdir(part_dir, 0755) != 0 && errno != EEXIST)
                    ok = demo_fail(c, "cannot create %s: %s", part_dir, strerror(errno));
            } else {
                ok = demo_mkdirs(c, part_dir);
            }
            free(made_dir);
            made_dir = xstrdup(part_dir);
        }
        int64_t batch_sod = (int64_t)t->batch_hour * 3600 + demo_range(&s.rng, 0, 1799);
        int64_t last_time = -1;
        for (int i = 0; ok && i < n; i++) {
            int64_t sod;
            if (n > 1 && (t->parts > 1 || t->growth == GROW_TINY || t->growth == GROW_FILES)) {
                int64_t slot = 86400 / n;
                sod = i * slot + demo_range(&s.rng, 0, slot > 1 ? slot - 1 : 0);
            } else {
                sod = batch_sod + i * 11;
            }
            int64_t mtime = demo_time(c, day, sod);
            int64_t target;
            if (t->growth == GROW_TINY || t->growth == GROW_FILES)
                target = demo_range(&s.rng, t->file_min, t->file_max);
            else
                target = day_bytes / n + (i == 0 ? day_bytes % n : 0);
            if (t->format == DEMO_PARQUET)
                demo_parquet_bytes(&c->buf, &s.rng, (size_t)target);
            else
                demo_text_bytes(&c->buf, &s, day, mtime, target);
            char *name = demo_data_name(t, &s.rng, day, mtime, i);
            char *path = xasprintf("%s/%s", part_dir, name);
            ok = demo_write_file(c, path, c->buf.data, c->buf.len, mtime, false);
            free(path);
            if (ok && (t->markers & MARK_CRC)) {
                char crc[12] = {'c', 'r', 'c', '\0'};
                uint64_t v = demo_next(&s.rng);
                memcpy(crc + 4, &v, 8);
                char *crc_path = xasprintf("%s/.%s.crc", part_dir, name);
                ok = demo_write_file(c, crc_path, crc, sizeof crc, mtime, false);
                free(crc_path);
            }
            free(name);
            bytes[d] += (int64_t)c->buf.len;
            objects[d]++;
            if (mtime > newest[d])
                newest[d] = mtime;
            if (mtime > last_time)
                last_time = mtime;
            if (first_data < 0 || mtime < first_data)
                first_data = mtime;
        }
        if (ok)
            ok = demo_write_day_markers(c, t, location_dir, part_dir, day, last_time);
        if (last_time > last_data)
            last_data = last_time;
        free(part_dir);
    }
    if (ok && (t->markers & MARK_TEMPORARY))
        ok = demo_write_temporary(c, &s, location_dir);

    if (ok) {
        /* Created shortly before the first data; updated (crawled) after the last. */
        int64_t create_time, update_time;
        if (first_data >= 0) {
            int32_t first = fmt_day_of(first_data);
            create_time = demo_time(c, first, 60 + demo_range(&s.rng, 0, 600));
            if (create_time > first_data)
                create_time = first_data;
            update_time = last_data + 300 + demo_range(&s.rng, 0, 900);
        } else {
            int32_t created = c->today - 1 < c->first_day ? c->first_day : c->today - 1;
            create_time = demo_time(c, created, 15 * 3600 + demo_range(&s.rng, 0, 3599));
            update_time = create_time;
        }
        if (update_time > c->now)
            update_time = c->now;
        ok = demo_write_table_json(c, t, create_time, update_time);
    }
    if (ok)
        demo_record_history(c, t, bytes, objects, newest);
    free(made_dir);
    free(location_dir);
    free(tiny);
    free(bytes);
    free(objects);
    free(newest);
    return ok;
}

/* storing/sales/orders_old/: an old copy of orders beside the real table, in
 * no catalog entry. A scan by name prefix would wrongly count it. */
/* The query log (queries.h): 40 days of Athena-shaped executions. Per day:
 * orders 6 (two joined with customers), page_views 3, user_activity 1
 * unqualified in weblogs, a CTE over songplays and songs, and one query that
 * does not parse. Some tables are never queried. */
static bool demo_write_queries(demo_ctx *c) {
    static const struct {
        const char *database, *sql;
        int per_day;
    } shapes[] = {
        {"sales", "SELECT count(*) FROM sales.orders WHERE dt = current_date", 4},
        {"sales",
         "SELECT c.country, sum(o.total) FROM orders o JOIN customers c ON o.customer_id = c.id "
         "GROUP BY 1",
         2},
        {"weblogs", "SELECT referrer, count(*) FROM \"weblogs\".\"page_views\" GROUP BY 1", 3},
        {"weblogs", "SELECT * FROM user_activity -- FROM sessions\nLIMIT 10", 1},
        {"music",
         "WITH plays AS (SELECT song_id FROM songplays) SELECT s.title FROM plays JOIN songs s "
         "ON plays.song_id = s.song_id",
         1},
        {"music", "SELECT * FROM songs WHERE title = 'unclosed", 1},
    };
    demo_rng rng = demo_seed("queries", "log", 0);
    char *state = xasprintf("%s/.laketop", c->dir);
    bool made = demo_mkdirs(c, state);
    free(state);
    if (!made)
        return false;
    char *path = xasprintf("%s/.laketop/queries.jsonl", c->dir);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        demo_fail(c, "cannot write %s", path);
        free(path);
        return false;
    }
    int days = c->days < 40 ? c->days : 40;
    for (int d = days - 1; d >= 0; d--) {
        for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
            for (int i = 0; i < shapes[k].per_day; i++) {
                int64_t when = c->now - (int64_t)d * 86400 - 3600 - demo_range(&rng, 0, 7200);
                json_object *o = json_object_new_object();
                char id[40];
                snprintf(id, sizeof id, "%08llx-demo", (unsigned long long)demo_next(&rng));
                json_object_object_add(o, "QueryExecutionId", json_object_new_string(id));
                json_object_object_add(o, "Query", json_object_new_string(shapes[k].sql));
                json_object *ctx = json_object_new_object();
                json_object_object_add(ctx, "Database", json_object_new_string(shapes[k].database));
                json_object_object_add(o, "QueryExecutionContext", ctx);
                json_object *st = json_object_new_object();
                json_object_object_add(st, "State", json_object_new_string("SUCCEEDED"));
                json_object_object_add(st, "SubmissionDateTime", json_object_new_int64(when));
                json_object_object_add(o, "Status", st);
                fprintf(fp, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
                json_object_put(o);
            }
        }
    }
    bool ok = fclose(fp) == 0;
    if (!ok) {
        demo_fail(c, "cannot write %s", path);
    } else {
        struct timespec times[2] = {{.tv_sec = (time_t)c->now}, {.tv_sec = (time_t)c->now}};
        utimensat(AT_FDCWD, path, times, 0); /* only for reproducibility */
    }
    free(path);
    return ok;
}

static bool demo_write_orders_old(demo_ctx *c) {
    demo_rng rng = demo_seed("sales", "orders_old", 0);
    char *base = xasprintf("%s/storing/sales/orders_old", c->dir);
    bool ok = true;
    int n_days = c->days < 12 ? c->days : 12;
    for (int d = 0; ok && d < n_days; d++) {
        int32_t day = c->first_day + d;
        char iso[16];
        char *dir = xasprintf("%s/dt=%s", base, fmt_day(day, iso, sizeof iso));
        ok = demo_mkdirs(c, dir);
        int64_t mtime = demo_time(c, day, 3600 + demo_range(&rng, 0, 1799));
        for (int i = 0; ok && i < 2; i++) {
            uint64_t id = demo_next(&rng);
            char *path = xasprintf("%s/part-%05d-%016" PRIx64 "-c000.snappy.parquet", dir, i, id);
            demo_parquet_bytes(&c->buf, &rng, (size_t)demo_range(&rng, 40, 64) * DEMO_KIB);
            ok = demo_write_file(c, path, c->buf.data, c->buf.len, mtime, false);
            free(path);
        }
        if (ok) {
            char *path = xasprintf("%s/_SUCCESS", dir);
            ok = demo_write_file(c, path, "", 0, mtime, false);
            free(path);
        }
        free(dir);
    }
    free(base);
    return ok;
}

/* Scale mode: extra_tables tables of tiny parquet files, dt-partitioned,
 * DEMO_BENCH_TABLES_PER_DB per database bench_NNN. */
static bool demo_write_bench(demo_ctx *c, int n_tables, int n_files) {
    if (n_files < 0)
        n_files = 0;
    int n_dbs = (n_tables + DEMO_BENCH_TABLES_PER_DB - 1) / DEMO_BENCH_TABLES_PER_DB;
    bool ok = true;
    for (int db = 0; ok && db < n_dbs; db++) {
        char *name = xasprintf("bench_%03d", db);
        char *location = xasprintf("storing/%s/", name);
        ok = demo_write_database_json(c, name, "Generated tables for the benchmark", location);
        free(name);
        free(location);
    }
    int base = n_files / n_tables, rem = n_files % n_tables;
    int *counts = xcalloc((size_t)c->days, sizeof *counts);
    for (int i = 0; ok && i < n_tables; i++) {
        /* Pairs of tables trade some files, so sizes differ but add up. */
        demo_rng pair = demo_seed("bench", "pair", (uint64_t)(i / 2));
        int swing = (int)demo_range(&pair, 0, base / 2);
        int files = base + (i < rem ? 1 : 0);
        if (i % 2 == 0 && i + 1 < n_tables)
            files += swing;
        else if (i % 2 == 1)
            files -= swing;
        demo_rng r = demo_seed("bench", "table", (uint64_t)i);
        /* One table in ten stopped receiving data some days ago. */
        int lag = demo_range(&r, 0, 9) == 0 ? (int)demo_range(&r, 3, 30) : 0;
        if (lag > c->days - 1)
            lag = c->days - 1;
        int avail = c->days - lag;
        int parts = (files + 7) / 8;
        if (parts > avail)
            parts = avail;
        memset(counts, 0, (size_t)c->days * sizeof *counts);
        for (int k = 0; k < parts; k++) {
            int d = avail - 1 - (int)((int64_t)k * avail / parts);
            counts[d] = files / parts + (k < files % parts ? 1 : 0);
        }
        char *database = xasprintf("bench_%03d", i / DEMO_BENCH_TABLES_PER_DB);
        char *table = xasprintf("events_%03d", i % DEMO_BENCH_TABLES_PER_DB);
        char *location = xasprintf("storing/%s/%s/", database, table);
        demo_spec spec = {
            .database = database,
            .name = table,
            .location = location,
            .description = "Generated benchmark table",
            .pattern = lag ? "stalled" : "generated",
            .format = DEMO_PARQUET,
            .layout = DEMO_DT,
            .growth = GROW_FILES,
            .batch_hour = (int)demo_range(&r, 0, 23),
            .columns = bench_columns,
            .n_columns = sizeof bench_columns / sizeof bench_columns[0],
            .file_min = 64,
            .file_max = 512,
            .files_per_day = counts,
        };
        ok = demo_write_table(c, &spec, (uint64_t)i + 1);
        free(database);
        free(table);
        free(location);
    }
    free(counts);
    return ok;
}

static bool demo_prepare_dir(demo_ctx *c, const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return demo_fail(c, "%s: %s", dir, strerror(errno));
        return demo_mkdirs(c, dir);
    }
    if (!S_ISDIR(st.st_mode))
        return demo_fail(c, "%s exists and is not a directory", dir);
    DIR *d = opendir(dir);
    if (!d)
        return demo_fail(c, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = false;
            break;
        }
    }
    closedir(d);
    if (!empty)
        return demo_fail(c, "%s is not empty (the demo lake needs a new or empty directory)", dir);
    return true;
}

bool demo_write(const char *dir, const demo_options *options, char **error) {
    demo_options defaults = {.now = clock_now(), .days = DEMO_DEFAULT_DAYS};
    const demo_options *o = options ? options : &defaults;
    demo_ctx c = {.dir = dir, .now = o->now, .days = o->days > 0 ? o->days : DEMO_DEFAULT_DAYS};
    c.today = fmt_day_of(c.now);
    c.first_day = c.today - (c.days - 1);
    c.scale = c.days > DEMO_DEFAULT_DAYS ? (double)DEMO_DEFAULT_DAYS / c.days : 1.0;
    c.history = history_store_new();

    bool ok = demo_prepare_dir(&c, dir);
    for (size_t i = 0; ok && i < sizeof demo_databases / sizeof demo_databases[0]; i++)
        ok = demo_write_database_json(&c, demo_databases[i].name, demo_databases[i].description,
                                      demo_databases[i].location);
    for (size_t i = 0; ok && i < sizeof demo_tables / sizeof demo_tables[0]; i++)
        ok = demo_write_table(&c, &demo_tables[i], 0);
    if (ok)
        ok = demo_write_orders_old(&c);
    if (ok)
        ok = demo_write_queries(&c);
    if (ok && o->extra_tables > 0)
        ok = demo_write_bench(&c, o->extra_tables, o->extra_files);
    if (ok) {
        char *path = xasprintf("%s/.laketop/history.tsv", dir);
        char *save_error = NULL;
        if (!history_store_save(c.history, path, &save_error)) {
            demo_fail(&c, "cannot save the demo history: %s", save_error ? save_error : path);
            free(save_error);
            ok = false;
        } else {
            struct timespec times[2] = {{.tv_sec = (time_t)c.now}, {.tv_sec = (time_t)c.now}};
            utimensat(AT_FDCWD, path, times, 0); /* only for reproducibility */
        }
        free(path);
    }
    history_store_free(c.history);
    free(c.buf.data);
    if (!ok)
        *error = c.error ? c.error : xstrdup("cannot write the demo lake");
    else
        free(c.error);
    return ok;
}
