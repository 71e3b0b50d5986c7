/* A server for MIT's gss-client, written with SSPI: it speaks gss-sample's protocol (examples/gss_sample.h),
 * accepts the client's login (Kerberos, with mutual authentication when asked), opens each wrapped message and
 * signs each message the client asks a MIC for, as MIT's gss-server does. Windows code, built unchanged against
 * libfakesspi.
 *   gss_sample_server PORT CLIENTS [PACKAGE]     PACKAGE: Kerberos (default) or Negotiate; PORT 0: any
 * Exits 0 when every one of CLIENTS logged in and was served. */
#include "gss_sample.h"
#include "listen_loopback.h"

static BOOL Fail(const char *what, SECURITY_STATUS ss)
{
    printf("%s failed: 0x%08x\n", what, (unsigned)ss); /* unsigned long is 64-bit here */
    return FALSE;
}

/* The client's context tokens, after its NOOP | CONTEXT_NEXT, until the context is complete. */
static BOOL Login(SOCKET s, CredHandle *cred, CtxtHandle *ctx, BOOL *haveCtx)
{
    BYTE flags, *in;
    DWORD len;
    if (!ReceiveToken(s, &flags, &in, &len))
        return Fail("receiving the first token", SEC_E_INTERNAL_ERROR);
    free(in);
    if (flags != (TOKEN_NOOP | TOKEN_CONTEXT_NEXT)) {
        printf("the client asked for no login (flags 0x%02x): refused\n", flags);
        return FALSE;
    }
    for (;;) {
        if (!ReceiveToken(s, &flags, &in, &len))
            return Fail("receiving a context token", SEC_E_INTERNAL_ERROR);
        if (flags != TOKEN_CONTEXT) {
            free(in);
            printf("expected a context token, got flags 0x%02x\n", flags);
            return FALSE;
        }
        static BYTE out[65536];
        SecBuffer inBuf = {len, SECBUFFER_TOKEN, in}, outBuf = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuf}, outDesc = {SECBUFFER_VERSION, 1, &outBuf};
        ULONG attrs;
        TimeStamp expiry;
        SECURITY_STATUS ss = AcceptSecurityContext(cred, *haveCtx ? ctx : NULL, &inDesc,
                                                   ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
                                                       ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT,
                                                   SECURITY_NATIVE_DREP, ctx, &outDesc, &attrs, &expiry);
        free(in);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
            return Fail("AcceptSecurityContext", ss);
        *haveCtx = TRUE;
        if (outBuf.cbBuffer > 0 && !SendToken(s, TOKEN_CONTEXT, out, outBuf.cbBuffer))
            return Fail("sending a context token", SEC_E_INTERNAL_ERROR);
        if (ss == SEC_E_OK) {
            printf("context flags:%s%s%s%s\n", attrs & ASC_RET_MUTUAL_AUTH ? " mutual" : "",
                   attrs & ASC_RET_CONFIDENTIALITY ? " confidentiality" : "",
                   attrs & ASC_RET_INTEGRITY ? " integrity" : "", attrs & ASC_RET_SEQUENCE_DETECT ? " sequence" : "");
            return TRUE;
        }
    }
}

/* A Wrap token, opened in place as one whole message (SECBUFFER_STREAM); the message is left in *msg. */
static BOOL Unwrap(CtxtHandle *ctx, BYTE *token, DWORD len, BYTE flags, BYTE **msg, DWORD *msgLen)
{
    SecBuffer buffers[2] = {{len, SECBUFFER_STREAM, token}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
    ULONG qop = 0;
    SECURITY_STATUS ss = DecryptMessage(ctx, &desc, 0, &qop);
    if (ss != SEC_E_OK)
        return Fail("DecryptMessage", ss);
    BOOL sealed = qop != SECQOP_WRAP_NO_ENCRYPT;
    if ((flags & TOKEN_ENCRYPTED) && !sealed)
        printf("warning: the message was not encrypted\n");
    printf("unwrapped a message %s\n", sealed ? "sealed" : "signed only");
    *msg = (BYTE *)buffers[1].pvBuffer;
    *msgLen = buffers[1].cbBuffer;
    return TRUE;
}

/* The client's messages, each answered by a MIC over it or a NOOP, until its NOOP. */
static BOOL Serve(SOCKET s, CtxtHandle *ctx)
{
    SecPkgContext_Sizes sizes;
    SECURITY_STATUS ss = QueryContextAttributes(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (ss != SEC_E_OK)
        return Fail("QueryContextAttributes(SECPKG_ATTR_SIZES)", ss);
    for (;;) {
        BYTE flags, *token, *msg;
        DWORD len, msgLen;
        if (!ReceiveToken(s, &flags, &token, &len))
            return Fail("receiving a message", SEC_E_INTERNAL_ERROR);
        if (flags & TOKEN_NOOP) {
            free(token);
            return TRUE;
        }
        msg = token;
        msgLen = len;
        if ((flags & TOKEN_WRAPPED) && !Unwrap(ctx, token, len, flags, &msg, &msgLen)) {
            free(token);
            return FALSE;
        }
        printf("received message: \"%.*s\"\n", (int)msgLen, (const char *)msg);
        BOOL ok;
        if (flags & TOKEN_SEND_MIC) {
            BYTE *mic = (BYTE *)malloc(sizes.cbMaxSignature);
            SecBuffer buffers[2] = {{msgLen, SECBUFFER_DATA, msg}, {sizes.cbMaxSignature, SECBUFFER_TOKEN, mic}};
            SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
            ss = mic ? MakeSignature(ctx, 0, &desc, 0) : SEC_E_INSUFFICIENT_MEMORY;
            ok = ss == SEC_E_OK ? SendToken(s, TOKEN_MIC, mic, buffers[1].cbBuffer) : Fail("MakeSignature", ss);
            free(mic);
        } else {
            ok = SendToken(s, TOKEN_NOOP, NULL, 0);
        }
        free(token);
        if (!ok)
            return FALSE;
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: gss_sample_server PORT CLIENTS [PACKAGE]\n");
        return 2;
    }
    int clients = atoi(argv[2]);
    char *package = argc > 3 ? argv[3] : "Kerberos";
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    SOCKET listener = ListenOnLoopback(argv[1]);
    if (listener == INVALID_SOCKET)
        return 1;
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS ss = AcquireCredentialsHandle(NULL, (LPSTR)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                  &cred, &expiry);
    if (ss != SEC_E_OK) {
        Fail("AcquireCredentialsHandle", ss);
        closesocket(listener);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < clients; i++) {
        SOCKET client = accept(listener, NULL, NULL);
        if (client == INVALID_SOCKET) {
            rc = 1;
            break;
        }
        CtxtHandle ctx;
        BOOL haveCtx = FALSE, served = Login(client, &cred, &ctx, &haveCtx);
        if (served) {
            SecPkgContext_NamesA names;
            if (QueryContextAttributes(&ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
                printf("accepted %s\n", names.sUserName);
                FreeContextBuffer(names.sUserName);
            }
            served = Serve(client, &ctx);
        }
        printf("client %d %s\n", i + 1, served ? "served" : "not served");
        fflush(stdout);
        if (!served)
            rc = 1;
        if (haveCtx)
            DeleteSecurityContext(&ctx);
        closesocket(client);
    }
    closesocket(listener);
    FreeCredentialsHandle(&cred);
    WSACleanup();
    return rc;
}
