/* fuzz_answer.c: libFuzzer harness for what laketop makes of a service's
 * answer before it reads it: the 200-that-is-not-an-answer checks
 * (collector/aws/http_answer.c: sniffing, wholeness, the verdict and its
 * message), fed in chunks as curl delivers them, and the redaction of
 * secrets from the messages it makes (common/redact.c). The first byte
 * picks the chunk size. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/http_answer.h"
#include "common/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    size_t chunk = (size_t)data[0] % 97 + 1;
    const char *body = (const char *)data + 1;
    size_t length = size - 1;

    /* as http.c does: the head held back until its kind is known, then
     * every byte noted, the diverted ones kept */
    http_answer *a = calloc(1, sizeof *a);
    char *kept = malloc(length + 1);
    size_t n_kept = 0;
    for (size_t at = 0; at < length || (at == 0 && length == 0);) {
        size_t n = length - at < chunk ? length - at : chunk;
        const char *piece = body + at;
        if (a->kind == HTTP_ANSWER_MORE) {
            size_t take = 0;
            bool final = at + n == length;
            if (!http_answer_take_head(a, piece, n, final, &take)) {
                at += take ? take : n;
                if (final)
                    break;
                continue;
            }
            http_answer_note(a, a->head, a->head_length);
            memcpy(kept + n_kept, a->head, a->head_length);
            n_kept += a->head_length;
            piece += take;
            n -= take;
            at += take;
        }
        http_answer_note(a, piece, n);
        memcpy(kept + n_kept, piece, n);
        n_kept += n;
        at += n;
        if (n == 0 && at >= length)
            break;
    }
    kept[n_kept] = '\0';
    (void)http_answer_diverted(a);
    char *code = NULL;
    bool retry = false;
    char *verdict = http_answer_verdict(a, "ListObjectsV2", 200, kept, n_kept, &code, &retry);
    free(code);

    bool error_object = false;
    (void)http_answer_json_whole(body, length, &error_object);
    http_answer_root root;
    http_answer_kind kind = http_answer_sniff(body, length, true, &root);
    (void)http_answer_xml_whole(body, length, &root);
    free(http_answer_describe(body, length < HTTP_ANSWER_HEAD_MAX ? length : HTTP_ANSWER_HEAD_MAX,
                              kind));

    /* the messages laketop makes from it, and the raw text, redacted */
    redact_register("LAKETOPFUZZSECRET/key+x=");
    char *text = malloc(length + 1);
    memcpy(text, body, length);
    text[length] = '\0';
    free(redact_dup(text));
    free(redact_take(verdict));
    free(text);
    free(kept);
    free(a);
    return 0;
}
