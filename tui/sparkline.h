/* sparkline.h: sparklines and bar charts rendered to plain strings (UTF-8
 * block elements, or ASCII), so that they can be tested without a terminal. */
#ifndef LAKETOP_SPARKLINE_H
#define LAKETOP_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Renders the last `width` values into `width` cells, scaled from the
 * minimum to the maximum of those values; a value < 0 is missing (space).
 * Fewer values than cells are right-aligned. `out` needs width * 3 + 1
 * bytes for UTF-8. Returns the number of bytes written (without NUL). */
size_t sparkline_render(const double *values, size_t n, size_t width, bool utf8, char *out,
                        size_t out_size);

/* Renders a bar chart of `height` rows and `width` columns, scaled from 0 to
 * the maximum. When n > width, each column shows the last value of its
 * bucket (values are cumulative sizes). rows[r] (r = 0 top) receives a
 * NUL-terminated string; each needs width * 3 + 1 bytes. */
void sparkline_chart(const double *values, size_t n, size_t width, size_t height, bool utf8,
                     char **rows, size_t row_size);

#endif
