/* aws_signin.c: aws_config_resolve (region, endpoints, the chain built by
 * aws_chain.c) and aws_config_refresh: the credentials fetched link by link
 * along the chain when they near their expiry; what STS and SSO gave is
 * shared by every source of the process. It is apart from aws_config.c so
 * that STS and SSO, whose headers need aws_config.h, are called from a
 * module that nothing includes. */
#include "collector/aws/aws_config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_chain.h"
#include "collector/aws/aws_credentials.h"
#include "collector/aws/aws_sso.h"
#include "collector/aws/aws_sts.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static const char *aws_env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

void aws_config_free(aws_config *c) {
    free(c->profile);
    free(c->region);
    free(c->endpoint_s3);
    free(c->endpoint_glue);
    free(c->endpoint_athena);
    free(c->endpoint_s3tables);
    free(c->endpoint_states);
    free(c->endpoint_sts);
    free(c->endpoint_sso);
    free(c->ca_bundle);
    free(c->credential_process);
    aws_credentials_clear(&c->credentials);
    aws_chain_free(c->chain);
    memset(c, 0, sizeof *c);
}

/* ---- region and endpoints ------------------------------------------------------ */

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

/* Whether an endpoint is an http:// or https:// address with a host. */
static bool aws_endpoint_ok(const char *url) {
    const char *host = strncmp(url, "https://", 8) == 0  ? url + 8
                       : strncmp(url, "http://", 7) == 0 ? url + 7
                                                         : NULL;
    return host && *host && *host != '/' && *host != ':';
}

/* A service's endpoint: the flag, its own variable, the global one (the
 * variable or the profile's endpoint_url, named by `global_from`), else
 * `otherwise` (taken). One that is not an address is named in *bad (the
 * first one found). */
static char *aws_endpoint(const aws_request_options *o, const char *variable, const char *global,
                          const char *global_from, char *otherwise, char **bad) {
    const char *set = o->endpoint_url ? o->endpoint_url : aws_env(variable);
    const char *from = o->endpoint_url ? "--endpoint-url" : variable;
    if (!set) {
        set = global;
        from = global_from;
    }
    if (!set)
        return otherwise;
    free(otherwise);
    if (!aws_endpoint_ok(set) && !*bad)
        *bad = xasprintf("%s \"%s\" is not an http:// or https:// address with a host", from, set);
    return aws_strip_slash(set);
}

static bool aws_config_endpoints(const aws_request_options *o, const aws_profiles *pf,
                                 aws_config *c, char **error) {
    const char *global = o->endpoint_url ? o->endpoint_url : aws_env("AWS_ENDPOINT_URL");
    char *global_from = xstrdup(o->endpoint_url ? "--endpoint-url" : "AWS_ENDPOINT_URL");
    if (!global) {
        global = aws_profiles_get(pf, c->profile, "endpoint_url");
        free(global_from);
        global_from = xasprintf("endpoint_url of profile \"%s\"", c->profile);
    }
    char *bad = NULL;
    c->endpoint_overridden_s3 = o->endpoint_url || aws_env("AWS_ENDPOINT_URL_S3") || global;
    c->endpoint_s3 = aws_endpoint(o, "AWS_ENDPOINT_URL_S3", global, global_from,
                                  aws_default_endpoint("s3", c->region), &bad);
    c->endpoint_glue = aws_endpoint(o, "AWS_ENDPOINT_URL_GLUE", global, global_from,
                                    aws_default_endpoint("glue", c->region), &bad);
    c->endpoint_athena = aws_endpoint(o, "AWS_ENDPOINT_URL_ATHENA", global, global_from,
                                      aws_default_endpoint("athena", c->region), &bad);
    c->endpoint_s3tables = aws_endpoint(o, "AWS_ENDPOINT_URL_S3TABLES", global, global_from,
                                        aws_default_endpoint("s3tables", c->region), &bad);
    c->endpoint_states = aws_endpoint(o, "AWS_ENDPOINT_URL_SFN", global, global_from,
                                      aws_default_endpoint("states", c->region), &bad);
    c->endpoint_sts = aws_endpoint(o, "AWS_ENDPOINT_URL_STS", global, global_from,
                                   aws_default_endpoint("sts", c->region), &bad);
    /* the portal of the SSO link's region, else of the config's */
    const char *sso_region = c->region;
    for (size_t i = 0; i < c->chain->n; i++)
        if (c->chain->links[i].kind == AWS_LINK_SSO)
            sso_region = c->chain->links[i].sso_region;
    c->endpoint_sso = aws_endpoint(o, "AWS_ENDPOINT_URL_SSO", global, global_from,
                                   aws_default_endpoint("portal.sso", sso_region), &bad);
    free(global_from);
    const char *style = aws_profiles_get(pf, c->profile, "addressing_style");
    c->path_style =
        o->force_path_style || c->endpoint_overridden_s3 || (style && strcmp(style, "path") == 0);
    const char *ca = aws_env("AWS_CA_BUNDLE");
    if (!ca)
        ca = aws_profiles_get(pf, c->profile, "ca_bundle");
    c->ca_bundle = ca ? xstrdup(ca) : NULL;
    if (bad)
        *error = bad;
    return bad == NULL;
}

/* The kind the config shows, from the top link. */
static void aws_config_set_kind(aws_config *c) {
    struct aws_chain *ch = c->chain;
    if (ch->n == 0) {
        c->credential_kind = AWS_CREDS_NONE;
        return;
    }
    aws_link *top = &ch->links[ch->n - 1];
    static const aws_credential_kind kinds[] = {
        [AWS_LINK_STATIC] = AWS_CREDS_STATIC,   [AWS_LINK_ENVIRONMENT] = AWS_CREDS_STATIC,
        [AWS_LINK_PROCESS] = AWS_CREDS_PROCESS, [AWS_LINK_CONTAINER] = AWS_CREDS_CONTAINER,
        [AWS_LINK_IMDS] = AWS_CREDS_IMDS,       [AWS_LINK_WEB_IDENTITY] = AWS_CREDS_WEB_IDENTITY,
        [AWS_LINK_SSO] = AWS_CREDS_SSO,         [AWS_LINK_ROLE] = AWS_CREDS_ASSUME_ROLE,
    };
    c->credential_kind = kinds[top->kind];
    if (top->kind == AWS_LINK_PROCESS)
        c->credential_process = xstrdup(top->process);
    /* the top link's credentials are the config's */
    c->credentials = top->credentials;
    memset(&top->credentials, 0, sizeof top->credentials);
    top->credentials.expiration = -1;
}

bool aws_config_resolve(const aws_request_options *o, aws_config *c, char **error) {
    memset(c, 0, sizeof *c);
    c->credentials.expiration = -1;
    c->chain = xcalloc(1, sizeof *c->chain);
    c->chain->mfa_code = o->mfa_code;
    c->chain->mfa_ctx = o->mfa_ctx;
    const char *profile = o->profile ? o->profile : aws_env("AWS_PROFILE");
    if (!profile)
        profile = aws_env("AWS_DEFAULT_PROFILE");
    bool named = profile != NULL;
    c->profile = xstrdup(profile ? profile : "default");

    char *credentials_path = aws_shared_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    char *config_path = aws_shared_path("AWS_CONFIG_FILE", "config");
    aws_profiles *pf = aws_profiles_load(credentials_path, config_path, error);
    free(credentials_path);
    free(config_path);
    if (!pf) {
        aws_config_free(c);
        return false;
    }
    if (named && !aws_profiles_has(pf, c->profile)) {
        *error = xasprintf("profile \"%s\" not found in %s", c->profile, aws_profiles_where(pf));
        aws_profiles_free(pf);
        aws_config_free(c);
        return false;
    }
    /* Region: flag, environment, profile. */
    const char *region = o->region ? o->region : aws_env("AWS_REGION");
    if (!region)
        region = aws_env("AWS_DEFAULT_REGION");
    if (!region)
        region = aws_profiles_get(pf, c->profile, "region");
    if (!region) {
        *error = xasprintf("no AWS region: pass --region, set AWS_REGION, or set region in "
                           "profile \"%s\"",
                           c->profile);
        aws_profiles_free(pf);
        aws_config_free(c);
        return false;
    }
    c->region = xstrdup(region);
    bool ok = aws_chain_build(c, pf, o->profile != NULL, error);
    if (ok)
        ok = aws_config_endpoints(o, pf, c, error);
    if (ok)
        aws_config_set_kind(c);
    aws_profiles_free(pf);
    if (!ok)
        aws_config_free(c);
    return ok;
}

/* ---- fetching ----------------------------------------------------------------------- */

/* Fresh: there, and not within 5 minutes of their expiry (half their
 * lifetime when that is shorter). */
static bool aws_fresh(const aws_credentials *cr, int64_t fetched_at, int64_t now) {
    if (!cr->access_key_id)
        return false;
    if (cr->expiration < 0)
        return true;
    int64_t ahead = (cr->expiration - fetched_at) / 2;
    if (ahead > 300)
        ahead = 300;
    if (ahead < 0)
        ahead = 0;
    return cr->expiration - now > ahead;
}

/* What STS and SSO gave, shared by every source of the process: a second
 * source of the same profile (an action's) reuses them, and a role with
 * MFA asks for one code per lifetime. The lock is held while one is
 * fetched, so two sources never ask twice. */
typedef struct aws_shared {
    char *key;
    aws_credentials credentials;
    int64_t fetched_at;
} aws_shared;
static pthread_mutex_t aws_shared_lock = PTHREAD_MUTEX_INITIALIZER;
static aws_shared *aws_shared_list;
static size_t aws_shared_n, aws_shared_cap;

static char *aws_shared_key(const aws_link *l) {
    const char *parts[] = {l->profile,       l->role_arn,       l->external_id,
                           l->mfa_serial,    l->session_name,   l->token_file,
                           l->sso_start_url, l->sso_account_id, l->sso_role_name};
    strbuf b = {0};
    strbuf_printf(&b, "%d|%lld", (int)l->kind, (long long)l->duration_seconds);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        strbuf_printf(&b, "|%s", parts[i] ? parts[i] : "");
    return strbuf_take(&b);
}

static aws_shared *aws_shared_find(const char *key) {
    for (size_t i = 0; i < aws_shared_n; i++)
        if (strcmp(aws_shared_list[i].key, key) == 0)
            return &aws_shared_list[i];
    return NULL;
}

static void aws_shared_put(char *key, const aws_credentials *cr, int64_t fetched_at) {
    aws_shared *s = aws_shared_find(key);
    if (s) {
        free(key);
    } else {
        aws_shared_list =
            xgrow(aws_shared_list, &aws_shared_cap, aws_shared_n + 1, sizeof *aws_shared_list);
        s = &aws_shared_list[aws_shared_n++];
        *s = (aws_shared){.key = key};
    }
    aws_credentials_copy(&s->credentials, cr);
    s->fetched_at = fetched_at;
}

static aws_credentials *aws_link_credentials(aws_config *c, size_t i) {
    return i + 1 == c->chain->n ? &c->credentials : &c->chain->links[i].credentials;
}

/* The MFA code for a role link, or *error. */
static bool aws_link_mfa(const aws_config *c, const aws_link *l, char *code, size_t size,
                         char **error) {
    struct aws_chain *ch = c->chain;
    code[0] = '\0';
    if (!ch->mfa_code || !ch->mfa_code(ch->mfa_ctx, l->profile, l->mfa_serial, code, size)) {
        *error = xasprintf("profile %s needs an MFA code (mfa_serial %s): run the dashboard in a "
                           "terminal to type it",
                           l->profile, l->mfa_serial);
        return false;
    }
    size_t n = strlen(code);
    while (n > 0 && (code[n - 1] == '\n' || code[n - 1] == '\r' || code[n - 1] == ' '))
        code[--n] = '\0';
    if (n == 0) {
        *error = xasprintf("profile %s: no MFA code was typed for %s", l->profile, l->mfa_serial);
        return false;
    }
    return true;
}

/* The STS or SSO call of link i (the source already fresh for a role). */
static bool aws_link_call(aws_config *c, size_t i, int64_t now, aws_credentials *out,
                          char **error) {
    aws_link *l = &c->chain->links[i];
    if (l->kind == AWS_LINK_WEB_IDENTITY)
        return aws_sts_assume_role_with_web_identity(c, l->profile, l->role_arn, l->session_name,
                                                     l->token_file, l->duration_seconds, out,
                                                     error);
    if (l->kind == AWS_LINK_SSO) {
        aws_sso_profile p = {.profile = l->profile,
                             .session_name = l->sso_session,
                             .start_url = l->sso_start_url,
                             .region = l->sso_region,
                             .account_id = l->sso_account_id,
                             .role_name = l->sso_role_name};
        if (!aws_sso_credentials(&p, c->endpoint_sso, NULL, c->ca_bundle, now, out, error))
            return false;
        free(out->source);
        out->source = xasprintf("sso %s %s", l->sso_account_id, l->sso_role_name);
        return true;
    }
    char code[64];
    if (l->mfa_serial && !aws_link_mfa(c, l, code, sizeof code, error))
        return false;
    aws_assume_role q = {.profile = l->profile,
                         .role_arn = l->role_arn,
                         .session_name = l->session_name,
                         .external_id = l->external_id,
                         .mfa_serial = l->mfa_serial,
                         .mfa_code = l->mfa_serial ? code : NULL,
                         .duration_seconds = l->duration_seconds};
    bool ok = aws_sts_assume_role(c, aws_link_credentials(c, i - 1), &q, out, error);
    explicit_bzero(code, sizeof code);
    return ok;
}

/* Takes the shared credentials of `key` when fresh; under the lock. */
static bool aws_shared_take(const char *key, int64_t now, aws_credentials *got,
                            int64_t *fetched_at) {
    aws_shared *s = aws_shared_find(key);
    if (!s || !aws_fresh(&s->credentials, s->fetched_at, now))
        return false;
    aws_credentials_copy(got, &s->credentials);
    *fetched_at = s->fetched_at;
    return true;
}

static bool aws_link_fetch(aws_config *c, size_t i, int64_t now, char **error);

static bool aws_link_expire(aws_config *c, size_t i, const char *access_key_id);

/* An STS or SSO link: what another source fetched, else the call (a
 * role's source made fresh first). When STS refuses the source's
 * credentials as expired (a clock behind STS's), the source is renewed and
 * the call made once more. */
static bool aws_link_fetch_shared(aws_config *c, size_t i, int64_t now, char **error) {
    aws_link *l = &c->chain->links[i];
    char *key = aws_shared_key(l);
    aws_credentials got = {.expiration = -1};
    pthread_mutex_lock(&aws_shared_lock);
    bool ok = aws_shared_take(key, now, &got, &l->fetched_at);
    pthread_mutex_unlock(&aws_shared_lock);
    for (int round = 0; !ok && round < 2; round++) {
        if (l->kind == AWS_LINK_ROLE && !aws_link_fetch(c, i - 1, now, error))
            break;
        char *signer = NULL;
        pthread_mutex_lock(&aws_shared_lock);
        ok = aws_shared_take(key, now, &got, &l->fetched_at);
        if (!ok && (ok = aws_link_call(c, i, now, &got, error))) {
            l->fetched_at = now;
            aws_shared_put(key, &got, now);
            key = NULL;
        } else if (!ok && l->kind == AWS_LINK_ROLE && *error && strstr(*error, ": ExpiredToken")) {
            const char *k = aws_link_credentials(c, i - 1)->access_key_id;
            signer = k ? xstrdup(k) : NULL;
        }
        pthread_mutex_unlock(&aws_shared_lock);
        bool again = signer && aws_link_expire(c, i - 1, signer);
        free(signer);
        if (!again)
            break;
        free(*error);
        *error = NULL;
    }
    free(key);
    if (ok) {
        aws_credentials *cr = aws_link_credentials(c, i);
        aws_credentials_clear(cr);
        *cr = got;
        l->failed_at = 0;
    } else {
        aws_credentials_clear(&got);
        l->failed_at = now;
    }
    return ok;
}

/* Link i's credentials fresh (a role's source first). */
static bool aws_link_fetch(aws_config *c, size_t i, int64_t now, char **error) {
    aws_link *l = &c->chain->links[i];
    aws_credentials *cr = aws_link_credentials(c, i);
    if (aws_fresh(cr, l->fetched_at, now))
        return true;
    /* a call that just failed is not made again for every request while
     * the credentials in hand still work */
    if (l->failed_at && now - l->failed_at < 10 && cr->access_key_id && cr->expiration > now)
        return true;
    aws_credentials got = {.expiration = -1};
    char *why = NULL;
    bool ok = false;
    switch (l->kind) {
    case AWS_LINK_STATIC:
        *error = xasprintf("profile %s: no keys", l->profile ? l->profile : c->profile);
        return false;
    case AWS_LINK_ENVIRONMENT:
        ok = aws_credentials_environment(&got, &why);
        if (!ok)
            *error =
                xasprintf("profile %s: credential_source = Environment, but %s", l->profile, why);
        break;
    case AWS_LINK_PROCESS:
        ok = aws_credentials_process(l->process, &got, &why);
        if (!ok)
            *error = xasprintf("profile %s: %s", l->profile, why);
        break;
    case AWS_LINK_CONTAINER:
        ok = aws_credentials_container(&got, &why);
        if (!ok)
            *error = l->profile ? xasprintf("profile %s: credential_source = EcsContainer: %s",
                                            l->profile, why)
                                : xstrdup(why);
        break;
    case AWS_LINK_IMDS:
        ok = aws_credentials_imds(l->profile ? l->profile : c->profile, &got, &why);
        if (!ok)
            *error = l->profile
                         ? xasprintf("profile %s: credential_source = Ec2InstanceMetadata: %s",
                                     l->profile, why)
                         : xstrdup(why);
        break;
    case AWS_LINK_ROLE:
    case AWS_LINK_WEB_IDENTITY:
    case AWS_LINK_SSO: return aws_link_fetch_shared(c, i, now, error);
    }
    free(why);
    if (ok) {
        aws_credentials_clear(cr);
        *cr = got;
        l->fetched_at = now;
    }
    l->failed_at = ok ? 0 : now;
    return ok;
}

bool aws_config_refresh(aws_config *c, int64_t now, char **error) {
    if (!c->chain || c->chain->n == 0) {
        *error = xasprintf("no AWS credentials: set AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY, or use --profile");
        return false;
    }
    return aws_link_fetch(c, c->chain->n - 1, now, error);
}

/* Link i's credentials, when still those signed with `access_key_id`,
 * made stale (here and in the shared list) so that the next fetch renews
 * them; false when there is nothing to renew (keys given as they are, or
 * renewed since). */
static bool aws_link_expire(aws_config *c, size_t i, const char *access_key_id) {
    aws_link *l = &c->chain->links[i];
    if (l->kind == AWS_LINK_STATIC || l->kind == AWS_LINK_ENVIRONMENT)
        return false;
    aws_credentials *cr = aws_link_credentials(c, i);
    if (!cr->access_key_id || strcmp(cr->access_key_id, access_key_id) != 0)
        return false;
    cr->expiration = 0; /* aws_fresh: past */
    l->failed_at = 0;
    if (l->kind == AWS_LINK_ROLE || l->kind == AWS_LINK_WEB_IDENTITY || l->kind == AWS_LINK_SSO) {
        char *key = aws_shared_key(l);
        pthread_mutex_lock(&aws_shared_lock);
        aws_shared *s = aws_shared_find(key);
        if (s && s->credentials.access_key_id &&
            strcmp(s->credentials.access_key_id, access_key_id) == 0)
            s->credentials.expiration = 0;
        pthread_mutex_unlock(&aws_shared_lock);
        free(key);
    }
    return true;
}

void aws_config_expire(aws_config *c, const char *access_key_id) {
    if (c->chain && c->chain->n > 0 && access_key_id)
        aws_link_expire(c, c->chain->n - 1, access_key_id);
}
