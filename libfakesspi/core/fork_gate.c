/* fork() while other threads use the library: a count of the calls in flight that the fork handlers
 * wait on, so the child inherits no lock held by a thread it does not have (doc/semantics.md §39). */
#include "fork_gate.h"

#include <pthread.h>
#include <stdatomic.h>

static atomic_uint inside;  /* threads inside a library call */
static atomic_int closing;  /* a fork is waiting for them to leave */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static _Thread_local unsigned depth;

/* The last one out while a fork waits wakes it. The decrement and the load of closing are sequentially
 * consistent, as are close's store and load: one of the two sides sees the other. */
static void leave_counted(void)
{
    if (atomic_fetch_sub(&inside, 1) == 1 && atomic_load(&closing)) {
        pthread_mutex_lock(&gate_lock);
        pthread_cond_broadcast(&gate_cond);
        pthread_mutex_unlock(&gate_lock);
    }
}

void fs_fork_gate_enter(void)
{
    if (depth++)
        return;
    for (;;) {
        atomic_fetch_add(&inside, 1);
        if (!atomic_load(&closing))
            return;
        /* A fork is waiting: step back out until it is done. */
        leave_counted();
        pthread_mutex_lock(&gate_lock);
        while (atomic_load(&closing))
            pthread_cond_wait(&gate_cond, &gate_lock);
        pthread_mutex_unlock(&gate_lock);
    }
}

void fs_fork_gate_leave(void)
{
    if (depth && --depth == 0)
        leave_counted();
}

void fs_fork_gate_close(void)
{
    /* fork() from inside a call (a misuse callback) waits for the others only. */
    unsigned mine = depth ? 1u : 0u;
    pthread_mutex_lock(&gate_lock);
    atomic_store(&closing, 1);
    while (atomic_load(&inside) > mine)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

void fs_fork_gate_open(void)
{
    pthread_mutex_lock(&gate_lock);
    atomic_store(&closing, 0);
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

void fs_fork_gate_child(void)
{
    /* The waiters on the condition were threads of the parent: start the gate afresh. */
    pthread_mutex_init(&gate_lock, NULL);
    pthread_cond_init(&gate_cond, NULL);
    atomic_store(&inside, depth ? 1u : 0u);
    atomic_store(&closing, 0);
}
