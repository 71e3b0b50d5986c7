/* Encoding and strict decoding of the three NTLM messages (MS-NLMP 2.2.1) and AV pairs (2.2.2.1). */
#include "core/alloc.h"
#include "ntlm_messages.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf.h"

static const uint8_t signature[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
const uint8_t ntlm_version[8] = {10, 0, 0x4c, 0x4f, 0, 0, 0, 15};

uint32_t ntlm_message_type(const uint8_t *msg, size_t len)
{
    if (len < 12 || memcmp(msg, signature, 8))
        return 0;
    return (uint32_t)msg[8] | (uint32_t)msg[9] << 8 | (uint32_t)msg[10] << 16 | (uint32_t)msg[11] << 24;
}

/* A (Len, MaxLen, Offset) field; the payload must lie inside the message. */
static const uint8_t *read_field(struct fs_reader *r, size_t *len)
{
    uint16_t n = fs_read_u16le(r);
    (void)fs_read_u16le(r);
    uint32_t offset = fs_read_u32le(r);
    *len = n;
    if (r->failed)
        return NULL;
    if (n == 0)
        return r->data; /* empty: any offset is fine */
    return fs_reader_slice(r, offset, n);
}

/* UTF-16LE (or OEM, treated as UTF-8) bytes to a NEW UTF-8 string. */
static char *field_string(const uint8_t *p, size_t n, int unicode)
{
    if (!unicode) {
        char *s = fs_malloc(n + 1);
        if (s) {
            memcpy(s, p, n);
            s[n] = '\0';
        }
        return s;
    }
    if (n % 2)
        return NULL;
    uint16_t *w = fs_malloc(n / 2 * sizeof *w + sizeof *w);
    if (!w)
        return NULL;
    for (size_t i = 0; i < n / 2; i++)
        w[i] = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
    w[n / 2] = 0;
    char *s = fs_utf16_to_utf8_dup(w);
    free(w);
    return s;
}

int ntlm_parse_negotiate(const uint8_t *msg, size_t len, uint32_t *flags)
{
    struct fs_reader r;
    fs_reader_init(&r, msg, len);
    if (ntlm_message_type(msg, len) != NTLM_NEGOTIATE)
        return -1;
    r.pos = 12;
    *flags = fs_read_u32le(&r);
    size_t n;
    if (len >= 32) { /* the domain and workstation fields are optional in old clients */
        read_field(&r, &n);
        read_field(&r, &n);
    }
    return r.failed ? -1 : 0;
}

int ntlm_parse_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out)
{
    struct fs_reader r;
    fs_reader_init(&r, msg, len);
    if (ntlm_message_type(msg, len) != NTLM_CHALLENGE)
        return -1;
    r.pos = 12;
    size_t n;
    read_field(&r, &n); /* TargetName */
    out->flags = fs_read_u32le(&r);
    fs_read_bytes(&r, out->server_challenge, 8);
    r.pos += 8; /* Reserved */
    out->target_info = NULL;
    out->target_info_len = 0;
    if (len >= 48) {
        out->target_info = read_field(&r, &out->target_info_len);
        if (out->target_info_len && !ntlm_av_well_formed(out->target_info, out->target_info_len))
            return -1;
    }
    return r.failed ? -1 : 0;
}

void ntlm_authenticate_clear(struct ntlm_authenticate *a)
{
    free(a->domain);
    free(a->user);
    free(a->workstation);
    memset(a, 0, sizeof *a);
}

int ntlm_parse_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out)
{
    memset(out, 0, sizeof *out);
    struct fs_reader r;
    fs_reader_init(&r, msg, len);
    if (ntlm_message_type(msg, len) != NTLM_AUTHENTICATE)
        return -1;
    r.pos = 12;
    size_t dn, un, wn;
    out->lm = read_field(&r, &out->lm_len);
    out->nt = read_field(&r, &out->nt_len);
    const uint8_t *d = read_field(&r, &dn);
    const uint8_t *u = read_field(&r, &un);
    const uint8_t *w = read_field(&r, &wn);
    out->session_key = read_field(&r, &out->session_key_len);
    out->flags = fs_read_u32le(&r);
    if (r.failed)
        return -1;
    int unicode = (out->flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
    /* UTF-16 of odd length is malformed; anything else that fails here ran out of memory. */
    if (unicode && ((dn | un | wn) & 1))
        return -1;
    out->domain = field_string(d, dn, unicode);
    out->user = field_string(u, un, unicode);
    out->workstation = field_string(w, wn, unicode);
    if (!out->domain || !out->user || !out->workstation) {
        ntlm_authenticate_clear(out);
        return NTLM_PARSE_NOMEM;
    }
    out->has_mic_room = len >= NTLM_AUTHENTICATE_HEADER;
    return 0;
}

static void write_field(struct fs_writer *w, size_t at, uint16_t len, uint32_t offset)
{
    fs_writer_patch_u16le(w, at, len);
    fs_writer_patch_u16le(w, at + 2, len);
    fs_writer_patch_u32le(w, at + 4, offset);
}

/* Appends a payload and points the (Len, MaxLen, Offset) field at header offset `field` to it. */
static void payload(struct fs_writer *w, size_t field, const void *data, size_t len)
{
    if (len > NTLM_FIELD_MAX) {
        w->failed = 1; /* a wrapped length would be another, malformed message (doc/semantics.md §39) */
        return;
    }
    write_field(w, field, (uint16_t)len, (uint32_t)w->len);
    fs_write_bytes(w, data, len);
}

static void payload_string(struct fs_writer *w, size_t field, const char *utf8)
{
    struct fs_writer s;
    fs_writer_init(&s);
    ntlm_av_add_string(&s, 0, utf8 ? utf8 : ""); /* reuses the UTF-16LE encoder; skip its 4-byte header */
    if (s.failed)
        w->failed = 1; /* an empty name in its place would be a different message */
    else
        payload(w, field, s.data + 4, s.len - 4);
    fs_writer_free(&s);
}

void ntlm_build_negotiate(struct fs_writer *w, uint32_t flags)
{
    fs_write_bytes(w, signature, 8);
    fs_write_u32le(w, NTLM_NEGOTIATE);
    fs_write_u32le(w, flags);
    fs_write_u16le(w, 0), fs_write_u16le(w, 0), fs_write_u32le(w, NTLM_NEGOTIATE_SIZE);
    fs_write_u16le(w, 0), fs_write_u16le(w, 0), fs_write_u32le(w, NTLM_NEGOTIATE_SIZE);
    fs_write_bytes(w, ntlm_version, 8);
}

void ntlm_build_challenge(struct fs_writer *w, uint32_t flags, const uint8_t server_challenge[8],
                          const char *target_name, const uint8_t *target_info, size_t target_info_len)
{
    fs_write_bytes(w, signature, 8);
    fs_write_u32le(w, NTLM_CHALLENGE);
    fs_write_zeros(w, 8); /* TargetNameFields */
    fs_write_u32le(w, flags);
    fs_write_bytes(w, server_challenge, 8);
    fs_write_zeros(w, 8); /* Reserved */
    fs_write_zeros(w, 8); /* TargetInfoFields */
    fs_write_bytes(w, ntlm_version, 8);
    if (flags & NTLMSSP_NEGOTIATE_UNICODE)
        payload_string(w, 12, target_name);
    else
        payload(w, 12, target_name, strlen(target_name));
    payload(w, 40, target_info, target_info_len);
}

void ntlm_build_authenticate(struct fs_writer *w, uint32_t flags, const uint8_t *lm, size_t lm_len,
                             const uint8_t *nt, size_t nt_len, const char *domain, const char *user,
                             const char *workstation, const uint8_t *session_key, size_t session_key_len,
                             int with_mic)
{
    fs_write_bytes(w, signature, 8);
    fs_write_u32le(w, NTLM_AUTHENTICATE);
    fs_write_zeros(w, 48); /* six fields, filled as the payload goes in */
    fs_write_u32le(w, flags);
    fs_write_bytes(w, ntlm_version, 8);
    if (with_mic)
        fs_write_zeros(w, 16);
    payload_string(w, 28, domain);
    payload_string(w, 36, user);
    payload_string(w, 44, workstation);
    payload(w, 12, lm, lm_len);
    payload(w, 20, nt, nt_len);
    payload(w, 52, session_key, session_key_len);
}

int ntlm_av_well_formed(const uint8_t *info, size_t len)
{
    struct fs_reader r;
    fs_reader_init(&r, info, len);
    while (!r.failed) {
        uint16_t id = fs_read_u16le(&r);
        uint16_t n = fs_read_u16le(&r);
        if (r.failed)
            return 0;
        if (id == MsvAvEOL)
            return n == 0;
        if (n > r.len - r.pos)
            return 0;
        r.pos += n;
    }
    return 0;
}

int ntlm_av_find(const uint8_t *info, size_t len, uint16_t id, const uint8_t **value, uint16_t *value_len)
{
    struct fs_reader r;
    fs_reader_init(&r, info, len);
    for (;;) {
        uint16_t this_id = fs_read_u16le(&r);
        uint16_t n = fs_read_u16le(&r);
        if (r.failed || this_id == MsvAvEOL || n > r.len - r.pos)
            return -1;
        if (this_id == id) {
            *value = r.data + r.pos;
            *value_len = n;
            return 0;
        }
        r.pos += n;
    }
}

void ntlm_av_add(struct fs_writer *w, uint16_t id, const void *value, uint16_t len)
{
    fs_write_u16le(w, id);
    fs_write_u16le(w, len);
    fs_write_bytes(w, value, len);
}

void ntlm_av_add_string(struct fs_writer *w, uint16_t id, const char *utf8)
{
    size_t len = strlen(utf8), units;
    fs_utf8_to_utf16(utf8, len, NULL, 0, &units, 0);
    if (units * 2 > NTLM_FIELD_MAX) {
        w->failed = 1; /* doc/semantics.md §39 */
        return;
    }
    uint16_t small[128];
    uint16_t *tmp = units <= 128 ? small : fs_malloc(units * 2);
    if (!tmp) {
        w->failed = 1;
        return;
    }
    fs_utf8_to_utf16(utf8, len, tmp, units, &units, 0);
    fs_write_u16le(w, id);
    fs_write_u16le(w, (uint16_t)(units * 2));
    uint8_t *p = fs_write_space(w, units * 2);
    for (size_t i = 0; p && i < units; i++) {
        p[2 * i] = (uint8_t)tmp[i];
        p[2 * i + 1] = (uint8_t)(tmp[i] >> 8);
    }
    if (tmp != small)
        free(tmp);
}

int ntlm_fits_field(const char *utf8)
{
    size_t units = 0;
    if (utf8)
        fs_utf8_to_utf16(utf8, strlen(utf8), NULL, 0, &units, 0);
    return units * 2 <= NTLM_FIELD_MAX;
}
