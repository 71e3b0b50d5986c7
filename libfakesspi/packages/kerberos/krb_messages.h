/* RFC 4120 messages in DER: the ticket and its encrypted part, the authenticator, AP-REQ and AP-REP,
 * and the authorization data that carries the client's groups. */
#ifndef FS_KERBEROS_KRB_MESSAGES_H
#define FS_KERBEROS_KRB_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_crypto.h"
#include "packages/der.h"
#include "security/sid.h"

#define KRB_NT_PRINCIPAL 1
#define KRB_NT_SRV_INST 2
#define KRB_NT_SRV_HST 3

/* The first byte of each message's DER (RFC 4120 5.5.1, 5.5.2, 5.9.1): what tells a bare token's kind in DCE
 * style, which has no GSS-API framing (doc/semantics.md §60). */
#define KRB_DER_AP_REQ 0x6e
#define KRB_DER_AP_REP 0x6f
#define KRB_DER_ERROR 0x7e

/* Key usages (RFC 4120 7.5.1) */
#define KRB_USAGE_TICKET 2
#define KRB_USAGE_AS_REP 3
#define KRB_USAGE_TGS_REQ_AUTH 7
#define KRB_USAGE_TGS_REP_SESSION 8
#define KRB_USAGE_TGS_REP_SUBKEY 9
#define KRB_USAGE_AUTHENTICATOR 11
#define KRB_USAGE_AP_REP 12

/* APOptions and TicketFlags as 32-bit values, bit 0 the most significant (RFC 4120 5.5.1, 5.3) */
#define KRB_AP_MUTUAL_REQUIRED 0x20000000u
/* RFC 4120 5.5.1: the ticket is encrypted in the session key of the server's TGT (user-to-user, doc/semantics.md §66) */
#define KRB_AP_USE_SESSION_KEY 0x40000000u
#define KRB_TKT_FORWARDABLE 0x40000000u
#define KRB_TKT_RENEWABLE 0x00800000u
#define KRB_TKT_PRE_AUTHENT 0x00200000u
#define KRB_TKT_NAME_CANONICALIZE 0x00010000u
#define KRB_TKT_INITIAL 0x00400000u

/* RFC 4121 4.1.1: the authenticator checksum GSS-API puts in an AP-REQ. */
#define KRB_CKSUM_GSSAPI 0x8003
#define GSS_C_DELEG_FLAG 1
#define GSS_C_MUTUAL_FLAG 2
#define GSS_C_REPLAY_FLAG 4
#define GSS_C_SEQUENCE_FLAG 8
#define GSS_C_CONF_FLAG 16
#define GSS_C_INTEG_FLAG 32
/* RFC 4757 7.1: the three-leg exchange DCE RPC uses (MS-KILE 3.4.5.1, doc/semantics.md §60). */
#define GSS_C_DCE_STYLE 0x1000

/* AD-IF-RELEVANT (RFC 4120 5.2.6.1) holds the PAC (AD-WIN2K-PAC, pac.h), as Active Directory's KDC puts
 * it first in every ticket's authorization data (MS-KILE 3.3.5.6.4). */
#define KRB_AD_IF_RELEVANT 1

#define KRB_MAX_NAME_PARTS 4

struct krb_principal {
    int32_t type;
    size_t n;
    char *parts[KRB_MAX_NAME_PARTS];  /* owned */
};

/* EncTicketPart: what the service learns from the ticket. */
struct krb_ticket {
    uint32_t flags;
    struct krb_key session_key;
    char *crealm;                   /* owned */
    struct krb_principal cname;
    uint64_t authtime, starttime, endtime, renew_till;
    uint8_t *pac;                   /* the first AD-WIN2K-PAC's bytes: owned when parsed, lent when built */
    size_t pac_len;
};

struct krb_authenticator {
    char *crealm;                   /* owned */
    struct krb_principal cname;
    int has_gss_checksum;
    uint8_t bindings_hash[16];
    uint32_t gss_flags;
    uint8_t *deleg;                 /* with GSS_C_DELEG_FLAG, the checksum's Deleg (a KRB-CRED, RFC 4121 4.1.1):
                                     * owned when parsed, lent when built */
    size_t deleg_len;
    uint32_t cusec;
    uint64_t ctime;
    int has_subkey;
    struct krb_key subkey;
    int has_seq;
    uint32_t seq;
};

struct krb_ap_rep_part {
    uint64_t ctime;
    uint32_t cusec;
    int has_subkey;
    struct krb_key subkey;
    int has_seq;
    uint32_t seq;
};

/* An AP-REQ as it arrives: the clear parts, and views of the two ciphertexts inside the input. */
struct krb_ap_req {
    uint32_t ap_options;
    char *realm;                    /* owned: the ticket's realm */
    struct krb_principal sname;
    int32_t ticket_etype;
    uint32_t ticket_kvno;
    const uint8_t *ticket_cipher;
    size_t ticket_cipher_len;
    int32_t auth_etype;
    const uint8_t *auth_cipher;
    size_t auth_cipher_len;
};

/* KERB-TGT-REQUEST (draft-swift-win2k-krb-user2user 3): the client's first user-to-user token names the server it
 * wants the TGT of (doc/semantics.md §66). */
struct krb_tgt_request {
    int has_sname;
    struct krb_principal sname;     /* owned when has_sname */
    char *realm;                    /* owned, NULL when absent */
};

void krb_principal_free(struct krb_principal *p);
/* "HTTP/server.example.test" (no realm) into a NEW principal of type type. */
FS_MUST_CHECK fs_err krb_principal_from_text(const char *text, int32_t type, struct krb_principal *out);
/* "a/b" into buf; returns the length. */
size_t krb_principal_format(const struct krb_principal *p, char *buf, size_t cap);
int krb_principal_equal(const struct krb_principal *a, const struct krb_principal *b);
void krb_ticket_free(struct krb_ticket *t);
void krb_authenticator_free(struct krb_authenticator *a);
void krb_ap_req_free(struct krb_ap_req *r);

/* The DER EncTicketPart alone, as the PAC's ticket signature covers it (MS-PAC 2.8.2): with
 * pac_placeholder, the ad-data of the AD-WIN2K-PAC element is a single zero byte. */
FS_MUST_CHECK fs_err krb_encode_enc_ticket(const struct krb_ticket *t, int pac_placeholder, struct fs_writer *out);
/* Encodes EncTicketPart and encrypts it in service_key; then the Ticket around it. */
FS_MUST_CHECK fs_err krb_build_ticket(const struct krb_ticket *t, const char *realm, const struct krb_principal *sname,
                        const struct krb_key *service_key, uint32_t kvno, struct fs_writer *out);
/* Encodes the Authenticator and encrypts it in the session key: the EncryptedData element. */
FS_MUST_CHECK fs_err krb_build_authenticator(const struct krb_authenticator *a, const struct krb_key *session_key,
                               struct fs_writer *out);
/* AP-REQ from an encoded Ticket and an encoded EncryptedData authenticator. */
void krb_build_ap_req(uint32_t ap_options, const uint8_t *ticket, size_t ticket_len, const uint8_t *auth,
                      size_t auth_len, struct fs_writer *out);
FS_MUST_CHECK fs_err krb_build_ap_rep(const struct krb_ap_rep_part *p, const struct krb_key *session_key, struct fs_writer *out);

/* Parsers: FS_E_INVALID_TOKEN (err says where) for anything malformed. */
FS_MUST_CHECK fs_err krb_parse_ap_req(const uint8_t *in, size_t len, struct krb_ap_req *out, struct der_error *err);
/* Decrypts and parses; FS_E_MESSAGE_ALTERED when the key does not fit. */
FS_MUST_CHECK fs_err krb_open_ticket(const struct krb_ap_req *r, const struct krb_key *service_key, struct krb_ticket *out);
FS_MUST_CHECK fs_err krb_open_authenticator(const struct krb_ap_req *r, const struct krb_key *session_key,
                              struct krb_authenticator *out);
/* The same in another key usage: 7 for the authenticator of a TGS-REQ's PA-TGS-REQ (RFC 4120 7.5.1). */
FS_MUST_CHECK fs_err krb_open_authenticator_usage(const struct krb_ap_req *r, const struct krb_key *session_key,
                                                  uint32_t usage, struct krb_authenticator *out);
FS_MUST_CHECK fs_err krb_open_ap_rep(const uint8_t *in, size_t len, const struct krb_key *session_key, struct krb_ap_rep_part *out);

/* User-to-user's two messages (msg-type 16 and 17, doc/semantics.md §66), without their GSS-API framing: the request
 * with the optional server-name and realm (NULL: left out), the reply around a DER Ticket. */
void krb_build_tgt_request(const struct krb_principal *sname, const char *realm, struct fs_writer *out);
FS_MUST_CHECK fs_err krb_parse_tgt_request(const uint8_t *in, size_t len, struct krb_tgt_request *out,
                                           struct der_error *err);
void krb_tgt_request_free(struct krb_tgt_request *r);
void krb_build_tgt_reply(const uint8_t *ticket, size_t ticket_len, struct fs_writer *out);
/* *ticket views the reply's Ticket (tag and all) inside in. */
FS_MUST_CHECK fs_err krb_parse_tgt_reply(const uint8_t *in, size_t len, const uint8_t **ticket, size_t *ticket_len,
                                         struct der_error *err);

/* The pieces a decoder shows (sspi-decode): parse without keys. */
FS_MUST_CHECK fs_err krb_parse_encrypted_data(struct der *d, int32_t *etype, uint32_t *kvno, int *has_kvno, struct der *cipher);
FS_MUST_CHECK fs_err krb_parse_principal(struct der *d, struct krb_principal *out);

/* The pieces the package's other messages share (KRB-CRED, krb_delegation.c). */
void krb_put_principal(struct fs_writer *w, const struct krb_principal *p);
void krb_put_key(struct fs_writer *w, const struct krb_key *k);
/* EncryptedData of plain in key with usage (no kvno). */
FS_MUST_CHECK fs_err krb_put_encrypted(struct fs_writer *w, const struct krb_key *key, uint32_t usage,
                                       const struct fs_writer *plain);
/* An EncryptionKey element into *k; the error set on d for an unsupported one. */
void krb_read_key(struct der *d, struct krb_key *k);
/* Decrypts a ciphertext of etype into a NEW buffer (wipe and free it): FS_E_MESSAGE_ALTERED for another key. */
FS_MUST_CHECK fs_err krb_open_cipher(const struct krb_key *key, int32_t etype, uint32_t usage, const uint8_t *cipher,
                                     size_t len, uint8_t **plain, size_t *plain_len);

#endif
