/* Check tests for the gate: each plays the client itself, against the fake EXAMPLE domain
 * (alice is in Engineering, bob is not). The fixture fails any test that leaks or misuses a handle. */
#include <check.h>
#include <fakesspi/check.h>
#include <stdlib.h>
#include <string.h>

#include "engineering_gate.h"

/* Runs a whole exchange as `user`; returns what the gate decided at the end. */
static enum gate_result log_in(struct gate *gate, const char *user, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (ULONG)strlen(user), (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)password, (ULONG)strlen(password), SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cred;
    CtxtHandle ctx;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred,
                                                   NULL), SEC_E_OK);
    unsigned char to_server[2048], to_client[2048];
    SecBuffer out = {sizeof to_server, SECBUFFER_TOKEN, to_server}, in = {0, SECBUFFER_TOKEN, to_client};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out}, in_desc = {SECBUFFER_VERSION, 1, &in};
    ULONG attrs;
    SECURITY_STATUS client = InitializeSecurityContextA(&cred, NULL, "HTTP/server.example.test", 0, 0, 0, NULL, 0,
                                                        &ctx, &out_desc, &attrs, NULL);
    ck_assert_sec_status(client, SEC_I_CONTINUE_NEEDED);
    enum gate_result result;
    for (;;) {
        ULONG reply = sizeof to_client;
        result = gate_step(gate, to_server, out.cbBuffer, to_client, &reply);
        if (result != GATE_CONTINUE || client == SEC_E_OK)
            break;
        in.cbBuffer = reply;
        out.cbBuffer = sizeof to_server;
        client = InitializeSecurityContextA(NULL, &ctx, "HTTP/server.example.test", 0, 0, 0, &in_desc, 0, &ctx,
                                            &out_desc, &attrs, NULL);
        ck_assert_sec_status(client, SEC_E_OK);
    }
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return result;
}

START_TEST(an_engineer_is_let_in)
{
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "alice", "Passw0rd!"), GATE_ALLOWED);
    ck_assert_str_eq(gate.user, "EXAMPLE\\alice");
    gate_close(&gate);
}
END_TEST

START_TEST(anyone_else_is_turned_away)
{
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "bob", "Hunter2!"), GATE_DENIED);
    ck_assert_str_eq(gate.user, "EXAMPLE\\bob");
    gate_close(&gate);
}
END_TEST

START_TEST(a_wrong_password_fails_the_logon)
{
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "alice", "not her password"), GATE_FAILED);
    ck_assert_sec_status(gate.status, SEC_E_LOGON_DENIED);
    gate_close(&gate);
}
END_TEST

/* The domain controller goes away between the legs: the gate must say so, not let anyone in. */
START_TEST(an_injected_failure_is_reported_not_swallowed)
{
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#2=SEC_E_NO_AUTHENTICATING_AUTHORITY"), 0);
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "alice", "Passw0rd!"), GATE_FAILED);
    ck_assert_sec_status(gate.status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    gate_close(&gate);
}
END_TEST

/* A token damaged on the wire: the third token (AUTHENTICATE) loses its NTLMv2 proof. */
START_TEST(a_damaged_token_is_refused)
{
    fakesspi_fault_token(3, -1);
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "alice", "Passw0rd!"), GATE_FAILED);
    ck_assert_sec_status(gate.status, SEC_E_LOGON_DENIED);
    gate_close(&gate);
}
END_TEST

/* The buggy variant closes a handle it only borrowed. On Windows that goes unnoticed until the
 * context is deleted; here the fixture would fail the test, so the test declares the misuse it
 * expects and checks that it was caught, with the handle's history in the report. */
START_TEST(closing_the_borrowed_access_token_is_caught)
{
    fakesspi_ck_expect_misuse(FAKESSPI_MISUSE_CLOSE_BORROWED, 1);
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    struct gate gate;
    ck_assert_sec_status(gate_open(&gate), SEC_E_OK);
    ck_assert_int_eq(log_in(&gate, "alice", "Passw0rd!"), GATE_ALLOWED);
    ck_assert_int_eq(gate_decide_buggy(&gate), GATE_ALLOWED);
    ck_assert_uint_eq(fakesspi_misuse_count(FAKESSPI_MISUSE_CLOSE_BORROWED), 1);
    gate_close(&gate);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("doc/example/engineering_gate");
    TCase *tc = tcase_create("gate");
    fakesspi_ck_fixture(tc);
    tcase_add_test(tc, an_engineer_is_let_in);
    tcase_add_test(tc, anyone_else_is_turned_away);
    tcase_add_test(tc, a_wrong_password_fails_the_logon);
    tcase_add_test(tc, an_injected_failure_is_reported_not_swallowed);
    tcase_add_test(tc, a_damaged_token_is_refused);
    tcase_add_test(tc, closing_the_borrowed_access_token_is_caught);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
