/* fuzz_aws_ini.c: libFuzzer harness for the AWS shared config/credentials
 * file parser and the credentials JSON (credential_process, container,
 * IMDS answers). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_config.h"

static bool fuzz_value(void *ctx, const char *section, const char *key, const char *value,
                       int line) {
    (void)ctx;
    (void)line;
    return section && key && value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *error = NULL;
    if (!aws_ini_parse(text, "fuzz", fuzz_value, NULL, &error))
        free(error);
    error = NULL;
    aws_credentials c = {.expiration = -1};
    if (!aws_parse_credentials_json(text, &c, &error))
        free(error);
    aws_credentials_clear(&c);
    free(text);
    return 0;
}
