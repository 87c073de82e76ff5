/* config_paths.h: where laketop's own files are: the configuration file
 * and the history of each lake or AWS account (XDG base directories). */
#ifndef LAKETOP_CONFIG_PATHS_H
#define LAKETOP_CONFIG_PATHS_H

/* $XDG_CONFIG_HOME/laketop/config (malloc'd) or NULL without a home. */
char *config_default_path(void);
/* Where the history of a lake lives: LAKE/.laketop/history.tsv when the
 * lake carries its own state directory (the demo does), else under
 * $XDG_STATE_HOME/laketop/. */
char *config_history_path(const char *lake_dir);
/* The same for an AWS account: $XDG_STATE_HOME/laketop/aws/<key>/history.tsv
 * where the key comes from the source's name (profile, region, endpoint). */
char *config_aws_history_path(const char *source_name);
/* The incremental listings' state beside a history (incremental.tsv). */
char *config_incremental_path(const char *history_path);

#endif
