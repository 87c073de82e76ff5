/* aws_sso.c: IAM Identity Center (SSO) credentials: the token `aws sso
 * login` cached, refreshed with its refresh token when it is about to
 * expire (SSO OIDC CreateToken, as botocore does, the cache file written
 * back atomically), then the role's credentials from the portal. */
#include "collector/aws/aws_sso.h"

#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/aws/aws_credentials.h"
#include "collector/aws/http_retry.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

/* botocore refreshes a token that has less than 15 minutes left. */
#define AWS_SSO_REFRESH_WINDOW 900
/* The portal's request ends within 4 s, a refresh's within 1.5 s: an
 * expired session whose refresh cannot be reached, and a portal that does
 * not answer, fail in under 5 seconds. */
#define AWS_SSO_PORTAL_TIMEOUT_MS 4000L
#define AWS_SSO_OIDC_TIMEOUT_MS 1500L

char *aws_sso_cache_name(const char *session_or_start_url) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const char *s = session_or_start_url ? session_or_start_url : "";
    if (!EVP_Digest(s, strlen(s), digest, &length, EVP_sha1(), NULL))
        xfatal("SHA-1 is not available from OpenSSL");
    char *name = xmalloc(2 * length + sizeof ".json");
    for (unsigned int i = 0; i < length; i++)
        snprintf(name + 2 * i, 3, "%02x", digest[i]);
    memcpy(name + 2 * length, ".json", sizeof ".json");
    return name;
}

static void aws_sso_wipe_free(char *s) {
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void aws_sso_token_clear(aws_sso_token *t) {
    aws_sso_wipe_free(t->access_token);
    aws_sso_wipe_free(t->refresh_token);
    aws_sso_wipe_free(t->client_secret);
    free(t->client_id);
    free(t->region);
    free(t->start_url);
    memset(t, 0, sizeof *t);
}

/* A string member of `o`, NULL when missing, not a string or empty. */
static const char *aws_sso_string(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    return *s ? s : NULL;
}

static char *aws_sso_dup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

/* The times the SSO tools write: botocore's "2026-12-02T10:00:00Z", its
 * generic JSON cache's "2026-12-02T10:00:00UTC", ISO 8601 with fractional
 * seconds or an offset; no zone at all is taken as UTC (dateutil reads all
 * of these). */
static bool aws_sso_parse_time(const char *text, int64_t *out) {
    if (fmt_parse_iso8601(text, out))
        return true;
    size_t n = strlen(text);
    if (n < 19 || n > 64)
        return false;
    char buf[80];
    if (n > 3 && strcmp(text + n - 3, "UTC") == 0)
        snprintf(buf, sizeof buf, "%.*sZ", (int)(n - 3), text);
    else
        snprintf(buf, sizeof buf, "%sZ", text);
    return fmt_parse_iso8601(buf, out);
}

/* Parses an already-parsed token object (the refresh keeps the object to
 * write it back with every member it had). */
static bool aws_sso_token_from(json_object *o, aws_sso_token *out, char **error) {
    if (!o || !json_object_is_type(o, json_type_object)) {
        *error = xstrdup("the cached SSO token is not a JSON object");
        return false;
    }
    const char *access = aws_sso_string(o, "accessToken");
    const char *expires = aws_sso_string(o, "expiresAt");
    if (!access || !expires) {
        *error = xasprintf("the cached SSO token lacks %s", access ? "expiresAt" : "accessToken");
        return false;
    }
    int64_t expires_at;
    if (!aws_sso_parse_time(expires, &expires_at)) {
        *error = xasprintf("the cached SSO token's expiresAt \"%.40s\" is not an ISO 8601 time",
                           expires);
        return false;
    }
    aws_sso_token_clear(out);
    out->access_token = xstrdup(access);
    out->expires_at = expires_at;
    out->refresh_token = aws_sso_dup(aws_sso_string(o, "refreshToken"));
    out->client_id = aws_sso_dup(aws_sso_string(o, "clientId"));
    out->client_secret = aws_sso_dup(aws_sso_string(o, "clientSecret"));
    out->region = aws_sso_dup(aws_sso_string(o, "region"));
    out->start_url = aws_sso_dup(aws_sso_string(o, "startUrl"));
    redact_register(out->access_token);
    redact_register(out->refresh_token);
    redact_register(out->client_secret);
    return true;
}

bool aws_sso_parse_token(const char *json, aws_sso_token *out, char **error) {
    json_object *o = json_tokener_parse(json ? json : "");
    bool ok = aws_sso_token_from(o, out, error);
    json_object_put(o);
    return ok;
}

bool aws_sso_parse_role_credentials(const char *json, aws_credentials *out, char **error) {
    json_object *o = json_tokener_parse(json ? json : ""), *rc = NULL, *v;
    bool ok = false;
    if (!o || !json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, "roleCredentials", &rc) ||
        !json_object_is_type(rc, json_type_object)) {
        *error = xstrdup("the SSO portal's answer has no roleCredentials object");
        goto out;
    }
    const char *key = aws_sso_string(rc, "accessKeyId");
    const char *secret = aws_sso_string(rc, "secretAccessKey");
    const char *token = aws_sso_string(rc, "sessionToken");
    if (!key || !secret || !token) {
        *error = xasprintf("the SSO portal's roleCredentials lack %s", !key      ? "accessKeyId"
                                                                       : !secret ? "secretAccessKey"
                                                                                 : "sessionToken");
        goto out;
    }
    if (!json_object_object_get_ex(rc, "expiration", &v) ||
        !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
        *error = xstrdup("the SSO portal's roleCredentials lack a numeric expiration");
        goto out;
    }
    /* milliseconds since the epoch; anything before 2001 or after 2286 is
     * not a time the portal sends */
    double ms = json_object_get_double(v);
    if (!(ms >= 1e12 && ms < 1e16)) {
        *error = xasprintf("the SSO portal's roleCredentials expiration %.0f is not a time in "
                           "milliseconds",
                           ms);
        goto out;
    }
    aws_credentials_clear(out);
    out->access_key_id = xstrdup(key);
    out->secret_access_key = xstrdup(secret);
    out->session_token = xstrdup(token);
    out->expiration = (int64_t)(ms / 1000);
    redact_register(out->secret_access_key);
    redact_register(out->session_token);
    ok = true;
out:
    json_object_put(o);
    return ok;
}

/* One blocking request (aws_credentials_http), the status (0 and *error
 * when none came back); a `post` is JSON. */
static long aws_sso_request(const char *url, const char *header, const char *post,
                            const char *ca_bundle, long timeout_ms, strbuf *out, char **error) {
    const char *headers[3] = {NULL, NULL, NULL};
    size_t n = 0;
    if (header)
        headers[n++] = header;
    if (post)
        headers[n++] = "Content-Type: application/json";
    aws_http_call call = {.method = post ? "POST" : "GET",
                          .url = url,
                          .headers = headers,
                          .body = post,
                          .ca_bundle = ca_bundle,
                          .timeout_ms = timeout_ms,
                          .bare_error = true};
    return aws_credentials_http(&call, out, error);
}

/* The SSO OIDC endpoint: AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL, the
 * portal's own base when that was overridden (a test endpoint or a proxy
 * serves both), else https://oidc.REGION.amazonaws.com. */
static char *aws_sso_oidc_base(const char *portal, const char *region) {
    const char *env = getenv("AWS_ENDPOINT_URL_SSO_OIDC");
    if (!env || !*env)
        env = getenv("AWS_ENDPOINT_URL");
    if (env && *env)
        return xstrdup(env);
    if (portal && strstr(portal, ".amazonaws.com") == NULL)
        return xstrdup(portal);
    return xasprintf("https://oidc.%s.amazonaws.com", region);
}

/* The base URL without its trailing slashes. */
static char *aws_sso_base(const char *url) {
    char *s = xstrdup(url);
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

/* CreateToken with the refresh token; on success `o` (the cache file's
 * object) holds the new token and the cache file is rewritten (0600,
 * atomically). False when the token cannot be refreshed (no refresh token,
 * the client registration expired, OIDC refused); *why says why. */
static bool aws_sso_refresh(json_object *o, const aws_sso_token *t, const char *region,
                            const char *portal, const char *ca_bundle, const char *path,
                            int64_t now, char **why) {
    if (!t->refresh_token || !t->client_id || !t->client_secret) {
        *why = xstrdup("the cached token has no refresh token");
        return false;
    }
    const char *reg = aws_sso_string(o, "registrationExpiresAt");
    int64_t reg_expires;
    if (!reg || !aws_sso_parse_time(reg, &reg_expires) || reg_expires <= now) {
        *why = xstrdup("the client registration has expired");
        return false;
    }
    json_object *req = json_object_new_object();
    json_object_object_add(req, "grantType", json_object_new_string("refresh_token"));
    json_object_object_add(req, "clientId", json_object_new_string(t->client_id));
    json_object_object_add(req, "clientSecret", json_object_new_string(t->client_secret));
    json_object_object_add(req, "refreshToken", json_object_new_string(t->refresh_token));
    char *body = xstrdup(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
    json_object_put(req);
    char *base = aws_sso_oidc_base(portal, region);
    char *trimmed = aws_sso_base(base);
    char *url = xasprintf("%s/token", trimmed);
    strbuf answer = {0};
    char *err = NULL;
    long status =
        aws_sso_request(url, NULL, body, ca_bundle, AWS_SSO_OIDC_TIMEOUT_MS, &answer, &err);
    aws_sso_wipe_free(body);
    bool ok = false;
    json_object *a = status == 200 ? json_tokener_parse(answer.data ? answer.data : "") : NULL, *v;
    const char *access = a ? aws_sso_string(a, "accessToken") : NULL;
    int64_t expires_in =
        a && json_object_object_get_ex(a, "expiresIn", &v) && json_object_is_type(v, json_type_int)
            ? json_object_get_int64(v)
            : 0;
    if (status == 0) {
        *why = xasprintf("SSO OIDC %s: %s", url, err);
    } else if (status != 200) {
        *why = xasprintf("SSO OIDC %s refused the refresh token (HTTP %ld)", url, status);
    } else if (!access || expires_in <= 0 || expires_in > 366L * 86400) {
        *why = xasprintf("SSO OIDC %s: the answer has no accessToken and expiresIn", url);
    } else {
        redact_register(access);
        const char *refresh = aws_sso_string(a, "refreshToken");
        redact_register(refresh);
        char when[32];
        fmt_iso8601(now + expires_in, when, sizeof when);
        json_object_object_add(o, "accessToken", json_object_new_string(access));
        json_object_object_add(o, "expiresAt", json_object_new_string(when));
        if (refresh)
            json_object_object_add(o, "refreshToken", json_object_new_string(refresh));
        const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        fs_atomic f;
        if (!fs_atomic_begin(&f, path, why))
            goto done;
        if (fchmod(fileno(f.fp), 0600) != 0) {
            *why = xasprintf("%s: %s", f.tmp, strerror(errno));
            fs_atomic_abort(&f);
            goto done;
        }
        fputs(text, f.fp);
        ok = fs_atomic_commit(&f, why);
    }
done:
    json_object_put(a);
    aws_credentials_wipe(&answer);
    free(err);
    free(url);
    free(trimmed);
    free(base);
    return ok;
}

static char *aws_sso_login_hint(const aws_sso_profile *p, const char *what) {
    return xasprintf("the SSO session for profile %s %s: run `aws sso login --profile %s`",
                     p->profile, what, p->profile);
}

/* The cached token of `p`, refreshed when it has less than 15 minutes
 * left and can be; false with the message to log in again. */
static bool aws_sso_load_token(const aws_sso_profile *p, const char *portal, const char *cache_dir,
                               const char *ca_bundle, int64_t now, aws_sso_token *t, char **error) {
    char *dir = NULL;
    if (cache_dir) {
        dir = xstrdup(cache_dir);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home) {
            *error = xasprintf("the SSO session for profile %s: HOME is not set, so "
                               "~/.aws/sso/cache cannot be found",
                               p->profile);
            return false;
        }
        dir = xasprintf("%s/.aws/sso/cache", home);
    }
    /* The file is named by the key; the botocore-client-id-* files beside
     * it (client registrations) are never read. */
    char *name = aws_sso_cache_name(p->session_name ? p->session_name : p->start_url);
    char *path = fs_join(dir, name);
    free(name);
    free(dir);
    char *why = NULL;
    size_t length = 0;
    char *text = fs_read_file(path, &length, &why);
    bool ok = false;
    json_object *o = NULL;
    if (!text) {
        *error = aws_sso_login_hint(p, "has no cached token");
        goto out;
    }
    o = json_tokener_parse(text);
    explicit_bzero(text, length);
    free(text);
    if (!aws_sso_token_from(o, t, &why)) {
        char *hint = aws_sso_login_hint(p, "has no usable cached token");
        *error = xasprintf("%s (%s: %s)", hint, path, why);
        free(hint);
        goto out;
    }
    /* botocore refreshes only sso-session tokens (the legacy form has no
     * refresh token); a failed refresh leaves a still valid token in use. */
    if (p->session_name && t->expires_at - now < AWS_SSO_REFRESH_WINDOW) {
        char *refresh_why = NULL;
        const char *region = t->region ? t->region : p->region;
        if (region && aws_sso_refresh(o, t, region, portal, ca_bundle, path, now, &refresh_why)) {
            if (!aws_sso_token_from(o, t, &refresh_why)) {
                free(refresh_why);
                refresh_why = NULL;
            }
        }
        free(refresh_why);
    }
    if (t->expires_at <= now) {
        *error = aws_sso_login_hint(p, "has expired");
        goto out;
    }
    ok = true;
out:
    free(why);
    free(path);
    json_object_put(o);
    return ok;
}

/* "the SSO portal refused ..." from a non-200 answer. */
static char *aws_sso_portal_error(const aws_sso_profile *p, const char *url, long status,
                                  const strbuf *answer) {
    if (status == 401)
        return aws_sso_login_hint(p, "has expired or was revoked (the SSO portal refused the "
                                     "token)");
    char *code = NULL, *message = NULL;
    if (answer->data)
        http_retry_parse_error(answer->data, answer->length, &code, &message);
    if (!message) {
        json_object *o = json_tokener_parse(answer->data ? answer->data : "");
        message = aws_sso_dup(o ? aws_sso_string(o, "message") : NULL);
        json_object_put(o);
    }
    char *text;
    if (status == 403)
        text = xasprintf("the SSO portal refused role %s in account %s for profile %s%s%s",
                         p->role_name, p->account_id, p->profile, message ? ": " : "",
                         message ? message : "");
    else
        text = xasprintf("the SSO portal %s answered HTTP %ld for profile %s%s%s%s%s", url, status,
                         p->profile, code ? ": " : "", code ? code : "", message ? ": " : "",
                         message ? message : "");
    free(code);
    free(message);
    return redact_take(text);
}

bool aws_sso_credentials(const aws_sso_profile *p, const char *portal, const char *cache_dir,
                         const char *ca_bundle, int64_t now, aws_credentials *out, char **error) {
    const char *profile = p->profile ? p->profile : "default";
    aws_sso_profile q = *p;
    q.profile = profile;
    if (!q.start_url || !q.account_id || !q.role_name || !portal) {
        *error = xasprintf("profile %s: SSO needs sso_start_url, sso_region, sso_account_id and "
                           "sso_role_name (missing %s)",
                           profile,
                           !q.start_url    ? "sso_start_url"
                           : !q.account_id ? "sso_account_id"
                           : !q.role_name  ? "sso_role_name"
                                           : "sso_region");
        return false;
    }
    aws_sso_token t = {0};
    if (!aws_sso_load_token(&q, portal, cache_dir, ca_bundle, now, &t, error)) {
        aws_sso_token_clear(&t);
        return false;
    }
    CURL *e = curl_easy_init();
    char *account = e ? curl_easy_escape(e, q.account_id, 0) : NULL;
    char *role = e ? curl_easy_escape(e, q.role_name, 0) : NULL;
    char *base = aws_sso_base(portal);
    char *url = xasprintf("%s/federation/credentials?account_id=%s&role_name=%s", base,
                          account ? account : "", role ? role : "");
    curl_free(account);
    curl_free(role);
    if (e)
        curl_easy_cleanup(e);
    char *header = xasprintf("x-amz-sso_bearer_token: %s", t.access_token);
    aws_sso_token_clear(&t);
    strbuf answer = {0};
    char *why = NULL;
    long status =
        aws_sso_request(url, header, NULL, ca_bundle, AWS_SSO_PORTAL_TIMEOUT_MS, &answer, &why);
    aws_sso_wipe_free(header);
    bool ok = false;
    if (status == 0) {
        *error = redact_take(xasprintf("the SSO portal %s for profile %s: %s", base, profile, why));
    } else if (status != 200) {
        *error = aws_sso_portal_error(&q, base, status, &answer);
    } else {
        ok = aws_sso_parse_role_credentials(answer.data ? answer.data : "", out, &why);
        if (ok) {
            free(out->source);
            out->source = xasprintf("sso profile %s", profile);
        } else {
            *error = xasprintf("profile %s: %s", profile, why);
        }
    }
    aws_credentials_wipe(&answer);
    free(why);
    free(url);
    free(base);
    return ok;
}
