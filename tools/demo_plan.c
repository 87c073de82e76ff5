/* demo_plan.c: the plan of the demo lake: its databases and tables (zone,
 * format, layout, growth, columns), the generated tables of the benchmark's
 * scale mode, and the order in which a table's parts are written. */
#include "tools/demo_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define DEMO_BENCH_TABLES_PER_DB 50

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

/* The open-format tables, written after the others (demo_iceberg.c,
 * demo_delta.c): each its own files, metadata, catalog entry and history. */
static const struct {
    const char *database, *name;
    bool (*write)(demo_ctx *c);
} demo_open_tables[] = {
    {"weblogs", "events", demo_iceberg_write},
    {"sales", "payments", demo_delta_write},
};

/* One more table written: the progress line. */
static bool demo_plan_table_done(demo_ctx *c, const char *database, const char *table, bool ok) {
    c->tables_done++;
    if (ok && c->options && c->options->progress)
        c->options->progress(c->options->progress_ctx, database, table, c->tables_done,
                             c->tables_total);
    return ok;
}

/* A table's files, then its catalog entry, then its history; every part
 * draws from the table's own random numbers, in this order. */
static bool demo_plan_write_table(demo_ctx *c, const demo_spec *t, uint64_t salt) {
    demo_table_state s = {.spec = t, .rng = demo_rng_seed(t->database, t->name, salt), .seq = 0};
    demo_files_tally tally;
    bool ok = demo_files_write_table(c, &s, &tally) && demo_catalog_write_table(c, &s, &tally);
    if (ok)
        demo_history_record_table(c, t, &tally);
    demo_files_tally_free(&tally);
    return demo_plan_table_done(c, t->database, t->name, ok);
}

int demo_plan_tables(void) {
    return (int)(sizeof demo_tables / sizeof demo_tables[0] +
                 sizeof demo_open_tables / sizeof demo_open_tables[0]);
}

bool demo_plan_write(demo_ctx *c) {
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof demo_databases / sizeof demo_databases[0]; i++)
        ok = demo_catalog_write_database(c, demo_databases[i].name, demo_databases[i].description,
                                         demo_databases[i].location);
    for (size_t i = 0; ok && i < sizeof demo_tables / sizeof demo_tables[0]; i++)
        ok = demo_plan_write_table(c, &demo_tables[i], 0);
    for (size_t i = 0; ok && i < sizeof demo_open_tables / sizeof demo_open_tables[0]; i++)
        ok = demo_plan_table_done(c, demo_open_tables[i].database, demo_open_tables[i].name,
                                  demo_open_tables[i].write(c));
    return ok;
}

/* The files of generated table i: pairs of tables trade some files, so
 * sizes differ but add up to n_files. */
static int demo_plan_bench_files(int i, int n_tables, int n_files) {
    int base = n_files / n_tables, rem = n_files % n_tables;
    demo_rng pair = demo_rng_seed("bench", "pair", (uint64_t)(i / 2));
    int swing = (int)demo_rng_range(&pair, 0, base / 2);
    int files = base + (i < rem ? 1 : 0);
    if (i % 2 == 0 && i + 1 < n_tables)
        files += swing;
    else if (i % 2 == 1)
        files -= swing;
    return files;
}

/* Scale mode: extra_tables tables of tiny parquet files, dt-partitioned,
 * DEMO_BENCH_TABLES_PER_DB per database bench_NNN. */
bool demo_plan_write_bench(demo_ctx *c, int n_tables, int n_files) {
    if (n_files < 0)
        n_files = 0;
    int n_dbs = (n_tables + DEMO_BENCH_TABLES_PER_DB - 1) / DEMO_BENCH_TABLES_PER_DB;
    bool ok = true;
    for (int db = 0; ok && db < n_dbs; db++) {
        char *name = xasprintf("bench_%03d", db);
        char *location = xasprintf("storing/%s/", name);
        ok = demo_catalog_write_database(c, name, "Generated tables for the benchmark", location);
        free(name);
        free(location);
    }
    int *counts = xcalloc((size_t)c->days, sizeof *counts);
    for (int i = 0; ok && i < n_tables; i++) {
        int files = demo_plan_bench_files(i, n_tables, n_files);
        demo_rng r = demo_rng_seed("bench", "table", (uint64_t)i);
        /* One table in ten stopped receiving data some days ago. */
        int lag = demo_rng_range(&r, 0, 9) == 0 ? (int)demo_rng_range(&r, 3, 30) : 0;
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
            .batch_hour = (int)demo_rng_range(&r, 0, 23),
            DEMO_COLUMNS(bench_columns),
            .file_min = 64,
            .file_max = 512,
            .files_per_day = counts,
        };
        ok = demo_plan_write_table(c, &spec, (uint64_t)i + 1);
        free(database);
        free(table);
        free(location);
    }
    free(counts);
    return ok;
}
