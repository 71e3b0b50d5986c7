/* The gate every library call passes, so that fork() finds no thread inside the library: the
 * pthread_atfork handlers close it and wait until no call is in flight (doc/semantics.md §39). */
#ifndef FS_API_FORK_GATE_H
#define FS_API_FORK_GATE_H

/* A call enters and leaves; nested entries (a misuse callback calling back in) count once. While a
 * fork is waiting, an entering call waits for it to finish. */
void fs_fork_gate_enter(void);
void fs_fork_gate_leave(void);

/* pthread_atfork's three moments: close waits until no other thread is inside a call; the parent
 * opens the gate again; the child starts with a fresh gate (its only thread is the one that forked). */
void fs_fork_gate_close(void);
void fs_fork_gate_open(void);
void fs_fork_gate_child(void);

/* For functions outside the entry shape (the control API): enters the gate and starts the library,
 * and leaves the gate when the function returns, whichever return it takes. */
struct fs_gate_scope {
    int entered;
};
struct fs_gate_scope fs_gate_scope_enter(void);
void fs_gate_scope_leave(struct fs_gate_scope *scope);
#define FS_CONTROL_ENTER() \
    __attribute__((cleanup(fs_gate_scope_leave))) struct fs_gate_scope fs_gate_scope_ = fs_gate_scope_enter()

#endif
