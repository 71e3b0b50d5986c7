/* The Kerberos package behind fs_package: an AP exchange (RFC 4120 3.2) in GSS-API framing, with no
 * KDC. The fake domain knows every key, so the client makes the service ticket itself, exactly as a
 * KDC would have made it; the service opens it with the key of the account that owns the SPN. */
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/rng.h"
#include "core/utf.h"
#include "krb_crypto.h"
#include "krb_etypes.h"
#include "krb_cred.h"
#include "krb_delegation.h"
#include "krb_gss.h"
#include "krb_kdc.h"
#include "krb_keys.h"
#include "krb_messages.h"
#include "krb_rc4.h"
#include "krb_replay.h"
#include "krb_retrieve.h"
#include "krb_tgt.h"
#include "krb_ticket_cache.h"
#include "krb_trust.h"
#include "pac.h"
#include "packages/bindings.h"
#include "packages/package.h"
#include "security/account_policy.h"
#include "security/domain_current.h"
#include "security/logon.h"
#include "security/wellknown.h"
#include "sspi.h"
#include "winbase.h"

/* SENT_AP_REP: a DCE-style acceptor waiting for the client's AP-REP, the third leg (doc/semantics.md §60).
 * SENT_TGT_REQ, SENT_TGT_REP: user-to-user's first leg on each side, the server's TGT asked for and sent
 * (doc/semantics.md §66). */
enum stage { SENT_AP_REQ, SENT_AP_REP, DONE, SENT_TGT_REQ, SENT_TGT_REP };

struct krb_state {
    int server;
    enum stage stage;
    uint32_t gss_flags;             /* GSS_C_* as the authenticator carried them */
    struct krb_key session_key;     /* the ticket's */
    struct krb_key initiator_subkey;
    uint64_t ctime;                 /* client: the authenticator's time, which the AP-REP echoes */
    uint64_t ticket_end;            /* client: the ticket's end time, which the context's expiry is */
    uint32_t cusec;
    uint64_t first_send, first_recv; /* sequence numbers at the start, for export with reset */
    struct krb_protect protect;
    char client_principal[320];     /* SECPKG_ATTR_NATIVE_NAMES: "alice@EXAMPLE.TEST" */
    char server_principal[576];     /* "HTTP/server.example.test@EXAMPLE.TEST" */
    /* A DCE-style acceptor between its legs: what the last leg hands to the context (doc/semantics.md §60). */
    struct fs_token *pending_token;
    char *pending_name;
    uint64_t pending_expiry;
    uint8_t *pac;                   /* server: the ticket's PAC, its server signature verified (krb_context_pac) */
    size_t pac_len;
    /* User-to-user (doc/semantics.md §66): every token under the user-to-user OID. The client keeps its first leg's
     * requirements and target for the AP-REQ of its second; the server the session key of the TGT it sent, and
     * whose TGT that is. */
    int u2u;
    uint32_t req_flags;
    char target[512];
    struct krb_key tgt_key;
    char tgt_owner[256];
};

static void free_state(void *p)
{
    if (!p)
        return;
    struct krb_state *s = p;
    fs_token_unref(s->pending_token);
    free(s->pending_name);
    free(s->pac);
    explicit_bzero(p, sizeof(struct krb_state)); /* session key, subkeys */
    free(p);
}

/* Authenticator times must differ even on a frozen virtual clock: the microseconds are a counter,
 * restarted by fakesspi_reset() so that runs repeat. With no seed named, each process starts it (and
 * salts the authenticator's sequence number) from its own value, so that processes run one after the
 * other with the defaults do not send identical authenticators (doc/semantics.md §29). */
static unsigned cusec_counter;

static uint32_t next_cusec(void) { return __atomic_fetch_add(&cusec_counter, 1, __ATOMIC_RELAXED) % 1000000u; }

static uint32_t gss_flags_from_isc(uint32_t req)
{
    /* Windows' Kerberos (like MIT's) asserts integrity and confidentiality whether asked or not, unless
     * ISC_REQ_NO_INTEGRITY (doc/semantics.md §27). */
    uint32_t f = req & ISC_REQ_NO_INTEGRITY ? 0 : GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG;
    if (req & ISC_REQ_MUTUAL_AUTH)
        f |= GSS_C_MUTUAL_FLAG;
    if (req & ISC_REQ_REPLAY_DETECT)
        f |= GSS_C_REPLAY_FLAG;
    if (req & ISC_REQ_SEQUENCE_DETECT)
        f |= GSS_C_SEQUENCE_FLAG;
    if (req & ISC_REQ_CONFIDENTIALITY)
        f |= GSS_C_CONF_FLAG;
    /* DCE style implies mutual authentication: the server's AP-REP is the second of three legs (MS-KILE 3.4.5.1,
     * doc/semantics.md §60). */
    if (req & ISC_REQ_USE_DCE_STYLE)
        f |= GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG;
    return f;
}

/* The GSS flags of the authenticator checksum as each side reports them (ISC_RET_* and ASC_RET_*
 * differ above 0x800, doc/semantics.md §3). */
static const struct {
    uint32_t gss, isc, asc;
} ret_flag_map[] = {
    {GSS_C_DELEG_FLAG, ISC_RET_DELEGATE, ASC_RET_DELEGATE},
    {GSS_C_MUTUAL_FLAG, ISC_RET_MUTUAL_AUTH, ASC_RET_MUTUAL_AUTH},
    {GSS_C_REPLAY_FLAG, ISC_RET_REPLAY_DETECT, ASC_RET_REPLAY_DETECT},
    {GSS_C_SEQUENCE_FLAG, ISC_RET_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT},
    {GSS_C_CONF_FLAG, ISC_RET_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY},
    {GSS_C_INTEG_FLAG, ISC_RET_INTEGRITY, ASC_RET_INTEGRITY},
    {GSS_C_DCE_STYLE, ISC_RET_USED_DCE_STYLE, ASC_RET_USED_DCE_STYLE},
};

static uint32_t ret_flags(uint32_t gss, int server)
{
    uint32_t r = server ? ASC_RET_CONNECTION : ISC_RET_CONNECTION;
    for (size_t i = 0; i < sizeof ret_flag_map / sizeof ret_flag_map[0]; i++)
        if (gss & ret_flag_map[i].gss)
            r |= server ? ret_flag_map[i].asc : ret_flag_map[i].isc;
    return r;
}

/* A context's flags: the checksum's, and ISC_RET_USE_SESSION_KEY / ASC_RET_USE_SESSION_KEY on both sides of a
 * user-to-user context (doc/semantics.md §66). */
static uint32_t context_flags(const struct krb_state *s, int server)
{
    uint32_t u2u = server ? ASC_RET_USE_SESSION_KEY : ISC_RET_USE_SESSION_KEY;
    return ret_flags(s->gss_flags, server) | (s->u2u ? u2u : 0);
}

/* The client proves its password as it would to a KDC (pre-authentication): wrong, and the KDC says
 * KDC_ERR_PREAUTH_FAILED, which SSPI reports as SEC_E_LOGON_DENIED; the KDC applies the domain's account
 * policy too (locked out, password expired or to change: SEC_E_LOGON_DENIED as well, doc/semantics.md §52). */
static fs_err check_client(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user **out)
{
    if (id->domain && *id->domain && !fs_domain_is_named(d, id->domain))
        return FS_E_NO_SUCH_DOMAIN;
    const struct fs_user *u = fs_domain_find_user(d, id->user);
    uint8_t hash[16];
    int proven = u && fs_domain_user_nt_hash(d, u, hash) && memeql_sec(hash, id->nt_hash, 16);
    explicit_bzero(hash, sizeof hash);
    fs_err err = u ? fs_account_verdict(d, u, proven ? FS_PASSWORD_GOOD : FS_PASSWORD_BAD) : FS_E_LOGON_DENIED;
    if (err != FS_OK)
        return err == FS_E_WRONG_PASSWORD ? FS_E_LOGON_DENIED : err;
    *out = u;
    return FS_OK;
}

/* A service ticket comes from the session's TGT and never outlives it (doc/semantics.md §62). A session with no
 * password and no TGT (constrained delegation's S4U2Proxy, which uses the service's own TGT) gets the policy's
 * lifetime from now. */
static fs_err service_ticket_times(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *client,
                                   char *realm, struct krb_times *times)
{
    uint64_t now = krb_now_seconds();
    struct krb_cached_ticket tgt;
    fs_err err = krb_tgt_get(d, id, client, realm, &tgt);
    *times = (struct krb_times){now, now, now + krb_max_ticket_age(d, client), now + krb_max_renew_age(d, client)};
    if (err == FS_OK) {
        times->authtime = tgt.authtime;
        times->endtime = times->endtime < tgt.endtime ? times->endtime : tgt.endtime;
        times->renew_till = tgt.renew_till;
    } else if (err == FS_E_NO_CREDENTIALS && (id->network_logon || id->s4u_logon)) {
        err = FS_OK;
    }
    explicit_bzero(&tgt, sizeof tgt);
    return err;
}

/* A service of a trusted domain (RFC 4120 3.3.3, MS-KILE 3.3.5.7.5, doc/semantics.md §76): the client's KDC's referral
 * TGT, krbtgt/OTHER.TEST@EXAMPLE.TEST in the inter-realm key (kept in the session's cache, where klist lists it, and
 * reused while it lasts), which the service's KDC exchanges for the service ticket of its realm, appended to ticket. */
static fs_err cross_realm_issue(const struct fs_domain *d, const struct fs_trust *trust, const struct fs_identity *id,
                                const struct krb_ticket_cache_key *key, const struct fs_user *client, char *realm,
                                const struct krb_times *times, struct fs_writer *ticket, struct krb_cached_ticket *tk)
{
    char tgs[300], held_name[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", key->server_realm);
    struct krb_key trust_key;
    struct krb_cached_ticket referral = {0};
    struct fs_writer bytes;
    fs_writer_init(&bytes);
    fs_err err = krb_trust_key(d, trust->domain, trust, &trust_key);
    struct krb_ticket_cache_key rkey = {id->logon_id, d->serial, client->name, tgs, &trust_key, 0, NULL};
    if (err == FS_OK && !krb_ticket_cache_get(&rkey, fs_clock_now(), &bytes, &referral, held_name, sizeof held_name)) {
        err = krb_kdc_issue(d, client, tgs, realm, &trust_key, 0, times, &bytes, &referral);
        referral.ticket = bytes.data;
        referral.ticket_len = bytes.len;
        if (err == FS_OK)
            krb_ticket_cache_put(&rkey, tgs, &referral);
    }
    if (err == FS_OK)
        err = krb_kdc_issue_cross(d, trust->domain, client, key->service, bytes.data, bytes.len, &trust_key,
                                  key->service_key, times, ticket, tk);
    if (bytes.data)
        explicit_bzero(bytes.data, bytes.len);
    fs_writer_free(&bytes);
    explicit_bzero(&referral, sizeof referral);
    explicit_bzero(&trust_key, sizeof trust_key);
    return err;
}

/* The logon session's ticket for spn while it lasts (unless how has KRB_RETRIEVE_FRESH), else a new one (unless
 * KRB_RETRIEVE_CACHED_ONLY), through the referral for a service of trust's domain (NULL: of d): the DER Ticket
 * appended to ticket, its session key and times in *tk, the name it was made for in sname; *made says it is new, for
 * the caller to keep once it has used it (doc/semantics.md §49). */
static fs_err client_ticket(const struct fs_domain *d, const struct fs_trust *trust, const struct fs_identity *id,
                            const struct krb_ticket_cache_key *key, const struct fs_user *client, char *realm,
                            unsigned how, struct fs_writer *ticket, struct krb_cached_ticket *tk, char *sname,
                            size_t cap, int *made)
{
    *made = 0;
    if (!(how & KRB_RETRIEVE_FRESH) && krb_ticket_cache_get(key, fs_clock_now(), ticket, tk, sname, cap))
        return FS_OK;
    if (how & KRB_RETRIEVE_CACHED_ONLY)
        return FS_E_NO_CACHED_TICKET;
    snprintf(sname, cap, "%s", key->service);
    *made = 1;
    struct krb_times times;
    fs_err err = service_ticket_times(d, id, client, realm, &times);
    if (err != FS_OK)
        return err;
    if (trust)
        return cross_realm_issue(d, trust, id, key, client, realm, &times, ticket, tk);
    return krb_kdc_issue(d, client, key->service, realm, key->service_key, 0, &times, ticket, tk);
}

/* The forwarded TGT a client asking to delegate gets from the KDC (RFC 4120 2.6), in a KRB-CRED under the service
 * ticket's session key (RFC 4121 4.1.1), appended to out (doc/semantics.md §54). */
static fs_err forward_tgt(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *client,
                          char *realm, const struct krb_key *session_key, struct fs_writer *out)
{
    char tgs[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
    struct krb_key kdc_key;
    struct krb_cached_ticket tk = {0};
    struct fs_writer ticket;
    fs_writer_init(&ticket);
    /* The forwarded TGT ends and renews with the TGT it is forwarded from (doc/semantics.md §62). */
    struct krb_cached_ticket tgt;
    uint64_t now = krb_now_seconds();
    fs_err err = krb_tgt_get(d, id, client, realm, &tgt);
    struct krb_times times = {tgt.authtime, now, tgt.endtime, tgt.renew_till};
    explicit_bzero(&tgt, sizeof tgt);
    if (err == FS_OK)
        err = krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key);
    if (err == FS_OK)
        err = krb_kdc_issue(d, client, tgs, realm, &kdc_key, KRB_TKT_FORWARDED, &times, &ticket, &tk);
    struct krb_cred c = {.ticket = ticket.data,
                         .ticket_len = ticket.len,
                         .key = tk.session_key,
                         .prealm = realm,
                         .flags = tk.flags,
                         .authtime = tk.authtime,
                         .starttime = tk.starttime,
                         .endtime = tk.endtime,
                         .renew_till = tk.renew_till,
                         .srealm = realm};
    if (err == FS_OK)
        err = krb_principal_from_text(client->name, KRB_NT_PRINCIPAL, &c.pname);
    if (err == FS_OK)
        err = krb_principal_from_text(tgs, KRB_NT_SRV_INST, &c.sname);
    if (err == FS_OK)
        err = krb_build_cred(&c, session_key, out);
    krb_principal_free(&c.pname);
    krb_principal_free(&c.sname);
    fs_writer_free(&ticket);
    explicit_bzero(&c, sizeof c);
    explicit_bzero(&tk, sizeof tk);
    explicit_bzero(&kdc_key, sizeof kdc_key);
    return err;
}

/* Builds the AP-REQ, framed for GSS-API (bare in DCE style, MS-KILE 3.4.5.1), around the logon session's ticket
 * for spn while it lasts, else a new one, which the session then keeps (doc/semantics.md §49). Every AP-REQ has
 * its own authenticator: a new subkey, sequence number and time. */
static fs_err make_ap_req(struct krb_state *s, const struct fs_domain *d, const struct fs_trust *trust,
                          const struct fs_identity *id, const struct fs_user *client, const struct fs_user *service,
                          const char *spn, const struct fs_step_in *in, const uint8_t *server_tgt, size_t tgt_len,
                          struct fs_writer *out)
{
    /* A service of a trusted domain has its domain's key and realm; the client keeps its own (doc/semantics.md §76). */
    const struct fs_domain *sd = trust ? trust->domain : d;
    char realm[256], srealm[256];
    krb_realm(d, realm, sizeof realm);
    krb_realm(sd, srealm, sizeof srealm);
    struct krb_key service_key;
    fs_err err = krb_user_key(sd, service, krb_strongest_etype(krb_account_enctypes(service)), &service_key);
    if (err != FS_OK)
        return err;
    struct krb_principal cname;
    if ((err = krb_principal_from_text(client->name, KRB_NT_PRINCIPAL, &cname)) != FS_OK) {
        explicit_bzero(&service_key, sizeof service_key);
        return err;
    }
    uint64_t now = fs_clock_now();
    uint64_t whole_seconds = now - now % FS_FILETIME_PER_SECOND;
    uint64_t salt = fs_rng_process_salt();
    struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, spn, &service_key, 0,
                                       trust ? srealm : NULL};
    struct krb_cached_ticket tk = {0};
    char sname[512];
    struct fs_writer ticket, auth, req, deleg;
    fs_writer_init(&ticket);
    fs_writer_init(&auth);
    fs_writer_init(&req);
    fs_writer_init(&deleg);
    int made;
    struct krb_key tgt_key = {0};
    if (server_tgt) {
        /* User-to-user: a new ticket from the KDC, encrypted in the session key of the server's TGT (RFC 4120 3.3.3
         * ENC-TKT-IN-SKEY), kept in the session's cache as Windows keeps it (doc/semantics.md §66). */
        struct krb_times times;
        err = service_ticket_times(d, id, client, realm, &times);
        if (err == FS_OK)
            err = krb_kdc_issue_u2u(d, client, spn, realm, server_tgt, tgt_len, &times, &ticket, &tk, &tgt_key);
        snprintf(sname, sizeof sname, "%s", spn);
        key.service_key = &tgt_key;
        made = 1;
    } else {
        err = client_ticket(d, trust, id, &key, client, realm, 0, &ticket, &tk, sname, sizeof sname, &made);
    }
    s->session_key = tk.session_key;
    s->ticket_end = tk.endtime;

    struct krb_authenticator a = {
        .crealm = realm,
        .cname = cname,
        .has_gss_checksum = 1,
        .gss_flags = gss_flags_from_isc(in->req_flags),
        .cusec = (next_cusec() + (uint32_t)(salt % 1000000u)) % 1000000u,
        .ctime = whole_seconds,
        .has_subkey = 1,
        .has_seq = 1,
    };
    if (err == FS_OK) {
        if (in->bindings && fs_bindings_hash(in->bindings, in->bindings_len, a.bindings_hash))
            memset(a.bindings_hash, 0, 16);
        krb_random_key(s->session_key.etype, &a.subkey); /* the subkey is of the session key's etype */
        a.seq = (uint32_t)(fs_rng_u64() ^ (salt >> 32)) & 0x7FFFFFFFu;
        /* Windows forwards the TGT only to a service whose ticket says OK-AS-DELEGATE; otherwise the request is
         * silently dropped and ISC_RET_DELEGATE not reported (doc/semantics.md §54). A TGT that is not forwardable
         * (a Protected User's, whose tickets are not either) cannot be forwarded (doc/semantics.md §57). */
        if ((in->req_flags & ISC_REQ_DELEGATE) && (tk.flags & KRB_TKT_OK_AS_DELEGATE) &&
            (tk.flags & KRB_TKT_FORWARDABLE)) {
            err = forward_tgt(d, id, client, realm, &s->session_key, &deleg);
            a.deleg = deleg.data;
            a.deleg_len = deleg.len;
            a.gss_flags |= GSS_C_DELEG_FLAG;
        }
    }
    if (err == FS_OK) {
        s->initiator_subkey = a.subkey;
        s->gss_flags = a.gss_flags;
        s->ctime = a.ctime;
        s->cusec = a.cusec;
        s->protect.send_seq = s->protect.recv_seq = a.seq;
        snprintf(s->client_principal, sizeof s->client_principal, "%s@%s", client->name, realm);
        snprintf(s->server_principal, sizeof s->server_principal, "%.300s@%.255s", sname, srealm);
        err = krb_build_authenticator(&a, &s->session_key, &auth);
    }
    if (err == FS_OK) {
        uint32_t ap_options = (a.gss_flags & GSS_C_MUTUAL_FLAG ? KRB_AP_MUTUAL_REQUIRED : 0) |
                              (server_tgt ? KRB_AP_USE_SESSION_KEY : 0);
        krb_build_ap_req(ap_options, ticket.data, ticket.len, auth.data, auth.len, &req);
        if (a.gss_flags & GSS_C_DCE_STYLE)
            fs_write_bytes(out, req.data, req.len);
        else if (server_tgt)
            krb_gss_frame_u2u(out, KRB_TOK_AP_REQ, req.data, req.len);
        else
            krb_gss_frame(out, krb_oid_krb5, KRB_TOK_AP_REQ, req.data, req.len);
        if (req.failed || out->failed)
            err = FS_E_NOMEM;
    }
    /* Kept last, once the AP-REQ is whole: a cache short of memory changes nothing but the next handshake. */
    if (err == FS_OK && made) {
        tk.ticket = ticket.data;
        tk.ticket_len = ticket.len;
        krb_ticket_cache_put(&key, sname, &tk);
    }
    fs_writer_free(&ticket);
    fs_writer_free(&auth);
    fs_writer_free(&req);
    if (deleg.data)
        explicit_bzero(deleg.data, deleg.len); /* the forwarded TGT's session key */
    fs_writer_free(&deleg);
    krb_principal_free(&cname);
    explicit_bzero(&tk, sizeof tk);
    explicit_bzero(&a, sizeof a);
    explicit_bzero(&service_key, sizeof service_key);
    explicit_bzero(&tgt_key, sizeof tgt_key);
    return err;
}

static fs_err client_first(struct krb_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                           struct fs_step_out *out)
{
    if (!in->target || !*in->target)
        return FS_E_TARGET_UNKNOWN; /* Kerberos needs to know whose key to use */
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *client = NULL, *service = NULL;
    const struct fs_trust *trust = NULL;
    fs_err err = id->network_logon ? krb_delegated_client(d, id, in->target, &client) : check_client(d, id, &client);
    if (err == FS_OK && !(service = krb_find_service(d, in->target)) &&
        !(trust = krb_trust_for_service(d, in->target, &service)))
        err = FS_E_TARGET_UNKNOWN;
    /* The client's KDC refers it to another domain only when that domain trusts the client's; otherwise it knows no
     * such principal (KDC_ERR_S_PRINCIPAL_UNKNOWN), as for an SPN in no domain (doc/semantics.md §76). */
    if (err == FS_OK && trust && !(trust->direction & FS_TRUST_INBOUND))
        err = FS_E_TARGET_UNKNOWN;
    if (err == FS_OK) {
        /* The SPN without "@REALM" is the ticket's sname. */
        char spn[512];
        snprintf(spn, sizeof spn, "%s", in->target);
        char *at = strchr(spn, '@');
        if (at)
            *at = '\0';
        err = make_ap_req(s, d, trust, id, client, service, spn, in, NULL, 0, &out->token);
    }
    fs_domain_release();
    return err;
}

/* The client's account and the service of target (without "@REALM" in spn), as the first leg checks them. */
static fs_err client_and_service(const struct fs_domain *d, const struct fs_identity *id, const char *target,
                                 const struct fs_user **client, const struct fs_user **service, char *spn, size_t cap)
{
    fs_err err = id->network_logon ? krb_delegated_client(d, id, target, client) : check_client(d, id, client);
    if (err == FS_OK && !(*service = krb_find_service(d, target)))
        err = FS_E_TARGET_UNKNOWN;
    snprintf(spn, cap, "%s", target);
    char *at = strchr(spn, '@');
    if (at)
        *at = '\0';
    return err;
}

/* User-to-user's first leg (ISC_REQ_USE_SESSION_KEY, doc/semantics.md §66): a KERB-TGT-REQUEST naming the service and
 * realm, under the user-to-user OID with token id 0x0400. */
static fs_err client_tgt_request(struct krb_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                                 struct fs_step_out *out)
{
    if (!in->target || !*in->target)
        return FS_E_TARGET_UNKNOWN;
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *client = NULL, *service = NULL;
    fs_err err = client_and_service(d, id, in->target, &client, &service, s->target, sizeof s->target);
    struct krb_principal sname = {0};
    if (err == FS_OK)
        err = krb_principal_from_text(s->target, strchr(s->target, '/') ? KRB_NT_SRV_INST : KRB_NT_PRINCIPAL, &sname);
    if (err == FS_OK) {
        char realm[256];
        krb_realm(d, realm, sizeof realm);
        struct fs_writer req;
        fs_writer_init(&req);
        krb_build_tgt_request(&sname, realm, &req);
        krb_gss_frame_u2u(&out->token, KRB_TOK_TGT_REQ, req.data, req.len);
        err = req.failed || out->token.failed ? FS_E_NOMEM : FS_OK;
        fs_writer_free(&req);
        krb_principal_free(&sname);
    }
    fs_domain_release();
    s->u2u = 1;
    s->req_flags = in->req_flags;
    s->gss_flags = gss_flags_from_isc(in->req_flags);
    s->stage = SENT_TGT_REQ;
    return err;
}

/* User-to-user's second leg: the server's KERB-TGT-REPLY, anything else SEC_E_INVALID_TOKEN; then the AP-REQ with
 * USE-SESSION-KEY around a ticket in the session key of that TGT (doc/semantics.md §66). */
static fs_err client_u2u_ap_req(struct krb_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                                struct fs_step_out *out)
{
    int u2u;
    uint16_t tok_id;
    const uint8_t *inner, *tgt;
    size_t inner_len, tgt_len;
    struct der_error derr;
    if (!in->token || krb_gss_unframe_any(in->token, in->token_len, &u2u, &tok_id, &inner, &inner_len) || !u2u ||
        tok_id != KRB_TOK_TGT_REP)
        return FS_E_INVALID_TOKEN;
    fs_err err = krb_parse_tgt_reply(inner, inner_len, &tgt, &tgt_len, &derr);
    if (err != FS_OK)
        return err;
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *client = NULL, *service = NULL;
    char spn[512];
    err = client_and_service(d, id, s->target, &client, &service, spn, sizeof spn);
    struct fs_step_in again = *in; /* the first leg's requirements, this leg's channel bindings */
    again.req_flags = s->req_flags;
    again.target = s->target;
    if (err == FS_OK)
        err = make_ap_req(s, d, NULL, id, client, service, spn, &again, tgt, tgt_len, &out->token);
    fs_domain_release();
    return err;
}

/* An empty answer, and the domain to answer from (to release), or NULL (released) when there is none. */
static const struct fs_domain *retrieve_begin(struct krb_retrieved *out)
{
    memset(out, 0, sizeof *out);
    fs_writer_init(&out->ticket);
    const struct fs_domain *d = fs_domain_acquire();
    if (!d)
        fs_domain_release();
    return d;
}

fs_err krb_retrieve_ticket(const struct fs_identity *id, const char *target, unsigned how, struct krb_retrieved *out)
{
    const struct fs_domain *d = retrieve_begin(out);
    if (!d)
        return FS_E_DOMAIN_UNUSABLE;
    const struct fs_user *client = NULL, *service = krb_find_service(d, target);
    /* A service of a trusted domain that trusts this one: its realm's ticket, through the referral
     * (doc/semantics.md §76). */
    const struct fs_trust *trust = service ? NULL : krb_trust_for_service(d, target, &service);
    if (trust && !(trust->direction & FS_TRUST_INBOUND))
        service = NULL;
    struct krb_key service_key = {0};
    fs_err err = check_client(d, id, &client);
    if (err == FS_OK && !service)
        err = how & KRB_RETRIEVE_CACHED_ONLY ? FS_E_NO_CACHED_TICKET : FS_E_NO_TRUST_SAM_ACCOUNT;
    if (err == FS_OK)
        err = krb_user_key(trust ? trust->domain : d, service, krb_strongest_etype(krb_account_enctypes(service)),
                           &service_key);
    if (err == FS_OK) {
        char spn[512];
        snprintf(spn, sizeof spn, "%s", target);
        char *at = strchr(spn, '@');
        if (at)
            *at = '\0';
        krb_realm(d, out->realm, sizeof out->realm);
        krb_realm(trust ? trust->domain : d, out->server_realm, sizeof out->server_realm);
        snprintf(out->client, sizeof out->client, "%s", client->name);
        struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, spn, &service_key, 0,
                                           trust ? out->server_realm : NULL};
        int made;
        err = client_ticket(d, trust, id, &key, client, out->realm, how, &out->ticket, &out->t, out->service,
                            sizeof out->service, &made);
        if (err == FS_OK && out->ticket.failed)
            err = FS_E_NOMEM;
        if (err == FS_OK && made && (how & KRB_RETRIEVE_KEEP)) {
            out->t.ticket = out->ticket.data;
            out->t.ticket_len = out->ticket.len;
            krb_ticket_cache_put(&key, out->service, &out->t);
            out->t.ticket = NULL;
            out->t.ticket_len = 0;
        }
    }
    fs_domain_release();
    explicit_bzero(&service_key, sizeof service_key);
    if (err != FS_OK)
        krb_retrieved_free(out);
    return err;
}

fs_err krb_retrieve_tgt(const struct fs_identity *id, unsigned how, struct krb_retrieved *out)
{
    const struct fs_domain *d = retrieve_begin(out);
    if (!d)
        return FS_E_DOMAIN_UNUSABLE;
    const struct fs_user *client = NULL;
    fs_err err = FS_OK;
    if (!id->network_logon)
        err = check_client(d, id, &client);
    else if (!(client = fs_domain_find_user(d, id->user)))
        err = FS_E_NO_CREDENTIALS;
    if (err == FS_OK) {
        krb_realm(d, out->realm, sizeof out->realm);
        snprintf(out->client, sizeof out->client, "%s", client->name);
        snprintf(out->service, sizeof out->service, "krbtgt/%s", out->realm);
        if (how & KRB_RETRIEVE_CACHED_ONLY) {
            /* The TGT the session holds now: no AS exchange, no renewal (doc/semantics.md §70). */
            struct krb_key kdc_key;
            char sname[300];
            err = krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key);
            struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, out->service, &kdc_key, 1, NULL};
            if (err == FS_OK && (!krb_ticket_cache_get(&key, fs_clock_now(), &out->ticket, &out->t, sname, sizeof sname) ||
                                 fs_clock_now() >= out->t.endtime))
                err = FS_E_NO_CACHED_TICKET;
            out->t.ticket = NULL;
            out->t.ticket_len = 0;
            explicit_bzero(&kdc_key, sizeof kdc_key);
        } else {
            err = krb_tgt_get_ticket(d, id, client, out->realm, &out->ticket, &out->t);
        }
        if (err == FS_OK && out->ticket.failed)
            err = FS_E_NOMEM;
        /* Windows hands out a TGT's session key only with allowtgtsessionkey set (KB 308339): its type and length
         * stay, its bytes are zero, as klist tgt shows them (doc/semantics.md §70). */
        explicit_bzero(out->t.session_key.bytes, sizeof out->t.session_key.bytes);
    }
    fs_domain_release();
    if (err != FS_OK)
        krb_retrieved_free(out);
    return err;
}

void krb_retrieved_free(struct krb_retrieved *r)
{
    fs_writer_free(&r->ticket);
    explicit_bzero(&r->t, sizeof r->t);
}

/* After the AP-REQ: wait for the AP-REP, or with no mutual authentication, done in this leg. */
static void sent_ap_req(struct krb_state *s, struct fs_step_out *out)
{
    s->first_send = s->first_recv = s->protect.send_seq;
    if (s->gss_flags & GSS_C_MUTUAL_FLAG) {
        s->stage = SENT_AP_REQ;
    } else {
        /* One leg: both sides protect messages with the initiator's subkey. */
        s->protect.key = s->initiator_subkey;
        s->stage = DONE;
        out->complete = 1;
        out->expiry = s->ticket_end;
    }
}

static fs_err client_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct krb_state *s = *state;
    if (!s) {
        if (!id->has_secret)
            return FS_E_NO_CREDENTIALS;
        if (!(s = fs_calloc(1, sizeof *s)))
            return FS_E_NOMEM;
        /* Windows drops ISC_REQ_USE_SESSION_KEY in DCE style and with ISC_REQ_DATAGRAM, which have no user-to-user
         * (doc/semantics.md §66). */
        int u2u = (in->req_flags & ISC_REQ_USE_SESSION_KEY) &&
                  !(in->req_flags & (ISC_REQ_USE_DCE_STYLE | ISC_REQ_DATAGRAM));
        fs_err err = u2u ? client_tgt_request(s, id, in, out) : client_first(s, id, in, out);
        if (err != FS_OK) {
            free_state(s);
            return err;
        }
        out->ret_flags = context_flags(s, 0);
        if (!u2u)
            sent_ap_req(s, out);
        *state = s;
        return FS_OK;
    }
    if (s->stage == SENT_TGT_REQ) {
        fs_err err = client_u2u_ap_req(s, id, in, out);
        if (err != FS_OK)
            return err;
        out->ret_flags = context_flags(s, 0);
        sent_ap_req(s, out);
        return FS_OK;
    }
    if (s->stage != SENT_AP_REQ)
        return FS_E_OUT_OF_SEQUENCE;
    if (!in->token)
        return FS_E_INVALID_TOKEN;
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    int dce = (s->gss_flags & GSS_C_DCE_STYLE) != 0;
    if (dce) {
        /* DCE style: the bare AP-REP (or KRB-ERROR), as MIT reads it (MS-KILE 3.4.5.1). */
        uint8_t kind = in->token_len ? in->token[0] : 0;
        tok_id = kind == KRB_DER_AP_REP ? KRB_TOK_AP_REP : kind == KRB_DER_ERROR ? KRB_TOK_ERROR : 0;
        inner = in->token;
        inner_len = in->token_len;
    } else {
        /* A user-to-user context's AP-REP comes under the user-to-user OID, any other's under Kerberos'
         * (doc/semantics.md §66). */
        int u2u;
        if (krb_gss_unframe_any(in->token, in->token_len, &u2u, &tok_id, &inner, &inner_len) || u2u != s->u2u)
            return FS_E_INVALID_TOKEN;
    }
    if (tok_id == KRB_TOK_ERROR)
        return FS_E_LOGON_DENIED;
    if (tok_id != KRB_TOK_AP_REP)
        return FS_E_INVALID_TOKEN;
    struct krb_ap_rep_part rep;
    fs_err err = krb_open_ap_rep(inner, inner_len, &s->session_key, &rep);
    if (err == FS_E_MESSAGE_ALTERED || (err == FS_OK && (rep.ctime != s->ctime || rep.cusec != s->cusec)))
        err = FS_E_MUTUAL_AUTH_FAILED; /* not the service we made the ticket for */
    if (err != FS_OK) {
        explicit_bzero(&rep, sizeof rep);
        return err;
    }
    s->protect.acceptor_subkey = rep.has_subkey;
    s->protect.key = rep.has_subkey ? rep.subkey : s->initiator_subkey;
    if (rep.has_seq)
        s->protect.recv_seq = s->first_recv = rep.seq;
    explicit_bzero(&rep, sizeof rep);
    if (dce) {
        /* The third leg: our own AP-REP, as MIT's krb5_mk_rep_dce makes it: now, no subkey, and the server's
         * sequence number echoed, under the ticket's session key (MS-KILE 3.4.5.1, doc/semantics.md §60). */
        uint64_t now = fs_clock_now();
        struct krb_ap_rep_part third = {.ctime = now - now % FS_FILETIME_PER_SECOND,
                                        .cusec = next_cusec(),
                                        .has_seq = 1,
                                        .seq = (uint32_t)s->first_recv};
        err = krb_build_ap_rep(&third, &s->session_key, &out->token);
        if (err != FS_OK)
            return err;
        s->protect.wrap_ec = KRB_DCE_WRAP_EC;
    }
    s->stage = DONE;
    out->complete = 1;
    out->ret_flags = context_flags(s, 0);
    out->expiry = s->ticket_end;
    return FS_OK;
}

/* The SID the PAC's ExtraSids carry for how the client proved itself (S-1-18-1 for a password), which the
 * token lists among the logon's own SIDs rather than the groups. */
static int is_authority_sid(const struct fs_sid *sid) { return fs_sid_authority(sid) == 18; }

/* The client's token: the PAC's user, groups and extra SIDs (MS-KILE 3.4.5.3: a valid PAC is the
 * authorization data); its account as the domain knows it (for privileges and names). A ticket without a
 * PAC, or whose PAC has no logon information (an MIT KDC's), is taken as Windows takes one: the server
 * asks its domain for the account of the client's name (doc/semantics.md §41). */
static fs_err build_client_token(const struct fs_domain *d, const struct krb_ticket *t, const struct krb_pac *pac,
                                 uint32_t req, int delegated, struct fs_token **out, char **name)
{
    /* A principal of another realm is no account of this domain, whatever its name, unless the realm is a trusted
     * domain's, whose account it then is (doc/semantics.md §76): Administrator@EVIL.REALM is not
     * EXAMPLE\Administrator. */
    const struct fs_domain *home = krb_domain_of_realm(d, t->crealm);
    if (!home || t->cname.n != 1)
        return FS_E_LOGON_DENIED;
    d = home;
    /* MS-PAC 2.7: the client information names the ticket's client at the ticket's authtime. */
    if (pac && (!pac->has_client || pac->client_id != t->authtime ||
                fs_ascii_casecmp(pac->client_name, t->cname.parts[0])))
        return FS_E_LOGON_DENIED;
    const struct krb_pac_logon *l = pac && pac->has_logon ? &pac->logon : NULL;
    struct fs_sid user_sid;
    if (l)
        fs_sid_append(&user_sid, &l->domain_sid, l->user_rid);
    const struct fs_user *u = l ? fs_domain_find_user_by_sid(d, &user_sid) : fs_domain_find_user(d, t->cname.parts[0]);
    if (!u)
        return FS_E_LOGON_DENIED;
    struct fs_user view = *u;
    /* The view lends groups and privileges only: the account's password does not stay behind on the stack (its
     * NT hash is the domain's, not the user's: not in the view). */
    view.password = NULL;
    char authority[FS_SID_STRING_MAX] = FS_SID_AUTHORITY_ASSERTED;
    struct fs_sid *groups = NULL; /* a copy: the domain's user type holds its groups by mutable pointer */
    if (l) {
        authority[0] = '\0';
        if (!(groups = fs_calloc(l->ngroups + l->nextra + l->nresource + 1, sizeof *groups)))
            return FS_E_NOMEM;
        size_t n = 0;
        for (size_t i = 0; i < l->ngroups; i++)
            fs_sid_append(&groups[n++], &l->domain_sid, l->groups[i].rid);
        for (size_t i = 0; i < l->nextra; i++) {
            if (is_authority_sid(&l->extra[i].sid))
                fs_sid_format(&l->extra[i].sid, authority, sizeof authority);
            else
                groups[n++] = l->extra[i].sid;
        }
        /* The service's domain's domain-local groups its KDC added (doc/semantics.md §76). */
        for (size_t i = 0; i < l->nresource; i++)
            fs_sid_append(&groups[n++], &l->resource_domain, l->resource[i].rid);
        view.groups = groups;
        view.ngroups = n;
        view.primary_group_rid = l->primary_rid;
    }
    fs_err err = fs_logon_network(d, &view, "Kerberos", authority[0] ? authority : NULL,
                                  (req & ASC_REQ_IDENTIFY) != 0, out, name);
    /* A client that delegated may be impersonated on other machines too (doc/semantics.md §54). */
    if (err == FS_OK && delegated && !(req & ASC_REQ_IDENTIFY))
        (*out)->level = SecurityDelegation;
    free(groups);
    return err;
}

/* The replay cache's entry for an accepted authenticator, remembered once the leg has succeeded whole. */
struct replay_entry {
    char client[512];
    char server[512];
    uint64_t ctime;
    uint32_t cusec;
};

static fs_err remember(void *arg)
{
    const struct replay_entry *e = arg;
    fs_err err = krb_replay_check(e->client, e->server, e->ctime, e->cusec, fs_clock_now());
    return err == FS_E_NOMEM ? FS_E_NOMEM : err != FS_OK ? FS_E_LOGON_DENIED : FS_OK; /* KRB_AP_ERR_REPEAT */
}

/* The acceptor's own account (doc/semantics.md §41): a credential names an account of the domain, whose keys
 * it holds; a ticket for any other account's SPN does not open with them. The domain's
 * kerberos_accept_any_spn switch lets any credential accept for every service, as before. */
static int acceptor_owns(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *service)
{
    if (d->kerberos_accept_any_spn)
        return 1;
    if (!id || !id->user || (id->domain && *id->domain && !fs_domain_is_named(d, id->domain)))
        return 0;
    const struct fs_user *self = fs_domain_find_user(d, id->user);
    if (self != service)
        return 0;
    /* An explicit password other than the account's derives other keys. */
    if (!id->has_secret)
        return 1;
    uint8_t hash[16];
    int same = fs_domain_user_nt_hash(d, service, hash) && memeql_sec(hash, id->nt_hash, 16);
    explicit_bzero(hash, sizeof hash);
    return same;
}

/* RFC 4120 3.2.3 on an opened ticket and authenticator: the same client, the clocks, the ticket's times. */
static fs_err check_names_and_times(const struct krb_ticket *t, const struct krb_authenticator *a)
{
    if (strcmp(a->crealm, t->crealm) || !krb_principal_equal(&a->cname, &t->cname))
        return FS_E_LOGON_DENIED; /* KRB_AP_ERR_BADMATCH */
    uint64_t now = fs_clock_now();
    if ((a->ctime > now ? a->ctime - now : now - a->ctime) > KRB_MAX_SKEW)
        return FS_E_TIME_SKEW;
    if (now + KRB_MAX_SKEW < t->starttime)
        return FS_E_TIME_SKEW; /* KRB_AP_ERR_TKT_NYV */
    if (now > t->endtime)
        return FS_E_CONTEXT_EXPIRED; /* KRB_AP_ERR_TKT_EXPIRED */
    if (!a->has_gss_checksum)
        return FS_E_INVALID_TOKEN; /* not a GSS-API AP-REQ */
    return FS_OK;
}

/* Everything RFC 4120 3.2.3 asks of a receiver, in MIT's order: keys, names, skew, times; then the PAC's
 * server signature (MS-KILE 3.4.5.3). The replay check comes last of all (remember), once the whole leg
 * has succeeded. *pac is parsed when the ticket has one (has_pac). */
static fs_err check_ap_req(const struct fs_domain *d, const struct fs_identity *id, const struct krb_ap_req *r,
                           const struct krb_state *u2u, struct krb_ticket *t, struct krb_authenticator *a,
                           struct krb_pac *pac, int *has_pac)
{
    char sname[512];
    krb_principal_format(&r->sname, sname, sizeof sname);
    /* A ticket of a trusted domain's realm is for a service of that domain, in its key (doc/semantics.md §76). */
    const struct fs_domain *sd = krb_domain_of_realm(d, r->realm);
    const struct fs_user *service = sd ? krb_find_service(sd, sname) : NULL;
    struct krb_key key;
    fs_err err;
    if (r->ap_options & KRB_AP_USE_SESSION_KEY) {
        /* RFC 4120 3.2.3: the ticket is in the session key of the TGT this context sent, for a service of the TGT's
         * own account; with no TGT sent, there is no key to open it with (doc/semantics.md §66). */
        if (!u2u || !service || service != fs_domain_find_user(d, u2u->tgt_owner) ||
            r->ticket_etype != u2u->tgt_key.etype)
            return FS_E_WRONG_PRINCIPAL;
        key = u2u->tgt_key;
        err = FS_OK;
    } else {
        if (!service || !acceptor_owns(sd, id, service))
            return FS_E_WRONG_PRINCIPAL; /* no key here for that service */
        err = krb_etype_supported(r->ticket_etype) ? krb_user_key(sd, service, r->ticket_etype, &key)
                                                   : FS_E_WRONG_PRINCIPAL;
        if (err == FS_E_NOT_SUPPORTED)
            err = FS_E_WRONG_PRINCIPAL; /* an account given by its NT hash has no AES key (doc/semantics.md §73) */
    }
    if (err != FS_OK)
        return err;
    err = krb_open_ticket(r, &key, t);
    if (err == FS_E_MESSAGE_ALTERED)
        err = FS_E_WRONG_PRINCIPAL; /* KRB_AP_ERR_MODIFIED: encrypted for another key */
    if (err == FS_OK)
        err = krb_open_authenticator(r, &t->session_key, a);
    if (err == FS_E_MESSAGE_ALTERED)
        err = FS_E_LOGON_DENIED;
    if (err == FS_OK)
        err = check_names_and_times(t, a);
    if (err == FS_OK && t->pac) {
        /* A PAC that does not verify under the service's key was not made by the KDC: Windows refuses the
         * logon (doc/semantics.md §41). */
        err = krb_pac_verify_server(t->pac, t->pac_len, &key);
        if (err == FS_OK)
            err = krb_pac_parse(t->pac, t->pac_len, pac);
        *has_pac = err == FS_OK;
        if (err != FS_OK && err != FS_E_NOMEM)
            err = FS_E_LOGON_DENIED;
    }
    explicit_bzero(&key, sizeof key);
    return err;
}

static fs_err check_bindings(const struct fs_domain *d, const struct fs_step_in *in, const struct krb_authenticator *a)
{
    /* As Windows by default: a client that sent no bindings (zeros) is accepted, unless the domain requires them
     * (doc/semantics.md §57); one that sent other bindings than the server sees is refused. */
    static const uint8_t zeros[16];
    uint8_t ours[16];
    int sent = memcmp(a->bindings_hash, zeros, 16) != 0;
    int same = sent && in->bindings && !fs_bindings_hash(in->bindings, in->bindings_len, ours) &&
               !memcmp(ours, a->bindings_hash, 16);
    return fs_bindings_verdict(d, in->bindings != NULL, sent, same);
}

/* The AP-REP, framed for GSS-API, or bare in DCE style (MS-KILE 3.4.5.1). */
static fs_err make_ap_rep(struct krb_state *s, const struct krb_authenticator *a, int dce, struct fs_writer *out)
{
    struct krb_ap_rep_part p = {.ctime = a->ctime, .cusec = a->cusec, .has_subkey = 1, .has_seq = 1};
    int u2u = s->u2u;
    krb_random_key(s->session_key.etype, &p.subkey);
    p.seq = (uint32_t)fs_rng_u64() & 0x7FFFFFFFu;
    struct fs_writer rep;
    fs_writer_init(&rep);
    fs_err err = krb_build_ap_rep(&p, &s->session_key, &rep);
    if (err == FS_OK) {
        if (dce)
            fs_write_bytes(out, rep.data, rep.len);
        else if (u2u)
            krb_gss_frame_u2u(out, KRB_TOK_AP_REP, rep.data, rep.len);
        else
            krb_gss_frame(out, krb_oid_krb5, KRB_TOK_AP_REP, rep.data, rep.len);
        if (out->failed)
            err = FS_E_NOMEM;
    }
    fs_writer_free(&rep);
    s->protect.key = p.subkey;
    s->protect.acceptor_subkey = 1;
    s->protect.send_seq = s->first_send = p.seq;
    explicit_bzero(&p, sizeof p);
    return err;
}

/* DCE style's third leg (MS-KILE 3.4.5.1): the client's bare AP-REP under the session key, as MIT's
 * krb5_rd_rep_dce checks it: our own sequence number echoed and no subkey. Anything else that is an AP-REP and
 * does not verify: SEC_E_MESSAGE_ALTERED (doc/semantics.md §60). */
static fs_err server_third_leg(struct krb_state *s, const struct fs_step_in *in, struct fs_step_out *out)
{
    if (!in->token || !in->token_len || in->token[0] != KRB_DER_AP_REP)
        return FS_E_INVALID_TOKEN;
    struct krb_ap_rep_part rep;
    memset(&rep, 0, sizeof rep);
    fs_err err = krb_open_ap_rep(in->token, in->token_len, &s->session_key, &rep);
    if (err == FS_OK && (!rep.has_seq || rep.seq != (uint32_t)s->first_send || rep.has_subkey))
        err = FS_E_MESSAGE_ALTERED;
    explicit_bzero(&rep, sizeof rep);
    if (err != FS_OK)
        return err;
    s->stage = DONE;
    out->complete = 1;
    out->ret_flags = context_flags(s, 1);
    out->expiry = s->pending_expiry;
    out->peer_token = s->pending_token;
    out->peer_name = s->pending_name;
    s->pending_token = NULL;
    s->pending_name = NULL;
    return FS_OK;
}

/* The account whose TGT a user-to-user acceptor sends: the credential's, its password checked as the KDC's AS exchange
 * checks it; a credential without one (a network logon's) has a TGT only if the client delegated one
 * (doc/semantics.md §66). */
static fs_err server_account(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user **self)
{
    if (id->has_secret)
        return check_client(d, id, self);
    if (!id->user || !(*self = fs_domain_find_user(d, id->user)))
        return FS_E_NO_CREDENTIALS;
    return FS_OK;
}

/* User-to-user's first leg on the acceptor (doc/semantics.md §66): the client's KERB-TGT-REQUEST (whose names Windows
 * does not check: the client checks the ticket) answered with the credential's TGT in a KERB-TGT-REPLY under the
 * user-to-user OID, token id 0x0401, and SEC_I_CONTINUE_NEEDED with ASC_RET_USE_SESSION_KEY. */
static fs_err server_tgt_reply(void **state, const struct fs_identity *id, const uint8_t *inner, size_t inner_len,
                               struct fs_step_out *out)
{
    struct krb_tgt_request req;
    struct der_error derr;
    fs_err err = krb_parse_tgt_request(inner, inner_len, &req, &derr);
    if (err != FS_OK)
        return err;
    krb_tgt_request_free(&req);
    struct krb_state *s = fs_calloc(1, sizeof *s);
    if (!s)
        return FS_E_NOMEM;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *self = NULL;
    err = d ? server_account(d, id, &self) : FS_E_DOMAIN_UNUSABLE;
    struct fs_writer tgt, reply;
    fs_writer_init(&tgt);
    fs_writer_init(&reply);
    struct krb_cached_ticket held = {0};
    if (err == FS_OK) {
        char realm[256];
        krb_realm(d, realm, sizeof realm);
        err = krb_tgt_get_ticket(d, id, self, realm, &tgt, &held);
    }
    if (err == FS_OK) {
        krb_build_tgt_reply(tgt.data, tgt.len, &reply);
        krb_gss_frame_u2u(&out->token, KRB_TOK_TGT_REP, reply.data, reply.len);
        err = reply.failed || out->token.failed ? FS_E_NOMEM : FS_OK;
    }
    if (err == FS_OK) {
        s->server = 1;
        s->protect.we_accept = 1;
        s->u2u = 1;
        s->stage = SENT_TGT_REP;
        s->tgt_key = held.session_key;
        snprintf(s->tgt_owner, sizeof s->tgt_owner, "%s", self->name);
        out->ret_flags = ASC_RET_USE_SESSION_KEY;
        *state = s;
    } else {
        free_state(s);
    }
    fs_domain_release();
    explicit_bzero(&held, sizeof held);
    fs_writer_free(&tgt);
    fs_writer_free(&reply);
    return err;
}

static fs_err server_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct krb_state *waiting = *state;
    if (waiting && waiting->stage == SENT_AP_REP)
        return server_third_leg(waiting, in, out);
    if (waiting && waiting->stage != SENT_TGT_REP)
        return FS_E_OUT_OF_SEQUENCE; /* an acceptor takes one AP-REQ */
    if (!in->token)
        return FS_E_INVALID_TOKEN;
    uint16_t tok_id = 0;
    const uint8_t *inner;
    size_t inner_len;
    int u2u = 0;
    /* A bare AP-REQ is DCE style's (MS-KILE 3.4.5.1); the authenticator must say so too (below). */
    int bare = in->token_len && in->token[0] == KRB_DER_AP_REQ;
    if (bare) {
        inner = in->token;
        inner_len = in->token_len;
    } else if (krb_gss_unframe_any(in->token, in->token_len, &u2u, &tok_id, &inner, &inner_len)) {
        return FS_E_INVALID_TOKEN;
    }
    if (!waiting && u2u && tok_id == KRB_TOK_TGT_REQ)
        return server_tgt_reply(state, id, inner, inner_len, out);
    /* After the TGT reply, the AP-REQ under the user-to-user OID (doc/semantics.md §66). */
    if ((!bare && tok_id != KRB_TOK_AP_REQ) || (waiting && (bare || !u2u)))
        return FS_E_INVALID_TOKEN;
    struct krb_ap_req r;
    struct der_error derr;
    fs_err err = krb_parse_ap_req(inner, inner_len, &r, &derr);
    if (err != FS_OK)
        return err;
    struct krb_state *s = waiting ? waiting : fs_calloc(1, sizeof *s);
    if (!s) {
        krb_ap_req_free(&r);
        return FS_E_NOMEM;
    }
    s->server = 1;
    s->protect.we_accept = 1;
    s->u2u = u2u;
    struct krb_ticket t;
    struct krb_authenticator a;
    struct krb_pac pac;
    int has_pac = 0;
    memset(&t, 0, sizeof t);
    memset(&a, 0, sizeof a);
    memset(&pac, 0, sizeof pac);
    struct krb_cred deleg;
    memset(&deleg, 0, sizeof deleg);
    int delegated = 0;
    const struct fs_domain *d = fs_domain_acquire();
    err = d ? check_ap_req(d, id, &r, waiting, &t, &a, &pac, &has_pac) : FS_E_DOMAIN_UNUSABLE;
    if (err == FS_OK)
        err = check_bindings(d, in, &a);
    /* As MIT's acceptor: only a DCE-style client sends a bare AP-REQ, and a DCE-style client sends nothing else
     * (GSS_S_DEFECTIVE_TOKEN, doc/semantics.md §60). */
    int dce = (a.gss_flags & GSS_C_DCE_STYLE) != 0;
    if (err == FS_OK && dce != bare)
        err = FS_E_INVALID_TOKEN;
    if (err == FS_OK && (a.gss_flags & GSS_C_DELEG_FLAG))
        delegated = (err = krb_open_delegation(&t, &a, &deleg)) == FS_OK;
    if (err == FS_OK)
        err = build_client_token(d, &t, has_pac ? &pac : NULL, in->req_flags, delegated, &out->peer_token,
                                 &out->peer_name);
    if (err == FS_OK && delegated)
        krb_keep_delegation(d, &deleg, out->peer_token);
    else if (err == FS_OK)
        krb_keep_evidence(d, &r, inner, inner_len, &t, out->peer_token);
    fs_domain_release();
    if (delegated)
        krb_cred_free(&deleg);
    krb_pac_free(&pac);
    if (err == FS_OK) {
        char sname[512];
        krb_principal_format(&r.sname, sname, sizeof sname);
        krb_principal_format(&t.cname, s->client_principal, sizeof s->client_principal);
        size_t len = strlen(s->client_principal);
        snprintf(s->client_principal + len, sizeof s->client_principal - len, "@%s", t.crealm);
        snprintf(s->server_principal, sizeof s->server_principal, "%s@%s", sname, r.realm);
        s->session_key = t.session_key;
        s->pac = has_pac ? t.pac : NULL; /* taken: only a PAC that verified is kept */
        s->pac_len = has_pac ? t.pac_len : 0;
        if (has_pac)
            t.pac = NULL;
        s->initiator_subkey = a.has_subkey ? a.subkey : t.session_key;
        s->gss_flags = a.gss_flags;
        uint32_t seq = a.has_seq ? a.seq : 0;
        s->protect.recv_seq = s->first_recv = seq;
        if (dce) { /* DCE style implies mutual authentication, and its Wrap tokens carry filler */
            s->gss_flags |= GSS_C_MUTUAL_FLAG;
            s->protect.wrap_ec = KRB_DCE_WRAP_EC;
        }
        if ((r.ap_options & KRB_AP_MUTUAL_REQUIRED) || (s->gss_flags & GSS_C_MUTUAL_FLAG)) {
            err = make_ap_rep(s, &a, dce, &out->token);
        } else {
            s->protect.key = s->initiator_subkey;
            s->protect.send_seq = s->first_send = seq;
        }
    }
    struct replay_entry *e = err == FS_OK ? fs_calloc(1, sizeof *e) : NULL;
    if (err == FS_OK && !e)
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        /* The cache keys on the client and a digest of the authenticator's ciphertext as well as its time
         * (as MIT krb5 does since 1.18): only the very same authenticator is a replay, and two processes
         * whose frozen clocks agree are not mistaken for one (doc/semantics.md §29). */
        size_t len = krb_principal_format(&a.cname, e->client, sizeof e->client);
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct sha256_ctx h;
        sha256_init(&h);
        sha256_update(&h, r.auth_cipher_len, r.auth_cipher);
        sha256_digest(&h, sizeof digest, digest);
        len += (size_t)snprintf(e->client + len, sizeof e->client - len, "@%s#", a.crealm);
        for (size_t i = 0; i < 8 && len + 2 < sizeof e->client; i++, len += 2)
            snprintf(e->client + len, sizeof e->client - len, "%02x", digest[i]);
        krb_principal_format(&r.sname, e->server, sizeof e->server);
        e->ctime = a.ctime;
        e->cusec = a.cusec;
        out->commit = remember;
        out->commit_arg = e;
        out->ret_flags = context_flags(s, 1);
        if (dce) {
            /* The second of three legs: SEC_I_CONTINUE_NEEDED; the client's token and name wait for the third. */
            s->stage = SENT_AP_REP;
            s->pending_token = out->peer_token;
            s->pending_name = out->peer_name;
            s->pending_expiry = t.endtime;
            out->peer_token = NULL;
            out->peer_name = NULL;
        } else {
            s->stage = DONE;
            out->complete = 1;
            out->expiry = t.endtime;
        }
        *state = s;
    } else {
        fs_token_unref(out->peer_token);
        out->peer_token = NULL;
        free(out->peer_name);
        out->peer_name = NULL;
        if (s != waiting)
            free_state(s);
    }
    krb_ticket_free(&t);
    krb_authenticator_free(&a);
    krb_ap_req_free(&r);
    return err;
}

/* A context whose key is RC4 protects messages with RFC 4757's tokens, one of AES with RFC 4121's
 * (doc/semantics.md §53). */
static int is_rc4(const struct krb_state *s) { return s->protect.key.etype == KRB_ETYPE_RC4; }

static fs_err sign(void *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *sig, size_t sig_len)
{
    struct krb_state *s = p;
    if (is_rc4(s))
        return krb_rc4_mic_make(&s->protect, parts, lens, n, sig, sig_len);
    return krb_mic_make(&s->protect, parts, lens, n, sig, sig_len);
}

static fs_err verify(void *p, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *sig,
                     size_t sig_len)
{
    struct krb_state *s = p;
    if (is_rc4(s))
        return krb_rc4_mic_check(&s->protect, parts, lens, n, sig, sig_len);
    return krb_mic_check(&s->protect, parts, lens, n, sig, sig_len);
}

static fs_err seal(void *p, uint32_t qop, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                   size_t n, uint8_t *sig, size_t *sig_len)
{
    struct krb_state *s = p;
    if (qop && qop != KERB_WRAP_NO_ENCRYPT)
        return FS_E_QOP_NOT_SUPPORTED;
    if (is_rc4(s) && (qop || (s->gss_flags & GSS_C_CONF_FLAG)))
        return krb_rc4_wrap(&s->protect, !qop, parts, lens, sign_only, n, sig, sig_len);
    if (qop == KERB_WRAP_NO_ENCRYPT)
        return krb_wrap_sign(&s->protect, parts, lens, n, sig, sig_len); /* SASL's security layers sign only */
    if (!(s->gss_flags & GSS_C_CONF_FLAG))
        return FS_E_NOT_SUPPORTED;
    fs_err err = krb_wrap_seal(&s->protect, parts, lens, sign_only, n, sig, *sig_len);
    if (err == FS_OK)
        *sig_len = KRB_WRAP_TRAILER + s->protect.wrap_ec;
    return err;
}

static fs_err unseal(void *p, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n,
                     const uint8_t *sig, size_t sig_len, uint32_t *qop)
{
    struct krb_state *s = p;
    if (is_rc4(s))
        return krb_rc4_unwrap(&s->protect, (s->gss_flags & GSS_C_CONF_FLAG) != 0, parts, lens, sign_only, n, sig,
                              sig_len, qop);
    /* A signed-only Wrap token is taken whatever was negotiated; a sealed one needs confidentiality. */
    if (!(s->gss_flags & GSS_C_CONF_FLAG) && sig_len >= 3 && (sig[2] & 0x02))
        return FS_E_NOT_SUPPORTED;
    return krb_wrap_unseal(&s->protect, parts, lens, sign_only, n, sig, sig_len, qop);
}

static fs_err stream_split(const void *p, const uint8_t *msg, size_t len, size_t *trailer_len)
{
    if (is_rc4(p))
        return krb_rc4_wrap_split(&((const struct krb_state *)p)->protect, msg, len, trailer_len);
    return krb_wrap_split(msg, len, trailer_len);
}

/* The ticket's principals, as Windows' Kerberos gives them to SECPKG_ATTR_NATIVE_NAMES on either side. */
static void native_names(const void *p, const char **client, const char **server)
{
    const struct krb_state *s = p;
    *client = s->client_principal;
    *server = s->server_principal;
}

const uint8_t *krb_context_pac(const void *state, size_t *len)
{
    const struct krb_state *s = state;
    *len = s && s->server ? s->pac_len : 0;
    return s && s->server ? s->pac : NULL;
}

static fs_err session_key(void *p, uint8_t *key, size_t *len)
{
    struct krb_state *s = p;
    if (*len < s->protect.key.len)
        return FS_E_INSUFFICIENT_BUFFER;
    memcpy(key, s->protect.key.bytes, s->protect.key.len);
    *len = s->protect.key.len;
    return FS_OK;
}

/* Version 2 adds an acceptor's PAC, which an imported acceptor's source name offers again (doc/semantics.md §72). */
#define KRB_EXPORT_VERSION 2
#define KRB_EXPORT_MAX_PAC (1u << 20)

static fs_err export_state(void *p, int reset, struct fs_writer *w)
{
    struct krb_state *s = p;
    fs_write_u8(w, KRB_EXPORT_VERSION);
    fs_write_u8(w, (uint8_t)s->server);
    fs_write_u32le(w, s->gss_flags);
    fs_write_u32le(w, (uint32_t)s->protect.key.etype);
    fs_write_u8(w, (uint8_t)s->protect.key.len);
    fs_write_bytes(w, s->protect.key.bytes, s->protect.key.len);
    fs_write_u8(w, (uint8_t)s->protect.acceptor_subkey);
    fs_write_u64le(w, reset ? s->first_send : s->protect.send_seq);
    fs_write_u64le(w, reset ? s->first_recv : s->protect.recv_seq);
    fs_write_u64le(w, s->first_send);
    fs_write_u64le(w, s->first_recv);
    size_t pac_len = s->server && s->pac_len <= KRB_EXPORT_MAX_PAC ? s->pac_len : 0;
    fs_write_u32le(w, (uint32_t)pac_len);
    fs_write_bytes(w, s->pac, pac_len);
    return w->failed ? FS_E_NOMEM : FS_OK;
}

static fs_err import_state(struct fs_reader *r, void **out)
{
    struct krb_state *s = fs_calloc(1, sizeof *s);
    if (!s)
        return FS_E_NOMEM;
    uint8_t version = fs_read_u8(r);
    s->server = fs_read_u8(r);
    s->gss_flags = fs_read_u32le(r);
    s->protect.key.etype = (int32_t)fs_read_u32le(r);
    s->protect.key.len = fs_read_u8(r);
    int key_ok = krb_etype_supported(s->protect.key.etype) &&
                 s->protect.key.len == krb_key_length(s->protect.key.etype);
    fs_read_bytes(r, s->protect.key.bytes, key_ok ? s->protect.key.len : 0);
    s->protect.acceptor_subkey = fs_read_u8(r);
    s->protect.send_seq = fs_read_u64le(r);
    s->protect.recv_seq = fs_read_u64le(r);
    s->first_send = fs_read_u64le(r);
    s->first_recv = fs_read_u64le(r);
    uint32_t pac_len = fs_read_u32le(r);
    const uint8_t *pac = r->failed ? NULL : fs_reader_slice(r, r->pos, pac_len);
    if (r->failed || version != KRB_EXPORT_VERSION || s->server > 1 || !key_ok || s->protect.acceptor_subkey > 1 ||
        (pac_len && (!s->server || !pac || pac_len > KRB_EXPORT_MAX_PAC))) {
        free_state(s);
        return FS_E_INVALID_TOKEN;
    }
    r->pos += pac_len;
    if (pac_len && !(s->pac = fs_malloc(pac_len))) {
        free_state(s);
        return FS_E_NOMEM;
    }
    if (pac_len)
        memcpy(s->pac, pac, s->pac_len = pac_len);
    s->protect.we_accept = s->server;
    s->protect.wrap_ec = s->gss_flags & GSS_C_DCE_STYLE ? KRB_DCE_WRAP_EC : 0;
    s->stage = DONE;
    *out = s;
    return FS_OK;
}

static void key_info(const void *state, struct fs_key_info *out)
{
    const struct krb_state *s = state;
    if (is_rc4(s)) { /* the names Windows gives RC4-HMAC's checksum and cipher (doc/semantics.md §53) */
        *out = (struct fs_key_info){"HMAC-MD5", "RSADSI RC4-HMAC(NT)", 128, (uint32_t)KRB_CKSUM_HMAC_MD5,
                                    (uint32_t)KRB_ETYPE_RC4};
        return;
    }
    int aes128 = s->protect.key.etype == KRB_ETYPE_AES128;
    *out = (struct fs_key_info){aes128 ? "HMAC-SHA1-96-AES128" : "HMAC-SHA1-96-AES256",
                                aes128 ? "AES-128-CTS-HMAC-SHA1-96" : "AES-256-CTS-HMAC-SHA1-96", aes128 ? 128 : 256,
                                (uint32_t)krb_checksum_type(s->protect.key.etype), (uint32_t)s->protect.key.etype};
}

/* An RC4 context's MIC is 37 bytes and its trailer at most 49 (doc/semantics.md §53), 45 in DCE style; a DCE-style
 * AES context's trailer is 76, its filler block included (doc/semantics.md §60). */
static void sizes(const void *state, uint32_t *max_signature, uint32_t *security_trailer)
{
    const struct krb_state *s = state;
    if (is_rc4(s)) {
        *max_signature = KRB_RC4_MIC_SIZE;
        *security_trailer = s->protect.wrap_ec ? KRB_RC4_DCE_WRAP_TRAILER : KRB_RC4_WRAP_TRAILER;
    } else if (s->protect.wrap_ec) {
        *security_trailer = KRB_WRAP_TRAILER + (uint32_t)s->protect.wrap_ec;
    }
}

static void reset(void)
{
    __atomic_store_n(&cusec_counter, 0, __ATOMIC_RELAXED);
    krb_keys_reset();
    krb_replay_reset();
    krb_ticket_cache_reset();
    krb_tgt_forget_sessions(1, 0);
}

/* AcquireCredentialsHandle's TimeStamp: the TGT's end time (doc/semantics.md §62). */
static uint64_t credential_expiry(const struct fs_identity *id, const char *package_list)
{
    (void)package_list;
    return krb_tgt_expiry(id);
}

/* A logon session's ticket cache ends with it (doc/semantics.md §49). */
static void session_ended(uint64_t logon_id)
{
    krb_ticket_cache_purge(logon_id, 0, NULL);
    krb_tgt_forget_sessions(0, logon_id);
}

const struct fs_package fs_kerberos_package = {
    .name = "Kerberos",
    .comment = "Microsoft Kerberos V1.0",
    .capabilities = 0x8F3BBF, /* doc/semantics.md §5 */
    .version = 1,
    .rpcid = 16,
    .max_token = 48000,
    .max_signature = KRB_MIC_SIZE,
    .block_size = 1,
    .security_trailer = KRB_WRAP_TRAILER,
    .client_step = client_step,
    .server_step = server_step,
    .free_state = free_state,
    .sign = sign,
    .verify = verify,
    .seal = seal,
    .unseal = unseal,
    .stream_split = stream_split,
    .session_key = session_key,
    .export_state = export_state,
    .import_state = import_state,
    .key_info = key_info,
    .sizes = sizes,
    .native_names = native_names,
    .reports_qop = 1,
    .reset = reset,
    .session_ended = session_ended,
    .credential_expiry = credential_expiry,
};
