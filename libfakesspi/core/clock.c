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
/* Saturates at 1601-01-01 and at the largest FILETIME instead of wrapping (INT64_MIN went to the far future). */
void fs_clock_advance(int64_t delta)
{
    uint_fast64_t now = atomic_load(&virtual_now), next;
    do {
        if (delta >= 0)
            next = (uint64_t)delta > (uint64_t)INT64_MAX - now ? (uint64_t)INT64_MAX : now + (uint64_t)delta;
        else
            next = delta == INT64_MIN || (uint64_t)-delta > now ? 0 : now - (uint64_t)-delta;
    } while (!atomic_compare_exchange_weak(&virtual_now, &now, next));
}

void fs_clock_reset(void)
{
    atomic_store(&virtual_now, FS_CLOCK_EPOCH);
    atomic_store(&real_time, 0);
}
