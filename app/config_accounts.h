/* config_accounts.h: the value of protected_accounts: AWS account ids,
 * 12 digits each, separated by commas (spaces around them allowed). */
#ifndef LAKETOP_CONFIG_ACCOUNTS_H
#define LAKETOP_CONFIG_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

/* *ids gets the ids (malloc'd, each malloc'd), *n how many; false with
 * *error (without FILE:LINE: the caller's) on an entry that is not 12
 * digits, an empty one included. */
bool config_accounts_parse(const char *value, char ***ids, size_t *n, char **error);

#endif
