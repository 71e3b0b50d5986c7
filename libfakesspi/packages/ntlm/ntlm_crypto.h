/* MS-NLMP's key computations (3.3.2, 3.4.5), all on nettle's MD4, MD5, HMAC-MD5 and RC4. */
#ifndef FS_NTLM_CRYPTO_H
#define FS_NTLM_CRYPTO_H

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define NTLM_KEY_SIZE 16

/* NTOWFv1, the NT hash, is the account's: security/nt_hash.h. */
/* NTOWFv2 = HMAC_MD5(NTOWFv1, UTF16LE(UPPER(user) || domain)). */
FS_MUST_CHECK fs_err ntlm_ntowfv2(const uint8_t nt_hash[NTLM_KEY_SIZE], const char *user, const char *domain,
                 uint8_t out[NTLM_KEY_SIZE]);
/* HMAC_MD5(key, a || b): the shape of NTProofStr, LMv2 and the session base key. */
void ntlm_hmac_md5_2(const uint8_t key[NTLM_KEY_SIZE], const void *a, size_t alen, const void *b, size_t blen,
                     uint8_t out[16]);
/* RC4 of one 16-byte block with a fresh key (EncryptedRandomSessionKey both ways). */
void ntlm_rc4_block(const uint8_t key[NTLM_KEY_SIZE], const uint8_t in[16], uint8_t out[16]);

/* NTLMv1 (3.3.1), as LmCompatibilityLevel 0 to 2 use it (doc/semantics.md §61). */
/* DESL(K, D): D under K's three 7-byte thirds (the last padded with zeros), 24 bytes (MS-NLMP 6). */
void ntlm_desl(const uint8_t key[NTLM_KEY_SIZE], const uint8_t data[8], uint8_t out[24]);
/* The challenge an NTLMv1 response with extended session security (the NTLM2 session response) answers:
 * MD5(ServerChallenge || ClientChallenge)[0..7]. */
void ntlm_ess_challenge(const uint8_t server_challenge[8], const uint8_t client_challenge[8], uint8_t out[8]);
/* SessionBaseKey of NTLMv1: MD4(NTOWFv1). */
void ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_KEY_SIZE], uint8_t out[NTLM_KEY_SIZE]);
/* KXKEY of NTLMv1 (3.4.5.1) for the flags agreed: with extended session security HMAC_MD5(SessionBaseKey,
 * ServerChallenge || LmChallengeResponse[0..7]); else with NTLMSSP_NEGOTIATE_LM_KEY or
 * NTLMSSP_REQUEST_NON_NT_SESSION_KEY from the LM hash (lm_hash NULL: FS_E_NOT_SUPPORTED); else the
 * SessionBaseKey itself. */
FS_MUST_CHECK fs_err ntlm_kxkey_v1(uint32_t flags, const uint8_t session_base_key[NTLM_KEY_SIZE],
                                   const uint8_t *lm_hash, const uint8_t server_challenge[8],
                                   const uint8_t lm_response[24], uint8_t out[NTLM_KEY_SIZE]);

/* Signing and sealing keys of one direction (3.4.5.2, 3.4.5.3). */
void ntlm_sign_key(const uint8_t exported[NTLM_KEY_SIZE], int client_to_server, uint8_t out[16]);
/* flags selects the key strength: NTLMSSP_NEGOTIATE_128, _56, else 40 bits. */
void ntlm_seal_key(const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags, int client_to_server, uint8_t out[16]);

/* SEALKEY without extended session security (3.4.5.3): the ExportedSessionKey itself, whatever NTLMSSP_NEGOTIATE_128
 * and _56 say; with NTLMSSP_NEGOTIATE_LM_KEY weakened to 56 bits (its first 7 bytes and 0xA0) under
 * NTLMSSP_NEGOTIATE_56, else to 40 bits (its first 5 bytes and 0xE5 0x38 0xB0). Returns the key's length, 16 or 8
 * (doc/semantics.md §65). */
size_t ntlm_seal_key_v1(const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags, uint8_t out[NTLM_KEY_SIZE]);

/* One direction of a session: its signing key (and HMAC state keyed with it), its RC4 handle and its
 * sequence number; without extended session security, the RC4 handle and sequence number of both directions. The
 * keys are derived from the exported session key at first use, not at the handshake: a context that never signs or
 * seals (most of an authentication-only server's) pays for no MD5, HMAC key schedule or RC4 key schedule. */
struct ntlm_direction {
    uint8_t exported[NTLM_KEY_SIZE]; /* what the keys are derived from */
    uint32_t flags;                  /* _EXTENDED_SESSIONSECURITY, _LM_KEY, _128, _56: which sealing key */
    int client_to_server;
    int ready;                       /* the fields below are derived: ntlm_direction_ready() */
    uint8_t sign_key[16];
    struct hmac_md5_ctx mac;         /* keyed with sign_key; nettle leaves it keyed after each digest */
    struct arcfour_ctx seal;
    uint32_t seq;
};
void ntlm_direction_init(struct ntlm_direction *d, const uint8_t exported[NTLM_KEY_SIZE], uint32_t flags,
                         int client_to_server);
/* Derives the signing key, keys the HMAC state and the RC4 handle, if not yet done. */
void ntlm_direction_ready(struct ntlm_direction *d);
/* A direction restored from its packed form: the signing key and the RC4 state as they were, the HMAC state
 * keyed again from the key. */
void ntlm_direction_restore(struct ntlm_direction *d, const uint8_t sign_key[16], const struct arcfour_ctx *seal,
                            uint32_t seq);
/* The 16-byte NTLMSSP_MESSAGE_SIGNATURE for msg (3.4.4.2, extended session security); encrypts the
 * checksum with the direction's RC4 when key_exch. Advances the sequence number. */
void ntlm_signature(struct ntlm_direction *d, int key_exch, const uint8_t *msg, size_t len, uint8_t out[16]);
/* The same over a message given in parts; mac_only stops before the checksum is encrypted. */
void ntlm_signature_parts(struct ntlm_direction *d, int key_exch, uint8_t *const *parts, const size_t *lens,
                          size_t nparts, uint8_t out[16]);

/* Without extended session security (3.4.4.1): CRC32 of the message given in parts, and the version-1 signature of
 * a message with that CRC: the RandomPad, the CRC and the sequence number RC4'd on the direction's sealing stream,
 * the RandomPad then zeroed. Advances the sequence number. Without extended session security one direction serves
 * both ways (doc/semantics.md §65). */
uint32_t ntlm_crc32_parts(uint8_t *const *parts, const size_t *lens, size_t nparts);
void ntlm_signature_v1(struct ntlm_direction *d, uint32_t crc, uint8_t out[16]);

#endif
