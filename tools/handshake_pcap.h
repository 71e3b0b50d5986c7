/* sspi-handshake --pcap: the exchange written as a capture Wireshark and tshark read (pcapng), in its usual
 * carrier: one TCP connection of HTTP requests carrying `Authorization: NTLM|Negotiate <base64>` and
 * responses carrying `WWW-Authenticate`. Addresses, ports and times are fixed, so a run's bytes repeat. */
#ifndef TOOLS_HANDSHAKE_PCAP_H
#define TOOLS_HANDSHAKE_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* One leg as it went: the side that called, whether the call succeeded or asked for more, and its token. */
void pcap_leg(int client, int ok, int done, const uint8_t *token, size_t len);
/* Writes the legs so far to path as pcapng; scheme is the HTTP scheme ("NTLM" or "Negotiate"). 0, or -1
 * with errno set. Forgets the legs. */
int pcap_write(const char *path, const char *scheme, const char *host);

#endif
