/* formats_set.c: an open-addressing hash set of strings with a flag
 * (formats_set.h). */
#include "collector/formats/formats_set.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/xalloc.h"

typedef struct formats_slot {
    char *key; /* NULL: empty */
    bool live;
} formats_slot;

struct formats_set {
    formats_slot *slots;
    size_t cap; /* a power of two */
    size_t n;
};

static uint64_t formats_set_hash(const char *key) {
    return hash_fnv1a(key);
}

formats_set *formats_set_new(void) {
    formats_set *set = xcalloc(1, sizeof *set);
    set->cap = 64;
    set->slots = xcalloc(set->cap, sizeof *set->slots);
    return set;
}

void formats_set_free(formats_set *set) {
    if (!set)
        return;
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].key);
    free(set->slots);
    free(set);
}

static formats_slot *formats_set_slot(formats_slot *slots, size_t cap, const char *key) {
    size_t i = (size_t)formats_set_hash(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void formats_set_grow(formats_set *set) {
    size_t cap = set->cap * 2;
    formats_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i].key)
            *formats_set_slot(slots, cap, set->slots[i].key) = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
}

void formats_set_add(formats_set *set, const char *key, bool live) {
    if ((set->n + 1) * 2 > set->cap)
        formats_set_grow(set);
    formats_slot *slot = formats_set_slot(set->slots, set->cap, key);
    if (!slot->key) {
        slot->key = xstrdup(key);
        set->n++;
    }
    slot->live = slot->live || live;
}

int formats_set_find(const formats_set *set, const char *key) {
    const formats_slot *slot = formats_set_slot(set->slots, set->cap, key);
    if (!slot->key)
        return 0;
    return slot->live ? 2 : 1;
}

size_t formats_set_count(const formats_set *set) {
    return set->n;
}
