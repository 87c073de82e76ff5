/* aws_profile.c: the shared credentials and config files (aws_profile.h):
 * the INI syntax, then every section kept with its settings. */
#include "collector/aws/aws_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

static char *aws_profile_trim(char *s) {
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
        char *s = aws_profile_trim(line);
        if (!*s || *s == '#' || *s == ';') {
            line = next;
            continue;
        }
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || aws_profile_trim(close + 1)[0] != '\0') {
                *error = xasprintf("%s:%d: a section header must be [name]", path, lineno);
                ok = false;
                break;
            }
            *close = '\0';
            snprintf(section, sizeof section, "%s", aws_profile_trim(s + 1));
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
            char *key = aws_profile_trim(s), *value = aws_profile_trim(eq + 1);
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
    explicit_bzero(copy, strlen(text));
    free(copy);
    return ok;
}

/* ---- the sections ------------------------------------------------------- */

typedef enum { AWS_SECTION_PROFILE, AWS_SECTION_SSO_SESSION } aws_section_kind;

typedef struct aws_setting {
    char *key;
    char *value;
} aws_setting;

typedef struct aws_section {
    aws_section_kind kind;
    bool credentials_file;
    char *name;
    aws_setting *settings;
    size_t n_settings, cap_settings;
} aws_section;

struct aws_profiles {
    aws_section *sections;
    size_t n_sections, cap_sections;
    char **names; /* the profiles, each once */
    size_t n_names, cap_names;
    char *where;
};

/* What a header names in the file: botocore's rules. The credentials
 * file's sections are profiles as written; the config file's are
 * "default", "profile NAME" or "sso-session NAME" (anything else, such as
 * "services NAME", is not a profile). False for those left out. */
static bool aws_profile_section_name(const char *header, bool credentials_file,
                                     aws_section_kind *kind, char **name) {
    *kind = AWS_SECTION_PROFILE;
    if (credentials_file) {
        *name = xstrdup(header);
        return true;
    }
    if (strcmp(header, "default") == 0) {
        *name = xstrdup("default");
        return true;
    }
    static const struct {
        const char *prefix;
        aws_section_kind kind;
    } prefixes[] = {{"profile", AWS_SECTION_PROFILE}, {"sso-session", AWS_SECTION_SSO_SESSION}};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (strncmp(header, prefixes[i].prefix, n) == 0 &&
            (header[n] == ' ' || header[n] == '\t')) {
            char *copy = xstrdup(header + n);
            char *trimmed = aws_profile_trim(copy);
            bool ok = *trimmed != '\0';
            if (ok) {
                *kind = prefixes[i].kind;
                *name = xstrdup(trimmed);
            }
            free(copy);
            return ok;
        }
    }
    return false;
}

static aws_section *aws_profile_section(aws_profiles *p, aws_section_kind kind,
                                        bool credentials_file, const char *name) {
    for (size_t i = 0; i < p->n_sections; i++) {
        aws_section *s = &p->sections[i];
        if (s->kind == kind && s->credentials_file == credentials_file &&
            strcmp(s->name, name) == 0)
            return s;
    }
    p->sections = xgrow(p->sections, &p->cap_sections, p->n_sections + 1, sizeof *p->sections);
    aws_section *s = &p->sections[p->n_sections++];
    *s = (aws_section){.kind = kind, .credentials_file = credentials_file, .name = xstrdup(name)};
    if (kind == AWS_SECTION_PROFILE) {
        bool known = false;
        for (size_t i = 0; i < p->n_names && !known; i++)
            known = strcmp(p->names[i], name) == 0;
        if (!known) {
            p->names = xgrow(p->names, &p->cap_names, p->n_names + 1, sizeof *p->names);
            p->names[p->n_names++] = xstrdup(name);
        }
    }
    return s;
}

typedef struct aws_profile_reading {
    aws_profiles *profiles;
    bool credentials_file;
} aws_profile_reading;

static bool aws_profile_value(void *ctx, const char *header, const char *key, const char *value,
                              int line) {
    (void)line;
    aws_profile_reading *r = ctx;
    aws_section_kind kind;
    char *name;
    if (!aws_profile_section_name(header, r->credentials_file, &kind, &name))
        return true;
    aws_section *s = aws_profile_section(r->profiles, kind, r->credentials_file, name);
    free(name);
    for (size_t i = 0; i < s->n_settings; i++) {
        if (strcmp(s->settings[i].key, key) == 0) { /* the later one wins */
            explicit_bzero(s->settings[i].value, strlen(s->settings[i].value));
            free(s->settings[i].value);
            s->settings[i].value = xstrdup(value);
            return true;
        }
    }
    s->settings = xgrow(s->settings, &s->cap_settings, s->n_settings + 1, sizeof *s->settings);
    s->settings[s->n_settings++] = (aws_setting){xstrdup(key), xstrdup(value)};
    return true;
}

/* Reads one file; a missing one is fine. */
static bool aws_profile_read(aws_profiles *p, const char *path, bool credentials_file,
                             char **error) {
    if (!path || access(path, F_OK) != 0)
        return true;
    char *text = fs_read_file(path, NULL, error);
    if (!text)
        return false;
    aws_profile_reading r = {.profiles = p, .credentials_file = credentials_file};
    bool ok = aws_ini_parse(text, path, aws_profile_value, &r, error);
    explicit_bzero(text, strlen(text));
    free(text);
    return ok;
}

aws_profiles *aws_profiles_load(const char *credentials_path, const char *config_path,
                                char **error) {
    aws_profiles *p = xcalloc(1, sizeof *p);
    p->where = xasprintf("%s or %s", credentials_path ? credentials_path : "~/.aws/credentials",
                         config_path ? config_path : "~/.aws/config");
    if (!aws_profile_read(p, credentials_path, true, error) ||
        !aws_profile_read(p, config_path, false, error)) {
        aws_profiles_free(p);
        return NULL;
    }
    return p;
}

void aws_profiles_free(aws_profiles *p) {
    if (!p)
        return;
    for (size_t i = 0; i < p->n_sections; i++) {
        aws_section *s = &p->sections[i];
        for (size_t j = 0; j < s->n_settings; j++) {
            explicit_bzero(s->settings[j].value, strlen(s->settings[j].value));
            free(s->settings[j].key);
            free(s->settings[j].value);
        }
        free(s->settings);
        free(s->name);
    }
    free(p->sections);
    for (size_t i = 0; i < p->n_names; i++)
        free(p->names[i]);
    free(p->names);
    free(p->where);
    free(p);
}

static const aws_section *aws_profile_find(const aws_profiles *p, aws_section_kind kind,
                                           bool credentials_file, const char *name) {
    for (size_t i = 0; p && name && i < p->n_sections; i++) {
        const aws_section *s = &p->sections[i];
        if (s->kind == kind && s->credentials_file == credentials_file &&
            strcmp(s->name, name) == 0)
            return s;
    }
    return NULL;
}

static const char *aws_profile_setting(const aws_section *s, const char *key) {
    for (size_t i = 0; s && i < s->n_settings; i++)
        if (strcmp(s->settings[i].key, key) == 0)
            return s->settings[i].value;
    return NULL;
}

bool aws_profiles_has(const aws_profiles *p, const char *profile) {
    return aws_profile_find(p, AWS_SECTION_PROFILE, true, profile) ||
           aws_profile_find(p, AWS_SECTION_PROFILE, false, profile);
}

const char *aws_profiles_get_credentials_file(const aws_profiles *p, const char *profile,
                                              const char *key) {
    return aws_profile_setting(aws_profile_find(p, AWS_SECTION_PROFILE, true, profile), key);
}

const char *aws_profiles_get(const aws_profiles *p, const char *profile, const char *key) {
    const char *v = aws_profiles_get_credentials_file(p, profile, key);
    return v ? v
             : aws_profile_setting(aws_profile_find(p, AWS_SECTION_PROFILE, false, profile), key);
}

bool aws_profiles_has_sso_session(const aws_profiles *p, const char *session) {
    return aws_profile_find(p, AWS_SECTION_SSO_SESSION, false, session) != NULL;
}

const char *aws_profiles_sso_session_get(const aws_profiles *p, const char *session,
                                         const char *key) {
    return aws_profile_setting(aws_profile_find(p, AWS_SECTION_SSO_SESSION, false, session), key);
}

size_t aws_profiles_count(const aws_profiles *p) {
    return p ? p->n_names : 0;
}

const char *aws_profiles_name(const aws_profiles *p, size_t i) {
    return p && i < p->n_names ? p->names[i] : NULL;
}

const char *aws_profiles_where(const aws_profiles *p) {
    return p->where;
}
