/* MS-NLMP section 4.2 test vectors, copied into this file (SOURCE: the spec's 4.2.1 and 4.2.4, as also
 * carried by pyspnego's, ntlm-auth's and gss-ntlmssp's tests). */
#include <nettle/arcfour.h>

#include "testutil.h"
#include "packages/ntlm/ntlm_auth.h"
#include "packages/ntlm/ntlm_crypto.h"
#include "security/domain.h"
#include "security/nt_hash.h"
#include "packages/ntlm/ntlm_messages.h"
#include "packages/ntlm/ntlm_ntowf_memo.h"

static const uint8_t random_session_key[16] = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                                               0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55};
static const uint8_t client_challenge[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
static const uint8_t server_challenge[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
#define NTLMV2_FLAGS 0xE28A8233u

static const char challenge_4_2_4_3[] =
    "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef0000000000000000240024004400000006007017000000"
    "0f53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000";
static const char authenticate_4_2_4_3[] =
    "4e544c4d5353500003000000180018006c00000054005400840000000c000c00480000000800080054000000100010005c000000100010"
    "00d8000000358288e20501280a0000000f44006f006d00610069006e00550073006500720043004f004d005000550054004500520086c3"
    "5097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000aa"
    "aaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000c5dad254"
    "4fc9799094ce1ce90bc9d03e";

START_TEST(ntowfv1_of_password)
{
    uint8_t h[16];
    ck_assert_int_eq(fs_nt_hash("Password", h), 0);
    ck_assert_hex(h, 16, "a4f49c406510bdcab6824ee7c30fd852");
}
END_TEST

START_TEST(ntowfv2_of_user_domain_password)
{
    uint8_t h[16], v2[16];
    ck_assert_int_eq(fs_nt_hash("Password", h), FS_OK);
    ck_assert_int_eq(ntlm_ntowfv2(h, "User", "Domain", v2), 0);
    ck_assert_hex(v2, 16, "0c868a403bfd7a93a3001ef22ef02e3f");
}
END_TEST

/* The per-thread NTOWFv2 memo (doc/semantics.md §39) answers as ntlm_ntowfv2 does for every account and spelling:
 * one password under two names, one name under two passwords, a domain spelled two ways, more accounts than it
 * keeps (so entries are replaced), and a name too long to be kept. */
static void ck_memo_matches(const uint8_t hash[16], const char *user, const char *domain)
{
    uint8_t v2[16], want[16], got[16];
    ck_assert_int_eq(ntlm_ntowfv2(hash, user, domain, v2), FS_OK);
    ntlm_hmac_md5_2(v2, "message", 7, NULL, 0, want);
    struct hmac_md5_ctx keyed;
    ck_assert_int_eq(ntlm_ntowfv2_keyed(hash, user, domain, &keyed), FS_OK);
    hmac_md5_update(&keyed, 7, (const uint8_t *)"message");
    hmac_md5_digest(&keyed, 16, got);
    ck_assert_msg(!memcmp(want, got, 16), "the memo's NTOWFv2 of %s\\%s differs", domain, user);
}

START_TEST(the_ntowfv2_memo_answers_as_ntowfv2_for_every_account_and_spelling)
{
    uint8_t one[16], other[16];
    ck_assert_int_eq(fs_nt_hash("Password", one), FS_OK);
    ck_assert_int_eq(fs_nt_hash("Another1", other), FS_OK);
    char long_name[100];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    for (int round = 0; round < 3; round++) { /* the second and third rounds are answered from the memo, if kept */
        ck_memo_matches(one, "User", "Domain");
        ck_memo_matches(one, "Other", "Domain");    /* the same password, another account */
        ck_memo_matches(other, "User", "Domain");   /* the same account, its password changed */
        ck_memo_matches(one, "User", "domain.test"); /* the domain spelled as its DNS name */
        ck_memo_matches(one, "user", "Domain");     /* NTOWFv2 upper-cases the user: the same key */
        ck_memo_matches(one, long_name, "Domain");  /* too long to be kept */
    }
}
END_TEST

START_TEST(signing_and_sealing_keys_both_ways_and_all_strengths)
{
    uint8_t k[16];
    ntlm_sign_key(random_session_key, 1, k);
    ck_assert_hex(k, 16, "4788dc861b4782f35d43fd98fe1a2d39");
    ntlm_sign_key(random_session_key, 0, k);
    ck_assert_hex(k, 16, "d04d6f10741041d1d246d64188d7a8ad");
    ntlm_seal_key(random_session_key, NTLMV2_FLAGS, 1, k);
    ck_assert_hex(k, 16, "59f600973cc4960a25480a7c196e4c58");
    ntlm_seal_key(random_session_key, NTLMV2_FLAGS, 0, k);
    ck_assert_hex(k, 16, "9355f3a957c1583d25c4c2f11e40390e");
    ntlm_seal_key(random_session_key, NTLMSSP_NEGOTIATE_56, 1, k);
    ck_assert_hex(k, 16, "a5f7253c1065e8d3d68642040e71cfe0");
    ntlm_seal_key(random_session_key, NTLMSSP_NEGOTIATE_56, 0, k);
    ck_assert_hex(k, 16, "583e2f98959b385cd158f3734b5f5d3f");
    ntlm_seal_key(random_session_key, 0, 1, k);
    ck_assert_hex(k, 16, "42f964a471091a02ff4a77455366e4e5");
    ntlm_seal_key(random_session_key, 0, 0, k);
    ck_assert_hex(k, 16, "c5d3853b406b7c1241c595f0ce0750e2");
}
END_TEST

START_TEST(the_client_reproduces_the_authenticate_message_byte_for_byte)
{
    uint8_t challenge[256], nt_hash[16], exported[16], version[8];
    size_t challenge_len = unhex(challenge_4_2_4_3, challenge);
    unhex("0501280a0000000f", version);
    ck_assert_int_eq(fs_nt_hash("Password", nt_hash), FS_OK);
    struct ntlm_client_input in = {
        .user = "User", .domain = "Domain", .workstation = "COMPUTER", .nt_hash = nt_hash,
        .client_challenge = client_challenge, .time = 0, .random_key = random_session_key, .version = version,
        .lm_level = FS_LM_COMPAT_DEFAULT,
    };
    uint32_t flags = 0xFFFFFFFFu;
    struct fs_writer out;
    fs_writer_init(&out);
    ck_assert_int_eq(ntlm_client_authenticate(&in, challenge, challenge_len, &flags, &out, exported), FS_OK);
    ck_assert_uint_eq(flags, 0xE2888235u);
    ck_assert_hex(out.data, out.len, authenticate_4_2_4_3);
    ck_assert(!memcmp(exported, random_session_key, 16));
    fs_writer_free(&out);
}
END_TEST

START_TEST(the_server_accepts_the_spec_authenticate_message)
{
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = Domain\ndns = domain.example\n"
                                               "sid = S-1-5-21-7-8-9\n[group Domain Users]\nrid = 513\n"
                                               "[user User]\nrid = 1000\npassword = Password\n",
                                               "spec domain"),
                     0); /* no alice to run the process as; the domain itself loaded */
    uint8_t challenge[256], auth[512];
    size_t challenge_len = unhex(challenge_4_2_4_3, challenge), auth_len = unhex(authenticate_4_2_4_3, auth);
    struct ntlm_server_result r;
    ck_assert_int_eq(ntlm_server_verify(auth, auth_len, NULL, 0, challenge, challenge_len, server_challenge, NULL,
                                        FS_LM_COMPAT_DEFAULT, &r),
                     FS_OK);
    ck_assert_str_eq(r.user, "User");
    ck_assert_str_eq(r.domain, "Domain");
    ck_assert(!memcmp(r.exported, random_session_key, 16));
    free(r.user);
    free(r.domain);
    /* One changed byte of the NTProofStr and the logon is denied. */
    auth[0x84] ^= 1;
    ck_assert_int_eq(ntlm_server_verify(auth, auth_len, NULL, 0, challenge, challenge_len, server_challenge, NULL,
                                        FS_LM_COMPAT_DEFAULT, &r),
                     FS_E_LOGON_DENIED);
}
END_TEST

START_TEST(gss_wrap_example_seals_and_signs_as_the_spec)
{
    struct ntlm_direction d;
    ntlm_direction_init(&d, random_session_key, NTLMV2_FLAGS, 1);
    uint8_t msg[18], sealed[18], sig[16];
    unhex("50006c00610069006e007400650078007400", msg);
    ntlm_direction_ready(&d);
    arcfour_crypt(&d.seal, sizeof msg, sealed, msg);
    ck_assert_hex(sealed, 18, "54e50165bf1936dc996020c1811b0f06fb5f");
    ntlm_signature(&d, 1, msg, sizeof msg, sig);
    ck_assert_hex(sig, 16, "010000007fb38ec5c55d497600000000");
    ck_assert_uint_eq(d.seq, 1);
}
END_TEST

START_TEST(signature_without_key_exchange_is_the_plain_checksum)
{
    struct ntlm_direction d;
    ntlm_direction_init(&d, random_session_key, NTLMV2_FLAGS, 1);
    uint8_t msg[18], sig[16];
    unhex("50006c00610069006e007400650078007400", msg);
    ntlm_signature(&d, 0, msg, sizeof msg, sig);
    ck_assert_hex(sig, 16, "0100000070352851f256430900000000");
}
END_TEST

/* Captures of real Windows exchanges (tests/data/windows-tokens/SOURCE.txt). */
START_TEST(real_windows_messages_parse)
{
    uint8_t buf[2048];
    size_t n = read_capture("ntlm_negotiate", buf, sizeof buf);
    uint32_t flags;
    ck_assert_int_eq(ntlm_parse_negotiate(buf, n, &flags), 0);
    ck_assert(flags & NTLMSSP_NEGOTIATE_NTLM);
    n = read_capture("ntlm_challenge", buf, sizeof buf);
    struct ntlm_challenge ch;
    ck_assert_int_eq(ntlm_parse_challenge(buf, n, &ch), 0);
    ck_assert_uint_eq(ch.flags, 0xe2898235u);
    const uint8_t *ts;
    uint16_t len;
    ck_assert_int_eq(ntlm_av_find(ch.target_info, ch.target_info_len, MsvAvTimestamp, &ts, &len), 0);
    ck_assert_uint_eq(len, 8);
    n = read_capture("ntlm_authenticate", buf, sizeof buf);
    struct ntlm_authenticate a;
    ck_assert_int_eq(ntlm_parse_authenticate(buf, n, &a), 0);
    ck_assert(a.nt_len > 16 + 28);
    ck_assert(a.has_mic_room);
    ntlm_authenticate_clear(&a);
}
END_TEST

START_TEST(truncated_and_hostile_messages_are_invalid)
{
    uint8_t challenge[256];
    size_t len = unhex(challenge_4_2_4_3, challenge);
    struct ntlm_challenge ch;
    for (size_t cut = 0; cut < len; cut++)
        ck_assert_int_eq(ntlm_parse_challenge(challenge, cut, &ch) == 0 && cut < 48, 0);
    challenge[40] = 0xff; /* TargetInfo length past the end */
    ck_assert_int_eq(ntlm_parse_challenge(challenge, len, &ch), -1);
    uint8_t auth[512];
    size_t auth_len = unhex(authenticate_4_2_4_3, auth);
    struct ntlm_authenticate a;
    for (size_t cut = 0; cut < 64; cut++)
        ck_assert_int_eq(ntlm_parse_authenticate(auth, cut, &a), -1);
    auth[24] = 0xff, auth[25] = 0xff; /* NT response offset far away */
    ck_assert_int_eq(ntlm_parse_authenticate(auth, auth_len, &a), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/ntlm-vectors");
    TCase *tc = test_case("ms-nlmp-4.2");
    tcase_add_test(tc, ntowfv1_of_password);
    tcase_add_test(tc, ntowfv2_of_user_domain_password);
    tcase_add_test(tc, the_ntowfv2_memo_answers_as_ntowfv2_for_every_account_and_spelling);
    tcase_add_test(tc, signing_and_sealing_keys_both_ways_and_all_strengths);
    tcase_add_test(tc, the_client_reproduces_the_authenticate_message_byte_for_byte);
    tcase_add_test(tc, the_server_accepts_the_spec_authenticate_message);
    tcase_add_test(tc, gss_wrap_example_seals_and_signs_as_the_spec);
    tcase_add_test(tc, signature_without_key_exchange_is_the_plain_checksum);
    tcase_add_test(tc, real_windows_messages_parse);
    tcase_add_test(tc, truncated_and_hostile_messages_are_invalid);
    suite_add_tcase(s, tc);
    return test_run(s);
}
