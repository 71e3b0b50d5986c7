/* GUID text both ways over libuuid, which reads and writes RFC 4122's big-endian field order: the first three
 * fields are swapped to and from Windows' in-memory order. */
#include <string.h>
#include <uuid/uuid.h>

#include "guid.h"

static void swap_fields(uint8_t g[16])
{
    static const uint8_t order[8] = {3, 2, 1, 0, 5, 4, 7, 6};
    uint8_t head[8];
    for (int i = 0; i < 8; i++)
        head[i] = g[order[i]];
    memcpy(g, head, 8);
}

int fs_guid_parse(const char *text, size_t len, uint8_t out[16])
{
    char plain[FS_GUID_TEXT_MAX];
    if (len != FS_GUID_TEXT_MAX - 1)
        return -1;
    memcpy(plain, text, len);
    plain[len] = '\0';
    if (uuid_parse(plain, out) != 0)
        return -1;
    swap_fields(out);
    return 0;
}

void fs_guid_format(const uint8_t guid[16], char out[FS_GUID_TEXT_MAX])
{
    uint8_t g[16];
    memcpy(g, guid, 16);
    swap_fields(g);
    uuid_unparse_lower(g, out);
}
