/* text_safe.h: text from the lake (names, locations, messages) made safe to
 * show a person: nothing in it can move the cursor, set a title, write the
 * clipboard (OSC 52), add a line or reorder a row. Every output meant for a
 * person goes through text_safe_append; JSON (json-c) and CSV (quoted, bytes
 * kept) are for programs and keep the bytes. */
#ifndef LAKETOP_TEXT_SAFE_H
#define LAKETOP_TEXT_SAFE_H

#include <stdio.h>

#include "common/strbuf.h"

typedef enum text_safe_style {
    /* For a terminal or a log: a backslash becomes "\\"; LF, CR and TAB
     * "\n", "\r", "\t"; other C0 controls and DEL "\x1b"; C1 controls
     * (U+0080..U+009F) and bidi controls (U+061C, U+200E, U+200F,
     * U+202A..U+202E, U+2066..U+2069) "\u202e"; a byte that is not part of
     * valid UTF-8 (overlong, surrogate, past U+10FFFF, cut short) "\xff".
     * Other text, multibyte included ("café", CJK), is copied as it is, so
     * the output is printable and can be read back unambiguously. */
    TEXT_SAFE_TERMINAL,
    /* A Prometheus label value (the part between the double quotes):
     * backslash, double quote and LF as the exposition format escapes them
     * ("\\", "\"", "\n"), so those come back exactly; every other character
     * TEXT_SAFE_TERMINAL escapes is written as that escape with its
     * backslash doubled ("\\x1b"), as the format has no escape of its own
     * for them: the parsed value reads "\x1b". */
    TEXT_SAFE_PROMETHEUS,
} text_safe_style;

/* Appends `text` (NUL-terminated; NULL appends nothing) made safe. */
void text_safe_append(strbuf *out, const char *text, text_safe_style style);
/* The same, as a new string the caller frees (NULL for NULL). */
char *text_safe_dup(const char *text, text_safe_style style);
/* The same, written to a stream. */
void text_safe_write(FILE *out, const char *text, text_safe_style style);
/* The terminal columns `text` takes in the current locale (wcwidth: a CJK
 * character 2, a combining mark 0); a byte that is no character there
 * counts 1. For text already made safe, which has no control in it. */
size_t text_safe_width(const char *text);

#endif
