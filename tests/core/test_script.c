/* Scripting (fakesspi_script_call): chosen statuses and tokens for the next calls of a function, and a
 * chosen cbMaxToken, as Chromium's MockSSPILibrary gives its users; every scripted call is traced. */
#include <unistd.h>

#include "ntsecapi.h"
#include "ntstatus.h"
#include "sspi/sspitest.h"

static const unsigned char scripted_token[] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 0xde, 0xad, 0xbe, 0xef};

static char trace_path[64];

static void trace_to_file(void)
{
    snprintf(trace_path, sizeof trace_path, "/tmp/fakesspi-script-XXXXXX");
    int fd = mkstemp(trace_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    setenv("FAKESSPI_TRACE", trace_path, 1);
    setenv("FAKESSPI_TRACE_LEVEL", "2", 1); /* tokens in hex */
    fakesspi_reset();
    unsetenv("FAKESSPI_TRACE");
    unsetenv("FAKESSPI_TRACE_LEVEL");
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
}

static char *read_trace(void)
{
    static char text[1 << 16];
    FILE *f = fopen(trace_path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(trace_path);
    return text;
}

static CredHandle client_credentials(void)
{
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                   NULL, &cred, NULL), SEC_E_OK);
    return cred;
}

START_TEST(a_scripted_first_leg_returns_the_status_and_writes_the_token_into_the_callers_buffer)
{
    trace_to_file();
    ck_assert_int_eq(fakesspi_script_call("InitializeSecurityContextA", 1, SEC_I_CONTINUE_NEEDED, scripted_token,
                                          sizeof scripted_token), 0);
    CredHandle cred = client_credentials();
    unsigned char out[64];
    memset(out, 0xcc, sizeof out);
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"HOST/server", 0, 0, 0, NULL, 0, &ctx,
                                                    &od, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(ob.cbBuffer, sizeof scripted_token);
    ck_assert_ptr_eq(ob.pvBuffer, out);
    ck_assert_mem_eq(out, scripted_token, sizeof scripted_token);
    ck_assert_uint_eq(out[sizeof scripted_token], 0xcc); /* nothing past the token */
    ck_assert(ctx.dwUpper != 0xdeadbeef);                 /* a context the caller owns and must delete */
    ck_assert_uint_eq(attrs & ISC_RET_ALLOCATED_MEMORY, 0);
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);
    ck_assert_uint_eq(fakesspi_check_leaks(), 2); /* the context and the credential are open */
    ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
    char *t = read_trace();
    static const char *in_order[] = {
        "#2 [1] InitializeSecurityContextA(", "pszTargetName=\"HOST/server\"", "-> phNewContext={",
        "pOutput=[TOKEN 12 4e544c4d53535000deadbeef]", "= SEC_I_CONTINUE_NEEDED (scripted)\n",
        "#3 [1] DeleteSecurityContext(", "= SEC_E_OK\n",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
}
END_TEST

/* doc/testing.md's "Script a peer" recipe, the doc's text byte for byte (tests/tree/check_testing_recipes.sh),
 * with the code under test played in between. */
START_TEST(recipe_script_a_peer)
{
    /* recipe: script */
    static const unsigned char token[] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    /* The next 2 calls of InitializeSecurityContextA or W return SEC_I_CONTINUE_NEEDED with this token, */
    fakesspi_script_call("InitializeSecurityContext", 2, SEC_I_CONTINUE_NEEDED, token, sizeof token);
    /* then one returns SEC_E_OK with no token. */
    fakesspi_script_call("InitializeSecurityContext", 1, SEC_E_OK, NULL, 0);
    fakesspi_script_call("LogonUserA", 1, ERROR_LOGON_FAILURE, NULL, 0);   /* Win32: FALSE + last error */
    fakesspi_script_max_token("Negotiate", 12000);   /* QuerySecurityPackageInfo reports cbMaxToken 12000 */
    /* end of recipe */
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 4);
    CredHandle cred = client_credentials();
    CtxtHandle ctx;
    SECURITY_STATUS want[] = {SEC_I_CONTINUE_NEEDED, SEC_I_CONTINUE_NEEDED, SEC_E_OK};
    for (int leg = 0; leg < 3; leg++) {
        unsigned char out[64];
        SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        ULONG attrs;
        ck_assert_sec_status(InitializeSecurityContextA(&cred, leg ? &ctx : NULL, (SEC_CHAR *)"HOST/server", 0, 0, 0,
                                                        NULL, 0, &ctx, &od, &attrs, NULL), want[leg]);
        ck_assert_uint_eq(ob.cbBuffer, leg < 2 ? sizeof token : 0);
    }
    HANDLE h = (HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"Negotiate", &info), SEC_E_OK);
    ck_assert_uint_eq(info->cbMaxToken, 12000);
    ck_assert_sec_status(FreeContextBuffer(info), SEC_E_OK);
    /* recipe: script-done */
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);   /* every scripted call was made */
    /* end of recipe */
    ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
}
END_TEST

START_TEST(allocate_memory_hands_the_scripted_token_out_in_new_memory)
{
    ck_assert_int_eq(fakesspi_script_call("InitializeSecurityContext", 1, SEC_E_OK, scripted_token,
                                          sizeof scripted_token), 0);
    CredHandle cred = client_credentials();
    SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle ctx;
    ULONG attrs = 0;
    ck_assert_sec_status(InitializeSecurityContextW(&cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx,
                                                    &od, &attrs, NULL), SEC_E_OK);
    ck_assert_ptr_nonnull(ob.pvBuffer);
    ck_assert_uint_eq(ob.cbBuffer, sizeof scripted_token);
    ck_assert_mem_eq(ob.pvBuffer, scripted_token, sizeof scripted_token);
    ck_assert_uint_eq(attrs & ISC_RET_ALLOCATED_MEMORY, ISC_RET_ALLOCATED_MEMORY);
    fakesspi_counts counts;
    fakesspi_get_counts(&counts);
    ck_assert_uint_eq(counts.live_allocations, 1); /* the caller frees it */
    ck_assert_sec_status(FreeContextBuffer(ob.pvBuffer), SEC_E_OK);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(too_small_a_buffer_fails_as_the_package_would_and_makes_no_context)
{
    ck_assert_int_eq(fakesspi_script_call("InitializeSecurityContextA", 1, SEC_I_CONTINUE_NEEDED, scripted_token,
                                          sizeof scripted_token), 0);
    CredHandle cred = client_credentials();
    unsigned char out[4];
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, &od, NULL, NULL),
                         SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(ctx.dwUpper, 0xdeadbeef);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    ck_assert_uint_eq(fakesspi_script_pending("InitializeSecurityContextA"), 0); /* the call used its turn */
    FreeCredentialsHandle(&cred);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(a_scripted_failure_makes_no_context_and_writes_nothing)
{
    ck_assert_int_eq(fakesspi_script_call("AcceptSecurityContext", 1, SEC_E_LOGON_DENIED, NULL, 0), 0);
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                                   NULL, &cred, NULL), SEC_E_OK);
    unsigned char in[8] = {0}, out[64];
    memset(out, 0xcc, sizeof out);
    SecBuffer ib = {sizeof in, SECBUFFER_TOKEN, in}, ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(AcceptSecurityContext(&cred, NULL, &id, 0, 0, &ctx, &od, &attrs, NULL), SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(ctx.dwUpper, 0xdeadbeef);
    ck_assert_uint_eq(attrs, 0xdeadbeef);
    ck_assert_uint_eq(ob.cbBuffer, sizeof out);
    ck_assert_uint_eq(out[0], 0xcc);
    FreeCredentialsHandle(&cred);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* A queue per function, in the order scripted; then the emulation answers again. A stem scripts A and W. */
START_TEST(the_next_n_calls_are_scripted_in_order_then_the_emulation_answers)
{
    ck_assert_int_eq(fakesspi_script_call("LogonUser", 2, ERROR_LOGON_FAILURE, NULL, 0), 0);
    ck_assert_int_eq(fakesspi_script_call("LogonUserA", 1, ERROR_ACCOUNT_RESTRICTION, NULL, 0), 0);
    ck_assert_uint_eq(fakesspi_script_pending("LogonUserA"), 3);
    ck_assert_uint_eq(fakesspi_script_pending("LogonUserW"), 2);
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 3);
    HANDLE h = (HANDLE)(uintptr_t)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
    static const WCHAR bob[] = {'b', 'o', 'b', 0}, pw[] = {'H', 'u', 'n', 't', 'e', 'r', '2', '!', 0};
    ck_assert(!LogonUserW(bob, NULL, pw, LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
    ck_assert(!LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_ACCOUNT_RESTRICTION);
    ck_assert_uint_eq((uintptr_t)h, 0xdeadbeef); /* nothing handed out */
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert(CloseHandle(h));
}
END_TEST

/* Scripting is refused where it would make no sense, with the reason, and nothing is queued. */
START_TEST(what_cannot_be_scripted_is_refused_with_the_reason)
{
    ck_assert_int_eq(fakesspi_script_call("CreateFileW", 1, ERROR_ACCESS_DENIED, NULL, 0), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "'CreateFileW' is not a function that can be scripted"));
    ck_assert_int_eq(fakesspi_script_call("GetLastError", 1, ERROR_ACCESS_DENIED, NULL, 0), -1);
    ck_assert_int_eq(fakesspi_script_call("MakeSignature", 1, SEC_E_OK, NULL, 0), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "only InitializeSecurityContext and AcceptSecurityContext"));
    ck_assert_int_eq(fakesspi_script_call("CloseHandle", 1, ERROR_SUCCESS, NULL, 0), -1);
    ck_assert_int_eq(fakesspi_script_call("DecryptMessage", 1, SEC_E_MESSAGE_ALTERED, "x", 1), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "DecryptMessage hands out no token"));
    ck_assert_int_eq(fakesspi_script_call("AcceptSecurityContext", 0, SEC_E_OK, NULL, 0), -1);
    ck_assert_int_eq(fakesspi_script_call(NULL, 1, SEC_E_OK, NULL, 0), -1);
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);
}
END_TEST

/* The LSA's functions are scripted with failing NTSTATUS values, as fault injection fails them; a success is
 * refused with the family named. */
START_TEST(lsa_calls_are_scripted_with_an_ntstatus)
{
    ck_assert_int_eq(fakesspi_script_call("LsaOpenPolicy", 1, STATUS_SUCCESS, NULL, 0), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "LsaOpenPolicy takes a failing STATUS_ NTSTATUS"));
    ck_assert_int_eq(fakesspi_script_call("LsaOpenPolicy", 2, STATUS_ACCESS_DENIED, NULL, 0), 0);
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE h = (LSA_HANDLE)(uintptr_t)0xdeadbeef;
    ck_assert_int_eq(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &h), STATUS_ACCESS_DENIED);
    ck_assert_int_eq(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &h), STATUS_ACCESS_DENIED);
    ck_assert_uint_eq((uintptr_t)h, 0xdeadbeef); /* nothing handed out */
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);
    ck_assert_int_eq(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &h), STATUS_SUCCESS);
    ck_assert_int_eq(LsaClose(h), STATUS_SUCCESS);
}
END_TEST

/* A reset (each test's fixture) empties the script, as fakesspi_script_clear() does. */
START_TEST(a_reset_or_clear_empties_the_script)
{
    ck_assert_int_eq(fakesspi_script_call("LogonUserA", 5, ERROR_LOGON_FAILURE, NULL, 0), 0);
    ck_assert_int_eq(fakesspi_script_max_token("NTLM", 100), 0);
    fakesspi_reset();
    ck_assert_uint_eq(fakesspi_script_pending(NULL), 0);
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info), SEC_E_OK);
    ck_assert_uint_eq(info->cbMaxToken, 2888);
    FreeContextBuffer(info);
    ck_assert_int_eq(fakesspi_script_call("LogonUserA", 5, ERROR_LOGON_FAILURE, NULL, 0), 0);
    fakesspi_script_clear();
    HANDLE h;
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert(CloseHandle(h));
}
END_TEST

START_TEST(query_security_package_info_reports_the_scripted_max_token)
{
    trace_to_file();
    ck_assert_int_eq(fakesspi_script_max_token("negotiate", 12000), 0);
    PSecPkgInfoA a;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"Negotiate", &a), SEC_E_OK);
    ck_assert_uint_eq(a->cbMaxToken, 12000);
    ck_assert_str_eq(a->Name, "Negotiate");
    FreeContextBuffer(a);
    static const WCHAR negotiate[] = {'N', 'e', 'g', 'o', 't', 'i', 'a', 't', 'e', 0};
    PSecPkgInfoW w;
    ck_assert_sec_status(QuerySecurityPackageInfoW((SEC_WCHAR *)negotiate, &w), SEC_E_OK);
    ck_assert_uint_eq(w->cbMaxToken, 12000);
    FreeContextBuffer(w);
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &a), SEC_E_OK);
    ck_assert_uint_eq(a->cbMaxToken, 2888); /* other packages as they are */
    FreeContextBuffer(a);
    ck_assert_int_eq(fakesspi_script_max_token("Kerberos5", 1), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "'Kerberos5' is not a package"));
    char *t = read_trace();
    static const char *in_order[] = {
        "#1 [1] QuerySecurityPackageInfoA(pszPackageName=\"Negotiate\") -> cbMaxToken=12000 = SEC_E_OK (scripted)\n",
        "#3 [1] QuerySecurityPackageInfoW(pszPackageName=\"Negotiate\") -> cbMaxToken=12000 = SEC_E_OK (scripted)\n",
        "#5 [1] QuerySecurityPackageInfoA(pszPackageName=\"NTLM\") -> cbMaxToken=2888 = SEC_E_OK\n",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
}
END_TEST

/* A whole exchange scripted from the client's side: a caller's continue loop driven without a server. */
START_TEST(a_scripted_conversation_drives_the_callers_continue_loop)
{
    ck_assert_int_eq(fakesspi_script_call("InitializeSecurityContextA", 2, SEC_I_CONTINUE_NEEDED, "leg", 3), 0);
    ck_assert_int_eq(fakesspi_script_call("InitializeSecurityContextA", 1, SEC_E_OK, NULL, 0), 0);
    CredHandle cred = client_credentials();
    CtxtHandle ctx;
    SECURITY_STATUS st;
    int legs = 0;
    do {
        unsigned char out[16];
        SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        st = InitializeSecurityContextA(&cred, legs ? &ctx : NULL, NULL, 0, 0, 0, NULL, 0, &ctx, &od, NULL, NULL);
        ck_assert_uint_eq(ob.cbBuffer, st == SEC_E_OK ? 0 : 3);
        legs++;
    } while (st == SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(st, SEC_E_OK);
    ck_assert_int_eq(legs, 3);
    ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    FreeCredentialsHandle(&cred);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/script");
    TCase *tc = test_case("script");
    tcase_add_test(tc, a_scripted_first_leg_returns_the_status_and_writes_the_token_into_the_callers_buffer);
    tcase_add_test(tc, allocate_memory_hands_the_scripted_token_out_in_new_memory);
    tcase_add_test(tc, recipe_script_a_peer);
    tcase_add_test(tc, too_small_a_buffer_fails_as_the_package_would_and_makes_no_context);
    tcase_add_test(tc, a_scripted_failure_makes_no_context_and_writes_nothing);
    tcase_add_test(tc, the_next_n_calls_are_scripted_in_order_then_the_emulation_answers);
    tcase_add_test(tc, what_cannot_be_scripted_is_refused_with_the_reason);
    tcase_add_test(tc, a_reset_or_clear_empties_the_script);
    tcase_add_test(tc, lsa_calls_are_scripted_with_an_ntstatus);
    tcase_add_test(tc, query_security_package_info_reports_the_scripted_max_token);
    tcase_add_test(tc, a_scripted_conversation_drives_the_callers_continue_loop);
    suite_add_tcase(s, tc);
    return test_run(s);
}
