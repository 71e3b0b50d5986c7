/* Kerberos as Windows reports it: context attributes, NATIVE_NAMES, KERB_WRAP_NO_ENCRYPT, DecryptMessage
 * on a whole received message, the padding buffer, *pfQOP, and replay detection across processes
 * (doc/semantics.md §27, §28, §29). */
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/conversation.h"

#define SPN "HTTP/server.example.test"
#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

static void logged_on(struct conv *v, const char *package, ULONG req)
{
    conv_credentials(v, package, "alice", "Passw0rd!");
    conv_run(v, SPN, req, 0);
    ck_assert_sec_status(v->client_status, SEC_E_OK);
    ck_assert_sec_status(v->server_status, SEC_E_OK);
}

START_TEST(integrity_and_confidentiality_come_unasked_unless_no_integrity)
{
    struct conv v;
    logged_on(&v, "Kerberos", 0);
    ck_assert_uint_eq(v.client_attrs[0] & (ISC_RET_INTEGRITY | ISC_RET_CONFIDENTIALITY),
                      ISC_RET_INTEGRITY | ISC_RET_CONFIDENTIALITY);
    ck_assert_uint_eq(v.server_attrs[0] & (ASC_RET_INTEGRITY | ASC_RET_CONFIDENTIALITY),
                      ASC_RET_INTEGRITY | ASC_RET_CONFIDENTIALITY);
    char data[] = "sealed without asking";
    unsigned char trailer[64];
    SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof data - 1, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&v.client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&v.server, &d, 0, NULL), SEC_E_OK);
    conv_free(&v);

    logged_on(&v, "Kerberos", ISC_REQ_NO_INTEGRITY);
    ck_assert_uint_eq(v.server_attrs[0] & (ASC_RET_INTEGRITY | ASC_RET_CONFIDENTIALITY), 0);
    b[0].cbBuffer = sizeof trailer;
    ck_assert_sec_status(EncryptMessage(&v.client, 0, &d, 0), SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
}
END_TEST

START_TEST(native_names_are_the_tickets_principals_on_both_sides)
{
    struct conv v;
    logged_on(&v, "Kerberos", MUTUAL);
    for (int side = 0; side < 2; side++) {
        SecPkgContext_NativeNamesA n = {(SEC_CHAR *)0xdeadbeef, (SEC_CHAR *)0xdeadbeef};
        ck_assert_sec_status(QueryContextAttributesA(side ? &v.server : &v.client, SECPKG_ATTR_NATIVE_NAMES, &n),
                         SEC_E_OK);
        ck_assert_str_eq(n.sClientName, "alice@EXAMPLE.TEST");
        ck_assert_str_eq(n.sServerName, "HTTP/server.example.test@EXAMPLE.TEST");
        FreeContextBuffer(n.sClientName);
        FreeContextBuffer(n.sServerName);
    }
    /* SECPKG_ATTR_NAMES stays the account name. */
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&v.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    conv_free(&v);
}
END_TEST

/* RFC 4752's security layers (IMAP, SMTP, LDAP logins) wrap with integrity only. */
START_TEST(kerb_wrap_no_encrypt_signs_and_leaves_the_data_readable)
{
    static const char *const packages[] = {"Kerberos", "Negotiate"};
    for (int p = 0; p < 2; p++) {
        struct conv v;
        logged_on(&v, packages[p], MUTUAL);
        for (int dir = 0; dir < 2; dir++) {
            CtxtHandle *from = dir ? &v.server : &v.client, *to = dir ? &v.client : &v.server;
            char data[] = "a SASL security layer";
            unsigned char trailer[64], padding[16];
            SecBuffer b[3] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof data - 1, SECBUFFER_DATA, data},
                              {sizeof padding, SECBUFFER_PADDING, padding}};
            SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
            ck_assert_sec_status(EncryptMessage(from, KERB_WRAP_NO_ENCRYPT, &d, 0), SEC_E_OK);
            ck_assert_str_eq(data, "a SASL security layer");
            ck_assert_uint_eq(b[0].cbBuffer, 28); /* header and checksum */
            ck_assert_uint_eq(b[2].cbBuffer, 0);
            ULONG qop = 0xdeadbeef;
            ck_assert_sec_status(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
            ck_assert_uint_eq(qop, KERB_WRAP_NO_ENCRYPT);
            ck_assert_str_eq(data, "a SASL security layer");
            b[0].cbBuffer = sizeof trailer;
            ck_assert_sec_status(EncryptMessage(from, KERB_WRAP_NO_ENCRYPT, &d, 0), SEC_E_OK);
            data[0] ^= 1;
            qop = 0xdeadbeef;
            ck_assert_sec_status(DecryptMessage(to, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
            data[0] ^= 1;
            ck_assert_sec_status(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
        }
        conv_free(&v);
    }
}
END_TEST

START_TEST(a_sealed_message_reports_qop_0_and_empties_the_padding)
{
    struct conv v;
    logged_on(&v, "Kerberos", MUTUAL);
    char data[] = "sealed";
    unsigned char trailer[64], padding[16];
    SecBuffer b[3] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof data - 1, SECBUFFER_DATA, data},
                      {sizeof padding, SECBUFFER_PADDING, padding}};
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
    ck_assert_sec_status(EncryptMessage(&v.client, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 60);
    ck_assert_uint_eq(b[2].cbBuffer, 0); /* AES needs no padding: callers join the three buffers */
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&v.server, &d, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0);
    ck_assert_sec_status(EncryptMessage(&v.client, 0x12345, &d, 0), SEC_E_QOP_NOT_SUPPORTED);
    conv_free(&v);
}
END_TEST

/* The receiver hands the whole message over in one STREAM buffer; the package finds the split and the
 * DATA buffer then points at the plaintext inside it. */
START_TEST(decrypt_message_finds_the_split_of_a_stream)
{
    static const char *const packages[] = {"Kerberos", "Negotiate"};
    static const ULONG qops[] = {0, KERB_WRAP_NO_ENCRYPT};
    for (int p = 0; p < 2; p++) {
        for (int q = 0; q < 2; q++) {
            struct conv v;
            logged_on(&v, packages[p], MUTUAL);
            char data[] = "one whole message";
            unsigned char trailer[64], padding[16];
            SecBuffer b[3] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof data - 1, SECBUFFER_DATA, data},
                              {sizeof padding, SECBUFFER_PADDING, padding}};
            SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
            ck_assert_sec_status(EncryptMessage(&v.client, qops[q], &d, 0), SEC_E_OK);
            unsigned char wire[256];
            ULONG n = 0;
            for (int i = 0; i < 3; i++) {
                memcpy(wire + n, b[i].pvBuffer, b[i].cbBuffer);
                n += b[i].cbBuffer;
            }
            SecBuffer s[2] = {{n, SECBUFFER_STREAM, wire}, {0, SECBUFFER_DATA, NULL}};
            SecBufferDesc sd = {SECBUFFER_VERSION, 2, s};
            ULONG qop = 0xdeadbeef;
            ck_assert_sec_status(DecryptMessage(&v.server, &sd, 0, &qop), SEC_E_OK);
            ck_assert_uint_eq(qop, qops[q]);
            ck_assert_uint_eq(s[1].cbBuffer, sizeof data - 1);
            ck_assert((unsigned char *)s[1].pvBuffer >= wire && (unsigned char *)s[1].pvBuffer < wire + n);
            ck_assert(!memcmp(s[1].pvBuffer, "one whole message", sizeof data - 1));
            conv_free(&v);
        }
    }
}
END_TEST

/* Two client processes started one after the other, each with the library's defaults (or each with the
 * same named seed), log on to one long-running server. */
static void client_processes(int named_seed, SECURITY_STATUS out[2])
{
    unsetenv("FAKESSPI_SEED");
    struct conv server;
    conv_credentials(&server, "Kerberos", "alice", "Passw0rd!");
    for (int i = 0; i < 2; i++) {
        int fd[2];
        ck_assert_int_eq(pipe(fd), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) { /* a fresh client process: the library starts over */
            close(fd[0]);
            fakesspi_reset();
            if (named_seed)
                fakesspi_set_seed(42);
            struct conv c;
            conv_credentials(&c, "Kerberos", "alice", "Passw0rd!");
            unsigned char tok[8192];
            SecBuffer o = {sizeof tok, SECBUFFER_TOKEN, tok};
            SecBufferDesc od = {SECBUFFER_VERSION, 1, &o};
            ULONG attrs;
            SECURITY_STATUS st = InitializeSecurityContextA(&c.client_cred, NULL, (SEC_CHAR *)SPN, 0, 0,
                                                            SECURITY_NATIVE_DREP, NULL, 0, &c.client, &od, &attrs,
                                                            NULL);
            ssize_t w = st == SEC_E_OK ? write(fd[1], tok, o.cbBuffer) : -1;
            _exit(w == (ssize_t)o.cbBuffer ? 0 : 1);
        }
        close(fd[1]);
        unsigned char tok[8192];
        ssize_t n = 0, r;
        while ((r = read(fd[0], tok + n, sizeof tok - (size_t)n)) > 0)
            n += r;
        close(fd[0]);
        int status;
        waitpid(pid, &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CtxtHandle ctx;
        SecBuffer in = {(ULONG)n, SECBUFFER_TOKEN, tok}, o = {0, SECBUFFER_TOKEN, NULL};
        SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, od = {SECBUFFER_VERSION, 1, &o};
        ULONG attrs;
        out[i] = AcceptSecurityContext(&server.server_cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, &ctx, &od, &attrs,
                                       NULL);
        if (out[i] == SEC_E_OK)
            DeleteSecurityContext(&ctx);
    }
    conv_free(&server);
}

START_TEST(processes_run_with_the_defaults_log_on_one_after_another)
{
    SECURITY_STATUS st[2];
    client_processes(0, st);
    ck_assert_sec_status(st[0], SEC_E_OK);
    ck_assert_sec_status(st[1], SEC_E_OK);
}
END_TEST

START_TEST(with_a_named_seed_the_second_process_repeats_the_first_and_is_a_replay)
{
    SECURITY_STATUS st[2];
    client_processes(1, st);
    ck_assert_sec_status(st[0], SEC_E_OK);
    ck_assert_sec_status(st[1], SEC_E_LOGON_DENIED); /* KRB_AP_ERR_REPEAT: byte for byte the same logon */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos/windows");
    TCase *tc = test_case("kerberos");
    tcase_add_test(tc, integrity_and_confidentiality_come_unasked_unless_no_integrity);
    tcase_add_test(tc, native_names_are_the_tickets_principals_on_both_sides);
    tcase_add_test(tc, kerb_wrap_no_encrypt_signs_and_leaves_the_data_readable);
    tcase_add_test(tc, a_sealed_message_reports_qop_0_and_empties_the_padding);
    tcase_add_test(tc, decrypt_message_finds_the_split_of_a_stream);
    tcase_add_test(tc, processes_run_with_the_defaults_log_on_one_after_another);
    tcase_add_test(tc, with_a_named_seed_the_second_process_repeats_the_first_and_is_a_replay);
    suite_add_tcase(s, tc);
    return test_run(s);
}
