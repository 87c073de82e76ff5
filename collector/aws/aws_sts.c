/* aws_sts.c: STS over its Query protocol (aws_sts.h): the form, SigV4 with
 * service "sts", one blocking request per call (retried on throttling and
 * 5xx), and the answers' XML read with expat into the few leaves wanted. */
#include "collector/aws/aws_sts.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/aws/aws_credentials.h"
#include "collector/aws/sigv4.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define AWS_STS_VERSION "2011-06-15"
#define AWS_STS_DEPTH 8          /* deeper elements are not read */
#define AWS_STS_TEXT_MAX 65536   /* an element's text longer than this: not STS */
#define AWS_STS_ATTEMPTS 3       /* throttling and 5xx are sent again */
#define AWS_STS_TIMEOUT_MS 10000 /* one attempt */

void aws_identity_clear(aws_identity *id) {
    free(id->account);
    free(id->arn);
    free(id->user_id);
    free(id->name);
    memset(id, 0, sizeof *id);
}

/* An SSO role's IAM name, AWSReservedSSO_<permission set>_<16 hex>: the
 * permission set, as the portal and sso_role_name call it. */
static char *aws_sts_sso_role(const char *role, size_t n) {
    static const char prefix[] = "AWSReservedSSO_";
    size_t p = sizeof prefix - 1;
    if (n < p + 1 + 17 || strncmp(role, prefix, p) != 0 || role[n - 17] != '_')
        return NULL;
    for (size_t i = n - 16; i < n; i++)
        if (fmt_hex_digit(role[i]) < 0)
            return NULL;
    return xstrndup(role + p, n - 17 - p);
}

char *aws_identity_name(const char *arn) {
    if (!arn)
        return NULL;
    /* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE */
    const char *resource = arn;
    for (int i = 0; i < 5 && resource; i++) {
        resource = strchr(resource, ':');
        if (resource)
            resource++;
    }
    if (strncmp(arn, "arn:", 4) != 0 || !resource || !*resource) {
        const char *last = strrchr(arn, '/');
        return xstrdup(last && last[1] ? last + 1 : arn);
    }
    static const char assumed[] = "assumed-role/";
    if (strncmp(resource, assumed, sizeof assumed - 1) == 0) {
        /* assumed-role/ROLE/SESSION: the role */
        const char *role = resource + sizeof assumed - 1;
        const char *slash = strchr(role, '/');
        size_t n = slash ? (size_t)(slash - role) : strlen(role);
        if (n > 0) {
            char *sso = aws_sts_sso_role(role, n);
            return sso ? sso : xstrndup(role, n);
        }
    }
    /* user/PATH/NAME, role/PATH/NAME, federated-user/NAME, root: the last part */
    const char *last = strrchr(resource, '/');
    return xstrdup(last && last[1] ? last + 1 : resource);
}

/* ---- the XML ----------------------------------------------------------------- */

/* The leaves wanted, by path from the root: "A/B/C", where a segment "*X"
 * matches any name ending in X and "*" any name. */
typedef struct aws_sts_xml {
    XML_Parser xml;
    int depth;
    char *names[AWS_STS_DEPTH];
    strbuf text;
    bool text_too_long;
    const char *const *paths;
    size_t n_paths;
    char **values; /* one per path, the first seen */
    char *root;
} aws_sts_xml;

static const char *aws_sts_local_name(const char *name) {
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static bool aws_sts_segment_matches(const char *pattern, size_t n, const char *name) {
    if (n == 1 && pattern[0] == '*')
        return true;
    if (pattern[0] == '*') {
        size_t len = strlen(name);
        return len >= n - 1 && strncmp(name + len - (n - 1), pattern + 1, n - 1) == 0;
    }
    return strlen(name) == n && strncmp(name, pattern, n) == 0;
}

static bool aws_sts_path_matches(const aws_sts_xml *x, const char *path) {
    int depth = 0;
    for (const char *s = path; s;) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (depth >= x->depth || !x->names[depth] ||
            !aws_sts_segment_matches(s, n, x->names[depth]))
            return false;
        depth++;
        s = slash ? slash + 1 : NULL;
    }
    return depth == x->depth;
}

static void aws_sts_text_wipe(aws_sts_xml *x) {
    if (x->text.data)
        explicit_bzero(x->text.data, x->text.length);
    strbuf_free(&x->text);
}

static void XMLCALL aws_sts_start(void *data, const XML_Char *name, const XML_Char **attrs) {
    (void)attrs;
    aws_sts_xml *x = data;
    if (x->depth < AWS_STS_DEPTH)
        x->names[x->depth] = xstrdup(aws_sts_local_name(name));
    if (x->depth == 0 && !x->root)
        x->root = xstrdup(aws_sts_local_name(name));
    x->depth++;
    aws_sts_text_wipe(x);
}

static void XMLCALL aws_sts_end(void *data, const XML_Char *name) {
    (void)name;
    aws_sts_xml *x = data;
    if (x->depth <= AWS_STS_DEPTH) {
        for (size_t i = 0; i < x->n_paths; i++) {
            if (!x->values[i] && aws_sts_path_matches(x, x->paths[i])) {
                x->values[i] = xstrdup(x->text.data ? x->text.data : "");
                break;
            }
        }
    }
    aws_sts_text_wipe(x);
    x->depth--;
    if (x->depth < AWS_STS_DEPTH) {
        free(x->names[x->depth]);
        x->names[x->depth] = NULL;
    }
}

static void XMLCALL aws_sts_chars(void *data, const XML_Char *s, int length) {
    aws_sts_xml *x = data;
    if (x->text.length + (size_t)length > AWS_STS_TEXT_MAX) {
        x->text_too_long = true;
        XML_StopParser(x->xml, XML_FALSE);
        return;
    }
    strbuf_append(&x->text, s, (size_t)length);
}

/* Parses `xml` for `paths`; false with *error when it is not XML. */
static bool aws_sts_xml_read(const char *xml, size_t length, const char *const *paths,
                             size_t n_paths, aws_sts_xml *x, char **error) {
    *x = (aws_sts_xml){.paths = paths, .n_paths = n_paths};
    x->values = xcalloc(n_paths ? n_paths : 1, sizeof *x->values);
    x->xml = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->xml, x);
    XML_SetElementHandler(x->xml, aws_sts_start, aws_sts_end);
    XML_SetCharacterDataHandler(x->xml, aws_sts_chars);
    bool ok = true;
    if (length > (size_t)AWS_STS_TEXT_MAX * 4) {
        *error = xasprintf("the STS answer is %zu bytes, too long", length);
        ok = false;
    } else if (XML_Parse(x->xml, xml, (int)length, 1) == XML_STATUS_ERROR) {
        *error = x->text_too_long ? xstrdup("the STS answer has an element too long")
                                  : xasprintf("the STS answer is not XML: %s at line %lu",
                                              XML_ErrorString(XML_GetErrorCode(x->xml)),
                                              (unsigned long)XML_GetCurrentLineNumber(x->xml));
        ok = false;
    }
    return ok;
}

static void aws_sts_xml_free(aws_sts_xml *x) {
    if (x->xml)
        XML_ParserFree(x->xml);
    for (int i = 0; i < AWS_STS_DEPTH; i++)
        free(x->names[i]);
    aws_sts_text_wipe(x);
    for (size_t i = 0; i < x->n_paths; i++) {
        if (x->values[i])
            explicit_bzero(x->values[i], strlen(x->values[i]));
        free(x->values[i]);
    }
    free(x->values);
    free(x->root);
}

bool aws_sts_parse_error(const char *xml, size_t length, char **code, char **message) {
    static const char *const paths[] = {"*/Error/Code", "*/Error/Message", "*/*/Error/Code",
                                        "*/*/Error/Message"};
    aws_sts_xml x;
    char *why = NULL;
    *code = *message = NULL;
    bool ok = aws_sts_xml_read(xml, length, paths, 4, &x, &why);
    free(why);
    const char *c = x.values[0] ? x.values[0] : x.values[2];
    const char *m = x.values[1] ? x.values[1] : x.values[3];
    ok = ok && c && *c;
    if (ok) {
        *code = xstrdup(c);
        *message = m && *m ? xstrdup(m) : NULL;
    }
    aws_sts_xml_free(&x);
    return ok;
}

/* An answer that is an <ErrorResponse>: *error "CODE: MESSAGE". */
static bool aws_sts_answer_error(const char *xml, size_t length, const aws_sts_xml *x,
                                 char **error) {
    if (!x->root || strcmp(x->root, "ErrorResponse") != 0)
        return false;
    char *code, *message;
    if (aws_sts_parse_error(xml, length, &code, &message))
        *error = xasprintf("%s%s%s", code, message ? ": " : "", message ? message : "");
    else
        *error = xstrdup("an ErrorResponse without a Code");
    free(code);
    free(message);
    return true;
}

bool aws_sts_parse_credentials(const char *xml, size_t length, aws_credentials *out, char **error) {
    static const char *const paths[] = {
        "*Response/*Result/Credentials/AccessKeyId",
        "*Response/*Result/Credentials/SecretAccessKey",
        "*Response/*Result/Credentials/SessionToken",
        "*Response/*Result/Credentials/Expiration",
    };
    static const char *const names[] = {"AccessKeyId", "SecretAccessKey", "SessionToken",
                                        "Expiration"};
    aws_sts_xml x;
    bool ok = aws_sts_xml_read(xml, length, paths, 4, &x, error);
    if (ok && aws_sts_answer_error(xml, length, &x, error))
        ok = false;
    for (size_t i = 0; ok && i < 4; i++) {
        if (!x.values[i] || !*x.values[i]) {
            *error = xasprintf("the STS answer has no Credentials/%s", names[i]);
            ok = false;
        }
    }
    int64_t expiration = -1;
    if (ok && !fmt_parse_iso8601(x.values[3], &expiration)) {
        *error = xstrdup("the STS answer's Expiration is not an ISO 8601 time");
        ok = false;
    }
    if (ok) {
        aws_credentials_clear(out);
        out->access_key_id = xstrdup(x.values[0]);
        out->secret_access_key = xstrdup(x.values[1]);
        out->session_token = xstrdup(x.values[2]);
        out->expiration = expiration;
        aws_credentials_register(out);
    }
    aws_sts_xml_free(&x);
    return ok;
}

bool aws_sts_parse_identity(const char *xml, size_t length, aws_identity *out, char **error) {
    static const char *const paths[] = {
        "GetCallerIdentityResponse/GetCallerIdentityResult/Account",
        "GetCallerIdentityResponse/GetCallerIdentityResult/Arn",
        "GetCallerIdentityResponse/GetCallerIdentityResult/UserId",
    };
    aws_sts_xml x;
    bool ok = aws_sts_xml_read(xml, length, paths, 3, &x, error);
    if (ok && aws_sts_answer_error(xml, length, &x, error))
        ok = false;
    if (ok && (!x.values[0] || !*x.values[0] || !x.values[1] || !*x.values[1])) {
        *error = xstrdup("the STS answer has no GetCallerIdentityResult with Account and Arn");
        ok = false;
    }
    if (ok) {
        aws_identity_clear(out);
        out->account = xstrdup(x.values[0]);
        out->arn = xstrdup(x.values[1]);
        out->user_id = x.values[2] ? xstrdup(x.values[2]) : NULL;
        out->name = aws_identity_name(out->arn);
    }
    aws_sts_xml_free(&x);
    return ok;
}

/* ---- the requests -------------------------------------------------------------- */

/* "Key=Value&..." from NULL-terminated pairs (a NULL value is left out). */
static char *aws_sts_form(const char *const *pairs, size_t n_pairs) {
    strbuf b = {0};
    for (size_t i = 0; i + 1 < n_pairs * 2; i += 2) {
        if (!pairs[i + 1])
            continue;
        char *v = sigv4_uri_encode(pairs[i + 1], strlen(pairs[i + 1]), false);
        strbuf_printf(&b, "%s%s=%s", b.length ? "&" : "", pairs[i], v);
        explicit_bzero(v, strlen(v));
        free(v);
    }
    return strbuf_take(&b);
}

/* The host ("host" or "host:port", no default port) and the path prefix of
 * an endpoint URL; false when it is not one. */
static bool aws_sts_url(const char *url, char **host, char **path) {
    const char *sep = strstr(url, "://");
    if (!sep || !sep[3] || sep[3] == '/')
        return false;
    const char *h = sep + 3;
    const char *slash = strchr(h, '/');
    *host = slash ? xstrndup(h, (size_t)(slash - h)) : xstrdup(h);
    size_t n = strlen(*host);
    bool https = strncmp(url, "https://", 8) == 0;
    if ((https && n > 4 && strcmp(*host + n - 4, ":443") == 0) ||
        (!https && n > 3 && strcmp(*host + n - 3, ":80") == 0))
        *strrchr(*host, ':') = '\0';
    strbuf p = {0};
    strbuf_puts(&p, slash ? slash : "");
    while (p.length > 0 && p.data[p.length - 1] == '/')
        p.data[--p.length] = '\0';
    strbuf_putc(&p, '/');
    *path = strbuf_take(&p);
    return true;
}

static void aws_sts_pause(int attempt) {
    struct timespec ts = {0, (attempt == 1 ? 100 : 400) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool aws_sts_retryable(long status, const char *code) {
    if (status == 0 || status >= 500 || status == 429)
        return true;
    return code && (strcmp(code, "Throttling") == 0 || strcmp(code, "ThrottlingException") == 0 ||
                    strcmp(code, "RequestLimitExceeded") == 0 ||
                    strcmp(code, "IDPCommunicationError") == 0);
}

/* What a person can do about an STS error code. */
static const char *aws_sts_hint(const char *code) {
    static const struct {
        const char *code, *hint;
    } hints[] = {
        {"AccessDenied", "check that the role trusts these source credentials, with its "
                         "external_id and MFA conditions"},
        {"ExpiredToken", "the source credentials have expired: renew them"},
        {"ExpiredTokenException", "the token has expired: renew it"},
        {"InvalidClientTokenId", "the source credentials are not valid: check them"},
        {"SignatureDoesNotMatch", "the source credentials' secret key is wrong: check it"},
        {"InvalidIdentityToken", "the web identity token was refused: check its issuer"},
    };
    for (size_t i = 0; code && i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(code, hints[i].code) == 0)
            return hints[i].hint;
    return NULL;
}

/* One STS call: `form` POSTed to the config's STS endpoint, signed with
 * `signer` unless NULL; the 200 answer in *answer. *error: "WHAT: why",
 * `what` naming the profile and the call. */
static bool aws_sts_call(const aws_config *config, const aws_credentials *signer, const char *form,
                         const char *what, strbuf *answer, char **error) {
    char *host = NULL, *path = NULL;
    if (!config->endpoint_sts || !aws_sts_url(config->endpoint_sts, &host, &path)) {
        *error = xasprintf("%s: the STS endpoint \"%s\" is not a URL", what,
                           config->endpoint_sts ? config->endpoint_sts : "");
        return false;
    }
    char *url =
        xasprintf("%.*s%s", (int)(strstr(config->endpoint_sts, "://") + 3 - config->endpoint_sts),
                  config->endpoint_sts, host);
    char *full_url = xasprintf("%s%s", url, path);
    static const char content_type[] = "application/x-www-form-urlencoded; charset=utf-8";
    bool ok = false;
    for (int attempt = 1; attempt <= AWS_STS_ATTEMPTS && !ok; attempt++) {
        char *header_store[5] = {0};
        const char *headers[6] = {0};
        size_t n = 0;
        header_store[n++] = xasprintf("Content-Type: %s", content_type);
        if (signer && signer->access_key_id) {
            sigv4_header extra[] = {{"Content-Type", content_type}};
            sigv4_request r = {.method = "POST",
                               .host = host,
                               .path = path,
                               .headers = extra,
                               .n_headers = 1,
                               .payload = form,
                               .payload_length = strlen(form)};
            sigv4_credentials c = {signer->access_key_id, signer->secret_access_key,
                                   signer->session_token};
            sigv4_params p = {.region = config->region, .service = "sts", .time = clock_now()};
            sigv4_result out;
            char *why = NULL;
            if (!sigv4_sign(&r, &c, &p, &out, &why)) {
                *error = xasprintf("%s: cannot sign: %s", what, why);
                free(why);
                free(header_store[0]);
                break;
            }
            header_store[n++] = xasprintf("X-Amz-Date: %s", out.amz_date);
            header_store[n++] = xasprintf("Authorization: %s", out.authorization);
            if (signer->session_token)
                header_store[n++] = xasprintf("X-Amz-Security-Token: %s", signer->session_token);
            sigv4_result_free(&out);
        }
        for (size_t i = 0; i < n; i++)
            headers[i] = header_store[i];
        aws_http_call call = {.method = "POST",
                              .url = full_url,
                              .headers = headers,
                              .body = form,
                              .ca_bundle = config->ca_bundle,
                              .timeout_ms = AWS_STS_TIMEOUT_MS};
        strbuf_free(answer);
        char *why = NULL;
        int64_t started = clock_monotonic_ms();
        long status = aws_credentials_http(&call, answer, &why);
        for (size_t i = 0; i < n; i++) {
            explicit_bzero(header_store[i], strlen(header_store[i]));
            free(header_store[i]);
        }
        char *code = NULL, *message = NULL;
        if (status != 200 && status != 0 && answer->data)
            aws_sts_parse_error(answer->data, answer->length, &code, &message);
        /* a timeout is not waited for again; a refused connection is */
        bool again = attempt < AWS_STS_ATTEMPTS && aws_sts_retryable(status, code) &&
                     (status != 0 || clock_monotonic_ms() - started < 1000);
        if (status == 200) {
            ok = true;
        } else if (!again) {
            const char *hint = aws_sts_hint(code);
            if (status == 0)
                *error = xasprintf("%s: no answer from STS: %s", what, why);
            else if (code)
                *error = xasprintf("%s: %s%s%s%s%s%s", what, code, message ? ": " : "",
                                   message ? message : "", hint ? " (" : "", hint ? hint : "",
                                   hint ? ")" : "");
            else
                *error = xasprintf("%s: STS answered HTTP %ld", what, status);
            *error = redact_take(*error);
        }
        free(why);
        free(code);
        free(message);
        if (!ok && again)
            aws_sts_pause(attempt);
        else
            break;
    }
    free(url);
    free(full_url);
    free(host);
    free(path);
    return ok;
}

static char *aws_sts_session_name(const char *given) {
    return given && *given ? xstrdup(given) : xasprintf("laketop-%lld", (long long)time(NULL));
}

/* The credentials of a 200 answer, or *error "WHAT: why". */
static bool aws_sts_answer_credentials(const strbuf *answer, const char *what, aws_credentials *out,
                                       char **error) {
    char *why = NULL;
    if (!aws_sts_parse_credentials(answer->data ? answer->data : "", answer->length, out, &why)) {
        *error = xasprintf("%s: %s", what, why);
        free(why);
        return false;
    }
    return true;
}

static void aws_sts_answer_free(strbuf *answer) {
    if (answer->data)
        explicit_bzero(answer->data, answer->length);
    strbuf_free(answer);
}

bool aws_sts_assume_role(const aws_config *config, const aws_credentials *signer,
                         const aws_assume_role *q, aws_credentials *out, char **error) {
    char *what = xasprintf("profile %s: AssumeRole %s", q->profile ? q->profile : config->profile,
                           q->role_arn);
    char *session = aws_sts_session_name(q->session_name);
    char duration[24];
    snprintf(duration, sizeof duration, "%lld", (long long)q->duration_seconds);
    const char *pairs[] = {"Action",          "AssumeRole",
                           "Version",         AWS_STS_VERSION,
                           "RoleArn",         q->role_arn,
                           "RoleSessionName", session,
                           "DurationSeconds", q->duration_seconds > 0 ? duration : NULL,
                           "ExternalId",      q->external_id,
                           "SerialNumber",    q->mfa_serial,
                           "TokenCode",       q->mfa_serial ? q->mfa_code : NULL};
    char *form = aws_sts_form(pairs, sizeof pairs / sizeof pairs[0] / 2);
    strbuf answer = {0};
    bool ok = aws_sts_call(config, signer, form, what, &answer, error) &&
              aws_sts_answer_credentials(&answer, what, out, error);
    if (ok) {
        free(out->source);
        out->source = xasprintf("assume-role %s", q->role_arn);
    }
    aws_sts_answer_free(&answer);
    free(form);
    free(session);
    free(what);
    return ok;
}

bool aws_sts_assume_role_with_web_identity(const aws_config *config, const char *profile,
                                           const char *role_arn, const char *session_name,
                                           const char *token_file, int64_t duration_seconds,
                                           aws_credentials *out, char **error) {
    char *what = xasprintf("profile %s: AssumeRoleWithWebIdentity %s",
                           profile ? profile : config->profile, role_arn);
    char *why = NULL;
    char *text = fs_read_file(token_file, NULL, &why);
    if (!text) {
        *error = xasprintf("%s: the web identity token file: %s", what, why);
        free(why);
        free(what);
        return false;
    }
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    if (n == 0) {
        *error = xasprintf("%s: the web identity token file %s is empty", what, token_file);
        free(text);
        free(what);
        return false;
    }
    redact_register(text);
    char *session = aws_sts_session_name(session_name);
    char duration[24];
    snprintf(duration, sizeof duration, "%lld", (long long)duration_seconds);
    const char *pairs[] = {"Action",           "AssumeRoleWithWebIdentity",
                           "Version",          AWS_STS_VERSION,
                           "RoleArn",          role_arn,
                           "RoleSessionName",  session,
                           "WebIdentityToken", text,
                           "DurationSeconds",  duration_seconds > 0 ? duration : NULL};
    char *form = aws_sts_form(pairs, sizeof pairs / sizeof pairs[0] / 2);
    strbuf answer = {0};
    bool ok = aws_sts_call(config, NULL, form, what, &answer, error) &&
              aws_sts_answer_credentials(&answer, what, out, error);
    if (ok) {
        free(out->source);
        out->source = xasprintf("web identity %s", role_arn);
    }
    aws_sts_answer_free(&answer);
    explicit_bzero(form, strlen(form));
    free(form);
    explicit_bzero(text, n);
    free(text);
    free(session);
    free(what);
    return ok;
}

bool aws_sts_caller_identity(const aws_config *config, aws_identity *out, char **error) {
    char *what = xasprintf("profile %s: GetCallerIdentity", config->profile);
    if (!config->credentials.access_key_id) {
        *error = xasprintf("%s: no credentials yet", what);
        free(what);
        return false;
    }
    const char *pairs[] = {"Action", "GetCallerIdentity", "Version", AWS_STS_VERSION};
    char *form = aws_sts_form(pairs, 2);
    strbuf answer = {0};
    bool ok = aws_sts_call(config, &config->credentials, form, what, &answer, error);
    char *why = NULL;
    if (ok && !aws_sts_parse_identity(answer.data ? answer.data : "", answer.length, out, &why)) {
        *error = xasprintf("%s: %s", what, why);
        free(why);
        ok = false;
    }
    strbuf_free(&answer);
    free(form);
    free(what);
    return ok;
}
