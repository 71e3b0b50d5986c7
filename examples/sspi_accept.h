/* What the socket servers share: accepting a client's SSPI handshake over the samples' framing. Written the
 * way Windows code is. */
#ifndef SSPI_EXAMPLE_ACCEPT_H
#define SSPI_EXAMPLE_ACCEPT_H

#include "listen_loopback.h"
#include "sspi_common.h"

/* The start of every server here: Winsock, a listening socket, the inbound credential of PACKAGE, and the
 * first client's connection. INVALID_SOCKET (having said why) if any of them fails. */
static SOCKET AcceptClient(const char *port, char *package, SOCKET *listener, CredHandle *cred)
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return INVALID_SOCKET;
    *listener = ListenOnLoopback(port);
    if (*listener == INVALID_SOCKET)
        return INVALID_SOCKET;
    TimeStamp expiry;
    SECURITY_STATUS ss = AcquireCredentialsHandle(NULL, (LPSTR)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                  cred, &expiry);
    if (ss != SEC_E_OK) {
        printf("AcquireCredentialsHandle failed: 0x%08x\n", (unsigned)ss);
        return INVALID_SOCKET;
    }
    return accept(*listener, NULL, NULL);
}

/* AcceptSecurityContext until the client is authenticated. Each answer goes back as the server's
 * status and token, so that the client knows when the server is done. */
static SECURITY_STATUS Authenticate(SOCKET s, CredHandle *cred, CtxtHandle *ctx)
{
    static BYTE in[MAX_MESSAGE], out[MAX_MESSAGE];
    BOOL first = TRUE;
    for (;;) {
        DWORD len;
        if (!ReceiveMsg(s, in, sizeof in, &len))
            return SEC_E_INTERNAL_ERROR;
        SecBuffer inBuf = {len, SECBUFFER_TOKEN, in}, outBuf = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuf}, outDesc = {SECBUFFER_VERSION, 1, &outBuf};
        ULONG attrs;
        TimeStamp expiry;
        SECURITY_STATUS ss = AcceptSecurityContext(cred, first ? NULL : ctx, &inDesc,
                                                   ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
                                                       ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT,
                                                   SECURITY_NATIVE_DREP, ctx, &outDesc, &attrs, &expiry);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
            outBuf.cbBuffer = 0;
        if (!SendBytes(s, &ss, sizeof ss) || !SendMsg(s, out, outBuf.cbBuffer))
            return SEC_E_INTERNAL_ERROR;
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
            if (!first)
                DeleteSecurityContext(ctx);
            return ss;
        }
        first = FALSE;
        if (ss == SEC_E_OK)
            return ss;
    }
}

#endif
