/* The printf engine with the Microsoft C runtime's meaning of each conversion (doc/semantics.md §20). */
/* -Wformat-nonliteral is off in this file only: the printf engine forwards the caller's own format pieces to snprintf, one conversion at a time. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#include "api/crt_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

struct spec {
    char flags[8];
    int width;       /* -1: none */
    int precision;   /* -1: none */
    int size;        /* 0 int, 1 char, 2 short, 8 64-bit, 16 long double */
    int wide;        /* -1: not said, 0: narrow (h), 1: wide (l, w) */
    char conv;
};

static uint16_t unit_at(const void *format, int wide, size_t i)
{
    return wide ? ((const uint16_t *)format)[i] : (uint8_t)((const char *)format)[i];
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((uint8_t)s[i] & 0xC0) != 0x80;
    return chars;
}

static void pad(struct fs_writer *out, int count)
{
    for (; count > 0; count--)
        fs_write_u8(out, ' ');
}

/* A piece of text with the spec's width and '-' flag. */
static void put_padded(struct fs_writer *out, const struct spec *sp, const char *text, size_t len)
{
    int fill = sp->width - (int)utf8_chars(text, len);
    int left = strchr(sp->flags, '-') != NULL;
    if (!left)
        pad(out, fill);
    fs_write_bytes(out, text, len);
    if (left)
        pad(out, fill);
}

static int put_string(struct fs_writer *out, const struct spec *sp, const void *arg, int wide)
{
    if (!arg) {
        put_padded(out, sp, "(null)", sp->precision >= 0 && sp->precision < 6 ? (size_t)sp->precision : 6);
        return 0;
    }
    if (!wide) {
        const char *s = arg;
        size_t n = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
        put_padded(out, sp, s, n);
        return 0;
    }
    const uint16_t *w = arg;
    size_t units = 0;
    while ((sp->precision < 0 || units < (size_t)sp->precision) && w[units])
        units++;
    size_t need = 0;
    (void)fs_utf16_to_utf8(w, units, NULL, 0, &need, 0);
    char *text = fs_malloc(need + 1);
    if (!text)
        return -1;
    (void)fs_utf16_to_utf8(w, units, text, need + 1, &need, 0);
    put_padded(out, sp, text, need);
    free(text);
    return 0;
}

static int put_char(struct fs_writer *out, const struct spec *sp, unsigned value, int wide)
{
    uint16_t unit = (uint16_t)(wide ? value : (uint8_t)value);
    char text[4];
    size_t len = 0;
    if (wide)
        (void)fs_utf16_to_utf8(&unit, 1, text, sizeof text, &len, 0);
    else
        text[len++] = (char)unit;
    put_padded(out, sp, text, len);
    return 0;
}

/* The spec as a C library format, with the Linux size that matches Windows' meaning. */
static void c_format(const struct spec *sp, char f[48])
{
    int n = snprintf(f, 48, "%%%s", sp->flags);
    if (sp->width >= 0)
        n += snprintf(f + n, 48 - (size_t)n, "%d", sp->width);
    if (sp->precision >= 0)
        n += snprintf(f + n, 48 - (size_t)n, ".%d", sp->precision);
    const char *len = sp->size == 8 ? "ll" : sp->size == 2 ? "h" : sp->size == 1 ? "hh" : sp->size == 16 ? "L" : "";
    snprintf(f + n, 48 - (size_t)n, "%s%c", len, sp->conv);
}

static int put_formatted(struct fs_writer *out, const char *buf, int w, size_t cap)
{
    if (w < 0)
        return -1;
    fs_write_bytes(out, buf, (size_t)w < cap ? (size_t)w : cap - 1);
    return 0;
}

/* d i u o x X: bits holds the argument as it was passed (64 bits for I64/ll, else the low 32). */
static int put_integer(struct fs_writer *out, const struct spec *sp, uint64_t bits)
{
    char f[48], buf[512];
    c_format(sp, f);
    int is_signed = sp->conv == 'd' || sp->conv == 'i';
    int w = sp->size == 8 ? (is_signed ? snprintf(buf, sizeof buf, f, (long long)bits)
                                       : snprintf(buf, sizeof buf, f, (unsigned long long)bits))
                          : (is_signed ? snprintf(buf, sizeof buf, f, (int)(uint32_t)bits)
                                       : snprintf(buf, sizeof buf, f, (unsigned)bits));
    return put_formatted(out, buf, w, sizeof buf);
}

/* e E f F g G a A */
static int put_real(struct fs_writer *out, const struct spec *sp, va_list *ap)
{
    char f[48], buf[512];
    c_format(sp, f);
    int w = sp->size == 16 ? snprintf(buf, sizeof buf, f, va_arg(*ap, long double))
                           : snprintf(buf, sizeof buf, f, va_arg(*ap, double));
    return put_formatted(out, buf, w, sizeof buf);
}

static int put_pointer(struct fs_writer *out, const struct spec *sp, uintptr_t value)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%016llX", (unsigned long long)value);
    put_padded(out, sp, text, (size_t)n);
    return 0;
}

/* Which width a string or character conversion takes: h narrow, l/w wide, else the call's (flipped by S, C). */
static int takes_wide(const struct spec *sp, int wide_strings)
{
    int upper_flips = sp->conv == 'S' || sp->conv == 'C';
    return sp->wide >= 0 ? sp->wide : (upper_flips ? !wide_strings : wide_strings);
}

static int is_integer(char conv)
{
    return conv && strchr("diuoxX", conv) != NULL;
}

/* Reads one conversion after its '%' from *i; returns 0, or -1 when it is not one the runtime knows. Without
 * arguments (ap NULL) a '*' width or precision is not one. */
static int parse_spec(const void *format, int wide, size_t *i, struct spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof *sp);
    sp->width = sp->precision = -1;
    sp->wide = -1;
    size_t nf = 0;
    uint16_t c;
    while ((c = unit_at(format, wide, *i)) && strchr("-+ #0", c) && nf + 1 < sizeof sp->flags) {
        sp->flags[nf++] = (char)c;
        (*i)++;
    }
    if (unit_at(format, wide, *i) == '*') {
        if (!ap)
            return -1;
        sp->width = va_arg(*ap, int);
        (*i)++;
        if (sp->width < 0) {
            sp->width = -sp->width;
            if (nf + 1 < sizeof sp->flags)
                sp->flags[nf++] = '-';
        }
    } else {
        for (; (c = unit_at(format, wide, *i)) >= '0' && c <= '9'; (*i)++)
            sp->width = (sp->width < 0 ? 0 : sp->width * 10) + (c - '0');
    }
    if (unit_at(format, wide, *i) == '.') {
        (*i)++;
        sp->precision = 0;
        if (unit_at(format, wide, *i) == '*') {
            if (!ap)
                return -1;
            sp->precision = va_arg(*ap, int);
            (*i)++;
        } else {
            for (; (c = unit_at(format, wide, *i)) >= '0' && c <= '9'; (*i)++)
                sp->precision = sp->precision * 10 + (c - '0');
        }
    }
    c = unit_at(format, wide, *i);
    uint16_t c1 = unit_at(format, wide, *i + 1), c2 = c1 ? unit_at(format, wide, *i + 2) : 0;
    if (c == 'I' && c1 == '6' && c2 == '4') {
        sp->size = 8, *i += 3;
    } else if (c == 'I' && c1 == '3' && c2 == '2') {
        sp->size = 0, *i += 3;
    } else if (c == 'I' || c == 'z' || c == 'j' || c == 't' || c == 'q') {
        sp->size = 8, (*i)++;
    } else if (c == 'l' && c1 == 'l') {
        sp->size = 8, *i += 2;
    } else if (c == 'h' && c1 == 'h') {
        sp->size = 1, sp->wide = 0, *i += 2;
    } else if (c == 'l' || c == 'w') {
        sp->wide = 1, (*i)++; /* l: 32 bits for integers, as long is on Windows */
    } else if (c == 'h') {
        sp->size = 2, sp->wide = 0, (*i)++;
    } else if (c == 'L') {
        sp->size = 16, (*i)++;
    }
    sp->conv = (char)unit_at(format, wide, *i);
    if (!sp->conv || !strchr("diuoxXeEfFgGaAcCsSp%", sp->conv))
        return -1;
    (*i)++;
    return 0;
}

int fs_crt_vformat(struct fs_writer *out, const void *format, int format_wide, int wide_strings, va_list *ap)
{
    size_t i = 0;
    uint16_t c;
    while ((c = unit_at(format, format_wide, i))) {
        if (c != '%') {
            size_t start = i;
            while ((c = unit_at(format, format_wide, i)) && c != '%')
                i++;
            if (!format_wide) {
                fs_write_bytes(out, (const char *)format + start, i - start);
                continue;
            }
            size_t need = 0;
            const uint16_t *run = (const uint16_t *)format + start;
            (void)fs_utf16_to_utf8(run, i - start, NULL, 0, &need, 0);
            char *text = fs_malloc(need + 1);
            if (!text)
                return -1;
            (void)fs_utf16_to_utf8(run, i - start, text, need + 1, &need, 0);
            fs_write_bytes(out, text, need);
            free(text);
            continue;
        }
        i++;
        struct spec sp;
        if (parse_spec(format, format_wide, &i, &sp, ap) != 0)
            return -1;
        int rc;
        switch (sp.conv) {
        case '%':
            fs_write_u8(out, '%');
            rc = 0;
            break;
        case 's': case 'S':
            rc = put_string(out, &sp, va_arg(*ap, const void *), takes_wide(&sp, wide_strings));
            break;
        case 'c': case 'C':
            rc = put_char(out, &sp, (unsigned)va_arg(*ap, int), takes_wide(&sp, wide_strings));
            break;
        case 'p':
            rc = put_pointer(out, &sp, (uintptr_t)va_arg(*ap, void *));
            break;
        default:
            rc = !is_integer(sp.conv) ? put_real(out, &sp, ap)
                 : sp.size == 8       ? put_integer(out, &sp, (uint64_t)va_arg(*ap, long long))
                                      : put_integer(out, &sp, (uint32_t)va_arg(*ap, int));
            break;
        }
        if (rc != 0)
            return -1;
    }
    return out->failed ? -1 : 0;
}

int fs_crt_format_value(struct fs_writer *out, const char *spec, uintptr_t value, int wide_strings)
{
    size_t i = 0;
    struct spec sp;
    if (parse_spec(spec, 0, &i, &sp, NULL) != 0 || spec[i])
        return -1;
    int rc;
    switch (sp.conv) {
    case 's': case 'S': rc = put_string(out, &sp, (const void *)value, takes_wide(&sp, wide_strings)); break;
    case 'c': case 'C': rc = put_char(out, &sp, (unsigned)value, takes_wide(&sp, wide_strings)); break;
    case 'p': rc = put_pointer(out, &sp, value); break;
    default:
        if (!is_integer(sp.conv))
            return -1; /* '%', or a floating-point conversion: no value of a pointer's size is one */
        rc = put_integer(out, &sp, sp.size == 8 ? (uint64_t)value : (uint32_t)value);
        break;
    }
    return rc != 0 || out->failed ? -1 : 0;
}

uint16_t *fs_crt_widen(const struct fs_writer *out, size_t *units)
{
    size_t need = 0;
    const char *text = out->data ? (const char *)out->data : "";
    (void)fs_utf8_to_utf16(text, out->len, NULL, 0, &need, 0);
    uint16_t *w = fs_malloc((need + 1) * sizeof *w);
    if (!w)
        return NULL;
    (void)fs_utf8_to_utf16(text, out->len, w, need + 1, &need, 0);
    w[need] = 0;
    *units = need;
    return w;
}
