/* fs.h: small file-system helpers shared by the collector and the app:
 * whole-file reads, atomic replacement, recursive mkdir, XDG directories. */
#ifndef LAKETOP_FS_H
#define LAKETOP_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Reads a whole file; NUL-terminated. NULL with *error set on failure. */
char *fs_read_file(const char *path, size_t *length, char **error);
/* Writes `data` to a temp file beside `path`, fsyncs it, renames it over
 * `path` and fsyncs the directory. Parent directories are created. Never
 * leaves `path` half-written. */
bool fs_write_atomic(const char *path, const void *data, size_t length, char **error);
/* The same, streamed: fs_atomic_begin opens a temp file beside `path`;
 * fs_atomic_commit flushes, fsyncs, renames it over `path` and fsyncs the
 * directory (or, on any earlier write error, removes it and fails);
 * fs_atomic_abort removes it. */
typedef struct fs_atomic {
    FILE *fp;
    char *path;
    char *tmp;
    char *dir;
} fs_atomic;
bool fs_atomic_begin(fs_atomic *a, const char *path, char **error);
bool fs_atomic_commit(fs_atomic *a, char **error);
void fs_atomic_abort(fs_atomic *a);
/* mkdir -p; true when the directory exists afterwards. */
bool fs_mkdirs(const char *path, char **error);
/* "a" + "/" + "b" without doubling the slash. */
char *fs_join(const char *dir, const char *name);
bool fs_is_dir(const char *path);
/* Removes a directory and everything in it (best effort). */
void fs_remove_tree(const char *path);
/* $XDG_<kind>_HOME or its default under $HOME, e.g. kind "STATE" ->
 * ~/.local/state. Returns malloc'd path, or NULL when neither is set. */
char *fs_xdg_home(const char *kind);
/* laketop's own file or directory `leaf` there: "$XDG_<kind>_HOME/laketop/
 * LEAF" (kind "STATE", leaf "views" -> ~/.local/state/laketop/views), or
 * NULL as fs_xdg_home. */
char *fs_xdg_laketop(const char *kind, const char *leaf);

#endif
