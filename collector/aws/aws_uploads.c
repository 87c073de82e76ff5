/* aws_uploads.c: a refresh's incomplete multipart uploads of each table
 * (issue 14's hidden costs): ListMultipartUploads on the table's prefix
 * (most tables have none: one request), then ListParts of each upload
 * found, one request after another, for the bytes S3 bills as storage
 * until the upload is aborted. At most AWS_UPLOADS_PARTS_MAX uploads a
 * table have their parts listed; past that the bytes are those of the
 * first ones (upload_bytes_partial). A failure (often: the role may not
 * s3:ListBucketMultipartUploads) leaves the table's figures unknown with
 * uploads_error; the rest of the row stands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/aws/s3_uploads.h"
#include "collector/aws/sigv4.h"
#include "collector/storage.h"
#include "common/xalloc.h"

/* ListParts pages (1,000 parts each) an upload may take: S3 allows 10,000
 * parts, so 10 pages; ten times that. */
#define AWS_UPLOADS_PART_PAGES 100

typedef struct uploads_scan {
    aws_refresh *refresh;
    size_t table;
    char *bucket;
    char *prefix;
    aws_signing sign;
    bool listing_parts; /* the phase: ListMultipartUploads, then ListParts */
    char *key_marker;   /* of the next ListMultipartUploads page; NULL: the first */
    char *upload_id_marker;
    page_guard pages;
    s3_upload *uploads; /* every upload found (key order) */
    size_t n_uploads, cap_uploads;
    size_t part_upload;  /* the upload whose parts are being listed */
    int64_t part_marker; /* of its next ListParts page; -1: the first */
    int64_t part_bytes;  /* its parts so far */
    cost_storage storage;
    int64_t bytes;
    int64_t oldest;
} uploads_scan;

static void uploads_submit(uploads_scan *u);

static void uploads_free(uploads_scan *u) {
    for (size_t i = 0; i < u->n_uploads; i++) {
        free(u->uploads[i].key);
        free(u->uploads[i].upload_id);
        free(u->uploads[i].storage_class);
    }
    free(u->uploads);
    free(u->bucket);
    free(u->prefix);
    free(u->key_marker);
    free(u->upload_id_marker);
    aws_request_signing_free(&u->sign);
    page_guard_free(&u->pages);
    free(u);
}

/* The table's figures: the count and the oldest, and the bytes (-1 when a
 * ListParts failed: `error`); then the scan ends. */
static void uploads_finish(uploads_scan *u, char *error) {
    table_stats *t = &u->refresh->snap->tables[u->table];
    if (error && !u->listing_parts) {
        t->incomplete_uploads = t->incomplete_upload_bytes = t->oldest_incomplete_upload = -1;
    } else {
        t->incomplete_uploads = (int64_t)u->n_uploads;
        t->oldest_incomplete_upload = u->oldest;
        t->incomplete_upload_bytes = error ? -1 : u->bytes;
        t->upload_bytes_partial = u->n_uploads > AWS_UPLOADS_PARTS_MAX;
        t->upload_storage = u->storage;
    }
    free(t->uploads_error);
    t->uploads_error = error;
    uploads_free(u);
}

/* "s3://b/p: ListParts: why" (malloc'd). */
static char *uploads_error(const uploads_scan *u, const char *why) {
    return xasprintf("s3://%s/%s: %s: %s", u->bucket, u->prefix,
                     u->listing_parts ? "ListParts" : "ListMultipartUploads", why);
}

/* The next upload's parts, or the end. */
static void uploads_next_parts(uploads_scan *u) {
    size_t listed = u->n_uploads < AWS_UPLOADS_PARTS_MAX ? u->n_uploads : AWS_UPLOADS_PARTS_MAX;
    if (u->part_upload >= listed) {
        uploads_finish(u, NULL);
        return;
    }
    u->part_marker = -1;
    u->part_bytes = 0;
    page_guard_free(&u->pages);
    uploads_submit(u);
}

/* One upload's parts are all in: its bytes in its storage class. */
static void uploads_parts_done(uploads_scan *u) {
    const s3_upload *up = &u->uploads[u->part_upload];
    cost_class c = COST_STANDARD; /* a class S3 added since: as STANDARD */
    cost_class_from_s3(up->storage_class, &c);
    /* parts are billed by their bytes at the class's price: they are not
     * objects yet, so no minimum size and no archive overhead */
    u->storage.bytes[c] += u->part_bytes;
    u->storage.billed[c] += u->part_bytes;
    u->storage.objects[c]++;
    u->bytes += u->part_bytes;
    u->part_upload++;
    uploads_next_parts(u);
}

static bool uploads_list_page(uploads_scan *u, const http_response *response, char **error) {
    s3_uploads_page page;
    if (!s3_uploads_parse(response->body ? response->body : "", response->body_length, &page,
                          error))
        return false;
    for (size_t i = 0; i < page.n_uploads; i++) {
        s3_upload *up = &page.uploads[i];
        /* the prefix is asked for; an endpoint that answers more is not believed */
        if (strncmp(up->key, u->prefix, strlen(u->prefix)) != 0)
            continue;
        u->uploads = xgrow(u->uploads, &u->cap_uploads, u->n_uploads + 1, sizeof *u->uploads);
        u->uploads[u->n_uploads++] = *up;
        if (up->initiated >= 0 && (u->oldest < 0 || up->initiated < u->oldest))
            u->oldest = up->initiated;
        memset(up, 0, sizeof *up);
    }
    bool more = page.truncated;
    if (more) {
        char *token = xasprintf("%s\t%s", page.next_key_marker,
                                page.next_upload_id_marker ? page.next_upload_id_marker : "");
        more = page_guard_next(&u->pages, token, PAGE_GUARD_S3_LIST, error);
        free(token);
        if (!more) {
            s3_uploads_page_clear(&page);
            return false;
        }
        free(u->key_marker);
        free(u->upload_id_marker);
        u->key_marker = xstrdup(page.next_key_marker);
        u->upload_id_marker =
            page.next_upload_id_marker ? xstrdup(page.next_upload_id_marker) : NULL;
    }
    s3_uploads_page_clear(&page);
    if (more) {
        uploads_submit(u);
    } else {
        u->listing_parts = true;
        u->part_upload = 0;
        uploads_next_parts(u);
    }
    return true;
}

static bool uploads_parts_page(uploads_scan *u, const http_response *response, char **error) {
    s3_parts_page page;
    if (!s3_parts_parse(response->body ? response->body : "", response->body_length, &page, error))
        return false;
    u->part_bytes += page.bytes;
    if (page.truncated) {
        char token[32];
        snprintf(token, sizeof token, "%lld", (long long)page.next_part_number_marker);
        if (!page_guard_next(&u->pages, token, AWS_UPLOADS_PART_PAGES, error))
            return false;
        u->part_marker = page.next_part_number_marker;
        uploads_submit(u);
    } else {
        uploads_parts_done(u);
    }
    return true;
}

static void uploads_resend(void *ctx) {
    uploads_submit(ctx);
}

static void uploads_done(void *ctx, const http_response *response) {
    uploads_scan *u = ctx;
    if (response->error &&
        aws_rounds_defer(&u->refresh->rounds, response, uploads_resend, uploads_done, u))
        return;
    if (response->error && u->listing_parts && response->error_code &&
        strcmp(response->error_code, "NoSuchUpload") == 0) {
        /* completed or aborted since it was listed: nothing of it is left */
        u->part_bytes = 0;
        uploads_parts_done(u);
        return;
    }
    char *why = NULL;
    if (response->error)
        why = xstrdup(response->error);
    else if (u->listing_parts ? uploads_parts_page(u, response, &why)
                              : uploads_list_page(u, response, &why))
        return;
    char *error = uploads_error(u, why);
    free(why);
    uploads_finish(u, error);
}

static void uploads_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((uploads_scan *)ctx)->sign, request);
}

/* Appends "&key=value" (value URI-encoded), in the sorted order signed. */
static void uploads_query_add(strbuf *q, const char *key, const char *value) {
    char *enc = sigv4_uri_encode(value, strlen(value), false);
    strbuf_printf(q, "%s%s=%s", q->length ? "&" : "", key, enc);
    free(enc);
}

static void uploads_submit(uploads_scan *u) {
    aws_source *src = u->refresh->src;
    strbuf q = {0};
    const char *key = NULL, *operation;
    if (!u->listing_parts) {
        operation = "ListMultipartUploads";
        uploads_query_add(&q, "encoding-type", "url");
        if (u->key_marker)
            uploads_query_add(&q, "key-marker", u->key_marker);
        uploads_query_add(&q, "prefix", u->prefix);
        if (u->key_marker && u->upload_id_marker)
            uploads_query_add(&q, "upload-id-marker", u->upload_id_marker);
        uploads_query_add(&q, "uploads", "");
    } else {
        operation = "ListParts";
        key = u->uploads[u->part_upload].key;
        if (u->part_marker >= 0) {
            char marker[32];
            snprintf(marker, sizeof marker, "%lld", (long long)u->part_marker);
            uploads_query_add(&q, "part-number-marker", marker);
        }
        uploads_query_add(&q, "uploadId", u->uploads[u->part_upload].upload_id);
    }
    aws_request_signing_free(&u->sign);
    u->sign = (aws_signing){0};
    char *url = aws_request_s3_address(src, u->bucket, key, q.data, &u->sign);
    strbuf_free(&q);
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = uploads_prepare,
                              .on_done = uploads_done,
                              .ctx = u,
                              .operation = operation,
                              .billing = HTTP_BILL_S3_LIST,
                              .kind = HTTP_KIND_LISTING};
    http_client_submit(src->http, &spec);
    free(url);
}

void aws_uploads_start(aws_refresh *r, size_t table_index) {
    table_stats *t = &r->snap->tables[table_index];
    uploads_scan *u = xcalloc(1, sizeof *u);
    if (!storage_s3_parse(t->location, &u->bucket, &u->prefix, NULL)) {
        free(u); /* not on S3: unknown, and the listing says why */
        return;
    }
    u->refresh = r;
    u->table = table_index;
    u->oldest = -1;
    uploads_submit(u);
}
