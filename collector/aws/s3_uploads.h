/* s3_uploads.h: parsers of S3's ListMultipartUploads and ListParts answers
 * (expat; whole answers, they are small): the incomplete multipart uploads
 * under a prefix and the parts each holds (issue 14's hidden costs). Keys
 * and markers are URL-decoded when the answer says EncodingType "url". */
#ifndef LAKETOP_S3_UPLOADS_H
#define LAKETOP_S3_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct s3_upload {
    char *key; /* decoded */
    char *upload_id;
    int64_t initiated;   /* Unix seconds, -1 when absent or unparseable */
    char *storage_class; /* as S3 writes it; "" when absent */
} s3_upload;

/* One page of ListMultipartUploadsResult. */
typedef struct s3_uploads_page {
    s3_upload *uploads;
    size_t n_uploads;
    bool truncated;
    char *next_key_marker; /* decoded; NULL when absent */
    char *next_upload_id_marker;
} s3_uploads_page;

/* One page of ListPartsResult: its parts summed. */
typedef struct s3_parts_page {
    int64_t parts;
    int64_t bytes;
    bool truncated;
    int64_t next_part_number_marker; /* -1 when absent */
} s3_parts_page;

/* false with *error ("malformed ListMultipartUploads answer at line 3:
 * ...", malloc'd) when the XML is malformed, is not that result, lacks a
 * Key or UploadId (an Upload) or a Size (a Part), or says it is truncated
 * without the markers of the next page; the page is cleared then. */
bool s3_uploads_parse(const char *xml, size_t length, s3_uploads_page *page, char **error);
void s3_uploads_page_clear(s3_uploads_page *page);
bool s3_parts_parse(const char *xml, size_t length, s3_parts_page *page, char **error);

#endif
