/* The package list, package info, FreeContextBuffer, the function tables, credentials. */
#include "sspi/sspitest.h"

START_TEST(query_package_info_has_windows_values)
{
    PSecPkgInfoA info = NULL;
    ck_assert_sec_status(QuerySecurityPackageInfoA("ntlm", &info), SEC_E_OK); /* case-insensitive */
    ck_assert_uint_eq(info->wVersion, 1); /* doc/semantics.md §5 */
    ck_assert_uint_eq(info->wRPCID, 10);
    ck_assert_uint_eq(info->cbMaxToken, 2888);
    ck_assert_uint_eq(info->fCapabilities, 0x82B37);
    ck_assert_str_eq(info->Name, "NTLM");
    ck_assert_sec_status(FreeContextBuffer(info), SEC_E_OK);
    PSecPkgInfoW winfo;
    ck_assert_sec_status(QuerySecurityPackageInfoW(u"NTLM", &winfo), SEC_E_OK);
    ck_assert(!memcmp(winfo->Name, u"NTLM", 10));
    FreeContextBuffer(winfo);
}
END_TEST

START_TEST(an_unknown_package_is_not_found_and_the_output_untouched)
{
    PSecPkgInfoA info;
    SENTINEL(info);
    ck_assert_sec_status(QuerySecurityPackageInfoA("Winetest", &info),
                         SEC_E_SECPKG_NOT_FOUND); /* doc/semantics.md §5 */
    ck_assert_untouched(info);
    CredHandle c;
    SENTINEL(c);
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, "Digest", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c, NULL),
        SEC_E_SECPKG_NOT_FOUND);
    ck_assert_untouched(c);
}
END_TEST

START_TEST(enumerate_is_one_block_for_one_free)
{
    ULONG n = 0;
    PSecPkgInfoW all = NULL;
    ck_assert_sec_status(EnumerateSecurityPackagesW(&n, &all), SEC_E_OK);
    ck_assert_uint_eq(n, 3); /* Windows' order: Negotiate, Kerberos, NTLM */
    ck_assert(!memcmp(all[0].Name, u"Negotiate", 20));
    ck_assert(!memcmp(all[1].Name, u"Kerberos", 18));
    ck_assert(!memcmp(all[2].Name, u"NTLM", 10));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_allocations, 1); /* doc/semantics.md §5 */
    ck_assert_sec_status(FreeContextBuffer(all), SEC_E_OK);
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_allocations, 0);
}
END_TEST

START_TEST(free_context_buffer_on_foreign_memory_is_reported)
{
    char mine[16];
    ck_assert_sec_status(FreeContextBuffer(mine), SEC_E_OK);
    ck_assert_misuse(FOREIGN_FREE, 1);
    ck_assert_sec_status(FreeContextBuffer(NULL), SEC_E_OK);
    void *local = LocalAlloc(LPTR, 8);
    ck_assert_sec_status(FreeContextBuffer(local), SEC_E_OK);
    ck_assert_misuse(WRONG_FREE, 1);
}
END_TEST

START_TEST(the_function_tables_are_in_windows_order)
{
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION); /* Windows: 1 */
    ck_assert_ptr_eq(w->QuerySecurityContextToken, QuerySecurityContextToken);
    ck_assert_ptr_eq(w->EncryptMessage, EncryptMessage);
    ck_assert_ptr_eq(w->DecryptMessage, DecryptMessage);
    ck_assert_ptr_eq(w->InitializeSecurityContextW, InitializeSecurityContextW);
    ck_assert_ptr_null(w->Reserved2);
    ck_assert_ptr_eq(w->Reserved3, (void *)EncryptMessage); /* Windows: Reserved3 == EncryptMessage */
    ck_assert_ptr_eq(w->Reserved4, (void *)DecryptMessage);
    ck_assert_ptr_null(w->Reserved8);
    ck_assert_ptr_eq((void *)((void **)((char *)w + 8))[0], (void *)EnumerateSecurityPackagesW);
    ck_assert_ptr_eq(InitSecurityInterfaceW(), w); /* static: never freed */
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    ck_assert_uint_eq(a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION); /* Windows: 1 */
    ck_assert_ptr_eq(a->FreeCredentialHandle, FreeCredentialsHandle);
    ck_assert_ptr_eq(a->AcquireCredentialsHandleA, AcquireCredentialsHandleA);
    /* Through the table, as code that loads secur32 does. */
    PSecPkgInfoA info;
    ck_assert_sec_status(a->QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
    a->FreeContextBuffer(info);
}
END_TEST

START_TEST(credentials_have_names_and_check_their_use)
{
    CredHandle c;
    TimeStamp expiry;
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c, &expiry), SEC_E_OK);
    ck_assert_int_eq(expiry.QuadPart, 0x7FFFFFFFFFFFFFFFLL);
    SecPkgCredentials_NamesA names;
    ck_assert_sec_status(QueryCredentialsAttributesA(&c, SECPKG_CRED_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    ck_assert_sec_status(QueryCredentialsAttributesA(&c, 77, &names), SEC_E_UNSUPPORTED_FUNCTION);
    /* An outbound credential cannot accept. */
    unsigned char tok[64] = "NTLMSSP";
    SecBuffer in = {sizeof tok, SECBUFFER_TOKEN, tok};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in};
    CtxtHandle ctx;
    ck_assert_sec_status(AcceptSecurityContext(&c, NULL, &ind, 0, 0, &ctx, NULL, NULL, NULL), SEC_E_NO_CREDENTIALS);
    FreeCredentialsHandle(&c);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", 0, NULL, NULL, NULL, NULL, &c, NULL),
                         SEC_E_UNKNOWN_CREDENTIALS);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", 0x100, NULL, NULL, NULL, NULL, &c, NULL),
                         SEC_E_UNKNOWN_CREDENTIALS);
}
END_TEST

START_TEST(every_identity_form_authenticates)
{
    /* W with UNICODE, EX A with a package list, DOMAIN\user in the user field, a UPN. */
    SEC_WINNT_AUTH_IDENTITY_W w = {(unsigned short *)u"bob", 3, (unsigned short *)u"EXAMPLE", 7,
                                   (unsigned short *)u"Hunter2!", 8, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    SEC_WINNT_AUTH_IDENTITY_EXA ex = {SEC_WINNT_AUTH_IDENTITY_VERSION, sizeof ex, (unsigned char *)"bob", 3,
                                      (unsigned char *)"EXAMPLE", 7, (unsigned char *)"Hunter2!", 8,
                                      SEC_WINNT_AUTH_IDENTITY_ANSI, (unsigned char *)"ntlm", 4};
    SEC_WINNT_AUTH_IDENTITY_A slash = {(unsigned char *)"EXAMPLE\\bob", 11, NULL, 0, (unsigned char *)"Hunter2!", 8,
                                       SEC_WINNT_AUTH_IDENTITY_ANSI};
    SEC_WINNT_AUTH_IDENTITY_A upn = {(unsigned char *)"bob@example.test", 16, NULL, 0, (unsigned char *)"Hunter2!", 8,
                                     SEC_WINNT_AUTH_IDENTITY_ANSI};
    void *ids[] = {&w, &ex, &slash, &upn};
    for (size_t i = 0; i < 4; i++) {
        struct pair p = {0};
        ck_assert_sec_status(AcquireCredentialsHandleW(NULL, u"NTLM", SECPKG_CRED_OUTBOUND, NULL, ids[i], NULL, NULL,
                                                       &p.client_cred, NULL), SEC_E_OK);
        ck_assert_sec_status(AcquireCredentialsHandleW(NULL, u"NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                       &p.server_cred, NULL), SEC_E_OK);
        ck_assert_msg(pair_handshake(&p, 0, 0, NULL) == SEC_E_OK, "identity %zu", i);
        SecPkgContext_NamesA n;
        QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &n);
        ck_assert_str_eq(n.sUserName, "EXAMPLE\\bob");
        FreeContextBuffer(n.sUserName);
        pair_free(&p);
    }
    SEC_WINNT_AUTH_IDENTITY_A bad = upn;
    bad.Flags = 0;
    CredHandle c;
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &bad, NULL, NULL, &c, NULL),
        SEC_E_UNKNOWN_CREDENTIALS);
}
END_TEST

/* The _EX form in both charsets, read whatever its Length says (doc/semantics.md §1); the packed _EX2 form is
 * not emulated. */
START_TEST(an_ex_identity_is_read_whatever_its_length_and_ex2_is_unknown)
{
    SEC_WINNT_AUTH_IDENTITY_EXW exw = {SEC_WINNT_AUTH_IDENTITY_VERSION, 0, (unsigned short *)u"bob", 3,
                                       (unsigned short *)u"EXAMPLE", 7, (unsigned short *)u"Hunter2!", 8,
                                       SEC_WINNT_AUTH_IDENTITY_UNICODE, NULL, 0};
    SEC_WINNT_AUTH_IDENTITY_EXA exa = {SEC_WINNT_AUTH_IDENTITY_VERSION, 0, (unsigned char *)"bob", 3,
                                       (unsigned char *)"EXAMPLE", 7, (unsigned char *)"Hunter2!", 8,
                                       SEC_WINNT_AUTH_IDENTITY_ANSI, NULL, 0};
    void *ids[] = {&exw, &exa};
    for (size_t i = 0; i < 2; i++) {
        struct pair p = {0};
        ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, ids[i], NULL, NULL,
                                                       &p.client_cred, NULL), SEC_E_OK);
        ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                       &p.server_cred, NULL), SEC_E_OK);
        ck_assert_msg(pair_handshake(&p, 0, 0, NULL) == SEC_E_OK, "identity %zu", i);
        SecPkgContext_NamesA n;
        ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
        ck_assert_str_eq(n.sUserName, "EXAMPLE\\bob");
        FreeContextBuffer(n.sUserName);
        pair_free(&p);
    }
    exa.Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    CredHandle c = {0xdeadbeef, 0xdeadbeef};
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &exa, NULL, NULL, &c, NULL),
                         SEC_E_UNKNOWN_CREDENTIALS);
    ck_assert_uint_eq(c.dwLower, 0xdeadbeef);
}
END_TEST

START_TEST(leaked_contexts_credentials_and_buffers_are_reported)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    pair_handshake(&p, 0, 0, NULL);
    SecPkgContext_NamesA n;
    QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &n);
    /* Nothing freed: two contexts, two credentials and one buffer. */
    ck_assert_uint_eq(fakesspi_check_leaks(), 5);
    pair_free(&p);
    FreeContextBuffer(n.sUserName);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/packages");
    TCase *tc = test_case("packages");
    tcase_add_test(tc, query_package_info_has_windows_values);
    tcase_add_test(tc, an_unknown_package_is_not_found_and_the_output_untouched);
    tcase_add_test(tc, enumerate_is_one_block_for_one_free);
    tcase_add_test(tc, free_context_buffer_on_foreign_memory_is_reported);
    tcase_add_test(tc, the_function_tables_are_in_windows_order);
    tcase_add_test(tc, credentials_have_names_and_check_their_use);
    tcase_add_test(tc, every_identity_form_authenticates);
    tcase_add_test(tc, an_ex_identity_is_read_whatever_its_length_and_ex2_is_unknown);
    tcase_add_test(tc, leaked_contexts_credentials_and_buffers_are_reported);
    suite_add_tcase(s, tc);
    return test_run(s);
}
