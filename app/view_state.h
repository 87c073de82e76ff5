/* view_state.h: laketop's own state file of the columns chosen with F2,
 * $XDG_STATE_HOME/laketop/views (default ~/.local/state/laketop/views):
 * read at start, written (temp file, then rename) when the F2 dialog
 * closes on a change. The hand-written config is never written. A line a
 * view, blank lines and '#' comments aside:
 *
 *     tables table size -files avg-file last-data sort=size:desc
 *
 * the view's name, its columns in the order drawn (the names are the
 * titles in lower case, words joined by '-'; a hidden one starts with
 * '-'; columns not listed follow, shown), then optionally the sort it
 * opens with: sort=COLUMN:asc, sort=COLUMN:desc or sort=none. A line that
 * cannot be read, for a view laketop does not know or given twice, is
 * ignored; an unknown column is skipped; each is a warning "FILE:LINE:
 * ...", never a failure. */
#ifndef LAKETOP_VIEW_STATE_H
#define LAKETOP_VIEW_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"
#include "views/view_layout.h"

/* The state file's path (malloc'd); NULL when there is no home. */
char *view_state_path(void);
/* Parses `text` (`length` bytes, any bytes) into layouts[VIEW_COUNT],
 * each first its view's own; a warning a line goes to `warnings`
 * ("FILE:LINE: what is wrong (what was done)"). Returns the warnings. */
size_t view_state_parse(const char *text, size_t length, const char *file, view_layout *layouts,
                        strbuf *warnings);
/* The file's text: a line for each view not at its own layout. */
void view_state_format(const view_layout *layouts, strbuf *out);
/* Reads `path` into layouts[VIEW_COUNT] (a missing file: the views' own,
 * said nothing). Returns what was wrong for the message line (malloc'd:
 * the first warning, and how many more), or NULL. */
char *view_state_load(const char *path, view_layout *layouts);
/* Writes `layouts` to `path` atomically (its directory made first);
 * returns NULL, or why it could not (malloc'd). */
char *view_state_save(const char *path, const view_layout *layouts);

#endif
