/* sigv4_driver.c: test driver for the SigV4 signer, used by
 * test_sigv4_botocore.sh. Reads one JSON request per line on stdin, signs it
 * with sigv4_sign and prints one JSON result per line on stdout. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/sigv4.h"
#include "common/xalloc.h"

/* A string member, or NULL when absent or null. */
static const char *member_string(json_object *object, const char *key) {
    json_object *value;
    if (!json_object_object_get_ex(object, key, &value) ||
        !json_object_is_type(value, json_type_string))
        return NULL;
    return json_object_get_string(value);
}

static bool member_bool(json_object *object, const char *key) {
    json_object *value;
    return json_object_object_get_ex(object, key, &value) && json_object_get_boolean(value);
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "payload_hex" as bytes (malloc'd, *length set); NULL when absent or bad. */
static unsigned char *member_hex_bytes(json_object *object, const char *key, size_t *length) {
    const char *hex = member_string(object, key);
    *length = 0;
    if (!hex || strlen(hex) % 2 != 0)
        return NULL;
    size_t n = strlen(hex) / 2;
    unsigned char *bytes = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        int high = hex_digit(hex[2 * i]), low = hex_digit(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            free(bytes);
            return NULL;
        }
        bytes[i] = (unsigned char)(high << 4 | low);
    }
    *length = n;
    return bytes;
}

/* Signs one request object; returns the result object to print. */
static json_object *sign_one(json_object *in) {
    json_object *out = json_object_new_object();
    json_object *headers_json = NULL;
    size_t n_headers = 0;
    if (json_object_object_get_ex(in, "headers", &headers_json) &&
        json_object_is_type(headers_json, json_type_array))
        n_headers = json_object_array_length(headers_json);
    sigv4_header *headers = xcalloc(n_headers ? n_headers : 1, sizeof *headers);
    for (size_t i = 0; i < n_headers; i++) {
        json_object *pair = json_object_array_get_idx(headers_json, i);
        headers[i].name = json_object_get_string(json_object_array_get_idx(pair, 0));
        headers[i].value = json_object_get_string(json_object_array_get_idx(pair, 1));
    }
    size_t payload_length = 0;
    unsigned char *payload = member_hex_bytes(in, "payload_hex", &payload_length);
    json_object *time_json = NULL;
    json_object_object_get_ex(in, "time", &time_json);

    const sigv4_request request = {
        .method = member_string(in, "method"),
        .host = member_string(in, "host"),
        .path = member_string(in, "path"),
        .query = member_string(in, "query"),
        .headers = headers,
        .n_headers = n_headers,
        .payload = payload,
        .payload_length = payload_length,
        .payload_hash = member_string(in, "payload_hash"),
    };
    const sigv4_credentials credentials = {
        .access_key_id = member_string(in, "access_key"),
        .secret_access_key = member_string(in, "secret_key"),
        .session_token = member_string(in, "session_token"),
    };
    const sigv4_params params = {
        .region = member_string(in, "region"),
        .service = member_string(in, "service"),
        .time = json_object_get_int64(time_json),
        .s3 = member_bool(in, "s3"),
        .sign_content_sha256 = member_bool(in, "sign_content_sha256"),
    };
    sigv4_result result;
    char *error = NULL;
    bool ok = sigv4_sign(&request, &credentials, &params, &result, &error);
    json_object_object_add(out, "ok", json_object_new_boolean(ok));
    if (ok) {
        json_object_object_add(out, "authorization", json_object_new_string(result.authorization));
        json_object_object_add(out, "canonical_request",
                               json_object_new_string(result.canonical_request));
        json_object_object_add(out, "string_to_sign",
                               json_object_new_string(result.string_to_sign));
        json_object_object_add(out, "signed_headers",
                               json_object_new_string(result.signed_headers));
        json_object_object_add(out, "amz_date", json_object_new_string(result.amz_date));
        json_object_object_add(out, "content_sha256",
                               json_object_new_string(result.content_sha256));
        sigv4_result_free(&result);
    } else {
        json_object_object_add(out, "error", json_object_new_string(error ? error : "?"));
        free(error);
    }
    free(payload);
    free(headers);
    return out;
}

int main(void) {
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int status = 0;
    while ((length = getline(&line, &capacity, stdin)) > 0) {
        json_object *in = json_tokener_parse(line);
        json_object *out;
        if (!in) {
            out = json_object_new_object();
            json_object_object_add(out, "ok", json_object_new_boolean(0));
            json_object_object_add(out, "error", json_object_new_string("bad JSON line"));
            status = 1;
        } else {
            out = sign_one(in);
        }
        puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(out);
        json_object_put(in);
    }
    free(line);
    return status;
}
