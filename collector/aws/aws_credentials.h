/* aws_credentials.h: the credential providers that fetch (credential_process,
 * container credentials, EC2 instance metadata, the environment's keys read
 * again) and the one small blocking HTTP request they, STS and SSO make:
 * these run once per refresh of credentials, never per data request, so
 * they do not go through the multi client. The secrets they load are
 * registered for redaction (common/redact.h). */
#ifndef LAKETOP_AWS_CREDENTIALS_H
#define LAKETOP_AWS_CREDENTIALS_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/aws/aws_config.h"
#include "common/strbuf.h"

/* One blocking request. `headers` NULL-terminated (may be NULL); `body`
 * NULL for none; the answer goes to `out` (64 KiB at most, more is an
 * error). Returns the HTTP status, or 0 with *error "URL: why" when none
 * came ("why" alone when `bare_error`: the caller names the server).
 * `metadata`: a link-local credentials server (no proxy). Only http and
 * https are followed. */
typedef struct aws_http_call {
    const char *method;
    const char *url;
    const char *const *headers;
    const char *body;
    const char *ca_bundle;
    long timeout_ms;
    bool metadata;
    bool bare_error;
} aws_http_call;
long aws_credentials_http(const aws_http_call *call, strbuf *out, char **error);

/* The secret key and the session token kept out of every message from now
 * on; the access key id is no secret (AWS prints it). */
void aws_credentials_register(const aws_credentials *credentials);
/* Zeroes an answer that held secrets, then frees it. */
void aws_credentials_wipe(strbuf *answer);
/* A deep copy (dst cleared first). */
void aws_credentials_copy(aws_credentials *dst, const aws_credentials *src);

/* The fetchers, each into *out (cleared first), `source` set. */
/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) as set now. */
bool aws_credentials_environment(aws_credentials *out, char **error);
/* `command`'s JSON on its standard output (64 KiB at most). */
bool aws_credentials_process(const char *command, aws_credentials *out, char **error);
/* AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE). */
bool aws_credentials_container(aws_credentials *out, char **error);
/* IMDSv2 (IMDSv1 when the token is refused) at
 * AWS_EC2_METADATA_SERVICE_ENDPOINT or 169.254.169.254; the error names
 * `profile`. */
bool aws_credentials_imds(const char *profile, aws_credentials *out, char **error);

#endif
