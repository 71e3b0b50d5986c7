/* Interop with gss-ntlmssp through MIT GSSAPI, in one process: gss-ntlmssp as acceptor for our
 * InitializeSecurityContext, and as initiator for our AcceptSecurityContext, with wrap/unwrap
 * against our EncryptMessage/DecryptMessage both ways. Users come from NTLM_USER_FILE. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gss_OID_desc ntlmssp_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static int passed, failed;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    ok ? passed++ : failed++;
}

static int seal_both_ways(CtxtHandle *ours, gss_ctx_id_t theirs)
{
    OM_uint32 minor;
    int conf = 0, ok = 1;
    /* gss_wrap -> DecryptMessage: a 16-byte signature, then the sealed data. */
    const char text[] = "from gss-ntlmssp";
    gss_buffer_desc in = {sizeof text - 1, (void *)text}, out = GSS_C_EMPTY_BUFFER;
    if (gss_wrap(&minor, theirs, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out) != GSS_S_COMPLETE || out.length < 16)
        return 0;
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, out.value}, {(ULONG)(out.length - 16), SECBUFFER_DATA,
                                                            (char *)out.value + 16}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ok &= DecryptMessage(ours, &d, 0, NULL) == SEC_E_OK && b[1].cbBuffer == in.length &&
          !memcmp(b[1].pvBuffer, text, in.length);
    gss_release_buffer(&minor, &out);
    /* EncryptMessage -> gss_unwrap */
    unsigned char msg[16 + 32];
    const char reply[] = "from libfakesspi";
    memcpy(msg + 16, reply, sizeof reply - 1);
    SecBuffer e[2] = {{16, SECBUFFER_TOKEN, msg}, {sizeof reply - 1, SECBUFFER_DATA, msg + 16}};
    SecBufferDesc ed = {SECBUFFER_VERSION, 2, e};
    ok &= EncryptMessage(ours, 0, &ed, 0) == SEC_E_OK;
    gss_buffer_desc sealed = {16 + sizeof reply - 1, msg}, plain = GSS_C_EMPTY_BUFFER;
    ok &= gss_unwrap(&minor, theirs, &sealed, &plain, &conf, NULL) == GSS_S_COMPLETE && conf &&
          plain.length == sizeof reply - 1 && !memcmp(plain.value, reply, plain.length);
    gss_release_buffer(&minor, &plain);
    return ok;
}

static void our_client_their_server(void)
{
    OM_uint32 major, minor;
    gss_OID_set_desc mechs = {1, &ntlmssp_oid};
    gss_cred_id_t acceptor = GSS_C_NO_CREDENTIAL;
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, &acceptor, NULL, NULL);
    check("gss-ntlmssp acquires acceptor credentials", major == GSS_S_COMPLETE);
    CredHandle cred;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred, NULL);
    CtxtHandle ctx;
    gss_ctx_id_t theirs = GSS_C_NO_CONTEXT;
    unsigned char tok[4096];
    SecBuffer ob = {sizeof tok, SECBUFFER_TOKEN, tok}, ib;
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, idd = {SECBUFFER_VERSION, 1, &ib};
    ULONG req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, attrs;
    SECURITY_STATUS st = InitializeSecurityContextA(&cred, NULL, "HOST/server", req, 0, 0, NULL, 0, &ctx, &od, &attrs,
                                                    NULL);
    gss_buffer_desc in = {ob.cbBuffer, tok}, out = GSS_C_EMPTY_BUFFER;
    major = gss_accept_sec_context(&minor, &theirs, acceptor, &in, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out,
                                   NULL, NULL, NULL);
    check("gss-ntlmssp answers our NEGOTIATE with a CHALLENGE", st == SEC_I_CONTINUE_NEEDED &&
                                                                    major == GSS_S_CONTINUE_NEEDED);
    ib = (SecBuffer){(ULONG)out.length, SECBUFFER_TOKEN, out.value};
    ob.cbBuffer = sizeof tok;
    st = InitializeSecurityContextA(&cred, &ctx, "HOST/server", req, 0, 0, &idd, 0, &ctx, &od, &attrs, NULL);
    gss_release_buffer(&minor, &out);
    in = (gss_buffer_desc){ob.cbBuffer, tok};
    major = gss_accept_sec_context(&minor, &theirs, acceptor, &in, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out,
                                   NULL, NULL, NULL);
    check("gss-ntlmssp accepts our AUTHENTICATE (NTLMv2, MIC)", st == SEC_E_OK && major == GSS_S_COMPLETE);
    gss_release_buffer(&minor, &out);
    if (major == GSS_S_COMPLETE)
        check("sealed messages cross both ways (our client, their server)", seal_both_ways(&ctx, theirs));
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    gss_delete_sec_context(&minor, &theirs, GSS_C_NO_BUFFER);
    gss_release_cred(&minor, &acceptor);
}

static void their_client_our_server(void)
{
    OM_uint32 major, minor;
    gss_buffer_desc user = {strlen("EXAMPLE\\bob"), (void *)"EXAMPLE\\bob"}, password = {8, (void *)"Hunter2!"};
    gss_name_t name = GSS_C_NO_NAME;
    gss_import_name(&minor, &user, GSS_C_NT_USER_NAME, &name);
    gss_OID_set_desc mechs = {1, &ntlmssp_oid};
    gss_cred_id_t initiator = GSS_C_NO_CREDENTIAL;
    major = gss_acquire_cred_with_password(&minor, name, &password, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
                                           &initiator, NULL, NULL);
    check("gss-ntlmssp acquires bob's initiator credentials", major == GSS_S_COMPLETE);
    gss_buffer_desc target_text = {strlen("HOST@server"), (void *)"HOST@server"};
    gss_name_t target = GSS_C_NO_NAME;
    gss_import_name(&minor, &target_text, GSS_C_NT_HOSTBASED_SERVICE, &target);
    CredHandle cred;
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred, NULL);
    CtxtHandle ctx;
    int have = 0;
    gss_ctx_id_t theirs = GSS_C_NO_CONTEXT;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    unsigned char tok[4096];
    SECURITY_STATUS st = SEC_E_INTERNAL_ERROR;
    for (int leg = 0; leg < 3; leg++) {
        major = gss_init_sec_context(&minor, initiator, &theirs, target, &ntlmssp_oid,
                                     GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, GSS_C_NO_CHANNEL_BINDINGS, &in, NULL,
                                     &out, NULL, NULL);
        if (GSS_ERROR(major) || out.length == 0)
            break;
        SecBuffer ib = {(ULONG)out.length, SECBUFFER_TOKEN, out.value}, ob = {sizeof tok, SECBUFFER_TOKEN, tok};
        SecBufferDesc idd = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
        ULONG attrs;
        st = AcceptSecurityContext(&cred, have ? &ctx : NULL, &idd, ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, 0,
                                   &ctx, &od, &attrs, NULL);
        have = 1;
        gss_release_buffer(&minor, &out);
        if (st != SEC_I_CONTINUE_NEEDED)
            break;
        in = (gss_buffer_desc){ob.cbBuffer, tok};
    }
    if (st != SEC_E_OK)
        printf("AcceptSecurityContext: 0x%08lx, gss major 0x%x\n", (unsigned long)st, major);
    check("our AcceptSecurityContext accepts gss-ntlmssp's login as bob", st == SEC_E_OK);
    if (st == SEC_E_OK) {
        SecPkgContext_NamesA names;
        QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names);
        check("the server context names EXAMPLE\\bob", !strcmp(names.sUserName, "EXAMPLE\\bob"));
        FreeContextBuffer(names.sUserName);
        check("sealed messages cross both ways (their client, our server)", seal_both_ways(&ctx, theirs));
    }
    if (have)
        DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    gss_delete_sec_context(&minor, &theirs, GSS_C_NO_BUFFER);
    gss_release_cred(&minor, &initiator);
    gss_release_name(&minor, &name);
    gss_release_name(&minor, &target);
}

int main(void)
{
    our_client_their_server();
    their_client_our_server();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
