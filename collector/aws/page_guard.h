/* page_guard.h: ends a paged listing that would never end. Every listing
 * of the AWS source (Glue's NextToken, S3's NextContinuationToken, Athena's
 * NextToken) asks it about each next-page token: a token the same listing
 * already gave (a service or proxy that loops) or a page count past the
 * listing's bound ends the listing with an error, which its caller puts on
 * the row the listing was for. A zeroed page_guard is ready to use. */
#ifndef LAKETOP_PAGE_GUARD_H
#define LAKETOP_PAGE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bounds: the most pages a listing may take. Each is the service's own
 * quota divided by its page size, then times ten or more, because Glue
 * returns part-full and even empty pages with a NextToken, and quotas can
 * be raised. A repeated token is caught at once whatever the bound: the
 * bound is for a service that makes up new tokens forever. */
/* ListObjectsV2, 1,000 keys a page: a billion objects under one prefix. */
#define PAGE_GUARD_S3_LIST 1000000
/* GetDatabases, 100 a page: Glue's quota is 10,000 databases (100 pages). */
#define PAGE_GUARD_GLUE_DATABASES 10000
/* GetTables, 100 a page: 200,000 tables a database (2,000 pages). */
#define PAGE_GUARD_GLUE_TABLES 100000
/* GetPartitions, 100 to 1,000 a page: 10 million partitions a table
 * (10,000 to 100,000 pages). */
#define PAGE_GUARD_GLUE_PARTITIONS 1000000
/* GetTableVersions, 100 a page: 100,000 versions a table (1,000 pages). */
#define PAGE_GUARD_GLUE_VERSIONS 100000
/* GetCrawlers and GetCrawlerMetrics, 100 a page: 1,000 crawlers (10 pages). */
#define PAGE_GUARD_GLUE_CRAWLERS 10000
/* Athena ListWorkGroups and ListQueryExecutions, 50 a page: 45 days of
 * query history at a few million queries a month (about 100,000 pages). */
#define PAGE_GUARD_ATHENA 1000000

typedef struct page_guard {
    uint64_t *seen; /* hashes of the tokens given, open addressing; 0: free */
    size_t n_seen;
    size_t cap_seen; /* a power of two, or 0 */
    size_t pages;    /* pages read so far */
} page_guard;

/* After each page, with the token it gave for the next one: true when the
 * next page may be asked for. False with *error (malloc'd, e.g. "repeated
 * page token after 3 pages: ...") when the token is one the listing already
 * gave, or when the listing would pass max_pages pages. */
bool page_guard_next(page_guard *guard, const char *token, size_t max_pages, char **error);
/* Frees what it holds and zeroes it (ready for a new listing). */
void page_guard_free(page_guard *guard);

#endif
