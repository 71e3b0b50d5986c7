/* Sending and receiving whole buffers over a socket, as every sample here does. Written the way Windows code
 * is. */
#ifndef SSPI_EXAMPLE_SOCKET_IO_H
#define SSPI_EXAMPLE_SOCKET_IO_H

#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <security.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BOOL SendBytes(SOCKET s, const void *buf, DWORD len)
{
    const char *p = (const char *)buf;
    while (len > 0) {
        int sent = send(s, p, (int)len, 0);
        if (sent == SOCKET_ERROR || sent == 0)
            return FALSE;
        p += sent;
        len -= (DWORD)sent;
    }
    return TRUE;
}

static BOOL ReceiveBytes(SOCKET s, void *buf, DWORD len)
{
    char *p = (char *)buf;
    while (len > 0) {
        int got = recv(s, p, (int)len, 0);
        if (got == SOCKET_ERROR || got == 0)
            return FALSE;
        p += got;
        len -= (DWORD)got;
    }
    return TRUE;
}

#endif
