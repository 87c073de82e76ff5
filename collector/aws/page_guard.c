/* page_guard.c: the tokens a listing gave, as a set of 64-bit hashes (two
 * different tokens share one with a chance of about n^2 / 2^65: none in
 * practice even at a million pages), and its page count. */
#include "collector/aws/page_guard.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/* FNV-1a, then a final mix; never 0 (the free slot). */
static uint64_t page_guard_hash(const char *token) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *)token; *c; c++) {
        h ^= *c;
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Adds h; false when it was there already. */
static bool page_guard_add(page_guard *g, uint64_t h) {
    if ((g->n_seen + 1) * 2 > g->cap_seen) {
        size_t cap = g->cap_seen ? g->cap_seen * 2 : 16;
        uint64_t *seen = xcalloc(cap, sizeof *seen);
        for (size_t i = 0; i < g->cap_seen; i++) {
            uint64_t v = g->seen[i];
            if (!v)
                continue;
            size_t k = (size_t)v & (cap - 1);
            while (seen[k])
                k = (k + 1) & (cap - 1);
            seen[k] = v;
        }
        free(g->seen);
        g->seen = seen;
        g->cap_seen = cap;
    }
    size_t k = (size_t)h & (g->cap_seen - 1);
    while (g->seen[k]) {
        if (g->seen[k] == h)
            return false;
        k = (k + 1) & (g->cap_seen - 1);
    }
    g->seen[k] = h;
    g->n_seen++;
    return true;
}

bool page_guard_next(page_guard *g, const char *token, size_t max_pages, char **error) {
    g->pages++;
    if (!page_guard_add(g, page_guard_hash(token))) {
        *error = xasprintf("repeated page token: page %zu gave the next-page token of an "
                           "earlier page, so the listing would never end; it was stopped",
                           g->pages);
        return false;
    }
    if (g->pages >= max_pages) {
        *error = xasprintf("more than %zu pages, the most laketop reads of one such listing "
                           "(its bound, see page_guard.h); it was stopped",
                           max_pages);
        return false;
    }
    return true;
}

void page_guard_free(page_guard *g) {
    free(g->seen);
    memset(g, 0, sizeof *g);
}
