/* NTLM as Windows reports it: context attributes leg by leg, KEY_INFO, *pfQOP, and the downgrades a man in
 * the middle tries by rewriting the tokens (doc/semantics.md §25, §26). */
#include "conformance/conversation.h"
#include "wincrypt.h"

#define NEGOTIATE_FLAGS 12    /* offsets of the flags in NEGOTIATE, CHALLENGE and AUTHENTICATE */
#define CHALLENGE_FLAGS 20
#define AUTHENTICATE_FLAGS 60
#define SIGN 0x10u
#define SEAL 0x20u
#define KEY_128 0x20000000u
#define KEY_56 0x80000000u

static uint32_t get32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Windows' answers for a client asking only fContextReq and a server asking 0: the NEGOTIATE's SIGN and SEAL
 * bits, then pfContextAttr of ISC leg 1, ASC leg 2, ISC leg 3, ASC leg 4. */
static const struct {
    ULONG req;
    unsigned wire; /* SIGN/SEAL in the NEGOTIATE */
    ULONG isc1, asc2, isc3, asc4;
} flag_table[] = {
    {0, 0, 0, 0, 0, 0},
    {ISC_REQ_EXTENDED_ERROR, 0, 0, 0, 0, 0},
    {ISC_REQ_USE_DCE_STYLE, 0, 0, 0, 0, 0},
    {ISC_REQ_DELEGATE, 0, 0, 0, 0, 0},
    {ISC_REQ_CONNECTION, 0, ISC_RET_CONNECTION, 0, 0, 0},
    {ISC_REQ_MUTUAL_AUTH, 0, 0, 0, ISC_RET_MUTUAL_AUTH, 0},
    {ISC_REQ_INTEGRITY, SIGN, ISC_RET_INTEGRITY, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT,
     ISC_RET_INTEGRITY | ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT,
     ASC_RET_INTEGRITY | ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT},
    {ISC_REQ_REPLAY_DETECT, SIGN, ISC_RET_REPLAY_DETECT, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT,
     ISC_RET_INTEGRITY | ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT,
     ASC_RET_INTEGRITY | ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT},
    {ISC_REQ_SEQUENCE_DETECT, SIGN, ISC_RET_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT,
     ISC_RET_INTEGRITY | ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT,
     ASC_RET_INTEGRITY | ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT},
    {ISC_REQ_CONFIDENTIALITY, SIGN | SEAL, ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY,
     ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY,
     ISC_RET_INTEGRITY | ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT | ISC_RET_CONFIDENTIALITY,
     ASC_RET_INTEGRITY | ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY},
};

static void record_negotiate(int hop, unsigned char *token, ULONG *len, void *arg)
{
    (void)len;
    if (hop == 0)
        *(uint32_t *)arg = get32(token + NEGOTIATE_FLAGS);
}

START_TEST(context_attributes_are_what_was_negotiated_leg_by_leg)
{
    struct conv v;
    uint32_t negotiate_flags = 0;
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = record_negotiate;
    v.arg = &negotiate_flags;
    conv_run(&v, "HOST/server.example.test", flag_table[_i].req, 0);
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    ck_assert_uint_eq(negotiate_flags & (SIGN | SEAL), flag_table[_i].wire);
    ck_assert_uint_eq(v.client_attrs[0], flag_table[_i].isc1);
    ck_assert_uint_eq(v.server_attrs[0], flag_table[_i].asc2);
    ck_assert_uint_eq(v.client_attrs[1], flag_table[_i].isc3);
    ck_assert_uint_eq(v.server_attrs[1], flag_table[_i].asc4);
    SecPkgContext_Flags f = {0xdeadbeef};
    ck_assert_sec_status(QueryContextAttributesA(&v.server, SECPKG_ATTR_FLAGS, &f), SEC_E_OK);
    ck_assert_uint_eq(f.Flags, flag_table[_i].asc4);
    conv_free(&v);
}
END_TEST

START_TEST(key_info_is_rc4_with_its_real_key_size)
{
    struct conv v;
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    SecPkgContext_KeyInfoA key;
    memset(&key, 0xcc, sizeof key);
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_str_eq(key.sSignatureAlgorithmName, "HMAC-MD5");
    ck_assert_str_eq(key.sEncryptAlgorithmName, "RSADSI RC4");
    ck_assert_uint_eq(key.SignatureAlgorithm, 0xffffff76);
    ck_assert_uint_eq(key.KeySize, 128);
    ck_assert_uint_eq(key.EncryptAlgorithm, CALG_RC4); /* 0x6801, not an etype */
    ck_assert_uint_eq(CALG_RC4, 0x6801);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);
    conv_free(&v);
}
END_TEST

START_TEST(verify_and_decrypt_leave_pfqop_untouched)
{
    struct conv v;
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    char data[] = "Hello, world!";
    unsigned char sig[16];
    SecBuffer b[2] = {{sizeof sig, SECBUFFER_TOKEN, sig}, {sizeof data - 1, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(&v.client, 0, &d, 0), SEC_E_OK);
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(VerifySignature(&v.server, &d, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0xdeadbeef);
    ck_assert_sec_status(MakeSignature(&v.client, 0, &d, 0), SEC_E_OK);
    data[0] ^= 1;
    ck_assert_sec_status(VerifySignature(&v.server, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    ck_assert_uint_eq(qop, 0xdeadbeef);
    data[0] ^= 1;
    ck_assert_sec_status(VerifySignature(&v.server, &d, 0, &qop), SEC_E_OK);
    b[0].cbBuffer = sizeof sig;
    ck_assert_sec_status(EncryptMessage(&v.client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&v.server, &d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(data, "Hello, world!");
    ck_assert_uint_eq(qop, 0xdeadbeef);
    conv_free(&v);
}
END_TEST

/* ---- downgrades by a man in the middle ---- */

struct rewrite {
    uint32_t clear_negotiate, clear_challenge, clear_authenticate;
    int strip;
};

static void rewrite_tokens(int hop, unsigned char *t, ULONG *len, void *arg)
{
    const struct rewrite *r = arg;
    if (hop == 0)
        put32(t + NEGOTIATE_FLAGS, get32(t + NEGOTIATE_FLAGS) & ~r->clear_negotiate);
    if (hop == 1) {
        put32(t + CHALLENGE_FLAGS, get32(t + CHALLENGE_FLAGS) & ~r->clear_challenge);
        if (r->strip)
            conv_ntlm_strip_timestamp(t, len);
    }
    if (hop == 2)
        put32(t + AUTHENTICATE_FLAGS, get32(t + AUTHENTICATE_FLAGS) & ~r->clear_authenticate);
}

START_TEST(a_negotiate_without_128_bit_keys_is_refused_by_the_server)
{
    struct conv v;
    struct rewrite r = {.clear_negotiate = KEY_128 | KEY_56};
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION); /* NtlmMinServerSec: 128-bit */
    conv_free(&v);
}
END_TEST

START_TEST(a_challenge_without_128_bit_keys_and_timestamp_is_refused_by_the_client)
{
    struct conv v;
    struct rewrite r = {.clear_challenge = KEY_128 | KEY_56, .strip = 1};
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.client_status, SEC_E_UNSUPPORTED_FUNCTION); /* NtlmMinClientSec: 128-bit */
    ck_assert_sec_status(v.server_status, SEC_I_CONTINUE_NEEDED);      /* no AUTHENTICATE ever left */
    conv_free(&v);
}
END_TEST

START_TEST(an_authenticate_without_128_bit_keys_is_refused_by_the_server)
{
    struct conv v;
    struct rewrite r = {.clear_authenticate = KEY_128 | KEY_56, .strip = 1}; /* no MIC to catch it */
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
}
END_TEST

START_TEST(a_client_that_asked_for_confidentiality_and_did_not_get_it_fails)
{
    static const struct rewrite attacks[] = {
        {.clear_negotiate = SIGN | SEAL | KEY_128 | KEY_56, .clear_challenge = SIGN | SEAL | KEY_128 | KEY_56, .strip = 1},
        {.clear_negotiate = SIGN | SEAL, .clear_challenge = SIGN | SEAL, .strip = 1},
        {.clear_challenge = SEAL, .strip = 1},
    };
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
        struct conv v;
        conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
        v.mitm = rewrite_tokens;
        v.arg = (void *)&attacks[i];
        conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
        ck_assert_sec_status(v.client_status, SEC_E_UNSUPPORTED_FUNCTION);
        /* The server never completes, so no forged message can pass its VerifySignature. */
        ck_assert_sec_status(v.server_status, SEC_I_CONTINUE_NEEDED);
        char data[] = "forged";
        unsigned char sig[16] = {1};
        SecBuffer b[2] = {{sizeof sig, SECBUFFER_TOKEN, sig}, {6, SECBUFFER_DATA, data}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(VerifySignature(&v.server, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE); /* doc/semantics.md §7 */
        ck_assert_uint_eq(qop, 0xdeadbeef);
        conv_free(&v);
    }
}
END_TEST

START_TEST(a_client_that_asked_for_integrity_and_did_not_get_it_fails)
{
    struct conv v;
    struct rewrite r = {.clear_challenge = SIGN | SEAL, .strip = 1};
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, ISC_REQ_INTEGRITY, 0);
    ck_assert_sec_status(v.client_status, SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
}
END_TEST

/* Without signing or sealing there is no key to be weak: a client that asked for neither (curl sends no
 * NEGOTIATE_128) logs on, and KEY_INFO tells the truth about the key it would have. */
START_TEST(without_session_security_a_weak_key_is_accepted_and_reported)
{
    struct conv v;
    struct rewrite r = {.clear_negotiate = KEY_128 | KEY_56, .strip = 1}; /* with a MIC the change is caught */
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, 0, 0);
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    SecPkgContext_KeyInfoA key;
    ck_assert_sec_status(QueryContextAttributesA(&v.server, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_uint_eq(key.KeySize, 40);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);
    conv_free(&v);
}
END_TEST

START_TEST(with_the_timestamp_in_place_the_mic_catches_a_rewritten_negotiate)
{
    struct conv v;
    struct rewrite r = {.clear_negotiate = KEY_128 | KEY_56};
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    v.mitm = rewrite_tokens;
    v.arg = &r;
    conv_run(&v, NULL, 0, 0);
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_LOGON_DENIED);
    conv_free(&v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/ntlm/windows");
    TCase *tc = test_case("attributes");
    tcase_add_loop_test(tc, context_attributes_are_what_was_negotiated_leg_by_leg, 0,
                        (int)(sizeof flag_table / sizeof flag_table[0]));
    tcase_add_test(tc, key_info_is_rc4_with_its_real_key_size);
    tcase_add_test(tc, verify_and_decrypt_leave_pfqop_untouched);
    suite_add_tcase(s, tc);
    tc = test_case("downgrades");
    tcase_add_test(tc, a_negotiate_without_128_bit_keys_is_refused_by_the_server);
    tcase_add_test(tc, a_challenge_without_128_bit_keys_and_timestamp_is_refused_by_the_client);
    tcase_add_test(tc, an_authenticate_without_128_bit_keys_is_refused_by_the_server);
    tcase_add_test(tc, a_client_that_asked_for_confidentiality_and_did_not_get_it_fails);
    tcase_add_test(tc, a_client_that_asked_for_integrity_and_did_not_get_it_fails);
    tcase_add_test(tc, without_session_security_a_weak_key_is_accepted_and_reported);
    tcase_add_test(tc, with_the_timestamp_in_place_the_mic_catches_a_rewritten_negotiate);
    suite_add_tcase(s, tc);
    return test_run(s);
}
