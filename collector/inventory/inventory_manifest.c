/* inventory_manifest.c: S3 Inventory manifest.json, its checksum, and the
 * newest report among a configuration's date prefixes. */
#include "collector/inventory/inventory_manifest.h"

#include <ctype.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

static const char *manifest_string(json_object *o, const char *name) {
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* A number given as a JSON number or a string of digits (creationTimestamp
 * is a string in AWS's reports); false for anything else. */
static bool manifest_integer(json_object *o, const char *name, int64_t *out) {
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v))
        return false;
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return *out >= 0;
    }
    if (!json_object_is_type(v, json_type_string))
        return false;
    const char *s = json_object_get_string(v);
    return fmt_parse_count(s, out);
}

void inventory_manifest_clear(inventory_manifest *m) {
    free(m->source_bucket);
    free(m->destination_bucket);
    free(m->file_format);
    free(m->file_schema);
    for (size_t i = 0; i < m->n_files; i++) {
        free(m->files[i].key);
        free(m->files[i].md5);
    }
    free(m->files);
    memset(m, 0, sizeof *m);
}

static bool manifest_files(json_object *root, inventory_manifest *m, char **error) {
    json_object *files;
    if (!json_object_object_get_ex(root, "files", &files) ||
        !json_object_is_type(files, json_type_array)) {
        *error = xstrdup("manifest.json has no files array");
        return false;
    }
    size_t n = json_object_array_length(files);
    m->files = xcalloc(n ? n : 1, sizeof *m->files);
    for (size_t i = 0; i < n; i++) {
        json_object *f = json_object_array_get_idx(files, i);
        const char *key =
            json_object_is_type(f, json_type_object) ? manifest_string(f, "key") : NULL;
        int64_t size = 0;
        if (!key || !*key || !manifest_integer(f, "size", &size)) {
            *error = xasprintf("manifest.json: file %zu has no key or size", i + 1);
            return false;
        }
        const char *md5 = manifest_string(f, "MD5checksum");
        m->files[m->n_files].key = xstrdup(key);
        m->files[m->n_files].size = size;
        m->files[m->n_files].md5 = md5 ? xstrdup(md5) : NULL;
        m->n_files++;
    }
    return true;
}

bool inventory_manifest_parse(const char *json, size_t length, inventory_manifest *m,
                              char **error) {
    memset(m, 0, sizeof *m);
    if (length > (size_t)INT32_MAX) {
        *error = xstrdup("manifest.json is too large");
        return false;
    }
    json_tokener *tok = json_tokener_new();
    json_object *root = json_tokener_parse_ex(tok, json, (int)length);
    bool complete = json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    if (!root || !complete || !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        *error = xstrdup("manifest.json is not a JSON object");
        return false;
    }
    static const char *const required[] = {"sourceBucket", "destinationBucket", "fileFormat",
                                           "fileSchema"};
    char **slots[] = {&m->source_bucket, &m->destination_bucket, &m->file_format, &m->file_schema};
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof required / sizeof *required; i++) {
        const char *v = manifest_string(root, required[i]);
        if (!v || !*v) {
            *error = xasprintf("manifest.json has no %s", required[i]);
            ok = false;
        } else {
            *slots[i] = xstrdup(v);
        }
    }
    if (ok && !manifest_integer(root, "creationTimestamp", &m->created_ms)) {
        *error = xstrdup("manifest.json has no creationTimestamp");
        ok = false;
    }
    if (ok)
        ok = manifest_files(root, m, error);
    json_object_put(root);
    if (!ok)
        inventory_manifest_clear(m);
    return ok;
}

bool inventory_manifest_check(const char *json, size_t length, const char *checksum,
                              size_t checksum_length, char **error) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    EVP_MD_CTX *md5 = EVP_MD_CTX_new();
    if (!md5)
        xfatal("out of memory");
    EVP_DigestInit_ex(md5, EVP_md5(), NULL);
    EVP_DigestUpdate(md5, json, length);
    EVP_DigestFinal_ex(md5, digest, &digest_length);
    EVP_MD_CTX_free(md5);
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned int i = 0; i < digest_length; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    while (checksum_length && isspace((unsigned char)*checksum)) {
        checksum++;
        checksum_length--;
    }
    while (checksum_length && isspace((unsigned char)checksum[checksum_length - 1]))
        checksum_length--;
    bool same = checksum_length == 2 * (size_t)digest_length;
    for (size_t i = 0; same && i < checksum_length; i++)
        same = tolower((unsigned char)checksum[i]) == hex[i];
    if (!same) {
        int shown = checksum_length > 64 ? 64 : (int)checksum_length;
        *error = xasprintf("manifest.checksum %.*s%s is not the MD5 of manifest.json (%s)", shown,
                           checksum, checksum_length > 64 ? "..." : "", hex);
        for (char *c = *error; *c; c++)
            if (!isprint((unsigned char)*c))
                *c = '?';
    }
    return same;
}

bool inventory_manifest_is_csv(const inventory_manifest *m) {
    return m->file_format && strcmp(m->file_format, "CSV") == 0;
}

const char *inventory_manifest_destination_name(const inventory_manifest *m) {
    const char *d = m->destination_bucket ? m->destination_bucket : "";
    if (strncmp(d, "arn:aws:s3:::", 13) == 0)
        return d + 13;
    return d;
}

bool inventory_is_report_date(const char *name) {
    static const char shape[] = "dddd-dd-ddTdd-ddZ";
    size_t i = 0;
    for (; shape[i]; i++) {
        char c = name[i];
        if (shape[i] == 'd' ? !isdigit((unsigned char)c) : c != shape[i])
            return false;
    }
    return name[i] == '\0' || (name[i] == '/' && name[i + 1] == '\0');
}

long inventory_newest_report(const char *const *names, size_t n) {
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !inventory_is_report_date(names[i]))
            continue;
        if (best < 0 || strncmp(names[i], names[best], 17) > 0)
            best = (long)i;
    }
    return best;
}
