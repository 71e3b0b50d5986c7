/* fakesspi/check.h as a user's test suite sees it: a clean test passes, a leak or an unexpected
 * misuse fails the test with the report in the message, and declared misuse is allowed. */
#define SECURITY_WIN32
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi/check.h"
#include "security.h"

START_TEST(clean)
{
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(CloseHandle(h));
    ck_assert_sec_status(QuerySecurityPackageInfoA("nope", NULL), SEC_E_SECPKG_NOT_FOUND);
}
END_TEST

START_TEST(leaks_a_token)
{
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
}
END_TEST

START_TEST(leaks_a_context_buffer)
{
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
}
END_TEST

START_TEST(double_close_unexpected)
{
    HANDLE h;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    CloseHandle(h);
    CloseHandle(h);
}
END_TEST

START_TEST(double_close_expected)
{
    fakesspi_ck_expect_misuse(FAKESSPI_MISUSE_DOUBLE_CLOSE, 1);
    HANDLE h;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    CloseHandle(h);
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(wrong_status_names_both)
{
    ck_assert_sec_status(SEC_E_LOGON_DENIED, SEC_E_OK);
}
END_TEST

/* Runs the user-style suite and returns the message of the named test's failure ("" if it passed). */
static void run_user_suite(char messages[6][1024], int *failed)
{
    Suite *s = suite_create("user");
    TCase *tc = tcase_create("user");
    fakesspi_ck_fixture(tc);
    tcase_add_test(tc, clean);
    tcase_add_test(tc, leaks_a_token);
    tcase_add_test(tc, leaks_a_context_buffer);
    tcase_add_test(tc, double_close_unexpected);
    tcase_add_test(tc, double_close_expected);
    tcase_add_test(tc, wrong_status_names_both);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_SILENT);
    *failed = srunner_ntests_failed(sr);
    TestResult **results = srunner_results(sr);
    for (int i = 0; i < srunner_ntests_run(sr) && i < 6; i++)
        snprintf(messages[i], 1024, "%s", tr_rtype(results[i]) == CK_PASS ? "" : tr_msg(results[i]));
    free(results);
    srunner_free(sr);
}

START_TEST(the_fixture_fails_exactly_the_unclean_tests)
{
    char messages[6][1024] = {{0}};
    int failed;
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    run_user_suite(messages, &failed);
    ck_assert_int_eq(failed, 4);
    ck_assert_str_eq(messages[0], "");
    ck_assert_msg(strstr(messages[1], "token handle") && strstr(messages[1], "handed out by OpenProcessToken"),
                  "%s", messages[1]);
    ck_assert_msg(strstr(messages[2], "never freed with FreeContextBuffer"), "%s", messages[2]);
    ck_assert_msg(strstr(messages[3], "MISUSE DOUBLE_CLOSE"), "%s", messages[3]);
    ck_assert_str_eq(messages[4], "");
    ck_assert_msg(strstr(messages[5], "SEC_E_LOGON_DENIED") && strstr(messages[5], "expected SEC_E_OK"), "%s",
                  messages[5]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/check-helpers");
    TCase *tc = tcase_create("helpers");
    tcase_add_test(tc, the_fixture_fails_exactly_the_unclean_tests);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
