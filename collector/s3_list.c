/* s3_list.c: ListObjectsV2 XML to objects and prefixes, streamed by expat. */
#include "s3_list.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fmt.h"
#include "../common/xalloc.h"

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
    char *error;
};

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
        break;
    }
    return S3_OTHER;
}

static void s3_fail(s3_list_parser *p, const char *why) {
    if (!p->error)
        p->error = xasprintf("malformed S3 listing at line %lu: %s",
                             (unsigned long)XML_GetCurrentLineNumber(p->xml), why);
    XML_StopParser(p->xml, XML_FALSE);
}

static void XMLCALL s3_chars(void *data, const XML_Char *s, int length);

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
            p->size = -1;
            p->last_modified = -1;
        }
        if (element == S3_IS_TRUNCATED || element == S3_NEXT_TOKEN || element == S3_ENCODING_TYPE) {
            p->leaf = element;
            p->text_length = 0;
            p->text_overflow = false;
            XML_SetCharacterDataHandler(p->xml, s3_chars);
        }
        return;
    }
    if (p->depth == 3 && (p->container == S3_CONTENTS || p->container == S3_COMMON_PREFIXES) &&
        (element == S3_KEY || element == S3_SIZE || element == S3_LAST_MODIFIED ||
         element == S3_PREFIX || element == S3_ETAG)) {
        p->leaf = element;
        p->text_length = 0;
        p->text_overflow = false;
        /* text is gathered only inside the elements read: expat skips the rest */
        XML_SetCharacterDataHandler(p->xml, s3_chars);
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

static bool s3_parse_int(const char *text, int64_t *out) {
    if (!*text)
        return false;
    int64_t v = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9' || v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*c - '0');
    }
    *out = v;
    return true;
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
            if (!s3_parse_int(p->text, &p->size))
                s3_fail(p, "Size is not a number");
        } else if (p->leaf == S3_LAST_MODIFIED) {
            if (!fmt_parse_iso8601(p->text, &p->last_modified))
                p->last_modified = -1;
        } else if (p->leaf == S3_ETAG) {
            const char *t = p->text;
            size_t n = strlen(t);
            if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
                t++;
                n -= 2;
            }
            snprintf(p->etag, sizeof p->etag, "%.*s", (int)n, t);
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
            s3_object o = {
                .key = p->key, .size = p->size, .last_modified = p->last_modified, .etag = p->etag};
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
        XML_SetCharacterDataHandler(p->xml, NULL);
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
}

s3_list_parser *s3_list_parser_new(const s3_list_callbacks *callbacks) {
    s3_list_parser *p = xcalloc(1, sizeof *p);
    p->cb = *callbacks;
    s3_list_parser_reset(p);
    return p;
}

void s3_list_parser_free(s3_list_parser *p) {
    if (!p)
        return;
    XML_ParserFree(p->xml);
    free(p->next_token);
    free(p->error);
    free(p);
}

bool s3_list_parser_feed(s3_list_parser *p, const char *data, size_t length) {
    if (p->error)
        return false;
    while (length > 0) {
        int chunk = length > (1u << 30) ? (1 << 30) : (int)length;
        if (XML_Parse(p->xml, data, chunk, XML_FALSE) == XML_STATUS_ERROR) {
            if (!p->error)
                p->error = xasprintf("malformed S3 listing at line %lu: %s",
                                     (unsigned long)XML_GetCurrentLineNumber(p->xml),
                                     XML_ErrorString(XML_GetErrorCode(p->xml)));
            return false;
        }
        data += chunk;
        length -= (size_t)chunk;
    }
    return true;
}

bool s3_list_parser_finish(s3_list_parser *p) {
    if (p->error)
        return false;
    if (XML_Parse(p->xml, "", 0, XML_TRUE) == XML_STATUS_ERROR) {
        p->error = xasprintf("malformed S3 listing at line %lu: %s",
                             (unsigned long)XML_GetCurrentLineNumber(p->xml),
                             XML_ErrorString(XML_GetErrorCode(p->xml)));
        return false;
    }
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
