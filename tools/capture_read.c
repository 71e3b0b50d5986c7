/* pcap (the libpcap file format) and pcapng (draft-ietf-opsawg-pcapng) read just far enough to find
 * authentication tokens: link layer, IP, TCP or UDP, then the payload. */
#include "capture_read.h"

#include <stdio.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p, int big)
{
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t rd16(const uint8_t *p, int big) { return (uint16_t)(big ? p[0] << 8 | p[1] : p[1] << 8 | p[0]); }

int capture_is(const uint8_t *p, size_t n)
{
    if (n < 24)
        return 0;
    uint32_t le = rd32(p, 0);
    return le == 0x0A0D0D0Au || le == 0xa1b2c3d4u || le == 0xd4c3b2a1u || le == 0xa1b23c4du || le == 0x4d3cb2a1u;
}

/* The payload of one IP packet: TCP or UDP, port 88 for Kerberos. */
static int ip_payload(const uint8_t *p, size_t n, int (*found)(enum capture_kind, const uint8_t *, size_t, void *),
                      void *ctx)
{
    uint8_t proto;
    size_t hl;
    if (n >= 20 && p[0] >> 4 == 4) {
        hl = (size_t)(p[0] & 15) * 4;
        size_t total = (size_t)(p[2] << 8 | p[3]);
        if (hl < 20 || total < hl || total > n)
            return 0;
        n = total;
        proto = p[9];
    } else if (n >= 40 && p[0] >> 4 == 6) {
        hl = 40;
        size_t total = 40 + (size_t)(p[4] << 8 | p[5]);
        if (total > n)
            return 0;
        n = total;
        proto = p[6];
    } else {
        return 0;
    }
    p += hl;
    n -= hl;
    size_t off;
    uint16_t sport, dport;
    if (proto == 6 && n >= 20) {
        off = (size_t)(p[12] >> 4) * 4;
    } else if (proto == 17 && n >= 8) {
        off = 8;
    } else {
        return 0;
    }
    if (off < 8 || off > n)
        return 0;
    sport = (uint16_t)(p[0] << 8 | p[1]);
    dport = (uint16_t)(p[2] << 8 | p[3]);
    const uint8_t *data = p + off;
    size_t len = n - off;
    if (!len)
        return 0;
    if (sport == 88 || dport == 88) {
        if (proto == 6) { /* RFC 4120 7.2.2: a 4-byte length before each message */
            if (len < 4 || rd32(data, 1) != len - 4)
                return 0;
            data += 4;
            len -= 4;
        }
        return found(CAPTURE_TOKEN, data, len, ctx);
    }
    int text = len >= 4;
    for (size_t i = 0; text && i < 4; i++)
        text = data[i] >= 0x20 && data[i] < 0x7f;
    if (text)
        return found(CAPTURE_TEXT, data, len, ctx);
    for (size_t i = 0; i + 8 <= len; i++) /* NTLM inside a binary protocol (SMB, LDAP, RPC) */
        if (!memcmp(data + i, "NTLMSSP", 8))
            return found(CAPTURE_TOKEN, data + i, len - i, ctx);
    return 0;
}

static int frame(uint32_t linktype, const uint8_t *p, size_t n,
                 int (*found)(enum capture_kind, const uint8_t *, size_t, void *), void *ctx)
{
    uint16_t ethertype;
    switch (linktype) {
    case 1: /* Ethernet */
        if (n < 14)
            return 0;
        ethertype = (uint16_t)(p[12] << 8 | p[13]);
        p += 14, n -= 14;
        while (ethertype == 0x8100 && n >= 4) {
            ethertype = (uint16_t)(p[2] << 8 | p[3]);
            p += 4, n -= 4;
        }
        return ethertype == 0x0800 || ethertype == 0x86DD ? ip_payload(p, n, found, ctx) : 0;
    case 0: /* BSD loopback: a 4-byte address family */
        return n > 4 ? ip_payload(p + 4, n - 4, found, ctx) : 0;
    case 12:
    case 101:
    case 228:
    case 229: /* raw IP */
        return ip_payload(p, n, found, ctx);
    case 113: /* Linux cooked v1: the protocol at 14 */
        return n > 16 && (p[14] << 8 | p[15]) != 0x0806 ? ip_payload(p + 16, n - 16, found, ctx) : 0;
    case 276: /* Linux cooked v2: the protocol at 0 */
        return n > 20 ? ip_payload(p + 20, n - 20, found, ctx) : 0;
    default:
        return 0;
    }
}

long capture_read(const uint8_t *p, size_t n, int (*found)(enum capture_kind, const uint8_t *, size_t, void *),
                  void *ctx, char *why, size_t cap)
{
    long packets = 0;
    uint32_t magic = rd32(p, 0);
    if (magic != 0x0A0D0D0Au) {
        int big = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
        uint32_t linktype = rd32(p + 20, big);
        for (size_t at = 24; at < n; packets++) {
            if (n - at < 16) {
                snprintf(why, cap, "offset %zu: a packet record cut short", at);
                return -1;
            }
            uint32_t incl = rd32(p + at + 8, big);
            if (incl > n - at - 16) {
                snprintf(why, cap, "offset %zu: a packet of %u bytes runs past the end", at, incl);
                return -1;
            }
            if (frame(linktype, p + at + 16, incl, found, ctx))
                return -2;
            at += 16 + (size_t)incl;
        }
        return packets;
    }
    int big = 0;
    uint32_t linktypes[64];
    size_t nifaces = 0;
    for (size_t at = 0; at < n;) {
        if (n - at < 12) {
            snprintf(why, cap, "offset %zu: a block cut short", at);
            return -1;
        }
        uint32_t type = rd32(p + at, big);
        if (type == 0x0A0D0D0Au) {
            uint32_t bom = rd32(p + at + 8, 0);
            if (bom != 0x1A2B3C4Du && bom != 0x4D3C2B1Au) {
                snprintf(why, cap, "offset %zu: a section header without its byte-order magic", at + 8);
                return -1;
            }
            big = bom == 0x4D3C2B1Au;
            nifaces = 0;
        }
        uint32_t len = rd32(p + at + 4, big);
        if (len < 12 || len % 4 || len > n - at) {
            snprintf(why, cap, "offset %zu: a block of %u bytes does not fit", at, len);
            return -1;
        }
        const uint8_t *body = p + at + 8;
        size_t body_len = len - 12;
        if (type == 1 && body_len >= 8 && nifaces < sizeof linktypes / sizeof *linktypes) {
            linktypes[nifaces++] = rd16(body, big);
        } else if (type == 6 && body_len >= 20) {
            uint32_t iface = rd32(body, big), caplen = rd32(body + 12, big);
            if (caplen > body_len - 20 || iface >= nifaces) {
                snprintf(why, cap, "offset %zu: a packet block names interface %u or %u bytes it lacks", at, iface,
                         caplen);
                return -1;
            }
            packets++;
            if (frame(linktypes[iface], body + 20, caplen, found, ctx))
                return -2;
        } else if (type == 3 && body_len >= 4 && nifaces) {
            uint32_t orig = rd32(body, big);
            packets++;
            if (frame(linktypes[0], body + 4, orig < body_len - 4 ? orig : body_len - 4, found, ctx))
                return -2;
        }
        at += len;
    }
    return packets;
}
