/* LUIDs grow from a seeded base, like Windows' since-boot counter, and never repeat. */
#include "luid.h"

#include <stdatomic.h>
#include "core/cacheline.h"
#include "core/rng.h"

static FS_OWN_LINES(atomic_uint_fast64_t n;) next; /* written by every LUID handed out (core/cacheline.h) */

void fs_luid_reset(void)
{
    /* Above the well-known session LUIDs (0x3e4..0x3e7), below 2^32 like a fresh boot's. */
    atomic_store(&next.n, 0x10000u + (fs_rng_u64() & 0xFFFFFu));
}

uint64_t fs_luid_next(void)
{
    uint64_t v = atomic_fetch_add(&next.n, 1);
    if (v == 0) { /* never initialised: start like a reset would */
        fs_luid_reset();
        v = atomic_fetch_add(&next.n, 1);
    }
    return v;
}
