/* The recipes of doc/testing.md, run. Each region between a recipe comment and its end is the text of the doc's
 * code block of that name, byte for byte (tests/tree/check_testing_recipes.sh compares them), so the doc cannot
 * drift from code that builds and passes. Built as a user builds: the public headers and libfakesspi only. */
#define SECURITY_WIN32
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "fakesspi.h"
#include "fakesspi/check.h"
#include "security.h"
#include "windows.h"

START_TEST(assert_statuses_and_last_errors_by_name)
{
    /* recipe: names */
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"Kerberos", &info), SEC_E_OK);
    FreeContextBuffer(info);
    HANDLE h;
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    ck_assert_last_error(ERROR_NO_TOKEN);
    /* end of recipe */
}
END_TEST

START_TEST(provoke_a_misuse_on_purpose)
{
    /* recipe: misuse */
    fakesspi_ck_expect_misuse(FAKESSPI_MISUSE_DOUBLE_CLOSE, 1);
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);   /* keep the report off stderr */
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(CloseHandle(h));
    ck_assert(!CloseHandle(h));   /* the second close: FALSE, ERROR_INVALID_HANDLE, and reported */
    ck_assert_uint_eq(fakesspi_misuse_count(FAKESSPI_MISUSE_DOUBLE_CLOSE), 1);
    /* end of recipe */
}
END_TEST

START_TEST(find_out_where_a_handle_came_from)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    /* recipe: history */
    char *history = fakesspi_handle_history((uintptr_t)token);  /* dwUpper for a CtxtHandle */
    puts(history);
    free(history);
    /* end of recipe */
    ck_assert(CloseHandle(token));
}
END_TEST

static HANDLE left_open;

static void run_the_code(void)
{
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &left_open));
}

START_TEST(what_is_still_open_since_a_snapshot)
{
    /* recipe: snapshot */
    fakesspi_snapshot before;
    fakesspi_snapshot_take(&before);
    run_the_code();
    char *report = fakesspi_check_since(&before);   /* NULL when clean */
    /* end of recipe */
    ck_assert_ptr_nonnull(report);
    ck_assert_ptr_nonnull(strstr(report, "token handle"));
    ck_assert_ptr_nonnull(strstr(report, "handed out by OpenProcessToken"));
    free(report);
    ck_assert(CloseHandle(left_open));
    ck_assert_ptr_null(fakesspi_check_since(&before));
}
END_TEST

START_TEST(pin_time)
{
    /* recipe: clock */
    fakesspi_clock_set(FAKESSPI_CLOCK_EPOCH);
    fakesspi_clock_advance(FAKESSPI_SECONDS(3600));
    ck_assert_uint_eq(fakesspi_clock_now(), FAKESSPI_CLOCK_EPOCH + FAKESSPI_SECONDS(3600));
    /* end of recipe */
}
END_TEST

START_TEST(inject_a_failure)
{
    /* recipe: faults */
    ck_assert_int_eq(fakesspi_faults("LogonUserA#1=ERROR_ACCOUNT_DISABLED"), 0);   /* Win32: FALSE + last error */
    HANDLE h;
    ck_assert(!LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_ACCOUNT_DISABLED);
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#2=SEC_E_LOGON_DENIED"), 0);   /* the 2nd call from now */
    ck_assert_int_eq(fakesspi_faults("LsaLogonUser#1=STATUS_ACCOUNT_LOCKED_OUT"), 0);   /* LSA: that NTSTATUS */
    ck_assert_int_eq(fakesspi_faults("alloc#5"), 0);       /* the 5th allocation from now */
    ck_assert_int_eq(fakesspi_faults("token#3@40"), 0);    /* byte 40 of the 3rd token, inverted */
    ck_assert_int_eq(fakesspi_faults("QuerySecurityPackageInfoA#1=0x800903FF"), 0);   /* a status by number */
    ck_assert_int_eq(fakesspi_faults("LogonUserA#1=NO_SUCH_STATUS"), -1);   /* refused, never ignored */
    puts(fakesspi_last_message());
    /* end of recipe */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recipes");
    /* recipe: fixture */
    TCase *tc = tcase_create("gate");
    fakesspi_ck_fixture(tc);   /* fakesspi_reset() before each test; fail it after on any leak or misuse */
    /* end of recipe */
    tcase_add_test(tc, assert_statuses_and_last_errors_by_name);
    tcase_add_test(tc, provoke_a_misuse_on_purpose);
    tcase_add_test(tc, find_out_where_a_handle_came_from);
    tcase_add_test(tc, what_is_still_open_since_a_snapshot);
    tcase_add_test(tc, pin_time);
    tcase_add_test(tc, inject_a_failure);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
