/* Every function, every pointer argument NULL in turn: a Windows error, never a crash. */
#include "testutil.h"
#include "sddl.h"
#include "security.h"

static PSID everyone(void)
{
    static BYTE sid[12] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    return sid;
}

START_TEST(token_functions_refuse_null_out_pointers)
{
    HANDLE tok;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &tok));
    ck_assert(!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!DuplicateTokenEx(tok, 0, NULL, SecurityImpersonation, TokenImpersonation, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!DuplicateToken(tok, SecurityImpersonation, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    DWORD n;
    ck_assert(!GetTokenInformation(tok, TokenUser, NULL, 0, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!GetTokenInformation(tok, TokenUser, NULL, 64, &n));
    ck_assert_last_error(ERROR_NOACCESS);
    BOOL member;
    ck_assert(!CheckTokenMembership(tok, NULL, &member));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert(!ImpersonateLoggedOnUser(NULL));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert(!GetHandleInformation(tok, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    /* A NULL target succeeds on Windows and the duplicate leaks: it is made, and counted. */
    ck_assert(DuplicateHandle(GetCurrentProcess(), tok, GetCurrentProcess(), NULL, 0, FALSE, DUPLICATE_SAME_ACCESS));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 2);
    ck_assert_uint_eq(fakesspi_check_leaks(), 2);
    ck_assert(!LogonUserA(NULL, NULL, NULL, LOGON32_LOGON_NETWORK, 0, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    HANDLE h;
    ck_assert(!LogonUserW(NULL, NULL, NULL, LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
    CloseHandle(tok);
}
END_TEST

START_TEST(sid_functions_refuse_null)
{
    ck_assert(!IsValidSid(NULL));
    SetLastError(0xdeadbeef);
    ck_assert(!EqualSid(NULL, everyone())); /* not reported: doc/semantics.md §37 */
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert_uint_eq(GetLengthSid(NULL), 0);
    BYTE buf[68];
    ck_assert(!CopySid(sizeof buf, buf, NULL));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert(!CopySid(sizeof buf, NULL, everyone()));
    ck_assert_last_error(ERROR_NOACCESS);
    PSID sid;
    ck_assert(!AllocateAndInitializeSid(NULL, 1, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
    ck_assert_last_error(ERROR_NOACCESS);
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    ck_assert(!AllocateAndInitializeSid(&nt, 1, 0, 0, 0, 0, 0, 0, 0, 0, NULL));
    ck_assert_ptr_null(FreeSid(NULL));
    /* The accessors do not validate and read nothing: an address, ERROR_SUCCESS (doc/semantics.md §37). */
    SetLastError(0xdeadbeef);
    ck_assert_ptr_eq(GetSidIdentifierAuthority(NULL), (void *)2);
    ck_assert_last_error(ERROR_SUCCESS);
    LPSTR text;
    ck_assert(!ConvertSidToStringSidA(NULL, &text));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert(!ConvertSidToStringSidA(everyone(), NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!ConvertSidToStringSidW(everyone(), NULL));
    ck_assert(!ConvertStringSidToSidA("S-1-1-0", NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!ConvertStringSidToSidW(NULL, &sid));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(account_and_name_functions_refuse_null)
{
    char name[64], domain[64];
    DWORD cn = sizeof name, cd = sizeof domain;
    SID_NAME_USE use;
    ck_assert(!LookupAccountSidA(NULL, NULL, name, &cn, domain, &cd, &use));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert(!LookupAccountSidA(NULL, everyone(), name, NULL, domain, &cd, &use));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!LookupAccountSidW(NULL, everyone(), NULL, &cn, NULL, NULL, &use));
    ck_assert_last_error(ERROR_NOACCESS);
    BYTE sid[68];
    DWORD cb = sizeof sid;
    ck_assert(!LookupAccountNameA(NULL, NULL, sid, &cb, domain, NULL, &use));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!LookupAccountNameW(NULL, u"alice", sid, NULL, NULL, &cd, &use));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!GetUserNameA(name, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    DWORD n = 0;
    ck_assert(!GetUserNameW(NULL, &n));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ULONG size = sizeof name;
    ck_assert(!GetUserNameExA(NameSamCompatible, name, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    size = 0;
    ck_assert(!GetUserNameExW(NameSamCompatible, NULL, &size));
    ck_assert_last_error(ERROR_MORE_DATA);
    ck_assert(!TranslateNameA(NULL, NameSamCompatible, NameDisplay, name, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!TranslateNameW(u"EXAMPLE\\bob", NameSamCompatible, NameDisplay, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!GetComputerNameA(name, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert(!GetComputerNameExW(ComputerNameDnsFullyQualified, NULL, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    n = 0;
    ck_assert(!GetComputerNameExW(ComputerNameDnsFullyQualified, NULL, &n));
    ck_assert_last_error(ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 20);
}
END_TEST

START_TEST(string_and_memory_functions_refuse_null)
{
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, NULL, -1, NULL, 0), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, "abc", -1, NULL, 4), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(WideCharToMultiByte(CP_UTF8, 0, NULL, -1, NULL, 0, NULL, NULL), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(lstrlenW(NULL), 0);
    ck_assert_int_eq(lstrcmpiW(NULL, NULL), 0);
    ck_assert_ptr_null(LocalFree(NULL));
    ck_assert(HeapFree(GetProcessHeap(), 0, NULL));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.misuse_total, 0);
}
END_TEST

START_TEST(control_functions_refuse_null)
{
    ck_assert_int_eq(fakesspi_load_domain_file(NULL), -1);
    ck_assert_int_eq(fakesspi_load_domain_text(NULL, NULL), -1);
    ck_assert_int_eq(fakesspi_set_process_user(NULL), -1);
    ck_assert_int_eq(fakesspi_add_user(NULL, 1, NULL, NULL), -1);
    ck_assert_int_eq(fakesspi_add_group(NULL, 1), -1);
    ck_assert_ptr_null(fakesspi_misuse_name((fakesspi_misuse_kind)-1));
    /* The domain is still whole after all of that. */
    HANDLE h;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/null-arguments");
    TCase *tc = test_case("null");
    tcase_add_test(tc, token_functions_refuse_null_out_pointers);
    tcase_add_test(tc, sid_functions_refuse_null);
    tcase_add_test(tc, account_and_name_functions_refuse_null);
    tcase_add_test(tc, string_and_memory_functions_refuse_null);
    tcase_add_test(tc, control_functions_refuse_null);
    suite_add_tcase(s, tc);
    return test_run(s);
}
