/* Channel bindings as GSS-API hashes them: MD5 over gss_channel_bindings_struct's fields (RFC 2744
 * 3.11; MS-NLMP 3.1.5.2.2; RFC 4121 4.1.1.2). NTLM puts the hash in an AV pair, Kerberos in the
 * authenticator checksum. */
#include "bindings.h"

#include <nettle/md5.h>

#include "core/bytes.h"

int fs_bindings_hash(const uint8_t *b, size_t len, uint8_t out[16])
{
    /* SEC_CHANNEL_BINDINGS: eight ULONGs, then the data they point into (offsets from its start). */
    struct fs_reader r;
    fs_reader_init(&r, b, len);
    uint32_t f[8];
    for (int i = 0; i < 8; i++)
        f[i] = fs_read_u32le(&r);
    const uint8_t *ini = fs_reader_slice(&r, f[2], f[1]);
    const uint8_t *acc = fs_reader_slice(&r, f[5], f[4]);
    const uint8_t *app = fs_reader_slice(&r, f[7], f[6]);
    if (r.failed)
        return -1;
    struct md5_ctx md5;
    uint8_t le[4];
    md5_init(&md5);
#define PUT32(v) (le[0] = (uint8_t)(v), le[1] = (uint8_t)((v) >> 8), le[2] = (uint8_t)((v) >> 16), \
                  le[3] = (uint8_t)((v) >> 24), md5_update(&md5, 4, le))
    PUT32(f[0]);
    PUT32(f[1]);
    md5_update(&md5, f[1], ini);
    PUT32(f[3]);
    PUT32(f[4]);
    md5_update(&md5, f[4], acc);
    PUT32(f[6]);
    md5_update(&md5, f[6], app);
#undef PUT32
    md5_digest(&md5, 16, out);
    return 0;
}
