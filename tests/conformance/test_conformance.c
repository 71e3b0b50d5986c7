/* Windows' own answers, checked the way Windows' conformance tests check them: sentinels in every
 * out-parameter, exact statuses, *pfQOP preset to 0xdeadbeef. Each expectation is what Windows returns
 * (doc/semantics.md §4, §8, §12, §24 to §28). */
#include "conformance/conversation.h"
#include "sddl.h"
#include "wincrypt.h"

START_TEST(init_security_interface)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    ck_assert_ptr_null(a->Reserved2);
    ck_assert_ptr_eq(a->Reserved3, (void *)a->EncryptMessage);
    ck_assert_ptr_eq(a->Reserved4, (void *)a->DecryptMessage);
    ck_assert_ptr_null((void *)a->QueryContextAttributesExA);
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    ck_assert_ptr_null(w->Reserved2);
    ck_assert_ptr_eq(w->Reserved3, (void *)w->EncryptMessage);
    ck_assert_ptr_eq(w->Reserved4, (void *)w->DecryptMessage);
    ck_assert_uint_eq(sizeof *w, 256);
}
END_TEST

START_TEST(sid_authority_initialisers_in_both_spellings)
{
    SID_IDENTIFIER_AUTHORITY plain = SECURITY_NT_AUTHORITY;
    SID_IDENTIFIER_AUTHORITY braced = {SECURITY_NT_AUTHORITY};
    static const SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    ck_assert_uint_eq(plain.Value[5], 5);
    ck_assert_uint_eq(braced.Value[5], 5);
    ck_assert_uint_eq(world.Value[5], 1);
    PSID users = (PSID)0xdeadbeef;
    ck_assert(AllocateAndInitializeSid(&plain, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS, 0, 0, 0, 0, 0,
                                       0, &users));
    char *text = (char *)0xdeadbeef;
    ck_assert(ConvertSidToStringSidA(users, &text));
    ck_assert_str_eq(text, "S-1-5-32-545");
    LocalFree(text);
    FreeSid(users);
}
END_TEST

START_TEST(query_security_package_info)
{
    PSecPkgInfoA info = (PSecPkgInfoA)0xdeadbeef;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"Winetest", &info), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_ptr_eq(info, (PSecPkgInfoA)0xdeadbeef);
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"Kerberos", &info), SEC_E_OK);
    ck_assert_uint_eq(info->wVersion, 1);
    ck_assert_uint_eq(info->wRPCID, 16 /* RPC_C_AUTHN_GSS_KERBEROS */);
    ck_assert_uint_eq(info->cbMaxToken, 48000);
    ck_assert_str_eq(info->Name, "Kerberos");
    ck_assert_str_eq(info->Comment, "Microsoft Kerberos V1.0");
    FreeContextBuffer(info);
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info), SEC_E_OK);
    ck_assert_uint_eq(info->wVersion, 1);
    ck_assert_uint_eq(info->wRPCID, 10 /* RPC_C_AUTHN_WINNT */);
    FreeContextBuffer(info);
}
END_TEST

/* The first leg's output buffer, as Windows judges it (Wine's runClient). */
START_TEST(ntlm_first_leg_output_buffers)
{
    CredHandle cred;
    CtxtHandle ctx;
    ULONG attrs;
    unsigned char token[2888];
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                               &cred, NULL),
                     SEC_E_OK);
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, SECURITY_NETWORK_DREP, NULL, 0, &ctx, NULL,
                                                &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    /* Room but no memory: Windows 8 and later continue, older ones said SEC_E_INTERNAL_ERROR
     * (doc/semantics.md §46). Wine's test goes on without deleting that context; this one deletes it. */
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, NULL};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, SECURITY_NETWORK_DREP, NULL, 0, &ctx, &outd,
                                                &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    out = (SecBuffer){0, SECBUFFER_TOKEN, token};
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, SECURITY_NETWORK_DREP, NULL, 0, &ctx, &outd,
                                                &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(out.cbBuffer, 0);
    out = (SecBuffer){sizeof token, SECBUFFER_DATA, token};
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, SECURITY_NETWORK_DREP, NULL, 0, &ctx, &outd,
                                                &attrs, NULL),
                     SEC_E_BUFFER_TOO_SMALL);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* NEGOTIATE_MESSAGE byte 12: SIGN (0x10) for integrity, replay or sequence detection; SEAL (0x20) for
 * confidentiality; neither for anything else (Wine's testInitializeSecurityContextFlags). */
START_TEST(ntlm_negotiate_flags_follow_fcontextreq)
{
    static const struct {
        ULONG req;
        unsigned char bits;
    } cases[] = {{0, 0},
                 {ISC_REQ_CONNECTION, 0},
                 {ISC_REQ_EXTENDED_ERROR, 0},
                 {ISC_REQ_MUTUAL_AUTH, 0},
                 {ISC_REQ_USE_DCE_STYLE, 0},
                 {ISC_REQ_DELEGATE, 0},
                 {ISC_REQ_INTEGRITY, 0x10},
                 {ISC_REQ_REPLAY_DETECT, 0x10},
                 {ISC_REQ_SEQUENCE_DETECT, 0x10},
                 {ISC_REQ_CONFIDENTIALITY, 0x30}};
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                               &cred, NULL),
                     SEC_E_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char packet[2888];
        SecBuffer out = {sizeof packet, SECBUFFER_TOKEN, packet};
        SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
        CtxtHandle ctx;
        ULONG attrs = 0xdeadbeef;
        ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, cases[i].req, 0, SECURITY_NETWORK_DREP, NULL, 0,
                                                    &ctx, &outd, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
        ck_assert_uint_eq(packet[12] & 0x30, cases[i].bits);
        DeleteSecurityContext(&ctx);
    }
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(ntlm_context_after_authentication)
{
    struct conv v;
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    conv_run(&v, NULL, 0, 0);
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_OK);

    SecPkgContext_Sizes sizes = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef};
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxToken, 2888);
    ck_assert_uint_eq(sizes.cbMaxSignature, 16);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, 16);
    ck_assert_uint_eq(sizes.cbBlockSize, 0);
    SecPkgContext_StreamSizes stream;
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_STREAM_SIZES, &stream),
                     SEC_E_UNSUPPORTED_FUNCTION);

    SecPkgContext_KeyInfoA key;
    memset(&key, 0, sizeof key);
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_str_eq(key.sSignatureAlgorithmName, "HMAC-MD5");
    ck_assert_str_eq(key.sEncryptAlgorithmName, "RSADSI RC4");
    ck_assert_uint_eq(key.SignatureAlgorithm, 0xffffff76);
    ck_assert_uint_eq(key.KeySize, 128);
    ck_assert_uint_eq(key.EncryptAlgorithm, CALG_RC4);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);

    SecPkgContext_SessionKey session;
    memset(&session, 0, sizeof session);
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_SESSION_KEY, &session), SEC_E_OK);
    ck_assert_uint_ne(session.SessionKeyLength, 0);
    ck_assert_ptr_nonnull(session.SessionKey);
    FreeContextBuffer(session.SessionKey);

    SecPkgContext_NegotiationInfoA info;
    memset(&info, 0, sizeof info);
    ck_assert_sec_status(QueryContextAttributesA(&v.client, SECPKG_ATTR_NEGOTIATION_INFO, &info), SEC_E_OK);
    ck_assert_uint_eq(info.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    ck_assert_ptr_nonnull(info.PackageInfo);
    ck_assert_uint_eq(info.PackageInfo->wVersion, 1);
    ck_assert_uint_eq(info.PackageInfo->wRPCID, 10 /* RPC_C_AUTHN_WINNT */);
    ck_assert_str_eq(info.PackageInfo->Name, "NTLM");
    ck_assert_sec_status(FreeContextBuffer(info.PackageInfo), SEC_E_OK);
    conv_free(&v);
}
END_TEST

/* Wine's testSignSeal, against our own server instead of a canned challenge. */
START_TEST(ntlm_sign_and_seal)
{
    struct conv v;
    conv_credentials(&v, "NTLM", "alice", "Passw0rd!");
    conv_run(&v, NULL, ISC_REQ_CONFIDENTIALITY, 0);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    char message[] = "Hello, world!";
    unsigned char sig[16], fake[16];
    SecBuffer data_only[2] = {{sizeof fake, SECBUFFER_DATA, fake}, {sizeof message - 1, SECBUFFER_DATA, message}};
    SecBufferDesc crypt = {SECBUFFER_VERSION, 2, data_only};
    ck_assert_sec_status(MakeSignature(&v.client, 0, &crypt, 0), SEC_E_INVALID_TOKEN);

    SecBuffer data[2] = {{sizeof sig, SECBUFFER_TOKEN, sig}, {sizeof message - 1, SECBUFFER_DATA, message}};
    crypt.pBuffers = data;
    ck_assert_sec_status(MakeSignature(&v.client, 0, &crypt, 0), SEC_E_OK);
    ck_assert_uint_eq(data[0].cbBuffer, 16);
    ck_assert_uint_eq(sig[0], 1);
    sig[8] ^= 0xff;
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(VerifySignature(&v.server, &crypt, 0, &qop), SEC_E_MESSAGE_ALTERED);
    ck_assert_uint_eq(qop, 0xdeadbeef);
    sig[8] ^= 0xff;
    ck_assert_sec_status(VerifySignature(&v.server, &crypt, 0, &qop), SEC_E_OK);
    ck_assert_uint_eq(qop, 0xdeadbeef);

    ck_assert_sec_status(EncryptMessage(&v.client, 0, &crypt, 0), SEC_E_OK);
    ck_assert_int_ne(memcmp(message, "Hello, world!", 13), 0);
    ck_assert_sec_status(DecryptMessage(&v.server, &crypt, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(message, "Hello, world!");
    ck_assert_uint_eq(qop, 0xdeadbeef);
    conv_free(&v);
}
END_TEST

/* DecryptMessage on [SECBUFFER_STREAM, SECBUFFER_DATA], as documented, for Kerberos and Negotiate. */
START_TEST(decrypt_message_on_a_stream)
{
    static const char *const packages[] = {"Kerberos", "Negotiate"};
    for (int p = 0; p < 2; p++) {
        struct conv v;
        conv_credentials(&v, packages[p], "alice", "Passw0rd!");
        conv_run(&v, "HTTP/server.example.test", ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY, 0);
        ck_assert_sec_status(v.client_status, SEC_E_OK);
        char message[] = "Hello, world!";
        unsigned char trailer[64], padding[16];
        SecBuffer b[3] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {13, SECBUFFER_DATA, message},
                          {sizeof padding, SECBUFFER_PADDING, padding}};
        SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
        ck_assert_sec_status(EncryptMessage(&v.server, 0, &d, 0), SEC_E_OK);
        ck_assert_uint_eq(b[2].cbBuffer, 0);
        unsigned char wire[128];
        memcpy(wire, trailer, b[0].cbBuffer);
        memcpy(wire + b[0].cbBuffer, message, 13);
        SecBuffer s[2] = {{b[0].cbBuffer + 13, SECBUFFER_STREAM, wire}, {0, SECBUFFER_DATA, NULL}};
        SecBufferDesc sd = {SECBUFFER_VERSION, 2, s};
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(DecryptMessage(&v.client, &sd, 0, &qop), SEC_E_OK);
        ck_assert_uint_eq(qop, 0);
        ck_assert_uint_eq(s[1].cbBuffer, 13);
        ck_assert(!memcmp(s[1].pvBuffer, "Hello, world!", 13));
        conv_free(&v);
    }
}
END_TEST

/* SEC_WINNT_AUTH_IDENTITY_EX: Windows reads it whatever its Length says (0, or smaller than the structure), and
 * a PackageList naming a package it does not have is no error; the credential then works. */
START_TEST(an_ex_identity_with_a_zero_or_short_length_or_unknown_packages_is_taken)
{
    static const ULONG lengths[] = {0, 8, sizeof(SEC_WINNT_AUTH_IDENTITY_EXA)};
    static const char *const lists[] = {NULL, "Bogus", "NTLM,NoSuchPackage"};
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++)
        for (size_t j = 0; j < sizeof lists / sizeof *lists; j++) {
            SEC_WINNT_AUTH_IDENTITY_EXA ex = {SEC_WINNT_AUTH_IDENTITY_VERSION, lengths[i], (unsigned char *)"alice", 5,
                                              (unsigned char *)"EXAMPLE", 7, (unsigned char *)"Passw0rd!", 9,
                                              SEC_WINNT_AUTH_IDENTITY_ANSI, (unsigned char *)lists[j],
                                              lists[j] ? (ULONG)strlen(lists[j]) : 0};
            CredHandle cred = {0xdeadbeef, 0xdeadbeef};
            ck_assert_msg(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, &ex, NULL,
                                                    NULL, &cred, NULL) == SEC_E_OK,
                          "Length %lu, PackageList %s", (unsigned long)lengths[i], lists[j] ? lists[j] : "none");
            ck_assert_uint_ne(cred.dwLower, 0xdeadbeef);
            ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
        }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conformance");
    TCase *tc = test_case("secur32");
    tcase_add_test(tc, init_security_interface);
    tcase_add_test(tc, sid_authority_initialisers_in_both_spellings);
    tcase_add_test(tc, query_security_package_info);
    tcase_add_test(tc, ntlm_first_leg_output_buffers);
    tcase_add_test(tc, ntlm_negotiate_flags_follow_fcontextreq);
    tcase_add_test(tc, ntlm_context_after_authentication);
    tcase_add_test(tc, ntlm_sign_and_seal);
    tcase_add_test(tc, decrypt_message_on_a_stream);
    tcase_add_test(tc, an_ex_identity_with_a_zero_or_short_length_or_unknown_packages_is_taken);
    suite_add_tcase(s, tc);
    return test_run(s);
}
