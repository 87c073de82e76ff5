/* config_reader.c: inih's line reader for the config (config_reader.h). */
#include "app/config_reader.h"

#include <string.h>

#include "common/xalloc.h"

char *config_reader_line(char *str, int num, void *stream) {
    config_reader *r = stream;
    if (r->error)
        return NULL;
    char *got = fgets(str, num, r->fp);
    if (!got)
        return NULL;
    r->line++;
    size_t n = strlen(got);
    if (n && got[n - 1] != '\n' && !feof(r->fp)) {
        r->error =
            xasprintf("the line is over %d characters: laketop reads no longer line", num - 2);
        return NULL;
    }
    const char *p = got + strspn(got, " \t");
    if (*p == '[') {
        r->section_line = r->line;
        size_t name = strcspn(p + 1, "]\n");
        if (name > CONFIG_READER_SECTION_MAX) {
            r->error = xasprintf("the section's name is %zu bytes, over the %d the INI reader "
                                 "keeps (a table's section: [table DATABASE.TABLE])",
                                 name, CONFIG_READER_SECTION_MAX);
            return NULL;
        }
    }
    return got;
}
