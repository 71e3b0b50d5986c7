/* Shared state that threads write on every call kept apart from what they only read. Two threads doing
 * handshakes spent a third more CPU on each than one thread did, and a profile put much of it in flags read on
 * every call (fs_strict, the trace switch) that sat on the cache line of a counter another thread was writing:
 * each write took the line from the other core (bench/README, 2026-12-02). */
#ifndef FS_CORE_CACHELINE_H
#define FS_CORE_CACHELINE_H

#define FS_CACHELINE 64

/* Declares a struct type whose first member starts a cache line and whose size is whole lines, so that nothing
 * else shares its lines:  static FS_OWN_LINES(atomic_uint_fast64_t n;) last_call;  then last_call.n. */
#define FS_OWN_LINES(...) \
    struct { \
        _Alignas(FS_CACHELINE) __VA_ARGS__ \
    }

#endif
