/* aws_chain.h: the credential chain of a config (aws_config.h says in
 * which order it is built): a list of links, links[0] the base (keys, a
 * process, the container or instance metadata, web identity, SSO) and each
 * later one a role assumed with the credentials of the one before. Built
 * once from the environment and the profiles (aws_chain.c); fetched link by
 * link when they near their expiry (aws_signin.c). Internal to the two. */
#ifndef LAKETOP_AWS_CHAIN_H
#define LAKETOP_AWS_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/aws/aws_config.h"
#include "collector/aws/aws_profile.h"

typedef enum aws_link_kind {
    AWS_LINK_STATIC,      /* keys read at resolve (the environment or a profile) */
    AWS_LINK_ENVIRONMENT, /* credential_source = Environment: read at each fetch */
    AWS_LINK_PROCESS,
    AWS_LINK_CONTAINER,
    AWS_LINK_IMDS,
    AWS_LINK_WEB_IDENTITY,
    AWS_LINK_SSO,
    AWS_LINK_ROLE, /* AssumeRole with the link before */
} aws_link_kind;

typedef struct aws_link {
    aws_link_kind kind;
    char *profile; /* whose settings; NULL: the environment's */
    char *process;
    char *role_arn, *session_name, *external_id, *mfa_serial, *token_file;
    int64_t duration_seconds;
    char *sso_session, *sso_start_url, *sso_region, *sso_account_id, *sso_role_name;
    aws_credentials credentials; /* the top link's are the config's */
    int64_t fetched_at;
    int64_t failed_at; /* the last fetch that failed (0: none) */
} aws_link;

struct aws_chain {
    aws_link *links; /* links[0] the base, the last the top */
    size_t n, cap;
    bool (*mfa_code)(void *ctx, const char *profile, const char *serial, char *code, size_t size);
    void *mfa_ctx;
};

/* Builds config->chain for config->profile (the region set already);
 * `explicit_profile`: one was given (--profile, laketop's config), so the
 * environment's keys and web identity do not count. False with *error: one
 * line naming the profile and what to do. */
bool aws_chain_build(aws_config *config, const aws_profiles *profiles, bool explicit_profile,
                     char **error);
void aws_chain_free(struct aws_chain *chain);

#endif
