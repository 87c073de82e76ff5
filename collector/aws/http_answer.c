/* http_answer.c: sniffing a 2xx body's kind and checking that it is whole
 * (see http_answer.h). */
#include "collector/aws/http_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector/aws/http_retry.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static bool http_answer_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first occurrence of `needle` in [from, end), or NULL. */
static const char *http_answer_find(const char *from, const char *end, const char *needle) {
    size_t n = strlen(needle);
    for (const char *c = from; c + n <= end; c++)
        if (memcmp(c, needle, n) == 0)
            return c;
    return NULL;
}

static bool http_answer_prefix_ci(const char *c, const char *end, const char *word) {
    size_t n = strlen(word);
    return (size_t)(end - c) >= n && strncasecmp(c, word, n) == 0;
}

http_answer_kind http_answer_sniff(const char *head, size_t length, bool final,
                                   http_answer_root *root) {
    const char *c = head, *end = head + length;
    http_answer_kind more = final ? HTTP_ANSWER_OTHER : HTTP_ANSWER_MORE;
    root->name[0] = '\0';
    root->self_closed = false;
    if (length >= 3 && memcmp(c, "\xef\xbb\xbf", 3) == 0)
        c += 3; /* a UTF-8 byte order mark */
    for (;;) {
        while (c < end && http_answer_space(*c))
            c++;
        if (c == end)
            return more;
        if (*c == '{' || *c == '[')
            return HTTP_ANSWER_JSON;
        if (*c != '<')
            return HTTP_ANSWER_OTHER;
        if (end - c < 2)
            return more;
        if (c[1] == '?' || http_answer_prefix_ci(c, end, "<!--")) {
            /* the XML declaration, a processing instruction, a comment */
            const char *close = http_answer_find(c + 2, end, c[1] == '?' ? "?>" : "-->");
            if (!close)
                return more;
            c = close + (c[1] == '?' ? 2 : 3);
            continue;
        }
        if (c[1] == '!') {
            if (http_answer_prefix_ci(c, end, "<!doctype html"))
                return HTTP_ANSWER_HTML;
            const char *close = memchr(c, '>', (size_t)(end - c));
            if (!close)
                return (size_t)(end - c) < 14 ? more : HTTP_ANSWER_OTHER;
            c = close + 1;
            continue;
        }
        /* the root's start tag */
        const char *name = c + 1, *n = name;
        while (n < end && !http_answer_space(*n) && *n != '>' && *n != '/')
            n++;
        if (n == end)
            return more;
        size_t len = (size_t)(n - name);
        if (len == 0 || len >= sizeof root->name)
            return HTTP_ANSWER_OTHER;
        if (len == 4 && strncasecmp(name, "html", 4) == 0)
            return HTTP_ANSWER_HTML;
        const char *close = memchr(n, '>', (size_t)(end - n));
        if (!close)
            return more;
        memcpy(root->name, name, len);
        root->name[len] = '\0';
        root->self_closed = close[-1] == '/';
        return strcmp(root->name, "Error") == 0 ? HTTP_ANSWER_XML_ERROR : HTTP_ANSWER_XML;
    }
}

bool http_answer_xml_whole(const char *tail, size_t length, const http_answer_root *root) {
    if (root->self_closed)
        return true;
    const char *end = tail + length;
    while (end > tail && http_answer_space(end[-1]))
        end--;
    if (end == tail || end[-1] != '>')
        return false;
    end--;
    while (end > tail && http_answer_space(end[-1]))
        end--;
    size_t n = strlen(root->name);
    if ((size_t)(end - tail) < n + 2)
        return false;
    return memcmp(end - n, root->name, n) == 0 && end[-n - 1] == '/' && end[-n - 2] == '<';
}

const char *http_answer_json_whole(const char *body, size_t length, bool *error_object) {
    *error_object = false;
    int depth = 0;
    bool in_string = false, escape = false, started = false, ended = false;
    bool top_object = false; /* the value is an object */
    bool key_next = false;   /* at its depth 1: the next string is a key */
    const char *key_start = NULL;
    for (size_t i = 0; i < length; i++) {
        char ch = body[i];
        if (in_string) {
            if (escape)
                escape = false;
            else if (ch == '\\')
                escape = true;
            else if (ch == '"') {
                in_string = false;
                if (key_start && (size_t)(body + i - key_start) == 6 &&
                    memcmp(key_start, "__type", 6) == 0)
                    *error_object = true;
                key_start = NULL;
                if (depth == 0)
                    ended = true;
            }
            continue;
        }
        if (http_answer_space(ch))
            continue;
        if (ended)
            return "more follows the end of its value";
        started = true;
        switch (ch) {
        case '"':
            in_string = true;
            if (depth == 1 && key_next)
                key_start = body + i + 1;
            key_next = false;
            break;
        case '{':
        case '[':
            depth++;
            if (depth == 1)
                top_object = ch == '{';
            key_next = depth == 1 && top_object;
            break;
        case '}':
        case ']':
            if (depth == 0)
                return "a bracket closes that was never opened";
            depth--;
            if (depth == 0)
                ended = true;
            break;
        case ',': key_next = depth == 1 && top_object; break;
        default: break; /* numbers, true, false, null, ':' */
        }
    }
    if (!started)
        return "it is empty";
    if (in_string)
        return "it ends inside a string";
    if (depth > 0)
        return "it ends before its last bracket closes";
    return NULL;
}

char *http_answer_describe(const char *head, size_t length, http_answer_kind kind) {
    strbuf out = {0};
    const char *end = head + length;
    if (kind == HTTP_ANSWER_HTML) {
        strbuf_puts(&out, "an HTML page");
        const char *t = NULL;
        for (const char *c = head; c + 7 <= end; c++)
            if (strncasecmp(c, "<title>", 7) == 0) {
                t = c + 7;
                break;
            }
        const char *te = t ? memchr(t, '<', (size_t)(end - t)) : NULL;
        if (!t || !te)
            return strbuf_take(&out);
        strbuf_puts(&out, " titled \"");
        head = t;
        end = te;
    } else {
        strbuf_puts(&out, "it begins \"");
    }
    size_t shown = 0;
    for (const char *c = head; c < end && shown < 60; c++, shown++) {
        unsigned char ch = (unsigned char)*c;
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            strbuf_append(&out, c, 1);
        else
            strbuf_printf(&out, "\\x%02x", ch);
    }
    strbuf_puts(&out, shown == 60 ? "...\"" : "\"");
    return strbuf_take(&out);
}

bool http_answer_take_head(http_answer *a, const char *data, size_t length, bool final,
                           size_t *taken) {
    /* Spaces before the document are dropped: S3 sends them to keep a long
     * CopyObject or CompleteMultipartUpload alive, as many as it takes. */
    size_t skipped = 0;
    while (a->head_length == 0 && skipped < length && http_answer_space(data[skipped]))
        skipped++;
    data += skipped;
    length -= skipped;
    size_t take = HTTP_ANSWER_HEAD_MAX - a->head_length;
    if (take > length)
        take = length;
    memcpy(a->head + a->head_length, data, take);
    a->head_length += take;
    *taken = skipped + take;
    bool full = a->head_length == HTTP_ANSWER_HEAD_MAX;
    a->kind = http_answer_sniff(a->head, a->head_length, final || full, &a->root);
    return a->kind != HTTP_ANSWER_MORE;
}

void http_answer_note(http_answer *a, const char *data, size_t length) {
    a->total += length;
    /* the tail keeps the last bytes that are not spaces: an answer padded
     * with spaces still shows its end tag */
    while (length > 0 && http_answer_space(data[length - 1]))
        length--;
    if (length == 0)
        return;
    if (length >= HTTP_ANSWER_TAIL_MAX) {
        memcpy(a->tail, data + length - HTTP_ANSWER_TAIL_MAX, HTTP_ANSWER_TAIL_MAX);
        a->tail_length = HTTP_ANSWER_TAIL_MAX;
        return;
    }
    size_t keep = a->tail_length + length > HTTP_ANSWER_TAIL_MAX ? HTTP_ANSWER_TAIL_MAX - length
                                                                 : a->tail_length;
    memmove(a->tail, a->tail + a->tail_length - keep, keep);
    memcpy(a->tail + keep, data, length);
    a->tail_length = keep + length;
}

bool http_answer_diverted(const http_answer *a) {
    return a && a->kind != HTTP_ANSWER_XML && a->kind != HTTP_ANSWER_JSON;
}

char *http_answer_verdict(const http_answer *a, const char *op, long status, const char *kept,
                          size_t kept_length, char **code, bool *retry) {
    *code = NULL;
    *retry = false;
    if (a->head_length == 0)
        return NULL; /* nothing but spaces: as an empty answer */
    if (a->kind == HTTP_ANSWER_XML_ERROR || a->kind == HTTP_ANSWER_JSON) {
        bool error_object = a->kind == HTTP_ANSWER_XML_ERROR;
        const char *cut = NULL;
        if (a->kind == HTTP_ANSWER_JSON && kept)
            cut = http_answer_json_whole(kept, kept_length, &error_object);
        if (cut) {
            *retry = true;
            return xasprintf("the answer to %s is not JSON: %s, after %zu bytes (an HTTP %ld cut "
                             "short)",
                             op, cut, a->total, status);
        }
        if (!error_object)
            return NULL;
        char *message = NULL;
        http_retry_parse_error(kept, kept_length, code, &message);
        char *error = xasprintf("%s (inside an HTTP %ld answer to %s)%s%s",
                                *code ? *code : "an error without a code", status, op,
                                message ? ": " : "", message ? message : "");
        *retry = !*code; /* an error that does not say what it is: as a cut answer */
        free(message);
        return error;
    }
    *retry = true;
    if (a->kind == HTTP_ANSWER_XML) {
        if (http_answer_xml_whole(a->tail, a->tail_length, &a->root)) {
            *retry = false;
            return NULL;
        }
        return xasprintf("the answer to %s is not XML: it ends before its </%s>, after %zu bytes "
                         "(an HTTP %ld cut short)",
                         op, a->root.name, a->total, status);
    }
    char *what = http_answer_describe(a->head, a->head_length, a->kind);
    char *error =
        xasprintf("the answer to %s is not XML or JSON: %s (HTTP %ld%s)", op, what, status,
                  a->kind == HTTP_ANSWER_HTML ? ", as a proxy or captive portal sends" : "");
    free(what);
    return error;
}
