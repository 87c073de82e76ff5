/* config_names.h: the names a configuration gives, checked against what
 * they name: a theme against the theme files (as the file is read), and
 * the [database NAME] and [table DATABASE.TABLE] sections against the
 * catalog (once it is read: a section that names nothing is a warning, as
 * a database may be created later), and the [job NAME] sections against
 * the jobs and state machines read. */
#ifndef LAKETOP_CONFIG_NAMES_H
#define LAKETOP_CONFIG_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app/config.h"
#include "collector/snapshot.h"

/* Whether theme `name` loads from `themes_dir` (NULL: none found) or is
 * built in; false with *error "theme: \"drak\" is not a theme: dark, light
 * or mono (...)" listing the valid names, or why its file does not parse. */
bool config_names_theme(const char *name, const char *themes_dir, char **error);
/* The sections of `c` that name a database or table missing from the
 * snapshot's catalog, one line each ("FILE:LINE: [table sales.orderz]
 * names no table of the catalog; did you mean sales.orders?"), in the
 * file's order: their count and *lines (malloc'd, config_names_free).
 * False when the snapshot cannot tell (its catalog was not read: an error,
 * or the saved state before the first refresh); tables of a database that
 * could not be read are never blamed. A [job NAME] that names no job or
 * state machine ("FILE:LINE: [job loadd] names no job or state machine;
 * did you mean load?") follows, when the snapshot lists any. */
bool config_names_unmatched(const config *c, const lake_snapshot *s, char ***lines, size_t *n);
void config_names_free(char **lines, size_t n);
/* The same said on `out` (stderr for --once and check), a line each:
 * "laketop: warning: FILE:LINE: ...". */
void config_names_warn(const config *c, const lake_snapshot *s, FILE *out);

#endif
