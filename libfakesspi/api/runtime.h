/* The runtime's own state: what fakesspi_reset() rebuilds. */
#ifndef FS_API_RUNTIME_H
#define FS_API_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* fakesspi_reset(): label names the reset in the trace (a test's name), or NULL. */
void fs_runtime_reset(const char *label);
size_t fs_runtime_report_leaks(void);
/* 1 while every key comes from the default seed: FAKESSPI_SEED unset, fakesspi_set_seed() not called. */
int fs_runtime_default_seed(void);
void fs_runtime_seed_chosen(void);
/* WSAStartup's count (winsockapi.c), forgotten by fakesspi_reset(). */
void fs_winsock_reset(void);
/* The thread's one last-error value, which GetLastError and WSAGetLastError both read: a socket call
 * that failed (errno changed) since the value was set is taken in as its WSA code (winsockapi.c). */
uint32_t fs_winsock_last_error(void);

#endif
