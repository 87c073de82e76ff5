/* history_recent.c: the recent history beside the history file (see the
 * header): its path, its stamp of the history it was cut from, writing and
 * loading it. */
#include "collector/figures/history_recent.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/xalloc.h"

#define HISTORY_RECENT_STAMP "recent part of"

char *history_recent_path(const char *history_path) {
    size_t n = strlen(history_path);
    if (n > 4 && strcmp(history_path + n - 4, ".tsv") == 0)
        return xasprintf("%.*s.recent.tsv", (int)(n - 4), history_path);
    return xasprintf("%s.recent", history_path);
}

/* The stamp of the history file as it is now, or NULL when it cannot be
 * read. */
static char *history_recent_stamp(const char *history_path) {
    struct stat st;
    if (stat(history_path, &st) != 0)
        return NULL;
    return xasprintf("%s inode %ju size %jd mtime %jd.%09ld", HISTORY_RECENT_STAMP,
                     (uintmax_t)st.st_ino, (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
                     (long)st.st_mtim.tv_nsec);
}

bool history_recent_save(const history_store *store, const char *history_path, char **error) {
    char *stamp = history_recent_stamp(history_path);
    if (!stamp) {
        *error = xasprintf("%s: cannot read it back to stamp its recent part", history_path);
        return false;
    }
    char *path = history_recent_path(history_path);
    bool ok = history_store_save_part(store, path, HISTORY_RECENT_DAYS, HISTORY_RECENT_SAMPLES,
                                      stamp, error);
    free(path);
    free(stamp);
    return ok;
}

/* Whether the recent file's stamp line is the history's stamp now. */
static bool history_recent_matches(const char *path, const char *history_path) {
    FILE *fp = fopen(path, "r");
    if (!fp)
        return false;
    char header[64], stamp[256];
    bool read = fgets(header, sizeof header, fp) && fgets(stamp, sizeof stamp, fp);
    fclose(fp);
    if (!read)
        return false;
    char *now = history_recent_stamp(history_path);
    bool same = false;
    if (now) {
        size_t n = strlen(now);
        same = strcmp(header, HISTORY_HEADER "\n") == 0 && strncmp(stamp, "# ", 2) == 0 &&
               strncmp(stamp + 2, now, n) == 0 && strcmp(stamp + 2 + n, "\n") == 0;
    }
    free(now);
    return same;
}

bool history_recent_load(history_store *store, const char *history_path, int32_t last_day) {
    char *path = history_recent_path(history_path);
    bool ok = history_recent_matches(path, history_path);
    if (ok) {
        history_refused refused;
        char *error = NULL;
        ok = history_store_load(store, path, last_day, &refused, &error) &&
             refused.bad_lines == 0 && history_store_samples(store) > 0;
        free(error);
    }
    free(path);
    return ok;
}
