/* A TCP client that authenticates to sspi_server with SSPI and exchanges sealed messages with it.
 * Windows code, built unchanged against libfakesspi.
 *   sspi_client HOST PORT [PACKAGE [TARGET [USER PASSWORD]]]
 *   PACKAGE: Negotiate (default), Kerberos or NTLM; TARGET: the server's SPN (HTTP/server.example.test);
 *   without USER the process's own logon is used. */
#include "sspi_common.h"

static int Fail(const char *what, SECURITY_STATUS ss)
{
    printf("%s failed: 0x%08x\n", what, (unsigned)ss); /* unsigned long is 64-bit here */
    return 1;
}

static SOCKET Connect(const char *host, const char *port)
{
    ADDRINFOA hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &found) != 0)
        return INVALID_SOCKET;
    SOCKET s = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    if (s != INVALID_SOCKET && connect(s, found->ai_addr, (int)found->ai_addrlen) == SOCKET_ERROR) {
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(found);
    return s;
}

/* InitializeSecurityContext until both sides are done; the server answers each token with its status
 * and its own token. */
static SECURITY_STATUS Authenticate(SOCKET s, CredHandle *cred, CtxtHandle *ctx, char *target)
{
    static BYTE in[MAX_MESSAGE], out[MAX_MESSAGE];
    DWORD inLen = 0;
    BOOL first = TRUE;
    SECURITY_STATUS serverStatus = SEC_I_CONTINUE_NEEDED;
    for (;;) {
        SecBuffer inBuf = {inLen, SECBUFFER_TOKEN, in}, outBuf = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuf}, outDesc = {SECBUFFER_VERSION, 1, &outBuf};
        ULONG attrs;
        TimeStamp expiry;
        SECURITY_STATUS ss = InitializeSecurityContext(
            cred, first ? NULL : ctx, (LPSTR)target,
            ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT |
                ISC_REQ_REPLAY_DETECT,
            0, SECURITY_NATIVE_DREP, first ? NULL : &inDesc, 0, ctx, &outDesc, &attrs, &expiry);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
            if (!first)
                DeleteSecurityContext(ctx);
            return Fail("InitializeSecurityContext", ss), ss;
        }
        first = FALSE;
        if (ss == SEC_E_OK && serverStatus == SEC_E_OK)
            return SEC_E_OK; /* the server finished first: nothing more to say */
        if (!SendMsg(s, out, outBuf.cbBuffer) || !ReceiveBytes(s, &serverStatus, sizeof serverStatus) ||
            !ReceiveMsg(s, in, sizeof in, &inLen)) {
            DeleteSecurityContext(ctx);
            return SEC_E_INTERNAL_ERROR;
        }
        if (serverStatus != SEC_E_OK && serverStatus != SEC_I_CONTINUE_NEEDED) {
            printf("the server refused: 0x%08x\n", (unsigned)serverStatus);
            DeleteSecurityContext(ctx);
            return serverStatus;
        }
        if (ss == SEC_E_OK && serverStatus == SEC_E_OK && inLen == 0)
            return SEC_E_OK;
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: sspi_client HOST PORT [PACKAGE [TARGET [USER PASSWORD]]]\n");
        return 2;
    }
    char *package = argc > 3 ? argv[3] : "Negotiate";
    char *target = argc > 4 ? argv[4] : "HTTP/server.example.test";
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    SOCKET s = Connect(argv[1], argv[2]);
    if (s == INVALID_SOCKET) {
        printf("cannot connect: WSA error %d\n", WSAGetLastError());
        return 1;
    }
    SEC_WINNT_AUTH_IDENTITY_A identity;
    memset(&identity, 0, sizeof identity);
    if (argc > 6) {
        char *slash = strchr(argv[5], '\\');
        identity.User = (unsigned char *)(slash ? slash + 1 : argv[5]);
        identity.UserLength = (ULONG)strlen((char *)identity.User);
        identity.Domain = (unsigned char *)(slash ? argv[5] : "");
        identity.DomainLength = slash ? (ULONG)(slash - argv[5]) : 0;
        identity.Password = (unsigned char *)argv[6];
        identity.PasswordLength = (ULONG)strlen(argv[6]);
        identity.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS ss = AcquireCredentialsHandle(NULL, (LPSTR)package, SECPKG_CRED_OUTBOUND, NULL,
                                                  argc > 6 ? &identity : NULL, NULL, NULL, &cred, &expiry);
    if (ss != SEC_E_OK)
        return Fail("AcquireCredentialsHandle", ss);
    CtxtHandle ctx;
    int rc = 1;
    if (Authenticate(s, &cred, &ctx, target) == SEC_E_OK) {
        SecPkgContext_NegotiationInfoA nego;
        if (QueryContextAttributes(&ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego) == SEC_E_OK) {
            printf("authenticated with %s\n", nego.PackageInfo->Name);
            FreeContextBuffer(nego.PackageInfo);
        }
        char text[512];
        if (ReceiveSealed(s, &ctx, text, sizeof text)) {
            printf("the server says: %s\n", text);
            rc = SendSealed(s, &ctx, "thank you") ? 0 : 1;
        }
        DeleteSecurityContext(&ctx);
    }
    closesocket(s);
    FreeCredentialsHandle(&cred);
    WSACleanup();
    return rc;
}
