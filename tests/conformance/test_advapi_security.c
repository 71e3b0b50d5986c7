/* Windows' answers for the SID, account, privilege and token functions of advapi32, checked the way
 * Windows' own conformance tests check them: sentinels in out-parameters and in the last error, exact
 * results. Each expectation is what Windows returns (doc/semantics.md §16, §37). */
#include "testutil.h"
#include "sddl.h"
#define SECURITY_WIN32
#include "security.h"

#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"
#define SE_CREATE_TOKEN_PRIVILEGE_LUID 2 /* SE_CREATE_TOKEN_PRIVILEGE of wdm.h */

static PSID sid_of(const char *text)
{
    PSID s = NULL;
    ck_assert_msg(ConvertStringSidToSidA(text, &s), "%s: %lu", text, (unsigned long)GetLastError());
    return s;
}

static void ck_assert_sid_text(PSID sid, const char *expected)
{
    char *text = NULL;
    ck_assert(ConvertSidToStringSidA(sid, &text));
    ck_assert_str_eq(text, expected);
    LocalFree(text);
}

/* ---- issue 13: token, SID and account calls ---- */

START_TEST(check_token_membership_on_a_primary_token_fails_and_clears_is_member)
{
    HANDLE process, impersonation;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateToken(process, SecurityImpersonation, &impersonation));
    PSID users = sid_of(DOMAIN_SID "-513");
    BOOL member = FALSE;
    ck_assert(CheckTokenMembership(impersonation, users, &member));
    ck_assert_int_eq(member, TRUE);
    member = TRUE;
    SetLastError(0xdeadbeef);
    ck_assert(!CheckTokenMembership(process, users, &member));
    ck_assert_last_error(ERROR_NO_IMPERSONATION_TOKEN);
    ck_assert_int_eq(member, FALSE);
    LocalFree(users);
    CloseHandle(impersonation);
    CloseHandle(process);
}
END_TEST

START_TEST(lookup_account_name_without_a_name_gives_the_account_domain)
{
    DWORD cb = 0, cd = 0;
    SID_NAME_USE use = (SID_NAME_USE)0xcafebabe;
    SetLastError(0xdeadbeef);
    ck_assert(!LookupAccountNameA(NULL, NULL, NULL, &cb, NULL, &cd, &use));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(cb, 24);
    ck_assert_uint_eq(cd, 8);
    ck_assert_int_eq(use, (SID_NAME_USE)0xcafebabe);
    BYTE sid[SECURITY_MAX_SID_SIZE];
    char domain[64];
    ck_assert(LookupAccountNameA(NULL, NULL, sid, &cb, domain, &cd, &use));
    ck_assert_int_eq(use, SidTypeDomain);
    ck_assert_str_eq(domain, "EXAMPLE");
    ck_assert_uint_eq(cd, 7);
    ck_assert_sid_text(sid, DOMAIN_SID);
    char account[64], dom2[64];
    DWORD ca = sizeof account, cd2 = sizeof dom2;
    ck_assert(LookupAccountSidA(NULL, sid, account, &ca, dom2, &cd2, &use));
    ck_assert_str_eq(account, domain); /* the account and the domain are one name */
    WCHAR wdomain[64];
    cb = sizeof sid;
    cd = 64;
    ck_assert(LookupAccountNameW(NULL, u"", sid, &cb, wdomain, &cd, &use));
    ck_assert_int_eq(use, SidTypeDomain);
    ck_assert(!memcmp(wdomain, u"EXAMPLE", 16));
}
END_TEST

START_TEST(lookup_account_name_checks_the_system_before_the_name)
{
    DWORD cb = 0, cd = 0;
    SID_NAME_USE use;
    SetLastError(0xdeadbeef);
    ck_assert(!LookupAccountNameA("deepthought", NULL, NULL, &cb, NULL, &cd, &use));
    ck_assert_last_error(RPC_S_SERVER_UNAVAILABLE);
    ck_assert_uint_eq(cb, 0);
    ck_assert_uint_eq(cd, 0);
    SetLastError(0xdeadbeef);
    ck_assert(!LookupAccountNameA(NULL, "oogabooga", NULL, &cb, NULL, &cd, &use));
    ck_assert_last_error(ERROR_NONE_MAPPED);
    ck_assert_uint_eq(cb, 0);
    ck_assert_uint_eq(cd, 0);
}
END_TEST

START_TEST(lookup_account_sid_takes_null_buffers_with_large_sizes)
{
    PSID users = sid_of("S-1-5-32-545");
    char account[MAX_PATH], domain[MAX_PATH];
    SID_NAME_USE use;
    DWORD ca = MAX_PATH, cd = MAX_PATH;
    ck_assert(LookupAccountSidA(NULL, users, NULL, &ca, domain, &cd, &use));
    ck_assert_str_eq(domain, "BUILTIN");
    ca = MAX_PATH;
    cd = MAX_PATH;
    ck_assert(LookupAccountSidA(NULL, users, account, &ca, NULL, &cd, &use));
    ck_assert_str_eq(account, "Users");
    WCHAR waccount[MAX_PATH];
    ca = MAX_PATH;
    cd = MAX_PATH;
    ck_assert(LookupAccountSidW(NULL, users, waccount, &ca, NULL, &cd, &use));
    ck_assert(!memcmp(waccount, u"Users", 12));
    /* Both NULL with sizes 0: the sizes come back, the use is left alone. */
    ca = cd = 0;
    use = (SID_NAME_USE)0;
    SetLastError(0xdeadbeef);
    ck_assert(!LookupAccountSidW(NULL, users, NULL, &ca, NULL, &cd, &use));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(ca, 6);
    ck_assert_uint_eq(cd, 8);
    ck_assert_int_eq(use, 0);
    /* A 1-character account buffer is too small. */
    ca = 1;
    cd = MAX_PATH;
    ck_assert(!LookupAccountSidA(NULL, users, account, &ca, domain, &cd, &use));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(ca, 6);
    LocalFree(users);
}
END_TEST

START_TEST(convert_string_sid_to_sid_takes_every_alias_in_any_case)
{
    static const struct {
        const char *alias, *sid;
    } cases[] = {
        {"WD", "S-1-1-0"},       {"wD", "S-1-1-0"},       {"CO", "S-1-3-0"},       {"CG", "S-1-3-1"},
        {"OW", "S-1-3-4"},       {"NU", "S-1-5-2"},       {"IU", "S-1-5-4"},       {"SU", "S-1-5-6"},
        {"AN", "S-1-5-7"},       {"ED", "S-1-5-9"},       {"PS", "S-1-5-10"},      {"AU", "S-1-5-11"},
        {"RC", "S-1-5-12"},      {"SY", "S-1-5-18"},      {"sy", "S-1-5-18"},      {"LS", "S-1-5-19"},
        {"NS", "S-1-5-20"},      {"BO", "S-1-5-32-551"},  {"BA", "S-1-5-32-544"},  {"ba", "S-1-5-32-544"},
        {"BU", "S-1-5-32-545"},  {"BG", "S-1-5-32-546"},  {"PU", "S-1-5-32-547"},  {"AO", "S-1-5-32-548"},
        {"SO", "S-1-5-32-549"},  {"PO", "S-1-5-32-550"},  {"RE", "S-1-5-32-552"},  {"RU", "S-1-5-32-554"},
        {"RD", "S-1-5-32-555"},  {"NO", "S-1-5-32-556"},  {"AC", "S-1-15-2-1"},
        {"LA", DOMAIN_SID "-500"}, {"LG", DOMAIN_SID "-501"}, {"DA", DOMAIN_SID "-512"}, {"da", DOMAIN_SID "-512"},
        {"DU", DOMAIN_SID "-513"}, {"DG", DOMAIN_SID "-514"}, {"DC", DOMAIN_SID "-515"}, {"DD", DOMAIN_SID "-516"},
        {"CA", DOMAIN_SID "-517"}, {"SA", DOMAIN_SID "-518"}, {"EA", DOMAIN_SID "-519"}, {"PA", DOMAIN_SID "-520"},
        {"RS", DOMAIN_SID "-553"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        PSID sid = (PSID)0xdeadbeef;
        ck_assert_msg(ConvertStringSidToSidA(cases[i].alias, &sid), "%s", cases[i].alias);
        char *text;
        ck_assert(ConvertSidToStringSidA(sid, &text));
        ck_assert_msg(!strcmp(text, cases[i].sid), "%s: %s", cases[i].alias, text);
        LocalFree(text);
        LocalFree(sid);
    }
    PSID sid;
    ck_assert(ConvertStringSidToSidW(u"bU", &sid));
    ck_assert_sid_text(sid, "S-1-5-32-545");
    LocalFree(sid);
}
END_TEST

START_TEST(convert_string_sid_to_sid_refuses_what_windows_refuses)
{
    PSID sid = (PSID)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!ConvertStringSidToSidA("S-1-5", &sid));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert_ptr_eq(sid, (PSID)0xdeadbeef);
    ck_assert(!ConvertStringSidToSidA(NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!ConvertStringSidToSidA("S-1-860116326-1", NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!ConvertStringSidToSidA(NULL, &sid));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!ConvertStringSidToSidA("XX", &sid));
    ck_assert_last_error(ERROR_INVALID_SID);
    ck_assert(ConvertStringSidToSidA("S-1-5-21-93476-23408-4576", &sid));
    ck_assert_uint_eq(*GetSidSubAuthorityCount(sid), 4);
    ck_assert_uint_eq(*GetSidSubAuthority(sid, 0), 21);
    ck_assert_uint_eq(*GetSidSubAuthority(sid, 3), 4576);
    LocalFree(sid);
}
END_TEST

START_TEST(sid_accessors_do_not_validate_and_set_error_success)
{
    PSID sid = sid_of("S-1-5-21-93476-23408-4576");
    SetLastError(0xbebecaca);
    ck_assert_uint_eq(*GetSidSubAuthorityCount(sid), 4);
    ck_assert_last_error(ERROR_SUCCESS);
    SetLastError(0xbebecaca);
    ck_assert_uint_eq(*GetSidSubAuthority(sid, 1), 93476);
    ck_assert_last_error(ERROR_SUCCESS);
    SetLastError(0xbebecaca);
    ck_assert_ptr_nonnull(GetSidSubAuthority(sid, 4)); /* out of bounds: still a pointer */
    ck_assert_last_error(ERROR_SUCCESS);
    LocalFree(sid);

    char buffer[SECURITY_MAX_SID_SIZE];
    memset(buffer, 0xcc, sizeof buffer);
    ck_assert(!IsValidSid(buffer));
    SetLastError(0xdeadbeef);
    ck_assert_ptr_eq(GetSidIdentifierAuthority(buffer), buffer + 2);
    ck_assert_last_error(ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_nonnull(GetSidIdentifierAuthority(NULL));
    ck_assert_last_error(ERROR_SUCCESS);
}
END_TEST

START_TEST(equal_sid_sets_error_success_even_for_an_invalid_sid)
{
    PSID world = sid_of("WD"), admins = sid_of("BA");
    SetLastError(0xdeadbeef);
    ck_assert(!EqualSid(world, admins));
    ck_assert_last_error(ERROR_SUCCESS);
    char bad[SECURITY_MAX_SID_SIZE];
    memset(bad, 0xcc, sizeof bad);
    SetLastError(0xdeadbeef);
    ck_assert(!EqualSid(world, bad));
    ck_assert_last_error(ERROR_SUCCESS);
    LocalFree(world);
    LocalFree(admins);
}
END_TEST

START_TEST(get_user_name_ex_name_unknown_is_no_such_user)
{
    char name[256];
    ULONG size = sizeof name;
    SetLastError(0xdeadbeef);
    ck_assert(!GetUserNameExA(NameUnknown, name, &size));
    ck_assert_last_error(ERROR_NO_SUCH_USER);
    WCHAR wide[256];
    size = 256;
    SetLastError(0xdeadbeef);
    ck_assert(!GetUserNameExW(NameUnknown, wide, &size));
    ck_assert_last_error(ERROR_NO_SUCH_USER);
    size = 1;
    name[0] = (char)0xff;
    ck_assert(!GetUserNameExA(NameSamCompatible, name, &size));
    ck_assert_last_error(ERROR_MORE_DATA);
    ck_assert_uint_gt(size, 1);
    ck_assert_int_eq(name[0], (char)0xff);
}
END_TEST

/* ---- issue 12: well-known SIDs, sizes, prefixes and domains ---- */

/* Windows' answers by WELL_KNOWN_SID_TYPE (Wine's table in test_CreateWellKnownSid): the SID made with
 * the domain S-1-5-21-12-23-34-45-56 where with_domain, else without one. */
static const struct {
    int with_domain;
    const char *sid;
} windows_sids[] = {
    /*  0 */ {0, "S-1-0-0"}, {0, "S-1-1-0"}, {0, "S-1-2-0"}, {0, "S-1-3-0"},
    /*  4 */ {0, "S-1-3-1"}, {0, "S-1-3-2"}, {0, "S-1-3-3"}, {0, "S-1-5"},
    /*  8 */ {1, "S-1-5-1"}, {0, "S-1-5-2"}, {0, "S-1-5-3"}, {0, "S-1-5-4"},
    /* 12 */ {0, "S-1-5-6"}, {0, "S-1-5-7"}, {0, "S-1-5-8"}, {0, "S-1-5-9"},
    /* 16 */ {0, "S-1-5-10"}, {0, "S-1-5-11"}, {0, "S-1-5-12"}, {0, "S-1-5-13"},
    /* 20 */ {0, "S-1-5-14"}, {0, NULL}, {0, "S-1-5-18"}, {0, "S-1-5-19"},
    /* 24 */ {0, "S-1-5-20"}, {0, "S-1-5-32"},
    /* 26 */ {1, "S-1-5-32-544"}, {0, "S-1-5-32-545"}, {0, "S-1-5-32-546"},
    /* 29 */ {0, "S-1-5-32-547"}, {0, "S-1-5-32-548"}, {0, "S-1-5-32-549"},
    /* 32 */ {0, "S-1-5-32-550"}, {0, "S-1-5-32-551"}, {0, "S-1-5-32-552"},
    /* 35 */ {0, "S-1-5-32-554"}, {0, "S-1-5-32-555"}, {0, "S-1-5-32-556"},
    /* 38 */ {1, "S-1-5-21-12-23-34-45-56-500"}, {1, "S-1-5-21-12-23-34-45-56-501"},
    /* 40 */ {1, "S-1-5-21-12-23-34-45-56-502"}, {1, "S-1-5-21-12-23-34-45-56-512"},
    /* 42 */ {1, "S-1-5-21-12-23-34-45-56-513"}, {1, "S-1-5-21-12-23-34-45-56-514"},
    /* 44 */ {1, "S-1-5-21-12-23-34-45-56-515"}, {1, "S-1-5-21-12-23-34-45-56-516"},
    /* 46 */ {1, "S-1-5-21-12-23-34-45-56-517"}, {1, "S-1-5-21-12-23-34-45-56-518"},
    /* 48 */ {1, "S-1-5-21-12-23-34-45-56-519"}, {1, "S-1-5-21-12-23-34-45-56-520"},
    /* 50 */ {1, "S-1-5-21-12-23-34-45-56-553"},
    /* 51 */ {0, "S-1-5-64-10"}, {0, "S-1-5-64-21"}, {0, "S-1-5-64-14"},
    /* 54 */ {0, "S-1-5-15"}, {0, "S-1-5-1000"}, {1, "S-1-5-32-557"},
    /* 57 */ {0, "S-1-5-32-558"}, {0, "S-1-5-32-559"}, {0, "S-1-5-32-560"},
    /* 60 */ {0, "S-1-5-32-561"}, {0, "S-1-5-32-562"},
    /* 62 */ {0, "S-1-5-32-568"},
    /* 63 */ {0, "S-1-5-17"}, {1, "S-1-5-32-569"}, {0, "S-1-16-0"},
    /* 66 */ {0, "S-1-16-4096"}, {0, "S-1-16-8192"}, {0, "S-1-16-12288"},
    /* 69 */ {0, "S-1-16-16384"}, {0, "S-1-5-33"}, {0, "S-1-3-4"},
    /* 72 */ {1, "S-1-5-21-12-23-34-45-56-571"}, {1, "S-1-5-21-12-23-34-45-56-572"},
    /* 74 */ {0, "S-1-5-22"}, {1, "S-1-5-21-12-23-34-45-56-521"}, {0, "S-1-5-32-573"},
    /* 77 */ {1, "S-1-5-21-12-23-34-45-56-498"}, {0, "S-1-5-32-574"}, {0, "S-1-16-8448"},
    /* 80 */ {0, NULL}, {0, "S-1-2-1"}, {0, "S-1-5-65-1"}, {0, NULL},
    /* 84 */ {0, "S-1-15-2-1"},
};

START_TEST(create_well_known_sid_uses_the_two_call_protocol)
{
    DWORD size = 0;
    SetLastError(0xdeadbeef);
    ck_assert(!CreateWellKnownSid(WinInteractiveSid, NULL, NULL, &size));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(size, GetSidLengthRequired(1));
    SetLastError(0xdeadbeef);
    ck_assert(!CreateWellKnownSid(WinInteractiveSid, NULL, NULL, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    BYTE sid[SECURITY_MAX_SID_SIZE];
    ck_assert(CreateWellKnownSid(WinInteractiveSid, NULL, sid, &size));
    ck_assert_sid_text(sid, "S-1-5-4");
    ck_assert(!CreateWellKnownSid(WinInteractiveSid, NULL, sid, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    size = sizeof sid;
    ck_assert(!CreateWellKnownSid(WinLogonIdsSid, NULL, sid, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!CreateWellKnownSid((WELL_KNOWN_SID_TYPE)1000, NULL, sid, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(create_well_known_sid_makes_windows_sids_for_every_type)
{
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID domain;
    /* Six sub-authorities, where a domain has four: CreateWellKnownSid does not check. */
    ck_assert(AllocateAndInitializeSid(&nt, 6, SECURITY_NT_NON_UNIQUE, 12, 23, 34, 45, 56, 0, 0, &domain));
    for (int i = 0; i < (int)(sizeof windows_sids / sizeof *windows_sids); i++) {
        if (!windows_sids[i].sid)
            continue;
        BYTE sid[SECURITY_MAX_SID_SIZE];
        DWORD cb = sizeof sid;
        ck_assert_msg(CreateWellKnownSid((WELL_KNOWN_SID_TYPE)i, windows_sids[i].with_domain ? domain : NULL, sid,
                                         &cb), "type %d", i);
        ck_assert_uint_eq(GetSidLengthRequired(*GetSidSubAuthorityCount(sid)), cb);
        ck_assert(IsValidSid(sid));
        char *text;
        ck_assert(ConvertSidToStringSidA(sid, &text));
        ck_assert_msg(!strcmp(text, windows_sids[i].sid), "type %d: %s", i, text);
        LocalFree(text);
        ck_assert_msg(IsWellKnownSid(sid, (WELL_KNOWN_SID_TYPE)i), "type %d", i);
        if (!windows_sids[i].with_domain) { /* a domain given to a fixed SID changes nothing */
            BYTE again[SECURITY_MAX_SID_SIZE];
            DWORD cb2 = sizeof again;
            ck_assert(CreateWellKnownSid((WELL_KNOWN_SID_TYPE)i, domain, again, &cb2));
            ck_assert_uint_eq(cb2, cb);
            ck_assert(!memcmp(again, sid, cb));
        }
    }
    FreeSid(domain);
}
END_TEST

START_TEST(create_well_known_sid_without_a_domain_uses_the_local_account_domain)
{
    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD cb = sizeof sid;
    ck_assert(CreateWellKnownSid(WinAccountDomainAdminsSid, NULL, sid, &cb));
    ck_assert_sid_text(sid, DOMAIN_SID "-512");
    ck_assert(IsWellKnownSid(sid, WinAccountDomainAdminsSid));
    ck_assert(!IsWellKnownSid(sid, WinAccountDomainUsersSid));
    ck_assert(!IsWellKnownSid(sid, WinBuiltinAdministratorsSid));
    BYTE bad[8] = {9, 0};
    cb = sizeof sid;
    ck_assert(!CreateWellKnownSid(WinAccountDomainAdminsSid, bad, sid, &cb));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(initialize_sid_sets_the_header_and_leaves_the_sub_authorities)
{
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    BYTE sid[SECURITY_MAX_SID_SIZE];
    memset(sid, 0xcc, sizeof sid);
    ck_assert(InitializeSid(sid, &nt, 2));
    ck_assert_uint_eq(sid[0], 1);
    ck_assert_uint_eq(*GetSidSubAuthorityCount(sid), 2);
    ck_assert_uint_eq(GetSidIdentifierAuthority(sid)->Value[5], 5);
    ck_assert_uint_eq(*GetSidSubAuthority(sid, 0), 0xccccccccu);
    *GetSidSubAuthority(sid, 0) = SECURITY_BUILTIN_DOMAIN_RID;
    *GetSidSubAuthority(sid, 1) = DOMAIN_ALIAS_RID_ADMINS;
    ck_assert_sid_text(sid, "S-1-5-32-544");
    ck_assert(!InitializeSid(sid, &nt, 16));
    ck_assert_uint_eq(GetSidLengthRequired(0), 8);
    ck_assert_uint_eq(GetSidLengthRequired(15), 68);
}
END_TEST

START_TEST(get_windows_account_domain_sid_answers_as_windows)
{
    PSID user = sid_of(DOMAIN_SID "-1104");
    BYTE domain[SECURITY_MAX_SID_SIZE];
    DWORD size;
    SetLastError(0xdeadbeef);
    ck_assert(!GetWindowsAccountDomainSid(NULL, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_SID);
    SetLastError(0xdeadbeef);
    ck_assert(!GetWindowsAccountDomainSid(user, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    size = SECURITY_MAX_SID_SIZE;
    SetLastError(0xdeadbeef);
    ck_assert(!GetWindowsAccountDomainSid(user, NULL, &size));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(size, GetSidLengthRequired(4));
    ck_assert(!GetWindowsAccountDomainSid(user, domain, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    size = 1;
    ck_assert(!GetWindowsAccountDomainSid(user, domain, &size));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(size, GetSidLengthRequired(4));
    size = SECURITY_MAX_SID_SIZE;
    ck_assert(GetWindowsAccountDomainSid(user, domain, &size));
    ck_assert_uint_eq(size, GetSidLengthRequired(4));
    ck_assert_sid_text(domain, DOMAIN_SID);
    PSID system = sid_of("SY");
    size = SECURITY_MAX_SID_SIZE;
    ck_assert(!GetWindowsAccountDomainSid(system, domain, &size));
    ck_assert_last_error(ERROR_INVALID_SID); /* fewer than four sub-authorities */
    PSID other = sid_of("S-1-5-32-544-1-2-3");
    ck_assert(!GetWindowsAccountDomainSid(other, domain, &size));
    ck_assert_last_error(ERROR_NON_ACCOUNT_SID);
    LocalFree(user);
    LocalFree(system);
    LocalFree(other);
}
END_TEST

START_TEST(equal_domain_sid_compares_account_domains_and_builtin)
{
    PSID alice = sid_of(DOMAIN_SID "-1104"), admins = sid_of("DA"), foreign = sid_of("S-1-5-21-1-2-3-500"),
         builtin_users = sid_of("BU"), builtin_admins = sid_of("BA"), world = sid_of("WD");
    BOOL equal = 7;
    SetLastError(0xdeadbeef);
    ck_assert(EqualDomainSid(alice, admins, &equal));
    ck_assert_int_eq(equal, TRUE);
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert(EqualDomainSid(alice, foreign, &equal));
    ck_assert_int_eq(equal, FALSE);
    ck_assert(EqualDomainSid(builtin_users, builtin_admins, &equal));
    ck_assert_int_eq(equal, TRUE);
    ck_assert(EqualDomainSid(alice, world, &equal));
    ck_assert_int_eq(equal, FALSE);
    ck_assert(!EqualDomainSid(world, alice, &equal));
    ck_assert_last_error(ERROR_NON_DOMAIN_SID);
    ck_assert(!EqualDomainSid(alice, admins, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    BYTE bad[8] = {9, 0};
    ck_assert(!EqualDomainSid(bad, admins, &equal));
    ck_assert_last_error(ERROR_INVALID_SID);
    /* S-1-5 with no sub-authority, in a block of exactly its 8 bytes: no sub-authority is read past it
     * (ASan and valgrind see the block's end). */
    PSID authority_only = malloc(8);
    static const BYTE nt_authority[8] = {1, 0, 0, 0, 0, 0, 0, 5};
    memcpy(authority_only, nt_authority, 8);
    ck_assert(EqualDomainSid(alice, authority_only, &equal));
    ck_assert_int_eq(equal, FALSE);
    ck_assert(!EqualDomainSid(authority_only, alice, &equal));
    ck_assert_last_error(ERROR_NON_DOMAIN_SID);
    free(authority_only);
    LocalFree(alice);
    LocalFree(admins);
    LocalFree(foreign);
    LocalFree(builtin_users);
    LocalFree(builtin_admins);
    LocalFree(world);
}
END_TEST

START_TEST(equal_prefix_sid_ignores_the_last_sub_authority)
{
    /* Windows' test: the token's primary group and its user share a prefix (one domain). */
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    BYTE user[128], group[128];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenUser, user, sizeof user, &n));
    ck_assert(GetTokenInformation(token, TokenPrimaryGroup, group, sizeof group, &n));
    ck_assert(EqualPrefixSid(((TOKEN_PRIMARY_GROUP *)group)->PrimaryGroup, ((TOKEN_USER *)user)->User.Sid));
    CloseHandle(token);
    PSID a = sid_of("S-1-5-32-544"), b = sid_of("S-1-5-32-545"), c = sid_of("S-1-5-21-1-2-3-545");
    ck_assert(EqualPrefixSid(a, b));
    ck_assert(!EqualPrefixSid(a, c));
    BYTE bad[8] = {9, 0};
    ck_assert(!EqualPrefixSid(a, bad));
    LocalFree(a);
    LocalFree(b);
    LocalFree(c);
}
END_TEST

/* ---- issue 12: privileges, LUIDs and the calls that change a token ---- */

START_TEST(lookup_privilege_value_answers_as_windows)
{
    static const struct {
        const char *name;
        DWORD low;
    } privs[] = {{"SeCreateTokenPrivilege", 2}, {"SeAssignPrimaryTokenPrivilege", 3}, {"SeTcbPrivilege", 7},
                 {"SeSecurityPrivilege", 8},    {"SeBackupPrivilege", 17},            {"SeRestorePrivilege", 18},
                 {"SeShutdownPrivilege", 19},   {"SeDebugPrivilege", 20},             {"SeChangeNotifyPrivilege", 23},
                 {"SeImpersonatePrivilege", 29}, {"SeCreateGlobalPrivilege", 30}};
    LUID luid = {0xdeadbeef, (LONG)0xdeadbeef};
    SetLastError(0xdeadbeef);
    ck_assert(!LookupPrivilegeValueA("b0gu5.Nam3", "SeCreateTokenPrivilege", &luid));
    ck_assert_last_error(RPC_S_SERVER_UNAVAILABLE);
    ck_assert(!LookupPrivilegeValueA(NULL, NULL, &luid));
    ck_assert_last_error(ERROR_NO_SUCH_PRIVILEGE);
    ck_assert(!LookupPrivilegeValueA(NULL, "SeBogusPrivilege", &luid));
    ck_assert_last_error(ERROR_NO_SUCH_PRIVILEGE);
    ck_assert_uint_eq(luid.LowPart, 0xdeadbeef);
    ck_assert(LookupPrivilegeValueA(NULL, "sEcREATEtOKENpRIVILEGE", &luid));
    ck_assert_uint_eq(luid.LowPart, SE_CREATE_TOKEN_PRIVILEGE_LUID);
    ck_assert_int_eq(luid.HighPart, 0);
    for (size_t i = 0; i < sizeof privs / sizeof *privs; i++) {
        ck_assert_msg(LookupPrivilegeValueA(NULL, privs[i].name, &luid), "%s", privs[i].name);
        ck_assert_uint_eq(luid.LowPart, privs[i].low);
    }
    ck_assert(LookupPrivilegeValueW(NULL, u"SeShutdownPrivilege", &luid));
    ck_assert_uint_eq(luid.LowPart, 19);
}
END_TEST

START_TEST(lookup_privilege_name_uses_the_size_protocol)
{
    LUID luid = {SE_CREATE_TOKEN_PRIVILEGE_LUID, 0};
    char buf[MAX_PATH];
    DWORD cch = 0;
    SetLastError(0xdeadbeef);
    ck_assert(!LookupPrivilegeNameA(NULL, &luid, NULL, &cch));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(cch, strlen("SeCreateTokenPrivilege") + 1);
    cch = sizeof buf;
    ck_assert(LookupPrivilegeNameA(NULL, &luid, buf, &cch));
    ck_assert_uint_eq(cch, strlen("SeCreateTokenPrivilege"));
    ck_assert_str_eq(buf, "SeCreateTokenPrivilege");
    for (DWORD i = 2; i <= 30; i++) {
        luid.LowPart = i;
        cch = sizeof buf;
        ck_assert_msg(LookupPrivilegeNameA(NULL, &luid, buf, &cch), "LUID %lu", (unsigned long)i);
        LUID back;
        ck_assert(LookupPrivilegeValueA(NULL, buf, &back));
        ck_assert_uint_eq(back.LowPart, i);
    }
    luid.LowPart = 0xdeadbeef;
    cch = sizeof buf;
    ck_assert(!LookupPrivilegeNameA(NULL, &luid, buf, &cch));
    ck_assert_last_error(ERROR_NO_SUCH_PRIVILEGE);
    luid.LowPart = SE_CREATE_TOKEN_PRIVILEGE_LUID;
    ck_assert(!LookupPrivilegeNameA("b0gu5.Nam3", &luid, buf, &cch));
    ck_assert_last_error(RPC_S_SERVER_UNAVAILABLE);
    WCHAR wide[64];
    cch = 64;
    luid.LowPart = 19;
    ck_assert(LookupPrivilegeNameW(NULL, &luid, wide, &cch));
    ck_assert(!memcmp(wide, u"SeShutdownPrivilege", 40));
    char display[128];
    DWORD language = 0xdeadbeef;
    cch = sizeof display;
    ck_assert(LookupPrivilegeDisplayNameA(NULL, SE_SHUTDOWN_NAME, display, &cch, &language));
    ck_assert_str_eq(display, "Shut down the system");
    ck_assert_uint_eq(cch, strlen("Shut down the system"));
    ck_assert_uint_eq(language, 0x0409);
}
END_TEST

START_TEST(allocate_locally_unique_id_is_fresh_and_follows_the_seed)
{
    LUID a, b;
    ck_assert(AllocateLocallyUniqueId(&a));
    ck_assert(AllocateLocallyUniqueId(&b));
    ck_assert(a.LowPart > 30 || a.HighPart != 0); /* never a well-known privilege LUID */
    ck_assert(a.LowPart != b.LowPart || a.HighPart != b.HighPart);
    SetLastError(0xdeadbeef);
    ck_assert(!AllocateLocallyUniqueId(NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    fakesspi_reset();
    LUID again;
    ck_assert(AllocateLocallyUniqueId(&again));
    fakesspi_reset();
    LUID third;
    ck_assert(AllocateLocallyUniqueId(&third));
    ck_assert_uint_eq(again.LowPart, third.LowPart); /* the same seed, the same LUIDs */
}
END_TEST

static DWORD privilege_attributes(HANDLE token, DWORD luid)
{
    BYTE buf[1024];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenPrivileges, buf, sizeof buf, &n));
    TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
    for (DWORD i = 0; i < tp->PrivilegeCount; i++)
        if (tp->Privileges[i].Luid.LowPart == luid)
            return tp->Privileges[i].Attributes;
    return 0xdeadbeef; /* not held */
}

START_TEST(adjust_token_privileges_enables_reports_and_restores)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token));
    ck_assert_uint_eq(privilege_attributes(token, 19), 0); /* SeShutdownPrivilege: held, disabled */
    TOKEN_PRIVILEGES on = {1, {{{19, 0}, SE_PRIVILEGE_ENABLED}}};
    TOKEN_PRIVILEGES previous;
    memset(&previous, 0xcc, sizeof previous);
    DWORD len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(AdjustTokenPrivileges(token, FALSE, &on, sizeof previous, &previous, &len));
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert_uint_eq(len, sizeof(TOKEN_PRIVILEGES));
    ck_assert_uint_eq(previous.PrivilegeCount, 1);
    ck_assert_uint_eq(previous.Privileges[0].Luid.LowPart, 19);
    ck_assert_uint_eq(previous.Privileges[0].Attributes, 0);
    ck_assert_uint_eq(privilege_attributes(token, 19), SE_PRIVILEGE_ENABLED);
    /* Enabling it again changes nothing: an empty previous state. */
    ck_assert(AdjustTokenPrivileges(token, FALSE, &on, sizeof previous, &previous, &len));
    ck_assert_uint_eq(previous.PrivilegeCount, 0);
    ck_assert_uint_eq(len, sizeof(DWORD));
    /* The previous state given back restores it. */
    TOKEN_PRIVILEGES restore = {1, {{{19, 0}, 0}}};
    ck_assert(AdjustTokenPrivileges(token, FALSE, &restore, 0, NULL, NULL));
    ck_assert_uint_eq(privilege_attributes(token, 19), 0);
    /* A privilege the token lacks: TRUE with ERROR_NOT_ALL_ASSIGNED; the others still change. */
    struct {
        DWORD count;
        LUID_AND_ATTRIBUTES p[2];
    } two = {2, {{{20, 0}, SE_PRIVILEGE_ENABLED}, {{19, 0}, SE_PRIVILEGE_ENABLED}}};
    SetLastError(0xdeadbeef);
    ck_assert(AdjustTokenPrivileges(token, FALSE, (PTOKEN_PRIVILEGES)&two, 0, NULL, NULL));
    ck_assert_last_error(ERROR_NOT_ALL_ASSIGNED);
    ck_assert_uint_eq(privilege_attributes(token, 19), SE_PRIVILEGE_ENABLED);
    ck_assert_uint_eq(privilege_attributes(token, 20), 0xdeadbeef);
    CloseHandle(token);
}
END_TEST

START_TEST(adjust_token_privileges_with_a_short_previous_state_changes_nothing)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token));
    TOKEN_PRIVILEGES on = {1, {{{19, 0}, SE_PRIVILEGE_ENABLED}}};
    TOKEN_PRIVILEGES previous;
    DWORD len = 0;
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenPrivileges(token, FALSE, &on, sizeof(DWORD), &previous, &len));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(len, sizeof(TOKEN_PRIVILEGES));
    ck_assert_uint_eq(privilege_attributes(token, 19), 0);
    /* Disabling all: SeChangeNotifyPrivilege, enabled by default, goes off too. */
    ck_assert_uint_eq(privilege_attributes(token, 23), SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ck_assert(AdjustTokenPrivileges(token, TRUE, NULL, 0, NULL, NULL));
    ck_assert_uint_eq(privilege_attributes(token, 23), SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    /* Removing one takes it out of the token. */
    TOKEN_PRIVILEGES removed = {1, {{{19, 0}, SE_PRIVILEGE_REMOVED}}};
    ck_assert(AdjustTokenPrivileges(token, FALSE, &removed, 0, NULL, NULL));
    ck_assert_uint_eq(privilege_attributes(token, 19), 0xdeadbeef);
    ck_assert(!AdjustTokenPrivileges(token, FALSE, NULL, 0, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    HANDLE query_only;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &query_only));
    ck_assert(!AdjustTokenPrivileges(query_only, FALSE, &on, 0, NULL, NULL));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    CloseHandle(query_only);
    CloseHandle(token);
}
END_TEST

START_TEST(privilege_check_needs_an_impersonation_token_and_enabled_privileges)
{
    HANDLE process, impersonation;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateToken(process, SecurityImpersonation, &impersonation));
    PRIVILEGE_SET set = {1, PRIVILEGE_SET_ALL_NECESSARY, {{{23, 0}, 0}}};
    BOOL result = 0xdeadbeef;
    ck_assert(PrivilegeCheck(impersonation, &set, &result));
    ck_assert_int_eq(result, TRUE);
    ck_assert_uint_eq(set.Privilege[0].Attributes, SE_PRIVILEGE_USED_FOR_ACCESS);
    PRIVILEGE_SET shutdown = {1, PRIVILEGE_SET_ALL_NECESSARY, {{{19, 0}, 0}}};
    ck_assert(PrivilegeCheck(impersonation, &shutdown, &result));
    ck_assert_int_eq(result, FALSE);
    ck_assert_uint_eq(shutdown.Privilege[0].Attributes, 0);
    SetLastError(0xdeadbeef);
    ck_assert(!PrivilegeCheck(process, &set, &result));
    ck_assert_last_error(ERROR_NO_IMPERSONATION_TOKEN);
    CloseHandle(impersonation);
    CloseHandle(process);
}
END_TEST

START_TEST(set_token_information_default_dacl_as_windows)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_ADJUST_DEFAULT, &token));
    DWORD size = 0;
    ck_assert(!GetTokenInformation(token, TokenDefaultDacl, NULL, 0, &size));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    TOKEN_DEFAULT_DACL *dacl = malloc(size);
    ck_assert(GetTokenInformation(token, TokenDefaultDacl, dacl, size, &size));
    SetLastError(0xdeadbeef);
    ck_assert(!SetTokenInformation(token, TokenDefaultDacl, NULL, 0));
    ck_assert_last_error(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    ck_assert(!SetTokenInformation(token, TokenDefaultDacl, NULL, size));
    ck_assert_last_error(ERROR_NOACCESS);
    ACL *acl = dacl->DefaultDacl;
    dacl->DefaultDacl = NULL;
    ck_assert(SetTokenInformation(token, TokenDefaultDacl, dacl, size));
    DWORD size2 = 0;
    dacl->DefaultDacl = (ACL *)0xdeadbeef;
    ck_assert(GetTokenInformation(token, TokenDefaultDacl, dacl, size, &size2));
    ck_assert_ptr_null(dacl->DefaultDacl);
    ck_assert_uint_eq(size2, sizeof(TOKEN_DEFAULT_DACL));
    dacl->DefaultDacl = acl;
    ck_assert(SetTokenInformation(token, TokenDefaultDacl, dacl, size));
    ck_assert(GetTokenInformation(token, TokenDefaultDacl, dacl, size, &size2));
    ck_assert_uint_eq(size2, size);
    ck_assert_uint_eq(dacl->DefaultDacl->AceCount, 2);
    /* An ACL that is not whole (AclSize 0 here) is refused, not believed: the size it states would be
     * handed back by GetTokenInformation. */
    ACL broken = *acl;
    broken.AclSize = 0;
    dacl->DefaultDacl = &broken;
    SetLastError(0xdeadbeef);
    ck_assert(!SetTokenInformation(token, TokenDefaultDacl, dacl, size));
    ck_assert_last_error(ERROR_INVALID_ACL);
    dacl->DefaultDacl = acl;
    ck_assert(GetTokenInformation(token, TokenDefaultDacl, dacl, size, &size2));
    ck_assert_uint_eq(dacl->DefaultDacl->AceCount, 2);
    free(dacl);
    CloseHandle(token);
}
END_TEST

START_TEST(set_token_information_owner_group_and_session_as_windows)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_ADJUST_DEFAULT | TOKEN_ADJUST_SESSIONID,
                               &token));
    PSID engineering = sid_of(DOMAIN_SID "-1200"), admins = sid_of("BA"), alice = sid_of(DOMAIN_SID "-1104");
    TOKEN_PRIMARY_GROUP group = {engineering};
    ck_assert(SetTokenInformation(token, TokenPrimaryGroup, &group, sizeof group));
    BYTE buf[128];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenPrimaryGroup, buf, sizeof buf, &n));
    ck_assert(EqualSid(((TOKEN_PRIMARY_GROUP *)buf)->PrimaryGroup, engineering));
    group.PrimaryGroup = admins;
    SetLastError(0xdeadbeef);
    ck_assert(!SetTokenInformation(token, TokenPrimaryGroup, &group, sizeof group));
    ck_assert_last_error(ERROR_INVALID_PRIMARY_GROUP);
    TOKEN_OWNER owner = {alice};
    ck_assert(SetTokenInformation(token, TokenOwner, &owner, sizeof owner));
    owner.Owner = admins;
    ck_assert(!SetTokenInformation(token, TokenOwner, &owner, sizeof owner));
    ck_assert_last_error(ERROR_INVALID_OWNER);
    DWORD session = 2;
    SetLastError(0xdeadbeef);
    ck_assert(!SetTokenInformation(token, TokenSessionId, &session, sizeof session)); /* needs SeTcbPrivilege */
    ck_assert_last_error(ERROR_PRIVILEGE_NOT_HELD);
    TOKEN_USER user = {{alice, 0}};
    ck_assert(!SetTokenInformation(token, TokenUser, &user, sizeof user));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    HANDLE query_only;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &query_only));
    owner.Owner = alice;
    ck_assert(!SetTokenInformation(query_only, TokenOwner, &owner, sizeof owner));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    CloseHandle(query_only);
    CloseHandle(token);
    LocalFree(engineering);
    LocalFree(admins);
    LocalFree(alice);
}
END_TEST

START_TEST(impersonate_self_gives_the_thread_a_token_at_the_level_asked)
{
    HANDLE token = (HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token));
    ck_assert_last_error(ERROR_NO_TOKEN);
    ck_assert(ImpersonateSelf(SecurityIdentification));
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token));
    DWORD level = 0xdeadbeef, n;
    ck_assert(GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof level, &n));
    ck_assert_uint_eq(level, SecurityIdentification);
    ck_assert(RevertToSelf());
    CloseHandle(token);
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token));
    ck_assert_last_error(ERROR_NO_TOKEN);
}
END_TEST

START_TEST(set_thread_token_sets_and_clears_the_thread_token)
{
    HANDLE process, impersonation, seen;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateToken(process, SecurityImpersonation, &impersonation));
    ck_assert(SetThreadToken(NULL, impersonation));
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &seen));
    CloseHandle(seen);
    ck_assert(SetThreadToken(NULL, NULL));
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &seen));
    ck_assert_last_error(ERROR_NO_TOKEN);
    HANDLE thread = GetCurrentThread();
    ck_assert(SetThreadToken(&thread, impersonation));
    ck_assert(RevertToSelf());
    HANDLE primary;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_IMPERSONATE | TOKEN_QUERY, &primary));
    SetLastError(0xdeadbeef);
    ck_assert(!SetThreadToken(NULL, primary));
    ck_assert_last_error(ERROR_BAD_TOKEN_TYPE);
    CloseHandle(primary);
    CloseHandle(impersonation);
    CloseHandle(process);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("advapi_security");
    TCase *tc = test_case("issue13");
    tcase_add_test(tc, check_token_membership_on_a_primary_token_fails_and_clears_is_member);
    tcase_add_test(tc, lookup_account_name_without_a_name_gives_the_account_domain);
    tcase_add_test(tc, lookup_account_name_checks_the_system_before_the_name);
    tcase_add_test(tc, lookup_account_sid_takes_null_buffers_with_large_sizes);
    tcase_add_test(tc, convert_string_sid_to_sid_takes_every_alias_in_any_case);
    tcase_add_test(tc, convert_string_sid_to_sid_refuses_what_windows_refuses);
    tcase_add_test(tc, sid_accessors_do_not_validate_and_set_error_success);
    tcase_add_test(tc, equal_sid_sets_error_success_even_for_an_invalid_sid);
    tcase_add_test(tc, get_user_name_ex_name_unknown_is_no_such_user);
    suite_add_tcase(s, tc);
    tc = test_case("well_known");
    tcase_add_test(tc, create_well_known_sid_uses_the_two_call_protocol);
    tcase_add_test(tc, create_well_known_sid_makes_windows_sids_for_every_type);
    tcase_add_test(tc, create_well_known_sid_without_a_domain_uses_the_local_account_domain);
    tcase_add_test(tc, initialize_sid_sets_the_header_and_leaves_the_sub_authorities);
    tcase_add_test(tc, get_windows_account_domain_sid_answers_as_windows);
    tcase_add_test(tc, equal_domain_sid_compares_account_domains_and_builtin);
    tcase_add_test(tc, equal_prefix_sid_ignores_the_last_sub_authority);
    suite_add_tcase(s, tc);
    tc = test_case("privileges");
    tcase_add_test(tc, lookup_privilege_value_answers_as_windows);
    tcase_add_test(tc, lookup_privilege_name_uses_the_size_protocol);
    tcase_add_test(tc, allocate_locally_unique_id_is_fresh_and_follows_the_seed);
    tcase_add_test(tc, adjust_token_privileges_enables_reports_and_restores);
    tcase_add_test(tc, adjust_token_privileges_with_a_short_previous_state_changes_nothing);
    tcase_add_test(tc, privilege_check_needs_an_impersonation_token_and_enabled_privileges);
    tcase_add_test(tc, set_token_information_default_dacl_as_windows);
    tcase_add_test(tc, set_token_information_owner_group_and_session_as_windows);
    tcase_add_test(tc, impersonate_self_gives_the_thread_a_token_at_the_level_asked);
    tcase_add_test(tc, set_thread_token_sets_and_clears_the_thread_token);
    suite_add_tcase(s, tc);
    return test_run(s);
}
