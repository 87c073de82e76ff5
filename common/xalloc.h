/* xalloc.h: allocation that never returns NULL.
 * On exhaustion the registered fatal hook runs (the UI restores the terminal)
 * and the process exits with status 70. */
#ifndef LAKETOP_XALLOC_H
#define LAKETOP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array to hold at least `need` elements of `size` bytes. */
void *xgrow(void *ptr, size_t *capacity, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Called before exiting on a fatal error, e.g. to end curses mode. */
void xalloc_set_fatal_hook(void (*hook)(void));
void xfatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
