/* local_formats.c: files of the local lake for collector/formats/
 * (local_formats.h). */
#include "collector/local/local_formats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

/* "a//b/./c/../d" -> "a/b/d", in place (the path is absolute). */
static void local_formats_normalize(char *path) {
    char *out = path;
    const char *in = path;
    while (*in) {
        if (*in == '/') {
            while (*in == '/')
                in++;
            if (in[0] == '.' && (in[1] == '/' || in[1] == '\0')) {
                in++;
                continue;
            }
            if (in[0] == '.' && in[1] == '.' && (in[2] == '/' || in[2] == '\0')) {
                in += 2;
                while (out > path && *--out != '/')
                    ;
                continue;
            }
            *out++ = '/';
            continue;
        }
        *out++ = *in++;
    }
    if (out == path)
        *out++ = '/';
    else if (out > path + 1 && out[-1] == '/')
        out--;
    *out = '\0';
}

char *local_formats_canonical(const char *lake_dir, const char *address) {
    if (!address || !*address)
        return NULL;
    char *path;
    if (strncmp(address, "file://", 7) == 0)
        path = xstrdup(address + 7);
    else if (strncmp(address, "file:/", 6) == 0) /* Spark's file:/path */
        path = xstrdup(address + 5);
    else if (strstr(address, "://"))
        return NULL;
    else if (address[0] == '/')
        path = xstrdup(address);
    else
        path = fs_join(lake_dir, address);
    if (path[0] != '/') { /* a lake given as a relative path */
        char *cwd = getcwd(NULL, 0);
        char *whole = fs_join(cwd ? cwd : "/", path);
        free(cwd);
        free(path);
        path = whole;
    }
    local_formats_normalize(path);
    return path;
}

static char *local_formats_canonical_io(void *ctx, const char *address) {
    return local_formats_canonical(ctx, address);
}

static bool local_formats_read(void *ctx, const char *address, char **data, size_t *length,
                               char **error) {
    char *path = local_formats_canonical(ctx, address);
    if (!path) {
        *error = xasprintf("%s is not on the local lake", address);
        return false;
    }
    char *why = NULL;
    *data = fs_read_file(path, length, &why);
    free(path);
    if (!*data) {
        *error = why ? why : xasprintf("cannot read %s", address);
        return false;
    }
    free(why);
    return true;
}

typedef struct local_formats_list {
    object_entry *entries;
    size_t n, cap;
    char *error;
} local_formats_list;

/* Every regular file below `dirfd` (closed here), keys `prefix` + name. */
static void local_formats_walk(local_formats_list *l, int dirfd, const char *prefix,
                               const char *path) {
    DIR *d = fdopendir(dirfd);
    if (!d) {
        if (!l->error)
            l->error = xasprintf("cannot read %s: %s", path, strerror(errno));
        close(dirfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* vanished */
        char *key = xasprintf("%s%s", prefix, e->d_name);
        if (S_ISDIR(st.st_mode)) {
            int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            char *sub = fs_join(path, e->d_name);
            if (fd < 0) {
                if (!l->error)
                    l->error = xasprintf("cannot read %s: %s", sub, strerror(errno));
            } else {
                char *sub_prefix = xasprintf("%s/", key);
                local_formats_walk(l, fd, sub_prefix, sub);
                free(sub_prefix);
            }
            free(sub);
            free(key);
        } else if (S_ISREG(st.st_mode)) {
            l->entries = xgrow(l->entries, &l->cap, l->n + 1, sizeof *l->entries);
            l->entries[l->n++] =
                (object_entry){.key = key, .size = st.st_size, .mtime = st.st_mtime, .etag = NULL};
        } else {
            free(key); /* symlinks and the rest: not followed, not objects */
        }
    }
    closedir(d);
}

static int local_formats_by_key(const void *a, const void *b) {
    return strcmp(((const object_entry *)a)->key, ((const object_entry *)b)->key);
}

static bool local_formats_list_io(void *ctx, const char *location, object_entry **entries,
                                  size_t *n, char **error) {
    char *dir = local_formats_canonical(ctx, location);
    if (!dir) {
        *error = xasprintf("location %s is not on the local lake", location);
        return false;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *error = errno == ENOENT ? xasprintf("location %s does not exist", dir)
                                 : xasprintf("cannot read %s: %s", dir, strerror(errno));
        free(dir);
        return false;
    }
    local_formats_list l = {0};
    local_formats_walk(&l, fd, "", dir);
    free(dir);
    if (l.error) {
        object_entries_free(l.entries, l.n);
        *error = l.error;
        return false;
    }
    if (l.n > 1)
        qsort(l.entries, l.n, sizeof *l.entries, local_formats_by_key);
    *entries = l.entries;
    *n = l.n;
    return true;
}

void local_formats_io(formats_io *io, const char *lake_dir) {
    *io = (formats_io){.ctx = (void *)lake_dir,
                       .read = local_formats_read,
                       .list = local_formats_list_io,
                       .canonical = local_formats_canonical_io};
}
