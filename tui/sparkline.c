/* sparkline.c: value series to block-element strings. */
#include "tui/sparkline.h"

#include <string.h>

static const char *const sparkline_blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char sparkline_ascii[] = "_.-:=+*#";

/* Appends the glyph for level 0..7 (or -1 for a blank). */
static size_t sparkline_put(char *out, size_t pos, size_t size, int level, bool utf8) {
    const char *glyph;
    char ascii[2] = {0, 0};
    if (level < 0) {
        glyph = " ";
    } else if (utf8) {
        glyph = sparkline_blocks[level];
    } else {
        ascii[0] = sparkline_ascii[level];
        glyph = ascii;
    }
    size_t len = strlen(glyph);
    if (pos + len + 1 > size)
        return pos;
    memcpy(out + pos, glyph, len);
    return pos + len;
}

size_t sparkline_render(const double *values, size_t n, size_t width, bool utf8, char *out,
                        size_t out_size) {
    size_t pos = 0;
    if (out_size == 0)
        return 0;
    size_t shown = n < width ? n : width;
    const double *v = values + (n - shown);
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t i = 0; i < shown; i++) {
        if (v[i] < 0)
            continue;
        if (!any || v[i] < lo)
            lo = v[i];
        if (!any || v[i] > hi)
            hi = v[i];
        any = true;
    }
    for (size_t i = shown; i < width; i++)
        pos = sparkline_put(out, pos, out_size, -1, utf8);
    for (size_t i = 0; i < shown; i++) {
        int level;
        if (v[i] < 0)
            level = -1;
        else if (hi <= lo)
            level = hi > 0 ? 3 : 0;
        else
            level = (int)((v[i] - lo) / (hi - lo) * 7.0 + 0.5);
        pos = sparkline_put(out, pos, out_size, level, utf8);
    }
    out[pos] = '\0';
    return pos;
}

void sparkline_chart(const double *values, size_t n, size_t width, size_t height, bool utf8,
                     char **rows, size_t row_size) {
    double hi = 0;
    for (size_t i = 0; i < n; i++)
        if (values[i] > hi)
            hi = values[i];
    size_t pos[256] = {0};
    if (height > 256)
        height = 256;
    for (size_t col = 0; col < width; col++) {
        double v = -1;
        if (n > 0) {
            if (n <= width) {
                /* right-align: the newest value in the last column */
                if (col >= width - n)
                    v = values[col - (width - n)];
            } else {
                size_t end = (col + 1) * n / width; /* bucket [start, end) */
                v = values[end - 1];
            }
        }
        /* height in eighths of a row */
        size_t eighths = v <= 0 || hi <= 0 ? 0 : (size_t)(v / hi * (double)(height * 8) + 0.5);
        if (v > 0 && eighths == 0)
            eighths = 1;
        for (size_t r = 0; r < height; r++) {
            size_t row_from_bottom = height - 1 - r;
            size_t base = row_from_bottom * 8;
            int level;
            if (eighths >= base + 8)
                level = 7;
            else if (eighths > base)
                level = (int)(eighths - base) - 1;
            else
                level = -1;
            if (!utf8 && level >= 0 && level < 7)
                level = eighths >= base + 4 ? 7 : (level >= 0 ? 1 : -1);
            pos[r] = sparkline_put(rows[r], pos[r], row_size, level, utf8);
        }
    }
    for (size_t r = 0; r < height; r++)
        rows[r][pos[r]] = '\0';
}
