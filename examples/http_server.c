/* An HTTP server that authenticates clients as IIS does, offering Negotiate and NTLM
 * (WWW-Authenticate), and answers with the client's name, groups and package. Windows code, built
 * unchanged against libfakesspi: curl --ntlm and curl --negotiate (SPNEGO) log in to it.
 *   http_server PORT [CONNECTIONS]    serves CONNECTIONS connections (default 1) on 127.0.0.1:PORT
 *                                     (PORT 0: a free port, named in its "listening on" line) */
#define SECURITY_WIN32
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>
#include <security.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one request's header block; returns its length or -1. */
static int ReadRequest(SOCKET s, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        int got = recv(s, buf + n, 1, 0);
        if (got <= 0)
            return -1;
        n += (size_t)got;
        buf[n] = '\0';
        if (n >= 4 && !memcmp(buf + n - 4, "\r\n\r\n", 4))
            return (int)n;
    }
    return -1;
}

/* auth: the WWW-Authenticate values, each ending in CRLF, or "". */
static void Respond(SOCKET s, int code, const char *auth, const char *body)
{
    char head[16384];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\n%sContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                     code, code == 200 ? "OK" : "Unauthorized", auth, strlen(body), body);
    send(s, head, n, 0);
}

static const char offer[] = "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\n";

/* The client's user and groups, read through the context's borrowed access token. */
static void DescribeClient(CtxtHandle *ctx, char *out, size_t cap)
{
    SecPkgContext_NamesA names;
    SecPkgContext_NegotiationInfoA nego;
    size_t n = 0;
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
        n += (size_t)snprintf(out + n, cap - n, "Hello %s\n", names.sUserName);
        FreeContextBuffer(names.sUserName);
    }
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego) == SEC_E_OK) {
        n += (size_t)snprintf(out + n, cap - n, "authenticated with %s\n", nego.PackageInfo->Name);
        FreeContextBuffer(nego.PackageInfo);
    }
    SecPkgContext_AccessToken token;
    BYTE buf[4096];
    DWORD len;
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_ACCESS_TOKEN, &token) != SEC_E_OK ||
        !GetTokenInformation(token.AccessToken, TokenGroups, buf, sizeof buf, &len))
        return;
    TOKEN_GROUPS *groups = (TOKEN_GROUPS *)buf;
    for (DWORD i = 0; i < groups->GroupCount && n < cap; i++) {
        char name[128], domain[128];
        DWORD cn = sizeof name, cd = sizeof domain;
        SID_NAME_USE use;
        if (LookupAccountSidA(NULL, groups->Groups[i].Sid, name, &cn, domain, &cd, &use))
            n += (size_t)snprintf(out + n, cap - n, "member of %s%s%s\n", domain, domain[0] ? "\\" : "", name);
    }
}

/* One connection: NTLM is connection-bound, so the legs of a login share it. */
static void Serve(SOCKET s, CredHandle *negotiate, CredHandle *ntlm)
{
    CtxtHandle ctx;
    BOOL haveCtx = FALSE;
    static char req[65536];
    while (ReadRequest(s, req, sizeof req) > 0) {
        const char *scheme = NULL;
        char *auth = strstr(req, "\r\nAuthorization: ");
        if (auth) {
            auth += strlen("\r\nAuthorization: ");
            if (!strncmp(auth, "Negotiate ", 10))
                scheme = "Negotiate";
            else if (!strncmp(auth, "NTLM ", 5))
                scheme = "NTLM";
        }
        if (!scheme) {
            Respond(s, 401, offer, "authenticate, please\n");
            continue;
        }
        auth += strlen(scheme) + 1;
        char *end = strstr(auth, "\r\n");
        *end = '\0';
        BYTE token[16384];
        DWORD tokenLen = sizeof token;
        if (!CryptStringToBinaryA(auth, 0, CRYPT_STRING_BASE64, token, &tokenLen, NULL, NULL)) {
            Respond(s, 400, "", "bad token\n");
            break;
        }
        BYTE answer[16384];
        SecBuffer in = {tokenLen, SECBUFFER_TOKEN, token}, out = {sizeof answer, SECBUFFER_TOKEN, answer};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &in}, outDesc = {SECBUFFER_VERSION, 1, &out};
        ULONG attrs;
        SECURITY_STATUS ss = AcceptSecurityContext(!strcmp(scheme, "NTLM") ? ntlm : negotiate,
                                                   haveCtx ? &ctx : NULL, &inDesc, ASC_REQ_CONNECTION,
                                                   SECURITY_NATIVE_DREP, &ctx, &outDesc, &attrs, NULL);
        /* Any token the server has goes back in WWW-Authenticate, on a 401 while the exchange goes on
         * and on the 200 at the end (Negotiate's mutual authentication). */
        char header[40000] = "";
        if ((ss == SEC_E_OK || ss == SEC_I_CONTINUE_NEEDED) && out.cbBuffer) {
            DWORD textLen = sizeof header - 64;
            int used = snprintf(header, sizeof header, "WWW-Authenticate: %s ", scheme);
            if (!CryptBinaryToStringA(answer, out.cbBuffer, CRYPT_STRING_BASE64 | CRYPT_STRING_NOCRLF,
                                      header + used, &textLen))
                ss = SEC_E_INTERNAL_ERROR;
            else
                strcat(header, "\r\n");
        }
        if (ss == SEC_I_CONTINUE_NEEDED) {
            haveCtx = TRUE;
            Respond(s, 401, header, "continue\n");
        } else if (ss == SEC_E_OK) {
            char body[8192] = "";
            DescribeClient(&ctx, body, sizeof body);
            Respond(s, 200, header, body);
            DeleteSecurityContext(&ctx);
            haveCtx = FALSE;
        } else {
            Respond(s, 401, offer, "access denied\n");
            if (haveCtx)
                DeleteSecurityContext(&ctx);
            haveCtx = FALSE;
            break;
        }
    }
    if (haveCtx)
        DeleteSecurityContext(&ctx);
    closesocket(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [CONNECTIONS]\n", argv[0]);
        return 2;
    }
    int connections = argc > 2 ? atoi(argv[2]) : 1;
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, (const char *)&one, sizeof one);
    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)atoi(argv[1]));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int addrLen = sizeof addr;
    if (bind(listener, (SOCKADDR *)&addr, sizeof addr) == SOCKET_ERROR || listen(listener, 8) == SOCKET_ERROR ||
        getsockname(listener, (SOCKADDR *)&addr, (socklen_t *)&addrLen) == SOCKET_ERROR) {
        fprintf(stderr, "bind/listen: WSA error %d\n", WSAGetLastError());
        return 1;
    }
    printf("listening on 127.0.0.1:%u\n", ntohs(addr.sin_port)); /* port 0: the one the system chose */
    fflush(stdout);
    CredHandle negotiate, ntlm;
    if (AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &negotiate, NULL) !=
            SEC_E_OK ||
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &ntlm, NULL) != SEC_E_OK)
        return 1;
    for (int i = 0; i < connections; i++) {
        SOCKET s = accept(listener, NULL, NULL);
        if (s != INVALID_SOCKET)
            Serve(s, &negotiate, &ntlm);
    }
    FreeCredentialsHandle(&negotiate);
    FreeCredentialsHandle(&ntlm);
    closesocket(listener);
    WSACleanup();
    return 0;
}
