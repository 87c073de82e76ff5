/* local_lake.c: where a table's Location points on the local lake. */
#include "collector/local/local_lake.h"

#include <string.h>

#include "common/fs.h"
#include "common/xalloc.h"

char *local_lake_resolve(const char *lake_dir, const char *location, char **error) {
    if (!location || !*location) {
        *error = xstrdup("no StorageDescriptor.Location in the catalog");
        return NULL;
    }
    if (strncmp(location, "file://", 7) == 0)
        return xstrdup(location + 7);
    if (strstr(location, "://")) {
        *error = xasprintf("location %s is not on the local lake", location);
        return NULL;
    }
    if (location[0] == '/')
        return xstrdup(location);
    return fs_join(lake_dir, location);
}
