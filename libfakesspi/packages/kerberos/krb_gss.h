/* The GSS-API Kerberos mechanism's own layer: token framing (RFC 2743 3.1, RFC 4121 4.1) and the
 * per-message MIC and Wrap tokens (RFC 4121 4.2) in the layout Windows' SSPI uses (MS-KILE 3.4.5.4). */
#ifndef FS_KERBEROS_KRB_GSS_H
#define FS_KERBEROS_KRB_GSS_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_crypto.h"

#define KRB_TOK_AP_REQ 0x0100
#define KRB_TOK_AP_REP 0x0200
#define KRB_TOK_ERROR 0x0300
/* User-to-user's KERB-TGT-REQUEST and KERB-TGT-REPLY (draft-swift-win2k-krb-user2user 3, doc/semantics.md §66) */
#define KRB_TOK_TGT_REQ 0x0400
#define KRB_TOK_TGT_REP 0x0401

/* 1.2.840.113554.1.2.2 (Kerberos V5) and 1.2.840.48018.1.2.2 (Microsoft's, as Windows 2000 wrote it) */
extern const uint8_t krb_oid_krb5[9];
extern const uint8_t krb_oid_ms_krb5[9];
/* 1.2.840.113554.1.2.2.3: Kerberos user-to-user, which frames every token of a user-to-user context
 * (doc/semantics.md §66) */
#define KRB_OID_U2U_LEN 10
extern const uint8_t krb_oid_krb5_u2u[KRB_OID_U2U_LEN];

/* Writes [APPLICATION 0] { OID, TOK_ID, inner }. */
void krb_gss_frame(struct fs_writer *w, const uint8_t oid[9], uint16_t tok_id, const uint8_t *inner, size_t n);
/* The same under the user-to-user OID. */
void krb_gss_frame_u2u(struct fs_writer *w, uint16_t tok_id, const uint8_t *inner, size_t n);
/* Reads it back: the OID must be one of the two; FS_E_INVALID_TOKEN otherwise. */
FS_MUST_CHECK fs_err krb_gss_unframe(const uint8_t *in, size_t len, uint16_t *tok_id, const uint8_t **inner, size_t *inner_len);
/* The same, the user-to-user OID taken too: *u2u says which. */
FS_MUST_CHECK fs_err krb_gss_unframe_any(const uint8_t *in, size_t len, int *u2u, uint16_t *tok_id, const uint8_t **inner,
                                         size_t *inner_len);

/* RFC 4121 sizes as Windows reports them for AES (doc/semantics.md §9): a MIC is a 16-byte header and a
 * 12-byte checksum; a sealed message's trailer is header, rotated checksum and encrypted header (RRC 28),
 * and the encrypted confounder. */
#define KRB_MIC_SIZE 28
#define KRB_WRAP_TRAILER 60
/* In DCE style a sealed token carries a block of filler (EC 16), so its trailer is 76 (doc/semantics.md §60). */
#define KRB_DCE_WRAP_EC 16

/* One side of a context's message protection. */
struct krb_protect {
    struct krb_key key;      /* the acceptor's subkey if it sent one, else the initiator's */
    int acceptor_subkey;     /* flag 0x04 in every token */
    int we_accept;           /* we are the acceptor: flag 0x01 on what we send */
    size_t wrap_ec;          /* the filler a sealed Wrap token carries: none, or a block in DCE style
                              * (KRB_DCE_WRAP_EC, doc/semantics.md §60); an RC4 context's tokens take it as
                              * "DCE style": no padding, the data outside the framing */
    uint64_t send_seq;
    uint64_t recv_seq;
    struct krb_usage_keys usage[4]; /* usages 22..25, derived on first use */
};

FS_MUST_CHECK fs_err krb_mic_make(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *tok,
                    size_t tok_len);
FS_MUST_CHECK fs_err krb_mic_check(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *tok,
                     size_t tok_len);
/* Encrypts the parts in place; tok receives the KRB_WRAP_TRAILER + p->wrap_ec bytes that precede them on the wire.
 * sign_only (NULL: none) marks parts the HMAC covers and that stay in the clear (doc/semantics.md §39). */
FS_MUST_CHECK fs_err krb_wrap_seal(struct krb_protect *p, uint8_t *const *parts, const size_t *lens,
                                   const uint8_t *sign_only, size_t n, uint8_t *tok, size_t tok_len);
/* KERB_WRAP_NO_ENCRYPT: a Wrap token that signs and does not encrypt; *tok_len is the room on the way
 * in, the trailer written (28) on the way out. */
#define KRB_QOP_NO_ENCRYPT 0x80000001u
FS_MUST_CHECK fs_err krb_wrap_sign(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *tok,
                     size_t *tok_len);
/* Decrypts (or, for a token without confidentiality, checks) in place; on any failure the parts are left
 * as they came. *qop, when not NULL, receives 0 or KRB_QOP_NO_ENCRYPT as the token says. */
FS_MUST_CHECK fs_err krb_wrap_unseal(struct krb_protect *p, uint8_t *const *parts, const size_t *lens,
                                     const uint8_t *sign_only, size_t n, const uint8_t *tok, size_t tok_len,
                                     uint32_t *qop);
/* A message's parts, as the Wrap tokens of both token formats (RFC 4121, RFC 4757) take them: the length of all
 * of them or (sign_only given) of those that are encrypted; those parts copied one after the other into dst; and
 * src cut back into the same parts, in place. */
size_t krb_parts_length(const size_t *lens, const uint8_t *sign_only, size_t n);
void krb_parts_gather(uint8_t *dst, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n);
void krb_parts_scatter(const uint8_t *src, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                       size_t n);

/* Where a whole Wrap token splits: the trailer (header and what precedes the data) and the data. */
FS_MUST_CHECK fs_err krb_wrap_split(const uint8_t *msg, size_t len, size_t *trailer_len);

#endif
