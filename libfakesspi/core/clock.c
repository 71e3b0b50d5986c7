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
    return fs_filetime_from_unix(ts.tv_sec, ts.tv_nsec);
}

uint64_t fs_filetime_from_unix(int64_t seconds, long nanoseconds)
{
    return ((uint64_t)seconds + FS_FILETIME_SECONDS_TO_1970) * FS_FILETIME_PER_SECOND + (uint64_t)nanoseconds / 100u;
}

int fs_filetime_to_tm(uint64_t filetime, struct tm *out)
{
    time_t t = (time_t)((int64_t)(filetime / FS_FILETIME_PER_SECOND) - (int64_t)FS_FILETIME_SECONDS_TO_1970);
    return gmtime_r(&t, out) ? 0 : -1;
}

int fs_filetime_from_tm(const struct tm *tm, uint64_t *filetime)
{
    struct tm copy = *tm, back;
    copy.tm_isdst = 0;
    time_t t = timegm(&copy);
    /* timegm normalises 30 February into March: a date that does not come back unchanged did not exist. */
    /* 1601 to 9999: FILETIME's own range as far as a four-digit year goes (-1 is a real second here). */
    if (t < -(time_t)FS_FILETIME_SECONDS_TO_1970 || !gmtime_r(&t, &back) || back.tm_year != tm->tm_year ||
        back.tm_mon != tm->tm_mon ||
        back.tm_mday != tm->tm_mday || back.tm_hour != tm->tm_hour || back.tm_min != tm->tm_min ||
        back.tm_sec != tm->tm_sec)
        return -1;
    *filetime = fs_filetime_from_unix(t, 0);
    return 0;
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
