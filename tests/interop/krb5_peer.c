/* Interop with MIT Kerberos through its GSSAPI, in one process per direction:
 *   krb5_peer accept    our InitializeSecurityContext against MIT's gss_accept_sec_context, which reads
 *                       the service key from a keytab made by ktutil from the same password (KRB5_KTNAME);
 *   krb5_peer initiate  MIT's gss_init_sec_context, with a ticket from an MIT KDC (KRB5CCNAME), against our
 *                       AcceptSecurityContext;
 *   krb5_peer token     prints our AP-REQ in hex (for tshark);
 *   krb5_peer delegate CCACHE
 *                       as accept, with ISC_REQ_DELEGATE to a service trusted for delegation: MIT's acceptor must
 *                       see GSS_C_DELEG_FLAG and a delegated credential for alice, which it stores in CCACHE
 *                       (for klist to show the forwarded TGT, doc/semantics.md §54);
 *   krb5_peer accept-dce | initiate-dce
 *                       as accept and initiate, in DCE style (ISC_REQ_USE_DCE_STYLE, GSS_C_DCE_STYLE): the three
 *                       legs, each side's status and token shape, then sealed PDUs with signed headers through
 *                       MIT's gss_wrap_iov/gss_unwrap_iov as Samba's DCE RPC uses them (doc/semantics.md §60).
 * Then MIC and Wrap tokens both ways. tests/interop/check_krb5.sh sets the stage. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"

#define REQ (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

static int passed, failed;
/* delegate mode: where MIT's acceptor stores the credential we delegate; NULL otherwise. */
static const char *deleg_ccache;
/* accept-dce and initiate-dce: the three-leg DCE-style exchange (doc/semantics.md §60); dce_trailer is the Wrap
 * token's size each side writes: 76 for AES, 45 for RC4-HMAC (accept-dce-rc4). */
static int dce;
static ULONG dce_trailer = 76;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    ok ? passed++ : failed++;
}

static void gss_say(const char *what, OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc text;
    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, "%s: %.*s", what, (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
    ctx = 0;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text);
    fprintf(stderr, " (%.*s)\n", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
}

static void dce_pdus_both_ways(CtxtHandle *ours, gss_ctx_id_t theirs);

/* Signatures and sealed messages, each way. */
static void protect_both_ways(CtxtHandle *ours, gss_ctx_id_t theirs)
{
    OM_uint32 major, minor;
    SecPkgContext_Sizes sizes;
    if (QueryContextAttributesA(ours, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK)
        sizes.cbMaxSignature = sizes.cbSecurityTrailer = 0;
    const ULONG mic_size = sizes.cbMaxSignature, trailer = sizes.cbSecurityTrailer;
    /* MakeSignature -> gss_verify_mic */
    char text[] = "signed by libfakesspi";
    unsigned char sig[64];
    SecBuffer sb[2] = {{sizeof text - 1, SECBUFFER_DATA, text}, {mic_size, SECBUFFER_TOKEN, sig}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
    int ok = MakeSignature(ours, 0, &sd, 0) == SEC_E_OK;
    gss_buffer_desc msg = {sizeof text - 1, text}, tok = {sb[1].cbBuffer, sig};
    major = gss_verify_mic(&minor, theirs, &msg, &tok, NULL);
    if (major)
        gss_say("gss_verify_mic", major, minor);
    check("MIT verifies our MakeSignature", ok && major == GSS_S_COMPLETE);

    /* gss_get_mic -> VerifySignature */
    char theirs_text[] = "signed by MIT";
    gss_buffer_desc tmsg = {sizeof theirs_text - 1, theirs_text}, mic = GSS_C_EMPTY_BUFFER;
    major = gss_get_mic(&minor, theirs, GSS_C_QOP_DEFAULT, &tmsg, &mic);
    SecBuffer vb[2] = {{(ULONG)tmsg.length, SECBUFFER_DATA, theirs_text}, {(ULONG)mic.length, SECBUFFER_TOKEN, mic.value}};
    SecBufferDesc vd = {SECBUFFER_VERSION, 2, vb};
    ULONG qop;
    check("our VerifySignature accepts MIT's gss_get_mic",
          major == GSS_S_COMPLETE && VerifySignature(ours, &vd, 0, &qop) == SEC_E_OK);
    gss_release_buffer(&minor, &mic);
    if (dce) {
        dce_pdus_both_ways(ours, theirs);
        return;
    }

    /* EncryptMessage -> gss_unwrap: the trailer, then the data, is one Wrap token (Kerberos: RRC 28). */
    unsigned char wire[64 + 64];
    const char reply[] = "sealed by libfakesspi";
    memcpy(wire + trailer, reply, sizeof reply - 1);
    SecBuffer eb[2] = {{trailer, SECBUFFER_TOKEN, wire}, {sizeof reply - 1, SECBUFFER_DATA, wire + trailer}};
    SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
    ok = EncryptMessage(ours, 0, &ed, 0) == SEC_E_OK;
    /* What goes on the wire is the trailer written (cbBuffer: RC4's is shorter than its room), then the data. */
    memmove(wire + eb[0].cbBuffer, eb[1].pvBuffer, eb[1].cbBuffer);
    gss_buffer_desc sealed = {eb[0].cbBuffer + sizeof reply - 1, wire}, plain = GSS_C_EMPTY_BUFFER;
    int conf = 0;
    major = gss_unwrap(&minor, theirs, &sealed, &plain, &conf, NULL);
    if (major)
        gss_say("gss_unwrap", major, minor);
    check("MIT unwraps our EncryptMessage", ok && major == GSS_S_COMPLETE && conf &&
                                                plain.length == sizeof reply - 1 &&
                                                !memcmp(plain.value, reply, plain.length));
    gss_release_buffer(&minor, &plain);

    /* gss_wrap -> DecryptMessage: MIT writes RRC 0; everything but the data is the token buffer. */
    const char hello[] = "sealed by MIT";
    gss_buffer_desc in = {sizeof hello - 1, (void *)hello}, out = GSS_C_EMPTY_BUFFER;
    major = gss_wrap(&minor, theirs, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
    ok = major == GSS_S_COMPLETE && out.length > in.length;
    if (ok) {
        ULONG head = (ULONG)(out.length - in.length);
        SecBuffer db[2] = {{head, SECBUFFER_TOKEN, out.value}, {(ULONG)in.length, SECBUFFER_DATA,
                                                                (char *)out.value + head}};
        SecBufferDesc dd = {SECBUFFER_VERSION, 2, db};
        SECURITY_STATUS st = DecryptMessage(ours, &dd, 0, &qop);
        if (st)
            fprintf(stderr, "DecryptMessage: %s\n", fakesspi_status_name(st));
        ok = st == SEC_E_OK && !memcmp(db[1].pvBuffer, hello, in.length);
    }
    check("our DecryptMessage opens MIT's gss_wrap", ok);
    gss_release_buffer(&minor, &out);
}

/* An RPC PDU's parts as MS-RPCE 3.3.1.5.2 protects them with header signing: header and auth trailer signed only,
 * the stub sealed. Ours: SECBUFFER_READONLY_WITH_CHECKSUM; MIT's: GSS_IOV_BUFFER_TYPE_SIGN_ONLY (as Samba). */
static void dce_pdus_both_ways(CtxtHandle *ours, gss_ctx_id_t theirs)
{
    OM_uint32 major, minor;
    char header[16] = "\x05\x00\x00\x03\x10\x00\x00\x00\x60\x00\x4c\x00\x01\x00\x00\x00";
    char trailer[8] = "\x10\x06\x00\x00\x00\x00\x00\x00";
    char stub[32] = "stub sealed by libfakesspi";
    unsigned char token[128];
    SecBuffer b[4] = {{sizeof header, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, header},
                      {sizeof stub, SECBUFFER_DATA, stub},
                      {sizeof trailer, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, trailer},
                      {sizeof token, SECBUFFER_TOKEN, token}};
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st = EncryptMessage(ours, 0, &d, 0);
    printf("   our DCE Wrap token: %lu bytes\n", (unsigned long)b[3].cbBuffer);
    check("EncryptMessage of a PDU with signed header and trailer: the DCE trailer (76 AES, 45 RC4)",
          st == SEC_E_OK && b[3].cbBuffer == dce_trailer);
    gss_iov_buffer_desc iov[4] = {{GSS_IOV_BUFFER_TYPE_HEADER, {b[3].cbBuffer, token}},
                                  {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof header, header}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {sizeof stub, stub}},
                                  {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof trailer, trailer}}};
    int conf = 0;
    major = gss_unwrap_iov(&minor, theirs, &conf, NULL, iov, 4);
    if (major)
        gss_say("gss_unwrap_iov", major, minor);
    check("MIT's DCE gss_unwrap_iov opens our PDU", major == GSS_S_COMPLETE && conf &&
                                                        !strcmp(stub, "stub sealed by libfakesspi"));

    char stub2[32] = "stub sealed by MIT";
    unsigned char token2[128];
    gss_iov_buffer_desc wiov[4] = {{GSS_IOV_BUFFER_TYPE_HEADER, {sizeof token2, token2}},
                                   {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof header, header}},
                                   {GSS_IOV_BUFFER_TYPE_DATA, {sizeof stub2, stub2}},
                                   {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof trailer, trailer}}};
    major = gss_wrap_iov(&minor, theirs, 1, GSS_C_QOP_DEFAULT, &conf, wiov, 4);
    if (major)
        gss_say("gss_wrap_iov", major, minor);
    check("MIT's DCE gss_wrap_iov makes a header of the same size",
          major == GSS_S_COMPLETE && wiov[0].buffer.length == dce_trailer);
    SecBuffer r[4] = {{sizeof header, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, header},
                      {sizeof stub2, SECBUFFER_DATA, stub2},
                      {sizeof trailer, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, trailer},
                      {(ULONG)wiov[0].buffer.length, SECBUFFER_TOKEN, token2}};
    SecBufferDesc rd = {SECBUFFER_VERSION, 4, r};
    ULONG qop;
    st = DecryptMessage(ours, &rd, 0, &qop);
    if (st)
        fprintf(stderr, "DecryptMessage: %s\n", fakesspi_status_name(st));
    check("our DecryptMessage opens MIT's DCE PDU", st == SEC_E_OK && !strcmp(stub2, "stub sealed by MIT"));
    /* and a changed header is caught */
    major = gss_wrap_iov(&minor, theirs, 1, GSS_C_QOP_DEFAULT, &conf, wiov, 4);
    header[2] ^= 1;
    r[3].cbBuffer = (ULONG)wiov[0].buffer.length;
    st = DecryptMessage(ours, &rd, 0, &qop);
    header[2] ^= 1;
    check("a changed signed header in MIT's PDU: SEC_E_MESSAGE_ALTERED",
          major == GSS_S_COMPLETE && st == SEC_E_MESSAGE_ALTERED);
}

static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};

/* What MIT's acceptor made of our delegation: the flag, and alice's forwarded TGT as a credential it can use to
 * initiate, stored in deleg_ccache for klist. */
static void check_delegation(ULONG attrs, OM_uint32 flags, gss_cred_id_t deleg)
{
    check("we report ISC_RET_DELEGATE", (attrs & ISC_RET_DELEGATE) != 0);
    check("MIT sees GSS_C_DELEG_FLAG", (flags & GSS_C_DELEG_FLAG) != 0);
    check("MIT hands out a delegated credential", deleg != GSS_C_NO_CREDENTIAL);
    if (deleg == GSS_C_NO_CREDENTIAL)
        return;
    OM_uint32 minor, lifetime = 0;
    gss_name_t who = GSS_C_NO_NAME;
    gss_cred_usage_t usage = GSS_C_ACCEPT;
    OM_uint32 major = gss_inquire_cred(&minor, deleg, &who, &lifetime, &usage, NULL);
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    if (major == GSS_S_COMPLETE)
        gss_display_name(&minor, who, &name, NULL);
    check("the delegated credential is alice's, to initiate with, for hours",
          major == GSS_S_COMPLETE && name.length == 18 && !memcmp(name.value, "alice@EXAMPLE.TEST", 18) &&
              usage == GSS_C_INITIATE && lifetime > 9 * 3600);
    gss_release_buffer(&minor, &name);
    gss_release_name(&minor, &who);
    char where[4200];
    snprintf(where, sizeof where, "FILE:%s", deleg_ccache);
    gss_key_value_element_desc element = {"ccache", where};
    gss_key_value_set_desc store = {1, &element};
    major = gss_store_cred_into(&minor, deleg, GSS_C_INITIATE, GSS_C_NO_OID, 1, 0, &store, NULL, NULL);
    if (GSS_ERROR(major))
        gss_say("gss_store_cred_into", major, minor);
    check("MIT stores the delegated credential", major == GSS_S_COMPLETE);
}

/* package: "Kerberos" or "Negotiate"; MIT's acceptor is its default (Kerberos) or SPNEGO. */
static uint32_t le32_at(const unsigned char *p) { return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* One urn:mspac: attribute of MIT's view of the client: 1 when MIT found it and verified the PAC it came from. */
static int mspac_attribute(gss_name_t src, const char *which, gss_buffer_desc *value)
{
    OM_uint32 minor;
    gss_buffer_desc attr = {strlen(which), (void *)which}, display = GSS_C_EMPTY_BUFFER;
    int authenticated = 0, complete = 0, more = -1;
    *value = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    OM_uint32 major = gss_get_name_attribute(&minor, src, &attr, &authenticated, &complete, value, &display, &more);
    gss_release_buffer(&minor, &display);
    if (major != GSS_S_COMPLETE)
        gss_say(which, major, minor);
    return major == GSS_S_COMPLETE && authenticated;
}

/* MIT's acceptor reads our PAC (doc/semantics.md §41) as its own urn:mspac: name attributes: it verifies the
 * server signature under the keytab's key before it calls them authenticated, and the NDR of the logon
 * information is MS-PAC 2.5's, where MIT's consumers (Samba, FreeIPA) read the user and group RIDs. */
static void check_pac_attributes(gss_name_t src)
{
    OM_uint32 minor;
    gss_buffer_desc logon, client;
    check("MIT reads urn:mspac:logon-info from our ticket, its server signature verified",
          mspac_attribute(src, "urn:mspac:logon-info", &logon));
    /* 8-byte common header, 8-byte private header, the referent, 48 bytes of times, six RPC_UNICODE_STRINGs
     * (8 bytes each), LogonCount and BadPasswordCount: then UserId and PrimaryGroupId. */
    const unsigned char *l = logon.value;
    check("the logon information's NDR headers (version 1, little-endian, 8-byte common header)",
          logon.length > 140 && l[0] == 1 && l[1] == 0x10 && l[2] == 8 && le32_at(l + 8) == logon.length - 16);
    check("its UserId is alice's RID (1104) and PrimaryGroupId Domain Users (513)",
          logon.length > 140 && le32_at(l + 120) == 1104 && le32_at(l + 124) == 513);
    gss_release_buffer(&minor, &logon);
    check("MIT reads urn:mspac:client-info, verified", mspac_attribute(src, "urn:mspac:client-info", &client));
    /* PAC_CLIENT_INFO: ClientId (8), NameLength (2), then the name in UTF-16LE. */
    const unsigned char *c = client.value;
    check("the client information names alice",
          client.length == 20 && c[8] == 10 && c[9] == 0 && !memcmp(c + 10, "a\0l\0i\0c\0e\0", 10));
    gss_release_buffer(&minor, &client);
}

static int our_client_their_server(const char *package, const char *target)
{
    CredHandle cred;
    CtxtHandle ctx;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    int spnego = !strcmp(package, "Negotiate");
    printf("-- our %s client, MIT's %s acceptor, target %s\n", package, spnego ? "SPNEGO" : "Kerberos", target);
    check("AcquireCredentialsHandle",
          AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred,
                                    NULL) == SEC_E_OK);
    unsigned char buf[8192];
    SecBuffer ob = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ULONG req = REQ | (deleg_ccache ? ISC_REQ_DELEGATE : 0) | (dce ? ISC_REQ_USE_DCE_STYLE : 0);
    SECURITY_STATUS st = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)target, req, 0, SECURITY_NATIVE_DREP,
                                                    NULL, 0, &ctx, &od, &attrs, NULL);
    check("our first token: SEC_I_CONTINUE_NEEDED", st == SEC_I_CONTINUE_NEEDED);
    if (dce && !spnego)
        check("in DCE style, our first token is a bare AP-REQ (0x6e)", ob.cbBuffer && buf[0] == 0x6e);
    int dce_legs_ok = dce && !spnego;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;

    /* Legs until both sides are done: MIT's acceptor answers each of our tokens. */
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor, flags = 0;
    gss_ctx_id_t theirs = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    gss_cred_id_t acceptor = GSS_C_NO_CREDENTIAL;
    if (spnego) {
        gss_OID_set_desc mechs = {1, &spnego_oid};
        gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, &acceptor, NULL, NULL);
    }
    int legs = 0;
    while (st == SEC_I_CONTINUE_NEEDED && legs++ < 5) {
        gss_buffer_desc in = {ob.cbBuffer, buf}, out = GSS_C_EMPTY_BUFFER;
        major = gss_accept_sec_context(&minor, &theirs, acceptor, &in, GSS_C_NO_CHANNEL_BINDINGS, &src, &mech, &out,
                                       &flags, NULL, deleg_ccache ? &deleg : NULL);
        if (GSS_ERROR(major)) {
            gss_say("gss_accept_sec_context", major, minor);
            break;
        }
        if (dce && legs == 1) /* MIT's second leg: a bare AP-REP, and it waits for our third */
            dce_legs_ok = dce_legs_ok && major == GSS_S_CONTINUE_NEEDED && out.length &&
                          ((unsigned char *)out.value)[0] == 0x6f;
        SecBuffer ib = {(ULONG)out.length, SECBUFFER_TOKEN, out.value};
        SecBufferDesc id2 = {SECBUFFER_VERSION, 1, &ib};
        ob.cbBuffer = sizeof buf;
        if (out.length || major == GSS_S_CONTINUE_NEEDED)
            st = InitializeSecurityContextA(&cred, &ctx, (SEC_CHAR *)target, req, 0, SECURITY_NATIVE_DREP, &id2, 0,
                                            &ctx, &od, &attrs, NULL);
        gss_release_buffer(&minor, &out);
        if (dce && legs == 1) /* our third leg: SEC_E_OK with our own bare AP-REP */
            dce_legs_ok = dce_legs_ok && st == SEC_E_OK && ob.cbBuffer && buf[0] == 0x6f;
        if (st == SEC_E_OK && ob.cbBuffer) { /* our last word: MIT still has to read it */
            gss_buffer_desc last = {ob.cbBuffer, buf}, none = GSS_C_EMPTY_BUFFER;
            major = gss_accept_sec_context(&minor, &theirs, acceptor, &last, GSS_C_NO_CHANNEL_BINDINGS, &src, NULL,
                                           &none, &flags, NULL, NULL);
            gss_release_buffer(&minor, &none);
        }
    }
    if (st != SEC_E_OK)
        fprintf(stderr, "InitializeSecurityContext: %s\n", fakesspi_status_name(st));
    check("MIT accepts us and we accept MIT: both sides complete", major == GSS_S_COMPLETE && st == SEC_E_OK);
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    if (major == GSS_S_COMPLETE)
        gss_display_name(&minor, src, &name, NULL);
    check("MIT sees the client alice",
          name.length >= 5 && (!memcmp(name.value, "alice@EXAMPLE.TEST", 18) || strstr(name.value, "alice")));
    if (!spnego)
        check("MIT sees mutual, confidentiality, sequence and replay flags",
              (flags & (GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)) ==
                  (GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG));
    gss_release_buffer(&minor, &name);
    /* A PAC comes with Kerberos; Negotiate may have fallen back to NTLM (through gss-ntlmssp). */
    if (major == GSS_S_COMPLETE && mech && gss_oid_equal(mech, gss_mech_krb5))
        check_pac_attributes(src);
    gss_release_name(&minor, &src);
    if (dce && !spnego)
        check("the three legs: MIT continues with a bare AP-REP, we finish with our own", dce_legs_ok);
    if (dce) {
        check("MIT sees GSS_C_DCE_STYLE and mutual authentication",
              (flags & (GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG)) == (GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG));
        check("we report ISC_RET_USED_DCE_STYLE and ISC_RET_MUTUAL_AUTH",
              (attrs & (ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH)) ==
                  (ISC_RET_USED_DCE_STYLE | ISC_RET_MUTUAL_AUTH));
    }
    if (deleg_ccache)
        check_delegation(attrs, flags, deleg);
    if (deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &deleg);
    if (acceptor != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &acceptor);
    SecPkgContext_NegotiationInfoA ni;
    if (st == SEC_E_OK && spnego && QueryContextAttributesA(&ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni) == SEC_E_OK) {
        printf("   Negotiate chose %s\n", ni.PackageInfo->Name);
        FreeContextBuffer(ni.PackageInfo);
    }
    if (major == GSS_S_COMPLETE && st == SEC_E_OK)
        protect_both_ways(&ctx, theirs);
    gss_delete_sec_context(&minor, &theirs, GSS_C_NO_BUFFER);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}

static int their_client_our_server(const char *package, const char *target)
{
    int spnego = !strcmp(package, "Negotiate");
    printf("-- MIT's %s initiator, our %s server, target %s\n", spnego ? "SPNEGO" : "Kerberos", package, target);
    OM_uint32 major, minor;
    gss_name_t service;
    gss_buffer_desc tname = {strlen(target), (void *)target};
    major = gss_import_name(&minor, &tname, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &service);
    gss_ctx_id_t theirs = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 want = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG |
                     (dce ? GSS_C_DCE_STYLE : 0),
              got;
    gss_OID mech = spnego ? &spnego_oid : (gss_OID)gss_mech_krb5;
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &theirs, service, mech, want, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &out, &got, NULL);
    if (GSS_ERROR(major))
        gss_say("gss_init_sec_context", major, minor);
    check("MIT makes an AP-REQ from its KDC's ticket", major == GSS_S_CONTINUE_NEEDED);
    if (dce)
        check("in DCE style, MIT's AP-REQ is bare (0x6e)", out.length && ((unsigned char *)out.value)[0] == 0x6e);

    CredHandle cred;
    CtxtHandle ctx;
    check("AcquireCredentialsHandle(inbound)",
          AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred,
                                    NULL) == SEC_E_OK);
    unsigned char buf[8192];
    SecBuffer ib = {(ULONG)out.length, SECBUFFER_TOKEN, out.value}, ob = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ULONG asc_req = ASC_REQ_CONFIDENTIALITY | (dce ? ASC_REQ_USE_DCE_STYLE : 0);
    SECURITY_STATUS st = AcceptSecurityContext(&cred, NULL, &id, asc_req, SECURITY_NATIVE_DREP, &ctx, &od, &attrs,
                                               NULL);
    if (st && st != SEC_I_CONTINUE_NEEDED)
        fprintf(stderr, "AcceptSecurityContext: %s\n", fakesspi_status_name(st));
    if (dce)
        check("in DCE style, our AcceptSecurityContext answers SEC_I_CONTINUE_NEEDED with a bare AP-REP (0x6f)",
              st == SEC_I_CONTINUE_NEEDED && ob.cbBuffer && buf[0] == 0x6f &&
                  (attrs & (ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH)) ==
                      (ASC_RET_USED_DCE_STYLE | ASC_RET_MUTUAL_AUTH));
    else
        check("our AcceptSecurityContext takes MIT's AP-REQ: SEC_E_OK with an AP-REP", st == SEC_E_OK && ob.cbBuffer);
    gss_release_buffer(&minor, &out);
    gss_buffer_desc rep = {ob.cbBuffer, buf};
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &theirs, service, mech, want, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, &rep, NULL, &out, &got, NULL);
    if (major)
        gss_say("gss_init_sec_context (AP-REP)", major, minor);
    check("MIT accepts our AP-REP: mutual authentication complete", major == GSS_S_COMPLETE);
    if (dce) { /* MIT's third leg, its own bare AP-REP, to our acceptor */
        check("MIT's third leg is a bare AP-REP (0x6f)", out.length && ((unsigned char *)out.value)[0] == 0x6f);
        SecBuffer tb = {(ULONG)out.length, SECBUFFER_TOKEN, out.value};
        SecBufferDesc td = {SECBUFFER_VERSION, 1, &tb};
        ob.cbBuffer = sizeof buf;
        st = AcceptSecurityContext(&cred, &ctx, &td, asc_req, SECURITY_NATIVE_DREP, &ctx, &od, &attrs, NULL);
        if (st)
            fprintf(stderr, "AcceptSecurityContext (third leg): %s\n", fakesspi_status_name(st));
        check("our AcceptSecurityContext takes MIT's third leg: SEC_E_OK, no token",
              st == SEC_E_OK && ob.cbBuffer == 0 && (attrs & ASC_RET_USED_DCE_STYLE));
    }
    gss_release_buffer(&minor, &out);
    SecPkgContext_NamesA names = {0};
    check("the server sees EXAMPLE\\alice",
          st == SEC_E_OK && QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK &&
              !strcmp(names.sUserName, "EXAMPLE\\alice"));
    if (names.sUserName)
        FreeContextBuffer(names.sUserName);
    if (major == GSS_S_COMPLETE && st == SEC_E_OK)
        protect_both_ways(&ctx, theirs);
    gss_delete_sec_context(&minor, &theirs, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &service);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}

/* Prints our AP-REQ (GSS-framed) in hex, for tshark. */
static int print_token(void)
{
    CredHandle cred;
    CtxtHandle ctx;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    unsigned char buf[8192];
    SecBuffer ob = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred, NULL) ||
        InitializeSecurityContextA(&cred, NULL, "HTTP/server.example.test", REQ, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                   &ctx, &od, &attrs, NULL) != SEC_I_CONTINUE_NEEDED)
        return 1;
    for (ULONG i = 0; i < ob.cbBuffer; i++)
        printf("%02x", buf[i]);
    printf("\n");
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: krb5_peer accept [PACKAGE TARGET] | initiate [PACKAGE TARGET] | token | "
                        "delegate CCACHE | accept-dce [PACKAGE] | accept-dce-rc4 [PACKAGE] | initiate-dce\n");
        return 2;
    }
    const char *package = argc > 2 ? argv[2] : "Kerberos";
    if (!strcmp(argv[1], "token"))
        return print_token();
    /* MIT checks authenticator and ticket times against the real clock. */
    fakesspi_clock_use_real(1);
    if (!strcmp(argv[1], "accept-dce") || !strcmp(argv[1], "initiate-dce") || !strcmp(argv[1], "accept-dce-rc4")) {
        dce = 1;
        if (!strcmp(argv[1], "accept-dce-rc4"))
            dce_trailer = 45;
        if (argv[1][0] == 'a')
            our_client_their_server(package, "HTTP/server.example.test");
        else
            their_client_our_server("Kerberos", "svc_server@EXAMPLE.TEST");
    } else if (!strcmp(argv[1], "delegate") && argc > 2) {
        deleg_ccache = argv[2];
        our_client_their_server("Kerberos", "HTTP/server.example.test");
    } else if (!strcmp(argv[1], "accept"))
        our_client_their_server(package, argc > 3 ? argv[3] : "HTTP/server.example.test");
    else
        their_client_our_server(package, argc > 3 ? argv[3] : "svc_server@EXAMPLE.TEST");
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
