/* unit_tmp.h: where the unit tests make their temporary files and
 * directories: $TMPDIR (tests/run.sh gives each run its own and checks
 * that the tests leave nothing there), else /tmp. */
#ifndef LAKETOP_UNIT_TMP_H
#define LAKETOP_UNIT_TMP_H

#include <stdio.h>
#include <stdlib.h>

/* Writes "$TMPDIR/NAME-XXXXXX" into buf, for mkdtemp or mkstemp. */
static inline char *unit_tmp_template(char *buf, size_t size, const char *name) {
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", name);
    return buf;
}

#endif
