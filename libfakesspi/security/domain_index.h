/* The domain's indexes: a key (a name in Windows' upper case, a RID) to a principal, in constant time. */
#ifndef FS_SECURITY_DOMAIN_INDEX_H
#define FS_SECURITY_DOMAIN_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct fs_index_slot {
    uint32_t hash;
    uint32_t value;
    uint32_t key;     /* offset of the key's bytes in the arena */
    uint32_t len;     /* the key's length + 1; 0 marks an empty slot */
};

struct fs_index {
    struct fs_index_slot *slots;
    size_t cap;       /* a power of two, or 0 */
    size_t used;
    char *arena;      /* every key's bytes, one after the other (a removed key's stay, unused) */
    size_t arena_len, arena_cap;
};

/* 1 and the value when key is there, else 0. */
int fs_index_get(const struct fs_index *ix, const void *key, size_t len, uint32_t *value);
/* Makes room for n more keys of key_bytes bytes in all. -1 when out of memory. */
int fs_index_reserve(struct fs_index *ix, size_t n, size_t key_bytes);
/* Adds key (which must not be there yet). -1 when out of memory. */
int fs_index_put(struct fs_index *ix, const void *key, size_t len, uint32_t value);
/* Takes key out, if there. */
void fs_index_remove(struct fs_index *ix, const void *key, size_t len);
void fs_index_free(struct fs_index *ix);

#endif
