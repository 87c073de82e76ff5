/* xalloc.c: allocation wrappers that abort cleanly instead of returning NULL. */
#include "common/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*xalloc_fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void)) {
    xalloc_fatal_hook = hook;
}

void xfatal(const char *fmt, ...) {
    if (xalloc_fatal_hook)
        xalloc_fatal_hook();
    va_list ap;
    va_start(ap, fmt);
    fputs("laketop: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(70);
}

void *xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        xfatal("out of memory (%zu bytes)", size);
    return p;
}

void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        xfatal("out of memory (%zu x %zu bytes)", count, size);
    return p;
}

void *xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        xfatal("out of memory (%zu bytes)", size);
    return p;
}

void *xgrow(void *ptr, size_t *capacity, size_t need, size_t size) {
    if (need <= *capacity)
        return ptr;
    size_t cap = *capacity ? *capacity : 8;
    while (cap < need)
        cap *= 2;
    if (cap > (size_t)-1 / size)
        xfatal("array too large");
    *capacity = cap;
    return xrealloc(ptr, cap * size);
}

char *xstrdup(const char *s) {
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n) {
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len < 0)
        xfatal("bad format string");
    char *p = xmalloc((size_t)len + 1);
    vsnprintf(p, (size_t)len + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}
