/* hash.h: the one string hash of the tree, FNV-1a (64 bits): hash tables
 * (the history, the formats' sets and cache, the Delta log's files), the
 * name of a lake's state directory and the demo's seeds.
 *
 * Its start is 1469598103934665603, not FNV's offset basis
 * 14695981039346656037 (its last digit was lost when the tree first wrote
 * it); the prime is FNV's. It hashes as well, and its values are part of
 * what is on disk (state directory names, the demo's bytes), so it stays:
 * never change it. */
#ifndef LAKETOP_HASH_H
#define LAKETOP_HASH_H

#include <stdint.h>

#define HASH_FNV1A_START 1469598103934665603ULL

/* h carried on over the bytes of s (start with HASH_FNV1A_START). */
uint64_t hash_fnv1a_more(uint64_t h, const char *s);
/* h carried on over one byte (a separator between two strings). */
uint64_t hash_fnv1a_byte(uint64_t h, unsigned char byte);
/* The hash of s. */
uint64_t hash_fnv1a(const char *s);

#endif
