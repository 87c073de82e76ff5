/* http_answer.h: what a 2xx answer's body really is. A 200 is not always
 * an answer: S3 puts an <Error> in a 200 (CopyObject, UploadPartCopy,
 * CompleteMultipartUpload), a proxy or captive portal sends its HTML page,
 * a connection cut at the right moment leaves half an XML or JSON document
 * that still looks complete to HTTP. http.c sniffs the start of every
 * checked answer, keeps its end, and asks these pure functions what it
 * got; they are tested on their own. */
#ifndef LAKETOP_HTTP_ANSWER_H
#define LAKETOP_HTTP_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

/* The most of an answer's start that is held back until its kind is known
 * (its XML declaration, comments and root start tag fit well within). */
#define HTTP_ANSWER_HEAD_MAX 1024
/* The most of an answer's end that is kept to see that it is whole. */
#define HTTP_ANSWER_TAIL_MAX 256

typedef enum http_answer_kind {
    HTTP_ANSWER_MORE,      /* not known yet: more bytes are needed */
    HTTP_ANSWER_XML,       /* an XML document (its root in `root`) */
    HTTP_ANSWER_XML_ERROR, /* an S3 <Error> document */
    HTTP_ANSWER_JSON,      /* a JSON value */
    HTTP_ANSWER_HTML,      /* an HTML page */
    HTTP_ANSWER_OTHER      /* neither XML nor JSON */
} http_answer_kind;

typedef struct http_answer_root {
    char name[64];    /* the XML root's name; "" when not XML */
    bool self_closed; /* <Root .../>: the document is whole at its start tag */
} http_answer_root;

/* What http.c keeps of one attempt's checked answer: its start (held back
 * until its kind is known), its end, its length. */
typedef struct http_answer {
    http_answer_kind kind;
    http_answer_root root;
    char head[HTTP_ANSWER_HEAD_MAX];
    size_t head_length;
    char tail[HTTP_ANSWER_TAIL_MAX];
    size_t tail_length;
    size_t total;
} http_answer;

/* Takes up to the rest of the head's room from `data` (*taken bytes, with
 * the spaces before the document, which are dropped) and sniffs it
 * (`final`: no more will come); true once the kind is known. */
bool http_answer_take_head(http_answer *a, const char *data, size_t length, bool final,
                           size_t *taken);
/* Counts bytes of the answer as they are delivered, keeping its end. */
void http_answer_note(http_answer *a, const char *data, size_t length);
/* True when the answer is not what was asked for (an error, a page, text):
 * it is kept as an error body rather than streamed. */
bool http_answer_diverted(const http_answer *a);
/* Once the answer is all in (`kept`: its kept body, when not streamed):
 * NULL when it is the answer asked for, else the error it makes for `op`
 * (malloc'd), its code in *code when it has one; *retry: retry whatever
 * the code (a page or a cut answer is what a passing fault leaves). */
char *http_answer_verdict(const http_answer *a, const char *op, long status, const char *kept,
                          size_t kept_length, char **code, bool *retry);

/* The kind of a body from its first `length` bytes; `final` when no more
 * will come (then never HTTP_ANSWER_MORE). */
http_answer_kind http_answer_sniff(const char *head, size_t length, bool final,
                                   http_answer_root *root);
/* True when an XML body's last bytes (`tail`) close its root. */
bool http_answer_xml_whole(const char *tail, size_t length, const http_answer_root *root);
/* NULL when a JSON body is one whole value, else why not ("it ends inside
 * a string", ...). *error_object: the value is an object with a top-level
 * "__type" (an AWS JSON error). */
const char *http_answer_json_whole(const char *body, size_t length, bool *error_object);
/* A short printable description of a body that is not XML or JSON, for a
 * message: an HTML page's title ("an HTML page titled \"502 Bad Gateway\"")
 * or its first bytes; malloc'd. */
char *http_answer_describe(const char *head, size_t length, http_answer_kind kind);

#endif
