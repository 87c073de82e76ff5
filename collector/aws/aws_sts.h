/* aws_sts.h: AWS STS over its Query protocol (POST, form-encoded
 * Action=...&Version=2011-06-15, SigV4 with service "sts"; the answers are
 * XML, read with expat): AssumeRole, AssumeRoleWithWebIdentity (unsigned)
 * and GetCallerIdentity. The interface was fixed before the code (issue
 * 11), so that the credentials chain (aws_config.c), SSO (aws_sso.c) and
 * the identity on screen could be written at once; the parsers are pure,
 * unit-tested and fuzzed. No secret appears in any message. */
#ifndef LAKETOP_AWS_STS_H
#define LAKETOP_AWS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/aws/aws_config.h"

/* Who the credentials are: GetCallerIdentity's answer. */
typedef struct aws_identity {
    char *account; /* "123456789012" */
    char *arn;     /* "arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-..." */
    char *user_id;
    char *name; /* what a person knows it by: the role of an assumed-role ARN
                 * ("ops-readonly"), the user of a user ARN, else the ARN's last part */
} aws_identity;
void aws_identity_clear(aws_identity *id);
/* The `name` of an ARN, as above (malloc'd; NULL for NULL). */
char *aws_identity_name(const char *arn);

/* What an AssumeRole takes (NULL / 0: not sent). */
typedef struct aws_assume_role {
    const char *profile; /* for messages: "profile ops: AssumeRole arn:...: AccessDenied ..." */
    const char *role_arn;
    const char *session_name; /* NULL: "laketop-<unix time>" */
    const char *external_id;
    const char *mfa_serial;
    const char *mfa_code;     /* the code typed for mfa_serial */
    int64_t duration_seconds; /* 0: the service's default (3600) */
} aws_assume_role;

/* AssumeRole signed with `signer` at the config's STS endpoint
 * (config->endpoint_sts); *out gets the temporary credentials and their
 * expiration. False with *error: one line naming the profile and the role
 * and the service's code and message (AccessDenied, ExpiredToken,
 * ValidationError, ...). */
bool aws_sts_assume_role(const aws_config *config, const aws_credentials *signer,
                         const aws_assume_role *request, aws_credentials *out, char **error);
/* AssumeRoleWithWebIdentity (not signed) with the token read from
 * `token_file` now (it rotates: read at every call). */
bool aws_sts_assume_role_with_web_identity(const aws_config *config, const char *profile,
                                           const char *role_arn, const char *session_name,
                                           const char *token_file, int64_t duration_seconds,
                                           aws_credentials *out, char **error);
/* GetCallerIdentity signed with config->credentials (fresh: the caller
 * refreshes them first). */
bool aws_sts_caller_identity(const aws_config *config, aws_identity *out, char **error);

/* The pure parts. The answers' XML: the <Credentials> of an AssumeRole or
 * AssumeRoleWithWebIdentity result (AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration in ISO 8601), the <GetCallerIdentityResult>
 * (Account, Arn, UserId), and an STS <ErrorResponse><Error><Code>
 * <Message>. False with *error when the XML is not that. */
bool aws_sts_parse_credentials(const char *xml, size_t length, aws_credentials *out, char **error);
bool aws_sts_parse_identity(const char *xml, size_t length, aws_identity *out, char **error);
bool aws_sts_parse_error(const char *xml, size_t length, char **code, char **message);

#endif
