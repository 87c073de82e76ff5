/* inventory_gen.c: the data files of an S3 Inventory report (CSV, gzip) of
 * a synthetic bucket (tests/fixtures/synthetic_lake.py), for
 * tests/bench_scale.sh: every object the specs describe, in key order, one
 * row each ("bucket","key","size","last modified","STANDARD", the key
 * URL-encoded as S3 Inventory writes it), streamed through zlib into FILES
 * files of about equal rows. Reads the specs' TSV (synthetic_lake.py tsv) on
 * stdin; writes OUT_DIR/PREFIXnnnn.csv.gz and prints "file NAME SIZE MD5
 * ROWS" per file and "spec BUCKET PREFIX OBJECTS BYTES MARKERS NEWEST" per
 * spec (markers apart, as a listing counts them); OUT_DIR "-": the sums
 * only. The same formulas as synthetic_lake.py. */
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define MAX_SPECS 4096

typedef struct gen_spec {
    char bucket[64], prefix[256], suffix[64];
    int64_t days, per, vary, files, size, spread, seed, marker, start_epoch, time_s;
} gen_spec;

typedef struct gen_out {
    const char *dir, *name_prefix;
    int64_t per_file, rows_in_file, total_rows;
    int index, n_files;
    FILE *file;
    char path[4096];
    z_stream z;
    EVP_MD_CTX *md5;
    int64_t compressed;
    unsigned char in[1 << 20], out[1 << 18];
    size_t in_len;
} gen_out;

static gen_spec gen_specs[MAX_SPECS];

static void gen_die(const char *what) {
    fprintf(stderr, "inventory_gen: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

static int64_t gen_data_files(const gen_spec *s, int64_t d) {
    if (!s->days)
        return s->files;
    return s->per +
           (int64_t)(((uint64_t)d * 2654435761u + (uint64_t)s->seed * 40503u) %
                     (uint64_t)(2 * s->vary + 1)) -
           s->vary;
}

static void gen_write_compressed(gen_out *o, int flush) {
    o->z.next_in = o->in;
    o->z.avail_in = (uInt)o->in_len;
    do {
        o->z.next_out = o->out;
        o->z.avail_out = sizeof o->out;
        if (deflate(&o->z, flush) == Z_STREAM_ERROR)
            gen_die("deflate");
        size_t n = sizeof o->out - o->z.avail_out;
        if (n && fwrite(o->out, 1, n, o->file) != n)
            gen_die(o->path);
        EVP_DigestUpdate(o->md5, o->out, n);
        o->compressed += (int64_t)n;
    } while (o->z.avail_out == 0);
    o->in_len = 0;
}

static void gen_close(gen_out *o) {
    if (!o->dir || !o->file)
        return;
    gen_write_compressed(o, Z_FINISH);
    deflateEnd(&o->z);
    unsigned char digest[16];
    unsigned int len = 0;
    EVP_DigestFinal_ex(o->md5, digest, &len);
    EVP_MD_CTX_free(o->md5);
    if (fclose(o->file) != 0)
        gen_die(o->path);
    o->file = NULL;
    printf("file\t%s%04d.csv.gz\t%" PRId64 "\t", o->name_prefix, o->index, o->compressed);
    for (unsigned int i = 0; i < len; i++)
        printf("%02x", digest[i]);
    printf("\t%" PRId64 "\n", o->rows_in_file);
    o->index++;
}

static void gen_open(gen_out *o) {
    snprintf(o->path, sizeof o->path, "%s/%s%04d.csv.gz", o->dir, o->name_prefix, o->index);
    o->file = fopen(o->path, "wb");
    if (!o->file)
        gen_die(o->path);
    memset(&o->z, 0, sizeof o->z);
    if (deflateInit2(&o->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        gen_die("deflateInit2");
    o->md5 = EVP_MD_CTX_new();
    EVP_DigestInit_ex(o->md5, EVP_md5(), NULL);
    o->compressed = 0;
    o->rows_in_file = 0;
}

static void gen_row(gen_out *o, const char *row, size_t len) {
    if (!o->dir)
        return; /* sums only */
    if (!o->file)
        gen_open(o);
    if (o->in_len + len > sizeof o->in)
        gen_write_compressed(o, Z_NO_FLUSH);
    memcpy(o->in + o->in_len, row, len);
    o->in_len += len;
    o->rows_in_file++;
    if (o->rows_in_file == o->per_file && o->index + 1 < o->n_files)
        gen_close(o);
}

/* the key, URL-encoded as S3 Inventory writes it (the specs' keys hold
 * only A-Z a-z 0-9 _ . / = -: '=' is the one to encode) */
static char *gen_put_encoded(char *p, const char *s) {
    for (; *s; s++) {
        if (*s == '=') {
            memcpy(p, "%3D", 3);
            p += 3;
        } else {
            *p++ = *s;
        }
    }
    return p;
}

static char *gen_put_digits(char *p, int64_t v, int width) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* "YYYY-MM-DDTHH:MM:SS.000Z": the date from gmtime once a day */
static char *gen_put_time(char *p, int64_t epoch) {
    static int64_t day = -1;
    static char date[16];
    if (epoch / 86400 != day) {
        day = epoch / 86400;
        time_t t = (time_t)(day * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT", &tm);
    }
    p = stpcpy(p, date);
    int64_t sec = epoch % 86400;
    p = gen_put_digits(p, sec / 3600, 2);
    *p++ = ':';
    p = gen_put_digits(p, sec / 60 % 60, 2);
    *p++ = ':';
    p = gen_put_digits(p, sec % 60, 2);
    return stpcpy(p, ".000Z");
}

static void gen_spec_rows(gen_out *o, const gen_spec *s) {
    char head[512], row[1024], date[16];
    char *hp = head;
    *hp++ = '"';
    hp = stpcpy(hp, s->bucket);
    hp = stpcpy(hp, "\",\"");
    hp = gen_put_encoded(hp, s->prefix);
    size_t head_len = (size_t)(hp - head);
    int64_t objects = 0, bytes = 0, markers = 0, newest = 0;
    for (int64_t d = 0; d < (s->days ? s->days : 1); d++) {
        int64_t n = gen_data_files(s, d);
        int64_t base = s->start_epoch + d * 86400 + s->time_s;
        char *dir = head + head_len;
        if (s->days) {
            time_t t = (time_t)(s->start_epoch + d * 86400);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
            dir = stpcpy(dir, date);
            *dir++ = '/';
        }
        size_t dir_len = (size_t)(dir - head);
        for (int64_t f = 0; f < n + (s->marker ? 1 : 0); f++) {
            int64_t j = s->marker ? f - 1 : f, size, epoch;
            char *p = row;
            memcpy(p, head, dir_len);
            p += dir_len;
            if (j < 0) {
                p = stpcpy(p, "_SUCCESS");
                size = 0;
                epoch = base + n;
                markers++;
            } else {
                p = stpcpy(p, "part-");
                p = gen_put_digits(p, j, s->days ? 5 : 7);
                p = stpcpy(p, s->suffix);
                size = s->size + (d * 7919 + j * 104729 + s->seed * 15485863) % (s->spread + 1);
                epoch = base + j;
                objects++;
                bytes += size;
                newest = epoch > newest ? epoch : newest;
            }
            p = stpcpy(p, "\",\"");
            p = gen_put_digits(p, size, 1);
            p = stpcpy(p, "\",\"");
            p = gen_put_time(p, epoch);
            p = stpcpy(p, "\",\"STANDARD\"\n");
            gen_row(o, row, (size_t)(p - row));
        }
    }
    printf("spec\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n", s->bucket,
           s->prefix, objects, bytes, markers, newest);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: inventory_gen OUT_DIR|- NAME_PREFIX FILES < specs.tsv\n");
        return 2;
    }
    size_t n = 0;
    char line[2048];
    int64_t total = 0;
    while (fgets(line, sizeof line, stdin)) {
        if (n == MAX_SPECS)
            gen_die("too many specs");
        gen_spec *s = &gen_specs[n];
        if (sscanf(line,
                   "%63[^\t]\t%255[^\t]\t%63[^\t]\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64
                   "\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64,
                   s->bucket, s->prefix, s->suffix, &s->days, &s->per, &s->vary, &s->files,
                   &s->size, &s->spread, &s->seed, &s->marker, &s->start_epoch, &s->time_s) != 13) {
            errno = 0;
            gen_die("a spec line that is not 13 tab-separated fields");
        }
        for (int64_t d = 0; d < (s->days ? s->days : 1); d++)
            total += gen_data_files(s, d) + (s->marker ? 1 : 0);
        n++;
    }
    static gen_out out;
    out.dir = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
    out.name_prefix = argv[2];
    out.n_files = atoi(argv[3]);
    if (out.n_files < 1)
        out.n_files = 1;
    out.total_rows = total;
    out.per_file = (total + out.n_files - 1) / out.n_files;
    for (size_t i = 0; i < n; i++)
        gen_spec_rows(&out, &gen_specs[i]);
    gen_close(&out);
    return 0;
}
