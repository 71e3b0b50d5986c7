/* Kerberos crypto against the published vectors. SOURCE: RFC 3961 appendix A.1 (n-fold) and RFC 3962
 * appendix B (PBKDF2 string-to-key, AES-CTS with a zero IV), copied here from the RFC text. */
#include "testutil.h"
#include "packages/kerberos/krb_crypto.h"

struct nfold_case {
    const char *in;
    size_t bits;
    const char *hex;
};

START_TEST(nfold_matches_rfc3961_a1)
{
    static const struct nfold_case cases[] = {
        {"012345", 64, "be072631276b1955"},
        {"password", 56, "78a07b6caf85fa"},
        {"Rough Consensus, and Running Code", 64, "bb6ed30870b7f0e0"},
        {"password", 168, "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e"},
        {"MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192, "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b"},
        {"Q", 168, "518a54a215a8452a518a54a215a8452a518a54a215"},
        {"ba", 168, "fb25d531ae8974499f52fd92ea9857c4ba24cf297e"},
        {"kerberos", 64, "6b65726265726f73"},
        {"kerberos", 128, "6b65726265726f737b9b5b2b93132b93"},
        {"kerberos", 168, "8372c236344e5f1550cd0747e15d62ca7a5a3bcea4"},
        {"kerberos", 256, "6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[32];
        krb_nfold((const uint8_t *)cases[i].in, strlen(cases[i].in), out, cases[i].bits / 8);
        ck_assert_hex(out, cases[i].bits / 8, cases[i].hex);
    }
}
END_TEST

struct s2k_case {
    unsigned iterations;
    const char *password;
    const char *salt;
    const char *aes128;
    const char *aes256;
};

START_TEST(string_to_key_matches_rfc3962_b)
{
    static const struct s2k_case cases[] = {
        {1, "password", "ATHENA.MIT.EDUraeburn", "42263c6e89f4fc28b8df68ee09799f15",
         "fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161"},
        {2, "password", "ATHENA.MIT.EDUraeburn", "c651bf29e2300ac27fa469d693bdda13",
         "a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff"},
        {1200, "password", "ATHENA.MIT.EDUraeburn", "4c01cd46d632d01e6dbe230a01ed642a",
         "55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a"},
        {1200, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "pass phrase equals block size",
         "59d1bb789a828b1aa54ef9c2883f69ed", "89adee3608db8bc71f1bfbfe459486b05618b70cbae22092534e56c553ba4b34"},
        {50, "\xf0\x9d\x84\x9e", "EXAMPLE.COMpianist", "f149c1f2e154a73452d43e7fe62a56e5",
         "4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct krb_key k;
        ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES128, cases[i].password, (const uint8_t *)cases[i].salt,
                                           strlen(cases[i].salt), cases[i].iterations, &k),
                         FS_OK);
        ck_assert_hex(k.bytes, k.len, cases[i].aes128);
        ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES256, cases[i].password, (const uint8_t *)cases[i].salt,
                                           strlen(cases[i].salt), cases[i].iterations, &k),
                         FS_OK);
        ck_assert_hex(k.bytes, k.len, cases[i].aes256);
    }
}
END_TEST

START_TEST(binary_salt_string_to_key_matches_rfc3962_b)
{
    static const uint8_t salt[] = {0x12, 0x34, 0x56, 0x78, 0x78, 0x56, 0x34, 0x12};
    struct krb_key k;
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES256, "password", salt, sizeof salt, 5, &k), FS_OK);
    ck_assert_hex(k.bytes, 32, "97a4e786be20d81a382d5ebc96d5909cabcdadc87ca48f574504159f16c36e31");
}
END_TEST

/* A KDC's PA-ETYPE-INFO2 names the iteration count: one above the limit (2^32-1 would take hours) is refused at
 * once. */
START_TEST(string_to_key_refuses_an_iteration_count_beyond_the_limit)
{
    struct krb_key k;
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES256, "password", (const uint8_t *)"salt", 4, 0xFFFFFFFFu, &k),
                     FS_E_NOT_SUPPORTED);
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES128, "password", (const uint8_t *)"salt", 4,
                                       KRB_S2K_MAX_ITERATIONS + 1, &k),
                     FS_E_NOT_SUPPORTED);
}
END_TEST

static const char cts_plain[] = "I would like the General Gau's Chicken, please, and wonton soup.";

struct cts_case {
    size_t len;
    const char *out;
};

START_TEST(cts_matches_rfc3962_b_both_ways)
{
    static const struct cts_case cases[] = {
        {17, "c6353568f2bf8cb4d8a580362da7ff7f97"},
        {31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5"},
        {32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584"},
        {47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5"},
        {48, "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8"},
        {64, "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc840"
             "9dad8bbb96c4cdc03bc103e1a194bbd8"},
    };
    struct krb_key key = {.etype = KRB_ETYPE_AES128, .len = 16};
    memcpy(key.bytes, "chicken teriyaki", 16);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[64];
        memcpy(buf, cts_plain, cases[i].len);
        krb_cts_encrypt(&key, buf, cases[i].len);
        ck_assert_hex(buf, cases[i].len, cases[i].out);
        krb_cts_decrypt(&key, buf, cases[i].len);
        ck_assert_msg(!memcmp(buf, cts_plain, cases[i].len), "length %zu does not decrypt back", cases[i].len);
    }
}
END_TEST

START_TEST(encrypt_then_decrypt_round_trips_and_any_change_is_caught)
{
    struct krb_key key;
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES256, "Passw0rd!", (const uint8_t *)"EXAMPLE.TESTalice", 17, 0,
                                       &key),
                     FS_OK);
    for (size_t len = 0; len < 70; len++) {
        uint8_t plain[70], sealed[70 + KRB_ENC_OVERHEAD], back[70];
        for (size_t i = 0; i < len; i++)
            plain[i] = (uint8_t)(i * 7);
        ck_assert_int_eq(krb_encrypt(&key, 11, plain, len, sealed), FS_OK);
        ck_assert_int_eq(krb_decrypt(&key, 11, sealed, len + KRB_ENC_OVERHEAD, back), FS_OK);
        ck_assert(!memcmp(plain, back, len));
        /* another key usage derives other keys */
        ck_assert_int_eq(krb_decrypt(&key, 12, sealed, len + KRB_ENC_OVERHEAD, back), FS_E_MESSAGE_ALTERED);
        sealed[len / 2] ^= 1;
        ck_assert_int_eq(krb_decrypt(&key, 11, sealed, len + KRB_ENC_OVERHEAD, back), FS_E_MESSAGE_ALTERED);
    }
    uint8_t tiny[10] = {0};
    ck_assert_int_eq(krb_decrypt(&key, 11, tiny, sizeof tiny, tiny), FS_E_INVALID_TOKEN);
}
END_TEST

START_TEST(checksum_depends_on_key_usage_and_every_part)
{
    struct krb_key key = {.etype = KRB_ETYPE_AES128, .len = 16};
    memset(key.bytes, 0x42, 16);
    const uint8_t *parts[2] = {(const uint8_t *)"hello ", (const uint8_t *)"world"};
    size_t lens[2] = {6, 5};
    uint8_t a[KRB_HMAC_LEN], b[KRB_HMAC_LEN], c[KRB_HMAC_LEN];
    krb_checksum(&key, 25, parts, lens, 2, a);
    const uint8_t *whole = (const uint8_t *)"hello world";
    size_t whole_len = 11;
    krb_checksum(&key, 25, &whole, &whole_len, 1, b);
    ck_assert(!memcmp(a, b, KRB_HMAC_LEN)); /* the parts are one message */
    krb_checksum(&key, 23, parts, lens, 2, c);
    ck_assert(memcmp(a, c, KRB_HMAC_LEN));
}
END_TEST

/* Usage keys below 64 come from n-folds made once; above, and for every usage, they are DK(key, usage | kind). */
START_TEST(usage_keys_are_dk_of_the_usage_constants_whether_folded_once_or_not)
{
    struct krb_key key = {.etype = KRB_ETYPE_AES256, .len = 32};
    for (int i = 0; i < 32; i++)
        key.bytes[i] = (uint8_t)(i * 7 + 1);
    static const uint32_t usages[] = {0, 2, 11, 12, 17, 22, 25, 63, 64, 1023, 0x01020304};
    for (size_t u = 0; u < sizeof usages / sizeof usages[0]; u++) {
        struct krb_usage_keys k;
        krb_usage_keys_derive(&key, usages[u], &k);
        const struct krb_key *got[3] = {&k.kc, &k.ke, &k.ki};
        static const uint8_t kinds[3] = {0x99, 0xAA, 0x55};
        for (int j = 0; j < 3; j++) {
            uint32_t n = usages[u];
            uint8_t c[5] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n, kinds[j]};
            struct krb_key want;
            krb_derive(&key, c, sizeof c, &want);
            ck_assert_uint_eq(got[j]->len, 32);
            ck_assert_msg(!memcmp(got[j]->bytes, want.bytes, 32), "usage %u, kind %02x", (unsigned)n, kinds[j]);
        }
    }
}
END_TEST

/* RFC 3962 6's PRF and RFC 6113 5.1's KRB-FX-CF2, against MIT krb5 1.20's krb5_c_prf and krb5_c_fx_cf2_simple
 * (libkrb5 called through Python's ctypes on the same keys: SOURCE in the test's own words, the values copied). */
START_TEST(prf_and_fx_cf2_match_mit_krb5)
{
    struct krb_key k128 = {.etype = KRB_ETYPE_AES128, .len = 16}, k1 = {.etype = KRB_ETYPE_AES256, .len = 32},
                   k2 = {.etype = KRB_ETYPE_AES256, .len = 32}, out;
    for (int i = 0; i < 32; i++) {
        k128.bytes[i % 16] = (uint8_t)(i % 16);
        k1.bytes[i] = (uint8_t)i;
        k2.bytes[i] = (uint8_t)(100 + i);
    }
    uint8_t prf[KRB_PRF_LEN];
    ck_assert_int_eq(krb_prf(&k128, (const uint8_t *)"abc", 3, prf), FS_OK);
    ck_assert_hex(prf, sizeof prf, "7f5f9ae31d9e11be500a5c22aac24ba0");
    memset(&out, 0xde, sizeof out);
    ck_assert_int_eq(krb_fx_cf2(&k1, "subkeyarmor", &k2, "ticketarmor", &out), FS_OK);
    ck_assert_int_eq(out.etype, KRB_ETYPE_AES256);
    ck_assert_hex(out.bytes, out.len, "fa3a773b40400726f038a9ab81d560757b2965ffc60f4db5b98bea8edb3a5cfb");
    struct krb_key rc4 = {.etype = KRB_ETYPE_RC4, .len = 16};
    ck_assert_int_eq(krb_prf(&rc4, (const uint8_t *)"abc", 3, prf), FS_E_NOT_SUPPORTED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos-crypto");
    TCase *tc = test_case("rfc3961-3962");
    tcase_add_test(tc, nfold_matches_rfc3961_a1);
    tcase_add_test(tc, usage_keys_are_dk_of_the_usage_constants_whether_folded_once_or_not);
    tcase_add_test(tc, string_to_key_matches_rfc3962_b);
    tcase_add_test(tc, binary_salt_string_to_key_matches_rfc3962_b);
    tcase_add_test(tc, string_to_key_refuses_an_iteration_count_beyond_the_limit);
    tcase_add_test(tc, cts_matches_rfc3962_b_both_ways);
    tcase_add_test(tc, encrypt_then_decrypt_round_trips_and_any_change_is_caught);
    tcase_add_test(tc, checksum_depends_on_key_usage_and_every_part);
    tcase_add_test(tc, prf_and_fx_cf2_match_mit_krb5);
    suite_add_tcase(s, tc);
    return test_run(s);
}
