/* NTLM keys, NTLMv1 responses and signatures. Nothing here is hand-written crypto: nettle does every primitive. */
#include "core/alloc.h"
#include "ntlm_crypto.h"

#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/utf.h"
#include "ntlm_messages.h"
#include "security/nt_hash.h"

/* UTF-16LE bytes of s, optionally upper-cased (ASCII, as our principals' names are). */
static uint8_t *utf16le(const char *s, int upper, size_t *bytes, fs_err *err)
{
    size_t units;
    *err = fs_utf8_to_utf16(s, strlen(s), NULL, 0, &units, 1);
    if (*err != FS_OK)
        return NULL;
    uint16_t *w = fs_malloc(units * 2 + 2);
    *err = w ? FS_OK : FS_E_NOMEM;
    if (!w)
        return NULL;
    fs_utf8_to_utf16(s, strlen(s), w, units, &units, 1);
    uint8_t *out = (uint8_t *)w;
    for (size_t i = 0; i < units; i++) {
        uint16_t c = w[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (uint16_t)(c - 32);
        out[2 * i] = (uint8_t)c;
        out[2 * i + 1] = (uint8_t)(c >> 8);
    }
    *bytes = units * 2;
    return out;
}

fs_err ntlm_ntowfv2(const uint8_t nt_hash[NTLM_KEY_SIZE], const char *user, const char *domain,
                    uint8_t out[NTLM_KEY_SIZE])
{
    size_t un = 0, dn = 0;
    fs_err ue, de = FS_OK;
    uint8_t *u = utf16le(user, 1, &un, &ue);
    uint8_t *d = u ? utf16le(domain, 0, &dn, &de) : NULL;
    if (u && d)
        ntlm_hmac_md5_2(nt_hash, u, un, d, dn, out);
    free(u);
    free(d);
    return ue != FS_OK ? ue : de;
}

void ntlm_hmac_md5_2(const uint8_t key[NTLM_KEY_SIZE], const void *a, size_t alen, const void *b, size_t blen,
                     uint8_t out[16])
{
    struct hmac_md5_ctx h;
    hmac_md5_set_key(&h, NTLM_KEY_SIZE, key);
    hmac_md5_update(&h, alen, a);
    if (blen)
        hmac_md5_update(&h, blen, b);
    hmac_md5_digest(&h, 16, out);
}

void ntlm_rc4_block(const uint8_t key[NTLM_KEY_SIZE], const uint8_t in[16], uint8_t out[16])
{
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, NTLM_KEY_SIZE, key);
    arcfour_crypt(&rc4, 16, out, in);
}

void ntlm_desl(const uint8_t key[NTLM_KEY_SIZE], const uint8_t data[8], uint8_t out[24])
{
    uint8_t last[7] = {key[14], key[15], 0, 0, 0, 0, 0};
    fs_des7_encrypt(key, data, out);
    fs_des7_encrypt(key + 7, data, out + 8);
    fs_des7_encrypt(last, data, out + 16);
    explicit_bzero(last, sizeof last);
}

void ntlm_ess_challenge(const uint8_t server_challenge[8], const uint8_t client_challenge[8], uint8_t out[8])
{
    struct md5_ctx md5;
    uint8_t digest[16];
    md5_init(&md5);
    md5_update(&md5, 8, server_challenge);
    md5_update(&md5, 8, client_challenge);
    md5_digest(&md5, 16, digest);
    memcpy(out, digest, 8);
}

void ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_KEY_SIZE], uint8_t out[NTLM_KEY_SIZE])
{
    struct md4_ctx md4;
    md4_init(&md4);
    md4_update(&md4, NTLM_KEY_SIZE, nt_hash);
    md4_digest(&md4, NTLM_KEY_SIZE, out);
}

fs_err ntlm_kxkey_v1(uint32_t flags, const uint8_t session_base_key[NTLM_KEY_SIZE], const uint8_t *lm_hash,
                     const uint8_t server_challenge[8], const uint8_t lm_response[24], uint8_t out[NTLM_KEY_SIZE])
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        ntlm_hmac_md5_2(session_base_key, server_challenge, 8, lm_response, 8, out);
        return FS_OK;
    }
    if (!(flags & (NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_REQUEST_NON_NT_SESSION_KEY))) {
        memcpy(out, session_base_key, NTLM_KEY_SIZE);
        return FS_OK;
    }
    if (!lm_hash)
        return FS_E_NOT_SUPPORTED;
    if (flags & NTLMSSP_NEGOTIATE_LM_KEY) {
        const uint8_t second[7] = {lm_hash[7], 0xBD, 0xBD, 0xBD, 0xBD, 0xBD, 0xBD};
        fs_des7_encrypt(lm_hash, lm_response, out);
        fs_des7_encrypt(second, lm_response, out + 8);
    } else {
        memcpy(out, lm_hash, 8);
        memset(out + 8, 0, 8);
    }
    return FS_OK;
}

static void md5_with_magic(const uint8_t *key, size_t keylen, const char *magic, uint8_t out[16])
{
    struct md5_ctx md5;
    md5_init(&md5);
    md5_update(&md5, keylen, key);
    md5_update(&md5, strlen(magic) + 1, (const uint8_t *)magic); /* the NUL is part of the constant */
    md5_digest(&md5, 16, out);
}

void ntlm_sign_key(const uint8_t exported[NTLM_KEY_SIZE], int client_to_server, uint8_t out[16])
{
    md5_with_magic(exported, NTLM_KEY_SIZE,
                   client_to_server ? "session key to client-to-server signing key magic constant"
                                    : "session key to server-to-client signing key magic constant",
                   out);
}

void ntlm_seal_key(const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags, int client_to_server, uint8_t out[16])
{
    size_t len = flags & NTLMSSP_NEGOTIATE_128 ? 16 : flags & NTLMSSP_NEGOTIATE_56 ? 7 : 5;
    md5_with_magic(exported, len,
                   client_to_server ? "session key to client-to-server sealing key magic constant"
                                    : "session key to server-to-client sealing key magic constant",
                   out);
}

size_t ntlm_seal_key_v1(const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags, uint8_t out[NTLM_KEY_SIZE])
{
    memcpy(out, exported, NTLM_KEY_SIZE);
    if (!(flags & NTLMSSP_NEGOTIATE_LM_KEY))
        return NTLM_KEY_SIZE;
    if (flags & NTLMSSP_NEGOTIATE_56) {
        out[7] = 0xA0; /* 56 bits: ExportedSessionKey[0..6] || 0xA0 */
    } else {
        out[5] = 0xE5; /* 40 bits: ExportedSessionKey[0..4] || 0xE5 0x38 0xB0 */
        out[6] = 0x38;
        out[7] = 0xB0;
    }
    memset(out + 8, 0, NTLM_KEY_SIZE - 8);
    return 8;
}

void ntlm_direction_init(struct ntlm_direction *d, const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags,
                         int client_to_server)
{
    explicit_bzero(d, sizeof *d);
    memcpy(d->exported, exported, NTLM_KEY_SIZE);
    d->flags = flags;
    d->client_to_server = client_to_server;
}

void ntlm_direction_ready(struct ntlm_direction *d)
{
    if (d->ready)
        return;
    uint8_t seal_key[16];
    if (d->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        ntlm_sign_key(d->exported, d->client_to_server, d->sign_key);
        hmac_md5_set_key(&d->mac, 16, d->sign_key);
        ntlm_seal_key(d->exported, d->flags, d->client_to_server, seal_key);
        arcfour_set_key(&d->seal, 16, seal_key);
    } else { /* no signing key (MS-NLMP 3.4.5.2), one sealing key for both directions */
        size_t len = ntlm_seal_key_v1(d->exported, d->flags, seal_key);
        arcfour_set_key(&d->seal, len, seal_key);
    }
    explicit_bzero(seal_key, sizeof seal_key);
    d->ready = 1;
}

void ntlm_direction_restore(struct ntlm_direction *d, const uint8_t sign_key[16], const struct arcfour_ctx *seal,
                            uint32_t seq)
{
    explicit_bzero(d, sizeof *d);
    memcpy(d->sign_key, sign_key, 16);
    hmac_md5_set_key(&d->mac, 16, d->sign_key);
    d->seal = *seal;
    d->seq = seq;
    d->ready = 1;
}

static void signature_of(struct ntlm_direction *d, int key_exch, const uint8_t *const *parts, const size_t *lens,
                         size_t nparts, uint8_t out[16]);

void ntlm_signature(struct ntlm_direction *d, int key_exch, const uint8_t *msg, size_t len, uint8_t out[16])
{
    signature_of(d, key_exch, &msg, &len, 1, out);
}

void ntlm_signature_parts(struct ntlm_direction *d, int key_exch, uint8_t *const *parts, const size_t *lens,
                          size_t nparts, uint8_t out[16])
{
    signature_of(d, key_exch, (const uint8_t *const *)parts, lens, nparts, out); /* adds const only */
}

static void signature_of(struct ntlm_direction *d, int key_exch, const uint8_t *const *parts, const size_t *lens,
                         size_t nparts, uint8_t out[16])
{
    uint8_t seq[4] = {(uint8_t)d->seq, (uint8_t)(d->seq >> 8), (uint8_t)(d->seq >> 16), (uint8_t)(d->seq >> 24)};
    uint8_t mac[16];
    ntlm_direction_ready(d);
    hmac_md5_update(&d->mac, 4, seq);
    for (size_t i = 0; i < nparts; i++)
        if (lens[i])
            hmac_md5_update(&d->mac, lens[i], parts[i]);
    hmac_md5_digest(&d->mac, 16, mac);
    out[0] = 1;
    out[1] = out[2] = out[3] = 0;
    if (key_exch) {
        arcfour_crypt(&d->seal, 8, out + 4, mac);
    }
    else
        memcpy(out + 4, mac, 8);
    memcpy(out + 12, seq, 4);
    d->seq++;
}

uint32_t ntlm_crc32_parts(uint8_t *const *parts, const size_t *lens, size_t nparts)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t i = 0; i < nparts; i++)
        for (size_t done = 0; done < lens[i];) { /* zlib takes uInt lengths */
            size_t n = lens[i] - done > 0x40000000u ? 0x40000000u : lens[i] - done;
            crc = crc32(crc, parts[i] + done, (uInt)n);
            done += n;
        }
    return (uint32_t)crc;
}

void ntlm_signature_v1(struct ntlm_direction *d, uint32_t crc, uint8_t out[16])
{
    /* RandomPad, Checksum and SeqNum, RC4'd in that order on the sealing stream; the RandomPad is then set to 0,
     * as Windows sends it (doc/semantics.md §65). Zero as the pad's plaintext: only the keystream it uses counts. */
    uint8_t plain[12] = {0, 0, 0, 0, (uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24),
                         (uint8_t)d->seq, (uint8_t)(d->seq >> 8), (uint8_t)(d->seq >> 16), (uint8_t)(d->seq >> 24)};
    ntlm_direction_ready(d);
    out[0] = 1;
    out[1] = out[2] = out[3] = 0;
    arcfour_crypt(&d->seal, 12, out + 4, plain);
    memset(out + 4, 0, 4);
    d->seq++;
}
