/* demo_buf.c: a growable byte buffer for the contents of the demo's data
 * files, always NUL-terminated. */
#include "tools/demo_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/xalloc.h"

void demo_buf_reserve(demo_buf *b, size_t extra) {
    if (b->len + extra + 1 > b->cap)
        b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void demo_buf_add(demo_buf *b, const char *s, size_t n) {
    demo_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void demo_buf_str(demo_buf *b, const char *s) {
    demo_buf_add(b, s, strlen(s));
}

void demo_buf_printf(demo_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (!b->data || b->len + (size_t)n + 1 > b->cap) {
        demo_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}
