/* UTF-8 <-> UTF-16 conversion, strict and lenient. */
#include "testutil.h"
#include "core/utf.h"

START_TEST(round_trips_every_plane)
{
    const char *text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"; /* a, e-acute, euro, emoji */
    uint16_t wide[16];
    size_t n;
    ck_assert_int_eq(fs_utf8_to_utf16(text, strlen(text), wide, 16, &n, 1), FS_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(wide[0], 'a');
    ck_assert_uint_eq(wide[1], 0xE9);
    ck_assert_uint_eq(wide[2], 0x20AC);
    ck_assert_uint_eq(wide[3], 0xD83D);
    ck_assert_uint_eq(wide[4], 0xDE00);
    char back[32];
    ck_assert_int_eq(fs_utf16_to_utf8(wide, n, back, sizeof back, &n, 1), FS_OK);
    ck_assert_uint_eq(n, strlen(text));
    ck_assert(!memcmp(back, text, n));
}
END_TEST

START_TEST(invalid_input_fails_when_strict_and_is_replaced_otherwise)
{
    static const char *bad[] = {"\xff", "\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint16_t w[8];
        size_t n;
        ck_assert_int_eq(fs_utf8_to_utf16(bad[i], strlen(bad[i]), w, 8, &n, 1), FS_E_NO_UNICODE_TRANSLATION);
        ck_assert_int_eq(fs_utf8_to_utf16(bad[i], strlen(bad[i]), w, 8, &n, 0), FS_OK);
    }
    uint16_t lone[] = {0xD800, 'x'};
    char out[8];
    size_t n;
    ck_assert_int_eq(fs_utf16_to_utf8(lone, 2, out, 8, &n, 1), FS_E_NO_UNICODE_TRANSLATION);
    ck_assert_int_eq(fs_utf16_to_utf8(lone, 2, out, 8, &n, 0), FS_OK);
    ck_assert_uint_eq(n, 4); /* U+FFFD is three bytes, then x */
}
END_TEST

START_TEST(a_short_buffer_reports_the_size_needed)
{
    uint16_t w[2];
    size_t n;
    ck_assert_int_eq(fs_utf8_to_utf16("hello", 5, w, 2, &n, 1), FS_E_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(case_folding_is_ascii)
{
    ck_assert_int_eq(fs_ascii_casecmp("EXAMPLE", "example"), 0);
    ck_assert_int_ne(fs_ascii_casecmp("alice", "alic"), 0);
    const uint16_t a[] = {'A', 'b', 0}, b[] = {'a', 'B', 0};
    ck_assert_int_eq(fs_utf16_ascii_casecmp(a, b), 0);
    ck_assert_int_eq(fs_ascii_ncasecmp("SECUR32.dll", "secur32", 7), 0);
    ck_assert_int_lt(fs_ascii_ncasecmp("secur", "secur32", 7), 0); /* stops at the shorter one's NUL */
    ck_assert_int_ne(fs_ascii_ncasecmp("secur33", "SECUR32", 7), 0);
    ck_assert_int_eq(fs_ascii_ncasecmp("x", "y", 0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/utf");
    TCase *tc = test_case("utf");
    tcase_add_test(tc, round_trips_every_plane);
    tcase_add_test(tc, invalid_input_fails_when_strict_and_is_replaced_otherwise);
    tcase_add_test(tc, a_short_buffer_reports_the_size_needed);
    tcase_add_test(tc, case_folding_is_ascii);
    suite_add_tcase(s, tc);
    return test_run(s);
}
