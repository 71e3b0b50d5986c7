/* Virtual time: tests reach expiry by moving it, never by sleeping. */
#include "clock.h"

#include <stdatomic.h>
#include <time.h>

static atomic_uint_fast64_t virtual_now = FS_CLOCK_EPOCH;
static atomic_int real_time;

uint64_t fs_clock_now(void)
{
    if (!atomic_load(&real_time))
        return atomic_load(&virtual_now);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}

void fs_clock_set_real(int real) { atomic_store(&real_time, real ? 1 : 0); }
void fs_clock_set(uint64_t filetime) { atomic_store(&virtual_now, filetime); }
void fs_clock_advance(int64_t delta) { atomic_fetch_add(&virtual_now, (uint64_t)delta); }

void fs_clock_reset(void)
{
    atomic_store(&virtual_now, FS_CLOCK_EPOCH);
    atomic_store(&real_time, 0);
}
