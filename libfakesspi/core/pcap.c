/* pcapng (draft-ietf-opsawg-pcapng: a section header, one interface of LINKTYPE_RAW, an enhanced packet
 * block per IPv4/TCP segment) of synthetic connections carrying security tokens. */
#include "pcap.h"

#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "clock.h"

#define STATUS_OK 0
#define STATUS_CONTINUE_NEEDED 0x00090312 /* SEC_I_CONTINUE_NEEDED */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static const uint8_t client_ip[4] = {192, 0, 2, 10};
static const uint8_t server_ip[4] = {192, 0, 2, 80};

uint64_t fs_pcap_usec(uint64_t filetime)
{
    uint64_t since_1970 = filetime / 10 - FS_FILETIME_SECONDS_TO_1970 * 1000000u;
    return filetime / 10 < FS_FILETIME_SECONDS_TO_1970 * 1000000u ? 0 : since_1970;
}

void fs_pcap_begin(struct fs_pcap *p, uint64_t usec)
{
    fs_writer_init(&p->out);
    p->usec = usec;
    /* Section Header Block: byte-order magic, version 1.0, section length unknown */
    fs_write_u32le(&p->out, 0x0A0D0D0A);
    fs_write_u32le(&p->out, 28);
    fs_write_u32le(&p->out, 0x1A2B3C4D);
    fs_write_u16le(&p->out, 1);
    fs_write_u16le(&p->out, 0);
    fs_write_u64le(&p->out, UINT64_MAX);
    fs_write_u32le(&p->out, 28);
    /* Interface Description Block: LINKTYPE_RAW (101), IPv4 with no link layer; microsecond timestamps */
    fs_write_u32le(&p->out, 1);
    fs_write_u32le(&p->out, 20);
    fs_write_u16le(&p->out, 101);
    fs_write_u16le(&p->out, 0);
    fs_write_u32le(&p->out, 0);
    fs_write_u32le(&p->out, 20);
}

void fs_pcap_at(struct fs_pcap *p, uint64_t usec)
{
    if (usec > p->usec)
        p->usec = usec;
}

/* RFC 1071 */
static uint32_t sum16(uint32_t sum, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        sum += (uint32_t)(b[n - 1] << 8);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *b, uint32_t v) { b[0] = (uint8_t)(v >> 8), b[1] = (uint8_t)v; }
static void put32(uint8_t *b, uint32_t v) { put16(b, v >> 16), put16(b + 2, v & 0xffff); }

/* One IPv4 (RFC 791) + TCP (RFC 9293) segment in an Enhanced Packet Block. */
static void segment(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, uint8_t flags, const void *data,
                    size_t n)
{
    size_t total = 20 + 20 + n;
    if (total > 65535 || p->out.failed) {
        p->out.failed = 1;
        return;
    }
    uint8_t *pkt = fs_calloc(1, total);
    if (!pkt) {
        p->out.failed = 1;
        return;
    }
    const uint8_t *src = from_client ? client_ip : server_ip, *dst = from_client ? server_ip : client_ip;
    pkt[0] = 0x45;
    put16(pkt + 2, (uint32_t)total);
    put16(pkt + 4, c->ip_id++);
    put16(pkt + 6, 0x4000); /* don't fragment */
    pkt[8] = 64;
    pkt[9] = 6;
    memcpy(pkt + 12, src, 4);
    memcpy(pkt + 16, dst, 4);
    put16(pkt + 10, fold(sum16(0, pkt, 20)));
    uint8_t *t = pkt + 20;
    int me = !from_client;
    put16(t, from_client ? c->client_port : c->server_port);
    put16(t + 2, from_client ? c->server_port : c->client_port);
    put32(t + 4, c->seq[me]);
    put32(t + 8, flags & TCP_ACK ? c->seq[!me] : 0);
    t[12] = 5 << 4;
    t[13] = flags;
    put16(t + 14, 65535);
    if (n)
        memcpy(t + 20, data, n);
    uint8_t pseudo[12] = {0};
    memcpy(pseudo, src, 4);
    memcpy(pseudo + 4, dst, 4);
    pseudo[9] = 6;
    put16(pseudo + 10, (uint32_t)(20 + n));
    put16(t + 16, fold(sum16(sum16(0, pseudo, 12), t, 20 + n)));
    c->seq[me] += (uint32_t)n + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    size_t padded = (total + 3) & ~(size_t)3;
    fs_write_u32le(&p->out, 6);
    fs_write_u32le(&p->out, (uint32_t)(32 + padded));
    fs_write_u32le(&p->out, 0);
    fs_write_u32le(&p->out, (uint32_t)(p->usec >> 32));
    fs_write_u32le(&p->out, (uint32_t)p->usec);
    fs_write_u32le(&p->out, (uint32_t)total);
    fs_write_u32le(&p->out, (uint32_t)total);
    fs_write_bytes(&p->out, pkt, total);
    fs_write_zeros(&p->out, padded - total);
    fs_write_u32le(&p->out, (uint32_t)(32 + padded));
    p->usec += 1000;
    free(pkt);
}

void fs_pcap_connect(struct fs_pcap *p, struct fs_pcap_conn *c, enum fs_pcap_carrier carrier, unsigned n)
{
    *c = (struct fs_pcap_conn){
        .carrier = carrier,
        .client_port = (uint16_t)(FS_PCAP_FIRST_CLIENT_PORT + n % 16384),
        .server_port = carrier == FS_PCAP_HTTP ? FS_PCAP_HTTP_PORT : FS_PCAP_TCP_PORT,
        .seq = {0x10000000u + n * 0x100000u, 0x20000000u + n * 0x100000u},
    };
    segment(p, c, 1, TCP_SYN, NULL, 0);
    segment(p, c, 0, TCP_SYN | TCP_ACK, NULL, 0);
    segment(p, c, 1, TCP_ACK, NULL, 0);
}

void fs_pcap_disconnect(struct fs_pcap *p, struct fs_pcap_conn *c)
{
    segment(p, c, 1, TCP_FIN | TCP_ACK, NULL, 0);
    segment(p, c, 0, TCP_FIN | TCP_ACK, NULL, 0);
    segment(p, c, 1, TCP_ACK, NULL, 0);
}

static char *base64(const uint8_t *b, size_t n)
{
    char *out = fs_malloc(BASE64_ENCODE_RAW_LENGTH(n) + 1);
    if (!out)
        return NULL;
    base64_encode_raw(out, n, b);
    out[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
    return out;
}

static void http(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, int32_t status, const uint8_t *token,
                 size_t len, const char *scheme, const char *host)
{
    int ok = status == STATUS_OK || status == STATUS_CONTINUE_NEEDED, done = status == STATUS_OK;
    char *b64 = len ? base64(token, len) : NULL;
    if (len && !b64) {
        p->out.failed = 1;
        return;
    }
    char *text = NULL;
    int n;
    if (from_client)
        n = asprintf(&text, "GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: %s %s\r\n\r\n", host, scheme,
                     b64 ? b64 : "");
    else if (!ok)
        n = asprintf(&text, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
    else if (!done)
        n = asprintf(&text, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: %s %s\r\nContent-Length: 0\r\n\r\n",
                     scheme, b64 ? b64 : "");
    else if (b64)
        n = asprintf(&text, "HTTP/1.1 200 OK\r\nWWW-Authenticate: %s %s\r\nContent-Type: text/plain\r\n"
                            "Content-Length: 6\r\n\r\nHello\n", scheme, b64);
    else
        n = asprintf(&text, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nHello\n");
    free(b64);
    if (n < 0) {
        p->out.failed = 1;
        return;
    }
    segment(p, c, from_client, TCP_PSH | TCP_ACK, text, (size_t)n);
    free(text);
}

/* One segment holding the message's own bytes, so that a reader sees each message whole. */
static void framed(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, const struct fs_writer *w)
{
    if (w->failed)
        p->out.failed = 1;
    else
        segment(p, c, from_client, TCP_PSH | TCP_ACK, w->data, w->len);
}

void fs_pcap_token(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, int32_t status, const uint8_t *token,
                   size_t len, const char *scheme, const char *host)
{
    int ok = status == STATUS_OK || status == STATUS_CONTINUE_NEEDED;
    /* The samples' client, like a browser, says nothing after it failed or when it has nothing left to say. */
    if (from_client && (!ok || (status == STATUS_OK && !len)))
        return;
    if (c->carrier == FS_PCAP_HTTP) {
        http(p, c, from_client, status, token, len, scheme ? scheme : "Negotiate", host ? host : "localhost");
        return;
    }
    struct fs_writer w;
    fs_writer_init(&w);
    if (!from_client)
        fs_write_u32le(&w, (uint32_t)status);
    if (!ok)
        len = 0;
    fs_write_u32le(&w, (uint32_t)len);
    fs_write_bytes(&w, token, len);
    framed(p, c, from_client, &w);
    fs_writer_free(&w);
}

void fs_pcap_message(struct fs_pcap *p, struct fs_pcap_conn *c, int from_client, int sealed, const uint8_t *trailer,
                     size_t trailer_len, const uint8_t *data, size_t data_len)
{
    if (c->carrier != FS_PCAP_TCP)
        return;
    struct fs_writer w;
    fs_writer_init(&w);
    fs_write_u32le(&w, (uint32_t)(4 + trailer_len + data_len));
    fs_write_u32le(&w, (uint32_t)trailer_len | (sealed ? 0 : FS_PCAP_SIGNED_BIT));
    fs_write_bytes(&w, trailer, trailer_len);
    fs_write_bytes(&w, data, data_len);
    framed(p, c, from_client, &w);
    fs_writer_free(&w);
}
