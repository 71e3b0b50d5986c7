/* The one interface every security package implements. A package sees its own state, bytes and
 * flags, never a handle: sspi/ owns handles, buffers and the caller's structures. */
#ifndef FS_PACKAGES_PACKAGE_H
#define FS_PACKAGES_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "security/token.h"

/* Who a credential speaks for: filled by sspi/ from an identity or the default logon. */
struct fs_identity {
    char *user;          /* as the caller wrote it: "alice", "alice@example.test" */
    char *domain;        /* "EXAMPLE", or "" */
    uint8_t nt_hash[16]; /* MD4 of the password; the password itself is not kept */
    uint8_t lm_hash[16]; /* LMOWFv1 of the password when has_lm_hash: NTLM's LM response (doc/semantics.md §61) */
    int has_lm_hash;     /* 0: the password has no LM hash (over 14 characters, not ASCII) */
    int has_secret;      /* 0 for inbound-only credentials */
    uint64_t logon_id;   /* the logon session the credential was acquired in (its caller's token's
                          * AuthenticationId), 0 for none: Kerberos keeps service tickets per session (doc/semantics.md §49) */
    int network_logon;   /* the default credential of a network logon's session (an impersonated client): no
                          * password there, only what the client delegated (doc/semantics.md §54) */
    int s4u_logon;       /* ... of an S4U logon's (SERVICE_ASSERTED_IDENTITY): the KDC's S4U2Self ticket is there */
    char *s4u_service;   /* the account that made that S4U logon (owned), NULL: the process's (doc/semantics.md §78) */
};

struct fs_step_in {
    const uint8_t *token;       /* the peer's token, NULL on a client's first leg */
    size_t token_len;
    const uint8_t *bindings;    /* SECBUFFER_CHANNEL_BINDINGS: SEC_CHANNEL_BINDINGS and its data */
    size_t bindings_len;
    const char *target;         /* ISC's target name (UTF-8), may be NULL */
    uint32_t req_flags;         /* ISC_REQ_* (client) or ASC_REQ_* (server) */
    const char *package_list;   /* SEC_WINNT_AUTH_IDENTITY_EX's PackageList ("!ntlm", "kerberos"), or NULL */
};

/* SECPKG_ATTR_KEY_INFO as a package reports it. */
struct fs_key_info {
    const char *signature_name;
    const char *encrypt_name;
    uint32_t key_bits;
    uint32_t signature_algorithm;
    uint32_t encrypt_algorithm;
};

struct fs_step_out {
    struct fs_writer token;     /* the token for the peer */
    uint32_t ret_flags;         /* ISC_RET_* or ASC_RET_* */
    int complete;
    struct fs_token *peer_token; /* server, on completion: a NEW token for the client's user */
    char *peer_name;            /* NEW "DOMAIN\user" of the authenticated client (server side) */
    uint64_t expiry;            /* on completion: when the context expires (FILETIME), 0 for never */
    /* What may happen only if the whole leg succeeds (the Kerberos replay cache remembering an authenticator):
     * the SSPI layer calls commit(commit_arg) once the token is in the caller's buffer, and a failure fails
     * the leg. commit_arg is malloc'd and freed by the SSPI layer, called or not. */
    fs_err (*commit)(void *arg);
    void *commit_arg;
};

struct fs_package {
    const char *name;
    const char *comment;
    uint32_t capabilities;
    uint16_t version;
    uint16_t rpcid;
    uint32_t max_token;
    uint32_t max_signature;
    uint32_t block_size;
    uint32_t security_trailer;

    /* A handshake leg. *state is NULL on the first leg; the package allocates it. On failure of a
     * first leg the package frees what it made and leaves *state NULL. */
    fs_err (*client_step)(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out);
    fs_err (*server_step)(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out);
    /* Wipes the state's secrets and frees it. */
    void (*free_state)(void *state);

    /* Message protection over a completed context. The message is the parts in order (the DATA
     * buffers the package signs, see signs_readonly); nothing is copied. seal encrypts the parts in place
     * as one stream and signs the plaintext; unseal decrypts and checks, and leaves the parts as they were
     * when the check fails. sign_only (NULL: none) marks the parts that are signed and left in the clear,
     * the read-only ones (doc/semantics.md §39). */
    fs_err (*sign)(void *state, uint8_t *const *parts, const size_t *lens, size_t nparts, uint8_t *sig,
                   size_t sig_len);
    fs_err (*verify)(void *state, uint8_t *const *parts, const size_t *lens, size_t nparts, const uint8_t *sig,
                     size_t sig_len);
    /* qop is the caller's fQOP: 0, or the package's own (Kerberos' KERB_WRAP_NO_ENCRYPT signs without
     * encrypting); FS_E_QOP_NOT_SUPPORTED for any other. *sig_len is the room on the way in and the
     * trailer written on the way out. unseal's *qop (NULL-able) receives the QOP the sender used. */
    fs_err (*seal)(void *state, uint32_t qop, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                   size_t nparts, uint8_t *sig, size_t *sig_len);
    fs_err (*unseal)(void *state, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t nparts,
                     const uint8_t *sig, size_t sig_len, uint32_t *qop);
    /* Optional. Where one whole received message (DecryptMessage's SECBUFFER_STREAM) splits: the trailer
     * that comes first, then the data. NULL: the package takes no stream buffers. */
    fs_err (*stream_split)(const void *state, const uint8_t *msg, size_t len, size_t *trailer_len);
    /* The exported session key; *len in, bytes out. */
    fs_err (*session_key)(void *state, uint8_t *key, size_t *len);
    /* ExportSecurityContext / ImportSecurityContext of a complete context's state. reset: start the
     * message streams afresh (SECPKG_CONTEXT_EXPORT_RESET_NEW). import returns FS_E_INVALID_TOKEN for
     * anything malformed, and a NEW state. */
    fs_err (*export_state)(void *state, int reset, struct fs_writer *out);
    fs_err (*import_state)(struct fs_reader *in, void **state);
    /* SECPKG_ATTR_KEY_INFO of a complete context. */
    void (*key_info)(const void *state, struct fs_key_info *out);
    /* Optional. A complete context's own signature and trailer sizes where they are not the package's (Kerberos:
     * the RC4 tokens, doc/semantics.md §53); the package's max_signature and security_trailer come in. */
    void (*sizes)(const void *state, uint32_t *max_signature, uint32_t *security_trailer);

    /* Optional. A negotiating package names the package it chose (NULL while it has not), and that package's
     * state in *chosen_state; SIZES, PACKAGE_INFO, NEGOTIATION_INFO and KEY_INFO then describe that one, as
     * Windows' do. */
    const struct fs_package *(*selected)(const void *state, const void **chosen_state);
    /* Optional. Starts message protection afresh: NTLM after SPNEGO's mechListMIC (MS-SPNG 3.3.5.1). */
    void (*reset_crypto)(void *state);
    /* Optional. SECPKG_ATTR_NATIVE_NAMES in the package's own terms (Kerberos: the ticket's client and
     * service principals); NULL: the context's DOMAIN\user and target. */
    void (*native_names)(const void *state, const char **client, const char **server);
    /* VerifySignature and DecryptMessage write *pfQOP for this package (Kerberos); NTLM leaves it as the
     * caller had it, as Windows' does (doc/semantics.md §28). */
    int reports_qop;
    /* SECBUFFER_READONLY data is signed too (NTLM, whose MAC is over every DATA buffer); otherwise only
     * SECBUFFER_READONLY_WITH_CHECKSUM data is, and SECBUFFER_READONLY data is neither signed nor encrypted
     * (Kerberos) (doc/semantics.md §39). */
    int signs_readonly;
    /* Optional. Forgets what the package keeps across contexts (Kerberos' key and replay caches), for
     * fakesspi_reset(). */
    void (*reset)(void);
    /* Optional. A logon session ended: forget what the package keeps for it (Kerberos: the session's tickets). */
    void (*session_ended)(uint64_t logon_id);
    /* Optional. AcquireCredentialsHandle's TimeStamp for an outbound credential of id (Kerberos: its TGT's end time,
     * doc/semantics.md §62); NULL: FS_TIME_NEVER. The package list is SEC_WINNT_AUTH_IDENTITY_EX's (Negotiate). */
    uint64_t (*credential_expiry)(const struct fs_identity *id, const char *package_list);
};

/* The package whose values a context reports: the chosen one for Negotiate, else pkg itself. */
const struct fs_package *fs_package_effective(const struct fs_package *pkg, const void *state);
/* That package's state: the chosen one's for Negotiate, else state itself (NULL while there is none). */
const void *fs_package_effective_state(const struct fs_package *pkg, const void *state);

/* The registry: packages in Windows' enumeration order. */
size_t fs_package_count(void);
const struct fs_package *fs_package_at(size_t index);
/* Case-insensitive lookup by name; NULL if none. */
const struct fs_package *fs_package_find(const char *name);
/* The index a handle's dwLower carries, or SIZE_MAX. */
size_t fs_package_index(const struct fs_package *pkg);

/* Every package's reset, for fakesspi_reset(). */
void fs_packages_reset(void);
/* Every package's session_ended, for the end of logon session logon_id. */
void fs_packages_session_ended(uint64_t logon_id);

extern const struct fs_package fs_ntlm_package;
extern const struct fs_package fs_kerberos_package;
extern const struct fs_package fs_negotiate_package;

#endif
