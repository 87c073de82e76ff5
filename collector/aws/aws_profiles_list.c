/* aws_profiles_list.c: the profile names of the shared AWS files (see
 * aws_profiles_list.h), read with aws_ini_parse. */
#include "collector/aws/aws_profiles_list.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/aws/aws_config.h"
#include "common/fs.h"
#include "common/xalloc.h"

typedef struct aws_profiles_list_found {
    char **names;
    size_t n, cap;
    bool is_config;
} aws_profiles_list_found;

static void aws_profiles_list_add(aws_profiles_list_found *f, const char *name) {
    if (!*name)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return;
    if (f->n + 2 > f->cap) {
        f->cap = f->cap ? 2 * f->cap : 8;
        f->names = xrealloc(f->names, f->cap * sizeof *f->names);
    }
    f->names[f->n++] = xstrdup(name);
    f->names[f->n] = NULL;
}

/* Each section once, as a profile name or not. */
static bool aws_profiles_list_section(void *ctx, const char *section, const char *key,
                                      const char *value, int line) {
    (void)key;
    (void)value;
    (void)line;
    aws_profiles_list_found *f = ctx;
    if (!f->is_config) {
        aws_profiles_list_add(f, section);
    } else if (strcmp(section, "default") == 0) {
        aws_profiles_list_add(f, section);
    } else if (strncmp(section, "profile ", 8) == 0) {
        const char *name = section + 8;
        while (*name == ' ' || *name == '\t')
            name++;
        aws_profiles_list_add(f, name);
    }
    return true;
}

static int aws_profiles_list_order(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool aws_profiles_list(const char *config_text, const char *config_path,
                       const char *credentials_text, const char *credentials_path, char ***names,
                       size_t *n, char **error) {
    aws_profiles_list_found f = {0};
    bool ok = true;
    if (config_text) {
        f.is_config = true;
        ok = aws_ini_parse(config_text, config_path ? config_path : "config",
                           aws_profiles_list_section, &f, error);
    }
    if (ok && credentials_text) {
        f.is_config = false;
        ok = aws_ini_parse(credentials_text, credentials_path ? credentials_path : "credentials",
                           aws_profiles_list_section, &f, error);
    }
    if (!ok) {
        aws_profiles_list_free(f.names);
        return false;
    }
    if (!f.names) {
        f.names = xcalloc(1, sizeof *f.names);
    }
    qsort(f.names, f.n, sizeof *f.names, aws_profiles_list_order);
    *names = f.names;
    *n = f.n;
    return true;
}

/* $NAME, a leading ~ as $HOME, else ~/.aws/LEAF; NULL without a home. */
static char *aws_profiles_list_path(const char *env, const char *leaf) {
    const char *set = getenv(env);
    const char *home = getenv("HOME");
    if (set && *set)
        return set[0] == '~' ? xasprintf("%s%s", home ? home : "", set + 1) : xstrdup(set);
    return home ? xasprintf("%s/.aws/%s", home, leaf) : NULL;
}

/* The file's text, NULL when it does not exist; false on a read error. */
static bool aws_profiles_list_load(const char *path, char **text, char **error) {
    *text = NULL;
    if (!path || access(path, F_OK) != 0)
        return true;
    *text = fs_read_file(path, NULL, error);
    return *text != NULL;
}

bool aws_profiles_list_read(char ***names, size_t *n, char **error) {
    char *config_path = aws_profiles_list_path("AWS_CONFIG_FILE", "config");
    char *credentials_path = aws_profiles_list_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    char *config_text = NULL, *credentials_text = NULL;
    bool ok = aws_profiles_list_load(config_path, &config_text, error) &&
              aws_profiles_list_load(credentials_path, &credentials_text, error) &&
              aws_profiles_list(config_text, config_path, credentials_text, credentials_path, names,
                                n, error);
    if (credentials_text) /* it holds secret keys: wiped before it is freed */
        explicit_bzero(credentials_text, strlen(credentials_text));
    free(config_text);
    free(credentials_text);
    free(config_path);
    free(credentials_path);
    return ok;
}

void aws_profiles_list_free(char **names) {
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}
