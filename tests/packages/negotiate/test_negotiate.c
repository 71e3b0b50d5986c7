/* Negotiate: SPNEGO around Kerberos or NTLM, its legs and statuses (doc/semantics.md §10, MS-SPNG), the choice
 * of mechanism and PackageList, what the attributes report afterwards, and the bare tokens Windows takes. */
#include <pthread.h>
#include <time.h>

#include "sspi/sspitest.h"
#include "core/bytes.h"
#include "packages/negotiate/spnego.h"

#define SPN "HTTP/server.example.test"
#define REQ (ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

struct nego {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    ULONG client_attrs, server_attrs;
    unsigned char c2s[8192], s2c[8192];
    ULONG c2s_len, s2c_len;
    int client_started, server_started;
};

/* EXAMPLE\user's identity with a PackageList (NULL: none). */
static SEC_WINNT_AUTH_IDENTITY_EXA listed_identity(const char *user, const char *password, const char *package_list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id;
    memset(&id, 0, sizeof id);
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof id;
    id.User = (unsigned char *)user;
    id.UserLength = (ULONG)strlen(user);
    id.Domain = (unsigned char *)"EXAMPLE";
    id.DomainLength = 7;
    id.Password = (unsigned char *)password;
    id.PasswordLength = (ULONG)strlen(password);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    id.PackageList = (unsigned char *)package_list;
    id.PackageListLength = package_list ? (ULONG)strlen(package_list) : 0;
    return id;
}

static void nego_credentials(struct nego *n, const char *client_package, const char *package_list)
{
    memset(n, 0, sizeof *n);
    SEC_WINNT_AUTH_IDENTITY_EXA id = listed_identity("alice", "Passw0rd!", package_list);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)client_package, SECPKG_CRED_OUTBOUND, NULL, &id,
                                                   NULL, NULL, &n->client_cred, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Negotiate", &n->server_cred), SEC_E_OK);
}

/* One client leg: consumes s2c (if any), fills c2s. */
static SECURITY_STATUS client_leg(struct nego *n, const char *target)
{
    SecBuffer in = {n->s2c_len, SECBUFFER_TOKEN, n->s2c}, out = {sizeof n->c2s, SECBUFFER_TOKEN, n->c2s};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = InitializeSecurityContextA(&n->client_cred, n->client_started ? &n->client : NULL,
                                                    (SEC_CHAR *)target, REQ, 0, SECURITY_NATIVE_DREP,
                                                    n->client_started ? &ind : NULL, 0, &n->client, &outd,
                                                    &n->client_attrs, NULL);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        n->client_started = 1;
    n->c2s_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS server_leg(struct nego *n)
{
    SecBuffer in = {n->c2s_len, SECBUFFER_TOKEN, n->c2s}, out = {sizeof n->s2c, SECBUFFER_TOKEN, n->s2c};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = AcceptSecurityContext(&n->server_cred, n->server_started ? &n->server : NULL, &ind,
                                               ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP, &n->server, &outd,
                                               &n->server_attrs, NULL);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        n->server_started = 1;
    n->s2c_len = out.cbBuffer;
    return st;
}

/* Legs until both sides say SEC_E_OK (1), or one fails (0). Thread-safe: it touches only n. */
static int all_legs(struct nego *n, const char *target)
{
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    for (int leg = 0; leg < 4 && (cs != SEC_E_OK || ss != SEC_E_OK); leg++) {
        if (cs == SEC_I_CONTINUE_NEEDED)
            cs = client_leg(n, target);
        if (ss == SEC_I_CONTINUE_NEEDED && n->c2s_len) {
            ss = server_leg(n);
            n->c2s_len = 0;
        }
    }
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

static void nego_free(struct nego *n)
{
    if (n->client_started)
        DeleteSecurityContext(&n->client);
    if (n->server_started)
        DeleteSecurityContext(&n->server);
    FreeCredentialsHandle(&n->client_cred);
    FreeCredentialsHandle(&n->server_cred);
}

static void expect_package(CtxtHandle *ctx, const char *name, ULONG max_signature, ULONG trailer)
{
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, name);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
    SecPkgContext_PackageInfoA pi;
    ck_assert_sec_status(QueryContextAttributesA(ctx, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    ck_assert_str_eq(pi.PackageInfo->Name, name);
    FreeContextBuffer(pi.PackageInfo);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxSignature, max_signature);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, trailer);
}

/* A sealed round trip each way, with the trailer size the chosen package reports. */
static void seal_both_ways(struct nego *n, ULONG trailer)
{
    unsigned char t[64];
    char msg[] = "over negotiate";
    SecBuffer b[2] = {{trailer, SECBUFFER_TOKEN, t}, {sizeof msg, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&n->client, 0, &d, 0), SEC_E_OK);
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(&n->server, &d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "over negotiate");
    b[0].cbBuffer = trailer;
    ck_assert_sec_status(EncryptMessage(&n->server, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&n->client, &d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "over negotiate");
}

START_TEST(a_registered_spn_gets_kerberos_in_two_legs)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
    /* NegTokenInit: the SPNEGO OID, then the mechanism list in Windows' order. */
    static const unsigned char mechs[] = {0xa0, 0x24, 0x30, 0x22, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12,
                                          0x01, 0x02, 0x02, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01,
                                          0x02, 0x02, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02,
                                          0x02, 0x0a};
    ck_assert_ptr_nonnull(memmem(n.c2s, n.c2s_len, mechs, sizeof mechs));
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    ck_assert_uint_gt(n.s2c_len, 0); /* accept-completed with the AP-REP */
    ck_assert_uint_eq(n.s2c[0], 0xa1);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_E_OK);
    ck_assert_uint_eq(n.c2s_len, 0);
    expect_package(&n.client, "Kerberos", 28, 60);
    expect_package(&n.server, "Kerberos", 28, 60);
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&n.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_KeyInfoA key;
    ck_assert_sec_status(QueryContextAttributesA(&n.client, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_uint_eq(key.KeySize, 256);
    ck_assert_uint_eq(key.EncryptAlgorithm, 18);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);
    seal_both_ways(&n, 60);
    nego_free(&n);
}
END_TEST

START_TEST(an_unknown_target_falls_back_to_ntlm_with_mech_list_mics)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(memmem(n.c2s, n.c2s_len, "NTLMSSP", 8));
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED); /* awaits the MIC */
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    ck_assert_uint_gt(n.s2c_len, 0); /* the final NegTokenResp carries the server's mechListMIC */
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_E_OK);
    ck_assert_uint_eq(n.c2s_len, 0);
    expect_package(&n.client, "NTLM", 16, 16);
    expect_package(&n.server, "NTLM", 16, 16);
    /* After the MICs both sides restarted their RC4 streams and go on counting from 1. */
    seal_both_ways(&n, 16);
    nego_free(&n);
}
END_TEST

START_TEST(package_list_narrows_the_choice)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", "!ntlm");
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_E_TARGET_UNKNOWN);
    nego_free(&n);
    nego_credentials(&n, "Negotiate", "ntlm");
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(memmem(n.c2s, n.c2s_len, "NTLMSSP", 8));
    nego_free(&n);
    nego_credentials(&n, "Negotiate", "kerberos, !ntlm");
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_null(memmem(n.c2s, n.c2s_len, "NTLMSSP", 8));
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_E_OK);
    nego_free(&n);
}
END_TEST

START_TEST(negotiation_info_says_in_progress_before_the_end)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(&n.client, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    FreeContextBuffer(ni.PackageInfo);
    nego_free(&n);
}
END_TEST

START_TEST(bare_ntlm_and_kerberos_clients_are_taken_and_answered_in_kind)
{
    struct nego n;
    nego_credentials(&n, "NTLM", NULL);
    ck_assert_sec_status(client_leg(&n, "HOST/x"), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
    ck_assert(!memcmp(n.s2c, "NTLMSSP", 8)); /* a bare CHALLENGE back */
    ck_assert_sec_status(client_leg(&n, "HOST/x"), SEC_E_OK);
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    expect_package(&n.server, "NTLM", 16, 16);
    nego_free(&n);

    nego_credentials(&n, "Kerberos", NULL);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_E_OK); /* no mutual authentication asked */
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    expect_package(&n.server, "Kerberos", 28, 60);
    nego_free(&n);
}
END_TEST

START_TEST(garbage_and_a_damaged_mic_are_refused)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    memcpy(n.c2s, "\xa1\x03\x30\x01\x00", 5);
    n.c2s_len = 5;
    ck_assert_sec_status(server_leg(&n), SEC_E_INVALID_TOKEN);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    n.c2s[n.c2s_len - 1] ^= 1; /* the last byte belongs to the client's mechListMIC */
    ck_assert_sec_status(server_leg(&n), SEC_E_LOGON_DENIED);
    nego_free(&n);
}
END_TEST

/* A man in the middle: takes the mechListMIC out of a NegTokenResp. */
static void strip_mic(unsigned char *token, ULONG *len)
{
    struct spnego_resp r;
    struct der_error derr;
    ck_assert_int_eq(spnego_parse_resp(token, *len, &r, &derr), FS_OK);
    ck_assert_ptr_nonnull(r.mic);
    struct fs_writer w;
    fs_writer_init(&w);
    spnego_put_resp(&w, r.state, r.has_mech ? r.mech : MECH_UNKNOWN, r.token, r.token_len, NULL, 0);
    ck_assert(!w.failed && w.len <= 8192);
    memcpy(token, w.data, w.len);
    *len = (ULONG)w.len;
    fs_writer_free(&w);
}

/* The classic downgrade: the NegTokenInit rewritten to offer NTLM only (no Kerberos token) and the client's
 * mechListMIC stripped, so the acceptor, which saw NTLM as the first choice, sends none either. The client
 * chose Kerberos first: without the acceptor's MIC it must not finish (RFC 4178 5). */
START_TEST(a_mech_list_rewritten_to_ntlm_with_the_mic_stripped_fails_at_the_client)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
    struct fs_writer list, init;
    fs_writer_init(&list);
    fs_writer_init(&init);
    enum spnego_mech ntlm_only[] = {MECH_NTLM};
    spnego_put_mech_list(&list, ntlm_only, 1);
    spnego_put_init(&init, list.data, list.len, NULL, 0);
    memcpy(n.c2s, init.data, init.len);
    n.c2s_len = (ULONG)init.len;
    fs_writer_free(&list);
    fs_writer_free(&init);
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED); /* NTLM NEGOTIATE */
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);      /* CHALLENGE */
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED); /* AUTHENTICATE and the client's MIC */
    strip_mic(n.c2s, &n.c2s_len);
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);                   /* the acceptor was fooled */
    ck_assert_sec_status(client_leg(&n, SPN), SEC_E_DOWNGRADE_DETECTED);
    nego_free(&n);
}
END_TEST

/* Kerberos made unrecognisable in the list, so the acceptor takes NTLM, the third choice: it insists on the
 * client's MIC (stripped: a downgrade), and a MIC over the original list does not verify (altered list). */
static void hide_kerberos(struct nego *n)
{
    static const enum spnego_mech kerberos[] = {MECH_MS_KRB5, MECH_KRB5};
    for (int i = 0; i < 2; i++) {
        size_t len;
        const uint8_t *oid = spnego_mech_oid(kerberos[i], &len);
        unsigned char *at = memmem(n->c2s, n->c2s_len, oid, len);
        ck_assert_ptr_nonnull(at);
        at[len - 1] ^= 0x40;
    }
}

START_TEST(an_acceptor_that_did_not_get_the_first_choice_insists_on_the_mic)
{
    for (int keep_mic = 0; keep_mic < 2; keep_mic++) {
        struct nego n;
        nego_credentials(&n, "Negotiate", NULL);
        ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
        hide_kerberos(&n);
        ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
        if (!keep_mic)
            strip_mic(n.c2s, &n.c2s_len);
        ck_assert_int_eq(server_leg(&n), keep_mic ? SEC_E_LOGON_DENIED : SEC_E_DOWNGRADE_DETECTED);
        nego_free(&n);
    }
}
END_TEST

START_TEST(a_negotiate_context_exports_and_imports)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    ck_assert_sec_status(client_leg(&n, SPN), SEC_E_OK);
    SecBuffer packed;
    ck_assert_sec_status(ExportSecurityContext(&n.server, 0, &packed, NULL), SEC_E_OK);
    CtxtHandle copy;
    ck_assert_sec_status(ImportSecurityContextA("Negotiate", &packed, NULL, &copy), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    unsigned char t[60];
    char msg[] = "to the copy";
    SecBuffer b[2] = {{60, SECBUFFER_TOKEN, t}, {sizeof msg, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&n.client, 0, &d, 0), SEC_E_OK);
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(&copy, &d, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(msg, "to the copy");
    DeleteSecurityContext(&copy);
    nego_free(&n);
}
END_TEST

/* AcceptSecurityContext's first call with no input: the acceptor speaks first (doc/semantics.md §74). */
static SECURITY_STATUS server_speaks_first(struct nego *n, PSecBufferDesc input)
{
    SecBuffer out = {sizeof n->s2c, SECBUFFER_TOKEN, n->s2c};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = AcceptSecurityContext(&n->server_cred, NULL, input, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &n->server, &outd, &n->server_attrs, NULL);
    if (st == SEC_I_CONTINUE_NEEDED)
        n->server_started = 1;
    n->s2c_len = out.cbBuffer;
    return st;
}

/* The client's first call, given what the acceptor said first. */
static SECURITY_STATUS client_answers_first(struct nego *n, const char *target)
{
    SecBuffer in = {n->s2c_len, SECBUFFER_TOKEN, n->s2c}, out = {sizeof n->c2s, SECBUFFER_TOKEN, n->c2s};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = InitializeSecurityContextA(&n->client_cred, NULL, (SEC_CHAR *)target, REQ, 0,
                                                    SECURITY_NATIVE_DREP, &ind, 0, &n->client, &outd,
                                                    &n->client_attrs, NULL);
    n->client_started = st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED;
    n->c2s_len = out.cbBuffer;
    return st;
}

/* What a Windows server writes first, less NEGOEX, which the emulator does not speak. */
static void expect_neg_token_init2(const struct nego *n, const enum spnego_mech *mechs, size_t count)
{
    struct fs_writer w;
    fs_writer_init(&w);
    spnego_put_init2(&w, mechs, count);
    ck_assert_uint_eq(n->s2c_len, w.len);
    ck_assert_mem_eq(n->s2c, w.data, w.len);
    fs_writer_free(&w);
}

START_TEST(an_acceptor_with_no_input_speaks_first_with_a_neg_token_init2)
{
    static const enum spnego_mech offered[] = {MECH_MS_KRB5, MECH_KRB5, MECH_KRB5_U2U, MECH_NTLM};
    SecBuffer empty = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc empty_desc = {SECBUFFER_VERSION, 1, &empty};
    for (int with_empty_buffer = 0; with_empty_buffer < 2; with_empty_buffer++) {
        struct nego n;
        nego_credentials(&n, "Negotiate", NULL);
        ck_assert_sec_status(server_speaks_first(&n, with_empty_buffer ? &empty_desc : NULL), SEC_I_CONTINUE_NEEDED);
        expect_neg_token_init2(&n, offered, 4);
        SecPkgContext_NegotiationInfoA ni;
        ck_assert_sec_status(QueryContextAttributesA(&n.server, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
        ck_assert_uint_eq(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
        FreeContextBuffer(ni.PackageInfo);
        /* The client takes it on its first call and answers with its own NegTokenInit and optimistic token. */
        ck_assert_sec_status(client_answers_first(&n, SPN), SEC_I_CONTINUE_NEEDED);
        struct spnego_init init;
        struct der_error derr;
        ck_assert_int_eq(spnego_parse_init(n.c2s, n.c2s_len, &init, &derr), FS_OK);
        ck_assert(!init.has_hints);
        ck_assert_int_eq(init.mechs[0], MECH_MS_KRB5);
        ck_assert_ptr_nonnull(init.token);
        ck_assert_sec_status(server_leg(&n), SEC_E_OK);
        ck_assert_sec_status(client_leg(&n, SPN), SEC_E_OK);
        expect_package(&n.server, "Kerberos", 28, 60);
        seal_both_ways(&n, 60);
        nego_free(&n);
    }
}
END_TEST

START_TEST(after_speaking_first_an_unknown_target_still_falls_back_to_ntlm)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(server_speaks_first(&n, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_answers_first(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(memmem(n.c2s, n.c2s_len, "NTLMSSP", 8));
    ck_assert_sec_status(server_leg(&n), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(&n), SEC_E_OK);
    ck_assert_sec_status(client_leg(&n, "HOST/unknown.example.test"), SEC_E_OK);
    expect_package(&n.server, "NTLM", 16, 16);
    seal_both_ways(&n, 16);
    nego_free(&n);
}
END_TEST

/* The acceptor names what its credential's PackageList allows: Kerberos' three OIDs, NTLMSSP, or nothing to say. */
START_TEST(the_acceptors_first_word_names_what_its_package_list_allows)
{
    static const enum spnego_mech kerberos[] = {MECH_MS_KRB5, MECH_KRB5, MECH_KRB5_U2U};
    static const enum spnego_mech ntlm[] = {MECH_NTLM};
    static const struct {
        const char *list;
        const enum spnego_mech *mechs;
        size_t count;
    } cases[] = {{"kerberos", kerberos, 3}, {"ntlm", ntlm, 1}, {"!kerberos, !ntlm", NULL, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct nego n;
        nego_credentials(&n, "Negotiate", NULL);
        FreeCredentialsHandle(&n.server_cred);
        SEC_WINNT_AUTH_IDENTITY_EXA id = listed_identity("svc_server", "S3rv1ce!pass", cases[i].list);
        ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, &id, NULL, NULL,
                                                       &n.server_cred, NULL),
                             SEC_E_OK);
        if (cases[i].count) {
            ck_assert_sec_status(server_speaks_first(&n, NULL), SEC_I_CONTINUE_NEEDED);
            expect_neg_token_init2(&n, cases[i].mechs, cases[i].count);
        } else {
            ck_assert_sec_status(server_speaks_first(&n, NULL), SEC_E_NO_CREDENTIALS);
        }
        nego_free(&n);
    }
}
END_TEST

/* As if an acceptor had spoken first naming mechs: its NegTokenInit2 in s2c. */
static void acceptor_says(struct nego *n, const enum spnego_mech *mechs, size_t count)
{
    struct fs_writer w;
    fs_writer_init(&w);
    spnego_put_init2(&w, mechs, count);
    ck_assert(!w.failed && w.len <= sizeof n->s2c);
    memcpy(n->s2c, w.data, w.len);
    n->s2c_len = (ULONG)w.len;
    fs_writer_free(&w);
}

/* The acceptor's list narrows the initiator's: an acceptor offering only NTLM gets NTLM even for a service of the
 * domain; one offering nothing the initiator speaks, or a first token that is no NegTokenInit, is refused. */
START_TEST(the_initiator_offers_only_what_the_acceptor_named)
{
    static const enum spnego_mech ntlm_only[] = {MECH_NTLM};
    static const enum spnego_mech unspoken[] = {MECH_NEGOEX, MECH_KRB5_U2U};
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    acceptor_says(&n, ntlm_only, 1);
    ck_assert_sec_status(client_answers_first(&n, SPN), SEC_I_CONTINUE_NEEDED);
    struct spnego_init init;
    struct der_error derr;
    ck_assert_int_eq(spnego_parse_init(n.c2s, n.c2s_len, &init, &derr), FS_OK);
    ck_assert_uint_eq(init.nmechs, 1);
    ck_assert_int_eq(init.mechs[0], MECH_NTLM);
    nego_free(&n);

    nego_credentials(&n, "Negotiate", NULL);
    acceptor_says(&n, unspoken, 2);
    ck_assert_sec_status(client_answers_first(&n, SPN), SEC_E_INVALID_TOKEN);
    memcpy(n.s2c, "\xa1\x03\x30\x01\x00", 5);
    n.s2c_len = 5;
    ck_assert_sec_status(client_answers_first(&n, SPN), SEC_E_INVALID_TOKEN);
    nego_free(&n);
}
END_TEST

/* Once it has spoken, the acceptor waits for the client's NegTokenInit: a second call with no input is refused,
 * and so is a NegTokenResp where the NegTokenInit belongs. */
START_TEST(an_acceptor_that_spoke_first_wants_a_neg_token_init_next)
{
    struct nego n;
    nego_credentials(&n, "Negotiate", NULL);
    ck_assert_sec_status(server_speaks_first(&n, NULL), SEC_I_CONTINUE_NEEDED);
    SecBuffer out = {sizeof n.s2c, SECBUFFER_TOKEN, n.s2c};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ck_assert_sec_status(AcceptSecurityContext(&n.server_cred, &n.server, NULL, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &n.server, &outd, &n.server_attrs, NULL),
                         SEC_E_INVALID_TOKEN);
    memcpy(n.c2s, "\xa1\x03\x30\x01\x00", 5);
    n.c2s_len = 5;
    ck_assert_sec_status(server_leg(&n), SEC_E_INVALID_TOKEN);
    nego_free(&n);
}
END_TEST

START_TEST(package_info_is_windows_values)
{
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA("Negotiate", &info), SEC_E_OK);
    ck_assert_uint_eq(info->wRPCID, 9);
    ck_assert_uint_eq(info->cbMaxToken, 48256);
    ck_assert_uint_eq(info->fCapabilities, 0x83BB3);
    ck_assert_str_eq(info->Comment, "Microsoft Package Negotiator");
    FreeContextBuffer(info);
}
END_TEST

/* Threads sharing one pair of credentials, each running Negotiate exchanges (Kerberos and the NTLM
 * fallback in turn), sealing, impersonating, and duplicating the token it borrows. */
struct racer {
    CredHandle *client_cred, *server_cred;
    int failures;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    for (int i = 0; i < 60; i++) {
        struct nego n;
        memset(&n, 0, sizeof n);
        n.client_cred = *r->client_cred;
        n.server_cred = *r->server_cred;
        if (!all_legs(&n, i % 2 ? "HOST/elsewhere.example.test" : "HTTP/server.example.test")) {
            r->failures++;
        } else {
            unsigned char t[64];
            char msg[] = "racing";
            SecPkgContext_Sizes sizes;
            QueryContextAttributesA(&n.client, SECPKG_ATTR_SIZES, &sizes);
            SecBuffer b[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, t}, {sizeof msg, SECBUFFER_DATA, msg}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            ULONG qop;
            if (EncryptMessage(&n.client, 0, &d, 0) != SEC_E_OK || DecryptMessage(&n.server, &d, 0, &qop) != SEC_E_OK ||
                strcmp(msg, "racing"))
                r->failures++;
            SecPkgContext_AccessToken at;
            HANDLE dup;
            if (QueryContextAttributesA(&n.server, SECPKG_ATTR_ACCESS_TOKEN, &at) != SEC_E_OK ||
                !DuplicateHandle(GetCurrentProcess(), at.AccessToken, GetCurrentProcess(), &dup, 0, FALSE,
                                 DUPLICATE_SAME_ACCESS) ||
                !CloseHandle(dup))
                r->failures++;
            char user[32];
            DWORD len = sizeof user;
            if (ImpersonateSecurityContext(&n.server) != SEC_E_OK || !GetUserNameA(user, &len) ||
                strcmp(user, "alice") || RevertSecurityContext(&n.server) != SEC_E_OK)
                r->failures++;
        }
        if (n.client_started)
            DeleteSecurityContext(&n.client);
        if (n.server_started)
            DeleteSecurityContext(&n.server);
    }
    return NULL;
}

START_TEST(negotiate_and_kerberos_exchanges_on_four_threads)
{
    struct nego shared;
    nego_credentials(&shared, "Negotiate", NULL);
    pthread_t th[4];
    struct racer r[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct racer){&shared.client_cred, &shared.server_cred, 0};
        pthread_create(&th[i], NULL, race, &r[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(r[i].failures, 0);
    }
    FreeCredentialsHandle(&shared.client_cred);
    FreeCredentialsHandle(&shared.server_cred);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.misuse_total, 0);
}
END_TEST

/* One thread deletes established contexts while others sign with them, query them and export them:
 * each call either works or, once the context is gone, says SEC_E_INVALID_HANDLE; nothing crashes and
 * nothing is left behind. */
#define VICTIMS 24

struct user_thread {
    CtxtHandle *contexts;
    int bad;
};

static void *use_contexts(void *arg)
{
    struct user_thread *u = arg;
    for (int round = 0; round < 40; round++)
        for (int i = 0; i < VICTIMS; i++) {
            char msg[] = "x";
            unsigned char sig[64];
            SecBuffer b[2] = {{sizeof msg, SECBUFFER_DATA, msg}, {sizeof sig, SECBUFFER_TOKEN, sig}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            SECURITY_STATUS st = MakeSignature(&u->contexts[i], 0, &d, 0);
            u->bad += st != SEC_E_OK && st != SEC_E_INVALID_HANDLE;
            SecPkgContext_Sizes sizes;
            st = QueryContextAttributesA(&u->contexts[i], SECPKG_ATTR_SIZES, &sizes);
            u->bad += st != SEC_E_OK && st != SEC_E_INVALID_HANDLE;
            SecPkgContext_AccessToken at;
            st = QueryContextAttributesA(&u->contexts[i], SECPKG_ATTR_ACCESS_TOKEN, &at);
            u->bad += st != SEC_E_OK && st != SEC_E_INVALID_HANDLE;
            SecBuffer packed = {0, 0, NULL};
            st = ExportSecurityContext(&u->contexts[i], 0, &packed, NULL);
            if (st == SEC_E_OK)
                FreeContextBuffer(packed.pvBuffer);
            u->bad += st != SEC_E_OK && st != SEC_E_INVALID_HANDLE;
        }
    return NULL;
}

static void *delete_contexts(void *arg)
{
    CtxtHandle *contexts = arg;
    for (int i = 0; i < VICTIMS; i++) {
        struct timespec pause = {0, 200000};
        nanosleep(&pause, NULL);
        DeleteSecurityContext(&contexts[i]);
    }
    return NULL;
}

START_TEST(deleting_contexts_while_other_threads_use_them_is_safe)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT); /* using a deleted handle is misuse: counted, not fatal */
    CtxtHandle servers[VICTIMS], clients[VICTIMS];
    struct nego n[VICTIMS];
    for (int i = 0; i < VICTIMS; i++) {
        nego_credentials(&n[i], "Negotiate", NULL);
        ck_assert(all_legs(&n[i], i % 2 ? "HOST/elsewhere.example.test" : "HTTP/server.example.test"));
        servers[i] = n[i].server;
        clients[i] = n[i].client;
    }
    pthread_t users[3], deleter;
    struct user_thread u[3];
    for (int i = 0; i < 3; i++) {
        u[i] = (struct user_thread){servers, 0};
        pthread_create(&users[i], NULL, use_contexts, &u[i]);
    }
    pthread_create(&deleter, NULL, delete_contexts, servers);
    pthread_join(deleter, NULL);
    for (int i = 0; i < 3; i++) {
        pthread_join(users[i], NULL);
        ck_assert_int_eq(u[i].bad, 0);
    }
    for (int i = 0; i < VICTIMS; i++) {
        DeleteSecurityContext(&clients[i]);
        FreeCredentialsHandle(&n[i].client_cred);
        FreeCredentialsHandle(&n[i].server_cred);
    }
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.live_allocations, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/negotiate");
    TCase *tc = test_case("negotiate");
    tcase_add_test(tc, a_registered_spn_gets_kerberos_in_two_legs);
    tcase_add_test(tc, an_unknown_target_falls_back_to_ntlm_with_mech_list_mics);
    tcase_add_test(tc, package_list_narrows_the_choice);
    tcase_add_test(tc, negotiation_info_says_in_progress_before_the_end);
    tcase_add_test(tc, bare_ntlm_and_kerberos_clients_are_taken_and_answered_in_kind);
    tcase_add_test(tc, garbage_and_a_damaged_mic_are_refused);
    tcase_add_test(tc, a_mech_list_rewritten_to_ntlm_with_the_mic_stripped_fails_at_the_client);
    tcase_add_test(tc, an_acceptor_that_did_not_get_the_first_choice_insists_on_the_mic);
    tcase_add_test(tc, a_negotiate_context_exports_and_imports);
    tcase_add_test(tc, an_acceptor_with_no_input_speaks_first_with_a_neg_token_init2);
    tcase_add_test(tc, after_speaking_first_an_unknown_target_still_falls_back_to_ntlm);
    tcase_add_test(tc, the_initiator_offers_only_what_the_acceptor_named);
    tcase_add_test(tc, the_acceptors_first_word_names_what_its_package_list_allows);
    tcase_add_test(tc, an_acceptor_that_spoke_first_wants_a_neg_token_init_next);
    tcase_add_test(tc, package_info_is_windows_values);
    tcase_add_test(tc, negotiate_and_kerberos_exchanges_on_four_threads);
    tcase_add_test(tc, deleting_contexts_while_other_threads_use_them_is_safe);
    /* The threaded tests take seconds under TSan and a minute under valgrind. */
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return test_run(s);
}
