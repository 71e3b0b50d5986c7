/* The LSA suites' wide strings: counted UNICODE_STRINGs over u"" literals, and their text back as ASCII. */
#ifndef LSA_TEST_STRINGS_H
#define LSA_TEST_STRINGS_H

#include "testutil.h"

#include "ntsecapi.h"

__attribute__((unused)) static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

__attribute__((unused)) static LSA_UNICODE_STRING lsa_wide(const WCHAR *text)
{
    LSA_UNICODE_STRING s = {(USHORT)(wlen(text) * 2), (USHORT)(wlen(text) * 2 + 2), (PWSTR)text};
    return s;
}

/* A UNICODE_STRING's text as UTF-8 (ASCII here), checked to be NUL-terminated with MaximumLength counting it, as
 * the LSA's answers are. Eight results stay valid at once. */
__attribute__((unused)) static const char *narrow(const UNICODE_STRING *s)
{
    static char text[8][256];
    static int next;
    char *out = text[next++ % 8];
    ck_assert_ptr_nonnull(s->Buffer);
    ck_assert_uint_eq(s->MaximumLength, s->Length + 2);
    ck_assert_uint_eq(s->Buffer[s->Length / 2], 0);
    size_t n = s->Length / 2;
    for (size_t i = 0; i < n && i < 255; i++)
        out[i] = (char)s->Buffer[i];
    out[n < 255 ? n : 255] = '\0';
    return out;
}

#endif
