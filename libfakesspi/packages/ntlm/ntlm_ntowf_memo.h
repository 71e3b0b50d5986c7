/* NTOWFv2 remembered per thread, as Windows' MSV1_0 keeps a logon session's one-way functions rather than
 * making them again for every AUTHENTICATE_MESSAGE: where the copies live is doc/semantics.md §39. */
#ifndef FS_NTLM_NTOWF_MEMO_H
#define FS_NTLM_NTOWF_MEMO_H

#include <nettle/hmac.h>
#include <stdint.h>

#include "core/error.h"

/* An HMAC-MD5 state keyed with NTOWFv2(nt_hash, user, domain), ready for NTProofStr, the session base key
 * and the LMv2 response (nettle leaves it keyed after each digest). The same answer ntlm_ntowfv2 gives, made
 * once per thread for each account and spelling of its names; the caller wipes *out after use. */
FS_MUST_CHECK fs_err ntlm_ntowfv2_keyed(const uint8_t nt_hash[16], const char *user, const char *domain,
                                        struct hmac_md5_ctx *out);

#endif
