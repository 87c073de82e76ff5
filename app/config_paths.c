/* config_paths.c: where laketop's own files are (see config_paths.h). */
#include "app/config_paths.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/fs.h"
#include "common/xalloc.h"

char *config_default_path(void) {
    return fs_xdg_laketop("CONFIG", "config");
}

char *config_aws_history_path(const char *source_name) {
    char safe[48];
    size_t n = 0;
    for (const char *p = source_name; *p && *p != ' ' && n < 40; p++)
        safe[n++] =
            (char)(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '@' ? *p : '_');
    safe[n] = '\0';
    char *leaf =
        xasprintf("aws/%s-%016llx/history.tsv", safe, (unsigned long long)hash_fnv1a(source_name));
    char *path = fs_xdg_laketop("STATE", leaf);
    free(leaf);
    return path;
}

char *config_incremental_path(const char *history_path) {
    const char *slash = strrchr(history_path, '/');
    return slash ? xasprintf("%.*s/incremental.tsv", (int)(slash - history_path), history_path)
                 : xstrdup("incremental.tsv");
}

char *config_history_path(const char *lake_dir) {
    char *own = fs_join(lake_dir, ".laketop");
    if (fs_is_dir(own)) {
        char *path = fs_join(own, "history.tsv");
        free(own);
        return path;
    }
    free(own);
    char resolved[PATH_MAX];
    const char *key = realpath(lake_dir, resolved) ? resolved : lake_dir;
    /* A readable name plus a hash of the full path keeps lakes apart. */
    const char *slash = strrchr(key, '/');
    const char *name = slash && slash[1] ? slash + 1 : "lake";
    char *leaf =
        xasprintf("lakes/%.40s-%016llx/history.tsv", name, (unsigned long long)hash_fnv1a(key));
    char *path = fs_xdg_laketop("STATE", leaf);
    free(leaf);
    return path;
}
