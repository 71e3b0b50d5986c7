/* Handle table: slot index + generation in every value, so stale and forged values are caught. */
#include "core/alloc.h"
#include "handles.h"

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

struct entry {
    uint32_t gen;          /* generation of the current or latest occupant */
    uint8_t live;
    uint8_t revoked;       /* tombstone: closed because the owner went away */
    uint8_t ownership;
    uint8_t inherited;     /* open when the process forked: the parent's, not this process's leak */
    uint32_t flags;
    uint32_t access;
    uint32_t next_free;    /* slot + 1 of the next free entry; 0 ends the list */
    const struct fs_object_ops *kind; /* kept in the tombstone, so late uses still say what it was */
    struct fs_object *obj;
    uintptr_t tag;
    uintptr_t owner;
    const struct fs_object_ops *owner_kind;
    struct fs_origin opened;
    struct fs_origin closed;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries;
static uint32_t nslots, capacity;
static uint32_t free_head, free_tail, nfree; /* slot + 1; 0 = none */
static size_t owned_live, lent_live;
/* Generations survive fakesspi_reset(): the first generation after it is above every one handed out before,
 * so a value the caller still holds, open or closed at the reset, never names a new object. A reset after
 * which no handle was handed out leaves them as they are (doc/semantics.md §35, §39). */
static uint32_t first_gen = 1, highest_gen = 1;
static int issued_since_reset;
static int windows_reuse;
/* Set once at start-up, read on every lookup: an atomic, not the table's lock. */
static _Atomic(fs_pseudo_resolver) pseudo_resolver;

static const char *kind_name(const struct fs_object_ops *kind) { return kind ? kind->name : "unknown"; }

void fs_handle_set_pseudo_resolver(fs_pseudo_resolver fn) { atomic_store(&pseudo_resolver, fn); }

/* 1 when key is a pseudo-handle, with what the resolver made of it (see fs_pseudo_resolver). */
static int resolve_pseudo(struct fs_handle_key key, struct fs_object **obj, uint32_t *access, fs_err *err)
{
    fs_pseudo_resolver fn = atomic_load_explicit(&pseudo_resolver, memory_order_acquire);
    *obj = NULL;
    return fn && !key.tag && fn(key.value, obj, access, err);
}

void fs_handle_set_reuse(int windows_style)
{
    pthread_mutex_lock(&lock);
    windows_reuse = windows_style;
    pthread_mutex_unlock(&lock);
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

static void push_free(uint32_t slot)
{
    struct entry *e = &entries[slot];
    if (windows_reuse) { /* LIFO: the value just freed is the next one handed out */
        e->next_free = free_head;
        free_head = slot + 1;
        if (!free_tail)
            free_tail = slot + 1;
    } else {
        e->next_free = 0;
        if (free_tail)
            entries[free_tail - 1].next_free = slot + 1;
        else
            free_head = slot + 1;
        free_tail = slot + 1;
    }
    nfree++;
}

static fs_err take_slot(uint32_t *slot_out)
{
    if (free_head && (windows_reuse || nfree > TOMBSTONE_QUEUE || nslots >= MAX_SLOTS)) {
        uint32_t slot = free_head - 1;
        free_head = entries[slot].next_free;
        if (!free_head)
            free_tail = 0;
        nfree--;
        if (!windows_reuse && ++entries[slot].gen == 0)
            entries[slot].gen = 1;
        if (entries[slot].gen > highest_gen)
            highest_gen = entries[slot].gen;
        *slot_out = slot;
        return FS_OK;
    }
    if (nslots >= MAX_SLOTS)
        return FS_E_NOMEM;
    if (nslots == capacity) {
        uint32_t cap = capacity ? capacity * 2 : 256;
        struct entry *grown = fs_realloc(entries, (size_t)cap * sizeof *grown);
        if (!grown)
            return FS_E_NOMEM;
        entries = grown;
        capacity = cap;
    }
    memset(&entries[nslots], 0, sizeof entries[nslots]);
    entries[nslots].gen = first_gen;
    issued_since_reset = 1;
    *slot_out = nslots++;
    return FS_OK;
}

static fs_err issue(enum fs_handle_ownership own, struct fs_object *obj, uint32_t access, uintptr_t tag,
                    const char *api, uintptr_t owner, const struct fs_object_ops *owner_kind, uintptr_t *value_out)
{
    struct fs_origin opened;
    fs_origin_capture(&opened, api);
    pthread_mutex_lock(&lock);
    uint32_t slot;
    fs_err err = take_slot(&slot);
    if (err == FS_OK) {
        struct entry *e = &entries[slot];
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
            owned_live++;
        else
            lent_live++;
        *value_out = encode(slot, e->gen);
        fs_htrace_record(own == FS_HANDLE_OWNED ? FS_HTRACE_OPENED : FS_HTRACE_LENT, e->kind->name, *value_out, owner,
                         0, &opened);
    }
    pthread_mutex_unlock(&lock);
    return err;
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
    const struct fs_object_ops *pseudo_kind; /* a pseudo-handle's object, for WRONG_KIND */
    struct entry snapshot;
};

/* Under the lock: finds the live entry for key, or explains why there is none. */
static struct entry *find(struct fs_handle_key key, const struct fs_object_ops *kind, int closing, struct verdict *v)
{
    uint32_t slot, gen;
    v->has_entry = 0;
    v->wrong_tag = 0;
    v->pseudo_kind = NULL;
    if (!decode(key.value, &slot, &gen) || slot >= nslots || gen > entries[slot].gen) {
        v->kind = FAKESSPI_MISUSE_INVALID_HANDLE;
        return NULL;
    }
    struct entry *e = &entries[slot];
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
    pthread_mutex_lock(&lock);
    struct entry *e = find(key, kind, 0, &v);
    uint32_t access = e ? e->access : 0;
    if (e && (access & need) == need)
        *obj_out = fs_object_ref(e->obj);
    pthread_mutex_unlock(&lock);
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

static void retire(struct entry *e, uint32_t slot, const char *api, int revoked)
{
    fs_origin_capture(&e->closed, api);
    fs_htrace_record(revoked ? FS_HTRACE_REVOKED : FS_HTRACE_CLOSED, kind_name(e->kind), encode(slot, e->gen),
                     e->owner, 0, &e->closed);
    e->live = 0;
    e->revoked = (uint8_t)revoked;
    if (e->ownership == FS_HANDLE_OWNED)
        owned_live--;
    else
        lent_live--;
    push_free(slot);
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
    fs_err result = FS_E_INVALID_HANDLE;
    pthread_mutex_lock(&lock);
    struct entry *e = find(key, kind, 1, &v);
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
        retire(e, (uint32_t)(e - entries), api, 0);
        pthread_mutex_unlock(&lock);
        return FS_OK;
    }
    if (e) {
        v.has_entry = 1;
        v.snapshot = *e;
    }
    pthread_mutex_unlock(&lock);
    report(&v, key.value, kind, api);
    return result;
}

void fs_handle_revoke(uintptr_t value, const char *api)
{
    uint32_t slot, gen;
    pthread_mutex_lock(&lock);
    if (decode(value, &slot, &gen) && slot < nslots && entries[slot].gen == gen && entries[slot].live &&
        entries[slot].ownership == FS_HANDLE_BORROWED) {
        entries[slot].obj = NULL;
        retire(&entries[slot], slot, api, 1);
    }
    pthread_mutex_unlock(&lock);
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
    pthread_mutex_lock(&lock);
    struct entry *e = find(key, kind, 0, &v);
    if (e)
        *flags = e->flags;
    pthread_mutex_unlock(&lock);
    if (e)
        return FS_OK;
    report(&v, key.value, kind, api);
    return FS_E_INVALID_HANDLE;
}

fs_err fs_handle_set_flags(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                           uint32_t mask, uint32_t flags)
{
    struct verdict v;
    pthread_mutex_lock(&lock);
    struct entry *e = find(key, kind, 0, &v);
    if (e)
        e->flags = (e->flags & ~mask) | (flags & mask);
    pthread_mutex_unlock(&lock);
    if (e)
        return FS_OK;
    report(&v, key.value, kind, api);
    return FS_E_INVALID_HANDLE;
}

void fs_handle_counts(size_t *owned, size_t *lent)
{
    pthread_mutex_lock(&lock);
    if (owned)
        *owned = owned_live;
    if (lent)
        *lent = lent_live;
    pthread_mutex_unlock(&lock);
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
    pthread_mutex_lock(&lock);
    struct leak *leaks = owned_live ? fs_calloc(owned_live, sizeof *leaks) : NULL;
    size_t n = 0;
    for (uint32_t i = 0; leaks && i < nslots; i++) {
        struct entry *e = &entries[i];
        if (!e->live || e->ownership != FS_HANDLE_OWNED || e->inherited || (!all && e->opened.seq <= since))
            continue;
        leaks[n++] = (struct leak){encode(i, e->gen), e->access, fs_object_ref(e->obj), e->opened};
    }
    pthread_mutex_unlock(&lock);
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
    pthread_mutex_lock(&lock);
    for (uint32_t i = 0; i < nslots; i++)
        if (entries[i].live)
            entries[i].inherited = 1;
    pthread_mutex_unlock(&lock);
}

void fs_handle_reset(void)
{
    pthread_mutex_lock(&lock);
    struct entry *old = entries;
    uint32_t old_n = nslots;
    entries = NULL;
    nslots = capacity = 0;
    free_head = free_tail = nfree = 0;
    if (issued_since_reset) { /* above every generation issued so far (wrapping at 2^32, as a slot's would) */
        first_gen = highest_gen + 1 ? highest_gen + 1 : 1;
        highest_gen = first_gen;
        issued_since_reset = 0;
    }
    owned_live = lent_live = 0;
    pthread_mutex_unlock(&lock);
    /* Unref outside the lock: a dying object may revoke the handles it lent. */
    for (uint32_t i = 0; i < old_n; i++)
        if (old[i].live && old[i].ownership == FS_HANDLE_OWNED)
            fs_object_unref(old[i].obj);
    free(old);
}
