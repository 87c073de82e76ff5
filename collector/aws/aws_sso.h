/* aws_sso.h: credentials from IAM Identity Center (SSO), as the AWS CLI
 * gets them after `aws sso login`: the access token it cached in
 * ~/.aws/sso/cache/<sha1>.json (SHA-1 of the sso-session's name, or of the
 * start URL for the legacy profile form; botocore-client-id-* files are
 * not tokens), then GET /federation/credentials?account_id=&role_name= on
 * the portal (https://portal.sso.REGION.amazonaws.com, or
 * AWS_ENDPOINT_URL_SSO / the global endpoint) with the header
 * x-amz-sso_bearer_token. The interface was fixed before the code (issue
 * 11): the chain (aws_config.c) parses the profile and calls this. */
#ifndef LAKETOP_AWS_SSO_H
#define LAKETOP_AWS_SSO_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/aws/aws_config.h"

/* An SSO profile as the config files give it. */
typedef struct aws_sso_profile {
    const char *profile;      /* "ops", for messages */
    const char *session_name; /* [sso-session NAME]; NULL for the legacy form */
    const char *start_url;    /* sso_start_url (the session's or the profile's) */
    const char *region;       /* sso_region */
    const char *account_id;   /* sso_account_id */
    const char *role_name;    /* sso_role_name */
} aws_sso_profile;

/* The role credentials for `p` (expiration set), using the portal at
 * `portal` (a base URL) and the token cache in `cache_dir` (NULL:
 * ~/.aws/sso/cache). A missing or expired token is false with *error
 * "the SSO session for profile X has expired: run `aws sso login
 * --profile X`" (or "... has no cached token: run ..."). */
bool aws_sso_credentials(const aws_sso_profile *p, const char *portal, const char *cache_dir,
                         const char *ca_bundle, int64_t now, aws_credentials *out, char **error);

/* The pure parts: the cache file's name for a session name or start URL
 * (40 hex digits + ".json", malloc'd), a cached token's JSON (accessToken,
 * expiresAt; refreshToken, clientId, clientSecret when there), the
 * portal's answer ({"roleCredentials": {accessKeyId, secretAccessKey,
 * sessionToken, expiration in ms}}). */
char *aws_sso_cache_name(const char *session_or_start_url);
typedef struct aws_sso_token {
    char *access_token;
    int64_t expires_at; /* Unix seconds */
    char *refresh_token;
    char *client_id;
    char *client_secret;
    char *region;
    char *start_url;
} aws_sso_token;
bool aws_sso_parse_token(const char *json, aws_sso_token *out, char **error);
void aws_sso_token_clear(aws_sso_token *t);
bool aws_sso_parse_role_credentials(const char *json, aws_credentials *out, char **error);

#endif
