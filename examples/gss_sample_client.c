/* A client for MIT's gss-server, written with SSPI: it speaks gss-sample's protocol (examples/gss_sample.h), logs
 * in with mutual authentication, sends a message wrapped with confidentiality asking for a MIC over it, and checks
 * the MIC, as MIT's gss-client does. Windows code, built unchanged against libfakesspi.
 *   gss_sample_client PORT SPN MESSAGE [PACKAGE]     to 127.0.0.1:PORT; PACKAGE: Kerberos (default) or Negotiate
 * Exits 0 when the server's MIC is verified. */
#include "gss_sample.h"

static int Fail(const char *what, SECURITY_STATUS ss)
{
    printf("%s failed: 0x%08x\n", what, (unsigned)ss); /* unsigned long is 64-bit here */
    return 0;
}

static SOCKET Connect(const char *port)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)atoi(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s != INVALID_SOCKET && connect(s, (SOCKADDR *)&addr, sizeof addr) == SOCKET_ERROR) {
        printf("cannot connect: WSA error %d\n", WSAGetLastError());
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* gss-client's login: NOOP | CONTEXT_NEXT, then context tokens each way until the context is complete. */
static int Login(SOCKET s, CredHandle *cred, char *spn, CtxtHandle *ctx, BOOL *haveCtx)
{
    if (!SendToken(s, TOKEN_NOOP | TOKEN_CONTEXT_NEXT, NULL, 0))
        return Fail("sending the first token", SEC_E_INTERNAL_ERROR);
    BYTE *in = NULL;
    DWORD inLen = 0;
    for (;;) {
        static BYTE out[65536];
        SecBuffer inBuf = {inLen, SECBUFFER_TOKEN, in}, outBuf = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuf}, outDesc = {SECBUFFER_VERSION, 1, &outBuf};
        ULONG attrs;
        TimeStamp expiry;
        SECURITY_STATUS ss = InitializeSecurityContext(cred, *haveCtx ? ctx : NULL, spn,
                                                       ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT |
                                                           ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY,
                                                       0, SECURITY_NATIVE_DREP, *haveCtx ? &inDesc : NULL, 0, ctx,
                                                       &outDesc, &attrs, &expiry);
        free(in);
        in = NULL;
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
            return Fail("InitializeSecurityContext", ss);
        *haveCtx = TRUE;
        if (outBuf.cbBuffer > 0 && !SendToken(s, TOKEN_CONTEXT, out, outBuf.cbBuffer))
            return Fail("sending a context token", SEC_E_INTERNAL_ERROR);
        if (ss == SEC_E_OK) {
            printf("logged in%s\n", attrs & ISC_RET_MUTUAL_AUTH ? " with mutual authentication" : "");
            return 1;
        }
        BYTE flags;
        if (!ReceiveToken(s, &flags, &in, &inLen))
            return Fail("receiving a context token", SEC_E_INTERNAL_ERROR);
        if (flags != TOKEN_CONTEXT) {
            free(in);
            printf("expected a context token, got flags 0x%02x\n", flags);
            return 0;
        }
    }
}

/* One message, wrapped with confidentiality (the Wrap token is the trailer, then the sealed data), and the
 * server's MIC over it checked. */
static int Exchange(SOCKET s, CtxtHandle *ctx, char *text)
{
    SecPkgContext_Sizes sizes;
    SECURITY_STATUS ss = QueryContextAttributes(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (ss != SEC_E_OK)
        return Fail("QueryContextAttributes(SECPKG_ATTR_SIZES)", ss);
    DWORD len = (DWORD)strlen(text);
    BYTE *msg = (BYTE *)malloc(sizes.cbSecurityTrailer + len + sizes.cbBlockSize);
    if (!msg)
        return Fail("malloc", SEC_E_INSUFFICIENT_MEMORY);
    memcpy(msg + sizes.cbSecurityTrailer, text, len);
    SecBuffer buffers[3] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, msg},
                            {len, SECBUFFER_DATA, msg + sizes.cbSecurityTrailer},
                            {sizes.cbBlockSize, SECBUFFER_PADDING, msg + sizes.cbSecurityTrailer + len}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 3, buffers};
    ss = EncryptMessage(ctx, 0, &desc, 0);
    if (ss != SEC_E_OK) {
        free(msg);
        return Fail("EncryptMessage", ss);
    }
    /* A Kerberos token is whole with its trailer in front: the trailer's final size, then the data. */
    if (buffers[0].cbBuffer < sizes.cbSecurityTrailer)
        memmove(msg + buffers[0].cbBuffer, msg + sizes.cbSecurityTrailer, len);
    BOOL sent = SendToken(s, TOKEN_WRAPPED | TOKEN_ENCRYPTED | TOKEN_SEND_MIC, msg,
                          buffers[0].cbBuffer + len + buffers[2].cbBuffer);
    free(msg);
    if (!sent)
        return Fail("sending the message", SEC_E_INTERNAL_ERROR);
    BYTE flags, *mic;
    DWORD micLen;
    if (!ReceiveToken(s, &flags, &mic, &micLen))
        return Fail("receiving the MIC", SEC_E_INTERNAL_ERROR);
    if (flags != TOKEN_MIC) {
        free(mic);
        printf("expected a MIC, got flags 0x%02x\n", flags);
        return 0;
    }
    SecBuffer check[2] = {{len, SECBUFFER_DATA, text}, {micLen, SECBUFFER_TOKEN, mic}};
    SecBufferDesc checkDesc = {SECBUFFER_VERSION, 2, check};
    ULONG qop;
    ss = VerifySignature(ctx, &checkDesc, 0, &qop);
    free(mic);
    if (ss != SEC_E_OK)
        return Fail("VerifySignature", ss);
    printf("the server's MIC over the message is verified\n");
    return SendToken(s, TOKEN_NOOP, NULL, 0) ? 1 : Fail("sending the last token", SEC_E_INTERNAL_ERROR);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("usage: gss_sample_client PORT SPN MESSAGE [PACKAGE]\n");
        return 2;
    }
    char *package = argc > 4 ? argv[4] : "Kerberos";
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS ss = AcquireCredentialsHandle(NULL, (LPSTR)package, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                  &cred, &expiry);
    if (ss != SEC_E_OK) {
        Fail("AcquireCredentialsHandle", ss);
        WSACleanup();
        return 1;
    }
    int ok = 0;
    SOCKET s = Connect(argv[1]);
    if (s != INVALID_SOCKET) {
        CtxtHandle ctx;
        BOOL haveCtx = FALSE;
        ok = Login(s, &cred, argv[2], &ctx, &haveCtx) && Exchange(s, &ctx, argv[3]);
        if (haveCtx)
            DeleteSecurityContext(&ctx);
        closesocket(s);
    }
    FreeCredentialsHandle(&cred);
    WSACleanup();
    return ok ? 0 : 1;
}
