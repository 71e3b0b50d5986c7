/* SPNEGO and Kerberos tokens explained field by field, for the tools: OIDs, enctypes and flags by name, times
 * as dates, inner tokens explained in turn. What is encrypted is shown as such; with the current domain
 * (gss_explain_use_domain) or a keytab an AP-REQ's ticket and authenticator are opened with the service's key,
 * and the keys they carry open the AP-REP, MIC and Wrap tokens after them and a delegated KRB-CRED, with the
 * library's own Kerberos code (packages/kerberos). The KDC's messages are kdc_explain.c's, which borrows the
 * printing and ticket opening here (krb_print.h). Malformed input: the byte offset and what is wrong there. */
#include "gss_explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_out.h"
#include "kdc_explain.h"
#include "keytab_read.h"
#include "krb_print.h"
#include "ntlm_explain.h"
#include <time.h>

#include "core/clock.h"
#include "packages/der.h"
#include "packages/kerberos/pac.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/negotiate/spnego.h"
#include "security/domain_current.h"
#include "security/sid.h"

/* Set while explaining a TGS-REQ's PA-TGS-REQ: its authenticator is in usage 7, not 11. */
static int in_tgs_req;

int gx_failed(const struct der_error *e, size_t base)
{
    return xo_error(base + e->offset, "%s", e->what ? e->what : "malformed");
}

const char *gx_etype_name(int32_t e)
{
    switch (e) {
    case 17: return "aes128-cts-hmac-sha1-96";
    case 18: return "aes256-cts-hmac-sha1-96";
    case 19: return "aes128-cts-hmac-sha256-128";
    case 20: return "aes256-cts-hmac-sha384-192";
    case 23: return "rc4-hmac";
    case 24: return "rc4-hmac-exp";
    case 1: return "des-cbc-crc";
    case 3: return "des-cbc-md5";
    case 16: return "des3-cbc-sha1";
    case 25: return "camellia128-cts-cmac";
    case 26: return "camellia256-cts-cmac";
    default: return "unknown enctype";
    }
}

const char *gx_name_type(int32_t t)
{
    switch (t) {
    case 0: return "NT-UNKNOWN";
    case 1: return "NT-PRINCIPAL";
    case 2: return "NT-SRV-INST";
    case 3: return "NT-SRV-HST";
    case 10: return "NT-ENTERPRISE";
    default: return "other name type";
    }
}

static const char *krb_error_name(int64_t code)
{
    switch (code) {
    case 6: return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
    case 7: return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
    case 24: return "KDC_ERR_PREAUTH_FAILED";
    case 25: return "KDC_ERR_PREAUTH_REQUIRED";
    case 31: return "KRB_AP_ERR_BAD_INTEGRITY";
    case 32: return "KRB_AP_ERR_TKT_EXPIRED";
    case 33: return "KRB_AP_ERR_TKT_NYV";
    case 34: return "KRB_AP_ERR_REPEAT";
    case 35: return "KRB_AP_ERR_NOT_US";
    case 36: return "KRB_AP_ERR_BADMATCH";
    case 37: return "KRB_AP_ERR_SKEW";
    case 41: return "KRB_AP_ERR_MODIFIED";
    case 60: return "KRB_ERR_GENERIC";
    default: return "see RFC 4120 7.5.9";
    }
}

void gx_print_principal(int depth, const char *label, const struct krb_principal *p)
{
    char text[512];
    krb_principal_format(p, text, sizeof text);
    xo_field(depth, label, "%s (%s)", text, gx_name_type(p->type));
}

static void print_ap_options(uint32_t opts)
{
    xo_field(1, "ap-options", "0x%08x%s%s%s", opts, opts & 0x40000000u ? " use-session-key" : "",
             (opts & 0x40000000u) && (opts & KRB_AP_MUTUAL_REQUIRED) ? " |" : "",
             opts & KRB_AP_MUTUAL_REQUIRED ? " mutual-required" : !(opts & 0x40000000u) ? " (none)" : "");
}


/* ---- with the domain's keys: the ticket, the authenticator, the AP-REP and the per-message tokens ---- */

int gss_explain_use_domain;

/* What the conversation's AP-REQ and AP-REP taught: the keys RFC 4121 protects messages with. */
static struct {
    int have_session;
    struct krb_key session_key;
    struct krb_key initiator_key; /* the authenticator's subkey, else the session key */
    int have_protect;
    struct krb_key protect_key;   /* the AP-REP's subkey, else initiator_key */
    int acceptor_subkey;
} kconv;

void gx_print_time(int depth, const char *label, uint64_t ft)
{
    struct tm tm;
    char text[64] = "?";
    if (ft && fs_filetime_to_tm(ft, &tm) == 0)
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xo_field(depth, label, "%s", ft ? text : "(none)");
}

void gx_print_key(int depth, const char *label, const struct krb_key *k)
{
    char hex[2 * 32 + 1] = "";
    for (size_t i = 0; i < k->len && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", k->bytes[i]);
    xo_field(depth, label, "%s (%d) %s", gx_etype_name(k->etype), k->etype, hex);
}

void gx_print_kerberos_flags(int depth, const char *label, uint32_t f, const char *const *names, unsigned nnames)
{
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "0x%08x", f);
    const char *sep = " ";
    for (unsigned bit = 0; bit < nnames && n < sizeof text; bit++)
        if (f & (0x80000000u >> bit)) {
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", sep, names[bit]);
            sep = " | ";
        }
    xo_field(depth, label, "%s", text);
}

void gx_print_ticket_flags(int depth, uint32_t f)
{
    static const char *const names[] = {"reserved", "forwardable", "forwarded", "proxiable", "proxy",
                                        "may-postdate", "postdated", "invalid", "renewable", "initial",
                                        "pre-authent", "hw-authent", "transited-policy-checked", "ok-as-delegate",
                                        "14", "name-canonicalize"};
    gx_print_kerberos_flags(depth, "flags", f, names, sizeof names / sizeof *names);
}

static void print_sid(const struct fs_domain *d, int depth, const char *label, const struct fs_sid *sid)
{
    char text[256];
    fs_sid_format(sid, text, sizeof text);
    const struct fs_user *u = d ? fs_domain_find_user_by_sid(d, sid) : NULL;
    const struct fs_group *g = !u && d ? fs_domain_find_group_by_sid(d, sid) : NULL;
    if (u || g)
        xo_field(depth, label, "%s (%s\\%s)", text, d->netbios, u ? u->name : g->name);
    else
        xo_field(depth, label, "%s", text);
}

static void print_gss_flags(uint32_t f)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{GSS_C_DELEG_FLAG, "DELEG"},        {GSS_C_MUTUAL_FLAG, "MUTUAL"}, {GSS_C_REPLAY_FLAG, "REPLAY"},
                 {GSS_C_SEQUENCE_FLAG, "SEQUENCE"}, {GSS_C_CONF_FLAG, "CONF"},     {GSS_C_INTEG_FLAG, "INTEG"},
                 {0x1000, "DCE_STYLE"},             {0x2000, "IDENTIFY"},          {0x4000, "EXTENDED_ERROR"}};
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "0x%08x", f);
    const char *sep = " ";
    for (size_t i = 0; i < sizeof names / sizeof *names && n < sizeof text; i++)
        if (f & names[i].bit) {
            n += (size_t)snprintf(text + n, sizeof text - n, "%sGSS_C_%s_FLAG", sep, names[i].name);
            sep = " | ";
        }
    xo_field(3, "flags", "%s", text);
    if (f & 0x1000) /* GSS_C_DCE_STYLE (ISC_REQ_USE_DCE_STYLE) */
        xo_field(3, "DCE style", "three legs (MS-KILE 3.4.5.1): this bare AP-REQ; the server's bare AP-REP "
                                 "(SEC_I_CONTINUE_NEEDED); the client's own AP-REP (SEC_E_OK on both sides)");
}

/* Opens r's ticket with a key of the keytab (--keytab: the named service's first, then any of the enctype,
 * as Wireshark does) or of the domain (the service account registering the SPN). Prints what happened at
 * depth; 1 with *t filled and a description of the key in whose when it opened. */
static int open_ticket_with_keys(const struct krb_ap_req *r, const struct fs_domain *d, int depth,
                                 struct krb_ticket *t, char *whose, size_t cap)
{
    char sname[512], want[600];
    krb_principal_format(&r->sname, sname, sizeof sname);
    snprintf(want, sizeof want, "%s@%s", sname, r->realm);
    int tried = 0;
    size_t nk;
    const struct keytab_entry *k = keytab_entries(&nk);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nk; i++) {
            if (k[i].key.etype != r->ticket_etype || !strcasecmp(k[i].principal, want) != !pass)
                continue;
            tried = 1;
            if (krb_open_ticket(r, &k[i].key, t) == FS_OK) {
                snprintf(whose, cap, "the keytab's %s key (%s, kvno %u)", k[i].principal, gx_etype_name(k[i].key.etype),
                         k[i].kvno);
                return 1;
            }
        }
    char realm[256] = "";
    const struct fs_user *service = NULL;
    int kdc = 0; /* krbtgt/REALM: the TGT, in the KDC's key */
    if (d && gss_explain_use_domain) {
        krb_realm(d, realm, sizeof realm);
        if (!strcmp(r->realm, realm)) {
            kdc = r->sname.n == 2 && !strcmp(r->sname.parts[0], "krbtgt") && !strcasecmp(r->sname.parts[1], realm);
            service = kdc ? NULL : krb_find_service(d, sname);
        }
    }
    const char *owner = kdc ? "krbtgt" : service ? service->name : NULL;
    struct krb_key key;
    if (owner && krb_etype_supported(r->ticket_etype) &&
        (kdc ? krb_kdc_key(d, r->ticket_etype, &key) : krb_user_key(d, service, r->ticket_etype, &key)) == FS_OK) {
        int opened = krb_open_ticket(r, &key, t) == FS_OK;
        explicit_bzero(&key, sizeof key);
        if (opened) {
            snprintf(whose, cap, "%s\\%s's key (%s, kvno %d)", d->netbios, owner, gx_etype_name(r->ticket_etype),
                     KRB_KVNO);
            return 1;
        }
        xo_field(depth, "decrypted", "FAILED: %s's key does not open the ticket (KRB_AP_ERR_MODIFIED)", owner);
        xo_check_failed = 1;
        return 0;
    }
    if (tried) {
        xo_field(depth, "decrypted", "FAILED: no key of the keytab opens the ticket (KRB_AP_ERR_MODIFIED)");
        xo_check_failed = 1;
    } else if (d && gss_explain_use_domain && !owner) {
        xo_field(depth, "decrypted", "no: the domain %s has no service %s%s", realm, want,
                 nk ? ", nor the keytab a key of its enctype" : "");
    } else if (owner) {
        xo_field(depth, "decrypted", "no: %s is not an enctype the domain keeps", gx_etype_name(r->ticket_etype));
    } else if (nk) {
        xo_field(depth, "decrypted", "no: the keytab has no %s key", gx_etype_name(r->ticket_etype));
    }
    return 0;
}

static const char *pac_buffer_name(uint32_t type)
{
    switch (type) {
    case PAC_LOGON_INFO: return "logon information";
    case PAC_SERVER_CHECKSUM: return "server signature";
    case PAC_PRIVSVR_CHECKSUM: return "KDC signature";
    case PAC_CLIENT_INFO: return "client information";
    case PAC_UPN_DNS_INFO: return "UPN and DNS information";
    case PAC_TICKET_CHECKSUM: return "ticket signature";
    case PAC_FULL_CHECKSUM: return "full PAC signature";
    default: return "not read here";
    }
}

/* The PAC (MS-PAC) in the ticket's authorization data: the buffers, then what the logon information says. */
static void print_pac(const struct fs_domain *d, int depth, const uint8_t *bytes, size_t len)
{
    struct krb_pac pac;
    memset(&pac, 0, sizeof pac);
    if (krb_pac_parse(bytes, len, &pac) != FS_OK) {
        xo_field(depth, "PAC", "%zu bytes, malformed", len);
        return;
    }
    xo_field(depth, "PAC", "%zu bytes in AD-IF-RELEVANT / AD-WIN2K-PAC (ad-type %d), %zu buffers", len,
             KRB_AD_WIN2K_PAC, pac.nbuffers);
    for (size_t i = 0; i < pac.nbuffers; i++) {
        char label[32];
        snprintf(label, sizeof label, "buffer %zu", i + 1);
        xo_field(depth + 1, label, "type %u, %s", pac.types[i], pac_buffer_name(pac.types[i]));
    }
    if (pac.has_logon) {
        const struct krb_pac_logon *l = &pac.logon;
        struct fs_sid sid;
        xo_field(depth + 1, "logon domain", "%s", l->logon_domain ? l->logon_domain : "");
        fs_sid_append(&sid, &l->domain_sid, l->user_rid);
        print_sid(d, depth + 1, "user", &sid);
        fs_sid_append(&sid, &l->domain_sid, l->primary_rid);
        print_sid(d, depth + 1, "primary group", &sid);
        for (size_t i = 0; i < l->ngroups; i++) {
            char label[32];
            snprintf(label, sizeof label, "group %zu", i + 1);
            fs_sid_append(&sid, &l->domain_sid, l->groups[i].rid);
            print_sid(d, depth + 1, label, &sid);
        }
        for (size_t i = 0; i < l->nextra; i++) {
            char label[32];
            snprintf(label, sizeof label, "extra SID %zu", i + 1);
            print_sid(d, depth + 1, label, &l->extra[i].sid);
        }
    }
    if (pac.has_upn)
        xo_field(depth + 1, "UPN", "%s (DNS domain %s)", pac.upn ? pac.upn : "", pac.dns_domain ? pac.dns_domain : "");
    krb_pac_free(&pac);
}

static void print_opened_ticket(const struct fs_domain *d, int depth, const struct krb_ticket *t, const char *whose)
{
    char cname[512];
    krb_principal_format(&t->cname, cname, sizeof cname);
    xo_field(depth, "ticket, decrypted", "with %s", whose);
    xo_field(depth + 1, "client", "%s@%s (%s)", cname, t->crealm, gx_name_type(t->cname.type));
    gx_print_ticket_flags(depth + 1, t->flags);
    gx_print_time(depth + 1, "authtime", t->authtime);
    gx_print_time(depth + 1, "starttime", t->starttime);
    gx_print_time(depth + 1, "endtime", t->endtime);
    if (t->renew_till)
        gx_print_time(depth + 1, "renew-till", t->renew_till);
    gx_print_key(depth + 1, "session key", &t->session_key);
    if (t->pac)
        print_pac(d, depth + 1, t->pac, t->pac_len);
}

/* A ticket seen in a KDC message or a KRB-CRED, opened when a key fits. */
void gx_open_bare_ticket(const char *realm, const struct krb_principal *sname, int32_t etype, uint32_t kvno,
                             const uint8_t *cipher, size_t len, int depth)
{
    size_t nk;
    (void)keytab_entries(&nk);
    if (!gss_explain_use_domain && !nk)
        return;
    struct krb_ap_req r;
    memset(&r, 0, sizeof r);
    char realm_copy[256];
    snprintf(realm_copy, sizeof realm_copy, "%s", realm);
    r.realm = realm_copy;
    r.sname = *sname;
    r.ticket_etype = etype;
    r.ticket_kvno = kvno;
    r.ticket_cipher = cipher;
    r.ticket_cipher_len = len;
    const struct fs_domain *d = gss_explain_use_domain ? fs_domain_acquire() : NULL;
    struct krb_ticket t;
    memset(&t, 0, sizeof t);
    char whose[400];
    if (open_ticket_with_keys(&r, d, depth, &t, whose, sizeof whose))
        print_opened_ticket(d, depth, &t, whose);
    krb_ticket_free(&t);
    if (gss_explain_use_domain)
        fs_domain_release();
}

static void print_authenticator(const struct krb_authenticator *a)
{
    char cname[512];
    krb_principal_format(&a->cname, cname, sizeof cname);
    xo_field(2, "client", "%s@%s", cname, a->crealm);
    gx_print_time(2, "ctime", a->ctime);
    xo_field(2, "cusec", "%u", a->cusec);
    if (a->has_gss_checksum) {
        xo_field(2, "checksum", "0x%x (RFC 4121 4.1.1, the GSS-API checksum)", KRB_CKSUM_GSSAPI);
        print_gss_flags(a->gss_flags);
        static const uint8_t zero[16];
        if (memcmp(a->bindings_hash, zero, 16))
            xo_hex(3, "channel bindings", a->bindings_hash, 16);
        else
            xo_field(3, "channel bindings", "none (16 zero bytes)");
    }
    if (a->has_subkey)
        gx_print_key(2, "subkey", &a->subkey);
    if (a->has_seq)
        xo_field(2, "seq-number", "%u", a->seq);
}

/* The KRB-CRED a delegating client puts in the checksum (RFC 4121 4.1.1), explained with the keys just learnt. */
static void explain_delegation(const struct krb_authenticator *a)
{
    xo_inner(2, "Deleg (KRB-CRED, the forwarded TGT; offsets count from its start)", 0, a->deleg_len);
    (void)gss_explain_at(a->deleg, a->deleg_len, 0);
}

/* The ticket opened with the service's key (the keytab's or the domain's), and the authenticator with the
 * ticket's session key (RFC 4120 5.3, 5.5.1; the checksum RFC 4121 4.1.1). In a TGS-REQ's PA-TGS-REQ the
 * authenticator is in usage 7 (RFC 4120 7.5.1), and the client's view serves too: the session key the AS-REP
 * gave, when the TGT itself does not open. */
static void open_ap_req(const struct krb_ap_req *r)
{
    size_t nk;
    (void)keytab_entries(&nk);
    struct krb_key as_key;
    int client_key = in_tgs_req && kdc_as_session_key(&as_key);
    if (!gss_explain_use_domain && !nk && !(in_tgs_req && kdc_have_key_source()))
        return;
    if ((r->ap_options & KRB_AP_USE_SESSION_KEY) && !in_tgs_req) {
        xo_field(1, "ticket, decrypted", "needs the session key of the server's TGT (user-to-user), not a service key");
        return;
    }
    const struct fs_domain *d = gss_explain_use_domain ? fs_domain_acquire() : NULL;
    struct krb_ticket t;
    struct krb_authenticator a;
    memset(&t, 0, sizeof t);
    memset(&a, 0, sizeof a);
    char whose[400];
    int opened = open_ticket_with_keys(r, d, 1, &t, whose, sizeof whose);
    if (opened)
        print_opened_ticket(d, 1, &t, whose);
    const struct krb_key *session = opened ? &t.session_key : client_key ? &as_key : NULL;
    const char *key_name = opened ? "the ticket's session key" : "the AS-REP's session key";
    uint32_t usage = in_tgs_req ? KRB_USAGE_TGS_REQ_AUTH : KRB_USAGE_AUTHENTICATOR;
    if (session && krb_open_authenticator_usage(r, session, usage, &a) != FS_OK) {
        xo_field(1, "authenticator, decrypted", "FAILED: %s does not open it", key_name);
        xo_check_failed = 1;
    } else if (session) {
        xo_field(1, "authenticator, decrypted", "with %s (usage %u)", key_name, (unsigned)usage);
        print_authenticator(&a);
        if (in_tgs_req) {
            kdc_remember_tgs(session, a.has_subkey ? &a.subkey : NULL);
        } else {
            kconv.session_key = *session;
            kconv.initiator_key = a.has_subkey ? a.subkey : *session;
            kconv.have_session = 1;
            kconv.protect_key = kconv.initiator_key;
            kconv.acceptor_subkey = 0;
            kconv.have_protect = 1;
            if (a.deleg)
                explain_delegation(&a);
        }
    } else if (in_tgs_req) {
        xo_field(1, "authenticator", "needs the TGT's session key: give the AS-REP before it, or the krbtgt key");
    }
    explicit_bzero(&as_key, sizeof as_key);
    krb_authenticator_free(&a);
    krb_ticket_free(&t);
    if (gss_explain_use_domain)
        fs_domain_release();
}

int gx_ap_keys(struct krb_key *session, struct krb_key *initiator)
{
    if (!kconv.have_session)
        return 0;
    *session = kconv.session_key;
    *initiator = kconv.initiator_key;
    return 1;
}

int gx_explain_tgs_ap_req(const uint8_t *p, size_t n, size_t base)
{
    in_tgs_req = 1;
    int rc = gss_explain_at(p, n, base);
    in_tgs_req = 0;
    return rc;
}

/* The AP-REP opened with the session key the AP-REQ before it carried (RFC 4120 5.5.2). */
static void open_ap_rep(const uint8_t *p, size_t n)
{
    if (!kconv.have_session) {
        if (gss_explain_use_domain)
            xo_field(1, "decrypted", "needs the session key: give the AP-REQ before it");
        return;
    }
    struct krb_ap_rep_part rep;
    if (krb_open_ap_rep(p, n, &kconv.session_key, &rep) != FS_OK) {
        xo_field(1, "decrypted", "FAILED: the AP-REQ's session key does not open it");
        xo_check_failed = 1;
        return;
    }
    /* A second AP-REP, without a subkey, after the server's: DCE style's third leg (MS-KILE 3.4.5.1). */
    int third_leg = kconv.have_protect && kconv.acceptor_subkey && !rep.has_subkey;
    xo_field(1, "enc-part, decrypted", "with the ticket's session key (usage 12)");
    if (third_leg)
        xo_field(1, "DCE style", "the client's own AP-REP, the third leg: its seq-number echoes the server's, and "
                                 "messages stay under the server's subkey");
    gx_print_time(2, "ctime", rep.ctime);
    xo_field(2, "cusec", "%u", rep.cusec);
    if (rep.has_subkey)
        gx_print_key(2, "subkey", &rep.subkey);
    if (rep.has_seq)
        xo_field(2, "seq-number", "%u", rep.seq);
    if (!third_leg) {
        kconv.protect_key = rep.has_subkey ? rep.subkey : kconv.initiator_key;
        kconv.acceptor_subkey = rep.has_subkey;
        kconv.have_protect = 1;
    }
    explicit_bzero(&rep, sizeof rep);
}

/* RFC 4121 4.2.6: MIC tokens start 04 04, Wrap tokens 05 04. */
static int is_per_message(const uint8_t *p, size_t n)
{
    return n >= 16 && (p[0] == 4 || p[0] == 5) && p[1] == 4;
}

/* Checks (MIC) or opens (Wrap) with the conversation's key as the receiver would: a copy per try. */
static void open_per_message(const uint8_t *p, size_t n, int wrap, uint8_t flags)
{
    if (!kconv.have_protect) {
        xo_field(1, "check", "needs the key: give the Kerberos exchange before it");
        return;
    }
    size_t tok_len = wrap ? KRB_WRAP_TRAILER : KRB_MIC_SIZE;
    if (wrap && krb_wrap_split(p, n, &tok_len) != FS_OK)
        tok_len = KRB_WRAP_TRAILER;
    if (tok_len > n) {
        xo_field(1, "check", "the token is shorter than its %zu-byte header and checksum", tok_len);
        return;
    }
    size_t dn = n - tok_len;
    uint8_t *data = malloc(dn ? dn : 1);
    if (!data)
        return;
    memcpy(data, p + tok_len, dn);
    struct krb_protect pr;
    memset(&pr, 0, sizeof pr);
    pr.key = kconv.protect_key;
    pr.acceptor_subkey = kconv.acceptor_subkey;
    pr.we_accept = !(flags & 1); /* the receiver of what the initiator sent is the acceptor */
    pr.recv_seq = 0;
    for (int i = 8; i < 16; i++)
        pr.recv_seq = pr.recv_seq << 8 | p[i];
    uint8_t *parts[1] = {data};
    size_t lens[1] = {dn};
    uint32_t qop = 0;
    fs_err err = wrap ? krb_wrap_unseal(&pr, parts, lens, NULL, 1, p, tok_len, &qop)
                      : krb_mic_check(&pr, parts, lens, 1, p, tok_len);
    const char *who = flags & 1 ? "the acceptor" : "the initiator";
    if (err != FS_OK) {
        xo_field(1, "check", "FAILED with the %s key: altered, or another context's", kconv.acceptor_subkey ?
                 "acceptor's subkey" : "initiator's");
        xo_check_failed = 1;
    } else {
        xo_field(1, "check", "verified: %s by %s, with the %s (%s)", wrap ? (flags & 2 ? "sealed" : "signed") : "signed",
                 who, kconv.acceptor_subkey ? "acceptor's subkey from the AP-REP" : "initiator's key",
                 gx_etype_name(kconv.protect_key.etype));
        int text = 1;
        for (size_t i = 0; i < dn; i++)
            text &= data[i] >= 0x20 && data[i] < 0x7f;
        if (dn && text)
            xo_field(1, wrap && (flags & 2) ? "decrypted" : "message", "\"%.*s\"", (int)dn, (const char *)data);
        else if (dn)
            xo_hex(1, wrap && (flags & 2) ? "decrypted" : "message", data, dn);
    }
    explicit_bzero(&pr, sizeof pr);
    free(data);
}

static int explain_per_message(const uint8_t *p, size_t n)
{
    int wrap = p[0] == 5;
    uint8_t flags = p[2];
    xo_message("Kerberos %s token (RFC 4121 4.2.6.%d), %zu bytes", wrap ? "Wrap" : "MIC", wrap ? 2 : 1, n);
    xo_field_at(1, "TOK_ID", 0, 2, "%02x%02x (%s)", p[0], p[1], wrap ? "Wrap: EncryptMessage" : "MIC: MakeSignature");
    xo_field_at(1, "flags", 2, 1, "0x%02x%s%s%s", flags, flags & 1 ? " SentByAcceptor" : " (sent by the initiator)",
                flags & 2 ? " Sealed" : "", flags & 4 ? " AcceptorSubkey" : "");
    if (wrap) {
        xo_field_at(1, "filler", 3, 1, "0x%02x", p[3]);
        xo_field_at(1, "EC", 4, 2, "%u (extra count: %s)", p[4] << 8 | p[5],
                    flags & 2 ? "filler bytes before the encrypted header" : "checksum length");
        xo_field_at(1, "RRC", 6, 2, "%u (right rotation count: the trailer moved before the data, MS-KILE 3.4.5.4)",
                    p[6] << 8 | p[7]);
    } else {
        xo_field_at(1, "filler", 3, 5, "%02x%02x%02x%02x%02x", p[3], p[4], p[5], p[6], p[7]);
    }
    uint64_t seq = 0;
    for (int i = 8; i < 16; i++)
        seq = seq << 8 | p[i];
    xo_field_at(1, "SND_SEQ", 8, 8, "%llu", (unsigned long long)seq);
    if (!wrap)
        xo_hex(1, "SGN_CKSUM", p + 16, (n < KRB_MIC_SIZE ? n : KRB_MIC_SIZE) - 16);
    else
        xo_field_at(1, flags & 2 ? "encrypted" : "data and checksum", 16, n - 16,
                    flags & 2 ? "confounder, data, header copy and checksum, rotated" : "the data, then its checksum");
    if (!wrap && n > KRB_MIC_SIZE)
        xo_field_at(1, "message", KRB_MIC_SIZE, n - KRB_MIC_SIZE, "what the MIC covers");
    open_per_message(p, n, wrap, flags);
    return 0;
}
static int explain_ap_req(const uint8_t *p, size_t n, size_t base)
{
    struct krb_ap_req r;
    struct der_error e;
    if (krb_parse_ap_req(p, n, &r, &e) != FS_OK)
        return gx_failed(&e, base);
    xo_field(1, "pvno", "5");
    xo_field(1, "msg-type", "14 (KRB_AP_REQ)");
    print_ap_options(r.ap_options);
    xo_field(1, "ticket", NULL);
    xo_field(2, "realm", "%s", r.realm);
    gx_print_principal(2, "sname", &r.sname);
    xo_field_at(2, "enc-part", base + (size_t)(r.ticket_cipher - p), r.ticket_cipher_len,
                "%s (%d), kvno %u, encrypted in %s (usage 2)", gx_etype_name(r.ticket_etype), r.ticket_etype,
                r.ticket_kvno,
                r.ap_options & KRB_AP_USE_SESSION_KEY ? "the session key of the server's TGT (user-to-user)"
                                                      : "the service's key");
    xo_field_at(1, "authenticator", base + (size_t)(r.auth_cipher - p), r.auth_cipher_len,
                "%s (%d), encrypted in the ticket's session key (usage %d)", gx_etype_name(r.auth_etype), r.auth_etype,
                in_tgs_req ? 7 : 11);
    open_ap_req(&r);
    krb_ap_req_free(&r);
    return 0;
}

/* User-to-user's KERB-TGT-REQUEST and KERB-TGT-REPLY (draft-swift-win2k-krb-user2user 3, doc/semantics.md §66). */
static int explain_tgt_request(const uint8_t *p, size_t n, size_t base)
{
    struct krb_tgt_request r;
    struct der_error e;
    if (krb_parse_tgt_request(p, n, &r, &e) != FS_OK)
        return gx_failed(&e, base);
    xo_field(1, "pvno", "5");
    xo_field(1, "msg-type", "16 (KRB_TGT_REQ)");
    if (r.has_sname)
        gx_print_principal(1, "server-name", &r.sname);
    if (r.realm)
        xo_field(1, "realm", "%s", r.realm);
    xo_field(1, "user-to-user", "the server answers its TGT in a KERB-TGT-REPLY (0x0401); the client's AP-REQ then "
                                "carries a ticket in that TGT's session key, with use-session-key");
    krb_tgt_request_free(&r);
    return 0;
}

static int explain_tgt_reply(const uint8_t *p, size_t n, size_t base)
{
    const uint8_t *ticket;
    size_t ticket_len;
    struct der_error e;
    if (krb_parse_tgt_reply(p, n, &ticket, &ticket_len, &e) != FS_OK)
        return gx_failed(&e, base);
    struct krb_ap_req r;
    if (krb_parse_ticket(ticket, ticket_len, &r) != FS_OK)
        return xo_error(base + (size_t)(ticket - p), "the KERB-TGT-REPLY's ticket is malformed");
    xo_field(1, "pvno", "5");
    xo_field(1, "msg-type", "17 (KRB_TGT_REP)");
    xo_field(1, "ticket", "the server's TGT");
    xo_field(2, "realm", "%s", r.realm);
    gx_print_principal(2, "sname", &r.sname);
    xo_field_at(2, "enc-part", base + (size_t)(r.ticket_cipher - p), r.ticket_cipher_len,
                "%s (%d), kvno %u, encrypted in krbtgt's key (usage 2)", gx_etype_name(r.ticket_etype),
                r.ticket_etype, r.ticket_kvno);
    krb_ap_req_free(&r);
    return 0;
}

static int explain_ap_rep(const uint8_t *p, size_t n, size_t base)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der app = der_enter(&d, DER_APP(15));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    struct der f0 = der_enter(&seq, DER_CTX(0));
    int64_t pvno = der_read_int(&f0);
    struct der f1 = der_enter(&seq, DER_CTX(1));
    int64_t type = der_read_int(&f1);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    int32_t etype = 0;
    uint32_t kvno;
    int has_kvno;
    struct der cipher = {0};
    if (der_ok(&d) && krb_parse_encrypted_data(&f2, &etype, &kvno, &has_kvno, &cipher) != FS_OK)
        return gx_failed(&e, base);
    der_expect_end(&seq);
    if (!der_ok(&d))
        return gx_failed(&e, base);
    xo_field(1, "pvno", "%lld", (long long)pvno);
    xo_field(1, "msg-type", "%lld (KRB_AP_REP)", (long long)type);
    xo_field_at(1, "enc-part", base + (size_t)(cipher.p - p), cipher.len,
                "%s (%d), encrypted in the session key (usage 12): ctime, cusec, subkey, seq-number",
                gx_etype_name(etype), etype);
    open_ap_rep(p, n);
    return 0;
}

static int explain_krb_error(const uint8_t *p, size_t n, size_t base)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der app = der_enter(&d, DER_APP(30));
    struct der seq = der_enter(&app, DER_SEQUENCE);
    int64_t code = -1;
    char *etext = NULL, *crealm = NULL, *realm = NULL;
    uint64_t stime = 0;
    struct krb_principal cname = {0}, sname = {0};
    int has_cname = 0, has_sname = 0;
    struct der edata = {0};
    int has_edata = 0;
    for (unsigned tag = 0; tag <= 12 && der_ok(&d); tag++) {
        struct der f;
        if (!der_enter_optional(&seq, (uint8_t)DER_CTX(tag), &f))
            continue;
        if (tag == 4)
            stime = der_read_time(&f);
        else if (tag == 6)
            code = der_read_int(&f);
        else if (tag == 7)
            crealm = der_read_string(&f);
        else if (tag == 8)
            has_cname = krb_parse_principal(&f, &cname) == FS_OK;
        else if (tag == 9)
            realm = der_read_string(&f);
        else if (tag == 10)
            has_sname = krb_parse_principal(&f, &sname) == FS_OK;
        else if (tag == 11)
            etext = der_read_string(&f);
        else if (tag == 12) {
            edata = der_read_octets(&f);
            has_edata = 1;
        }
    }
    if (der_ok(&d)) {
        char when[16] = "?";
        der_time_format(stime, when);
        xo_field(1, "msg-type", "30 (KRB_ERROR)");
        xo_field(1, "stime", "%s", when);
        xo_field(1, "error-code", "%lld %s", (long long)code, krb_error_name(code));
        if (etext)
            xo_field(1, "e-text", "%s", etext);
        if (crealm)
            xo_field(1, "crealm", "%s", crealm);
        if (has_cname)
            gx_print_principal(1, "cname", &cname);
        if (realm)
            xo_field(1, "realm", "%s", realm);
        if (has_sname)
            gx_print_principal(1, "sname", &sname);
        if (has_edata) {
            /* METHOD-DATA (a SEQUENCE OF PA-DATA) after KDC_ERR_PREAUTH_REQUIRED; else shown as bytes. */
            struct der_error pe;
            struct der pd;
            der_init(&pd, edata.p, edata.len, &pe);
            if (kdc_is_padata_list(edata.p, edata.len))
                kdc_print_padata(1, "e-data (METHOD-DATA)", &pd, kdc_at(&edata, base));
            else
                xo_field_at(1, "e-data", kdc_at(&edata, base), edata.len, NULL);
        }
    }
    free(etext);
    free(crealm);
    free(realm);
    if (has_cname)
        krb_principal_free(&cname);
    if (has_sname)
        krb_principal_free(&sname);
    return der_ok(&d) ? 0 : gx_failed(&e, base);
}

/* A Kerberos message, framed for GSS-API or bare. */
static int explain_kerberos(const uint8_t *p, size_t n, size_t base)
{
    uint16_t tok_id = 0;
    const uint8_t *inner = p;
    size_t inner_len = n;
    int framed = n && p[0] == 0x60, u2u = 0;
    if (framed) {
        if (krb_gss_unframe_any(p, n, &u2u, &tok_id, &inner, &inner_len) != FS_OK) {
            /* Say what is wrong: the framing itself, or another mechanism's OID. */
            struct der_error e;
            struct der d;
            der_init(&d, p, n, &e);
            struct der app = der_enter(&d, DER_APP(0));
            der_expect_end(&d);
            struct der oid = der_read_oid(&app);
            if (der_ok(&d) && app.len < 2)
                der_fail(&app, "GSS-API token without a TOK_ID");
            if (!der_ok(&d))
                return gx_failed(&e, base);
            char dotted[128];
            der_oid_format(oid.p, oid.len, dotted, sizeof dotted);
            return xo_error(base + (size_t)(oid.p - p), "a GSS-API token for mechanism %s, not Kerberos or SPNEGO",
                            dotted);
        }
        base += (size_t)(inner - p);
    }
    const char *how = u2u      ? ", GSS-API framed under the user-to-user OID 1.2.840.113554.1.2.2.3"
                      : framed ? ", GSS-API framed (RFC 4121 4.1)"
                               : "";
    if (u2u && tok_id == KRB_TOK_TGT_REQ) {
        xo_message("Kerberos KERB-TGT-REQUEST (draft-swift-win2k-krb-user2user 3)%s, %zu bytes", how, n);
        return explain_tgt_request(inner, inner_len, base);
    }
    if (u2u && tok_id == KRB_TOK_TGT_REP) {
        xo_message("Kerberos KERB-TGT-REPLY (draft-swift-win2k-krb-user2user 3)%s, %zu bytes", how, n);
        return explain_tgt_reply(inner, inner_len, base);
    }
    /* A bare AP-REQ or AP-REP is DCE style's (MS-KILE 3.4.5.1); the KDC's messages are always bare, a TGS-REQ's
     * AP-REQ too. */
    const char *ap_how = framed || in_tgs_req ? how : ", bare (no GSS-API framing: DCE style, MS-KILE 3.4.5.1)";
    uint8_t tag = inner_len ? inner[0] : 0;
    if (tag == DER_APP(14)) {
        xo_message("Kerberos AP-REQ (RFC 4120 5.5.1)%s, %zu bytes", ap_how, n);
        return explain_ap_req(inner, inner_len, base);
    }
    if (tag == DER_APP(15)) {
        xo_message("Kerberos AP-REP (RFC 4120 5.5.2)%s, %zu bytes", ap_how, n);
        return explain_ap_rep(inner, inner_len, base);
    }
    if (tag == DER_APP(30)) {
        xo_message("Kerberos KRB-ERROR (RFC 4120 5.9.1)%s, %zu bytes", how, n);
        return explain_krb_error(inner, inner_len, base);
    }
    if (kdc_is_tag(tag))
        return kdc_explain(inner, inner_len, base, how, n);
    return xo_error(base, "not an AP-REQ, AP-REP or KRB-ERROR (tag 0x%02x, TOK_ID %04x)", tag, tok_id);
}

static int explain_inner(const char *label, const uint8_t *p, size_t n, size_t base)
{
    xo_inner(1, label, base, n);
    if (n >= 8 && !memcmp(p, "NTLMSSP", 8))
        return ntlm_explain(p, n);
    return gss_explain_at(p, n, base);
}

/* NegTokenInit2's negHints (MS-SPNG 2.2.1): the hintName a server names itself with, and hintAddress. */
static void print_neg_hints(const uint8_t *p, size_t n)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der app = der_enter(&d, DER_APP(0));
    (void)der_read_oid(&app);
    struct der choice = der_enter(&app, DER_CTX(0));
    struct der seq = der_enter(&choice, DER_SEQUENCE);
    struct der f, hints;
    for (unsigned tag = 0; tag <= 2 && der_ok(&d); tag++)
        (void)der_enter_optional(&seq, (uint8_t)DER_CTX(tag), &f);
    if (!der_ok(&d) || !der_enter_optional(&seq, DER_CTX(3), &f))
        return;
    hints = der_enter(&f, DER_SEQUENCE);
    xo_field(1, "negHints", "Microsoft's NegTokenInit2, a server's first word (MS-SPNG 2.2.1)");
    struct der h;
    if (der_ok(&d) && der_enter_optional(&hints, DER_CTX(0), &h)) {
        char *name = der_read_string(&h);
        if (name)
            xo_field(2, "hintName", "\"%s\"%s", name, strcmp(name, "not_defined_in_RFC4178@please_ignore") ? ""
                     : " (the fixed text Windows sends: clients ignore it)");
        free(name);
    }
    if (der_ok(&d) && der_enter_optional(&hints, DER_CTX(1), &h)) {
        struct der a = der_read_octets(&h);
        if (der_ok(&d))
            xo_hex(2, "hintAddress", a.p, a.len);
    }
}

static int explain_init(const uint8_t *p, size_t n)
{
    struct spnego_init init;
    struct der_error e;
    if (spnego_parse_init(p, n, &init, &e) != FS_OK)
        return gx_failed(&e, 0);
    xo_message("SPNEGO NegTokenInit (RFC 4178 4.2.1), GSS-API framed (OID 1.3.6.1.5.5.2), %zu bytes", n);
    xo_field(1, "mechTypes", NULL);
    for (size_t i = 0; i < init.nmechs; i++) {
        char dotted[128], item[256];
        der_oid_format(init.mech_oids[i], init.mech_oid_lens[i], dotted, sizeof dotted);
        const char *mark = i == 0 && init.token ? "  <- the optimistic token's" : "";
        if (init.mechs[i] == MECH_UNKNOWN)
            snprintf(item, sizeof item, "%s (not a mechanism libfakesspi speaks)%s", dotted, mark);
        else
            snprintf(item, sizeof item, "%s%s", spnego_mech_name(init.mechs[i]), mark);
        xo_field(2, item, NULL);
    }
    if (init.has_hints)
        print_neg_hints(p, n);
    if (init.mic)
        xo_hex(1, "mechListMIC", init.mic, init.mic_len);
    if (init.token)
        return explain_inner("mechToken", init.token, init.token_len, (size_t)(init.token - p));
    return 0;
}

static int explain_resp(const uint8_t *p, size_t n)
{
    struct spnego_resp r;
    struct der_error e;
    if (spnego_parse_resp(p, n, &r, &e) != FS_OK)
        return gx_failed(&e, 0);
    static const char *const states[] = {"accept-completed", "accept-incomplete", "reject", "request-mic"};
    xo_message("SPNEGO NegTokenResp (RFC 4178 4.2.2), %zu bytes", n);
    if (r.state != NEG_ABSENT)
        xo_field(1, "negState", "%d (%s)", (int)r.state, states[r.state]);
    if (r.has_mech)
        xo_field(1, "supportedMech", "%s", spnego_mech_name(r.mech));
    if (r.mic)
        xo_hex(1, "mechListMIC", r.mic, r.mic_len);
    if (r.token)
        return explain_inner("responseToken", r.token, r.token_len, (size_t)(r.token - p));
    return 0;
}

/* Tokens nest (SPNEGO in SPNEGO, KRB-ERROR e-data holding a TGS-REQ holding a KRB-ERROR...): a bound
 * keeps a hostile file from recursing the stack away. Real exchanges nest three deep at most. */
#define MAX_NESTING 8
static int nesting;

int gss_explain_at(const uint8_t *msg, size_t len, size_t base)
{
    if (nesting >= MAX_NESTING)
        return xo_error(base, "tokens nested more than %d deep", MAX_NESTING);
    nesting++;
    size_t mark = xo_mark();
    int rc;
    if (len >= 8 && !memcmp(msg, "NTLMSSP", 8))
        rc = ntlm_explain(msg, len);
    else if (spnego_is_init(msg, len))
        rc = explain_init(msg, len);
    else if (len && msg[0] == DER_CTX(1))
        rc = explain_resp(msg, len);
    else if (len && (msg[0] == 0x60 || msg[0] == DER_APP(14) || msg[0] == DER_APP(15) || msg[0] == DER_APP(30) || kdc_is_tag(msg[0])))
        rc = explain_kerberos(msg, len, base);
    else if (ntlm_is_signature(msg, len))
        rc = ntlm_explain_signature(msg, len);
    else if (is_per_message(msg, len))
        rc = explain_per_message(msg, len);
    else
        rc = xo_error(base, "neither NTLM, SPNEGO nor Kerberos (first byte 0x%02x)", len ? msg[0] : 0);
    xo_unwind(mark);
    nesting--;
    return rc;
}
int gss_explain(const uint8_t *msg, size_t len) { return gss_explain_at(msg, len, 0); }

/* The inner token's kind in a few words. */
static const char *kind_of(const uint8_t *p, size_t n)
{
    static const char *const ntlm[] = {"NTLM message", "NTLM NEGOTIATE_MESSAGE", "NTLM CHALLENGE_MESSAGE",
                                       "NTLM AUTHENTICATE_MESSAGE"};
    if (n >= 12 && !memcmp(p, "NTLMSSP", 8))
        return ntlm[p[8] <= 3 && !p[9] && !p[10] && !p[11] ? p[8] : 0];
    uint16_t tok_id;
    const uint8_t *inner = p;
    size_t inner_len = n;
    int u2u = 0;
    if (n && p[0] == 0x60 && krb_gss_unframe_any(p, n, &u2u, &tok_id, &inner, &inner_len) != FS_OK)
        return "GSS-API token";
    if (u2u && (tok_id == KRB_TOK_TGT_REQ || tok_id == KRB_TOK_TGT_REP))
        return tok_id == KRB_TOK_TGT_REQ ? "Kerberos KERB-TGT-REQUEST" : "Kerberos KERB-TGT-REPLY";
    uint8_t tag = inner_len ? inner[0] : 0;
    return tag == DER_APP(14) ? "Kerberos AP-REQ" : tag == DER_APP(15) ? "Kerberos AP-REP"
                                                  : tag == DER_APP(30) ? "Kerberos KRB-ERROR"
                                                                       : "token";
}

void gss_summary(const uint8_t *msg, size_t len, char *out, size_t cap)
{
    struct der_error e;
    if (spnego_is_init(msg, len)) {
        struct spnego_init init;
        if (spnego_parse_init(msg, len, &init, &e) == FS_OK && init.token) {
            snprintf(out, cap, "SPNEGO NegTokenInit (%s), %zu bytes", kind_of(init.token, init.token_len), len);
            return;
        }
        snprintf(out, cap, "SPNEGO NegTokenInit, %zu bytes", len);
        return;
    }
    if (len && msg[0] == DER_CTX(1)) {
        struct spnego_resp r;
        static const char *const states[] = {"accept-completed", "accept-incomplete", "reject", "request-mic"};
        if (spnego_parse_resp(msg, len, &r, &e) == FS_OK) {
            snprintf(out, cap, "SPNEGO NegTokenResp (%s%s%s%s), %zu bytes",
                     r.state != NEG_ABSENT ? states[r.state] : "", r.state != NEG_ABSENT && r.token ? ", " : "",
                     r.token ? kind_of(r.token, r.token_len) : "", r.mic ? (r.token || r.state != NEG_ABSENT ? ", MIC" : "MIC") : "",
                     len);
            return;
        }
    }
    snprintf(out, cap, "%s, %zu bytes", kind_of(msg, len), len);
}
