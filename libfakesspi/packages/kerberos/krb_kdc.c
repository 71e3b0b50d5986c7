/* The fake KDC's issuing: tickets with their PAC, as an Active Directory KDC makes them, and the Kerberos policy's
 * lifetimes (doc/semantics.md §62). */
#include "krb_kdc.h"

#include <nettle/memops.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/utf.h"
#include "krb_cred.h"
#include "krb_etypes.h"
#include "krb_keys.h"
#include "krb_messages.h"
#include "pac.h"
#include "security/enctypes.h"

/* What a Windows KDC issues by default: ten hours, renewable for seven days (MS-KILE 3.3.1). */
#define TICKET_LIFETIME (10ull * 3600 * FS_FILETIME_PER_SECOND)
#define RENEW_LIFETIME (7ull * 24 * 3600 * FS_FILETIME_PER_SECOND)
/* A member of Protected Users: its TGT lasts 4 hours and renews no further (MS-KILE 3.3.5.6, doc/semantics.md §57). */
#define PROTECTED_LIFETIME (4ull * 3600 * FS_FILETIME_PER_SECOND)

uint64_t krb_max_ticket_age(const struct fs_domain *d, const struct fs_user *client)
{
    if (client->protected_user)
        return PROTECTED_LIFETIME;
    return d->policy.krb_max_ticket_age ? d->policy.krb_max_ticket_age : TICKET_LIFETIME;
}

uint64_t krb_max_renew_age(const struct fs_domain *d, const struct fs_user *client)
{
    if (client->protected_user)
        return PROTECTED_LIFETIME;
    return d->policy.krb_max_renew_age ? d->policy.krb_max_renew_age : RENEW_LIFETIME;
}

uint64_t krb_now_seconds(void)
{
    uint64_t now = fs_clock_now();
    return now - now % FS_FILETIME_PER_SECOND;
}

/* Who issues a ticket: the KDC of kdc's domain, to a client of home's (the same domain but for a cross-realm
 * service ticket, doc/semantics.md §76), in the realms crealm and srealm. */
struct issuer {
    const struct fs_domain *home, *kdc;
    char *crealm, *srealm;
};

/* The ticket a KDC would issue, with the PAC it signs (MS-PAC 2.8): the ticket signature over the
 * EncTicketPart with a placeholder for the PAC, then the PAC's own signatures. t->pac is set to the signed
 * PAC in pac (free it). The client's PAC is its home domain's; the KDC's key is the issuing domain's. */
static fs_err make_pac(const struct issuer *iss, const struct fs_user *client, const struct krb_key *service_key,
                       struct krb_ticket *t, struct fs_writer *pac)
{
    struct krb_key kdc_key;
    uint32_t *rids = NULL;
    size_t nrids = 0;
    /* The domain-local groups of the service's domain, for a client of another (MS-KILE 3.3.5.7.3). */
    fs_err err = iss->home == iss->kdc ? FS_OK
                                       : fs_domain_user_resource_groups(iss->home, client, iss->kdc, &rids, &nrids);
    struct krb_pac_resource resource = {&iss->kdc->sid, rids, nrids};
    if (err == FS_OK)
        err = krb_kdc_key(iss->kdc, KRB_KDC_ETYPE, &kdc_key);
    if (err == FS_OK) /* the server's signature in the service key's checksum type (MS-PAC 2.8) */
        err = krb_pac_build_resource(iss->home, client, t->authtime, krb_checksum_type(service_key->etype),
                                     krb_checksum_type(kdc_key.etype), nrids ? &resource : NULL, pac);
    free(rids);
    struct fs_writer placeholder;
    fs_writer_init(&placeholder);
    if (err == FS_OK) {
        t->pac = pac->data;
        t->pac_len = pac->len;
        err = krb_encode_enc_ticket(t, 1, &placeholder);
    }
    if (err == FS_OK)
        err = krb_pac_sign(pac->data, pac->len, placeholder.data, placeholder.len, service_key, &kdc_key);
    if (placeholder.data)
        explicit_bzero(placeholder.data, placeholder.len); /* it holds the session key */
    fs_writer_free(&placeholder);
    explicit_bzero(&kdc_key, sizeof kdc_key);
    return err;
}

static fs_err issue(const struct issuer *iss, const struct fs_user *client, const char *spn,
                    const struct krb_key *service_key, uint32_t extra_flags, const struct krb_times *times,
                    struct fs_writer *ticket, struct krb_cached_ticket *out)
{
    const struct fs_domain *d = iss->kdc;
    /* The session key's etype: the strongest the service and the client share (doc/semantics.md §53). */
    int32_t ticket_etype, session_etype;
    fs_err err = krb_choose_etypes(client, krb_find_service(d, spn), &ticket_etype, &session_etype);
    /* A TGT's session key: the KDC holds keys of every type, so the client's strongest (doc/semantics.md §62). */
    if (!strncmp(spn, "krbtgt/", 7)) {
        session_etype = krb_strongest_etype(krb_client_enctypes(client) & FS_ENCTYPES_KNOWN);
        err = session_etype ? FS_OK : FS_E_KDC_UNKNOWN_ETYPE;
    }
    if (err != FS_OK)
        return err;
    struct krb_principal sname, cname;
    err = krb_principal_from_text(spn, strchr(spn, '/') ? KRB_NT_SRV_INST : KRB_NT_PRINCIPAL, &sname);
    if (err != FS_OK)
        return err;
    if ((err = krb_principal_from_text(client->name, KRB_NT_PRINCIPAL, &cname)) != FS_OK) {
        krb_principal_free(&sname);
        return err;
    }
    /* Protected Users: no FORWARDABLE (MS-KILE 3.3.5.1, so no delegation, doc/semantics.md §57). */
    int protected_user = client->protected_user;
    struct krb_ticket t = {
        .flags = (protected_user ? 0 : KRB_TKT_FORWARDABLE) | KRB_TKT_RENEWABLE | KRB_TKT_PRE_AUTHENT |
                 KRB_TKT_NAME_CANONICALIZE,
        .crealm = iss->crealm,
        .cname = cname,
        .authtime = times->authtime,
        .starttime = times->starttime,
        .endtime = times->endtime,
        .renew_till = times->renew_till,
    };
    /* MS-KILE 3.3.5.1: a service trusted for delegation gets OK-AS-DELEGATE (doc/semantics.md §54). */
    const struct fs_user *service = krb_find_service(d, spn);
    t.flags |= extra_flags | (service && service->trusted_for_delegation ? KRB_TKT_OK_AS_DELEGATE : 0);
    krb_random_key(session_etype, &t.session_key);
    struct fs_writer pac;
    fs_writer_init(&pac);
    err = make_pac(iss, client, service_key, &t, &pac);
    if (err == FS_OK)
        err = krb_build_ticket(&t, iss->srealm, &sname, service_key, KRB_KVNO, ticket);
    if (err == FS_OK)
        *out = (struct krb_cached_ticket){.session_key = t.session_key,
                                          .flags = t.flags,
                                          .authtime = t.authtime,
                                          .starttime = t.starttime,
                                          .endtime = t.endtime,
                                          .renew_till = t.renew_till};
    fs_writer_free(&pac);
    krb_principal_free(&sname);
    krb_principal_free(&cname);
    explicit_bzero(&t, sizeof t);
    return err;
}

fs_err krb_kdc_issue(const struct fs_domain *d, const struct fs_user *client, const char *spn, char *realm,
                     const struct krb_key *service_key, uint32_t extra_flags, const struct krb_times *times,
                     struct fs_writer *ticket, struct krb_cached_ticket *out)
{
    struct issuer iss = {d, d, realm, realm};
    return issue(&iss, client, spn, service_key, extra_flags, times, ticket, out);
}

fs_err krb_kdc_issue_cross(const struct fs_domain *home, const struct fs_domain *kdc, const struct fs_user *client,
                           const char *spn, const uint8_t *referral, size_t referral_len,
                           const struct krb_key *trust_key, const struct krb_key *service_key,
                           const struct krb_times *times, struct fs_writer *ticket, struct krb_cached_ticket *out)
{
    char crealm[256], srealm[256], tgs[300], sname[300];
    krb_realm(home, crealm, sizeof crealm);
    krb_realm(kdc, srealm, sizeof srealm);
    snprintf(tgs, sizeof tgs, "krbtgt/%s", srealm);
    struct krb_ap_req r;
    fs_err err = krb_parse_ticket(referral, referral_len, &r);
    if (err != FS_OK)
        return err;
    struct krb_ticket t;
    memset(&t, 0, sizeof t);
    /* RFC 4120 3.3.3: the referral is the client's home realm's ticket for our krbtgt, in the inter-realm key; one that
     * does not open is KRB_AP_ERR_BAD_INTEGRITY (doc/semantics.md §76). */
    krb_principal_format(&r.sname, sname, sizeof sname);
    if (fs_ascii_casecmp(r.realm, crealm) || fs_ascii_casecmp(sname, tgs) || r.ticket_etype != trust_key->etype)
        err = FS_E_LOGON_DENIED;
    if (err == FS_OK) {
        err = krb_open_ticket(&r, trust_key, &t);
        if (err == FS_E_MESSAGE_ALTERED || err == FS_E_INVALID_TOKEN)
            err = FS_E_LOGON_DENIED;
    }
    if (err == FS_OK && (t.cname.n != 1 || fs_ascii_casecmp(t.cname.parts[0], client->name) || !t.crealm ||
                         fs_ascii_casecmp(t.crealm, crealm)))
        err = FS_E_LOGON_DENIED;
    if (err == FS_OK && fs_clock_now() > t.endtime)
        err = FS_E_TIME_SKEW;
    if (err == FS_OK) {
        struct issuer iss = {home, kdc, crealm, srealm};
        struct krb_times u = *times;
        if (u.endtime > t.endtime) /* a ticket never outlives the TGT it came from */
            u.endtime = t.endtime;
        err = issue(&iss, client, spn, service_key, 0, &u, ticket, out);
    }
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    return err;
}


fs_err krb_kdc_issue_u2u(const struct fs_domain *d, const struct fs_user *client, const char *spn, char *realm,
                         const uint8_t *server_tgt, size_t tgt_len, const struct krb_times *times,
                         struct fs_writer *ticket, struct krb_cached_ticket *out, struct krb_key *tgt_key)
{
    struct krb_ap_req r;
    fs_err err = krb_parse_ticket(server_tgt, tgt_len, &r);
    if (err != FS_OK)
        return err;
    /* Only a TGT of this realm carries a key the KDC knows: another ticket, or one not of its making, is refused as
     * a ticket that does not decrypt (KRB_AP_ERR_BAD_INTEGRITY, SEC_E_LOGON_DENIED, doc/semantics.md §66). */
    char tgs[300], sname[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
    krb_principal_format(&r.sname, sname, sizeof sname);
    struct krb_key kdc_key;
    struct krb_ticket t;
    memset(&t, 0, sizeof t);
    if (fs_ascii_casecmp(r.realm, realm) || fs_ascii_casecmp(sname, tgs))
        err = FS_E_LOGON_DENIED;
    if (err == FS_OK)
        err = krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key);
    if (err == FS_OK && r.ticket_etype != kdc_key.etype) {
        explicit_bzero(&kdc_key, sizeof kdc_key);
        err = FS_E_LOGON_DENIED;
    }
    if (err == FS_OK) {
        err = krb_open_ticket(&r, &kdc_key, &t);
        if (err == FS_E_MESSAGE_ALTERED || err == FS_E_INVALID_TOKEN)
            err = FS_E_LOGON_DENIED;
        explicit_bzero(&kdc_key, sizeof kdc_key);
    }
    /* KRB_AP_ERR_TKT_EXPIRED, which Windows' client reports as STATUS_TIME_DIFFERENCE_AT_DC (doc/semantics.md §66). */
    if (err == FS_OK && fs_clock_now() > t.endtime)
        err = FS_E_TIME_SKEW;
    /* RFC 4120 3.3.3: the TGT must be the server's own: its client is the account that holds the SPN
     * (KDC_ERR_SERVER_NOMATCH otherwise). */
    const struct fs_user *service = krb_find_service(d, spn);
    if (err == FS_OK && (t.cname.n != 1 || !service || fs_domain_find_user(d, t.cname.parts[0]) != service ||
                         !t.crealm || fs_ascii_casecmp(t.crealm, realm)))
        err = FS_E_WRONG_PRINCIPAL;
    if (err == FS_OK) {
        /* A user-to-user ticket ends no later than the TGT whose session key it is encrypted in. */
        struct krb_times u = *times;
        if (u.endtime > t.endtime)
            u.endtime = t.endtime;
        *tgt_key = t.session_key;
        err = krb_kdc_issue(d, client, spn, realm, &t.session_key, 0, &u, ticket, out);
    }
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    return err;
}
