/* FAKESSPI_STRICT: what Windows allows and careless callers get away with, made to fail at once. */
#include "sspi/sspitest.h"

static void strict_setup(void)
{
    test_setup();
    setenv("FAKESSPI_STRICT", "1", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_STRICT");
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    fakesspi_set_misuse_callback(test_capture, NULL);
}

START_TEST(every_leg_gets_a_new_context_value_and_the_old_one_dies)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    /* A careless caller keeps its first value and ignores what phNewContext received. */
    CtxtHandle first = p.client, renewed;
    SecBuffer ic = {p.s2c_len, SECBUFFER_TOKEN, p.s2c}, oc = {sizeof p.c2s, SECBUFFER_TOKEN, p.c2s};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, ocd = {SECBUFFER_VERSION, 1, &oc};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(NULL, &first, NULL, 0, 0, 0, &icd, 0, &renewed, &ocd, &attrs, NULL),
                         SEC_E_OK);
    ck_assert_uint_ne(renewed.dwUpper, first.dwUpper);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(&first, SECPKG_ATTR_SIZES, &sizes), SEC_E_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
    ck_assert_sec_status(QueryContextAttributesA(&renewed, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    p.client = renewed;
    pair_free(&p);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
}
END_TEST

START_TEST(output_buffers_hold_garbage_past_the_token)
{
    CredHandle cred;
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL), SEC_E_OK);
    unsigned char buf[256];
    memset(buf, 0, sizeof buf);
    SecBuffer b = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, &d, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(b.cbBuffer, 40);
    ck_assert_uint_eq(buf[40], 0xCD);
    ck_assert_uint_eq(buf[255], 0xCD);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(freed_handle_values_come_straight_back)
{
    HANDLE a, b;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &a));
    CloseHandle(a);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &b));
    ck_assert_ptr_eq(a, b);
    CloseHandle(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/strict");
    TCase *tc = tcase_create("strict");
    tcase_add_checked_fixture(tc, strict_setup, test_teardown);
    tcase_add_test(tc, every_leg_gets_a_new_context_value_and_the_old_one_dies);
    tcase_add_test(tc, output_buffers_hold_garbage_past_the_token);
    tcase_add_test(tc, freed_handle_values_come_straight_back);
    suite_add_tcase(s, tc);
    return test_run(s);
}
