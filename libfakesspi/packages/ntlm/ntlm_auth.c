/* NTLMv2 and NTLMv1 responses, key exchange and MIC (MS-NLMP 3.1.5.1.2, 3.2.5.1.2, 3.3.1, 3.3.2). */
#include "core/alloc.h"
#include "ntlm_auth.h"

#include <nettle/md5.h>
#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf.h"
#include "ntlm_crypto.h"
#include "ntlm_messages.h"
#include "ntlm_ntowf_memo.h"
#include "security/account_policy.h"
#include "security/domain_current.h"
#include "security/nt_hash.h"

/* What a client of ours can do; the server's choice is intersected with it. */
#define CLIENT_SUPPORTED                                                                                       \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |    \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |     \
     NTLMSSP_NEGOTIATE_IDENTIFY | NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_VERSION |                  \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_LM_KEY)

/* The client's copy of the server's AV pairs, with what a modern client adds when the server
 * sent a timestamp: MsvAvFlags (MIC present), channel bindings and the target name. */
static int client_target_info(const struct ntlm_client_input *in, const uint8_t *info, size_t len, int modern,
                              struct fs_writer *w)
{
    struct fs_reader r;
    fs_reader_init(&r, info, len);
    while (r.pos < r.len) {
        uint16_t id = fs_read_u16le(&r);
        uint16_t n = fs_read_u16le(&r);
        if (r.failed || n > r.len - r.pos)
            return -1;
        if (id == MsvAvEOL)
            break;
        if (!modern || (id != MsvAvFlags && id != MsvAvChannelBindings && id != MsvAvTargetName))
            ntlm_av_add(w, id, r.data + r.pos, n);
        r.pos += n;
    }
    if (modern) {
        uint8_t flags[4] = {NTLM_AV_FLAG_MIC_PRESENT, 0, 0, 0};
        static const uint8_t no_bindings[16];
        ntlm_av_add(w, MsvAvFlags, flags, 4);
        ntlm_av_add(w, MsvAvChannelBindings, in->bindings_hash ? in->bindings_hash : no_bindings, 16);
        ntlm_av_add_string(w, MsvAvTargetName, in->target ? in->target : "");
    }
    ntlm_av_add(w, MsvAvEOL, NULL, 0);
    return 0;
}

/* HMAC_MD5 over a || b with a state already keyed, which nettle leaves keyed for the next message. */
static void hmac_with(struct hmac_md5_ctx *keyed, const void *a, size_t alen, const void *b, size_t blen,
                      uint8_t out[16])
{
    hmac_md5_update(keyed, alen, a);
    if (blen)
        hmac_md5_update(keyed, blen, b);
    hmac_md5_digest(keyed, 16, out);
}

static fs_err mic(const uint8_t key[16], const uint8_t *neg, size_t neg_len, const uint8_t *chal, size_t chal_len,
                  const uint8_t *auth, size_t auth_len, uint8_t out[16])
{
    /* HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE with the MIC zeroed) */
    uint8_t *all = fs_malloc(neg_len + chal_len + auth_len);
    if (!all)
        return FS_E_NOMEM;
    memcpy(all, neg, neg_len);
    memcpy(all + neg_len, chal, chal_len);
    memcpy(all + neg_len + chal_len, auth, auth_len);
    memset(all + neg_len + chal_len + NTLM_MIC_OFFSET, 0, 16);
    ntlm_hmac_md5_2(key, all, neg_len + chal_len + auth_len, NULL, 0, out);
    free(all);
    return FS_OK;
}

/* The NTLMv1 responses (MS-NLMP 3.3.1) of LmCompatibilityLevel 0 to 2 (doc/semantics.md §61): with extended
 * session security the NTLM2 session response and the client challenge in the LM field; without, the NTLM
 * response, and in the LM field the LM response at levels 0 and 1 when the password has an LM hash, else the NTLM
 * response again. */
static void v1_responses(const struct ntlm_client_input *in, uint32_t agreed, const uint8_t server_challenge[8],
                         uint8_t lm[24], uint8_t nt[24])
{
    if (agreed & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        uint8_t challenge[8];
        ntlm_ess_challenge(server_challenge, in->client_challenge, challenge);
        ntlm_desl(in->nt_hash, challenge, nt);
        memcpy(lm, in->client_challenge, 8);
        memset(lm + 8, 0, 16);
        return;
    }
    ntlm_desl(in->nt_hash, server_challenge, nt);
    if (in->lm_level <= 1 && in->lm_hash)
        ntlm_desl(in->lm_hash, server_challenge, lm);
    else
        memcpy(lm, nt, 24);
}

/* The AUTHENTICATE_MESSAGE of an NTLMv1 client: no target info is needed, none is sent, and there is no MIC. */
static fs_err client_v1(const struct ntlm_client_input *in, const struct ntlm_challenge *ch, uint32_t agreed,
                        uint32_t *flags, struct fs_writer *out, uint8_t exported[16])
{
    uint8_t lm[24], nt[24], base[16], kxkey[16], key[16] = {0};
    v1_responses(in, agreed, ch->server_challenge, lm, nt);
    ntlm_v1_session_base_key(in->nt_hash, base);
    fs_err err = ntlm_kxkey_v1(agreed, base, in->lm_hash, ch->server_challenge, lm, kxkey);
    if (err == FS_OK) {
        if (agreed & NTLMSSP_NEGOTIATE_KEY_EXCH) {
            memcpy(exported, in->random_key, 16);
            ntlm_rc4_block(kxkey, exported, key);
        } else {
            memcpy(exported, kxkey, 16);
        }
        size_t start = out->len;
        ntlm_build_authenticate(out, agreed, lm, 24, nt, 24, in->domain, in->user, in->workstation, key,
                                agreed & NTLMSSP_NEGOTIATE_KEY_EXCH ? 16 : 0, 0);
        if (in->version && out->len >= start + 72)
            memcpy(out->data + start + 64, in->version, 8);
        err = out->failed ? FS_E_NOMEM : FS_OK;
    }
    if (err == FS_OK)
        *flags = agreed;
    explicit_bzero(base, sizeof base);
    explicit_bzero(kxkey, sizeof kxkey);
    return err;
}

fs_err ntlm_client_authenticate(const struct ntlm_client_input *in, const uint8_t *challenge, size_t challenge_len,
                                uint32_t *flags, struct fs_writer *out, uint8_t exported[16])
{
    struct ntlm_challenge ch;
    if (ntlm_parse_challenge(challenge, challenge_len, &ch))
        return FS_E_INVALID_TOKEN;
    if (!(ch.flags & NTLMSSP_NEGOTIATE_NTLM))
        return FS_E_INVALID_TOKEN;
    uint32_t agreed = ch.flags & (*flags | NTLMSSP_NEGOTIATE_TARGET_INFO) & CLIENT_SUPPORTED;
    agreed |= NTLMSSP_REQUEST_TARGET;
    /* A server granting both: extended session security alone counts (MS-NLMP 2.2.2.5); NTLMv2 has no LM key
     * (doc/semantics.md §65). */
    if ((agreed & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) || in->lm_level > 2)
        agreed &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    if (!(agreed & NTLMSSP_NEGOTIATE_UNICODE))
        return FS_E_INVALID_TOKEN;
    /* Names a 16-bit field cannot carry are the caller's error, as a UNICODE_STRING cannot hold them either
     * (doc/semantics.md §39). */
    if (!ntlm_fits_field(in->user) || !ntlm_fits_field(in->domain) || !ntlm_fits_field(in->workstation) ||
        !ntlm_fits_field(in->target))
        return FS_E_INVALID_PARAMETER;
    if (in->lm_level <= 2)
        return client_v1(in, &ch, agreed, flags, out, exported);
    /* NTLMv2 needs the server's target info. */
    if (!ch.target_info_len)
        return FS_E_INVALID_TOKEN;

    const uint8_t *ts;
    uint16_t ts_len;
    int modern = ntlm_av_find(ch.target_info, ch.target_info_len, MsvAvTimestamp, &ts, &ts_len) == 0 && ts_len == 8;
    uint8_t time_le[8];
    for (int i = 0; i < 8; i++)
        time_le[i] = modern ? ts[i] : (uint8_t)(in->time >> (8 * i));

    struct fs_writer blob, info;
    fs_writer_init(&blob);
    fs_writer_init(&info);
    fs_err err = FS_E_INVALID_TOKEN;
    struct hmac_md5_ctx v2; /* keyed with NTOWFv2 */
    uint8_t proof[16], base[16], lm[24], key[16] = {0};
    if (client_target_info(in, ch.target_info, ch.target_info_len, modern, &info))
        goto out;
    /* temp = 0x0101 0x0000 0x00000000 time client_challenge 0x00000000 target_info 0x00000000 */
    fs_write_u8(&blob, 1), fs_write_u8(&blob, 1), fs_write_zeros(&blob, 6);
    fs_write_bytes(&blob, time_le, 8);
    fs_write_bytes(&blob, in->client_challenge, 8);
    fs_write_zeros(&blob, 4);
    fs_write_bytes(&blob, info.data, info.len);
    fs_write_zeros(&blob, 4);
    err = FS_E_NOMEM;
    if (blob.failed || info.failed)
        goto out;
    /* The NtChallengeResponse field is 16 bits too: the caller's target name, or else the server's target
     * info, has made it too long to send (doc/semantics.md §39). */
    if (16 + blob.len > NTLM_FIELD_MAX) {
        size_t target_pair = in->target ? 4 + 2 * fs_utf8_units(in->target) : 0; /* MsvAvTargetName, UTF-16 */
        int target_did = modern && in->target && 16 + blob.len - target_pair <= NTLM_FIELD_MAX;
        err = target_did ? FS_E_INVALID_PARAMETER : FS_E_INVALID_TOKEN;
        goto out;
    }
    err = ntlm_ntowfv2_keyed(in->nt_hash, in->user, in->domain, &v2);
    if (err != FS_OK) {
        if (err != FS_E_NOMEM)
            err = FS_E_UNKNOWN_CREDENTIALS;
        goto out;
    }
    err = FS_E_NOMEM;
    hmac_with(&v2, ch.server_challenge, 8, blob.data, blob.len, proof);
    hmac_with(&v2, proof, 16, NULL, 0, base);
    /* With a server timestamp the LMv2 response is Z(24) (MS-NLMP 3.1.5.1.2). */
    if (modern) {
        memset(lm, 0, 24);
    } else {
        hmac_with(&v2, ch.server_challenge, 8, in->client_challenge, 8, lm);
        memcpy(lm + 16, in->client_challenge, 8);
    }
    size_t nt_len = 16 + blob.len;
    uint8_t *nt = fs_malloc(nt_len);
    if (!nt)
        goto out;
    memcpy(nt, proof, 16);
    memcpy(nt + 16, blob.data, blob.len);
    /* KeyExchangeKey is the SessionBaseKey under NTLMv2. */
    if (agreed & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        memcpy(exported, in->random_key, 16);
        ntlm_rc4_block(base, exported, key);
    } else {
        memcpy(exported, base, 16);
    }
    size_t start = out->len;
    ntlm_build_authenticate(out, agreed, lm, 24, nt, nt_len, in->domain, in->user, in->workstation, key,
                            agreed & NTLMSSP_NEGOTIATE_KEY_EXCH ? 16 : 0, modern);
    free(nt);
    if (in->version && out->len >= start + 72)
        memcpy(out->data + start + 64, in->version, 8);
    err = out->failed ? FS_E_NOMEM : FS_OK;
    if (modern && err == FS_OK) {
        uint8_t m[16];
        err = mic(exported, in->negotiate, in->negotiate_len, challenge, challenge_len, out->data + start,
                  out->len - start, m);
        memcpy(out->data + start + NTLM_MIC_OFFSET, m, 16);
    }
    if (err == FS_OK)
        *flags = agreed;
out:
    explicit_bzero(&v2, sizeof v2);
    explicit_bzero(base, sizeof base);
    fs_writer_free(&blob);
    fs_writer_free(&info);
    return err;
}

/* The account the client named, from the domain; NULL when the domain has none of that name. */
static const struct fs_user *named_account(const struct fs_domain *d, const char *user, const char *domain)
{
    return !*domain || fs_domain_is_named(d, domain) ? fs_domain_find_user(d, user) : NULL;
}

/* The account the client named, and its NT hash and LM hash (lm NULL: not wanted; *has_lm 0: the password has
 * none), from the domain. */
static fs_err account_hash(const char *user, const char *domain, uint8_t nt_hash[16], uint8_t *lm, int *has_lm)
{
    const struct fs_domain *d = fs_domain_acquire();
    fs_err err = FS_E_LOGON_DENIED;
    if (!d) {
        err = FS_E_DOMAIN_UNUSABLE;
    } else {
        const struct fs_user *u = named_account(d, user, domain);
        if (u && fs_domain_user_nt_hash(d, u, nt_hash)) {
            err = FS_OK;
            if (lm)
                *has_lm = u->password && fs_lm_hash(u->password, lm) == 0; /* none from an nt_hash (doc/semantics.md §73) */
        }
    }
    fs_domain_release();
    return err;
}

/* The domain controller's answer once the response is checked: a domain that denies NTLM refuses the logon before
 * the password counts (doc/semantics.md §57); the domain's account policy counts a wrong one and may refuse a right
 * one (locked out, disabled, password expired: doc/semantics.md §52); each is SEC_E_LOGON_DENIED. */
static fs_err account_verdict(const char *user, const char *domain, const char *workstation, int proven)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? named_account(d, user, domain) : NULL;
    fs_err err = !d ? FS_E_DOMAIN_UNUSABLE : u ? fs_account_protocol_verdict(d, u, FS_LOGON_NTLM) : FS_E_LOGON_DENIED;
    if (err == FS_OK) /* userWorkstations is checked against the client's own name, as the message gives it */
        err = fs_account_verdict_from(d, u, proven ? FS_PASSWORD_GOOD : FS_PASSWORD_BAD, workstation);
    fs_domain_release();
    return err == FS_E_WRONG_PASSWORD ? FS_E_LOGON_DENIED : err;
}

/* Whether a domain controller at LmCompatibilityLevel dc_level checks this NTLMv1 or LM response at all: level 5
 * refuses NTLMv1 and LM, level 4 LM, as "Refuse LM & NTLM" and "Refuse LM" say (doc/semantics.md §61). */
static int v1_refused(const struct ntlm_authenticate *a, int dc_level)
{
    return a->nt_len ? dc_level >= 5 : dc_level >= 4;
}

/* An NTLMv1 response (24 bytes of NtChallengeResponse), or an LM response alone (24 bytes of LmChallengeResponse,
 * no NtChallengeResponse), checked as MS-NLMP 3.3.1 computes them; exported receives the ExportedSessionKey. */
static fs_err server_v1(const struct ntlm_authenticate *a, const uint8_t server_challenge[8], int dc_level,
                        uint8_t exported[16])
{
    int lm_only = a->nt_len == 0;
    int ess = !lm_only && (a->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    if ((lm_only && a->lm_len != 24) || (ess && a->lm_len < 8))
        return lm_only ? FS_E_LOGON_DENIED : FS_E_INVALID_TOKEN; /* an anonymous logon is not taken */
    if (v1_refused(a, dc_level))
        return FS_E_LOGON_DENIED;
    uint8_t hash[16], lm_hash[16], challenge[8], expected[24], base[16], kxkey[16];
    int has_lm = 0;
    fs_err err = account_hash(a->user, a->domain, hash, lm_hash, &has_lm);
    if (err != FS_OK)
        goto out;
    if (ess)
        ntlm_ess_challenge(server_challenge, a->lm, challenge);
    else
        memcpy(challenge, server_challenge, 8);
    int proven = 0;
    if (!lm_only || has_lm) {
        ntlm_desl(lm_only ? lm_hash : hash, challenge, expected);
        proven = memeql_sec(expected, lm_only ? a->lm : a->nt, 24);
    }
    err = account_verdict(a->user, a->domain, a->workstation, proven);
    if (err != FS_OK)
        goto out;
    ntlm_v1_session_base_key(hash, base);
    /* LM_KEY and NON_NT_SESSION_KEY key the session with the LM hash; an account without one cannot:
     * doc/semantics.md §65. */
    err = ntlm_kxkey_v1(a->flags, base, has_lm ? lm_hash : NULL, server_challenge, a->lm, kxkey);
    if (err != FS_OK)
        goto out;
    if (a->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (a->session_key_len != 16) {
            err = FS_E_INVALID_TOKEN;
            goto out;
        }
        ntlm_rc4_block(kxkey, a->session_key, exported);
    } else {
        memcpy(exported, kxkey, 16);
    }
out:
    explicit_bzero(hash, sizeof hash);
    explicit_bzero(lm_hash, sizeof lm_hash);
    explicit_bzero(base, sizeof base);
    explicit_bzero(kxkey, sizeof kxkey);
    return err;
}

/* An NTLMv2 response, its MIC included; *bindings points at the client's channel bindings hash, or NULL when it
 * sent none. */
static fs_err server_v2(const struct ntlm_authenticate *a, const uint8_t *auth, size_t auth_len,
                        const uint8_t *negotiate, size_t negotiate_len, const uint8_t *challenge, size_t challenge_len,
                        const uint8_t server_challenge[8], uint8_t exported[16], const uint8_t **bindings)
{
    if (a->nt_len < 16 + 28)
        return FS_E_LOGON_DENIED;
    const uint8_t *blob = a->nt + 16;
    size_t blob_len = a->nt_len - 16;
    const uint8_t *info = blob + 28;
    size_t info_len = blob_len - 28;
    if (blob[0] != 1 || blob[1] != 1 || !ntlm_av_well_formed(info, info_len))
        return FS_E_INVALID_TOKEN;
    uint8_t hash[16], proof[16], base[16];
    struct hmac_md5_ctx v2; /* keyed with NTOWFv2 */
    fs_err err = account_hash(a->user, a->domain, hash, NULL, NULL);
    if (err != FS_OK)
        goto out;
    err = ntlm_ntowfv2_keyed(hash, a->user, a->domain, &v2);
    if (err != FS_OK) {
        if (err != FS_E_NOMEM)
            err = FS_E_LOGON_DENIED;
        goto out;
    }
    hmac_with(&v2, server_challenge, 8, blob, blob_len, proof);
    err = account_verdict(a->user, a->domain, a->workstation, memeql_sec(proof, a->nt, 16));
    if (err != FS_OK)
        goto out;
    hmac_with(&v2, proof, 16, NULL, 0, base);
    if (a->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (a->session_key_len != 16) {
            err = FS_E_INVALID_TOKEN;
            goto out;
        }
        ntlm_rc4_block(base, a->session_key, exported);
    } else {
        memcpy(exported, base, 16);
    }
    const uint8_t *v;
    uint16_t vlen;
    uint32_t av_flags = 0;
    if (ntlm_av_find(info, info_len, MsvAvFlags, &v, &vlen) == 0 && vlen == 4)
        av_flags = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
    if (av_flags & NTLM_AV_FLAG_MIC_PRESENT) {
        uint8_t expected[16];
        if (!a->has_mic_room) {
            err = FS_E_INVALID_TOKEN;
            goto out;
        }
        err = mic(exported, negotiate, negotiate_len, challenge, challenge_len, auth, auth_len, expected);
        if (err != FS_OK)
            goto out;
        err = FS_E_LOGON_DENIED;
        if (!memeql_sec(expected, auth + NTLM_MIC_OFFSET, 16))
            goto out; /* a tampered exchange is a failed logon */
        err = FS_OK;
    }
    /* All zeros means the client had no bindings (doc/semantics.md §57). */
    static const uint8_t zeros[16];
    *bindings = ntlm_av_find(info, info_len, MsvAvChannelBindings, &v, &vlen) == 0 && vlen == 16 && memcmp(v, zeros, 16)
                    ? v
                    : NULL;
out:
    explicit_bzero(hash, sizeof hash);
    explicit_bzero(&v2, sizeof v2);
    explicit_bzero(base, sizeof base);
    return err;
}

fs_err ntlm_server_verify(const uint8_t *auth, size_t auth_len, const uint8_t *negotiate, size_t negotiate_len,
                          const uint8_t *challenge, size_t challenge_len, const uint8_t server_challenge[8],
                          const uint8_t *bindings_hash, int dc_level, struct ntlm_server_result *result)
{
    struct ntlm_authenticate a;
    memset(result, 0, sizeof *result);
    int parsed = ntlm_parse_authenticate(auth, auth_len, &a);
    if (parsed)
        return parsed == NTLM_PARSE_NOMEM ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    /* NTLMv2 at every level; 24 bytes or none are NTLMv1 or LM, which the level may refuse (doc/semantics.md §61). */
    const uint8_t *sent = NULL;
    fs_err err = a.nt_len == 24 || a.nt_len == 0
                     ? server_v1(&a, server_challenge, dc_level, result->exported)
                     : server_v2(&a, auth, auth_len, negotiate, negotiate_len, challenge, challenge_len,
                                 server_challenge, result->exported, &sent);
    if (err != FS_OK)
        goto out;
    /* Bindings: a client that sent a hash must match ours; one that sent none (NTLMv1 cannot) may be refused by the
     * domain (doc/semantics.md §57). */
    const struct fs_domain *d = fs_domain_acquire();
    err = fs_bindings_verdict(d, bindings_hash != NULL, sent != NULL,
                              sent && bindings_hash && memeql_sec(sent, bindings_hash, 16));
    fs_domain_release();
    if (err != FS_OK)
        goto out;
    result->user = a.user;
    result->domain = a.domain;
    a.user = a.domain = NULL;
    result->flags = a.flags;
out:
    if (err != FS_OK)
        explicit_bzero(result->exported, 16);
    ntlm_authenticate_clear(&a);
    return err;
}
