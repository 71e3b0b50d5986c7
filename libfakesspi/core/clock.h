/* The only door to time: a virtual clock, fixed by default so runs repeat byte for byte. */
#ifndef FS_CORE_CLOCK_H
#define FS_CORE_CLOCK_H

#include <stdint.h>

/* 2025-01-01T00:00:00Z as a FILETIME (100 ns since 1601): where FAKESSPI_CLOCK=fixed starts. */
#define FS_CLOCK_EPOCH 133801632000000000ull
/* "Never expires", as SSPI writes it. */
#define FS_TIME_NEVER 0x7FFFFFFFFFFFFFFFll

/* FILETIME now: the virtual time (fixed mode) or the system time (FAKESSPI_CLOCK=real). */
uint64_t fs_clock_now(void);
void fs_clock_set_real(int real);
/* Fixed mode only: moves the virtual time. */
void fs_clock_set(uint64_t filetime);
void fs_clock_advance(int64_t delta_100ns);
void fs_clock_reset(void);

#endif
