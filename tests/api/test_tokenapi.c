/* Logon, opening, duplicating and impersonating tokens; membership checks. */
#include <pthread.h>

#include "testutil.h"
#include "sddl.h"
#include "core/handles.h"
#include "security/domain_current.h"
#include "security/logon.h"

static HANDLE logon(const char *user, const char *password, DWORD type)
{
    HANDLE h = NULL;
    ck_assert_msg(LogonUserA(user, NULL, password, type, LOGON32_PROVIDER_DEFAULT, &h), "logon %s: %lu", user,
                  (unsigned long)GetLastError());
    return h;
}

static void user_of(HANDLE token, char *out, size_t cap)
{
    unsigned char buf[128];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenUser, buf, sizeof buf, &n));
    char name[64], domain[64];
    DWORD cn = sizeof name, cd = sizeof domain;
    SID_NAME_USE use;
    ck_assert(LookupAccountSidA(NULL, ((TOKEN_USER *)buf)->User.Sid, name, &cn, domain, &cd, &use));
    snprintf(out, cap, "%s\\%s", domain, name);
}

static char last_report[4096];
static void keep_report(fakesspi_misuse_kind kind, const char *report, void *arg)
{
    (void)kind, (void)arg;
    snprintf(last_report, sizeof last_report, "%s", report);
}

/* The one lookup names what a wrong handle really is: a credential handle passed as a process
 * handle is a live credential, not "a token, not live". */
START_TEST(a_credential_handle_passed_to_open_process_token_is_reported_as_a_credential)
{
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                   NULL, &cred, NULL), SEC_E_OK);
    fakesspi_set_misuse_callback(keep_report, NULL);
    HANDLE token = (HANDLE)(uintptr_t)0xdeadbeef;
    ck_assert(!OpenProcessToken((HANDLE)cred.dwUpper, TOKEN_QUERY, &token));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_ptr_eq(token, (HANDLE)(uintptr_t)0xdeadbeef);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert_ptr_nonnull(strstr(last_report, "MISUSE WRONG_KIND: OpenProcessToken"));
    ck_assert_ptr_nonnull(strstr(last_report, "(credential, OWNED)"));
    ck_assert_ptr_nonnull(strstr(last_report, "a process handle is required"));
    ck_assert_ptr_nonnull(strstr(last_report, "opened credential handle"));
    /* A token pseudo-handle is no process handle either. */
    ck_assert(!OpenProcessToken(GetCurrentProcessToken(), TOKEN_QUERY, &token));
    ck_assert_misuse(WRONG_KIND, 2);
    ck_assert_ptr_nonnull(strstr(last_report, "(token, pseudo-handle)"));
    fakesspi_set_misuse_callback(NULL, NULL);
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(logon_failures_carry_windows_errors)
{
    static const struct {
        const char *user, *domain, *password;
        DWORD type;
        DWORD error;
    } cases[] = {
        {"alice", NULL, "wrong", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE},
        {"mallory", NULL, "x", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE},
        {"alice", "OTHERDOMAIN", "Passw0rd!", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE},
        {"Guest", NULL, "", LOGON32_LOGON_NETWORK, ERROR_ACCOUNT_DISABLED},
        {"Guest", NULL, "wrong", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE}, /* password first */
        {"alice", NULL, "Passw0rd!", 6, ERROR_INVALID_PARAMETER},
        {"", NULL, "x", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE},
        {NULL, NULL, "x", LOGON32_LOGON_NETWORK, ERROR_LOGON_FAILURE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        HANDLE h = (HANDLE)0x1;
        SetLastError(0);
        ck_assert_msg(!LogonUserA(cases[i].user, cases[i].domain, cases[i].password, cases[i].type, 0, &h),
                      "case %zu succeeded", i);
        ck_assert_last_error(cases[i].error);
        ck_assert_ptr_null(h);
    }
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    HANDLE h;
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 99, &h));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(logon_accepts_every_way_of_naming_the_user)
{
    static const struct {
        const char *user, *domain;
    } names[] = {{"alice", NULL}, {"alice", "EXAMPLE"}, {"alice", "example.test"}, {"EXAMPLE\\alice", NULL},
                 {"alice@example.test", NULL}, {"ALICE", "example"}, {"alice", "."}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        HANDLE h;
        ck_assert_msg(LogonUserA(names[i].user, names[i].domain, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h),
                      "case %zu", i);
        char who[128];
        user_of(h, who, sizeof who);
        ck_assert_str_eq(who, "EXAMPLE\\alice");
        CloseHandle(h);
    }
}
END_TEST

START_TEST(logon_user_w_takes_utf16)
{
    HANDLE h;
    ck_assert(LogonUserW(u"bob", u"EXAMPLE", u"Hunter2!", LOGON32_LOGON_INTERACTIVE, 0, &h));
    char who[128];
    user_of(h, who, sizeof who);
    ck_assert_str_eq(who, "EXAMPLE\\bob");
    CloseHandle(h);
    ck_assert(!LogonUserW(u"bob", NULL, u"hunter2!", LOGON32_LOGON_INTERACTIVE, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
}
END_TEST

START_TEST(the_process_token_is_fakesspi_user_interactive_primary)
{
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    char who[128];
    user_of(h, who, sizeof who);
    ck_assert_str_eq(who, "EXAMPLE\\alice");
    TOKEN_TYPE type;
    DWORD n;
    ck_assert(GetTokenInformation(h, TokenType, &type, sizeof type, &n));
    ck_assert_int_eq(type, TokenPrimary);
    HANDLE h2;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h2));
    ck_assert_ptr_ne(h, h2);
    TOKEN_STATISTICS a, b;
    GetTokenInformation(h, TokenStatistics, &a, sizeof a, &n);
    GetTokenInformation(h2, TokenStatistics, &b, sizeof b, &n);
    ck_assert(!memcmp(&a.TokenId, &b.TokenId, sizeof a.TokenId)); /* one process token */
    CloseHandle(h);
    CloseHandle(h2);
    ck_assert(!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
}
END_TEST

START_TEST(open_thread_token_without_impersonation_is_no_token)
{
    HANDLE h = (HANDLE)0x1;
    SetLastError(0);
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h));
    ck_assert_last_error(ERROR_NO_TOKEN);
    DWORD n;
    TOKEN_TYPE type;
    ck_assert(!GetTokenInformation(GetCurrentThreadToken(), TokenType, &type, sizeof type, &n));
    ck_assert_last_error(ERROR_NO_TOKEN);
    ck_assert(GetTokenInformation(GetCurrentThreadEffectiveToken(), TokenType, &type, sizeof type, &n));
    ck_assert_int_eq(type, TokenPrimary);
}
END_TEST

START_TEST(impersonation_changes_the_thread_until_revert)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK);
    ck_assert(ImpersonateLoggedOnUser(bob));
    CloseHandle(bob); /* the thread holds its own reference */
    HANDLE t;
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    char who[128];
    user_of(t, who, sizeof who);
    ck_assert_str_eq(who, "EXAMPLE\\bob");
    CloseHandle(t);
    char name[64];
    DWORD n = sizeof name;
    ck_assert(GetUserNameA(name, &n));
    ck_assert_str_eq(name, "bob");
    ck_assert_uint_eq(n, 4); /* GetUserName counts the NUL */
    user_of(GetCurrentThreadEffectiveToken(), who, sizeof who);
    ck_assert_str_eq(who, "EXAMPLE\\bob");
    ck_assert(RevertToSelf());
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    ck_assert_last_error(ERROR_NO_TOKEN);
    n = sizeof name;
    ck_assert(GetUserNameA(name, &n));
    ck_assert_str_eq(name, "alice");
    ck_assert(RevertToSelf()); /* succeeds when not impersonating too */
}
END_TEST

static void *other_thread(void *arg)
{
    HANDLE t;
    *(int *)arg = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t) ? 1 : (int)GetLastError();
    return NULL;
}

START_TEST(impersonation_is_per_thread)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK);
    ck_assert(ImpersonateLoggedOnUser(bob));
    int result = 0;
    pthread_t th;
    pthread_create(&th, NULL, other_thread, &result);
    pthread_join(th, NULL);
    ck_assert_int_eq(result, ERROR_NO_TOKEN);
    RevertToSelf();
    CloseHandle(bob);
}
END_TEST

START_TEST(impersonating_a_primary_token_makes_an_impersonation_copy)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_INTERACTIVE);
    ck_assert(ImpersonateLoggedOnUser(bob));
    HANDLE t;
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    TOKEN_TYPE type;
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD n;
    ck_assert(GetTokenInformation(t, TokenType, &type, sizeof type, &n));
    ck_assert_int_eq(type, TokenImpersonation);
    ck_assert(GetTokenInformation(t, TokenImpersonationLevel, &level, sizeof level, &n));
    ck_assert_int_eq(level, SecurityImpersonation); /* explicit logon: full level */
    CloseHandle(t);
    RevertToSelf();
    CloseHandle(bob);
}
END_TEST

START_TEST(impersonate_needs_the_right_access)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK), weak;
    ck_assert(DuplicateHandle(GetCurrentProcess(), bob, GetCurrentProcess(), &weak, TOKEN_QUERY, FALSE, 0));
    ck_assert(!ImpersonateLoggedOnUser(weak));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    HANDLE t;
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    CloseHandle(weak);
    CloseHandle(bob);
}
END_TEST

START_TEST(duplicate_token_ex_makes_a_new_token_in_the_same_logon)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK), primary;
    ck_assert(DuplicateTokenEx(bob, 0, NULL, SecurityImpersonation, TokenPrimary, &primary));
    TOKEN_STATISTICS a, b;
    DWORD n;
    GetTokenInformation(bob, TokenStatistics, &a, sizeof a, &n);
    GetTokenInformation(primary, TokenStatistics, &b, sizeof b, &n);
    ck_assert(memcmp(&a.TokenId, &b.TokenId, sizeof a.TokenId));
    ck_assert(!memcmp(&a.AuthenticationId, &b.AuthenticationId, sizeof a.AuthenticationId));
    ck_assert_int_eq(b.TokenType, TokenPrimary);
    CloseHandle(primary);
    CloseHandle(bob);
}
END_TEST

START_TEST(duplicate_token_ex_cannot_raise_the_level)
{
    HANDLE bob = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK), ident, weak, out;
    SENTINEL(out);
    ck_assert(DuplicateTokenEx(bob, TOKEN_ALL_ACCESS, NULL, SecurityIdentification, TokenImpersonation, &ident));
    ck_assert(DuplicateToken(bob, SecurityIdentification, &weak));
    ck_assert(!DuplicateTokenEx(ident, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenImpersonation, &out));
    ck_assert_last_error(ERROR_BAD_IMPERSONATION_LEVEL);
    ck_assert(!DuplicateTokenEx(ident, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenPrimary, &out));
    ck_assert_last_error(ERROR_BAD_IMPERSONATION_LEVEL);
    ck_assert_untouched(out);
    ck_assert(!DuplicateTokenEx(bob, TOKEN_ALL_ACCESS, NULL, (SECURITY_IMPERSONATION_LEVEL)7, TokenPrimary, &out));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!DuplicateTokenEx(bob, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, (TOKEN_TYPE)3, &out));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    /* DuplicateToken's handle has TOKEN_IMPERSONATE | TOKEN_QUERY only. */
    ck_assert(!DuplicateTokenEx(weak, 0, NULL, SecurityIdentification, TokenImpersonation, &out));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    CloseHandle(weak);
    CloseHandle(ident);
    CloseHandle(bob);
}
END_TEST

START_TEST(pseudo_token_handles_only_query)
{
    HANDLE out;
    ck_assert(!DuplicateTokenEx(GetCurrentProcessToken(), 0, NULL, SecurityImpersonation, TokenPrimary, &out));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    TOKEN_TYPE type;
    DWORD n;
    ck_assert(GetTokenInformation(GetCurrentProcessToken(), TokenType, &type, sizeof type, &n));
}
END_TEST

static PSID sid(const char *text)
{
    PSID s = NULL;
    ck_assert(ConvertStringSidToSidA(text, &s));
    return s;
}

START_TEST(check_token_membership_counts_enabled_groups_of_impersonation_tokens)
{
    HANDLE alice = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    PSID eng = sid("S-1-5-21-1000000001-2000000002-3000000003-1200"), admins = sid("BA"),
         self = sid("S-1-5-21-1000000001-2000000002-3000000003-1104"), label = sid("S-1-16-8192");
    BOOL member = 7;
    ck_assert(CheckTokenMembership(alice, eng, &member));
    ck_assert_int_eq(member, TRUE);
    ck_assert(CheckTokenMembership(alice, admins, &member));
    ck_assert_int_eq(member, FALSE);
    ck_assert(CheckTokenMembership(alice, self, &member));
    ck_assert_int_eq(member, TRUE);
    ck_assert(CheckTokenMembership(alice, label, &member));
    ck_assert_int_eq(member, FALSE);
    HANDLE primary;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &primary));
    member = TRUE;
    ck_assert(!CheckTokenMembership(primary, eng, &member));
    ck_assert_last_error(ERROR_NO_IMPERSONATION_TOKEN);
    ck_assert_int_eq(member, FALSE);
    ck_assert(CheckTokenMembership(NULL, eng, &member)); /* NULL: the process user, alice */
    ck_assert_int_eq(member, TRUE);
    ck_assert(!CheckTokenMembership(alice, eng, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    CloseHandle(primary);
    CloseHandle(alice);
    LocalFree(eng);
    LocalFree(admins);
    LocalFree(self);
    LocalFree(label);
}
END_TEST

/* A network token that no explicit logon made, as an SSPI server context will hold one. */
static HANDLE network_token_of(const char *user)
{
    const struct fs_domain *d = fs_domain_acquire();
    struct fs_logon_request req = {.logon_type = LOGON32_LOGON_NETWORK, .source = "NtLmSsp",
                                   .token_type = TokenImpersonation, .level = SecurityImpersonation};
    struct fs_token *t = NULL;
    ck_assert_int_eq(fs_logon_build(d, fs_domain_find_user(d, user), &req, &t), FS_OK);
    fs_domain_release();
    uintptr_t v;
    ck_assert_int_eq(fs_handle_open(&t->base, TOKEN_ALL_ACCESS, 0, "test", &v), FS_OK);
    fs_token_unref(t);
    return (HANDLE)v;
}

static SECURITY_IMPERSONATION_LEVEL level_after_impersonating(HANDLE token)
{
    ck_assert(ImpersonateLoggedOnUser(token));
    HANDLE t;
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD n;
    ck_assert(GetTokenInformation(t, TokenImpersonationLevel, &level, sizeof level, &n));
    CloseHandle(t);
    RevertToSelf();
    return level;
}

START_TEST(without_se_impersonate_a_foreign_token_is_impersonated_at_identification)
{
    HANDLE bob = network_token_of("bob"), alice = network_token_of("alice");
    /* alice (the process) lacks SeImpersonatePrivilege: bob's token drops to identification. */
    ck_assert_int_eq(level_after_impersonating(bob), SecurityIdentification);
    /* Her own identity is always allowed. */
    ck_assert_int_eq(level_after_impersonating(alice), SecurityImpersonation);
    /* An administrator holds SeImpersonatePrivilege. */
    ck_assert_int_eq(fakesspi_set_process_user("Administrator"), 0);
    ck_assert_int_eq(level_after_impersonating(bob), SecurityImpersonation);
    CloseHandle(bob);
    CloseHandle(alice);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/tokens");
    TCase *tc = test_case("tokens");
    tcase_add_test(tc, logon_failures_carry_windows_errors);
    tcase_add_test(tc, a_credential_handle_passed_to_open_process_token_is_reported_as_a_credential);
    tcase_add_test(tc, logon_accepts_every_way_of_naming_the_user);
    tcase_add_test(tc, logon_user_w_takes_utf16);
    tcase_add_test(tc, the_process_token_is_fakesspi_user_interactive_primary);
    tcase_add_test(tc, open_thread_token_without_impersonation_is_no_token);
    tcase_add_test(tc, impersonation_changes_the_thread_until_revert);
    tcase_add_test(tc, impersonation_is_per_thread);
    tcase_add_test(tc, impersonating_a_primary_token_makes_an_impersonation_copy);
    tcase_add_test(tc, impersonate_needs_the_right_access);
    tcase_add_test(tc, duplicate_token_ex_makes_a_new_token_in_the_same_logon);
    tcase_add_test(tc, duplicate_token_ex_cannot_raise_the_level);
    tcase_add_test(tc, pseudo_token_handles_only_query);
    tcase_add_test(tc, check_token_membership_counts_enabled_groups_of_impersonation_tokens);
    tcase_add_test(tc, without_se_impersonate_a_foreign_token_is_impersonated_at_identification);
    suite_add_tcase(s, tc);
    return test_run(s);
}
