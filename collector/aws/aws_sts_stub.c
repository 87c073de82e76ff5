/* aws_sts_stub.c: PLACEHOLDER, to be dropped at merge (helper h7 writes
 * the real aws_sts.c and aws_config_credential_method in aws_config.c).
 * It stands in for them so that the identity on screen (h9) builds: every
 * GetCallerIdentity fails, so the identity is shown as unknown. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_sts.h"
#include "common/xalloc.h"

void aws_identity_clear(aws_identity *id) {
    free(id->account);
    free(id->arn);
    free(id->user_id);
    free(id->name);
    memset(id, 0, sizeof *id);
}

char *aws_identity_name(const char *arn) {
    if (!arn)
        return NULL;
    const char *last = strrchr(arn, ':');
    last = last ? last + 1 : arn;
    const char *slash = strchr(last, '/');
    if (slash && strncmp(last, "assumed-role/", 13) == 0) {
        const char *role = last + 13, *end = strchr(role, '/');
        return end ? xstrndup(role, (size_t)(end - role)) : xstrdup(role);
    }
    const char *tail = strrchr(last, '/');
    return xstrdup(tail ? tail + 1 : last);
}

bool aws_sts_caller_identity(const aws_config *config, aws_identity *out, char **error) {
    (void)config;
    memset(out, 0, sizeof *out);
    *error = xstrdup("STS GetCallerIdentity: not built in yet (placeholder)");
    return false;
}

const char *aws_config_credential_method(const aws_config *config) {
    switch (config->credential_kind) {
    case AWS_CREDS_STATIC:
        return config->credentials.source && strcmp(config->credentials.source, "environment") == 0
                   ? "environment"
                   : "profile";
    case AWS_CREDS_PROCESS: return "process";
    case AWS_CREDS_CONTAINER: return "container";
    case AWS_CREDS_IMDS: return "instance";
    case AWS_CREDS_ASSUME_ROLE: return "assume-role";
    case AWS_CREDS_WEB_IDENTITY: return "web-identity";
    case AWS_CREDS_SSO: return "sso";
    case AWS_CREDS_NONE: break;
    }
    return NULL;
}
