/* A ported server function's two planted bugs, as a test writer meets them (issue: "A misuse failure
 * names its origin"): an NTLM handshake in one process, then the server side closes the token it
 * only borrowed (SECPKG_ATTR_ACCESS_TOKEN) and leaks the one QuerySecurityContextToken handed out.
 * Built with the public headers and libfakesspi only. */
#ifndef PLANTED_H
#define PLANTED_H

#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

/* Both sides of one NTLM handshake; 1 when the server context is complete. */
static int planted_handshake(CredHandle *client_cred, CredHandle *server_cred, CtxtHandle *client,
                             CtxtHandle *server)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, client_cred, NULL) ||
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, server_cred, NULL))
        return 0;
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c}, ic, is;
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
    ULONG attrs;
    if (InitializeSecurityContextA(client_cred, NULL, "HOST/server", 0, 0, SECURITY_NATIVE_DREP, NULL, 0, client,
                                   &ocd, &attrs, NULL) != SEC_I_CONTINUE_NEEDED)
        return 0;
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    if (AcceptSecurityContext(server_cred, NULL, &isd, 0, SECURITY_NATIVE_DREP, server, &osd, &attrs, NULL) !=
        SEC_I_CONTINUE_NEEDED)
        return 0;
    ic = (SecBuffer){os.cbBuffer, SECBUFFER_TOKEN, s2c};
    oc.cbBuffer = sizeof c2s;
    if (InitializeSecurityContextA(client_cred, client, "HOST/server", 0, 0, SECURITY_NATIVE_DREP, &icd, 0, client,
                                   &ocd, &attrs, NULL) != SEC_E_OK)
        return 0;
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    os.cbBuffer = sizeof s2c;
    return AcceptSecurityContext(server_cred, server, &isd, 0, SECURITY_NATIVE_DREP, server, &osd, &attrs, NULL) ==
           SEC_E_OK;
}

#endif
