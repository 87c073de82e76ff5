/* fs.c: whole-file reads, atomic writes and directory helpers. */
#include "common/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xalloc.h"

char *fs_read_file(const char *path, size_t *length, char **error) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 4097 : 4096;
    size_t len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        buf = xgrow(buf, &cap, len + 4096, 1);
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *error = xasprintf("%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    buf[len] = '\0';
    if (length)
        *length = len;
    return buf;
}

bool fs_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_mkdirs(const char *path, char **error) {
    char *copy = xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            *error = xasprintf("%s: %s", copy, strerror(errno));
            free(copy);
            return false;
        }
        *p = '/';
    }
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
        *error = xasprintf("%s: %s", copy, strerror(errno));
        free(copy);
        return false;
    }
    free(copy);
    if (!fs_is_dir(path)) {
        *error = xasprintf("%s: not a directory", path);
        return false;
    }
    return true;
}

char *fs_join(const char *dir, const char *name) {
    size_t len = strlen(dir);
    if (len > 0 && dir[len - 1] == '/')
        return xasprintf("%s%s", dir, name);
    return xasprintf("%s/%s", dir, name);
}

static void fs_atomic_free(fs_atomic *a) {
    free(a->path);
    free(a->tmp);
    free(a->dir);
    memset(a, 0, sizeof *a);
}

bool fs_atomic_begin(fs_atomic *a, const char *path, char **error) {
    memset(a, 0, sizeof *a);
    char *dircopy = xstrdup(path);
    a->dir = xstrdup(dirname(dircopy));
    free(dircopy);
    if (!fs_mkdirs(a->dir, error)) {
        fs_atomic_free(a);
        return false;
    }
    a->path = xstrdup(path);
    a->tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    int fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    a->fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!a->fp) {
        *error = xasprintf("%s: cannot create: %s", a->tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(a->tmp);
        fs_atomic_free(a);
        return false;
    }
    return true;
}

void fs_atomic_abort(fs_atomic *a) {
    if (a->fp)
        fclose(a->fp);
    if (a->tmp)
        unlink(a->tmp);
    fs_atomic_free(a);
}

bool fs_atomic_commit(fs_atomic *a, char **error) {
    const char *what = NULL;
    if (ferror(a->fp) || fflush(a->fp) != 0)
        what = "write";
    else if (fsync(fileno(a->fp)) != 0)
        what = "fsync";
    int saved = errno;
    if (fclose(a->fp) != 0 && !what) {
        what = "close";
        saved = errno;
    }
    a->fp = NULL;
    if (!what && rename(a->tmp, a->path) != 0) {
        what = "rename";
        saved = errno;
    }
    if (what) {
        *error = xasprintf("%s: cannot %s: %s", a->path, what, strerror(saved));
        unlink(a->tmp);
        fs_atomic_free(a);
        return false;
    }
    int dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    fs_atomic_free(a);
    return true;
}

bool fs_write_atomic(const char *path, const void *data, size_t length, char **error) {
    fs_atomic a;
    if (!fs_atomic_begin(&a, path, error))
        return false;
    fwrite(data, 1, length, a.fp);
    return fs_atomic_commit(&a, error);
}

char *fs_xdg_home(const char *kind) {
    char var[32];
    snprintf(var, sizeof var, "XDG_%s_HOME", kind);
    const char *value = getenv(var);
    if (value && value[0] == '/')
        return xstrdup(value);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    if (strcmp(kind, "CONFIG") == 0)
        return xasprintf("%s/.config", home);
    if (strcmp(kind, "DATA") == 0)
        return xasprintf("%s/.local/share", home);
    if (strcmp(kind, "STATE") == 0)
        return xasprintf("%s/.local/state", home);
    if (strcmp(kind, "CACHE") == 0)
        return xasprintf("%s/.cache", home);
    return NULL;
}

void fs_remove_tree(const char *path) {
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *sub = fs_join(path, e->d_name);
            if (fs_is_dir(sub))
                fs_remove_tree(sub);
            else
                unlink(sub);
            free(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

char *fs_xdg_laketop(const char *kind, const char *leaf) {
    char *base = fs_xdg_home(kind);
    if (!base)
        return NULL;
    char *path = xasprintf("%s/laketop/%s", base, leaf);
    free(base);
    return path;
}
