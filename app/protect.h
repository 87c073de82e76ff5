/* protect.h: protected accounts (config protected_accounts): who an
 * action would change, and on the command line the confirmation that it
 * is that account: the id typed on a terminal, or --confirm-account ID
 * (scripts: the id names the account the script means, so a script run
 * with the wrong profile stops instead of changing another account; a
 * plain --yes would not). --read-only is decided before and is stronger:
 * it refuses whatever is confirmed. */
#ifndef LAKETOP_PROTECT_H
#define LAKETOP_PROTECT_H

#include <stdbool.h>

#include "app/options.h"
#include "collector/snapshot.h"

/* Who the AWS credentials of `a` are: the account's source when the lake
 * is an account (opened), else a source made for S3 (a local lake's
 * s3:// zones, backups, exports). Never NULL: without an account, an
 * identity with its error. Free with snapshot_identity_free. */
snapshot_identity *protect_identity(command_context *a);

/* Before command `name` (with `arg`), which changes something, runs: -1
 * when it may go on, else the exit status (2) after saying why on stderr.
 * Asks only when what it changes is in the AWS account (a crawl or a
 * restore of an account, a sync, backup or export to s3://) and
 * protected_accounts is set or --confirm-account given. */
int protect_confirm(command_context *a, const char *name, const char *arg);

#endif
