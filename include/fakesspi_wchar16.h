/* The wide C runtime over 16-bit units, as Windows code calls it.
 *
 * glibc's wcslen, wcschr, wprintf, ... read 4-byte wchar_t; a program built with -fshort-wchar (so that
 * L"..." is WCHAR) gets 2-byte strings they misread (wcslen(L"alice") is not 5). Under -fshort-wchar
 * this header redeclares those names with an assembler label, so that every call, and every address
 * taken, binds to libfakesspi's 16-bit version instead (the way Wine's winelib ships its own C runtime):
 * C and C++ alike, std::wcslen included. Without -fshort-wchar nothing is renamed, and the fakesspi_
 * functions stay callable directly on WCHAR strings (tchar.h maps _tcslen and friends to them).
 *
 * The printf family formats as the Microsoft C runtime does: in the wide functions %s and %c take wide
 * arguments and %S and %C narrow ones (%hs, %ls and %ws say so explicitly); %l is 32 bits, %I64 and
 * %ll 64, %I pointer-sized; %p prints 16 upper-case hex digits; a NULL string prints "(null)".
 * Wide text is written to narrow streams as UTF-8. */
#ifndef FAKESSPI_WCHAR16_H
#define FAKESSPI_WCHAR16_H

#pragma GCC system_header

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "fakesspi_crt.h"

FAKESSPI_BEGIN_DECLS

typedef fakesspi_wchar16_t fakesspi_w16_;

FAKESSPI_API size_t fakesspi_wcslen(const fakesspi_w16_ *s);
FAKESSPI_API size_t fakesspi_wcsnlen(const fakesspi_w16_ *s, size_t max);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcscpy(fakesspi_w16_ *dst, const fakesspi_w16_ *src);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcsncpy(fakesspi_w16_ *dst, const fakesspi_w16_ *src, size_t n);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcscat(fakesspi_w16_ *dst, const fakesspi_w16_ *src);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcsncat(fakesspi_w16_ *dst, const fakesspi_w16_ *src, size_t n);
FAKESSPI_API int fakesspi_wcscmp(const fakesspi_w16_ *a, const fakesspi_w16_ *b);
FAKESSPI_API int fakesspi_wcsncmp(const fakesspi_w16_ *a, const fakesspi_w16_ *b, size_t n);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcschr(const fakesspi_w16_ *s, fakesspi_w16_ c);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcsrchr(const fakesspi_w16_ *s, fakesspi_w16_ c);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcsstr(const fakesspi_w16_ *haystack, const fakesspi_w16_ *needle);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcspbrk(const fakesspi_w16_ *s, const fakesspi_w16_ *accept);
FAKESSPI_API size_t fakesspi_wcsspn(const fakesspi_w16_ *s, const fakesspi_w16_ *accept);
FAKESSPI_API size_t fakesspi_wcscspn(const fakesspi_w16_ *s, const fakesspi_w16_ *reject);
FAKESSPI_API fakesspi_w16_ *fakesspi_wcstok(fakesspi_w16_ *s, const fakesspi_w16_ *delim, fakesspi_w16_ **state);
FAKESSPI_API long fakesspi_wcstol(const fakesspi_w16_ *s, fakesspi_w16_ **end, int base);
FAKESSPI_API unsigned long fakesspi_wcstoul(const fakesspi_w16_ *s, fakesspi_w16_ **end, int base);
FAKESSPI_API long long fakesspi_wcstoll(const fakesspi_w16_ *s, fakesspi_w16_ **end, int base);
FAKESSPI_API unsigned long long fakesspi_wcstoull(const fakesspi_w16_ *s, fakesspi_w16_ **end, int base);
FAKESSPI_API fakesspi_w16_ *fakesspi_wmemchr(const fakesspi_w16_ *s, fakesspi_w16_ c, size_t n);
FAKESSPI_API int fakesspi_wmemcmp(const fakesspi_w16_ *a, const fakesspi_w16_ *b, size_t n);
FAKESSPI_API fakesspi_w16_ *fakesspi_wmemcpy(fakesspi_w16_ *dst, const fakesspi_w16_ *src, size_t n);
FAKESSPI_API fakesspi_w16_ *fakesspi_wmemmove(fakesspi_w16_ *dst, const fakesspi_w16_ *src, size_t n);
FAKESSPI_API fakesspi_w16_ *fakesspi_wmemset(fakesspi_w16_ *dst, fakesspi_w16_ c, size_t n);
/* UTF-8 <-> 16-bit units; (size_t)-1 on text that is not valid UTF-8. */
FAKESSPI_API size_t fakesspi_mbstowcs(fakesspi_w16_ *dst, const char *src, size_t n);
FAKESSPI_API size_t fakesspi_wcstombs(char *dst, const fakesspi_w16_ *src, size_t n);
FAKESSPI_API int fakesspi_fputws(const fakesspi_w16_ *s, FILE *stream);
FAKESSPI_API int fakesspi_vfwprintf(FILE *stream, const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int fakesspi_fwprintf(FILE *stream, const fakesspi_w16_ *format, ...);
FAKESSPI_API int fakesspi_vwprintf(const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int fakesspi_wprintf(const fakesspi_w16_ *format, ...);
/* ISO swprintf: at most n units with the NUL; -1 (and the text cut, terminated) when it did not fit. */
FAKESSPI_API int fakesspi_vswprintf(fakesspi_w16_ *buffer, size_t n, const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int fakesspi_swprintf(fakesspi_w16_ *buffer, size_t n, const fakesspi_w16_ *format, ...);

/* The Microsoft C runtime's wide printf extras, with the semantics of their narrow twins in
 * fakesspi_crt.h: _vsnwprintf does not terminate a full buffer; vswprintf_s calls the invalid parameter
 * handler when the text does not fit; _vsnwprintf_s takes _TRUNCATE. */
FAKESSPI_API int _vsnwprintf(fakesspi_w16_ *buffer, size_t count, const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int _vscwprintf(const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int vswprintf_s(fakesspi_w16_ *buffer, size_t size, const fakesspi_w16_ *format, va_list ap);
FAKESSPI_API int _vsnwprintf_s(fakesspi_w16_ *buffer, size_t size, size_t count, const fakesspi_w16_ *format,
                               va_list ap);

static inline int _snwprintf(fakesspi_w16_ *buffer, size_t count, const fakesspi_w16_ *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnwprintf(buffer, count, format, ap);
    va_end(ap);
    return n;
}
static inline int _scwprintf(const fakesspi_w16_ *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vscwprintf(format, ap);
    va_end(ap);
    return n;
}
static inline int swprintf_s(fakesspi_w16_ *buffer, size_t size, const fakesspi_w16_ *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vswprintf_s(buffer, size, format, ap);
    va_end(ap);
    return n;
}
static inline int _snwprintf_s(fakesspi_w16_ *buffer, size_t size, size_t count, const fakesspi_w16_ *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnwprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return n;
}

FAKESSPI_END_DECLS

#if defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ == 2 && !defined(FAKESSPI_KEEP_GLIBC_WCHAR)
#include <wchar.h>
#include <stdlib.h>
/* Redeclared after the system's declarations and before any use: the label decides the symbol. */
#define FAKESSPI_W16_(ret, name, args) extern ret name args __asm__("fakesspi_" #name)
#ifdef __cplusplus
extern "C" {
#endif
FAKESSPI_W16_(size_t, wcslen, (const wchar_t *));
FAKESSPI_W16_(size_t, wcsnlen, (const wchar_t *, size_t));
FAKESSPI_W16_(wchar_t *, wcscpy, (wchar_t *, const wchar_t *));
FAKESSPI_W16_(wchar_t *, wcsncpy, (wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(wchar_t *, wcscat, (wchar_t *, const wchar_t *));
FAKESSPI_W16_(wchar_t *, wcsncat, (wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(int, wcscmp, (const wchar_t *, const wchar_t *));
FAKESSPI_W16_(int, wcsncmp, (const wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(size_t, wcsspn, (const wchar_t *, const wchar_t *));
FAKESSPI_W16_(size_t, wcscspn, (const wchar_t *, const wchar_t *));
FAKESSPI_W16_(wchar_t *, wcstok, (wchar_t *, const wchar_t *, wchar_t **));
FAKESSPI_W16_(long, wcstol, (const wchar_t *, wchar_t **, int));
FAKESSPI_W16_(unsigned long, wcstoul, (const wchar_t *, wchar_t **, int));
FAKESSPI_W16_(long long, wcstoll, (const wchar_t *, wchar_t **, int));
FAKESSPI_W16_(unsigned long long, wcstoull, (const wchar_t *, wchar_t **, int));
FAKESSPI_W16_(int, wmemcmp, (const wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(wchar_t *, wmemcpy, (wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(wchar_t *, wmemmove, (wchar_t *, const wchar_t *, size_t));
FAKESSPI_W16_(wchar_t *, wmemset, (wchar_t *, wchar_t, size_t));
FAKESSPI_W16_(size_t, mbstowcs, (wchar_t *, const char *, size_t));
FAKESSPI_W16_(size_t, wcstombs, (char *, const wchar_t *, size_t));
FAKESSPI_W16_(int, fputws, (const wchar_t *, FILE *));
FAKESSPI_W16_(int, vfwprintf, (FILE *, const wchar_t *, va_list));
FAKESSPI_W16_(int, fwprintf, (FILE *, const wchar_t *, ...));
FAKESSPI_W16_(int, vwprintf, (const wchar_t *, va_list));
FAKESSPI_W16_(int, wprintf, (const wchar_t *, ...));
FAKESSPI_W16_(int, vswprintf, (wchar_t *, size_t, const wchar_t *, va_list));
FAKESSPI_W16_(int, swprintf, (wchar_t *, size_t, const wchar_t *, ...));
#ifndef __CORRECT_ISO_CPP_WCHAR_H_PROTO
FAKESSPI_W16_(wchar_t *, wcschr, (const wchar_t *, wchar_t));
FAKESSPI_W16_(wchar_t *, wcsrchr, (const wchar_t *, wchar_t));
FAKESSPI_W16_(wchar_t *, wcsstr, (const wchar_t *, const wchar_t *));
FAKESSPI_W16_(wchar_t *, wcspbrk, (const wchar_t *, const wchar_t *));
FAKESSPI_W16_(wchar_t *, wmemchr, (const wchar_t *, wchar_t, size_t));
#endif
#ifdef __cplusplus
}
#endif
#ifdef __CORRECT_ISO_CPP_WCHAR_H_PROTO
/* glibc gives C++ const-correct overloads of these five; both are relabelled. */
#define FAKESSPI_W16_CXX_(name, args, cargs)                                  \
    extern "C++" wchar_t *name args __asm__("fakesspi_" #name);               \
    extern "C++" const wchar_t *name cargs __asm__("fakesspi_" #name)
FAKESSPI_W16_CXX_(wcschr, (wchar_t *, wchar_t), (const wchar_t *, wchar_t));
FAKESSPI_W16_CXX_(wcsrchr, (wchar_t *, wchar_t), (const wchar_t *, wchar_t));
FAKESSPI_W16_CXX_(wcsstr, (wchar_t *, const wchar_t *), (const wchar_t *, const wchar_t *));
FAKESSPI_W16_CXX_(wcspbrk, (wchar_t *, const wchar_t *), (const wchar_t *, const wchar_t *));
FAKESSPI_W16_CXX_(wmemchr, (wchar_t *, wchar_t, size_t), (const wchar_t *, wchar_t, size_t));
#undef FAKESSPI_W16_CXX_
#endif
#undef FAKESSPI_W16_
#endif

#endif
