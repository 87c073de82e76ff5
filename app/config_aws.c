/* config_aws.c: the AWS values of [laketop] (see config_aws.h). */
#include "app/config_aws.h"

#include <string.h>

#include "common/xalloc.h"

bool config_endpoint_ok(const char *url) {
    const char *host = strncmp(url, "http://", 7) == 0    ? url + 7
                       : strncmp(url, "https://", 8) == 0 ? url + 8
                                                          : NULL;
    return host && host[0] && host[0] != '/' && !strpbrk(url, " \t");
}

bool config_aws_value_ok(const char *name, const char *value, char **error) {
    if (name[0] == 'e' && !config_endpoint_ok(value))
        *error = xasprintf("endpoint_url: \"%s\" is not an http:// or https:// address", value);
    else if (name[0] == 'r' && (!value[0] || value[strspn(value, "abcdefghijklmnopqrstuvwxyz"
                                                                 "0123456789-")]))
        *error = xasprintf("region: \"%s\" is not a region's name (e.g. eu-west-1)", value);
    else if (name[0] == 'p' && !value[0])
        *error = xasprintf("profile: empty (name one of ~/.aws/config, or remove the line)");
    else
        return true;
    return false;
}
