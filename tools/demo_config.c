/* demo_config.c: what the demo lake declares beside its catalog, so that
 * every view has something to show on a fresh `make run`: DIR/laketop.conf
 * (the waste threshold of its small open-format tables, a crawler, zones
 * and sync rules; every path in it relative to the lake, so the lake can
 * move and stays the same byte for byte) and the files its
 * crawler finds: landing/partners/, two tables no catalog entry knows yet.
 * A crawl (c) catalogs them; a sync (s) copies sales' customers and
 * products to the users/marketing zone. Two jobs (demo_jobs.c writes their
 * past): check_landing succeeds, load_partners fails with a message. */
#include "tools/demo_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define DEMO_CONFIG_SHIPMENT_DAYS 3 /* shipments/ has the last three days */

static const char *const demo_config_countries[] = {"US", "DE", "FR", "GB", "JP", "MX"};
static const char *const demo_config_carriers[] = {"ups", "dhl", "fedex", "usps", "dpd"};

static const demo_column demo_config_supplier_columns[] = {
    {"supplier_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"name", "string", K_HEX, 8, 0, NULL, 0, NULL},
    {"country", "string", K_WORD, 0, 0, demo_config_countries,
     sizeof demo_config_countries / sizeof demo_config_countries[0], NULL},
    {"email", "string", K_EMAIL, 0, 0, NULL, 0, NULL},
};
static const demo_column demo_config_shipment_columns[] = {
    {"shipment_id", "string", K_HEX, 12, 0, NULL, 0, NULL},
    {"supplier_id", "bigint", K_INT, 1, 40, NULL, 0, NULL},
    {"carrier", "string", K_WORD, 0, 0, demo_config_carriers,
     sizeof demo_config_carriers / sizeof demo_config_carriers[0], NULL},
    {"shipped_at", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"weight_kg", "double", K_DOUBLE, 1, 900, NULL, 0, NULL},
};
static const demo_spec demo_config_suppliers = {
    .database = "partners",
    .name = "suppliers",
    .format = DEMO_CSV,
    .columns = demo_config_supplier_columns,
    .n_columns = sizeof demo_config_supplier_columns / sizeof demo_config_supplier_columns[0],
};
static const demo_spec demo_config_shipments = {
    .database = "partners",
    .name = "shipments",
    .format = DEMO_JSON,
    .columns = demo_config_shipment_columns,
    .n_columns = sizeof demo_config_shipment_columns / sizeof demo_config_shipment_columns[0],
};

/* The config is read as any other (app/config.h); zone uris relative to
 * the lake are resolved against it when it is opened. */
static const char demo_config_text[] =
    "# laketop.conf: what the demo lake declares beside its catalog (written by\n"
    "# `laketop demo`). `make run` starts with it; by hand:\n"
    "#     laketop --lake DIR --config DIR/laketop.conf\n"
    "# Paths are inside the lake. Copy the sections into your own config\n"
    "# ($XDG_CONFIG_HOME/laketop/config) to keep them.\n"
    "\n"
    "[laketop]\n"
    "# The Overview's \"waste\" line names a table whose unreferenced files\n"
    "# (orphans, files of expired snapshots) pass waste_share of its live size\n"
    "# and waste_bytes. The default 10 GiB suits a real lake; the demo's files\n"
    "# are small, so weblogs.events (Iceberg) shows the line with 1 MiB.\n"
    "waste_bytes = 1MiB\n"
    "\n"
    "# C lists it, c runs it: landing/partners/ holds two tables no catalog\n"
    "# entry knows yet (suppliers, shipments); a crawl writes them to the\n"
    "# database partners.\n"
    "[crawler partners_landing]\n"
    "path = landing/partners\n"
    "database = partners\n"
    "\n"
    "# Z lists the zones and the sync rules, s runs the selected rule (a dry\n"
    "# run first, then a question).\n"
    "[zone landing]\n"
    "uri = landing\n"
    "role = landing\n"
    "\n"
    "[zone storing]\n"
    "uri = storing\n"
    "role = storing\n"
    "\n"
    "[zone marketing]\n"
    "uri = users/marketing\n"
    "role = user\n"
    "\n"
    "[sync customers_to_marketing]\n"
    "from = storing\n"
    "to = marketing\n"
    "prefix = sales/customers/, sales/products/\n"
    "delete = false\n"
    "\n"
    "[sync songs_to_marketing]\n"
    "from = storing\n"
    "to = marketing\n"
    "prefix = music/songs/, music/artists/\n"
    "delete = false\n"
    "\n"
    "# The Pipeline view lists the jobs and their runs (kept in\n"
    "# .laketop/jobs.jsonl); `laketop job NAME` runs one (in the lake\n"
    "# directory, with /bin/sh -c). check_landing succeeds; load_partners\n"
    "# fails, as the partner's upload has no _SUCCESS marker yet, and its\n"
    "# failed newest run is a WARNING for `laketop check` (CRITICAL with\n"
    "# severity = critical).\n"
    "[job check_landing]\n"
    "command = ls landing/partners >/dev/null && echo \"$(ls landing/partners | wc -l) tables "
    "waiting\"\n"
    "description = lists what the partners uploaded\n"
    "\n"
    "[job load_partners]\n"
    "command = test -e landing/partners/shipments/_SUCCESS || { echo \"load_partners: no "
    "_SUCCESS marker in landing/partners/shipments: the partner's upload is not complete\" >&2; "
    "exit 2; }\n"
    "description = loads the partners' upload once it is complete\n";

/* One text file of `rows` rows at `mtime`, its directory made first. */
static bool demo_config_write_rows(demo_ctx *c, demo_table_state *s, const char *dir,
                                   const char *file, int32_t day, int64_t mtime, int64_t bytes) {
    if (!demo_mkdirs(c, dir))
        return false;
    demo_content_text(&c->buf, s, day, mtime, bytes);
    char *path = xasprintf("%s/%s", dir, file);
    bool ok = demo_write_file(c, path, c->buf.data, c->buf.length, mtime, false);
    free(path);
    strbuf_free(&c->buf);
    return ok;
}

bool demo_config_write(demo_ctx *c) {
    /* suppliers: one CSV file, a week ago (or the first day) */
    int32_t day = c->today - 7 < c->first_day ? c->first_day : c->today - 7;
    demo_table_state s = {.spec = &demo_config_suppliers,
                          .rng = demo_rng_seed("partners", "suppliers", 0)};
    char *dir = xasprintf("%s/landing/partners/suppliers", c->dir);
    bool ok = demo_config_write_rows(c, &s, dir, "suppliers.csv", day, demo_time(c, day, 6 * 3600),
                                     3 * DEMO_KIB);
    free(dir);
    /* shipments: JSON lines, a dt= partition for each of the last days */
    s = (demo_table_state){.spec = &demo_config_shipments,
                           .rng = demo_rng_seed("partners", "shipments", 0)};
    for (int k = DEMO_CONFIG_SHIPMENT_DAYS - 1; ok && k >= 0; k--) {
        day = c->today - k;
        if (day < c->first_day)
            continue;
        char date[16];
        fmt_day(day, date, sizeof date);
        dir = xasprintf("%s/landing/partners/shipments/dt=%s", c->dir, date);
        ok = demo_config_write_rows(c, &s, dir, "part-00000.json", day, demo_time(c, day, 7 * 3600),
                                    4 * DEMO_KIB + demo_rng_range(&s.rng, 0, 2 * DEMO_KIB));
        free(dir);
    }
    /* the sync rules' destination, empty until a sync */
    dir = xasprintf("%s/users/marketing", c->dir);
    ok = ok && demo_mkdirs(c, dir);
    free(dir);
    char *path = xasprintf("%s/laketop.conf", c->dir);
    ok = ok &&
         demo_write_file(c, path, demo_config_text, sizeof demo_config_text - 1, c->now, false);
    free(path);
    return ok;
}
