/* detail_lines.c: the detail view's list of lines (detail_lines.h). */
#include "views/detail_lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "tui/widgets.h"

void detail_add(detail_lines *l, const char *label, theme_role role, const char *fmt, ...) {
    l->lines = xgrow(l->lines, &l->cap, l->n + 1, sizeof *l->lines);
    detail_line *line = &l->lines[l->n++];
    snprintf(line->label, sizeof line->label, "%s", label ? label : "");
    va_list ap;
    va_start(ap, fmt);
    line->text = xvasprintf(fmt, ap);
    va_end(ap);
    line->role = role;
}

/* The words of `text` on lines of `room` cells, each line added with
 * `label` (the first) then `next`, after `lead`. */
static void detail_wrap(detail_lines *l, const char *label, const char *next, theme_role role,
                        const char *text, int room, const char *lead) {
    strbuf line = {0};
    strbuf_puts(&line, lead);
    size_t start = line.length;
    const char *p = text;
    while (*p) {
        const char *end = p + strcspn(p, " ");
        char *word = xstrndup(p, (size_t)(end - p));
        int need = widget_text_width(word);
        if (line.length > start && widget_text_width(line.data) + 1 + need > room) {
            detail_add(l, label, role, "%s", line.data);
            label = next;
            line.length = 0;
            strbuf_puts(&line, lead);
        }
        if (line.length > start)
            strbuf_putc(&line, ' ');
        if (need > room - (int)start)
            widget_text_middle(&line, word, room - (int)start);
        else
            strbuf_puts(&line, word);
        free(word);
        p = *end ? end + 1 : end;
    }
    detail_add(l, label, role, "%s", line.data ? line.data : "");
    strbuf_free(&line);
}

void detail_add_wrapped(detail_lines *l, const char *label, theme_role role, const char *text,
                        int width) {
    int room = width - DETAIL_TEXT_X > 16 ? width - DETAIL_TEXT_X : 16;
    detail_wrap(l, label, "", role, text, room, "");
}

void detail_add_statement(detail_lines *l, theme_role role, const char *text, int width,
                          int indent) {
    char lead[16];
    if (indent < 0)
        indent = 0;
    if (indent > 15)
        indent = 15;
    int room = width - 2 > 24 ? width - 2 : 24; /* whole lines start at column 1 */
    /* too long beside the labels: from the left edge, whole if it can be */
    if (indent > 2 && indent + widget_text_width(text) > room)
        indent = 2;
    memset(lead, ' ', (size_t)indent);
    lead[indent] = '\0';
    detail_wrap(l, DETAIL_WHOLE_LINE, DETAIL_WHOLE_LINE, role, text, room, lead);
}

void detail_lines_free(detail_lines *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[i].text);
    free(l->lines);
    l->lines = NULL;
    l->n = l->cap = 0;
}
