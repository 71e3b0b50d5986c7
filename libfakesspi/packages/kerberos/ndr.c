/* NDR encoding and decoding for the PAC: aligned little-endian integers, unique pointers, counted
 * strings and SIDs, and the type serialization headers around them (MS-RPCE 2.2.6). */
#include "ndr.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

#define FIRST_REFERENT 0x00020000u

void ndr_writer_init(struct ndr_writer *n)
{
    fs_writer_init(&n->w);
    n->next_referent = FIRST_REFERENT;
}

void ndr_writer_free(struct ndr_writer *n) { fs_writer_free(&n->w); }

void ndr_align(struct ndr_writer *n, size_t to)
{
    size_t pad = (to - n->w.len % to) % to;
    fs_write_zeros(&n->w, pad);
}

void ndr_put_u16(struct ndr_writer *n, uint16_t v)
{
    ndr_align(n, 2);
    fs_write_u16le(&n->w, v);
}

void ndr_put_u32(struct ndr_writer *n, uint32_t v)
{
    ndr_align(n, 4);
    fs_write_u32le(&n->w, v);
}

void ndr_put_filetime(struct ndr_writer *n, uint64_t v)
{
    ndr_put_u32(n, (uint32_t)v);
    ndr_put_u32(n, (uint32_t)(v >> 32));
}

void ndr_put_pointer(struct ndr_writer *n, int present)
{
    ndr_put_u32(n, present ? n->next_referent : 0);
    if (present)
        n->next_referent += 4;
}

void ndr_put_string_header(struct ndr_writer *n, size_t units)
{
    ndr_put_u16(n, (uint16_t)(2 * units));
    ndr_put_u16(n, (uint16_t)(2 * units));
    ndr_put_pointer(n, 1); /* Windows points even empty strings at an empty buffer */
}

void ndr_put_string_units(struct ndr_writer *n, const uint16_t *s, size_t units)
{
    ndr_put_u32(n, (uint32_t)units); /* maximum count */
    ndr_put_u32(n, 0);               /* offset */
    ndr_put_u32(n, (uint32_t)units); /* actual count */
    for (size_t i = 0; i < units; i++)
        fs_write_u16le(&n->w, s[i]);
}

void ndr_put_sid(struct ndr_writer *n, const struct fs_sid *sid)
{
    ndr_put_u32(n, sid->count);
    fs_write_u8(&n->w, sid->revision);
    fs_write_u8(&n->w, sid->count);
    fs_write_bytes(&n->w, sid->authority, sizeof sid->authority);
    for (uint8_t i = 0; i < sid->count; i++)
        fs_write_u32le(&n->w, sid->sub[i]);
}

void ndr_serialize(const struct ndr_writer *body, struct fs_writer *out)
{
    if (body->w.failed) {
        out->failed = 1;
        return;
    }
    size_t padded = (body->w.len + 7) & ~(size_t)7;
    fs_write_u8(out, 1);            /* Version */
    fs_write_u8(out, 0x10);         /* Endianness: little */
    fs_write_u16le(out, 8);         /* CommonHeaderLength */
    fs_write_u32le(out, 0xcccccccc); /* Filler */
    fs_write_u32le(out, (uint32_t)padded); /* ObjectBufferLength */
    fs_write_u32le(out, 0);         /* Filler */
    fs_write_bytes(out, body->w.data, body->w.len);
    fs_write_zeros(out, padded - body->w.len);
}

fs_err ndr_deserialize(const uint8_t *in, size_t len, struct ndr_reader *out)
{
    struct fs_reader r;
    fs_reader_init(&r, in, len);
    uint8_t version = fs_read_u8(&r), endian = fs_read_u8(&r);
    uint16_t common = fs_read_u16le(&r);
    (void)fs_read_u32le(&r);
    uint32_t object_len = fs_read_u32le(&r);
    (void)fs_read_u32le(&r);
    if (r.failed || version != 1 || endian != 0x10 || common != 8 || object_len > len - r.pos)
        return FS_E_INVALID_TOKEN;
    fs_reader_init(&out->r, in + r.pos, object_len);
    return FS_OK;
}

void ndr_skip_align(struct ndr_reader *n, size_t to)
{
    size_t pad = (to - n->r.pos % to) % to;
    uint8_t skip[8];
    fs_read_bytes(&n->r, skip, pad);
}

uint16_t ndr_get_u16(struct ndr_reader *n)
{
    ndr_skip_align(n, 2);
    return fs_read_u16le(&n->r);
}

uint32_t ndr_get_u32(struct ndr_reader *n)
{
    ndr_skip_align(n, 4);
    return fs_read_u32le(&n->r);
}

uint64_t ndr_get_filetime(struct ndr_reader *n)
{
    uint64_t lo = ndr_get_u32(n);
    return lo | (uint64_t)ndr_get_u32(n) << 32;
}

void ndr_get_string_header(struct ndr_reader *n, struct ndr_string *s)
{
    s->length = ndr_get_u16(n);
    s->max_length = ndr_get_u16(n);
    s->pointer = ndr_get_u32(n);
    if ((s->length & 1) || (s->max_length & 1) || s->length > s->max_length)
        n->r.failed = 1;
}

char *ndr_get_string_units(struct ndr_reader *n, const struct ndr_string *s, int *nomem)
{
    *nomem = 0;
    if (n->r.failed)
        return NULL;
    if (!s->pointer) {
        char *empty = fs_strdup("");
        *nomem = !empty;
        return empty;
    }
    uint32_t max = ndr_get_u32(n), offset = ndr_get_u32(n), actual = ndr_get_u32(n);
    if (n->r.failed || max != s->max_length / 2u || offset != 0 || actual != s->length / 2u ||
        actual > (n->r.len - n->r.pos) / 2) {
        n->r.failed = 1;
        return NULL;
    }
    uint16_t *units = fs_malloc((size_t)actual * 2 + 2);
    if (!units) {
        *nomem = 1;
        return NULL;
    }
    for (uint32_t i = 0; i < actual; i++)
        units[i] = fs_read_u16le(&n->r);
    size_t need = 0;
    char *text = NULL;
    if (fs_utf16_to_utf8(units, actual, NULL, 0, &need, 1) != FS_OK) {
        n->r.failed = 1; /* an unpaired surrogate */
    } else if (!(text = fs_malloc(need + 1))) {
        *nomem = 1;
    } else {
        (void)fs_utf16_to_utf8(units, actual, text, need + 1, &need, 1);
        text[need] = '\0';
    }
    free(units);
    return text;
}

void ndr_get_sid(struct ndr_reader *n, struct fs_sid *sid)
{
    memset(sid, 0, sizeof *sid);
    uint32_t conformance = ndr_get_u32(n);
    sid->revision = fs_read_u8(&n->r);
    sid->count = fs_read_u8(&n->r);
    fs_read_bytes(&n->r, sid->authority, sizeof sid->authority);
    if (sid->revision != 1 || sid->count > FS_SID_MAX_SUB || conformance != sid->count) {
        n->r.failed = 1;
        return;
    }
    for (uint8_t i = 0; i < sid->count; i++)
        sid->sub[i] = fs_read_u32le(&n->r);
}
