/* NTLMv2 responses, key exchange and MIC (MS-NLMP 3.1.5.1.2, 3.2.5.1.2, 3.3.2). */
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

/* What a client of ours can do; the server's choice is intersected with it. */
#define CLIENT_SUPPORTED                                                                                       \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |    \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |     \
     NTLMSSP_NEGOTIATE_IDENTIFY | NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_VERSION |                  \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56)

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

fs_err ntlm_client_authenticate(const struct ntlm_client_input *in, const uint8_t *challenge, size_t challenge_len,
                                uint32_t *flags, struct fs_writer *out, uint8_t exported[16])
{
    struct ntlm_challenge ch;
    if (ntlm_parse_challenge(challenge, challenge_len, &ch))
        return FS_E_INVALID_TOKEN;
    /* NTLMv2 needs the server's target info; extended session security is all we speak. */
    if (!(ch.flags & NTLMSSP_NEGOTIATE_NTLM) || !ch.target_info_len)
        return FS_E_INVALID_TOKEN;
    uint32_t agreed = ch.flags & (*flags | NTLMSSP_NEGOTIATE_TARGET_INFO) & CLIENT_SUPPORTED;
    agreed |= NTLMSSP_REQUEST_TARGET;
    if (!(agreed & NTLMSSP_NEGOTIATE_UNICODE))
        return FS_E_INVALID_TOKEN;
    /* Names a 16-bit field cannot carry are the caller's error, as a UNICODE_STRING cannot hold them either
     * (doc/semantics.md §39). */
    if (!ntlm_fits_field(in->user) || !ntlm_fits_field(in->domain) || !ntlm_fits_field(in->workstation) ||
        !ntlm_fits_field(in->target))
        return FS_E_INVALID_PARAMETER;

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

/* The account the client named, and its NT hash, from the domain. */
static fs_err account_hash(const char *user, const char *domain, uint8_t nt_hash[16])
{
    const struct fs_domain *d = fs_domain_acquire();
    fs_err err = FS_E_LOGON_DENIED;
    if (!d) {
        err = FS_E_DOMAIN_UNUSABLE;
    } else {
        const struct fs_user *u = named_account(d, user, domain);
        if (u && fs_domain_user_nt_hash(d, u, nt_hash))
            err = FS_OK;
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

fs_err ntlm_server_verify(const uint8_t *auth, size_t auth_len, const uint8_t *negotiate, size_t negotiate_len,
                          const uint8_t *challenge, size_t challenge_len, const uint8_t server_challenge[8],
                          const uint8_t *bindings_hash, struct ntlm_server_result *result)
{
    struct ntlm_authenticate a;
    memset(result, 0, sizeof *result);
    int parsed = ntlm_parse_authenticate(auth, auth_len, &a);
    if (parsed)
        return parsed == NTLM_PARSE_NOMEM ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    fs_err err = FS_E_LOGON_DENIED;
    uint8_t hash[16], proof[16], base[16];
    struct hmac_md5_ctx v2; /* keyed with NTOWFv2 */
    /* Only NTLMv2 is accepted, as a modern domain controller does. */
    if (a.nt_len < 16 + 28)
        goto out;
    const uint8_t *blob = a.nt + 16;
    size_t blob_len = a.nt_len - 16;
    const uint8_t *info = blob + 28;
    size_t info_len = blob_len - 28;
    if (blob[0] != 1 || blob[1] != 1 || !ntlm_av_well_formed(info, info_len)) {
        err = FS_E_INVALID_TOKEN;
        goto out;
    }
    err = account_hash(a.user, a.domain, hash);
    if (err != FS_OK)
        goto out;
    err = ntlm_ntowfv2_keyed(hash, a.user, a.domain, &v2);
    if (err != FS_OK) {
        if (err != FS_E_NOMEM)
            err = FS_E_LOGON_DENIED;
        goto out;
    }
    hmac_with(&v2, server_challenge, 8, blob, blob_len, proof);
    err = account_verdict(a.user, a.domain, a.workstation, memeql_sec(proof, a.nt, 16));
    if (err != FS_OK)
        goto out;
    hmac_with(&v2, proof, 16, NULL, 0, base);
    if (a.flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (a.session_key_len != 16) {
            err = FS_E_INVALID_TOKEN;
            goto out;
        }
        ntlm_rc4_block(base, a.session_key, result->exported);
    } else {
        memcpy(result->exported, base, 16);
    }
    const uint8_t *v;
    uint16_t vlen;
    uint32_t av_flags = 0;
    if (ntlm_av_find(info, info_len, MsvAvFlags, &v, &vlen) == 0 && vlen == 4)
        av_flags = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
    if (av_flags & NTLM_AV_FLAG_MIC_PRESENT) {
        uint8_t expected[16];
        if (!a.has_mic_room) {
            err = FS_E_INVALID_TOKEN;
            goto out;
        }
        err = mic(result->exported, negotiate, negotiate_len, challenge, challenge_len, auth, auth_len, expected);
        if (err != FS_OK)
            goto out;
        err = FS_E_LOGON_DENIED;
        if (!memeql_sec(expected, auth + NTLM_MIC_OFFSET, 16))
            goto out; /* a tampered exchange is a failed logon */
    }
    /* Bindings: a client that sent a hash must match ours; all zeros means it had none, which the domain may refuse
     * (doc/semantics.md §57). */
    static const uint8_t zeros[16];
    int sent = ntlm_av_find(info, info_len, MsvAvChannelBindings, &v, &vlen) == 0 && vlen == 16 && memcmp(v, zeros, 16);
    const struct fs_domain *d = fs_domain_acquire();
    err = fs_bindings_verdict(d, bindings_hash != NULL, sent, sent && bindings_hash && memeql_sec(v, bindings_hash, 16));
    fs_domain_release();
    if (err != FS_OK)
        goto out;
    result->user = a.user;
    result->domain = a.domain;
    a.user = a.domain = NULL;
    result->flags = a.flags;
    err = FS_OK;
out:
    if (err != FS_OK)
        explicit_bzero(result->exported, 16);
    explicit_bzero(hash, sizeof hash);
    explicit_bzero(&v2, sizeof v2);
    explicit_bzero(base, sizeof base);
    ntlm_authenticate_clear(&a);
    return err;
}
