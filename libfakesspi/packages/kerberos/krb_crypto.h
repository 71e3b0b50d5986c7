/* Kerberos' AES encryption and checksum types (RFC 3961 simplified profile, RFC 3962), on nettle; RC4-HMAC
 * (RFC 4757, krb_rc4.h) behind the same encrypt, decrypt and checksum calls. */
#ifndef FS_KERBEROS_KRB_CRYPTO_H
#define FS_KERBEROS_KRB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define KRB_ETYPE_AES128 17  /* aes128-cts-hmac-sha1-96 */
#define KRB_ETYPE_AES256 18  /* aes256-cts-hmac-sha1-96 */
#define KRB_CKSUM_AES128 15  /* hmac-sha1-96-aes128 */
#define KRB_CKSUM_AES256 16  /* hmac-sha1-96-aes256 */
#define KRB_ETYPE_RC4 23     /* rc4-hmac (RFC 4757) */
#define KRB_CKSUM_HMAC_MD5 (-138) /* KERB_CHECKSUM_HMAC_MD5 */

#define KRB_CONFOUNDER 16    /* one AES block */
#define KRB_HMAC_LEN 12      /* HMAC-SHA1 truncated to 96 bits */
/* Bytes encrypt adds to a plaintext (AES). */
#define KRB_ENC_OVERHEAD (KRB_CONFOUNDER + KRB_HMAC_LEN)
/* The longest checksum of any supported type (HMAC-MD5). */
#define KRB_CHECKSUM_MAX 16

struct krb_key {
    int32_t etype;
    size_t len;          /* 16 or 32 */
    uint8_t bytes[32];
};

/* RFC 3961 5.1: n-fold of in into out_len bytes. */
void krb_nfold(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len);
/* RFC 3962 4: string-to-key with PBKDF2-HMAC-SHA1 (iterations 4096 unless said) and DK(tkey, "kerberos"); for
 * RC4 (RFC 4757 section 3) the NT hash, without salt. An iteration count above KRB_S2K_MAX_ITERATIONS is
 * FS_E_NOT_SUPPORTED: the count comes from the KDC's PA-ETYPE-INFO2, and a hostile 2^32-1 would run for hours. */
#define KRB_S2K_MAX_ITERATIONS 0x1000000u
FS_MUST_CHECK fs_err krb_string_to_key(int32_t etype, const char *password, const uint8_t *salt, size_t salt_len,
                         unsigned iterations, struct krb_key *out);
/* RFC 3961 5.1: DK(key, constant). */
void krb_derive(const struct krb_key *key, const uint8_t *constant, size_t constant_len, struct krb_key *out);
/* A NEW random key of etype from the project's seeded generator. */
void krb_random_key(int32_t etype, struct krb_key *out);
int krb_etype_supported(int32_t etype);
int32_t krb_checksum_type(int32_t etype);
/* A key's length, the bytes encryption adds, and the checksum's length, for a supported etype. */
size_t krb_key_length(int32_t etype);
size_t krb_enc_overhead(int32_t etype);
size_t krb_checksum_size(int32_t etype);

/* The pseudo-random function of an AES key (RFC 3962 6): 16 bytes of in. FS_E_NOT_SUPPORTED for another enctype. */
#define KRB_PRF_LEN 16
FS_MUST_CHECK fs_err krb_prf(const struct krb_key *key, const uint8_t *in, size_t len, uint8_t out[KRB_PRF_LEN]);
/* RFC 6113 5.1 KRB-FX-CF2: PRF+(k1, pepper1) XOR PRF+(k2, pepper2), a key of k1's enctype (FAST's armor key and
 * its strengthened reply key, 5.4.1.1 and 5.4.3). AES keys only. */
FS_MUST_CHECK fs_err krb_fx_cf2(const struct krb_key *k1, const char *pepper1, const struct krb_key *k2,
                                const char *pepper2, struct krb_key *out);

/* AES in CBC mode with ciphertext stealing (RFC 3962 5, CBC-CS3), IV zero, in place; len >= 16. */
void krb_cts_encrypt(const struct krb_key *key, uint8_t *data, size_t len);
void krb_cts_decrypt(const struct krb_key *key, uint8_t *data, size_t len);

/* The three keys RFC 3961 derives from a key for one usage: for encryption, its integrity, and
 * checksums. Derived once per context and usage, not per message. */
struct krb_usage_keys {
    struct krb_key ke, ki, kc;
    int ready;
};

void krb_usage_keys_derive(const struct krb_key *key, uint32_t usage, struct krb_usage_keys *out);
FS_MUST_CHECK fs_err krb_encrypt_with(const struct krb_usage_keys *k, const uint8_t *plain, size_t len, uint8_t *out);
FS_MUST_CHECK fs_err krb_decrypt_with(const struct krb_usage_keys *k, const uint8_t *in, size_t in_len, uint8_t *plain);
void krb_checksum_with(const struct krb_usage_keys *k, const uint8_t *const *parts, const size_t *lens,
                       size_t nparts, uint8_t out[KRB_HMAC_LEN]);
/* The HMAC krb_encrypt_with appends, over parts in order (RFC 3961 5.3, Ki): for a Wrap token whose
 * integrity covers data that is not encrypted (doc/semantics.md §39). */
void krb_integrity_with(const struct krb_usage_keys *k, const uint8_t *const *parts, const size_t *lens,
                        size_t nparts, uint8_t out[KRB_HMAC_LEN]);

/* RFC 3961 5.3 encryption with key usage: out gets confounder-encrypted plaintext and HMAC
 * (len + krb_enc_overhead(key->etype) bytes); RFC 4757 section 4 for RC4. */
FS_MUST_CHECK fs_err krb_encrypt(const struct krb_key *key, uint32_t usage, const uint8_t *plain, size_t len, uint8_t *out);
/* Decrypts in[in_len] into plain (in_len - krb_enc_overhead bytes); FS_E_MESSAGE_ALTERED when the
 * HMAC does not match (the wrong key, or damage). */
FS_MUST_CHECK fs_err krb_decrypt(const struct krb_key *key, uint32_t usage, const uint8_t *in, size_t in_len, uint8_t *plain);
/* The checksum with key usage over the parts in order (krb_checksum_size(key->etype) bytes). */
void krb_checksum(const struct krb_key *key, uint32_t usage, const uint8_t *const *parts, const size_t *lens,
                  size_t nparts, uint8_t *out);

#endif
