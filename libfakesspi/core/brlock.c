/* Per-thread reader marks (see brlock.h). A reader's mark is a sequentially consistent store to its own cache
 * line followed by a load of the lock's writer flag; a writer stores its flag and then loads every mark. In
 * that order one of the two always sees the other, so a writer never runs beside a reader. */
#include "brlock.h"

#include <stdlib.h>

struct slot {
    _Alignas(64) atomic_uint reading[FS_BRLOCK_MAX];
    atomic_int in_use;
    struct slot *next;
};

static _Atomic(struct slot *) slots;
static _Thread_local struct slot *own;
static _Thread_local unsigned depth[FS_BRLOCK_MAX];
static _Thread_local unsigned char counted_unslotted[FS_BRLOCK_MAX]; /* this thread's read is in l->unslotted */
static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;

/* At thread exit the slot goes back for another thread; a later destructor that calls in claims one afresh. */
static void release_slot(void *p)
{
    struct slot *s = p;
    own = NULL;
    for (unsigned i = 0; i < FS_BRLOCK_MAX; i++)
        atomic_store(&s->reading[i], 0);
    atomic_store(&s->in_use, 0);
}

static void make_slot_key(void) { pthread_key_create(&slot_key, release_slot); }

static struct slot *claim_slot(void)
{
    for (struct slot *s = atomic_load(&slots); s; s = s->next) {
        int idle = 0;
        if (atomic_compare_exchange_strong(&s->in_use, &idle, 1))
            return s;
    }
    /* The C library's allocator, not fs_malloc: a lock must not be what an injected allocation failure hits.
     * Slots are kept for the process's life and reused: there are as many as the most threads alive at once. */
    struct slot *s = aligned_alloc(64, sizeof *s);
    if (!s)
        return NULL;
    for (unsigned i = 0; i < FS_BRLOCK_MAX; i++)
        atomic_init(&s->reading[i], 0);
    atomic_init(&s->in_use, 1);
    s->next = atomic_load(&slots);
    while (!atomic_compare_exchange_weak(&slots, &s->next, s))
        ;
    return s;
}

static struct slot *own_slot(void)
{
    if (!own) {
        pthread_once(&slot_once, make_slot_key);
        if ((own = claim_slot()))
            pthread_setspecific(slot_key, own);
    }
    return own;
}

/* A read is marked in the thread's slot, or counted in the lock when the thread has none; it is unmarked the way it
 * was marked, even if a slot has been found in between. */
static void mark(struct fs_brlock *l, int on)
{
    if (!on && counted_unslotted[l->index]) {
        counted_unslotted[l->index] = 0;
        atomic_fetch_sub(&l->unslotted, 1);
        return;
    }
    struct slot *s = own_slot();
    if (s) {
        atomic_store(&s->reading[l->index], on ? 1u : 0u);
    } else if (on) {
        counted_unslotted[l->index] = 1;
        atomic_fetch_add(&l->unslotted, 1);
    }
}

static void wake(struct fs_brlock *l)
{
    pthread_mutex_lock(&l->wait_lock);
    pthread_cond_broadcast(&l->wait_cond);
    pthread_mutex_unlock(&l->wait_lock);
}

void fs_brlock_read(struct fs_brlock *l)
{
    if (depth[l->index]++)
        return;
    for (;;) {
        mark(l, 1);
        if (!atomic_load(&l->writer))
            return;
        /* A writer holds or wants the lock: step back out, let it finish, try again. */
        mark(l, 0);
        wake(l);
        pthread_mutex_lock(&l->wait_lock);
        while (atomic_load(&l->writer))
            pthread_cond_wait(&l->wait_cond, &l->wait_lock);
        pthread_mutex_unlock(&l->wait_lock);
    }
}

void fs_brlock_read_unlock(struct fs_brlock *l)
{
    if (!depth[l->index] || --depth[l->index])
        return;
    mark(l, 0);
    if (atomic_load(&l->writer))
        wake(l); /* it may be waiting for this reader */
}

int fs_brlock_reading(const struct fs_brlock *l) { return depth[l->index] != 0; }

static unsigned readers(struct fs_brlock *l)
{
    unsigned n = atomic_load(&l->unslotted);
    for (struct slot *s = atomic_load(&slots); s; s = s->next)
        n += atomic_load(&s->reading[l->index]);
    return n;
}

void fs_brlock_write(struct fs_brlock *l)
{
    unsigned mine = depth[l->index] ? 1u : 0u;
    pthread_mutex_lock(&l->write_lock);
    atomic_store(&l->writer, 1);
    pthread_mutex_lock(&l->wait_lock);
    while (readers(l) > mine)
        pthread_cond_wait(&l->wait_cond, &l->wait_lock);
    pthread_mutex_unlock(&l->wait_lock);
}

void fs_brlock_write_unlock(struct fs_brlock *l)
{
    atomic_store(&l->writer, 0);
    wake(l);
    pthread_mutex_unlock(&l->write_lock);
}

void fs_brlock_child_reset(struct fs_brlock *l)
{
    pthread_mutex_init(&l->write_lock, NULL);
    pthread_mutex_init(&l->wait_lock, NULL);
    pthread_cond_init(&l->wait_cond, NULL);
    atomic_store(&l->writer, 0);
    atomic_store(&l->unslotted, counted_unslotted[l->index]); /* the forking thread's own read, if counted there */
}

void fs_brlock_fork_child(void)
{
    for (struct slot *s = atomic_load(&slots); s; s = s->next)
        if (s != own) {
            for (unsigned i = 0; i < FS_BRLOCK_MAX; i++)
                atomic_store(&s->reading[i], 0);
            atomic_store(&s->in_use, 0);
        }
}
