/* fuzz_s3_list.c: libFuzzer harness for the streaming S3 listing parser.
 * The input is split in two at its first byte's value, to exercise chunk
 * boundaries as well as content. */
#include <stddef.h>
#include <stdint.h>

#include "../../collector/s3_list.h"

static void fuzz_object(void *ctx, const s3_object *o) {
    (void)ctx;
    (void)o;
}

static void fuzz_prefix(void *ctx, const char *prefix) {
    (void)ctx;
    (void)prefix;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    s3_list_callbacks cb = {fuzz_object, fuzz_prefix, NULL};
    s3_list_parser *p = s3_list_parser_new(&cb);
    size_t cut = size ? data[0] % (size + 1) : 0;
    if (s3_list_parser_feed(p, (const char *)data, cut))
        s3_list_parser_feed(p, (const char *)data + cut, size - cut);
    s3_list_parser_finish(p);
    (void)s3_list_parser_next_token(p);
    s3_list_parser_free(p);
    return 0;
}
