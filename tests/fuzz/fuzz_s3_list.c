/* fuzz_s3_list.c: libFuzzer harness for the streaming S3 listing parser,
 * and a differential one: the fast path (fed in two pieces, split at the
 * first byte's value, to exercise chunk boundaries) must report exactly
 * what expat alone reports (fed whole): the same objects and prefixes, the
 * same verdict, truncation and token. A difference aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/s3_list.h"

typedef struct trace {
    char *text;
    size_t len, cap;
} trace;

static void trace_add(trace *t, const char *kind, const char *a, long long b, long long c,
                      const char *d) {
    size_t need = strlen(a) + strlen(d) + 64;
    if (t->len + need > t->cap) {
        t->cap = (t->len + need) * 2;
        t->text = realloc(t->text, t->cap);
        if (!t->text)
            abort();
    }
    t->len += (size_t)snprintf(t->text + t->len, t->cap - t->len, "%s %s|%lld|%lld|%s\n", kind,
                               a, b, c, d);
}

static void fuzz_object(void *ctx, const s3_object *o) {
    trace_add(ctx, "O", o->key, (long long)o->size, (long long)o->last_modified, o->etag);
}

static void fuzz_prefix(void *ctx, const char *prefix) {
    trace_add(ctx, "P", prefix, 0, 0, "");
}

static void run(const uint8_t *data, size_t size, bool fast, trace *t) {
    s3_list_callbacks cb = {fuzz_object, fuzz_prefix, t};
    s3_list_parser *p = s3_list_parser_new(&cb);
    s3_list_parser_set_fast(p, fast);
    size_t cut = fast && size ? data[0] % (size + 1) : size;
    bool ok = s3_list_parser_feed(p, (const char *)data, cut) &&
              s3_list_parser_feed(p, (const char *)data + cut, size - cut);
    ok = s3_list_parser_finish(p) && ok;
    const char *token = s3_list_parser_next_token(p);
    trace_add(t, ok ? "ok" : "failed", ok && token ? token : "-",
              s3_list_parser_truncated(p), 0, "");
    s3_list_parser_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    trace slow = {0}, fast = {0};
    run(data, size, false, &slow);
    run(data, size, true, &fast);
    if (slow.len != fast.len || memcmp(slow.text, fast.text, slow.len) != 0) {
        fprintf(stderr, "fast path differs from expat\nexpat:\n%.*s\nfast:\n%.*s\n",
                (int)slow.len, slow.text, (int)fast.len, fast.text);
        abort();
    }
    free(slow.text);
    free(fast.text);
    return 0;
}
