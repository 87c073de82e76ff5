/* aws_config.c: the request layer's guard of read-only mode (aws_config.h).
 * The rest of aws_config.h is made elsewhere: the profile files in
 * aws_profile.c, the chain in aws_chain.c, resolving and refreshing in
 * aws_signin.c, the credentials JSON and fetchers in aws_credentials.c. */
#include "collector/aws/aws_config.h"

#include <stdio.h>
#include <string.h>

#include "common/xalloc.h"

bool aws_config_refused(const aws_request_options *o, const char *service, const char *operation,
                        const char *target, char **error) {
    if (!o->read_only)
        return false;
    static const char *const reading[] = {"GET",      "HEAD",   "Get",     "List",
                                          "BatchGet", "Search", "Describe"};
    bool s3 = strcmp(service, "S3") == 0;
    for (size_t i = s3 ? 0 : 2; i < (s3 ? 2 : sizeof reading / sizeof reading[0]); i++) {
        size_t n = strlen(reading[i]);
        if (strncmp(operation, reading[i], n) == 0 && (s3 ? operation[n] == '\0' : true))
            return false;
    }
    *error = xasprintf("%s %s%s%s: not sent: read-only mode", service, operation, target ? " " : "",
                       target ? target : "");
    return true;
}
