/* strbuf.h: a growing byte string, always NUL-terminated, for building
 * request bodies, canonical requests and answers read in pieces. Memory
 * comes from xalloc (never NULL). A zeroed strbuf is empty and ready. */
#ifndef LAKETOP_STRBUF_H
#define LAKETOP_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *data; /* NULL while nothing was added */
    size_t length;
    size_t capacity;
} strbuf;

void strbuf_append(strbuf *buffer, const char *bytes, size_t length);
void strbuf_puts(strbuf *buffer, const char *text);
void strbuf_putc(strbuf *buffer, char c);
void strbuf_printf(strbuf *buffer, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text, never NULL (an empty buffer gives ""); the buffer is empty
 * again and the caller frees the text. */
char *strbuf_take(strbuf *buffer);
void strbuf_free(strbuf *buffer);

#endif
