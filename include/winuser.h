/* The part of winuser.h that auth code uses: wsprintf (doc/semantics.md §38). */
#ifndef FAKESSPI_WINUSER_H
#define FAKESSPI_WINUSER_H

#include <stdarg.h>

#include "windef.h"

FAKESSPI_BEGIN_DECLS

/* Windows' own printf: at most 1024 characters with the NUL; %s is the call's width and %S the other
 * (%hs narrow, %ls/%ws wide), %c/%C likewise; d i u x X p with l, h, I, I32, I64; flags - # 0, a width
 * and a precision; no floating point, no *. The result: the characters stored, NUL not counted. */
FAKESSPI_API int WINAPIV wsprintfA(LPSTR lpOut, LPCSTR lpFmt, ...);
FAKESSPI_API int WINAPIV wsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, ...);
FAKESSPI_API int WINAPI wvsprintfA(LPSTR lpOut, LPCSTR lpFmt, va_list arglist);
FAKESSPI_API int WINAPI wvsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, va_list arglist);

#ifdef UNICODE
#define wsprintf wsprintfW
#define wvsprintf wvsprintfW
#else
#define wsprintf wsprintfA
#define wvsprintf wvsprintfA
#endif

FAKESSPI_END_DECLS

#endif
