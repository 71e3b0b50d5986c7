/* RFC 3961/3962 for the two AES enctypes: n-fold, key derivation, string-to-key, CTS mode, encrypt
 * and checksum. The primitives (AES, CBC, HMAC-SHA1, PBKDF2) are nettle's; only the Kerberos
 * constructions around them live here. */
#include "krb_crypto.h"

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/memxor.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "krb_rc4.h"
#include "security/nt_hash.h"

#define BLOCK 16

int krb_etype_supported(int32_t etype)
{
    return etype == KRB_ETYPE_AES128 || etype == KRB_ETYPE_AES256 || etype == KRB_ETYPE_RC4;
}

int32_t krb_checksum_type(int32_t etype)
{
    return etype == KRB_ETYPE_RC4 ? KRB_CKSUM_HMAC_MD5 : etype == KRB_ETYPE_AES128 ? KRB_CKSUM_AES128 : KRB_CKSUM_AES256;
}

size_t krb_key_length(int32_t etype) { return etype == KRB_ETYPE_AES256 ? 32 : 16; }

size_t krb_enc_overhead(int32_t etype) { return etype == KRB_ETYPE_RC4 ? KRB_RC4_OVERHEAD : KRB_ENC_OVERHEAD; }

size_t krb_checksum_size(int32_t etype) { return etype == KRB_ETYPE_RC4 ? KRB_RC4_CHECKSUM : KRB_HMAC_LEN; }

static size_t key_length(int32_t etype) { return krb_key_length(etype); }

/* ---- n-fold ---- */

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Adds chunk to acc as big-endian numbers with end-around carry (one's-complement addition). */
static void ones_complement_add(uint8_t *acc, const uint8_t *chunk, size_t n)
{
    unsigned carry = 0;
    for (size_t i = n; i-- > 0;) {
        unsigned sum = acc[i] + chunk[i] + carry;
        acc[i] = (uint8_t)sum;
        carry = sum >> 8;
    }
    while (carry) {
        for (size_t i = n; i-- > 0 && carry;) {
            unsigned sum = acc[i] + carry;
            acc[i] = (uint8_t)sum;
            carry = sum >> 8;
        }
    }
}

/* Byte j of the input rotated right by r bits (as one bit string, the first byte most significant). */
static uint8_t rotated_byte(const uint8_t *in, size_t n, size_t j, size_t r)
{
    size_t q = r / 8, s = r % 8;
    size_t here = (j + n - q % n) % n, before = (here + n - 1) % n;
    return s ? (uint8_t)(in[before] << (8 - s) | in[here] >> s) : in[here];
}

void krb_nfold(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    /* RFC 3961 5.1: repeat the input, each copy rotated 13 bits further right, to the least common
     * multiple of both lengths; then add the out_len-sized pieces together. */
    size_t lcm = in_len / gcd(in_len, out_len) * out_len;
    uint8_t chunk[64];
    memset(out, 0, out_len);
    for (size_t start = 0; start < lcm; start += out_len) {
        for (size_t i = 0; i < out_len; i++) {
            size_t pos = start + i, copy = pos / in_len;
            chunk[i] = rotated_byte(in, in_len, pos % in_len, (13 * copy) % (in_len * 8));
        }
        ones_complement_add(out, chunk, out_len);
    }
}

/* ---- AES ---- */

struct aes {
    union {
        struct aes128_ctx a128;
        struct aes256_ctx a256;
    } u;
    nettle_cipher_func *fn;
};

static void aes_init(struct aes *a, const struct krb_key *key, int decrypt)
{
    if (key->len == 16) {
        if (decrypt)
            aes128_set_decrypt_key(&a->u.a128, key->bytes);
        else
            aes128_set_encrypt_key(&a->u.a128, key->bytes);
        a->fn = decrypt ? (nettle_cipher_func *)aes128_decrypt : (nettle_cipher_func *)aes128_encrypt;
    } else {
        if (decrypt)
            aes256_set_decrypt_key(&a->u.a256, key->bytes);
        else
            aes256_set_encrypt_key(&a->u.a256, key->bytes);
        a->fn = decrypt ? (nettle_cipher_func *)aes256_decrypt : (nettle_cipher_func *)aes256_encrypt;
    }
}

void krb_cts_encrypt(const struct krb_key *key, uint8_t *data, size_t len)
{
    struct aes a;
    aes_init(&a, key, 0);
    if (len <= BLOCK) {
        a.fn(&a.u, BLOCK, data, data);
    } else {
        /* CBC over all but the last (possibly partial) block, then the last block zero-padded, and
         * the two final blocks swapped with the second-to-last cut to the last's length. */
        size_t blocks = (len + BLOCK - 1) / BLOCK, tail = len - BLOCK * (blocks - 1);
        uint8_t iv[BLOCK] = {0}, last[BLOCK] = {0};
        cbc_encrypt(&a.u, a.fn, BLOCK, iv, BLOCK * (blocks - 1), data, data); /* iv = C[n-1] */
        memcpy(last, data + BLOCK * (blocks - 1), tail);
        memxor(last, iv, BLOCK);
        a.fn(&a.u, BLOCK, last, last); /* C[n] */
        memcpy(data + BLOCK * (blocks - 1), iv, tail);
        memcpy(data + BLOCK * (blocks - 2), last, BLOCK);
        explicit_bzero(last, sizeof last);
    }
    explicit_bzero(&a, sizeof a);
}

void krb_cts_decrypt(const struct krb_key *key, uint8_t *data, size_t len)
{
    struct aes a;
    aes_init(&a, key, 1);
    if (len <= BLOCK) {
        a.fn(&a.u, BLOCK, data, data);
    } else {
        size_t blocks = (len + BLOCK - 1) / BLOCK, tail = len - BLOCK * (blocks - 1);
        uint8_t *cn = data + BLOCK * (blocks - 2); /* holds C[n], the full last block */
        uint8_t *stolen = data + BLOCK * (blocks - 1);
        uint8_t d[BLOCK], last_plain[BLOCK];
        a.fn(&a.u, BLOCK, d, cn); /* = C[n-1] XOR (P[n] | zeros) */
        memcpy(last_plain, d, tail);
        memxor(last_plain, stolen, tail);
        memcpy(cn, stolen, tail); /* rebuild C[n-1]: its head was sent last, its tail is in d */
        memcpy(cn + tail, d + tail, BLOCK - tail);
        uint8_t iv[BLOCK] = {0};
        cbc_decrypt(&a.u, a.fn, BLOCK, iv, BLOCK * (blocks - 1), data, data);
        memcpy(stolen, last_plain, tail);
        explicit_bzero(d, sizeof d);
        explicit_bzero(last_plain, sizeof last_plain);
    }
    explicit_bzero(&a, sizeof a);
}

/* ---- key derivation ---- */

/* DR from the n-folded constant: encrypt it and chain until there are enough bytes; for AES random-to-key is
 * the identity, so DK = DR. */
static void derive_folded(const struct krb_key *key, const uint8_t folded[BLOCK], struct krb_key *out)
{
    struct aes a;
    aes_init(&a, key, 0);
    uint8_t block[BLOCK];
    memcpy(block, folded, BLOCK);
    struct krb_key k = {.etype = key->etype, .len = key->len};
    for (size_t have = 0; have < k.len; have += BLOCK) {
        a.fn(&a.u, BLOCK, block, block);
        memcpy(k.bytes + have, block, BLOCK);
    }
    *out = k;
    explicit_bzero(&k, sizeof k);
    explicit_bzero(block, sizeof block);
    explicit_bzero(&a, sizeof a);
}

void krb_derive(const struct krb_key *key, const uint8_t *constant, size_t constant_len, struct krb_key *out)
{
    uint8_t block[BLOCK];
    krb_nfold(constant, constant_len, block, BLOCK);
    derive_folded(key, block, out);
}

/* RFC 3962 6 (RFC 3961 5.3's simplified profile): PRF = E(DK(key, "prf"), the first block of SHA-1(in)), one
 * block with a zero IV. */
fs_err krb_prf(const struct krb_key *key, const uint8_t *in, size_t len, uint8_t out[KRB_PRF_LEN])
{
    if (key->etype != KRB_ETYPE_AES128 && key->etype != KRB_ETYPE_AES256)
        return FS_E_NOT_SUPPORTED;
    struct sha1_ctx h;
    uint8_t digest[SHA1_DIGEST_SIZE];
    sha1_init(&h);
    sha1_update(&h, len, in);
    sha1_digest(&h, sizeof digest, digest);
    struct krb_key prf_key;
    krb_derive(key, (const uint8_t *)"prf", 3, &prf_key);
    memcpy(out, digest, KRB_PRF_LEN);
    krb_cts_encrypt(&prf_key, out, KRB_PRF_LEN);
    explicit_bzero(&prf_key, sizeof prf_key);
    explicit_bzero(digest, sizeof digest);
    return FS_OK;
}

/* RFC 6113 5.1: KRB-FX-PRF+(key, pepper) = PRF(key, 1 | pepper) | PRF(key, 2 | pepper) | ..., cut to n bytes. */
static fs_err prf_plus(const struct krb_key *key, const char *pepper, uint8_t *out, size_t n)
{
    size_t plen = strlen(pepper);
    uint8_t in[1 + 64], block[KRB_PRF_LEN];
    if (plen > 64)
        return FS_E_INVALID_PARAMETER;
    memcpy(in + 1, pepper, plen);
    for (size_t have = 0, i = 1; have < n; have += KRB_PRF_LEN, i++) {
        in[0] = (uint8_t)i;
        fs_err err = krb_prf(key, in, 1 + plen, block);
        if (err != FS_OK)
            return err;
        memcpy(out + have, block, n - have < KRB_PRF_LEN ? n - have : KRB_PRF_LEN);
    }
    explicit_bzero(block, sizeof block);
    return FS_OK;
}

fs_err krb_fx_cf2(const struct krb_key *k1, const char *pepper1, const struct krb_key *k2, const char *pepper2,
                  struct krb_key *out)
{
    struct krb_key k = {.etype = k1->etype, .len = k1->len};
    uint8_t other[sizeof k.bytes];
    fs_err err = prf_plus(k1, pepper1, k.bytes, k.len);
    if (err == FS_OK)
        err = prf_plus(k2, pepper2, other, k.len);
    if (err == FS_OK) {
        memxor(k.bytes, other, k.len); /* random-to-key is the identity for AES */
        *out = k;
    }
    explicit_bzero(&k, sizeof k);
    explicit_bzero(other, sizeof other);
    return err;
}

/* The n-fold of every usage constant below 64 (RFC 3961 5.3: the usage, big-endian, then 0x99, 0xAA or 0x55),
 * made once: it depends on nothing else, and folding it again for each derivation was a sixth of a handshake. */
#define FOLDED_USAGES 64
static const uint8_t usage_kinds[3] = {0x99, 0xAA, 0x55};
static uint8_t folded_usages[FOLDED_USAGES][3][BLOCK];
static pthread_once_t folded_once = PTHREAD_ONCE_INIT;

static void fold_usages(void)
{
    for (uint32_t usage = 0; usage < FOLDED_USAGES; usage++)
        for (size_t k = 0; k < 3; k++) {
            uint8_t c[5] = {0, 0, 0, (uint8_t)usage, usage_kinds[k]};
            krb_nfold(c, sizeof c, folded_usages[usage][k], BLOCK);
        }
}

static void derive_usage(const struct krb_key *key, uint32_t usage, uint8_t kind, struct krb_key *out)
{
    size_t k = kind == 0x99 ? 0 : kind == 0xAA ? 1 : kind == 0x55 ? 2 : 3;
    if (usage < FOLDED_USAGES && k < 3) {
        pthread_once(&folded_once, fold_usages);
        derive_folded(key, folded_usages[usage][k], out);
        return;
    }
    uint8_t c[5] = {(uint8_t)(usage >> 24), (uint8_t)(usage >> 16), (uint8_t)(usage >> 8), (uint8_t)usage, kind};
    krb_derive(key, c, sizeof c, out);
}

fs_err krb_string_to_key(int32_t etype, const char *password, const uint8_t *salt, size_t salt_len,
                         unsigned iterations, struct krb_key *out)
{
    if (!krb_etype_supported(etype) || iterations > KRB_S2K_MAX_ITERATIONS)
        return FS_E_NOT_SUPPORTED;
    if (etype == KRB_ETYPE_RC4) {
        out->etype = etype;
        out->len = 16;
        return fs_nt_hash(password, out->bytes);
    }
    struct krb_key tkey = {.etype = etype, .len = key_length(etype)};
    pbkdf2_hmac_sha1(strlen(password), (const uint8_t *)password, iterations ? iterations : 4096, salt_len, salt,
                     tkey.len, tkey.bytes);
    static const uint8_t kerberos[] = "kerberos";
    krb_derive(&tkey, kerberos, sizeof kerberos - 1, out);
    explicit_bzero(&tkey, sizeof tkey);
    return FS_OK;
}

void krb_random_key(int32_t etype, struct krb_key *out)
{
    out->etype = etype;
    out->len = key_length(etype);
    fs_rng_bytes(out->bytes, out->len);
}

/* ---- encryption and checksums ---- */

static void hmac_parts(const struct krb_key *k, const uint8_t *const *parts, const size_t *lens, size_t n,
                       uint8_t out[KRB_HMAC_LEN])
{
    struct hmac_sha1_ctx h;
    uint8_t full[SHA1_DIGEST_SIZE];
    hmac_sha1_set_key(&h, k->len, k->bytes);
    for (size_t i = 0; i < n; i++)
        hmac_sha1_update(&h, lens[i], parts[i]);
    hmac_sha1_digest(&h, sizeof full, full);
    memcpy(out, full, KRB_HMAC_LEN);
    explicit_bzero(&h, sizeof h);
}

void krb_usage_keys_derive(const struct krb_key *key, uint32_t usage, struct krb_usage_keys *out)
{
    derive_usage(key, usage, 0xAA, &out->ke);
    derive_usage(key, usage, 0x55, &out->ki);
    derive_usage(key, usage, 0x99, &out->kc);
    out->ready = 1;
}

fs_err krb_encrypt_with(const struct krb_usage_keys *k, const uint8_t *plain, size_t len, uint8_t *out)
{
    fs_rng_bytes(out, KRB_CONFOUNDER);
    if (len)
        memmove(out + KRB_CONFOUNDER, plain, len);
    const uint8_t *part = out;
    size_t part_len = KRB_CONFOUNDER + len;
    hmac_parts(&k->ki, &part, &part_len, 1, out + part_len);
    krb_cts_encrypt(&k->ke, out, part_len);
    return FS_OK;
}

fs_err krb_decrypt_with(const struct krb_usage_keys *k, const uint8_t *in, size_t in_len, uint8_t *plain)
{
    if (in_len < KRB_ENC_OVERHEAD)
        return FS_E_INVALID_TOKEN;
    size_t body = in_len - KRB_HMAC_LEN;
    uint8_t *work = fs_malloc(body);
    if (!work)
        return FS_E_NOMEM;
    memcpy(work, in, body);
    krb_cts_decrypt(&k->ke, work, body);
    uint8_t mac[KRB_HMAC_LEN];
    const uint8_t *part = work;
    hmac_parts(&k->ki, &part, &body, 1, mac);
    fs_err err = memeql_sec(mac, in + body, KRB_HMAC_LEN) ? FS_OK : FS_E_MESSAGE_ALTERED;
    if (err == FS_OK && body > KRB_CONFOUNDER)
        memcpy(plain, work + KRB_CONFOUNDER, body - KRB_CONFOUNDER);
    explicit_bzero(work, body);
    free(work);
    return err;
}

void krb_checksum_with(const struct krb_usage_keys *k, const uint8_t *const *parts, const size_t *lens,
                       size_t nparts, uint8_t out[KRB_HMAC_LEN])
{
    hmac_parts(&k->kc, parts, lens, nparts, out);
}

void krb_integrity_with(const struct krb_usage_keys *k, const uint8_t *const *parts, const size_t *lens,
                        size_t nparts, uint8_t out[KRB_HMAC_LEN])
{
    hmac_parts(&k->ki, parts, lens, nparts, out);
}

fs_err krb_encrypt(const struct krb_key *key, uint32_t usage, const uint8_t *plain, size_t len, uint8_t *out)
{
    if (key->etype == KRB_ETYPE_RC4) {
        krb_rc4_encrypt(key, usage, NULL, plain, len, out);
        return FS_OK;
    }
    struct krb_usage_keys k;
    krb_usage_keys_derive(key, usage, &k);
    fs_err err = krb_encrypt_with(&k, plain, len, out);
    explicit_bzero(&k, sizeof k);
    return err;
}

fs_err krb_decrypt(const struct krb_key *key, uint32_t usage, const uint8_t *in, size_t in_len, uint8_t *plain)
{
    if (key->etype == KRB_ETYPE_RC4)
        return krb_rc4_decrypt(key, usage, in, in_len, plain, NULL);
    if (in_len < KRB_ENC_OVERHEAD)
        return FS_E_INVALID_TOKEN;
    struct krb_usage_keys k;
    krb_usage_keys_derive(key, usage, &k);
    fs_err err = krb_decrypt_with(&k, in, in_len, plain);
    explicit_bzero(&k, sizeof k);
    return err;
}

void krb_checksum(const struct krb_key *key, uint32_t usage, const uint8_t *const *parts, const size_t *lens,
                  size_t nparts, uint8_t *out)
{
    if (key->etype == KRB_ETYPE_RC4) {
        krb_rc4_checksum(key, usage, parts, lens, nparts, out);
        return;
    }
    struct krb_key kc;
    derive_usage(key, usage, 0x99, &kc);
    hmac_parts(&kc, parts, lens, nparts, out);
    explicit_bzero(&kc, sizeof kc);
}
