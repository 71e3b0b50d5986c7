/* CryptBinaryToStringA and CryptStringToBinaryA for base64 and hex, on nettle's base64. */
#include <ctype.h>
#include <nettle/base64.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
#include "wincrypt.h"

#define LINE 64 /* Windows breaks base64 text every 64 characters */

static size_t base64_text(const BYTE *in, DWORD n, DWORD flags, char *out)
{
    const char *eol = flags & CRYPT_STRING_NOCRLF ? "" : flags & CRYPT_STRING_NOCR ? "\n" : "\r\n";
    size_t raw = BASE64_ENCODE_RAW_LENGTH(n), eol_len = strlen(eol);
    size_t lines = raw ? (raw + LINE - 1) / LINE : 0, len = raw + lines * eol_len;
    if (!out)
        return len;
    char *tmp = fs_malloc(raw + 1);
    if (!tmp)
        return (size_t)-1;
    base64_encode_raw(tmp, n, in);
    size_t at = 0;
    for (size_t i = 0; i < raw; i += LINE) {
        size_t chunk = raw - i < LINE ? raw - i : LINE;
        memcpy(out + at, tmp + i, chunk);
        at += chunk;
        memcpy(out + at, eol, eol_len);
        at += eol_len;
    }
    free(tmp);
    return at;
}

static fs_err binary_to_string(const BYTE *pbBinary, DWORD cbBinary, DWORD dwFlags, LPSTR pszString,
                               DWORD *pcchString)
{
    DWORD format = dwFlags & 0xFFFF;
    if (!pcchString || (!pbBinary && cbBinary) || (format != CRYPT_STRING_BASE64 && format != CRYPT_STRING_HEXRAW))
        return FS_E_INVALID_PARAMETER;
    size_t need = format == CRYPT_STRING_BASE64 ? base64_text(pbBinary, cbBinary, dwFlags, NULL)
                                                : 2 * (size_t)cbBinary + (dwFlags & CRYPT_STRING_NOCRLF ? 0 : 2);
    if (need + 1 > 0xFFFFFFFFu)
        return FS_E_INVALID_PARAMETER;
    if (!pszString) {
        *pcchString = (DWORD)need + 1;
        return FS_OK;
    }
    if (*pcchString < need + 1) {
        *pcchString = (DWORD)need + 1;
        return FS_E_MORE_DATA;
    }
    if (format == CRYPT_STRING_BASE64) {
        if (base64_text(pbBinary, cbBinary, dwFlags, pszString) == (size_t)-1)
            return FS_E_NOMEM;
    } else {
        static const char digits[] = "0123456789abcdef";
        for (DWORD i = 0; i < cbBinary; i++) {
            pszString[2 * i] = digits[pbBinary[i] >> 4];
            pszString[2 * i + 1] = digits[pbBinary[i] & 15];
        }
        if (!(dwFlags & CRYPT_STRING_NOCRLF))
            memcpy(pszString + 2 * (size_t)cbBinary, "\r\n", 2);
    }
    pszString[need] = '\0';
    *pcchString = (DWORD)need;
    return FS_OK;
}

/* The text without whitespace, in a NEW buffer. */
static char *squeeze(const char *s, size_t n, size_t *len)
{
    char *out = fs_malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            out[k++] = s[i];
    out[k] = '\0';
    *len = k;
    return out;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static fs_err string_to_binary(LPCSTR pszString, DWORD cchString, DWORD dwFlags, BYTE *pbBinary, DWORD *pcbBinary,
                               DWORD *pdwSkip, DWORD *pdwFlags)
{
    if (!pszString || !pcbBinary || (dwFlags != CRYPT_STRING_BASE64 && dwFlags != CRYPT_STRING_HEXRAW))
        return FS_E_INVALID_PARAMETER;
    size_t len;
    char *text = squeeze(pszString, cchString ? cchString : strlen(pszString), &len);
    if (!text)
        return FS_E_NOMEM;
    size_t max = dwFlags == CRYPT_STRING_BASE64 ? BASE64_DECODE_LENGTH(len) : len / 2;
    BYTE *bytes = fs_malloc(max + 1);
    fs_err err = bytes ? FS_OK : FS_E_NOMEM;
    size_t got = max;
    if (err == FS_OK && dwFlags == CRYPT_STRING_BASE64) {
        struct base64_decode_ctx ctx;
        base64_decode_init(&ctx);
        if (!base64_decode_update(&ctx, &got, bytes, len, text) || !base64_decode_final(&ctx))
            err = FS_E_INVALID_DATA;
    } else if (err == FS_OK) {
        if (len % 2)
            err = FS_E_INVALID_DATA;
        for (size_t i = 0; err == FS_OK && i < len / 2; i++) {
            int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
            if (hi < 0 || lo < 0)
                err = FS_E_INVALID_DATA;
            else
                bytes[i] = (BYTE)(hi << 4 | lo);
        }
        got = len / 2;
    }
    if (err == FS_OK && pbBinary && *pcbBinary < got)
        err = FS_E_MORE_DATA;
    if (err == FS_OK || err == FS_E_MORE_DATA)
        *pcbBinary = (DWORD)got;
    if (err == FS_OK && pbBinary)
        memcpy(pbBinary, bytes, got);
    if (err == FS_OK && pdwSkip)
        *pdwSkip = 0;
    if (err == FS_OK && pdwFlags)
        *pdwFlags = dwFlags;
    free(text);
    free(bytes);
    return err;
}

BOOL WINAPI CryptBinaryToStringA(const BYTE *pbBinary, DWORD cbBinary, DWORD dwFlags, LPSTR pszString,
                                 DWORD *pcchString)
{
    struct fs_call call;
    fs_call_begin(&call, "CryptBinaryToStringA");
    fs_trace_number(&call.trace, "cbBinary", cbBinary);
    fs_trace_number(&call.trace, "dwFlags", dwFlags);
    if (fs_call_proceed(&call))
        call.err = binary_to_string(pbBinary, cbBinary, dwFlags, pszString, pcchString);
    return fs_call_end_bool(&call);
}

BOOL WINAPI CryptStringToBinaryA(LPCSTR pszString, DWORD cchString, DWORD dwFlags, BYTE *pbBinary, DWORD *pcbBinary,
                                 DWORD *pdwSkip, DWORD *pdwFlags)
{
    struct fs_call call;
    fs_call_begin(&call, "CryptStringToBinaryA");
    fs_trace_number(&call.trace, "cchString", cchString);
    fs_trace_number(&call.trace, "dwFlags", dwFlags);
    if (fs_call_proceed(&call))
        call.err = string_to_binary(pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip, pdwFlags);
    return fs_call_end_bool(&call);
}
