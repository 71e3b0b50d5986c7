/* strsafe.h: the StringCch and StringCb functions. Inline, as in the SDK's own header: on a destination
 * too small they copy what fits, terminate it and return STRSAFE_E_INSUFFICIENT_BUFFER; a size of 0 or
 * above STRSAFE_MAX_CCH is STRSAFE_E_INVALID_PARAMETER. The W printf functions format as the Microsoft
 * C runtime does (fakesspi_wchar16.h). */
#ifndef FAKESSPI_STRSAFE_H
#define FAKESSPI_STRSAFE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "windows.h"
#include "fakesspi_crt.h"

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007A)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026)
typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef WCHAR *STRSAFE_LPWSTR;
typedef const WCHAR *STRSAFE_LPCWSTR;

#define FAKESSPI_STRSAFE_FUNCTIONS_(T, A)                                                                   \
    static inline HRESULT StringCchCopyN##A(T *dst, size_t cch, const T *src, size_t n)                    \
    {                                                                                                      \
        if (cch == 0 || cch > STRSAFE_MAX_CCH)                                                             \
            return STRSAFE_E_INVALID_PARAMETER;                                                            \
        size_t i = 0;                                                                                      \
        for (; i < n && src[i]; i++) {                                                                     \
            if (i + 1 == cch) {                                                                            \
                dst[i] = 0;                                                                                \
                return STRSAFE_E_INSUFFICIENT_BUFFER;                                                      \
            }                                                                                              \
            dst[i] = src[i];                                                                               \
        }                                                                                                  \
        dst[i] = 0;                                                                                        \
        return S_OK;                                                                                       \
    }                                                                                                      \
    static inline HRESULT StringCchCopy##A(T *dst, size_t cch, const T *src)                               \
    {                                                                                                      \
        return StringCchCopyN##A(dst, cch, src, STRSAFE_MAX_CCH);                                          \
    }                                                                                                      \
    static inline HRESULT StringCchLength##A(const T *s, size_t max, size_t *len)                          \
    {                                                                                                      \
        size_t n = 0;                                                                                      \
        if (s && max <= STRSAFE_MAX_CCH)                                                                   \
            while (n < max && s[n])                                                                        \
                n++;                                                                                       \
        if (!s || max > STRSAFE_MAX_CCH || n == max) {                                                     \
            if (len)                                                                                       \
                *len = 0;                                                                                  \
            return STRSAFE_E_INVALID_PARAMETER;                                                            \
        }                                                                                                  \
        if (len)                                                                                           \
            *len = n;                                                                                      \
        return S_OK;                                                                                       \
    }                                                                                                      \
    static inline HRESULT StringCchCatN##A(T *dst, size_t cch, const T *src, size_t n)                     \
    {                                                                                                      \
        size_t used;                                                                                       \
        if (cch == 0 || cch > STRSAFE_MAX_CCH || StringCchLength##A(dst, cch, &used) != S_OK)              \
            return STRSAFE_E_INVALID_PARAMETER;                                                            \
        return StringCchCopyN##A(dst + used, cch - used, src, n);                                          \
    }                                                                                                      \
    static inline HRESULT StringCchCat##A(T *dst, size_t cch, const T *src)                                \
    {                                                                                                      \
        return StringCchCatN##A(dst, cch, src, STRSAFE_MAX_CCH);                                           \
    }                                                                                                      \
    static inline HRESULT StringCbCopy##A(T *dst, size_t cb, const T *src)                                 \
    {                                                                                                      \
        return StringCchCopy##A(dst, cb / sizeof(T), src);                                                 \
    }                                                                                                      \
    static inline HRESULT StringCbCat##A(T *dst, size_t cb, const T *src)                                  \
    {                                                                                                      \
        return StringCchCat##A(dst, cb / sizeof(T), src);                                                  \
    }                                                                                                      \
    static inline HRESULT StringCbLength##A(const T *s, size_t max, size_t *len)                           \
    {                                                                                                      \
        HRESULT hr = StringCchLength##A(s, max / sizeof(T), len);                                          \
        if (len)                                                                                           \
            *len *= sizeof(T);                                                                             \
        return hr;                                                                                         \
    }
FAKESSPI_STRSAFE_FUNCTIONS_(char, A)
FAKESSPI_STRSAFE_FUNCTIONS_(WCHAR, W)

static inline HRESULT StringCchVPrintfA(char *dst, size_t cch, const char *format, va_list ap)
{
    if (cch == 0 || cch > STRSAFE_MAX_CCH)
        return STRSAFE_E_INVALID_PARAMETER;
    int n = vsnprintf(dst, cch, format, ap);
    return n >= 0 && (size_t)n < cch ? S_OK : STRSAFE_E_INSUFFICIENT_BUFFER;
}
static inline HRESULT StringCchVPrintfW(WCHAR *dst, size_t cch, const WCHAR *format, va_list ap)
{
    if (cch == 0 || cch > STRSAFE_MAX_CCH)
        return STRSAFE_E_INVALID_PARAMETER;
    return fakesspi_vswprintf(dst, cch, format, ap) >= 0 ? S_OK : STRSAFE_E_INSUFFICIENT_BUFFER;
}
static inline HRESULT StringCchPrintfA(char *dst, size_t cch, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfA(dst, cch, format, ap);
    va_end(ap);
    return hr;
}
static inline HRESULT StringCchPrintfW(WCHAR *dst, size_t cch, const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfW(dst, cch, format, ap);
    va_end(ap);
    return hr;
}
static inline HRESULT StringCbPrintfA(char *dst, size_t cb, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfA(dst, cb, format, ap);
    va_end(ap);
    return hr;
}
static inline HRESULT StringCbPrintfW(WCHAR *dst, size_t cb, const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    HRESULT hr = StringCchVPrintfW(dst, cb / sizeof(WCHAR), format, ap);
    va_end(ap);
    return hr;
}

#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCchCopyN StringCchCopyNW
#define StringCchCat StringCchCatW
#define StringCchCatN StringCchCatNW
#define StringCchLength StringCchLengthW
#define StringCchPrintf StringCchPrintfW
#define StringCchVPrintf StringCchVPrintfW
#define StringCbCopy StringCbCopyW
#define StringCbCat StringCbCatW
#define StringCbLength StringCbLengthW
#define StringCbPrintf StringCbPrintfW
#else
#define StringCchCopy StringCchCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCchCat StringCchCatA
#define StringCchCatN StringCchCatNA
#define StringCchLength StringCchLengthA
#define StringCchPrintf StringCchPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCbCopy StringCbCopyA
#define StringCbCat StringCbCatA
#define StringCbLength StringCbLengthA
#define StringCbPrintf StringCbPrintfA
#endif

#endif
