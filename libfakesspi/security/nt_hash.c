/* The NT hash, on nettle's MD4. */
#include "nt_hash.h"

#include <nettle/md4.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

fs_err fs_nt_hash(const char *password, uint8_t out[FS_NT_HASH_SIZE])
{
    size_t units, len = strlen(password);
    fs_err err = fs_utf8_to_utf16(password, len, NULL, 0, &units, 1);
    if (err != FS_OK)
        return err;
    uint16_t small[260]; /* Windows' longest password (256) fits: no allocation per account of a big domain */
    uint16_t *w = units < sizeof small / sizeof *small ? small : fs_malloc(units * 2 + 2);
    if (!w)
        return FS_E_NOMEM;
    fs_utf8_to_utf16(password, len, w, units, &units, 1);
    uint8_t *le = (uint8_t *)w; /* little-endian bytes, whatever the host */
    for (size_t i = 0; i < units; i++) {
        uint16_t c = w[i];
        le[2 * i] = (uint8_t)c;
        le[2 * i + 1] = (uint8_t)(c >> 8);
    }
    struct md4_ctx md4;
    md4_init(&md4);
    md4_update(&md4, units * 2, le);
    md4_digest(&md4, FS_NT_HASH_SIZE, out);
    explicit_bzero(w, units * 2);
    explicit_bzero(&md4, sizeof md4);
    if (w != small)
        free(w);
    return FS_OK;
}
