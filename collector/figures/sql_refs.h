/* sql_refs.h: the tables an Athena (Trino/Presto) query reads, from its
 * text: names after FROM and JOIN (comma lists too), qualified
 * (catalog.db.table, db.table) or not (then the query's default database),
 * quoted with "..." or `...`, lowercased as the Glue catalog stores them.
 * CTE names, subqueries, UNNEST and table functions are not tables; comments
 * and string literals are skipped, whatever they look like. */
#ifndef LAKETOP_SQL_REFS_H
#define LAKETOP_SQL_REFS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sql_refs {
    char **names; /* "db.table", each once, in order of appearance */
    size_t n;
} sql_refs;

/* False (and nothing in *out) for text that does not parse: an unclosed
 * string, quoted name or comment, or unbalanced parentheses. An
 * unqualified name with no default database is left out. */
bool sql_refs_extract(const char *sql, const char *default_database, sql_refs *out);
void sql_refs_free(sql_refs *r);

#endif
