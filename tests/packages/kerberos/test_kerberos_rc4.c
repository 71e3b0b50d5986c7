/* RC4-HMAC (etype 23, RFC 4757) and the KDC's choice of encryption types by the accounts' supported_enctypes
 * (msDS-SupportedEncryptionTypes): the crypto against MIT krb5's published vectors (tests/data/krb5-rc4/SOURCE.txt),
 * then handshakes and message protection through SSPI (doc/semantics.md §53). */
#include "sspi/sspitest.h"
#include "packages/der.h"
#include "packages/kerberos/krb_crypto.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_rc4.h"
#include "security/domain_ini.h"
#include "security/enctypes.h"

#define SPN "HTTP/server.example.test"
#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

/* ---- the crypto, against MIT's vectors ---- */

struct vector {
    char kind[16];
    unsigned usage;
    uint8_t key[16], plain[64], out[96];
    size_t plain_len, out_len;
};

static size_t hex_field(const char *hex, uint8_t *out)
{
    return strcmp(hex, "-") ? unhex(hex, out) : 0;
}

static size_t read_vectors(struct vector *v, size_t cap)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/krb5-rc4/vectors.txt", TEST_DATA_DIR);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        char key[64], plain[160], out[224];
        ck_assert_int_eq(sscanf(line, "%15s %u %63s %159s %223s", v[n].kind, &v[n].usage, key, plain, out), 5);
        ck_assert_uint_eq(unhex(key, v[n].key), 16);
        v[n].plain_len = hex_field(plain, v[n].plain);
        v[n].out_len = unhex(out, v[n].out);
        n++;
    }
    fclose(f);
    return n;
}

START_TEST(decrypt_matches_mit_vectors_and_encrypt_with_their_confounder_gives_their_ciphertext)
{
    struct vector v[8];
    size_t n = read_vectors(v, 8), seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].kind, "decrypt"))
            continue;
        struct krb_key key = {.etype = KRB_ETYPE_RC4, .len = 16};
        memcpy(key.bytes, v[i].key, 16);
        ck_assert_uint_eq(v[i].out_len, v[i].plain_len + KRB_RC4_OVERHEAD);
        uint8_t plain[64], confounder[KRB_RC4_CONFOUNDER], again[96];
        ck_assert_int_eq(krb_rc4_decrypt(&key, v[i].usage, v[i].out, v[i].out_len, plain, confounder), FS_OK);
        ck_assert(!memcmp(plain, v[i].plain, v[i].plain_len));
        /* the generic entry point takes etype 23 the same way */
        ck_assert_int_eq(krb_decrypt(&key, v[i].usage, v[i].out, v[i].out_len, plain), FS_OK);
        krb_rc4_encrypt(&key, v[i].usage, confounder, v[i].plain, v[i].plain_len, again);
        ck_assert_msg(!memcmp(again, v[i].out, v[i].out_len), "usage %u", v[i].usage);
        seen++;
    }
    ck_assert_uint_eq(seen, 5);
}
END_TEST

START_TEST(hmac_md5_checksum_matches_mit_vector)
{
    struct vector v[8];
    size_t n = read_vectors(v, 8), seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].kind, "checksum"))
            continue;
        struct krb_key key = {.etype = KRB_ETYPE_RC4, .len = 16};
        memcpy(key.bytes, v[i].key, 16);
        const uint8_t *part = v[i].plain;
        uint8_t sum[KRB_CHECKSUM_MAX];
        krb_checksum(&key, v[i].usage, &part, &v[i].plain_len, 1, sum);
        ck_assert_uint_eq(v[i].out_len, krb_checksum_size(KRB_ETYPE_RC4));
        ck_assert(!memcmp(sum, v[i].out, v[i].out_len));
        ck_assert_int_eq(krb_checksum_type(KRB_ETYPE_RC4), -138);
        seen++;
    }
    ck_assert_uint_eq(seen, 1);
}
END_TEST

START_TEST(a_changed_byte_another_usage_or_a_short_ciphertext_is_refused)
{
    struct krb_key key = {.etype = KRB_ETYPE_RC4, .len = 16};
    memset(key.bytes, 0x5A, 16);
    const uint8_t plain[] = "a ticket's encrypted part";
    uint8_t sealed[sizeof plain + KRB_RC4_OVERHEAD], back[sizeof plain];
    ck_assert_uint_eq(krb_enc_overhead(KRB_ETYPE_RC4), 24);
    ck_assert_int_eq(krb_encrypt(&key, 2, plain, sizeof plain, sealed), FS_OK);
    ck_assert_int_eq(krb_decrypt(&key, 2, sealed, sizeof sealed, back), FS_OK);
    ck_assert(!memcmp(back, plain, sizeof plain));
    ck_assert_int_eq(krb_decrypt(&key, 11, sealed, sizeof sealed, back), FS_E_MESSAGE_ALTERED);
    sealed[30] ^= 0x01;
    ck_assert_int_eq(krb_decrypt(&key, 2, sealed, sizeof sealed, back), FS_E_MESSAGE_ALTERED);
    ck_assert_int_eq(krb_decrypt(&key, 2, sealed, KRB_RC4_OVERHEAD - 1, back), FS_E_INVALID_TOKEN);
}
END_TEST

/* RFC 4757 section 3: the key is the NT hash; MS-NLMP 4.2.2.1.2 gives NTOWFv1("Password"). */
START_TEST(rc4_string_to_key_is_the_nt_hash_and_takes_no_salt)
{
    struct krb_key a, b;
    const uint8_t salt[] = "EXAMPLE.TESTalice";
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_RC4, "Password", salt, sizeof salt - 1, 0, &a), FS_OK);
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_RC4, "Password", NULL, 0, 0, &b), FS_OK);
    ck_assert_int_eq(a.etype, 23);
    ck_assert_hex(a.bytes, a.len, "a4f49c406510bdcab6824ee7c30fd852");
    ck_assert(!memcmp(a.bytes, b.bytes, 16));
}
END_TEST

/* ---- the domain file ---- */

START_TEST(supported_enctypes_takes_the_attribute_bits_or_names)
{
    static const struct {
        const char *text;
        int rc;
        uint32_t bits;
    } cases[] = {
        {"0x4", 0, 0x4},          {"28", 0, 0x1C},         {"0x24", 0, 0x24}, /* RC4 and AES-SK: the extra bit kept */
        {"rc4", 0, 0x4},          {"aes256, rc4", 0, 0x14}, {"AES128 aes256", 0, 0x18},
        {"arcfour-hmac", 0, 0x4}, {"aes256-cts-hmac-sha1-96", 0, 0x10},
        {"des", -1, 0},           {"0x3", -1, 0},           {"0x4x", -1, 0},   {"", -1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t bits = 0xdeadbeef;
        ck_assert_msg(fs_enctypes_parse(cases[i].text, &bits) == cases[i].rc, "'%s'", cases[i].text);
        ck_assert_uint_eq(bits, cases[i].rc ? 0xdeadbeef : cases[i].bits);
    }
}
END_TEST

/* The embedded domain with svc_server's supported_enctypes (its section is the last) and, when client is given,
 * alice's. */
static int load_domain(const char *service, const char *client)
{
    static char text[8192];
    const char *alice = strstr(fs_default_domain_ini, "[user alice]\n");
    ck_assert_ptr_nonnull(alice);
    size_t head = (size_t)(alice - fs_default_domain_ini) + strlen("[user alice]\n");
    snprintf(text, sizeof text, "%.*s%s%s%s%s%s%s", (int)head, fs_default_domain_ini, client ? "supported_enctypes = " : "",
             client ? client : "", client ? "\n" : "", fs_default_domain_ini + head,
             service ? "supported_enctypes = " : "", service ? service : "");
    if (service)
        strncat(text, "\n", sizeof text - strlen(text) - 1);
    return fakesspi_load_domain_text(text, "enctypes");
}

START_TEST(a_domain_file_with_a_bad_supported_enctypes_is_refused)
{
    ck_assert_int_eq(load_domain("bogus", NULL), -1);
    ck_assert_int_eq(load_domain("0x4", NULL), 0);
}
END_TEST

/* ---- handshakes ---- */

struct krb {
    CredHandle cc, sc;
    CtxtHandle client, server;
    unsigned char ap_req[4096], ap_rep[4096];
    ULONG ap_req_len, ap_rep_len;
};

static void credentials(struct krb *k)
{
    kerberos_credential("alice", "Passw0rd!", SECPKG_CRED_OUTBOUND, &k->cc);
    kerberos_credential("svc_server", "S3rv1ce!pass", SECPKG_CRED_INBOUND, &k->sc);
}

static SECURITY_STATUS first_leg_asking(struct krb *k, ULONG req)
{
    SecBuffer out = {sizeof k->ap_req, SECBUFFER_TOKEN, k->ap_req};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    SECURITY_STATUS st = InitializeSecurityContextA(&k->cc, NULL, (SEC_CHAR *)SPN, req, 0, SECURITY_NATIVE_DREP,
                                                    NULL, 0, &k->client, &outd, &attrs, NULL);
    k->ap_req_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS first_leg(struct krb *k) { return first_leg_asking(k, MUTUAL); }

/* The whole mutual exchange, the client asking for req. */
static void handshake_asking(struct krb *k, ULONG req)
{
    credentials(k);
    ck_assert_sec_status(first_leg_asking(k, req), SEC_I_CONTINUE_NEEDED);
    SecBuffer in = {k->ap_req_len, SECBUFFER_TOKEN, k->ap_req}, out = {sizeof k->ap_rep, SECBUFFER_TOKEN, k->ap_rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    ck_assert_sec_status(AcceptSecurityContext(&k->sc, NULL, &ind, ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP,
                                               &k->server, &outd, &attrs, NULL),
                         SEC_E_OK);
    k->ap_rep_len = out.cbBuffer;
    unsigned char none[16];
    SecBuffer rin = {k->ap_rep_len, SECBUFFER_TOKEN, k->ap_rep}, rout = {sizeof none, SECBUFFER_TOKEN, none};
    SecBufferDesc rind = {SECBUFFER_VERSION, 1, &rin}, routd = {SECBUFFER_VERSION, 1, &rout};
    ck_assert_sec_status(InitializeSecurityContextA(&k->cc, &k->client, (SEC_CHAR *)SPN, req, 0,
                                                    SECURITY_NATIVE_DREP, &rind, 0, &k->client, &routd, &attrs, NULL),
                         SEC_E_OK);
}

static void handshake(struct krb *k) { handshake_asking(k, MUTUAL); }

static void krb_free(struct krb *k)
{
    DeleteSecurityContext(&k->client);
    DeleteSecurityContext(&k->server);
    FreeCredentialsHandle(&k->cc);
    FreeCredentialsHandle(&k->sc);
}

/* The etypes of the AP-REQ's ticket and authenticator (the authenticator's is the session key's). */
static void ap_req_etypes(const struct krb *k, int32_t *ticket, int32_t *authenticator)
{
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(k->ap_req, k->ap_req_len, &tok_id, &inner, &inner_len), FS_OK);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &derr), FS_OK);
    *ticket = r.ticket_etype;
    *authenticator = r.auth_etype;
    krb_ap_req_free(&r);
}

static void assert_key_info(CtxtHandle *ctx, const char *sig_name, const char *enc_name, ULONG bits, ULONG sig_alg,
                            ULONG enc_alg)
{
    SecPkgContext_KeyInfoA ki;
    memset(&ki, 0xcc, sizeof ki);
    ck_assert_sec_status(QueryContextAttributesA(ctx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    ck_assert_str_eq(ki.sSignatureAlgorithmName, sig_name);
    ck_assert_str_eq(ki.sEncryptAlgorithmName, enc_name);
    ck_assert_uint_eq(ki.KeySize, bits);
    ck_assert_uint_eq(ki.SignatureAlgorithm, sig_alg);
    ck_assert_uint_eq(ki.EncryptAlgorithm, enc_alg);
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
}

START_TEST(an_rc4_service_gets_an_rc4_ticket_session_key_and_subkeys)
{
    ck_assert_int_eq(load_domain("0x4", NULL), 0);
    struct krb k;
    handshake(&k);
    int32_t ticket, authenticator;
    ap_req_etypes(&k, &ticket, &authenticator);
    ck_assert_int_eq(ticket, 23);
    ck_assert_int_eq(authenticator, 23);
    /* Windows names RC4-HMAC's checksum and cipher so; the algorithms are the Kerberos numbers (-138, 23). */
    assert_key_info(&k.client, "HMAC-MD5", "RSADSI RC4-HMAC(NT)", 128, 0xffffff76, 23);
    assert_key_info(&k.server, "HMAC-MD5", "RSADSI RC4-HMAC(NT)", 128, 0xffffff76, 23);
    SecPkgContext_SessionKey c, s;
    ck_assert_sec_status(QueryContextAttributesA(&k.client, SECPKG_ATTR_SESSION_KEY, &c), SEC_E_OK);
    ck_assert_sec_status(QueryContextAttributesA(&k.server, SECPKG_ATTR_SESSION_KEY, &s), SEC_E_OK);
    ck_assert_uint_eq(c.SessionKeyLength, 16);
    ck_assert_uint_eq(s.SessionKeyLength, 16);
    ck_assert(!memcmp(c.SessionKey, s.SessionKey, 16));
    FreeContextBuffer(c.SessionKey);
    FreeContextBuffer(s.SessionKey);
    SecPkgContext_Sizes sz;
    ck_assert_sec_status(QueryContextAttributesA(&k.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, 37);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 49);
    ck_assert_uint_eq(sz.cbMaxToken, 48000);
    krb_free(&k);
}
END_TEST

START_TEST(the_ticket_takes_the_services_strongest_key_and_the_session_key_the_strongest_shared)
{
    /* The service has all three, the client offers RC4 only: an AES256 ticket with an RC4 session key. */
    ck_assert_int_eq(load_domain("0x1c", "rc4"), 0);
    struct krb k;
    handshake(&k);
    int32_t ticket, authenticator;
    ap_req_etypes(&k, &ticket, &authenticator);
    ck_assert_int_eq(ticket, 18);
    ck_assert_int_eq(authenticator, 23);
    assert_key_info(&k.client, "HMAC-MD5", "RSADSI RC4-HMAC(NT)", 128, 0xffffff76, 23);
    krb_free(&k);
}
END_TEST

START_TEST(an_aes128_only_service_gives_aes128_everywhere)
{
    ck_assert_int_eq(load_domain("aes128", NULL), 0);
    struct krb k;
    handshake(&k);
    int32_t ticket, authenticator;
    ap_req_etypes(&k, &ticket, &authenticator);
    ck_assert_int_eq(ticket, 17);
    ck_assert_int_eq(authenticator, 17);
    assert_key_info(&k.server, "HMAC-SHA1-96-AES128", "AES-128-CTS-HMAC-SHA1-96", 128, 15, 17);
    SecPkgContext_Sizes sz;
    ck_assert_sec_status(QueryContextAttributesA(&k.client, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    ck_assert_uint_eq(sz.cbMaxSignature, 28);
    ck_assert_uint_eq(sz.cbSecurityTrailer, 60);
    krb_free(&k);
}
END_TEST

START_TEST(without_a_shared_etype_the_client_gets_kdc_unknown_etype)
{
    ck_assert_int_eq(load_domain("rc4", "aes256"), 0);
    struct krb k;
    credentials(&k);
    k.client.dwLower = k.client.dwUpper = 0xdeadbeef;
    ck_assert_sec_status(first_leg(&k), SEC_E_KDC_UNKNOWN_ETYPE);
    ck_assert_uint_eq(k.client.dwLower, 0xdeadbeef);
    FreeCredentialsHandle(&k.cc);
    FreeCredentialsHandle(&k.sc);
}
END_TEST

/* ---- RFC 4757 section 7 tokens ---- */

static const unsigned char framing[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

static SECURITY_STATUS sign(CtxtHandle *ctx, char *text, unsigned char *sig, ULONG *sig_len)
{
    SecBuffer b[2] = {{(ULONG)strlen(text), SECBUFFER_DATA, text}, {*sig_len, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = MakeSignature(ctx, 0, &d, 0);
    *sig_len = b[1].cbBuffer;
    return st;
}

static SECURITY_STATUS verify(CtxtHandle *ctx, char *text, unsigned char *sig, ULONG sig_len)
{
    SecBuffer b[2] = {{(ULONG)strlen(text), SECBUFFER_DATA, text}, {sig_len, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0xdeadbeef;
    return VerifySignature(ctx, &d, 0, &qop);
}

START_TEST(mic_tokens_are_rfc4757_and_verify_once_in_order)
{
    ck_assert_int_eq(load_domain("rc4", NULL), 0);
    struct krb k;
    handshake(&k);
    char text[] = "signed under RC4";
    unsigned char sig[64];
    ULONG len = 36;
    ck_assert_sec_status(sign(&k.client, text, sig, &len), SEC_E_BUFFER_TOO_SMALL);
    len = sizeof sig;
    ck_assert_sec_status(sign(&k.client, text, sig, &len), SEC_E_OK);
    ck_assert_uint_eq(len, 37);
    /* [APPLICATION 0] of 35 bytes, the Kerberos OID, TOK_ID 01 01, SGN_ALG 11 00 (HMAC-MD5), filler ff x4 */
    ck_assert_uint_eq(sig[0], 0x60);
    ck_assert_uint_eq(sig[1], 35);
    ck_assert(!memcmp(sig + 2, framing, sizeof framing));
    static const unsigned char head[] = {0x01, 0x01, 0x11, 0x00, 0xff, 0xff, 0xff, 0xff};
    ck_assert(!memcmp(sig + 13, head, sizeof head));
    ck_assert_sec_status(verify(&k.server, text, sig, len), SEC_E_OK);
    ck_assert_sec_status(verify(&k.server, text, sig, len), SEC_E_OUT_OF_SEQUENCE); /* a replay */
    /* the other way, and a changed message */
    len = sizeof sig;
    ck_assert_sec_status(sign(&k.server, text, sig, &len), SEC_E_OK);
    text[0] ^= 1;
    ck_assert_sec_status(verify(&k.client, text, sig, len), SEC_E_MESSAGE_ALTERED);
    text[0] ^= 1;
    ck_assert_sec_status(verify(&k.client, text, sig, len), SEC_E_OK);
    /* a token of ours does not verify on our own side: the direction bytes differ */
    len = sizeof sig;
    ck_assert_sec_status(sign(&k.client, text, sig, &len), SEC_E_OK);
    ck_assert_sec_status(verify(&k.client, text, sig, len), SEC_E_MESSAGE_ALTERED);
    krb_free(&k);
}
END_TEST

static SECURITY_STATUS seal(CtxtHandle *ctx, ULONG qop, unsigned char *tok, ULONG *tok_len, char *data, ULONG len)
{
    SecBuffer b[2] = {{*tok_len, SECBUFFER_TOKEN, tok}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = EncryptMessage(ctx, qop, &d, 0);
    *tok_len = b[0].cbBuffer;
    return st;
}

static SECURITY_STATUS unseal(CtxtHandle *ctx, unsigned char *tok, ULONG tok_len, char *data, ULONG len, ULONG *qop)
{
    SecBuffer b[2] = {{tok_len, SECBUFFER_TOKEN, tok}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    return DecryptMessage(ctx, &d, 0, qop);
}

START_TEST(wrap_tokens_are_rfc4757_sealed_in_place_and_open_on_the_other_side)
{
    ck_assert_int_eq(load_domain("rc4", NULL), 0);
    struct krb k;
    handshake(&k);
    char data[] = "sealed under RC4, in place";
    ULONG n = (ULONG)strlen(data);
    unsigned char tok[64];
    ULONG tok_len = 48;
    ck_assert_sec_status(seal(&k.client, 0, tok, &tok_len, data, n), SEC_E_BUFFER_TOO_SMALL);
    tok_len = sizeof tok;
    ck_assert_sec_status(seal(&k.client, 0, tok, &tok_len, data, n), SEC_E_OK);
    /* framing (its length counts the token, confounder, data and padding), the 24-byte token with SEAL_ALG 10 00
     * (RC4), the confounder, and the first byte of the data's stream */
    ck_assert_uint_eq(tok_len, 2 + 11 + 24 + 8 + 1);
    ck_assert_uint_eq(tok[1], 11 + 24 + 8 + n + 1);
    static const unsigned char head[] = {0x02, 0x01, 0x11, 0x00, 0x10, 0x00, 0xff, 0xff};
    ck_assert(!memcmp(tok + 13, head, sizeof head));
    ck_assert(memcmp(data, "sealed under RC4", 16));
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(unseal(&k.server, tok, tok_len, data, n, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0);
    ck_assert(!memcmp(data, "sealed under RC4, in place", n));
    /* replayed, it is out of sequence; a changed byte is caught and leaves the data as it came */
    tok_len = sizeof tok;
    ck_assert_sec_status(seal(&k.server, 0, tok, &tok_len, data, n), SEC_E_OK);
    data[3] ^= 0x20;
    char copy[sizeof data];
    memcpy(copy, data, sizeof data);
    ck_assert_sec_status(unseal(&k.client, tok, tok_len, data, n, &qop), SEC_E_MESSAGE_ALTERED);
    ck_assert(!memcmp(copy, data, n));
    data[3] ^= 0x20;
    ck_assert_sec_status(unseal(&k.client, tok, tok_len, data, n, &qop), SEC_E_OK);
    krb_free(&k);
}
END_TEST

START_TEST(kerb_wrap_no_encrypt_signs_and_leaves_the_data_in_the_clear)
{
    ck_assert_int_eq(load_domain("rc4", NULL), 0);
    struct krb k;
    handshake(&k);
    char data[] = "signed, not sealed";
    ULONG n = (ULONG)strlen(data);
    unsigned char tok[64];
    ULONG tok_len = sizeof tok;
    ck_assert_sec_status(seal(&k.client, KERB_WRAP_NO_ENCRYPT, tok, &tok_len, data, n), SEC_E_OK);
    ck_assert_uint_eq(tok[13 + 4], 0xff); /* SEAL_ALG ff ff: none */
    ck_assert_uint_eq(tok[13 + 5], 0xff);
    /* in the clear, shifted: the first byte travels in the trailer, the padding (1) ends the DATA buffer */
    ck_assert(!memcmp(data, "igned, not sealed", n - 1));
    ck_assert_uint_eq(data[n - 1], 1);
    ULONG qop = 0;
    ck_assert_sec_status(unseal(&k.server, tok, tok_len, data, n, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, KERB_WRAP_NO_ENCRYPT);
    ck_assert(!memcmp(data, "signed, not sealed", n));
    krb_free(&k);
}
END_TEST

/* Without confidentiality a signed-only token still opens, and one that says it is sealed is refused before
 * anything is decrypted, as the RFC 4121 tokens are (doc/semantics.md §53). */
START_TEST(without_confidentiality_a_sealed_token_is_refused)
{
    ck_assert_int_eq(load_domain("rc4", NULL), 0);
    struct krb k;
    handshake_asking(&k, ISC_REQ_MUTUAL_AUTH | ISC_REQ_NO_INTEGRITY);
    char data[] = "signed, not sealed";
    ULONG n = (ULONG)strlen(data);
    unsigned char tok[64];
    ULONG tok_len = sizeof tok;
    ck_assert_sec_status(seal(&k.client, 0, tok, &tok_len, data, n), SEC_E_UNSUPPORTED_FUNCTION);
    tok_len = sizeof tok;
    ck_assert_sec_status(seal(&k.client, KERB_WRAP_NO_ENCRYPT, tok, &tok_len, data, n), SEC_E_OK);
    unsigned char sealed[64];
    memcpy(sealed, tok, tok_len);
    sealed[13 + 4] = 0x10; /* SEAL_ALG 10 00: RC4 */
    sealed[13 + 5] = 0x00;
    char copy[sizeof data];
    memcpy(copy, data, sizeof data);
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(unseal(&k.server, sealed, tok_len, data, n, &qop), SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert(!memcmp(copy, data, n));
    ck_assert_sec_status(unseal(&k.server, tok, tok_len, data, n, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, KERB_WRAP_NO_ENCRYPT);
    ck_assert(!memcmp(data, "signed, not sealed", n));
    krb_free(&k);
}
END_TEST

START_TEST(a_whole_wrap_token_opens_as_a_stream)
{
    ck_assert_int_eq(load_domain("rc4", NULL), 0);
    struct krb k;
    handshake(&k);
    unsigned char wire[256];
    const char text[] = "one message on the wire";
    ULONG n = (ULONG)strlen(text), tok_len = KRB_RC4_WRAP_TRAILER;
    char data[64];
    memcpy(data, text, n);
    ck_assert_sec_status(seal(&k.server, 0, wire, &tok_len, data, n), SEC_E_OK);
    memcpy(wire + tok_len, data, n);
    SecBuffer b[2] = {{tok_len + n, SECBUFFER_STREAM, wire}, {0, SECBUFFER_DATA, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&k.client, &d, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(b[1].cbBuffer, n);
    ck_assert(!memcmp(b[1].pvBuffer, text, n));
    krb_free(&k);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos-rc4");
    TCase *tc = test_case("rfc4757");
    tcase_add_test(tc, decrypt_matches_mit_vectors_and_encrypt_with_their_confounder_gives_their_ciphertext);
    tcase_add_test(tc, hmac_md5_checksum_matches_mit_vector);
    tcase_add_test(tc, a_changed_byte_another_usage_or_a_short_ciphertext_is_refused);
    tcase_add_test(tc, rc4_string_to_key_is_the_nt_hash_and_takes_no_salt);
    suite_add_tcase(s, tc);
    tc = test_case("enctypes");
    tcase_add_test(tc, supported_enctypes_takes_the_attribute_bits_or_names);
    tcase_add_test(tc, a_domain_file_with_a_bad_supported_enctypes_is_refused);
    tcase_add_test(tc, an_rc4_service_gets_an_rc4_ticket_session_key_and_subkeys);
    tcase_add_test(tc, the_ticket_takes_the_services_strongest_key_and_the_session_key_the_strongest_shared);
    tcase_add_test(tc, an_aes128_only_service_gives_aes128_everywhere);
    tcase_add_test(tc, without_a_shared_etype_the_client_gets_kdc_unknown_etype);
    suite_add_tcase(s, tc);
    tc = test_case("gss-tokens");
    tcase_add_test(tc, mic_tokens_are_rfc4757_and_verify_once_in_order);
    tcase_add_test(tc, wrap_tokens_are_rfc4757_sealed_in_place_and_open_on_the_other_side);
    tcase_add_test(tc, kerb_wrap_no_encrypt_signs_and_leaves_the_data_in_the_clear);
    tcase_add_test(tc, without_confidentiality_a_sealed_token_is_refused);
    tcase_add_test(tc, a_whole_wrap_token_opens_as_a_stream);
    suite_add_tcase(s, tc);
    return test_run(s);
}
