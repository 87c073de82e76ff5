/* zones.h: zones and sync rules as the config declares them, and what can be
 * read of them: a zone's objects (a local directory walked, or an s3://
 * prefix listed), each zone's size and each rule's last run for the Zones
 * view. Reading only: the sync that copies between zones is actions/sync.h.
 *
 * A zone is a named place holding table data (a local directory, a file://
 * URI or s3://bucket/prefix/) with a role (landing, storing, user). A rule
 * copies prefixes from one zone to another. */
#ifndef LAKETOP_ZONES_H
#define LAKETOP_ZONES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "collector/snapshot.h"
#include "collector/source.h"

/* The name a sync gives a copy until it is renamed into place: a file so
 * named is never an object of a zone. */
#define ZONES_PARTIAL ".laketop-partial-"

typedef struct zone {
    char *name;
    char *uri;  /* a directory, a file:// URI or s3://bucket/prefix/ */
    char *role; /* landing, storing, user */
} zone;

typedef struct sync_rule {
    char *name;
    char *from; /* zone names */
    char *to;
    char **prefixes; /* relative to the zones; none for everything */
    size_t n_prefixes;
    bool delete_extra;
} sync_rule;

typedef struct sync_config {
    zone *zones;
    size_t n_zones;
    sync_rule *rules;
    size_t n_rules;
} sync_config;

void zones_config_free(sync_config *c);
void zones_config_copy(sync_config *dst, const sync_config *src);
const zone *zones_find(const sync_config *c, const char *name);
const sync_rule *zones_find_rule(const sync_config *c, const char *name);
/* Adds the rules of a mapping file (CSV: TABLE,GROUP,FEQ,USER_BUCKET, as
 * the usual storing-to-user-zone jobs use): for each row a rule named
 * GROUP/TABLE copying TABLE/ from the zone with role "storing" to the zone
 * named USER_BUCKET (or whose URI is USER_BUCKET). False with *error naming
 * the file and line of the first broken row. */
bool zones_load_mapping(sync_config *c, const char *path, char **error);
/* Checks that every s3:// zone address parses and that every rule names two
 * different zones that exist. */
bool zones_check(const sync_config *c, char **error);
/* The bucket and prefix (with '/') of an s3:// zone; false with *error
 * (naming the zone) when its address does not parse, both then NULL. */
bool zones_s3_split(const zone *z, char **bucket, char **prefix, char **error);
/* Whether any zone is on s3:// (then a source that reaches S3 is needed). */
bool zones_use_s3(const sync_config *c);
/* A local zone whose uri is a relative path is inside `lake` (as a
 * crawler's path and a table's Location are): its uri becomes lake/uri.
 * Absolute paths, file:// and s3:// addresses stay as they are. */
void zones_resolve_relative(sync_config *c, const char *lake);
/* A local zone's directory (its URI without file://). */
const char *zones_dir(const zone *z);

/* A zone's objects under some prefixes, sorted by key (keys relative to the
 * zone). Local zones also report the partial copies a killed sync left
 * (full paths), which are not objects. */
typedef struct zone_listing {
    object_entry *items;
    size_t n;
    size_t cap;
    char **partials;
    size_t n_partials;
    size_t cap_partials;
} zone_listing;

/* Lists `z` under `prefixes` (none: the whole zone); `s3` (may be NULL)
 * reaches s3:// zones. A prefix that does not exist is empty. */
bool zones_list(const zone *z, char *const *prefixes, size_t n_prefixes, lake_source *s3,
                zone_listing *out, char **error);
void zones_listing_free(zone_listing *l);

/* The last run of each rule, kept by the sync in
 * $XDG_STATE_HOME/laketop/syncs.json as {"RULE": {"time": ISO, "ok": bool,
 * "result": "..."}}: its path (malloc'd, NULL without a home) and its
 * contents (an empty object when missing or broken; the caller puts it). */
char *zones_runs_path(void);
json_object *zones_runs_load(const char *path);

/* Fills snapshot->zones (with sizes) and ->rules (with their last run). */
void zones_describe(const sync_config *c, lake_source *s3, lake_snapshot *snapshot);

#endif
