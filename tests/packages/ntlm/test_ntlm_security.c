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

/* Both ANSI and UNICODE: the ANSI strings were read as UTF-16, twice their length past their end. */
START_TEST(an_identity_both_ansi_and_unicode_is_refused)
{
    static const struct { const char *package; } packages[] = {{"NTLM"}, {"Kerberos"}, {"Negotiate"}};
    for (size_t i = 0; i < sizeof packages / sizeof *packages; i++) {
        SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
        CredHandle cred = {0xdeadbeef, 0xdeadbeef};
        TimeStamp expiry = {.QuadPart = 0xdeadbeef};
        ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)packages[i].package, SECPKG_CRED_OUTBOUND, NULL, &id,
                                                   NULL, NULL, &cred, &expiry), SEC_E_UNKNOWN_CREDENTIALS);
        ck_assert_uint_eq(cred.dwLower, 0xdeadbeef);
        ck_assert_uint_eq(cred.dwUpper, 0xdeadbeef);
        ck_assert_int_eq(expiry.QuadPart, 0xdeadbeef);
        SEC_WINNT_AUTH_IDENTITY_EXA ex = {SEC_WINNT_AUTH_IDENTITY_VERSION, sizeof ex, (unsigned char *)"alice", 5,
                                          (unsigned char *)"EXAMPLE", 7, (unsigned char *)"Passw0rd!", 9,
                                          SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE, NULL, 0};
        ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)packages[i].package, SECPKG_CRED_OUTBOUND, NULL, &ex,
                                                   NULL, NULL, &cred, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    }
}
END_TEST

/* "alice\0evil" with UserLength 10 was cut at the NUL and logged on as alice. */
START_TEST(a_nul_inside_an_identity_string_names_no_account)
{
    static const char user[] = "alice\0evil", password[] = "Passw0rd!\0x";
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    id.User = (unsigned char *)user;
    id.UserLength = sizeof user - 1;
    CredHandle cred = {0xdeadbeef, 0xdeadbeef};
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred,
                                               NULL), SEC_E_UNKNOWN_CREDENTIALS);
    ck_assert_uint_eq(cred.dwLower, 0xdeadbeef);
    id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    id.Password = (unsigned char *)password;
    id.PasswordLength = sizeof password - 1;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred,
                                               NULL), SEC_E_UNKNOWN_CREDENTIALS);
    static const WCHAR wuser[] = {'a', 'l', 'i', 'c', 'e', 0, 'e', 'v', 'i', 'l', 0};
    static const WCHAR wpassword[] = {'P', 'a', 's', 's', 'w', '0', 'r', 'd', '!', 0};
    SEC_WINNT_AUTH_IDENTITY_W wid = {(unsigned short *)wuser, 10, NULL, 0, (unsigned short *)wpassword, 9,
                                     SEC_WINNT_AUTH_IDENTITY_UNICODE};
    ck_assert_int_eq(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NTLM", SECPKG_CRED_OUTBOUND, NULL, &wid, NULL,
                                               NULL, &cred, NULL), SEC_E_UNKNOWN_CREDENTIALS);
    wid.UserLength = 5; /* "alice" alone is fine */
    ck_assert_int_eq(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NTLM", SECPKG_CRED_OUTBOUND, NULL, &wid, NULL,
                                               NULL, &cred, NULL), SEC_E_OK);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* Names longer than NTLM's 16-bit fields (doc/semantics.md §39). The client's second leg, with the token
 * allocated by the package: its status, and the AUTHENTICATE_MESSAGE when there is one. */
struct long_leg {
    SECURITY_STATUS status;
    unsigned char *token; /* FreeContextBuffer */
    ULONG len;
};

static struct long_leg client_second_leg(const char *user, const char *target)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, "EXAMPLE", "Passw0rd!");
    CredHandle cc, sc;
    CtxtHandle c, s;
    ULONG attrs;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                                   NULL), SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc,
                                                   NULL), SEC_E_OK);
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)target, 0, 0, 0, NULL, 0, &c, &ocd, &attrs,
                                                    NULL), SEC_I_CONTINUE_NEEDED);
    SecBuffer is = {oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    SecBufferDesc isd = {SECBUFFER_VERSION, 1, &is};
    ck_assert_sec_status(AcceptSecurityContext(&sc, NULL, &isd, 0, 0, &s, &osd, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    SecBuffer ic = {os.cbBuffer, SECBUFFER_TOKEN, s2c}, out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, outd = {SECBUFFER_VERSION, 1, &out};
    struct long_leg leg;
    leg.status = InitializeSecurityContextA(&cc, &c, (SEC_CHAR *)target, ISC_REQ_ALLOCATE_MEMORY, 0, 0, &icd, 0, &c,
                                            &outd, &attrs, NULL);
    leg.token = out.pvBuffer;
    leg.len = out.cbBuffer;
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return leg;
}

static char *repeated(char c, size_t n)
{
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static unsigned field_u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static unsigned long field_u32(const unsigned char *p)
{
    return (unsigned long)field_u16(p) | (unsigned long)field_u16(p + 2) << 16;
}

START_TEST(a_user_name_of_32767_characters_fills_its_field_exactly)
{
    char *user = repeated('u', 32767);
    struct long_leg leg = client_second_leg(user, NULL);
    ck_assert_sec_status(leg.status, SEC_E_OK);
    ck_assert_ptr_nonnull(leg.token);
    /* UserNameFields at offset 36: Len, MaxLen, Offset, and the name inside the message */
    ck_assert_uint_eq(field_u16(leg.token + 36), 65534);
    ck_assert_uint_eq(field_u16(leg.token + 38), 65534);
    ck_assert_uint_le(field_u32(leg.token + 40) + 65534, leg.len);
    ck_assert_uint_eq(leg.token[field_u32(leg.token + 40)], 'u');
    ck_assert_sec_status(FreeContextBuffer(leg.token), SEC_E_OK);
    free(user);
}
END_TEST

START_TEST(a_user_name_over_32767_characters_is_invalid_parameter_not_a_wrapped_length)
{
    char *user = repeated('u', 32768);
    struct long_leg leg = client_second_leg(user, NULL);
    ck_assert_sec_status(leg.status, SEC_E_INVALID_PARAMETER);
    ck_assert_ptr_null(leg.token);
    ck_assert_uint_eq(leg.len, 0);
    free(user);
}
END_TEST

START_TEST(a_target_name_too_long_for_the_response_is_invalid_parameter)
{
    /* 32768: too long for its AV pair; 32767: the pair fits, the NT response holding it does not; 32000: both
     * fit, and the response's length is what it holds */
    static const size_t lengths[] = {32768, 32767, 32000};
    static const SECURITY_STATUS want[] = {SEC_E_INVALID_PARAMETER, SEC_E_INVALID_PARAMETER, SEC_E_OK};
    for (int i = 0; i < 3; i++) {
        char *target = repeated('t', lengths[i]);
        memcpy(target, "HTTP/", 5);
        struct long_leg leg = client_second_leg("alice", target);
        ck_assert_msg(leg.status == want[i], "target of %zu characters: %#lx", lengths[i], (unsigned long)leg.status);
        if (want[i] == SEC_E_OK) {
            /* NtChallengeResponseFields at offset 20: the pair is in it, and it lies inside the message */
            unsigned nt_len = field_u16(leg.token + 20);
            ck_assert_uint_gt(nt_len, lengths[i] * 2);
            ck_assert_uint_le(field_u32(leg.token + 24) + nt_len, leg.len);
            ck_assert_sec_status(FreeContextBuffer(leg.token), SEC_E_OK);
        } else {
            ck_assert_ptr_null(leg.token);
        }
        free(target);
    }
    /* The same measured in UTF-16 units, not UTF-8 bytes: 32,700 two-byte characters fit their pair but
     * not the response, and it is the target's fault. */
    char *wide = malloc(5 + 2 * 32700 + 1);
    ck_assert_ptr_nonnull(wide);
    memcpy(wide, "HTTP/", 5);
    for (size_t i = 0; i < 32700; i++)
        memcpy(wide + 5 + 2 * i, "\xc3\xa9", 2);
    wide[5 + 2 * 32700] = 0;
    struct long_leg leg = client_second_leg("alice", wide);
    ck_assert_sec_status(leg.status, SEC_E_INVALID_PARAMETER);
    ck_assert_ptr_null(leg.token);
    free(wide);
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
    TCase *ids = test_case("identities");
    tcase_add_test(ids, an_identity_both_ansi_and_unicode_is_refused);
    tcase_add_test(ids, a_nul_inside_an_identity_string_names_no_account);
    tcase_add_test(ids, a_user_name_of_32767_characters_fills_its_field_exactly);
    tcase_add_test(ids, a_user_name_over_32767_characters_is_invalid_parameter_not_a_wrapped_length);
    tcase_add_test(ids, a_target_name_too_long_for_the_response_is_invalid_parameter);
    suite_add_tcase(s, ids);
    return test_run(s);
}
