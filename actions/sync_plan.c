/* sync_plan.c: what a sync would do, from the listings of its two zones
 * (pure: nothing is read or changed here). */
#include "actions/sync.h"

#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

static void sync_plan_take(object_entry **list, size_t *n, size_t *cap, const object_entry *item) {
    *list = xgrow(*list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = (object_entry){.key = xstrdup(item->key),
                                     .size = item->size,
                                     .mtime = item->mtime,
                                     .etag = item->etag ? xstrdup(item->etag) : NULL};
}

/* Same object? (see sync_plan_compare) An upload is newer than its file; a
 * download gets its object's time. */
static bool sync_plan_same(const object_entry *src, const object_entry *dst) {
    if (src->size != dst->size)
        return false;
    if (!src->etag != !dst->etag)
        return dst->mtime >= src->mtime;
    if (!src->etag)
        return src->mtime == dst->mtime;
    if (strchr(src->etag, '-') || strchr(dst->etag, '-'))
        return true;
    return strcmp(src->etag, dst->etag) == 0;
}

void sync_plan_compare(const object_entry *src, size_t n_src, const object_entry *dst, size_t n_dst,
                       sync_plan *plan) {
    memset(plan, 0, sizeof *plan);
    size_t cap_copy = 0, cap_remove = 0, i = 0, k = 0;
    while (i < n_src || k < n_dst) {
        int cmp = i >= n_src ? 1 : k >= n_dst ? -1 : strcmp(src[i].key, dst[k].key);
        if (cmp < 0) {
            sync_plan_take(&plan->copy, &plan->n_copy, &cap_copy, &src[i]);
            plan->bytes_to_copy += src[i++].size;
        } else if (cmp > 0) {
            sync_plan_take(&plan->remove, &plan->n_remove, &cap_remove, &dst[k++]);
        } else {
            if (!sync_plan_same(&src[i], &dst[k])) {
                sync_plan_take(&plan->copy, &plan->n_copy, &cap_copy, &src[i]);
                plan->bytes_to_copy += src[i].size;
            } else {
                plan->n_same++;
            }
            i++;
            k++;
        }
    }
}

void sync_plan_free(sync_plan *p) {
    object_entries_free(p->copy, p->n_copy);
    object_entries_free(p->remove, p->n_remove);
    memset(p, 0, sizeof *p);
}

char *sync_plan_summary(const sync_rule *rule, const sync_plan *plan) {
    char size[32];
    fmt_bytes(plan->bytes_to_copy, size, sizeof size);
    return xasprintf("%s -> %s: %zu %s (%s) to copy, %zu unchanged, %zu extra at the "
                     "destination%s",
                     rule->from, rule->to, plan->n_copy,
                     fmt_plural((int64_t)(plan->n_copy), "object", "objects"), size, plan->n_same,
                     plan->n_remove,
                     plan->n_remove ? (rule->delete_extra ? " to delete" : " kept (delete = false)")
                                    : "");
}
