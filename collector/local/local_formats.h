/* local_formats.h: the local lake's I/O for collector/formats/ (files
 * read whole, a location listed recursively without following symlinks,
 * addresses relative to the lake, absolute or file://). */
#ifndef LAKETOP_LOCAL_FORMATS_H
#define LAKETOP_LOCAL_FORMATS_H

#include "collector/formats/formats.h"

/* Fills `io` for the lake at `lake_dir` (which must outlive it). */
void local_formats_io(formats_io *io, const char *lake_dir);
/* An address as an absolute path without "file://", "//", "/./" or
 * "/../" (malloc'd); NULL for an address of another store (s3://). */
char *local_formats_canonical(const char *lake_dir, const char *address);

#endif
