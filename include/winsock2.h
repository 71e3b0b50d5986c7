/* Winsock, as far as code that authenticates over TCP needs it: the Windows names over the POSIX
 * socket API, so that a client or server written for Windows builds unchanged. Source-compatible, not
 * ABI-compatible: the socket constants (AF_INET, SOL_SOCKET, SO_REUSEADDR, ...) keep Linux's values,
 * because the calls go straight to the kernel, and a SOCKET holds a file descriptor. */
#ifndef FAKESSPI_WINSOCK2_H
#define FAKESSPI_WINSOCK2_H

#include "windows.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~(UINT_PTR)0))
#define SOCKET_ERROR (-1)
#define SD_RECEIVE SHUT_RD
#define SD_SEND SHUT_WR
#define SD_BOTH SHUT_RDWR

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE;
typedef struct addrinfo ADDRINFOA, *PADDRINFOA;

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128
/* The Win64 layout: the three short fields come before the strings there. */
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

/* The WSA error codes (WSAGetLastError) come from winerror.h, as on Windows. */

/* WSAStartup: version 2.2 and below 2.2 as Windows grants them (0, or WSAVERNOTSUPPORTED below 1.0);
 * counted, so that WSACleanup without a start is WSANOTINITIALISED. */
FAKESSPI_API int WINAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
FAKESSPI_API int WINAPI WSACleanup(void);
/* The last socket call's error as a WSA code (from errno). */
FAKESSPI_API int WINAPI WSAGetLastError(void);
FAKESSPI_API void WINAPI WSASetLastError(int iError);

static inline int closesocket(SOCKET s) { return close((int)s); }

#ifdef __cplusplus
}
#endif

#endif
