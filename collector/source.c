/* source.c: what every lake_source shares (source.h); each backend's own
 * code lives in its folder (collector/local/, collector/aws/). */
#include "collector/source.h"

#include <stddef.h>

void lake_source_free(lake_source *source) {
    if (source)
        source->free(source);
}
