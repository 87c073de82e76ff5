/* parquet_pages.c: Parquet page codecs (snappy-c, zlib, libzstd) and the
 * RLE/bit-packed hybrid decoder, bounded by the bytes given. */
#include "collector/formats/parquet_pages.h"

#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "common/xalloc.h"

static const char *name_of(const char *const *names, size_t n, int value, char *buf, size_t size) {
    if (value >= 0 && (size_t)value < n && names[value])
        return names[value];
    snprintf(buf, size, "#%d", value);
    return buf;
}

const char *parquet_pages_codec_name(int codec) {
    static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                        "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    static _Thread_local char buf[24];
    return name_of(names, sizeof names / sizeof *names, codec, buf, sizeof buf);
}

const char *parquet_pages_encoding_name(int encoding) {
    static const char *const names[] = {"PLAIN",
                                        NULL,
                                        "PLAIN_DICTIONARY",
                                        "RLE",
                                        "BIT_PACKED",
                                        "DELTA_BINARY_PACKED",
                                        "DELTA_LENGTH_BYTE_ARRAY",
                                        "DELTA_BYTE_ARRAY",
                                        "RLE_DICTIONARY",
                                        "BYTE_STREAM_SPLIT"};
    static _Thread_local char buf[24];
    return name_of(names, sizeof names / sizeof *names, encoding, buf, sizeof buf);
}

const char *parquet_pages_type_name(int type) {
    static const char *const names[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                        "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    static _Thread_local char buf[24];
    return name_of(names, sizeof names / sizeof *names, type, buf, sizeof buf);
}

static bool inflate_all(const unsigned char *in, size_t in_length, unsigned char *out,
                        size_t out_length) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) /* gzip or zlib header */
        return false;
    size_t in_done = 0, out_done = 0;
    bool ok = false;
    for (;;) {
        size_t in_chunk = in_length - in_done, out_chunk = out_length - out_done;
        z.next_in = (unsigned char *)(uintptr_t)(in + in_done);
        z.avail_in = in_chunk > UINT_MAX ? UINT_MAX : (unsigned)in_chunk;
        z.next_out = out + out_done;
        z.avail_out = out_chunk > UINT_MAX ? UINT_MAX : (unsigned)out_chunk;
        unsigned in_before = z.avail_in, out_before = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        in_done += in_before - z.avail_in;
        out_done += out_before - z.avail_out;
        if (rc == Z_STREAM_END) {
            /* members written one after another */
            if (out_done == out_length || in_done == in_length) {
                ok = out_done == out_length;
                break;
            }
            if (inflateReset(&z) != Z_OK)
                break;
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            break;
        if (in_before == z.avail_in && out_before == z.avail_out)
            break; /* no progress: truncated, or more than out_length */
    }
    inflateEnd(&z);
    return ok;
}

/* Whether `in` can give out_length bytes, checked before allocating them:
 * the same bytes, the length snappy's preamble says, at most 1032 times
 * the input (deflate's bound), the size a zstd frame states (when it
 * states one). */
static bool codec_can_give(int codec, const unsigned char *in, size_t in_length,
                           size_t out_length) {
    if (codec == 0)
        return in_length == out_length;
    if (codec == 1) {
        size_t n;
        return snappy_uncompressed_length((const char *)in, in_length, &n) == SNAPPY_OK &&
               n == out_length;
    }
    if (codec == 2)
        return out_length / 1032 <= in_length;
    unsigned long long frame = ZSTD_getFrameContentSize(in, in_length);
    return frame != ZSTD_CONTENTSIZE_ERROR &&
           (frame == ZSTD_CONTENTSIZE_UNKNOWN || frame == out_length);
}

bool parquet_pages_decompress(int codec, const unsigned char *in, size_t in_length,
                              size_t out_length, unsigned char **out, const char *column,
                              char **error) {
    if (codec != 0 && codec != 1 && codec != 2 && codec != 6) {
        *error =
            xasprintf("parquet: codec %s in %s not read", parquet_pages_codec_name(codec), column);
        return false;
    }
    unsigned char *buffer = NULL;
    bool ok = codec_can_give(codec, in, in_length, out_length);
    if (ok) {
        buffer = xmalloc(out_length + 1);
        if (codec == 0) {
            if (out_length)
                memcpy(buffer, in, out_length);
        } else if (codec == 1) {
            size_t got = out_length;
            ok =
                snappy_uncompress((const char *)in, in_length, (char *)buffer, &got) == SNAPPY_OK &&
                got == out_length;
        } else if (codec == 2) {
            ok = inflate_all(in, in_length, buffer, out_length);
        } else {
            size_t got = ZSTD_decompress(buffer, out_length, in, in_length);
            ok = !ZSTD_isError(got) && got == out_length;
        }
    }
    if (!ok) {
        free(buffer);
        *error = xasprintf("parquet: a %s page of %s does not decompress to its %zu bytes",
                           parquet_pages_codec_name(codec), column, out_length);
        return false;
    }
    buffer[out_length] = 0;
    *out = buffer;
    return true;
}

int parquet_pages_bit_width(uint64_t max) {
    int width = 0;
    while (max) {
        width++;
        max >>= 1;
    }
    return width;
}

void parquet_rle_init(parquet_rle *rle, const unsigned char *data, size_t length, int bit_width) {
    memset(rle, 0, sizeof *rle);
    rle->p = data;
    rle->end = data + length;
    rle->bit_width = bit_width;
}

static bool rle_header(parquet_rle *rle) {
    uint64_t header = 0;
    int shift = 0;
    for (;;) {
        if (rle->p >= rle->end || shift > 63)
            return false;
        unsigned char b = *rle->p++;
        header |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            break;
    }
    size_t left = (size_t)(rle->end - rle->p);
    if (header & 1) {
        uint64_t groups = header >> 1;
        if (groups == 0)
            return false;
        /* the last run may stop short of its groups: read what is there */
        uint64_t bytes = (uint64_t)rle->bit_width * groups;
        if (groups > UINT64_MAX / 8 / 32 || bytes > left)
            bytes = left;
        rle->packed = true;
        rle->bits = rle->p;
        rle->bits_length = (size_t)bytes;
        rle->bit_index = 0;
        rle->left = rle->bit_width            ? bytes * 8 / (uint64_t)rle->bit_width
                    : groups > UINT64_MAX / 8 ? UINT64_MAX
                                              : groups * 8;
        rle->p += bytes;
        return rle->left > 0;
    }
    rle->packed = false;
    rle->left = header >> 1;
    size_t bytes = ((size_t)rle->bit_width + 7) / 8;
    if (bytes > left)
        return false;
    uint32_t value = 0;
    for (size_t i = 0; i < bytes; i++)
        value |= (uint32_t)rle->p[i] << (8 * i);
    rle->p += bytes;
    rle->value = value;
    return true;
}

bool parquet_rle_next(parquet_rle *rle, uint32_t *value) {
    while (rle->left == 0) {
        if (!rle_header(rle))
            return false;
    }
    rle->left--;
    if (!rle->packed) {
        *value = rle->value;
        return true;
    }
    uint64_t bit = rle->bit_index * (uint64_t)rle->bit_width;
    rle->bit_index++;
    uint32_t v = 0;
    for (int i = 0; i < rle->bit_width; i++, bit++) {
        size_t byte = (size_t)(bit / 8);
        if (byte >= rle->bits_length)
            return false;
        v |= (uint32_t)((rle->bits[byte] >> (bit % 8)) & 1) << i;
    }
    *value = v;
    return true;
}
