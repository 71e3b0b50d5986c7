/* FormatMessage: Windows' English text for every code the headers define, checked against a table of
 * Windows' strings (tests/data/windows-messages), and the flags, inserts and errors around it. */
#include <stdarg.h>

#include "testutil.h"
#include "security.h"
#include "winsock2.h"
#include "wincrypt.h"

#define SYSTEM_FLAGS (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS)

START_TEST(every_code_gets_windows_english_text)
{
    FILE *f = fopen(TEST_DATA_DIR "/windows-messages/messages.tsv", "r");
    ck_assert_ptr_nonnull(f);
    char line[2048];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        char name[128], expected[1600];
        unsigned value;
        ck_assert_int_eq(sscanf(line, "%127[^\t]\t%x\t%1599[^\n]", name, &value, expected), 3);
        /* "\r\n" in the table is a line break of the message. */
        char want[1600];
        size_t k = 0;
        for (const char *p = expected; *p; p++) {
            if (p[0] == '\\' && p[1] == 'r' && p[2] == '\\' && p[3] == 'n') {
                want[k++] = '\r', want[k++] = '\n', p += 3;
            } else {
                want[k++] = *p;
            }
        }
        want[k] = 0;
        strcat(want, "\r\n");
        char got[1600];
        memset(got, 0x55, sizeof got);
        DWORD n = FormatMessageA(SYSTEM_FLAGS, NULL, value, 0, got, sizeof got, NULL);
        ck_assert_msg(n == strlen(want) && !strcmp(got, want), "%s (0x%08X): got \"%s\", expected \"%s\"", name, value,
                      n ? got : "(nothing)", want);
        WCHAR wide[1600];
        ck_assert_uint_eq(FormatMessageW(SYSTEM_FLAGS, NULL, value, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), wide,
                                         _countof(wide), NULL),
                          n);
        for (DWORD i = 0; i <= n; i++)
            ck_assert_uint_eq(wide[i], (WCHAR)(unsigned char)want[i]);
        checked++;
    }
    fclose(f);
    ck_assert_int_ge(checked, 450);
}
END_TEST

START_TEST(the_codes_ported_programs_print_most)
{
    char buf[256];
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, SEC_E_LOGON_DENIED, 0, buf, sizeof buf, NULL), 0);
    ck_assert_str_eq(buf, "The logon attempt failed\r\n");
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, ERROR_ACCESS_DENIED, 0, buf, sizeof buf, NULL), 0);
    ck_assert_str_eq(buf, "Access is denied.\r\n");
    /* HRESULT_FROM_WIN32 codes read as the Win32 error. */
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, (DWORD)E_ACCESSDENIED, 0, buf, sizeof buf, NULL), 0);
    ck_assert_str_eq(buf, "Access is denied.\r\n");
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, (DWORD)E_FAIL, 0, buf, sizeof buf, NULL), 0);
    ck_assert_str_eq(buf, "Unspecified error\r\n");
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, WSAECONNREFUSED, 0, buf, sizeof buf, NULL), 0);
    ck_assert_str_eq(buf, "No connection could be made because the target machine actively refused it.\r\n");
}
END_TEST

START_TEST(allocate_buffer_hands_out_local_memory)
{
    LPSTR text = (LPSTR)0xdeadbeef;
    DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | SYSTEM_FLAGS, NULL, SEC_E_INVALID_TOKEN,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPSTR)&text, 0, NULL);
    ck_assert_uint_eq(n, strlen("The token supplied to the function is invalid\r\n"));
    ck_assert_str_eq(text, "The token supplied to the function is invalid\r\n");
    ck_assert_ptr_null(LocalFree(text));
    LPWSTR wide = NULL;
    ck_assert_uint_gt(FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | SYSTEM_FLAGS, NULL, ERROR_SUCCESS, 0,
                                     (LPWSTR)&wide, 0, NULL),
                      0);
    ck_assert(!memcmp(wide, u"The operation completed successfully.\r\n", 40 * 2));
    ck_assert_ptr_null(LocalFree(wide));
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(unknown_codes_and_languages_fail_as_on_windows)
{
    char buf[64] = "sentinel";
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(FormatMessageA(SYSTEM_FLAGS, NULL, 0x12345678, 0, buf, sizeof buf, NULL), 0);
    ck_assert_last_error(ERROR_MR_MID_NOT_FOUND);
    ck_assert_str_eq(buf, "sentinel");
    ck_assert_uint_eq(FormatMessageA(SYSTEM_FLAGS, NULL, ERROR_ACCESS_DENIED, MAKELANGID(LANG_GERMAN, SUBLANG_DEFAULT),
                                     buf, sizeof buf, NULL),
                      0);
    ck_assert_last_error(ERROR_RESOURCE_LANG_NOT_FOUND);
    ck_assert_uint_eq(FormatMessageA(SYSTEM_FLAGS, NULL, ERROR_ACCESS_DENIED, 0, buf, 5, NULL), 0);
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
}
END_TEST

START_TEST(the_width_mask_turns_the_line_break_into_a_space)
{
    char buf[64];
    ck_assert_uint_eq(FormatMessageA(SYSTEM_FLAGS | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, ERROR_ACCESS_DENIED, 0, buf,
                                     sizeof buf, NULL),
                      18);
    ck_assert_str_eq(buf, "Access is denied. ");
}
END_TEST

static DWORD format_va(char *buf, DWORD size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, buf, size, &ap);
    va_end(ap);
    return n;
}

START_TEST(inserts_and_escapes_from_a_string)
{
    char buf[128];
    ck_assert_uint_eq(format_va(buf, sizeof buf, "%2 logged on to %1%n%3!08x! 100%% done%0 unseen", "EXAMPLE", "alice",
                                0xbeef),
                      46);
    ck_assert_str_eq(buf, "alice logged on to EXAMPLE\r\n0000beef 100% done");
    DWORD_PTR args[] = { (DWORD_PTR) "bob", 42 };
    ck_assert_uint_eq(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1 has %2!u! groups",
                                     0, 0, buf, sizeof buf, (va_list *)args),
                      17);
    ck_assert_str_eq(buf, "bob has 42 groups");
    /* ERROR_MR_MID_NOT_FOUND's own text carries inserts: IGNORE_INSERTS leaves them. */
    ck_assert_uint_gt(FormatMessageA(SYSTEM_FLAGS, NULL, ERROR_MR_MID_NOT_FOUND, 0, buf, sizeof buf, NULL), 0);
    ck_assert_ptr_nonnull(strstr(buf, "number 0x%1 in the message file for %2."));
}
END_TEST

START_TEST(an_insert_format_is_the_c_runtime_conversion)
{
    char buf[64];
    DWORD_PTR args[] = {(DWORD_PTR) "ab", (DWORD_PTR)(INT_PTR)-3, (DWORD_PTR)0x123456789aull, 'Z'};
    ck_assert_uint_eq(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                     "%1!-6s!|%2!5d!|%3!I64x!|%3!x!|%4!c!|%2!lu!", 0, 0, buf, sizeof buf, (va_list *)args),
                      45);
    ck_assert_str_eq(buf, "ab    |   -3|123456789a|3456789a|Z|4294967293");
    WCHAR wbuf[32];
    DWORD_PTR mixed[] = {(DWORD_PTR) "narrow", (DWORD_PTR)u"wide"};
    ck_assert_uint_eq(FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, u"%1!S! %2!.3s!", 0,
                                     0, wbuf, 32, (va_list *)mixed),
                      10);
    ck_assert(!memcmp(wbuf, u"narrow wid", 11 * sizeof(WCHAR)));
    static const char *const refused[] = {"%1!f!", "%1!*d!", "%1!d", "%1!dd!"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        SetLastError(0xdeadbeef);
        ck_assert_uint_eq(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, refused[i], 0, 0,
                                         buf, sizeof buf, (va_list *)args),
                          0);
        ck_assert_msg(GetLastError() == ERROR_INVALID_PARAMETER, "%s: %lu", refused[i], (unsigned long)GetLastError());
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/formatmessage");
    TCase *tc = test_case("formatmessage");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, every_code_gets_windows_english_text);
    tcase_add_test(tc, the_codes_ported_programs_print_most);
    tcase_add_test(tc, allocate_buffer_hands_out_local_memory);
    tcase_add_test(tc, unknown_codes_and_languages_fail_as_on_windows);
    tcase_add_test(tc, the_width_mask_turns_the_line_break_into_a_space);
    tcase_add_test(tc, inserts_and_escapes_from_a_string);
    tcase_add_test(tc, an_insert_format_is_the_c_runtime_conversion);
    suite_add_tcase(s, tc);
    return test_run(s);
}
