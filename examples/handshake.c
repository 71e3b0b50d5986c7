/* An NTLM handshake between a client and a server in one process, written as Windows code is:
 * the three legs, the server's view of the client, impersonation, and a sealed message each way.
 * Builds unchanged against libfakesspi; `make demo` runs it. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>

static const char *status(SECURITY_STATUS s)
{
    switch (s) {
    case SEC_E_OK: return "SEC_E_OK";
    case SEC_I_CONTINUE_NEEDED: return "SEC_I_CONTINUE_NEEDED";
    case SEC_E_LOGON_DENIED: return "SEC_E_LOGON_DENIED";
    default: return "an error";
    }
}

static void show_token(HANDLE token)
{
    BYTE buf[2048];
    DWORD n;
    char name[128], domain[128];
    DWORD cn = sizeof name, cd = sizeof domain;
    SID_NAME_USE use;
    if (GetTokenInformation(token, TokenUser, buf, sizeof buf, &n) &&
        LookupAccountSidA(NULL, ((TOKEN_USER *)buf)->User.Sid, name, &cn, domain, &cd, &use))
        printf("  user:   %s\\%s\n", domain, name);
    SECURITY_IMPERSONATION_LEVEL level;
    if (GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof level, &n))
        printf("  level:  %s\n", level == SecurityImpersonation ? "SecurityImpersonation" : "SecurityIdentification");
    if (GetTokenInformation(token, TokenGroups, buf, sizeof buf, &n)) {
        TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
        for (DWORD i = 0; i < g->GroupCount; i++) {
            cn = sizeof name, cd = sizeof domain;
            if (LookupAccountSidA(NULL, g->Groups[i].Sid, name, &cn, domain, &cd, &use))
                printf("  group:  %s%s%s\n", domain, domain[0] ? "\\" : "", name);
        }
    }
}

int main(void)
{
    CredHandle client_cred, server_cred;
    SEC_WINNT_AUTH_IDENTITY_A who = {(unsigned char *)"bob", 3, (unsigned char *)"EXAMPLE", 7,
                                     (unsigned char *)"Hunter2!", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &who, NULL, NULL, &client_cred, NULL);
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &server_cred, NULL);

    ULONG isc = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    ULONG asc = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION;
    CtxtHandle client, server;
    BYTE to_server[4096], to_client[4096];
    SecBuffer out = {sizeof to_server, SECBUFFER_TOKEN, to_server}, in;
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out}, in_desc = {SECBUFFER_VERSION, 1, &in};
    ULONG attrs;
    SECURITY_STATUS cs, ss;

    cs = InitializeSecurityContextA(&client_cred, NULL, "HTTP/server.example.test", isc, 0, SECURITY_NATIVE_DREP, NULL,
                                    0, &client, &out_desc, &attrs, NULL);
    printf("1. client InitializeSecurityContext -> %s, NEGOTIATE_MESSAGE of %lu bytes\n", status(cs),
           (unsigned long)out.cbBuffer);
    in = (SecBuffer){out.cbBuffer, SECBUFFER_TOKEN, to_server};
    out = (SecBuffer){sizeof to_client, SECBUFFER_TOKEN, to_client};
    ss = AcceptSecurityContext(&server_cred, NULL, &in_desc, asc, SECURITY_NATIVE_DREP, &server, &out_desc, &attrs,
                               NULL);
    printf("2. server AcceptSecurityContext     -> %s, CHALLENGE_MESSAGE of %lu bytes\n", status(ss),
           (unsigned long)out.cbBuffer);
    in = (SecBuffer){out.cbBuffer, SECBUFFER_TOKEN, to_client};
    out = (SecBuffer){sizeof to_server, SECBUFFER_TOKEN, to_server};
    cs = InitializeSecurityContextA(&client_cred, &client, "HTTP/server.example.test", isc, 0, SECURITY_NATIVE_DREP,
                                    &in_desc, 0, &client, &out_desc, &attrs, NULL);
    printf("3. client InitializeSecurityContext -> %s, AUTHENTICATE_MESSAGE of %lu bytes\n", status(cs),
           (unsigned long)out.cbBuffer);
    in = (SecBuffer){out.cbBuffer, SECBUFFER_TOKEN, to_server};
    out = (SecBuffer){sizeof to_client, SECBUFFER_TOKEN, to_client};
    ss = AcceptSecurityContext(&server_cred, &server, &in_desc, asc, SECURITY_NATIVE_DREP, &server, &out_desc, &attrs,
                               NULL);
    printf("4. server AcceptSecurityContext     -> %s, nothing more to send (%lu bytes)\n", status(ss),
           (unsigned long)out.cbBuffer);
    if (ss != SEC_E_OK)
        return 1;

    SecPkgContext_AccessToken borrowed;
    QueryContextAttributesA(&server, SECPKG_ATTR_ACCESS_TOKEN, &borrowed);
    printf("\nThe server's access token (SECPKG_ATTR_ACCESS_TOKEN, borrowed: never CloseHandle it):\n");
    show_token(borrowed.AccessToken);

    char data[] = "Hello, sealed world";
    BYTE trailer[16];
    SecBuffer msg[2] = {{sizeof data - 1, SECBUFFER_DATA, data}, {sizeof trailer, SECBUFFER_TOKEN, trailer}};
    SecBufferDesc msg_desc = {SECBUFFER_VERSION, 2, msg};
    EncryptMessage(&client, 0, &msg_desc, 0);
    printf("\nEncryptMessage: \"%s\" went over the wire as", "Hello, sealed world");
    for (ULONG i = 0; i < 8; i++)
        printf(" %02x", (unsigned char)data[i]);
    printf(" ...\n");
    ss = DecryptMessage(&server, &msg_desc, 0, NULL);
    printf("DecryptMessage -> %s: \"%s\"\n", status(ss), data);

    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);

    printf("\nAnd the classic bug: closing the borrowed token after the context is gone.\n");
    fflush(stdout);
    BOOL closed = CloseHandle(borrowed.AccessToken);
    fflush(stderr);
    printf("CloseHandle returned %s, GetLastError() = %lu (ERROR_INVALID_HANDLE), as on Windows.\n",
           closed ? "TRUE" : "FALSE", (unsigned long)GetLastError());
    return 0;
}
