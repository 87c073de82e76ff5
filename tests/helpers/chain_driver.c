/* chain_driver.c: test driver for the credential chain, used by
 * test_aws_roles.sh's differential test against botocore. For each
 * argument (a profile, or "-" for none given) it resolves the chain as
 * laketop does (aws_config_resolve, no network) and prints one line:
 * "PROFILE METHOD" (aws_config_credential_method), or "PROFILE error". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_config.h"

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        aws_request_options o = {.profile = strcmp(argv[i], "-") == 0 ? NULL : argv[i],
                                 .region = "us-east-1"};
        aws_config c;
        char *error = NULL;
        if (aws_config_resolve(&o, &c, &error)) {
            printf("%s %s\n", argv[i], aws_config_credential_method(&c));
            aws_config_free(&c);
        } else {
            printf("%s error\n", argv[i]);
            fprintf(stderr, "%s: %s\n", argv[i], error);
            free(error);
        }
    }
    return 0;
}
