/* Account and name lookups, with their size protocols, and the fake host's names. */
#include "testutil.h"
#include "sddl.h"
#include "security.h"

static void lookup_sid(const char *sid_text, const char *name, const char *domain, SID_NAME_USE use)
{
    PSID sid;
    ck_assert(ConvertStringSidToSidA(sid_text, &sid));
    char n[128], d[128];
    DWORD cn = 0, cd = 0;
    SID_NAME_USE u = SidTypeInvalid;
    ck_assert(!LookupAccountSidA(NULL, sid, NULL, &cn, NULL, &cd, &u));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(cn, strlen(name) + 1);
    ck_assert_uint_eq(cd, strlen(domain) + 1);
    ck_assert(LookupAccountSidA(NULL, sid, n, &cn, d, &cd, &u));
    ck_assert_str_eq(n, name);
    ck_assert_str_eq(d, domain);
    ck_assert_uint_eq(cn, strlen(name));
    ck_assert_uint_eq(cd, strlen(domain));
    ck_assert_int_eq(u, use);
    LocalFree(sid);
}

START_TEST(lookup_account_sid_names_domain_and_well_known_sids)
{
    lookup_sid("S-1-5-21-1000000001-2000000002-3000000003-1104", "alice", "EXAMPLE", SidTypeUser);
    lookup_sid("S-1-5-21-1000000001-2000000002-3000000003-1200", "Engineering", "EXAMPLE", SidTypeGroup);
    lookup_sid("S-1-5-21-1000000001-2000000002-3000000003", "EXAMPLE", "EXAMPLE", SidTypeDomain);
    lookup_sid("S-1-1-0", "Everyone", "", SidTypeWellKnownGroup);
    lookup_sid("S-1-5-32-544", "Administrators", "BUILTIN", SidTypeAlias);
    lookup_sid("S-1-5-18", "SYSTEM", "NT AUTHORITY", SidTypeWellKnownGroup);
    lookup_sid("S-1-16-8192", "Medium Mandatory Level", "Mandatory Label", SidTypeLabel);
    lookup_sid("S-1-5-5-0-70000", "LogonSessionId_0_70000", "NT AUTHORITY", SidTypeLogonSession);
}
END_TEST

START_TEST(lookup_account_sid_of_an_unknown_sid_is_none_mapped)
{
    PSID sid;
    ck_assert(ConvertStringSidToSidA("S-1-5-21-9-9-9-1000", &sid));
    char n[64], d[64];
    DWORD cn = sizeof n, cd = sizeof d;
    SID_NAME_USE u;
    ck_assert(!LookupAccountSidA(NULL, sid, n, &cn, d, &cd, &u));
    ck_assert_last_error(ERROR_NONE_MAPPED);
    ck_assert(!LookupAccountSidA("OTHERHOST", sid, n, &cn, d, &cd, &u));
    ck_assert_last_error(RPC_S_SERVER_UNAVAILABLE);
    ck_assert(!LookupAccountSidA(NULL, sid, n, &cn, d, &cd, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    LocalFree(sid);
}
END_TEST

START_TEST(lookup_account_sid_w_counts_utf16_units)
{
    PSID sid;
    ck_assert(ConvertStringSidToSidA("S-1-5-32-545", &sid));
    WCHAR n[64], d[64];
    DWORD cn = 64, cd = 64;
    SID_NAME_USE u;
    ck_assert(LookupAccountSidW(u"SERVER", sid, n, &cn, d, &cd, &u));
    ck_assert_uint_eq(cn, 5);
    ck_assert(!memcmp(n, u"Users", 12));
    ck_assert(!memcmp(d, u"BUILTIN", 16));
    LocalFree(sid);
}
END_TEST

START_TEST(lookup_account_name_gives_sid_and_domain)
{
    static const struct {
        const char *name, *sid, *domain;
        SID_NAME_USE use;
    } cases[] = {
        {"alice", "S-1-5-21-1000000001-2000000002-3000000003-1104", "EXAMPLE", SidTypeUser},
        {"EXAMPLE\\bob", "S-1-5-21-1000000001-2000000002-3000000003-1105", "EXAMPLE", SidTypeUser},
        {"alice@example.test", "S-1-5-21-1000000001-2000000002-3000000003-1104", "EXAMPLE", SidTypeUser},
        {"Domain Users", "S-1-5-21-1000000001-2000000002-3000000003-513", "EXAMPLE", SidTypeGroup},
        {"EXAMPLE", "S-1-5-21-1000000001-2000000002-3000000003", "EXAMPLE", SidTypeDomain},
        {"Everyone", "S-1-1-0", "", SidTypeWellKnownGroup},
        {"BUILTIN\\Administrators", "S-1-5-32-544", "BUILTIN", SidTypeAlias},
        {"NT AUTHORITY\\SYSTEM", "S-1-5-18", "NT AUTHORITY", SidTypeWellKnownGroup},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        DWORD cb = 0, cd = 0;
        SID_NAME_USE use;
        ck_assert(!LookupAccountNameA(NULL, cases[i].name, NULL, &cb, NULL, &cd, &use));
        ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
        BYTE sid[SECURITY_MAX_SID_SIZE];
        char domain[64];
        ck_assert_uint_le(cb, sizeof sid);
        ck_assert_uint_eq(cd, strlen(cases[i].domain) + 1);
        ck_assert(LookupAccountNameA(NULL, cases[i].name, sid, &cb, domain, &cd, &use));
        LPSTR text;
        ConvertSidToStringSidA(sid, &text);
        ck_assert_str_eq(text, cases[i].sid);
        LocalFree(text);
        ck_assert_str_eq(domain, cases[i].domain);
        ck_assert_uint_eq(cd, strlen(cases[i].domain));
        ck_assert_uint_eq(cb, GetLengthSid(sid));
        ck_assert_int_eq(use, cases[i].use);
    }
    BYTE sid[68];
    char d[64];
    DWORD cb = sizeof sid, cd = sizeof d;
    SID_NAME_USE use;
    ck_assert(!LookupAccountNameA(NULL, "nobody", sid, &cb, d, &cd, &use));
    ck_assert_last_error(ERROR_NONE_MAPPED);
}
END_TEST

START_TEST(get_user_name_sizes_include_the_nul)
{
    char name[3];
    DWORD n = sizeof name;
    SetLastError(0);
    ck_assert(!GetUserNameA(name, &n));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(n, 6);
    WCHAR wide[16];
    n = 16;
    ck_assert(GetUserNameW(wide, &n));
    ck_assert_uint_eq(n, 6);
    ck_assert(!memcmp(wide, u"alice", 12));
}
END_TEST

static void user_name_ex(EXTENDED_NAME_FORMAT format, const char *expected)
{
    char name[256];
    ULONG n = 1;
    SetLastError(0);
    ck_assert(!GetUserNameExA(format, name, &n));
    ck_assert_last_error(ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen(expected) + 1);
    ck_assert(GetUserNameExA(format, name, &n));
    ck_assert_str_eq(name, expected);
    ck_assert_uint_eq(n, strlen(expected));
}

START_TEST(get_user_name_ex_renders_every_format)
{
    user_name_ex(NameSamCompatible, "EXAMPLE\\alice");
    user_name_ex(NameUserPrincipal, "alice@example.test");
    user_name_ex(NameFullyQualifiedDN, "CN=Alice Liddell,CN=Users,DC=example,DC=test");
    user_name_ex(NameDisplay, "Alice Liddell");
    user_name_ex(NameCanonical, "example.test/Users/Alice Liddell");
    user_name_ex(NameCanonicalEx, "example.test/Users\nAlice Liddell");
    user_name_ex(NameDnsDomain, "example.test\\alice");
    user_name_ex(NameGivenName, "Alice");
    user_name_ex(NameSurname, "Liddell");
    char name[64];
    ULONG n = sizeof name;
    ck_assert(GetUserNameExA(NameUniqueId, name, &n));
    ck_assert_uint_eq(n, 38);
    ck_assert_int_eq(name[0], '{');
    n = sizeof name;
    ck_assert(!GetUserNameExA(NameServicePrincipal, name, &n));
    ck_assert_last_error(ERROR_NONE_MAPPED);
    ck_assert(!GetUserNameExA(NameUnknown, name, &n));
    ck_assert_last_error(ERROR_NO_SUCH_USER);
    WCHAR wide[64];
    n = 64;
    ck_assert(GetUserNameExW(NameSamCompatible, wide, &n));
    ck_assert(!memcmp(wide, u"EXAMPLE\\alice", 28));
}
END_TEST

START_TEST(translate_name_maps_between_formats)
{
    char out[256];
    ULONG n = sizeof out;
    ck_assert(TranslateNameA("EXAMPLE\\bob", NameSamCompatible, NameUserPrincipal, out, &n));
    ck_assert_str_eq(out, "bob@example.test");
    ck_assert_uint_eq(n, strlen(out) + 1);
    n = sizeof out;
    ck_assert(TranslateNameA("bob@example.test", NameUserPrincipal, NameFullyQualifiedDN, out, &n));
    ck_assert_str_eq(out, "CN=Bob Builder,CN=Users,DC=example,DC=test");
    char guid[64];
    n = sizeof guid;
    ck_assert(TranslateNameA(out, NameFullyQualifiedDN, NameUniqueId, guid, &n));
    n = sizeof out;
    ck_assert(TranslateNameA(guid, NameUnknown, NameSamCompatible, out, &n));
    ck_assert_str_eq(out, "EXAMPLE\\bob");
    n = sizeof out;
    ck_assert(TranslateNameA("EXAMPLE\\Engineering", NameSamCompatible, NameFullyQualifiedDN, out, &n));
    ck_assert_str_eq(out, "CN=Engineering,CN=Users,DC=example,DC=test");
    n = 3;
    ck_assert(!TranslateNameA("EXAMPLE\\bob", NameSamCompatible, NameDisplay, out, &n));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(n, strlen("Bob Builder") + 1);
    n = sizeof out;
    ck_assert(!TranslateNameA("EXAMPLE\\nobody", NameSamCompatible, NameDisplay, out, &n));
    ck_assert_last_error(ERROR_NONE_MAPPED);
    WCHAR wide[64];
    n = 64;
    ck_assert(TranslateNameW(u"EXAMPLE\\alice", NameSamCompatible, NameUserPrincipal, wide, &n));
    ck_assert(!memcmp(wide, u"alice@example.test", 38));
}
END_TEST

START_TEST(the_fake_host_has_netbios_and_dns_names)
{
    char name[64];
    DWORD n = 3;
    ck_assert(!GetComputerNameA(name, &n));
    ck_assert_last_error(ERROR_BUFFER_OVERFLOW);
    ck_assert_uint_eq(n, 7);
    ck_assert(GetComputerNameA(name, &n));
    ck_assert_str_eq(name, "SERVER");
    ck_assert_uint_eq(n, 6);
    static const struct {
        COMPUTER_NAME_FORMAT format;
        const char *name;
    } cases[] = {{ComputerNameNetBIOS, "SERVER"}, {ComputerNameDnsHostname, "server"},
                 {ComputerNameDnsDomain, "example.test"}, {ComputerNameDnsFullyQualified, "server.example.test"},
                 {ComputerNamePhysicalDnsFullyQualified, "server.example.test"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        n = 1;
        ck_assert(!GetComputerNameExA(cases[i].format, name, &n));
        ck_assert_last_error(ERROR_MORE_DATA);
        ck_assert(GetComputerNameExA(cases[i].format, name, &n));
        ck_assert_str_eq(name, cases[i].name);
    }
    n = sizeof name;
    ck_assert(!GetComputerNameExA(ComputerNameMax, name, &n));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    WCHAR wide[32];
    n = 32;
    ck_assert(GetComputerNameW(wide, &n));
    ck_assert(!memcmp(wide, u"SERVER", 14));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/accounts");
    TCase *tc = test_case("accounts");
    tcase_add_test(tc, lookup_account_sid_names_domain_and_well_known_sids);
    tcase_add_test(tc, lookup_account_sid_of_an_unknown_sid_is_none_mapped);
    tcase_add_test(tc, lookup_account_sid_w_counts_utf16_units);
    tcase_add_test(tc, lookup_account_name_gives_sid_and_domain);
    tcase_add_test(tc, get_user_name_sizes_include_the_nul);
    tcase_add_test(tc, get_user_name_ex_renders_every_format);
    tcase_add_test(tc, translate_name_maps_between_formats);
    tcase_add_test(tc, the_fake_host_has_netbios_and_dns_names);
    suite_add_tcase(s, tc);
    return test_run(s);
}
