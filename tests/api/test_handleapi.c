/* CloseHandle and DuplicateHandle as Windows code sees them, misuse included. */
#define SECURITY_WIN32
#include "testutil.h"
#include "security.h"
#include "core/handles.h"
#include "sspi/context.h"
#include "security/identity.h"

static HANDLE process_token(DWORD access)
{
    HANDLE h = NULL;
    ck_assert(OpenProcessToken(GetCurrentProcess(), access, &h));
    return h;
}

START_TEST(close_of_an_open_handle_succeeds_once)
{
    HANDLE h = process_token(TOKEN_QUERY);
    ck_assert(CloseHandle(h));
    SetLastError(0);
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
}
END_TEST

START_TEST(closing_null_or_a_forged_value_is_invalid_handle)
{
    static const uintptr_t bad[] = {0, 0x4, 0x1234, 0x7ffffffc, 0xdead0000};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        SetLastError(0);
        ck_assert(!CloseHandle((HANDLE)bad[i]));
        ck_assert_last_error(ERROR_INVALID_HANDLE);
    }
    ck_assert_misuse(INVALID_HANDLE, sizeof bad / sizeof *bad);
}
END_TEST

START_TEST(closing_a_pseudo_handle_is_a_harmless_no_op)
{
    ck_assert(CloseHandle(GetCurrentProcess()));
    ck_assert(CloseHandle(GetCurrentThread()));
    ck_assert(CloseHandle(GetCurrentProcessToken()));
    ck_assert(CloseHandle(GetCurrentThreadToken()));
    ck_assert(CloseHandle(GetCurrentThreadEffectiveToken()));
    ck_assert(CloseHandle(INVALID_HANDLE_VALUE)); /* it is GetCurrentProcess() */
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.misuse_total, 0);
}
END_TEST

START_TEST(duplicate_makes_a_second_handle_to_the_same_token)
{
    HANDLE h = process_token(TOKEN_QUERY | TOKEN_DUPLICATE), dup = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    ck_assert_ptr_ne(dup, h);
    ck_assert(CloseHandle(h));
    TOKEN_STATISTICS st;
    DWORD n;
    ck_assert(GetTokenInformation(dup, TokenStatistics, &st, sizeof st, &n)); /* still usable */
    ck_assert(CloseHandle(dup));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
}
END_TEST

START_TEST(duplicate_with_close_source_moves_the_handle)
{
    HANDLE h = process_token(TOKEN_QUERY), dup = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert(CloseHandle(dup));
}
END_TEST

START_TEST(duplicate_grants_the_access_asked_for)
{
    HANDLE h = process_token(TOKEN_QUERY), dup = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, TOKEN_QUERY_SOURCE, FALSE, 0));
    TOKEN_STATISTICS st;
    DWORD n;
    ck_assert(!GetTokenInformation(dup, TokenStatistics, &st, sizeof st, &n));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    TOKEN_SOURCE src;
    ck_assert(GetTokenInformation(dup, TokenSource, &src, sizeof src, &n));
    CloseHandle(h);
    CloseHandle(dup);
}
END_TEST

START_TEST(duplicate_rejects_bad_arguments_as_windows_does)
{
    HANDLE h = process_token(TOKEN_QUERY), dup;
    SENTINEL(dup);
    ck_assert(!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE, 0x80));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!DuplicateHandle((HANDLE)0x1230, h, GetCurrentProcess(), &dup, 0, FALSE, 0));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert(!DuplicateHandle(GetCurrentProcess(), (HANDLE)0x5670, GetCurrentProcess(), &dup, 0, FALSE, 0));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_untouched(dup);
    CloseHandle(h);
}
END_TEST

START_TEST(protect_from_close_keeps_the_handle_open)
{
    HANDLE h = process_token(TOKEN_QUERY);
    DWORD flags = 0xff;
    ck_assert(GetHandleInformation(h, &flags));
    ck_assert_uint_eq(flags, 0);
    ck_assert(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(CLOSE_PROTECTED, 1);
    ck_assert(SetHandleInformation(h, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
    ck_assert(CloseHandle(h));
    ck_assert(!SetHandleInformation(h, 0x10, 0));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

/* A borrowed handle as SECPKG_ATTR_ACCESS_TOKEN will lend it: the owner here is a stand-in
 * for a context that keeps the token and revokes the handle when it dies. */
START_TEST(closing_a_borrowed_token_handle_returns_true_and_reports)
{
    struct fs_token *t = fs_process_token();
    uintptr_t lent;
    ck_assert_int_eq(fs_handle_lend(&t->base, TOKEN_QUERY, "QueryContextAttributesW", 0x1004, &fs_context_ops,
                                    &lent), FS_OK);
    HANDLE h = (HANDLE)lent;
    ck_assert(CloseHandle(h)); /* TRUE, as on Windows */
    ck_assert_misuse(CLOSE_BORROWED, 1);
    TOKEN_USER buf[8];
    DWORD n;
    ck_assert(GetTokenInformation(h, TokenUser, buf, sizeof buf, &n)); /* the owner's state is whole */
    fs_handle_revoke(lent, "DeleteSecurityContext");
    fs_token_unref(t);
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(OWNER_GONE, 1);
    ck_assert(!GetTokenInformation(h, TokenUser, buf, sizeof buf, &n));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(OWNER_GONE, 2);
}
END_TEST

START_TEST(a_duplicate_of_a_borrowed_handle_is_owned)
{
    struct fs_token *t = fs_process_token();
    uintptr_t lent;
    ck_assert_int_eq(fs_handle_lend(&t->base, TOKEN_QUERY, "QueryContextAttributesW", 0x1004, &fs_context_ops, &lent), FS_OK);
    HANDLE dup;
    ck_assert(DuplicateHandle(GetCurrentProcess(), (HANDLE)lent, GetCurrentProcess(), &dup, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
    fs_handle_revoke(lent, "DeleteSecurityContext");
    fs_token_unref(t);
    TOKEN_USER buf[8];
    DWORD n;
    ck_assert(GetTokenInformation(dup, TokenUser, buf, sizeof buf, &n));
    ck_assert(CloseHandle(dup));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.misuse_total, 0);
}
END_TEST

START_TEST(a_process_handle_where_a_token_is_needed_is_wrong_kind)
{
    DWORD n;
    TOKEN_USER buf[8];
    ck_assert(!GetTokenInformation(GetCurrentProcess(), TokenUser, buf, sizeof buf, &n));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    HANDLE h = process_token(TOKEN_QUERY), t;
    ck_assert(!OpenProcessToken(h, TOKEN_QUERY, &t));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 2);
    CloseHandle(h);
}
END_TEST

START_TEST(last_error_is_per_thread_and_settable)
{
    SetLastError(1234);
    ck_assert_last_error(1234);
    SetLastError(0);
    ck_assert_last_error(ERROR_SUCCESS);
}
END_TEST

/* fakesspi_reset() started the generations again: alice's stale value read bob's token. */
START_TEST(values_held_across_a_reset_never_name_new_objects)
{
    HANDLE alice[4], bob[4];
    for (int i = 0; i < 4; i++)
        ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &alice[i]));
    CredHandle before;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &before, NULL),
                     SEC_E_OK);
    fakesspi_reset(); /* drops them all, still held by the caller */
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    for (int i = 0; i < 4; i++)
        ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &bob[i]));
    CredHandle after;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &after, NULL),
                     SEC_E_OK);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            ck_assert_ptr_ne(alice[i], bob[j]);
    ck_assert_uint_ne(before.dwUpper, after.dwUpper);
    unsigned char buf[256];
    DWORD n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!GetTokenInformation(alice[0], TokenUser, buf, sizeof buf, &n));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_sec_status(FreeCredentialsHandle(&before), SEC_E_INVALID_HANDLE);
    for (int i = 0; i < 4; i++)
        ck_assert(CloseHandle(bob[i]));
    ck_assert_sec_status(FreeCredentialsHandle(&after), SEC_E_OK);
}
END_TEST

/* A reset with nothing open used to start the generations again: a value closed before it named the next object
 * (doc/semantics.md §39). */
START_TEST(a_value_closed_before_a_clean_reset_never_names_a_new_object)
{
    HANDLE first;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &first));
    ck_assert(CloseHandle(first));
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred, NULL),
                     SEC_E_OK);
    CredHandle old_cred = cred;
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
    fakesspi_reset(); /* nothing open */
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    HANDLE again;
    ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &again));
    CredHandle new_cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &new_cred,
                                               NULL),
                     SEC_E_OK);
    ck_assert_ptr_ne(first, again);
    ck_assert_uint_ne(old_cred.dwUpper, new_cred.dwUpper);
    unsigned char buf[256];
    DWORD n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!GetTokenInformation(first, TokenUser, buf, sizeof buf, &n));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(n, 0xdeadbeef);
    ck_assert_sec_status(FreeCredentialsHandle(&old_cred), SEC_E_INVALID_HANDLE);
    ck_assert(CloseHandle(again));
    ck_assert_sec_status(FreeCredentialsHandle(&new_cred), SEC_E_OK);
}
END_TEST

/* Resets after which no handle was handed out move nothing: the values go on where they were. */
START_TEST(resets_without_handles_in_between_keep_the_next_value)
{
    HANDLE h;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert(CloseHandle(h));
    fakesspi_reset();
    HANDLE once;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &once));
    ck_assert(CloseHandle(once));
    fakesspi_reset();
    fakesspi_reset();
    fakesspi_reset();
    HANDLE thrice;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &thrice));
    ck_assert_ptr_ne(once, thrice);
    ck_assert_uint_eq((uintptr_t)thrice - (uintptr_t)once, (uintptr_t)once - (uintptr_t)h);
    ck_assert(CloseHandle(thrice));
}
END_TEST

/* DeleteSecurityContext and FreeCredentialsHandle ignored dwLower, which every other call checks. */
START_TEST(a_wrong_dw_lower_deletes_nothing)
{
    CredHandle cred, wrong;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL),
                     SEC_E_OK);
    unsigned char out[4096];
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle ctx, wrong_ctx;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, "HOST/x", 0, 0, 0, NULL, 0, &ctx, &od, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    wrong = cred;
    wrong.dwLower ^= 1;
    wrong_ctx = ctx;
    wrong_ctx.dwLower ^= 1;
    ck_assert_sec_status(DeleteSecurityContext(&wrong_ctx), SEC_E_INVALID_HANDLE);
    ck_assert_sec_status(FreeCredentialsHandle(&wrong), SEC_E_INVALID_HANDLE);
    SecPkgContext_Flags flags;
    ck_assert_sec_status(QueryContextAttributesA(&ctx, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK); /* still there */
    ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/handles");
    TCase *tc = test_case("handles");
    tcase_add_test(tc, close_of_an_open_handle_succeeds_once);
    tcase_add_test(tc, values_held_across_a_reset_never_name_new_objects);
    tcase_add_test(tc, a_value_closed_before_a_clean_reset_never_names_a_new_object);
    tcase_add_test(tc, resets_without_handles_in_between_keep_the_next_value);
    tcase_add_test(tc, a_wrong_dw_lower_deletes_nothing);
    tcase_add_test(tc, closing_null_or_a_forged_value_is_invalid_handle);
    tcase_add_test(tc, closing_a_pseudo_handle_is_a_harmless_no_op);
    tcase_add_test(tc, duplicate_makes_a_second_handle_to_the_same_token);
    tcase_add_test(tc, duplicate_with_close_source_moves_the_handle);
    tcase_add_test(tc, duplicate_grants_the_access_asked_for);
    tcase_add_test(tc, duplicate_rejects_bad_arguments_as_windows_does);
    tcase_add_test(tc, protect_from_close_keeps_the_handle_open);
    tcase_add_test(tc, closing_a_borrowed_token_handle_returns_true_and_reports);
    tcase_add_test(tc, a_duplicate_of_a_borrowed_handle_is_owned);
    tcase_add_test(tc, a_process_handle_where_a_token_is_needed_is_wrong_kind);
    tcase_add_test(tc, last_error_is_per_thread_and_settable);
    suite_add_tcase(s, tc);
    return test_run(s);
}
