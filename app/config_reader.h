/* config_reader.h: the lines of a config file as inih reads them, counted
 * for the FILE:LINE of every message, and the ones inih would cut without a
 * word refused: a line longer than it reads at once (INI_MAX_LINE), a
 * [section] name longer than it keeps (its MAX_SECTION: 50 bytes with the
 * NUL). A cut name would name another table, and the rest of a cut line
 * would be read as a line of its own. */
#ifndef LAKETOP_CONFIG_READER_H
#define LAKETOP_CONFIG_READER_H

#include <stdio.h>

#define CONFIG_READER_SECTION_MAX 49 /* bytes of a [section]'s name */

typedef struct config_reader {
    FILE *fp;
    int line;         /* of the line inih handles: it reads one line per call */
    int section_line; /* of the last [section] header read */
    char *error;      /* why reading stopped (malloc'd), at `line`; NULL none */
} config_reader;

/* inih's reader (ini_reader): `stream` is a config_reader. Returns NULL at
 * the end of the file and on a line it refuses (then `error` says why). */
char *config_reader_line(char *str, int num, void *stream);

#endif
