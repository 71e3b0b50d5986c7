/* Handle table: slot index + generation in every value, so stale and forged values are caught. */
#include "core/alloc.h"
#include "handles.h"
#include "cacheline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htrace.h"
#include "misuse.h"
#include "origin.h"

/* value = ((generation << SLOT_BITS) | (slot + 1)) << 2: a multiple of 4, like Windows handles. */
#define SLOT_BITS 22u
#define SLOT_MASK ((1u << SLOT_BITS) - 1u)
#define MAX_SLOTS (SLOT_MASK - 1u)
/* In the default mode a freed slot waits until this many others are free, so its tombstone
 * can still say where a handle was closed when a late use comes. */
#define TOMBSTONE_QUEUE 4096u
/* Entries live in chunks that never move, so a lookup needs no lock but its slot's. */
#define CHUNK_BITS 8u
#define CHUNK_SLOTS (1u << CHUNK_BITS)
#define MAX_CHUNKS ((MAX_SLOTS + CHUNK_SLOTS - 1u) / CHUNK_SLOTS)
/* Threads that call in at once mostly touch different handles: each slot is guarded by one of these
 * locks, not by one lock for the table, so their lookups and closes do not wait for one another. A reset
 * holds them all at once, so there are few enough for ThreadSanitizer to follow (it tracks 64 held locks). */
#define NSTRIPES 16u /* as many initialisers below */

struct entry {
    uint32_t gen;          /* generation of the current or latest occupant */
    uint8_t live;
    uint8_t revoked;       /* tombstone: closed because the owner went away */
    uint8_t ownership;
    uint8_t inherited;     /* open when the process forked: the parent's, not this process's leak */
    uint32_t flags;
    uint32_t access;
    const struct fs_object_ops *kind; /* kept in the tombstone, so late uses still say what it was */
    struct fs_object *obj;
    uintptr_t tag;
    uintptr_t owner;
    const struct fs_object_ops *owner_kind;
    struct fs_origin opened;
    struct fs_origin closed;
};

struct chunk {
    struct entry entries[CHUNK_SLOTS];   /* each guarded by its slot's stripe */
    uint32_t next_free[CHUNK_SLOTS];     /* the free list's links (slot + 1; 0 ends it), guarded by alloc.lock */
    struct chunk *retired_next;          /* a reset's list of the chunks it took out */
};

/* One slot's lock, and the counts of the live handles in its slots; a cache line each. */
struct stripe {
    _Alignas(64) pthread_mutex_t lock;
    size_t owned_live, lent_live;
};

#define STRIPE {PTHREAD_MUTEX_INITIALIZER, 0, 0}
static struct stripe stripes[NSTRIPES] = {STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE,
                                          STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE, STRIPE};
#undef STRIPE
static _Atomic(struct chunk *) chunks[MAX_CHUNKS];
static atomic_uint nslots;               /* written under alloc.lock; a slot below it has its chunk */

/* alloc.lock guards which slots are free and the generation bookkeeping; it is taken inside a stripe's
 * lock (a close frees its slot), never the other way round. */
/* Generations survive fakesspi_reset(): the first generation after it is above every one handed out before,
 * so a value the caller still holds, open or closed at the reset, never names a new object. A reset after
 * which no handle was handed out leaves them as they are (doc/semantics.md §35, §39).
 * Written at every open and close of every thread: on lines of their own, away from what lookups read
 * (core/cacheline.h). */
static FS_OWN_LINES(pthread_mutex_t lock;
                    uint32_t free_head, free_tail, nfree; /* slot + 1; 0 = none */
                    uint32_t first_gen;
                    atomic_uint highest_gen;
                    int issued_since_reset;) alloc = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 1, 1, 0};
/* Written under alloc.lock, read without it by the slot caches' fast paths. */
static atomic_int windows_reuse;
/* Moved on by every reset, under alloc.lock: a slot cache filled before it names slots of chunks now gone. */
static atomic_uint reset_epoch;
/* Set once at start-up, read on every lookup: an atomic, not a lock. */
static _Atomic(fs_pseudo_resolver) pseudo_resolver;

static struct stripe *stripe_of(uint32_t slot) { return &stripes[slot % NSTRIPES]; }

/* The slot's entry; the slot must be below nslots (read with acquire), which publishes its chunk. */
static struct entry *entry_at(uint32_t slot)
{
    struct chunk *c = atomic_load_explicit(&chunks[slot >> CHUNK_BITS], memory_order_relaxed);
    return &c->entries[slot & (CHUNK_SLOTS - 1u)];
}

static uint32_t *next_free_of(uint32_t slot)
{
    struct chunk *c = atomic_load_explicit(&chunks[slot >> CHUNK_BITS], memory_order_relaxed);
    return &c->next_free[slot & (CHUNK_SLOTS - 1u)];
}

static void lock_all_stripes(void)
{
    for (uint32_t i = 0; i < NSTRIPES; i++)
        pthread_mutex_lock(&stripes[i].lock);
}

static void unlock_all_stripes(void)
{
    for (uint32_t i = NSTRIPES; i-- > 0;)
        pthread_mutex_unlock(&stripes[i].lock);
}

static const char *kind_name(const struct fs_object_ops *kind) { return kind ? kind->name : "unknown"; }

void fs_handle_set_pseudo_resolver(fs_pseudo_resolver fn) { atomic_store(&pseudo_resolver, fn); }

/* 1 when key is a pseudo-handle, with what the resolver made of it (see fs_pseudo_resolver). */
static int resolve_pseudo(struct fs_handle_key key, struct fs_object **obj, uint32_t *access, fs_err *err)
{
    fs_pseudo_resolver fn = atomic_load_explicit(&pseudo_resolver, memory_order_acquire);
    *obj = NULL;
    return fn && !key.tag && fn(key.value, obj, access, err);
}

static uintptr_t encode(uint32_t slot, uint32_t gen)
{
    return (uintptr_t)((((uint64_t)gen << SLOT_BITS) | (uint64_t)(slot + 1)) << 2);
}

/* Splits a value; returns 0 for values no handle could ever have had. */
static int decode(uintptr_t value, uint32_t *slot, uint32_t *gen)
{
    uint64_t v = (uint64_t)value;
    if (v == 0 || (v & 3u) || (v >> 2) >> (SLOT_BITS + 32))
        return 0;
    uint64_t x = v >> 2;
    uint32_t slot_plus_one = (uint32_t)(x & SLOT_MASK);
    *gen = (uint32_t)(x >> SLOT_BITS);
    if (slot_plus_one == 0 || *gen == 0)
        return 0;
    *slot = slot_plus_one - 1;
    return 1;
}

/* Under alloc.lock: a free slot at the head of the list (handed out next) or at its tail. */
static void push_head(uint32_t slot)
{
    *next_free_of(slot) = alloc.free_head;
    alloc.free_head = slot + 1;
    if (!alloc.free_tail)
        alloc.free_tail = slot + 1;
    alloc.nfree++;
}

static void push_tail(uint32_t slot)
{
    *next_free_of(slot) = 0;
    if (alloc.free_tail)
        *next_free_of(alloc.free_tail - 1) = slot + 1;
    else
        alloc.free_head = slot + 1;
    alloc.free_tail = slot + 1;
    alloc.nfree++;
}

/* Under alloc.lock. Windows-style reuse is LIFO: the value just freed is the next one handed out. */
static void push_free(uint32_t slot)
{
    if (atomic_load_explicit(&windows_reuse, memory_order_relaxed))
        push_head(slot);
    else
        push_tail(slot);
}

/* Under alloc.lock: the list's head. */
static uint32_t pop_head(void)
{
    uint32_t slot = alloc.free_head - 1;
    alloc.free_head = *next_free_of(slot);
    if (!alloc.free_head)
        alloc.free_tail = 0;
    alloc.nfree--;
    return slot;
}

/* Under alloc.lock: a slot for a new handle. A reused one keeps its entry (its tombstone) until the caller,
 * holding the slot's stripe, fills it in; *new_generation says whether its generation moves on. A fresh one
 * is made here, before it is published, with the first generation of this reset. */
static fs_err take_slot(uint32_t *slot_out, int *new_generation)
{
    uint32_t n = atomic_load_explicit(&nslots, memory_order_relaxed);
    int lifo = atomic_load_explicit(&windows_reuse, memory_order_relaxed);
    if (alloc.free_head && (lifo || alloc.nfree > TOMBSTONE_QUEUE || n >= MAX_SLOTS)) {
        *new_generation = !lifo;
        *slot_out = pop_head();
        return FS_OK;
    }
    if (n >= MAX_SLOTS)
        return FS_E_NOMEM;
    struct chunk *c = atomic_load_explicit(&chunks[n >> CHUNK_BITS], memory_order_relaxed);
    if (!c) {
        if (!(c = fs_calloc(1, sizeof *c)))
            return FS_E_NOMEM;
        atomic_store_explicit(&chunks[n >> CHUNK_BITS], c, memory_order_relaxed);
    }
    struct entry *e = &c->entries[n & (CHUNK_SLOTS - 1u)];
    memset(e, 0, sizeof *e);
    e->gen = alloc.first_gen;
    alloc.issued_since_reset = 1;
    *new_generation = 0;
    *slot_out = n;
    atomic_store_explicit(&nslots, n + 1, memory_order_release);
    return FS_OK;
}

/* Each thread keeps a few free slots of its own, so that opening and closing handles does not take
 * alloc.lock every time: two threads doing handshakes took it a dozen times a handshake each, and waited
 * on each other there (bench/README, "Two threads"). Only the default, FIFO reuse is cached; Windows-style
 * reuse hands out the value just freed, which only the one list can say.
 * The cache keeps the order one list would give: a thread takes the list's oldest slots from its head,
 * only as many as may leave it before the tombstone queue is down to TOMBSTONE_QUEUE, and the slots it
 * frees join the list's tail, in order, before it looks at the list again. So one thread gets the handle
 * values it would get without the cache, and a seeded single-threaded run stays reproducible; threads that
 * take turns get values in another order, as they would anyway. */
#define CACHED_SLOTS 16u

struct slot_cache {
    unsigned epoch;                   /* reset_epoch when it was last settled */
    uint32_t ready[CACHED_SLOTS];     /* taken from the list's head, oldest first */
    uint32_t nready, next_ready;      /* ready[next_ready..nready) are still to hand out */
    uint32_t freed[CACHED_SLOTS];     /* freed here, in order, not yet at the list's tail */
    uint32_t nfreed;
    int exit_registered;              /* the thread-exit destructor will settle it */
};

static _Thread_local struct slot_cache cache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

/* Under alloc.lock: the cache emptied into the list where the one list would hold its slots, the ones
 * taken from the head back at the head, in order, the ones freed here at the tail. A cache filled before
 * the last reset names slots that are gone: it is dropped. */
static void settle(struct slot_cache *c)
{
    unsigned epoch = atomic_load_explicit(&reset_epoch, memory_order_relaxed);
    if (c->epoch == epoch) {
        for (uint32_t i = c->nready; i-- > c->next_ready;)
            push_head(c->ready[i]);
        for (uint32_t i = 0; i < c->nfreed; i++)
            push_tail(c->freed[i]);
    }
    c->epoch = epoch;
    c->nready = c->next_ready = c->nfreed = 0;
}

/* At thread exit the thread's cached slots go back to the list for the threads that remain. */
static void settle_at_thread_exit(void *p)
{
    struct slot_cache *c = p;
    pthread_mutex_lock(&alloc.lock);
    settle(c);
    pthread_mutex_unlock(&alloc.lock);
    c->exit_registered = 0; /* a later destructor that opens a handle registers again */
}

static void make_cache_key(void) { pthread_key_create(&cache_key, settle_at_thread_exit); }

static void settle_at_exit(struct slot_cache *c)
{
    if (c->exit_registered)
        return;
    pthread_once(&cache_key_once, make_cache_key);
    /* Without the key (no memory) a thread's last few free slots are not reused: values, not memory. */
    c->exit_registered = pthread_setspecific(cache_key, c) == 0;
}

/* Under alloc.lock, in the default mode, with the cache settled: the slots the list may hand out before its
 * tombstone queue is down to TOMBSTONE_QUEUE, up to CACHED_SLOTS of them, into the cache. 0 when none. */
static uint32_t refill(struct slot_cache *c)
{
    uint32_t spare = alloc.nfree > TOMBSTONE_QUEUE ? alloc.nfree - TOMBSTONE_QUEUE : 0;
    uint32_t n = spare < CACHED_SLOTS ? spare : CACHED_SLOTS;
    for (uint32_t i = 0; i < n; i++)
        c->ready[i] = pop_head();
    c->nready = n;
    c->next_ready = 0;
    if (n)
        settle_at_exit(c);
    return n;
}

/* A slot for a new handle: the thread's cache's next one, or else as take_slot says under alloc.lock. */
static fs_err take_slot_for_thread(uint32_t *slot_out, int *new_generation)
{
    struct slot_cache *c = &cache;
    int cached = !atomic_load_explicit(&windows_reuse, memory_order_relaxed);
    if (cached && c->next_ready < c->nready &&
        c->epoch == atomic_load_explicit(&reset_epoch, memory_order_acquire)) {
        *slot_out = c->ready[c->next_ready++];
        *new_generation = 1;
        return FS_OK;
    }
    pthread_mutex_lock(&alloc.lock);
    settle(c);
    fs_err err = FS_OK;
    if (cached && atomic_load_explicit(&nslots, memory_order_relaxed) < MAX_SLOTS && refill(c)) {
        *slot_out = c->ready[c->next_ready++];
        *new_generation = 1;
    } else {
        err = take_slot(slot_out, new_generation);
    }
    pthread_mutex_unlock(&alloc.lock);
    return err;
}

/* A closed handle's slot: into the thread's cache, or the list when the cache is full or not in use. */
static void free_slot_for_thread(uint32_t slot)
{
    struct slot_cache *c = &cache;
    if (!atomic_load_explicit(&windows_reuse, memory_order_relaxed) && c->nfreed < CACHED_SLOTS &&
        c->epoch == atomic_load_explicit(&reset_epoch, memory_order_acquire)) {
        c->freed[c->nfreed++] = slot;
        settle_at_exit(c);
        return;
    }
    pthread_mutex_lock(&alloc.lock);
    settle(c);
    push_free(slot);
    pthread_mutex_unlock(&alloc.lock);
}

void fs_handle_set_reuse(int windows_style)
{
    pthread_mutex_lock(&alloc.lock);
    settle(&cache); /* the calling thread's cached slots back where the one list would have them */
    atomic_store_explicit(&windows_reuse, windows_style, memory_order_relaxed);
    pthread_mutex_unlock(&alloc.lock);
}

static void note_generation(uint32_t gen)
{
    unsigned seen = atomic_load_explicit(&alloc.highest_gen, memory_order_relaxed);
    while (gen > seen && !atomic_compare_exchange_weak(&alloc.highest_gen, &seen, gen))
        ;
}

static fs_err issue(enum fs_handle_ownership own, struct fs_object *obj, uint32_t access, uintptr_t tag,
                    const char *api, uintptr_t owner, const struct fs_object_ops *owner_kind, uintptr_t *value_out)
{
    struct fs_origin opened;
    fs_origin_capture(&opened, api);
    uint32_t slot;
    int new_generation;
    fs_err err = take_slot_for_thread(&slot, &new_generation);
    if (err != FS_OK)
        return err;
    struct stripe *st = stripe_of(slot);
    pthread_mutex_lock(&st->lock);
    struct entry *e = entry_at(slot);
    if (new_generation && ++e->gen == 0)
        e->gen = 1;
    note_generation(e->gen);
    e->live = 1;
    e->revoked = 0;
    e->inherited = 0;
    e->kind = obj->ops;
    e->ownership = (uint8_t)own;
    e->flags = 0;
    e->access = access;
    e->obj = own == FS_HANDLE_OWNED ? fs_object_ref(obj) : obj;
    e->tag = tag;
    e->owner = owner;
    e->owner_kind = owner_kind;
    e->opened = opened;
    memset(&e->closed, 0, sizeof e->closed);
    if (own == FS_HANDLE_OWNED)
        st->owned_live++;
    else
        st->lent_live++;
    *value_out = encode(slot, e->gen);
    fs_htrace_record(own == FS_HANDLE_OWNED ? FS_HTRACE_OPENED : FS_HTRACE_LENT, e->kind->name, *value_out, owner, 0,
                     &opened);
    pthread_mutex_unlock(&st->lock);
    return FS_OK;
}

fs_err fs_handle_open(struct fs_object *obj, uint32_t access, uintptr_t tag, const char *api, uintptr_t *value_out)
{
    return issue(FS_HANDLE_OWNED, obj, access, tag, api, 0, NULL, value_out);
}

fs_err fs_handle_lend(struct fs_object *obj, uint32_t access, const char *api, uintptr_t owner,
                      const struct fs_object_ops *owner_kind, uintptr_t *value_out)
{
    return issue(FS_HANDLE_BORROWED, obj, access, 0, api, owner, owner_kind, value_out);
}

/* What went wrong with a value, copied out under the lock and reported after it. */
struct verdict {
    fakesspi_misuse_kind kind;
    int has_entry;
    int wrong_tag;
    uint32_t slot;                           /* the slot the value names, when it names one */
    const struct fs_object_ops *pseudo_kind; /* a pseudo-handle's object, for WRONG_KIND */
    struct entry snapshot;
};

/* Locks the stripe of the slot the key names and returns it, or NULL (nothing locked) when no handle
 * could have had the value. */
static struct stripe *lock_slot_of(struct fs_handle_key key, uint32_t *slot, uint32_t *gen)
{
    if (!decode(key.value, slot, gen) || *slot >= MAX_SLOTS)
        return NULL;
    struct stripe *st = stripe_of(*slot);
    pthread_mutex_lock(&st->lock);
    /* Checked under the stripe: a reset, which empties the table, holds every stripe. */
    if (*slot < atomic_load_explicit(&nslots, memory_order_acquire))
        return st;
    pthread_mutex_unlock(&st->lock);
    return NULL;
}

/* Finds the live entry for key, or explains why there is none. On return *held is the stripe still
 * locked (NULL when none was: the value named no slot); the caller unlocks it. */
static struct entry *find(struct fs_handle_key key, const struct fs_object_ops *kind, int closing, struct verdict *v,
                          struct stripe **held)
{
    uint32_t slot = 0, gen = 0;
    v->has_entry = 0;
    v->wrong_tag = 0;
    v->pseudo_kind = NULL;
    *held = lock_slot_of(key, &slot, &gen);
    v->slot = slot;
    if (!*held || gen > entry_at(slot)->gen) {
        v->kind = FAKESSPI_MISUSE_INVALID_HANDLE;
        return NULL;
    }
    struct entry *e = entry_at(slot);
    if (gen == e->gen && e->live) {
        if ((kind && e->kind != kind) || e->tag != key.tag) {
            v->kind = kind && e->kind != kind ? FAKESSPI_MISUSE_WRONG_KIND : FAKESSPI_MISUSE_INVALID_HANDLE;
            v->wrong_tag = e->tag != key.tag;
            v->has_entry = 1;
            v->snapshot = *e;
            return NULL;
        }
        return e;
    }
    if (gen == e->gen) { /* the tombstone still describes this very handle */
        v->has_entry = 1;
        v->snapshot = *e;
        if (e->revoked)
            v->kind = FAKESSPI_MISUSE_OWNER_GONE;
        else
            v->kind = closing ? FAKESSPI_MISUSE_DOUBLE_CLOSE : FAKESSPI_MISUSE_USE_AFTER_CLOSE;
        return NULL;
    }
    /* An older generation: closed long ago, the slot has moved on. */
    v->kind = closing ? FAKESSPI_MISUSE_DOUBLE_CLOSE : FAKESSPI_MISUSE_USE_AFTER_CLOSE;
    return NULL;
}

static void unlock_held(struct stripe *held)
{
    if (held)
        pthread_mutex_unlock(&held->lock);
}

/* What Windows does in each case, for the report's last line. */
static const char *windows_sentence(const struct verdict *v, const struct fs_object_ops *wanted, char *buf,
                                    size_t size)
{
    switch (v->kind) {
    case FAKESSPI_MISUSE_WRONG_KIND:
        snprintf(buf, size, "a %s handle is required here; the call fails with an invalid handle", kind_name(wanted));
        return buf;
    case FAKESSPI_MISUSE_OWNER_GONE:
        return "the value is stale once its owner is deleted and may already name another object";
    case FAKESSPI_MISUSE_CLOSE_BORROWED:
        return "CloseHandle returns TRUE; the owner later closes the dead value again, or closes whatever object "
               "reused it";
    case FAKESSPI_MISUSE_CLOSE_PROTECTED:
        return "CloseHandle fails (STATUS_HANDLE_NOT_CLOSABLE) and the handle stays open";
    case FAKESSPI_MISUSE_INVALID_HANDLE:
        if (v->wrong_tag)
            return "dwLower does not name the handle's package: the handle is invalid";
        return "the call fails with an invalid handle; under strict handle checks the process ends";
    default:
        return "the call fails with an invalid handle, or acts on whatever object reused the value";
    }
}

/* The one report path for every handle misuse the table detects. */
static void report(const struct verdict *v, uintptr_t value, const struct fs_object_ops *wanted, const char *api)
{
    struct fs_misuse_detail d = {.handle = value};
    char windows[200];
    if (v->pseudo_kind) {
        d.handle_kind = v->pseudo_kind->name;
        d.ownership = "pseudo-handle";
    } else if (v->has_entry) {
        const struct entry *e = &v->snapshot;
        d.handle_kind = kind_name(e->kind);
        d.ownership = !e->live ? "closed" : e->ownership == FS_HANDLE_OWNED ? "OWNED" : "BORROWED";
        d.owner = e->owner;
        d.owner_kind = e->owner_kind ? e->owner_kind->name : NULL;
        d.opened = &e->opened;
        if (!e->live) {
            d.closed = &e->closed;
            d.closed_label = e->revoked ? "revoked when its owner was deleted by" : "closed by";
        }
    }
    d.windows = windows_sentence(v, wanted, windows, sizeof windows);
    fs_misuse(v->kind, api, &d);
}

/* A pseudo-handle, resolved by the registered resolver: 1 when key was one (then *err is the outcome). */
static int get_pseudo(struct fs_handle_key key, const struct fs_object_ops *kind, uint32_t need, const char *api,
                      struct fs_object **obj_out, uint32_t *granted, fs_err *err)
{
    struct fs_object *obj;
    uint32_t access = 0;
    if (!resolve_pseudo(key, &obj, &access, err))
        return 0;
    if (!obj)
        return 1;
    if (kind && obj->ops != kind) {
        struct verdict v = {.kind = FAKESSPI_MISUSE_WRONG_KIND, .pseudo_kind = obj->ops};
        fs_object_unref(obj);
        report(&v, key.value, kind, api);
        *err = FS_E_INVALID_HANDLE;
        return 1;
    }
    if ((access & need) != need) {
        fs_object_unref(obj);
        *err = FS_E_ACCESS_DENIED;
        return 1;
    }
    *obj_out = obj;
    if (granted)
        *granted = access;
    *err = FS_OK;
    return 1;
}

fs_err fs_handle_get(struct fs_handle_key key, const struct fs_object_ops *kind, uint32_t need, const char *api,
                     struct fs_object **obj_out, uint32_t *granted)
{
    fs_err err;
    if (get_pseudo(key, kind, need, api, obj_out, granted, &err))
        return err;
    struct verdict v;
    struct stripe *held;
    struct entry *e = find(key, kind, 0, &v, &held);
    uint32_t access = e ? e->access : 0;
    if (e && (access & need) == need)
        *obj_out = fs_object_ref(e->obj);
    unlock_held(held);
    if (!e) {
        report(&v, key.value, kind, api);
        return FS_E_INVALID_HANDLE;
    }
    if ((access & need) != need)
        return FS_E_ACCESS_DENIED;
    if (granted)
        *granted = access;
    return FS_OK;
}

/* Under the slot's stripe, which is `st`. */
static void retire(struct stripe *st, struct entry *e, uint32_t slot, const char *api, int revoked)
{
    fs_origin_capture(&e->closed, api);
    fs_htrace_record(revoked ? FS_HTRACE_REVOKED : FS_HTRACE_CLOSED, kind_name(e->kind), encode(slot, e->gen),
                     e->owner, 0, &e->closed);
    e->live = 0;
    e->revoked = (uint8_t)revoked;
    if (e->ownership == FS_HANDLE_OWNED)
        st->owned_live--;
    else
        st->lent_live--;
    free_slot_for_thread(slot);
}

fs_err fs_handle_close(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api)
{
    struct fs_object *taken = NULL;
    fs_err err = fs_handle_close_take(key, kind, api, &taken);
    fs_object_unref(taken);
    return err;
}

fs_err fs_handle_close_take(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                            struct fs_object **taken)
{
    *taken = NULL;
    /* Closing a pseudo-handle is a harmless no-op on Windows. */
    struct fs_object *pseudo;
    uint32_t ignored_access;
    fs_err ignored;
    if (resolve_pseudo(key, &pseudo, &ignored_access, &ignored)) {
        fs_object_unref(pseudo);
        return FS_OK;
    }
    struct verdict v;
    struct stripe *held;
    fs_err result = FS_E_INVALID_HANDLE;
    struct entry *e = find(key, kind, 1, &v, &held);
    if (e && (e->flags & FS_HANDLE_FLAG_PROTECT_FROM_CLOSE)) {
        v.kind = FAKESSPI_MISUSE_CLOSE_PROTECTED;
    } else if (e && e->ownership == FS_HANDLE_BORROWED) {
        /* Windows lets this close succeed and the owner later closes a dead value.
         * We keep the owner's state whole and report it (DESIGN.md, Misuse). */
        v.kind = FAKESSPI_MISUSE_CLOSE_BORROWED;
        result = FS_OK;
    } else if (e) {
        *taken = e->obj;
        e->obj = NULL;
        retire(held, e, v.slot, api, 0);
        unlock_held(held);
        return FS_OK;
    }
    if (e) {
        v.has_entry = 1;
        v.snapshot = *e;
    }
    unlock_held(held);
    report(&v, key.value, kind, api);
    return result;
}

void fs_handle_revoke(uintptr_t value, const char *api)
{
    uint32_t slot, gen;
    struct stripe *st = lock_slot_of(fs_handle_key(value), &slot, &gen);
    if (!st)
        return;
    struct entry *e = entry_at(slot);
    if (e->gen == gen && e->live && e->ownership == FS_HANDLE_BORROWED) {
        e->obj = NULL;
        retire(st, e, slot, api, 1);
    }
    pthread_mutex_unlock(&st->lock);
}

void fs_handle_note_duplicate(uintptr_t source, uintptr_t copy, const struct fs_object_ops *kind, const char *api)
{
    struct fs_origin where;
    fs_origin_capture(&where, api);
    fs_htrace_record(FS_HTRACE_DUPLICATED, kind_name(kind), copy, source, 0, &where);
}

fs_err fs_handle_get_flags(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                           uint32_t *flags)
{
    struct verdict v;
    struct stripe *held;
    struct entry *e = find(key, kind, 0, &v, &held);
    if (e)
        *flags = e->flags;
    unlock_held(held);
    if (e)
        return FS_OK;
    report(&v, key.value, kind, api);
    return FS_E_INVALID_HANDLE;
}

fs_err fs_handle_set_flags(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                           uint32_t mask, uint32_t flags)
{
    struct verdict v;
    struct stripe *held;
    struct entry *e = find(key, kind, 0, &v, &held);
    if (e)
        e->flags = (e->flags & ~mask) | (flags & mask);
    unlock_held(held);
    if (e)
        return FS_OK;
    report(&v, key.value, kind, api);
    return FS_E_INVALID_HANDLE;
}

void fs_handle_counts(size_t *owned, size_t *lent)
{
    size_t o = 0, l = 0;
    lock_all_stripes();
    for (uint32_t i = 0; i < NSTRIPES; i++) {
        o += stripes[i].owned_live;
        l += stripes[i].lent_live;
    }
    unlock_all_stripes();
    if (owned)
        *owned = o;
    if (lent)
        *lent = l;
}

struct leak {
    uintptr_t value;
    uint32_t access;
    struct fs_object *obj; /* a reference, so the description stays valid outside the lock */
    struct fs_origin opened;
};

/* Copies out the live OWNED handles opened after call `since` (all of them when `all`), each with a
 * reference. */
static size_t collect(uint64_t since, int all, struct leak **out)
{
    lock_all_stripes();
    size_t owned_live = 0;
    for (uint32_t i = 0; i < NSTRIPES; i++)
        owned_live += stripes[i].owned_live;
    struct leak *leaks = owned_live ? fs_calloc(owned_live, sizeof *leaks) : NULL;
    size_t n = 0;
    uint32_t used = atomic_load_explicit(&nslots, memory_order_acquire);
    for (uint32_t i = 0; leaks && i < used; i++) {
        struct entry *e = entry_at(i);
        if (!e->live || e->ownership != FS_HANDLE_OWNED || e->inherited || (!all && e->opened.seq <= since))
            continue;
        leaks[n++] = (struct leak){encode(i, e->gen), e->access, fs_object_ref(e->obj), e->opened};
    }
    unlock_all_stripes();
    *out = leaks;
    return n;
}

static void describe_leak(const struct leak *l, char *sentence, size_t size)
{
    char what[160] = "";
    const struct fs_object_ops *kind = l->obj->ops;
    if (kind->describe)
        kind->describe(l->obj, what, sizeof what);
    snprintf(sentence, size, "%s handle %#lx (%s%saccess %#x) was never closed", kind->name, (unsigned long)l->value,
             what, what[0] ? ", " : "", l->access);
}

size_t fs_handle_list_since(uint64_t since, FILE *out)
{
    struct leak *leaks;
    size_t n = collect(since, 0, &leaks);
    for (size_t i = 0; i < n; i++) {
        char sentence[320];
        describe_leak(&leaks[i], sentence, sizeof sentence);
        fprintf(out, "%s\n  handed out by ", sentence);
        fs_origin_print(out, &leaks[i].opened, "  ");
        fs_object_unref(leaks[i].obj);
    }
    free(leaks);
    return n;
}

size_t fs_handle_report_leaks(void)
{
    struct leak *leaks;
    size_t n = collect(0, 1, &leaks);
    for (size_t i = 0; i < n; i++) {
        char sentence[320];
        describe_leak(&leaks[i], sentence, sizeof sentence);
        fs_leak(leaks[i].obj->ops->leak_name, sentence, &leaks[i].opened);
        fs_object_unref(leaks[i].obj);
    }
    free(leaks);
    return n;
}

void fs_handle_fork_child(void)
{
    lock_all_stripes();
    uint32_t used = atomic_load_explicit(&nslots, memory_order_acquire);
    for (uint32_t i = 0; i < used; i++)
        if (entry_at(i)->live)
            entry_at(i)->inherited = 1;
    unlock_all_stripes();
}

void fs_handle_reset(void)
{
    lock_all_stripes();
    pthread_mutex_lock(&alloc.lock);
    uint32_t old_n = atomic_load_explicit(&nslots, memory_order_relaxed);
    struct chunk *retired = NULL, **tail = &retired;
    for (uint32_t c = 0; c < MAX_CHUNKS; c++) {
        struct chunk *taken = atomic_exchange_explicit(&chunks[c], NULL, memory_order_relaxed);
        if (!taken)
            break; /* chunks are made in order */
        taken->retired_next = NULL;
        *tail = taken;
        tail = &taken->retired_next;
    }
    atomic_store_explicit(&nslots, 0, memory_order_release);
    alloc.free_head = alloc.free_tail = alloc.nfree = 0;
    atomic_store_explicit(&reset_epoch, atomic_load_explicit(&reset_epoch, memory_order_relaxed) + 1,
                          memory_order_release);
    if (alloc.issued_since_reset) { /* above every generation issued so far (wrapping at 2^32, as a slot's would) */
        uint32_t highest = atomic_load(&alloc.highest_gen);
        alloc.first_gen = highest + 1 ? highest + 1 : 1;
        atomic_store(&alloc.highest_gen, alloc.first_gen);
        alloc.issued_since_reset = 0;
    }
    for (uint32_t i = 0; i < NSTRIPES; i++)
        stripes[i].owned_live = stripes[i].lent_live = 0;
    pthread_mutex_unlock(&alloc.lock);
    unlock_all_stripes();
    /* Unref outside the locks: a dying object may revoke the handles it lent. */
    for (uint32_t base = 0; retired; base += CHUNK_SLOTS) {
        struct chunk *c = retired;
        for (uint32_t i = 0; i < CHUNK_SLOTS && base + i < old_n; i++)
            if (c->entries[i].live && c->entries[i].ownership == FS_HANDLE_OWNED)
                fs_object_unref(c->entries[i].obj);
        retired = c->retired_next;
        free(c);
    }
}
