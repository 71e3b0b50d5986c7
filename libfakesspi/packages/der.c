/* The DER codec Kerberos and SPNEGO share: strict on input (X.690 DER, not BER), exact on output. */
#include "der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"

void der_init(struct der *d, const void *data, size_t len, struct der_error *err)
{
    memset(err, 0, sizeof *err);
    d->p = data;
    d->len = data ? len : 0;
    d->origin = data;
    d->err = err;
}

int der_ok(const struct der *d) { return !d->err->failed; }

void der_fail(struct der *d, const char *what)
{
    if (d->err->failed)
        return;
    d->err->failed = 1;
    d->err->offset = d->origin ? (size_t)(d->p - d->origin) : 0;
    d->err->what = what;
}

/* Reads a header at the cursor: tag, then a definite length in its shortest form. */
static int header(struct der *d, uint8_t *tag, size_t *hdr_len, size_t *content_len)
{
    if (d->err->failed)
        return -1;
    if (d->len < 2) {
        der_fail(d, d->len ? "element header cut short" : "element missing at end of input");
        return -1;
    }
    if ((d->p[0] & 0x1F) == 0x1F) {
        der_fail(d, "multi-byte tag (none is used here)");
        return -1;
    }
    *tag = d->p[0];
    uint8_t first = d->p[1];
    size_t len = 0, used = 2;
    if (first < 0x80) {
        len = first;
    } else {
        size_t nbytes = first & 0x7F;
        if (nbytes == 0) {
            der_fail(d, "indefinite length (BER, not DER)");
            return -1;
        }
        if (nbytes > 4 || d->len < 2 + nbytes) {
            der_fail(d, "length field too long or cut short");
            return -1;
        }
        if (d->p[2] == 0) {
            der_fail(d, "length not in its shortest form");
            return -1;
        }
        for (size_t i = 0; i < nbytes; i++)
            len = len << 8 | d->p[2 + i];
        if (len < 0x80) {
            der_fail(d, "length not in its shortest form");
            return -1;
        }
        used += nbytes;
    }
    if (len > d->len - used) {
        der_fail(d, "length runs past the end");
        return -1;
    }
    *hdr_len = used;
    *content_len = len;
    return 0;
}

int der_peek(const struct der *d, uint8_t tag) { return !d->err->failed && d->len > 0 && d->p[0] == tag; }

static struct der empty_child(const struct der *d)
{
    struct der c = {d->p, 0, d->origin, d->err};
    return c;
}

struct der der_enter(struct der *d, uint8_t tag)
{
    uint8_t got;
    size_t hl, cl;
    if (header(d, &got, &hl, &cl))
        return empty_child(d);
    if (got != tag) {
        der_fail(d, "unexpected tag");
        return empty_child(d);
    }
    struct der c = {d->p + hl, cl, d->origin, d->err};
    d->p += hl + cl;
    d->len -= hl + cl;
    return c;
}

int der_enter_optional(struct der *d, uint8_t tag, struct der *inner)
{
    if (!der_peek(d, tag))
        return 0;
    *inner = der_enter(d, tag);
    return der_ok(d);
}

struct der der_take_raw(struct der *d, uint8_t tag)
{
    const uint8_t *start = d->p;
    size_t before = d->len;
    struct der inner = der_enter(d, tag);
    (void)inner;
    struct der whole = {start, der_ok(d) ? before - d->len : 0, d->origin, d->err};
    return whole;
}

void der_expect_end(struct der *d)
{
    if (d->len)
        der_fail(d, "unexpected bytes after the last element");
}

static int64_t read_integer_body(struct der *d, struct der *c)
{
    if (!der_ok(d))
        return 0;
    if (c->len == 0 || c->len > 8) {
        der_fail(c, c->len ? "INTEGER wider than 64 bits" : "empty INTEGER");
        return 0;
    }
    if (c->len > 1 && ((c->p[0] == 0 && !(c->p[1] & 0x80)) || (c->p[0] == 0xFF && (c->p[1] & 0x80)))) {
        der_fail(c, "INTEGER not in its shortest form");
        return 0;
    }
    uint64_t v = c->p[0] & 0x80 ? UINT64_MAX : 0;
    for (size_t i = 0; i < c->len; i++)
        v = v << 8 | c->p[i];
    return (int64_t)v;
}

int64_t der_read_int(struct der *d)
{
    struct der c = der_enter(d, DER_INTEGER);
    return read_integer_body(d, &c);
}

int64_t der_read_enum(struct der *d)
{
    struct der c = der_enter(d, DER_ENUMERATED);
    return read_integer_body(d, &c);
}

uint32_t der_read_uint32(struct der *d)
{
    struct der at = *d;
    int64_t v = der_read_int(d);
    if (der_ok(d) && (v < 0 || v > UINT32_MAX)) {
        der_fail(&at, "INTEGER out of range for UInt32");
        return 0;
    }
    return (uint32_t)v;
}

struct der der_read_octets(struct der *d) { return der_enter(d, DER_OCTET_STRING); }

char *der_read_string(struct der *d)
{
    struct der c = der_enter(d, DER_GENERAL_STRING);
    if (!der_ok(d))
        return NULL;
    if (memchr(c.p, 0, c.len)) {
        der_fail(&c, "NUL inside a string");
        return NULL;
    }
    char *s = fs_malloc(c.len + 1);
    if (!s) {
        der_fail(&c, "out of memory");
        d->err->nomem = 1;
        return NULL;
    }
    memcpy(s, c.p, c.len);
    s[c.len] = '\0';
    return s;
}

uint64_t der_read_time(struct der *d)
{
    struct der c = der_enter(d, DER_GENERALIZED_TIME);
    uint64_t t = 0;
    if (der_ok(d) && der_time_parse((const char *)c.p, c.len, &t))
        der_fail(&c, "KerberosTime is not YYYYMMDDHHMMSSZ");
    return t;
}

uint32_t der_read_flags(struct der *d)
{
    struct der c = der_enter(d, DER_BIT_STRING);
    if (!der_ok(d))
        return 0;
    /* RFC 4120 5.2.8: at least 32 bits; we read the first 32 and require no unused bits. */
    if (c.len < 5 || c.p[0] != 0) {
        der_fail(&c, "KerberosFlags shorter than 32 bits");
        return 0;
    }
    return (uint32_t)c.p[1] << 24 | (uint32_t)c.p[2] << 16 | (uint32_t)c.p[3] << 8 | c.p[4];
}

struct der der_read_oid(struct der *d)
{
    struct der c = der_enter(d, DER_OID);
    if (der_ok(d) && (c.len == 0 || (c.p[c.len - 1] & 0x80)))
        der_fail(&c, "malformed OBJECT IDENTIFIER");
    return c;
}

/* ---- writing ---- */

size_t der_open(struct fs_writer *w, uint8_t tag)
{
    fs_write_u8(w, tag);
    fs_write_u8(w, 0);
    return w->len;
}

void der_close(struct fs_writer *w, size_t mark)
{
    if (w->failed || mark > w->len || mark < 1)
        return;
    size_t len = w->len - mark;
    if (len < 0x80) {
        w->data[mark - 1] = (uint8_t)len;
        return;
    }
    size_t nbytes = 0;
    for (size_t v = len; v; v >>= 8)
        nbytes++;
    fs_write_zeros(w, nbytes); /* room for the long form */
    if (w->failed)
        return;
    memmove(w->data + mark + nbytes, w->data + mark, len);
    w->data[mark - 1] = (uint8_t)(0x80 | nbytes);
    for (size_t i = 0; i < nbytes; i++)
        w->data[mark + i] = (uint8_t)(len >> (8 * (nbytes - 1 - i)));
}

static void put_integer(struct fs_writer *w, uint8_t tag, int64_t v)
{
    uint8_t buf[8];
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)v >> (8 * (7 - i)));
    size_t skip = 0;
    while (skip < 7 && ((buf[skip] == 0 && !(buf[skip + 1] & 0x80)) || (buf[skip] == 0xFF && (buf[skip + 1] & 0x80))))
        skip++;
    size_t m = der_open(w, tag);
    fs_write_bytes(w, buf + skip, 8 - skip);
    der_close(w, m);
}

void der_put_int(struct fs_writer *w, int64_t v) { put_integer(w, DER_INTEGER, v); }

void der_put_enum(struct fs_writer *w, int64_t v) { put_integer(w, DER_ENUMERATED, v); }

void der_put_ctx_int(struct fs_writer *w, unsigned n, int64_t v)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_int(w, v);
    der_close(w, m);
}

void der_put_ctx_string(struct fs_writer *w, unsigned n, const char *s)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_string(w, s);
    der_close(w, m);
}

void der_put_ctx_time(struct fs_writer *w, unsigned n, uint64_t filetime)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_time(w, filetime);
    der_close(w, m);
}

void der_put_ctx_enum(struct fs_writer *w, unsigned n, int64_t v)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_enum(w, v);
    der_close(w, m);
}

void der_put_ctx_octets(struct fs_writer *w, unsigned n, const void *data, size_t len)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_octets(w, data, len);
    der_close(w, m);
}

void der_put_ctx_oid(struct fs_writer *w, unsigned n, const uint8_t *arcs, size_t len)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_oid(w, arcs, len);
    der_close(w, m);
}

void der_put_ctx_raw(struct fs_writer *w, unsigned n, const void *data, size_t len)
{
    size_t m = der_open(w, (uint8_t)DER_CTX(n));
    der_put_raw(w, data, len);
    der_close(w, m);
}

static void put_primitive(struct fs_writer *w, uint8_t tag, const void *data, size_t n)
{
    size_t m = der_open(w, tag);
    fs_write_bytes(w, data, n);
    der_close(w, m);
}

void der_put_octets(struct fs_writer *w, const void *data, size_t n) { put_primitive(w, DER_OCTET_STRING, data, n); }

void der_put_string(struct fs_writer *w, const char *s) { put_primitive(w, DER_GENERAL_STRING, s, strlen(s)); }

void der_put_oid(struct fs_writer *w, const uint8_t *arcs, size_t n) { put_primitive(w, DER_OID, arcs, n); }

void der_put_raw(struct fs_writer *w, const void *data, size_t n) { fs_write_bytes(w, data, n); }

void der_put_time(struct fs_writer *w, uint64_t filetime)
{
    char text[16];
    if (der_time_format(filetime, text)) {
        w->failed = 1;
        return;
    }
    put_primitive(w, DER_GENERALIZED_TIME, text, 15);
}

void der_put_flags(struct fs_writer *w, uint32_t flags)
{
    uint8_t bits[5] = {0, (uint8_t)(flags >> 24), (uint8_t)(flags >> 16), (uint8_t)(flags >> 8), (uint8_t)flags};
    put_primitive(w, DER_BIT_STRING, bits, sizeof bits);
}

void der_oid_format(const uint8_t *oid, size_t len, char *out, size_t cap)
{
    size_t used = 0;
    uint64_t arc = 0;
    int first = 1;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < len && used < cap; i++) {
        arc = arc << 7 | (oid[i] & 0x7F);
        if (oid[i] & 0x80)
            continue;
        int n;
        if (first) /* the first byte holds two arcs: 40 * X + Y */
            n = snprintf(out + used, cap - used, "%llu.%llu", (unsigned long long)(arc < 80 ? arc / 40 : 2),
                         (unsigned long long)(arc < 80 ? arc % 40 : arc - 80));
        else
            n = snprintf(out + used, cap - used, ".%llu", (unsigned long long)arc);
        used += n > 0 ? (size_t)n : 0;
        arc = 0;
        first = 0;
    }
}

/* ---- KerberosTime ---- */

/* 9999-12-31T23:59:59Z, the last second GeneralizedTime's four digits can write, in seconds since 1601. */
#define LAST_SECOND_1601 ((uint64_t)3067670 * 86400 + 86399)

int der_time_format(uint64_t filetime, char out[16])
{
    /* Every FILETIME has a KerberosTime: from 1601 (a virtual clock set there) to 9999, and past 9999 the last
     * second of 9999 (an end time that far away means "never"). */
    uint64_t secs = filetime / FS_FILETIME_PER_SECOND;
    struct tm tm;
    if (secs > LAST_SECOND_1601)
        secs = LAST_SECOND_1601;
    if (fs_filetime_to_tm(secs * FS_FILETIME_PER_SECOND, &tm) || strftime(out, 16, "%Y%m%d%H%M%SZ", &tm) != 15)
        return -1;
    return 0;
}

int der_time_parse(const char *text, size_t n, uint64_t *filetime)
{
    /* RFC 4120 5.2.3: no fractional seconds, always UTC. */
    if (n != 15 || text[14] != 'Z')
        return -1;
    int v[14];
    for (size_t i = 0; i < 14; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v[i] = text[i] - '0';
    }
    struct tm tm = {
        .tm_year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3] - 1900,
        .tm_mon = v[4] * 10 + v[5] - 1,
        .tm_mday = v[6] * 10 + v[7],
        .tm_hour = v[8] * 10 + v[9],
        .tm_min = v[10] * 10 + v[11],
        .tm_sec = v[12] * 10 + v[13],
    };
    return fs_filetime_from_tm(&tm, filetime);
}

int64_t der_read_ctx_int(struct der *d, unsigned n)
{
    struct der f = der_enter(d, (uint8_t)DER_CTX(n));
    int64_t v = der_read_int(&f);
    der_expect_end(&f);
    return v;
}

uint32_t der_read_ctx_uint32(struct der *d, unsigned n)
{
    struct der f = der_enter(d, (uint8_t)DER_CTX(n));
    uint32_t v = der_read_uint32(&f);
    der_expect_end(&f);
    return v;
}

char *der_read_ctx_string(struct der *d, unsigned n)
{
    struct der f = der_enter(d, (uint8_t)DER_CTX(n));
    char *s = der_read_string(&f);
    der_expect_end(&f);
    return s;
}

uint64_t der_read_ctx_time(struct der *d, unsigned n)
{
    struct der f = der_enter(d, (uint8_t)DER_CTX(n));
    uint64_t t = der_read_time(&f);
    der_expect_end(&f);
    return t;
}
