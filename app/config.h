/* config.h: the configuration file ($XDG_CONFIG_HOME/laketop/config, INI)
 * and the paths derived from it. Command-line flags override it.
 *
 *   [laketop]
 *   lake = ~/lakes/prod        interval = 60s     theme = dark
 *   stale_warn = 2d            stale_crit = 7d    read_only = false
 *   mouse = true               view = overview (or databases: the first screen)
 *   source = aws   profile = prod   region = eu-west-1   endpoint_url = ...
 *   s3_path_style = false   concurrency = 32
 *   protected_accounts = 123456789012, 210987654321   (actions there ask for the id)
 *   [database sales]           stale_warn = 1d
 *   [table sales.orders]       stale_crit = 3d
 *   [zone storing]             uri = /lake/storing   role = storing
 *   [sync orders_to_marketing] from = storing   to = marketing
 *                              prefix = sales/orders/, sales/customers/   delete = false
 *   [job compact_orders]       command = ./bin/compact   severity = critical
 */
#ifndef LAKETOP_CONFIG_H
#define LAKETOP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "app/config_inventory.h"
#include "app/config_jobs.h"
#include "app/config_paths.h"
#include "collector/zones.h"
#include "collector/figures/cost.h"
#include "collector/figures/incremental.h"
#include "collector/figures/thresholds.h"
#include "collector/figures/writers.h"

/* A [database NAME] or [table DATABASE.TABLE] section, with the line of
 * its header: once the catalog is read, those that name nothing in it are
 * warned about (config_names.h). */
typedef struct config_section {
    char *database;
    char *table; /* NULL for [database NAME] */
    int line;
} config_section;

typedef struct config {
    char *path; /* the file read; NULL when none was */
    char *lake_dir;
    int64_t interval_seconds;
    char *theme;
    int theme_line; /* where the file set it (0: not), for config_names_theme */
    char *themes_dir;
    thresholds thresholds;
    bool read_only;
    bool production; /* actions in the dashboard ask for the target's name */
    bool mouse;
    bool start_databases; /* view = databases: start on Databases, not Overview */
    /* source = local | aws */
    bool aws;
    char *profile;
    char *region;
    char *endpoint_url;
    char *inventory;      /* s3://DEST/SOURCE-BUCKET/CONFIG-ID/ (S3 Inventory), or NULL */
    config_athena athena; /* the inventory through Athena (config_inventory.h) */
    bool s3_path_style;
    int64_t concurrency;
    char *backup_dir; /* default DEST of `laketop backup` */
    char *export_dir; /* default DEST of `laketop export`; the dashboard exports daily */
    sync_config sync; /* [zone NAME] and [sync NAME] sections */
    char *mapping;    /* a TABLE,GROUP,FEQ,USER_BUCKET file of sync rules */
    /* [crawler NAME] path = ..., database = ... (the local lake's) */
    struct config_crawler {
        char *name, *path, *database;
    } * crawlers;
    size_t n_crawlers;
    config_jobs jobs; /* [job NAME] sections (config_jobs.h) */
    /* protected_accounts: AWS account ids (12 digits each) where every
     * action that changes something asks for the id to be typed (the
     * dashboard) or given (--confirm-account on the command line) */
    char **protected_accounts;
    size_t n_protected_accounts;
    /* job = NAME / state_machine = NAME under [database] and [table]: the
     * writer of their tables (writers.h) */
    writer_rules writers;
    config_section *sections; /* in the file's order, each name once */
    size_t n_sections;
    cost_prices prices; /* [prices] (config_prices.h) over the built-in ones */
    /* recent_partitions, verify_every, flat_below (config_incremental.h) */
    incremental_settings incremental;
} config;

void config_init(config *c);
void config_free(config *c);
/* Reads an INI file over the current values. A missing file is fine unless
 * must_exist. False with *error "path:line: why" on the first bad line, or,
 * once the whole file is read, on the line of the first thing that makes no
 * sense with the rest: stale_crit shorter than stale_warn (in [laketop] or
 * within one [database]/[table] section), a zone without a uri or with an
 * s3:// address that does not parse, a sync rule without from/to, naming a
 * zone that is not defined, or copying a zone onto itself; an entry of
 * protected_accounts that is not 12 digits; an endpoint_url that is not
 * http(s), a region that is not a region's name. A path (lake,
 * uri, mapping, backup_dir, export_dir, themes_dir) is never empty. */
bool config_load(config *c, const char *path, bool must_exist, char **error);
/* Whether `account` is one of protected_accounts (false for NULL). */
bool config_account_protected(const config *c, const char *account);

#endif
