/* The NTLM package: the three-leg state machine and message protection behind fs_package. */
#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/rng.h"
#include "ntlm_auth.h"
#include "ntlm_crypto.h"
#include "ntlm_messages.h"
#include "packages/bindings.h"
#include "packages/package.h"
#include "security/account_policy.h"
#include "security/domain_current.h"
#include "security/logon.h"
#include "security/wellknown.h"
#include "sspi.h"
#include "winbase.h"
#include "wincrypt.h"

enum stage { SENT_NEGOTIATE, SENT_CHALLENGE, DONE };

struct ntlm_state {
    int server;
    enum stage stage;
    uint32_t flags;
    int lm_level;               /* a client's LmCompatibilityLevel, read at its first leg (doc/semantics.md §61) */
    struct fs_writer negotiate; /* copies of both earlier messages, for the MIC */
    struct fs_writer challenge;
    uint8_t server_challenge[8];
    uint8_t exported[16];
    struct ntlm_direction send, recv;
};

static void free_state(void *p)
{
    struct ntlm_state *s = p;
    if (!s)
        return;
    fs_writer_free(&s->negotiate);
    fs_writer_free(&s->challenge);
    explicit_bzero(s, sizeof *s); /* keys and RC4 states die with the context */
    free(s);
}

/* ISC flags a client turns into wire flags (doc/semantics.md §8). */
static uint32_t client_wire_flags(uint32_t req)
{
    uint32_t f = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET |
                 NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
                 NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56;
    if (req & (ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT))
        f |= NTLMSSP_NEGOTIATE_SIGN;
    if (req & ISC_REQ_CONFIDENTIALITY)
        f |= NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN;
    if (req & ISC_REQ_IDENTIFY)
        f |= NTLMSSP_NEGOTIATE_IDENTIFY;
    return f;
}

/* What each leg reports, as Windows' NTLM does (doc/semantics.md §25). A row applies on the legs it
 * names when the client asked for `when` (BY_REQUEST: the client's fContextReq; BY_SERVER_REQUEST: the
 * server's) or when the flags negotiated so far carry it (BY_WIRE). */
enum { LEG_1 = 1, LEG_2 = 2, LEG_3 = 4, LEG_4 = 8 }; /* ISC NEGOTIATE, ASC CHALLENGE, ISC AUTHENTICATE, ASC done */
enum ret_source { BY_REQUEST, BY_SERVER_REQUEST, BY_WIRE };

static const struct ret_rule {
    enum ret_source by;
    uint32_t when;
    unsigned legs;
    uint32_t isc, asc;
} ret_rules[] = {
    {BY_REQUEST, ISC_REQ_CONNECTION, LEG_1, ISC_RET_CONNECTION, 0},
    {BY_REQUEST, ISC_REQ_INTEGRITY, LEG_1, ISC_RET_INTEGRITY, 0},
    {BY_REQUEST, ISC_REQ_REPLAY_DETECT, LEG_1, ISC_RET_REPLAY_DETECT, 0},
    {BY_REQUEST, ISC_REQ_SEQUENCE_DETECT, LEG_1, ISC_RET_SEQUENCE_DETECT, 0},
    {BY_REQUEST, ISC_REQ_CONFIDENTIALITY, LEG_1, ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY, 0},
    {BY_REQUEST, ISC_REQ_MUTUAL_AUTH, LEG_3, ISC_RET_MUTUAL_AUTH, 0},
    {BY_SERVER_REQUEST, ASC_REQ_CONNECTION, LEG_2 | LEG_4, 0, ASC_RET_CONNECTION},
    {BY_WIRE, NTLMSSP_NEGOTIATE_SIGN, LEG_2, 0, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT},
    {BY_WIRE, NTLMSSP_NEGOTIATE_SIGN, LEG_3 | LEG_4,
     ISC_RET_INTEGRITY | ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT,
     ASC_RET_INTEGRITY | ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT},
    {BY_WIRE, NTLMSSP_NEGOTIATE_SEAL, LEG_2 | LEG_3 | LEG_4, ISC_RET_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY},
    {BY_WIRE, NTLMSSP_NEGOTIATE_IDENTIFY, LEG_1 | LEG_2 | LEG_3 | LEG_4, ISC_RET_IDENTIFY, ASC_RET_IDENTIFY},
};

/* req is the calling side's own fContextReq; wire the flags negotiated by that leg. */
static uint32_t ret_flags(unsigned leg, uint32_t req, uint32_t wire)
{
    int server = leg == LEG_2 || leg == LEG_4;
    uint32_t r = 0;
    for (size_t i = 0; i < sizeof ret_rules / sizeof ret_rules[0]; i++) {
        const struct ret_rule *rule = &ret_rules[i];
        if (!(rule->legs & leg))
            continue;
        int applies = rule->by == BY_WIRE ? (wire & rule->when) != 0
                                          : (rule->by == BY_SERVER_REQUEST) == server && (req & rule->when);
        if (applies)
            r |= server ? rule->asc : rule->isc;
    }
    return r;
}

/* NtlmMinClientSec and NtlmMinServerSec (MS-NLMP 3.1.5.1.2, 3.2.5.1.1, 3.2.5.2.2; the domain file's
 * ntlm_min_client_sec / ntlm_min_server_sec, doc/semantics.md §57.6), refused with SEC_E_UNSUPPORTED_FUNCTION:
 * "require 128-bit encryption" (Windows' default) refuses session security (signing or sealing) with a weaker key,
 * and without session security there is no key to be weak; "require NTLMv2 session security" refuses flags without
 * NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, which also decides the NTLMv1 response. */
static int session_security_unmet(uint32_t flags, uint32_t required)
{
    if ((required & FS_NTLM_MIN_SEC_NTLM2) && !(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
        return 1;
    return (required & FS_NTLM_MIN_SEC_128) && (flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)) &&
           !(flags & NTLMSSP_NEGOTIATE_128);
}

/* A client that asked for integrity or confidentiality and was not granted it fails (MS-NLMP 3.1.5.1.2:
 * the features the server selected must be strong enough for the client). */
static int client_request_unmet(uint32_t req, uint32_t granted)
{
    if ((req & ISC_REQ_CONFIDENTIALITY) && !(granted & NTLMSSP_NEGOTIATE_SEAL))
        return 1;
    if ((req & (ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONFIDENTIALITY)) &&
        !(granted & NTLMSSP_NEGOTIATE_SIGN))
        return 1;
    return 0;
}

static void start_session(struct ntlm_state *s)
{
    /* The client sends with the client-to-server keys; the server receives with them. */
    ntlm_direction_init(&s->send, s->exported, s->flags, !s->server);
    ntlm_direction_init(&s->recv, s->exported, s->flags, s->server);
}

static fs_err client_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct ntlm_state *s = *state;
    if (!s) {
        if (!id->has_secret)
            return FS_E_NO_CREDENTIALS;
        s = fs_calloc(1, sizeof *s);
        if (!s)
            return FS_E_NOMEM;
        s->flags = client_wire_flags(in->req_flags);
        /* "Send LM & NTLM responses" never uses NTLMv2 session security (doc/semantics.md §61). */
        s->lm_level = fs_domain_policy_lm_compat_level(0);
        if (s->lm_level == 0)
            s->flags &= ~NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
        ntlm_build_negotiate(&s->negotiate, s->flags);
        fs_write_bytes(&out->token, s->negotiate.data, s->negotiate.len);
        if (s->negotiate.failed || out->token.failed) {
            free_state(s);
            return FS_E_NOMEM;
        }
        s->stage = SENT_NEGOTIATE;
        out->ret_flags = ret_flags(LEG_1, in->req_flags, s->flags);
        *state = s;
        return FS_OK;
    }
    if (s->stage != SENT_NEGOTIATE)
        return FS_E_OUT_OF_SEQUENCE;
    if (!in->token)
        return FS_E_INVALID_TOKEN;
    if (ntlm_message_type(in->token, in->token_len) != NTLM_CHALLENGE)
        return FS_E_INVALID_TOKEN;
    struct ntlm_challenge ch;
    if (ntlm_parse_challenge(in->token, in->token_len, &ch))
        return FS_E_INVALID_TOKEN;
    uint32_t granted = ch.flags & s->flags;
    if (client_request_unmet(in->req_flags, granted) ||
        session_security_unmet(granted, fs_domain_policy_ntlm_min_sec(0)))
        return FS_E_NOT_SUPPORTED;

    uint8_t client_challenge[8], random_key[16], bindings[16];
    fs_rng_bytes(client_challenge, sizeof client_challenge);
    fs_rng_bytes(random_key, sizeof random_key);
    int has_bindings = in->bindings && fs_bindings_hash(in->bindings, in->bindings_len, bindings) == 0;
    char workstation[64] = "";
    const struct fs_domain *d = fs_domain_acquire();
    if (d)
        snprintf(workstation, sizeof workstation, "%s", d->computer);
    fs_domain_release();
    struct ntlm_client_input ci = {
        .user = id->user, .domain = id->domain, .workstation = workstation, .nt_hash = id->nt_hash,
        .client_challenge = client_challenge, .time = fs_clock_now(), .random_key = random_key,
        .negotiate = s->negotiate.data, .negotiate_len = s->negotiate.len,
        .bindings_hash = has_bindings ? bindings : NULL, .target = in->target, .version = ntlm_version,
        .lm_level = s->lm_level, .lm_hash = id->has_lm_hash ? id->lm_hash : NULL,
    };
    uint32_t flags = s->flags;
    fs_err err = ntlm_client_authenticate(&ci, in->token, in->token_len, &flags, &out->token, s->exported);
    explicit_bzero(random_key, sizeof random_key);
    if (err != FS_OK)
        return err;
    s->flags = flags;
    start_session(s);
    s->stage = DONE;
    out->complete = 1;
    out->ret_flags = ret_flags(LEG_3, in->req_flags, flags);
    return FS_OK;
}

/* The trust whose domain the acceptor serves when its credential names an account of a trusted domain: a server of
 * OTHER, which validates EXAMPLE's accounts by pass-through to EXAMPLE's domain controller (MS-APDS 3.1.5,
 * doc/semantics.md §76); NULL for a server of the domain itself. */
static const struct fs_trust *server_trust(const struct fs_domain *d, const struct fs_identity *id)
{
    const struct fs_trust *t = id && id->domain && id->user ? fs_domain_find_trust(d, id->domain) : NULL;
    return t && fs_domain_find_user(t->domain, id->user) ? t : NULL;
}

/* The CHALLENGE's target info: the server's domain and host, and the virtual clock's time. */
static fs_err build_challenge(struct ntlm_state *s, uint32_t client_flags, const struct fs_identity *id)
{
    const struct fs_domain *home = fs_domain_acquire();
    if (!home) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_trust *t = server_trust(home, id);
    const struct fs_domain *d = t ? t->domain : home;
    char host[64], fqdn[320];
    size_t i = 0;
    for (; d->computer[i] && i + 1 < sizeof host; i++)
        host[i] = (char)(d->computer[i] >= 'A' && d->computer[i] <= 'Z' ? d->computer[i] + 32 : d->computer[i]);
    host[i] = '\0';
    snprintf(fqdn, sizeof fqdn, "%s.%s", host, d->dns);
    struct fs_writer info;
    fs_writer_init(&info);
    ntlm_av_add_string(&info, MsvAvNbDomainName, d->netbios);
    ntlm_av_add_string(&info, MsvAvNbComputerName, d->computer);
    ntlm_av_add_string(&info, MsvAvDnsDomainName, d->dns);
    ntlm_av_add_string(&info, MsvAvDnsComputerName, fqdn);
    ntlm_av_add_string(&info, MsvAvDnsTreeName, d->dns);
    uint64_t now = fs_clock_now();
    uint8_t ts[8];
    for (int k = 0; k < 8; k++)
        ts[k] = (uint8_t)(now >> (8 * k));
    ntlm_av_add(&info, MsvAvTimestamp, ts, 8);
    ntlm_av_add(&info, MsvAvEOL, NULL, 0);

    /* What the server grants: what the client offered and we support, Unicode over OEM. */
    uint32_t supported = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |
                         NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
                         NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_IDENTIFY |
                         NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH |
                         NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_LM_KEY;
    /* LM_KEY and extended session security exclude each other: asked both, the server grants the latter alone
     * (MS-NLMP 2.2.2.5; doc/semantics.md §65). */
    if (client_flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        supported &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    s->flags = (client_flags & supported) | NTLMSSP_REQUEST_TARGET | NTLMSSP_TARGET_TYPE_DOMAIN |
               NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_NTLM;
    /* A client that cannot do Unicode (curl, older ones) gets OEM strings. */
    if (!(client_flags & NTLMSSP_NEGOTIATE_UNICODE))
        s->flags |= NTLMSSP_NEGOTIATE_OEM;
    fs_rng_bytes(s->server_challenge, 8);
    ntlm_build_challenge(&s->challenge, s->flags, s->server_challenge, d->netbios, info.data, info.len);
    fs_domain_release();
    fs_err err = info.failed || s->challenge.failed ? FS_E_NOMEM : FS_OK;
    fs_writer_free(&info);
    return err;
}

/* u's token for a server of the trusted domain of t (doc/semantics.md §76): the account as its domain gives it, and
 * the server's domain's domain-local groups it is a member of, which that domain's DC adds to what the pass-through
 * returns (MS-APDS 3.1.5, as its KDC does for Kerberos). A domain that does not trust the account's passes nothing
 * through: SEC_E_LOGON_DENIED. */
static fs_err server_token_across(const struct fs_domain *d, const struct fs_trust *t, const struct fs_user *u,
                                  int identify, struct fs_token **out, char **name)
{
    if (!(t->direction & FS_TRUST_INBOUND))
        return FS_E_LOGON_DENIED;
    uint32_t *rids = NULL;
    size_t n = 0;
    fs_err err = fs_domain_user_resource_groups(d, u, t->domain, &rids, &n);
    struct fs_sid *groups = err == FS_OK ? fs_calloc(u->ngroups + n + 1, sizeof *groups) : NULL;
    if (err == FS_OK && !groups)
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        memcpy(groups, u->groups, u->ngroups * sizeof *groups);
        for (size_t i = 0; i < n; i++)
            fs_sid_append(&groups[u->ngroups + i], &t->domain->sid, rids[i]);
        struct fs_user view = *u; /* lends groups only: no password stays behind on the stack */
        view.password = NULL;
        view.groups = groups;
        view.ngroups = u->ngroups + n;
        err = fs_logon_network(d, &view, "NtLmSsp", FS_SID_NTLM_AUTHENTICATION, identify, out, name);
    }
    free(groups);
    free(rids);
    return err;
}

static fs_err server_token(const struct fs_identity *id, const char *user, uint32_t flags, struct fs_token **out,
                           char **name)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_domain_find_user(d, user) : NULL;
    const struct fs_trust *t = d ? server_trust(d, id) : NULL;
    /* A network logon through NTLM carries S-1-5-64-10, like Windows' own; the domain the client named
     * was checked by ntlm_server_verify. */
    int identify = (flags & NTLMSSP_NEGOTIATE_IDENTIFY) != 0;
    fs_err err = !u ? FS_E_LOGON_DENIED
                 : t ? server_token_across(d, t, u, identify, out, name)
                     : fs_logon_network(d, u, "NtLmSsp", FS_SID_NTLM_AUTHENTICATION, identify, out, name);
    fs_domain_release();
    return err;
}

static fs_err server_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct ntlm_state *s = *state;
    if (!in->token)
        return FS_E_INVALID_TOKEN;
    uint32_t type = ntlm_message_type(in->token, in->token_len);
    if (!s) {
        uint32_t client_flags;
        if (type != NTLM_NEGOTIATE || ntlm_parse_negotiate(in->token, in->token_len, &client_flags))
            return type == NTLM_AUTHENTICATE ? FS_E_OUT_OF_SEQUENCE : FS_E_INVALID_TOKEN;
        if (session_security_unmet(client_flags, fs_domain_policy_ntlm_min_sec(1)))
            return FS_E_NOT_SUPPORTED;
        s = fs_calloc(1, sizeof *s);
        if (!s)
            return FS_E_NOMEM;
        s->server = 1;
        fs_write_bytes(&s->negotiate, in->token, in->token_len);
        fs_err err = build_challenge(s, client_flags, id);
        fs_write_bytes(&out->token, s->challenge.data, s->challenge.len);
        if (err == FS_OK && (s->negotiate.failed || out->token.failed))
            err = FS_E_NOMEM;
        if (err != FS_OK) {
            free_state(s);
            return err;
        }
        s->stage = SENT_CHALLENGE;
        out->ret_flags = ret_flags(LEG_2, in->req_flags, s->flags);
        *state = s;
        return FS_OK;
    }
    if (s->stage != SENT_CHALLENGE)
        return FS_E_OUT_OF_SEQUENCE;
    if (type != NTLM_AUTHENTICATE)
        return type ? FS_E_OUT_OF_SEQUENCE : FS_E_INVALID_TOKEN;
    uint8_t bindings[16];
    int has_bindings = in->bindings && fs_bindings_hash(in->bindings, in->bindings_len, bindings) == 0;
    struct ntlm_server_result r;
    fs_err err = ntlm_server_verify(in->token, in->token_len, s->negotiate.data, s->negotiate.len,
                                    s->challenge.data, s->challenge.len, s->server_challenge,
                                    has_bindings ? bindings : NULL, fs_domain_policy_lm_compat_level(1), &r);
    if (err == FS_OK && session_security_unmet(r.flags, fs_domain_policy_ntlm_min_sec(1)))
        err = FS_E_NOT_SUPPORTED;
    if (err == FS_OK)
        err = server_token(id, r.user, r.flags, &out->peer_token, &out->peer_name);
    if (err == FS_OK) {
        s->flags = r.flags;
        memcpy(s->exported, r.exported, 16);
        start_session(s);
        s->stage = DONE;
        out->complete = 1;
        out->ret_flags = ret_flags(LEG_4, in->req_flags, r.flags);
    }
    explicit_bzero(r.exported, sizeof r.exported);
    free(r.user);
    free(r.domain);
    return err;
}

static int signing(const struct ntlm_state *s)
{
    return (s->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)) != 0;
}

static int key_exch(const struct ntlm_state *s) { return (s->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) != 0; }

static int ess(const struct ntlm_state *s) { return (s->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0; }

/* What received messages are checked with: without extended session security, the one RC4 stream and sequence
 * number the context sends with, as Windows keeps them for both directions (doc/semantics.md §65). */
static struct ntlm_direction *incoming(struct ntlm_state *s) { return ess(s) ? &s->recv : &s->send; }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Without SIGN or SEAL, Windows signs with the "dummy" signature: version 1 and zeros (MS-NLMP 3.4.9). */
static void dummy_signature(uint8_t sig[16])
{
    memset(sig, 0, 16);
    sig[0] = 1;
}

static fs_err sign(void *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *sig, size_t sig_len)
{
    struct ntlm_state *s = p;
    if (sig_len < 16)
        return FS_E_INSUFFICIENT_BUFFER;
    if (!signing(s))
        dummy_signature(sig);
    else if (!ess(s)) /* RC4 of a CRC32 (MS-NLMP 3.4.4.1; doc/semantics.md §65) */
        ntlm_signature_v1(&s->send, ntlm_crc32_parts(parts, lens, n), sig);
    else
        ntlm_signature_parts(&s->send, key_exch(s), parts, lens, n, sig);
    return FS_OK;
}

/* Checks sig over the plaintext parts; on failure the receive state is left as it was, so the next
 * message still verifies. */
static fs_err check(struct ntlm_state *s, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *sig,
                    size_t sig_len)
{
    if (sig_len < 16)
        return FS_E_INVALID_TOKEN;
    uint8_t expected[16];
    if (!signing(s)) {
        dummy_signature(expected);
        return memeql_sec(expected, sig, 16) ? FS_OK : FS_E_MESSAGE_ALTERED;
    }
    struct ntlm_direction *d = incoming(s);
    struct ntlm_direction saved = *d;
    int good;
    uint32_t seq = le32(sig + 12);
    if (ess(s)) {
        ntlm_signature_parts(d, key_exch(s), parts, lens, n, expected);
        good = memeql_sec(expected, sig, 16);
    } else {
        /* The RandomPad (bytes 4 to 7) is not checked: Windows sends zeros, MS-NLMP 4.2.2.4 prints it encrypted.
         * The sequence number travels RC4'd: ours XOR the keystream is expected, so theirs is recovered by XOR. */
        ntlm_signature_v1(d, ntlm_crc32_parts(parts, lens, n), expected);
        good = memeql_sec(expected, sig, 4) && memeql_sec(expected + 8, sig + 8, 8);
        seq ^= le32(expected + 12) ^ saved.seq;
    }
    fs_err err = FS_OK;
    if (!good) {
        *d = saved;
        err = seq != saved.seq ? FS_E_OUT_OF_SEQUENCE : FS_E_MESSAGE_ALTERED;
    }
    explicit_bzero(&saved, sizeof saved);
    return err;
}

static fs_err verify(void *p, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *sig,
                     size_t sig_len)
{
    return check(p, parts, lens, n, sig, sig_len);
}

/* RC4 over the parts in order, one keystream across them; the sign-only (read-only) parts are skipped:
 * the MAC covers them, the keystream does not (doc/semantics.md §39). */
static void crypt_parts(struct arcfour_ctx *rc4, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                        size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lens[i] && !(sign_only && sign_only[i]))
            arcfour_crypt(rc4, lens[i], parts[i], parts[i]);
}

static fs_err seal(void *p, uint32_t qop, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                   size_t n, uint8_t *sig, size_t *sig_len)
{
    struct ntlm_state *s = p;
    if (qop)
        return FS_E_QOP_NOT_SUPPORTED;
    if (!(s->flags & NTLMSSP_NEGOTIATE_SEAL))
        return FS_E_NOT_SUPPORTED;
    if (*sig_len < 16)
        return FS_E_INSUFFICIENT_BUFFER;
    *sig_len = 16;
    if (!ess(s)) {
        /* Without extended session security: the data, then the RandomPad, CRC32 and sequence number, on the one
         * RC4 stream of both directions (MS-NLMP 3.4.3, 3.4.4.1; doc/semantics.md §65). */
        uint32_t crc = ntlm_crc32_parts(parts, lens, n);
        ntlm_direction_ready(&s->send);
        crypt_parts(&s->send.seal, parts, lens, sign_only, n);
        ntlm_signature_v1(&s->send, crc, sig);
        return FS_OK;
    }
    /* SEAL (MS-NLMP 3.4.3): RC4 the data, then the checksum, on one stream. The MAC is over the
     * plaintext and needs no RC4, so it is computed first and nothing is copied. */
    uint8_t seq[4] = {(uint8_t)s->send.seq, (uint8_t)(s->send.seq >> 8), (uint8_t)(s->send.seq >> 16),
                      (uint8_t)(s->send.seq >> 24)};
    ntlm_direction_ready(&s->send);
    struct ntlm_direction mac_only = s->send;
    uint8_t plain_sig[16];
    ntlm_signature_parts(&mac_only, 0, parts, lens, n, plain_sig);
    explicit_bzero(&mac_only, sizeof mac_only);
    crypt_parts(&s->send.seal, parts, lens, sign_only, n);
    sig[0] = 1, sig[1] = sig[2] = sig[3] = 0;
    if (key_exch(s))
        arcfour_crypt(&s->send.seal, 8, sig + 4, plain_sig + 4);
    else
        memcpy(sig + 4, plain_sig + 4, 8);
    memcpy(sig + 12, seq, 4);
    s->send.seq++;
    return FS_OK;
}

static fs_err unseal(void *p, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n,
                     const uint8_t *sig, size_t sig_len, uint32_t *qop)
{
    (void)qop; /* NTLM reports no QOP: *pfQOP stays as the caller had it */
    struct ntlm_state *s = p;
    if (!(s->flags & NTLMSSP_NEGOTIATE_SEAL))
        return FS_E_NOT_SUPPORTED;
    if (sig_len < 16)
        return FS_E_INVALID_TOKEN;
    struct ntlm_direction *d = incoming(s);
    ntlm_direction_ready(d);
    struct ntlm_direction saved = *d;
    crypt_parts(&d->seal, parts, lens, sign_only, n);
    fs_err err = check(s, parts, lens, n, sig, sig_len);
    if (err != FS_OK) {
        /* RC4 again from the saved state turns the plaintext back into the caller's ciphertext. */
        struct arcfour_ctx undo = saved.seal;
        crypt_parts(&undo, parts, lens, sign_only, n);
        explicit_bzero(&undo, sizeof undo);
        *d = saved;
    }
    explicit_bzero(&saved, sizeof saved);
    return err;
}

static fs_err session_key(void *p, uint8_t *key, size_t *len)
{
    struct ntlm_state *s = p;
    if (*len < 16)
        return FS_E_INSUFFICIENT_BUFFER;
    memcpy(key, s->exported, 16);
    *len = 16;
    return FS_OK;
}

/* The packed form: a version byte, then the session's own state, RC4 streams included. */
#define NTLM_EXPORT_VERSION 1

static void put_direction(struct fs_writer *w, struct ntlm_direction *d)
{
    ntlm_direction_ready(d); /* the packed form carries the RC4 state itself */
    fs_write_bytes(w, d->sign_key, 16);
    fs_write_bytes(w, d->seal.S, sizeof d->seal.S);
    fs_write_u8(w, d->seal.i);
    fs_write_u8(w, d->seal.j);
    fs_write_u32le(w, d->seq);
}

static void get_direction(struct fs_reader *r, struct ntlm_direction *d)
{
    uint8_t sign_key[16];
    struct arcfour_ctx seal;
    fs_read_bytes(r, sign_key, 16);
    fs_read_bytes(r, seal.S, sizeof seal.S);
    seal.i = fs_read_u8(r);
    seal.j = fs_read_u8(r);
    uint32_t seq = fs_read_u32le(r);
    ntlm_direction_restore(d, sign_key, &seal, seq);
    explicit_bzero(sign_key, sizeof sign_key);
    explicit_bzero(&seal, sizeof seal);
}

static fs_err export_state(void *p, int reset, struct fs_writer *w)
{
    struct ntlm_state *s = p;
    struct ntlm_state copy = *s;
    if (reset)
        start_session(&copy);
    fs_write_u8(w, NTLM_EXPORT_VERSION);
    fs_write_u8(w, (uint8_t)s->server);
    fs_write_u32le(w, s->flags);
    fs_write_bytes(w, s->exported, 16);
    put_direction(w, &copy.send);
    put_direction(w, &copy.recv);
    explicit_bzero(&copy, sizeof copy);
    return w->failed ? FS_E_NOMEM : FS_OK;
}

static fs_err import_state(struct fs_reader *r, void **out)
{
    struct ntlm_state *s = fs_calloc(1, sizeof *s);
    if (!s)
        return FS_E_NOMEM;
    uint8_t version = fs_read_u8(r);
    s->server = fs_read_u8(r);
    s->flags = fs_read_u32le(r);
    fs_read_bytes(r, s->exported, 16);
    get_direction(r, &s->send);
    get_direction(r, &s->recv);
    if (r->failed || version != NTLM_EXPORT_VERSION || s->server > 1) {
        free_state(s);
        return FS_E_INVALID_TOKEN;
    }
    s->stage = DONE;
    *out = s;
    return FS_OK;
}

/* SECPKG_ATTR_KEY_INFO: RC4 keyed as negotiated, 128, 56 or 40 bits (the sealing key MS-NLMP 3.4.5.3
 * derives; without extended session security 128 unless NTLMSSP_NEGOTIATE_LM_KEY weakens it:
 * doc/semantics.md §65), EncryptAlgorithm CALG_RC4 as Windows reports it; HMAC-MD5 signatures under extended
 * session security, RC4-CRC32 without. */
static void key_info(const void *state, struct fs_key_info *out)
{
    const struct ntlm_state *s = state;
    int with_ess = ess(s);
    uint32_t bits = s->flags & NTLMSSP_NEGOTIATE_128 ? 128 : s->flags & NTLMSSP_NEGOTIATE_56 ? 56 : 40;
    if (!with_ess) /* the whole session key, or LM_KEY's 56 or 40 bits whatever _128 says */
        bits = !(s->flags & NTLMSSP_NEGOTIATE_LM_KEY) ? 128 : s->flags & NTLMSSP_NEGOTIATE_56 ? 56 : 40;
    *out = (struct fs_key_info){with_ess ? "HMAC-MD5" : "RSADSI RC4-CRC32", "RSADSI RC4", bits,
                                with_ess ? 0xFFFFFF76 /* KERB_CHECKSUM_HMAC_MD5 (-138) */ : 0xFFFFFF7C /* CRC32 (-132) */,
                                CALG_RC4};
}

/* MS-SPNG 3.3.5.1: after SPNEGO's mechListMIC both sides restart their RC4 handles, so that the first
 * application message is sealed from the start of the keystream as the MIC was. The sequence numbers
 * go on: the MIC used 0, the first message uses 1 (gss-ntlmssp and pyspnego do the same). */
static void reset_crypto(void *p)
{
    struct ntlm_state *s = p;
    uint32_t send = s->send.seq, recv = s->recv.seq;
    start_session(s);
    s->send.seq = send;
    s->recv.seq = recv;
}

const struct fs_package fs_ntlm_package = {
    .name = "NTLM",
    .comment = "NTLM Security Package",
    .capabilities = 0x82B37, /* doc/semantics.md §5 */
    .version = 1,
    .rpcid = 10,
    .max_token = 2888,
    .max_signature = 16,
    .block_size = 0,
    .security_trailer = 16,
    .client_step = client_step,
    .server_step = server_step,
    .free_state = free_state,
    .sign = sign,
    .verify = verify,
    .seal = seal,
    .unseal = unseal,
    .signs_readonly = 1, /* MS-NLMP 3.4.4 MACs the whole message; doc/semantics.md §39 */
    .session_key = session_key,
    .export_state = export_state,
    .import_state = import_state,
    .key_info = key_info,
    .reset_crypto = reset_crypto,
};
