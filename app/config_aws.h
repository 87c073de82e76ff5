/* config_aws.h: the AWS values of [laketop] checked as the file is read
 * (and --endpoint-url, by the same rule): profile (a name), region
 * (letters, digits, -), endpoint_url (an http:// or https:// address). */
#ifndef LAKETOP_CONFIG_AWS_H
#define LAKETOP_CONFIG_AWS_H

#include <stdbool.h>

/* Whether `url` is an http:// or https:// address with a host (endpoint_url). */
bool config_endpoint_ok(const char *url);
/* Whether `value` suits key `name` (profile, region or endpoint_url); false
 * with *error (without FILE:LINE: the caller's) saying why. */
bool config_aws_value_ok(const char *name, const char *value, char **error);

#endif
