/* aws_config.h: credentials, region and endpoints, resolved as the AWS CLI
 * resolves them: flags, environment, the shared credentials and config files
 * (profiles, aws_profile.h), assumed roles (role_arn with source_profile or
 * credential_source, chains of any depth), web identity, IAM Identity
 * Center (SSO), credential_process, container credentials and EC2 instance
 * metadata (IMDSv2 first, IMDSv1 fallback). Secrets never appear in any
 * message this module produces.
 *
 * The chain, as botocore builds it:
 *   1. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, unless a profile was
 *      given explicitly (options->profile: --profile or laketop's config;
 *      AWS_PROFILE does not count);
 *   2. the profile's role_arn with source_profile (followed to a profile
 *      with static keys, or one with web identity, SSO or
 *      credential_process; a cycle is an error naming the profiles) or
 *      credential_source (Environment, Ec2InstanceMetadata, EcsContainer);
 *   3. web identity: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (+
 *      AWS_ROLE_SESSION_NAME) unless a profile was given explicitly, or the
 *      profile's role_arn + web_identity_token_file;
 *   4. SSO: sso_session ([sso-session NAME]) or the legacy sso_start_url,
 *      with sso_account_id and sso_role_name;
 *   5. the profile's static keys (the credentials file's, then
 *      credential_process, then the config file's);
 *   6. container credentials, then instance metadata.
 * Temporary credentials are fetched again 5 minutes before they expire
 * (half their lifetime when that is shorter), each link of a chain when
 * its own expire; assumed-role credentials are shared by every source of
 * the process (one AssumeRole, and one MFA code, per lifetime). */
#ifndef LAKETOP_AWS_CONFIG_H
#define LAKETOP_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/aws/aws_profile.h"

/* What the user asked for on the command line or in laketop's config. */
typedef struct aws_request_options {
    const char *profile;      /* --profile, NULL: AWS_PROFILE or "default" */
    const char *region;       /* --region */
    const char *endpoint_url; /* --endpoint-url: every service */
    bool force_path_style;    /* --s3-path-style */
    bool read_only;           /* --read-only: no request that changes anything is sent */
    /* A role with mfa_serial needs a code: this asks for it (profile and
     * serial for the question), true with `code` filled; NULL or false:
     * none can be asked (--once, check, no terminal, the dashboard
     * running), and the refresh fails saying so. */
    bool (*mfa_code)(void *ctx, const char *profile, const char *serial, char *code, size_t size);
    void *mfa_ctx;
} aws_request_options;

typedef struct aws_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL when none */
    int64_t expiration;  /* Unix seconds, -1 when they do not expire */
    char *source;        /* "environment", "profile prod", "credential_process", ... */
} aws_credentials;

typedef enum aws_credential_kind {
    AWS_CREDS_NONE,
    AWS_CREDS_STATIC, /* environment or profile keys */
    AWS_CREDS_PROCESS,
    AWS_CREDS_CONTAINER,
    AWS_CREDS_IMDS,
    /* issue 11: role_arn (source_profile or credential_source), web identity
     * (environment or profile), IAM Identity Center */
    AWS_CREDS_ASSUME_ROLE,
    AWS_CREDS_WEB_IDENTITY,
    AWS_CREDS_SSO,
} aws_credential_kind;

typedef struct aws_config {
    char *profile;
    char *region;
    char *endpoint_s3; /* base URL ("https://s3.eu-west-1.amazonaws.com" or override) */
    char *endpoint_glue;
    char *endpoint_athena;
    char *endpoint_s3tables; /* S3 Tables (aws_s3tables.c) */
    char *endpoint_states;   /* Step Functions: AWS_ENDPOINT_URL_SFN (aws_pipeline.c) */
    char *endpoint_sts;      /* AWS_ENDPOINT_URL_STS, the global one, else
                                https://sts.REGION.amazonaws.com */
    char *endpoint_sso; /* AWS_ENDPOINT_URL_SSO, the global one, else the portal of sso_region */
    bool endpoint_overridden_s3; /* path-style addressing then */
    bool path_style;
    char *ca_bundle; /* AWS_CA_BUNDLE or the profile's ca_bundle; NULL: system */
    aws_credential_kind credential_kind;
    char *credential_process;    /* the command, for AWS_CREDS_PROCESS */
    aws_credentials credentials; /* current; refreshed by aws_config_refresh */
    struct aws_chain *chain;     /* how they are made (aws_chain.h) */
} aws_config;

/* Resolves everything but fetches no credentials over the network yet.
 * False with *error for an unknown profile, a broken file, no region, a
 * profile whose chain cannot work (a source_profile cycle, a missing
 * source_profile, an unknown credential_source, half an SSO setup):
 * one line naming the profile and what to do. */
bool aws_config_resolve(const aws_request_options *options, aws_config *config, char **error);
/* Fetches or refreshes the credentials when missing or near their expiry
 * (above); cheap when they are fresh, so callers may call it before every
 * request. False with *error: one line naming the profile and what to do
 * (no secret in it). */
bool aws_config_refresh(aws_config *config, int64_t now, char **error);
/* A service refused the credentials signed with `access_key_id` as
 * expired: when they are still the ones in hand (here and in what the
 * process's sources share), the next aws_config_refresh fetches new ones.
 * Keys that cannot be renewed (static, environment) are left as they are. */
void aws_config_expire(aws_config *config, const char *access_key_id);
void aws_config_free(aws_config *config);
void aws_credentials_clear(aws_credentials *credentials);

/* The kind of the credentials for a person and the JSON identity:
 * "assume-role", "sso", "web-identity", "environment", "profile",
 * "process", "container", "instance", or "none". */
const char *aws_config_credential_method(const aws_config *config);
/* The chain in words, top first: "assume-role arn:...:role/ops (profile
 * ops) <- profile base (static keys)" (malloc'd; tests and messages). */
char *aws_config_chain_text(const aws_config *config);

/* The request layer's guard of read-only mode (the actions are refused
 * before, in actions/action.h; this catches a caller that forgot): with
 * o->read_only, a request that would change something is not sent. S3:
 * any method but GET and HEAD (`target` the s3:// address); Glue and
 * Athena (`service` "Glue", "Athena"): any operation that does not only
 * read, i.e. is not Get*, List*, BatchGet*, Search* or Describe*. True,
 * with *error ("Glue CreateTable: not sent: read-only mode"), when it is
 * refused. */
bool aws_config_refused(const aws_request_options *o, const char *service, const char *operation,
                        const char *target, char **error);

/* Parses the JSON credentials that credential_process, the container
 * endpoint and IMDS return (AccessKeyId, SecretAccessKey, SessionToken or
 * Token, Expiration); false with *error (no secret in it). */
bool aws_parse_credentials_json(const char *text, aws_credentials *out, char **error);

#endif
