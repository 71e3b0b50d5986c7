/* The calling thread's Win32 last-error value. */
#ifndef FS_CORE_LASTERROR_H
#define FS_CORE_LASTERROR_H

#include <stdint.h>

uint32_t fs_last_error_get(void);
void fs_last_error_set(uint32_t error);

#endif
