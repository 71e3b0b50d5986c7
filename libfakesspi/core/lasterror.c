/* Thread-local last error, as GetLastError keeps it per thread on Windows. */
#include "lasterror.h"

static _Thread_local uint32_t last_error;

uint32_t fs_last_error_get(void) { return last_error; }
void fs_last_error_set(uint32_t error) { last_error = error; }
