/* Reading an account's supported encryption types from the domain file. */
#include "enctypes.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf.h"

static const struct {
    const char *name;
    uint32_t bit;
} names[] = {
    {"rc4", FS_ENCTYPE_RC4},       {"rc4-hmac", FS_ENCTYPE_RC4},
    {"arcfour-hmac", FS_ENCTYPE_RC4}, {"aes128", FS_ENCTYPE_AES128},
    {"aes128-cts-hmac-sha1-96", FS_ENCTYPE_AES128}, {"aes256", FS_ENCTYPE_AES256},
    {"aes256-cts-hmac-sha1-96", FS_ENCTYPE_AES256},
};

static int parse_number(const char *text, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(text, &end, 0);
    if (*end || v > 0xFFFFFFFFul)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int fs_enctypes_parse(const char *text, uint32_t *out)
{
    uint32_t bits = 0;
    if (text[0] >= '0' && text[0] <= '9') {
        if (parse_number(text, &bits))
            return -1;
    } else {
        const char *p = text;
        while (*p) {
            size_t skip = strspn(p, ", \t");
            p += skip;
            size_t len = strcspn(p, ", \t");
            if (!len)
                break;
            size_t i = 0;
            for (; i < sizeof names / sizeof names[0]; i++)
                if (strlen(names[i].name) == len && !fs_ascii_ncasecmp(p, names[i].name, len))
                    break;
            if (i == sizeof names / sizeof names[0])
                return -1;
            bits |= names[i].bit;
            p += len;
        }
    }
    if (!(bits & FS_ENCTYPES_KNOWN))
        return -1;
    *out = bits;
    return 0;
}
