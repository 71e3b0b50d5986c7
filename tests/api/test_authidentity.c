/* The Sspi* identity helpers of sspi.h and GetComputerObjectName of secext.h (doc/semantics.md §38). */
#define SECURITY_WIN32
#include "testutil.h"

#include "security.h"
#include "wincred.h"

static size_t wlen(const WCHAR *s) { return (size_t)lstrlenW(s); }

START_TEST(encoding_nothing_is_an_invalid_token_and_leaves_the_out_pointer)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = (PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, NULL, NULL), SEC_E_INVALID_TOKEN);
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, NULL, &id), SEC_E_INVALID_TOKEN);
    ck_assert(id == (PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef);
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", NULL, NULL, NULL), SEC_E_INVALID_PARAMETER);
}
END_TEST

START_TEST(an_encoded_identity_is_an_ex_structure_with_its_strings_after_it)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(NULL, NULL, u"Passw0rd!", &id), SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_EXW *ex = id;
    ck_assert_uint_eq(ex->Version, SEC_WINNT_AUTH_IDENTITY_VERSION);
    ck_assert_uint_eq(ex->Length, sizeof *ex);
    ck_assert_ptr_null(ex->User);
    ck_assert_uint_eq(ex->UserLength, 0);
    ck_assert_ptr_null(ex->Domain);
    ck_assert_ptr_eq(ex->Password, (unsigned short *)(ex + 1));
    ck_assert_uint_eq(ex->PasswordLength, 9);
    ck_assert_uint_eq(ex->Flags, SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED);
    ck_assert_ptr_null(ex->PackageList);
    ck_assert(!SspiIsAuthIdentityEncrypted(id));
    SspiFreeAuthIdentity(id);

    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", u"EXAMPLE", u"pw", &id), SEC_E_OK);
    ex = id;
    ck_assert(!memcmp(ex->User, u"alice", 12));
    ck_assert(!memcmp(ex->Domain, u"EXAMPLE", 16));
    ck_assert_uint_eq(ex->DomainLength, 7);
    SspiFreeAuthIdentity(id);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(the_strings_come_back_as_local_free_copies_and_absent_ones_as_null)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", NULL, u"pw", &id), SEC_E_OK);
    PCWSTR user = NULL, password = NULL, domain = (PCWSTR)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(id, &user, &domain, &password), SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(user, u"alice"), 0);
    ck_assert_ptr_null(domain);
    ck_assert_int_eq(lstrcmpW(password, u"pw"), 0);
    ck_assert_ptr_ne(user, ((SEC_WINNT_AUTH_IDENTITY_EXW *)id)->User);
    SspiLocalFree((PVOID)(uintptr_t)user);
    SspiLocalFree((PVOID)(uintptr_t)password);
    SspiFreeAuthIdentity(id);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(zeroing_wipes_the_password_and_keeps_the_names)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", u"EXAMPLE", u"secret", &id), SEC_E_OK);
    unsigned short *stored = ((SEC_WINNT_AUTH_IDENTITY_EXW *)id)->Password;
    SspiZeroAuthIdentity(id);
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq(stored[i], 0);
    PCWSTR user = NULL, domain = NULL, password = NULL;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(id, &user, &domain, &password), SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(user, u"alice"), 0);
    ck_assert_int_eq(lstrcmpW(domain, u"EXAMPLE"), 0);
    ck_assert_ptr_nonnull(password);
    ck_assert_uint_eq(wlen(password), 0);
    SspiLocalFree((PVOID)(uintptr_t)user);
    SspiLocalFree((PVOID)(uintptr_t)domain);
    SspiLocalFree((PVOID)(uintptr_t)password);
    SspiFreeAuthIdentity(id);
}
END_TEST

START_TEST(a_copy_is_separate_and_compares_as_the_same_identity)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE a = NULL, b = NULL, c = NULL, other = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", u"EXAMPLE", u"pw", &a), SEC_E_OK);
    ck_assert_sec_status(SspiCopyAuthIdentity(a, &b), SEC_E_OK);
    ck_assert_ptr_ne(a, b);
    ck_assert_ptr_ne(((SEC_WINNT_AUTH_IDENTITY_EXW *)a)->User, ((SEC_WINNT_AUTH_IDENTITY_EXW *)b)->User);
    BOOLEAN same_user = 7, same_identity = 7;
    ck_assert_sec_status(SspiCompareAuthIdentities(a, b, &same_user, &same_identity), SEC_E_OK);
    ck_assert_int_eq(same_user, TRUE);
    ck_assert_int_eq(same_identity, TRUE);
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"ALICE", u"example", u"other", &c), SEC_E_OK);
    ck_assert_sec_status(SspiCompareAuthIdentities(a, c, &same_user, &same_identity), SEC_E_OK);
    ck_assert_int_eq(same_user, TRUE);
    ck_assert_int_eq(same_identity, FALSE);
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"bob", u"EXAMPLE", u"pw", &other), SEC_E_OK);
    ck_assert_sec_status(SspiCompareAuthIdentities(a, other, &same_user, &same_identity), SEC_E_OK);
    ck_assert_int_eq(same_user, FALSE);
    ck_assert_int_eq(same_identity, FALSE);
    ck_assert_sec_status(SspiCompareAuthIdentities(a, NULL, &same_user, &same_identity), SEC_E_INVALID_PARAMETER);
    SspiFreeAuthIdentity(a);
    SspiFreeAuthIdentity(b);
    SspiFreeAuthIdentity(c);
    SspiFreeAuthIdentity(other);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(a_structure_that_is_not_an_ex_identity_is_an_invalid_token)
{
    SEC_WINNT_AUTH_IDENTITY_W plain = {(unsigned short *)(uintptr_t)u"alice", 5, NULL, 0, NULL, 0,
                                       SEC_WINNT_AUTH_IDENTITY_UNICODE};
    PCWSTR user = (PCWSTR)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(&plain, &user, NULL, NULL), SEC_E_INVALID_TOKEN);
    ck_assert(user == (PCWSTR)(uintptr_t)0xdeadbeef);
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(NULL, &user, NULL, NULL), SEC_E_INVALID_PARAMETER);
    ck_assert(!SspiIsAuthIdentityEncrypted(NULL));
}
END_TEST

START_TEST(prepare_for_cred_write_gives_the_credential_manager_fields)
{
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE id = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"username", u"domainname", u"password", &id), SEC_E_OK);
    ULONG type = 0, size = 0;
    PCWSTR target = NULL, user = NULL;
    PUCHAR blob = NULL;
    ck_assert_sec_status(SspiPrepareForCredWrite(id, NULL, &type, &target, &user, &blob, &size), SEC_E_OK);
    ck_assert_uint_eq(type, CRED_TYPE_DOMAIN_PASSWORD);
    ck_assert_int_eq(lstrcmpW(target, u"domainname\\username"), 0);
    ck_assert_int_eq(lstrcmpW(user, u"domainname\\username"), 0);
    ck_assert_uint_eq(size, 16);
    ck_assert(!memcmp(blob, u"password", 16));
    SspiLocalFree((PVOID)(uintptr_t)target);
    SspiLocalFree((PVOID)(uintptr_t)user);
    SspiLocalFree(blob);
    ck_assert_sec_status(SspiPrepareForCredWrite(id, u"domainname2\\username2", &type, &target, &user, &blob, &size),
                         SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(target, u"domainname2\\username2"), 0);
    ck_assert_int_eq(lstrcmpW(user, u"domainname\\username"), 0);
    SspiLocalFree((PVOID)(uintptr_t)target);
    SspiLocalFree((PVOID)(uintptr_t)user);
    SspiLocalFree(blob);
    type = 0;
    ck_assert_sec_status(SspiPrepareForCredRead(id, NULL, &type, &target), SEC_E_OK);
    ck_assert_uint_eq(type, CRED_TYPE_DOMAIN_PASSWORD);
    ck_assert_int_eq(lstrcmpW(target, u"domainname\\username"), 0);
    SspiLocalFree((PVOID)(uintptr_t)target);
    SspiFreeAuthIdentity(id);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* An _EXA identity as a caller builds it: ANSI strings (UTF-8 here), lengths in bytes. */
static SEC_WINNT_AUTH_IDENTITY_EXA ansi_identity(char *user, char *domain, char *password, char *packages)
{
    SEC_WINNT_AUTH_IDENTITY_EXA ex = {SEC_WINNT_AUTH_IDENTITY_VERSION, sizeof ex, (unsigned char *)user,
                                      user ? (ULONG)strlen(user) : 0, (unsigned char *)domain,
                                      domain ? (ULONG)strlen(domain) : 0, (unsigned char *)password,
                                      password ? (ULONG)strlen(password) : 0, SEC_WINNT_AUTH_IDENTITY_ANSI,
                                      (unsigned char *)packages, packages ? (ULONG)strlen(packages) : 0};
    return ex;
}

START_TEST(an_ansi_identity_gives_its_strings_in_utf16)
{
    char user[] = "J\xc3\xbcrgen", domain[] = "EXAMPLE", password[] = "pw";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, domain, password, NULL);
    PCWSTR u = (PCWSTR)(uintptr_t)0xdeadbeef, d = u, p = u;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(&ex, &u, &d, &p), SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(u, u"J\u00fcrgen"), 0);
    ck_assert_int_eq(lstrcmpW(d, u"EXAMPLE"), 0);
    ck_assert_int_eq(lstrcmpW(p, u"pw"), 0);
    SspiLocalFree((PVOID)(uintptr_t)u);
    SspiLocalFree((PVOID)(uintptr_t)d);
    SspiLocalFree((PVOID)(uintptr_t)p);
    ex.Domain = NULL;
    ex.DomainLength = 0;
    d = (PCWSTR)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(&ex, NULL, &d, NULL), SEC_E_OK);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(a_copy_of_an_ansi_identity_stays_ansi_and_keeps_its_package_list)
{
    char user[] = "alice", domain[] = "EXAMPLE", password[] = "Passw0rd!", packages[] = "ntlm";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, domain, password, packages);
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE copy = (PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(SspiCopyAuthIdentity(&ex, &copy), SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_EXA *c = copy;
    ck_assert_uint_eq(c->Version, SEC_WINNT_AUTH_IDENTITY_VERSION);
    ck_assert_uint_eq(c->Length, sizeof *c);
    ck_assert_uint_eq(c->Flags, SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_MARSHALLED);
    ck_assert_ptr_eq(c->User, (unsigned char *)(c + 1)); /* packed after the structure, one byte a character */
    ck_assert_str_eq((const char *)c->User, "alice");
    ck_assert_uint_eq(c->UserLength, 5);
    ck_assert_ptr_eq(c->Domain, c->User + 6);
    ck_assert_str_eq((const char *)c->Domain, "EXAMPLE");
    ck_assert_str_eq((const char *)c->Password, "Passw0rd!");
    ck_assert_uint_eq(c->PasswordLength, 9);
    ck_assert_str_eq((const char *)c->PackageList, "ntlm");
    ck_assert_uint_eq(c->PackageListLength, 4);
    /* The copy reads back through the helpers, as the original does. */
    PCWSTR u = NULL;
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(copy, &u, NULL, NULL), SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(u, u"alice"), 0);
    SspiLocalFree((PVOID)(uintptr_t)u);
    /* And AcquireCredentialsHandle takes it. */
    CredHandle cred;
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, copy, NULL, NULL, &cred, NULL),
        SEC_E_OK);
    SecPkgCredentials_NamesA names;
    ck_assert_sec_status(QueryCredentialsAttributesA(&cred, SECPKG_CRED_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    FreeCredentialsHandle(&cred);
    SspiFreeAuthIdentity(copy);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(zeroing_an_ansi_identity_wipes_its_password_bytes_only)
{
    char user[] = "alice", domain[] = "EXAMPLE", password[] = "secret!";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, domain, password, NULL);
    ex.PasswordLength = 6; /* "secret", the '!' beyond the length is not the identity's */
    SspiZeroAuthIdentity(&ex);
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq((unsigned char)password[i], 0);
    ck_assert_uint_eq((unsigned char)password[6], '!');
    ck_assert_uint_eq(ex.PasswordLength, 0);
    ck_assert_str_eq(user, "alice");
    ck_assert_str_eq(domain, "EXAMPLE");
}
END_TEST

START_TEST(an_ansi_and_a_unicode_identity_of_one_user_compare_as_the_same)
{
    char user[] = "ALICE", domain[] = "example", password[] = "pw", other[] = "PW";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, domain, password, NULL);
    PSEC_WINNT_AUTH_IDENTITY_OPAQUE w = NULL;
    ck_assert_sec_status(SspiEncodeStringsAsAuthIdentity(u"alice", u"EXAMPLE", u"pw", &w), SEC_E_OK);
    BOOLEAN same_user = 7, same_identity = 7;
    ck_assert_sec_status(SspiCompareAuthIdentities(&ex, w, &same_user, &same_identity), SEC_E_OK);
    ck_assert_int_eq(same_user, TRUE);
    ck_assert_int_eq(same_identity, TRUE);
    ex.Password = (unsigned char *)other; /* passwords keep their case */
    ck_assert_sec_status(SspiCompareAuthIdentities(w, &ex, &same_user, &same_identity), SEC_E_OK);
    ck_assert_int_eq(same_user, TRUE);
    ck_assert_int_eq(same_identity, FALSE);
    SspiFreeAuthIdentity(w);
}
END_TEST

START_TEST(prepare_for_cred_write_gives_an_ansi_identity_in_utf16)
{
    char user[] = "alice", domain[] = "EXAMPLE", password[] = "pw";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, domain, password, NULL);
    ULONG type = 0, size = 0xdeadbeef;
    PCWSTR target = NULL, name = NULL;
    PUCHAR blob = NULL;
    ck_assert_sec_status(SspiPrepareForCredWrite(&ex, NULL, &type, &target, &name, &blob, &size), SEC_E_OK);
    ck_assert_uint_eq(type, CRED_TYPE_DOMAIN_PASSWORD);
    ck_assert_int_eq(lstrcmpW(target, u"EXAMPLE\\alice"), 0);
    ck_assert_int_eq(lstrcmpW(name, u"EXAMPLE\\alice"), 0);
    ck_assert_uint_eq(size, 4);
    ck_assert(!memcmp(blob, u"pw", 4));
    SspiLocalFree((PVOID)(uintptr_t)target);
    SspiLocalFree((PVOID)(uintptr_t)name);
    SspiLocalFree(blob);
    ck_assert_sec_status(SspiPrepareForCredRead(&ex, NULL, &type, &target), SEC_E_OK);
    ck_assert_int_eq(lstrcmpW(target, u"EXAMPLE\\alice"), 0);
    SspiLocalFree((PVOID)(uintptr_t)target);
    ck_assert_int_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* What the helpers refuse, whatever the charset: a Length short of the structure, Flags naming both charsets
 * or neither, and the packed _EX2 form (not emulated). */
START_TEST(a_short_length_or_an_unclear_charset_is_an_invalid_token)
{
    char user[] = "alice";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, NULL, NULL, NULL);
    SEC_WINNT_AUTH_IDENTITY_EXA cases[4] = {ex, ex, ex, ex};
    cases[0].Length = sizeof ex - 1;
    cases[1].Flags = SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE;
    cases[2].Flags = 0;
    cases[3].Version = SEC_WINNT_AUTH_IDENTITY_VERSION_2;
    for (size_t i = 0; i < 4; i++) {
        PCWSTR u = (PCWSTR)(uintptr_t)0xdeadbeef;
        ck_assert_msg(SspiEncodeAuthIdentityAsStrings(&cases[i], &u, NULL, NULL) == SEC_E_INVALID_TOKEN, "case %zu",
                      i);
        ck_assert(u == (PCWSTR)(uintptr_t)0xdeadbeef);
        PSEC_WINNT_AUTH_IDENTITY_OPAQUE copy = (PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef;
        ck_assert_sec_status(SspiCopyAuthIdentity(&cases[i], &copy), SEC_E_INVALID_TOKEN);
        ck_assert(copy == (PSEC_WINNT_AUTH_IDENTITY_OPAQUE)(uintptr_t)0xdeadbeef);
    }
    ck_assert_sec_status(SspiEncodeAuthIdentityAsStrings(&ex, NULL, NULL, NULL), SEC_E_OK);
}
END_TEST

START_TEST(an_ansi_identity_can_say_it_is_encrypted)
{
    char user[] = "alice";
    SEC_WINNT_AUTH_IDENTITY_EXA ex = ansi_identity(user, NULL, NULL, NULL);
    ck_assert(!SspiIsAuthIdentityEncrypted(&ex));
    ex.Flags |= SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED;
    ck_assert(SspiIsAuthIdentityEncrypted(&ex));
}
END_TEST

START_TEST(computer_object_names_follow_the_machine_account)
{
    static const struct {
        EXTENDED_NAME_FORMAT format;
        const char *want;
    } cases[] = {
        {NameSamCompatible, "EXAMPLE\\SERVER$"},
        {NameFullyQualifiedDN, "CN=SERVER,CN=Computers,DC=example,DC=test"},
        {NameCanonical, "example.test/Computers/SERVER"},
        {NameCanonicalEx, "example.test/Computers\nSERVER"},
        {NameDisplay, "SERVER$"},
        {NameDnsDomain, "example.test\\SERVER$"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ULONG size = 0;
        SetLastError(0xdeadbeef);
        ck_assert(!GetComputerObjectNameA(cases[i].format, NULL, &size));
        ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
        ck_assert_uint_eq(size, strlen(cases[i].want) + 1);
        char name[128];
        size = sizeof name;
        ck_assert(GetComputerObjectNameA(cases[i].format, name, &size));
        ck_assert_str_eq(name, cases[i].want);
        ck_assert_uint_eq(size, strlen(cases[i].want));
    }
}
END_TEST

START_TEST(computer_object_name_checks_size_and_format)
{
    WCHAR w[8];
    w[0] = 0x1234;
    ULONG size = 4;
    SetLastError(0xdeadbeef);
    ck_assert(!GetComputerObjectNameW(NameSamCompatible, w, &size));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(size, 16);
    ck_assert_uint_eq(w[0], 0x1234);
    WCHAR big[32];
    size = 32;
    ck_assert(GetComputerObjectNameW(NameSamCompatible, big, &size));
    ck_assert_int_eq(lstrcmpW(big, u"EXAMPLE\\SERVER$"), 0);
    ck_assert_uint_eq(size, 15);
    size = 32;
    SetLastError(0xdeadbeef);
    ck_assert(!GetComputerObjectNameW(NameUnknown, big, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert(!GetComputerObjectNameW(NameUserPrincipal, big, &size));
    ck_assert_last_error(ERROR_NONE_MAPPED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/authidentity");
    TCase *tc = test_case("identity");
    tcase_add_test(tc, encoding_nothing_is_an_invalid_token_and_leaves_the_out_pointer);
    tcase_add_test(tc, an_encoded_identity_is_an_ex_structure_with_its_strings_after_it);
    tcase_add_test(tc, the_strings_come_back_as_local_free_copies_and_absent_ones_as_null);
    tcase_add_test(tc, zeroing_wipes_the_password_and_keeps_the_names);
    tcase_add_test(tc, a_copy_is_separate_and_compares_as_the_same_identity);
    tcase_add_test(tc, a_structure_that_is_not_an_ex_identity_is_an_invalid_token);
    tcase_add_test(tc, prepare_for_cred_write_gives_the_credential_manager_fields);
    tcase_add_test(tc, an_ansi_identity_gives_its_strings_in_utf16);
    tcase_add_test(tc, a_copy_of_an_ansi_identity_stays_ansi_and_keeps_its_package_list);
    tcase_add_test(tc, zeroing_an_ansi_identity_wipes_its_password_bytes_only);
    tcase_add_test(tc, an_ansi_and_a_unicode_identity_of_one_user_compare_as_the_same);
    tcase_add_test(tc, prepare_for_cred_write_gives_an_ansi_identity_in_utf16);
    tcase_add_test(tc, a_short_length_or_an_unclear_charset_is_an_invalid_token);
    tcase_add_test(tc, an_ansi_identity_can_say_it_is_encrypted);
    tcase_add_test(tc, computer_object_names_follow_the_machine_account);
    tcase_add_test(tc, computer_object_name_checks_size_and_format);
    suite_add_tcase(s, tc);
    return test_run(s);
}
