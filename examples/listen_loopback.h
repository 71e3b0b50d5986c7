/* Listening on loopback, as every sample server here does. Written the way Windows code is. */
#ifndef SSPI_EXAMPLE_LISTEN_LOOPBACK_H
#define SSPI_EXAMPLE_LISTEN_LOOPBACK_H

#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A listening socket on 127.0.0.1:PORT (0: any), its port printed for whoever started the server. */
static SOCKET ListenOnLoopback(const char *port)
{
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)atoi(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int addrLen = sizeof addr;
    if (listener == INVALID_SOCKET || bind(listener, (SOCKADDR *)&addr, sizeof addr) == SOCKET_ERROR ||
        listen(listener, 1) == SOCKET_ERROR ||
        getsockname(listener, (SOCKADDR *)&addr, (socklen_t *)&addrLen) == SOCKET_ERROR) {
        printf("cannot listen: WSA error %d\n", WSAGetLastError());
        if (listener != INVALID_SOCKET)
            closesocket(listener);
        return INVALID_SOCKET;
    }
    printf("listening on 127.0.0.1:%u\n", ntohs(addr.sin_port));
    fflush(stdout);
    return listener;
}

#endif
