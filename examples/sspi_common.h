/* What the socket client and server share: their framing, as Microsoft's SSPI samples frame it (a
 * 32-bit length, then the bytes), and a sealed message helper. Written the way Windows code is. */
#ifndef SSPI_EXAMPLE_COMMON_H
#define SSPI_EXAMPLE_COMMON_H

#include "socket_io.h"

#define MAX_MESSAGE 65536

/* One message: its length, then its bytes. */
static BOOL SendMsg(SOCKET s, const void *buf, DWORD len)
{
    return SendBytes(s, &len, sizeof len) && (len == 0 || SendBytes(s, buf, len));
}

static BOOL ReceiveMsg(SOCKET s, void *buf, DWORD cap, DWORD *len)
{
    if (!ReceiveBytes(s, len, sizeof *len) || *len > cap)
        return FALSE;
    return *len == 0 || ReceiveBytes(s, buf, *len);
}

/* Seals text and sends trailer, then data, as one message with the trailer's size in front. */
static BOOL SendSealed(SOCKET s, CtxtHandle *ctx, const char *text)
{
    SecPkgContext_Sizes sizes;
    if (QueryContextAttributes(ctx, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK)
        return FALSE;
    DWORD len = (DWORD)strlen(text);
    BYTE *msg = (BYTE *)malloc(sizeof(DWORD) + sizes.cbSecurityTrailer + len);
    if (!msg)
        return FALSE;
    memcpy(msg, &sizes.cbSecurityTrailer, sizeof(DWORD));
    memcpy(msg + sizeof(DWORD) + sizes.cbSecurityTrailer, text, len);
    SecBuffer buffers[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, msg + sizeof(DWORD)},
                            {len, SECBUFFER_DATA, msg + sizeof(DWORD) + sizes.cbSecurityTrailer}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
    SECURITY_STATUS ss = EncryptMessage(ctx, 0, &desc, 0);
    BOOL ok = ss == SEC_E_OK && SendMsg(s, msg, (DWORD)sizeof(DWORD) + buffers[0].cbBuffer + len);
    free(msg);
    return ok;
}

/* Receives and decrypts one sealed message into text (NUL-terminated). */
static BOOL ReceiveSealed(SOCKET s, CtxtHandle *ctx, char *text, DWORD cap)
{
    static BYTE msg[MAX_MESSAGE];
    DWORD len, trailer;
    if (!ReceiveMsg(s, msg, sizeof msg, &len) || len < sizeof trailer)
        return FALSE;
    memcpy(&trailer, msg, sizeof trailer);
    if (trailer > len - sizeof trailer || len - sizeof trailer - trailer >= cap)
        return FALSE;
    DWORD data = len - (DWORD)sizeof trailer - trailer;
    SecBuffer buffers[2] = {{trailer, SECBUFFER_TOKEN, msg + sizeof trailer},
                            {data, SECBUFFER_DATA, msg + sizeof trailer + trailer}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
    ULONG qop;
    SECURITY_STATUS ss = DecryptMessage(ctx, &desc, 0, &qop);
    if (ss != SEC_E_OK) {
        printf("DecryptMessage failed: 0x%08x\n", (unsigned)ss);
        return FALSE;
    }
    memcpy(text, buffers[1].pvBuffer, data);
    text[data] = '\0';
    return TRUE;
}

#endif
