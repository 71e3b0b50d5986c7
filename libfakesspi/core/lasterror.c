/* Thread-local last error, as GetLastError keeps it per thread on Windows. Winsock shares that value on
 * Windows, but our sockets are the C library's, which fail through errno: errno as it stood when the value
 * was last set (or a call of ours ended) is kept, so that a change since then can be told apart as the
 * failure of a socket call the program made (doc/semantics.md §43). */
#include "lasterror.h"

#include <errno.h>

static _Thread_local uint32_t last_error;
static _Thread_local int errno_seen;

uint32_t fs_last_error_get(void) { return last_error; }

void fs_last_error_set(uint32_t error)
{
    last_error = error;
    errno_seen = errno;
}

void fs_last_error_mark_errno(void) { errno_seen = errno; }

int fs_last_error_errno_changed(void) { return errno != errno_seen; }
