/* The only door to time: a virtual clock, fixed by default so runs repeat byte for byte. */
#ifndef FS_CORE_CLOCK_H
#define FS_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* 2025-01-01T00:00:00Z as a FILETIME (100 ns since 1601): where FAKESSPI_CLOCK=fixed starts. */
#define FS_CLOCK_EPOCH 133801632000000000ull
/* "Never expires", as SSPI writes it. */
#define FS_TIME_NEVER 0x7FFFFFFFFFFFFFFFll

/* FILETIME is 100 ns units since 1601-01-01 UTC (MS-DTYP 2.3.3); the one place that converts it. */
#define FS_FILETIME_PER_SECOND 10000000ull
#define FS_FILETIME_SECONDS_TO_1970 11644473600ull /* 1601-01-01 to 1970-01-01 */
/* Seconds and nanoseconds since 1970 (UTC) as a FILETIME; times before 1601 are not represented. */
uint64_t fs_filetime_from_unix(int64_t seconds, long nanoseconds);
/* The calendar date and time (UTC, whole seconds) of a FILETIME; -1 if the C library cannot say. */
int fs_filetime_to_tm(uint64_t filetime, struct tm *out);
/* The FILETIME of a calendar date and time (UTC); -1 unless every field is in range (no 30 February,
 * no 29 February outside leap years, no leap second) and the date is in 1970 or later. */
int fs_filetime_from_tm(const struct tm *tm, uint64_t *filetime);

/* FILETIME now: the virtual time (fixed mode) or the system time (FAKESSPI_CLOCK=real). */
uint64_t fs_clock_now(void);
void fs_clock_set_real(int real);
/* Fixed mode only: moves the virtual time. */
void fs_clock_set(uint64_t filetime);
void fs_clock_advance(int64_t delta_100ns);
void fs_clock_reset(void);

#endif
