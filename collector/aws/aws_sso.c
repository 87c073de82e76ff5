/* aws_sso.c: PLACEHOLDER on branch h7 only, so that the chain links before
 * helper h8's IAM Identity Center code is merged. The lead takes h8's
 * aws_sso.c at merge; nothing here is meant to stay. */
#include "collector/aws/aws_sso.h"

#include "common/xalloc.h"

bool aws_sso_credentials(const aws_sso_profile *p, const char *portal, const char *cache_dir,
                         const char *ca_bundle, int64_t now, aws_credentials *out, char **error) {
    (void)portal;
    (void)cache_dir;
    (void)ca_bundle;
    (void)now;
    (void)out;
    *error = xasprintf("profile %s: SSO is not built in this placeholder", p->profile);
    return false;
}
