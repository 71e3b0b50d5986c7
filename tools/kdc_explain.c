/* The KDC's messages (RFC 4120 5.4, 5.8, 5.9) explained for the tools, and opened with the keys the run has:
 * the client's long-term key for the AS-REP (usage 3), the TGS-REQ's keys for the TGS-REP (usage 8 or 9), the
 * AP exchange's session key for a KRB-CRED (usage 14), with the library's own Kerberos code. */
#include "kdc_explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explain_out.h"
#include "gss_explain.h"
#include "keytab_read.h"
#include "krb_print.h"

#include "core/clock.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "security/domain_current.h"

#define KRB_USAGE_FAST_REP 52 /* RFC 6113 5.4.3: the KrbFastResponse in a reply's PA-FX-FAST */

/* ---- what the run has learnt: the client's password, the salts the KDC named, the keys of the exchange ---- */

static const char *client_password;
/* The PA-FX-FAST of the message being explained (a view into it): a FAST reply's key is not the one its request
 * taught, but that key strengthened with one inside this armor (RFC 6113 5.4.3). */
static int padata_fast;
static struct der fast_value;

/* PA-ETYPE-INFO2 (RFC 4120 5.2.7.5) of the last KRB-ERROR or AS-REP, per enctype: how the client's key is made. */
#define MAX_SALTS 8
static struct {
    int32_t etype;
    int has_salt;
    char salt[256];
    unsigned iterations; /* 0: the enctype's default */
} salts[MAX_SALTS];
static size_t nsalts;

static struct {
    int have_as;
    struct krb_key as_session; /* the AS-REP's: the TGT's session key */
    int have_tgs;
    struct krb_key tgs_session; /* the TGS-REQ's TGT session key, and its authenticator's subkey */
    int has_tgs_subkey;
    struct krb_key tgs_subkey;
} learnt;

void kdc_explain_set_password(const char *password) { client_password = password; }

int kdc_as_session_key(struct krb_key *out)
{
    if (learnt.have_as)
        *out = learnt.as_session;
    return learnt.have_as;
}

void kdc_remember_tgs(const struct krb_key *session, const struct krb_key *subkey)
{
    learnt.tgs_session = *session;
    learnt.has_tgs_subkey = subkey != NULL;
    if (subkey)
        learnt.tgs_subkey = *subkey;
    learnt.have_tgs = 1;
}

static void remember_salt(int32_t etype, const char *salt, const uint8_t *s2kparams)
{
    size_t i = 0;
    while (i < nsalts && salts[i].etype != etype)
        i++;
    if (i == MAX_SALTS)
        return;
    nsalts += i == nsalts;
    salts[i].etype = etype;
    salts[i].has_salt = salt != NULL;
    snprintf(salts[i].salt, sizeof salts[i].salt, "%s", salt ? salt : "");
    salts[i].iterations = s2kparams ? (unsigned)s2kparams[0] << 24 | (unsigned)s2kparams[1] << 16 |
                                          (unsigned)s2kparams[2] << 8 | s2kparams[3]
                                    : 0;
}

/* Nonzero when some key may open what is encrypted: the domain, a keytab, a password. Without any, the
 * encrypted parts are shown as such and nothing is said of keys. */
int kdc_have_key_source(void)
{
    size_t nk;
    (void)keytab_entries(&nk);
    return gss_explain_use_domain || nk || client_password;
}

/* AS-REQ 10, AS-REP 11, TGS-REQ 12, TGS-REP 13, KRB-CRED 22 (KRB-ERROR 30 has its own). */
int kdc_is_tag(uint8_t tag)
{
    return tag == DER_APP(10) || tag == DER_APP(11) || tag == DER_APP(12) || tag == DER_APP(13) || tag == DER_APP(22);
}

size_t kdc_at(const struct der *d, size_t base) { return base + (size_t)(d->p - d->origin); }

/* Consumes the next element whatever its tag. */
static void skip(struct der *d)
{
    if (der_ok(d) && d->len)
        (void)der_take_raw(d, d->p[0]);
}

static const char *padata_name(int64_t t)
{
    switch (t) {
    case 1: return "PA-TGS-REQ";
    case 2: return "PA-ENC-TIMESTAMP";
    case 3: return "PA-PW-SALT";
    case 11: return "PA-ETYPE-INFO";
    case 16: return "PA-PK-AS-REQ";
    case 17: return "PA-PK-AS-REP";
    case 19: return "PA-ETYPE-INFO2";
    case 20: return "PA-SVR-REFERRAL-INFO";
    case 128: return "PA-PAC-REQUEST";
    case 129: return "PA-FOR-USER";
    case 130: return "PA-FOR-X509-USER";
    case 133: return "PA-FX-COOKIE";
    case 136: return "PA-FX-FAST";
    case 137: return "PA-FX-ERROR";
    case 138: return "PA-ENCRYPTED-CHALLENGE";
    case 141: return "PA-OTP-CHALLENGE";
    case 142: return "PA-OTP-REQUEST";
    case 147: return "PA-PKINIT-KX";
    case 149: return "PA-REQ-ENC-PA-REP";
    case 150: return "PA-AS-FRESHNESS";
    case 151: return "PA-SPAKE";
    case 165: return "PA-SUPPORTED-ENCTYPES";
    case 167: return "PA-PAC-OPTIONS";
    default: return "unknown padata type";
    }
}

static const char *padata_meaning(int64_t t)
{
    switch (t) {
    case 1: return "the TGT and an authenticator: an AP-REQ to the ticket-granting service";
    case 2: return "the client's proof: the time encrypted in its long-term key (usage 1)";
    case 19: return "how to make the long-term key: enctypes with their salts";
    case 11: return "how to make the long-term key (older form)";
    case 133: return "state the KDC wants back on the next request";
    case 136: return "FAST (RFC 6113): an armored channel";
    case 128: return "asks for a PAC, or none";
    case 149: return "asks the KDC to protect the padata of its reply (RFC 6806)";
    case 150: return "asks the KDC for a freshness token (RFC 8070, for PKINIT)";
    case 151: return "SPAKE pre-authentication (MIT's draft-ietf-kitten-krb-spake-preauth)";
    case 138: return "FAST's encrypted challenge";
    default: return NULL;
    }
}

/* A SEQUENCE OF PA-DATA, checked without printing: KRB-ERROR's e-data is one (METHOD-DATA) or another
 * structure (Windows' KERB-ERROR-DATA). */
int kdc_is_padata_list(const uint8_t *p, size_t n)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der list = der_enter(&d, DER_SEQUENCE);
    der_expect_end(&d);
    while (der_ok(&d) && list.len) {
        struct der pa = der_enter(&list, DER_SEQUENCE);
        struct der t = der_enter(&pa, DER_CTX(1));
        (void)der_read_int(&t);
        struct der v = der_enter(&pa, DER_CTX(2));
        (void)der_read_octets(&v);
        der_expect_end(&pa);
    }
    return der_ok(&d);
}

static void print_encrypted(int depth, const char *label, struct der *f, size_t base, const char *what)
{
    int32_t etype = 0;
    uint32_t kvno = 0;
    int has_kvno = 0;
    struct der cipher = {0};
    if (krb_parse_encrypted_data(f, &etype, &kvno, &has_kvno, &cipher) != FS_OK)
        return;
    char k[32] = "";
    if (has_kvno)
        snprintf(k, sizeof k, ", kvno %u", kvno);
    xo_field_at(depth, label, kdc_at(&cipher, base), cipher.len, "%s (%d)%s, %s", gx_etype_name(etype), etype, k, what);
}

/* Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] } */
static void print_ticket(int depth, const char *label, struct der *d, size_t base)
{
    struct der app = der_enter(d, DER_APP(1));
    struct der seq = der_enter(&app, DER_SEQUENCE);
    struct der f = der_enter(&seq, DER_CTX(0));
    (void)der_read_int(&f);
    f = der_enter(&seq, DER_CTX(1));
    char *realm = der_read_string(&f);
    struct krb_principal sname;
    f = der_enter(&seq, DER_CTX(2));
    int named = der_ok(d) && krb_parse_principal(&f, &sname) == FS_OK;
    if (!der_ok(d)) {
        free(realm);
        if (named)
            krb_principal_free(&sname);
        return;
    }
    xo_field(depth, label, NULL);
    xo_field(depth + 1, "realm", "%s", realm);
    gx_print_principal(depth + 1, "sname", &sname);
    f = der_enter(&seq, DER_CTX(3));
    int32_t etype = 0;
    uint32_t kvno = 0;
    int has_kvno = 0;
    struct der cipher = {0};
    if (krb_parse_encrypted_data(&f, &etype, &kvno, &has_kvno, &cipher) == FS_OK) {
        char k[32] = "";
        if (has_kvno)
            snprintf(k, sizeof k, ", kvno %u", kvno);
        xo_field_at(depth + 1, "enc-part", kdc_at(&cipher, base), cipher.len, "%s (%d)%s, %s", gx_etype_name(etype), etype,
                    k, "encrypted in the service's key (usage 2)");
        gx_open_bare_ticket(realm ? realm : "", &sname, etype, kvno, cipher.p, cipher.len, depth + 1);
    }
    free(realm);
    krb_principal_free(&sname);
}

static void print_etype_info2(int depth, const uint8_t *p, size_t n)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der seq = der_enter(&d, DER_SEQUENCE);
    while (der_ok(&d) && seq.len) {
        struct der entry = der_enter(&seq, DER_SEQUENCE);
        struct der f = der_enter(&entry, DER_CTX(0));
        int64_t etype = der_read_int(&f);
        char *salt = NULL;
        struct der s2k = {0};
        int has_s2k = 0;
        if (der_enter_optional(&entry, DER_CTX(1), &f))
            salt = der_read_string(&f);
        if (der_enter_optional(&entry, DER_CTX(2), &f)) {
            s2k = der_read_octets(&f);
            has_s2k = 1;
        }
        if (!der_ok(&d)) {
            free(salt);
            break;
        }
        char s2k_text[64] = "";
        if (has_s2k && s2k.len == 4)
            snprintf(s2k_text, sizeof s2k_text, ", %u PBKDF2 iterations",
                     (unsigned)s2k.p[0] << 24 | (unsigned)s2k.p[1] << 16 | (unsigned)s2k.p[2] << 8 | s2k.p[3]);
        xo_field(depth, gx_etype_name((int32_t)etype), "etype %lld, salt \"%s\"%s", (long long)etype,
                 salt ? salt : "(the default: realm and name)", s2k_text);
        remember_salt((int32_t)etype, salt, has_s2k && s2k.len == 4 ? s2k.p : NULL);
        free(salt);
    }
}

/* The next SEQUENCE { type [first] Int32, value [first + 1] OCTET STRING } of a list: PA-DATA's shape (tags 1 and
 * 2) and HostAddress's (0 and 1). Errors land in the list's der_error. */
static int64_t read_typed_octets(struct der *list, unsigned first, struct der *value)
{
    struct der item = der_enter(list, DER_SEQUENCE);
    struct der t = der_enter(&item, (uint8_t)DER_CTX(first));
    int64_t type = der_read_int(&t);
    struct der v = der_enter(&item, (uint8_t)DER_CTX(first + 1));
    *value = der_read_octets(&v);
    return type;
}

/* SEQUENCE OF PA-DATA { padata-type [1] Int32, padata-value [2] OCTET STRING }. */
void kdc_print_padata(int depth, const char *label, struct der *f, size_t base)
{
    struct der list = der_enter(f, DER_SEQUENCE);
    xo_field(depth, label, NULL);
    while (der_ok(f) && list.len) {
        struct der value;
        int64_t type = read_typed_octets(&list, 1, &value);
        if (!der_ok(f))
            return;
        char name[64];
        snprintf(name, sizeof name, "%s (%lld)", padata_name(type), (long long)type);
        const char *meaning = padata_meaning(type);
        if (type == 136) {
            padata_fast = 1;
            fast_value = value;
        }
        xo_field_at(depth + 1, name, kdc_at(&value, base), value.len, "%s", meaning ? meaning : "");
        if (type == 19 || type == 11) {
            print_etype_info2(depth + 2, value.p, value.len);
        } else if (type == 2) {
            struct der_error e;
            struct der d;
            der_init(&d, value.p, value.len, &e);
            print_encrypted(depth + 2, "encrypted timestamp", &d, kdc_at(&value, base), "PA-ENC-TS-ENC in the client's key");
        } else if (type == 1) {
            xo_inner(depth + 2, "AP-REQ", kdc_at(&value, base), value.len);
            (void)gx_explain_tgs_ap_req(value.p, value.len, kdc_at(&value, base));
        } else if (value.len && value.len <= 64) {
            xo_hex(depth + 2, "value", value.p, value.len);
        }
    }
}

static void print_kdc_options(uint32_t f)
{
    static const char *const names[32] = {
        "reserved", "forwardable", "forwarded", "proxiable", "proxy", "allow-postdate", "postdated", "7",
        "renewable", "9", "10", "opt-hardware-auth", "12", "13", "cname-in-addl-tkt", "canonicalize", "16", "17",
        "18", "19", "20", "21", "22", "23", "24", "25", "disable-transited-check", "renewable-ok",
        "enc-tkt-in-skey", "29", "renew", "validate"};
    gx_print_kerberos_flags(2, "kdc-options", f, names, 32);
}

static void print_addresses(int depth, struct der *f)
{
    struct der list = der_enter(f, DER_SEQUENCE);
    while (der_ok(f) && list.len) {
        struct der addr;
        int64_t type = read_typed_octets(&list, 0, &addr);
        if (!der_ok(f))
            return;
        if (type == 2 && addr.len == 4)
            xo_field(depth, "address", "IPv4 %u.%u.%u.%u", addr.p[0], addr.p[1], addr.p[2], addr.p[3]);
        else
            xo_hex(depth, "address", addr.p, addr.len);
    }
}

/* KDC-REQ-BODY (RFC 4120 5.4.1). */
static void print_req_body(struct der *f, size_t base)
{
    struct der body = der_enter(f, DER_SEQUENCE);
    xo_field(1, "req-body", NULL);
    for (unsigned tag = 0; tag <= 11 && der_ok(f); tag++) {
        struct der g;
        if (!der_enter_optional(&body, (uint8_t)DER_CTX(tag), &g))
            continue;
        struct krb_principal name;
        char when[64];
        switch (tag) {
        case 0: print_kdc_options(der_read_flags(&g)); break;
        case 1:
        case 3:
            if (krb_parse_principal(&g, &name) == FS_OK) {
                gx_print_principal(2, tag == 1 ? "cname" : "sname", &name);
                krb_principal_free(&name);
            }
            break;
        case 2: {
            char *realm = der_read_string(&g);
            if (realm)
                xo_field(2, "realm", "%s", realm);
            free(realm);
            break;
        }
        case 4:
        case 5:
        case 6: {
            uint64_t t = der_read_time(&g);
            struct tm tm;
            if (fs_filetime_to_tm(t, &tm) == 0)
                strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
            else
                snprintf(when, sizeof when, "?");
            xo_field(2, tag == 4 ? "from" : tag == 5 ? "till" : "rtime", "%s", when);
            break;
        }
        case 7: xo_field(2, "nonce", "%u", der_read_uint32(&g)); break;
        case 8: {
            struct der list = der_enter(&g, DER_SEQUENCE);
            char text[512] = "";
            size_t n = 0;
            while (der_ok(f) && list.len && n < sizeof text) {
                int64_t e = der_read_int(&list);
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%s (%lld)", n ? ", " : "", gx_etype_name((int32_t)e),
                                      (long long)e);
            }
            xo_field(2, "etype", "%s (the client's preference, best first)", text);
            break;
        }
        case 9: xo_field(2, "addresses", NULL); print_addresses(3, &g); break;
        case 10:
            print_encrypted(2, "enc-authorization-data", &g, base, "in the TGS session key or subkey");
            break;
        case 11: {
            struct der list = der_enter(&g, DER_SEQUENCE);
            while (der_ok(f) && list.len)
                print_ticket(2, "additional ticket", &list, base);
            break;
        }
        default: break;
        }
    }
}

static const char *kdc_kind(uint8_t tag)
{
    return tag == DER_APP(10) ? "AS-REQ" : tag == DER_APP(11) ? "AS-REP" : tag == DER_APP(12) ? "TGS-REQ"
         : tag == DER_APP(13) ? "TGS-REP" : "KRB-CRED";
}

/* EncKrbCredPart (RFC 4120 5.8.1): in the clear when the KRB-CRED was made without a key (etype 0), else
 * decrypted; heading and how say which. */
static void print_cred_part(const uint8_t *p, size_t n, const char *heading, const char *how)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    struct der app = der_enter(&d, DER_APP(29));
    struct der seq = der_enter(&app, DER_SEQUENCE);
    struct der f = der_enter(&seq, DER_CTX(0));
    struct der infos = der_enter(&f, DER_SEQUENCE);
    xo_field(1, heading, "%s", how);
    while (der_ok(&d) && infos.len) {
        struct der info = der_enter(&infos, DER_SEQUENCE);
        xo_field(2, "ticket-info", NULL);
        for (unsigned tag = 0; tag <= 10 && der_ok(&d); tag++) {
            struct der g;
            if (!der_enter_optional(&info, (uint8_t)DER_CTX(tag), &g))
                continue;
            struct krb_principal name;
            if (tag == 0) {
                struct der k = der_enter(&g, DER_SEQUENCE);
                struct der t = der_enter(&k, DER_CTX(0));
                int64_t type = der_read_int(&t);
                struct der v = der_enter(&k, DER_CTX(1));
                struct der key = der_read_octets(&v);
                if (der_ok(&d))
                    xo_field(3, "key", "%s (%lld), %zu bytes: the ticket's session key", gx_etype_name((int32_t)type),
                             (long long)type, key.len);
            } else if (tag == 1 || tag == 8) {
                char *realm = der_read_string(&g);
                if (realm)
                    xo_field(3, tag == 1 ? "prealm" : "srealm", "%s", realm);
                free(realm);
            } else if ((tag == 2 || tag == 9) && krb_parse_principal(&g, &name) == FS_OK) {
                gx_print_principal(3, tag == 2 ? "pname" : "sname", &name);
                krb_principal_free(&name);
            } else if (tag == 3) {
                gx_print_ticket_flags(3, der_read_flags(&g));
            } else if (tag >= 4 && tag <= 7) {
                static const char *const times[] = {"authtime", "starttime", "endtime", "renew-till"};
                gx_print_time(3, times[tag - 4], der_read_time(&g));
            } else {
                skip(&g);
            }
        }
    }
}

/* ---- with keys: the replies' encrypted parts and a KRB-CRED's ---- */

/* The padata types of a reply's encrypted-pa-data (RFC 6806 11), by name. */
static void print_padata_names(int depth, const char *label, struct der *f)
{
    struct der list = der_enter(f, DER_SEQUENCE);
    if (der_ok(f) && !list.len)
        xo_field(depth, label, "(none)");
    else
        xo_field(depth, label, NULL);
    while (der_ok(f) && list.len) {
        struct der pa = der_enter(&list, DER_SEQUENCE);
        struct der t = der_enter(&pa, DER_CTX(1));
        int64_t type = der_read_int(&t);
        struct der v = der_enter(&pa, DER_CTX(2));
        struct der value = der_read_octets(&v);
        if (der_ok(f))
            xo_field(depth + 1, padata_name(type), "type %lld, %zu bytes", (long long)type, value.len);
    }
}

/* EncKDCRepPart (RFC 4120 5.4.2): EncASRepPart [APPLICATION 25] or EncTGSRepPart [APPLICATION 26] (MIT sends
 * 25 for both, as RFC 4120 allows). The session key into *session (when libfakesspi has its enctype): 1. */
static int print_enc_rep_part(const uint8_t *p, size_t n, struct krb_key *session)
{
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    uint8_t tag = n && p[0] == DER_APP(26) ? DER_APP(26) : DER_APP(25);
    struct der app = der_enter(&d, tag);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    int usable = 0;
    for (unsigned field = 0; field <= 12 && der_ok(&d); field++) {
        struct der g;
        if (!der_enter_optional(&seq, (uint8_t)DER_CTX(field), &g))
            continue;
        if (field == 0) {
            struct der k = der_enter(&g, DER_SEQUENCE);
            int64_t etype = der_read_ctx_int(&k, 0);
            struct der v = der_enter(&k, DER_CTX(1));
            struct der key = der_read_octets(&v);
            if (!der_ok(&d))
                break;
            if (key.len <= sizeof session->bytes) {
                struct krb_key shown = {(int32_t)etype, key.len, {0}};
                memcpy(shown.bytes, key.p, key.len);
                gx_print_key(2, "session key", &shown);
                usable = krb_etype_supported(shown.etype) && key.len == krb_key_length(shown.etype);
                if (usable)
                    *session = shown;
                explicit_bzero(&shown, sizeof shown);
            } else {
                xo_field(2, "session key", "%s (%lld), %zu bytes", gx_etype_name((int32_t)etype), (long long)etype,
                         key.len);
            }
        } else if (field == 1) {
            struct der list = der_enter(&g, DER_SEQUENCE);
            if (!list.len)
                xo_field(2, "last-req", "(none)");
            while (der_ok(&d) && list.len) {
                struct der lr = der_enter(&list, DER_SEQUENCE);
                int64_t type = der_read_ctx_int(&lr, 0);
                uint64_t when = der_read_ctx_time(&lr, 1);
                struct tm tm;
                char text[64] = "?";
                if (fs_filetime_to_tm(when, &tm) == 0)
                    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
                /* RFC 4120 5.4.2: lr-type 0 says nothing; 1-6 (or their negatives, this client only) name
                 * the last initial request, TGT, renewal, ticket, password expiry... */
                if (der_ok(&d))
                    xo_field(2, "last-req", "lr-type %lld%s, %s", (long long)type, type ? "" : " (no information)",
                             text);
            }
        } else if (field == 2) {
            xo_field(2, "nonce", "%u (the request's, echoed)", der_read_uint32(&g));
        } else if (field == 4) {
            gx_print_ticket_flags(2, der_read_flags(&g));
        } else if (field == 9) {
            char *realm = der_read_string(&g);
            if (realm)
                xo_field(2, "srealm", "%s", realm);
            free(realm);
        } else if (field == 10) {
            struct krb_principal name;
            if (krb_parse_principal(&g, &name) == FS_OK) {
                gx_print_principal(2, "sname", &name);
                krb_principal_free(&name);
            }
        } else if (field == 11) {
            xo_field(2, "caddr", NULL);
            print_addresses(3, &g);
        } else if (field == 12) {
            print_padata_names(2, "encrypted-pa-data", &g);
        } else {
            static const char *const times[] = {"key-expiration", "", "authtime", "starttime", "endtime",
                                                "renew-till"};
            gx_print_time(2, times[field - 3], der_read_time(&g));
        }
    }
    if (!der_ok(&d))
        xo_field(2, "malformed", "at byte %zu of the decrypted part: %s", e.offset, e.what ? e.what : "?");
    return usable && der_ok(&d);
}

/* Decrypts with key in usage into a NEW buffer (wipe and free it); 0 when the key does not fit. */
static int try_key(const struct krb_key *key, int32_t etype, uint32_t usage, const uint8_t *cipher, size_t len,
                   uint8_t **plain, size_t *n)
{
    return key->etype == etype && krb_open_cipher(key, etype, usage, cipher, len, plain, n) == FS_OK;
}

static void wipe(uint8_t *plain, size_t n)
{
    explicit_bzero(plain, n);
    free(plain);
}

/* The salt and iterations of the client's key of etype: PA-ETYPE-INFO2's, else the default salt (RFC 4120 4:
 * the realm and the name's components, without separators). */
static void client_salt(int32_t etype, const char *crealm, const struct krb_principal *cname, char *out, size_t cap,
                        unsigned *iterations)
{
    *iterations = 0;
    for (size_t i = 0; i < nsalts; i++)
        if (salts[i].etype == etype) {
            *iterations = salts[i].iterations;
            if (salts[i].has_salt) {
                snprintf(out, cap, "%s", salts[i].salt);
                return;
            }
        }
    size_t used = (size_t)snprintf(out, cap, "%s", crealm);
    for (size_t i = 0; i < cname->n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s", cname->parts[i]);
}

/* The client's long-term key from the domain: its account's password with the KDC's salt, else Active
 * Directory's (krb_account_salt). */
static int domain_client_key(const char *crealm, const struct krb_principal *cname, int32_t etype,
                             const char *salt_given, unsigned iterations, struct krb_key *key, char *whose, size_t cap)
{
    if (!gss_explain_use_domain || cname->n != 1)
        return 0;
    const struct fs_domain *d = fs_domain_acquire();
    char realm[256];
    krb_realm(d, realm, sizeof realm);
    const struct fs_user *u = strcmp(crealm, realm) ? NULL : fs_domain_find_user(d, cname->parts[0]);
    fs_err err = FS_E_NOT_SUPPORTED;
    if (u && u->password)
        err = salt_given ? krb_string_to_key(etype, u->password, (const uint8_t *)salt_given, strlen(salt_given),
                                             iterations, key)
                         : krb_user_key(d, u, etype, key);
    if (err == FS_OK)
        snprintf(whose, cap, "%s\\%s's key (%s)", d->netbios, u->name, gx_etype_name(etype));
    fs_domain_release();
    return err == FS_OK;
}

/* The AS-REP's EncASRepPart (RFC 4120 5.4.2, key usage 3) with the client's long-term key: string-to-key of
 * --password (RFC 3962 with the KDC's salt; RFC 4757's NT hash for RC4), the keytab's key of the client, the
 * domain account's. */
static void open_as_rep(const char *crealm, const struct krb_principal *cname, int32_t etype, const uint8_t *cipher,
                        size_t len)
{
    if (!kdc_have_key_source())
        return;
    if (!krb_etype_supported(etype)) {
        xo_field(1, "decrypted", "no: %s is not an enctype libfakesspi has", gx_etype_name(etype));
        return;
    }
    char name[512], want[800], salt[256], whose[1024] = "", tried[1024] = "";
    unsigned iterations;
    krb_principal_format(cname, name, sizeof name);
    snprintf(want, sizeof want, "%s@%s", name, crealm);
    client_salt(etype, crealm, cname, salt, sizeof salt, &iterations);
    int has_info = 0;
    for (size_t i = 0; i < nsalts; i++)
        has_info |= salts[i].etype == etype && salts[i].has_salt;
    uint8_t *plain = NULL;
    size_t n = 0;
    int opened = 0;
    struct krb_key key;
    if (client_password &&
        krb_string_to_key(etype, client_password, (const uint8_t *)salt, strlen(salt), iterations, &key) == FS_OK) {
        if (etype == KRB_ETYPE_RC4)
            snprintf(tried, sizeof tried, "the password given (its NT hash, RFC 4757)");
        else
            snprintf(tried, sizeof tried, "the password given (string-to-key, salt \"%s\")", salt);
        opened = try_key(&key, etype, KRB_USAGE_AS_REP, cipher, len, &plain, &n);
        if (opened)
            snprintf(whose, sizeof whose, "%s", tried);
    }
    size_t nk;
    const struct keytab_entry *k = keytab_entries(&nk);
    for (size_t i = 0; !opened && i < nk; i++)
        if (!strcasecmp(k[i].principal, want) && k[i].key.etype == etype) {
            if (!*tried)
                snprintf(tried, sizeof tried, "the keytab's %s key", want);
            opened = try_key(&k[i].key, etype, KRB_USAGE_AS_REP, cipher, len, &plain, &n);
            if (opened)
                snprintf(whose, sizeof whose, "the keytab's %s key (%s, kvno %u)", want, gx_etype_name(etype),
                         k[i].kvno);
        }
    char domain_whose[1024];
    if (!opened && domain_client_key(crealm, cname, etype, has_info ? salt : NULL, iterations, &key, domain_whose,
                                     sizeof domain_whose)) {
        if (!*tried)
            snprintf(tried, sizeof tried, "%s", domain_whose);
        opened = try_key(&key, etype, KRB_USAGE_AS_REP, cipher, len, &plain, &n);
        if (opened)
            snprintf(whose, sizeof whose, "%s", domain_whose);
    }
    explicit_bzero(&key, sizeof key);
    if (!opened) {
        if (*tried) {
            xo_field(1, "decrypted", "FAILED: %s does not open it: another password or key", tried);
            xo_check_failed = 1;
        } else {
            xo_field(1, "decrypted", "needs the client's key: give --password (or --keytab with %s's key)", want);
        }
        return;
    }
    xo_field(1, "enc-part, decrypted", "with %s (usage 3)", whose);
    struct krb_key session;
    if (print_enc_rep_part(plain, n, &session)) {
        learnt.as_session = session;
        learnt.have_as = 1;
        explicit_bzero(&session, sizeof session);
    }
    wipe(plain, n);
}

/* FAST in a TGS exchange (RFC 6113): the armor key is KRB-FX-CF2 of the TGS-REQ's subkey and the TGT's session key
 * (5.4.1.1); the reply's PA-FX-FAST holds KrbFastArmoredRep { enc-fast-rep [0] EncryptedData (usage 52) } around
 * KrbFastResponse { padata [0], strengthen-key [1] OPTIONAL, finished [2] OPTIONAL, nonce [3] }, and the reply key
 * becomes KRB-FX-CF2(strengthen-key, reply key, "strengthenkey", "replykey") (5.4.3). Prints what the armor held;
 * 1 with the strengthened key. */
static int strengthened_reply_key(struct krb_key *out)
{
    if (!learnt.has_tgs_subkey)
        return 0;
    struct krb_key armor;
    if (krb_fx_cf2(&learnt.tgs_subkey, "subkeyarmor", &learnt.tgs_session, "ticketarmor", &armor) != FS_OK)
        return 0;
    struct der_error e;
    struct der d;
    der_init(&d, fast_value.p, fast_value.len, &e);
    struct der choice = der_enter(&d, DER_CTX(0));
    struct der rep = der_enter(&choice, DER_SEQUENCE);
    struct der f = der_enter(&rep, DER_CTX(0));
    int32_t etype = 0;
    uint32_t kvno;
    int has_kvno;
    struct der cipher = {0};
    uint8_t *plain = NULL;
    size_t n = 0;
    int opened = der_ok(&d) && krb_parse_encrypted_data(&f, &etype, &kvno, &has_kvno, &cipher) == FS_OK &&
                 try_key(&armor, etype, KRB_USAGE_FAST_REP, cipher.p, cipher.len, &plain, &n);
    explicit_bzero(&armor, sizeof armor);
    if (!opened)
        return 0;
    xo_field(1, "PA-FX-FAST, decrypted", "with the armor key: KRB-FX-CF2 of the TGS-REQ's subkey and the TGT's "
             "session key (RFC 6113 5.4.1.1, usage 52)");
    struct der_error pe;
    struct der pd;
    der_init(&pd, plain, n, &pe);
    struct der seq = der_enter(&pd, DER_SEQUENCE);
    struct der g;
    if (der_enter_optional(&seq, DER_CTX(0), &g))
        print_padata_names(2, "padata", &g);
    struct krb_key strengthen = {0};
    int strong = 0;
    if (der_enter_optional(&seq, DER_CTX(1), &g)) {
        krb_read_key(&g, &strengthen);
        strong = der_ok(&pd);
        if (strong)
            gx_print_key(2, "strengthen-key", &strengthen);
    }
    if (der_enter_optional(&seq, DER_CTX(2), &g))
        xo_field(2, "finished", "present");
    if (der_enter_optional(&seq, DER_CTX(3), &g))
        xo_field(2, "nonce", "%u", der_read_uint32(&g));
    wipe(plain, n);
    int made = strong && krb_fx_cf2(&strengthen, "strengthenkey", &learnt.tgs_subkey, "replykey", out) == FS_OK;
    explicit_bzero(&strengthen, sizeof strengthen);
    return made;
}

/* The TGS-REP's EncTGSRepPart (RFC 4120 5.4.2) with the keys its TGS-REQ taught: the authenticator's subkey
 * (usage 9), else the TGT's session key (usage 8); without the TGS-REQ, the AS-REP's session key. */
static void open_tgs_rep(int32_t etype, const uint8_t *cipher, size_t len)
{
    struct krb_key reply_key = {0};
    uint8_t *plain = NULL;
    size_t n = 0;
    const char *whose = NULL;
    if (learnt.have_tgs) {
        if (learnt.has_tgs_subkey && try_key(&learnt.tgs_subkey, etype, KRB_USAGE_TGS_REP_SUBKEY, cipher, len,
                                             &plain, &n))
            whose = "the TGS-REQ's authenticator subkey (usage 9)";
        else if (try_key(&learnt.tgs_session, etype, KRB_USAGE_TGS_REP_SESSION, cipher, len, &plain, &n))
            whose = "the TGT's session key (usage 8)";
        if (!whose && padata_fast && strengthened_reply_key(&reply_key) &&
            try_key(&reply_key, etype, KRB_USAGE_TGS_REP_SUBKEY, cipher, len, &plain, &n))
            whose = "the TGS-REQ's subkey strengthened with FAST's strengthen-key (usage 9)";
        explicit_bzero(&reply_key, sizeof reply_key);
        if (!whose) {
            xo_field(1, "decrypted", "FAILED: the TGS-REQ's subkey and session key do not open it");
            xo_check_failed = 1;
            return;
        }
    } else if (learnt.have_as) {
        if (try_key(&learnt.as_session, etype, KRB_USAGE_TGS_REP_SESSION, cipher, len, &plain, &n)) {
            whose = "the AS-REP's session key (usage 8)";
        } else {
            xo_field(1, "decrypted", "needs the TGS-REQ's subkey: give the TGS-REQ before it (the AS-REP's "
                     "session key does not open it)");
            return;
        }
    } else {
        if (kdc_have_key_source())
            xo_field(1, "decrypted", "needs the session key: give the AS-REP or the TGS-REQ before it");
        return;
    }
    xo_field(1, "enc-part, decrypted", "with %s", whose);
    struct krb_key session;
    (void)print_enc_rep_part(plain, n, &session);
    explicit_bzero(&session, sizeof session);
    wipe(plain, n);
}

/* A KRB-CRED's EncKrbCredPart (usage 14) with the AP exchange's session key, or its authenticator's subkey. */
static void open_cred(int32_t etype, const uint8_t *cipher, size_t len)
{
    struct krb_key session, initiator;
    if (!gx_ap_keys(&session, &initiator)) {
        if (kdc_have_key_source())
            xo_field(1, "decrypted", "needs the session key: give the AP-REQ that carried it before it");
        return;
    }
    uint8_t *plain = NULL;
    size_t n = 0;
    const char *whose = NULL;
    if (try_key(&session, etype, KRB_USAGE_KRB_CRED, cipher, len, &plain, &n))
        whose = "with the AP-REQ's session key (usage 14)";
    else if (try_key(&initiator, etype, KRB_USAGE_KRB_CRED, cipher, len, &plain, &n))
        whose = "with the authenticator's subkey (usage 14)";
    explicit_bzero(&session, sizeof session);
    explicit_bzero(&initiator, sizeof initiator);
    if (!whose) {
        xo_field(1, "decrypted", "FAILED: the AP-REQ's session key and subkey do not open it");
        xo_check_failed = 1;
        return;
    }
    print_cred_part(plain, n, "enc-part, decrypted", whose);
    wipe(plain, n);
}

int kdc_explain(const uint8_t *p, size_t n, size_t base, const char *how, size_t whole)
{
    uint8_t tag = p[0];
    struct der_error e;
    struct der d;
    der_init(&d, p, n, &e);
    padata_fast = 0;
    struct der app = der_enter(&d, tag);
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    if (!der_ok(&d))
        return gx_failed(&e, base);
    int request = tag == DER_APP(10) || tag == DER_APP(12);
    int cred = tag == DER_APP(22);
    xo_message("Kerberos %s (RFC 4120 %s)%s, %zu bytes", kdc_kind(tag), cred ? "5.8.1" : request ? "5.4.1" : "5.4.2",
               how ? how : "", whole);
    unsigned first = request ? 1 : 0;
    struct der f = der_enter(&seq, DER_CTX(first));
    int64_t pvno = der_read_int(&f);
    f = der_enter(&seq, DER_CTX(first + 1));
    int64_t type = der_read_int(&f);
    if (!der_ok(&d))
        return gx_failed(&e, base);
    xo_field(1, "pvno", "%lld", (long long)pvno);
    static const char *const wire_names[] = {"KRB_AS_REQ", "KRB_AS_REP", "KRB_TGS_REQ", "KRB_TGS_REP"};
    xo_field(1, "msg-type", "%lld (%s)", (long long)type, cred ? "KRB_CRED" : wire_names[(tag & 0x1f) - 10]);
    if (cred) {
        f = der_enter(&seq, DER_CTX(2));
        struct der list = der_enter(&f, DER_SEQUENCE);
        while (der_ok(&d) && list.len)
            print_ticket(1, "ticket", &list, base);
        f = der_enter(&seq, DER_CTX(3));
        int32_t etype = 0;
        uint32_t kvno;
        int has_kvno;
        struct der cipher = {0};
        if (der_ok(&d) && krb_parse_encrypted_data(&f, &etype, &kvno, &has_kvno, &cipher) == FS_OK) {
            if (etype == 0) {
                print_cred_part(cipher.p, cipher.len, "enc-part, in the clear",
                                "etype 0: not encrypted, so whoever holds these bytes holds the keys");
            } else {
                xo_field_at(1, "enc-part", kdc_at(&cipher, base), cipher.len,
                            "%s (%d), encrypted in the AP exchange's session key or subkey (usage 14)",
                            gx_etype_name(etype), etype);
                open_cred(etype, cipher.p, cipher.len);
            }
        }
    } else if (request) {
        if (der_enter_optional(&seq, DER_CTX(3), &f))
            kdc_print_padata(1, "padata", &f, base);
        f = der_enter(&seq, DER_CTX(4));
        print_req_body(&f, base);
    } else {
        if (der_enter_optional(&seq, DER_CTX(2), &f))
            kdc_print_padata(1, "padata", &f, base);
        f = der_enter(&seq, DER_CTX(3));
        char *crealm = der_read_string(&f);
        struct krb_principal cname;
        f = der_enter(&seq, DER_CTX(4));
        int named = der_ok(&d) && krb_parse_principal(&f, &cname) == FS_OK;
        if (named) {
            xo_field(1, "crealm", "%s", crealm ? crealm : "");
            gx_print_principal(1, "cname", &cname);
        }
        f = der_enter(&seq, DER_CTX(5));
        print_ticket(1, "ticket", &f, base);
        f = der_enter(&seq, DER_CTX(6));
        struct der enc = f;
        print_encrypted(1, "enc-part", &f, base, tag == DER_APP(11)
                        ? "EncASRepPart in the client's long-term key (usage 3): the session key, times, flags"
                        : "EncTGSRepPart in the TGT's session key or subkey (usage 8 or 9)");
        int32_t etype = 0;
        uint32_t kvno;
        int has_kvno;
        struct der cipher = {0};
        if (named && der_ok(&d) && krb_parse_encrypted_data(&enc, &etype, &kvno, &has_kvno, &cipher) == FS_OK) {
            if (tag == DER_APP(11))
                open_as_rep(crealm ? crealm : "", &cname, etype, cipher.p, cipher.len);
            else
                open_tgs_rep(etype, cipher.p, cipher.len);
        }
        free(crealm);
        if (named)
            krb_principal_free(&cname);
    }
    if (!der_ok(&d))
        return gx_failed(&e, base);
    return 0;
}
