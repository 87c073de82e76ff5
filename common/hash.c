/* hash.c: FNV-1a (hash.h). */
#include "common/hash.h"

#define HASH_FNV1A_PRIME 1099511628211ULL

uint64_t hash_fnv1a_byte(uint64_t h, unsigned char byte) {
    return (h ^ byte) * HASH_FNV1A_PRIME;
}

uint64_t hash_fnv1a_more(uint64_t h, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = hash_fnv1a_byte(h, *p);
    return h;
}

uint64_t hash_fnv1a(const char *s) {
    return hash_fnv1a_more(HASH_FNV1A_START, s);
}
