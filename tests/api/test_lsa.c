/* The LSA functions of ntsecapi.h: LsaNtStatusToWinError (doc/semantics.md §38). */
#include "testutil.h"

#include "ntsecapi.h"
#include "ntstatus.h"

START_TEST(lsa_status_maps_to_windows_win32_errors)
{
    static const struct {
        NTSTATUS status;
        ULONG error;
    } cases[] = {
        {STATUS_SUCCESS, 0},
        {STATUS_ACCESS_DENIED, 5},
        {STATUS_INVALID_HANDLE, 6},
        {STATUS_NO_MEMORY, 8},
        {STATUS_INVALID_PARAMETER, 87},
        {STATUS_WRONG_PASSWORD, 86},
        {STATUS_BUFFER_TOO_SMALL, 122},
        {STATUS_MORE_ENTRIES, 234},
        {STATUS_NO_MORE_ENTRIES, 259},
        {STATUS_SOME_NOT_MAPPED, 1301},
        {STATUS_NO_SUCH_LOGON_SESSION, 1312},
        {STATUS_PRIVILEGE_NOT_HELD, 1314},
        {STATUS_NO_SUCH_USER, 1317},
        {STATUS_LOGON_FAILURE, 1326},
        {STATUS_ACCOUNT_DISABLED, 1331},
        {STATUS_NONE_MAPPED, 1332},
        {STATUS_NO_SUCH_DOMAIN, 1355},
        {STATUS_NOT_LOGON_PROCESS, 1362},
        {STATUS_NO_SUCH_PACKAGE, 1364},
        {STATUS_INVALID_LOGON_TYPE, 1367},
        {STATUS_LOGON_TYPE_NOT_GRANTED, 1385},
        {STATUS_TIME_DIFFERENCE_AT_DC, 1398},
        {STATUS_INSUFFICIENT_RESOURCES, 1450},
        {STATUS_ACCOUNT_EXPIRED, 1793},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(LsaNtStatusToWinError(cases[i].status) == cases[i].error, "0x%08x gave %u, want %u",
                      (unsigned)cases[i].status, (unsigned)LsaNtStatusToWinError(cases[i].status),
                      (unsigned)cases[i].error);
}
END_TEST

START_TEST(a_status_without_a_win32_error_is_mr_mid_not_found)
{
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(LsaNtStatusToWinError((NTSTATUS)0xC0DEC0DE), ERROR_MR_MID_NOT_FOUND);
    ck_assert_last_error(0xdeadbeef); /* the answer is the result, not the last error */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/lsa");
    TCase *tc = test_case("lsa");
    tcase_add_test(tc, lsa_status_maps_to_windows_win32_errors);
    tcase_add_test(tc, a_status_without_a_win32_error_is_mr_mid_not_found);
    suite_add_tcase(s, tc);
    return test_run(s);
}
