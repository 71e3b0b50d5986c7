/* The NT hash and the LM hash, on nettle's MD4 and DES. */
#include "nt_hash.h"

#include <nettle/des.h>
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

void fs_des7_encrypt(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
    /* 56 key bits, seven to a byte, each byte's low bit left for the parity des_fix_parity sets. */
    uint8_t key[DES_KEY_SIZE] = {
        key7[0],
        (uint8_t)(key7[0] << 7 | key7[1] >> 1),
        (uint8_t)(key7[1] << 6 | key7[2] >> 2),
        (uint8_t)(key7[2] << 5 | key7[3] >> 3),
        (uint8_t)(key7[3] << 4 | key7[4] >> 4),
        (uint8_t)(key7[4] << 3 | key7[5] >> 5),
        (uint8_t)(key7[5] << 2 | key7[6] >> 6),
        (uint8_t)(key7[6] << 1),
    };
    des_fix_parity(DES_KEY_SIZE, key, key);
    struct des_ctx des;
    (void)des_set_key(&des, key); /* 0 for a weak key, which is still keyed: MS-NLMP does not avoid them */
    des_encrypt(&des, DES_BLOCK_SIZE, out, in);
    explicit_bzero(key, sizeof key);
    explicit_bzero(&des, sizeof des);
}

int fs_lm_hash(const char *password, uint8_t out[FS_NT_HASH_SIZE])
{
    static const uint8_t magic[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
    uint8_t upper[14] = {0};
    size_t len = strlen(password);
    if (len > sizeof upper)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)password[i];
        if (c >= 0x80) {
            explicit_bzero(upper, sizeof upper);
            return -1;
        }
        upper[i] = (uint8_t)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    fs_des7_encrypt(upper, magic, out);
    fs_des7_encrypt(upper + 7, magic, out + 8);
    explicit_bzero(upper, sizeof upper);
    return 0;
}
