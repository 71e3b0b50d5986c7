/* Status and error names come from one table each (SECURITY_STATUS and NTSTATUS rows in the status table). */
#include "testutil.h"
#include "api/api.h"
#include "core/error.h"
#include "core/names.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "sspi.h"

START_TEST(statuses_are_named_by_their_windows_names)
{
    static const struct {
        LONG value;
        const char *name;
    } cases[] = {
        {SEC_E_OK, "SEC_E_OK"},
        {SEC_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED"},
        {SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE"},
        {SEC_E_LOGON_DENIED, "SEC_E_LOGON_DENIED"},
        {SEC_E_NO_IMPERSONATION, "SEC_E_NO_IMPERSONATION"},
        {SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL"},
        {SEC_I_RENEGOTIATE, "SEC_I_RENEGOTIATE"}, /* shares its low word with SEC_E_BUFFER_TOO_SMALL */
        {SEC_E_CONTEXT_EXPIRED, "SEC_E_CONTEXT_EXPIRED"},
        {SEC_I_CONTEXT_EXPIRED, "SEC_I_CONTEXT_EXPIRED"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_str_eq(fakesspi_status_name(cases[i].value), cases[i].name);
    ck_assert_ptr_null(fakesspi_status_name((LONG)0x80091234));
    ck_assert_ptr_nonnull(fs_status_meaning(SEC_E_LOGON_DENIED));
}
END_TEST

START_TEST(errors_are_named_by_their_windows_names)
{
    ck_assert_str_eq(fakesspi_error_name(ERROR_SUCCESS), "ERROR_SUCCESS");
    ck_assert_str_eq(fakesspi_error_name(ERROR_INVALID_HANDLE), "ERROR_INVALID_HANDLE");
    ck_assert_str_eq(fakesspi_error_name(ERROR_NO_TOKEN), "ERROR_NO_TOKEN");
    ck_assert_str_eq(fakesspi_error_name(1326), "ERROR_LOGON_FAILURE");
    ck_assert_ptr_null(fakesspi_error_name(999999));
    ck_assert_ptr_nonnull(fs_error_meaning(ERROR_NO_TOKEN));
}
END_TEST

/* Every internal error has a row: its own name, a meaning, and a failing Windows code both ways (the one
 * table makes the mappings, so none can fall through to a default). */
START_TEST(every_internal_error_maps_to_a_failing_windows_code)
{
    for (int e = FS_E_NOMEM; e < FS_ERR_COUNT; e++) {
        ck_assert_msg(!strncmp(fs_err_name((fs_err)e), "FS_E_", 5), "row %d is named %s", e, fs_err_name((fs_err)e));
        ck_assert_msg(fs_err_meaning((fs_err)e)[0] != '\0', "%s has no meaning", fs_err_name((fs_err)e));
        ck_assert_msg(fs_win32_error((fs_err)e) != ERROR_SUCCESS, "%s maps to ERROR_SUCCESS", fs_err_name((fs_err)e));
        ck_assert_msg(fs_sec_status((fs_err)e) < 0, "%s maps to a success status", fs_err_name((fs_err)e));
        ck_assert_msg(fs_nt_status((fs_err)e) < 0, "%s maps to a success NTSTATUS", fs_err_name((fs_err)e));
        for (int f = FS_E_NOMEM; f < e; f++)
            ck_assert_str_ne(fs_err_name((fs_err)e), fs_err_name((fs_err)f));
    }
    ck_assert_sec_status(fs_sec_status(FS_OK), SEC_E_OK);
    ck_assert_sec_status(fs_sec_status(FS_I_CONTINUE_NEEDED), SEC_I_CONTINUE_NEEDED);
    ck_assert_int_eq(fs_nt_status(FS_OK), STATUS_SUCCESS);
    ck_assert_int_eq(fs_nt_status(FS_I_SOME_NOT_MAPPED), STATUS_SOME_NOT_MAPPED); /* a success, as on Windows */
    ck_assert_int_eq(fs_nt_status(FS_E_LOGON_FAILURE), STATUS_LOGON_FAILURE);
    ck_assert_int_eq(fs_nt_status(FS_ERR_COUNT), STATUS_INTERNAL_ERROR);
    ck_assert_str_eq(fs_err_name(FS_ERR_COUNT), "FS_E_?"); /* out of range: named, not a crash */
}
END_TEST

/* Two tables pair NTSTATUS and Win32 codes: internal_errors.def's columns and LsaNtStatusToWinError's
 * (RtlNtStatusToDosError's facts). A row's NTSTATUS gives back its Win32 error, except for the Win32-only errors
 * below, which keep the nearest status. */
START_TEST(the_ntstatus_and_win32_columns_agree_with_lsa_nt_status_to_win_error)
{
    static const DWORD win32_only[] = {ERROR_BUFFER_OVERFLOW, ERROR_NON_ACCOUNT_SID, ERROR_NON_DOMAIN_SID,
                                       ERROR_INVALID_FLAGS,   ERROR_INVALID_DATA,    (DWORD)SEC_E_INTERNAL_ERROR};
    int agreed = 0;
    for (int e = FS_OK; e < FS_ERR_COUNT; e++) {
        DWORD win32 = fs_win32_error((fs_err)e);
        ULONG mapped = LsaNtStatusToWinError(fs_nt_status((fs_err)e));
        int exempt = mapped == ERROR_MR_MID_NOT_FOUND; /* a status the LSA's table does not list (SEC_E_ rows) */
        for (size_t i = 0; i < sizeof win32_only / sizeof *win32_only; i++)
            exempt |= win32 == win32_only[i];
        ck_assert_msg(mapped == win32 || exempt, "%s pairs Win32 %lu with NTSTATUS %#lx, which gives %lu",
                      fs_err_name((fs_err)e), (unsigned long)win32, (unsigned long)(ULONG)fs_nt_status((fs_err)e),
                      (unsigned long)mapped);
        agreed += mapped == win32;
    }
    ck_assert_int_gt(agreed, 20);
}
END_TEST

/* The LSA's NTSTATUS values have their own rows in the one status table: every status an LSA call can answer
 * (internal_errors.def's NTSTATUS column) is named, by name back to its value, and no NTSTATUS row takes a
 * SECURITY_STATUS's value but STATUS_SUCCESS, whose 0 stays SEC_E_OK to fakesspi_status_name. */
START_TEST(ntstatus_values_are_named_from_the_same_table)
{
    for (int e = FS_OK; e < FS_ERR_COUNT; e++) {
        NTSTATUS st = fs_nt_status((fs_err)e);
        if (fs_status_name(st)) /* an SSPI outcome keeps its SEC_E_ value (internal_errors.def) */
            continue;
        const char *name = fs_nt_status_name(st);
        ck_assert_msg(name != NULL, "%s's NTSTATUS %#lx has no name", fs_err_name((fs_err)e), (unsigned long)(ULONG)st);
        ck_assert_ptr_nonnull(fs_nt_status_meaning(st));
        int64_t back;
        ck_assert_int_eq(fs_nt_status_by_name(name, &back), 0);
        ck_assert_int_eq((NTSTATUS)back, st);
        ck_assert_str_eq(fakesspi_status_name(st), name);
    }
    static const struct {
        NTSTATUS value;
        const char *name;
    } rows[] = {
#define X(name, meaning)
#define NT(name, meaning) {name, #name},
#include "core/status_table.def"
#undef NT
#undef X
    };
    for (size_t i = 1; i < sizeof rows / sizeof *rows; i++) { /* rows[0] is STATUS_SUCCESS */
        ck_assert_msg(fs_status_name(rows[i].value) == NULL, "%s has a SECURITY_STATUS's value", rows[i].name);
        ck_assert_str_eq(fakesspi_status_name(rows[i].value), rows[i].name);
    }
    ck_assert_str_eq(fs_nt_status_name(STATUS_SUCCESS), "STATUS_SUCCESS");
    ck_assert_str_eq(fakesspi_status_name(STATUS_SUCCESS), "SEC_E_OK");
    ck_assert_str_eq(fakesspi_status_name(STATUS_NO_MEMORY), "STATUS_NO_MEMORY");
    ck_assert_str_eq(fakesspi_status_name(STATUS_ACCOUNT_LOCKED_OUT), "STATUS_ACCOUNT_LOCKED_OUT");
    ck_assert_int_eq(fs_nt_status_by_name("SEC_E_LOGON_DENIED", &(int64_t){0}), -1); /* the families stay apart */
    ck_assert_int_eq(fs_status_by_name("STATUS_LOGON_FAILURE", &(int64_t){0}), -1);
    ck_assert_ptr_null(fs_nt_status_name(SEC_E_LOGON_DENIED));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/names");
    TCase *tc = test_case("names");
    tcase_add_test(tc, statuses_are_named_by_their_windows_names);
    tcase_add_test(tc, errors_are_named_by_their_windows_names);
    tcase_add_test(tc, every_internal_error_maps_to_a_failing_windows_code);
    tcase_add_test(tc, the_ntstatus_and_win32_columns_agree_with_lsa_nt_status_to_win_error);
    tcase_add_test(tc, ntstatus_values_are_named_from_the_same_table);
    suite_add_tcase(s, tc);
    return test_run(s);
}
