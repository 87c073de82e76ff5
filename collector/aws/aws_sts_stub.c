/* aws_sts_stub.c: PLACEHOLDER, to be dropped at merge (helper h7 writes
 * the real aws_sts.c and aws_config_credential_method in aws_config.c).
 * It stands in for them so that the identity on screen (h9) builds and
 * can be tested: a bare GetCallerIdentity (curl, SigV4, the answer read
 * with strstr) at endpoint_sts, else the Glue endpoint when it is
 * overridden (the test endpoint serves STS on the same port), else the
 * regional STS. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_sts.h"
#include "collector/aws/sigv4.h"
#include "common/clock.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

void aws_identity_clear(aws_identity *id) {
    free(id->account);
    free(id->arn);
    free(id->user_id);
    free(id->name);
    memset(id, 0, sizeof *id);
}

char *aws_identity_name(const char *arn) {
    if (!arn)
        return NULL;
    const char *last = strrchr(arn, ':');
    last = last ? last + 1 : arn;
    const char *slash = strchr(last, '/');
    if (slash && strncmp(last, "assumed-role/", 13) == 0) {
        const char *role = last + 13, *end = strchr(role, '/');
        return end ? xstrndup(role, (size_t)(end - role)) : xstrdup(role);
    }
    const char *tail = strrchr(last, '/');
    return xstrdup(tail ? tail + 1 : last);
}

static size_t aws_sts_stub_write(char *data, size_t size, size_t n, void *userp) {
    strbuf *b = userp;
    if (b->length + size * n > 65536)
        return 0;
    strbuf_append(b, data, size * n);
    return size * n;
}

/* The text of <tag>...</tag> in xml, malloc'd; NULL when absent. */
static char *aws_sts_stub_tag(const char *xml, const char *tag) {
    char *open = xasprintf("<%s>", tag), *close = xasprintf("</%s>", tag);
    const char *a = strstr(xml, open), *b = a ? strstr(a, close) : NULL;
    char *text = a && b ? xstrndup(a + strlen(open), (size_t)(b - a - strlen(open))) : NULL;
    free(open);
    free(close);
    return text;
}

bool aws_sts_caller_identity(const aws_config *config, aws_identity *out, char **error) {
    memset(out, 0, sizeof *out);
    const aws_credentials *c = &config->credentials;
    if (!c->access_key_id) {
        *error = xstrdup("STS GetCallerIdentity: no credentials");
        return false;
    }
    char *base = config->endpoint_sts ? xstrdup(config->endpoint_sts)
                 : config->endpoint_overridden_s3
                     ? xstrdup(config->endpoint_glue)
                     : xasprintf("https://sts.%s.amazonaws.com", config->region);
    const char *host = strstr(base, "://") ? strstr(base, "://") + 3 : base;
    char *host_only = xstrndup(host, strcspn(host, "/"));
    const char *body = "Action=GetCallerIdentity&Version=2011-06-15";
    sigv4_header headers[] = {{"Content-Type", "application/x-www-form-urlencoded"}};
    sigv4_request request = {.method = "POST",
                             .host = host_only,
                             .path = "/",
                             .headers = headers,
                             .n_headers = 1,
                             .payload = body,
                             .payload_length = strlen(body)};
    sigv4_credentials credentials = {c->access_key_id, c->secret_access_key, c->session_token};
    sigv4_params params = {.region = config->region, .service = "sts", .time = clock_now()};
    sigv4_result signed_request = {0};
    char *why = NULL;
    bool ok = false;
    if (!sigv4_sign(&request, &credentials, &params, &signed_request, &why)) {
        *error = xasprintf("STS GetCallerIdentity: %s", why);
        free(why);
        free(base);
        free(host_only);
        return false;
    }
    char *url = xasprintf("%s/", base);
    struct curl_slist *list = NULL;
    char *h1 = xasprintf("Authorization: %s", signed_request.authorization);
    char *h2 = xasprintf("X-Amz-Date: %s", signed_request.amz_date);
    char *h3 = c->session_token ? xasprintf("X-Amz-Security-Token: %s", c->session_token) : NULL;
    list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
    list = curl_slist_append(list, h1);
    list = curl_slist_append(list, h2);
    if (h3)
        list = curl_slist_append(list, h3);
    strbuf answer = {0};
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, aws_sts_stub_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    if (config->ca_bundle)
        curl_easy_setopt(e, CURLOPT_CAINFO, config->ca_bundle);
    CURLcode rc = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    const char *xml = answer.data ? answer.data : "";
    if (rc != CURLE_OK) {
        *error = xasprintf("STS GetCallerIdentity: %s", curl_easy_strerror(rc));
    } else if (status != 200) {
        char *code = aws_sts_stub_tag(xml, "Code"), *message = aws_sts_stub_tag(xml, "Message");
        *error = xasprintf("STS GetCallerIdentity: HTTP %ld %s%s%s", status, code ? code : "",
                           message ? ": " : "", message ? message : "");
        free(code);
        free(message);
    } else {
        out->account = aws_sts_stub_tag(xml, "Account");
        out->arn = aws_sts_stub_tag(xml, "Arn");
        out->user_id = aws_sts_stub_tag(xml, "UserId");
        out->name = aws_identity_name(out->arn);
        ok = out->account != NULL;
        if (!ok)
            *error = xstrdup("STS GetCallerIdentity: the answer has no Account");
    }
    curl_easy_cleanup(e);
    curl_slist_free_all(list);
    free(answer.data);
    free(h1);
    free(h2);
    free(h3);
    free(url);
    free(base);
    free(host_only);
    sigv4_result_free(&signed_request);
    return ok;
}

const char *aws_config_credential_method(const aws_config *config) {
    switch (config->credential_kind) {
    case AWS_CREDS_STATIC:
        return config->credentials.source && strcmp(config->credentials.source, "environment") == 0
                   ? "environment"
                   : "profile";
    case AWS_CREDS_PROCESS: return "process";
    case AWS_CREDS_CONTAINER: return "container";
    case AWS_CREDS_IMDS: return "instance";
    case AWS_CREDS_ASSUME_ROLE: return "assume-role";
    case AWS_CREDS_WEB_IDENTITY: return "web-identity";
    case AWS_CREDS_SSO: return "sso";
    case AWS_CREDS_NONE: break;
    }
    return NULL;
}
