/* s3_list.h: a streaming parser of S3 ListObjectsV2 answers (expat, SAX,
 * with a fast path for the plain subset S3 writes; see s3_list.c):
 * objects and common prefixes are handed out one at a time as the bytes
 * arrive, so memory does not grow with the number of objects. Keys and
 * prefixes are URL-decoded when the answer says EncodingType "url". */
#ifndef LAKETOP_S3_LIST_H
#define LAKETOP_S3_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct s3_object {
    const char *key; /* decoded */
    int64_t size;
    int64_t last_modified;     /* Unix seconds, -1 when unparseable */
    const char *etag;          /* without its quotes; "" when absent */
    const char *storage_class; /* StorageClass as S3 writes it; "" when absent */
} s3_object;

typedef struct s3_list_callbacks {
    void (*object)(void *ctx, const s3_object *object);
    void (*common_prefix)(void *ctx, const char *prefix);
    void *ctx;
} s3_list_callbacks;

typedef struct s3_list_parser s3_list_parser;

s3_list_parser *s3_list_parser_new(const s3_list_callbacks *callbacks);
void s3_list_parser_free(s3_list_parser *parser);
/* The fast path for the plain XML S3 writes is on by default; off, expat
 * reads everything (tests compare the two). Starts over. */
void s3_list_parser_set_fast(s3_list_parser *parser, bool on);
/* Starts over (a retried request). */
void s3_list_parser_reset(s3_list_parser *parser);
/* Feeds bytes; false once the XML is malformed (see _error). */
bool s3_list_parser_feed(s3_list_parser *parser, const char *data, size_t length);
/* Ends the document; false when it is malformed or truncated. */
bool s3_list_parser_finish(s3_list_parser *parser);
/* After finish: was the listing truncated, and the token for the next page
 * (NULL when none). */
bool s3_list_parser_truncated(const s3_list_parser *parser);
const char *s3_list_parser_next_token(const s3_list_parser *parser);
/* "malformed XML at line 3: not well-formed (invalid token)" or NULL. */
const char *s3_list_parser_error(const s3_list_parser *parser);

/* URL decoding as S3 does it for encoding-type=url ('+' is a space);
 * malloc'd, NULL on a bad escape. */
char *s3_url_decode(const char *text);

#endif
