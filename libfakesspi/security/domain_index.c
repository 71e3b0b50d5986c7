/* Open-addressing hash tables (linear probing, FNV-1a with a final mix) for the domain's lookups by name
 * and RID. Keys live in one arena and slots are 16 bytes, so that a domain of 100,000 users costs a few
 * megabytes and no allocation per key. */
#include "domain_index.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static uint32_t hash_of(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    /* FNV's low bits, which pick the slot, are weak for short keys that differ in their last bytes ("U123",
     * RIDs): a final mix (MurmurHash3's) spreads every bit into them. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static struct fs_index_slot *probe(const struct fs_index *ix, uint32_t hash, const void *key, size_t len)
{
    size_t mask = ix->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        struct fs_index_slot *s = &ix->slots[i];
        if (!s->len || (s->hash == hash && s->len == len + 1 && !memcmp(ix->arena + s->key, key, len)))
            return s;
    }
}

int fs_index_get(const struct fs_index *ix, const void *key, size_t len, uint32_t *value)
{
    if (!ix->cap)
        return 0;
    const struct fs_index_slot *s = probe(ix, hash_of(key, len), key, len);
    if (!s->len)
        return 0;
    *value = s->value;
    return 1;
}

static int grow_arena(struct fs_index *ix, size_t more)
{
    if (ix->arena_len + more <= ix->arena_cap)
        return 0;
    size_t cap = ix->arena_cap ? ix->arena_cap : 256;
    while (cap < ix->arena_len + more)
        cap *= 2;
    if (cap > UINT32_MAX)
        return -1;
    char *grown = fs_realloc(ix->arena, cap);
    if (!grown)
        return -1;
    fs_advise_huge(grown, cap);
    ix->arena = grown;
    ix->arena_cap = cap;
    return 0;
}

int fs_index_reserve(struct fs_index *ix, size_t n, size_t key_bytes)
{
    if (grow_arena(ix, key_bytes))
        return -1;
    size_t want = ix->used + n;
    if (want * 2 <= ix->cap)
        return 0;
    size_t cap = ix->cap ? ix->cap : 16;
    while (want * 2 > cap)
        cap *= 2;
    struct fs_index_slot *slots = fs_calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    fs_advise_huge(slots, cap * sizeof *slots); /* lookups land anywhere in it: 4 MiB for 100,000 users */
    size_t mask = cap - 1;
    for (size_t i = 0; i < ix->cap; i++) {
        const struct fs_index_slot *s = &ix->slots[i];
        if (!s->len)
            continue;
        size_t k = s->hash & mask;
        while (slots[k].len)
            k = (k + 1) & mask;
        slots[k] = *s;
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return 0;
}

int fs_index_put(struct fs_index *ix, const void *key, size_t len, uint32_t value)
{
    if (len >= UINT32_MAX || fs_index_reserve(ix, 1, len))
        return -1;
    uint32_t hash = hash_of(key, len);
    struct fs_index_slot *s = probe(ix, hash, key, len);
    memcpy(ix->arena + ix->arena_len, key, len);
    *s = (struct fs_index_slot){hash, value, (uint32_t)ix->arena_len, (uint32_t)len + 1};
    ix->arena_len += len;
    ix->used++;
    return 0;
}

void fs_index_remove(struct fs_index *ix, const void *key, size_t len)
{
    if (!ix->cap)
        return;
    struct fs_index_slot *hole = probe(ix, hash_of(key, len), key, len);
    if (!hole->len)
        return;
    hole->len = 0;
    ix->used--;
    /* Backward-shift deletion: move up each later entry of the run that the hole now cuts off. */
    size_t mask = ix->cap - 1, h = (size_t)(hole - ix->slots);
    for (size_t i = (h + 1) & mask; ix->slots[i].len; i = (i + 1) & mask) {
        size_t home = ix->slots[i].hash & mask;
        if (((i - home) & mask) >= ((i - h) & mask)) {
            ix->slots[h] = ix->slots[i];
            ix->slots[i].len = 0;
            h = i;
        }
    }
}

void fs_index_free(struct fs_index *ix)
{
    free(ix->slots);
    free(ix->arena);
    memset(ix, 0, sizeof *ix);
}
