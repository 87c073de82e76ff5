/* sso_driver.c: calls aws_sso_credentials (collector/aws/aws_sso.h) once,
 * so that the SSO code can be tested against the test endpoint's portal
 * on its own, without the credential chain. Built by test_aws_sso.sh with
 * `-I.` from the repository root, linked with build/liblaketop.a.
 *
 *   sso_driver PROFILE SESSION START_URL REGION ACCOUNT ROLE PORTAL CACHE_DIR [ENV_FILE]
 *
 * SESSION "-" is the legacy form (no sso-session); CACHE_DIR "-" is
 * ~/.aws/sso/cache; AWS_CA_BUNDLE, when set, is the CA bundle; "now" is
 * LAKETOP_NOW or the clock. On success it prints "ok ACCESS_KEY_ID
 * EXPIRATION" and, with ENV_FILE, writes the credentials there as
 * AWS_ACCESS_KEY_ID=/AWS_SECRET_ACCESS_KEY=/AWS_SESSION_TOKEN= lines (mode
 * 0600) for a shell to source; on failure it prints the message on stderr
 * and exits 2, as laketop does. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_sso.h"
#include "common/clock.h"

static const char *arg(const char *s) {
    return strcmp(s, "-") == 0 ? NULL : s;
}

int main(int argc, char **argv) {
    if (argc != 9 && argc != 10) {
        fprintf(stderr, "usage: sso_driver PROFILE SESSION START_URL REGION ACCOUNT ROLE PORTAL "
                        "CACHE_DIR [ENV_FILE]\n");
        return 64;
    }
    aws_sso_profile p = {
        .profile = argv[1],
        .session_name = arg(argv[2]),
        .start_url = arg(argv[3]),
        .region = arg(argv[4]),
        .account_id = arg(argv[5]),
        .role_name = arg(argv[6]),
    };
    aws_credentials c = {0};
    c.expiration = -1;
    char *error = NULL;
    const char *ca = getenv("AWS_CA_BUNDLE");
    if (!aws_sso_credentials(&p, arg(argv[7]), arg(argv[8]), ca && *ca ? ca : NULL, clock_now(), &c,
                             &error)) {
        fprintf(stderr, "%s\n", error);
        free(error);
        return 2;
    }
    printf("ok %s %lld\n", c.access_key_id, (long long)c.expiration);
    if (argc == 10) {
        int fd = open(argv[9], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            perror(argv[9]);
            return 1;
        }
        fprintf(f, "AWS_ACCESS_KEY_ID='%s'\nAWS_SECRET_ACCESS_KEY='%s'\nAWS_SESSION_TOKEN='%s'\n",
                c.access_key_id, c.secret_access_key, c.session_token);
        fclose(f);
    }
    aws_credentials_clear(&c);
    return 0;
}
