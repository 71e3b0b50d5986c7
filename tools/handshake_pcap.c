/* The legs as pcapng (pcapng spec, draft-ietf-opsawg-pcapng: section header, interface description with
 * LINKTYPE_RAW, one enhanced packet block per IPv4/TCP segment) of an HTTP exchange (RFC 4559 for Negotiate;
 * NTLM over HTTP uses the same headers with its own scheme). */
#include "handshake_pcap.h"

#include <errno.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bytes.h"

struct leg {
    int client, ok, done;
    uint8_t *token;
    size_t len;
};

static struct leg legs[16];
static size_t nlegs;

void pcap_leg(int client, int ok, int done, const uint8_t *token, size_t len)
{
    if (nlegs == sizeof legs / sizeof *legs)
        return;
    struct leg *l = &legs[nlegs];
    l->token = len ? malloc(len) : NULL;
    if (len && !l->token)
        return;
    if (len)
        memcpy(l->token, token, len);
    l->client = client, l->ok = ok, l->done = done, l->len = len;
    nlegs++;
}

/* ---- bytes ---- */

static void be16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void be32(uint8_t *p, uint32_t v) { be16(p, v >> 16), be16(p + 2, v & 0xffff); }

/* RFC 1071 */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)(p[n - 1] << 8);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* ---- the TCP connection ---- */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static const uint8_t client_ip[4] = {192, 0, 2, 10};  /* RFC 5737 documentation addresses */
static const uint8_t server_ip[4] = {192, 0, 2, 80};
#define CLIENT_PORT 49152
#define SERVER_PORT 80
#define START_SECONDS 1735689600u /* 2025-01-01T00:00:00Z, the fake domain's clock */

struct conn {
    struct fs_writer out;
    uint32_t seq[2]; /* next sequence number: [0] client, [1] server */
    unsigned packets;
    uint16_t ip_id;
};

static void segment(struct conn *c, int from_client, uint8_t flags, const void *data, size_t n)
{
    size_t total = 20 + 20 + n;
    uint8_t *pkt = calloc(1, total);
    if (!pkt) {
        c->out.failed = 1;
        return;
    }
    const uint8_t *src = from_client ? client_ip : server_ip, *dst = from_client ? server_ip : client_ip;
    /* IPv4 (RFC 791) */
    pkt[0] = 0x45;
    be16(pkt + 2, (uint32_t)total);
    be16(pkt + 4, c->ip_id++);
    be16(pkt + 6, 0x4000); /* don't fragment */
    pkt[8] = 64;
    pkt[9] = 6;
    memcpy(pkt + 12, src, 4);
    memcpy(pkt + 16, dst, 4);
    be16(pkt + 10, fold(sum16(0, pkt, 20)));
    /* TCP (RFC 9293) */
    uint8_t *t = pkt + 20;
    int me = !from_client;
    be16(t, from_client ? CLIENT_PORT : SERVER_PORT);
    be16(t + 2, from_client ? SERVER_PORT : CLIENT_PORT);
    be32(t + 4, c->seq[me]);
    be32(t + 8, flags & TCP_ACK ? c->seq[!me] : 0);
    t[12] = 5 << 4;
    t[13] = flags;
    be16(t + 14, 65535);
    if (n)
        memcpy(t + 20, data, n);
    uint8_t pseudo[12] = {0};
    memcpy(pseudo, src, 4);
    memcpy(pseudo + 4, dst, 4);
    pseudo[9] = 6;
    be16(pseudo + 10, (uint32_t)(20 + n));
    be16(t + 16, fold(sum16(sum16(0, pseudo, 12), t, 20 + n)));
    c->seq[me] += (uint32_t)n + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    /* Enhanced Packet Block */
    uint64_t usec = (uint64_t)START_SECONDS * 1000000u + (uint64_t)c->packets++ * 1000u;
    size_t padded = (total + 3) & ~(size_t)3;
    fs_write_u32le(&c->out, 6);
    fs_write_u32le(&c->out, (uint32_t)(32 + padded));
    fs_write_u32le(&c->out, 0);
    fs_write_u32le(&c->out, (uint32_t)(usec >> 32));
    fs_write_u32le(&c->out, (uint32_t)usec);
    fs_write_u32le(&c->out, (uint32_t)total);
    fs_write_u32le(&c->out, (uint32_t)total);
    fs_write_bytes(&c->out, pkt, total);
    static const uint8_t zero[4];
    fs_write_bytes(&c->out, zero, padded - total);
    fs_write_u32le(&c->out, (uint32_t)(32 + padded));
    free(pkt);
}

static char *base64(const uint8_t *p, size_t n)
{
    char *out = malloc(BASE64_ENCODE_RAW_LENGTH(n) + 1);
    if (!out)
        return NULL;
    base64_encode_raw(out, n, p);
    out[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
    return out;
}

static void http(struct conn *c, const struct leg *l, const char *scheme, const char *host)
{
    char *b64 = l->len ? base64(l->token, l->len) : NULL;
    if (l->len && !b64) {
        c->out.failed = 1;
        return;
    }
    char *text = NULL;
    int n;
    if (l->client)
        n = asprintf(&text, "GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: %s %s\r\n\r\n", host, scheme,
                     b64 ? b64 : "");
    else if (!l->ok)
        n = asprintf(&text, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
    else if (!l->done)
        n = asprintf(&text, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: %s %s\r\nContent-Length: 0\r\n\r\n",
                     scheme, b64 ? b64 : "");
    else if (b64)
        n = asprintf(&text, "HTTP/1.1 200 OK\r\nWWW-Authenticate: %s %s\r\nContent-Type: text/plain\r\n"
                            "Content-Length: 6\r\n\r\nHello\n", scheme, b64);
    else
        n = asprintf(&text, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nHello\n");
    free(b64);
    if (n < 0) {
        c->out.failed = 1;
        return;
    }
    segment(c, l->client, TCP_PSH | TCP_ACK, text, (size_t)n);
    free(text);
}

int pcap_write(const char *path, const char *scheme, const char *host)
{
    struct conn c = {.seq = {0x10000000u, 0x20000000u}};
    /* Section Header Block and Interface Description Block (LINKTYPE_RAW: IPv4 with no link layer) */
    fs_write_u32le(&c.out, 0x0A0D0D0A);
    fs_write_u32le(&c.out, 28);
    fs_write_u32le(&c.out, 0x1A2B3C4D);
    fs_write_u16le(&c.out, 1);
    fs_write_u16le(&c.out, 0);
    fs_write_u32le(&c.out, 0xffffffffu);
    fs_write_u32le(&c.out, 0xffffffffu);
    fs_write_u32le(&c.out, 28);
    fs_write_u32le(&c.out, 1);
    fs_write_u32le(&c.out, 20);
    fs_write_u16le(&c.out, 101);
    fs_write_u16le(&c.out, 0);
    fs_write_u32le(&c.out, 0);
    fs_write_u32le(&c.out, 20);
    segment(&c, 1, TCP_SYN, NULL, 0);
    segment(&c, 0, TCP_SYN | TCP_ACK, NULL, 0);
    segment(&c, 1, TCP_ACK, NULL, 0);
    for (size_t i = 0; i < nlegs; i++) {
        const struct leg *l = &legs[i];
        /* A client leg with nothing to send after the server's last word sends nothing. */
        if (l->client && !l->len)
            continue;
        http(&c, l, scheme, host);
    }
    segment(&c, 1, TCP_FIN | TCP_ACK, NULL, 0);
    segment(&c, 0, TCP_FIN | TCP_ACK, NULL, 0);
    segment(&c, 1, TCP_ACK, NULL, 0);
    for (size_t i = 0; i < nlegs; i++)
        free(legs[i].token);
    nlegs = 0;
    if (c.out.failed) {
        fs_writer_free(&c.out);
        errno = ENOMEM;
        return -1;
    }
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(c.out.data, 1, c.out.len, f) == c.out.len ? 0 : -1;
    if (f && fclose(f))
        rc = -1;
    fs_writer_free(&c.out);
    return rc;
}
