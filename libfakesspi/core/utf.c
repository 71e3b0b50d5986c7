/* Strict UTF-8/UTF-16 transcoding with surrogate pairs. */
#include "core/alloc.h"
#include "utf.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <wctype.h>

#define REPLACEMENT 0xFFFDu

/* Decodes one code point; returns bytes used, 0 if invalid (one byte is then skipped). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

fs_err fs_utf8_to_utf16(const char *in, size_t inlen, uint16_t *out, size_t outcap, size_t *outlen, int strict)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, n = 0;
    while (i < inlen) {
        if (s[i] < 0x80) { /* names are mostly ASCII: one unit, no decoding */
            if (out && n < outcap)
                out[n] = s[i];
            i++, n++;
            continue;
        }
        uint32_t cp;
        size_t used = utf8_decode(s + i, inlen - i, &cp);
        if (used == 0) {
            if (strict)
                return FS_E_NO_UNICODE_TRANSLATION;
            cp = REPLACEMENT;
            used = 1;
        }
        i += used;
        uint16_t units[2];
        size_t k = 0;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[k++] = (uint16_t)(0xD800 + (cp >> 10));
            units[k++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            units[k++] = (uint16_t)cp;
        }
        for (size_t j = 0; j < k; j++, n++)
            if (out && n < outcap)
                out[n] = units[j];
    }
    *outlen = n;
    return out && n > outcap ? FS_E_INSUFFICIENT_BUFFER : FS_OK;
}

fs_err fs_utf16_to_utf8(const uint16_t *in, size_t inlen, char *out, size_t outcap, size_t *outlen, int strict)
{
    size_t i = 0, n = 0;
    while (i < inlen) {
        uint32_t cp = in[i++];
        if (cp >= 0xD800 && cp <= 0xDBFF && i < inlen && in[i] >= 0xDC00 && in[i] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (in[i++] - 0xDC00);
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            if (strict)
                return FS_E_NO_UNICODE_TRANSLATION;
            cp = REPLACEMENT;
        }
        unsigned char b[4];
        size_t k;
        if (cp < 0x80) { b[0] = (unsigned char)cp; k = 1; }
        else if (cp < 0x800) { b[0] = (unsigned char)(0xC0 | (cp >> 6)); b[1] = (unsigned char)(0x80 | (cp & 0x3F)); k = 2; }
        else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (cp >> 12)); b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F)); k = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (cp >> 18)); b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (unsigned char)(0x80 | (cp & 0x3F)); k = 4;
        }
        for (size_t j = 0; j < k; j++, n++)
            if (out && n < outcap)
                out[n] = (char)b[j];
    }
    *outlen = n;
    return out && n > outcap ? FS_E_INSUFFICIENT_BUFFER : FS_OK;
}

size_t fs_utf16_len(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

char *fs_utf16_to_utf8_dup(const uint16_t *s)
{
    if (!s)
        return NULL;
    size_t len = fs_utf16_len(s), n;
    fs_utf16_to_utf8(s, len, NULL, 0, &n, 0);
    char *out = fs_malloc(n + 1);
    if (!out)
        return NULL;
    fs_utf16_to_utf8(s, len, out, n, &n, 0);
    out[n] = '\0';
    return out;
}

static void utf8_encode(uint32_t cp, unsigned char b[4], size_t *k)
{
    if (cp < 0x80) { b[0] = (unsigned char)cp; *k = 1; }
    else if (cp < 0x800) { b[0] = (unsigned char)(0xC0 | (cp >> 6)); b[1] = (unsigned char)(0x80 | (cp & 0x3F)); *k = 2; }
    else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12)); b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F)); *k = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18)); b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (unsigned char)(0x80 | (cp & 0x3F)); *k = 4;
    }
}

static pthread_once_t upcase_once = PTHREAD_ONCE_INIT;
static locale_t upcase_locale; /* C.UTF-8's simple case mappings; (locale_t)0 leaves ASCII only */

static void upcase_init(void) { upcase_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

static uint32_t upcase(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    /* Windows upcases each UTF-16 unit by itself, so characters beyond the BMP keep their case. */
    if (cp >= 0x10000 || !upcase_locale)
        return cp;
    uint32_t up = (uint32_t)towupper_l((wint_t)cp, upcase_locale);
    return up < 0x10000 && (up < 0xD800 || up > 0xDFFF) ? up : cp;
}

/* The ASCII start of s upper-cased into out (as far as cap allows): its length. Index keys are nearly always
 * all ASCII, and a domain of 100,000 users makes hundreds of thousands of them: one pass, no decoding. */
static size_t upcase_ascii_prefix(const unsigned char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; n < cap && s[n] && s[n] < 0x80; n++)
        out[n] = (char)(s[n] >= 'a' && s[n] <= 'z' ? s[n] - 32 : s[n]);
    return n;
}

fs_err fs_utf8_upcase(const char *in, char *out, size_t cap, size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = upcase_ascii_prefix(s, out, cap);
    if (!s[n] && n < cap) {
        out[n] = '\0';
        if (outlen)
            *outlen = n;
        return FS_OK;
    }
    pthread_once(&upcase_once, upcase_init);
    size_t len = n; /* the rest as before, from where the ASCII prefix ended: there, in and out are one length */
    while (s[len])
        len++;
    for (size_t i = n; i < len;) {
        if (s[i] < 0x80) { /* names are mostly ASCII: no decoding, no table */
            if (n < cap)
                out[n] = (char)upcase(s[i]);
            n++, i++;
            continue;
        }
        uint32_t cp;
        size_t used = utf8_decode(s + i, len - i, &cp);
        if (!used)
            return FS_E_NO_UNICODE_TRANSLATION;
        i += used;
        unsigned char b[4];
        size_t k;
        utf8_encode(upcase(cp), b, &k);
        for (size_t j = 0; j < k; j++, n++)
            if (n < cap)
                out[n] = (char)b[j];
    }
    if (outlen)
        *outlen = n;
    if (n >= cap)
        return FS_E_INSUFFICIENT_BUFFER;
    out[n] = '\0';
    return FS_OK;
}

size_t fs_utf8_sequence(const char *s, size_t n)
{
    uint32_t cp;
    return n ? utf8_decode((const unsigned char *)s, n, &cp) : 0;
}

int fs_utf8_is_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t used = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!used)
            return 0;
        i += used;
    }
    return 1;
}

size_t fs_utf8_units(const char *s)
{
    size_t units = 0, len = 0;
    while (s[len] && (unsigned char)s[len] < 0x80) /* ASCII, as nearly every name is: a byte is a unit */
        len++;
    if (!s[len])
        return len;
    while (s[len])
        len++;
    (void)fs_utf8_to_utf16(s, len, NULL, 0, &units, 0);
    return units;
}

static unsigned fold(unsigned c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int fs_ascii_casecmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && fold(*x) == fold(*y))
        x++, y++;
    return (int)fold(*x) - (int)fold(*y);
}

int fs_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n && *x && fold(*x) == fold(*y); n--)
        x++, y++;
    return n ? (int)fold(*x) - (int)fold(*y) : 0;
}

int fs_utf16_ascii_casecmp(const uint16_t *a, const uint16_t *b)
{
    while (*a && fold(*a) == fold(*b))
        a++, b++;
    return (int)fold(*a) - (int)fold(*b);
}
