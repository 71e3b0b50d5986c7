/* The one capture writer: security tokens and sealed messages as packets of synthetic IPv4/TCP
 * connections in pcapng, carried as HTTP or as the length-prefixed framing of the SSPI socket samples.
 * sspi-handshake --pcap and FAKESSPI_PCAP both write through it. */
#ifndef FS_CORE_PCAP_H
#define FS_CORE_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

enum fs_pcap_carrier {
    /* The socket samples' framing (examples/sspi_common.h): the client sends a 32-bit little-endian length
     * and the token; the server answers with its 32-bit status, the length and its token (length 0 when it
     * has none, or failed); a sealed message is one length-prefixed message holding the trailer's 32-bit
     * size, the trailer, then the encrypted data; a signed message (MakeSignature's) is framed the same, the
     * signature's size with the top bit set (FS_PCAP_SIGNED_BIT) and the data in the clear. The samples
     * only seal; the bit is this framing's own, so a reader tells the two apart. */
    FS_PCAP_TCP,
    /* HTTP authentication (RFC 4559 for Negotiate; NTLM uses the same headers with its own scheme):
     * `Authorization: SCHEME <base64>` in requests, `WWW-Authenticate` in the 401 and 200 answers. HTTP
     * authentication seals nothing, so sealed messages are left out. */
    FS_PCAP_HTTP
};

/* In the TCP framing, the trailer-size word of a signed (not sealed) message carries this bit. */
#define FS_PCAP_SIGNED_BIT 0x80000000u

/* Servers' ports: 80 for HTTP; for the socket samples' framing, which no Wireshark dissector reads, a port
 * no dissector claims, so the bytes show as data until tools/fakesspi-sspi.lua frames them. */
#define FS_PCAP_HTTP_PORT 80
#define FS_PCAP_TCP_PORT 7070
/* Each connection's client port is this plus the connection's number. */
#define FS_PCAP_FIRST_CLIENT_PORT 49152

/* A capture in the making: its bytes, and the time of the next packet (microseconds since 1970; each
 * packet is 1 ms after the one before). */
struct fs_pcap {
    struct fs_writer out;
    uint64_t usec;
};

/* One TCP connection between 192.0.2.10 (the client) and 192.0.2.80 (the server), RFC 5737 addresses. */
struct fs_pcap_conn {
    enum fs_pcap_carrier carrier;
    uint16_t client_port, server_port;
    uint32_t seq[2]; /* next sequence number: [0] client, [1] server */
    uint16_t ip_id;
};

/* Starts a capture whose first packet is at usec: the section header and one raw-IPv4 interface. */
void fs_pcap_begin(struct fs_pcap *p, uint64_t usec);
/* Packets from now on are no earlier than usec (a clock that moved on). */
void fs_pcap_at(struct fs_pcap *p, uint64_t usec);
/* Connection number n: SYN, SYN-ACK, ACK. */
void fs_pcap_connect(struct fs_pcap *p, struct fs_pcap_conn *c, enum fs_pcap_carrier carrier, unsigned n);
/* FIN from each side. */
void fs_pcap_disconnect(struct fs_pcap *p, struct fs_pcap_conn *c);

/* One call's token in the connection's carrier. status is the call's SECURITY_STATUS: the server's is on the
 * wire in the TCP framing, and in HTTP it picks 401 or 200. A client that failed, or finished with nothing to
 * send, sends nothing; scheme ("NTLM" or "Negotiate") and host are HTTP's. */
void fs_pcap_token(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, int32_t status, const uint8_t *token,
                   size_t len, const char *scheme, const char *host);
/* A sealed message (EncryptMessage's trailer and data: sealed 1) or a signed one (MakeSignature's signature
 * and the clear data: sealed 0) in the TCP framing; nothing in HTTP. */
void fs_pcap_message(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, int sealed, const uint8_t *trailer,
                     size_t trailer_len, const uint8_t *data, size_t data_len);

/* The usec of a FILETIME, for fs_pcap_begin and fs_pcap_at. */
uint64_t fs_pcap_usec(uint64_t filetime);

#endif
