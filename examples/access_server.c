/* The canonical Windows server pattern, end to end: authenticate the client with SSPI, impersonate it, take
 * the thread's token with OpenThreadToken, revert, then let AccessCheck decide against the object's security
 * descriptor. The client (examples/sspi_client, unchanged) is told the verdict in a sealed message.
 * Windows code, built unchanged against libfakesspi.
 *   access_server PORT SDDL [PACKAGE]     SDDL: the object's descriptor, e.g. "O:BAG:BAD:(A;;FR;;;AU)";
 *                                          PACKAGE: Negotiate (default), Kerberos or NTLM; PORT 0: any
 * Exit status: 0 the client may read the object, 3 it may not, 1 anything failed. */
#include "sspi_accept.h"
#include <sddl.h>

static int Fail(const char *what, DWORD code)
{
    printf("%s failed: 0x%08x\n", what, (unsigned)code);
    return 1;
}

/* The client's own token, as the impersonating thread holds it. OpenAsSelf: the server's identity opens the
 * thread's token, so a client allowed only identification cannot block its own check. */
static HANDLE ClientToken(CtxtHandle *ctx)
{
    SECURITY_STATUS ss = ImpersonateSecurityContext(ctx);
    if (ss != SEC_E_OK) {
        Fail("ImpersonateSecurityContext", (DWORD)ss);
        return NULL;
    }
    HANDLE token = NULL;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token))
        Fail("OpenThreadToken", GetLastError());
    RevertSecurityContext(ctx);
    return token;
}

/* AccessCheck for reading the object as a file is read: the verdict in words, and whether it was granted. */
static BOOL MayRead(HANDLE token, PSECURITY_DESCRIPTOR sd, char *verdict, size_t cap)
{
    GENERIC_MAPPING mapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};
    DWORD desired = GENERIC_READ, granted = 0, maximum = 0, length;
    BOOL status = FALSE, maxStatus = FALSE;
    BYTE privileges[sizeof(PRIVILEGE_SET) + 2 * sizeof(LUID_AND_ATTRIBUTES)];
    MapGenericMask(&desired, &mapping);
    length = sizeof privileges;
    if (!AccessCheck(sd, token, desired, &mapping, (PPRIVILEGE_SET)privileges, &length, &granted, &status)) {
        snprintf(verdict, cap, "could not be checked: AccessCheck failed with %lu", (unsigned long)GetLastError());
        return FALSE;
    }
    DWORD why = GetLastError(); /* ERROR_ACCESS_DENIED when the check denied */
    length = sizeof privileges;
    AccessCheck(sd, token, MAXIMUM_ALLOWED, &mapping, (PPRIVILEGE_SET)privileges, &length, &maximum, &maxStatus);
    if (status)
        snprintf(verdict, cap, "may read the object (granted 0x%lx; everything it may do: 0x%lx)",
                 (unsigned long)granted, (unsigned long)(maxStatus ? maximum : 0));
    else
        snprintf(verdict, cap, "may not read the object (error %lu; everything it may do: 0x%lx)",
                 (unsigned long)why, (unsigned long)(maxStatus ? maximum : 0));
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: access_server PORT SDDL [PACKAGE]\n");
        return 2;
    }
    char *package = argc > 3 ? argv[3] : "Negotiate";
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(argv[2], SDDL_REVISION_1, &sd, NULL))
        return Fail("ConvertStringSecurityDescriptorToSecurityDescriptor", GetLastError());
    SOCKET listener;
    CredHandle cred;
    SOCKET client = AcceptClient(argv[1], package, &listener, &cred);
    if (client == INVALID_SOCKET)
        return 1;
    CtxtHandle ctx;
    int rc = 1;
    SECURITY_STATUS ss = Authenticate(client, &cred, &ctx);
    if (ss != SEC_E_OK) {
        Fail("AcceptSecurityContext", (DWORD)ss);
    } else {
        SecPkgContext_NamesA names;
        QueryContextAttributes(&ctx, SECPKG_ATTR_NAMES, &names);
        printf("authenticated %s\n", names.sUserName);
        HANDLE token = ClientToken(&ctx);
        if (token) {
            char verdict[256], reply[512], answer[512];
            BOOL granted = MayRead(token, sd, verdict, sizeof verdict);
            CloseHandle(token); /* OpenThreadToken's handle is the caller's to close */
            snprintf(reply, sizeof reply, "%s %s", names.sUserName, verdict);
            printf("%s\n", reply);
            if (SendSealed(client, &ctx, reply) && ReceiveSealed(client, &ctx, answer, sizeof answer)) {
                printf("the client says: %s\n", answer);
                rc = granted ? 0 : 3;
            }
        }
        FreeContextBuffer(names.sUserName);
        DeleteSecurityContext(&ctx);
    }
    closesocket(client);
    closesocket(listener);
    FreeCredentialsHandle(&cred);
    LocalFree(sd);
    WSACleanup();
    return rc;
}
