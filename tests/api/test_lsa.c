/* The LSA functions of ntsecapi.h: logon processes, packages and LsaLogonUser, policy handles and the name/SID
 * lookups (doc/semantics.md §44), and LsaNtStatusToWinError (doc/semantics.md §38). */
#include "testutil.h"
#include "lsa_test_strings.h"

#include "ntsecapi.h"
#include "ntstatus.h"
#include "sddl.h"
#include "security.h"

#define ALICE_SID "S-1-5-21-1000000001-2000000002-3000000003-1104"
#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"

/* LSA_STRING of a literal, as callers write it (Length without the NUL). */
static LSA_STRING lsa_string(const char *text)
{
    LSA_STRING s = {(USHORT)strlen(text), (USHORT)(strlen(text) + 1), (PCHAR)text};
    return s;
}

static const char *sid_text(PSID sid)
{
    static char text[4][128];
    static int next;
    char *out = text[next++ % 4];
    LPSTR s;
    ck_assert(ConvertSidToStringSidA(sid, &s));
    snprintf(out, 128, "%s", s);
    LocalFree(s);
    return out;
}

/* One contiguous logon submission: the structure, then its strings, as MSDN requires. */
struct submission {
    union {
        MSV1_0_INTERACTIVE_LOGON interactive;
        KERB_S4U_LOGON s4u;
        BYTE bytes[1024];
    } u;
    ULONG size;
};

static void put(struct submission *s, UNICODE_STRING *field, const WCHAR *text)
{
    size_t bytes = wlen(text) * 2;
    field->Buffer = (PWSTR)(s->u.bytes + s->size);
    field->Length = (USHORT)bytes;
    field->MaximumLength = (USHORT)bytes;
    memcpy(s->u.bytes + s->size, text, bytes);
    s->size += (ULONG)(bytes + sizeof(WCHAR)); /* a NUL after each, as callers leave one */
}

static struct submission *interactive(ULONG type, const WCHAR *domain, const WCHAR *user, const WCHAR *password)
{
    static struct submission s;
    memset(&s, 0, sizeof s);
    s.u.interactive.MessageType = (MSV1_0_LOGON_SUBMIT_TYPE)type;
    s.size = sizeof s.u.interactive;
    put(&s, &s.u.interactive.LogonDomainName, domain);
    put(&s, &s.u.interactive.UserName, user);
    put(&s, &s.u.interactive.Password, password);
    return &s;
}

static struct submission *s4u(const WCHAR *upn, const WCHAR *realm, ULONG flags)
{
    static struct submission s;
    memset(&s, 0, sizeof s);
    s.u.s4u.MessageType = KerbS4ULogon;
    s.u.s4u.Flags = flags;
    s.size = sizeof s.u.s4u;
    put(&s, &s.u.s4u.ClientUpn, upn);
    put(&s, &s.u.s4u.ClientRealm, realm);
    return &s;
}

static TOKEN_SOURCE source(void)
{
    TOKEN_SOURCE src = {{'U', 's', 'e', 'r', '3', '2', ' ', ' '}, {0x1234, 0x5}};
    return src;
}

struct logon {
    NTSTATUS status, sub;
    PVOID profile;
    ULONG profile_length;
    LUID luid;
    HANDLE token;
    QUOTA_LIMITS quotas;
};

/* LsaLogonUser with every out-parameter pre-filled with the sentinel. */
static struct logon logon_with(HANDLE lsa, ULONG package, SECURITY_LOGON_TYPE type, const struct submission *s,
                               PTOKEN_GROUPS groups)
{
    struct logon l;
    SENTINEL(l);
    LSA_STRING origin = lsa_string("test_lsa");
    TOKEN_SOURCE src = source();
    l.status = LsaLogonUser(lsa, &origin, type, package, (PVOID)s->u.bytes, s->size, groups, &src, &l.profile,
                            &l.profile_length, &l.luid, &l.token, &l.quotas, &l.sub);
    return l;
}

static void assert_failed_untouched(const struct logon *l)
{
    ck_assert_untouched(l->profile);
    ck_assert_untouched(l->profile_length);
    ck_assert_untouched(l->luid);
    ck_assert_untouched(l->token);
    ck_assert_untouched(l->quotas);
}

static HANDLE untrusted(void)
{
    HANDLE h = NULL;
    ck_assert_nt(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    ck_assert_ptr_nonnull(h);
    return h;
}

/* A domain whose svc_logon holds SeTcbPrivilege (disabled, as a service account's token has it until enabled). */
static const char tcb_domain[] = "[domain]\n"
                                 "netbios = EXAMPLE\n"
                                 "dns = example.test\n"
                                 "sid = " DOMAIN_SID "\n"
                                 "computer = SERVER\n"
                                 "[group Domain Users]\n"
                                 "rid = 513\n"
                                 "[user alice]\n"
                                 "rid = 1104\n"
                                 "password = Passw0rd!\n"
                                 "display = Alice Liddell\n"
                                 "[user svc_logon]\n"
                                 "rid = 1300\n"
                                 "password = L0gon!svc\n"
                                 "privileges = SeTcbPrivilege, SeChangeNotifyPrivilege\n";

static void run_as_tcb_holder(int enable)
{
    ck_assert_int_eq(fakesspi_load_domain_text(tcb_domain, "tcb"), 0);
    ck_assert_int_eq(fakesspi_set_process_user("svc_logon"), 0);
    if (!enable)
        return;
    HANDLE self;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &self));
    TOKEN_PRIVILEGES tp = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
    ck_assert(LookupPrivilegeValueA(NULL, "SeTcbPrivilege", &tp.Privileges[0].Luid));
    ck_assert(AdjustTokenPrivileges(self, FALSE, &tp, 0, NULL, NULL));
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert(CloseHandle(self));
}

static HANDLE trusted(void)
{
    run_as_tcb_holder(1);
    LSA_STRING name = lsa_string("test_lsa logon process");
    HANDLE h = NULL;
    LSA_OPERATIONAL_MODE mode = 0xdeadbeef;
    ck_assert_nt(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_SUCCESS);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(mode, 0);
    return h;
}

static void token_info(HANDLE token, TOKEN_INFORMATION_CLASS cls, void *buf, DWORD size)
{
    DWORD needed = 0;
    ck_assert_msg(GetTokenInformation(token, cls, buf, size, &needed), "class %d: error %lu", (int)cls,
                  (unsigned long)GetLastError());
}

static int token_has_group(HANDLE token, const char *sid)
{
    union {
        TOKEN_GROUPS groups;
        BYTE bytes[4096];
    } u;
    token_info(token, TokenGroups, &u, sizeof u);
    const SID_AND_ATTRIBUTES *group = u.groups.Groups; /* GroupCount of them: past ANYSIZE_ARRAY's 1 */
    for (DWORD i = 0; i < u.groups.GroupCount; i++)
        if (!strcmp(sid_text(group[i].Sid), sid))
            return 1;
    return 0;
}

/* LsaNtStatusToWinError (doc/semantics.md §38). */

START_TEST(lsa_status_maps_to_windows_win32_errors)
{
    static const struct {
        NTSTATUS status;
        ULONG error;
    } cases[] = {
        {STATUS_SUCCESS, 0},
        {STATUS_ACCESS_DENIED, 5},
        {STATUS_INVALID_HANDLE, 6},
        {STATUS_NO_MEMORY, 8},
        {STATUS_INVALID_PARAMETER, 87},
        {STATUS_WRONG_PASSWORD, 86},
        {STATUS_BUFFER_TOO_SMALL, 122},
        {STATUS_MORE_ENTRIES, 234},
        {STATUS_NO_MORE_ENTRIES, 259},
        {STATUS_SOME_NOT_MAPPED, 1301},
        {STATUS_NO_SUCH_LOGON_SESSION, 1312},
        {STATUS_PRIVILEGE_NOT_HELD, 1314},
        {STATUS_NO_SUCH_USER, 1317},
        {STATUS_LOGON_FAILURE, 1326},
        {STATUS_ACCOUNT_RESTRICTION, 1327},
        {STATUS_ACCOUNT_DISABLED, 1331},
        {STATUS_NONE_MAPPED, 1332},
        {STATUS_NO_SUCH_DOMAIN, 1355},
        {STATUS_NOT_LOGON_PROCESS, 1362},
        {STATUS_NO_SUCH_PACKAGE, 1364},
        {STATUS_INVALID_LOGON_TYPE, 1367},
        {STATUS_LOGON_TYPE_NOT_GRANTED, 1385},
        {STATUS_TIME_DIFFERENCE_AT_DC, 1398},
        {STATUS_INSUFFICIENT_RESOURCES, 1450},
        {STATUS_ACCOUNT_EXPIRED, 1793},
        {STATUS_PORT_CONNECTION_REFUSED, 5},
        {STATUS_NAME_TOO_LONG, 206},
        {STATUS_BAD_VALIDATION_CLASS, 1348},
        {STATUS_TOO_MANY_NAMES, 68},
        {RPC_NT_SERVER_UNAVAILABLE, 1722},
        {STATUS_ACCESS_VIOLATION, 998},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(LsaNtStatusToWinError(cases[i].status) == cases[i].error, "0x%08x gave %u, want %u",
                      (unsigned)cases[i].status, (unsigned)LsaNtStatusToWinError(cases[i].status),
                      (unsigned)cases[i].error);
}
END_TEST

START_TEST(a_status_without_a_win32_error_is_mr_mid_not_found)
{
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(LsaNtStatusToWinError((NTSTATUS)0xC0DEC0DE), ERROR_MR_MID_NOT_FOUND);
    ck_assert_last_error(0xdeadbeef); /* the answer is the result, not the last error */
}
END_TEST

/* Connections. */

START_TEST(an_untrusted_connection_is_handed_out_and_deregistered)
{
    HANDLE h = untrusted();
    ck_assert_uint_eq((uintptr_t)h % 4, 0);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
    ck_assert_int_eq(test_reports, 0);
}
END_TEST

START_TEST(connecting_with_no_place_for_the_handle_is_invalid_parameter)
{
    ck_assert_nt(LsaConnectUntrusted(NULL), STATUS_INVALID_PARAMETER);
}
END_TEST

START_TEST(a_connection_left_open_is_reported_as_a_leak)
{
    HANDLE h = untrusted();
    ck_assert_uint_eq(fakesspi_check_leaks(), 1);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(deregistering_twice_is_invalid_handle_and_a_double_close)
{
    HANDLE h = untrusted();
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
}
END_TEST

START_TEST(deregistering_null_is_invalid_handle_and_reported)
{
    ck_assert_nt(LsaDeregisterLogonProcess(NULL), STATUS_INVALID_HANDLE);
    ck_assert_misuse(INVALID_HANDLE, 1);
}
END_TEST

START_TEST(a_connection_is_not_a_policy_nor_a_kernel_handle)
{
    HANDLE h = untrusted();
    ck_assert_nt(LsaClose(h), STATUS_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 2);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS); /* still open: the wrong closes did nothing */
}
END_TEST

START_TEST(a_token_is_not_a_connection)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    LSA_STRING name = lsa_string(MSV1_0_PACKAGE_NAME);
    ULONG id = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(token, &name, &id), STATUS_INVALID_HANDLE);
    ck_assert_uint_eq(id, 0xdeadbeef);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert(CloseHandle(token));
}
END_TEST

START_TEST(registering_without_tcb_is_port_connection_refused)
{
    LSA_STRING name = lsa_string("User32LogonProcess");
    HANDLE h = (HANDLE)0xdeadbeef;
    LSA_OPERATIONAL_MODE mode = 0xdeadbeef;
    ck_assert_nt(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_PORT_CONNECTION_REFUSED);
    ck_assert_ptr_eq(h, (HANDLE)0xdeadbeef);
    ck_assert_uint_eq(mode, 0xdeadbeef);
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_PORT_CONNECTION_REFUSED), ERROR_ACCESS_DENIED);
}
END_TEST

START_TEST(tcb_held_but_not_enabled_is_refused)
{
    run_as_tcb_holder(0);
    LSA_STRING name = lsa_string("User32LogonProcess");
    HANDLE h = (HANDLE)0xdeadbeef;
    LSA_OPERATIONAL_MODE mode;
    ck_assert_nt(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_PORT_CONNECTION_REFUSED);
    ck_assert_ptr_eq(h, (HANDLE)0xdeadbeef);
}
END_TEST

START_TEST(registering_with_tcb_enabled_succeeds)
{
    HANDLE h = trusted();
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_logon_process_name_over_127_bytes_is_name_too_long)
{
    run_as_tcb_holder(1);
    char text[129];
    memset(text, 'x', sizeof text - 1);
    text[128] = '\0';
    LSA_STRING name = lsa_string(text);
    HANDLE h = (HANDLE)0xdeadbeef;
    LSA_OPERATIONAL_MODE mode;
    ck_assert_nt(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_NAME_TOO_LONG);
    ck_assert_ptr_eq(h, (HANDLE)0xdeadbeef);
    text[127] = '\0';
    name = lsa_string(text);
    ck_assert_nt(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(registering_with_no_name_is_invalid_parameter)
{
    HANDLE h = (HANDLE)0xdeadbeef;
    LSA_OPERATIONAL_MODE mode;
    ck_assert_nt(LsaRegisterLogonProcess(NULL, &h, &mode), STATUS_INVALID_PARAMETER);
    ck_assert_ptr_eq(h, (HANDLE)0xdeadbeef);
}
END_TEST

/* Packages. */

START_TEST(the_packages_have_their_numbers)
{
    HANDLE h = untrusted();
    static const struct {
        const char *name;
        ULONG id;
    } cases[] = {{NEGOSSP_NAME_A, 0}, {MICROSOFT_KERBEROS_NAME_A, 1}, {MSV1_0_PACKAGE_NAME, 2},
                 {"kerberos", 1}, {"microsoft_authentication_package_v1_0", 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        LSA_STRING name = lsa_string(cases[i].name);
        ULONG id = 0xdeadbeef;
        ck_assert_nt(LsaLookupAuthenticationPackage(h, &name, &id), STATUS_SUCCESS);
        ck_assert_msg(id == cases[i].id, "%s is %u", cases[i].name, (unsigned)id);
    }
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_unknown_package_is_no_such_package)
{
    HANDLE h = untrusted();
    static const char *const names[] = {"NTLM", "Winetest", "Kerberos2", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        LSA_STRING name = lsa_string(names[i]);
        ULONG id = 0xdeadbeef;
        ck_assert_nt(LsaLookupAuthenticationPackage(h, &name, &id), STATUS_NO_SUCH_PACKAGE);
        ck_assert_uint_eq(id, 0xdeadbeef);
    }
    /* Names are at most 127 bytes: a longer one is STATUS_NAME_TOO_LONG, one within it unknown. */
    char long_name[200];
    memset(long_name, 'k', sizeof long_name);
    LSA_STRING too_long = {128, 200, long_name}, within = {127, 200, long_name};
    ULONG untouched = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(h, &too_long, &untouched), STATUS_NAME_TOO_LONG);
    ck_assert_nt(LsaLookupAuthenticationPackage(h, &within, &untouched), STATUS_NO_SUCH_PACKAGE);
    ck_assert_uint_eq(untouched, 0xdeadbeef);
    /* Counted, not NUL-terminated: "Kerberos" inside a longer buffer is found by its Length. */
    LSA_STRING cut = {8, 12, (PCHAR) "KerberosXYZ"};
    ULONG id = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(h, &cut, &id), STATUS_SUCCESS);
    ck_assert_uint_eq(id, 1);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

/* LsaLogonUser. */

START_TEST(an_msv1_0_interactive_logon_gives_alice_a_primary_token)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    ck_assert_nt(l.sub, STATUS_SUCCESS);
    union {
        TOKEN_USER user;
        BYTE bytes[256];
    } user;
    token_info(l.token, TokenUser, &user, sizeof user);
    ck_assert_str_eq(sid_text(user.user.User.Sid), ALICE_SID);
    TOKEN_TYPE type;
    token_info(l.token, TokenType, &type, sizeof type);
    ck_assert_int_eq(type, TokenPrimary);
    TOKEN_SOURCE src;
    token_info(l.token, TokenSource, &src, sizeof src);
    ck_assert(!memcmp(src.SourceName, "User32  ", 8));
    ck_assert_uint_eq(src.SourceIdentifier.LowPart, 0x1234);
    ck_assert_int_eq(src.SourceIdentifier.HighPart, 5);
    TOKEN_STATISTICS stats;
    token_info(l.token, TokenStatistics, &stats, sizeof stats);
    ck_assert_uint_eq(stats.AuthenticationId.LowPart, l.luid.LowPart);
    ck_assert_int_eq(stats.AuthenticationId.HighPart, l.luid.HighPart);
    ck_assert(token_has_group(l.token, "S-1-5-4"));        /* INTERACTIVE */
    ck_assert(!token_has_group(l.token, "S-1-18-1"));      /* MSV1_0 asserts no Kerberos authority */

    const MSV1_0_INTERACTIVE_PROFILE *p = l.profile;
    ck_assert_uint_ge(l.profile_length, sizeof *p);
    ck_assert_int_eq(p->MessageType, MsV1_0InteractiveProfile);
    ck_assert_str_eq(narrow(&p->FullName), "Alice Liddell");
    ck_assert_uint_eq(p->FullName.MaximumLength, p->FullName.Length + 2);
    ck_assert_str_eq(narrow(&p->LogonServer), "SERVER");
    ck_assert_uint_eq(p->HomeDirectory.Length, 0);
    ck_assert_ptr_nonnull(p->HomeDirectory.Buffer);
    ck_assert_int_eq(p->LogonTime.QuadPart, (LONGLONG)fakesspi_clock_now());
    ck_assert_int_eq(p->KickOffTime.QuadPart, 0x7FFFFFFFFFFFFFFFLL);
    ck_assert_int_eq(p->PasswordMustChange.QuadPart, 0x7FFFFFFFFFFFFFFFLL);
    QUOTA_LIMITS zero;
    memset(&zero, 0, sizeof zero);
    ck_assert(!memcmp(&l.quotas, &zero, sizeof zero));

    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
    ck_assert_int_eq(test_reports, 0);
}
END_TEST

START_TEST(a_wrong_password_is_logon_failure_with_sub_status_wrong_password)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"wrong"), NULL);
    ck_assert_nt(l.status, STATUS_LOGON_FAILURE);
    ck_assert_nt(l.sub, STATUS_WRONG_PASSWORD);
    assert_failed_untouched(&l);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_unknown_user_or_domain_is_logon_failure_with_sub_status_no_such_user)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"mallory",
                                                                  u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_LOGON_FAILURE);
    ck_assert_nt(l.sub, STATUS_NO_SUCH_USER);
    assert_failed_untouched(&l);
    l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"OTHER", u"alice", u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_LOGON_FAILURE);
    ck_assert_nt(l.sub, STATUS_NO_SUCH_USER);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_disabled_account_is_account_restriction_with_sub_status_account_disabled)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"krbtgt",
                                                                  u"Krbtgt!key-of-EXAMPLE"), NULL);
    ck_assert_nt(l.status, STATUS_ACCOUNT_RESTRICTION);
    ck_assert_nt(l.sub, STATUS_ACCOUNT_DISABLED);
    assert_failed_untouched(&l);
    /* The password first: a wrong one on a disabled account is a plain logon failure. */
    l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"krbtgt", u"wrong"), NULL);
    ck_assert_nt(l.status, STATUS_LOGON_FAILURE);
    ck_assert_nt(l.sub, STATUS_WRONG_PASSWORD);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_network_logon_gives_an_impersonation_token)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Network, interactive(MsV1_0InteractiveLogon, u"", u"alice@example.test",
                                                              u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    TOKEN_TYPE type;
    token_info(l.token, TokenType, &type, sizeof type);
    ck_assert_int_eq(type, TokenImpersonation);
    SECURITY_IMPERSONATION_LEVEL level;
    token_info(l.token, TokenImpersonationLevel, &level, sizeof level);
    ck_assert_int_eq(level, SecurityImpersonation);
    ck_assert(token_has_group(l.token, "S-1-5-2")); /* NETWORK */
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_kerberos_or_negotiate_logon_carries_the_authority_asserted_identity)
{
    HANDLE h = untrusted();
    for (ULONG package = 0; package <= 1; package++) {
        struct logon l = logon_with(h, package, Interactive,
                                    interactive(KerbInteractiveLogon, u"example.test", u"alice", u"Passw0rd!"), NULL);
        ck_assert_nt(l.status, STATUS_SUCCESS);
        ck_assert(token_has_group(l.token, "S-1-18-1"));
        ck_assert_int_eq(((KERB_INTERACTIVE_PROFILE *)l.profile)->MessageType, KerbInteractiveProfile);
        ck_assert(CloseHandle(l.token));
        ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    }
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_s4u_logon_without_tcb_gives_an_identification_token)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 1, Network, s4u(u"alice@example.test", u"", 0), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    TOKEN_TYPE type;
    token_info(l.token, TokenType, &type, sizeof type);
    ck_assert_int_eq(type, TokenImpersonation);
    SECURITY_IMPERSONATION_LEVEL level;
    token_info(l.token, TokenImpersonationLevel, &level, sizeof level);
    ck_assert_int_eq(level, SecurityIdentification);
    ck_assert(token_has_group(l.token, "S-1-18-2")); /* SERVICE_ASSERTED_IDENTITY */
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_s4u_logon_by_a_logon_process_gives_an_impersonation_token)
{
    HANDLE h = trusted();
    struct logon l = logon_with(h, 1, Network, s4u(u"alice", u"EXAMPLE.TEST", 0), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    SECURITY_IMPERSONATION_LEVEL level;
    token_info(l.token, TokenImpersonationLevel, &level, sizeof level);
    ck_assert_int_eq(level, SecurityImpersonation);
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    /* KERB_S4U_LOGON_FLAG_IDENTIFY asks for identification even so. */
    l = logon_with(h, 1, Network, s4u(u"alice", u"", KERB_S4U_LOGON_FLAG_IDENTIFY), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    token_info(l.token, TokenImpersonationLevel, &level, sizeof level);
    ck_assert_int_eq(level, SecurityIdentification);
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_s4u_logon_of_nobody_is_logon_failure_with_sub_status_no_such_user)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 1, Network, s4u(u"mallory@example.test", u"", 0), NULL);
    ck_assert_nt(l.status, STATUS_LOGON_FAILURE);
    ck_assert_nt(l.sub, STATUS_NO_SUCH_USER);
    assert_failed_untouched(&l);
    /* MSV1_0 does not take the Kerberos S4U submission. */
    l = logon_with(h, 2, Network, s4u(u"alice@example.test", u"", 0), NULL);
    ck_assert_nt(l.status, STATUS_NOT_SUPPORTED);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(local_groups_need_a_logon_process)
{
    PSID extra, other;
    ck_assert(ConvertStringSidToSidA("S-1-5-32-551", &extra)); /* Backup Operators */
    ck_assert(ConvertStringSidToSidA("S-1-5-32-550", &other)); /* Print Operators */
    union {
        TOKEN_GROUPS groups;
        BYTE bytes[sizeof(TOKEN_GROUPS) + sizeof(SID_AND_ATTRIBUTES)];
    } g;
    g.groups.GroupCount = 2;
    SID_AND_ATTRIBUTES *entry = g.groups.Groups;
    entry[0].Sid = extra;
    entry[0].Attributes = SE_GROUP_ENABLED;
    entry[1].Sid = other;
    entry[1].Attributes = SE_GROUP_ENABLED;
    PTOKEN_GROUPS groups = &g.groups;
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"Passw0rd!"), groups);
    ck_assert_nt(l.status, STATUS_PRIVILEGE_NOT_HELD);
    assert_failed_untouched(&l);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);

    h = trusted();
    l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!"),
                   groups);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    ck_assert(token_has_group(l.token, "S-1-5-32-551"));
    ck_assert(token_has_group(l.token, "S-1-5-32-550"));
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    /* A malformed SID among them. */
    BYTE garbage[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    entry[1].Sid = garbage;
    l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!"),
                   groups);
    ck_assert_nt(l.status, STATUS_INVALID_SID);
    assert_failed_untouched(&l);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    LocalFree(extra);
    LocalFree(other);
}
END_TEST

START_TEST(bad_submissions_have_their_statuses)
{
    HANDLE h = untrusted();
    struct submission *s = interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!");
    struct logon l = logon_with(h, 7, Interactive, s, NULL);
    ck_assert_nt(l.status, STATUS_NO_SUCH_PACKAGE);
    assert_failed_untouched(&l);
    ck_assert_nt(logon_with(h, 2, Proxy, s, NULL).status, STATUS_INVALID_LOGON_TYPE);
    ck_assert_nt(logon_with(h, 2, NewCredentials, s, NULL).status, STATUS_INVALID_LOGON_TYPE);
    s->u.interactive.MessageType = MsV1_0Lm20Logon;
    ck_assert_nt(logon_with(h, 2, Interactive, s, NULL).status, STATUS_NOT_SUPPORTED);
    s->u.interactive.MessageType = (MSV1_0_LOGON_SUBMIT_TYPE)99;
    ck_assert_nt(logon_with(h, 2, Interactive, s, NULL).status, STATUS_BAD_VALIDATION_CLASS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(strings_outside_the_submission_are_invalid_parameter)
{
    HANDLE h = untrusted();
    struct submission *s = interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!");
    static const WCHAR elsewhere[] = u"alice";
    s->u.interactive.UserName.Buffer = (PWSTR)elsewhere;
    struct logon l = logon_with(h, 2, Interactive, s, NULL);
    ck_assert_nt(l.status, STATUS_INVALID_PARAMETER);
    assert_failed_untouched(&l);
    /* A length past the end of the submission. */
    s = interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!");
    s->u.interactive.Password.Length = 1000;
    ck_assert_nt(logon_with(h, 2, Interactive, s, NULL).status, STATUS_INVALID_PARAMETER);
    /* A submission shorter than its structure. */
    s = interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice", u"Passw0rd!");
    s->size = sizeof(MSV1_0_INTERACTIVE_LOGON) - 1;
    ck_assert_nt(logon_with(h, 2, Interactive, s, NULL).status, STATUS_INVALID_PARAMETER);
    /* A NUL inside the user name does not cut it to "alice". */
    s = interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice\0evil", u"Passw0rd!");
    s->u.interactive.UserName.Length = 20;
    ck_assert_nt(logon_with(h, 2, Interactive, s, NULL).status, STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_logon_on_a_dead_connection_is_invalid_handle_and_leaves_everything_alone)
{
    HANDLE h = untrusted();
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_INVALID_HANDLE);
    ck_assert_untouched(l.sub);
    assert_failed_untouched(&l);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
}
END_TEST

START_TEST(a_logon_token_left_open_is_a_leak)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 2); /* the token handle and the profile buffer */
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaFreeReturnBuffer(l.profile), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* Frees. */

START_TEST(the_profile_freed_with_lsa_free_memory_is_a_wrong_free)
{
    HANDLE h = untrusted();
    struct logon l = logon_with(h, 2, Interactive, interactive(MsV1_0InteractiveLogon, u"EXAMPLE", u"alice",
                                                                  u"Passw0rd!"), NULL);
    ck_assert_nt(l.status, STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(l.profile), STATUS_SUCCESS); /* freed all the same, as one heap would */
    ck_assert_misuse(WRONG_FREE, 1);
    ck_assert(CloseHandle(l.token));
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(freeing_what_the_lsa_did_not_hand_out_is_invalid_handle_and_reported)
{
    ck_assert_nt(LsaFreeMemory(NULL), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(NULL), STATUS_SUCCESS);
    char mine[16];
    ck_assert_nt(LsaFreeMemory(mine), STATUS_INVALID_HANDLE);
    ck_assert_misuse(FOREIGN_FREE, 1);
    ck_assert_nt(LsaFreeReturnBuffer(mine), STATUS_INVALID_HANDLE);
    ck_assert_misuse(FOREIGN_FREE, 2);
}
END_TEST

/* Policy handles. */

static LSA_HANDLE open_policy(ACCESS_MASK access)
{
    LSA_OBJECT_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof attributes);
    attributes.Length = sizeof attributes;
    LSA_HANDLE h = NULL;
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, access, &h), STATUS_SUCCESS);
    ck_assert_ptr_nonnull(h);
    return h;
}

START_TEST(a_user_opens_the_policy_to_look_names_up_but_not_for_everything)
{
    LSA_HANDLE h = open_policy(POLICY_VIEW_LOCAL_INFORMATION | POLICY_LOOKUP_NAMES);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    h = open_policy(MAXIMUM_ALLOWED);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    LSA_OBJECT_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof attributes);
    h = (LSA_HANDLE)0xdeadbeef;
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, POLICY_ALL_ACCESS, &h), STATUS_ACCESS_DENIED);
    ck_assert_ptr_eq(h, (LSA_HANDLE)0xdeadbeef);
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, GENERIC_WRITE, &h), STATUS_ACCESS_DENIED);
}
END_TEST

START_TEST(an_administrator_opens_the_policy_for_everything)
{
    ck_assert_int_eq(fakesspi_set_process_user("Administrator"), 0);
    LSA_HANDLE h = open_policy(POLICY_ALL_ACCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
}
END_TEST

/* An administrator's token restricted to Everyone is no administrator's to the policy (MS-DTYP 2.5.3.2). */
START_TEST(a_restricted_administrator_opens_the_policy_as_a_user)
{
    ck_assert_int_eq(fakesspi_set_process_user("Administrator"), 0);
    HANDLE process, restricted;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    BYTE everyone[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof everyone;
    ck_assert(CreateWellKnownSid(WinWorldSid, NULL, everyone, &size));
    SID_AND_ATTRIBUTES restrict_to = {everyone, 0};
    ck_assert(CreateRestrictedToken(process, 0, 0, NULL, 0, NULL, 1, &restrict_to, &restricted));
    HANDLE impersonation;
    ck_assert(DuplicateToken(restricted, SecurityImpersonation, &impersonation));
    ck_assert(SetThreadToken(NULL, impersonation));
    LSA_OBJECT_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof attributes);
    LSA_HANDLE h = (LSA_HANDLE)0xdeadbeef;
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, POLICY_ALL_ACCESS, &h), STATUS_ACCESS_DENIED);
    ck_assert_ptr_eq(h, (LSA_HANDLE)0xdeadbeef);
    h = open_policy(MAXIMUM_ALLOWED);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert(RevertToSelf());
    h = open_policy(POLICY_ALL_ACCESS); /* the process's own token is still an administrator's */
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert(CloseHandle(impersonation));
    ck_assert(CloseHandle(restricted));
    ck_assert(CloseHandle(process));
}
END_TEST

START_TEST(opening_the_policy_needs_attributes_and_this_system)
{
    LSA_OBJECT_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof attributes);
    LSA_HANDLE h = (LSA_HANDLE)0xdeadbeef;
    ck_assert_nt(LsaOpenPolicy(NULL, NULL, POLICY_LOOKUP_NAMES, &h), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, POLICY_LOOKUP_NAMES, NULL), STATUS_INVALID_PARAMETER);
    LSA_UNICODE_STRING other = lsa_wide(u"otherhost");
    ck_assert_nt(LsaOpenPolicy(&other, &attributes, POLICY_LOOKUP_NAMES, &h), RPC_NT_SERVER_UNAVAILABLE);
    ck_assert_ptr_eq(h, (LSA_HANDLE)0xdeadbeef);
    LSA_UNICODE_STRING self = lsa_wide(u"\\\\SERVER");
    ck_assert_nt(LsaOpenPolicy(&self, &attributes, POLICY_LOOKUP_NAMES, &h), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(closing_a_policy_twice_is_invalid_handle_and_a_double_close)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    ck_assert_nt(LsaClose(NULL), STATUS_INVALID_HANDLE);
    ck_assert_misuse(INVALID_HANDLE, 1);
}
END_TEST

START_TEST(a_policy_is_not_a_connection)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    ck_assert_nt(LsaDeregisterLogonProcess(h), STATUS_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert_uint_eq(fakesspi_check_leaks(), 1); /* still open, and reported as left open */
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(the_account_and_primary_domain_are_the_fake_domain)
{
    LSA_HANDLE h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    POLICY_ACCOUNT_DOMAIN_INFO *account = NULL;
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyAccountDomainInformation, (PVOID *)&account), STATUS_SUCCESS);
    ck_assert_str_eq(narrow(&account->DomainName), "EXAMPLE");
    ck_assert_uint_eq(account->DomainName.MaximumLength, account->DomainName.Length + 2);
    ck_assert_str_eq(sid_text(account->DomainSid), DOMAIN_SID);
    ck_assert_nt(LsaFreeMemory(account), STATUS_SUCCESS);
    POLICY_PRIMARY_DOMAIN_INFO *primary = NULL;
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyPrimaryDomainInformation, (PVOID *)&primary), STATUS_SUCCESS);
    ck_assert_str_eq(narrow(&primary->Name), "EXAMPLE");
    ck_assert_str_eq(sid_text(primary->Sid), DOMAIN_SID);
    ck_assert_nt(LsaFreeMemory(primary), STATUS_SUCCESS);
    POLICY_DNS_DOMAIN_INFO *dns = NULL;
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyDnsDomainInformation, (PVOID *)&dns), STATUS_SUCCESS);
    ck_assert_str_eq(narrow(&dns->Name), "EXAMPLE");
    ck_assert_str_eq(narrow(&dns->DnsDomainName), "example.test");
    ck_assert_str_eq(narrow(&dns->DnsForestName), "example.test");
    ck_assert_str_eq(sid_text(dns->Sid), DOMAIN_SID);
    ck_assert_nt(LsaFreeMemory(dns), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(the_dns_domain_guid_is_the_domain_files_guid)
{
    static const char text[] = "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = " DOMAIN_SID "\n"
                               "computer = SERVER\nguid = 01234567-89ab-cdef-0123-456789abcdef\n"
                               "[group Domain Users]\nrid = 513\n[user alice]\nrid = 1104\npassword = Passw0rd!\n";
    ck_assert_int_eq(fakesspi_load_domain_text(text, "guid"), 0);
    LSA_HANDLE h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    POLICY_DNS_DOMAIN_INFO *dns = NULL;
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyDnsDomainInformation, (PVOID *)&dns), STATUS_SUCCESS);
    ck_assert_uint_eq(dns->DomainGuid.Data1, 0x01234567);
    ck_assert_uint_eq(dns->DomainGuid.Data2, 0x89ab);
    ck_assert_uint_eq(dns->DomainGuid.Data3, 0xcdef);
    static const UCHAR data4[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    ck_assert(!memcmp(dns->DomainGuid.Data4, data4, 8));
    ck_assert_nt(LsaFreeMemory(dns), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
}
END_TEST

START_TEST(querying_the_policy_needs_the_right_access_and_a_known_class)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    PVOID info = (PVOID)0xdeadbeef;
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyAccountDomainInformation, &info), STATUS_ACCESS_DENIED);
    ck_assert_ptr_eq(info, (PVOID)0xdeadbeef);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    ck_assert_nt(LsaQueryInformationPolicy(h, (POLICY_INFORMATION_CLASS)0, &info), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyLastEntry, &info), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyAuditEventsInformation, &info), STATUS_NOT_SUPPORTED);
    ck_assert_ptr_eq(info, (PVOID)0xdeadbeef);
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyAccountDomainInformation, NULL), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_nt(LsaQueryInformationPolicy(h, PolicyAccountDomainInformation, &info), STATUS_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
}
END_TEST

/* Lookups. */

START_TEST(names_are_looked_up_with_their_domains)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    LSA_UNICODE_STRING names[] = {lsa_wide(u"alice"), lsa_wide(u"EXAMPLE\\bob"), lsa_wide(u"Everyone"),
                                  lsa_wide(u"BUILTIN\\Users"), lsa_wide(u"Engineering"), lsa_wide(u"")};
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_SID2 sids = NULL;
    ck_assert_nt(LsaLookupNames2(h, 0, 6, names, &domains, &sids), STATUS_SUCCESS);
    static const struct {
        const char *sid;
        SID_NAME_USE use;
        const char *domain;
        const char *domain_sid;
    } want[] = {
        {ALICE_SID, SidTypeUser, "EXAMPLE", DOMAIN_SID},
        {DOMAIN_SID "-1105", SidTypeUser, "EXAMPLE", DOMAIN_SID},
        {"S-1-1-0", SidTypeWellKnownGroup, "", "S-1-1"},
        {"S-1-5-32-545", SidTypeAlias, "BUILTIN", "S-1-5-32"},
        {DOMAIN_SID "-1200", SidTypeGroup, "EXAMPLE", DOMAIN_SID},
        {DOMAIN_SID, SidTypeDomain, "EXAMPLE", DOMAIN_SID},
    };
    for (int i = 0; i < 6; i++) {
        ck_assert_str_eq(sid_text(sids[i].Sid), want[i].sid);
        ck_assert_int_eq(sids[i].Use, want[i].use);
        ck_assert_uint_eq(sids[i].Flags, 0);
        ck_assert_int_ge(sids[i].DomainIndex, 0);
        ck_assert_int_lt(sids[i].DomainIndex, (LONG)domains->Entries);
        const LSA_TRUST_INFORMATION *d = &domains->Domains[sids[i].DomainIndex];
        ck_assert_str_eq(narrow(&d->Name), want[i].domain);
        ck_assert_str_eq(sid_text(d->Sid), want[i].domain_sid);
        ck_assert_uint_eq(d->Name.MaximumLength, d->Name.Length + 2);
    }
    ck_assert_uint_eq(domains->Entries, 3); /* EXAMPLE, the world authority, BUILTIN: each once */
    ck_assert((char *)domains->Domains > (char *)domains);
    ck_assert((char *)domains->Domains[0].Sid > (char *)domains->Domains);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(names_not_found_are_some_or_none_mapped_and_still_freed)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    /* Counted strings: "alic" is the first four characters of "alice", and nobody. */
    LSA_UNICODE_STRING names[] = {lsa_wide(u"alice"), lsa_wide(u"nobody"), {8, 10, (PWSTR)u"alice"}};
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_SID2 sids = NULL;
    ck_assert_nt(LsaLookupNames2(h, 0, 3, names, &domains, &sids), STATUS_SOME_NOT_MAPPED);
    ck_assert_int_eq(sids[0].Use, SidTypeUser);
    for (int i = 1; i < 3; i++) {
        ck_assert_int_eq(sids[i].Use, SidTypeUnknown);
        ck_assert_ptr_null(sids[i].Sid);
        ck_assert_int_eq(sids[i].DomainIndex, -1);
    }
    ck_assert_uint_eq(domains->Entries, 1);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);

    ck_assert_nt(LsaLookupNames2(h, 0, 2, names + 1, &domains, &sids), STATUS_NONE_MAPPED);
    ck_assert_int_eq(sids[0].Use, SidTypeUnknown);
    ck_assert_uint_eq(domains->Entries, 0);
    ck_assert_ptr_null(domains->Domains);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(sids_are_looked_up_with_their_domains)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    static const char *const text[] = {ALICE_SID, "S-1-1-0", "S-1-5-18", DOMAIN_SID "-4242", "S-1-5-21-1-2-3-500"};
    PSID in[5];
    for (int i = 0; i < 5; i++)
        ck_assert(ConvertStringSidToSidA(text[i], &in[i]));
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_NAME names = NULL;
    ck_assert_nt(LsaLookupSids(h, 5, in, &domains, &names), STATUS_SOME_NOT_MAPPED);
    static const struct {
        const char *name;
        SID_NAME_USE use;
        const char *domain; /* NULL: no domain */
    } want[] = {
        {"alice", SidTypeUser, "EXAMPLE"},
        {"Everyone", SidTypeWellKnownGroup, ""},
        {"SYSTEM", SidTypeWellKnownGroup, "NT AUTHORITY"},
        {"4242", SidTypeUnknown, "EXAMPLE"},                 /* a known domain: the RID */
        {"S-1-5-21-1-2-3-500", SidTypeUnknown, NULL},        /* an unknown one: the whole SID */
    };
    for (int i = 0; i < 5; i++) {
        ck_assert_str_eq(narrow(&names[i].Name), want[i].name);
        ck_assert_uint_eq(names[i].Name.MaximumLength, names[i].Name.Length + 2);
        ck_assert_int_eq(names[i].Use, want[i].use);
        if (!want[i].domain) {
            ck_assert_int_eq(names[i].DomainIndex, -1);
            continue;
        }
        ck_assert_int_ge(names[i].DomainIndex, 0);
        ck_assert_str_eq(narrow(&domains->Domains[names[i].DomainIndex].Name), want[i].domain);
    }
    ck_assert_uint_eq(domains->Entries, 3);
    ck_assert_int_eq(names[0].DomainIndex, names[3].DomainIndex);
    ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);

    ck_assert_nt(LsaLookupSids(h, 1, &in[4], &domains, &names), STATUS_NONE_MAPPED);
    ck_assert_uint_eq(domains->Entries, 0);
    ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaLookupSids(h, 1, &in[0], &domains, &names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    for (int i = 0; i < 5; i++)
        LocalFree(in[i]);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(lookups_need_policy_lookup_names_and_sane_arguments)
{
    LSA_HANDLE h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    LSA_UNICODE_STRING name = lsa_wide(u"alice");
    PLSA_REFERENCED_DOMAIN_LIST domains = (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef;
    PLSA_TRANSLATED_SID2 sids = (PLSA_TRANSLATED_SID2)0xdeadbeef;
    PLSA_TRANSLATED_NAME names = (PLSA_TRANSLATED_NAME)0xdeadbeef;
    ck_assert_nt(LsaLookupNames2(h, 0, 1, &name, &domains, &sids), STATUS_ACCESS_DENIED);
    PSID alice;
    ck_assert(ConvertStringSidToSidA(ALICE_SID, &alice));
    ck_assert_nt(LsaLookupSids(h, 1, &alice, &domains, &names), STATUS_ACCESS_DENIED);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);

    h = open_policy(POLICY_LOOKUP_NAMES);
    ck_assert_nt(LsaLookupNames2(h, 0, 0, &name, &domains, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupNames2(h, 0, 1001, &name, &domains, &sids), STATUS_TOO_MANY_NAMES);
    ck_assert_nt(LsaLookupNames2(h, 0, 1, NULL, &domains, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupNames2(h, 0, 1, &name, NULL, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupSids(h, 0, &alice, &domains, &names), STATUS_INVALID_PARAMETER);
    PSID broken[1] = {NULL};
    ck_assert_nt(LsaLookupSids(h, 1, broken, &domains, &names), STATUS_INVALID_PARAMETER);
    BYTE garbage[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    broken[0] = garbage;
    ck_assert_nt(LsaLookupSids(h, 1, broken, &domains, &names), STATUS_INVALID_SID);
    ck_assert_ptr_eq(domains, (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef);
    ck_assert_ptr_eq(sids, (PLSA_TRANSLATED_SID2)0xdeadbeef);
    ck_assert_ptr_eq(names, (PLSA_TRANSLATED_NAME)0xdeadbeef);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    /* A connection is not a policy. */
    HANDLE c = untrusted();
    ck_assert_nt(LsaLookupNames2(c, 0, 1, &name, &domains, &sids), STATUS_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert_nt(LsaDeregisterLogonProcess(c), STATUS_SUCCESS);
    LocalFree(alice);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/lsa");
    TCase *tc = test_case("lsa");
    tcase_add_test(tc, lsa_status_maps_to_windows_win32_errors);
    tcase_add_test(tc, a_status_without_a_win32_error_is_mr_mid_not_found);
    tcase_add_test(tc, an_untrusted_connection_is_handed_out_and_deregistered);
    tcase_add_test(tc, connecting_with_no_place_for_the_handle_is_invalid_parameter);
    tcase_add_test(tc, a_connection_left_open_is_reported_as_a_leak);
    tcase_add_test(tc, deregistering_twice_is_invalid_handle_and_a_double_close);
    tcase_add_test(tc, deregistering_null_is_invalid_handle_and_reported);
    tcase_add_test(tc, a_connection_is_not_a_policy_nor_a_kernel_handle);
    tcase_add_test(tc, a_token_is_not_a_connection);
    tcase_add_test(tc, registering_without_tcb_is_port_connection_refused);
    tcase_add_test(tc, tcb_held_but_not_enabled_is_refused);
    tcase_add_test(tc, registering_with_tcb_enabled_succeeds);
    tcase_add_test(tc, a_logon_process_name_over_127_bytes_is_name_too_long);
    tcase_add_test(tc, registering_with_no_name_is_invalid_parameter);
    tcase_add_test(tc, the_packages_have_their_numbers);
    tcase_add_test(tc, an_unknown_package_is_no_such_package);
    tcase_add_test(tc, a_restricted_administrator_opens_the_policy_as_a_user);
    tcase_add_test(tc, an_msv1_0_interactive_logon_gives_alice_a_primary_token);
    tcase_add_test(tc, a_wrong_password_is_logon_failure_with_sub_status_wrong_password);
    tcase_add_test(tc, an_unknown_user_or_domain_is_logon_failure_with_sub_status_no_such_user);
    tcase_add_test(tc, a_disabled_account_is_account_restriction_with_sub_status_account_disabled);
    tcase_add_test(tc, a_network_logon_gives_an_impersonation_token);
    tcase_add_test(tc, a_kerberos_or_negotiate_logon_carries_the_authority_asserted_identity);
    tcase_add_test(tc, an_s4u_logon_without_tcb_gives_an_identification_token);
    tcase_add_test(tc, an_s4u_logon_by_a_logon_process_gives_an_impersonation_token);
    tcase_add_test(tc, an_s4u_logon_of_nobody_is_logon_failure_with_sub_status_no_such_user);
    tcase_add_test(tc, local_groups_need_a_logon_process);
    tcase_add_test(tc, bad_submissions_have_their_statuses);
    tcase_add_test(tc, strings_outside_the_submission_are_invalid_parameter);
    tcase_add_test(tc, a_logon_on_a_dead_connection_is_invalid_handle_and_leaves_everything_alone);
    tcase_add_test(tc, a_logon_token_left_open_is_a_leak);
    tcase_add_test(tc, the_profile_freed_with_lsa_free_memory_is_a_wrong_free);
    tcase_add_test(tc, freeing_what_the_lsa_did_not_hand_out_is_invalid_handle_and_reported);
    tcase_add_test(tc, a_user_opens_the_policy_to_look_names_up_but_not_for_everything);
    tcase_add_test(tc, an_administrator_opens_the_policy_for_everything);
    tcase_add_test(tc, opening_the_policy_needs_attributes_and_this_system);
    tcase_add_test(tc, closing_a_policy_twice_is_invalid_handle_and_a_double_close);
    tcase_add_test(tc, a_policy_is_not_a_connection);
    tcase_add_test(tc, the_account_and_primary_domain_are_the_fake_domain);
    tcase_add_test(tc, the_dns_domain_guid_is_the_domain_files_guid);
    tcase_add_test(tc, querying_the_policy_needs_the_right_access_and_a_known_class);
    tcase_add_test(tc, names_are_looked_up_with_their_domains);
    tcase_add_test(tc, names_not_found_are_some_or_none_mapped_and_still_freed);
    tcase_add_test(tc, sids_are_looked_up_with_their_domains);
    tcase_add_test(tc, lookups_need_policy_lookup_names_and_sane_arguments);
    suite_add_tcase(s, tc);
    return test_run(s);
}
