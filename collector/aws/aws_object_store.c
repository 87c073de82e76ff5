/* aws_object_store.c: S3 as an object store, for syncs, and for backups
 * and exports on S3: listing a prefix, server-side copies (multipart above
 * 5 GiB, many in flight), deletes, and whole objects put and got. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/aws/s3_list.h"
#include "collector/aws/sigv4.h"
#include "collector/figures/cost.h"
#include "common/fmt.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define AWS_COPY_MAX ((int64_t)5 << 30)  /* CopyObject's limit */
#define AWS_COPY_PART ((int64_t)1 << 30) /* parts of a multipart copy */

typedef struct aws_list_all {
    object_entry *items;
    size_t n, cap;
    size_t prefix_length;
} aws_list_all;

static void aws_list_all_object(void *ctx, const s3_object *o) {
    aws_list_all *l = ctx;
    if (strlen(o->key) < l->prefix_length)
        return;
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    cost_class c = COST_STANDARD; /* a class S3 added since: billed as STANDARD */
    cost_class_from_s3(o->storage_class, &c);
    l->items[l->n++] = (object_entry){.key = xstrdup(o->key + l->prefix_length),
                                      .size = o->size,
                                      .mtime = o->last_modified,
                                      .etag = o->etag && *o->etag ? xstrdup(o->etag) : NULL,
                                      .storage_class = (int)c};
}

bool aws_list_pages(aws_source *src, const char *bucket, const char *prefix, bool delimiter,
                    const s3_list_callbacks *cb, char **error) {
    char *token = NULL;
    bool ok = true;
    page_guard pages = {0};
    do {
        char *query = aws_request_list_query(token, delimiter, prefix, NULL, 0);
        aws_s3_call c = {0};
        aws_request_s3_submit(src, &c, "GET", bucket, NULL, query, NULL);
        free(query);
        http_client_run(src->http, NULL);
        free(token);
        token = NULL;
        if (c.error) {
            *error = xasprintf("s3://%s/%s: %s", bucket, prefix, c.error);
            ok = false;
        } else {
            s3_list_parser *p = s3_list_parser_new(cb);
            if (!s3_list_parser_feed(p, c.body, strlen(c.body)) || !s3_list_parser_finish(p)) {
                *error = xasprintf("s3://%s/%s: %s", bucket, prefix, s3_list_parser_error(p));
                ok = false;
            } else if (s3_list_parser_next_token(p)) {
                char *endless = NULL;
                token = xstrdup(s3_list_parser_next_token(p));
                if (!page_guard_next(&pages, token, PAGE_GUARD_S3_LIST, &endless)) {
                    *error = xasprintf("s3://%s/%s: ListObjectsV2: %s", bucket, prefix, endless);
                    free(endless);
                    free(token);
                    token = NULL;
                    ok = false;
                }
            }
            s3_list_parser_free(p);
        }
        aws_request_s3_call_clear(&c);
    } while (ok && token);
    page_guard_free(&pages);
    return ok;
}

static bool aws_object_store_list(lake_source *self, const char *bucket, const char *prefix,
                                  object_entry **objects, size_t *n, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    aws_list_all l = {.prefix_length = strlen(prefix)};
    s3_list_callbacks cb = {.object = aws_list_all_object, .ctx = &l};
    if (!aws_list_pages(src, bucket, prefix, false, &cb, error)) {
        object_entries_free(l.items, l.n);
        return false;
    }
    *objects = l.items;
    *n = l.n;
    return true;
}

/* "/bucket/key" URI-encoded, as x-amz-copy-source wants it. '=', ':', '@'
 * and ',' stay as they are: they are legal in a path, and some S3
 * implementations (s3rver) decode the header with decodeURI, which leaves
 * their escapes undecoded. */
static char *aws_copy_source(const char *bucket, const char *key) {
    char *b = sigv4_uri_encode(bucket, strlen(bucket), false);
    char *k = sigv4_uri_encode(key, strlen(key), true);
    size_t n = strlen(k);
    char *plain = xmalloc(n + 1), *o = plain;
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '%' && i + 2 < n + 1) {
            int v = fmt_hex_digit(k[i + 1]) * 16 + fmt_hex_digit(k[i + 2]);
            if (v == '=' || v == ':' || v == '@' || v == ',') {
                *o++ = (char)v;
                i += 2;
                continue;
            }
        }
        *o++ = k[i];
    }
    *o = '\0';
    char *out = xasprintf("/%s/%s", b, plain);
    free(b);
    free(k);
    free(plain);
    return out;
}

/* The text of <tag> in an S3 answer (malloc'd) or NULL. */
static char *aws_xml_text(const char *body, const char *tag) {
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = strstr(body, open);
    const char *b = a ? strstr(a, close) : NULL;
    return a && b ? xstrndup(a + strlen(open), (size_t)(b - a - strlen(open))) : NULL;
}

/* A copy above 5 GiB: CreateMultipartUpload, UploadPartCopy by 1 GiB,
 * CompleteMultipartUpload (AbortMultipartUpload is not needed for
 * correctness: an unfinished upload is never an object). */
static bool aws_copy_multipart(aws_source *src, const object_copy *cp, char **error) {
    aws_s3_call init = {0};
    aws_request_s3_submit(src, &init, "POST", cp->to_bucket, cp->to_key, "uploads=", "");
    http_client_run(src->http, NULL);
    char *upload = init.body ? aws_xml_text(init.body, "UploadId") : NULL;
    if (!upload) {
        *error = xasprintf("s3://%s/%s: CreateMultipartUpload: %s", cp->to_bucket, cp->to_key,
                           init.error ? init.error : "no UploadId");
        aws_request_s3_call_clear(&init);
        return false;
    }
    aws_request_s3_call_clear(&init);
    size_t parts = (size_t)((cp->size + AWS_COPY_PART - 1) / AWS_COPY_PART);
    aws_s3_call *calls = xcalloc(parts, sizeof *calls);
    char **ranges = xcalloc(parts, sizeof *ranges);
    char *source = aws_copy_source(cp->from_bucket, cp->from_key);
    for (size_t i = 0; i < parts; i++) {
        int64_t a = (int64_t)i * AWS_COPY_PART;
        int64_t b = a + AWS_COPY_PART - 1 < cp->size - 1 ? a + AWS_COPY_PART - 1 : cp->size - 1;
        ranges[i] = xasprintf("bytes=%lld-%lld", (long long)a, (long long)b);
        calls[i].sign.copy_source = source;
        calls[i].sign.copy_range = ranges[i];
        char *query = xasprintf("partNumber=%zu&uploadId=%s", i + 1, upload);
        aws_request_s3_submit(src, &calls[i], "PUT", cp->to_bucket, cp->to_key, query, NULL);
        free(query);
    }
    http_client_run(src->http, NULL);
    bool ok = true;
    strbuf xml = {0};
    strbuf_puts(&xml, "<CompleteMultipartUpload>");
    for (size_t i = 0; i < parts; i++) {
        char *etag = calls[i].body ? aws_xml_text(calls[i].body, "ETag") : NULL;
        if (!etag) {
            if (ok)
                *error = xasprintf("s3://%s/%s: UploadPartCopy %zu: %s", cp->to_bucket, cp->to_key,
                                   i + 1, calls[i].error ? calls[i].error : "no ETag");
            ok = false;
        } else {
            strbuf_printf(&xml, "<Part><PartNumber>%zu</PartNumber><ETag>%s</ETag></Part>", i + 1,
                          etag);
        }
        free(etag);
        calls[i].sign.copy_source = NULL;
        calls[i].sign.copy_range = NULL;
        aws_request_s3_call_clear(&calls[i]);
        free(ranges[i]);
    }
    strbuf_puts(&xml, "</CompleteMultipartUpload>");
    free(calls);
    free(ranges);
    free(source);
    if (ok) {
        char *query = xasprintf("uploadId=%s", upload);
        aws_s3_call done = {0};
        aws_request_s3_submit(src, &done, "POST", cp->to_bucket, cp->to_key, query, xml.data);
        free(query);
        http_client_run(src->http, NULL);
        if (done.error || !done.body || !strstr(done.body, "CompleteMultipartUploadResult")) {
            *error = xasprintf("s3://%s/%s: CompleteMultipartUpload: %s", cp->to_bucket, cp->to_key,
                               done.error ? done.error : "unexpected answer");
            ok = false;
        }
        aws_request_s3_call_clear(&done);
    }
    strbuf_free(&xml);
    free(upload);
    return ok;
}

static bool aws_object_store_copy(lake_source *self, const object_copy *copies, size_t n,
                                  void (*progress)(void *, size_t), void *ctx, size_t *copied,
                                  char **error) {
    *copied = 0;
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    aws_s3_call *calls = xcalloc(n ? n : 1, sizeof *calls);
    char **sources = xcalloc(n ? n : 1, sizeof *sources);
    for (size_t i = 0; i < n; i++) {
        if (copies[i].size > AWS_COPY_MAX)
            continue; /* below, one at a time */
        sources[i] = aws_copy_source(copies[i].from_bucket, copies[i].from_key);
        calls[i].sign.copy_source = sources[i];
        calls[i].done = copied;
        calls[i].progress = progress;
        calls[i].ctx = ctx;
        aws_request_s3_submit(src, &calls[i], "PUT", copies[i].to_bucket, copies[i].to_key, NULL,
                              NULL);
    }
    http_client_run(src->http, NULL); /* every single copy in flight together */
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (copies[i].size > AWS_COPY_MAX)
            continue;
        /* a 200 can still carry an error for CopyObject */
        if (ok && (calls[i].error || !calls[i].body || strstr(calls[i].body, "<Error>"))) {
            *error = xasprintf("copy s3://%s/%s to s3://%s/%s: %s", copies[i].from_bucket,
                               copies[i].from_key, copies[i].to_bucket, copies[i].to_key,
                               calls[i].error ? calls[i].error : "the copy failed");
            ok = false;
        }
        calls[i].sign.copy_source = NULL;
        aws_request_s3_call_clear(&calls[i]);
        free(sources[i]);
    }
    free(calls);
    free(sources);
    for (size_t i = 0; ok && i < n; i++) {
        if (copies[i].size <= AWS_COPY_MAX)
            continue;
        ok = aws_copy_multipart(src, &copies[i], error);
        if (ok) {
            (*copied)++;
            if (progress)
                progress(ctx, *copied);
        }
    }
    return ok;
}

static bool aws_object_store_delete(lake_source *self, const char *bucket, char *const *keys,
                                    size_t n, size_t *deleted, char **error) {
    *deleted = 0;
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    aws_s3_call *calls = xcalloc(n ? n : 1, sizeof *calls);
    for (size_t i = 0; i < n; i++) {
        calls[i].done = deleted;
        aws_request_s3_submit(src, &calls[i], "DELETE", bucket, keys[i], NULL, NULL);
    }
    http_client_run(src->http, NULL);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (ok && calls[i].error) {
            *error = xasprintf("delete s3://%s/%s: %s", bucket, keys[i], calls[i].error);
            ok = false;
        }
        aws_request_s3_call_clear(&calls[i]);
    }
    free(calls);
    return ok;
}

/* ---- whole objects: backups, exports, and syncs with a local zone ----------- */

/* One PutObject of `length` bytes (a single PUT: up to 5 GiB). */
static bool aws_object_store_put(lake_source *self, const char *bucket, const char *key,
                                 const char *data, size_t length, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    aws_s3_call c = {0};
    aws_request_s3_submit_n(src, &c, "PUT", bucket, key, NULL, data, length);
    http_client_run(src->http, NULL);
    bool ok = c.error == NULL;
    if (!ok)
        *error = xasprintf("put s3://%s/%s: %s", bucket, key, c.error);
    aws_request_s3_call_clear(&c);
    return ok;
}

/* ---- GetObject, checked ---------------------------------------------------
 * One GetObject streamed into a file (objects may pass the HTTP_KEEP_BODY_MAX
 * an answer keeps) or memory, checked: its length against the listing's
 * size, and for a single-part object (an ETag of 32 hex digits, no '-') its
 * MD5 against the ETag (the listing's, else the answer's own). SSE-KMS and
 * SSE-C objects have ETags that are not their MD5: only their length is
 * checked. */
typedef struct aws_fetch {
    aws_signing sign;
    int fd;         /* >= 0: into this file */
    strbuf *memory; /* else here */
    int write_errno;
    int64_t bytes;
    EVP_MD_CTX *md5;
    bool encrypted;
    char etag[80]; /* the answer's ETag header, without quotes */
    char *error;
} aws_fetch;

static void aws_fetch_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((aws_fetch *)ctx)->sign, request);
}

static bool aws_fetch_data(void *ctx, const char *data, size_t length) {
    aws_fetch *f = ctx;
    f->bytes += (int64_t)length;
    EVP_DigestUpdate(f->md5, data, length);
    if (f->fd < 0) {
        strbuf_append(f->memory, data, length);
        return true;
    }
    while (length > 0) {
        ssize_t n = write(f->fd, data, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            f->write_errno = n < 0 ? errno : EIO;
            return false; /* aborts the request */
        }
        data += n;
        length -= (size_t)n;
    }
    return true;
}

/* A retry starts the object over. */
static void aws_fetch_attempt(void *ctx) {
    aws_fetch *f = ctx;
    f->bytes = 0;
    EVP_DigestInit_ex(f->md5, EVP_md5(), NULL);
    if (f->fd < 0)
        strbuf_free(f->memory);
    else if (ftruncate(f->fd, 0) != 0 || lseek(f->fd, 0, SEEK_SET) != 0)
        f->write_errno = errno;
}

/* The answer's headers: its ETag, and whether the object is encrypted
 * with KMS or a customer key. */
static void aws_fetch_header(void *ctx, const char *line, size_t length) {
    aws_fetch *f = ctx;
    char text[256];
    size_t n = length < sizeof text - 1 ? length : sizeof text - 1;
    memcpy(text, line, n);
    text[n] = '\0';
    static const char sse[] = "x-amz-server-side-encryption:";
    static const char sse_c[] = "x-amz-server-side-encryption-customer-algorithm:";
    if (strncasecmp(text, sse_c, sizeof sse_c - 1) == 0 ||
        (strncasecmp(text, sse, sizeof sse - 1) == 0 && strstr(text, "aws:kms")))
        f->encrypted = true;
    if (strncasecmp(text, "etag:", 5) == 0) {
        const char *v = text + 5;
        while (*v == ' ' || *v == '"')
            v++;
        size_t e = strcspn(v, "\"\r\n");
        if (e < sizeof f->etag) {
            memcpy(f->etag, v, e);
            f->etag[e] = '\0';
        }
    }
}

static void aws_fetch_done(void *ctx, const http_response *response) {
    aws_fetch *f = ctx;
    if (response->error)
        f->error = xstrdup(response->error);
}

/* True when `etag` is a single-part object's (32 hex digits: its MD5). */
static bool aws_etag_is_md5(const char *etag) {
    if (!etag || strlen(etag) != 32)
        return false;
    for (const char *c = etag; *c; c++)
        if (fmt_hex_digit(*c) < 0)
            return false;
    return true;
}

/* Why the bytes that came are not the object, or NULL when they are. */
static char *aws_fetch_mismatch(aws_fetch *f, const object_entry *listed) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    EVP_DigestFinal_ex(f->md5, digest, &digest_length);
    char md5[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned int i = 0; i < digest_length; i++)
        snprintf(md5 + 2 * i, 3, "%02x", digest[i]);
    md5[2 * digest_length] = '\0';
    if (listed && listed->size >= 0 && f->bytes != listed->size)
        return xasprintf("%lld bytes came, the listing says %lld: the download is not the object",
                         (long long)f->bytes, (long long)listed->size);
    const char *etag = listed && listed->etag ? listed->etag : f->etag;
    if (!f->encrypted && aws_etag_is_md5(etag) && strcasecmp(md5, etag) != 0)
        return xasprintf("the bytes that came (%lld) have MD5 %s, the object's ETag is %s: the "
                         "download is not the object",
                         (long long)f->bytes, md5, etag);
    return NULL;
}

static bool aws_fetch_run(lake_source *self, const char *bucket, const char *key,
                          const object_entry *listed, int fd, strbuf *memory, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    aws_fetch f = {.fd = fd, .memory = memory, .md5 = EVP_MD_CTX_new()};
    if (!f.md5 || !EVP_DigestInit_ex(f.md5, EVP_md5(), NULL))
        xfatal("OpenSSL: cannot start an MD5 digest");
    char *url = aws_request_s3_address(src, bucket, key, NULL, &f.sign);
    f.sign.body = "";
    http_request_spec spec = {.method = "GET",
                              .url = url,
                              .prepare = aws_fetch_prepare,
                              .on_data = aws_fetch_data,
                              .on_attempt = aws_fetch_attempt,
                              .on_done = aws_fetch_done,
                              .on_header = aws_fetch_header,
                              .ctx = &f,
                              .billing = HTTP_BILL_S3_GET,
                              .kind = HTTP_KIND_METADATA};
    http_client_submit(src->http, &spec);
    free(url);
    http_client_run(src->http, NULL);
    char *mismatch = NULL;
    if (f.write_errno)
        *error =
            xasprintf("get s3://%s/%s: cannot write: %s", bucket, key, strerror(f.write_errno));
    else if (f.error)
        *error = xasprintf("get s3://%s/%s: %s", bucket, key, f.error);
    else if ((mismatch = aws_fetch_mismatch(&f, listed)) != NULL)
        *error = xasprintf("get s3://%s/%s: %s", bucket, key, mismatch);
    bool ok = !f.write_errno && !f.error && !mismatch;
    free(mismatch);
    EVP_MD_CTX_free(f.md5);
    aws_request_signing_free(&f.sign);
    free(f.error);
    return ok;
}

static bool aws_object_store_get(lake_source *self, const char *bucket, const char *key,
                                 char **data, size_t *length, char **error) {
    strbuf memory = {0};
    if (!aws_fetch_run(self, bucket, key, NULL, -1, &memory, error)) {
        strbuf_free(&memory);
        return false;
    }
    *length = memory.length;
    *data = strbuf_take(&memory);
    return true;
}

static bool aws_object_store_download(lake_source *self, const char *bucket, const char *key,
                                      const object_entry *listed, int fd, char **error) {
    return aws_fetch_run(self, bucket, key, listed, fd, NULL, error);
}

/* A file, mapped and put in one PutObject. */
static bool aws_object_store_upload(lake_source *self, const char *bucket, const char *key,
                                    const char *path, char **error) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *error = xasprintf("cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    if ((int64_t)st.st_size > AWS_COPY_MAX) {
        *error = xasprintf("%s: above 5 GiB, which a single PutObject cannot take (multipart "
                           "uploads are not done yet)",
                           path);
        close(fd);
        return false;
    }
    size_t length = (size_t)st.st_size;
    void *map = length ? mmap(NULL, length, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (map == MAP_FAILED) {
        *error = xasprintf("cannot map %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = aws_object_store_put(self, bucket, key, map ? map : "", length, error);
    if (map)
        munmap(map, length);
    return ok;
}

const source_object_store aws_object_store = {.list_objects = aws_object_store_list,
                                              .copy_objects = aws_object_store_copy,
                                              .delete_objects = aws_object_store_delete,
                                              .put_object = aws_object_store_put,
                                              .get_object = aws_object_store_get,
                                              .upload_file = aws_object_store_upload,
                                              .download_file = aws_object_store_download};
