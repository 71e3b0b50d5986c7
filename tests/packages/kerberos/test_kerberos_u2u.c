/* Kerberos user-to-user (ISC_REQ_USE_SESSION_KEY, draft-swift-win2k-krb-user2user): the client's KERB-TGT-REQUEST
 * (token id 0x0400 under the user-to-user OID 1.2.840.113554.1.2.2.3), the server's KERB-TGT-REPLY (0x0401) carrying its
 * credential's TGT, and the client's AP-REQ with USE-SESSION-KEY around a ticket the KDC encrypted in that TGT's session
 * key (ENC-TKT-IN-SKEY); the flags on both sides, message protection afterwards, the ticket cache, and the errors
 * (doc/semantics.md §66). */
#include "sspi/sspitest.h"
#include "api/lsa_test_strings.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "packages/der.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_crypto.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_kdc.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/negotiate/spnego.h"
#include "security/domain_current.h"

#define SPN "HTTP/server.example.test"
#define U2U (ISC_REQ_USE_SESSION_KEY | ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | \
             ISC_REQ_REPLAY_DETECT)
#define HOURS(n) FAKESSPI_SECONDS((n) * 3600)
/* The user-to-user OID's DER: 06 0a, then 1.2.840.113554.1.2.2.3 */
static const unsigned char u2u_oid[] = {0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x03};

struct u2u {
    struct kerberos_ends e; /* alice's and svc_server's credentials, the two contexts */
    unsigned char tgt_req[4096], tgt_rep[8192], ap_req[8192], ap_rep[4096];
    ULONG tgt_req_len, tgt_rep_len, ap_req_len, ap_rep_len;
    ULONG client_attrs, server_attrs;
};

static void credentials(struct u2u *k)
{
    memset(k, 0, sizeof *k);
    kerberos_ends_acquire(&k->e);
}

static SECURITY_STATUS client_leg(struct u2u *k, ULONG req, const unsigned char *in, ULONG in_len, unsigned char *out,
                                  ULONG *out_len, ULONG cap)
{
    SecBuffer ib = {in_len, SECBUFFER_TOKEN, (void *)in}, ob = {cap, SECBUFFER_TOKEN, out};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &ib}, outd = {SECBUFFER_VERSION, 1, &ob};
    k->client_attrs = 0xdeadbeef;
    int first = !SecIsValidHandle(&k->e.client);
    SECURITY_STATUS st = InitializeSecurityContextA(&k->e.cc, first ? NULL : &k->e.client, (SEC_CHAR *)SPN, req, 0,
                                                    SECURITY_NATIVE_DREP, first ? NULL : &ind, 0, &k->e.client, &outd,
                                                    &k->client_attrs, NULL);
    if (first && st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
        SecInvalidateHandle(&k->e.client);
    *out_len = ob.cbBuffer;
    return st;
}

static SECURITY_STATUS server_leg(struct u2u *k, const unsigned char *in, ULONG in_len, unsigned char *out,
                                  ULONG *out_len, ULONG cap, TimeStamp *expiry)
{
    SecBuffer ib = {in_len, SECBUFFER_TOKEN, (void *)in}, ob = {cap, SECBUFFER_TOKEN, out};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &ib}, outd = {SECBUFFER_VERSION, 1, &ob};
    k->server_attrs = 0xdeadbeef;
    int first = !SecIsValidHandle(&k->e.server);
    SECURITY_STATUS st = AcceptSecurityContext(&k->e.sc, first ? NULL : &k->e.server, &ind, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &k->e.server, &outd, &k->server_attrs, expiry);
    if (first && st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
        SecInvalidateHandle(&k->e.server);
    *out_len = ob.cbBuffer;
    return st;
}

/* The first two legs: the client's TGT request and the server's TGT reply. */
static void two_legs(struct u2u *k, ULONG req)
{
    ck_assert_sec_status(client_leg(k, req, NULL, 0, k->tgt_req, &k->tgt_req_len, sizeof k->tgt_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(k, k->tgt_req, k->tgt_req_len, k->tgt_rep, &k->tgt_rep_len, sizeof k->tgt_rep, NULL),
                         SEC_I_CONTINUE_NEEDED);
}

/* The whole mutual exchange: TGT request, TGT reply, AP-REQ, AP-REP. */
static void handshake(struct u2u *k)
{
    credentials(k);
    two_legs(k, U2U);
    ck_assert_sec_status(client_leg(k, U2U, k->tgt_rep, k->tgt_rep_len, k->ap_req, &k->ap_req_len, sizeof k->ap_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(k, k->ap_req, k->ap_req_len, k->ap_rep, &k->ap_rep_len, sizeof k->ap_rep, NULL),
                         SEC_E_OK);
    unsigned char none[64];
    ULONG none_len;
    ck_assert_sec_status(client_leg(k, U2U, k->ap_rep, k->ap_rep_len, none, &none_len, sizeof none), SEC_E_OK);
    ck_assert_uint_eq(none_len, 0);
}

static void u2u_free(struct u2u *k) { kerberos_ends_free(&k->e); }

/* The token's framing: the user-to-user OID and tok_id; the inner message in *inner. */
static void unframe_u2u(const unsigned char *tok, ULONG len, uint16_t want, const uint8_t **inner, size_t *inner_len)
{
    ck_assert_uint_gt(len, 4 + sizeof u2u_oid + 2);
    ck_assert_uint_eq(tok[0], 0x60);
    size_t at = tok[1] & 0x80 ? 2u + (tok[1] & 0x7fu) : 2u; /* past [APPLICATION 0]'s length */
    ck_assert_mem_eq(tok + at, u2u_oid, sizeof u2u_oid);
    ck_assert_uint_eq((unsigned)(tok[at + sizeof u2u_oid] << 8 | tok[at + 1 + sizeof u2u_oid]), want);
    int u2u = 0;
    uint16_t tok_id = 0;
    ck_assert_int_eq(krb_gss_unframe_any(tok, len, &u2u, &tok_id, inner, inner_len), FS_OK);
    ck_assert_int_eq(u2u, 1);
    ck_assert_uint_eq(tok_id, want);
}

/* The server's TGT out of its TGT reply, opened with the KDC's key. */
static void open_server_tgt(const struct u2u *k, struct krb_ticket *tgt)
{
    const uint8_t *inner, *ticket;
    size_t inner_len, ticket_len;
    unframe_u2u(k->tgt_rep, k->tgt_rep_len, KRB_TOK_TGT_REP, &inner, &inner_len);
    struct der_error derr;
    ck_assert_int_eq(krb_parse_tgt_reply(inner, inner_len, &ticket, &ticket_len, &derr), FS_OK);
    struct krb_ap_req r;
    ck_assert_int_eq(krb_parse_ticket(ticket, ticket_len, &r), FS_OK);
    char sname[64];
    krb_principal_format(&r.sname, sname, sizeof sname);
    ck_assert_str_eq(sname, "krbtgt/EXAMPLE.TEST");
    ck_assert_str_eq(r.realm, "EXAMPLE.TEST");
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key kdc;
    ck_assert_int_eq(krb_kdc_key(d, KRB_KDC_ETYPE, &kdc), FS_OK);
    fs_domain_release();
    ck_assert_int_eq(krb_open_ticket(&r, &kdc, tgt), FS_OK);
    krb_ap_req_free(&r);
}

/* ---- the legs ---- */

START_TEST(the_first_leg_is_a_tgt_request_under_the_user_to_user_oid)
{
    struct u2u k;
    credentials(&k);
    ck_assert_sec_status(client_leg(&k, U2U, NULL, 0, k.tgt_req, &k.tgt_req_len, sizeof k.tgt_req),
                         SEC_I_CONTINUE_NEEDED);
    const uint8_t *inner;
    size_t inner_len;
    unframe_u2u(k.tgt_req, k.tgt_req_len, 0x0400, &inner, &inner_len);
    /* KERB-TGT-REQUEST ::= SEQUENCE { pvno[0] 5, msg-type[1] 16, server-name[2], realm[3] } */
    static const unsigned char head[] = {0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x10};
    ck_assert_uint_eq(inner[0], 0x30);
    ck_assert_mem_eq(inner + 2, head, sizeof head);
    struct krb_tgt_request req;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_tgt_request(inner, inner_len, &req, &derr), FS_OK);
    ck_assert_int_eq(req.has_sname, 1);
    char sname[64];
    krb_principal_format(&req.sname, sname, sizeof sname);
    ck_assert_str_eq(sname, SPN);
    ck_assert_str_eq(req.realm, "EXAMPLE.TEST");
    krb_tgt_request_free(&req);
    ck_assert_uint_eq(k.client_attrs & (ISC_RET_USE_SESSION_KEY | ISC_RET_MUTUAL_AUTH),
                      ISC_RET_USE_SESSION_KEY | ISC_RET_MUTUAL_AUTH);
    u2u_free(&k);
}
END_TEST

START_TEST(the_server_answers_its_own_tgt_in_a_tgt_reply)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    ck_assert_uint_eq(k.server_attrs & ASC_RET_USE_SESSION_KEY, ASC_RET_USE_SESSION_KEY);
    const uint8_t *inner;
    size_t inner_len;
    unframe_u2u(k.tgt_rep, k.tgt_rep_len, 0x0401, &inner, &inner_len);
    /* KERB-TGT-REPLY ::= SEQUENCE { pvno[0] 5, msg-type[1] 17, ticket[2] } */
    static const unsigned char head[] = {0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x11};
    ck_assert_mem_eq(inner + (inner[1] & 0x80 ? 2 + (inner[1] & 0x7f) : 2), head, sizeof head);
    struct krb_ticket tgt;
    open_server_tgt(&k, &tgt);
    ck_assert_str_eq(tgt.cname.parts[0], "svc_server"); /* the server credential's own TGT */
    ck_assert_uint_eq(tgt.flags & KRB_TKT_INITIAL, KRB_TKT_INITIAL);
    krb_ticket_free(&tgt);
    /* between its legs the context names no client */
    SecPkgContext_NamesA names = {(SEC_CHAR *)0xdeadbeef};
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_NAMES, &names), SEC_E_UNSUPPORTED_FUNCTION);
    u2u_free(&k);
}
END_TEST

START_TEST(the_ap_req_uses_the_session_key_and_its_ticket_opens_only_with_the_tgts)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    ck_assert_sec_status(client_leg(&k, U2U, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(k.client_attrs & ISC_RET_USE_SESSION_KEY, ISC_RET_USE_SESSION_KEY);
    const uint8_t *inner;
    size_t inner_len;
    unframe_u2u(k.ap_req, k.ap_req_len, KRB_TOK_AP_REQ, &inner, &inner_len);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &derr), FS_OK);
    /* APOptions bit 1, use-session-key, and bit 2, mutual-required */
    ck_assert_uint_eq(r.ap_options, KRB_AP_USE_SESSION_KEY | KRB_AP_MUTUAL_REQUIRED);
    char sname[64];
    krb_principal_format(&r.sname, sname, sizeof sname);
    ck_assert_str_eq(sname, SPN);
    struct krb_ticket tgt, t;
    open_server_tgt(&k, &tgt);
    ck_assert_int_eq(r.ticket_etype, tgt.session_key.etype); /* encrypted in the TGT's session key */
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key service_key;
    ck_assert_int_eq(krb_user_key(d, fs_domain_find_user(d, "svc_server"), KRB_ETYPE_AES256, &service_key), FS_OK);
    fs_domain_release();
    ck_assert_int_eq(krb_open_ticket(&r, &service_key, &t), FS_E_MESSAGE_ALTERED); /* not the long-term key */
    ck_assert_int_eq(krb_open_ticket(&r, &tgt.session_key, &t), FS_OK);
    ck_assert_str_eq(t.cname.parts[0], "alice");
    ck_assert_uint_le(t.endtime, tgt.endtime); /* it ends no later than the TGT */
    krb_ticket_free(&t);
    krb_ticket_free(&tgt);
    krb_ap_req_free(&r);
    u2u_free(&k);
}
END_TEST

START_TEST(the_server_takes_it_and_the_ap_rep_completes_both_sides_with_use_session_key)
{
    struct u2u k;
    handshake(&k);
    ck_assert_uint_eq(k.server_attrs & (ASC_RET_USE_SESSION_KEY | ASC_RET_MUTUAL_AUTH),
                      ASC_RET_USE_SESSION_KEY | ASC_RET_MUTUAL_AUTH);
    ck_assert_uint_eq(k.client_attrs & (ISC_RET_USE_SESSION_KEY | ISC_RET_MUTUAL_AUTH),
                      ISC_RET_USE_SESSION_KEY | ISC_RET_MUTUAL_AUTH);
    const uint8_t *inner;
    size_t inner_len;
    unframe_u2u(k.ap_rep, k.ap_rep_len, KRB_TOK_AP_REP, &inner, &inner_len); /* the AP-REP too */
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    u2u_free(&k);
}
END_TEST

START_TEST(without_mutual_authentication_the_ap_req_is_the_last_leg)
{
    struct u2u k;
    credentials(&k);
    ULONG req = ISC_REQ_USE_SESSION_KEY | ISC_REQ_CONFIDENTIALITY;
    two_legs(&k, req);
    ck_assert_sec_status(client_leg(&k, req, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_E_OK);
    ck_assert_sec_status(server_leg(&k, k.ap_req, k.ap_req_len, k.ap_rep, &k.ap_rep_len, sizeof k.ap_rep, NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(k.ap_rep_len, 0);
    ck_assert_uint_eq(k.server_attrs & ASC_RET_USE_SESSION_KEY, ASC_RET_USE_SESSION_KEY);
    const char msg[] = "three legs";
    char buf[64], sig[64];
    memcpy(buf, msg, sizeof msg);
    SecBuffer b[2] = {{sizeof msg, SECBUFFER_DATA, buf}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(&k.e.client, 0, &desc, 0), SEC_E_OK);
    ULONG qop;
    ck_assert_sec_status(VerifySignature(&k.e.server, &desc, 0, &qop), SEC_E_OK);
    u2u_free(&k);
}
END_TEST

START_TEST(messages_are_signed_and_sealed_both_ways_afterwards)
{
    struct u2u k;
    handshake(&k);
    CtxtHandle *ends[2][2] = {{&k.e.client, &k.e.server}, {&k.e.server, &k.e.client}};
    for (int i = 0; i < 2; i++) {
        const char msg[] = "under the TGT's session key";
        char buf[64], trailer[128], sig[64];
        memcpy(buf, msg, sizeof msg);
        SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof msg, SECBUFFER_DATA, buf}};
        SecBufferDesc desc = {SECBUFFER_VERSION, 2, b};
        ck_assert_sec_status(EncryptMessage(ends[i][0], 0, &desc, 0), SEC_E_OK);
        ck_assert_int_ne(memcmp(buf, msg, sizeof msg), 0);
        ULONG qop;
        ck_assert_sec_status(DecryptMessage(ends[i][1], &desc, 0, &qop), SEC_E_OK);
        ck_assert_mem_eq(buf, msg, sizeof msg);
        SecBuffer s[2] = {{sizeof msg, SECBUFFER_DATA, buf}, {sizeof sig, SECBUFFER_TOKEN, sig}};
        SecBufferDesc sdesc = {SECBUFFER_VERSION, 2, s};
        ck_assert_sec_status(MakeSignature(ends[i][0], 0, &sdesc, 0), SEC_E_OK);
        ck_assert_sec_status(VerifySignature(ends[i][1], &sdesc, 0, &qop), SEC_E_OK);
        buf[0] ^= 1;
        ck_assert_sec_status(VerifySignature(ends[i][1], &sdesc, 0, &qop), SEC_E_MESSAGE_ALTERED);
    }
    u2u_free(&k);
}
END_TEST

/* The caller's ticket for server as KerbQueryTicketCacheExMessage lists it: 0 when there is none. */
static int listed(const char *server, KERB_TICKET_CACHE_INFO_EX *out)
{
    HANDLE lsa;
    ULONG kerberos;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING name = {8, 9, (PCHAR) "Kerberos"};
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &kerberos), STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheExMessage, {0, 0}};
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *r = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, (void **)&r, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    int found = 0;
    for (ULONG i = 0; i < r->CountOfTickets; i++) {
        if (!strcmp(narrow(&r->Tickets[i].ServerName), server) && !strcmp(narrow(&r->Tickets[i].ClientName), "alice")) {
            *out = r->Tickets[i];
            found = 1;
        }
    }
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    return found;
}

START_TEST(the_ticket_cache_lists_the_user_to_user_ticket)
{
    struct u2u k;
    KERB_TICKET_CACHE_INFO_EX info;
    ck_assert_int_eq(listed(SPN, &info), 0);
    handshake(&k);
    ck_assert_int_eq(listed(SPN, &info), 1);
    struct krb_ticket tgt;
    open_server_tgt(&k, &tgt);
    ck_assert_int_eq(info.EncryptionType, KRB_ETYPE_AES256);
    ck_assert_uint_eq(info.TicketFlags, 0x40a10000u); /* forwardable renewable pre_authent name_canonicalize */
    ck_assert_int_le(info.EndTime.QuadPart, (LONGLONG)tgt.endtime);
    krb_ticket_free(&tgt);
    /* A handshake without user-to-user does not take it: the service's key cannot open it. */
    CtxtHandle plain, server;
    unsigned char tok[8192], rep[4096];
    SecBuffer ob = {sizeof tok, SECBUFFER_TOKEN, tok};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&k.e.cc, NULL, (SEC_CHAR *)SPN, ISC_REQ_CONFIDENTIALITY, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &plain, &outd, &attrs, NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(attrs & ISC_RET_USE_SESSION_KEY, 0);
    SecBuffer ib = {ob.cbBuffer, SECBUFFER_TOKEN, tok}, rb = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &ib}, repd = {SECBUFFER_VERSION, 1, &rb};
    ck_assert_sec_status(AcceptSecurityContext(&k.e.sc, NULL, &ind, 0, SECURITY_NATIVE_DREP, &server, &repd, &attrs,
                                               NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(attrs & ASC_RET_USE_SESSION_KEY, 0);
    DeleteSecurityContext(&plain);
    DeleteSecurityContext(&server);
    u2u_free(&k);
}
END_TEST


/* Windows does user-to-user through Negotiate (RDP's client asks for it there): the four legs in SPNEGO, the inner
 * tokens under the user-to-user OID, USE_SESSION_KEY on both sides (doc/semantics.md §66). */
START_TEST(negotiate_carries_the_four_legs_in_spnego)
{
    CredHandle cc, sc;
    CtxtHandle client, server;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &cc, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Negotiate", &sc), SEC_E_OK);
    unsigned char c2s[8192], s2c[8192];
    SecBuffer cout = {sizeof c2s, SECBUFFER_TOKEN, c2s}, sout = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBuffer cin = {0, SECBUFFER_TOKEN, s2c}, sin = {0, SECBUFFER_TOKEN, c2s};
    SecBufferDesc coutd = {SECBUFFER_VERSION, 1, &cout}, soutd = {SECBUFFER_VERSION, 1, &sout};
    SecBufferDesc cind = {SECBUFFER_VERSION, 1, &cin}, sind = {SECBUFFER_VERSION, 1, &sin};
    ULONG cattrs, sattrs;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)SPN, U2U, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                    &client, &coutd, &cattrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(cattrs & ISC_RET_USE_SESSION_KEY, ISC_RET_USE_SESSION_KEY);
    struct spnego_init init;
    struct der_error derr;
    ck_assert_int_eq(spnego_parse_init(c2s, cout.cbBuffer, &init, &derr), FS_OK);
    unframe_u2u(init.token, (ULONG)init.token_len, KRB_TOK_TGT_REQ, &inner, &inner_len);
    sin.cbBuffer = cout.cbBuffer;
    ck_assert_sec_status(AcceptSecurityContext(&sc, NULL, &sind, 0, SECURITY_NATIVE_DREP, &server, &soutd, &sattrs,
                                               NULL),
                         SEC_I_CONTINUE_NEEDED);
    struct spnego_resp r;
    ck_assert_int_eq(spnego_parse_resp(s2c, sout.cbBuffer, &r, &derr), FS_OK);
    ck_assert_int_eq(r.state, NEG_ACCEPT_INCOMPLETE);
    unframe_u2u(r.token, (ULONG)r.token_len, KRB_TOK_TGT_REP, &inner, &inner_len);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, &client, (SEC_CHAR *)SPN, U2U, 0, SECURITY_NATIVE_DREP, &cind,
                                                    0, &client, &coutd, &cattrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(spnego_parse_resp(c2s, cout.cbBuffer, &r, &derr), FS_OK);
    unframe_u2u(r.token, (ULONG)r.token_len, KRB_TOK_AP_REQ, &inner, &inner_len);
    sin.cbBuffer = cout.cbBuffer;
    sout.cbBuffer = sizeof s2c;
    ck_assert_sec_status(AcceptSecurityContext(&sc, &server, &sind, 0, SECURITY_NATIVE_DREP, &server, &soutd, &sattrs,
                                               NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(sattrs & ASC_RET_USE_SESSION_KEY, ASC_RET_USE_SESSION_KEY);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, &client, (SEC_CHAR *)SPN, U2U, 0, SECURITY_NATIVE_DREP, &cind,
                                                    0, &client, &coutd, &cattrs, NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(cattrs & ISC_RET_USE_SESSION_KEY, ISC_RET_USE_SESSION_KEY);
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(&server, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, "Kerberos");
    FreeContextBuffer(ni.PackageInfo);
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* ---- what Windows drops, and the errors ---- */

START_TEST(dce_style_and_datagram_drop_use_session_key)
{
    struct u2u k;
    credentials(&k);
    ck_assert_sec_status(client_leg(&k, ISC_REQ_USE_SESSION_KEY | ISC_REQ_USE_DCE_STYLE | ISC_REQ_CONFIDENTIALITY,
                                    NULL, 0, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(k.ap_req[0], 0x6e); /* DCE style's bare AP-REQ, no TGT request */
    ck_assert_uint_eq(k.client_attrs & ISC_RET_USE_SESSION_KEY, 0);
    DeleteSecurityContext(&k.e.client);
    SecInvalidateHandle(&k.e.client);
    /* with ISC_REQ_DATAGRAM too: an AP-REQ under Kerberos' OID (token id 0x0100), not a TGT request */
    ck_assert_sec_status(client_leg(&k, ISC_REQ_USE_SESSION_KEY | ISC_REQ_DATAGRAM | ISC_REQ_CONFIDENTIALITY, NULL, 0,
                                    k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_E_OK);
    uint16_t tok_id = 0;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(k.ap_req, k.ap_req_len, &tok_id, &inner, &inner_len), FS_OK);
    ck_assert_uint_eq(tok_id, KRB_TOK_AP_REQ);
    ck_assert_uint_eq(k.client_attrs & ISC_RET_USE_SESSION_KEY, 0);
    u2u_free(&k);
}
END_TEST

/* A TGT reply the client cannot read: SEC_E_INVALID_TOKEN, whatever is wrong with it. */
START_TEST(a_tgt_reply_that_is_garbage_is_invalid_token)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    const uint8_t *inner;
    size_t inner_len;
    unframe_u2u(k.tgt_rep, k.tgt_rep_len, KRB_TOK_TGT_REP, &inner, &inner_len);
    const uint8_t *ticket;
    size_t ticket_len;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_tgt_reply(inner, inner_len, &ticket, &ticket_len, &derr), FS_OK);
    struct fs_writer w[5];
    for (int i = 0; i < 5; i++)
        fs_writer_init(&w[i]);
    fs_write_bytes(&w[0], "not a token at all", 18);
    struct fs_writer reply;
    fs_writer_init(&reply);
    krb_build_tgt_reply(ticket, ticket_len, &reply);
    krb_gss_frame(&w[1], krb_oid_krb5, KRB_TOK_TGT_REP, reply.data, reply.len); /* Kerberos' OID, not u2u's */
    krb_gss_frame_u2u(&w[2], KRB_TOK_AP_REP, reply.data, reply.len);          /* another token id */
    krb_gss_frame_u2u(&w[3], KRB_TOK_TGT_REP, (const uint8_t *)"\x30\x03\x02\x01\x05", 5);
    /* the reply with msg-type 16 (KRB_TGT_REQ) where 17 belongs */
    uint8_t *wrong = malloc(inner_len);
    memcpy(wrong, inner, inner_len);
    size_t at = (wrong[1] & 0x80 ? 2u + (wrong[1] & 0x7fu) : 2u) + 9; /* pvno[0], then msg-type[1]'s value */
    ck_assert_uint_eq(wrong[at], 17);
    wrong[at] = 16;
    krb_gss_frame_u2u(&w[4], KRB_TOK_TGT_REP, wrong, inner_len);
    free(wrong);
    fs_writer_free(&reply);
    for (int i = 0; i < 5; i++) {
        struct u2u c;
        credentials(&c);
        ck_assert_sec_status(client_leg(&c, U2U, NULL, 0, c.tgt_req, &c.tgt_req_len, sizeof c.tgt_req),
                             SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(client_leg(&c, U2U, w[i].data, (ULONG)w[i].len, c.ap_req, &c.ap_req_len, sizeof c.ap_req),
                             SEC_E_INVALID_TOKEN);
        u2u_free(&c);
        fs_writer_free(&w[i]);
    }
    /* the real reply still works */
    ck_assert_sec_status(client_leg(&k, U2U, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_I_CONTINUE_NEEDED);
    u2u_free(&k);
}
END_TEST

START_TEST(a_server_tgt_that_ends_before_the_client_asks_the_kdc_is_time_skew)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    struct krb_ticket tgt;
    open_server_tgt(&k, &tgt);
    fakesspi_clock_set(tgt.endtime + FAKESSPI_SECONDS(1));
    krb_ticket_free(&tgt);
    /* the KDC's KRB_AP_ERR_TKT_EXPIRED, which Windows' client reports as STATUS_TIME_DIFFERENCE_AT_DC */
    ck_assert_sec_status(client_leg(&k, U2U, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_E_TIME_SKEW);
    u2u_free(&k);
}
END_TEST

START_TEST(a_server_whose_tgt_ended_sends_a_renewed_one)
{
    struct u2u k;
    handshake(&k);
    struct krb_ticket first;
    open_server_tgt(&k, &first);
    u2u_free(&k);
    fakesspi_clock_set(first.endtime + FAKESSPI_SECONDS(60)); /* past its end, before its renew-till */
    handshake(&k);
    struct krb_ticket renewed;
    open_server_tgt(&k, &renewed);
    ck_assert_uint_gt(renewed.endtime, first.endtime);
    ck_assert_uint_eq(renewed.renew_till, first.renew_till);
    ck_assert_uint_eq(renewed.flags & KRB_TKT_INITIAL, 0); /* the TGS exchange's, not the AS exchange's */
    krb_ticket_free(&first);
    krb_ticket_free(&renewed);
    u2u_free(&k);
}
END_TEST

START_TEST(a_server_credential_with_a_wrong_password_gets_no_tgt)
{
    struct u2u k;
    credentials(&k);
    FreeCredentialsHandle(&k.e.sc);
    kerberos_credential("svc_server", "not its password", SECPKG_CRED_INBOUND, &k.e.sc);
    ck_assert_sec_status(client_leg(&k, U2U, NULL, 0, k.tgt_req, &k.tgt_req_len, sizeof k.tgt_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&k, k.tgt_req, k.tgt_req_len, k.tgt_rep, &k.tgt_rep_len, sizeof k.tgt_rep, NULL),
                         SEC_E_LOGON_DENIED); /* the KDC's KDC_ERR_PREAUTH_FAILED */
    u2u_free(&k);
}
END_TEST

/* A network logon keeps no password, and a client that delegated nothing left it no TGT (doc/semantics.md §66). */
START_TEST(a_network_logons_credential_has_no_tgt_to_send)
{
    struct u2u k;
    handshake(&k);
    struct u2u again;
    credentials(&again);
    FreeCredentialsHandle(&again.e.sc);
    ck_assert_sec_status(ImpersonateSecurityContext(&k.e.server), SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                   &again.e.sc, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(RevertSecurityContext(&k.e.server), SEC_E_OK);
    ck_assert_sec_status(client_leg(&again, U2U, NULL, 0, again.tgt_req, &again.tgt_req_len, sizeof again.tgt_req),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&again, again.tgt_req, again.tgt_req_len, again.tgt_rep, &again.tgt_rep_len,
                                    sizeof again.tgt_rep, NULL),
                         SEC_E_NO_CREDENTIALS);
    ck_assert(!SecIsValidHandle(&again.e.server));
    u2u_free(&again);
    u2u_free(&k);
}
END_TEST

START_TEST(another_accounts_tgt_gets_no_ticket_for_the_service)
{
    struct u2u k;
    credentials(&k);
    FreeCredentialsHandle(&k.e.sc);
    kerberos_credential("bob", "Hunter2!", SECPKG_CRED_INBOUND, &k.e.sc); /* bob answers for svc_server's SPN */
    two_legs(&k, U2U);
    ck_assert_sec_status(client_leg(&k, U2U, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_E_WRONG_PRINCIPAL);
    u2u_free(&k);
}
END_TEST

START_TEST(an_ap_req_with_use_session_key_and_no_tgt_sent_is_wrong_principal)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    ck_assert_sec_status(client_leg(&k, U2U, k.tgt_rep, k.tgt_rep_len, k.ap_req, &k.ap_req_len, sizeof k.ap_req),
                         SEC_I_CONTINUE_NEEDED);
    DeleteSecurityContext(&k.e.server); /* a new acceptor, which sent no TGT */
    SecInvalidateHandle(&k.e.server);
    ck_assert_sec_status(server_leg(&k, k.ap_req, k.ap_req_len, k.ap_rep, &k.ap_rep_len, sizeof k.ap_rep, NULL),
                         SEC_E_WRONG_PRINCIPAL);
    u2u_free(&k);
}
END_TEST

extern const char fs_default_domain_ini[];

/* A ticket in the TGT's session key naming another account's service is not for this acceptor, whoever made it
 * (the KDC makes none: it is forged here with the session key) (doc/semantics.md §66). */
START_TEST(a_ticket_in_the_session_key_for_another_accounts_service_is_wrong_principal)
{
    size_t n = strlen(fs_default_domain_ini);
    char *text = malloc(n + 128);
    snprintf(text, n + 128, "%s\n[user svc_other]\nrid = 1290\npassword = 0ther!pass\nspn = HTTP/other.example.test\n",
             fs_default_domain_ini);
    ck_assert_msg(fakesspi_load_domain_text(text, "u2u-other") == 0, "%s", fakesspi_last_message());
    free(text);
    for (int forged_other = 0; forged_other < 2; forged_other++) {
        struct u2u k;
        credentials(&k);
        two_legs(&k, U2U);
        struct krb_ticket tgt;
        open_server_tgt(&k, &tgt);
        struct krb_principal sname, cname;
        ck_assert_int_eq(krb_principal_from_text(forged_other ? "HTTP/other.example.test" : SPN, KRB_NT_SRV_INST,
                                                 &sname),
                         FS_OK);
        ck_assert_int_eq(krb_principal_from_text("alice", KRB_NT_PRINCIPAL, &cname), FS_OK);
        uint64_t now = fakesspi_clock_now();
        struct krb_ticket t = {.crealm = (char *)"EXAMPLE.TEST", .cname = cname, .authtime = now, .starttime = now,
                               .endtime = now + HOURS(1), .renew_till = now + HOURS(1)};
        krb_random_key(KRB_ETYPE_AES256, &t.session_key);
        struct krb_authenticator a = {.crealm = (char *)"EXAMPLE.TEST", .cname = cname, .has_gss_checksum = 1,
                                      .ctime = now};
        struct fs_writer ticket, auth, req, framed;
        fs_writer_init(&ticket);
        fs_writer_init(&auth);
        fs_writer_init(&req);
        fs_writer_init(&framed);
        ck_assert_int_eq(krb_build_ticket(&t, "EXAMPLE.TEST", &sname, &tgt.session_key, KRB_KVNO, &ticket), FS_OK);
        ck_assert_int_eq(krb_build_authenticator(&a, &t.session_key, &auth), FS_OK);
        krb_build_ap_req(KRB_AP_USE_SESSION_KEY, ticket.data, ticket.len, auth.data, auth.len, &req);
        krb_gss_frame_u2u(&framed, KRB_TOK_AP_REQ, req.data, req.len);
        /* the same forgery for the acceptor's own service is taken: the check is the service, not the forging */
        ck_assert_sec_status(server_leg(&k, framed.data, (ULONG)framed.len, k.ap_rep, &k.ap_rep_len, sizeof k.ap_rep,
                                        NULL),
                             forged_other ? SEC_E_WRONG_PRINCIPAL : SEC_E_OK);
        fs_writer_free(&ticket);
        fs_writer_free(&auth);
        fs_writer_free(&req);
        fs_writer_free(&framed);
        krb_principal_free(&sname);
        krb_principal_free(&cname);
        krb_ticket_free(&tgt);
        u2u_free(&k);
    }
}
END_TEST

START_TEST(after_the_tgt_reply_the_server_takes_only_a_user_to_user_ap_req)
{
    struct u2u k;
    credentials(&k);
    two_legs(&k, U2U);
    /* a plain AP-REQ, under Kerberos' OID */
    CtxtHandle plain;
    unsigned char tok[8192];
    SecBuffer ob = {sizeof tok, SECBUFFER_TOKEN, tok};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&k.e.cc, NULL, (SEC_CHAR *)SPN, ISC_REQ_CONFIDENTIALITY, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &plain, &outd, &attrs, NULL),
                         SEC_E_OK);
    DeleteSecurityContext(&plain);
    ck_assert_sec_status(server_leg(&k, tok, ob.cbBuffer, k.ap_rep, &k.ap_rep_len, sizeof k.ap_rep, NULL),
                         SEC_E_INVALID_TOKEN);
    u2u_free(&k);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos-u2u");
    TCase *tc = test_case("handshake");
    tcase_add_test(tc, the_first_leg_is_a_tgt_request_under_the_user_to_user_oid);
    tcase_add_test(tc, the_server_answers_its_own_tgt_in_a_tgt_reply);
    tcase_add_test(tc, the_ap_req_uses_the_session_key_and_its_ticket_opens_only_with_the_tgts);
    tcase_add_test(tc, the_server_takes_it_and_the_ap_rep_completes_both_sides_with_use_session_key);
    tcase_add_test(tc, without_mutual_authentication_the_ap_req_is_the_last_leg);
    tcase_add_test(tc, messages_are_signed_and_sealed_both_ways_afterwards);
    tcase_add_test(tc, the_ticket_cache_lists_the_user_to_user_ticket);
    tcase_add_test(tc, negotiate_carries_the_four_legs_in_spnego);
    suite_add_tcase(s, tc);
    tc = test_case("errors");
    tcase_add_test(tc, dce_style_and_datagram_drop_use_session_key);
    tcase_add_test(tc, a_tgt_reply_that_is_garbage_is_invalid_token);
    tcase_add_test(tc, a_server_tgt_that_ends_before_the_client_asks_the_kdc_is_time_skew);
    tcase_add_test(tc, a_server_whose_tgt_ended_sends_a_renewed_one);
    tcase_add_test(tc, a_server_credential_with_a_wrong_password_gets_no_tgt);
    tcase_add_test(tc, a_network_logons_credential_has_no_tgt_to_send);
    tcase_add_test(tc, another_accounts_tgt_gets_no_ticket_for_the_service);
    tcase_add_test(tc, an_ap_req_with_use_session_key_and_no_tgt_sent_is_wrong_principal);
    tcase_add_test(tc, after_the_tgt_reply_the_server_takes_only_a_user_to_user_ap_req);
    tcase_add_test(tc, a_ticket_in_the_session_key_for_another_accounts_service_is_wrong_principal);
    suite_add_tcase(s, tc);
    return test_run(s);
}
