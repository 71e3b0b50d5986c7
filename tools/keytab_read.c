/* MIT's keytab file format (version 0x502: big-endian; entries prefixed by their size, negative for a hole). */
#include "keytab_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct keytab_entry entries[64];
static size_t nentries;

const struct keytab_entry *keytab_entries(size_t *n)
{
    *n = nentries;
    return entries;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* A counted string at *at inside [0, end): appended to out (with sep before it unless first). */
static int counted(const uint8_t *p, size_t end, size_t *at, char *out, size_t cap, const char *sep)
{
    if (end - *at < 2 || be16(p + *at) > end - *at - 2)
        return -1;
    size_t n = be16(p + *at), used = strlen(out);
    if (used + strlen(sep) + n + 1 > cap)
        return -1;
    snprintf(out + used, cap - used, "%s%.*s", used ? sep : "", (int)n, (const char *)p + *at + 2);
    *at += 2 + n;
    return 0;
}

int keytab_load(const char *path, char *why, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, cap, "cannot open %s", path);
        return -1;
    }
    static uint8_t p[1 << 20];
    size_t n = fread(p, 1, sizeof p, f);
    fclose(f);
    if (n < 2 || be16(p) != 0x0502) {
        snprintf(why, cap, "%s: not an MIT keytab of version 0x502", path);
        return -1;
    }
    for (size_t at = 2; at < n;) {
        if (n - at < 4) {
            snprintf(why, cap, "%s: offset %zu: an entry's size cut short", path, at);
            return -1;
        }
        int32_t size = (int32_t)be32(p + at);
        at += 4;
        size_t len = size < 0 ? (size_t)-(int64_t)size : (size_t)size;
        if (len > n - at) {
            snprintf(why, cap, "%s: offset %zu: an entry of %zu bytes runs past the end", path, at - 4, len);
            return -1;
        }
        size_t end = at + len, e = at;
        at = end;
        if (size <= 0)
            continue; /* a hole */
        struct keytab_entry k;
        memset(&k, 0, sizeof k);
        char realm[128] = "", name[200] = "";
        if (end - e < 2)
            goto bad;
        unsigned ncomp = be16(p + e);
        e += 2;
        if (counted(p, end, &e, realm, sizeof realm, ""))
            goto bad;
        for (unsigned i = 0; i < ncomp; i++)
            if (counted(p, end, &e, name, sizeof name, "/"))
                goto bad;
        if (end - e < 4 + 4 + 1 + 2 + 2)
            goto bad;
        e += 8; /* name type, timestamp */
        k.kvno = p[e++];
        int32_t etype = be16(p + e);
        size_t klen = be16(p + e + 2);
        e += 4;
        if (klen > end - e)
            goto bad;
        const uint8_t *key = p + e;
        e += klen;
        if (end - e >= 4)
            k.kvno = be32(p + e);
        if (!krb_etype_supported(etype) || klen != krb_key_length(etype))
            continue;
        if (nentries == sizeof entries / sizeof *entries)
            break;
        snprintf(k.principal, sizeof k.principal, "%s@%s", name, realm);
        k.key.etype = etype;
        k.key.len = klen;
        memcpy(k.key.bytes, key, klen);
        entries[nentries++] = k;
        continue;
    bad:
        snprintf(why, cap, "%s: offset %zu: a malformed entry", path, end - len - 4);
        return -1;
    }
    return 0;
}
