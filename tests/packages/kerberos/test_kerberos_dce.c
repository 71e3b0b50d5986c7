/* DCE style (ISC_REQ_USE_DCE_STYLE, MS-KILE 3.4.5.1): the three-leg exchange DCE RPC uses. A bare AP-REQ with
 * GSS_C_DCE_STYLE in its checksum, the server's bare AP-REP with SEC_I_CONTINUE_NEEDED, the client's own AP-REP
 * with SEC_E_OK, and the server's SEC_E_OK; then message protection with RPC's header signing, and each misuse
 * (doc/semantics.md §60). */
#include "sspi/sspitest.h"
#include "packages/der.h"
#include "packages/kerberos/krb_crypto.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/negotiate/spnego.h"
#include "security/domain_ini.h"

#define SPN "HTTP/server.example.test"
#define DCE (ISC_REQ_USE_DCE_STYLE | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define PLAIN (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

struct dce {
    struct kerberos_ends e; /* alice's and svc_server's credentials, the two contexts */
    unsigned char ap_req[4096], ap_rep[4096], third[4096];
    ULONG ap_req_len, ap_rep_len, third_len;
    ULONG client_attrs, server_attrs;
};

static void credentials(struct dce *k)
{
    memset(k, 0, sizeof *k);
    kerberos_ends_acquire(&k->e);
}

static SECURITY_STATUS client_first(struct dce *k, ULONG req)
{
    SecBuffer out = {sizeof k->ap_req, SECBUFFER_TOKEN, k->ap_req};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    k->client_attrs = 0xdeadbeef;
    SECURITY_STATUS st = InitializeSecurityContextA(&k->e.cc, NULL, (SEC_CHAR *)SPN, req, 0, SECURITY_NATIVE_DREP,
                                                    NULL, 0, &k->e.client, &outd, &k->client_attrs, NULL);
    k->ap_req_len = out.cbBuffer;
    return st;
}

/* AcceptSecurityContext on token (the first leg when ctx is NULL), its answer in out. */
static SECURITY_STATUS server_leg(struct dce *k, CtxtHandle *ctx, const unsigned char *token, ULONG len,
                                  unsigned char *out, ULONG *out_len, TimeStamp *expiry)
{
    SecBuffer in = {len, SECBUFFER_TOKEN, (void *)token}, ob = {4096, SECBUFFER_TOKEN, out};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &ob};
    k->server_attrs = 0xdeadbeef;
    SECURITY_STATUS st = AcceptSecurityContext(&k->e.sc, ctx, &ind, ASC_REQ_USE_DCE_STYLE | ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &k->e.server, &outd, &k->server_attrs, expiry);
    *out_len = ob.cbBuffer;
    return st;
}

static SECURITY_STATUS client_second(struct dce *k, ULONG req, const unsigned char *token, ULONG len)
{
    SecBuffer in = {len, SECBUFFER_TOKEN, (void *)token}, out = {sizeof k->third, SECBUFFER_TOKEN, k->third};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    k->client_attrs = 0xdeadbeef;
    SECURITY_STATUS st = InitializeSecurityContextA(&k->e.cc, &k->e.client, (SEC_CHAR *)SPN, req, 0,
                                                    SECURITY_NATIVE_DREP, &ind, 0, &k->e.client, &outd,
                                                    &k->client_attrs, NULL);
    k->third_len = out.cbBuffer;
    return st;
}

/* The first two legs: the client's bare AP-REQ and the server's bare AP-REP. */
static void two_legs(struct dce *k)
{
    credentials(k);
    ck_assert_sec_status(client_first(k, DCE), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(k, NULL, k->ap_req, k->ap_req_len, k->ap_rep, &k->ap_rep_len, NULL),
                         SEC_I_CONTINUE_NEEDED);
}

static void three_legs(struct dce *k)
{
    two_legs(k);
    ck_assert_sec_status(client_second(k, DCE, k->ap_rep, k->ap_rep_len), SEC_E_OK);
    unsigned char none[4096];
    ULONG none_len;
    ck_assert_sec_status(server_leg(k, &k->e.server, k->third, k->third_len, none, &none_len, NULL), SEC_E_OK);
    ck_assert_uint_eq(none_len, 0);
}

static void dce_free(struct dce *k) { kerberos_ends_free(&k->e); }

/* ---- the three legs ---- */

START_TEST(the_first_leg_is_a_bare_ap_req_asking_for_mutual_authentication)
{
    struct dce k;
    credentials(&k);
    ck_assert_sec_status(client_first(&k, DCE), SEC_I_CONTINUE_NEEDED);
    /* [APPLICATION 14], no GSS-API 0x60 header and no token id (MS-KILE 3.4.5.1) */
    ck_assert_uint_eq(k.ap_req[0], 0x6e);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(k.ap_req, k.ap_req_len, &r, &derr), FS_OK);
    ck_assert_uint_eq(r.ap_options & KRB_AP_MUTUAL_REQUIRED, KRB_AP_MUTUAL_REQUIRED);
    krb_ap_req_free(&r);
    /* DCE style implies mutual authentication, asked for or not */
    ck_assert_uint_eq(k.client_attrs & (ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH),
                      ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH);
    /* without the flag, the token is framed as before */
    CtxtHandle plain = k.e.client;
    ck_assert_sec_status(client_first(&k, PLAIN), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(k.ap_req[0], 0x60);
    ck_assert_uint_eq(k.client_attrs & ISC_RET_USED_DCE_STYLE, 0);
    DeleteSecurityContext(&k.e.client);
    k.e.client = plain;
    dce_free(&k);
}
END_TEST

START_TEST(the_server_answers_a_bare_ap_rep_and_continue_needed)
{
    struct dce k;
    credentials(&k);
    ck_assert_sec_status(client_first(&k, DCE), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&k, NULL, k.ap_req, k.ap_req_len, k.ap_rep, &k.ap_rep_len, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_gt(k.ap_rep_len, 0);
    ck_assert_uint_eq(k.ap_rep[0], 0x6f); /* [APPLICATION 15], bare */
    ck_assert_uint_eq(k.server_attrs & (ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH),
                      ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH);
    /* The context is not established yet: no client to name, as for any context between its legs. */
    SecPkgContext_NamesA names = {(SEC_CHAR *)0xdeadbeef};
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_NAMES, &names), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_ptr_eq(names.sUserName, (SEC_CHAR *)0xdeadbeef);
    dce_free(&k);
}
END_TEST

START_TEST(the_client_checks_it_and_sends_its_own_ap_rep_with_sec_e_ok)
{
    struct dce k;
    two_legs(&k);
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OK);
    ck_assert_uint_gt(k.third_len, 0);
    ck_assert_uint_eq(k.third[0], 0x6f);
    ck_assert_uint_eq(k.client_attrs & (ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH | ISC_RET_CONFIDENTIALITY),
                      ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH | ISC_RET_CONFIDENTIALITY);
    dce_free(&k);
}
END_TEST

START_TEST(the_server_takes_the_third_leg_with_sec_e_ok_and_knows_the_client)
{
    struct dce k;
    two_legs(&k);
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OK);
    unsigned char none[4096];
    ULONG none_len = 0xdeadbeef;
    TimeStamp expiry, sentinel;
    memset(&expiry, 0xde, sizeof expiry);
    sentinel = expiry;
    ck_assert_sec_status(server_leg(&k, &k.e.server, k.third, k.third_len, none, &none_len, &expiry), SEC_E_OK);
    ck_assert_uint_eq(none_len, 0);
    ck_assert_uint_eq(k.server_attrs & (ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH | ASC_RET_CONFIDENTIALITY),
                      ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH | ASC_RET_CONFIDENTIALITY);
    ck_assert(memcmp(&expiry, &sentinel, sizeof expiry) != 0); /* the ticket's end */
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_SessionKey c, s;
    ck_assert_sec_status(QueryContextAttributesA(&k.e.client, SECPKG_ATTR_SESSION_KEY, &c), SEC_E_OK);
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_SESSION_KEY, &s), SEC_E_OK);
    ck_assert_uint_eq(c.SessionKeyLength, s.SessionKeyLength);
    ck_assert(!memcmp(c.SessionKey, s.SessionKey, c.SessionKeyLength)); /* the acceptor's subkey */
    FreeContextBuffer(c.SessionKey);
    FreeContextBuffer(s.SessionKey);
    dce_free(&k);
}
END_TEST

START_TEST(the_server_needs_no_asc_flag_a_dce_client_makes_it_dce)
{
    /* As MIT's acceptor: the authenticator's GSS_C_DCE_STYLE decides, not the acceptor's request. */
    struct dce k;
    credentials(&k);
    ck_assert_sec_status(client_first(&k, DCE), SEC_I_CONTINUE_NEEDED);
    SecBuffer in = {k.ap_req_len, SECBUFFER_TOKEN, k.ap_req}, ob = {sizeof k.ap_rep, SECBUFFER_TOKEN, k.ap_rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(AcceptSecurityContext(&k.e.sc, NULL, &ind, ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP,
                                               &k.e.server, &outd, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(attrs & ASC_RET_USED_DCE_STYLE, ASC_RET_USED_DCE_STYLE);
    dce_free(&k);
}
END_TEST

/* ---- message protection ---- */

START_TEST(sizes_report_the_dce_trailer_of_76_and_a_mic_of_28)
{
    struct dce k;
    three_legs(&k);
    SecPkgContext_Sizes sz;
    ck_assert_sec_status(QueryContextAttributesA(&k.e.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, 28);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 76);
    ck_assert_sec_status(QueryContextAttributesA(&k.e.server, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 76);
    dce_free(&k);
}
END_TEST

START_TEST(signatures_verify_both_ways_once)
{
    struct dce k;
    three_legs(&k);
    CtxtHandle *from[2] = {&k.e.client, &k.e.server}, *to[2] = {&k.e.server, &k.e.client};
    for (int i = 0; i < 2; i++) {
        char text[] = "an RPC request";
        unsigned char sig[64];
        SecBuffer b[2] = {{sizeof text - 1, SECBUFFER_DATA, text}, {28, SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_sec_status(MakeSignature(from[i], 0, &d, 0), SEC_E_OK);
        ck_assert_uint_eq(b[1].cbBuffer, 28);
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(VerifySignature(to[i], &d, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_sec_status(VerifySignature(to[i], &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    }
    dce_free(&k);
}
END_TEST

/* An RPC PDU as MS-RPCE 3.3.1.5.2 protects it with header signing: the header and the auth trailer signed and
 * left in the clear (SECBUFFER_READONLY_WITH_CHECKSUM), the stub encrypted, the Wrap token in its own buffer. */
struct pdu {
    unsigned char token[128];
    char header[16], stub[40], trailer[8];
    SecBuffer b[4];
    SecBufferDesc d;
};

static void pdu_init(struct pdu *p, const char *stub)
{
    memcpy(p->header, "\x05\x00\x00\x03\x10\x00\x00\x00\x60\x00\x4c\x00\x01\x00\x00\x00", 16);
    memset(p->stub, 0, sizeof p->stub);
    snprintf(p->stub, sizeof p->stub, "%s", stub);
    memcpy(p->trailer, "\x10\x06\x00\x00\x00\x00\x00\x00", 8);
    p->b[0] = (SecBuffer){16, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, p->header};
    p->b[1] = (SecBuffer){sizeof p->stub, SECBUFFER_DATA, p->stub};
    p->b[2] = (SecBuffer){8, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, p->trailer};
    p->b[3] = (SecBuffer){76, SECBUFFER_TOKEN, p->token};
    p->d = (SecBufferDesc){SECBUFFER_VERSION, 4, p->b};
}

START_TEST(sealed_pdus_with_signed_headers_open_on_the_other_side)
{
    struct dce k;
    three_legs(&k);
    CtxtHandle *from[2] = {&k.e.client, &k.e.server}, *to[2] = {&k.e.server, &k.e.client};
    for (int i = 0; i < 2; i++) {
        struct pdu p;
        pdu_init(&p, "the stub data of a request");
        ck_assert_sec_status(EncryptMessage(from[i], 0, &p.d, 0), SEC_E_OK);
        ck_assert_uint_eq(p.b[3].cbBuffer, 76);
        /* an RFC 4121 Wrap token, sealed, EC 16 (a block of filler) and RRC 28 */
        ck_assert_uint_eq(p.token[0], 0x05);
        ck_assert_uint_eq(p.token[1], 0x04);
        ck_assert_uint_eq(p.token[2] & 0x02, 0x02);
        ck_assert_uint_eq((unsigned)p.token[4] << 8 | p.token[5], 16);
        ck_assert_uint_eq((unsigned)p.token[6] << 8 | p.token[7], 28);
        ck_assert(memcmp(p.stub, "the stub data", 13) != 0);
        ck_assert(!memcmp(p.header, "\x05\x00\x00\x03", 4)); /* in the clear */
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(DecryptMessage(to[i], &p.d, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_str_eq(p.stub, "the stub data of a request");
    }
    dce_free(&k);
}
END_TEST

START_TEST(a_changed_signed_header_fails_with_message_altered)
{
    struct dce k;
    three_legs(&k);
    struct pdu p;
    pdu_init(&p, "stub");
    ck_assert_sec_status(EncryptMessage(&k.e.client, 0, &p.d, 0), SEC_E_OK);
    p.header[2] ^= 0x01; /* the PDU type, which only the checksum covers */
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    p.header[2] ^= 0x01;
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(p.stub, "stub");
    dce_free(&k);
}
END_TEST

START_TEST(a_dce_token_in_a_76_byte_trailer_opens_as_a_stream)
{
    struct dce k;
    three_legs(&k);
    unsigned char wire[256];
    const char text[] = "one message on the wire";
    ULONG n = (ULONG)strlen(text);
    memcpy(wire + 76, text, n);
    SecBuffer b[2] = {{76, SECBUFFER_TOKEN, wire}, {n, SECBUFFER_DATA, wire + 76}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&k.e.server, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 76);
    SecBuffer s[2] = {{76 + n, SECBUFFER_STREAM, wire}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, s};
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&k.e.client, &sd, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(s[1].cbBuffer, n);
    ck_assert(!memcmp(s[1].pvBuffer, text, n));
    dce_free(&k);
}
END_TEST

START_TEST(a_trailer_shorter_than_76_is_too_small)
{
    struct dce k;
    three_legs(&k);
    unsigned char tok[76];
    char data[] = "x";
    SecBuffer b[2] = {{60, SECBUFFER_TOKEN, tok}, {1, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&k.e.client, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_str_eq(data, "x");
    dce_free(&k);
}
END_TEST

START_TEST(an_exported_dce_context_keeps_its_trailer)
{
    struct dce k;
    three_legs(&k);
    SecBuffer blob;
    ck_assert_sec_status(ExportSecurityContext(&k.e.server, 0, &blob, NULL), SEC_E_OK);
    CtxtHandle imported;
    ck_assert_sec_status(ImportSecurityContextA("Kerberos", &blob, NULL, &imported), SEC_E_OK);
    FreeContextBuffer(blob.pvBuffer);
    SecPkgContext_Sizes sz;
    ck_assert_sec_status(QueryContextAttributesA(&imported, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 76);
    struct pdu p;
    pdu_init(&p, "after import");
    ck_assert_sec_status(EncryptMessage(&k.e.client, 0, &p.d, 0), SEC_E_OK);
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(&imported, &p.d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(p.stub, "after import");
    DeleteSecurityContext(&imported);
    dce_free(&k);
}
END_TEST

/* ---- misuse ---- */

/* The framed AP-REQ of a client that did not ask for DCE style, stripped to the bare AP-REQ. */
static ULONG strip_framing(unsigned char *token, ULONG len)
{
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(token, len, &tok_id, &inner, &inner_len), FS_OK);
    memmove(token, inner, inner_len);
    return (ULONG)inner_len;
}

START_TEST(a_bare_ap_req_without_dce_style_in_its_checksum_is_an_invalid_token)
{
    /* MIT's acceptor: only DCE-style clients may send a bare AP-REQ (GSS_S_DEFECTIVE_TOKEN). */
    struct dce k;
    credentials(&k);
    ck_assert_sec_status(client_first(&k, PLAIN), SEC_I_CONTINUE_NEEDED);
    k.ap_req_len = strip_framing(k.ap_req, k.ap_req_len);
    ck_assert_uint_eq(k.ap_req[0], 0x6e);
    k.e.server.dwLower = k.e.server.dwUpper = 0xdeadbeef;
    ck_assert_sec_status(server_leg(&k, NULL, k.ap_req, k.ap_req_len, k.ap_rep, &k.ap_rep_len, NULL),
                         SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(k.e.server.dwLower, 0xdeadbeef);
    ck_assert_uint_eq(k.e.server.dwUpper, 0xdeadbeef);
    DeleteSecurityContext(&k.e.client);
    FreeCredentialsHandle(&k.e.cc);
    FreeCredentialsHandle(&k.e.sc);
}
END_TEST

START_TEST(a_framed_ap_req_with_dce_style_in_its_checksum_is_an_invalid_token)
{
    struct dce k;
    credentials(&k);
    ck_assert_sec_status(client_first(&k, DCE), SEC_I_CONTINUE_NEEDED);
    struct fs_writer w;
    fs_writer_init(&w);
    krb_gss_frame(&w, krb_oid_krb5, KRB_TOK_AP_REQ, k.ap_req, k.ap_req_len);
    ck_assert(!w.failed && w.len <= sizeof k.ap_req);
    memcpy(k.ap_req, w.data, w.len);
    k.ap_req_len = (ULONG)w.len;
    fs_writer_free(&w);
    k.e.server.dwLower = k.e.server.dwUpper = 0xdeadbeef;
    ck_assert_sec_status(server_leg(&k, NULL, k.ap_req, k.ap_req_len, k.ap_rep, &k.ap_rep_len, NULL),
                         SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(k.e.server.dwLower, 0xdeadbeef);
    DeleteSecurityContext(&k.e.client);
    FreeCredentialsHandle(&k.e.cc);
    FreeCredentialsHandle(&k.e.sc);
}
END_TEST

START_TEST(a_dce_client_given_a_framed_ap_rep_gets_invalid_token)
{
    /* The server answered as to a non-DCE client: a GSS-framed AP-REP is no bare AP-REP. */
    struct dce k;
    two_legs(&k);
    struct fs_writer w;
    fs_writer_init(&w);
    krb_gss_frame(&w, krb_oid_krb5, KRB_TOK_AP_REP, k.ap_rep, k.ap_rep_len);
    ck_assert(!w.failed);
    k.third_len = 0xdeadbeef;
    ck_assert_sec_status(client_second(&k, DCE, w.data, (ULONG)w.len), SEC_E_INVALID_TOKEN);
    fs_writer_free(&w);
    /* the real one still completes the context */
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OK);
    dce_free(&k);
}
END_TEST

START_TEST(a_third_leg_that_does_not_verify_is_message_altered)
{
    struct dce k;
    two_legs(&k);
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OK);
    unsigned char bad[4096], none[4096];
    ULONG none_len;
    memcpy(bad, k.third, k.third_len);
    bad[k.third_len - 3] ^= 0x01; /* in the HMAC of the encrypted part */
    ck_assert_sec_status(server_leg(&k, &k.e.server, bad, k.third_len, none, &none_len, NULL), SEC_E_MESSAGE_ALTERED);
    dce_free(&k);
}
END_TEST

START_TEST(the_servers_own_ap_rep_reflected_back_is_message_altered)
{
    /* It opens under the same key and usage, but carries the server's subkey: MIT's krb5_rd_rep_dce refuses an
     * AP-REP with a subkey (KRB5_MUTUAL_FAILED). */
    struct dce k;
    two_legs(&k);
    unsigned char none[4096];
    ULONG none_len;
    ck_assert_sec_status(server_leg(&k, &k.e.server, k.ap_rep, k.ap_rep_len, none, &none_len, NULL),
                         SEC_E_MESSAGE_ALTERED);
    dce_free(&k);
}
END_TEST

START_TEST(a_third_leg_of_another_exchange_is_message_altered)
{
    /* Another context's AP-REP is under another session key. */
    struct dce a, b;
    two_legs(&a);
    two_legs(&b);
    ck_assert_sec_status(client_second(&b, DCE, b.ap_rep, b.ap_rep_len), SEC_E_OK);
    unsigned char none[4096];
    ULONG none_len;
    ck_assert_sec_status(server_leg(&a, &a.e.server, b.third, b.third_len, none, &none_len, NULL),
                         SEC_E_MESSAGE_ALTERED);
    dce_free(&a);
    dce_free(&b);
}
END_TEST

START_TEST(a_third_leg_that_is_no_ap_rep_is_an_invalid_token)
{
    struct dce k;
    two_legs(&k);
    unsigned char none[4096];
    ULONG none_len;
    /* the AP-REQ again */
    ck_assert_sec_status(server_leg(&k, &k.e.server, k.ap_req, k.ap_req_len, none, &none_len, NULL),
                         SEC_E_INVALID_TOKEN);
    /* a framed AP-REP */
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OK);
    struct fs_writer w;
    fs_writer_init(&w);
    krb_gss_frame(&w, krb_oid_krb5, KRB_TOK_AP_REP, k.third, k.third_len);
    ck_assert(!w.failed);
    ck_assert_sec_status(server_leg(&k, &k.e.server, w.data, (ULONG)w.len, none, &none_len, NULL),
                         SEC_E_INVALID_TOKEN);
    fs_writer_free(&w);
    /* a truncated one */
    ck_assert_sec_status(server_leg(&k, &k.e.server, k.third, k.third_len - 1, none, &none_len, NULL),
                         SEC_E_INVALID_TOKEN);
    dce_free(&k);
}
END_TEST

START_TEST(legs_after_the_last_are_out_of_sequence)
{
    struct dce k;
    three_legs(&k);
    ck_assert_sec_status(client_second(&k, DCE, k.ap_rep, k.ap_rep_len), SEC_E_OUT_OF_SEQUENCE);
    unsigned char none[4096];
    ULONG none_len;
    ck_assert_sec_status(server_leg(&k, &k.e.server, k.third, k.third_len, none, &none_len, NULL),
                         SEC_E_OUT_OF_SEQUENCE);
    dce_free(&k);
}
END_TEST

START_TEST(a_server_between_its_legs_protects_no_messages)
{
    struct dce k;
    two_legs(&k);
    char text[] = "too early";
    unsigned char sig[64];
    SecBuffer b[2] = {{sizeof text - 1, SECBUFFER_DATA, text}, {28, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    /* as any context between its legs */
    ck_assert_sec_status(MakeSignature(&k.e.server, 0, &d, 0), SEC_E_OUT_OF_SEQUENCE);
    dce_free(&k);
}
END_TEST

START_TEST(the_ap_req_is_a_replay_at_a_second_acceptor)
{
    struct dce k;
    two_legs(&k);
    CtxtHandle again;
    again.dwLower = again.dwUpper = 0xdeadbeef;
    unsigned char rep[4096];
    SecBuffer in = {k.ap_req_len, SECBUFFER_TOKEN, k.ap_req}, ob = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ck_assert_sec_status(AcceptSecurityContext(&k.e.sc, NULL, &ind, ASC_REQ_USE_DCE_STYLE, SECURITY_NATIVE_DREP, &again,
                                               &outd, &attrs, NULL),
                         SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(again.dwLower, 0xdeadbeef);
    dce_free(&k);
}
END_TEST

/* ---- Negotiate ---- */

START_TEST(negotiate_carries_the_three_legs_in_spnego_and_waits_for_accept_completed)
{
    /* Not verified against Windows (doc/semantics.md §60): the legs as MIT's SPNEGO makes them around its DCE-style
     * krb5 mechanism: the bare AP-REQ as the mechToken, the bare AP-REP in accept-incomplete, the client's third
     * leg in a NegTokenResp (SEC_I_CONTINUE_NEEDED: SPNEGO's verdict is still to come), accept-completed. */
    CredHandle cc, sc;
    CtxtHandle client, server;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &cc, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Negotiate", &sc), SEC_E_OK);
    unsigned char c2s[4096], s2c[4096];
    SecBuffer cout = {sizeof c2s, SECBUFFER_TOKEN, c2s}, sout = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBuffer cin = {0, SECBUFFER_TOKEN, s2c}, sin = {0, SECBUFFER_TOKEN, c2s};
    SecBufferDesc coutd = {SECBUFFER_VERSION, 1, &cout}, soutd = {SECBUFFER_VERSION, 1, &sout};
    SecBufferDesc cind = {SECBUFFER_VERSION, 1, &cin}, sind = {SECBUFFER_VERSION, 1, &sin};
    ULONG cattrs = 0xdeadbeef, sattrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)SPN, DCE, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                    &client, &coutd, &cattrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    struct spnego_init init;
    struct der_error derr;
    ck_assert_int_eq(spnego_parse_init(c2s, cout.cbBuffer, &init, &derr), FS_OK);
    ck_assert_ptr_nonnull(init.token);
    ck_assert_uint_eq(init.token[0], 0x6e);
    sin.cbBuffer = cout.cbBuffer;
    ck_assert_sec_status(AcceptSecurityContext(&sc, NULL, &sind, ASC_REQ_USE_DCE_STYLE, SECURITY_NATIVE_DREP, &server,
                                               &soutd, &sattrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    struct spnego_resp r;
    ck_assert_int_eq(spnego_parse_resp(s2c, sout.cbBuffer, &r, &derr), FS_OK);
    ck_assert_int_eq(r.state, NEG_ACCEPT_INCOMPLETE);
    ck_assert_uint_eq(r.token[0], 0x6f);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, &client, (SEC_CHAR *)SPN, DCE, 0, SECURITY_NATIVE_DREP, &cind,
                                                    0, &client, &coutd, &cattrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(spnego_parse_resp(c2s, cout.cbBuffer, &r, &derr), FS_OK);
    ck_assert_uint_eq(r.token[0], 0x6f);
    sin.cbBuffer = cout.cbBuffer;
    sout.cbBuffer = sizeof s2c;
    ck_assert_sec_status(AcceptSecurityContext(&sc, &server, &sind, ASC_REQ_USE_DCE_STYLE, SECURITY_NATIVE_DREP,
                                               &server, &soutd, &sattrs, NULL),
                         SEC_E_OK);
    ck_assert_int_eq(spnego_parse_resp(s2c, sout.cbBuffer, &r, &derr), FS_OK);
    ck_assert_int_eq(r.state, NEG_ACCEPT_COMPLETED);
    ck_assert_ptr_null(r.token);
    ck_assert_uint_eq(sattrs & (ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH),
                      ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, &client, (SEC_CHAR *)SPN, DCE, 0, SECURITY_NATIVE_DREP, &cind,
                                                    0, &client, &coutd, &cattrs, NULL),
                         SEC_E_OK);
    ck_assert_uint_eq(cout.cbBuffer, 0);
    ck_assert_uint_eq(cattrs & (ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH),
                      ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH);
    SecPkgContext_Sizes sz;
    ck_assert_sec_status(QueryContextAttributesA(&client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 76);
    struct pdu p;
    pdu_init(&p, "through Negotiate");
    ck_assert_sec_status(EncryptMessage(&client, 0, &p.d, 0), SEC_E_OK);
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(&server, &p.d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(p.stub, "through Negotiate");
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* ---- RC4-HMAC contexts: RFC 4757 tokens in DCE style (doc/semantics.md §60, §53) ---- */

/* The embedded domain with svc_server supporting only RC4: an RC4 session key and subkeys. */
static void rc4_domain(void)
{
    static char text[8192];
    snprintf(text, sizeof text, "%ssupported_enctypes = rc4\n", fs_default_domain_ini);
    ck_assert_int_eq(fakesspi_load_domain_text(text, "rc4-dce"), 0);
}

static void rc4_three_legs(struct dce *k)
{
    rc4_domain();
    three_legs(k);
    SecPkgContext_KeyInfoA ki;
    ck_assert_sec_status(QueryContextAttributesA(&k->e.client, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    ck_assert_uint_eq(ki.EncryptAlgorithm, 23);
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
}

static const unsigned char rc4_dce_head[] = {0x60, 0x2b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02,
                                             0x02, 0x02, 0x01, 0x11, 0x00, 0x10, 0x00, 0xff, 0xff};

START_TEST(rc4_sizes_report_a_dce_trailer_of_45_and_a_mic_of_37)
{
    struct dce k;
    rc4_three_legs(&k);
    CtxtHandle *ctx[2] = {&k.e.client, &k.e.server};
    for (int i = 0; i < 2; i++) {
        SecPkgContext_Sizes sz;
        ck_assert_sec_status(QueryContextAttributesA(ctx[i], SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
        ck_assert_uint_eq(sz.cbMaxSignature, 37);
        ck_assert_uint_eq(sz.cbSecurityTrailer, 45);
    }
    dce_free(&k);
}
END_TEST

START_TEST(rc4_sealed_pdus_are_framed_without_their_data_and_open_on_the_other_side)
{
    struct dce k;
    rc4_three_legs(&k);
    CtxtHandle *from[2] = {&k.e.client, &k.e.server}, *to[2] = {&k.e.server, &k.e.client};
    for (int i = 0; i < 2; i++) {
        struct pdu p;
        pdu_init(&p, "the stub data of a request");
        p.b[3].cbBuffer = 44;
        ck_assert_sec_status(EncryptMessage(from[i], 0, &p.d, 0), SEC_E_BUFFER_TOO_SMALL);
        ck_assert_str_eq(p.stub, "the stub data of a request");
        p.b[3].cbBuffer = 45;
        ck_assert_sec_status(EncryptMessage(from[i], 0, &p.d, 0), SEC_E_OK);
        /* RFC 4757's Wrap token whose GSS framing holds the token and the confounder only (43 bytes after 60 2b):
         * no padding, the stub sealed in place at its own length, header and trailer in the clear */
        ck_assert_uint_eq(p.b[3].cbBuffer, 45);
        ck_assert(!memcmp(p.token, rc4_dce_head, sizeof rc4_dce_head));
        ck_assert_uint_eq(p.b[1].cbBuffer, sizeof p.stub);
        ck_assert(memcmp(p.stub, "the stub data", 13) != 0);
        ck_assert(!memcmp(p.header, "\x05\x00\x00\x03", 4));
        ck_assert(!memcmp(p.trailer, "\x10\x06\x00\x00", 4));
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(DecryptMessage(to[i], &p.d, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_str_eq(p.stub, "the stub data of a request");
    }
    dce_free(&k);
}
END_TEST

START_TEST(rc4_a_changed_signed_header_or_trailer_fails_with_message_altered)
{
    struct dce k;
    rc4_three_legs(&k);
    struct pdu p;
    pdu_init(&p, "stub");
    ck_assert_sec_status(EncryptMessage(&k.e.client, 0, &p.d, 0), SEC_E_OK);
    ULONG qop = 0xdeadbeef;
    p.header[2] ^= 0x01; /* the PDU type, which only the checksum covers */
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    p.header[2] ^= 0x01;
    p.trailer[1] ^= 0x01;
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    p.trailer[1] ^= 0x01;
    ck_assert(memcmp(p.stub, "stub", 4) != 0); /* left as it came */
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(p.stub, "stub");
    dce_free(&k);
}
END_TEST

START_TEST(rc4_a_token_framed_as_outside_dce_style_is_an_invalid_token)
{
    struct dce k;
    rc4_three_legs(&k);
    struct pdu p;
    pdu_init(&p, "stub");
    ck_assert_sec_status(EncryptMessage(&k.e.client, 0, &p.d, 0), SEC_E_OK);
    p.token[1] = (unsigned char)(0x2b + sizeof p.stub + 1); /* a length that counts the data and a padding byte */
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_INVALID_TOKEN);
    p.token[1] = 0x2b;
    ck_assert_sec_status(DecryptMessage(&k.e.server, &p.d, 0, &qop), SEC_E_OK);
    dce_free(&k);
}
END_TEST

START_TEST(rc4_signatures_are_the_37_byte_mic_and_verify_both_ways_once)
{
    struct dce k;
    rc4_three_legs(&k);
    CtxtHandle *from[2] = {&k.e.client, &k.e.server}, *to[2] = {&k.e.server, &k.e.client};
    for (int i = 0; i < 2; i++) {
        char text[] = "an RPC request";
        unsigned char sig[64];
        SecBuffer b[2] = {{sizeof text - 1, SECBUFFER_DATA, text}, {37, SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_sec_status(MakeSignature(from[i], 0, &d, 0), SEC_E_OK);
        ck_assert_uint_eq(b[1].cbBuffer, 37);
        ck_assert(!memcmp(sig + 13, "\x01\x01\x11\x00\xff\xff\xff\xff", 8));
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(VerifySignature(to[i], &d, 0, &qop), SEC_E_OK);
        ck_assert_sec_status(VerifySignature(to[i], &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    }
    dce_free(&k);
}
END_TEST

START_TEST(rc4_a_dce_token_and_its_data_open_as_a_stream)
{
    struct dce k;
    rc4_three_legs(&k);
    unsigned char wire[256];
    const char text[] = "one message on the wire";
    ULONG n = (ULONG)strlen(text);
    memcpy(wire + 45, text, n);
    SecBuffer b[2] = {{45, SECBUFFER_TOKEN, wire}, {n, SECBUFFER_DATA, wire + 45}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&k.e.server, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 45);
    SecBuffer s[2] = {{45 + n, SECBUFFER_STREAM, wire}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, s};
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&k.e.client, &sd, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(s[1].cbBuffer, n);
    ck_assert(!memcmp(s[1].pvBuffer, text, n));
    dce_free(&k);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos-dce");
    TCase *tc = test_case("legs");
    tcase_add_test(tc, the_first_leg_is_a_bare_ap_req_asking_for_mutual_authentication);
    tcase_add_test(tc, the_server_answers_a_bare_ap_rep_and_continue_needed);
    tcase_add_test(tc, the_client_checks_it_and_sends_its_own_ap_rep_with_sec_e_ok);
    tcase_add_test(tc, the_server_takes_the_third_leg_with_sec_e_ok_and_knows_the_client);
    tcase_add_test(tc, the_server_needs_no_asc_flag_a_dce_client_makes_it_dce);
    suite_add_tcase(s, tc);
    tc = test_case("protection");
    tcase_add_test(tc, sizes_report_the_dce_trailer_of_76_and_a_mic_of_28);
    tcase_add_test(tc, signatures_verify_both_ways_once);
    tcase_add_test(tc, sealed_pdus_with_signed_headers_open_on_the_other_side);
    tcase_add_test(tc, a_changed_signed_header_fails_with_message_altered);
    tcase_add_test(tc, a_dce_token_in_a_76_byte_trailer_opens_as_a_stream);
    tcase_add_test(tc, a_trailer_shorter_than_76_is_too_small);
    tcase_add_test(tc, an_exported_dce_context_keeps_its_trailer);
    suite_add_tcase(s, tc);
    tc = test_case("rc4");
    tcase_add_test(tc, rc4_sizes_report_a_dce_trailer_of_45_and_a_mic_of_37);
    tcase_add_test(tc, rc4_sealed_pdus_are_framed_without_their_data_and_open_on_the_other_side);
    tcase_add_test(tc, rc4_a_changed_signed_header_or_trailer_fails_with_message_altered);
    tcase_add_test(tc, rc4_a_token_framed_as_outside_dce_style_is_an_invalid_token);
    tcase_add_test(tc, rc4_signatures_are_the_37_byte_mic_and_verify_both_ways_once);
    tcase_add_test(tc, rc4_a_dce_token_and_its_data_open_as_a_stream);
    suite_add_tcase(s, tc);
    tc = test_case("misuse");
    tcase_add_test(tc, a_bare_ap_req_without_dce_style_in_its_checksum_is_an_invalid_token);
    tcase_add_test(tc, a_framed_ap_req_with_dce_style_in_its_checksum_is_an_invalid_token);
    tcase_add_test(tc, a_dce_client_given_a_framed_ap_rep_gets_invalid_token);
    tcase_add_test(tc, a_third_leg_that_does_not_verify_is_message_altered);
    tcase_add_test(tc, the_servers_own_ap_rep_reflected_back_is_message_altered);
    tcase_add_test(tc, a_third_leg_of_another_exchange_is_message_altered);
    tcase_add_test(tc, a_third_leg_that_is_no_ap_rep_is_an_invalid_token);
    tcase_add_test(tc, legs_after_the_last_are_out_of_sequence);
    tcase_add_test(tc, a_server_between_its_legs_protects_no_messages);
    tcase_add_test(tc, the_ap_req_is_a_replay_at_a_second_acceptor);
    suite_add_tcase(s, tc);
    tc = test_case("negotiate");
    tcase_add_test(tc, negotiate_carries_the_three_legs_in_spnego_and_waits_for_accept_completed);
    suite_add_tcase(s, tc);
    return test_run(s);
}
