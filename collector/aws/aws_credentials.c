/* aws_credentials.c: the credential providers that fetch, and their small
 * blocking requests (aws_credentials.h); the credentials JSON they answer. */
#include "collector/aws/aws_credentials.h"

#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/xalloc.h"

#define AWS_CREDENTIALS_ANSWER_MAX 65536

static const char *aws_credentials_env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static char *aws_credentials_trim(char *s) {
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

void aws_credentials_register(const aws_credentials *c) {
    redact_register(c->secret_access_key);
    redact_register(c->session_token);
}

void aws_credentials_clear(aws_credentials *c) {
    if (c->secret_access_key)
        explicit_bzero(c->secret_access_key, strlen(c->secret_access_key));
    if (c->session_token)
        explicit_bzero(c->session_token, strlen(c->session_token));
    free(c->access_key_id);
    free(c->secret_access_key);
    free(c->session_token);
    free(c->source);
    memset(c, 0, sizeof *c);
    c->expiration = -1;
}

void aws_credentials_copy(aws_credentials *dst, const aws_credentials *src) {
    aws_credentials_clear(dst);
    dst->access_key_id = src->access_key_id ? xstrdup(src->access_key_id) : NULL;
    dst->secret_access_key = src->secret_access_key ? xstrdup(src->secret_access_key) : NULL;
    dst->session_token = src->session_token ? xstrdup(src->session_token) : NULL;
    dst->source = src->source ? xstrdup(src->source) : NULL;
    dst->expiration = src->expiration;
}

bool aws_parse_credentials_json(const char *text, aws_credentials *out, char **error) {
    json_object *o = json_tokener_parse(text);
    if (!o || !json_object_is_type(o, json_type_object)) {
        *error = xstrdup("credentials are not a JSON object");
        json_object_put(o);
        return false;
    }
    json_object *v;
    const char *key = NULL, *secret = NULL, *token = NULL, *expiration = NULL;
    if (json_object_object_get_ex(o, "AccessKeyId", &v) && json_object_is_type(v, json_type_string))
        key = json_object_get_string(v);
    if (json_object_object_get_ex(o, "SecretAccessKey", &v) &&
        json_object_is_type(v, json_type_string))
        secret = json_object_get_string(v);
    if ((json_object_object_get_ex(o, "SessionToken", &v) ||
         json_object_object_get_ex(o, "Token", &v)) &&
        json_object_is_type(v, json_type_string))
        token = json_object_get_string(v);
    if (json_object_object_get_ex(o, "Expiration", &v) && json_object_is_type(v, json_type_string))
        expiration = json_object_get_string(v);
    if (json_object_object_get_ex(o, "Version", &v) && json_object_get_int(v) != 1) {
        *error = xstrdup("credentials JSON has an unsupported Version (expected 1)");
        json_object_put(o);
        return false;
    }
    if (!key || !*key || !secret || !*secret) {
        *error = xstrdup("credentials JSON lacks AccessKeyId or SecretAccessKey");
        json_object_put(o);
        return false;
    }
    int64_t expires = -1;
    if (expiration && !fmt_parse_iso8601(expiration, &expires)) {
        *error =
            xasprintf("credentials JSON: Expiration \"%s\" is not an ISO 8601 time", expiration);
        json_object_put(o);
        return false;
    }
    aws_credentials_clear(out);
    out->access_key_id = xstrdup(key);
    out->secret_access_key = xstrdup(secret);
    out->session_token = token && *token ? xstrdup(token) : NULL;
    out->expiration = expires;
    aws_credentials_register(out);
    json_object_put(o);
    return true;
}

/* ---- the request ---------------------------------------------------------- */

/* Collects an answer; one over 64 KiB is refused. */
static size_t aws_credentials_write(char *data, size_t size, size_t n, void *userp) {
    strbuf *b = userp;
    size_t len = size * n;
    if (b->length + len > AWS_CREDENTIALS_ANSWER_MAX)
        return 0;
    strbuf_append(b, data, len);
    return len;
}

long aws_credentials_http(const aws_http_call *call, strbuf *out, char **error) {
    CURL *e = curl_easy_init();
    struct curl_slist *headers = NULL;
    for (size_t i = 0; call->headers && call->headers[i]; i++)
        headers = curl_slist_append(headers, call->headers[i]);
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, call->url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, call->method);
    if (call->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, call->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(call->body));
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, aws_credentials_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, call->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     call->timeout_ms < 3000 ? call->timeout_ms : 3000L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    if (call->metadata)
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    if (call->ca_bundle)
        curl_easy_setopt(e, CURLOPT_CAINFO, call->ca_bundle);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(e);
    long status = 0;
    const char *why = rc == CURLE_WRITE_ERROR ? "the answer is over 64 KiB"
                      : errbuf[0]             ? errbuf
                                              : curl_easy_strerror(rc);
    if (rc == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    else if (call->bare_error)
        *error = xstrdup(why);
    else
        *error = xasprintf("%s: %s", call->url, why);
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    return status;
}

/* A GET or PUT to a credentials server with up to one header. */
static long aws_credentials_get(const char *method, const char *url, const char *header,
                                long timeout_ms, strbuf *out, char **error) {
    const char *headers[] = {header, NULL};
    aws_http_call call = {.method = method,
                          .url = url,
                          .headers = headers,
                          .timeout_ms = timeout_ms,
                          .metadata = true};
    return aws_credentials_http(&call, out, error);
}

void aws_credentials_wipe(strbuf *b) {
    if (b->data)
        explicit_bzero(b->data, b->length);
    strbuf_free(b);
}

/* ---- the providers ---------------------------------------------------------- */

bool aws_credentials_environment(aws_credentials *out, char **error) {
    const char *key = aws_credentials_env("AWS_ACCESS_KEY_ID");
    const char *secret = aws_credentials_env("AWS_SECRET_ACCESS_KEY");
    if (!key || !secret) {
        *error = xstrdup("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set");
        return false;
    }
    aws_credentials_clear(out);
    out->access_key_id = xstrdup(key);
    out->secret_access_key = xstrdup(secret);
    const char *token = aws_credentials_env("AWS_SESSION_TOKEN");
    out->session_token = token ? xstrdup(token) : NULL;
    out->source = xstrdup("environment");
    aws_credentials_register(out);
    return true;
}

bool aws_credentials_process(const char *command, aws_credentials *out, char **error) {
    FILE *fp = popen(command, "r");
    if (!fp) {
        *error = xasprintf("credential_process: cannot run: %s", strerror(errno));
        return false;
    }
    char *buf = xmalloc(AWS_CREDENTIALS_ANSWER_MAX);
    size_t len = fread(buf, 1, AWS_CREDENTIALS_ANSWER_MAX - 1, fp);
    buf[len] = '\0';
    int status = pclose(fp);
    bool ok = false;
    if (status != 0) {
        *error = xasprintf("credential_process exited with status %d",
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else {
        char *why = NULL;
        ok = aws_parse_credentials_json(buf, out, &why);
        if (!ok) {
            *error = xasprintf("credential_process: %s", why);
            free(why);
        } else {
            out->source = xstrdup("credential_process");
        }
    }
    explicit_bzero(buf, len);
    free(buf);
    return ok;
}

bool aws_credentials_container(aws_credentials *out, char **error) {
    const char *relative = aws_credentials_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = aws_credentials_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative && !full) {
        *error = xstrdup("container credentials: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                         "nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
        return false;
    }
    char *url = relative ? xasprintf("http://169.254.170.2%s", relative) : xstrdup(full);
    char *auth = NULL;
    const char *token = aws_credentials_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *token_file = aws_credentials_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (token_file) {
        char *why = NULL;
        char *text = fs_read_file(token_file, NULL, &why);
        if (!text) {
            *error = xasprintf("container credentials token file: %s", why);
            free(why);
            free(url);
            return false;
        }
        auth = xasprintf("Authorization: %s", aws_credentials_trim(text));
        explicit_bzero(text, strlen(text));
        free(text);
    } else if (token) {
        auth = xasprintf("Authorization: %s", token);
    }
    strbuf body = {0};
    char *why = NULL;
    long status = aws_credentials_get("GET", url, auth, 2000, &body, &why);
    bool ok = false;
    if (status == 200) {
        ok = aws_parse_credentials_json(body.data ? body.data : "", out, &why);
        if (ok)
            out->source = xstrdup("container credentials");
    }
    if (!ok && status && status != 200 && !why)
        *error = xasprintf("container credentials from %s: HTTP %ld", url, status);
    else if (!ok)
        *error = xasprintf("container credentials from %s: %s", url, why ? why : "no answer");
    free(why);
    free(url);
    if (auth)
        explicit_bzero(auth, strlen(auth));
    free(auth);
    aws_credentials_wipe(&body);
    return ok;
}

static char *aws_credentials_strip_slash(const char *url) {
    char *u = xstrdup(url);
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/')
        u[--n] = '\0';
    return u;
}

bool aws_credentials_imds(const char *profile, aws_credentials *out, char **error) {
    const char *base = aws_credentials_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char *root = base ? aws_credentials_strip_slash(base) : xstrdup("http://169.254.169.254");
    char *why = NULL;
    /* IMDSv2: a session token first, 1 s timeout; IMDSv1 when refused. */
    strbuf token = {0};
    char *url = xasprintf("%s/latest/api/token", root);
    long status = aws_credentials_get("PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: 21600",
                                      1000, &token, &why);
    free(url);
    free(why);
    why = NULL;
    char *token_header =
        status == 200 && token.data ? xasprintf("X-aws-ec2-metadata-token: %s", token.data) : NULL;
    aws_credentials_wipe(&token);
    strbuf role = {0};
    url = xasprintf("%s/latest/meta-data/iam/security-credentials/", root);
    status = aws_credentials_get("GET", url, token_header, 1000, &role, &why);
    free(url);
    bool ok = false;
    if (status == 200 && role.data && *aws_credentials_trim(role.data)) {
        char *name = aws_credentials_trim(role.data);
        char *nl = strchr(name, '\n');
        if (nl)
            *nl = '\0';
        strbuf creds = {0};
        url = xasprintf("%s/latest/meta-data/iam/security-credentials/%s", root, name);
        status = aws_credentials_get("GET", url, token_header, 1000, &creds, &why);
        free(url);
        if (status == 200) {
            ok = aws_parse_credentials_json(creds.data ? creds.data : "", out, &why);
            if (ok)
                out->source = xstrdup("instance metadata");
        }
        aws_credentials_wipe(&creds);
    }
    if (!ok)
        *error = xasprintf("no AWS credentials: none in the environment or profile \"%s\", and "
                           "instance metadata (%s) %s",
                           profile, root, why ? why : "has none");
    free(why);
    strbuf_free(&role);
    if (token_header)
        explicit_bzero(token_header, strlen(token_header));
    free(token_header);
    free(root);
    return ok;
}
