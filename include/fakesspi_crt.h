/* The Microsoft C runtime's extras that Windows authentication code calls (strcpy_s, sprintf_s,
 * _stricmp, _countof, ...), with Windows' semantics: the _s functions empty the destination and call the
 * invalid parameter handler on a bad argument or a destination too small, whose default ends the
 * process as Windows' does (set your own with _set_invalid_parameter_handler to see the errno_t
 * results); _TRUNCATE truncates and returns STRUNCATE; _snprintf does not terminate a full buffer.
 *
 * Windows declares these in <string.h>, <stdio.h>, <stdlib.h> and <wchar.h>; our headers of those names
 * (found first through pkg-config's -I) include the system's and then this one, so ported code finds
 * them where it looks. They are static inline: nothing is exported but the handler functions, and each
 * has an address (a function-like macro would not), so code may pass _stricmp as a comparator. */
#ifndef FAKESSPI_CRT_H
#define FAKESSPI_CRT_H

#pragma GCC system_header

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "fakesspi_export.h"

FAKESSPI_BEGIN_DECLS

/* One UTF-16 unit, as WCHAR is (windef.h): wchar_t under -fshort-wchar, char16_t otherwise. The wide
 * functions here take it, so they keep Windows' 16-bit meaning whichever way wchar_t is built. */
#if defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ == 2
typedef wchar_t fakesspi_wchar16_t;
#elif defined(__cplusplus)
typedef char16_t fakesspi_wchar16_t;
#else
typedef uint_least16_t fakesspi_wchar16_t;
#endif

#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif
#ifndef _RSIZE_T_DEFINED
#define _RSIZE_T_DEFINED
typedef size_t rsize_t;
#endif
#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
#ifndef _countof
#define _countof(array) (sizeof(array) / sizeof((array)[0]))
#endif
#ifndef _MAX_PATH
#define _MAX_PATH 260
#endif

typedef void (*_invalid_parameter_handler)(const wchar_t *expression, const wchar_t *function, const wchar_t *file,
                                           unsigned int line, uintptr_t reserved);
/* Returns the previous handler; NULL restores the default, which writes one line and aborts. */
FAKESSPI_API _invalid_parameter_handler _set_invalid_parameter_handler(_invalid_parameter_handler handler);
FAKESSPI_API _invalid_parameter_handler _get_invalid_parameter_handler(void);
/* Calls the current handler with no details, as the release C runtime does. */
FAKESSPI_API void _invalid_parameter_noinfo(void);

static inline errno_t fakesspi_crt_fail_(errno_t e)
{
    errno = e;
    _invalid_parameter_noinfo();
    return e;
}

/* ---- <string.h> ---- */
static inline int _stricmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        ca += (ca >= 'A' && ca <= 'Z') ? 32 : 0;
        cb += (cb >= 'A' && cb <= 'Z') ? 32 : 0;
        if (ca != cb || !ca)
            return ca - cb;
    }
}
static inline int _strnicmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        ca += (ca >= 'A' && ca <= 'Z') ? 32 : 0;
        cb += (cb >= 'A' && cb <= 'Z') ? 32 : 0;
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}
static inline char *_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    return d ? (char *)memcpy(d, s, n) : NULL;
}
static inline char *_strlwr(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    return s;
}
static inline char *_strupr(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
    return s;
}
static inline int _wcsnicmp(const fakesspi_wchar16_t *a, const fakesspi_wchar16_t *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int ca = (int)*a, cb = (int)*b;
        ca += (ca >= 'A' && ca <= 'Z') ? 32 : 0;
        cb += (cb >= 'A' && cb <= 'Z') ? 32 : 0;
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}
static inline int _wcsicmp(const fakesspi_wchar16_t *a, const fakesspi_wchar16_t *b)
{
    return _wcsnicmp(a, b, (size_t)-1);
}
static inline fakesspi_wchar16_t *_wcsdup(const fakesspi_wchar16_t *s)
{
    if (!s)
        return NULL;
    size_t n = 0;
    while (s[n])
        n++;
    fakesspi_wchar16_t *d = (fakesspi_wchar16_t *)malloc((n + 1) * sizeof *d);
    return d ? (fakesspi_wchar16_t *)memcpy(d, s, (n + 1) * sizeof *d) : NULL;
}
static inline size_t strnlen_s(const char *s, size_t max)
{
    size_t n = 0;
    if (!s)
        return 0;
    while (n < max && s[n])
        n++;
    return n;
}

/* The string _s functions, written once for char and once for wchar_t. */
#define FAKESSPI_CRT_COPY_FUNCTIONS_(T, cpy, ncpy, cat, ncat)                                               \
    static inline errno_t cpy(T *dst, rsize_t size, const T *src)                                          \
    {                                                                                                      \
        if (!dst || !size)                                                                                 \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        if (!src) {                                                                                        \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        }                                                                                                  \
        for (rsize_t i = 0; i < size; i++)                                                                 \
            if ((dst[i] = src[i]) == 0)                                                                    \
                return 0;                                                                                  \
        dst[0] = 0;                                                                                        \
        return fakesspi_crt_fail_(ERANGE);                                                                 \
    }                                                                                                      \
    static inline errno_t ncpy(T *dst, rsize_t size, const T *src, rsize_t count)                         \
    {                                                                                                      \
        if (count == 0 && !dst && size == 0)                                                               \
            return 0;                                                                                      \
        if (!dst || !size)                                                                                 \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        if (count == 0) {                                                                                  \
            dst[0] = 0;                                                                                    \
            return 0;                                                                                      \
        }                                                                                                  \
        if (!src) {                                                                                        \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        }                                                                                                  \
        rsize_t n = 0;                                                                                     \
        while (n < count && src[n])                                                                        \
            n++;                                                                                           \
        if (n >= size) {                                                                                   \
            if (count == _TRUNCATE) {                                                                      \
                memcpy(dst, src, (size - 1) * sizeof(T));                                                  \
                dst[size - 1] = 0;                                                                         \
                return STRUNCATE;                                                                          \
            }                                                                                              \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(ERANGE);                                                             \
        }                                                                                                  \
        memcpy(dst, src, n * sizeof(T));                                                                   \
        dst[n] = 0;                                                                                        \
        return 0;                                                                                          \
    }                                                                                                      \
    static inline errno_t ncat(T *dst, rsize_t size, const T *src, rsize_t count)                         \
    {                                                                                                      \
        if (!dst || !size)                                                                                 \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        rsize_t used = 0;                                                                                  \
        while (used < size && dst[used])                                                                   \
            used++;                                                                                        \
        if (used == size || (!src && count)) {                                                             \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        }                                                                                                  \
        errno_t e = ncpy(dst + used, size - used, src, count);                                             \
        if (e == ERANGE)                                                                                   \
            dst[0] = 0;                                                                                    \
        return e;                                                                                          \
    }                                                                                                      \
    static inline errno_t cat(T *dst, rsize_t size, const T *src)                                          \
    {                                                                                                      \
        if (!dst || !size)                                                                                 \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        if (!src) {                                                                                        \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        }                                                                                                  \
        rsize_t used = 0;                                                                                  \
        while (used < size && dst[used])                                                                   \
            used++;                                                                                        \
        if (used == size) {                                                                                \
            dst[0] = 0;                                                                                    \
            return fakesspi_crt_fail_(EINVAL);                                                             \
        }                                                                                                  \
        for (rsize_t i = used; i < size; i++)                                                              \
            if ((dst[i] = src[i - used]) == 0)                                                             \
                return 0;                                                                                  \
        dst[0] = 0;                                                                                        \
        return fakesspi_crt_fail_(ERANGE);                                                                 \
    }
FAKESSPI_CRT_COPY_FUNCTIONS_(char, strcpy_s, strncpy_s, strcat_s, strncat_s)
FAKESSPI_CRT_COPY_FUNCTIONS_(fakesspi_wchar16_t, wcscpy_s, wcsncpy_s, wcscat_s, wcsncat_s)

static inline errno_t memcpy_s(void *dst, rsize_t size, const void *src, rsize_t count)
{
    if (!count)
        return 0;
    if (!dst)
        return fakesspi_crt_fail_(EINVAL);
    if (!src || size < count) {
        memset(dst, 0, size);
        return fakesspi_crt_fail_(src ? ERANGE : EINVAL);
    }
    memcpy(dst, src, count);
    return 0;
}
static inline errno_t memmove_s(void *dst, rsize_t size, const void *src, rsize_t count)
{
    if (!count)
        return 0;
    if (!dst || !src)
        return fakesspi_crt_fail_(EINVAL);
    if (size < count)
        return fakesspi_crt_fail_(ERANGE);
    memmove(dst, src, count);
    return 0;
}

/* ---- <stdio.h> ---- */
static inline int _vscprintf(const char *format, va_list ap)
{
    return vsnprintf(NULL, 0, format, ap);
}
static inline int _scprintf(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    return n;
}
/* At most count characters; no terminating NUL when the text fills them; -1 when it did not fit. */
static inline int _vsnprintf(char *buffer, size_t count, const char *format, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (n < 0)
        return -1;
    if ((size_t)n < count)
        return vsnprintf(buffer, count, format, ap);
    char *all = (char *)malloc((size_t)n + 1);
    if (!all)
        return -1;
    vsnprintf(all, (size_t)n + 1, format, ap);
    memcpy(buffer, all, count);
    free(all);
    return (size_t)n == count ? n : -1;
}
static inline int _snprintf(char *buffer, size_t count, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnprintf(buffer, count, format, ap);
    va_end(ap);
    return n;
}
/* count is _TRUNCATE (as much as fits, -1 when cut) or a limit; text that needs more than size is a
 * bad parameter. */
static inline int _vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
{
    if (!format || !buffer || !size) {
        fakesspi_crt_fail_(EINVAL);
        return -1;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (n < 0)
        return -1;
    size_t want = (size_t)n < count ? (size_t)n : count;
    if (want >= size && count != _TRUNCATE) {
        buffer[0] = 0;
        fakesspi_crt_fail_(ERANGE);
        return -1;
    }
    size_t room = want < size ? want + 1 : size;
    vsnprintf(buffer, room, format, ap);
    return (size_t)n + 1 <= room ? n : -1;
}
static inline int _snprintf_s(char *buffer, size_t size, size_t count, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = _vsnprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return n;
}
static inline int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
{
    if (!format || !buffer || !size) {
        fakesspi_crt_fail_(EINVAL);
        return -1;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (n < 0 || (size_t)n >= size) {
        buffer[0] = 0;
        fakesspi_crt_fail_(ERANGE);
        return -1;
    }
    return vsnprintf(buffer, size, format, ap);
}
static inline int sprintf_s(char *buffer, size_t size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsprintf_s(buffer, size, format, ap);
    va_end(ap);
    return n;
}

/* ---- <stdlib.h> ---- */
static inline int _wtoi(const fakesspi_wchar16_t *s)
{
    long v = 0;
    int neg = 0;
    while (*s == ' ' || (*s >= 9 && *s <= 13))
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return (int)(neg ? -v : v);
}
#define _wtol(s) ((long)_wtoi(s))

FAKESSPI_END_DECLS

/* The wide C runtime over 16-bit units (wcslen, wprintf, swprintf_s, ...). */
#include "fakesspi_wchar16.h"

#endif
