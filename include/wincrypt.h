/* The part of CryptoAPI that authentication code reaches for: base64 and hex text of binary tokens
 * (an HTTP "Authorization: Negotiate ..." header, a log line). */
#ifndef FAKESSPI_WINCRYPT_H
#define FAKESSPI_WINCRYPT_H

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The certificate types that schannel.h's structures name; no certificate store is emulated. */
typedef unsigned int ALG_ID;
typedef void *HCERTSTORE;
typedef struct _CERT_INFO CERT_INFO, *PCERT_INFO;
typedef struct _CERT_CONTEXT {
    DWORD dwCertEncodingType;
    BYTE *pbCertEncoded;
    DWORD cbCertEncoded;
    PCERT_INFO pCertInfo;
    HCERTSTORE hCertStore;
} CERT_CONTEXT, *PCERT_CONTEXT;
typedef const CERT_CONTEXT *PCCERT_CONTEXT;

#define CRYPT_STRING_BASE64HEADER 0x00000000
#define CRYPT_STRING_BASE64 0x00000001
#define CRYPT_STRING_BINARY 0x00000002
#define CRYPT_STRING_HEX 0x00000004
#define CRYPT_STRING_HEXRAW 0x0000000c
#define CRYPT_STRING_NOCRLF 0x40000000
#define CRYPT_STRING_NOCR 0x80000000

/* ALG_ID of RC4: NTLM's SECPKG_ATTR_KEY_INFO EncryptAlgorithm. */
#define ALG_CLASS_DATA_ENCRYPT (3 << 13)
#define ALG_TYPE_STREAM (4 << 9)
#define ALG_SID_RC4 1
#define CALG_RC4 (ALG_CLASS_DATA_ENCRYPT | ALG_TYPE_STREAM | ALG_SID_RC4)

/* pszString NULL: *pcchString gets the size needed, with the terminating NUL. Otherwise the text, and
 * *pcchString its length without the NUL; a buffer too small is ERROR_MORE_DATA. Supported: BASE64 and
 * HEXRAW, with NOCRLF or NOCR (otherwise base64 lines end in CRLF every 64 characters, as Windows'). */
FAKESSPI_API BOOL WINAPI CryptBinaryToStringA(const BYTE *pbBinary, DWORD cbBinary, DWORD dwFlags, LPSTR pszString,
                                              DWORD *pcchString);
/* cchString 0: pszString is NUL-terminated. pbBinary NULL: *pcbBinary gets the size needed. Whitespace is
 * skipped; anything else that is not base64 (or hex) is ERROR_INVALID_DATA. Supported: BASE64, HEXRAW. */
FAKESSPI_API BOOL WINAPI CryptStringToBinaryA(LPCSTR pszString, DWORD cchString, DWORD dwFlags, BYTE *pbBinary,
                                              DWORD *pcbBinary, DWORD *pdwSkip, DWORD *pdwFlags);

#ifdef __cplusplus
}
#endif

#endif
