/* fork() while other threads use the library: every call reads the gate, the pthread_atfork handlers take it to
 * write, which waits until no call is in flight, so the child inherits no lock held by a thread it does not have
 * (doc/semantics.md §39). A brlock, so that calls on different threads write no shared cache line. */
#include "fork_gate.h"

#include "brlock.h"

static struct fs_brlock gate = FS_BRLOCK_INIT(FS_BRLOCK_FORK_GATE);

void fs_fork_gate_enter(void) { fs_brlock_read(&gate); }

void fs_fork_gate_leave(void) { fs_brlock_read_unlock(&gate); }

/* fork() from inside a call (a misuse callback) waits for the others only: the brlock does not count the
 * writer's own read. */
void fs_fork_gate_close(void) { fs_brlock_write(&gate); }

void fs_fork_gate_open(void) { fs_brlock_write_unlock(&gate); }

void fs_fork_gate_child(void)
{
    /* The waiters were threads of the parent: the gate starts afresh, and their slots are free again. */
    fs_brlock_child_reset(&gate);
    fs_brlock_fork_child();
}
