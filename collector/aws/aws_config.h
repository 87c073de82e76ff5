/* aws_config.h: credentials, region and endpoints, resolved as the AWS CLI
 * resolves them: flags, environment, the shared credentials and config files
 * (profiles), credential_process, container credentials and EC2 instance
 * metadata (IMDSv2 first, IMDSv1 fallback). Secrets never appear in any
 * message this module produces. */
#ifndef LAKETOP_AWS_CONFIG_H
#define LAKETOP_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the user asked for on the command line or in laketop's config. */
typedef struct aws_request_options {
    const char *profile;      /* --profile, NULL: AWS_PROFILE or "default" */
    const char *region;       /* --region */
    const char *endpoint_url; /* --endpoint-url: every service */
    bool force_path_style;    /* --s3-path-style */
    bool read_only;           /* --read-only: no request that changes anything is sent */
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
    char *endpoint_sts; /* AWS_ENDPOINT_URL_STS, the global one, else
                           https://sts.REGION.amazonaws.com */
    char *endpoint_sso; /* AWS_ENDPOINT_URL_SSO, the global one, else the portal of sso_region */
    bool endpoint_overridden_s3; /* path-style addressing then */
    bool path_style;
    char *ca_bundle; /* AWS_CA_BUNDLE or the profile's ca_bundle; NULL: system */
    aws_credential_kind credential_kind;
    char *credential_process;    /* the command, for AWS_CREDS_PROCESS */
    aws_credentials credentials; /* current; refreshed by aws_config_refresh */
} aws_config;

/* An INI file as the AWS CLI writes them: [section] and key = value lines,
 * '#' and ';' comments, indented continuation lines (nested settings such as
 * "s3 =" blocks) accepted and ignored. The callback gets each value; it
 * returns false to stop. False with *error "FILE:LINE: why" on a junk line. */
typedef bool (*aws_ini_fn)(void *ctx, const char *section, const char *key, const char *value,
                           int line);
bool aws_ini_parse(const char *text, const char *path, aws_ini_fn fn, void *ctx, char **error);

/* Resolves everything but fetches no credentials over the network yet.
 * False with *error for an unknown profile, a broken file, no region. */
bool aws_config_resolve(const aws_request_options *options, aws_config *config, char **error);
/* Fetches or refreshes the credentials when missing or within 5 minutes of
 * expiry (credential_process, container, IMDS); false with *error. */
bool aws_config_refresh(aws_config *config, int64_t now, char **error);
void aws_config_free(aws_config *config);
/* PLACEHOLDER (h9, dropped at merge: h7 declares it): how the credentials
 * were found, as botocore names the method: "assume-role", "sso",
 * "web-identity", "environment", "profile", "process", "container",
 * "instance"; NULL when none. */
const char *aws_config_credential_method(const aws_config *config);
void aws_credentials_clear(aws_credentials *credentials);

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
