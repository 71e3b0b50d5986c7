/* A TCP server that authenticates its client with SSPI, impersonates it, checks whether it belongs
 * to a group, and tells it so in a sealed message. Windows code, built unchanged against libfakesspi.
 *   sspi_server PORT GROUP [PACKAGE]      PACKAGE: Negotiate (default), Kerberos or NTLM; PORT 0: any */
#include "sspi_accept.h"

static int Fail(const char *what, SECURITY_STATUS ss)
{
    printf("%s failed: 0x%08x\n", what, (unsigned)ss); /* unsigned long is 64-bit here */
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: sspi_server PORT GROUP [PACKAGE]\n");
        return 2;
    }
    const char *group = argv[2];
    char *package = argc > 3 ? argv[3] : "Negotiate";
    SOCKET listener;
    CredHandle cred;
    SOCKET client = AcceptClient(argv[1], package, &listener, &cred);
    if (client == INVALID_SOCKET)
        return 1;
    CtxtHandle ctx;
    SECURITY_STATUS ss = Authenticate(client, &cred, &ctx);
    int rc = 1;
    if (ss != SEC_E_OK) {
        Fail("AcceptSecurityContext", ss);
    } else {
        SecPkgContext_NamesA names;
        SecPkgContext_NegotiationInfoA nego;
        QueryContextAttributes(&ctx, SECPKG_ATTR_NAMES, &names);
        if (QueryContextAttributes(&ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego) == SEC_E_OK) {
            printf("authenticated %s with %s\n", names.sUserName, nego.PackageInfo->Name);
            FreeContextBuffer(nego.PackageInfo);
        }
        /* Impersonate the client: group checks, file access and so on now happen as the client. */
        char user[256], reply[512], answer[512];
        DWORD userLen = sizeof user;
        BOOL member = FALSE;
        BYTE sid[SECURITY_MAX_SID_SIZE];
        DWORD sidLen = sizeof sid;
        char domain[256];
        DWORD domainLen = sizeof domain;
        SID_NAME_USE use;
        if (!LookupAccountNameA(NULL, group, sid, &sidLen, domain, &domainLen, &use)) {
            printf("LookupAccountName(%s) failed: %lu\n", group, (unsigned long)GetLastError());
        } else if ((ss = ImpersonateSecurityContext(&ctx)) != SEC_E_OK) {
            Fail("ImpersonateSecurityContext", ss);
        } else {
            GetUserNameA(user, &userLen);
            BOOL checked = CheckTokenMembership(NULL, sid, &member);
            RevertSecurityContext(&ctx);
            snprintf(reply, sizeof reply, "%s %s a member of %s\\%s", names.sUserName,
                     !checked ? "could not be checked as" : member ? "is" : "is not", domain, group);
            printf("impersonating: the thread ran as %s\n", user);
            printf("%s\n", reply);
            if (SendSealed(client, &ctx, reply) && ReceiveSealed(client, &ctx, answer, sizeof answer)) {
                printf("the client says: %s\n", answer);
                rc = member ? 0 : 3;
            }
        }
        FreeContextBuffer(names.sUserName);
        DeleteSecurityContext(&ctx);
    }
    closesocket(client);
    closesocket(listener);
    FreeCredentialsHandle(&cred);
    WSACleanup();
    return rc;
}
