/* Message protection after an NTLM handshake, and the package-level SSPI calls. */
#include "sspi/sspitest.h"

#define ISC_STD (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define ASC_STD (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT)

static struct pair p;

static void connect_pair(void)
{
    test_setup();
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, "HTTP/server.example.test"), SEC_E_OK);
}

static void disconnect(void)
{
    pair_free(&p);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.live_allocations, 0);
    test_teardown();
}

struct message {
    char data[64];
    unsigned char sig[16];
    SecBuffer b[2];
    SecBufferDesc d;
};

static void message_init(struct message *m, const char *text)
{
    memset(m, 0, sizeof *m);
    snprintf(m->data, sizeof m->data, "%s", text);
    m->b[0] = (SecBuffer){(ULONG)strlen(text), SECBUFFER_DATA, m->data};
    m->b[1] = (SecBuffer){sizeof m->sig, SECBUFFER_TOKEN, m->sig};
    m->d = (SecBufferDesc){SECBUFFER_VERSION, 2, m->b};
}

START_TEST(sign_and_verify_both_ways)
{
    struct message m;
    for (int i = 0; i < 3; i++) {
        message_init(&m, "hello from the client");
        ck_assert_sec_status(MakeSignature(&p.client, 0, &m.d, 0), SEC_E_OK);
        ck_assert_uint_eq(m.b[1].cbBuffer, 16);
        ck_assert_uint_eq(m.sig[0], 1);
        ck_assert_uint_eq(m.sig[12], (unsigned)i); /* the sequence number */
        ULONG qop = 0xdead;
        ck_assert_sec_status(VerifySignature(&p.server, &m.d, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0xdead); /* Windows' NTLM leaves *pfQOP untouched */
        message_init(&m, "and back from the server");
        ck_assert_sec_status(MakeSignature(&p.server, 0, &m.d, 0), SEC_E_OK);
        ck_assert_sec_status(VerifySignature(&p.client, &m.d, 0, NULL), SEC_E_OK);
    }
}
END_TEST

START_TEST(a_changed_message_is_message_altered_and_the_stream_survives)
{
    struct message m;
    message_init(&m, "pay 100 to bob");
    MakeSignature(&p.client, 0, &m.d, 0);
    m.data[4] = '9';
    ck_assert_sec_status(VerifySignature(&p.server, &m.d, 0, NULL), SEC_E_MESSAGE_ALTERED); /* doc/semantics.md §12 */
    m.data[4] = '1';
    ck_assert_sec_status(VerifySignature(&p.server, &m.d, 0, NULL), SEC_E_OK);
}
END_TEST

START_TEST(the_second_message_first_is_out_of_sequence)
{
    struct message one, two;
    message_init(&one, "first");
    message_init(&two, "second");
    MakeSignature(&p.client, 0, &one.d, 0);
    MakeSignature(&p.client, 0, &two.d, 0);
    ck_assert_sec_status(VerifySignature(&p.server, &two.d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_sec_status(VerifySignature(&p.server, &one.d, 0, NULL), SEC_E_OK);
    ck_assert_sec_status(VerifySignature(&p.server, &two.d, 0, NULL), SEC_E_OK);
    ck_assert_sec_status(VerifySignature(&p.server, &two.d, 0, NULL), SEC_E_OUT_OF_SEQUENCE); /* a replay */
}
END_TEST

START_TEST(encrypt_and_decrypt_round_trip_in_place)
{
    struct message m;
    for (int i = 0; i < 5; i++) {
        message_init(&m, "the secret plans");
        ck_assert_sec_status(EncryptMessage(&p.client, 0, &m.d, 0), SEC_E_OK);
        ck_assert_int_ne(memcmp(m.data, "the secret plans", 16), 0);
        ck_assert_uint_eq(m.b[1].cbBuffer, 16);
        ULONG qop = 7;
        ck_assert_sec_status(DecryptMessage(&p.server, &m.d, 0, &qop), SEC_E_OK);
        ck_assert_str_eq(m.data, "the secret plans");
        ck_assert_uint_eq(qop, 7); /* Windows' NTLM leaves *pfQOP untouched */
    }
}
END_TEST

START_TEST(a_tampered_ciphertext_fails_and_leaves_the_buffer)
{
    struct message m;
    message_init(&m, "transfer funds");
    EncryptMessage(&p.server, 0, &m.d, 0);
    m.data[0] ^= 0x40;
    char before[64];
    memcpy(before, m.data, sizeof before);
    ck_assert_sec_status(DecryptMessage(&p.client, &m.d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    ck_assert(!memcmp(before, m.data, sizeof before));
    m.data[0] ^= 0x40;
    ck_assert_sec_status(DecryptMessage(&p.client, &m.d, 0, NULL), SEC_E_OK);
    ck_assert_str_eq(m.data, "transfer funds");
}
END_TEST

START_TEST(buffers_without_a_token_are_invalid_token_and_qop_is_refused)
{
    struct message m;
    message_init(&m, "x");
    SecBufferDesc only_data = {SECBUFFER_VERSION, 1, m.b};
    ck_assert_sec_status(MakeSignature(&p.client, 0, &only_data, 0), SEC_E_INVALID_TOKEN); /* doc/semantics.md §12 */
    ck_assert_sec_status(EncryptMessage(&p.client, 0, &only_data, 0), SEC_E_INVALID_TOKEN);
    ck_assert_sec_status(MakeSignature(&p.client, 1, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
    ck_assert_sec_status(EncryptMessage(&p.client, SECQOP_WRAP_NO_ENCRYPT, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
    m.b[1].cbBuffer = 8;
    ck_assert_sec_status(MakeSignature(&p.client, 0, &m.d, 0), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_sec_status(MakeSignature(&p.client, 0, NULL, 0), SEC_E_INVALID_TOKEN);
    /* None of that consumed a sequence number. */
    message_init(&m, "x");
    MakeSignature(&p.client, 0, &m.d, 0);
    ck_assert_sec_status(VerifySignature(&p.server, &m.d, 0, NULL), SEC_E_OK);
}
END_TEST

START_TEST(several_data_buffers_are_one_message)
{
    char a[] = "part one, ", b[] = "part two";
    unsigned char sig[16];
    SecBuffer bufs[3] = {{sizeof a - 1, SECBUFFER_DATA, a}, {sizeof sig, SECBUFFER_TOKEN, sig},
                         {sizeof b - 1, SECBUFFER_DATA, b}};
    SecBufferDesc d = {SECBUFFER_VERSION, 3, bufs};
    ck_assert_sec_status(EncryptMessage(&p.client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&p.server, &d, 0, NULL), SEC_E_OK);
    ck_assert_str_eq(a, "part one, ");
    ck_assert_str_eq(b, "part two");
}
END_TEST

START_TEST(sizes_and_flags_and_names_after_completion)
{
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxToken, 2888); /* doc/semantics.md §8 */
    ck_assert_uint_eq(sizes.cbMaxSignature, 16);
    ck_assert_uint_eq(sizes.cbBlockSize, 0);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, 16);
    SecPkgContext_Flags flags;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert_uint_eq(flags.Flags, p.server_attrs);
    SecPkgContext_NamesW names;
    ck_assert_sec_status(QueryContextAttributesW(&p.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert(!memcmp(names.sUserName, u"EXAMPLE\\alice", 28));
    FreeContextBuffer(names.sUserName);
    SecPkgContext_NativeNamesA native;
    ck_assert_sec_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_NATIVE_NAMES, &native), SEC_E_OK);
    ck_assert_str_eq(native.sServerName, "HTTP/server.example.test");
    FreeContextBuffer(native.sClientName);
    FreeContextBuffer(native.sServerName);
    SecPkgContext_StreamSizes stream;
    ck_assert_sec_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_STREAM_SIZES, &stream),
                         SEC_E_UNSUPPORTED_FUNCTION);
    SecPkgContext_SessionKey c, s;
    ck_assert_sec_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_SESSION_KEY, &c), SEC_E_OK);
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_SESSION_KEY, &s), SEC_E_OK);
    ck_assert_uint_eq(c.SessionKeyLength, 16);
    ck_assert(!memcmp(c.SessionKey, s.SessionKey, 16)); /* both sides agree */
    FreeContextBuffer(c.SessionKey);
    FreeContextBuffer(s.SessionKey);
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
    SecPkgContext_Lifespan life;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert_int_eq(life.tsStart.QuadPart, 133801632000000000LL); /* the virtual clock's epoch */
    SecPkgContext_AuthorityA auth;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_AUTHORITY, &auth), SEC_E_OK);
    ck_assert_str_eq(auth.sAuthorityName, "EXAMPLE");
    FreeContextBuffer(auth.sAuthorityName);
    SecPkgContext_KeyInfoA key;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_uint_eq(key.KeySize, 128);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);
    ck_assert_sec_status(QueryContextAttributesA(&p.server, 9999, &flags), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_sec_status(QueryContextAttributesExA(&p.server, SECPKG_ATTR_SIZES, &sizes, 4), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_sec_status(QueryContextAttributesExA(&p.server, SECPKG_ATTR_SIZES, &sizes, sizeof sizes), SEC_E_OK);
}
END_TEST

/* The Ex forms check the caller's size against each structure's Windows x64 size, one byte short refused. */
START_TEST(each_attribute_refuses_a_buffer_one_byte_short)
{
    static const struct {
        ULONG attr, windows_size;
    } cases[] = {
        {SECPKG_ATTR_SIZES, 16},        {SECPKG_ATTR_FLAGS, 4},          {SECPKG_ATTR_PACKAGE_INFO, 8},
        {SECPKG_ATTR_NEGOTIATION_INFO, 16}, {SECPKG_ATTR_NAMES, 8},      {SECPKG_ATTR_NATIVE_NAMES, 16},
        {SECPKG_ATTR_CREDENTIAL_NAME, 16}, {SECPKG_ATTR_AUTHORITY, 8},   {SECPKG_ATTR_LIFESPAN, 16},
        {SECPKG_ATTR_KEY_INFO, 32},     {SECPKG_ATTR_SESSION_KEY, 16},   {SECPKG_ATTR_ACCESS_TOKEN, 8},
    };
    unsigned char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(QueryContextAttributesExA(&p.server, cases[i].attr, buf, cases[i].windows_size - 1) ==
                          SEC_E_BUFFER_TOO_SMALL, "attribute %lu", (unsigned long)cases[i].attr);
        ck_assert_msg(QueryContextAttributesExW(&p.server, cases[i].attr, buf, cases[i].windows_size - 1) ==
                          SEC_E_BUFFER_TOO_SMALL, "attribute %lu (W)", (unsigned long)cases[i].attr);
    }
    SecPkgContext_Lifespan life;
    ck_assert_sec_status(QueryContextAttributesExW(&p.server, SECPKG_ATTR_LIFESPAN, &life, sizeof life), SEC_E_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/ntlm-messages");
    TCase *tc = tcase_create("messages");
    tcase_add_checked_fixture(tc, connect_pair, disconnect);
    tcase_add_test(tc, sign_and_verify_both_ways);
    tcase_add_test(tc, a_changed_message_is_message_altered_and_the_stream_survives);
    tcase_add_test(tc, the_second_message_first_is_out_of_sequence);
    tcase_add_test(tc, encrypt_and_decrypt_round_trip_in_place);
    tcase_add_test(tc, a_tampered_ciphertext_fails_and_leaves_the_buffer);
    tcase_add_test(tc, buffers_without_a_token_are_invalid_token_and_qop_is_refused);
    tcase_add_test(tc, each_attribute_refuses_a_buffer_one_byte_short);
    tcase_add_test(tc, several_data_buffers_are_one_message);
    tcase_add_test(tc, sizes_and_flags_and_names_after_completion);
    suite_add_tcase(s, tc);
    return test_run(s);
}
