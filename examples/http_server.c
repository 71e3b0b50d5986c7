/* An HTTP server that authenticates clients with NTLM (WWW-Authenticate: NTLM), as IIS does, and
 * answers with the client's name and groups. Real NTLM clients (curl --ntlm, browsers) log in to it.
 *   http_server PORT [CONNECTIONS]    serves CONNECTIONS connections (default 1) on 127.0.0.1:PORT */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <arpa/inet.h>
#include <nettle/base64.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Reads one request's header block; returns its length or -1. */
static int read_request(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t got = recv(fd, buf + n, 1, 0);
        if (got <= 0)
            return -1;
        n += (size_t)got;
        buf[n] = '\0';
        if (n >= 4 && !memcmp(buf + n - 4, "\r\n\r\n", 4))
            return (int)n;
    }
    return -1;
}

static void respond(int fd, int code, const char *auth_header, const char *body)
{
    char head[8192];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\n%s%s%sContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", code,
                     code == 200 ? "OK" : "Unauthorized", auth_header ? "WWW-Authenticate: " : "",
                     auth_header ? auth_header : "", auth_header ? "\r\n" : "", strlen(body), body);
    send(fd, head, (size_t)n, 0);
}

/* The client's user and groups, read through the context's borrowed access token. */
static void describe_client(CtxtHandle *ctx, char *out, size_t cap)
{
    SecPkgContext_NamesA names;
    size_t n = 0;
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
        n += (size_t)snprintf(out + n, cap - n, "Hello %s\n", names.sUserName);
        FreeContextBuffer(names.sUserName);
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
static void serve(int fd, CredHandle *cred)
{
    CtxtHandle ctx;
    int have_ctx = 0;
    char req[16384];
    while (read_request(fd, req, sizeof req) > 0) {
        char *auth = strcasestr(req, "\r\nAuthorization: NTLM ");
        if (!auth) {
            respond(fd, 401, "NTLM", "authenticate, please\n");
            continue;
        }
        auth += strlen("\r\nAuthorization: NTLM ");
        char *end = strstr(auth, "\r\n");
        *end = '\0';
        BYTE token[8192];
        size_t token_len = sizeof token;
        struct base64_decode_ctx b64;
        base64_decode_init(&b64);
        if (!base64_decode_update(&b64, &token_len, token, strlen(auth), auth) || !base64_decode_final(&b64)) {
            respond(fd, 401, "NTLM", "bad token\n");
            break;
        }
        BYTE answer[8192];
        SecBuffer in = {(ULONG)token_len, SECBUFFER_TOKEN, token}, out = {sizeof answer, SECBUFFER_TOKEN, answer};
        SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in}, out_desc = {SECBUFFER_VERSION, 1, &out};
        ULONG attrs;
        SECURITY_STATUS st = AcceptSecurityContext(cred, have_ctx ? &ctx : NULL, &in_desc, ASC_REQ_CONNECTION,
                                                   SECURITY_NATIVE_DREP, &ctx, &out_desc, &attrs, NULL);
        if (st == SEC_I_CONTINUE_NEEDED) {
            have_ctx = 1;
            char header[16384] = "NTLM ";
            base64_encode_raw(header + 5, out.cbBuffer, answer);
            header[5 + BASE64_ENCODE_RAW_LENGTH(out.cbBuffer)] = '\0';
            respond(fd, 401, header, "continue\n");
        } else if (st == SEC_E_OK) {
            char body[8192] = "";
            describe_client(&ctx, body, sizeof body);
            respond(fd, 200, NULL, body);
            DeleteSecurityContext(&ctx);
            have_ctx = 0;
        } else {
            respond(fd, 401, "NTLM", "access denied\n");
            if (have_ctx)
                DeleteSecurityContext(&ctx);
            have_ctx = 0;
            break;
        }
    }
    if (have_ctx)
        DeleteSecurityContext(&ctx);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [CONNECTIONS]\n", argv[0]);
        return 2;
    }
    int connections = argc > 2 ? atoi(argv[2]) : 1;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) || listen(s, 8)) {
        perror("bind/listen");
        return 1;
    }
    printf("listening on 127.0.0.1:%s\n", argv[1]);
    fflush(stdout);
    CredHandle cred;
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred, NULL) != SEC_E_OK)
        return 1;
    for (int i = 0; i < connections; i++) {
        int fd = accept(s, NULL, NULL);
        if (fd >= 0)
            serve(fd, &cred);
    }
    FreeCredentialsHandle(&cred);
    close(s);
    return 0;
}
