/* s3_list.c: ListObjectsV2 XML to objects and prefixes, streamed: a fast
 * path for the plain XML S3 writes, expat for everything else. It is one
 * file because the two engines hand over mid-stream (the fast path gives
 * expat the root's start tag and the bytes from the current child on) and
 * fill the same object/prefix events: apart, each would need the other's
 * internals. */
#include "collector/aws/s3_list.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define S3_TEXT_MAX 8192 /* keys are at most 1024 bytes; room for escapes */

enum s3_element {
    S3_OTHER,
    S3_RESULT,
    S3_CONTENTS,
    S3_COMMON_PREFIXES,
    S3_KEY,
    S3_SIZE,
    S3_LAST_MODIFIED,
    S3_PREFIX,
    S3_IS_TRUNCATED,
    S3_NEXT_TOKEN,
    S3_ENCODING_TYPE,
    S3_ETAG,
    S3_STORAGE_CLASS,
};

struct s3_list_parser {
    s3_list_callbacks cb;
    XML_Parser xml;
    int depth;
    int container; /* S3_CONTENTS, S3_COMMON_PREFIXES or S3_OTHER at depth 2 */
    int leaf;      /* the element whose text is being gathered */
    char text[S3_TEXT_MAX];
    size_t text_length;
    bool text_overflow;
    bool url_encoded;
    bool truncated;
    bool root_ok;
    char *next_token;
    /* the object being read */
    char key[S3_TEXT_MAX];
    bool have_key;
    int64_t size;
    int64_t last_modified;
    char etag[80];
    char storage_class[32];
    char *error;
    /* The fast path (see "the fast path" below): the bytes not yet parsed, the root
     * start tag (to hand expat the rest), lines so far. */
    bool fast_enabled;
    int fast;       /* enum s3_fast_state */
    bool want_text; /* the character handler is on (as set on expat) */
    char *carry;
    size_t carry_len, carry_cap;
    size_t carry_retry; /* read the carry again once it holds this much */
    char root_tag[512];
    size_t root_tag_len;
    struct s3_fast_event *events; /* one child of the root, checked, to hand out */
    size_t n_events, cap_events;
    unsigned long line;        /* fast path: the current line */
    unsigned long line_offset; /* expat after the fast path: lines before its first byte */
};

enum s3_fast_state { FAST_OFF, FAST_PROLOG, FAST_BODY, FAST_CLOSED };

static bool s3_url_decode_into(const char *text, char *out);

static int s3_element_of(const char *name) {
    /* expat namespace processing is off: the name is the local name. A
     * switch on the first letter keeps this off the profile. */
    switch (name[0]) {
    case 'C':
        if (strcmp(name, "Contents") == 0)
            return S3_CONTENTS;
        if (strcmp(name, "CommonPrefixes") == 0)
            return S3_COMMON_PREFIXES;
        break;
    case 'E':
        if (strcmp(name, "EncodingType") == 0)
            return S3_ENCODING_TYPE;
        if (strcmp(name, "ETag") == 0)
            return S3_ETAG;
        break;
    case 'I':
        if (strcmp(name, "IsTruncated") == 0)
            return S3_IS_TRUNCATED;
        break;
    case 'K':
        if (strcmp(name, "Key") == 0)
            return S3_KEY;
        break;
    case 'L':
        if (strcmp(name, "LastModified") == 0)
            return S3_LAST_MODIFIED;
        if (strcmp(name, "ListBucketResult") == 0)
            return S3_RESULT;
        break;
    case 'N':
        if (strcmp(name, "NextContinuationToken") == 0)
            return S3_NEXT_TOKEN;
        break;
    case 'P':
        if (strcmp(name, "Prefix") == 0)
            return S3_PREFIX;
        break;
    case 'S':
        if (strcmp(name, "Size") == 0)
            return S3_SIZE;
        if (strcmp(name, "StorageClass") == 0)
            return S3_STORAGE_CLASS;
        break;
    }
    return S3_OTHER;
}

static unsigned long s3_line(const s3_list_parser *p) {
    return p->fast != FAST_OFF ? p->line
                               : (unsigned long)XML_GetCurrentLineNumber(p->xml) + p->line_offset;
}

static void s3_fail(s3_list_parser *p, const char *why) {
    if (!p->error)
        p->error = xasprintf("malformed S3 listing at line %lu: %s", s3_line(p), why);
    if (p->fast == FAST_OFF)
        XML_StopParser(p->xml, XML_FALSE);
}

static void XMLCALL s3_chars(void *data, const XML_Char *s, int length);

/* Text is gathered only inside the elements read: expat skips the rest. */
static void s3_want_text(s3_list_parser *p, bool on) {
    p->want_text = on;
    XML_SetCharacterDataHandler(p->xml, on ? s3_chars : NULL);
}

static void XMLCALL s3_start(void *data, const XML_Char *name, const XML_Char **attrs) {
    (void)attrs;
    s3_list_parser *p = data;
    int element = s3_element_of(name);
    p->depth++;
    if (p->depth == 1) {
        if (element != S3_RESULT)
            s3_fail(p, "the document is not a ListBucketResult");
        p->root_ok = true;
        return;
    }
    if (p->depth == 2) {
        p->container = element == S3_CONTENTS || element == S3_COMMON_PREFIXES ? element : S3_OTHER;
        if (element == S3_CONTENTS) {
            p->have_key = false;
            p->etag[0] = '\0';
            p->storage_class[0] = '\0';
            p->size = -1;
            p->last_modified = -1;
        }
        if (element == S3_IS_TRUNCATED || element == S3_NEXT_TOKEN || element == S3_ENCODING_TYPE) {
            p->leaf = element;
            p->text_length = 0;
            p->text_overflow = false;
            s3_want_text(p, true);
        }
        return;
    }
    if (p->depth == 3 && (p->container == S3_CONTENTS || p->container == S3_COMMON_PREFIXES) &&
        (element == S3_KEY || element == S3_SIZE || element == S3_LAST_MODIFIED ||
         element == S3_PREFIX || element == S3_ETAG || element == S3_STORAGE_CLASS)) {
        p->leaf = element;
        p->text_length = 0;
        p->text_overflow = false;
        s3_want_text(p, true);
    }
}

static void XMLCALL s3_chars(void *data, const XML_Char *s, int length) {
    s3_list_parser *p = data;
    if (p->leaf == S3_OTHER || length <= 0)
        return;
    if (p->text_length + (size_t)length >= S3_TEXT_MAX) {
        p->text_overflow = true;
        return;
    }
    memcpy(p->text + p->text_length, s, (size_t)length);
    p->text_length += (size_t)length;
}

/* The gathered text, decoded when the listing is URL-encoded. */
static char *s3_text(s3_list_parser *p, bool decode) {
    p->text[p->text_length] = '\0';
    if (decode && p->url_encoded)
        return s3_url_decode(p->text);
    return xstrdup(p->text);
}

static void XMLCALL s3_end(void *data, const XML_Char *name) {
    (void)name;
    s3_list_parser *p = data;
    if (p->leaf != S3_OTHER && p->text_overflow) {
        s3_fail(p, "an element's text is too long");
        p->depth--;
        return;
    }
    if (p->depth == 3 && p->container == S3_CONTENTS) {
        p->text[p->text_length] = '\0';
        if (p->leaf == S3_KEY) {
            p->have_key = p->url_encoded ? s3_url_decode_into(p->text, p->key)
                                         : (memcpy(p->key, p->text, p->text_length + 1), true);
            if (!p->have_key)
                s3_fail(p, "a Key has a bad %-escape");
        } else if (p->leaf == S3_SIZE) {
            if (!fmt_parse_count(p->text, &p->size))
                s3_fail(p, "Size is not a number");
        } else if (p->leaf == S3_LAST_MODIFIED) {
            if (!fmt_parse_iso8601(p->text, &p->last_modified))
                p->last_modified = -1;
        } else if (p->leaf == S3_ETAG) {
            const char *t = p->text;
            size_t n = p->text_length;
            if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
                t++;
                n -= 2;
            }
            if (n >= sizeof p->etag)
                n = sizeof p->etag - 1;
            memcpy(p->etag, t, n);
            p->etag[n] = '\0';
        } else if (p->leaf == S3_STORAGE_CLASS) {
            size_t n = p->text_length < sizeof p->storage_class ? p->text_length
                                                                : sizeof p->storage_class - 1;
            memcpy(p->storage_class, p->text, n);
            p->storage_class[n] = '\0';
        }
    } else if (p->depth == 3 && p->container == S3_COMMON_PREFIXES && p->leaf == S3_PREFIX) {
        char *prefix = s3_text(p, true);
        if (!prefix)
            s3_fail(p, "a Prefix has a bad %-escape");
        else if (p->cb.common_prefix)
            p->cb.common_prefix(p->cb.ctx, prefix);
        free(prefix);
    } else if (p->depth == 2 && p->container == S3_CONTENTS) {
        if (!p->have_key || p->size < 0) {
            s3_fail(p, "an object lacks Key or Size");
        } else if (p->cb.object) {
            s3_object o = {.key = p->key,
                           .size = p->size,
                           .last_modified = p->last_modified,
                           .etag = p->etag,
                           .storage_class = p->storage_class};
            p->cb.object(p->cb.ctx, &o);
        }
        p->have_key = false;
    } else if (p->depth == 2 && p->leaf == S3_IS_TRUNCATED) {
        p->text[p->text_length] = '\0';
        p->truncated = strcmp(p->text, "true") == 0;
    } else if (p->depth == 2 && p->leaf == S3_NEXT_TOKEN) {
        free(p->next_token);
        p->next_token = s3_text(p, false);
    } else if (p->depth == 2 && p->leaf == S3_ENCODING_TYPE) {
        p->text[p->text_length] = '\0';
        p->url_encoded = strcmp(p->text, "url") == 0;
    }
    if (p->depth <= 3 && p->leaf != S3_OTHER) {
        p->leaf = S3_OTHER;
        s3_want_text(p, false);
    }
    if (p->depth == 2)
        p->container = S3_OTHER;
    p->depth--;
}

void s3_list_parser_reset(s3_list_parser *p) {
    if (p->xml)
        XML_ParserFree(p->xml);
    p->xml = XML_ParserCreate("UTF-8");
    if (!p->xml)
        xfatal("out of memory (XML parser)");
    XML_SetUserData(p->xml, p);
    XML_SetElementHandler(p->xml, s3_start, s3_end);
    p->depth = 0;
    p->container = p->leaf = S3_OTHER;
    p->text_length = 0;
    p->text_overflow = false;
    p->url_encoded = false;
    p->truncated = false;
    p->root_ok = false;
    free(p->next_token);
    p->next_token = NULL;
    p->have_key = false;
    free(p->error);
    p->error = NULL;
    p->fast = p->fast_enabled ? FAST_PROLOG : FAST_OFF;
    p->want_text = false;
    p->carry_len = p->carry_retry = 0;
    p->root_tag_len = 0;
    p->line = 1;
    p->line_offset = 0;
}

s3_list_parser *s3_list_parser_new(const s3_list_callbacks *callbacks) {
    s3_list_parser *p = xcalloc(1, sizeof *p);
    p->cb = *callbacks;
    p->fast_enabled = true;
    s3_list_parser_reset(p);
    return p;
}

void s3_list_parser_set_fast(s3_list_parser *p, bool on) {
    p->fast_enabled = on;
    s3_list_parser_reset(p);
}

void s3_list_parser_free(s3_list_parser *p) {
    if (!p)
        return;
    XML_ParserFree(p->xml);
    free(p->next_token);
    free(p->error);
    free(p->carry);
    free(p->events);
    free(p);
}

static bool s3_expat_feed(s3_list_parser *p, const char *data, size_t length, bool final) {
    do {
        int chunk = length > (1u << 30) ? (1 << 30) : (int)length;
        if (XML_Parse(p->xml, data, chunk, final && (size_t)chunk == length) == XML_STATUS_ERROR) {
            if (!p->error)
                p->error = xasprintf("malformed S3 listing at line %lu: %s", s3_line(p),
                                     XML_ErrorString(XML_GetErrorCode(p->xml)));
            return false;
        }
        data += chunk;
        length -= (size_t)chunk;
    } while (length > 0);
    return true;
}

/* ---- the fast path ------------------------------------------------------
 * expat is the reference, but its tokenizer costs about 2 ms per 1,000
 * objects. S3 writes a small, regular subset of XML: ASCII text, the five
 * entities, elements without attributes below the root. The fast path reads
 * that subset, one child of the root at a time, checking it whole before
 * calling the same handlers expat would (so nothing of a child is reported
 * twice). At anything else (a comment, CDATA, non-ASCII, a CR, an
 * attribute, a mistake) it hands over to expat: the root's start tag, then
 * the bytes from the child it stopped at, then the rest of the answer.
 * tests/fuzz/fuzz_s3_list.c checks both give the same results. */

enum { FAST_OK, FAST_MORE, FAST_BAIL };

#define S3_FAST_CARRY_MAX (1u << 20) /* a child of the root longer than this: expat's */
#define S3_FAST_DEPTH_MAX 8
#define S3_FAST_NAME_MAX 64

/* What the check of a child of the root found, handed out after it. */
typedef struct s3_fast_event {
    char kind; /* 'S' start tag, 'E' end tag, 'T' text, 'X' text with entities */
    const char *at;
    size_t length;
    unsigned long line;
} s3_fast_event;

enum { S3_SPACE = 1, S3_NAME_START = 2, S3_NAME = 4, S3_TEXT_SPECIAL = 8 };

/* Byte classes: the spaces the fast path takes in tags (not CR), name
 * characters (ASCII only), and what needs a look in character data
 * (controls, non-ASCII, '&', '>' for "]]>"; the newline is counted). */
static const unsigned char s3_fast_class[256] = {
    [0 ... 8] = S3_TEXT_SPECIAL,
    ['\t'] = S3_SPACE | S3_TEXT_SPECIAL,
    ['\n'] = S3_SPACE | S3_TEXT_SPECIAL,
    [11 ... 0x1f] = S3_TEXT_SPECIAL,
    [' '] = S3_SPACE,
    ['&'] = S3_TEXT_SPECIAL,
    ['>'] = S3_TEXT_SPECIAL,
    ['-'] = S3_NAME,
    ['.'] = S3_NAME,
    ['0' ... '9'] = S3_NAME,
    ['A' ... 'Z'] = S3_NAME_START | S3_NAME,
    ['_'] = S3_NAME_START | S3_NAME,
    ['a' ... 'z'] = S3_NAME_START | S3_NAME,
    [0x80 ... 0xff] = S3_TEXT_SPECIAL,
};

static bool s3_fast_space(char c) {
    return s3_fast_class[(unsigned char)c] & S3_SPACE;
}

static bool s3_fast_name_start(char c) {
    return s3_fast_class[(unsigned char)c] & S3_NAME_START;
}

static bool s3_fast_name_char(char c) {
    return s3_fast_class[(unsigned char)c] & S3_NAME;
}

/* The entity at s ('&') before `end`: its character, or FAST_BAIL for one
 * the fast path leaves to expat (any but ASCII ones). */
static int s3_fast_entity(const char *s, const char *end, const char **next, char *out) {
    size_t room = (size_t)(end - s);
    const char *semi = memchr(s, ';', room < 12 ? room : 12);
    if (!semi)
        return FAST_BAIL;
    const char *e = s + 1;
    size_t n = (size_t)(semi - e);
    char c = 0;
    switch (n) {
    case 2: c = e[1] != 't' ? 0 : e[0] == 'l' ? '<' : e[0] == 'g' ? '>' : 0; break;
    case 3: c = memcmp(e, "amp", 3) == 0 ? '&' : 0; break;
    case 4: c = memcmp(e, "quot", 4) == 0 ? '"' : memcmp(e, "apos", 4) == 0 ? '\'' : 0; break;
    }
    if (!c && n >= 2 && e[0] == '#') {
        bool hex = e[1] == 'x';
        unsigned v = 0;
        const char *d = e + 1 + hex;
        if (d == semi)
            return FAST_BAIL;
        for (; d < semi; d++) {
            int digit = *d >= '0' && *d <= '9'          ? *d - '0'
                        : hex && *d >= 'a' && *d <= 'f' ? *d - 'a' + 10
                        : hex && *d >= 'A' && *d <= 'F' ? *d - 'A' + 10
                                                        : -1;
            if (digit < 0 || v > 0x7f)
                return FAST_BAIL;
            v = v * (hex ? 16 : 10) + (unsigned)digit;
        }
        if (v > 0x7f || (v < 0x20 && v != '\t' && v != '\n' && v != '\r'))
            return FAST_BAIL;
        c = (char)v;
    }
    if (!c)
        return FAST_BAIL;
    *out = c;
    *next = semi + 1;
    return FAST_OK;
}

/* Eight bytes at a time: none needs a look. */
static bool s3_fast_plain8(const char *c) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t x, amp, gt;
    memcpy(&x, c, 8);
    amp = x ^ (ones * '&');
    gt = x ^ (ones * '>');
    return ((x & highs) | ((x - ones * 0x20) & ~x & highs) | ((amp - ones) & ~amp & highs) |
            ((gt - ones) & ~gt & highs)) == 0;
}

static void s3_fast_record(s3_list_parser *p, char kind, const char *at, size_t length,
                           unsigned long line) {
    p->events = xgrow(p->events, &p->cap_events, p->n_events + 1, sizeof *p->events);
    p->events[p->n_events++] = (s3_fast_event){kind, at, length, line};
}

/* Character data from s up to the next '<' (FAST_MORE when none has come
 * yet), checked and recorded. */
static int s3_fast_text(s3_list_parser *p, const char *s, const char *end, const char **next,
                        unsigned long *line) {
    const char *lt = memchr(s, '<', (size_t)(end - s));
    if (!lt)
        return FAST_MORE;
    unsigned long first = *line;
    bool entities = false;
    const char *c = s;
    while (c < lt) {
        while (lt - c >= 8 && s3_fast_plain8(c))
            c += 8;
        while (c < lt && !(s3_fast_class[(unsigned char)*c] & S3_TEXT_SPECIAL))
            c++;
        if (c == lt)
            break;
        char ch = *c;
        if (ch == '\n' || ch == '\t') {
            *line += ch == '\n';
            c++;
        } else if (ch == '>') { /* "]]>" is not allowed in text */
            if (c - s >= 2 && c[-1] == ']' && c[-2] == ']')
                return FAST_BAIL;
            c++;
        } else if (ch == '&') {
            char decoded;
            if (s3_fast_entity(c, lt, &c, &decoded) != FAST_OK)
                return FAST_BAIL;
            entities = true;
        } else {
            return FAST_BAIL; /* CR, control characters, non-ASCII: expat's */
        }
    }
    if (lt > s)
        s3_fast_record(p, entities ? 'X' : 'T', s, (size_t)(lt - s), first);
    *next = lt;
    return FAST_OK;
}

static const char *s3_fast_spaces(const char *c, const char *end, unsigned long *line) {
    for (; c < end && s3_fast_space(*c); c++)
        *line += *c == '\n';
    return c;
}

/* One element without attributes, from s ('<') to its end tag, checked
 * and recorded. */
static int s3_fast_element(s3_list_parser *p, const char *s, const char *end, const char **next,
                           int depth, unsigned long *line) {
    if (end - s < 2)
        return FAST_MORE;
    const char *name = s + 1, *c = name;
    if (!s3_fast_name_start(*name))
        return FAST_BAIL; /* an end tag, a comment, CDATA, a PI: not here */
    while (c < end && s3_fast_name_char(*c))
        c++;
    size_t n = (size_t)(c - name);
    if (n > S3_FAST_NAME_MAX || depth > S3_FAST_DEPTH_MAX)
        return FAST_BAIL;
    s3_fast_record(p, 'S', name, n, *line);
    c = s3_fast_spaces(c, end, line);
    if (c == end || (*c == '/' && c + 1 == end))
        return FAST_MORE;
    bool empty = *c == '/';
    if (empty ? c[1] != '>' : *c != '>')
        return FAST_BAIL; /* an attribute */
    c += empty ? 2 : 1;
    if (empty)
        s3_fast_record(p, 'E', name, n, *line);
    while (!empty) {
        const char *t;
        int r = s3_fast_text(p, c, end, &t, line);
        if (r != FAST_OK)
            return r;
        c = t;
        if (end - c < 2)
            return FAST_MORE;
        if (c[1] != '/') {
            r = s3_fast_element(p, c, end, &t, depth + 1, line);
            if (r != FAST_OK)
                return r;
            c = t;
            continue;
        }
        const char *e = c + 2;
        if ((size_t)(end - e) < n)
            return FAST_MORE;
        if (memcmp(e, name, n) != 0)
            return FAST_BAIL;
        unsigned long at = *line;
        e = s3_fast_spaces(e + n, end, line);
        if (e == end)
            return FAST_MORE;
        if (*e != '>')
            return FAST_BAIL;
        s3_fast_record(p, 'E', name, n, at);
        c = e + 1;
        break;
    }
    *next = c;
    return FAST_OK;
}

/* Hands out what a check recorded, to the handlers expat would call. */
static void s3_fast_emit(s3_list_parser *p) {
    for (size_t i = 0; i < p->n_events && !p->error; i++) {
        const s3_fast_event *ev = &p->events[i];
        p->line = ev->line;
        if (ev->kind == 'S' || ev->kind == 'E') {
            char tag[S3_FAST_NAME_MAX + 1];
            memcpy(tag, ev->at, ev->length);
            tag[ev->length] = '\0';
            if (ev->kind == 'S')
                s3_start(p, tag, NULL);
            else
                s3_end(p, tag);
        } else if (p->want_text && ev->kind == 'T') {
            s3_chars(p, ev->at, (int)ev->length);
        } else if (p->want_text) {
            const char *c = ev->at, *end = ev->at + ev->length, *run = c;
            while ((c = memchr(c, '&', (size_t)(end - c))) != NULL) {
                char decoded;
                const char *after = c;
                s3_fast_entity(c, end, &after, &decoded);
                if (c > run)
                    s3_chars(p, run, (int)(c - run));
                s3_chars(p, &decoded, 1);
                c = run = after;
            }
            if (end > run)
                s3_chars(p, run, (int)(end - run));
        }
    }
    p->n_events = 0;
}

/* "<?xml version="1.0" encoding="UTF-8"?>" and its plain variants. */
static int s3_fast_declaration(const char *s, const char *end, const char **next) {
    const char *close = NULL;
    for (const char *c = s; c + 1 < end; c++)
        if (c[0] == '?' && c[1] == '>') {
            close = c;
            break;
        }
    if (!close)
        return (size_t)(end - s) > 256 ? FAST_BAIL : FAST_MORE;
    static const char *const plain[] = {
        "<?xml version=\"1.0\"",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"",
        "<?xml version=\"1.0\" encoding=\"utf-8\"",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"",
    };
    size_t n = (size_t)(close - s);
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strlen(plain[i]) == n && memcmp(s, plain[i], n) == 0) {
            *next = close + 2;
            return FAST_OK;
        }
    return FAST_BAIL;
}

/* The root's start tag: a name and at most one attribute name="value". */
static int s3_fast_root(s3_list_parser *p, const char *s, const char *end, const char **next) {
    const char *close = memchr(s, '>', (size_t)(end - s));
    if (!close)
        return (size_t)(end - s) >= sizeof p->root_tag ? FAST_BAIL : FAST_MORE;
    size_t len = (size_t)(close + 1 - s);
    if (len >= sizeof p->root_tag || close[-1] == '/')
        return FAST_BAIL;
    const char *c = s + 1, *name = c;
    if (!s3_fast_name_start(*c))
        return FAST_BAIL;
    while (s3_fast_name_char(*c))
        c++;
    size_t n = (size_t)(c - name);
    if (n > S3_FAST_NAME_MAX)
        return FAST_BAIL;
    const char *after_name = c;
    {
        unsigned long ignored = 0;
        c = s3_fast_spaces(c, close, &ignored);
    }
    if (c < close) { /* one attribute */
        if (c == after_name || !s3_fast_name_start(*c))
            return FAST_BAIL;
        while (s3_fast_name_char(*c) || *c == ':')
            c++;
        if (*c++ != '=' || (*c != '"' && *c != '\''))
            return FAST_BAIL;
        char quote = *c++;
        while (c < close && *c != quote) {
            if (*c == '<' || *c == '&' || (unsigned char)*c < 0x20 || (unsigned char)*c >= 0x80)
                return FAST_BAIL;
            c++;
        }
        if (c >= close)
            return FAST_BAIL;
        {
            unsigned long ignored = 0;
            c = s3_fast_spaces(c + 1, close, &ignored);
        }
        if (c != close)
            return FAST_BAIL;
    }
    memcpy(p->root_tag, s, len);
    p->root_tag_len = len;
    char tag[S3_FAST_NAME_MAX + 1];
    memcpy(tag, name, n);
    tag[n] = '\0';
    for (const char *k = s; k < close; k++)
        p->line += *k == '\n';
    s3_start(p, tag, NULL);
    *next = close + 1;
    return FAST_OK;
}

/* Hands over to expat from `from` (in the carry): the document from its
 * start while still in the prolog, else the root's start tag (and end tag,
 * when it was read), then the rest. */
static void s3_fast_bail(s3_list_parser *p, const char *from) {
    int state = p->fast;
    size_t at = (size_t)(from - p->carry);
    p->fast = FAST_OFF;
    if (state == FAST_PROLOG) {
        s3_expat_feed(p, p->carry, p->carry_len, false);
    } else {
        unsigned long newlines = 0;
        for (size_t i = 0; i < p->root_tag_len; i++)
            newlines += p->root_tag[i] == '\n';
        p->line_offset = p->line - 1 - newlines;
        p->depth = 0;
        p->container = p->leaf = S3_OTHER;
        s3_want_text(p, false);
        bool ok = s3_expat_feed(p, p->root_tag, p->root_tag_len, false);
        if (ok && state == FAST_CLOSED) {
            char end_tag[S3_FAST_NAME_MAX + 4];
            const char *name = p->root_tag + 1;
            size_t n = 0;
            while (s3_fast_name_char(name[n]))
                n++;
            snprintf(end_tag, sizeof end_tag, "</%.*s>", (int)n, name);
            ok = s3_expat_feed(p, end_tag, strlen(end_tag), false);
        }
        if (ok)
            s3_expat_feed(p, p->carry + at, p->carry_len - at, false);
    }
    p->carry_len = 0;
}

/* Reads what the carry holds, up to the first incomplete piece. */
static void s3_fast_run(s3_list_parser *p) {
    const char *c = p->carry, *end = p->carry + p->carry_len, *next;
    const char *keep = c; /* the prolog is kept whole, for expat */
    if (p->fast == FAST_PROLOG)
        p->line = 1; /* read again from the start */
    while (!p->error && p->fast != FAST_OFF) {
        if (p->fast == FAST_PROLOG) {
            /* expat wants the declaration at the very first byte */
            if (c == p->carry && end - c >= 5 && memcmp(c, "<?xml", 5) == 0) {
                int r = s3_fast_declaration(c, end, &next);
                if (r == FAST_MORE)
                    break;
                if (r == FAST_BAIL) {
                    s3_fast_bail(p, keep);
                    return;
                }
                c = next;
                continue;
            }
            if (c == p->carry && end - c < 5 && memcmp(c, "<?xml", (size_t)(end - c)) == 0)
                break;
            const char *t = c;
            while (t < end && s3_fast_space(*t))
                p->line += *t++ == '\n';
            c = t;
            if (c == end || end - c < 2)
                break;
            if (c[0] != '<' || !s3_fast_name_start(c[1])) {
                s3_fast_bail(p, keep);
                return;
            }
            int r = s3_fast_root(p, c, end, &next);
            if (r == FAST_MORE)
                break;
            if (r == FAST_BAIL) {
                s3_fast_bail(p, keep);
                return;
            }
            p->fast = FAST_BODY;
            c = keep = next;
        } else if (p->fast == FAST_BODY) {
            /* one child of the root (or its end tag): checked whole, then handed out */
            unsigned long line = p->line, closing_line = 0;
            bool closing = false;
            p->n_events = 0;
            int r = s3_fast_text(p, c, end, &next, &line);
            if (r == FAST_OK) {
                c = next;
                if (end - c < 2) {
                    r = FAST_MORE;
                } else if (c[1] == '/') { /* the root's end tag */
                    size_t n = 0;
                    while (s3_fast_name_char(p->root_tag[1 + n]))
                        n++;
                    const char *e = c + 2;
                    closing_line = line;
                    if ((size_t)(end - e) < n + 1)
                        r = FAST_MORE;
                    else if (memcmp(e, p->root_tag + 1, n) != 0)
                        r = FAST_BAIL;
                    else {
                        e = s3_fast_spaces(e + n, end, &line);
                        r = e == end ? FAST_MORE : *e != '>' ? FAST_BAIL : FAST_OK;
                        closing = r == FAST_OK;
                        next = e + 1;
                    }
                } else {
                    r = s3_fast_element(p, c, end, &next, 2, &line);
                }
            }
            if (r == FAST_MORE)
                break;
            if (r == FAST_BAIL) {
                p->n_events = 0;
                s3_fast_bail(p, keep);
                return;
            }
            s3_fast_emit(p);
            if (closing && !p->error) {
                char tag[S3_FAST_NAME_MAX + 1];
                size_t n = 0;
                while (s3_fast_name_char(p->root_tag[1 + n]))
                    n++;
                memcpy(tag, p->root_tag + 1, n);
                tag[n] = '\0';
                p->line = closing_line;
                s3_end(p, tag);
                p->fast = FAST_CLOSED;
            }
            p->line = line;
            c = keep = next;
        } else { /* FAST_CLOSED: only spaces may follow */
            while (c < end && s3_fast_space(*c))
                p->line += *c++ == '\n';
            keep = c;
            if (c < end)
                s3_fast_bail(p, c);
            break;
        }
    }
    if (p->fast == FAST_OFF || p->error) {
        p->carry_len = 0;
        return;
    }
    /* keep what is not read yet */
    size_t left = (size_t)(end - keep);
    memmove(p->carry, keep, left);
    p->carry_len = left;
}

static void s3_fast_feed(s3_list_parser *p, const char *data, size_t length) {
    if (length == 0)
        return;
    if (p->carry_len + length > S3_FAST_CARRY_MAX) {
        /* a piece this long is not what S3 writes: expat reads it */
        s3_fast_bail(p, p->carry);
        if (!p->error)
            s3_expat_feed(p, data, length, false);
        return;
    }
    p->carry = xgrow(p->carry, &p->carry_cap, p->carry_len + length, 1);
    memcpy(p->carry + p->carry_len, data, length);
    p->carry_len += length;
    /* an unfinished piece is read from its start again: wait until the
     * carry has grown by half, so that tiny chunks cost linear time */
    if (p->carry_len < p->carry_retry)
        return;
    s3_fast_run(p);
    p->carry_retry = p->carry_len + (p->carry_len / 2 > 256 ? p->carry_len / 2 : 256);
}

bool s3_list_parser_feed(s3_list_parser *p, const char *data, size_t length) {
    if (p->error)
        return false;
    if (p->fast != FAST_OFF)
        s3_fast_feed(p, data, length);
    else if (length > 0)
        s3_expat_feed(p, data, length, false);
    return p->error == NULL;
}

bool s3_list_parser_finish(s3_list_parser *p) {
    if (p->error)
        return false;
    if (p->fast != FAST_OFF && p->carry_len > 0)
        s3_fast_run(p); /* what waited for more */
    if (p->error)
        return false;
    if (p->fast != FAST_OFF && !(p->fast == FAST_CLOSED && p->carry_len == 0))
        s3_fast_bail(p, p->carry); /* an answer cut short: expat says how */
    if (p->fast == FAST_OFF && !s3_expat_feed(p, "", 0, true))
        return false;
    if (!p->root_ok) {
        p->error = xstrdup("malformed S3 listing: empty answer");
        return false;
    }
    if (p->truncated && (!p->next_token || !*p->next_token)) {
        p->error = xstrdup("malformed S3 listing: truncated without NextContinuationToken");
        return false;
    }
    return true;
}

bool s3_list_parser_truncated(const s3_list_parser *p) {
    return p->truncated;
}

const char *s3_list_parser_next_token(const s3_list_parser *p) {
    return p->truncated ? p->next_token : NULL;
}

const char *s3_list_parser_error(const s3_list_parser *p) {
    return p->error;
}

/* Decodes into `out`, which has room for strlen(text) + 1 bytes. */
static bool s3_url_decode_into(const char *text, char *out) {
    return fmt_percent_decode(text, out, true);
}

char *s3_url_decode(const char *text) {
    char *out = xmalloc(strlen(text) + 1);
    if (!s3_url_decode_into(text, out)) {
        free(out);
        return NULL;
    }
    return out;
}
