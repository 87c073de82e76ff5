/* fuzz_sso_json.c: libFuzzer harness for the two IAM Identity Center JSON
 * parsers (collector/aws/aws_sso.h): a cached SSO token and the portal's
 * roleCredentials answer. The input is made a C string first (both take
 * one). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_sso.h"
#include "common/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    aws_sso_token t;
    memset(&t, 0, sizeof t);
    char *error = NULL;
    if (aws_sso_parse_token(text, &t, &error))
        aws_sso_token_clear(&t);
    free(error);
    aws_credentials c;
    memset(&c, 0, sizeof c);
    error = NULL;
    if (aws_sso_parse_role_credentials(text, &c, &error))
        aws_credentials_clear(&c);
    free(error);
    /* the registry grows with each secret parsed: keep it small */
    redact_forget_all();
    free(text);
    return 0;
}
