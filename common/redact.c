/* redact.c: secrets out of text meant for people and logs (see redact.h). */
#include "common/redact.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strbuf.h"
#include "common/xalloc.h"

#define REDACT_MIN_SECRET 4
#define REDACT_MASK "***"

/* The registry: each secret as it is and in the forms text carries it. */
static pthread_mutex_t redact_lock = PTHREAD_MUTEX_INITIALIZER;
static char **redact_secrets;
static size_t redact_n, redact_cap;

/* With redact_lock held. */
static void redact_add_locked(char *form) {
    for (size_t i = 0; i < redact_n; i++) {
        if (strcmp(redact_secrets[i], form) == 0) {
            free(form);
            return;
        }
    }
    if (redact_n == redact_cap) {
        redact_cap = redact_cap ? redact_cap * 2 : 8;
        redact_secrets = xrealloc(redact_secrets, redact_cap * sizeof *redact_secrets);
    }
    redact_secrets[redact_n++] = form;
}

/* `secret` URI-encoded as SigV4 encodes a query value (unreserved kept,
 * the rest %XX). */
static char *redact_uri_form(const char *secret) {
    static const char hex[] = "0123456789ABCDEF";
    strbuf b = {0};
    for (const unsigned char *p = (const unsigned char *)secret; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            strbuf_putc(&b, (char)*p);
        } else {
            strbuf_putc(&b, '%');
            strbuf_putc(&b, hex[*p >> 4]);
            strbuf_putc(&b, hex[*p & 15]);
        }
    }
    return strbuf_take(&b);
}

/* `secret` with '/' written "\/", as some JSON writers do. */
static char *redact_json_form(const char *secret) {
    strbuf b = {0};
    for (const char *p = secret; *p; p++) {
        if (*p == '/')
            strbuf_putc(&b, '\\');
        strbuf_putc(&b, *p);
    }
    return strbuf_take(&b);
}

void redact_register(const char *secret) {
    if (!secret || strlen(secret) < REDACT_MIN_SECRET)
        return;
    pthread_mutex_lock(&redact_lock);
    redact_add_locked(xstrdup(secret));
    redact_add_locked(redact_uri_form(secret));
    redact_add_locked(redact_json_form(secret));
    pthread_mutex_unlock(&redact_lock);
}

void redact_forget_all(void) {
    pthread_mutex_lock(&redact_lock);
    for (size_t i = 0; i < redact_n; i++) {
        explicit_bzero(redact_secrets[i], strlen(redact_secrets[i]));
        free(redact_secrets[i]);
    }
    free(redact_secrets);
    redact_secrets = NULL;
    redact_n = redact_cap = 0;
    pthread_mutex_unlock(&redact_lock);
}

/* Where what was signed starts being quoted back: the text ends there. */
static const char *const redact_cut_markers[] = {
    "The Canonical String for this request should have been",
    "The String-to-Sign should have been",
};

/* Headers and query parameters whose values are credentials. */
static const char *const redact_names[] = {
    "x-amz-security-token",
    "Authorization",
    "X-Amz-Credential",
    "X-Amz-Signature",
};

/* The length of text cut before any marker, blanks and an opening quote
 * before it taken off too. */
static size_t redact_kept_length(const char *text) {
    size_t n = strlen(text);
    for (size_t i = 0; i < sizeof redact_cut_markers / sizeof redact_cut_markers[0]; i++) {
        const char *at = strcasestr(text, redact_cut_markers[i]);
        if (at && (size_t)(at - text) < n)
            n = (size_t)(at - text);
    }
    if (n == strlen(text))
        return n;
    /* blanks, quotes and JSON's escaped blanks ("\\n", as an unparsed
     * message carries them) */
    for (;;) {
        if (n > 0 && strchr(" \t\r\n'\"", text[n - 1]))
            n--;
        else if (n > 1 && text[n - 2] == '\\' && strchr("nrt'\"", text[n - 1]))
            n -= 2;
        else
            return n;
    }
}

static bool redact_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* When text[i..] is a credential's name followed by its value ("name:
 * value", "name=value", "\"name\": \"value\""), the length of what is kept
 * before the value (*keep) and of the value itself (returned); else 0. */
static size_t redact_named_value(const char *text, size_t i, size_t n, size_t *keep) {
    bool escaped_blank = i > 1 && text[i - 2] == '\\' && strchr("nrt", text[i - 1]);
    if (i > 0 && redact_name_char(text[i - 1]) && !escaped_blank)
        return 0;
    for (size_t k = 0; k < sizeof redact_names / sizeof redact_names[0]; k++) {
        size_t len = strlen(redact_names[k]);
        if (i + len > n || strncasecmp(text + i, redact_names[k], len) != 0)
            continue;
        size_t j = i + len;
        if (j < n && redact_name_char(text[j]))
            continue; /* a longer name */
        if (j < n && (text[j] == '"' || text[j] == '\''))
            j++;
        while (j < n && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j >= n || (text[j] != ':' && text[j] != '='))
            continue; /* the word, not a header or parameter */
        char sep = text[j++];
        while (j < n && (text[j] == ' ' || text[j] == '\t'))
            j++;
        char quote = j < n && (text[j] == '"' || text[j] == '\'') ? text[j] : 0;
        if (quote)
            j++;
        size_t end = j;
        while (end < n) {
            char c = text[end];
            /* a backslash: an escape ("\\n" in an unparsed JSON message);
             * credentials have none */
            if (c == '\r' || c == '\n' || c == '\\' || (quote && c == quote))
                break;
            if (!quote && sep == '=' && strchr("& \t\"'<>,;", c))
                break;
            end++;
        }
        if (end == j)
            continue; /* no value */
        *keep = j - i;
        return end - j;
    }
    return 0;
}

/* With redact_lock held: the length of the longest registered form at
 * text[i..n), 0 when none. */
static size_t redact_secret_at(const char *text, size_t i, size_t n) {
    size_t best = 0;
    for (size_t k = 0; k < redact_n; k++) {
        size_t len = strlen(redact_secrets[k]);
        if (len > best && i + len <= n && memcmp(text + i, redact_secrets[k], len) == 0)
            best = len;
    }
    return best;
}

char *redact_dup(const char *text) {
    if (!text)
        return NULL;
    size_t n = redact_kept_length(text);
    strbuf out = {0};
    pthread_mutex_lock(&redact_lock);
    for (size_t i = 0; i < n;) {
        size_t keep = 0, len = redact_secret_at(text, i, n);
        if (len) {
            strbuf_puts(&out, REDACT_MASK);
            i += len;
        } else if ((len = redact_named_value(text, i, n, &keep)) > 0) {
            strbuf_append(&out, text + i, keep);
            strbuf_puts(&out, REDACT_MASK);
            i += keep + len;
        } else {
            strbuf_putc(&out, text[i++]);
        }
    }
    pthread_mutex_unlock(&redact_lock);
    return strbuf_take(&out);
}

char *redact_take(char *text) {
    if (!text)
        return NULL;
    char *safe = redact_dup(text);
    free(text);
    return safe;
}
