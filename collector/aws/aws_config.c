/* aws_config.c: profiles, credential providers, region and endpoints. */
#include "collector/aws/aws_config.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static char *aws_trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

bool aws_ini_parse(const char *text, const char *path, aws_ini_fn fn, void *ctx, char **error) {
    char *copy = xstrdup(text);
    char section[256] = "";
    bool have_section = false;
    int lineno = 0;
    bool ok = true;
    for (char *line = copy; line && ok;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        bool indented = line[0] == ' ' || line[0] == '\t';
        char *s = aws_trim(line);
        if (!*s || *s == '#' || *s == ';') {
            line = next;
            continue;
        }
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || aws_trim(close + 1)[0] != '\0') {
                *error = xasprintf("%s:%d: a section header must be [name]", path, lineno);
                ok = false;
                break;
            }
            *close = '\0';
            snprintf(section, sizeof section, "%s", aws_trim(s + 1));
            have_section = true;
        } else if (indented) {
            /* nested value of the previous key ("s3 =\n  max_concurrent..."):
             * accepted, not used */
        } else {
            char *eq = strchr(s, '=');
            if (!eq) {
                *error = xasprintf("%s:%d: expected \"key = value\"", path, lineno);
                ok = false;
                break;
            }
            if (!have_section) {
                *error = xasprintf("%s:%d: \"key = value\" before any [section]", path, lineno);
                ok = false;
                break;
            }
            *eq = '\0';
            char *key = aws_trim(s), *value = aws_trim(eq + 1);
            if (!*key) {
                *error = xasprintf("%s:%d: empty key", path, lineno);
                ok = false;
                break;
            }
            if (!fn(ctx, section, key, value, lineno))
                break;
        }
        line = next;
    }
    free(copy);
    return ok;
}

/* The secret key and the session token, kept out of every message from now
 * on (common/redact.h); the access key id is no secret (AWS prints it). */
static void aws_config_register_secrets(const aws_credentials *c) {
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

void aws_config_free(aws_config *c) {
    free(c->profile);
    free(c->region);
    free(c->endpoint_s3);
    free(c->endpoint_glue);
    free(c->endpoint_athena);
    free(c->ca_bundle);
    free(c->credential_process);
    aws_credentials_clear(&c->credentials);
    memset(c, 0, sizeof *c);
}

/* The settings of one profile gathered from both files. */
typedef struct aws_profile {
    const char *want; /* profile name */
    bool is_config;   /* config file: sections are "profile NAME" (or "default") */
    bool found;
    char *access_key_id, *secret_access_key, *session_token;
    char *region, *endpoint_url, *ca_bundle, *credential_process, *addressing_style;
    char *s3_endpoint_url, *glue_endpoint_url, *athena_endpoint_url;
} aws_profile;

static void aws_set(char **slot, const char *value) {
    free(*slot);
    *slot = xstrdup(value);
}

static bool aws_profile_matches(const aws_profile *p, const char *section) {
    if (!p->is_config)
        return strcmp(section, p->want) == 0;
    if (strcmp(p->want, "default") == 0 && strcmp(section, "default") == 0)
        return true;
    return strncmp(section, "profile ", 8) == 0 &&
           strcmp(aws_trim((char *)section + 8), p->want) == 0;
}

static bool aws_profile_value(void *ctx, const char *section, const char *key, const char *value,
                              int line) {
    (void)line;
    aws_profile *p = ctx;
    if (!aws_profile_matches(p, section))
        return true;
    p->found = true;
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        {"aws_access_key_id", offsetof(aws_profile, access_key_id)},
        {"aws_secret_access_key", offsetof(aws_profile, secret_access_key)},
        {"aws_session_token", offsetof(aws_profile, session_token)},
        {"region", offsetof(aws_profile, region)},
        {"endpoint_url", offsetof(aws_profile, endpoint_url)},
        {"ca_bundle", offsetof(aws_profile, ca_bundle)},
        {"credential_process", offsetof(aws_profile, credential_process)},
        {"addressing_style", offsetof(aws_profile, addressing_style)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i].key) == 0)
            aws_set((char **)((char *)p + keys[i].offset), value);
    return true;
}

static void aws_profile_free(aws_profile *p) {
    char **fields[] = {
        &p->access_key_id,   &p->secret_access_key, &p->session_token,      &p->region,
        &p->endpoint_url,    &p->ca_bundle,         &p->credential_process, &p->addressing_style,
        &p->s3_endpoint_url, &p->glue_endpoint_url, &p->athena_endpoint_url};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (*fields[i] && (fields[i] == &p->secret_access_key || fields[i] == &p->session_token))
            explicit_bzero(*fields[i], strlen(*fields[i]));
        free(*fields[i]);
    }
}

/* Reads one shared file into the profile; a missing file is fine. */
static bool aws_read_file(const char *path, aws_profile *p, bool is_config, char **error) {
    if (!path || access(path, F_OK) != 0)
        return true;
    char *read_error = NULL;
    char *text = fs_read_file(path, NULL, &read_error);
    if (!text) {
        *error = read_error;
        return false;
    }
    p->is_config = is_config;
    bool ok = aws_ini_parse(text, path, aws_profile_value, p, error);
    explicit_bzero(text, strlen(text));
    free(text);
    return ok;
}

static const char *aws_env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static char *aws_shared_path(const char *env, const char *file) {
    const char *set = aws_env(env);
    if (set)
        return set[0] == '~' ? xasprintf("%s%s", getenv("HOME") ? getenv("HOME") : "", set + 1)
                             : xstrdup(set);
    const char *home = getenv("HOME");
    return home ? xasprintf("%s/.aws/%s", home, file) : NULL;
}

static char *aws_default_endpoint(const char *service, const char *region) {
    if (strncmp(region, "cn-", 3) == 0)
        return xasprintf("https://%s.%s.amazonaws.com.cn", service, region);
    return xasprintf("https://%s.%s.amazonaws.com", service, region);
}

static char *aws_strip_slash(const char *url) {
    char *u = xstrdup(url);
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/')
        u[--n] = '\0';
    return u;
}

bool aws_config_resolve(const aws_request_options *o, aws_config *c, char **error) {
    memset(c, 0, sizeof *c);
    c->credentials.expiration = -1;
    const char *profile = o->profile ? o->profile : aws_env("AWS_PROFILE");
    if (!profile)
        profile = aws_env("AWS_DEFAULT_PROFILE");
    bool explicit_profile = profile != NULL;
    c->profile = xstrdup(profile ? profile : "default");

    aws_profile p = {.want = c->profile};
    char *credentials_path = aws_shared_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    char *config_path = aws_shared_path("AWS_CONFIG_FILE", "config");
    bool ok = aws_read_file(credentials_path, &p, false, error) &&
              aws_read_file(config_path, &p, true, error);
    if (ok && explicit_profile && !p.found) {
        *error = xasprintf("profile \"%s\" not found in %s or %s", c->profile,
                           credentials_path ? credentials_path : "~/.aws/credentials",
                           config_path ? config_path : "~/.aws/config");
        ok = false;
    }
    free(credentials_path);
    free(config_path);
    if (!ok) {
        aws_profile_free(&p);
        aws_config_free(c);
        return false;
    }

    /* Region: flag, environment, profile. */
    const char *region = o->region ? o->region : aws_env("AWS_REGION");
    if (!region)
        region = aws_env("AWS_DEFAULT_REGION");
    if (!region)
        region = p.region;
    if (!region) {
        *error = xasprintf("no AWS region: pass --region, set AWS_REGION, or set region in "
                           "profile \"%s\"",
                           c->profile);
        aws_profile_free(&p);
        aws_config_free(c);
        return false;
    }
    c->region = xstrdup(region);

    /* Endpoints: flag, service variable, global variable, profile. */
    const char *global = o->endpoint_url ? o->endpoint_url : aws_env("AWS_ENDPOINT_URL");
    if (!global)
        global = p.endpoint_url;
    const char *s3 = o->endpoint_url ? o->endpoint_url : aws_env("AWS_ENDPOINT_URL_S3");
    const char *glue = o->endpoint_url ? o->endpoint_url : aws_env("AWS_ENDPOINT_URL_GLUE");
    const char *athena = o->endpoint_url ? o->endpoint_url : aws_env("AWS_ENDPOINT_URL_ATHENA");
    c->endpoint_overridden_s3 = s3 || global;
    c->endpoint_s3 = s3       ? aws_strip_slash(s3)
                     : global ? aws_strip_slash(global)
                              : aws_default_endpoint("s3", region);
    c->endpoint_glue = glue     ? aws_strip_slash(glue)
                       : global ? aws_strip_slash(global)
                                : aws_default_endpoint("glue", region);
    c->endpoint_athena = athena   ? aws_strip_slash(athena)
                         : global ? aws_strip_slash(global)
                                  : aws_default_endpoint("athena", region);
    c->path_style = o->force_path_style || c->endpoint_overridden_s3 ||
                    (p.addressing_style && strcmp(p.addressing_style, "path") == 0);
    const char *ca = aws_env("AWS_CA_BUNDLE");
    if (!ca)
        ca = p.ca_bundle;
    c->ca_bundle = ca ? xstrdup(ca) : NULL;

    /* Credentials, in the CLI's order. An explicit profile wins over the
     * environment's keys. */
    const char *env_key = aws_env("AWS_ACCESS_KEY_ID");
    const char *env_secret = aws_env("AWS_SECRET_ACCESS_KEY");
    if (!o->profile && env_key && env_secret) {
        c->credential_kind = AWS_CREDS_STATIC;
        c->credentials.access_key_id = xstrdup(env_key);
        c->credentials.secret_access_key = xstrdup(env_secret);
        const char *token = aws_env("AWS_SESSION_TOKEN");
        c->credentials.session_token = token ? xstrdup(token) : NULL;
        c->credentials.source = xstrdup("environment");
        aws_config_register_secrets(&c->credentials);
    } else if (p.access_key_id && p.secret_access_key) {
        c->credential_kind = AWS_CREDS_STATIC;
        c->credentials.access_key_id = xstrdup(p.access_key_id);
        c->credentials.secret_access_key = xstrdup(p.secret_access_key);
        c->credentials.session_token = p.session_token ? xstrdup(p.session_token) : NULL;
        c->credentials.source = xasprintf("profile %s", c->profile);
        aws_config_register_secrets(&c->credentials);
    } else if (p.access_key_id || p.secret_access_key) {
        *error = xasprintf("profile \"%s\" has only one of aws_access_key_id and "
                           "aws_secret_access_key",
                           c->profile);
        aws_profile_free(&p);
        aws_config_free(c);
        return false;
    } else if (p.credential_process) {
        c->credential_kind = AWS_CREDS_PROCESS;
        c->credential_process = xstrdup(p.credential_process);
    } else if (aws_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
               aws_env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        c->credential_kind = AWS_CREDS_CONTAINER;
    } else if (!(aws_env("AWS_EC2_METADATA_DISABLED") &&
                 strcasecmp(aws_env("AWS_EC2_METADATA_DISABLED"), "true") == 0)) {
        c->credential_kind = AWS_CREDS_IMDS;
    } else {
        c->credential_kind = AWS_CREDS_NONE;
    }
    aws_profile_free(&p);
    return true;
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
    aws_config_register_secrets(out);
    json_object_put(o);
    return true;
}

/* Runs credential_process and reads its JSON (stdout, 64 KiB at most). */
static bool aws_fetch_process(aws_config *c, char **error) {
    FILE *fp = popen(c->credential_process, "r");
    if (!fp) {
        *error = xasprintf("credential_process: cannot run: %s", strerror(errno));
        return false;
    }
    char *buf = xmalloc(65536);
    size_t len = fread(buf, 1, 65535, fp);
    buf[len] = '\0';
    int status = pclose(fp);
    bool ok = false;
    if (status != 0) {
        *error = xasprintf("credential_process exited with status %d",
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else {
        char *why = NULL;
        ok = aws_parse_credentials_json(buf, &c->credentials, &why);
        if (!ok) {
            *error = xasprintf("credential_process: %s", why);
            free(why);
        } else {
            c->credentials.source = xstrdup("credential_process");
        }
    }
    explicit_bzero(buf, len);
    free(buf);
    return ok;
}

/* Collects a credentials answer; one over 64 KiB is refused. */
static size_t aws_buffer_write(char *data, size_t size, size_t n, void *userp) {
    strbuf *b = userp;
    size_t len = size * n;
    if (b->length + len > 65536)
        return 0;
    strbuf_append(b, data, len);
    return len;
}

/* One small blocking request (credentials endpoints, 1 s timeouts). */
static long aws_simple_request(const char *method, const char *url, const char *header1,
                               const char *header2, long timeout_ms, strbuf *out, char **error) {
    CURL *e = curl_easy_init();
    struct curl_slist *headers = NULL;
    if (header1)
        headers = curl_slist_append(headers, header1);
    if (header2)
        headers = curl_slist_append(headers, header2);
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, aws_buffer_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(e);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    else
        *error = xasprintf("%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    return status;
}

static bool aws_fetch_container(aws_config *c, char **error) {
    const char *relative = aws_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    char *url = relative ? xasprintf("http://169.254.170.2%s", relative)
                         : xstrdup(aws_env("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    char *auth = NULL;
    const char *token = aws_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *token_file = aws_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (token_file) {
        char *why = NULL;
        char *text = fs_read_file(token_file, NULL, &why);
        if (!text) {
            *error = xasprintf("container credentials token file: %s", why);
            free(why);
            free(url);
            return false;
        }
        auth = xasprintf("Authorization: %s", aws_trim(text));
        free(text);
    } else if (token) {
        auth = xasprintf("Authorization: %s", token);
    }
    strbuf body = {0};
    char *why = NULL;
    long status = aws_simple_request("GET", url, auth, NULL, 2000, &body, &why);
    bool ok = false;
    if (status == 200) {
        ok = aws_parse_credentials_json(body.data ? body.data : "", &c->credentials, &why);
        if (ok)
            c->credentials.source = xstrdup("container credentials");
    }
    if (!ok)
        *error = xasprintf("container credentials from %s: %s", url,
                           why      ? why
                           : status ? "refused"
                                    : "no answer");
    if (status && status != 200 && !why) {
        free(*error);
        *error = xasprintf("container credentials from %s: HTTP %ld", url, status);
    }
    free(why);
    free(url);
    free(auth);
    if (body.data)
        explicit_bzero(body.data, body.length);
    free(body.data);
    return ok;
}

static bool aws_fetch_imds(aws_config *c, char **error) {
    const char *base = aws_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char *root = base ? aws_strip_slash(base) : xstrdup("http://169.254.169.254");
    char *why = NULL;
    /* IMDSv2: a session token first, 1 s timeout; IMDSv1 when refused. */
    strbuf token = {0};
    char *url = xasprintf("%s/latest/api/token", root);
    long status = aws_simple_request("PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: 21600",
                                     NULL, 1000, &token, &why);
    free(url);
    free(why);
    why = NULL;
    char *token_header =
        status == 200 && token.data ? xasprintf("X-aws-ec2-metadata-token: %s", token.data) : NULL;
    free(token.data);
    strbuf role = {0};
    url = xasprintf("%s/latest/meta-data/iam/security-credentials/", root);
    status = aws_simple_request("GET", url, token_header, NULL, 1000, &role, &why);
    free(url);
    bool ok = false;
    if (status == 200 && role.data && *aws_trim(role.data)) {
        char *name = aws_trim(role.data);
        char *nl = strchr(name, '\n');
        if (nl)
            *nl = '\0';
        strbuf creds = {0};
        url = xasprintf("%s/latest/meta-data/iam/security-credentials/%s", root, name);
        status = aws_simple_request("GET", url, token_header, NULL, 1000, &creds, &why);
        free(url);
        if (status == 200) {
            ok = aws_parse_credentials_json(creds.data ? creds.data : "", &c->credentials, &why);
            if (ok)
                c->credentials.source = xstrdup("instance metadata");
        }
        if (creds.data)
            explicit_bzero(creds.data, creds.length);
        free(creds.data);
    }
    if (!ok)
        *error = xasprintf("no AWS credentials: none in the environment or profile \"%s\", and "
                           "instance metadata (%s) %s",
                           c->profile, root, why ? why : "has none");
    free(why);
    free(role.data);
    free(token_header);
    free(root);
    return ok;
}

bool aws_config_refresh(aws_config *c, int64_t now, char **error) {
    bool have = c->credentials.access_key_id != NULL;
    bool fresh = c->credentials.expiration < 0 || c->credentials.expiration - now > 300;
    if (have && fresh)
        return true;
    switch (c->credential_kind) {
    case AWS_CREDS_STATIC: return true; /* never expire */
    case AWS_CREDS_PROCESS: return aws_fetch_process(c, error);
    case AWS_CREDS_CONTAINER: return aws_fetch_container(c, error);
    case AWS_CREDS_IMDS: return aws_fetch_imds(c, error);
    case AWS_CREDS_ASSUME_ROLE:
    case AWS_CREDS_WEB_IDENTITY:
    case AWS_CREDS_SSO: /* issue 11: not resolved to yet */
    case AWS_CREDS_NONE: break;
    }
    *error = xasprintf("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                       "use --profile");
    return false;
}

bool aws_config_refused(const aws_request_options *o, const char *service, const char *operation,
                        const char *target, char **error) {
    if (!o->read_only)
        return false;
    static const char *const reading[] = {"GET",      "HEAD",   "Get",     "List",
                                          "BatchGet", "Search", "Describe"};
    bool s3 = strcmp(service, "S3") == 0;
    for (size_t i = s3 ? 0 : 2; i < (s3 ? 2 : sizeof reading / sizeof reading[0]); i++) {
        size_t n = strlen(reading[i]);
        if (strncmp(operation, reading[i], n) == 0 && (s3 ? operation[n] == '\0' : true))
            return false;
    }
    *error = xasprintf("%s %s%s%s: not sent: read-only mode", service, operation, target ? " " : "",
                       target ? target : "");
    return true;
}
