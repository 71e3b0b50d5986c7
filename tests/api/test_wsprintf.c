/* wsprintfA/W and wvsprintfA/W: user32's printf rules, not the C runtime's (doc/semantics.md §38). */
#include "testutil.h"

static int call_wvsprintfA(char *out, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = wvsprintfA(out, format, ap);
    va_end(ap);
    return n;
}

static int call_wvsprintfW(WCHAR *out, const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = wvsprintfW(out, format, ap);
    va_end(ap);
    return n;
}

/* The W result as UTF-8, for readable comparisons. */
static const char *narrow(const WCHAR *w)
{
    static char text[4096];
    ck_assert_int_gt(WideCharToMultiByte(CP_UTF8, 0, w, -1, text, sizeof text, NULL, NULL), 0);
    return text;
}

START_TEST(numbers_follow_windows_rules)
{
    static const struct {
        const char *format;
        long long value;
        const char *want;
    } cases[] = {
        {"%010ld", -1, "-000000001"},     /* Wine's test: the sign before the zeros */
        {"%d", -12345, "-12345"},
        {"%u", -1, "4294967295"},         /* 32 bits without I64 */
        {"%x", 0xBEEF, "beef"},
        {"%X", 0xBEEF, "BEEF"},
        {"%#x", 255, "0xff"},
        {"%#X", 255, "0XFF"},
        {"%5d|", 42, "   42|"},
        {"%-5d|", 42, "42   |"},
        {"%.4d", 7, "0007"},
        {"%I64X", 0x123450067890ALL, "123450067890A"},
        {"%I32X", 0x123450067890ALL, "67890A"},
        {"%I64d", 543210000000LL, "543210000000"},
        {"%I64u", -123, "18446744073709551493"},
        {"%Id", -12345, "-12345"},
        {"%Ix", -0x12345, "fffffffffffedcbb"},
        {"%p", -0x12345, "FFFFFFFFFFFEDCBB"},
        {"%p", 0x1234, "0000000000001234"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[64];
        int n = wsprintfA(a, cases[i].format, cases[i].value);
        ck_assert_msg(!strcmp(a, cases[i].want), "%s: got \"%s\", want \"%s\"", cases[i].format, a, cases[i].want);
        ck_assert_int_eq(n, (int)strlen(cases[i].want));
    }
}
END_TEST

START_TEST(s_is_the_calls_width_and_capital_s_the_other)
{
    char a[64];
    ck_assert_int_eq(wsprintfA(a, "%s\\%S", "EXAMPLE", u"alice"), 13);
    ck_assert_str_eq(a, "EXAMPLE\\alice");
    ck_assert_int_eq(wsprintfA(a, "%hs %ls %ws %hS", "a", u"b", u"c", "d"), 7);
    ck_assert_str_eq(a, "a b c d");
    WCHAR w[64];
    ck_assert_int_eq(wsprintfW(w, u"%s\\%S", u"EXAMPLE", "alice"), 13);
    ck_assert_str_eq(narrow(w), "EXAMPLE\\alice");
    ck_assert_int_eq(wsprintfW(w, u"%hs %ls %ws %lS", "a", u"b", u"c", u"d"), 7);
    ck_assert_str_eq(narrow(w), "a b c d");
    ck_assert_int_eq(wsprintfW(w, u"%c%C%hc", u'x', 'y', 'z'), 3);
    ck_assert_str_eq(narrow(w), "xyz");
    ck_assert_int_eq(wsprintfA(a, "%c%C%lc", 'x', u'y', u'z'), 3);
    ck_assert_str_eq(a, "xyz");
}
END_TEST

START_TEST(strings_convert_between_utf8_and_utf16)
{
    char a[64];
    ck_assert_int_eq(wsprintfA(a, "%S", u"caf\u00e9"), 5);
    ck_assert_str_eq(a, "caf\xc3\xa9");
    WCHAR w[64];
    ck_assert_int_eq(wsprintfW(w, u"%S", "caf\xc3\xa9"), 4);
    ck_assert(!memcmp(w, u"caf\u00e9", 10));
    /* A character of the other width is converted as a one-character string would be. */
    ck_assert_int_eq(wsprintfA(a, "%C!", u'\u00e9'), 3);
    ck_assert_str_eq(a, "\xc3\xa9!");
    ck_assert_int_eq(wsprintfW(w, u"%hc%hc", 'o', 0xe9), 2);
    ck_assert_uint_eq(w[0], u'o');
    ck_assert_uint_eq(w[1], 0xFFFD); /* a lone byte past ASCII is no UTF-8 character */
    /* A precision bounds what is read: an array of three characters with no NUL (ASan and valgrind watch). */
    char *abc = malloc(3);
    memcpy(abc, "abc", 3);
    ck_assert_int_eq(wsprintfA(a, "[%.3s]", abc), 5);
    ck_assert_str_eq(a, "[abc]");
    ck_assert_int_eq(wsprintfW(w, u"[%.3S]", abc), 5);
    ck_assert_str_eq(narrow(w), "[abc]");
    free(abc);
    WCHAR *xyz = malloc(3 * sizeof *xyz);
    memcpy(xyz, u"xyz", 3 * sizeof *xyz);
    ck_assert_int_eq(wsprintfA(a, "[%.3S]", xyz), 5);
    ck_assert_str_eq(a, "[xyz]");
    free(xyz);
}
END_TEST

START_TEST(precision_cuts_strings_and_null_prints_null)
{
    char a[64];
    ck_assert_int_eq(wsprintfA(a, "[%.3s]", "alice"), 5);
    ck_assert_str_eq(a, "[ali]");
    ck_assert_int_eq(wsprintfA(a, "[%-7s][%7s]", "bob", "bob"), 18);
    ck_assert_str_eq(a, "[bob    ][    bob]");
    ck_assert_int_eq(wsprintfA(a, "%s", (const char *)NULL), 6);
    ck_assert_str_eq(a, "(null)");
    WCHAR w[16];
    ck_assert_int_eq(wsprintfW(w, u"%s", (const WCHAR *)NULL), 6);
    ck_assert_str_eq(narrow(w), "(null)");
}
END_TEST

START_TEST(percent_signs_and_unknown_types_are_text)
{
    char a[64];
    ck_assert_int_eq(wsprintfA(a, "100%%"), 4);
    ck_assert_str_eq(a, "100%");
    ck_assert_int_eq(wsprintfA(a, "%5z%d", 3), 2); /* no floating point, no z: the letter is text */
    ck_assert_str_eq(a, "z3");
    ck_assert_int_eq(wsprintfA(a, "%f", 1.5), 1);
    ck_assert_str_eq(a, "f");
    ck_assert_int_eq(wsprintfA(a, "end%"), 3);
    ck_assert_str_eq(a, "end");
}
END_TEST

START_TEST(output_stops_at_1023_characters)
{
    char longer[1500];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    static char a[1100];
    memset(a, 'z', sizeof a);
    ck_assert_int_eq(wsprintfA(a, "%s", longer), 1023);
    ck_assert_int_eq(a[1022], 'a');
    ck_assert_int_eq(a[1023], '\0');
    ck_assert_int_eq(a[1024], 'z');
    static WCHAR w[1100];
    static WCHAR wlonger[1500];
    for (size_t i = 0; i < 1499; i++)
        wlonger[i] = u'b';
    ck_assert_int_eq(wsprintfW(w, u"x%s", wlonger), 1023);
    ck_assert_int_eq(w[1023], 0);
    ck_assert_int_eq(wsprintfW(w, u"%S", longer), 1023);
    ck_assert_int_eq(w[1022], u'a');
}
END_TEST

START_TEST(the_va_list_forms_format_the_same)
{
    char a[32];
    ck_assert_int_eq(call_wvsprintfA(a, "%s=%d", "n", 5), 3);
    ck_assert_str_eq(a, "n=5");
    WCHAR w[32];
    ck_assert_int_eq(call_wvsprintfW(w, u"%s=%#x", u"n", 16), 6);
    ck_assert_str_eq(narrow(w), "n=0x10");
    TCHAR t[32];
    ck_assert_int_eq(wsprintf(t, TEXT("%d"), 12), 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/wsprintf");
    TCase *tc = test_case("wsprintf");
    tcase_add_test(tc, numbers_follow_windows_rules);
    tcase_add_test(tc, s_is_the_calls_width_and_capital_s_the_other);
    tcase_add_test(tc, strings_convert_between_utf8_and_utf16);
    tcase_add_test(tc, precision_cuts_strings_and_null_prints_null);
    tcase_add_test(tc, percent_signs_and_unknown_types_are_text);
    tcase_add_test(tc, output_stops_at_1023_characters);
    tcase_add_test(tc, the_va_list_forms_format_the_same);
    suite_add_tcase(s, tc);
    return test_run(s);
}
