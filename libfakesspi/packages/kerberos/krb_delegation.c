/* Kerberos delegation on the package's behalf (doc/semantics.md §54): what an acceptor keeps in the client's
 * network-logon session (a forwarded TGT, or the client's ticket as S4U2Proxy's evidence), and what the KDC would
 * grant a credential of that session: a ticket from the TGT (unconstrained), S4U2Proxy from the evidence
 * (constrained), or from an S4U logon's S4U2Self ticket (protocol transition). */
#include "krb_delegation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/utf.h"
#include "krb_cred.h"
#include "krb_keys.h"
#include "krb_ticket_cache.h"
#include "security/identity.h"

/* The key the forwarded TGT's cache entry is kept under (krb_ticket_cache_key's service_key): the KDC's. */
#define KRB_TGT_ETYPE KRB_ETYPE_AES256

/* The tickets of a logon session that could be S4U2Proxy's evidence: copies, made under the cache's lock. */
#define MAX_EVIDENCE 8
struct evidence {
    size_t n;
    char server[MAX_EVIDENCE][512];
    uint8_t *ticket[MAX_EVIDENCE];
    size_t len[MAX_EVIDENCE];
};

static int collect_evidence(const struct krb_ticket_cache_entry *e, void *arg)
{
    struct evidence *ev = arg;
    if (ev->n == MAX_EVIDENCE)
        return 1;
    if (!strncmp(e->server, "krbtgt/", 7))
        return 0; /* a TGT is no evidence */
    uint8_t *copy = fs_malloc(e->ticket->ticket_len);
    if (copy) {
        memcpy(copy, e->ticket->ticket, e->ticket->ticket_len);
        snprintf(ev->server[ev->n], sizeof ev->server[ev->n], "%s", e->server);
        ev->ticket[ev->n] = copy;
        ev->len[ev->n++] = e->ticket->ticket_len;
    }
    return 0;
}

/* msDS-AllowedToDelegateTo names target (SPNs compared case-insensitively, without "@REALM"). */
static int may_delegate_to(const struct fs_user *service, const char *target)
{
    char want[512];
    snprintf(want, sizeof want, "%s", target);
    char *at = strchr(want, '@');
    if (at)
        *at = '\0';
    for (size_t i = 0; i < service->nallowed_to_delegate_to; i++) {
        char spn[512];
        snprintf(spn, sizeof spn, "%s", service->allowed_to_delegate_to[i]);
        if ((at = strchr(spn, '@')))
            *at = '\0';
        if (!fs_ascii_casecmp(spn, want))
            return 1;
    }
    return 0;
}

/* Whether the KDC honours S4U2Proxy (MS-SFU 3.2.5.2) with this evidence: a forwardable, current ticket of client u
 * to a service whose msDS-AllowedToDelegateTo names target. */
static int honours_s4u2proxy(const struct fs_domain *d, const struct fs_user *u, const char *server,
                             const uint8_t *ticket, size_t len, const char *target)
{
    const struct fs_user *service = krb_find_service(d, server);
    if (!service || !may_delegate_to(service, target))
        return 0;
    struct krb_ap_req r;
    if (krb_parse_ticket(ticket, len, &r) != FS_OK)
        return 0;
    struct krb_key key;
    struct krb_ticket t;
    memset(&t, 0, sizeof t);
    int ok = krb_etype_supported(r.ticket_etype) && krb_user_key(d, service, r.ticket_etype, &key) == FS_OK &&
             krb_open_ticket(&r, &key, &t) == FS_OK && (t.flags & KRB_TKT_FORWARDABLE) && t.cname.n == 1 &&
             !strcmp(t.cname.parts[0], u->name) && fs_clock_now() <= t.endtime;
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    explicit_bzero(&key, sizeof key);
    return ok;
}

/* Protocol transition (MS-SFU 3.2.5.1.2): an S4U logon's session holds the KDC's S4U2Self ticket of the user to the
 * service that made the logon (the process's account, or the GSSAPI impersonator's: doc/semantics.md §78),
 * forwardable only when that account is trusted to authenticate for delegation; S4U2Proxy then takes it as evidence
 * like a client's own ticket. */
static int protocol_transition(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *u,
                               const char *target)
{
    const struct fs_user *service = NULL;
    if (id->s4u_service) {
        service = fs_domain_find_user(d, id->s4u_service);
    } else {
        struct fs_token *self = fs_process_token();
        service = self ? fs_domain_find_user_by_sid(d, &self->user) : NULL;
        fs_token_unref(self);
    }
    /* A Protected User's S4U2Self ticket is not forwardable either (MS-SFU 3.2.5.1.2, doc/semantics.md §57). */
    return service && service->trusted_to_auth_for_delegation && may_delegate_to(service, target) && !u->disabled &&
           !u->expired && !u->protected_user;
}

/* Constrained delegation (doc/semantics.md §54): with no TGT in the session, the client's ticket to a service that
 * accepted it (kept there at the accept) is S4U2Proxy's evidence. A KDC that refuses (KDC_ERR_BADOPTION) leaves the
 * session without credentials for target: SEC_E_NO_CREDENTIALS, as Windows reports a failed S4U2Proxy. */
static fs_err constrained_client(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *u,
                                 const char *target, const struct fs_user **out)
{
    struct evidence ev;
    memset(&ev, 0, sizeof ev);
    krb_ticket_cache_enumerate(id->logon_id, 0, collect_evidence, &ev);
    int ok = id->s4u_logon && protocol_transition(d, id, u, target);
    for (size_t i = 0; i < ev.n; i++) {
        ok = ok || honours_s4u2proxy(d, u, ev.server[i], ev.ticket[i], ev.len[i], target);
        free(ev.ticket[i]);
    }
    if (!ok)
        return FS_E_NO_CREDENTIALS;
    *out = u;
    return FS_OK;
}

/* A credential of a network logon's session holds no password: the client there is only what it delegated, a
 * forwarded TGT in the session's tickets, which the KDC opens with its own key when the TGT is presented in a
 * TGS-REQ. Without one, SEC_E_NO_CREDENTIALS (doc/semantics.md §54). */
fs_err krb_delegated_client(const struct fs_domain *d, const struct fs_identity *id, const char *target,
                               const struct fs_user **out)
{
    const struct fs_user *u = fs_domain_find_user(d, id->user);
    if (!u)
        return FS_E_NO_CREDENTIALS;
    char realm[256], tgs[300];
    krb_realm(d, realm, sizeof realm);
    snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
    struct krb_key kdc_key;
    fs_err err = krb_kdc_key(d, KRB_TGT_ETYPE, &kdc_key);
    if (err != FS_OK)
        return err;
    struct krb_ticket_cache_key key = {id->logon_id, d->serial, u->name, tgs, &kdc_key, 0, NULL};
    struct krb_cached_ticket tk;
    char sname[300];
    struct fs_writer ticket;
    fs_writer_init(&ticket);
    struct krb_ap_req r;
    struct krb_ticket t;
    memset(&r, 0, sizeof r);
    memset(&t, 0, sizeof t);
    if (!krb_ticket_cache_get(&key, fs_clock_now(), &ticket, &tk, sname, sizeof sname)) {
        explicit_bzero(&kdc_key, sizeof kdc_key);
        fs_writer_free(&ticket);
        return constrained_client(d, id, u, target, out);
    }
    if (ticket.failed)
        err = FS_E_NOMEM;
    if (err == FS_OK)
        err = krb_parse_ticket(ticket.data, ticket.len, &r);
    struct krb_key tgt_key; /* the KDC's key of the TGT's own etype */
    if (err == FS_OK)
        err = krb_etype_supported(r.ticket_etype) ? krb_kdc_key(d, r.ticket_etype, &tgt_key) : FS_E_NO_CREDENTIALS;
    if (err == FS_OK) {
        err = krb_open_ticket(&r, &tgt_key, &t);
        explicit_bzero(&tgt_key, sizeof tgt_key);
    }
    if (err == FS_OK && (!(t.flags & KRB_TKT_FORWARDED) || t.cname.n != 1 || strcmp(t.cname.parts[0], u->name) ||
                         u->disabled || u->expired))
        err = FS_E_NO_CREDENTIALS; /* the KDC would not honour it */
    if (err != FS_OK && err != FS_E_NOMEM)
        err = FS_E_NO_CREDENTIALS;
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    fs_writer_free(&ticket);
    explicit_bzero(&tk, sizeof tk);
    explicit_bzero(&kdc_key, sizeof kdc_key);
    if (err == FS_OK)
        *out = u;
    return err;
}

/* The KRB-CRED of the authenticator checksum, under the ticket's session key as Windows and MIT send it (or the
 * initiator's subkey, which RFC 4121 4.1.1 allows): it must forward the ticket's own client's TGT of this realm.
 * A KRB-CRED that does not open or parse is SEC_E_INVALID_TOKEN, another client's is SEC_E_LOGON_DENIED. */
fs_err krb_open_delegation(const struct krb_ticket *t, const struct krb_authenticator *a, struct krb_cred *c)
{
    fs_err err = krb_open_cred(a->deleg, a->deleg_len, &t->session_key, c);
    if (err == FS_E_MESSAGE_ALTERED && a->has_subkey)
        err = krb_open_cred(a->deleg, a->deleg_len, &a->subkey, c);
    if (err != FS_OK)
        return err == FS_E_NOMEM ? err : FS_E_INVALID_TOKEN;
    if (!krb_principal_equal(&c->pname, &t->cname) || strcmp(c->prealm, t->crealm) || strcmp(c->srealm, t->crealm) ||
        c->sname.n != 2 || strcmp(c->sname.parts[0], "krbtgt") || strcmp(c->sname.parts[1], t->crealm)) {
        krb_cred_free(c);
        return FS_E_LOGON_DENIED;
    }
    return FS_OK;
}

/* For constrained delegation Windows keeps the client's ticket to a service allowed to delegate (a non-empty
 * msDS-AllowedToDelegateTo) in the logon session the accepted context opens: S4U2Proxy's evidence, which klist there
 * shows (doc/semantics.md §54). */
void krb_keep_evidence(const struct fs_domain *d, const struct krb_ap_req *r, const uint8_t *ap_req, size_t len,
                          const struct krb_ticket *t, const struct fs_token *peer)
{
    char sname[512];
    krb_principal_format(&r->sname, sname, sizeof sname);
    const struct fs_user *service = krb_find_service(d, sname);
    const uint8_t *ticket;
    size_t ticket_len;
    struct krb_key key;
    if (!service || !service->nallowed_to_delegate_to || krb_ap_req_ticket(ap_req, len, &ticket, &ticket_len) ||
        krb_user_key(d, service, r->ticket_etype, &key) != FS_OK)
        return;
    struct krb_ticket_cache_key k = {peer->auth_id, d->serial, peer->account, sname, &key, 0, NULL};
    struct krb_cached_ticket tk = {.ticket = ticket,
                                   .ticket_len = ticket_len,
                                   .session_key = t->session_key,
                                   .flags = t->flags,
                                   .authtime = t->authtime,
                                   .starttime = t->starttime,
                                   .endtime = t->endtime,
                                   .renew_till = t->renew_till};
    krb_ticket_cache_put(&k, sname, &tk);
    explicit_bzero(&tk, sizeof tk);
    explicit_bzero(&key, sizeof key);
}

/* Windows keeps the delegated TGT in the logon session the accepted context's token opens, where a credential
 * acquired while impersonating that token finds it (doc/semantics.md §54). */
void krb_keep_delegation(const struct fs_domain *d, const struct krb_cred *c, const struct fs_token *peer)
{
    char tgs[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", c->srealm);
    struct krb_key kdc_key;
    if (krb_kdc_key(d, KRB_TGT_ETYPE, &kdc_key) != FS_OK)
        return;
    struct krb_ticket_cache_key key = {peer->auth_id, d->serial, peer->account, tgs, &kdc_key, 0, NULL};
    struct krb_cached_ticket tk = {.ticket = c->ticket,
                                   .ticket_len = c->ticket_len,
                                   .session_key = c->key,
                                   .flags = c->flags,
                                   .authtime = c->authtime,
                                   .starttime = c->starttime,
                                   .endtime = c->endtime,
                                   .renew_till = c->renew_till};
    krb_ticket_cache_put(&key, tgs, &tk);
    explicit_bzero(&tk, sizeof tk);
    explicit_bzero(&kdc_key, sizeof kdc_key);
}
