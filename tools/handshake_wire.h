/* sspi-handshake's wire between two processes: one TCP connection on the loopback, each message a frame
 * of a status (what the sender's last call returned) and a payload (a token or a sealed message). */
#ifndef TOOLS_HANDSHAKE_WIRE_H
#define TOOLS_HANDSHAKE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAX 65536

/* Listens on 127.0.0.1:port (0: any free port), tells stderr which ("listening on 127.0.0.1:N"),
 * accepts one client and returns its socket, or -1 with a message on stderr. */
int wire_listen(unsigned port);
/* Connects to host:port ("127.0.0.1:4000" or "localhost:4000"); the socket or -1 with a message. */
int wire_connect(const char *address);

/* Frame: 4-byte big-endian status, 4-byte big-endian length, payload. 0 or -1 (closed or too long). */
int wire_send(int fd, int32_t status, const void *data, uint32_t len);
int wire_recv(int fd, int32_t *status, void *data, uint32_t cap, uint32_t *len);

#endif
