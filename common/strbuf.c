/* strbuf.c: a growing, NUL-terminated byte string (see strbuf.h). */
#include "common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

void strbuf_append(strbuf *b, const char *bytes, size_t length) {
    b->data = xgrow(b->data, &b->capacity, b->length + length + 1, 1);
    if (length)
        memcpy(b->data + b->length, bytes, length);
    b->length += length;
    b->data[b->length] = '\0';
}

void strbuf_puts(strbuf *b, const char *text) {
    strbuf_append(b, text, strlen(text));
}

void strbuf_putc(strbuf *b, char c) {
    strbuf_append(b, &c, 1);
}

void strbuf_printf(strbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    strbuf_puts(b, text);
    free(text);
}

char *strbuf_take(strbuf *b) {
    char *text = b->data ? b->data : xstrdup("");
    *b = (strbuf){0};
    return text;
}

void strbuf_free(strbuf *b) {
    free(b->data);
    *b = (strbuf){0};
}
