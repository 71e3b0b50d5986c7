/* The wide C runtime over 16-bit units and the invalid parameter handler of the Microsoft C runtime's
 * _s functions (include/fakesspi_wchar16.h, include/fakesspi_crt.h; doc/semantics.md §20). */
/* -Wcast-qual is off in this file only: wcschr, wcsstr and the rest return a non-const pointer into a const string, as C's own strchr does. */
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi_crt.h"
#include "api/crt_format.h"
#include "core/utf.h"

typedef fakesspi_wchar16_t w16;

/* ---- the invalid parameter handler ---- */
static _Atomic(_invalid_parameter_handler) current_handler;

_invalid_parameter_handler _set_invalid_parameter_handler(_invalid_parameter_handler handler)
{
    return atomic_exchange(&current_handler, handler);
}

_invalid_parameter_handler _get_invalid_parameter_handler(void)
{
    return atomic_load(&current_handler);
}

void _invalid_parameter_noinfo(void)
{
    _invalid_parameter_handler handler = atomic_load(&current_handler);
    if (handler) {
        handler(NULL, NULL, NULL, 0, 0);
        return;
    }
    /* Windows' default handler ends the process (a fail-fast); abort() is ours. */
    fputs("fakesspi: invalid parameter passed to a C runtime function; the default handler ends the process, "
          "as Windows' does (_set_invalid_parameter_handler installs another)\n", stderr);
    abort();
}

/* ---- strings ---- */
size_t fakesspi_wcslen(const w16 *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t fakesspi_wcsnlen(const w16 *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

w16 *fakesspi_wcscpy(w16 *dst, const w16 *src)
{
    size_t i = 0;
    while ((dst[i] = src[i]))
        i++;
    return dst;
}

w16 *fakesspi_wcsncpy(w16 *dst, const w16 *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = 0;
    return dst;
}

w16 *fakesspi_wcscat(w16 *dst, const w16 *src)
{
    fakesspi_wcscpy(dst + fakesspi_wcslen(dst), src);
    return dst;
}

w16 *fakesspi_wcsncat(w16 *dst, const w16 *src, size_t n)
{
    w16 *end = dst + fakesspi_wcslen(dst);
    size_t i = 0;
    for (; i < n && src[i]; i++)
        end[i] = src[i];
    end[i] = 0;
    return dst;
}

int fakesspi_wcsncmp(const w16 *a, const w16 *b, size_t n)
{
    for (; n; n--, a++, b++)
        if (*a != *b || !*a)
            return *a < *b ? -1 : *a > *b;
    return 0;
}

int fakesspi_wcscmp(const w16 *a, const w16 *b)
{
    return fakesspi_wcsncmp(a, b, (size_t)-1);
}

w16 *fakesspi_wcschr(const w16 *s, w16 c)
{
    for (;; s++) {
        if (*s == c)
            return (w16 *)s;
        if (!*s)
            return NULL;
    }
}

w16 *fakesspi_wcsrchr(const w16 *s, w16 c)
{
    const w16 *found = NULL;
    for (;; s++) {
        if (*s == c)
            found = s;
        if (!*s)
            return (w16 *)found;
    }
}

w16 *fakesspi_wcsstr(const w16 *haystack, const w16 *needle)
{
    size_t n = fakesspi_wcslen(needle);
    for (; *haystack; haystack++)
        if (!fakesspi_wcsncmp(haystack, needle, n))
            return (w16 *)haystack;
    return n ? NULL : (w16 *)haystack;
}

size_t fakesspi_wcsspn(const w16 *s, const w16 *accept)
{
    size_t n = 0;
    while (s[n] && fakesspi_wcschr(accept, s[n]))
        n++;
    return n;
}

size_t fakesspi_wcscspn(const w16 *s, const w16 *reject)
{
    size_t n = 0;
    while (s[n] && !fakesspi_wcschr(reject, s[n]))
        n++;
    return n;
}

w16 *fakesspi_wcspbrk(const w16 *s, const w16 *accept)
{
    s += fakesspi_wcscspn(s, accept);
    return *s ? (w16 *)s : NULL;
}

w16 *fakesspi_wcstok(w16 *s, const w16 *delim, w16 **state)
{
    if (!s)
        s = *state;
    if (!s)
        return NULL;
    s += fakesspi_wcsspn(s, delim);
    if (!*s) {
        *state = NULL;
        return NULL;
    }
    w16 *end = s + fakesspi_wcscspn(s, delim);
    if (*end)
        *end++ = 0;
    *state = end;
    return s;
}

/* The number conversions go through strtoll on the ASCII digits. */
static unsigned long long to_number(const w16 *s, w16 **end, int base, int is_signed)
{
    char digits[80];
    size_t n = 0;
    const w16 *p = s;
    while (*p == ' ' || (*p >= 9 && *p <= 13))
        p++;
    for (const w16 *q = p; *q && *q < 128 && n + 1 < sizeof digits; q++)
        digits[n++] = (char)*q;
    digits[n] = 0;
    char *stop;
    unsigned long long v;
    if (is_signed)
        v = (unsigned long long)strtoll(digits, &stop, base);
    else
        v = strtoull(digits, &stop, base);
    if (end)
        *end = (w16 *)(stop == digits ? s : p + (stop - digits));
    return v;
}

long fakesspi_wcstol(const w16 *s, w16 **end, int base)
{
    long long v = (long long)to_number(s, end, base, 1);
    return v > __LONG_MAX__ ? __LONG_MAX__ : v < -__LONG_MAX__ - 1 ? -__LONG_MAX__ - 1 : (long)v;
}

unsigned long fakesspi_wcstoul(const w16 *s, w16 **end, int base)
{
    return (unsigned long)to_number(s, end, base, 0);
}

long long fakesspi_wcstoll(const w16 *s, w16 **end, int base)
{
    return (long long)to_number(s, end, base, 1);
}

unsigned long long fakesspi_wcstoull(const w16 *s, w16 **end, int base)
{
    return to_number(s, end, base, 0);
}

w16 *fakesspi_wmemchr(const w16 *s, w16 c, size_t n)
{
    for (; n; n--, s++)
        if (*s == c)
            return (w16 *)s;
    return NULL;
}

int fakesspi_wmemcmp(const w16 *a, const w16 *b, size_t n)
{
    for (; n; n--, a++, b++)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

w16 *fakesspi_wmemcpy(w16 *dst, const w16 *src, size_t n)
{
    return n ? memcpy(dst, src, n * sizeof *dst) : dst;
}

w16 *fakesspi_wmemmove(w16 *dst, const w16 *src, size_t n)
{
    return n ? memmove(dst, src, n * sizeof *dst) : dst;
}

w16 *fakesspi_wmemset(w16 *dst, w16 c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = c;
    return dst;
}

size_t fakesspi_mbstowcs(w16 *dst, const char *src, size_t n)
{
    size_t need = 0;
    if (fs_utf8_to_utf16(src, strlen(src), NULL, 0, &need, 1) != FS_OK)
        return (size_t)-1;
    if (!dst)
        return need;
    size_t copy = need < n ? need : n;
    uint16_t *all = malloc((need + 1) * sizeof *all);
    if (!all)
        return (size_t)-1;
    (void)fs_utf8_to_utf16(src, strlen(src), all, need + 1, &need, 1);
    memcpy(dst, all, copy * sizeof *dst);
    if (copy < n)
        dst[copy] = 0;
    free(all);
    return copy;
}

size_t fakesspi_wcstombs(char *dst, const w16 *src, size_t n)
{
    size_t units = fakesspi_wcslen(src), need = 0;
    if (fs_utf16_to_utf8((const uint16_t *)src, units, NULL, 0, &need, 1) != FS_OK)
        return (size_t)-1;
    if (!dst)
        return need;
    char *all = malloc(need + 1);
    if (!all)
        return (size_t)-1;
    (void)fs_utf16_to_utf8((const uint16_t *)src, units, all, need + 1, &need, 1);
    size_t copy = need;
    if (copy > n) { /* whole characters only */
        copy = n;
        while (copy && ((uint8_t)all[copy] & 0xC0) == 0x80)
            copy--;
    }
    memcpy(dst, all, copy);
    if (copy < n)
        dst[copy] = 0;
    free(all);
    return copy;
}

/* ---- printing ---- */
/* Formats into a writer; returns the UTF-8 length, or -1. */
static int format(struct fs_writer *out, const w16 *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int rc = fs_crt_vformat(out, fmt, 1, 1, &copy);
    va_end(copy);
    return rc == 0 ? (int)out->len : -1;
}

int fakesspi_fputws(const w16 *s, FILE *stream)
{
    char *text = fs_utf16_to_utf8_dup((const uint16_t *)s);
    if (!text)
        return EOF;
    int rc = fputs(text, stream);
    free(text);
    return rc < 0 ? EOF : 0;
}

int fakesspi_vfwprintf(FILE *stream, const w16 *fmt, va_list ap)
{
    struct fs_writer out;
    fs_writer_init(&out);
    int n = format(&out, fmt, ap);
    if (n > 0 && fwrite(out.data, 1, out.len, stream) != out.len)
        n = -1;
    size_t units = 0;
    if (n > 0) { /* the count is in wide characters */
        uint16_t *w = fs_crt_widen(&out, &units);
        free(w);
        n = (int)units;
    }
    fs_writer_free(&out);
    return n;
}

int fakesspi_fwprintf(FILE *stream, const w16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fakesspi_vfwprintf(stream, fmt, ap);
    va_end(ap);
    return n;
}

int fakesspi_vwprintf(const w16 *fmt, va_list ap)
{
    return fakesspi_vfwprintf(stdout, fmt, ap);
}

int fakesspi_wprintf(const w16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fakesspi_vfwprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* The text as units: NEW, or NULL with *units = -1 on a bad format. */
static uint16_t *format_wide(const w16 *fmt, va_list ap, size_t *units, int *bad)
{
    struct fs_writer out;
    fs_writer_init(&out);
    *bad = format(&out, fmt, ap) < 0;
    uint16_t *w = *bad ? NULL : fs_crt_widen(&out, units);
    fs_writer_free(&out);
    if (!w)
        *bad = 1;
    return w;
}

int fakesspi_vswprintf(w16 *buffer, size_t n, const w16 *fmt, va_list ap)
{
    size_t units;
    int bad;
    uint16_t *w = format_wide(fmt, ap, &units, &bad);
    if (bad)
        return -1;
    int rc = units < n ? (int)units : -1;
    if (n) {
        size_t copy = units < n ? units : n - 1;
        memcpy(buffer, w, copy * sizeof *w);
        buffer[copy] = 0;
    }
    free(w);
    return rc;
}

int fakesspi_swprintf(w16 *buffer, size_t n, const w16 *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fakesspi_vswprintf(buffer, n, fmt, ap);
    va_end(ap);
    return rc;
}

int _vscwprintf(const w16 *fmt, va_list ap)
{
    size_t units;
    int bad;
    uint16_t *w = format_wide(fmt, ap, &units, &bad);
    free(w);
    return bad ? -1 : (int)units;
}

int _vsnwprintf(w16 *buffer, size_t count, const w16 *fmt, va_list ap)
{
    size_t units;
    int bad;
    uint16_t *w = format_wide(fmt, ap, &units, &bad);
    if (bad)
        return -1;
    size_t copy = units < count ? units + 1 : count; /* the NUL only when it fits */
    memcpy(buffer, w, copy * sizeof *w);
    free(w);
    return units <= count ? (int)units : -1;
}

int _vsnwprintf_s(w16 *buffer, size_t size, size_t count, const w16 *fmt, va_list ap)
{
    if (!fmt || !buffer || !size) {
        errno = EINVAL;
        _invalid_parameter_noinfo();
        return -1;
    }
    size_t units;
    int bad;
    uint16_t *w = format_wide(fmt, ap, &units, &bad);
    if (bad)
        return -1;
    size_t want = units < count ? units : count;
    if (want >= size && count != _TRUNCATE) {
        free(w);
        buffer[0] = 0;
        errno = ERANGE;
        _invalid_parameter_noinfo();
        return -1;
    }
    size_t copy = want < size ? want : size - 1;
    memcpy(buffer, w, copy * sizeof *w);
    buffer[copy] = 0;
    free(w);
    return copy == units ? (int)units : -1;
}

int vswprintf_s(w16 *buffer, size_t size, const w16 *fmt, va_list ap)
{
    if (!fmt || !buffer || !size) {
        errno = EINVAL;
        _invalid_parameter_noinfo();
        return -1;
    }
    size_t units;
    int bad;
    uint16_t *w = format_wide(fmt, ap, &units, &bad);
    if (bad)
        return -1;
    if (units >= size) {
        free(w);
        buffer[0] = 0;
        errno = ERANGE;
        _invalid_parameter_noinfo();
        return -1;
    }
    memcpy(buffer, w, (units + 1) * sizeof *w);
    free(w);
    return (int)units;
}
