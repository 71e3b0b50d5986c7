/* WSAStartup and friends: Winsock's bookkeeping around the POSIX sockets winsock2.h names. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "runtime.h"
#include "core/lasterror.h"
#include "winsock2.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int startups;
static int warned; /* once per process */

void fs_winsock_reset(void)
{
    pthread_mutex_lock(&lock);
    startups = 0;
    pthread_mutex_unlock(&lock);
}

int WINAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    FS_GATE_SCOPE();
    if (!lpWSAData)
        return WSAEFAULT;
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    /* Windows offers 2.2 and grants the lower of it and what was asked; below 1.0 it refuses. */
    if (major < 1)
        return WSAVERNOTSUPPORTED;
    WORD granted = major > 2 || (major == 2 && minor >= 2) ? MAKEWORD(2, 2) : wVersionRequested;
    memset(lpWSAData, 0, sizeof *lpWSAData);
    lpWSAData->wVersion = granted;
    lpWSAData->wHighVersion = MAKEWORD(2, 2);
    strcpy(lpWSAData->szDescription, "WinSock 2.0");
    strcpy(lpWSAData->szSystemStatus, "Running");
    pthread_mutex_lock(&lock);
    startups++;
    int warn = !warned && fs_runtime_default_seed();
    warned |= warn;
    pthread_mutex_unlock(&lock);
    /* A program on the network with the default seed has the same session and ticket keys in every run:
     * right for tests, wrong for traffic anyone could capture (doc/semantics.md §34). */
    if (warn)
        fprintf(stderr, "fakesspi: warning: FAKESSPI_SEED is not set, so every challenge, session key and ticket key "
                        "is the same in every run; never use the default where the traffic matters "
                        "(FAKESSPI_SEED=random, or a number to keep runs repeatable)\n");
    return 0;
}

int WINAPI WSACleanup(void)
{
    FS_GATE_SCOPE();
    pthread_mutex_lock(&lock);
    int ok = startups > 0;
    if (ok)
        startups--;
    pthread_mutex_unlock(&lock);
    if (!ok) {
        fs_last_error_set(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    return 0;
}

/* The WSA code of a socket call's errno; 0 for an errno no socket call sets. */
static int wsa_code(int error)
{
    switch (error) {
    case EINTR: return WSAEINTR;
    case EBADF: return WSAEBADF;
    case EACCES: return WSAEACCES;
    case EFAULT: return WSAEFAULT;
    case EINVAL: return WSAEINVAL;
    case EMFILE: return WSAEMFILE;
    case EAGAIN: return WSAEWOULDBLOCK;
    case EINPROGRESS: return WSAEINPROGRESS;
    case ENOTSOCK: return WSAENOTSOCK;
    case EMSGSIZE: return WSAEMSGSIZE;
    case EAFNOSUPPORT: return WSAEAFNOSUPPORT;
    case EADDRINUSE: return WSAEADDRINUSE;
    case EADDRNOTAVAIL: return WSAEADDRNOTAVAIL;
    case ENETDOWN: return WSAENETDOWN;
    case ENETUNREACH: return WSAENETUNREACH;
    case ECONNABORTED: return WSAECONNABORTED;
    case ECONNRESET: case EPIPE: return WSAECONNRESET;
    case ENOBUFS: return WSAENOBUFS;
    case ENOTCONN: return WSAENOTCONN;
    case ETIMEDOUT: return WSAETIMEDOUT;
    case ECONNREFUSED: return WSAECONNREFUSED;
    case EHOSTUNREACH: return WSAEHOSTUNREACH;
    default: return 0;
    }
}

uint32_t fs_winsock_last_error(void)
{
    if (fs_last_error_errno_changed()) {
        int code = wsa_code(errno);
        if (code)
            fs_last_error_set((uint32_t)code);
        else
            fs_last_error_mark_errno();
    }
    return fs_last_error_get();
}

/* One value per thread, shared with GetLastError, as on Windows. */
int WINAPI WSAGetLastError(void) { return (int)fs_winsock_last_error(); }

void WINAPI WSASetLastError(int iError) { fs_last_error_set((uint32_t)iError); }


