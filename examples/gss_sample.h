/* The wire protocol of MIT's gss-sample programs (gss-client, gss-server), as an SSPI program speaks it: each
 * token is a flags byte, a 4-byte big-endian length, then the bytes. Written the way Windows code is. */
#ifndef GSS_SAMPLE_H
#define GSS_SAMPLE_H

#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <security.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socket_io.h"

/* The flags byte's bits, as gss-sample defines them. */
#define TOKEN_NOOP (1 << 0)         /* no token (the start of a login, or the end of the messages) */
#define TOKEN_CONTEXT (1 << 1)      /* a context-establishment token */
#define TOKEN_DATA (1 << 2)         /* a message as it is */
#define TOKEN_MIC (1 << 3)          /* a signature over the last message */
#define TOKEN_CONTEXT_NEXT (1 << 4) /* with TOKEN_NOOP: context tokens follow */
#define TOKEN_WRAPPED (1 << 5)      /* a message in a Wrap token */
#define TOKEN_ENCRYPTED (1 << 6)    /* with TOKEN_WRAPPED: the Wrap token was sealed */
#define TOKEN_SEND_MIC (1 << 7)     /* the sender wants a signature over the message back */

#define SAMPLE_MAX_TOKEN (1u << 20)

/* Sends FLAGS and LEN bytes of BUF as one token. */
static BOOL SendToken(SOCKET s, BYTE flags, const void *buf, DWORD len)
{
    BYTE head[5] = {flags, (BYTE)(len >> 24), (BYTE)(len >> 16), (BYTE)(len >> 8), (BYTE)len};
    return SendBytes(s, head, sizeof head) && (len == 0 || SendBytes(s, buf, len));
}

/* Receives one token: its flags and its bytes, into a buffer of the caller's to free(). A token in gss-sample's
 * older format (no flags byte, which the sender marks by a first byte of 0) or one above SAMPLE_MAX_TOKEN is
 * refused. */
static BOOL ReceiveToken(SOCKET s, BYTE *flags, BYTE **buf, DWORD *len)
{
    BYTE head[5];
    *buf = NULL;
    if (!ReceiveBytes(s, head, sizeof head) || head[0] == 0)
        return FALSE;
    *flags = head[0];
    *len = (DWORD)head[1] << 24 | (DWORD)head[2] << 16 | (DWORD)head[3] << 8 | head[4];
    if (*len > SAMPLE_MAX_TOKEN)
        return FALSE;
    *buf = (BYTE *)malloc(*len ? *len : 1);
    if (!*buf)
        return FALSE;
    if (*len && !ReceiveBytes(s, *buf, *len)) {
        free(*buf);
        *buf = NULL;
        return FALSE;
    }
    return TRUE;
}

#endif
