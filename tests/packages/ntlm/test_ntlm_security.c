/* What NTLM's MIC and channel bindings protect against, and many handshakes on many threads. */
#include <pthread.h>

#include "sspi/sspitest.h"

/* Leg by leg, with a hook to change the tokens in flight and extra input buffers on the last legs. */
struct wire {
    void (*tamper_negotiate)(unsigned char *msg, ULONG len);
    const void *client_bindings, *server_bindings;
    ULONG client_bindings_len, server_bindings_len;
};

static SECURITY_STATUS run(struct pair *p, const struct wire *w)
{
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&p->client_cred, NULL, "HTTP/server.example.test", 0, 0, 0, NULL, 0,
                                                    &p->client, &ocd, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    if (w->tamper_negotiate)
        w->tamper_negotiate(c2s, oc.cbBuffer);
    SecBuffer is[2] = {{oc.cbBuffer, SECBUFFER_TOKEN, c2s}};
    SecBufferDesc isd = {SECBUFFER_VERSION, 1, is};
    ck_assert_sec_status(AcceptSecurityContext(&p->server_cred, NULL, &isd, 0, 0, &p->server, &osd, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    SecBuffer ic[2] = {{os.cbBuffer, SECBUFFER_TOKEN, s2c},
                       {w->client_bindings_len, SECBUFFER_CHANNEL_BINDINGS, (void *)w->client_bindings}};
    SecBufferDesc icd = {SECBUFFER_VERSION, w->client_bindings ? 2 : 1, ic};
    oc.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&p->client_cred, &p->client, "HTTP/server.example.test", 0, 0, 0,
                                                    &icd, 0, &p->client, &ocd, &attrs, NULL),
                         SEC_E_OK);
    is[0] = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    is[1] = (SecBuffer){w->server_bindings_len, SECBUFFER_CHANNEL_BINDINGS, (void *)w->server_bindings};
    isd.cBuffers = w->server_bindings ? 2 : 1;
    os.cbBuffer = sizeof s2c;
    return AcceptSecurityContext(&p->server_cred, &p->server, &isd, 0, 0, &p->server, &osd, &attrs, NULL);
}

static void drop_oem(unsigned char *msg, ULONG len)
{
    ck_assert_uint_ge(len, 16);
    msg[12] &= (unsigned char)~0x02; /* NTLMSSP_NEGOTIATE_OEM: harmless, but the MIC covers it */
}

START_TEST(a_changed_negotiate_message_breaks_the_mic)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    struct wire w = {.tamper_negotiate = drop_oem};
    ck_assert_sec_status(run(&p, &w), SEC_E_LOGON_DENIED);
    pair_free(&p);
}
END_TEST

/* SEC_CHANNEL_BINDINGS with only application data, as a TLS server's tls-server-end-point. */
struct bindings {
    SEC_CHANNEL_BINDINGS h;
    char data[32];
};

static struct bindings make_bindings(const char *app)
{
    struct bindings b;
    memset(&b, 0, sizeof b);
    b.h.cbApplicationDataLength = (ULONG)strlen(app);
    b.h.dwApplicationDataOffset = sizeof b.h;
    memcpy(b.data, app, strlen(app));
    return b;
}

START_TEST(matching_channel_bindings_pass_and_others_are_bad_bindings)
{
    struct bindings mine = make_bindings("tls-server-end-point:AAAA"), theirs = make_bindings("tls-server-end-point:BBBB");
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    struct wire same = {NULL, &mine, &mine, sizeof mine, sizeof mine};
    ck_assert_sec_status(run(&p, &same), SEC_E_OK);
    pair_free(&p);
    pair_credentials(&p, "alice", "Passw0rd!");
    struct wire other = {NULL, &mine, &theirs, sizeof mine, sizeof theirs};
    ck_assert_sec_status(run(&p, &other), SEC_E_BAD_BINDINGS);
    pair_free(&p);
    /* A client that had no bindings is let through, as Windows' default policy does. */
    pair_credentials(&p, "alice", "Passw0rd!");
    struct wire none = {NULL, NULL, &theirs, 0, sizeof theirs};
    ck_assert_sec_status(run(&p, &none), SEC_E_OK);
    pair_free(&p);
}
END_TEST

#define THREADS 4
#define ROUNDS 150

static void *handshakes(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < ROUNDS; i++) {
        struct pair p;
        SEC_WINNT_AUTH_IDENTITY_A id = identity_a(i % 2 ? "bob" : "alice", "EXAMPLE", i % 2 ? "Hunter2!" : "Passw0rd!");
        if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.client_cred,
                                      NULL) ||
            AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.server_cred,
                                      NULL)) {
            (*failures)++;
            continue;
        }
        struct wire w = {0};
        if (run(&p, &w) != SEC_E_OK)
            (*failures)++;
        char data[] = "a message";
        unsigned char sig[16];
        SecBuffer b[2] = {{sizeof data, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        if (EncryptMessage(&p.client, 0, &d, 0) != SEC_E_UNSUPPORTED_FUNCTION) /* no CONFIDENTIALITY asked */
            (*failures)++;
        if (MakeSignature(&p.client, 0, &d, 0) || VerifySignature(&p.server, &d, 0, NULL))
            (*failures)++;
        HANDLE token;
        if (QuerySecurityContextToken(&p.server, &token) || !CloseHandle(token))
            (*failures)++;
        pair_free(&p);
    }
    return NULL;
}

START_TEST(many_handshakes_on_four_threads)
{
    pthread_t th[THREADS];
    int failures[THREADS] = {0};
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, handshakes, &failures[i]);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(failures[i], 0);
    }
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.misuse_total, 0);
    ck_assert_uint_eq(c.live_tokens, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/ntlm-security");
    TCase *tc = test_case("security");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, a_changed_negotiate_message_breaks_the_mic);
    tcase_add_test(tc, matching_channel_bindings_pass_and_others_are_bad_bindings);
    tcase_add_test(tc, many_handshakes_on_four_threads);
    suite_add_tcase(s, tc);
    return test_run(s);
}
