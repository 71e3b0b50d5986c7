/* wsprintf and wvsprintf: user32's own small printf, not the C runtime's (doc/semantics.md §38). One
 * formatter serves both widths; the A functions write UTF-8, the "ANSI" code page here. C runtime
 * plumbing outside the entry shape (exports.def: RUNTIME). */
#include <stdint.h>
#include <string.h>

#include "api.h"
#include "winuser.h"
#include "core/utf.h"

#define WSPRINTF_MAX 1024 /* characters, the NUL included */

/* The output: A bytes or W units, never more than WSPRINTF_MAX - 1 before the NUL. */
struct out {
    void *buffer;
    int wide;
    size_t len;
};

static void put(struct out *o, unsigned unit)
{
    if (o->len >= WSPRINTF_MAX - 1)
        return;
    if (o->wide)
        ((WCHAR *)o->buffer)[o->len++] = (WCHAR)unit;
    else
        ((char *)o->buffer)[o->len++] = (char)unit;
}

static void pad(struct out *o, size_t n, unsigned unit)
{
    while (n--)
        put(o, unit);
}

/* The format's characters, A or W. */
struct fmt {
    const void *p;
    int wide;
};

static unsigned peek(const struct fmt *f, size_t i)
{
    return f->wide ? ((const WCHAR *)f->p)[i] : (unsigned char)((const char *)f->p)[i];
}

static void advance(struct fmt *f, size_t n)
{
    f->p = f->wide ? (const void *)((const WCHAR *)f->p + n) : (const void *)((const char *)f->p + n);
}

enum conv { CONV_UNKNOWN, CONV_CHAR, CONV_WCHAR, CONV_STRING, CONV_WSTRING, CONV_SIGNED, CONV_UNSIGNED, CONV_HEX };
enum size { SIZE_INT, SIZE_PTR, SIZE_64 };

struct spec {
    int left, prefix, zero, upper;
    size_t width, precision; /* precision 0: none given (or .0, which Windows treats the same) */
    enum size size;
    enum conv conv;
};

static size_t digits_of(struct fmt *f)
{
    size_t n = 0;
    for (unsigned c; (c = peek(f, 0)) >= '0' && c <= '9'; advance(f, 1))
        n = n < 100000 ? n * 10 + (c - '0') : n;
    return n;
}

/* [-][#][0][width][.precision][l|h|w|I|I32|I64]type, each flag at most once and in that order. An
 * unknown type leaves the character in the format, to be copied as text. */
static struct spec parse(struct fmt *f)
{
    struct spec s = {0};
    if (peek(f, 0) == '-')
        s.left = 1, advance(f, 1);
    if (peek(f, 0) == '#')
        s.prefix = 1, advance(f, 1);
    if (peek(f, 0) == '0')
        s.zero = 1, advance(f, 1);
    s.width = digits_of(f);
    if (peek(f, 0) == '.') {
        advance(f, 1);
        s.precision = digits_of(f);
    }
    int l = 0, h = 0, w = 0;
    unsigned c = peek(f, 0);
    if (c == 'l')
        l = 1, advance(f, 1);
    else if (c == 'h')
        h = 1, advance(f, 1);
    else if (c == 'w')
        w = 1, advance(f, 1);
    else if (c == 'I') {
        if (peek(f, 1) == '6' && peek(f, 2) == '4')
            s.size = SIZE_64, advance(f, 3);
        else if (peek(f, 1) == '3' && peek(f, 2) == '2')
            advance(f, 3);
        else
            s.size = SIZE_PTR, advance(f, 1);
    }
    /* "own" is the call's width, "other" the other one: %s in wsprintfW is wide, in wsprintfA narrow. */
    int own_wide = f->wide;
    switch (peek(f, 0)) {
    case 'c': s.conv = (own_wide ? !h : l) ? CONV_WCHAR : CONV_CHAR; break;
    case 'C': s.conv = (own_wide ? l : !h) ? CONV_WCHAR : CONV_CHAR; break;
    case 's': s.conv = (own_wide ? !(h && !w) : (l || w)) ? CONV_WSTRING : CONV_STRING; break;
    case 'S': s.conv = (own_wide ? (l || w) : !(h || w)) ? CONV_WSTRING : CONV_STRING; break;
    case 'd': case 'i': s.conv = CONV_SIGNED; break;
    case 'u': s.conv = CONV_UNSIGNED; break;
    case 'p':
        s.width = 2 * sizeof(void *), s.zero = 1, s.size = SIZE_PTR, s.upper = 1, s.conv = CONV_HEX;
        break;
    case 'X': s.upper = 1, s.conv = CONV_HEX; break;
    case 'x': s.conv = CONV_HEX; break;
    default: return s; /* CONV_UNKNOWN: the character stays */
    }
    advance(f, 1);
    return s;
}

static void put_padded(struct out *o, const struct spec *s, size_t len)
{
    if (!s->left && s->width > len)
        pad(o, s->width - len, ' ');
}

static void put_trailing(struct out *o, const struct spec *s, size_t len)
{
    if (s->left && s->width > len)
        pad(o, s->width - len, ' ');
}

/* Units of a 16-bit string up to its NUL, reading no more than max. */
static size_t wide_len(const WCHAR *w, size_t max)
{
    size_t n = 0;
    while (n < max && w[n])
        n++;
    return n;
}

/* A string argument in either width, cut at the precision (in the output's characters). A precision also
 * bounds what is read: "%.3s" may name an array of three characters with no NUL. */
static void put_string(struct out *o, const struct spec *s, const void *arg, int arg_wide)
{
    static const char null_text[] = "(null)";
    const char *narrow = arg_wide ? NULL : (arg ? arg : null_text);
    const WCHAR *wide = arg_wide ? arg : NULL;
    if (arg_wide && !arg)
        narrow = null_text, arg_wide = 0;
    /* Nothing past WSPRINTF_MAX characters can be shown anyway. */
    size_t max = s->precision && s->precision < WSPRINTF_MAX ? s->precision : WSPRINTF_MAX;
    size_t in = arg_wide ? wide_len(wide, max) : strnlen(narrow, max);
    char bytes[WSPRINTF_MAX * 3];
    uint16_t units[WSPRINTF_MAX];
    size_t n = 0;
    if (o->wide && !arg_wide) {
        if (fs_utf8_to_utf16(narrow, in, units, sizeof units / sizeof units[0], &n, 0) != FS_OK)
            n = 0;
    } else if (!o->wide && arg_wide) {
        if (fs_utf16_to_utf8((const uint16_t *)wide, in, bytes, sizeof bytes, &n, 0) != FS_OK)
            n = 0;
    }
    int converted = o->wide != arg_wide;
    size_t len = converted ? n : in;
    if (s->precision && len > s->precision)
        len = s->precision;
    put_padded(o, s, len);
    for (size_t i = 0; i < len; i++)
        put(o, converted ? (o->wide ? units[i] : (unsigned char)bytes[i])
                         : (o->wide ? wide[i] : (unsigned char)narrow[i]));
    put_trailing(o, s, len);
}

static void put_number(struct out *o, const struct spec *s, int64_t value)
{
    uint64_t magnitude;
    int negative = 0;
    if (s->size == SIZE_INT)
        value = s->conv == CONV_SIGNED ? (int64_t)(int32_t)value : (int64_t)(uint32_t)value;
    if (s->conv == CONV_SIGNED && value < 0)
        negative = 1, magnitude = 0 - (uint64_t)value;
    else
        magnitude = (uint64_t)value;
    const char *digits = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = s->conv == CONV_HEX ? 16 : 10;
    char text[24];
    size_t n = 0;
    do
        text[n++] = digits[magnitude % base];
    while ((magnitude /= base) != 0);
    size_t head = (size_t)negative + (s->prefix && s->conv == CONV_HEX ? 2 : 0);
    size_t zeros = s->precision > n ? s->precision - n : 0;
    if (s->zero && !s->left && s->width > head + n + zeros)
        zeros = s->width - head - n;
    size_t len = head + zeros + n;
    put_padded(o, s, len);
    if (negative)
        put(o, '-');
    if (head > (size_t)negative) {
        put(o, '0');
        put(o, s->upper ? 'X' : 'x');
    }
    pad(o, zeros, '0');
    while (n)
        put(o, (unsigned char)text[--n]);
    put_trailing(o, s, len);
}

/* One character of either width. The other width's is converted as a string of one would be: a WCHAR into
 * its UTF-8 bytes (the A functions' code page here), an ANSI byte into U+FFFD unless it is ASCII (alone it
 * cannot be a whole UTF-8 character). */
static void put_character(struct out *o, const struct spec *s, unsigned ch, int arg_wide)
{
    unsigned char bytes[4];
    size_t n = 1;
    if (arg_wide && !o->wide) {
        uint16_t unit = (uint16_t)ch;
        if (fs_utf16_to_utf8(&unit, 1, (char *)bytes, sizeof bytes, &n, 0) != FS_OK)
            n = 0;
    } else if (!arg_wide && o->wide) {
        ch = (unsigned char)ch < 0x80 ? (unsigned char)ch : 0xFFFD;
    } else {
        ch = arg_wide ? (WCHAR)ch : (unsigned char)ch;
    }
    put_padded(o, s, n);
    if (arg_wide && !o->wide)
        for (size_t i = 0; i < n; i++)
            put(o, bytes[i]);
    else
        put(o, ch);
    put_trailing(o, s, n);
}

static int format(void *buffer, const void *spec_text, int wide, va_list ap)
{
    struct out o = {buffer, wide, 0};
    struct fmt f = {spec_text, wide};
    for (unsigned c; (c = peek(&f, 0)) != 0 && o.len < WSPRINTF_MAX - 1;) {
        advance(&f, 1);
        if (c != '%' || peek(&f, 0) == '%') {
            if (c == '%')
                advance(&f, 1);
            put(&o, c);
            continue;
        }
        struct spec s = parse(&f);
        switch (s.conv) {
        case CONV_CHAR: case CONV_WCHAR:
            put_character(&o, &s, (unsigned)va_arg(ap, int), s.conv == CONV_WCHAR);
            break;
        case CONV_STRING: put_string(&o, &s, va_arg(ap, const char *), 0); break;
        case CONV_WSTRING: put_string(&o, &s, va_arg(ap, const WCHAR *), 1); break;
        case CONV_SIGNED: case CONV_UNSIGNED: case CONV_HEX:
            put_number(&o, &s, s.size == SIZE_PTR ? (int64_t)va_arg(ap, intptr_t)
                               : s.size == SIZE_64 ? va_arg(ap, int64_t)
                                                   : (int64_t)va_arg(ap, int));
            break;
        case CONV_UNKNOWN: break;
        }
    }
    if (wide)
        ((WCHAR *)buffer)[o.len] = 0;
    else
        ((char *)buffer)[o.len] = '\0';
    return (int)o.len;
}

int WINAPI wvsprintfA(LPSTR lpOut, LPCSTR lpFmt, va_list arglist)
{
    return format(lpOut, lpFmt, 0, arglist);
}

int WINAPI wvsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, va_list arglist)
{
    return format(lpOut, lpFmt, 1, arglist);
}

int WINAPIV wsprintfA(LPSTR lpOut, LPCSTR lpFmt, ...)
{
    va_list ap;
    va_start(ap, lpFmt);
    int n = format(lpOut, lpFmt, 0, ap);
    va_end(ap);
    return n;
}

int WINAPIV wsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, ...)
{
    va_list ap;
    va_start(ap, lpFmt);
    int n = format(lpOut, lpFmt, 1, ap);
    va_end(ap);
    return n;
}
