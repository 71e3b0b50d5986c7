/* RC4-HMAC, Kerberos encryption type 23 (RFC 4757): its encryption, its checksum (type -138) and the
 * GSS-API MIC and Wrap tokens Windows uses on a context whose key is RC4 (RFC 4757 section 7). */
#ifndef FS_KERBEROS_KRB_RC4_H
#define FS_KERBEROS_KRB_RC4_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "krb_crypto.h"

#define KRB_RC4_CONFOUNDER 8
#define KRB_RC4_CHECKSUM 16   /* HMAC-MD5 */
/* Bytes encrypt adds to a plaintext: the checksum in front, then the confounder. */
#define KRB_RC4_OVERHEAD (KRB_RC4_CHECKSUM + KRB_RC4_CONFOUNDER)

/* RFC 4757 section 4: out gets checksum | RC4(confounder | plain), len + KRB_RC4_OVERHEAD bytes. The confounder
 * is the seeded generator's, or, when confounder is not NULL, the one given (for the published vectors). */
void krb_rc4_encrypt(const struct krb_key *key, uint32_t usage, const uint8_t *confounder, const uint8_t *plain,
                     size_t len, uint8_t *out);
/* Decrypts in[in_len] into plain (in_len - KRB_RC4_OVERHEAD bytes); FS_E_MESSAGE_ALTERED when the HMAC
 * does not match. confounder (NULL-able) receives the 8 bytes the sender chose. */
FS_MUST_CHECK fs_err krb_rc4_decrypt(const struct krb_key *key, uint32_t usage, const uint8_t *in, size_t in_len,
                                     uint8_t *plain, uint8_t *confounder);
/* The keyed checksum KERB_CHECKSUM_HMAC_MD5 (-138) over the parts in order (RFC 4757 section 4). */
void krb_rc4_checksum(const struct krb_key *key, uint32_t usage, const uint8_t *const *parts, const size_t *lens,
                      size_t nparts, uint8_t out[KRB_RC4_CHECKSUM]);

/* RFC 4757 section 7 tokens as Windows' SSPI lays them out (doc/semantics.md §53): a MIC is the GSS-framed
 * 24-byte token (37 bytes); EncryptMessage's trailer is the framing, the 32-byte token and the first byte of
 * the encrypted data, whose last byte is then the padding. */
#define KRB_RC4_MIC_SIZE 37
/* The largest trailer: framing with a four-byte DER length, the token, one byte moved. */
#define KRB_RC4_WRAP_TRAILER 49
/* In DCE style, always: the framing of the token and confounder alone (doc/semantics.md §60). */
#define KRB_RC4_DCE_WRAP_TRAILER 45

struct krb_protect;
FS_MUST_CHECK fs_err krb_rc4_mic_make(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n,
                                      uint8_t *tok, size_t tok_len);
FS_MUST_CHECK fs_err krb_rc4_mic_check(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n,
                                       const uint8_t *tok, size_t tok_len);
/* Seals (or, encrypt 0, signs only: KERB_WRAP_NO_ENCRYPT) the parts in place; *tok_len is the room on the way in
 * and the trailer written on the way out. */
FS_MUST_CHECK fs_err krb_rc4_wrap(struct krb_protect *p, int encrypt, uint8_t *const *parts, const size_t *lens,
                                  const uint8_t *sign_only, size_t n, uint8_t *tok, size_t *tok_len);
/* Opens a Wrap token in place; a sealed one only when may_unseal (confidentiality was negotiated), else
 * FS_E_NOT_SUPPORTED with the parts as they came. */
FS_MUST_CHECK fs_err krb_rc4_unwrap(struct krb_protect *p, int may_unseal, uint8_t *const *parts, const size_t *lens,
                                    const uint8_t *sign_only, size_t n, const uint8_t *tok, size_t tok_len,
                                    uint32_t *qop);
/* Where one whole received Wrap token splits: everything before the last data_len bytes (in DCE style, the
 * framed token and confounder). */
FS_MUST_CHECK fs_err krb_rc4_wrap_split(const struct krb_protect *p, const uint8_t *msg, size_t len,
                                        size_t *trailer_len);

#endif
