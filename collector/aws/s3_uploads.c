/* s3_uploads.c: ListMultipartUploads and ListParts XML to uploads and part
 * sizes, with expat. One small reader serves both: the root is checked,
 * the root's leaves (IsTruncated, the markers, EncodingType) and the
 * leaves of its Upload or Part children are gathered as text. */
#include "collector/aws/s3_uploads.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/s3_list.h"
#include "common/fmt.h"
#include "common/xalloc.h"

#define UPLOADS_TEXT_MAX 8192 /* keys are at most 1024 bytes; room for escapes */

typedef struct uploads_reader {
    XML_Parser xml;
    bool parts; /* ListPartsResult, else ListMultipartUploadsResult */
    const char *operation;
    int depth;
    bool in_child; /* inside an Upload or a Part */
    char leaf[32]; /* the element whose text is gathered; "" none */
    char text[UPLOADS_TEXT_MAX];
    size_t text_length;
    bool overflow;
    char *error;
    bool root_ok;
    bool url_encoded;
    /* the child being read */
    s3_upload upload;
    int64_t part_size;
    bool have_part_number;
    /* results */
    s3_uploads_page *uploads;
    size_t cap_uploads;
    s3_parts_page *part_page;
} uploads_reader;

static void uploads_fail(uploads_reader *r, const char *why) {
    if (!r->error)
        r->error = xasprintf("malformed %s answer at line %lu: %s", r->operation,
                             (unsigned long)XML_GetCurrentLineNumber(r->xml), why);
    XML_StopParser(r->xml, XML_FALSE);
}

static void uploads_upload_clear(s3_upload *u) {
    free(u->key);
    free(u->upload_id);
    free(u->storage_class);
    memset(u, 0, sizeof *u);
    u->initiated = -1;
}

/* The leaves read: at depth 2 (the root's) and 3 (an Upload's or Part's). */
static bool uploads_wanted(const uploads_reader *r, const char *name) {
    static const char *const top_uploads[] = {"IsTruncated", "NextKeyMarker", "NextUploadIdMarker",
                                              "EncodingType", NULL};
    static const char *const top_parts[] = {"IsTruncated", "NextPartNumberMarker", NULL};
    static const char *const upload[] = {"Key", "UploadId", "Initiated", "StorageClass", NULL};
    static const char *const part[] = {"PartNumber", "Size", NULL};
    const char *const *list = r->depth == 2 ? (r->parts ? top_parts : top_uploads)
                              : r->in_child ? (r->parts ? part : upload)
                                            : NULL;
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

static void XMLCALL uploads_start(void *data, const XML_Char *name, const XML_Char **attrs) {
    (void)attrs;
    uploads_reader *r = data;
    r->depth++;
    if (r->depth == 1) {
        if (strcmp(name, r->parts ? "ListPartsResult" : "ListMultipartUploadsResult") != 0)
            uploads_fail(r, r->parts ? "the document is not a ListPartsResult"
                                     : "the document is not a ListMultipartUploadsResult");
        r->root_ok = true;
        return;
    }
    if (r->depth == 2 && strcmp(name, r->parts ? "Part" : "Upload") == 0) {
        r->in_child = true;
        uploads_upload_clear(&r->upload);
        r->part_size = -1;
        r->have_part_number = false;
        return;
    }
    if (r->depth <= 3 && uploads_wanted(r, name) && strlen(name) < sizeof r->leaf) {
        strcpy(r->leaf, name);
        r->text_length = 0;
        r->overflow = false;
    }
}

static void XMLCALL uploads_chars(void *data, const XML_Char *s, int length) {
    uploads_reader *r = data;
    if (!r->leaf[0] || length <= 0)
        return;
    if (r->text_length + (size_t)length >= UPLOADS_TEXT_MAX) {
        r->overflow = true;
        return;
    }
    memcpy(r->text + r->text_length, s, (size_t)length);
    r->text_length += (size_t)length;
}

/* The gathered text (keys are decoded once the whole answer is read:
 * EncodingType may come after them). */
static char *uploads_text(uploads_reader *r) {
    return xstrdup(r->text);
}

/* Decodes *text in place when the answer is URL-encoded; false on a bad
 * escape. */
static bool uploads_decode(const uploads_reader *r, char **text) {
    if (!r->url_encoded || !*text)
        return true;
    char *decoded = s3_url_decode(*text);
    if (!decoded)
        return false;
    free(*text);
    *text = decoded;
    return true;
}

static void uploads_leaf_end(uploads_reader *r) {
    const char *leaf = r->leaf;
    r->text[r->text_length] = '\0';
    if (r->overflow) {
        uploads_fail(r, "an element's text is too long");
        return;
    }
    if (r->depth == 2) {
        if (strcmp(leaf, "IsTruncated") == 0) {
            bool t = strcmp(r->text, "true") == 0;
            if (r->parts)
                r->part_page->truncated = t;
            else
                r->uploads->truncated = t;
        } else if (strcmp(leaf, "EncodingType") == 0) {
            r->url_encoded = strcmp(r->text, "url") == 0;
        } else if (strcmp(leaf, "NextPartNumberMarker") == 0) {
            if (!fmt_parse_count(r->text, &r->part_page->next_part_number_marker))
                uploads_fail(r, "NextPartNumberMarker is not a number");
        } else {
            bool key = strcmp(leaf, "NextKeyMarker") == 0;
            char **to = key ? &r->uploads->next_key_marker : &r->uploads->next_upload_id_marker;
            free(*to);
            *to = uploads_text(r);
        }
        return;
    }
    if (strcmp(leaf, "Key") == 0) {
        free(r->upload.key);
        r->upload.key = uploads_text(r);
    } else if (strcmp(leaf, "UploadId") == 0) {
        free(r->upload.upload_id);
        r->upload.upload_id = uploads_text(r);
    } else if (strcmp(leaf, "StorageClass") == 0) {
        free(r->upload.storage_class);
        r->upload.storage_class = uploads_text(r);
    } else if (strcmp(leaf, "Initiated") == 0) {
        if (!fmt_parse_iso8601(r->text, &r->upload.initiated))
            r->upload.initiated = -1;
    } else if (strcmp(leaf, "Size") == 0) {
        if (!fmt_parse_count(r->text, &r->part_size))
            uploads_fail(r, "a Part's Size is not a number");
    } else if (strcmp(leaf, "PartNumber") == 0) {
        int64_t n;
        r->have_part_number = fmt_parse_count(r->text, &n);
    }
}

static void XMLCALL uploads_end(void *data, const XML_Char *name) {
    (void)name;
    uploads_reader *r = data;
    if (r->leaf[0] && r->depth <= 3) {
        uploads_leaf_end(r);
        r->leaf[0] = '\0';
    } else if (r->depth == 2 && r->in_child) {
        r->in_child = false;
        if (r->parts) {
            if (r->part_size < 0) {
                uploads_fail(r, "a Part lacks its Size");
            } else {
                r->part_page->parts++;
                r->part_page->bytes += r->part_size;
            }
        } else if (!r->upload.key || !r->upload.upload_id) {
            uploads_fail(r, "an Upload lacks Key or UploadId");
        } else {
            s3_uploads_page *p = r->uploads;
            p->uploads = xgrow(p->uploads, &r->cap_uploads, p->n_uploads + 1, sizeof *p->uploads);
            s3_upload *u = &p->uploads[p->n_uploads++];
            *u = r->upload;
            if (!u->storage_class)
                u->storage_class = xstrdup("");
            memset(&r->upload, 0, sizeof r->upload);
            r->upload.initiated = -1;
        }
    }
    r->depth--;
}

static bool uploads_run(uploads_reader *r, const char *xml, size_t length) {
    r->xml = XML_ParserCreate("UTF-8");
    if (!r->xml)
        xfatal("out of memory (XML parser)");
    XML_SetUserData(r->xml, r);
    XML_SetElementHandler(r->xml, uploads_start, uploads_end);
    XML_SetCharacterDataHandler(r->xml, uploads_chars);
    r->upload.initiated = -1;
    bool ok = length <= (size_t)1 << 30 &&
              XML_Parse(r->xml, xml, (int)length, XML_TRUE) != XML_STATUS_ERROR;
    if (!ok && !r->error)
        r->error = xasprintf("malformed %s answer at line %lu: %s", r->operation,
                             (unsigned long)XML_GetCurrentLineNumber(r->xml),
                             length > (size_t)1 << 30 ? "too long"
                                                      : XML_ErrorString(XML_GetErrorCode(r->xml)));
    if (ok && !r->error && !r->root_ok)
        r->error = xasprintf("malformed %s answer: empty", r->operation);
    uploads_upload_clear(&r->upload);
    XML_ParserFree(r->xml);
    if (!r->error && !r->parts) {
        bool decoded = uploads_decode(r, &r->uploads->next_key_marker);
        for (size_t i = 0; decoded && i < r->uploads->n_uploads; i++)
            decoded = uploads_decode(r, &r->uploads->uploads[i].key);
        if (!decoded)
            r->error = xasprintf("malformed %s answer: a key has a bad %%-escape", r->operation);
    }
    return r->error == NULL;
}

bool s3_uploads_parse(const char *xml, size_t length, s3_uploads_page *page, char **error) {
    memset(page, 0, sizeof *page);
    uploads_reader *r = xcalloc(1, sizeof *r);
    r->operation = "ListMultipartUploads";
    r->uploads = page;
    bool ok = uploads_run(r, xml, length);
    if (ok && page->truncated && (!page->next_key_marker || !*page->next_key_marker)) {
        r->error =
            xstrdup("malformed ListMultipartUploads answer: truncated without NextKeyMarker");
        ok = false;
    }
    if (!ok) {
        s3_uploads_page_clear(page);
        *error = r->error;
    }
    free(r);
    return ok;
}

void s3_uploads_page_clear(s3_uploads_page *page) {
    for (size_t i = 0; i < page->n_uploads; i++)
        uploads_upload_clear(&page->uploads[i]);
    free(page->uploads);
    free(page->next_key_marker);
    free(page->next_upload_id_marker);
    memset(page, 0, sizeof *page);
}

bool s3_parts_parse(const char *xml, size_t length, s3_parts_page *page, char **error) {
    memset(page, 0, sizeof *page);
    page->next_part_number_marker = -1;
    uploads_reader *r = xcalloc(1, sizeof *r);
    r->operation = "ListParts";
    r->parts = true;
    r->part_page = page;
    bool ok = uploads_run(r, xml, length);
    if (ok && page->truncated && page->next_part_number_marker < 0) {
        r->error = xstrdup("malformed ListParts answer: truncated without NextPartNumberMarker");
        ok = false;
    }
    if (!ok) {
        memset(page, 0, sizeof *page);
        page->next_part_number_marker = -1;
        *error = r->error;
    }
    free(r);
    return ok;
}
