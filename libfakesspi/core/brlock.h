/* A readers-writer lock for what every call reads and almost nothing writes (the fork gate, the current
 * domain). A pthread rwlock makes every reader write the lock's one cache line, and two threads doing
 * handshakes then spend their time passing that line between cores. Here each thread marks its reads in a
 * slot of its own; only a writer looks at all of them. */
#ifndef FS_CORE_BRLOCK_H
#define FS_CORE_BRLOCK_H

#include <pthread.h>
#include <stdatomic.h>

/* The library's brlocks: each thread's slot has one reader mark for each. */
enum { FS_BRLOCK_FORK_GATE, FS_BRLOCK_DOMAIN, FS_BRLOCK_MAX };

struct fs_brlock {
    unsigned index;             /* this lock's mark in every slot: below FS_BRLOCK_MAX, one per lock */
    atomic_int writer;          /* a writer holds the lock or waits for its readers to leave */
    atomic_uint unslotted;      /* readers of threads that could not get a slot (no memory) */
    pthread_mutex_t write_lock; /* one writer at a time */
    pthread_mutex_t wait_lock;  /* with wait_cond: readers wait for a writer, a writer for the readers */
    pthread_cond_t wait_cond;
};
#define FS_BRLOCK_INIT(i) {(i), 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER}

/* Reads nest: a thread already reading goes on without waiting, even for a writer. */
void fs_brlock_read(struct fs_brlock *l);
void fs_brlock_read_unlock(struct fs_brlock *l);
/* Waits until no other thread reads (the caller's own reads, if it is reading, do not count), and keeps new
 * readers out until fs_brlock_write_unlock. */
void fs_brlock_write(struct fs_brlock *l);
void fs_brlock_write_unlock(struct fs_brlock *l);
/* Whether the calling thread is reading l. */
int fs_brlock_reading(const struct fs_brlock *l);

/* In a forked child: l as new (its locks were the parent's threads'), and the slots of the threads the
 * child does not have free for its new ones. */
void fs_brlock_child_reset(struct fs_brlock *l);
void fs_brlock_fork_child(void);

#endif
