/* Little-endian cursor and buffer used by the wire formats. */
#include "core/alloc.h"
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

void fs_reader_init(struct fs_reader *r, const void *data, size_t len)
{
    r->data = data;
    r->len = data ? len : 0;
    r->pos = 0;
    r->failed = 0;
}

static const uint8_t *take(struct fs_reader *r, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

uint8_t fs_read_u8(struct fs_reader *r)
{
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

uint16_t fs_read_u16le(struct fs_reader *r)
{
    const uint8_t *p = take(r, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t fs_read_u32le(struct fs_reader *r)
{
    const uint8_t *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

uint64_t fs_read_u64le(struct fs_reader *r)
{
    uint64_t lo = fs_read_u32le(r);
    uint64_t hi = fs_read_u32le(r);
    return lo | hi << 32;
}

void fs_read_bytes(struct fs_reader *r, void *out, size_t n)
{
    const uint8_t *p = take(r, n);
    if (p)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

const uint8_t *fs_reader_slice(struct fs_reader *r, size_t offset, size_t n)
{
    if (offset > r->len || n > r->len - offset) {
        r->failed = 1;
        return NULL;
    }
    return r->data + offset;
}

void fs_writer_init(struct fs_writer *w) { memset(w, 0, sizeof *w); }

/* Writers carry keys, exported contexts and plaintexts as often as anything else: what they held is
 * wiped before the allocator gets it back, on growth as on free. */
void fs_writer_free(struct fs_writer *w)
{
    if (w->data)
        explicit_bzero(w->data, w->len);
    free(w->data);
    memset(w, 0, sizeof *w);
}

static uint8_t *grow(struct fs_writer *w, size_t n)
{
    if (w->failed)
        return NULL;
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 128;
        while (cap - w->len < n)
            cap *= 2;
        uint8_t *data = fs_malloc(cap); /* not realloc: a moved block would leave its old copy unwiped */
        if (!data) {
            w->failed = 1;
            return NULL;
        }
        if (w->data) {
            memcpy(data, w->data, w->len);
            explicit_bzero(w->data, w->len);
            free(w->data);
        }
        w->data = data;
        w->cap = cap;
    }
    uint8_t *p = w->data + w->len;
    w->len += n;
    return p;
}

void fs_write_u8(struct fs_writer *w, uint8_t v)
{
    uint8_t *p = grow(w, 1);
    if (p)
        p[0] = v;
}

void fs_write_u16le(struct fs_writer *w, uint16_t v)
{
    uint8_t *p = grow(w, 2);
    if (p) {
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
    }
}

void fs_write_u32le(struct fs_writer *w, uint32_t v)
{
    uint8_t *p = grow(w, 4);
    for (int i = 0; p && i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void fs_write_u16be(struct fs_writer *w, uint16_t v)
{
    uint8_t *p = grow(w, 2);
    if (p) {
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
    }
}

void fs_write_u32be(struct fs_writer *w, uint32_t v)
{
    uint8_t *p = grow(w, 4);
    for (int i = 0; p && i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * (3 - i)));
}

void fs_write_u64le(struct fs_writer *w, uint64_t v)
{
    fs_write_u32le(w, (uint32_t)v);
    fs_write_u32le(w, (uint32_t)(v >> 32));
}

void fs_write_bytes(struct fs_writer *w, const void *data, size_t n)
{
    uint8_t *p = grow(w, n);
    if (p && n)
        memcpy(p, data, n);
}

uint8_t *fs_write_space(struct fs_writer *w, size_t n) { return grow(w, n); }

void fs_write_zeros(struct fs_writer *w, size_t n)
{
    uint8_t *p = grow(w, n);
    if (p && n)
        memset(p, 0, n);
}

void fs_writer_patch_u16le(struct fs_writer *w, size_t at, uint16_t v)
{
    if (!w->failed && at + 2 <= w->len) {
        w->data[at] = (uint8_t)v;
        w->data[at + 1] = (uint8_t)(v >> 8);
    }
}

void fs_writer_patch_u32le(struct fs_writer *w, size_t at, uint32_t v)
{
    for (int i = 0; !w->failed && at + 4 <= w->len && i < 4; i++)
        w->data[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int fs_hex_decode(const char *text, uint8_t *out, size_t n)
{
    if (strlen(text) != 2 * n)
        return -1;
    for (size_t i = 0; i < 2 * n; i++)
        if (hex_digit(text[i]) < 0)
            return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(hex_digit(text[2 * i]) << 4 | hex_digit(text[2 * i + 1]));
    return 0;
}
