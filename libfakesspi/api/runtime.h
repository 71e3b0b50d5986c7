/* The runtime's own state: what fakesspi_reset() rebuilds. */
#ifndef FS_API_RUNTIME_H
#define FS_API_RUNTIME_H

#include <stddef.h>

/* fakesspi_reset(): label names the reset in the trace (a test's name), or NULL. */
void fs_runtime_reset(const char *label);
size_t fs_runtime_report_leaks(void);
/* WSAStartup's count (winsockapi.c), forgotten by fakesspi_reset(). */
void fs_winsock_reset(void);

#endif
