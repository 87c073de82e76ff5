/* demo_rng.c: the demo's random numbers, splitmix64 seeded from names, so
 * that a table's files come out the same whatever else the lake holds. */
#include "tools/demo_internal.h"

#include <inttypes.h>
#include <stdio.h>

#include "common/hash.h"

uint64_t demo_rng_next(demo_rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int64_t demo_rng_range(demo_rng *r, int64_t lo, int64_t hi) {
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

demo_rng demo_rng_seed(const char *a, const char *b, uint64_t salt) {
    uint64_t h = hash_fnv1a_byte(hash_fnv1a_more(HASH_FNV1A_START ^ salt, a), '.');
    demo_rng r = {hash_fnv1a_more(h, b)};
    demo_rng_next(&r);
    return r;
}

void demo_rng_uuid(demo_rng *r, char out[37]) {
    uint64_t a = demo_rng_next(r), b = demo_rng_next(r);
    snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
             a >> 32, (a >> 16) & 0xffff, a & 0xfff, ((b >> 48) & 0x3fff) | 0x8000,
             b & (uint64_t)0xffffffffffffULL);
}
