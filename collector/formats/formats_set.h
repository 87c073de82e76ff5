/* formats_set.h: a set of strings (the canonical addresses of the files a
 * table's metadata references), each with a flag (live): formats.c's
 * referenced and live files, looked up for every listed file. */
#ifndef LAKETOP_FORMATS_SET_H
#define LAKETOP_FORMATS_SET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct formats_set formats_set;

formats_set *formats_set_new(void);
void formats_set_free(formats_set *set);
/* Adds `key` (copied); `live` true makes it live (a later add never takes
 * the flag away). */
void formats_set_add(formats_set *set, const char *key, bool live);
/* 0: not in the set; 1: in it; 2: in it and live. */
int formats_set_find(const formats_set *set, const char *key);
size_t formats_set_count(const formats_set *set);

#endif
