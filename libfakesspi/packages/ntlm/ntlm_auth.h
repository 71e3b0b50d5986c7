/* The NTLM authentication itself (NTLMv2, and NTLMv1 by LmCompatibilityLevel): the client's AUTHENTICATE_MESSAGE
 * and the server's check of it. */
#ifndef FS_NTLM_AUTH_H
#define FS_NTLM_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"

/* Everything the client's answer depends on, randomness and time included, so the MS-NLMP
 * examples can be reproduced byte for byte. */
struct ntlm_client_input {
    const char *user;
    const char *domain;
    const char *workstation;
    const uint8_t *nt_hash;          /* 16 bytes */
    const uint8_t *client_challenge; /* 8 bytes */
    uint64_t time;                   /* FILETIME, used when the server sent no MsvAvTimestamp */
    const uint8_t *random_key;       /* 16 bytes, the ExportedSessionKey under KEY_EXCH */
    const uint8_t *negotiate;        /* our NEGOTIATE_MESSAGE, for the MIC */
    size_t negotiate_len;
    const uint8_t *bindings_hash;    /* 16 bytes MD5 of the channel bindings, or NULL */
    const char *target;              /* SPN for MsvAvTargetName, or NULL */
    const uint8_t *version;          /* the Version field to send (8 bytes) */
    int lm_level;                    /* the client's LmCompatibilityLevel: 0 to 2 send NTLMv1 (doc/semantics.md §61) */
    const uint8_t *lm_hash;          /* 16 bytes LMOWFv1, or NULL when the password has none */
};

/* Writes the AUTHENTICATE_MESSAGE answering challenge. *flags is what the client offered on the
 * way in and what was agreed on the way out. exported receives the ExportedSessionKey. */
FS_MUST_CHECK fs_err ntlm_client_authenticate(const struct ntlm_client_input *in, const uint8_t *challenge, size_t challenge_len,
                                uint32_t *flags, struct fs_writer *out, uint8_t exported[16]);

struct ntlm_server_result {
    char *user;         /* NEW: as the client wrote them */
    char *domain;
    uint32_t flags;     /* agreed */
    uint8_t exported[16];
};

/* Checks an AUTHENTICATE_MESSAGE against the challenge we sent and the domain's password, as a domain controller
 * at LmCompatibilityLevel dc_level does: NTLMv2 always, NTLMv1 below 5, an LM response alone below 4
 * (doc/semantics.md §61). FS_E_LOGON_DENIED for a wrong answer, unknown or disabled user, or a response the level
 * refuses; FS_E_NOT_SUPPORTED for an NTLMv1 key (NTLMSSP_NEGOTIATE_LM_KEY, NTLMSSP_REQUEST_NON_NT_SESSION_KEY) from
 * an account without an LM hash (doc/semantics.md §65); FS_E_BAD_BINDINGS; FS_E_INVALID_TOKEN. */
FS_MUST_CHECK fs_err ntlm_server_verify(const uint8_t *auth, size_t auth_len, const uint8_t *negotiate, size_t negotiate_len,
                          const uint8_t *challenge, size_t challenge_len, const uint8_t server_challenge[8],
                          const uint8_t *bindings_hash, int dc_level, struct ntlm_server_result *result);


#endif
