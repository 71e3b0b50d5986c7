/* The Microsoft C runtime's extras (fakesspi_crt.h) and the 16-bit wide runtime (fakesspi_wchar16.h):
 * Windows' results, truncations and invalid-parameter calls. Built without -fshort-wchar, so the wide
 * functions are called by their fakesspi_ names on u"" strings; tests/porting/ calls them by the C
 * library's names under -fshort-wchar. */
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <tchar.h>

#include "testutil.h"

static int handler_calls;
static void count_handler(const wchar_t *e, const wchar_t *f, const wchar_t *file, unsigned line, uintptr_t r)
{
    (void)e, (void)f, (void)file, (void)line, (void)r;
    handler_calls++;
}

static void crt_setup(void)
{
    handler_calls = 0;
    _set_invalid_parameter_handler(count_handler);
}

static void crt_teardown(void)
{
    _set_invalid_parameter_handler(NULL);
}

START_TEST(strcpy_s_copies_or_empties_the_destination_and_calls_the_handler)
{
    char dst[6];
    ck_assert_int_eq(strcpy_s(dst, sizeof dst, "alice"), 0);
    ck_assert_str_eq(dst, "alice");
    ck_assert_int_eq(handler_calls, 0);
    ck_assert_int_eq(strcpy_s(dst, sizeof dst, "EXAMPLE"), ERANGE);
    ck_assert_str_eq(dst, "");
    ck_assert_int_eq(errno, ERANGE);
    ck_assert_int_eq(handler_calls, 1);
    ck_assert_int_eq(strcpy_s(dst, sizeof dst, NULL), EINVAL);
    ck_assert_int_eq(strcpy_s(NULL, 4, "a"), EINVAL);
    ck_assert_int_eq(handler_calls, 3);
}
END_TEST

START_TEST(strncpy_s_with_truncate_cuts_and_says_struncate)
{
    char dst[4];
    ck_assert_int_eq(strncpy_s(dst, sizeof dst, "abcdef", _TRUNCATE), STRUNCATE);
    ck_assert_str_eq(dst, "abc");
    ck_assert_int_eq(strncpy_s(dst, sizeof dst, "abcdef", 2), 0);
    ck_assert_str_eq(dst, "ab");
    ck_assert_int_eq(strncpy_s(dst, sizeof dst, "abcdef", 4), ERANGE);
    ck_assert_str_eq(dst, "");
    ck_assert_int_eq(handler_calls, 1);
    ck_assert_int_eq(strncpy_s(NULL, 0, NULL, 0), 0);
}
END_TEST

START_TEST(strcat_s_appends_or_empties_the_destination)
{
    char dst[12] = "EXAMPLE";
    ck_assert_int_eq(strcat_s(dst, sizeof dst, "\\bob"), 0);
    ck_assert_str_eq(dst, "EXAMPLE\\bob");
    ck_assert_int_eq(strcat_s(dst, sizeof dst, "x"), ERANGE);
    ck_assert_str_eq(dst, "");
    ck_assert_int_eq(handler_calls, 1);
}
END_TEST

START_TEST(sprintf_s_refuses_text_that_does_not_fit)
{
    char buf[8];
    ck_assert_int_eq(sprintf_s(buf, sizeof buf, "%s-%d", "ab", 12), 5);
    ck_assert_str_eq(buf, "ab-12");
    ck_assert_int_eq(sprintf_s(buf, sizeof buf, "%s", "too long!"), -1);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(handler_calls, 1);
}
END_TEST

START_TEST(snprintf_of_windows_leaves_a_full_buffer_unterminated)
{
    char buf[6];
    memset(buf, '#', sizeof buf);
    ck_assert_int_eq(_snprintf(buf, 5, "%s", "abcde"), 5);
    ck_assert(!memcmp(buf, "abcde#", 6)); /* exactly full: no NUL */
    ck_assert_int_eq(_snprintf(buf, 5, "%s", "abcdefg"), -1);
    ck_assert(!memcmp(buf, "abcde#", 6));
    ck_assert_int_eq(_snprintf(buf, 5, "%d", 42), 2);
    ck_assert_str_eq(buf, "42");
    ck_assert_int_eq(_snprintf_s(buf, sizeof buf, _TRUNCATE, "%s", "abcdefg"), -1);
    ck_assert_str_eq(buf, "abcde");
    ck_assert_int_eq(_scprintf("%s%d", "abc", 100), 6);
    ck_assert_int_eq(handler_calls, 0);
}
END_TEST

START_TEST(stricmp_compares_ascii_case_insensitively_as_lower_case)
{
    ck_assert_int_eq(_stricmp("NEGOTIATE", "negotiate"), 0);
    ck_assert_int_lt(_stricmp("_", "A"), 0); /* 'a' is above '_', as Windows lower-cases */
    ck_assert_int_eq(_strnicmp("Kerberos-x", "KERBEROS-y", 8), 0);
    int (*compare)(const char *, const char *) = _stricmp; /* the address can be taken */
    ck_assert_int_gt(compare("b", "A"), 0);
    char *copy = _strdup("Mixed");
    ck_assert_str_eq(_strupr(copy), "MIXED");
    free(copy);
    char names[3][8];
    ck_assert_uint_eq(_countof(names), 3);
}
END_TEST

START_TEST(wide_functions_read_16_bit_units)
{
    const WCHAR *name = u"EXAMPLE\\alice";
    ck_assert_uint_eq(fakesspi_wcslen(name), 13);
    const WCHAR *slash = fakesspi_wcschr(name, u'\\');
    ck_assert_ptr_nonnull(slash);
    ck_assert_int_eq(slash - name, 7);
    const WCHAR *path = u"a\\b\\c";
    ck_assert_int_eq(fakesspi_wcsrchr(path, u'\\') - path, 3);
    ck_assert_int_eq(fakesspi_wcscmp(u"abc", u"abd"), -1);
    ck_assert_int_eq(_wcsicmp(u"NTLM", u"ntlm"), 0);
    WCHAR buf[8];
    ck_assert_int_eq(wcscpy_s(buf, _countof(buf), u"alice"), 0);
    ck_assert(!memcmp(buf, u"alice", 12));
    ck_assert_int_eq(wcscat_s(buf, _countof(buf), u"xyz"), ERANGE);
    ck_assert_uint_eq(buf[0], 0);
    WCHAR list[] = u"NTLM,Kerberos,,Negotiate";
    WCHAR *state = NULL;
    WCHAR *first = fakesspi_wcstok(list, u",", &state);
    WCHAR *second = fakesspi_wcstok(NULL, u",", &state);
    WCHAR *third = fakesspi_wcstok(NULL, u",", &state);
    ck_assert(!memcmp(first, u"NTLM", 10) && !memcmp(second, u"Kerberos", 18) && !memcmp(third, u"Negotiate", 20));
    ck_assert_ptr_null(fakesspi_wcstok(NULL, u",", &state));
    ck_assert_int_eq(fakesspi_wcstol(u"  -42x", NULL, 10), -42);
    ck_assert_int_eq(_wtoi(u"1104"), 1104);
    char narrow[16];
    ck_assert_uint_eq(fakesspi_wcstombs(narrow, u"caf\u00e9", sizeof narrow), 5);
    ck_assert_str_eq(narrow, "caf\xc3\xa9");
    ck_assert_uint_eq(fakesspi_mbstowcs(buf, "caf\xc3\xa9", _countof(buf)), 4);
    ck_assert(!memcmp(buf, u"caf\u00e9", 10));
}
END_TEST

START_TEST(wide_printf_gives_s_the_wide_meaning_and_l_32_bits)
{
    WCHAR buf[64];
    DWORD rid = 1104;
    ck_assert_int_eq(fakesspi_swprintf(buf, _countof(buf), u"%s\\%S: %lu %I64d %c%C", u"EXAMPLE", "bob", rid,
                                       (long long)-5000000000, u'!', '?'),
                     32);
    ck_assert(!memcmp(buf, u"EXAMPLE\\bob: 1104 -5000000000 !?", 33 * 2));
    ck_assert_int_eq(fakesspi_swprintf(buf, _countof(buf), u"[%5s|%-3hs|%.2ls]", u"ab", "c", u"xyz"), 14);
    ck_assert(!memcmp(buf, u"[   ab|c  |xy]", 15 * 2));
    ck_assert_int_eq(fakesspi_swprintf(buf, _countof(buf), u"%s %08x", (WCHAR *)NULL, 0xbeefu), 15);
    ck_assert(!memcmp(buf, u"(null) 0000beef", 16 * 2));
    ck_assert_int_eq(fakesspi_swprintf(buf, _countof(buf), u"%p", (void *)0x1234), 16);
    ck_assert(!memcmp(buf, u"0000000000001234", 17 * 2));
    ck_assert_int_eq(fakesspi_swprintf(buf, 4, u"%s", u"abcdef"), -1);
    ck_assert(!memcmp(buf, u"abc", 8)); /* cut and terminated */
}
END_TEST

START_TEST(wide_printf_extras_truncate_as_windows_does)
{
    WCHAR buf[6];
    ck_assert_int_eq(_snwprintf(buf, 3, u"%d", 12345), -1);
    ck_assert(!memcmp(buf, u"123", 6));
    ck_assert_int_eq(swprintf_s(buf, _countof(buf), u"%s", u"toolong"), -1);
    ck_assert_uint_eq(buf[0], 0);
    ck_assert_int_eq(handler_calls, 1);
    ck_assert_int_eq(_snwprintf_s(buf, _countof(buf), _TRUNCATE, u"%s", u"toolong"), -1);
    ck_assert(!memcmp(buf, u"toolo", 12));
    ck_assert_int_eq(_scwprintf(u"%s=%d", u"ab", 7), 4);
}
END_TEST

START_TEST(the_default_handler_ends_the_process)
{
    _set_invalid_parameter_handler(NULL);
    char dst[2];
    strcpy_s(dst, sizeof dst, "too long");
}
END_TEST

START_TEST(tchar_names_follow_unicode)
{
    /* This file is built without UNICODE: the generic names are the narrow functions. */
    _TCHAR buf[16];
    ck_assert_int_eq(_tcscpy_s(buf, _countof(buf), _T("alice")), 0);
    ck_assert_uint_eq(_tcslen(buf), 5);
    ck_assert_int_eq(_tcsicmp(buf, _T("ALICE")), 0);
    ck_assert_int_eq(_stprintf_s(buf, _countof(buf), _T("%s:%d"), _T("x"), 1), 3);
    ck_assert_int_eq(_ttoi(_T("77")), 77);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/crt");
    TCase *tc = test_case("crt");
    tcase_add_checked_fixture(tc, crt_setup, crt_teardown);
    tcase_add_test(tc, strcpy_s_copies_or_empties_the_destination_and_calls_the_handler);
    tcase_add_test(tc, strncpy_s_with_truncate_cuts_and_says_struncate);
    tcase_add_test(tc, strcat_s_appends_or_empties_the_destination);
    tcase_add_test(tc, sprintf_s_refuses_text_that_does_not_fit);
    tcase_add_test(tc, snprintf_of_windows_leaves_a_full_buffer_unterminated);
    tcase_add_test(tc, stricmp_compares_ascii_case_insensitively_as_lower_case);
    tcase_add_test(tc, wide_functions_read_16_bit_units);
    tcase_add_test(tc, wide_printf_gives_s_the_wide_meaning_and_l_32_bits);
    tcase_add_test(tc, wide_printf_extras_truncate_as_windows_does);
    tcase_add_test_raise_signal(tc, the_default_handler_ends_the_process, SIGABRT);
    tcase_add_test(tc, tchar_names_follow_unicode);
    suite_add_tcase(s, tc);
    return test_run(s);
}
