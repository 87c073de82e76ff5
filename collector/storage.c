/* storage.c: the storage rules both backends share (see storage.h), and
 * s3:// addresses. */
#include "collector/storage.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

bool storage_is_marker_name(const char *name) {
    if (name[0] == '_' || name[0] == '.')
        return true;
    size_t len = strlen(name);
    static const char folder[] = "_$folder$";
    return len >= sizeof folder - 1 && strcmp(name + len - (sizeof folder - 1), folder) == 0;
}

bool storage_is_marker_key(const char *key) {
    size_t len = strlen(key);
    if (len > 0 && key[len - 1] == '/')
        return true; /* a "directory" key, whatever its size */
    const char *slash = strrchr(key, '/');
    return storage_is_marker_name(slash ? slash + 1 : key);
}

bool storage_is_hidden_dir(const char *name) {
    return name[0] == '.' || name[0] == '_';
}

bool storage_is_partition_name(const char *name) {
    const char *eq = strchr(name, '=');
    return eq && eq != name && eq[1] != '\0';
}

size_t storage_partition_prefix_length(const char *rest, size_t depth) {
    const char *p = rest;
    for (size_t i = 0; i < depth; i++) {
        const char *slash = strchr(p, '/');
        const char *eq = memchr(p, '=', slash ? (size_t)(slash - p) : 0);
        if (!slash || !eq || eq == p || eq + 1 == slash)
            return 0;
        p = slash + 1;
    }
    return (size_t)(p - rest);
}

bool storage_is_s3(const char *address) {
    return address && strncmp(address, "s3://", 5) == 0;
}

bool storage_s3_parse(const char *address, char **bucket, char **prefix, char **error) {
    const char *rest = NULL;
    if (strncmp(address, "s3://", 5) == 0)
        rest = address + 5;
    else if (strncmp(address, "s3a://", 6) == 0)
        rest = address + 6;
    const char *slash = rest ? strchr(rest, '/') : NULL;
    size_t blen = !rest ? 0 : slash ? (size_t)(slash - rest) : strlen(rest);
    if (blen == 0) {
        if (error)
            *error = xasprintf("%s: not an s3://bucket[/prefix] address", address);
        return false;
    }
    *bucket = xstrndup(rest, blen);
    const char *p = slash ? slash + 1 : "";
    size_t plen = strlen(p);
    *prefix = plen == 0 || p[plen - 1] == '/' ? xstrdup(p) : xasprintf("%s/", p);
    return true;
}

void object_entries_free(object_entry *objects, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(objects[i].key);
        free(objects[i].etag);
    }
    free(objects);
}
