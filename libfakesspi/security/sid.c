/* SID arithmetic and the S-R-I-S-S... text form. */
#include "sid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fs_sid_init(struct fs_sid *sid, uint64_t authority, uint8_t count, const uint32_t *subs)
{
    memset(sid, 0, sizeof *sid);
    sid->revision = 1;
    sid->count = count;
    for (int i = 0; i < 6; i++)
        sid->authority[5 - i] = (uint8_t)(authority >> (8 * i));
    for (uint8_t i = 0; i < count && i < FS_SID_MAX_SUB; i++)
        sid->sub[i] = subs[i];
}

void fs_sid_append(struct fs_sid *sid, const struct fs_sid *base, uint32_t rid)
{
    *sid = *base;
    if (sid->count < FS_SID_MAX_SUB)
        sid->sub[sid->count++] = rid;
}

uint64_t fs_sid_authority(const struct fs_sid *sid)
{
    uint64_t a = 0;
    for (int i = 0; i < 6; i++)
        a = (a << 8) | sid->authority[i];
    return a;
}

size_t fs_sid_length(const struct fs_sid *sid) { return 8 + 4 * (size_t)sid->count; }

int fs_sid_is_valid(const void *sid)
{
    const uint8_t *b = sid;
    return b && b[0] == 1 && b[1] <= FS_SID_MAX_SUB;
}

int fs_sid_equal(const struct fs_sid *a, const struct fs_sid *b)
{
    return a->revision == b->revision && a->count == b->count && !memcmp(a->authority, b->authority, 6) &&
           !memcmp(a->sub, b->sub, 4 * (size_t)a->count);
}

int fs_sid_is_in_domain(const struct fs_sid *sid, const struct fs_sid *base, uint32_t *rid)
{
    if (sid->count != base->count + 1 || memcmp(sid->authority, base->authority, 6) ||
        memcmp(sid->sub, base->sub, 4 * (size_t)base->count))
        return 0;
    if (rid)
        *rid = sid->sub[base->count];
    return 1;
}

size_t fs_sid_format(const struct fs_sid *sid, char *buf, size_t cap)
{
    char text[FS_SID_STRING_MAX];
    uint64_t auth = fs_sid_authority(sid);
    int n = auth >> 32 ? snprintf(text, sizeof text, "S-%u-0x%012llX", sid->revision, (unsigned long long)auth)
                       : snprintf(text, sizeof text, "S-%u-%llu", sid->revision, (unsigned long long)auth);
    for (uint8_t i = 0; i < sid->count && i < FS_SID_MAX_SUB; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "-%u", sid->sub[i]);
    if (cap) {
        size_t k = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return (size_t)n;
}

static int digit_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One decimal or 0x-hex field that must fit max; advances *p past it. By hand, not strtoull: tokens are built
 * from SID strings at every logon, and strtoull's locale and errno handling was most of a parse. */
static int parse_number(const char **p, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    const char *start = s;
    for (int d; (d = digit_value(*s)) >= 0 && (unsigned)d < base; s++) {
        if (v > (max - (uint64_t)d) / base)
            return 0;
        v = v * base + (uint64_t)d;
    }
    if (s == start)
        return 0;
    *out = v;
    *p = s;
    return 1;
}

fs_err fs_sid_parse(const char *text, struct fs_sid *out)
{
    if (!text || (text[0] != 'S' && text[0] != 's') || text[1] != '-')
        return FS_E_INVALID_SID;
    const char *p = text + 2;
    uint64_t revision, authority, v;
    if (!parse_number(&p, 0xFF, &revision) || revision != 1 || *p != '-')
        return FS_E_INVALID_SID;
    p++;
    if (!parse_number(&p, 0xFFFFFFFFFFFFull, &authority))
        return FS_E_INVALID_SID;
    uint32_t subs[FS_SID_MAX_SUB];
    uint8_t count = 0;
    while (*p == '-') {
        p++;
        if (count == FS_SID_MAX_SUB || !parse_number(&p, 0xFFFFFFFFu, &v))
            return FS_E_INVALID_SID;
        subs[count++] = (uint32_t)v;
    }
    if (*p != '\0')
        return FS_E_INVALID_SID;
    fs_sid_init(out, authority, count, subs);
    return FS_OK;
}

void fs_sid_copy_in(struct fs_sid *out, const void *sid)
{
    memcpy(out, sid, 8 + 4 * (size_t)((const uint8_t *)sid)[1]);
}

void fs_sid_parse_known(const char *text, struct fs_sid *out)
{
    if (fs_sid_parse(text, out) != FS_OK)
        abort();
}
