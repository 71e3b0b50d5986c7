/* sspi-decode's reading of captures (tools only): pcap and pcapng files, the authentication tokens in their
 * packets in order. */
#ifndef TOOLS_CAPTURE_READ_H
#define TOOLS_CAPTURE_READ_H

#include <stddef.h>
#include <stdint.h>

enum capture_kind {
    CAPTURE_TEXT,  /* a TCP payload that may hold HTTP headers: the caller looks for Authorization lines */
    CAPTURE_TOKEN, /* a token's bytes: a Kerberos message on port 88, or an NTLM message inside another protocol */
};

/* Nonzero when p starts like a pcap or pcapng file. */
int capture_is(const uint8_t *p, size_t n);
/* Calls found for each packet payload worth a look, in file order; returns the number of packets read, -1
 * with a message in why for a damaged file, or -2 when found returned nonzero (its own message said why). Link types: Ethernet (with 802.1Q), raw IP, Linux cooked
 * (v1, v2), BSD loopback; IPv4 and IPv6; TCP and UDP. A message split over several segments is not joined. */
long capture_read(const uint8_t *p, size_t n, int (*found)(enum capture_kind kind, const uint8_t *data, size_t len,
                                                           void *ctx),
                  void *ctx, char *why, size_t cap);

#endif
