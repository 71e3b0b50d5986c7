/* AuthZ (doc/semantics.md §56): resource managers, client contexts from tokens and SIDs, AuthzAccessCheck and its
 * cached form, context information, and the handles' misuse checks. */
#include "testutil.h"
#include "authz.h"
#include "sddl.h"

static const LUID no_luid = {0, 0};

static AUTHZ_RESOURCE_MANAGER_HANDLE manager(void)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = (AUTHZ_RESOURCE_MANAGER_HANDLE)0xdeadbeef;
    ck_assert(AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, NULL, NULL, u"fakesspi tests", &rm));
    ck_assert_ptr_ne(rm, (AUTHZ_RESOURCE_MANAGER_HANDLE)0xdeadbeef);
    ck_assert_ptr_nonnull(rm);
    return rm;
}

static HANDLE logon(const char *user, const char *password)
{
    HANDLE t;
    ck_assert(LogonUserA(user, "EXAMPLE", password, LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &t));
    return t;
}

static AUTHZ_CLIENT_CONTEXT_HANDLE context_of(AUTHZ_RESOURCE_MANAGER_HANDLE rm, HANDLE token, DWORD flags)
{
    AUTHZ_CLIENT_CONTEXT_HANDLE c = (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef;
    ck_assert(AuthzInitializeContextFromToken(flags, token, rm, NULL, no_luid, NULL, &c));
    ck_assert_ptr_ne(c, (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef);
    return c;
}

/* alice's network logon, a resource manager and her client context: what most tests start from. */
struct client {
    AUTHZ_RESOURCE_MANAGER_HANDLE rm;
    HANDLE token;
    AUTHZ_CLIENT_CONTEXT_HANDLE c;
};

static struct client alice_client(DWORD flags)
{
    struct client k = {manager(), logon("alice", "Passw0rd!"), NULL};
    k.c = context_of(k.rm, k.token, flags);
    return k;
}

static void client_end(struct client *k)
{
    ck_assert(AuthzFreeContext(k->c));
    ck_assert(AuthzFreeResourceManager(k->rm));
    ck_assert(CloseHandle(k->token));
}

/* The answer of one AuthzAccessCheck: the call's result, then the reply's single entry (sentinels before). */
struct answer {
    BOOL ok;
    DWORD error, granted, reply_error;
};

static struct answer check_with(AUTHZ_CLIENT_CONTEXT_HANDLE c, const char *sddl, const char *more, DWORD desired,
                                PSID self)
{
    PSECURITY_DESCRIPTOR sd, extra = NULL;
    ck_assert_msg(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, NULL), "%s", sddl);
    if (more)
        ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA(more, SDDL_REVISION_1, &extra, NULL));
    AUTHZ_ACCESS_REQUEST req = {desired, self, NULL, 0, NULL};
    struct answer a = {0, 0, 0xdeadbeef, 0xdeadbeef};
    AUTHZ_ACCESS_REPLY reply = {1, &a.granted, NULL, &a.reply_error};
    SetLastError(0xdeadbeef);
    a.ok = AuthzAccessCheck(0, c, &req, NULL, sd, more ? &extra : NULL, more ? 1 : 0, &reply, NULL);
    a.error = GetLastError();
    LocalFree(sd);
    LocalFree(extra);
    return a;
}

static struct answer check(AUTHZ_CLIENT_CONTEXT_HANDLE c, const char *sddl, DWORD desired)
{
    return check_with(c, sddl, NULL, desired, NULL);
}

#define ck_assert_allowed(expr, mask) \
    do { \
        struct answer a_ = (expr); \
        ck_assert_msg(a_.ok, "%s failed with %lu", #expr, (unsigned long)a_.error); \
        ck_assert_uint_eq(a_.reply_error, ERROR_SUCCESS); \
        ck_assert_uint_eq(a_.granted, (mask)); \
    } while (0)
/* A denial is a successful call: the reason is in the reply, not the last error. */
#define ck_assert_refused(expr, why) \
    do { \
        struct answer a_ = (expr); \
        ck_assert_msg(a_.ok, "%s failed with %lu", #expr, (unsigned long)a_.error); \
        ck_assert_uint_eq(a_.reply_error, (why)); \
        ck_assert_uint_eq(a_.granted, 0); \
    } while (0)

/* A domain whose auditor holds SeAuditPrivilege and SeSecurityPrivilege (the process's user alice stays). */
static const char auditor_domain[] = "[domain]\nnetbios = EXAMPLE\ndns = example.test\n"
                                     "sid = S-1-5-21-1000000001-2000000002-3000000003\n"
                                     "[group Domain Users]\nrid = 513\n"
                                     "[user alice]\nrid = 1104\npassword = Passw0rd!\n"
                                     "[user auditor]\nrid = 1500\npassword = Aud1tor!\n"
                                     "privileges = SeAuditPrivilege, SeSecurityPrivilege\n";

START_TEST(a_resource_manager_that_audits_needs_the_audit_privilege)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = (AUTHZ_RESOURCE_MANAGER_HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzInitializeResourceManager(0, NULL, NULL, NULL, NULL, &rm));
    ck_assert_uint_eq(GetLastError(), ERROR_PRIVILEGE_NOT_HELD);
    ck_assert_ptr_eq(rm, (AUTHZ_RESOURCE_MANAGER_HANDLE)0xdeadbeef);
    /* A process whose user holds SeAuditPrivilege may audit. */
    ck_assert_int_eq(fakesspi_load_domain_text(auditor_domain, "auditor domain"), 0);
    ck_assert_int_eq(fakesspi_set_process_user("auditor"), 0);
    TOKEN_PRIVILEGES enable = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
    ck_assert(LookupPrivilegeValueA(NULL, "SeAuditPrivilege", &enable.Privileges[0].Luid));
    HANDLE process;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &process));
    ck_assert(AdjustTokenPrivileges(process, FALSE, &enable, 0, NULL, NULL));
    ck_assert(CloseHandle(process));
    ck_assert(AuthzInitializeResourceManager(0, NULL, NULL, NULL, u"auditing", &rm));
    ck_assert(AuthzFreeResourceManager(rm));
}
END_TEST

START_TEST(bad_arguments_get_invalid_parameter)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = (AUTHZ_RESOURCE_MANAGER_HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT | 0x8, NULL, NULL, NULL, NULL, &rm));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, NULL, NULL, NULL, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    rm = manager();
    HANDLE t = logon("alice", "Passw0rd!");
    AUTHZ_CLIENT_CONTEXT_HANDLE c = (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef;
    ck_assert(!AuthzInitializeContextFromToken(0x1, t, rm, NULL, no_luid, NULL, &c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzInitializeContextFromToken(0, t, NULL, NULL, no_luid, NULL, &c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzInitializeContextFromToken(0, t, rm, NULL, no_luid, NULL, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(c, (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef);
    ck_assert(!AuthzFreeContext(NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzFreeResourceManager(NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);

    c = context_of(rm, t, 0);
    PSECURITY_DESCRIPTOR sd;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:BAG:BAD:(A;;FR;;;WD)", 1, &sd, NULL));
    DWORD granted = 0xdeadbeef, error = 0xdeadbeef;
    AUTHZ_ACCESS_REQUEST req = {FILE_READ_DATA, NULL, NULL, 0, NULL};
    AUTHZ_ACCESS_REPLY reply = {1, &granted, NULL, &error};
    ck_assert(!AuthzAccessCheck(0x2, c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzAccessCheck(0, c, NULL, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(!AuthzAccessCheck(0, c, &req, NULL, NULL, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    reply.ResultListLength = 2; /* one result without an object type list */
    ck_assert(!AuthzAccessCheck(0, c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(granted, 0xdeadbeef);
    ck_assert_uint_eq(error, 0xdeadbeef);
    LocalFree(sd);
    ck_assert(AuthzFreeContext(c));
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
}
END_TEST

START_TEST(a_descriptor_without_owner_or_group_is_invalid)
{
    struct client k = alice_client(0);
    struct answer a = check(k.c, "D:(A;;FR;;;WD)", FILE_READ_DATA);
    ck_assert(!a.ok);
    ck_assert_uint_eq(a.error, ERROR_INVALID_SECURITY_DESCR);
    ck_assert_uint_eq(a.granted, 0xdeadbeef);
    client_end(&k);
}
END_TEST

START_TEST(the_check_walks_the_dacl_as_accesscheck_does)
{
    struct client k = alice_client(0); /* a primary token will do: AuthZ needs no impersonation token */
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;0x3;;;WD)", 0x1), 0x1);
    ck_assert_refused(check(k.c, "O:BAG:BAD:(A;;0x1;;;WD)", 0x2), ERROR_ACCESS_DENIED);
    ck_assert_refused(check(k.c, "O:BAG:BAD:(D;;0x2;;;AU)(A;;0x3;;;WD)", 0x2), ERROR_ACCESS_DENIED);
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;0x3;;;WD)(D;;0x2;;;AU)", 0x2), 0x2);
    /* Engineering (alice's group) and Domain Users, by SID. */
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;0x4;;;S-1-5-21-1000000001-2000000002-3000000003-1200)", 0x4), 0x4);
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;0x4;;;DU)", 0x4), 0x4);
    ck_assert_refused(check(k.c, "O:BAG:BAD:(A;;0x4;;;DA)", 0x4), ERROR_ACCESS_DENIED);
    /* MAXIMUM_ALLOWED: every bit allowed and not denied first. */
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(D;;0x2;;;WD)(A;;0x7;;;WD)", MAXIMUM_ALLOWED), 0x5);
    ck_assert_refused(check(k.c, "O:BAG:BAD:", MAXIMUM_ALLOWED), ERROR_ACCESS_DENIED);
    /* No DACL: everything, and under MAXIMUM_ALLOWED every standard and specific right. */
    ck_assert_allowed(check(k.c, "O:BAG:BAD:NO_ACCESS_CONTROL", 0x1234), 0x1234);
    ck_assert_allowed(check(k.c, "O:BAG:BAD:NO_ACCESS_CONTROL", MAXIMUM_ALLOWED), STANDARD_RIGHTS_ALL | SPECIFIC_RIGHTS_ALL);
    /* No generic mapping reaches AuthZ: an ACE's generic bit is only that bit. */
    ck_assert_refused(check(k.c, "O:BAG:BAD:(A;;GR;;;WD)", FILE_READ_DATA), ERROR_ACCESS_DENIED);
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;GR;;;WD)", GENERIC_READ), GENERIC_READ);
    /* The owner's implicit READ_CONTROL and WRITE_DAC. */
    ck_assert_allowed(check(k.c, "O:S-1-5-21-1000000001-2000000002-3000000003-1104G:BAD:", READ_CONTROL | WRITE_DAC),
                      READ_CONTROL | WRITE_DAC);
    /* ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege. */
    ck_assert_refused(check(k.c, "O:BAG:BAD:(A;;0x1;;;WD)", ACCESS_SYSTEM_SECURITY), ERROR_PRIVILEGE_NOT_HELD);
    client_end(&k);
}
END_TEST

START_TEST(a_context_is_a_snapshot_of_the_token)
{
    ck_assert_int_eq(fakesspi_load_domain_text(auditor_domain, "auditor domain"), 0);
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    HANDLE t = logon("auditor", "Aud1tor!");
    /* SeSecurityPrivilege enabled, a context made, then the privilege disabled in the token: the context still
     * has it, a context made after does not. */
    TOKEN_PRIVILEGES change = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
    ck_assert(LookupPrivilegeValueA(NULL, "SeSecurityPrivilege", &change.Privileges[0].Luid));
    ck_assert(AdjustTokenPrivileges(t, FALSE, &change, 0, NULL, NULL));
    AUTHZ_CLIENT_CONTEXT_HANDLE before = context_of(rm, t, 0);
    change.Privileges[0].Attributes = 0;
    ck_assert(AdjustTokenPrivileges(t, FALSE, &change, 0, NULL, NULL));
    AUTHZ_CLIENT_CONTEXT_HANDLE after = context_of(rm, t, 0);
    const char *sddl = "O:BAG:BAD:(A;;0x1;;;WD)";
    ck_assert_allowed(check(before, sddl, ACCESS_SYSTEM_SECURITY | 0x1), ACCESS_SYSTEM_SECURITY | 0x1);
    ck_assert_refused(check(after, sddl, ACCESS_SYSTEM_SECURITY | 0x1), ERROR_PRIVILEGE_NOT_HELD);
    /* The token's handle closed: the contexts go on. */
    ck_assert(CloseHandle(t));
    ck_assert_allowed(check(before, sddl, ACCESS_SYSTEM_SECURITY), ACCESS_SYSTEM_SECURITY);
    ck_assert_allowed(check(after, sddl, 0x1), 0x1);
    ck_assert(AuthzFreeContext(before));
    ck_assert(AuthzFreeContext(after));
    ck_assert(AuthzFreeResourceManager(rm));
}
END_TEST

START_TEST(skipping_token_groups_leaves_the_user_alone)
{
    struct client k = alice_client(AUTHZ_SKIP_TOKEN_GROUPS);
    ck_assert_refused(check(k.c, "O:BAG:BAD:(A;;0x1;;;WD)", 0x1), ERROR_ACCESS_DENIED);
    ck_assert_allowed(check(k.c, "O:BAG:BAD:(A;;0x1;;;S-1-5-21-1000000001-2000000002-3000000003-1104)", 0x1), 0x1);
    BYTE buf[512];
    DWORD need = 0;
    ck_assert(AuthzGetInformationFromContext(k.c, AuthzContextInfoGroupsSids, sizeof buf, &need, buf));
    const TOKEN_GROUPS *g = (const TOKEN_GROUPS *)buf;
    for (DWORD i = 0; i < g->GroupCount; i++) /* only the integrity label stays */
        ck_assert(g->Groups[i].Attributes & SE_GROUP_INTEGRITY);
    client_end(&k);
}
END_TEST

static PSID sid_of(const char *text)
{
    PSID sid;
    ck_assert(ConvertStringSidToSidA(text, &sid));
    return sid;
}

START_TEST(a_context_from_a_sid_has_the_groups_of_a_logon)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    PSID alice = sid_of("S-1-5-21-1000000001-2000000002-3000000003-1104");
    AUTHZ_CLIENT_CONTEXT_HANDLE c = (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef;
    LUID id = {0x1234, 5};
    ck_assert(AuthzInitializeContextFromSid(0, alice, rm, NULL, id, NULL, &c));
    ck_assert_allowed(check(c, "O:BAG:BAD:(A;;0x1;;;S-1-5-21-1000000001-2000000002-3000000003-1200)", 0x1), 0x1);
    ck_assert_allowed(check(c, "O:BAG:BAD:(A;;0x1;;;AU)", 0x1), 0x1);
    ck_assert_refused(check(c, "O:BAG:BAD:(A;;0x1;;;DA)", 0x1), ERROR_ACCESS_DENIED);
    BYTE buf[1024];
    DWORD need = 0xdeadbeef;
    /* Without AUTHZ_COMPUTE_PRIVILEGES the context has none. */
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoPrivileges, sizeof buf, &need, buf));
    ck_assert_uint_eq(((TOKEN_PRIVILEGES *)buf)->PrivilegeCount, 0);
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoIdentifier, sizeof buf, &need, buf));
    ck_assert_uint_eq(need, sizeof(LUID));
    ck_assert_uint_eq(((LUID *)buf)->LowPart, 0x1234);
    ck_assert_int_eq(((LUID *)buf)->HighPart, 5);
    ck_assert(AuthzFreeContext(c));

    ck_assert(AuthzInitializeContextFromSid(AUTHZ_COMPUTE_PRIVILEGES, alice, rm, NULL, id, NULL, &c));
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoPrivileges, sizeof buf, &need, buf));
    ck_assert_uint_gt(((TOKEN_PRIVILEGES *)buf)->PrivilegeCount, 0);
    ck_assert(AuthzFreeContext(c));

    /* A SID that is no account of the domain, and one that is no SID. */
    PSID nobody = sid_of("S-1-5-21-1000000001-2000000002-3000000003-9999");
    c = (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzInitializeContextFromSid(0, nobody, rm, NULL, id, NULL, &c));
    ck_assert_uint_eq(GetLastError(), ERROR_NONE_MAPPED);
    BYTE broken[8] = {9, 1, 0, 0, 0, 0, 0, 5};
    ck_assert(!AuthzInitializeContextFromSid(0, broken, rm, NULL, id, NULL, &c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_SID);
    ck_assert_ptr_eq(c, (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef);
    LocalFree(nobody);
    LocalFree(alice);
    ck_assert(AuthzFreeResourceManager(rm));
}
END_TEST

START_TEST(context_information_comes_in_token_layouts)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    HANDLE t = logon("alice", "Passw0rd!");
    LARGE_INTEGER expires = {.QuadPart = 0x01DC000000000000LL};
    AUTHZ_CLIENT_CONTEXT_HANDLE c;
    ck_assert(AuthzInitializeContextFromToken(0, t, rm, &expires, no_luid, NULL, &c));
    DWORD need = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzGetInformationFromContext(c, AuthzContextInfoUserSid, 0, &need, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(need, sizeof(TOKEN_USER) + 28); /* a domain SID of five sub-authorities */
    BYTE buf[512];
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoUserSid, sizeof buf, &need, buf));
    char *text;
    ck_assert(ConvertSidToStringSidA(((TOKEN_USER *)buf)->User.Sid, &text));
    ck_assert_str_eq(text, "S-1-5-21-1000000001-2000000002-3000000003-1104");
    LocalFree(text);
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoExpirationTime, sizeof buf, &need, buf));
    ck_assert(((LARGE_INTEGER *)buf)->QuadPart == expires.QuadPart);
    /* The logon session's LUID is the token's. */
    TOKEN_STATISTICS stats;
    DWORD len;
    ck_assert(GetTokenInformation(t, TokenStatistics, &stats, sizeof stats, &len));
    ck_assert(AuthzGetInformationFromContext(c, AuthzContextInfoAuthenticationId, sizeof buf, &need, buf));
    ck_assert_uint_eq(((LUID *)buf)->LowPart, stats.AuthenticationId.LowPart);
    /* Classes this emulation does not answer, and one that does not exist. */
    ck_assert(!AuthzGetInformationFromContext(c, AuthzContextInfoUserClaims, sizeof buf, &need, buf));
    ck_assert_uint_eq(GetLastError(), ERROR_NOT_SUPPORTED);
    ck_assert(!AuthzGetInformationFromContext(c, (AUTHZ_CONTEXT_INFORMATION_CLASS)99, sizeof buf, &need, buf));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert(AuthzFreeContext(c));
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
}
END_TEST

START_TEST(principal_self_stands_for_the_sid_the_request_names)
{
    struct client k = alice_client(0);
    PSID alice = sid_of("S-1-5-21-1000000001-2000000002-3000000003-1104");
    PSID bob = sid_of("S-1-5-21-1000000001-2000000002-3000000003-1105");
    const char *sddl = "O:BAG:BAD:(A;;0x8;;;PS)";
    ck_assert_allowed(check_with(k.c, sddl, NULL, 0x8, alice), 0x8);
    ck_assert_refused(check_with(k.c, sddl, NULL, 0x8, bob), ERROR_ACCESS_DENIED);
    ck_assert_refused(check_with(k.c, sddl, NULL, 0x8, NULL), ERROR_ACCESS_DENIED);
    LocalFree(alice);
    LocalFree(bob);
    client_end(&k);
}
END_TEST

START_TEST(optional_descriptors_add_their_aces_after_the_primary_ones)
{
    struct client k = alice_client(0);
    /* The primary's allow comes before the optional deny. */
    ck_assert_allowed(check_with(k.c, "O:BAG:BAD:(A;;0x1;;;WD)", "D:(D;;0x1;;;WD)", 0x1, NULL), 0x1);
    /* An empty primary DACL: the optional descriptor's ACE grants. */
    ck_assert_allowed(check_with(k.c, "O:BAG:BAD:", "D:(A;;0x1;;;AU)", 0x1, NULL), 0x1);
    /* A deny in the primary wins over the optional allow. */
    ck_assert_refused(check_with(k.c, "O:BAG:BAD:(D;;0x1;;;WD)", "D:(A;;0x1;;;WD)", 0x1, NULL), ERROR_ACCESS_DENIED);
    client_end(&k);
}
END_TEST

START_TEST(an_object_type_list_gets_an_answer_for_each_element)
{
    struct client k = alice_client(0);
    PSECURITY_DESCRIPTOR sd;
    /* Read property (0x10) on the first property set only. */
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA(
        "O:BAG:BAD:(OA;;0x10;01020302-0506-0708-090a-0b0c0d0e0f02;;WD)", 1, &sd, NULL));
    GUID object = {0x01020301, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 1}};
    GUID set = {0x01020302, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 2}};
    GUID other = {0x01020303, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 3}};
    OBJECT_TYPE_LIST types[3] = {{ACCESS_OBJECT_GUID, 0, &object}, {ACCESS_PROPERTY_SET_GUID, 0, &set},
                                 {ACCESS_PROPERTY_SET_GUID, 0, &other}};
    AUTHZ_ACCESS_REQUEST req = {0x10, NULL, types, 3, NULL};
    DWORD granted[3] = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef}, error[3] = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef};
    AUTHZ_ACCESS_REPLY reply = {3, granted, NULL, error};
    ck_assert(AuthzAccessCheck(0, k.c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(granted[0], 0);
    ck_assert_uint_eq(error[0], ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(granted[1], 0x10);
    ck_assert_uint_eq(error[1], ERROR_SUCCESS);
    ck_assert_uint_eq(granted[2], 0);
    ck_assert_uint_eq(error[2], ERROR_ACCESS_DENIED);
    /* The reply must have room for every element: one entry for three is refused, nothing written. */
    granted[0] = error[0] = 0xdeadbeef;
    reply.ResultListLength = 1;
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzAccessCheck(0, k.c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(granted[0], 0xdeadbeef);
    /* A list that is not a tree (two objects at level 0) is refused too. */
    types[2].Level = ACCESS_OBJECT_GUID;
    reply.ResultListLength = 3;
    ck_assert(!AuthzAccessCheck(0, k.c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(granted[0], 0xdeadbeef);
    LocalFree(sd);
    client_end(&k);
}
END_TEST

START_TEST(a_cached_check_answers_from_what_the_first_kept)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    HANDLE t = logon("alice", "Passw0rd!");
    AUTHZ_CLIENT_CONTEXT_HANDLE c = context_of(rm, t, 0);
    PSECURITY_DESCRIPTOR sd;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:BAG:BAD:(A;;0x3;;;WD)", 1, &sd, NULL));
    AUTHZ_ACCESS_REQUEST req = {0x1, NULL, NULL, 0, NULL};
    DWORD granted = 0xdeadbeef, error = 0xdeadbeef;
    AUTHZ_ACCESS_REPLY reply = {1, &granted, NULL, &error};
    AUTHZ_ACCESS_CHECK_RESULTS_HANDLE results = NULL;
    ck_assert(AuthzAccessCheck(0, c, &req, NULL, sd, NULL, 0, &reply, &results));
    ck_assert_ptr_nonnull(results);
    LocalFree(sd); /* the results keep their own copy */
    AuthzFreeContext(c); /* and their context */
    req.DesiredAccess = 0x2;
    granted = error = 0xdeadbeef;
    ck_assert(AuthzCachedAccessCheck(0, results, &req, NULL, &reply));
    ck_assert_uint_eq(granted, 0x2);
    ck_assert_uint_eq(error, ERROR_SUCCESS);
    req.DesiredAccess = 0x4;
    ck_assert(AuthzCachedAccessCheck(0, results, &req, NULL, &reply));
    ck_assert_uint_eq(granted, 0);
    ck_assert_uint_eq(error, ERROR_ACCESS_DENIED);
    ck_assert(AuthzFreeHandle(results));
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzFreeHandle(results));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
}
END_TEST

START_TEST(handles_of_another_kind_and_stale_ones_are_misuse)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    HANDLE t = logon("alice", "Passw0rd!");
    AUTHZ_CLIENT_CONTEXT_HANDLE c = context_of(rm, t, 0);
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzFreeContext((AUTHZ_CLIENT_CONTEXT_HANDLE)rm));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    ck_assert(!AuthzFreeResourceManager((AUTHZ_RESOURCE_MANAGER_HANDLE)t));
    ck_assert_misuse(WRONG_KIND, 2);
    /* A token handle is no client context, and a client context is no token. */
    ck_assert(!CloseHandle((HANDLE)c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 3);
    ck_assert(AuthzFreeContext(c));
    ck_assert(!AuthzFreeContext(c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    struct answer a = check(c, "O:BAG:BAD:(A;;0x1;;;WD)", 0x1);
    ck_assert(!a.ok);
    ck_assert_uint_eq(a.error, ERROR_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
}
END_TEST

START_TEST(a_context_keeps_its_resource_manager_and_leaks_are_reported)
{
    AUTHZ_RESOURCE_MANAGER_HANDLE rm = manager();
    HANDLE t = logon("alice", "Passw0rd!");
    AUTHZ_CLIENT_CONTEXT_HANDLE c = context_of(rm, t, 0);
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert_allowed(check(c, "O:BAG:BAD:(A;;0x1;;;WD)", 0x1), 0x1);
    ck_assert(CloseHandle(t));
    /* The context left open is a leak, named as such. */
    FILE *saved = stderr;
    char *text = NULL;
    size_t len = 0;
    FILE *capture = open_memstream(&text, &len);
    stderr = capture;
    size_t leaks = fakesspi_check_leaks();
    stderr = saved;
    fclose(capture);
    ck_assert_uint_eq(leaks, 1);
    ck_assert_msg(strstr(text, "LEAK AUTHZ_HANDLE") && strstr(text, "AuthzInitializeContextFromToken"), "%s", text);
    free(text);
    ck_assert(AuthzFreeContext(c));
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* A resource manager's dynamic groups: what the callback returns joins the context; the free callback gets it. */
static int freed;
static PSID administrators;
static SID_AND_ATTRIBUTES added[1];

static BOOL CALLBACK add_administrators(AUTHZ_CLIENT_CONTEXT_HANDLE c, PVOID args, PSID_AND_ATTRIBUTES *sids,
                                        PDWORD count, PSID_AND_ATTRIBUTES *restricted, PDWORD restricted_count)
{
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq((const char *)args, "arguments");
    added[0].Sid = administrators;
    added[0].Attributes = SE_GROUP_ENABLED;
    *sids = added;
    *count = 1;
    *restricted = NULL;
    *restricted_count = 0;
    return TRUE;
}

static VOID CALLBACK free_groups(PSID_AND_ATTRIBUTES sids)
{
    ck_assert_ptr_eq(sids, added);
    freed++;
}

static BOOL CALLBACK refuse(AUTHZ_CLIENT_CONTEXT_HANDLE c, PVOID args, PSID_AND_ATTRIBUTES *sids, PDWORD count,
                           PSID_AND_ATTRIBUTES *restricted, PDWORD restricted_count)
{
    (void)c, (void)args, (void)sids, (void)count, (void)restricted, (void)restricted_count;
    return FALSE;
}

static BOOL CALLBACK count_without_array(AUTHZ_CLIENT_CONTEXT_HANDLE c, PVOID args, PSID_AND_ATTRIBUTES *sids,
                                         PDWORD count, PSID_AND_ATTRIBUTES *restricted, PDWORD restricted_count)
{
    (void)c, (void)args;
    *sids = NULL;
    *count = 3;
    *restricted = NULL;
    *restricted_count = 0;
    return TRUE;
}

START_TEST(dynamic_groups_join_the_context)
{
    administrators = sid_of("S-1-5-32-544");
    freed = 0;
    AUTHZ_RESOURCE_MANAGER_HANDLE rm;
    ck_assert(AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, add_administrators, free_groups, NULL, &rm));
    HANDLE t = logon("alice", "Passw0rd!");
    AUTHZ_CLIENT_CONTEXT_HANDLE c;
    ck_assert(AuthzInitializeContextFromToken(0, t, rm, NULL, no_luid, (PVOID) "arguments", &c));
    ck_assert_int_eq(freed, 1);
    ck_assert_allowed(check(c, "O:BAG:BAD:(A;;0x1;;;BA)", 0x1), 0x1);
    ck_assert(AuthzFreeContext(c));
    ck_assert(AuthzFreeResourceManager(rm));

    ck_assert(AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, refuse, NULL, NULL, &rm));
    c = (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef;
    ck_assert(!AuthzInitializeContextFromToken(0, t, rm, NULL, no_luid, NULL, &c));
    ck_assert_ptr_eq(c, (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef);
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
    LocalFree(administrators);
    /* A callback that gives a count without its array is refused, not read. */
    ck_assert(AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, count_without_array, NULL, NULL, &rm));
    t = logon("alice", "Passw0rd!");
    SetLastError(0xdeadbeef);
    ck_assert(!AuthzInitializeContextFromToken(0, t, rm, NULL, no_luid, NULL, &c));
    ck_assert_uint_eq(GetLastError(), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(c, (AUTHZ_CLIENT_CONTEXT_HANDLE)0xdeadbeef);
    ck_assert(AuthzFreeResourceManager(rm));
    ck_assert(CloseHandle(t));
    ck_assert_uint_eq(fakesspi_check_leaks(), 0); /* the refused contexts' handles are gone too */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("authz");
    TCase *tc = test_case("authz");
    tcase_add_test(tc, a_resource_manager_that_audits_needs_the_audit_privilege);
    tcase_add_test(tc, bad_arguments_get_invalid_parameter);
    tcase_add_test(tc, a_descriptor_without_owner_or_group_is_invalid);
    tcase_add_test(tc, the_check_walks_the_dacl_as_accesscheck_does);
    tcase_add_test(tc, a_context_is_a_snapshot_of_the_token);
    tcase_add_test(tc, skipping_token_groups_leaves_the_user_alone);
    tcase_add_test(tc, a_context_from_a_sid_has_the_groups_of_a_logon);
    tcase_add_test(tc, context_information_comes_in_token_layouts);
    tcase_add_test(tc, principal_self_stands_for_the_sid_the_request_names);
    tcase_add_test(tc, optional_descriptors_add_their_aces_after_the_primary_ones);
    tcase_add_test(tc, an_object_type_list_gets_an_answer_for_each_element);
    tcase_add_test(tc, a_cached_check_answers_from_what_the_first_kept);
    tcase_add_test(tc, handles_of_another_kind_and_stale_ones_are_misuse);
    tcase_add_test(tc, a_context_keeps_its_resource_manager_and_leaks_are_reported);
    tcase_add_test(tc, dynamic_groups_join_the_context);
    suite_add_tcase(s, tc);
    return test_run(s);
}
