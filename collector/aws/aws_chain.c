/* aws_chain.c: the credential chain built from the environment and the
 * profiles, in botocore's order (aws_chain.h, aws_config.h), and said in
 * words (its kind, its links). */
#include "collector/aws/aws_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector/aws/aws_credentials.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

static const char *aws_chain_env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static char *aws_chain_dup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

static void aws_link_free(aws_link *l) {
    char *fields[] = {l->profile,       l->process,    l->role_arn,       l->session_name,
                      l->external_id,   l->mfa_serial, l->token_file,     l->sso_session,
                      l->sso_start_url, l->sso_region, l->sso_account_id, l->sso_role_name};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        free(fields[i]);
    aws_credentials_clear(&l->credentials);
}

void aws_chain_free(struct aws_chain *ch) {
    if (!ch)
        return;
    for (size_t i = 0; i < ch->n; i++)
        aws_link_free(&ch->links[i]);
    free(ch->links);
    free(ch);
}

typedef struct aws_build {
    aws_config *config;
    const aws_profiles *profiles;
    bool explicit_profile;   /* options->profile: the environment's keys and web identity are out */
    const char *visited[64]; /* the profiles followed, for a cycle's message */
    size_t n_visited;
} aws_build;

static aws_link *aws_build_add(aws_build *b, aws_link_kind kind, const char *profile) {
    struct aws_chain *ch = b->config->chain;
    ch->links = xgrow(ch->links, &ch->cap, ch->n + 1, sizeof *ch->links);
    aws_link *l = &ch->links[ch->n++];
    *l = (aws_link){.kind = kind, .profile = aws_chain_dup(profile)};
    l->credentials.expiration = -1;
    return l;
}

static const char *aws_build_get(const aws_build *b, const char *profile, const char *key) {
    return aws_profiles_get(b->profiles, profile, key);
}

static bool aws_build_has_static(const aws_build *b, const char *profile) {
    return aws_build_get(b, profile, "aws_access_key_id") ||
           aws_build_get(b, profile, "aws_secret_access_key");
}

static bool aws_build_static(aws_build *b, const char *profile, char **error) {
    const char *key = aws_build_get(b, profile, "aws_access_key_id");
    const char *secret = aws_build_get(b, profile, "aws_secret_access_key");
    if (!key || !secret) {
        *error = xasprintf("profile \"%s\" has only one of aws_access_key_id and "
                           "aws_secret_access_key: add the other",
                           profile);
        return false;
    }
    aws_link *l = aws_build_add(b, AWS_LINK_STATIC, profile);
    l->credentials.access_key_id = xstrdup(key);
    l->credentials.secret_access_key = xstrdup(secret);
    l->credentials.session_token = aws_chain_dup(aws_build_get(b, profile, "aws_session_token"));
    l->credentials.source = xasprintf("profile %s", profile);
    aws_credentials_register(&l->credentials);
    return true;
}

static bool aws_build_duration(const aws_build *b, const char *profile, int64_t *out,
                               char **error) {
    const char *text = aws_build_get(b, profile, "duration_seconds");
    *out = 0;
    if (!text)
        return true;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || end == text || v < 900 || v > 43200) {
        *error = xasprintf("profile %s: duration_seconds \"%s\" is not a number of seconds from "
                           "900 to 43200",
                           profile, text);
        return false;
    }
    *out = v;
    return true;
}

/* SSO: sso_session (its [sso-session] section) or the legacy settings. 1
 * when the profile is one, 0 when not, -1 with *error. */
static int aws_build_sso(aws_build *b, const char *profile, char **error) {
    static const char *const keys[] = {"sso_start_url", "sso_region", "sso_account_id",
                                       "sso_role_name"};
    const char *session = aws_build_get(b, profile, "sso_session");
    bool any = session != NULL;
    for (size_t i = 0; i < 4; i++)
        any = any || aws_build_get(b, profile, keys[i]);
    if (!any)
        return 0;
    if (session && !aws_profiles_has_sso_session(b->profiles, session)) {
        *error = xasprintf("profile %s: sso_session \"%s\" has no [sso-session %s] section in %s",
                           profile, session, session, aws_profiles_where(b->profiles));
        return -1;
    }
    const char *values[4];
    strbuf missing = {0};
    for (size_t i = 0; i < 4; i++) {
        values[i] = aws_build_get(b, profile, keys[i]);
        if (!values[i] && session && i < 2)
            values[i] = aws_profiles_sso_session_get(b->profiles, session, keys[i]);
        if (!values[i])
            strbuf_printf(&missing, "%s%s", missing.length ? ", " : "", keys[i]);
    }
    if (missing.length) {
        *error = xasprintf("profile %s uses SSO but has no %s: add %s, or run `aws configure "
                           "sso --profile %s`",
                           profile, missing.data, missing.data, profile);
        strbuf_free(&missing);
        return -1;
    }
    aws_link *l = aws_build_add(b, AWS_LINK_SSO, profile);
    l->sso_session = aws_chain_dup(session);
    l->sso_start_url = xstrdup(values[0]);
    l->sso_region = xstrdup(values[1]);
    l->sso_account_id = xstrdup(values[2]);
    l->sso_role_name = xstrdup(values[3]);
    return 1;
}

/* A profile's own providers, in botocore's order: web identity, SSO, the
 * credentials file's keys, credential_process, the config file's keys;
 * `environment`: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE and
 * AWS_ROLE_SESSION_NAME count (the top profile, none given explicitly).
 * 1 when one is there, 0 when none, -1 with *error. */
static int aws_build_providers(aws_build *b, const char *profile, bool environment, char **error) {
    const char *token_file = environment ? aws_chain_env("AWS_WEB_IDENTITY_TOKEN_FILE") : NULL;
    if (!token_file)
        token_file = aws_build_get(b, profile, "web_identity_token_file");
    if (token_file) {
        const char *role = environment ? aws_chain_env("AWS_ROLE_ARN") : NULL;
        if (!role)
            role = aws_build_get(b, profile, "role_arn");
        if (!role) {
            *error = xasprintf("profile %s: a web identity token file (%s) but no role: set "
                               "AWS_ROLE_ARN or role_arn",
                               profile, token_file);
            return -1;
        }
        const char *session = environment ? aws_chain_env("AWS_ROLE_SESSION_NAME") : NULL;
        if (!session)
            session = aws_build_get(b, profile, "role_session_name");
        int64_t duration;
        if (!aws_build_duration(b, profile, &duration, error))
            return -1;
        aws_link *l = aws_build_add(b, AWS_LINK_WEB_IDENTITY, profile);
        l->role_arn = xstrdup(role);
        l->token_file = xstrdup(token_file);
        l->session_name = aws_chain_dup(session);
        l->duration_seconds = duration;
        return 1;
    }
    int sso = aws_build_sso(b, profile, error);
    if (sso != 0)
        return sso;
    bool in_credentials_file =
        aws_profiles_get_credentials_file(b->profiles, profile, "aws_access_key_id") ||
        aws_profiles_get_credentials_file(b->profiles, profile, "aws_secret_access_key");
    const char *process = aws_build_get(b, profile, "credential_process");
    if (aws_build_has_static(b, profile) && (in_credentials_file || !process))
        return aws_build_static(b, profile, error) ? 1 : -1;
    if (process) {
        aws_link *l = aws_build_add(b, AWS_LINK_PROCESS, profile);
        l->process = xstrdup(process);
        return 1;
    }
    return 0;
}

static bool aws_build_has_role(const aws_build *b, const char *profile) {
    return aws_build_get(b, profile, "role_arn") &&
           !aws_build_get(b, profile, "web_identity_token_file");
}

static bool aws_build_role(aws_build *b, const char *profile, char **error);

/* The credentials `profile`'s role is assumed with. */
static bool aws_build_source(aws_build *b, const char *profile, char **error) {
    const char *source = aws_build_get(b, profile, "source_profile");
    const char *credential_source = aws_build_get(b, profile, "credential_source");
    if (source && credential_source) {
        *error = xasprintf("profile %s has both source_profile and credential_source: keep one",
                           profile);
        return false;
    }
    if (credential_source) {
        static const struct {
            const char *name;
            aws_link_kind kind;
        } sources[] = {{"Environment", AWS_LINK_ENVIRONMENT},
                       {"Ec2InstanceMetadata", AWS_LINK_IMDS},
                       {"EcsContainer", AWS_LINK_CONTAINER}};
        for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
            if (strcmp(credential_source, sources[i].name) != 0)
                continue;
            /* the environment is known now (botocore checks it here too) */
            if (sources[i].kind == AWS_LINK_ENVIRONMENT &&
                !(aws_chain_env("AWS_ACCESS_KEY_ID") && aws_chain_env("AWS_SECRET_ACCESS_KEY"))) {
                *error = xasprintf("profile %s: credential_source = Environment, but "
                                   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set",
                                   profile);
                return false;
            }
            aws_build_add(b, sources[i].kind, profile);
            return true;
        }
        *error = xasprintf("profile %s: credential_source \"%s\" is not Environment, "
                           "Ec2InstanceMetadata or EcsContainer",
                           profile, credential_source);
        return false;
    }
    if (!source) {
        *error = xasprintf("profile %s has role_arn but no source_profile, credential_source or "
                           "web_identity_token_file: add one",
                           profile);
        return false;
    }
    if (!aws_profiles_has(b->profiles, source)) {
        *error = xasprintf("profile %s: its source_profile \"%s\" is not in %s", profile, source,
                           aws_profiles_where(b->profiles));
        return false;
    }
    bool seen = false;
    for (size_t i = 0; i < b->n_visited && !seen; i++)
        seen = strcmp(b->visited[i], source) == 0;
    /* a profile may name itself, for its own static keys */
    bool itself = strcmp(source, profile) == 0 && aws_build_has_static(b, source);
    if ((seen && !itself) || b->n_visited == sizeof b->visited / sizeof b->visited[0]) {
        strbuf path = {0};
        for (size_t i = 0; i < b->n_visited; i++)
            strbuf_printf(&path, "%s -> ", b->visited[i]);
        strbuf_puts(&path, source);
        *error = xasprintf("profile %s: its source_profile chain is a cycle (%s): end it with "
                           "a profile that has keys",
                           b->visited[0], path.data);
        strbuf_free(&path);
        return false;
    }
    if (itself || aws_build_has_static(b, source) || !aws_build_has_role(b, source)) {
        int found = aws_build_providers(b, source, false, error);
        if (found == 0)
            *error = xasprintf("profile %s: its source_profile \"%s\" has no credentials (keys, "
                               "a role, SSO or credential_process)",
                               profile, source);
        return found == 1;
    }
    return aws_build_role(b, source, error);
}

/* `profile`'s role on top of its source's chain. */
static bool aws_build_role(aws_build *b, const char *profile, char **error) {
    b->visited[b->n_visited++] = profile;
    int64_t duration;
    if (!aws_build_duration(b, profile, &duration, error) || !aws_build_source(b, profile, error))
        return false;
    aws_link *l = aws_build_add(b, AWS_LINK_ROLE, profile);
    l->role_arn = xstrdup(aws_build_get(b, profile, "role_arn"));
    l->session_name = aws_chain_dup(aws_build_get(b, profile, "role_session_name"));
    l->external_id = aws_chain_dup(aws_build_get(b, profile, "external_id"));
    l->mfa_serial = aws_chain_dup(aws_build_get(b, profile, "mfa_serial"));
    l->duration_seconds = duration;
    return true;
}

bool aws_chain_build(aws_config *c, const aws_profiles *profiles, bool explicit_profile,
                     char **error) {
    aws_build state = {.config = c, .profiles = profiles, .explicit_profile = explicit_profile};
    aws_build *b = &state;
    const char *profile = c->profile;
    if (!b->explicit_profile && aws_chain_env("AWS_ACCESS_KEY_ID") &&
        aws_chain_env("AWS_SECRET_ACCESS_KEY")) {
        aws_link *l = aws_build_add(b, AWS_LINK_STATIC, NULL);
        char *why = NULL;
        aws_credentials_environment(&l->credentials, &why);
        free(why);
        return true;
    }
    if (aws_build_has_role(b, profile))
        return aws_build_role(b, profile, error);
    int found = aws_build_providers(b, profile, !b->explicit_profile, error);
    if (found != 0)
        return found == 1;
    if (aws_chain_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
        aws_chain_env("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
        aws_build_add(b, AWS_LINK_CONTAINER, NULL);
    else if (!(aws_chain_env("AWS_EC2_METADATA_DISABLED") &&
               strcasecmp(aws_chain_env("AWS_EC2_METADATA_DISABLED"), "true") == 0))
        aws_build_add(b, AWS_LINK_IMDS, NULL);
    return true;
}

/* ---- words ---------------------------------------------------------------- */

const char *aws_config_credential_method(const aws_config *c) {
    if (!c->chain || c->chain->n == 0)
        return "none";
    const aws_link *top = &c->chain->links[c->chain->n - 1];
    switch (top->kind) {
    case AWS_LINK_STATIC: return top->profile ? "profile" : "environment";
    case AWS_LINK_ENVIRONMENT: return "environment";
    case AWS_LINK_PROCESS: return "process";
    case AWS_LINK_CONTAINER: return "container";
    case AWS_LINK_IMDS: return "instance";
    case AWS_LINK_WEB_IDENTITY: return "web-identity";
    case AWS_LINK_SSO: return "sso";
    case AWS_LINK_ROLE: return "assume-role";
    }
    return "none";
}

char *aws_config_chain_text(const aws_config *c) {
    strbuf b = {0};
    for (size_t k = c->chain ? c->chain->n : 0; k > 0; k--) {
        const aws_link *l = &c->chain->links[k - 1];
        if (b.length)
            strbuf_puts(&b, " <- ");
        switch (l->kind) {
        case AWS_LINK_STATIC:
            if (l->profile)
                strbuf_printf(&b, "profile %s (static keys)", l->profile);
            else
                strbuf_puts(&b, "environment (static keys)");
            break;
        case AWS_LINK_ENVIRONMENT:
            strbuf_printf(&b, "environment (credential_source of profile %s)", l->profile);
            break;
        case AWS_LINK_PROCESS:
            strbuf_printf(&b, "profile %s (credential_process)", l->profile);
            break;
        case AWS_LINK_CONTAINER: strbuf_puts(&b, "container credentials"); break;
        case AWS_LINK_IMDS: strbuf_puts(&b, "instance metadata"); break;
        case AWS_LINK_WEB_IDENTITY:
            strbuf_printf(&b, "web-identity %s (profile %s, token %s)", l->role_arn, l->profile,
                          l->token_file);
            break;
        case AWS_LINK_SSO:
            strbuf_printf(&b, "sso %s %s (profile %s)", l->sso_account_id, l->sso_role_name,
                          l->profile);
            break;
        case AWS_LINK_ROLE:
            strbuf_printf(&b, "assume-role %s (profile %s%s%s)", l->role_arn, l->profile,
                          l->mfa_serial ? ", MFA" : "", l->external_id ? ", external_id" : "");
            break;
        }
    }
    if (!b.length)
        strbuf_puts(&b, "none");
    return strbuf_take(&b);
}
