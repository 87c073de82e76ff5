/* text_safe.c: escaping of controls, bidi controls and invalid UTF-8 for
 * output read by people (see text_safe.h). */
#include "common/text_safe.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The length of the valid UTF-8 sequence at `p` and its code point, or 0
 * when the byte at `p` does not start one (strict: no overlong forms, no
 * surrogates, nothing past U+10FFFF, no sequence cut short). */
static size_t text_safe_decode(const unsigned char *p, uint32_t *code_point) {
    size_t length;
    uint32_t c, min;
    if (p[0] < 0x80) {
        *code_point = p[0];
        return 1;
    } else if ((p[0] & 0xe0) == 0xc0) {
        length = 2, c = p[0] & 0x1f, min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        length = 3, c = p[0] & 0x0f, min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        length = 4, c = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < length; i++) {
        if ((p[i] & 0xc0) != 0x80) /* the NUL that ends the text included */
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *code_point = c;
    return length;
}

/* Whether a code point can change what a terminal shows beyond its glyph:
 * C0, DEL, C1, and the bidi embeddings, overrides, isolates and marks. */
static bool text_safe_is_control(uint32_t c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

void text_safe_append(strbuf *out, const char *text, text_safe_style style) {
    if (!text)
        return;
    /* the escapes' own backslash: doubled inside a Prometheus label value */
    const char *slash = style == TEXT_SAFE_PROMETHEUS ? "\\\\" : "\\";
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t c = 0;
        size_t length = text_safe_decode(p, &c);
        if (length == 0) {
            strbuf_printf(out, "%sx%02x", slash, *p);
            p++;
            continue;
        }
        if (c == '\\') {
            strbuf_puts(out, "\\\\");
        } else if (c == '"' && style == TEXT_SAFE_PROMETHEUS) {
            strbuf_puts(out, "\\\"");
        } else if (c == '\n') { /* the same escape in both styles */
            strbuf_puts(out, "\\n");
        } else if (!text_safe_is_control(c)) {
            strbuf_append(out, (const char *)p, length);
        } else if (c == '\r' || c == '\t') {
            strbuf_printf(out, "%s%c", slash, c == '\r' ? 'r' : 't');
        } else if (c < 0x80) {
            strbuf_printf(out, "%sx%02x", slash, (unsigned)c);
        } else {
            strbuf_printf(out, "%su%04x", slash, (unsigned)c);
        }
        p += length;
    }
}

char *text_safe_dup(const char *text, text_safe_style style) {
    if (!text)
        return NULL;
    strbuf out = {0};
    text_safe_append(&out, text, style);
    return strbuf_take(&out);
}

void text_safe_write(FILE *out, const char *text, text_safe_style style) {
    if (!text)
        return;
    char *safe = text_safe_dup(text, style);
    fputs(safe, out);
    free(safe);
}

size_t text_safe_width(const char *text) {
    size_t width = 0;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (const char *p = text ? text : ""; *p;) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, strlen(p), &state);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) { /* not a character here */
            memset(&state, 0, sizeof state);
            width++;
            p++;
            continue;
        }
        int w = wcwidth(wc);
        width += w < 0 ? 1 : (size_t)w;
        p += n;
    }
    return width;
}
