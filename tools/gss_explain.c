/* SPNEGO and Kerberos tokens explained field by field, for the tools: OIDs and enctypes by name, flags
 * by name, times as dates, inner tokens explained in turn. What is encrypted is shown as such (no keys
 * here). Malformed input: the byte offset and what is wrong there. */
#include "gss_explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm_explain.h"
#include "packages/der.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/negotiate/spnego.h"

static int failed(const struct der_error *e, size_t base)
{
    fprintf(stderr, "%s: offset %zu: %s\n", ntlm_explain_program, base + e->offset, e->what ? e->what : "malformed");
    return 1;
}

static void print_hex(const char *indent, const char *label, const uint8_t *p, size_t n)
{
    printf("%s%-24s ", indent, label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static const char *etype_name(int32_t e)
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
    default: return "unknown enctype";
    }
}

static const char *name_type(int32_t t)
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

static void print_principal(const char *indent, int width, const char *label, const struct krb_principal *p)
{
    char text[512];
    krb_principal_format(p, text, sizeof text);
    printf("%s%-*s %s (%s)\n", indent, width, label, text, name_type(p->type));
}

static void print_ap_options(uint32_t opts)
{
    printf("  %-24s 0x%08x", "ap-options", opts);
    const char *sep = " ";
    if (opts & 0x40000000u)
        printf("%suse-session-key", sep), sep = " | ";
    if (opts & KRB_AP_MUTUAL_REQUIRED)
        printf("%smutual-required", sep), sep = " | ";
    printf("%s\n", *sep == ' ' && sep[1] == '\0' ? " (none)" : "");
}

static int explain_ap_req(const uint8_t *p, size_t n, size_t base)
{
    struct krb_ap_req r;
    struct der_error e;
    if (krb_parse_ap_req(p, n, &r, &e) != FS_OK)
        return failed(&e, base);
    printf("  %-24s 5\n", "pvno");
    printf("  %-24s 14 (KRB_AP_REQ)\n", "msg-type");
    print_ap_options(r.ap_options);
    printf("  ticket\n");
    printf("    %-22s %s\n", "realm", r.realm);
    print_principal("    ", 22, "sname", &r.sname);
    printf("    %-22s %s (%d), kvno %u, %zu bytes encrypted in the service's key (usage 2)\n", "enc-part",
           etype_name(r.ticket_etype), r.ticket_etype, r.ticket_kvno, r.ticket_cipher_len);
    printf("  %-24s %s (%d), %zu bytes encrypted in the ticket's session key (usage 11)\n", "authenticator",
           etype_name(r.auth_etype), r.auth_etype, r.auth_cipher_len);
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
        return failed(&e, base);
    der_expect_end(&seq);
    if (!der_ok(&d))
        return failed(&e, base);
    printf("  %-24s %lld\n", "pvno", (long long)pvno);
    printf("  %-24s %lld (KRB_AP_REP)\n", "msg-type", (long long)type);
    printf("  %-24s %s (%d), %zu bytes encrypted in the session key (usage 12): ctime, cusec, subkey, "
           "seq-number\n", "enc-part", etype_name(etype), etype, cipher.len);
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
    char *etext = NULL;
    uint64_t stime = 0;
    for (unsigned tag = 0; tag <= 12 && der_ok(&d); tag++) {
        struct der f;
        if (!der_enter_optional(&seq, (uint8_t)DER_CTX(tag), &f))
            continue;
        if (tag == 4)
            stime = der_read_time(&f);
        else if (tag == 6)
            code = der_read_int(&f);
        else if (tag == 11)
            etext = der_read_string(&f);
    }
    if (!der_ok(&d)) {
        free(etext);
        return failed(&e, base);
    }
    char when[16] = "?";
    der_time_format(stime, when);
    printf("  %-24s 30 (KRB_ERROR)\n", "msg-type");
    printf("  %-24s %s\n", "stime", when);
    printf("  %-24s %lld %s\n", "error-code", (long long)code, krb_error_name(code));
    if (etext)
        printf("  %-24s %s\n", "e-text", etext);
    free(etext);
    return 0;
}

/* A Kerberos message, framed for GSS-API or bare. */
static int explain_kerberos(const uint8_t *p, size_t n, size_t base)
{
    uint16_t tok_id = 0;
    const uint8_t *inner = p;
    size_t inner_len = n;
    int framed = n && p[0] == 0x60;
    if (framed) {
        if (krb_gss_unframe(p, n, &tok_id, &inner, &inner_len) != FS_OK) {
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
                return failed(&e, base);
            char dotted[128];
            der_oid_format(oid.p, oid.len, dotted, sizeof dotted);
            fprintf(stderr, "%s: offset %zu: a GSS-API token for mechanism %s, not Kerberos or SPNEGO\n",
                    ntlm_explain_program, base + (size_t)(oid.p - p), dotted);
            return 1;
        }
        base += (size_t)(inner - p);
    }
    const char *how = framed ? ", GSS-API framed (RFC 4121 4.1)" : "";
    uint8_t tag = inner_len ? inner[0] : 0;
    if (tag == DER_APP(14)) {
        printf("Kerberos AP-REQ (RFC 4120 5.5.1)%s, %zu bytes\n", how, n);
        return explain_ap_req(inner, inner_len, base);
    }
    if (tag == DER_APP(15)) {
        printf("Kerberos AP-REP (RFC 4120 5.5.2)%s, %zu bytes\n", how, n);
        return explain_ap_rep(inner, inner_len, base);
    }
    if (tag == DER_APP(30)) {
        printf("Kerberos KRB-ERROR (RFC 4120 5.9.1)%s, %zu bytes\n", how, n);
        return explain_krb_error(inner, inner_len, base);
    }
    fprintf(stderr, "%s: offset %zu: not an AP-REQ, AP-REP or KRB-ERROR (tag 0x%02x, TOK_ID %04x)\n",
            ntlm_explain_program, base, tag, tok_id);
    return 1;
}

static int explain_inner(const char *label, const uint8_t *p, size_t n, size_t base)
{
    printf("  %s (%zu bytes):\n", label, n);
    if (n >= 8 && !memcmp(p, "NTLMSSP", 8))
        return ntlm_explain(p, n);
    return gss_explain_at(p, n, base);
}

static int explain_init(const uint8_t *p, size_t n)
{
    struct spnego_init init;
    struct der_error e;
    if (spnego_parse_init(p, n, &init, &e) != FS_OK)
        return failed(&e, 0);
    printf("SPNEGO NegTokenInit (RFC 4178 4.2.1), GSS-API framed (OID 1.3.6.1.5.5.2), %zu bytes\n", n);
    printf("  mechTypes\n");
    for (size_t i = 0; i < init.nmechs; i++) {
        char dotted[128];
        der_oid_format(init.mech_oids[i], init.mech_oid_lens[i], dotted, sizeof dotted);
        if (!strcmp(dotted, "1.2.840.113554.1.2.2.3"))
            printf("    Kerberos user-to-user (%s)", dotted);
        else if (init.mechs[i] == MECH_UNKNOWN)
            printf("    %s (not a mechanism libfakesspi speaks)", dotted);
        else
            printf("    %s", spnego_mech_name(init.mechs[i]));
        printf("%s\n", i == 0 && init.token ? "  <- the optimistic token's" : "");
    }
    if (init.has_hints)
        printf("  %-24s present (Microsoft's NegTokenInit2, a server's first word)\n", "negHints");
    if (init.mic)
        print_hex("  ", "mechListMIC", init.mic, init.mic_len);
    if (init.token)
        return explain_inner("mechToken", init.token, init.token_len, (size_t)(init.token - p));
    return 0;
}

static int explain_resp(const uint8_t *p, size_t n)
{
    struct spnego_resp r;
    struct der_error e;
    if (spnego_parse_resp(p, n, &r, &e) != FS_OK)
        return failed(&e, 0);
    static const char *const states[] = {"accept-completed", "accept-incomplete", "reject", "request-mic"};
    printf("SPNEGO NegTokenResp (RFC 4178 4.2.2), %zu bytes\n", n);
    if (r.state != NEG_ABSENT)
        printf("  %-24s %d (%s)\n", "negState", (int)r.state, states[r.state]);
    if (r.has_mech)
        printf("  %-24s %s\n", "supportedMech", spnego_mech_name(r.mech));
    if (r.mic)
        print_hex("  ", "mechListMIC", r.mic, r.mic_len);
    if (r.token)
        return explain_inner("responseToken", r.token, r.token_len, (size_t)(r.token - p));
    return 0;
}

int gss_explain_at(const uint8_t *msg, size_t len, size_t base)
{
    if (len >= 8 && !memcmp(msg, "NTLMSSP", 8))
        return ntlm_explain(msg, len);
    if (spnego_is_init(msg, len))
        return explain_init(msg, len);
    if (len && msg[0] == DER_CTX(1))
        return explain_resp(msg, len);
    if (len && (msg[0] == 0x60 || msg[0] == DER_APP(14) || msg[0] == DER_APP(15) || msg[0] == DER_APP(30)))
        return explain_kerberos(msg, len, base);
    fprintf(stderr, "%s: offset %zu: neither NTLM, SPNEGO nor Kerberos (first byte 0x%02x)\n", ntlm_explain_program,
            base, len ? msg[0] : 0);
    return 1;
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
    if (n && p[0] == 0x60 && krb_gss_unframe(p, n, &tok_id, &inner, &inner_len) != FS_OK)
        return "GSS-API token";
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
