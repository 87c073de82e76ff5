/* fuzz_sts_xml.c: libFuzzer harness for STS's answer parsers: the
 * credentials of AssumeRole and AssumeRoleWithWebIdentity, the
 * GetCallerIdentity result, an ErrorResponse, and the name of an ARN. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *error = NULL;
    aws_credentials c = {.expiration = -1};
    if (aws_sts_parse_credentials(text, size, &c, &error)) {
        if (!c.access_key_id || !c.secret_access_key || !c.session_token)
            abort();
    } else {
        free(error);
    }
    aws_credentials_clear(&c);
    error = NULL;
    aws_identity id = {0};
    if (aws_sts_parse_identity(text, size, &id, &error)) {
        if (!id.account || !id.arn || !id.name)
            abort();
    } else {
        free(error);
    }
    aws_identity_clear(&id);
    char *code = NULL, *message = NULL;
    if (aws_sts_parse_error(text, size, &code, &message) && !code)
        abort();
    free(code);
    free(message);
    free(aws_identity_name(text));
    free(text);
    return 0;
}
