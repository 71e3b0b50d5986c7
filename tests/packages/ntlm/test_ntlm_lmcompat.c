/* LmCompatibilityLevel (doc/semantics.md §61): NTLMv1 and the LM response as MS-NLMP 3.3.1 computes them, checked
 * against the spec's 4.2.2 and 4.2.3 vectors (SOURCE: MS-NLMP 4.2.1-4.2.3, as also carried by pyspnego's,
 * ntlm-auth's and gss-ntlmssp's tests), and what each level of the domain file sends and accepts through SSPI. */
#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>

#include "sspi/sspitest.h"

#include "packages/ntlm/ntlm_auth.h"
#include "packages/ntlm/ntlm_crypto.h"
#include "packages/ntlm/ntlm_messages.h"
#include "packages/package.h"
#include "security/domain.h"
#include "security/domain_ini.h"
#include "security/nt_hash.h"

#define ISC_STD (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | \
                 ISC_REQ_CONNECTION)
#define ASC_STD (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | \
                 ASC_REQ_CONNECTION)
#define ISC_AUTH_ONLY ISC_REQ_CONNECTION
#define ASC_AUTH_ONLY ASC_REQ_CONNECTION

/* MS-NLMP 4.2.1 */
static const uint8_t random_session_key[16] = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
                                               0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55};
static const uint8_t client_challenge[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
static const uint8_t server_challenge[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};

/* MS-NLMP 4.2.2.3: the NTLMv1 CHALLENGE_MESSAGE (flags 0xE2028233: SIGN and SEAL, no extended session security). */
static const char challenge_4_2_2_3[] =
    "4e544c4d53535000020000000c000c0038000000338202e20123456789abcdef00000000000000000000000000000000060070170000000f"
    "530065007200760065007200";
#define FLAGS_4_2_3 0x820A8233u /* MS-NLMP 4.2.3: extended session security, 56-bit, no key exchange */

#define SPEC_DOMAIN                                                                                                  \
    "[domain]\nnetbios = Domain\ndns = domain.example\nsid = S-1-5-21-7-8-9\n%s[group Domain Users]\nrid = 513\n" \
    "[user User]\nrid = 1000\npassword = Password\n"

/* The spec's domain (4.2.1: User, Domain, Password) with [domain] keys added. */
static void load_spec_domain(const char *keys)
{
    char text[512];
    snprintf(text, sizeof text, SPEC_DOMAIN, keys);
    ck_assert_int_eq(fakesspi_load_domain_text(text, "spec domain"), 0); /* no alice to run as; the domain loaded */
}

/* The embedded domain with keys added to [domain]. */
static void load_levels(const char *keys)
{
    static char text[16384];
    const char *base = fs_default_domain_ini;
    const char *dom = strstr(base, "computer = SERVER\n") + strlen("computer = SERVER\n");
    int n = snprintf(text, sizeof text, "%.*s%s%s", (int)(dom - base), base, keys, dom);
    ck_assert_int_lt(n, (int)sizeof text);
    ck_assert_msg(fakesspi_load_domain_text(text, "levels.ini") == 0, "%s", fakesspi_last_message());
}

static void spec_hashes(uint8_t nt[16], uint8_t lm[16])
{
    ck_assert_int_eq(fs_nt_hash("Password", nt), FS_OK);
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
}

/* ---- MS-NLMP 4.2.2 and 4.2.3, value by value ---- */

START_TEST(lmowfv1_of_the_spec_password_and_passwords_without_one)
{
    uint8_t lm[16], again[16];
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    ck_assert_hex(lm, 16, "e52cac67419a9a224a3b108f3fa6cb6d");
    ck_assert_int_eq(fs_lm_hash("PASSWORD", again), 0); /* upper-cased first */
    ck_assert(!memcmp(lm, again, 16));
    memset(again, 0xEE, sizeof again);
    ck_assert_int_eq(fs_lm_hash("fifteen chars!!", again), -1); /* over 14: no LM hash */
    ck_assert_int_eq(fs_lm_hash("Pässwort", again), -1);        /* not ASCII: not modelled */
    ck_assert_uint_eq(again[0], 0xEE);
    ck_assert_int_eq(fs_lm_hash("fourteen chars", again), 0);
}
END_TEST

START_TEST(ntlmv1_responses_and_keys_are_the_4_2_2_values)
{
    uint8_t nt[16], lm[16], out[24], base[16], key[16], enc[16];
    spec_hashes(nt, lm);
    ck_assert_hex(nt, 16, "a4f49c406510bdcab6824ee7c30fd852");
    ntlm_desl(nt, server_challenge, out);
    ck_assert_hex(out, 24, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94");
    uint8_t lm_response[24];
    ntlm_desl(lm, server_challenge, lm_response);
    ck_assert_hex(lm_response, 24, "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13");
    ntlm_v1_session_base_key(nt, base);
    ck_assert_hex(base, 16, "d87262b0cde4b1cb7499becccdf10784");
    /* KXKEY and the EncryptedRandomSessionKey under each of the three flag sets. */
    ck_assert_int_eq(ntlm_kxkey_v1(0, base, lm, server_challenge, lm_response, key), FS_OK);
    ck_assert_hex(key, 16, "d87262b0cde4b1cb7499becccdf10784");
    ntlm_rc4_block(key, random_session_key, enc);
    ck_assert_hex(enc, 16, "518822b1b3f350c8958682ecbb3e3cb7");
    ck_assert_int_eq(ntlm_kxkey_v1(NTLMSSP_NEGOTIATE_LM_KEY, base, lm, server_challenge, lm_response, key), FS_OK);
    ck_assert_hex(key, 16, "b09e379f7fbecb1eaf0afdcb0383c8a0");
    ntlm_rc4_block(key, random_session_key, enc);
    ck_assert_hex(enc, 16, "4cd7bb57d697ef9b549f02b8f9b37864");
    ck_assert_int_eq(
        ntlm_kxkey_v1(NTLMSSP_REQUEST_NON_NT_SESSION_KEY, base, lm, server_challenge, lm_response, key), FS_OK);
    ck_assert_hex(key, 16, "e52cac67419a9a220000000000000000");
    ntlm_rc4_block(key, random_session_key, enc);
    ck_assert_hex(enc, 16, "7452ca55c225a1ca04b48fae32cf56fc");
    /* Without the LM hash the two LM-based keys cannot be made. */
    memset(key, 0xEE, sizeof key);
    ck_assert_int_eq(ntlm_kxkey_v1(NTLMSSP_NEGOTIATE_LM_KEY, base, NULL, server_challenge, lm_response, key),
                     FS_E_NOT_SUPPORTED);
    ck_assert_uint_eq(key[0], 0xEE);
}
END_TEST

START_TEST(the_ntlm2_session_response_and_its_keys_are_the_4_2_3_values)
{
    uint8_t nt[16], lm[16], challenge[8], out[24], base[16], key[16];
    spec_hashes(nt, lm);
    ntlm_ess_challenge(server_challenge, client_challenge, challenge);
    ntlm_desl(nt, challenge, out);
    ck_assert_hex(out, 24, "7537f803ae367128ca458204bde7caf81e97ed2683267232");
    uint8_t lm_response[24] = {0};
    memcpy(lm_response, client_challenge, 8);
    ntlm_v1_session_base_key(nt, base);
    ck_assert_int_eq(ntlm_kxkey_v1(FLAGS_4_2_3, base, NULL, server_challenge, lm_response, key), FS_OK);
    ck_assert_hex(key, 16, "eb93429a8bd952f8b89c55b87f475edc");
    uint8_t k[16];
    ntlm_seal_key(key, FLAGS_4_2_3, 1, k);
    ck_assert_hex(k, 16, "04dd7f014d8504d265a25cc86a3a7c06");
    ntlm_sign_key(key, 1, k);
    ck_assert_hex(k, 16, "60e799be5c72fc92922ae8ebe961fb8d");
}
END_TEST

/* Where an AUTHENTICATE message's payload starts: the lowest offset of its six fields (MS-NLMP 2.2.1.3); 72 when
 * the header ends after Version (no MIC), 88 with a MIC. */
static size_t payload_start(const uint8_t *msg)
{
    size_t lowest = SIZE_MAX;
    for (size_t field = 12; field <= 52; field += 8) {
        size_t len = (size_t)msg[field] | (size_t)msg[field + 1] << 8;
        size_t at = (size_t)msg[field + 4] | (size_t)msg[field + 5] << 8 | (size_t)msg[field + 6] << 16 |
                    (size_t)msg[field + 7] << 24;
        if (len && at < lowest)
            lowest = at;
    }
    return lowest;
}

/* Runs our client over the CHALLENGE given, at level, offering flags; the message is parsed into *a. */
static fs_err client_answer(int level, const uint8_t *lm_hash, const uint8_t *challenge, size_t challenge_len,
                            uint32_t *flags, struct fs_writer *out, uint8_t exported[16], struct ntlm_authenticate *a)
{
    uint8_t nt[16], version[8];
    ck_assert_int_eq(fs_nt_hash("Password", nt), FS_OK);
    unhex("0501280a0000000f", version);
    struct ntlm_client_input in = {
        .user = "User", .domain = "Domain", .workstation = "COMPUTER", .nt_hash = nt,
        .client_challenge = client_challenge, .time = 0, .random_key = random_session_key, .version = version,
        .lm_level = level, .lm_hash = lm_hash,
    };
    fs_writer_init(out);
    fs_err err = ntlm_client_authenticate(&in, challenge, challenge_len, flags, out, exported);
    if (err == FS_OK)
        ck_assert_int_eq(ntlm_parse_authenticate(out->data, out->len, a), 0);
    return err;
}

START_TEST(each_client_level_fills_the_lm_field_as_4_2_2_says)
{
    static const struct {
        int level;
        int with_lm_hash;
        const char *lm;
    } rows[] = {
        {0, 1, "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13"}, /* the LM response */
        {1, 1, "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13"},
        {0, 0, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94"}, /* no LM hash: the NTLM response again */
        {2, 1, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94"}, /* "Send NTLM response only" */
    };
    uint8_t challenge[128], lm[16];
    size_t challenge_len = unhex(challenge_4_2_2_3, challenge);
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        uint32_t flags = 0xFFFFFFFFu & ~(NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
        uint8_t exported[16];
        struct fs_writer out;
        struct ntlm_authenticate a;
        ck_assert_int_eq(client_answer(rows[i].level, rows[i].with_lm_hash ? lm : NULL, challenge, challenge_len,
                                       &flags, &out, exported, &a),
                         FS_OK);
        ck_assert_hex(a.lm, a.lm_len, rows[i].lm);
        ck_assert_hex(a.nt, a.nt_len, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94");
        ck_assert_hex(a.session_key, a.session_key_len, "518822b1b3f350c8958682ecbb3e3cb7");
        ck_assert(!memcmp(exported, random_session_key, 16));
        ck_assert_uint_eq(a.flags, flags);
        ck_assert_uint_eq(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
        ck_assert_uint_eq(payload_start(out.data), 72); /* NTLMv1 sends no MIC: the header ends after Version */
        ntlm_authenticate_clear(&a);
        fs_writer_free(&out);
    }
}
END_TEST

/* MS-NLMP 4.2.2.4 (SOURCE: the spec's GSS_WrapEx example without extended session security, as pyspnego's
 * test_seal_ntlmv1 and ntlm-auth's test_session_security carry it): "Plaintext" in UTF-16LE sealed with the
 * ExportedSessionKey 0x55 x16 as sealing key (no LM_KEY: no weakening, 128 or not), the data first, then the
 * RandomPad, the CRC32 and the sequence number on the same RC4 stream. The spec prints the RandomPad encrypted
 * (45c844e5); Windows and the implementations tested against it send zeros there, and so does the emulation. */
static void seal_4_2_2_4(const uint8_t exported[16], uint32_t flags, int client_to_server)
{
    struct ntlm_direction d;
    ntlm_direction_init(&d, exported, flags, client_to_server);
    uint8_t msg[18], sealed[18], sig[16];
    unhex("50006c00610069006e007400650078007400", msg);
    uint8_t *part = msg;
    size_t len = sizeof msg;
    uint32_t crc = ntlm_crc32_parts(&part, &len, 1);
    ck_assert_uint_eq(crc, 0x93aa847du); /* CRC32(plaintext), 7d84aa93 on the wire */
    ntlm_direction_ready(&d);
    arcfour_crypt(&d.seal, sizeof msg, sealed, msg);
    ck_assert_hex(sealed, 18, "56fe04d861f9319af0d7238a2e3b4d457fb8");
    ntlm_signature_v1(&d, crc, sig);
    ck_assert_hex(sig, 16, "010000000000000009dcd1df2e459d36");
    ck_assert_uint_eq(d.seq, 1);
}

START_TEST(the_client_signs_and_seals_the_4_2_2_exchange_as_4_2_2_4)
{
    uint8_t challenge[128], lm[16], exported[16];
    size_t challenge_len = unhex(challenge_4_2_2_3, challenge);
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    uint32_t flags = 0xFFFFFFFFu;
    struct fs_writer out;
    struct ntlm_authenticate a;
    ck_assert_int_eq(client_answer(0, lm, challenge, challenge_len, &flags, &out, exported, &a), FS_OK);
    ck_assert_uint_eq(flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_KEY_EXCH),
                      NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_KEY_EXCH);
    ck_assert_uint_eq(flags & (NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_LM_KEY), 0);
    ck_assert_hex(a.session_key, a.session_key_len, "518822b1b3f350c8958682ecbb3e3cb7");
    ck_assert(!memcmp(exported, random_session_key, 16));
    seal_4_2_2_4(exported, flags, 1);
    /* No direction in the keys: the server's sealing key is the same (MS-NLMP 3.4.5.3). */
    seal_4_2_2_4(exported, flags, 0);
    ntlm_authenticate_clear(&a);
    fs_writer_free(&out);
}
END_TEST


START_TEST(levels_1_and_2_send_the_4_2_3_ntlm2_session_response_and_seal_as_the_spec)
{
    for (int level = 1; level <= 2; level++) {
        struct fs_writer ch;
        fs_writer_init(&ch);
        ntlm_build_challenge(&ch, FLAGS_4_2_3, server_challenge, "Server", NULL, 0);
        uint32_t flags = 0xFFFFFFFFu;
        uint8_t exported[16], lm[16];
        ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
        struct fs_writer out;
        struct ntlm_authenticate a;
        ck_assert_int_eq(client_answer(level, lm, ch.data, ch.len, &flags, &out, exported, &a), FS_OK);
        ck_assert_hex(a.lm, a.lm_len, "aaaaaaaaaaaaaaaa00000000000000000000000000000000");
        ck_assert_hex(a.nt, a.nt_len, "7537f803ae367128ca458204bde7caf81e97ed2683267232");
        ck_assert_uint_eq(a.session_key_len, 0);
        ck_assert_hex(exported, 16, "eb93429a8bd952f8b89c55b87f475edc"); /* no key exchange: the KXKEY itself */
        /* MS-NLMP 4.2.3.4: the client seals "Plaintext" with the 56-bit key, the checksum not RC4'd. */
        struct ntlm_direction d;
        ntlm_direction_init(&d, exported, flags, 1);
        uint8_t msg[18], sealed[18], sig[16];
        unhex("50006c00610069006e007400650078007400", msg);
        ntlm_direction_ready(&d);
        arcfour_crypt(&d.seal, sizeof msg, sealed, msg);
        ck_assert_hex(sealed, 18, "a02372f6530273f3aa1eb90190ce5200c99d");
        ntlm_signature(&d, 0, msg, sizeof msg, sig);
        ck_assert_hex(sig, 16, "01000000ff2aeb52f681793a00000000");
        ntlm_authenticate_clear(&a);
        fs_writer_free(&out);
        fs_writer_free(&ch);
    }
}
END_TEST

/* ---- the acceptor (the DC) on the spec's messages ---- */

static fs_err dc_verdict(int dc_level, const uint8_t *auth, size_t auth_len, uint8_t exported[16])
{
    struct ntlm_server_result r;
    fs_err err = ntlm_server_verify(auth, auth_len, NULL, 0, NULL, 0, server_challenge, NULL, dc_level, &r);
    memcpy(exported, r.exported, 16);
    if (err == FS_OK) {
        ck_assert_str_eq(r.user, "User");
        free(r.user);
        free(r.domain);
    }
    return err;
}

START_TEST(the_dc_takes_ntlmv1_below_level_5_and_refuses_it_at_5)
{
    load_spec_domain("");
    uint8_t challenge[128], lm[16], exported[16], got[16];
    size_t challenge_len = unhex(challenge_4_2_2_3, challenge);
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    uint32_t flags = 0xFFFFFFFFu & ~(NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
    struct fs_writer out;
    struct ntlm_authenticate a;
    ck_assert_int_eq(client_answer(0, lm, challenge, challenge_len, &flags, &out, exported, &a), FS_OK);
    for (int level = 0; level <= 4; level++) {
        ck_assert_int_eq(dc_verdict(level, out.data, out.len, got), FS_OK);
        ck_assert(!memcmp(got, random_session_key, 16));
    }
    ck_assert_int_eq(dc_verdict(5, out.data, out.len, got), FS_E_LOGON_DENIED);
    /* One bit of the NTLM response changed: a wrong password at every level that checks it. */
    out.data[(size_t)(a.nt - out.data)] ^= 1;
    ck_assert_int_eq(dc_verdict(3, out.data, out.len, got), FS_E_LOGON_DENIED);
    ntlm_authenticate_clear(&a);
    fs_writer_free(&out);
}
END_TEST

START_TEST(the_dc_takes_the_ntlm2_session_response_and_derives_the_4_2_3_key)
{
    load_spec_domain("");
    struct fs_writer ch;
    fs_writer_init(&ch);
    ntlm_build_challenge(&ch, FLAGS_4_2_3, server_challenge, "Server", NULL, 0);
    uint32_t flags = 0xFFFFFFFFu;
    uint8_t exported[16], got[16];
    struct fs_writer out;
    struct ntlm_authenticate a;
    ck_assert_int_eq(client_answer(2, NULL, ch.data, ch.len, &flags, &out, exported, &a), FS_OK);
    ck_assert_int_eq(dc_verdict(4, out.data, out.len, got), FS_OK);
    ck_assert_hex(got, 16, "eb93429a8bd952f8b89c55b87f475edc");
    ck_assert_int_eq(dc_verdict(5, out.data, out.len, got), FS_E_LOGON_DENIED);
    ntlm_authenticate_clear(&a);
    fs_writer_free(&out);
    fs_writer_free(&ch);
}
END_TEST

START_TEST(an_lm_response_alone_is_taken_below_level_4_only)
{
    load_spec_domain("");
    uint8_t lm[16], lm_response[24], got[16];
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    ntlm_desl(lm, server_challenge, lm_response);
    struct fs_writer w;
    fs_writer_init(&w);
    ntlm_build_authenticate(&w, NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM, lm_response, 24, NULL, 0, "Domain",
                            "User", "COMPUTER", NULL, 0, 0);
    for (int level = 0; level <= 3; level++)
        ck_assert_int_eq(dc_verdict(level, w.data, w.len, got), FS_OK);
    ck_assert_int_eq(dc_verdict(4, w.data, w.len, got), FS_E_LOGON_DENIED);
    ck_assert_int_eq(dc_verdict(5, w.data, w.len, got), FS_E_LOGON_DENIED);
    fs_writer_free(&w);
    /* A wrong LM response is a wrong password. */
    lm_response[3] ^= 1;
    fs_writer_init(&w);
    ntlm_build_authenticate(&w, NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM, lm_response, 24, NULL, 0, "Domain",
                            "User", "COMPUTER", NULL, 0, 0);
    ck_assert_int_eq(dc_verdict(3, w.data, w.len, got), FS_E_LOGON_DENIED);
    fs_writer_free(&w);
}
END_TEST

START_TEST(the_dc_takes_the_4_2_2_3_message_and_its_key_seals_as_4_2_2_4)
{
    /* The spec's own 4.2.2.3 AUTHENTICATE negotiates SIGN, SEAL and KEY_EXCH without extended session security:
     * RC4-CRC32 session security (doc/semantics.md §65). Level 5 refuses it as NTLMv1 first. */
    load_spec_domain("");
    static const char auth_hex[] =
        "4e544c4d5353500003000000180018006c00000018001800840000000c000c00480000000800080054000000100010005c0000001000"
        "10009c000000358280e20501280a0000000f44006f006d00610069006e00550073006500720043004f004d0050005500540045005200"
        "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef1367c43011f30298a2ad35ece64f16331c44bdbed927841f94518822b1b3f3"
        "50c8958682ecbb3e3cb7";
    uint8_t auth[256], got[16];
    size_t auth_len = unhex(auth_hex, auth);
    ck_assert_int_eq(dc_verdict(3, auth, auth_len, got), FS_OK);
    ck_assert(!memcmp(got, random_session_key, 16));
    seal_4_2_2_4(got, 0xE2808235u /* the message's flags */, 0);
    ck_assert_int_eq(dc_verdict(5, auth, auth_len, got), FS_E_LOGON_DENIED);
}
END_TEST

/* The 4.2.2.3 CHALLENGE granting NTLMSSP_NEGOTIATE_LM_KEY (flags at offset 20, LM_KEY is bit 7). The key exchange
 * key and encrypted session key are 4.2.2's LM_KEY values; the sealing key is weakened to 56 bits, 40 without
 * NTLMSSP_NEGOTIATE_56 (MS-NLMP 3.4.5.3; the spec prints no sealed message for these: not verified against Windows). */
START_TEST(an_lm_key_exchange_keys_as_4_2_2_and_seals_with_a_56_or_40_bit_key)
{
    load_spec_domain("");
    uint8_t challenge[128], lm[16], exported[16], got[16], key[16];
    size_t challenge_len = unhex(challenge_4_2_2_3, challenge);
    challenge[20] |= (uint8_t)NTLMSSP_NEGOTIATE_LM_KEY;
    ck_assert_int_eq(fs_lm_hash("Password", lm), 0);
    uint32_t flags = 0xFFFFFFFFu;
    struct fs_writer out;
    struct ntlm_authenticate a;
    ck_assert_int_eq(client_answer(0, lm, challenge, challenge_len, &flags, &out, exported, &a), FS_OK);
    ck_assert_uint_ne(flags & NTLMSSP_NEGOTIATE_LM_KEY, 0);
    ck_assert_uint_ne(a.flags & NTLMSSP_NEGOTIATE_LM_KEY, 0);
    ck_assert_hex(a.session_key, a.session_key_len, "4cd7bb57d697ef9b549f02b8f9b37864");
    ck_assert(!memcmp(exported, random_session_key, 16));
    /* The DC derives the same key from the account's LM hash. */
    ck_assert_int_eq(dc_verdict(3, out.data, out.len, got), FS_OK);
    ck_assert(!memcmp(got, random_session_key, 16));
    ck_assert_uint_eq(ntlm_seal_key_v1(exported, flags, key), 8);
    ck_assert_hex(key, 8, "55555555555555a0");
    ck_assert_uint_eq(ntlm_seal_key_v1(exported, flags & ~NTLMSSP_NEGOTIATE_56, key), 8);
    ck_assert_hex(key, 8, "5555555555e538b0");
    ck_assert_uint_eq(ntlm_seal_key_v1(exported, flags & ~NTLMSSP_NEGOTIATE_LM_KEY, key), 16);
    ck_assert(!memcmp(key, random_session_key, 16));
    /* The 8-byte key is the RC4 key: the stream differs from the 16-byte key's. */
    struct ntlm_direction d;
    ntlm_direction_init(&d, exported, flags, 1);
    ntlm_direction_ready(&d);
    uint8_t zeros[8] = {0}, ks[8], want[8];
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, 8, (const uint8_t *)"\x55\x55\x55\x55\x55\x55\x55\xa0");
    arcfour_crypt(&rc4, 8, want, zeros);
    arcfour_crypt(&d.seal, 8, ks, zeros);
    ck_assert(!memcmp(ks, want, 8));
    ntlm_authenticate_clear(&a);
    fs_writer_free(&out);
    /* A client without the LM hash cannot key the session so. */
    flags = 0xFFFFFFFFu;
    ck_assert_int_eq(client_answer(0, NULL, challenge, challenge_len, &flags, &out, exported, &a), FS_E_NOT_SUPPORTED);
    fs_writer_free(&out);
}
END_TEST

/* ---- the domain file ---- */

START_TEST(both_levels_default_to_3_and_the_dc_follows_the_clients_unless_given)
{
    char message[256] = "";
    static const struct {
        const char *keys;
        int client, dc;
    } rows[] = {
        {"", 3, 3},
        {"lm_compatibility_level = 1\n", 1, 1},
        {"dc_lm_compatibility_level = 5\n", 3, 5},
        {"dc_lm_compatibility_level = 5\nlm_compatibility_level = 2\n", 2, 5},
        {"lm_compatibility_level = 0\ndc_lm_compatibility_level = 0\n", 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char text[256];
        snprintf(text, sizeof text, "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n%s",
                 rows[i].keys);
        struct fs_domain *d = fs_domain_parse(text, "levels.ini", message, sizeof message);
        ck_assert_msg(d != NULL, "%s", message);
        ck_assert_int_eq(d->policy.lm_compat_level, rows[i].client);
        ck_assert_int_eq(d->policy.dc_lm_compat_level, rows[i].dc);
        fs_domain_free(d);
    }
}
END_TEST

START_TEST(bad_levels_are_refused_with_the_reason)
{
    static const char *const keys[] = {"lm_compatibility_level", "dc_lm_compatibility_level"};
    static const char *const values[] = {"6", "-1", "", "3x", "03", "0x3", "three", "4294967299"};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
            char text[256], message[256] = "", want[160];
            snprintf(text, sizeof text,
                     "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n%s = %s\n", keys[k],
                     values[i]);
            ck_assert_ptr_null(fs_domain_parse(text, "levels.ini", message, sizeof message));
            snprintf(want, sizeof want, "levels.ini:5: '%s' must be a LmCompatibilityLevel from 0 to 5 "
                                        "(doc/semantics.md §61)", keys[k]);
            ck_assert_str_eq(message, want);
        }
}
END_TEST

/* ---- through SSPI ---- */

/* The three NTLM legs by hand, keeping each message: *neg, *chal and *auth get copies (each up to 4096 bytes). */
struct legs {
    uint8_t neg[4096], chal[4096], auth[4096];
    ULONG neg_len, chal_len, auth_len;
};

static SECURITY_STATUS handshake_keeping(struct pair *p, ULONG isc, ULONG asc, struct legs *l)
{
    ck_assert_sec_status(pair_client_step(p, isc, NULL), SEC_I_CONTINUE_NEEDED);
    memcpy(l->neg, p->c2s, l->neg_len = p->c2s_len);
    ck_assert_sec_status(pair_server_step(p, asc), SEC_I_CONTINUE_NEEDED);
    memcpy(l->chal, p->s2c, l->chal_len = p->s2c_len);
    SECURITY_STATUS st = pair_client_step(p, isc, NULL);
    if (st != SEC_E_OK)
        return st;
    memcpy(l->auth, p->c2s, l->auth_len = p->c2s_len);
    return pair_server_step(p, asc);
}

static uint32_t negotiate_flags_of(const uint8_t *msg, size_t len)
{
    uint32_t flags = 0;
    ck_assert_int_eq(ntlm_parse_negotiate(msg, len, &flags), 0);
    return flags;
}

START_TEST(each_level_s_client_sends_what_the_level_says)
{
    static const char zeros[24];
    for (int level = 0; level <= 5; level++) {
        char keys[64];
        snprintf(keys, sizeof keys, "lm_compatibility_level = %d\ndc_lm_compatibility_level = 0\n", level);
        load_levels(keys);
        struct pair p;
        struct legs l;
        pair_credentials(&p, "alice", "Passw0rd!");
        ck_assert_sec_status(handshake_keeping(&p, ISC_AUTH_ONLY, ASC_AUTH_ONLY, &l), SEC_E_OK);
        uint32_t offered = negotiate_flags_of(l.neg, l.neg_len);
        struct ntlm_authenticate a;
        ck_assert_int_eq(ntlm_parse_authenticate(l.auth, l.auth_len, &a), 0);
        if (level == 0) { /* LM and NTLM: never NTLMv2 session security, alice's 9 characters have an LM hash */
            ck_assert_uint_eq(offered & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
            ck_assert_uint_eq(a.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
            ck_assert_uint_eq(a.nt_len, 24);
            ck_assert_uint_eq(a.lm_len, 24);
            struct ntlm_challenge ch;
            uint8_t lm_hash[16], want[24];
            ck_assert_int_eq(ntlm_parse_challenge(l.chal, l.chal_len, &ch), 0);
            ck_assert_int_eq(fs_lm_hash("Passw0rd!", lm_hash), 0);
            ntlm_desl(lm_hash, ch.server_challenge, want);
            ck_assert(!memcmp(a.lm, want, 24));
        } else if (level <= 2) { /* NTLM with NTLMv2 session security, which our server grants */
            ck_assert_uint_ne(offered & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
            ck_assert_uint_ne(a.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
            ck_assert_uint_eq(a.nt_len, 24);
            ck_assert_uint_eq(a.lm_len, 24);
            ck_assert(!memcmp(a.lm + 8, zeros, 16)); /* the client challenge, then zeros */
            ck_assert(memcmp(a.lm, zeros, 8) != 0);
            ck_assert_uint_eq(payload_start(l.auth), 72); /* no MIC */
        } else { /* NTLMv2, with a MIC; Z(24) in the LM field since the server sent a timestamp */
            ck_assert_uint_gt(a.nt_len, 24);
            ck_assert_uint_eq(a.lm_len, 24);
            ck_assert(!memcmp(a.lm, zeros, 24));
            ck_assert_uint_eq(payload_start(l.auth), 88); /* the MIC's room */
        }
        ntlm_authenticate_clear(&a);
        pair_free(&p);
    }
}
END_TEST

START_TEST(without_ess_level_1_sends_the_lm_response_and_level_2_the_ntlm_one_twice)
{
    for (int level = 1; level <= 2; level++) {
        char keys[64];
        snprintf(keys, sizeof keys, "lm_compatibility_level = %d\n", level);
        load_levels(keys);
        struct pair p;
        pair_credentials(&p, "alice", "Passw0rd!");
        ck_assert_sec_status(pair_client_step(&p, ISC_AUTH_ONLY, NULL), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(pair_server_step(&p, ASC_AUTH_ONLY), SEC_I_CONTINUE_NEEDED);
        /* A server that declines NTLMv2 session security: the flag cleared in its CHALLENGE (MS-NLMP 2.2.1.2,
         * NegotiateFlags at offset 20). NTLMv1 has no MIC to notice. */
        p.s2c[22] &= (unsigned char)~(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY >> 16);
        struct ntlm_challenge ch;
        ck_assert_int_eq(ntlm_parse_challenge(p.s2c, p.s2c_len, &ch), 0);
        ck_assert_uint_eq(ch.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
        ck_assert_sec_status(pair_client_step(&p, ISC_AUTH_ONLY, NULL), SEC_E_OK);
        struct ntlm_authenticate a;
        ck_assert_int_eq(ntlm_parse_authenticate(p.c2s, p.c2s_len, &a), 0);
        uint8_t nt[16], lm[16], want_nt[24], want_lm[24];
        ck_assert_int_eq(fs_nt_hash("Passw0rd!", nt), FS_OK);
        ck_assert_int_eq(fs_lm_hash("Passw0rd!", lm), 0);
        ntlm_desl(nt, ch.server_challenge, want_nt);
        ntlm_desl(lm, ch.server_challenge, want_lm);
        ck_assert_uint_eq(a.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
        ck_assert_uint_eq(a.nt_len, 24);
        ck_assert(!memcmp(a.nt, want_nt, 24));
        ck_assert_uint_eq(a.lm_len, 24);
        ck_assert(!memcmp(a.lm, level == 1 ? want_lm : want_nt, 24));
        ntlm_authenticate_clear(&a);
        ck_assert_sec_status(pair_server_step(&p, ASC_AUTH_ONLY), SEC_E_OK);
        pair_free(&p);
    }
}
END_TEST

/* An NTLMv1 client against an acceptor given channel bindings: NTLMv1 cannot carry them, so a domain that requires
 * them refuses the client, and one that takes them "when supported" does not (doc/semantics.md §57). */
START_TEST(an_ntlmv1_client_is_refused_where_bindings_are_required)
{
    static const char *const policies[] = {"channel_bindings = when_supported\n", "channel_bindings = required\n"};
    for (int required = 0; required <= 1; required++) {
        char keys[128];
        snprintf(keys, sizeof keys, "lm_compatibility_level = 2\n%s", policies[required]);
        load_levels(keys);
        struct {
            SEC_CHANNEL_BINDINGS h;
            char data[16];
        } b;
        memset(&b, 0, sizeof b);
        b.h.cbApplicationDataLength = 9;
        b.h.dwApplicationDataOffset = sizeof b.h;
        memcpy(b.data, "tls-bound", 9);
        struct pair p;
        pair_credentials(&p, "alice", "Passw0rd!");
        ck_assert_sec_status(pair_client_step(&p, ISC_STD, NULL), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(pair_server_step(&p, ASC_STD), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(pair_client_step(&p, ISC_STD, NULL), SEC_E_OK);
        SecBuffer in[2] = {{p.c2s_len, SECBUFFER_TOKEN, p.c2s}, {sizeof b, SECBUFFER_CHANNEL_BINDINGS, &b}};
        SecBuffer out = {sizeof p.s2c, SECBUFFER_TOKEN, p.s2c};
        SecBufferDesc ind = {SECBUFFER_VERSION, 2, in}, outd = {SECBUFFER_VERSION, 1, &out};
        ULONG attrs;
        ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, &p.server, &ind, ASC_STD, SECURITY_NATIVE_DREP,
                                                   &p.server, &outd, &attrs, NULL),
                             required ? SEC_E_BAD_BINDINGS : SEC_E_OK);
        pair_free(&p);
    }
}
END_TEST

START_TEST(each_dc_level_s_verdict_on_ntlmv1_and_ntlmv2)
{
    for (int dc = 0; dc <= 5; dc++)
        for (int client = 2; client <= 3; client++) {
            char keys[96];
            snprintf(keys, sizeof keys, "lm_compatibility_level = %d\ndc_lm_compatibility_level = %d\n", client, dc);
            load_levels(keys);
            struct pair p;
            pair_credentials(&p, "alice", "Passw0rd!");
            SECURITY_STATUS want = client == 2 && dc == 5 ? SEC_E_LOGON_DENIED : SEC_E_OK;
            ck_assert_msg(pair_handshake(&p, ISC_STD, ASC_STD, NULL) == want, "client %d, DC %d: %s", client, dc,
                          fakesspi_status_name(p.last_server));
            pair_free(&p);
        }
}
END_TEST

/* One sealed or signed message through SSPI: EncryptMessage / MakeSignature at from, DecryptMessage / VerifySignature
 * at to, with a token buffer and a data buffer; returns the receiver's status. */
static SECURITY_STATUS one_message(CtxtHandle *from, CtxtHandle *to, int sealed, char *msg, size_t len, int tamper)
{
    unsigned char token[16];
    SecBuffer b[2] = {{sizeof token, SECBUFFER_TOKEN, token}, {(ULONG)len, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(sealed ? EncryptMessage(from, 0, &d, 0) : MakeSignature(from, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 16);
    ck_assert_hex(token, 8, "0100000000000000"); /* version 1, the RandomPad zeroed */
    if (tamper)
        msg[0] ^= 1;
    ULONG qop = 0;
    return sealed ? DecryptMessage(to, &d, 0, &qop) : VerifySignature(to, &d, 0, &qop);
}

START_TEST(level_0_signs_and_seals_both_ways_on_one_rc4_stream)
{
    load_levels("lm_compatibility_level = 0\n");
    struct pair p;
    struct legs l;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(handshake_keeping(&p, ISC_STD, ASC_STD, &l), SEC_E_OK);
    struct ntlm_authenticate a;
    ck_assert_int_eq(ntlm_parse_authenticate(l.auth, l.auth_len, &a), 0);
    ck_assert_uint_eq(a.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, 0);
    ck_assert_uint_eq(a.flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL),
                      NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
    ck_assert_uint_eq(a.flags & NTLMSSP_NEGOTIATE_LM_KEY, 0); /* our client does not ask for it */
    ntlm_authenticate_clear(&a);
    for (int side = 0; side < 2; side++) {
        SecPkgContext_Sizes sizes;
        ck_assert_sec_status(QueryContextAttributesA(side ? &p.server : &p.client, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
        ck_assert_uint_eq(sizes.cbMaxSignature, 16);
        ck_assert_uint_eq(sizes.cbSecurityTrailer, 16);
        ck_assert_uint_eq(sizes.cbBlockSize, 0);
        SecPkgContext_KeyInfoA ki;
        ck_assert_sec_status(QueryContextAttributesA(side ? &p.server : &p.client, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
        ck_assert_str_eq(ki.sSignatureAlgorithmName, "RSADSI RC4-CRC32");
        ck_assert_uint_eq(ki.KeySize, 128); /* no LM_KEY: the whole session key seals */
        FreeContextBuffer(ki.sSignatureAlgorithmName);
        FreeContextBuffer(ki.sEncryptAlgorithmName);
    }
    /* Both ways, sealed and signed, in the order both peers see them. */
    for (int i = 0; i < 6; i++) {
        char msg[] = "over RC4-CRC32";
        int from_client = i % 2 == 0, sealed = i % 3 != 2;
        ck_assert_sec_status(one_message(from_client ? &p.client : &p.server, from_client ? &p.server : &p.client,
                                         sealed, msg, sizeof msg, 0),
                             SEC_E_OK);
        ck_assert_str_eq(msg, "over RC4-CRC32");
    }
    /* A tampered message: the CRC differs, the sequence number is right. The state is kept, so the same message
     * untampered is then taken. */
    for (int sealed = 0; sealed <= 1; sealed++) {
        char msg[] = "tampered";
        unsigned char token[16];
        SecBuffer b[2] = {{sizeof token, SECBUFFER_TOKEN, token}, {sizeof msg, SECBUFFER_DATA, msg}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_sec_status(sealed ? EncryptMessage(&p.client, 0, &d, 0) : MakeSignature(&p.client, 0, &d, 0),
                             SEC_E_OK);
        msg[1] ^= 1;
        ck_assert_sec_status(sealed ? DecryptMessage(&p.server, &d, 0, NULL) : VerifySignature(&p.server, &d, 0, NULL),
                             SEC_E_MESSAGE_ALTERED);
        msg[1] ^= 1;
        ck_assert_sec_status(sealed ? DecryptMessage(&p.server, &d, 0, NULL) : VerifySignature(&p.server, &d, 0, NULL),
                             SEC_E_OK);
        ck_assert_str_eq(msg, "tampered");
        /* The same message again: the stream and the number have moved on. */
        if (!sealed)
            ck_assert_sec_status(VerifySignature(&p.server, &d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    }
    pair_free(&p);
    /* Authentication alone: the signatures are the "dummy" ones (MS-NLMP 3.4.9). */
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_AUTH_ONLY, ASC_AUTH_ONLY, NULL), SEC_E_OK);
    unsigned char sig[16];
    char msg[] = "signed";
    SecBuffer b[2] = {{sizeof msg, SECBUFFER_DATA, msg}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(&p.client, 0, &d, 0), SEC_E_OK);
    ck_assert_hex(sig, 16, "01000000000000000000000000000000");
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(VerifySignature(&p.server, &d, 0, &qop), SEC_E_OK);
    pair_free(&p);
}
END_TEST

/* The sharp edge of one RC4 stream for both directions (doc/semantics.md §65): both peers must process the messages
 * in the same order. Each sending before it has read the other's message puts the two streams apart for good. */
START_TEST(peers_that_cross_messages_lose_the_shared_stream)
{
    load_levels("lm_compatibility_level = 0\n");
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    char c_msg[] = "client first", s_msg[] = "server first";
    unsigned char c_tok[16], s_tok[16];
    SecBuffer cb[2] = {{16, SECBUFFER_TOKEN, c_tok}, {sizeof c_msg, SECBUFFER_DATA, c_msg}};
    SecBuffer sb[2] = {{16, SECBUFFER_TOKEN, s_tok}, {sizeof s_msg, SECBUFFER_DATA, s_msg}};
    SecBufferDesc cd = {SECBUFFER_VERSION, 2, cb}, sd = {SECBUFFER_VERSION, 2, sb};
    ck_assert_sec_status(MakeSignature(&p.client, 0, &cd, 0), SEC_E_OK);
    ck_assert_sec_status(MakeSignature(&p.server, 0, &sd, 0), SEC_E_OK);
    /* Both signed with sequence number 0 on the stream's first 12 bytes; each peer's stream is past them. */
    ck_assert_sec_status(VerifySignature(&p.server, &cd, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    ck_assert_sec_status(VerifySignature(&p.client, &sd, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    pair_free(&p);
    /* With extended session security (level 3) each direction has its own stream: the same crossing works. */
    load_levels("lm_compatibility_level = 3\n");
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    ck_assert_sec_status(MakeSignature(&p.client, 0, &cd, 0), SEC_E_OK);
    ck_assert_sec_status(MakeSignature(&p.server, 0, &sd, 0), SEC_E_OK);
    ck_assert_sec_status(VerifySignature(&p.server, &cd, 0, NULL), SEC_E_OK);
    ck_assert_sec_status(VerifySignature(&p.client, &sd, 0, NULL), SEC_E_OK);
    pair_free(&p);
}
END_TEST

/* A server that declines extended session security: RC4-CRC32 at level 1 too (MS-NLMP 3.4.4.1). */
START_TEST(a_server_declining_ess_gets_rc4_crc32_session_security)
{
    load_levels("lm_compatibility_level = 1\n");
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(&p, ASC_STD), SEC_I_CONTINUE_NEEDED);
    p.s2c[22] &= (unsigned char)~(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY >> 16); /* NegotiateFlags at 20 */
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, NULL), SEC_E_OK);
    ck_assert_sec_status(pair_server_step(&p, ASC_STD), SEC_E_OK);
    char msg[] = "declined";
    ck_assert_sec_status(one_message(&p.client, &p.server, 1, msg, sizeof msg, 0), SEC_E_OK);
    ck_assert_sec_status(one_message(&p.server, &p.client, 1, msg, sizeof msg, 0), SEC_E_OK);
    ck_assert_str_eq(msg, "declined");
    ck_assert_sec_status(one_message(&p.server, &p.client, 1, msg, sizeof msg, 1), SEC_E_MESSAGE_ALTERED);
    pair_free(&p);
}
END_TEST

/* Our acceptor grants NTLMSSP_NEGOTIATE_LM_KEY to a client that asks without extended session security, and
 * extended session security alone to one that asks both (MS-NLMP 2.2.2.5). */
START_TEST(the_challenge_grants_lm_key_only_without_ess)
{
    load_levels("");
    for (int with_ess = 0; with_ess <= 1; with_ess++) {
        struct pair p;
        pair_credentials(&p, "alice", "Passw0rd!");
        struct fs_writer neg;
        fs_writer_init(&neg);
        ntlm_build_negotiate(&neg, NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_SIGN |
                                       NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_128 |
                                       (with_ess ? NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY : 0));
        memcpy(p.c2s, neg.data, p.c2s_len = (ULONG)neg.len);
        fs_writer_free(&neg);
        ck_assert_sec_status(pair_server_step(&p, ASC_STD), SEC_I_CONTINUE_NEEDED);
        struct ntlm_challenge ch;
        ck_assert_int_eq(ntlm_parse_challenge(p.s2c, p.s2c_len, &ch), 0);
        ck_assert_uint_eq(ch.flags & NTLMSSP_NEGOTIATE_LM_KEY, with_ess ? 0 : NTLMSSP_NEGOTIATE_LM_KEY);
        ck_assert_uint_eq(ch.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
                          with_ess ? NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY : 0);
        DeleteSecurityContext(&p.server); /* the client's context was never made */
        FreeCredentialsHandle(&p.client_cred);
        FreeCredentialsHandle(&p.server_cred);
    }
}
END_TEST

/* SOURCE: Wine's dlls/secur32/tests/ntlm.c, testSignSeal (checks not marked todo_wine): a Windows client's
 * EncryptMessage and DecryptMessage after a challenge granting neither extended session security nor LM_KEY nor key
 * exchange (flags 0xa0828205), user testuser, password testpass, so the session key is MD4(NTOWFv1("testpass")).
 * Windows' own bytes: one RC4 stream and one sequence number for both directions (the client's message at stream
 * offset 0 with number 0, the server's at 25 with 1, ...), the RandomPad sent as zeros, and the CRC32 over the
 * SECBUFFER_READONLY_WITH_CHECKSUM buffers too, which are not encrypted. Run through the package's own seal/unseal on a
 * context imported with that key. */
static const char wine_client_trailer[] = "0100000000000000e8c7aa261639074e";
static const char wine_client_message[] = "869c5a1078b330984615a031d9";
static const char wine_server_trailer[] = "01000000000000001c462e77ebf0f69e";
static const char wine_server_message[] = "f6b7920cacea98e6efa02966fd";
static const char wine_client_trailer2[] = "0100000000000000c5a7f70f5b25bea4";
static const char wine_client_message2[] = "206c01abb04c93e41efce1fafe";
static const char wine_server_trailer2[] = "0100000000000000b14e46b7caf77fb3";
static const char wine_server_message2[] = "c8f2397f0caff55def0c8b5f82";

/* An NTLM client context as ImportSecurityContext's packed form carries it, keyed with exported under flags. */
static void *import_client(const uint8_t exported[16], uint32_t flags)
{
    struct fs_writer w;
    fs_writer_init(&w);
    fs_write_u8(&w, 1); /* NTLM_EXPORT_VERSION */
    fs_write_u8(&w, 0); /* client */
    fs_write_u32le(&w, flags);
    fs_write_bytes(&w, exported, 16);
    for (int dir = 0; dir < 2; dir++) {
        struct ntlm_direction d;
        ntlm_direction_init(&d, exported, flags, !dir);
        ntlm_direction_ready(&d);
        fs_write_bytes(&w, d.sign_key, 16);
        fs_write_bytes(&w, d.seal.S, sizeof d.seal.S);
        fs_write_u8(&w, d.seal.i);
        fs_write_u8(&w, d.seal.j);
        fs_write_u32le(&w, 0);
    }
    ck_assert(!w.failed);
    struct fs_reader r;
    fs_reader_init(&r, w.data, w.len);
    void *state = NULL;
    ck_assert_int_eq(fs_ntlm_package.import_state(&r, &state), FS_OK);
    fs_writer_free(&w);
    return state;
}

START_TEST(windows_own_bytes_one_stream_and_one_sequence_for_both_directions)
{
    uint8_t nt[16], key[16];
    ck_assert_int_eq(fs_nt_hash("testpass", nt), FS_OK);
    ntlm_v1_session_base_key(nt, key);
    void *ctx = import_client(key, 0xa0828205u | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
    uint8_t msg[13], sig[16];
    memcpy(msg, "Hello, world!", 13);
    uint8_t *parts[3] = {msg};
    size_t lens[3] = {13}, sig_len = 16;
    ck_assert_int_eq(fs_ntlm_package.seal(ctx, 0, parts, lens, NULL, 1, sig, &sig_len), FS_OK);
    ck_assert_hex(msg, 13, wine_client_message);
    ck_assert_hex(sig, 16, wine_client_trailer);
    /* The server's answer, on the stream where the client's trailer left it. */
    unhex(wine_server_message, msg);
    unhex(wine_server_trailer, sig);
    ck_assert_int_eq(fs_ntlm_package.unseal(ctx, parts, lens, NULL, 1, sig, 16, NULL), FS_OK);
    ck_assert(!memcmp(msg, "Hello, world!", 13));
    /* Header, data, header: the headers are checksummed, not encrypted. */
    uint8_t header[12] = "Header Test";
    uint8_t header2[12] = "Header Test";
    static const uint8_t sign_only[3] = {1, 0, 1};
    parts[0] = header, parts[1] = msg, parts[2] = header2;
    lens[0] = lens[2] = 12, lens[1] = 13;
    memcpy(msg, "Hello, world!", 13);
    ck_assert_int_eq(fs_ntlm_package.seal(ctx, 0, parts, lens, sign_only, 3, sig, &sig_len), FS_OK);
    ck_assert_hex(msg, 13, wine_client_message2);
    ck_assert_hex(sig, 16, wine_client_trailer2);
    ck_assert_str_eq((char *)header, "Header Test");
    unhex(wine_server_message2, msg);
    unhex(wine_server_trailer2, sig);
    ck_assert_int_eq(fs_ntlm_package.unseal(ctx, parts, lens, sign_only, 3, sig, 16, NULL), FS_OK);
    ck_assert(!memcmp(msg, "Hello, World!", 13));
    fs_ntlm_package.free_state(ctx);
}
END_TEST

/* SECPKG_ATTR_KEY_INFO's KeySize without extended session security is the sealing key's: the whole session key
 * whatever NTLMSSP_NEGOTIATE_128 says, LM_KEY's 56 or 40 bits (MS-NLMP 3.4.5.3). Not verified against Windows. */
START_TEST(key_info_gives_the_sealing_key_s_size_without_ess)
{
    static const struct {
        uint32_t flags, bits;
    } rows[] = {
        {NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56, 128},
        {0, 128},
        {NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56, 56},
        {NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_128, 40},
        {NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_56, 56},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        void *ctx = import_client(random_session_key, rows[i].flags | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
        struct fs_key_info ki;
        fs_ntlm_package.key_info(ctx, &ki);
        ck_assert_uint_eq(ki.key_bits, rows[i].bits);
        ck_assert_str_eq(ki.signature_name,
                         rows[i].flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY ? "HMAC-MD5" : "RSADSI RC4-CRC32");
        fs_ntlm_package.free_state(ctx);
    }
}
END_TEST

START_TEST(sealing_round_trips_after_an_ntlmv1_handshake)
{
    load_levels("lm_compatibility_level = 2\n");
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    for (int i = 0; i < 3; i++) {
        unsigned char trailer[16];
        char msg[] = "sealed over NTLMv1";
        SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof msg, SECBUFFER_DATA, msg}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
        ck_assert_sec_status(EncryptMessage(i % 2 ? &p.server : &p.client, 0, &d, 0), SEC_E_OK);
        ck_assert(memcmp(msg, "sealed over NTLMv1", sizeof msg) != 0);
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(DecryptMessage(i % 2 ? &p.client : &p.server, &d, 0, &qop), SEC_E_OK);
        ck_assert_str_eq(msg, "sealed over NTLMv1");
    }
    /* A tampered message is refused. */
    unsigned char trailer[16];
    char msg[] = "tampered";
    SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof msg, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&p.client, 0, &d, 0), SEC_E_OK);
    msg[0] ^= 1;
    ck_assert_sec_status(DecryptMessage(&p.server, &d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    pair_free(&p);
}
END_TEST

START_TEST(the_session_key_is_the_one_ms_nlmp_derives_from_the_messages)
{
    load_levels("lm_compatibility_level = 2\n");
    struct pair p;
    struct legs l;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(handshake_keeping(&p, ISC_STD, ASC_STD, &l), SEC_E_OK);
    struct ntlm_challenge ch;
    struct ntlm_authenticate a;
    ck_assert_int_eq(ntlm_parse_challenge(l.chal, l.chal_len, &ch), 0);
    ck_assert_int_eq(ntlm_parse_authenticate(l.auth, l.auth_len, &a), 0);
    ck_assert_uint_ne(a.flags & NTLMSSP_NEGOTIATE_KEY_EXCH, 0);
    ck_assert_uint_eq(a.session_key_len, 16);
    /* MS-NLMP 3.3.1, 3.4.5.1: SessionBaseKey = MD4(NTOWFv1), KXKEY = HMAC_MD5(SessionBaseKey, SC || LM[0..7]), the
     * ExportedSessionKey = RC4(KXKEY, EncryptedRandomSessionKey); computed here with nettle directly. */
    uint8_t nt[16], base[16], kx[16], want[16];
    ck_assert_int_eq(fs_nt_hash("Passw0rd!", nt), FS_OK);
    struct md4_ctx md4;
    md4_init(&md4);
    md4_update(&md4, 16, nt);
    md4_digest(&md4, 16, base);
    struct hmac_md5_ctx h;
    hmac_md5_set_key(&h, 16, base);
    hmac_md5_update(&h, 8, ch.server_challenge);
    hmac_md5_update(&h, 8, a.lm);
    hmac_md5_digest(&h, 16, kx);
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, 16, kx);
    arcfour_crypt(&rc4, 16, want, a.session_key);
    for (int side = 0; side < 2; side++) {
        SecPkgContext_SessionKey key;
        SENTINEL(key);
        ck_assert_sec_status(QueryContextAttributesA(side ? &p.server : &p.client, SECPKG_ATTR_SESSION_KEY, &key),
                             SEC_E_OK);
        ck_assert_uint_eq(key.SessionKeyLength, 16);
        ck_assert(!memcmp(key.SessionKey, want, 16));
        FreeContextBuffer(key.SessionKey);
    }
    ntlm_authenticate_clear(&a);
    pair_free(&p);
}
END_TEST

/* Negotiate, one leg at a time: the client's credentials for alice, the service account's for the acceptor. */
struct nego {
    CredHandle cc, sc;
    CtxtHandle c, s;
    int c_made, s_made;
    unsigned char c2s[8192], s2c[8192];
    ULONG c2s_len, s2c_len, attrs;
};

/* An unknown target: Negotiate falls back to NTLM (doc/semantics.md §10). */
#define UNKNOWN_TARGET "HOST/unknown.example.test"

static SECURITY_STATUS nego_client(struct nego *n)
{
    SecBuffer in = {n->s2c_len, SECBUFFER_TOKEN, n->s2c}, out = {sizeof n->c2s, SECBUFFER_TOKEN, n->c2s};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = InitializeSecurityContextA(&n->cc, n->c_made ? &n->c : NULL, (SEC_CHAR *)UNKNOWN_TARGET,
                                                    ISC_STD, 0, SECURITY_NATIVE_DREP, n->c_made ? &ind : NULL, 0,
                                                    &n->c, &outd, &n->attrs, NULL);
    n->c_made |= SEC_SUCCESS(st);
    n->c2s_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS nego_server(struct nego *n)
{
    SecBuffer in = {n->c2s_len, SECBUFFER_TOKEN, n->c2s}, out = {sizeof n->s2c, SECBUFFER_TOKEN, n->s2c};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = AcceptSecurityContext(&n->sc, n->s_made ? &n->s : NULL, &ind, ASC_STD, SECURITY_NATIVE_DREP,
                                               &n->s, &outd, &n->attrs, NULL);
    n->s_made |= SEC_SUCCESS(st);
    n->s2c_len = out.cbBuffer;
    return st;
}

START_TEST(negotiate_over_ntlm_works_at_level_2_and_the_level_5_dc_refuses_it)
{
    for (int dc = 4; dc <= 5; dc++) {
        char keys[96];
        snprintf(keys, sizeof keys, "lm_compatibility_level = 2\ndc_lm_compatibility_level = %d\n", dc);
        load_levels(keys);
        static struct nego n;
        memset(&n, 0, sizeof n);
        SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
        ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                       &n.cc, NULL),
                             SEC_E_OK);
        ck_assert_sec_status(acquire_service_credential("Negotiate", &n.sc), SEC_E_OK);
        ck_assert_sec_status(nego_client(&n), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(nego_server(&n), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(nego_client(&n), SEC_I_CONTINUE_NEEDED); /* AUTHENTICATE; awaits the server's MIC */
        const uint8_t *m = memmem(n.c2s, n.c2s_len, "NTLMSSP", 8);
        ck_assert_ptr_nonnull(m);
        struct ntlm_authenticate a;
        ck_assert_int_eq(ntlm_parse_authenticate(m, n.c2s_len - (size_t)(m - n.c2s), &a), 0);
        ck_assert_uint_eq(a.nt_len, 24); /* NTLMv1 inside SPNEGO */
        ntlm_authenticate_clear(&a);
        if (dc == 4) {
            ck_assert_sec_status(nego_server(&n), SEC_E_OK);
            ck_assert_sec_status(nego_client(&n), SEC_E_OK);
            SecPkgContext_NegotiationInfoA ni;
            ck_assert_sec_status(QueryContextAttributesA(&n.s, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
            ck_assert_str_eq(ni.PackageInfo->Name, "NTLM");
            FreeContextBuffer(ni.PackageInfo);
        } else {
            ck_assert_sec_status(nego_server(&n), SEC_E_LOGON_DENIED);
        }
        if (n.c_made)
            DeleteSecurityContext(&n.c);
        if (n.s_made)
            DeleteSecurityContext(&n.s);
        FreeCredentialsHandle(&n.cc);
        FreeCredentialsHandle(&n.sc);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ntlm/lmcompat");
    TCase *vectors = test_case("ms-nlmp 4.2.2 and 4.2.3");
    tcase_add_test(vectors, lmowfv1_of_the_spec_password_and_passwords_without_one);
    tcase_add_test(vectors, ntlmv1_responses_and_keys_are_the_4_2_2_values);
    tcase_add_test(vectors, the_ntlm2_session_response_and_its_keys_are_the_4_2_3_values);
    tcase_add_test(vectors, each_client_level_fills_the_lm_field_as_4_2_2_says);
    tcase_add_test(vectors, the_client_signs_and_seals_the_4_2_2_exchange_as_4_2_2_4);
    tcase_add_test(vectors, levels_1_and_2_send_the_4_2_3_ntlm2_session_response_and_seal_as_the_spec);
    suite_add_tcase(s, vectors);
    TCase *dc = test_case("domain controller");
    tcase_add_test(dc, the_dc_takes_ntlmv1_below_level_5_and_refuses_it_at_5);
    tcase_add_test(dc, the_dc_takes_the_ntlm2_session_response_and_derives_the_4_2_3_key);
    tcase_add_test(dc, an_lm_response_alone_is_taken_below_level_4_only);
    tcase_add_test(dc, the_dc_takes_the_4_2_2_3_message_and_its_key_seals_as_4_2_2_4);
    tcase_add_test(dc, an_lm_key_exchange_keys_as_4_2_2_and_seals_with_a_56_or_40_bit_key);
    suite_add_tcase(s, dc);
    TCase *file = test_case("domain file");
    tcase_add_test(file, both_levels_default_to_3_and_the_dc_follows_the_clients_unless_given);
    tcase_add_test(file, bad_levels_are_refused_with_the_reason);
    suite_add_tcase(s, file);
    TCase *sspi = test_case("sspi");
    tcase_add_test(sspi, each_level_s_client_sends_what_the_level_says);
    tcase_add_test(sspi, without_ess_level_1_sends_the_lm_response_and_level_2_the_ntlm_one_twice);
    tcase_add_test(sspi, each_dc_level_s_verdict_on_ntlmv1_and_ntlmv2);
    tcase_add_test(sspi, an_ntlmv1_client_is_refused_where_bindings_are_required);
    tcase_add_test(sspi, level_0_signs_and_seals_both_ways_on_one_rc4_stream);
    tcase_add_test(sspi, peers_that_cross_messages_lose_the_shared_stream);
    tcase_add_test(sspi, a_server_declining_ess_gets_rc4_crc32_session_security);
    tcase_add_test(sspi, the_challenge_grants_lm_key_only_without_ess);
    tcase_add_test(sspi, windows_own_bytes_one_stream_and_one_sequence_for_both_directions);
    tcase_add_test(sspi, key_info_gives_the_sealing_key_s_size_without_ess);
    tcase_add_test(sspi, sealing_round_trips_after_an_ntlmv1_handshake);
    tcase_add_test(sspi, the_session_key_is_the_one_ms_nlmp_derives_from_the_messages);
    tcase_add_test(sspi, negotiate_over_ntlm_works_at_level_2_and_the_level_5_dc_refuses_it);
    suite_add_tcase(s, sspi);
    return test_run(s);
}
