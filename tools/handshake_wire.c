/* Loopback TCP frames for sspi-handshake --listen / --connect. */
#include "handshake_wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int wire_listen(unsigned port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) || bind(s, (struct sockaddr *)&a, sizeof a) ||
        listen(s, 1) || getsockname(s, (struct sockaddr *)&a, &alen)) {
        fprintf(stderr, "sspi-handshake: cannot listen on 127.0.0.1:%u: %s\n", port, strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    fprintf(stderr, "listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
    fflush(stderr);
    int c = accept(s, NULL, NULL);
    if (c < 0)
        fprintf(stderr, "sspi-handshake: accept: %s\n", strerror(errno));
    close(s);
    return c;
}

int wire_connect(const char *address)
{
    char host[256];
    const char *colon = strrchr(address, ':');
    if (!colon || colon == address || (size_t)(colon - address) >= sizeof host || !colon[1]) {
        fprintf(stderr, "sspi-handshake: --connect wants HOST:PORT, not '%s'\n", address);
        return -1;
    }
    memcpy(host, address, (size_t)(colon - address));
    host[colon - address] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc) {
        fprintf(stderr, "sspi-handshake: %s: %s\n", address, gai_strerror(rc));
        return -1;
    }
    int s = -1;
    for (struct addrinfo *r = res; r && s < 0; r = r->ai_next) {
        s = socket(r->ai_family, r->ai_socktype, r->ai_protocol);
        if (s >= 0 && connect(s, r->ai_addr, r->ai_addrlen)) {
            close(s);
            s = -1;
        }
    }
    freeaddrinfo(res);
    if (s < 0)
        fprintf(stderr, "sspi-handshake: cannot connect to %s: %s\n", address, strerror(errno));
    return s;
}

static int write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t w = write(fd, c, n);
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    for (char *c = p; n;) {
        ssize_t r = read(fd, c, n);
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

int wire_send(int fd, int32_t status, const void *data, uint32_t len)
{
    uint32_t head[2] = {htonl((uint32_t)status), htonl(len)};
    return write_all(fd, head, sizeof head) || (len && write_all(fd, data, len)) ? -1 : 0;
}

int wire_recv(int fd, int32_t *status, void *data, uint32_t cap, uint32_t *len)
{
    uint32_t head[2];
    if (read_all(fd, head, sizeof head))
        return -1;
    *status = (int32_t)ntohl(head[0]);
    *len = ntohl(head[1]);
    if (*len > cap)
        return -1;
    return *len ? read_all(fd, data, *len) : 0;
}
