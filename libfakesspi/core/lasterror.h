/* The calling thread's Win32 last-error value. */
#ifndef FS_CORE_LASTERROR_H
#define FS_CORE_LASTERROR_H

#include <stdint.h>

uint32_t fs_last_error_get(void);
/* Sets the value and notes errno as it stands. */
void fs_last_error_set(uint32_t error);
/* Notes errno as it stands: what the library itself did to errno is not a socket failure. */
void fs_last_error_mark_errno(void);
/* errno changed since it was last noted: a C library (socket) call failed since. */
int fs_last_error_errno_changed(void);

#endif
