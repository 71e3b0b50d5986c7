/* The gate every library call passes, so that fork() finds no thread inside the library: the
 * pthread_atfork handlers close it and wait until no call is in flight (doc/semantics.md §39). */
#ifndef FS_CORE_FORK_GATE_H
#define FS_CORE_FORK_GATE_H

/* A call enters and leaves; nested entries (a misuse callback calling back in) count once. While a
 * fork is waiting, an entering call waits for it to finish. */
void fs_fork_gate_enter(void);
void fs_fork_gate_leave(void);

/* pthread_atfork's three moments: close waits until no other thread is inside a call; the parent
 * opens the gate again; the child starts with a fresh gate (its only thread is the one that forked). */
void fs_fork_gate_close(void);
void fs_fork_gate_open(void);
void fs_fork_gate_child(void);

#endif
