/* Restricted tokens and group changes as Windows makes them: CreateRestrictedToken, IsTokenRestricted,
 * AdjustTokenGroups, and the access checks of restricted and deny-only tokens (doc/semantics.md §45).
 * Where Wine's conformance tests pin a behaviour (test_CreateRestrictedToken), the same facts are checked. */
#include "access_outcome.h"
#include "api/api.h"

#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"
#define ALICE DOMAIN_SID "-1104"
#define DOMAIN_USERS DOMAIN_SID "-513"
#define CHANGE_NOTIFY_LUID 23 /* SE_CHANGE_NOTIFY_PRIVILEGE */
#define SHUTDOWN_LUID 19      /* SE_SHUTDOWN_PRIVILEGE */
#define ALICE_GROUPS 11       /* the process token's groups, the integrity label included */
#define ALICE_PRIVILEGES 5


static PSID sid_of(const char *text)
{
    PSID s = NULL;
    ck_assert_msg(ConvertStringSidToSidA(text, &s), "%s: %lu", text, (unsigned long)GetLastError());
    return s;
}

/* The process token as Wine's test duplicates it: an impersonation token that can be duplicated, have its
 * groups adjusted and be queried. */
static HANDLE impersonation_token(void)
{
    HANDLE process, token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateTokenEx(process, TOKEN_DUPLICATE | TOKEN_ADJUST_GROUPS | TOKEN_QUERY, NULL,
                               SecurityImpersonation, TokenImpersonation, &token));
    CloseHandle(process);
    return token;
}

/* token restricted with one SID of each list (NULL: none), no flags but those given. */
static HANDLE restricted(HANDLE token, DWORD flags, const char *disable, const char *restrict_to)
{
    SID_AND_ATTRIBUTES d = {disable ? sid_of(disable) : NULL, 0}, r = {restrict_to ? sid_of(restrict_to) : NULL, 0};
    HANDLE out = (HANDLE)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert_msg(CreateRestrictedToken(token, flags, disable ? 1 : 0, disable ? &d : NULL, 0, NULL,
                                        restrict_to ? 1 : 0, restrict_to ? &r : NULL, &out),
                  "CreateRestrictedToken: %lu", (unsigned long)GetLastError());
    ck_assert_ptr_ne(out, (HANDLE)0xdeadbeef);
    LocalFree(d.Sid);
    LocalFree(r.Sid);
    return out;
}

/* The attributes of sid in the token's TokenGroups, or 0xffffffff when it is not there. */
static DWORD group_attributes(HANDLE token, const char *sid)
{
    BYTE buf[1024];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenGroups, buf, sizeof buf, &n));
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    PSID want = sid_of(sid);
    DWORD found = 0xffffffff;
    for (DWORD i = 0; i < g->GroupCount; i++)
        if (EqualSid(g->Groups[i].Sid, want))
            found = g->Groups[i].Attributes;
    LocalFree(want);
    return found;
}

static DWORD group_count(HANDLE token)
{
    BYTE buf[1024];
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenGroups, buf, sizeof buf, &n));
    return ((TOKEN_GROUPS *)buf)->GroupCount;
}

static DWORD dword_class(HANDLE token, TOKEN_INFORMATION_CLASS cls)
{
    DWORD value = 0xdeadbeef, n = 0;
    ck_assert(GetTokenInformation(token, cls, &value, sizeof value, &n));
    ck_assert_uint_eq(n, sizeof value);
    return value;
}

static TOKEN_STATISTICS statistics(HANDLE token)
{
    TOKEN_STATISTICS st;
    DWORD n;
    ck_assert(GetTokenInformation(token, TokenStatistics, &st, sizeof st, &n));
    return st;
}

static BOOL member(HANDLE token, const char *sid)
{
    PSID s = sid_of(sid);
    BOOL is = 0xdead;
    ck_assert(CheckTokenMembership(token, s, &is));
    LocalFree(s);
    return is;
}

/* ---- CreateRestrictedToken: what the new token holds ---- */

START_TEST(a_disabled_group_becomes_deny_only_and_checks_no_membership)
{
    HANDLE token = impersonation_token();
    ck_assert_int_eq(member(token, DOMAIN_USERS), TRUE);
    HANDLE r = restricted(token, 0, DOMAIN_USERS, NULL);
    ck_assert_int_eq(member(r, DOMAIN_USERS), FALSE);
    /* Deny-only, and no longer mandatory, enabled or enabled by default; the others as they were. */
    ck_assert_uint_eq(group_attributes(r, DOMAIN_USERS), SE_GROUP_USE_FOR_DENY_ONLY);
    ck_assert_uint_eq(group_attributes(r, "S-1-1-0"), SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert_uint_eq(group_count(r), ALICE_GROUPS);
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    /* An impersonation token stays one, at its level. */
    ck_assert_uint_eq(dword_class(r, TokenType), TokenImpersonation);
    ck_assert_uint_eq(dword_class(r, TokenImpersonationLevel), SecurityImpersonation);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_restricted_copy_of_a_primary_token_is_primary)
{
    HANDLE process;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    HANDLE r = restricted(process, 0, DOMAIN_USERS, NULL);
    ck_assert_uint_eq(dword_class(r, TokenType), TokenPrimary);
    DWORD level = 0xdeadbeef, n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!GetTokenInformation(r, TokenImpersonationLevel, &level, sizeof level, &n));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    CloseHandle(r);
    CloseHandle(process);
}
END_TEST

START_TEST(the_user_sid_can_be_made_deny_only)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, ALICE, NULL);
    BYTE buf[128];
    DWORD n;
    ck_assert(GetTokenInformation(r, TokenUser, buf, sizeof buf, &n));
    ck_assert_uint_eq(((TOKEN_USER *)buf)->User.Attributes, SE_GROUP_USE_FOR_DENY_ONLY);
    ck_assert(GetTokenInformation(token, TokenUser, buf, sizeof buf, &n));
    ck_assert_uint_eq(((TOKEN_USER *)buf)->User.Attributes, 0);
    ck_assert_int_eq(member(r, ALICE), FALSE);
    ck_assert_int_eq(member(token, ALICE), TRUE);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_deleted_privilege_leaves_the_token)
{
    HANDLE token = impersonation_token();
    LUID_AND_ATTRIBUTES del = {{CHANGE_NOTIFY_LUID, 0}, 0};
    HANDLE r = (HANDLE)0xdeadbeef;
    ck_assert(CreateRestrictedToken(token, 0, 0, NULL, 1, &del, 0, NULL, &r));
    PRIVILEGE_SET set = {1, 0, {{{CHANGE_NOTIFY_LUID, 0}, 0}}};
    BOOL held = 0xdead;
    ck_assert(PrivilegeCheck(token, &set, &held));
    ck_assert_int_eq(held, TRUE);
    set.Privilege[0].Attributes = 0;
    held = 0xdead;
    ck_assert(PrivilegeCheck(r, &set, &held));
    ck_assert_int_eq(held, FALSE);
    BYTE buf[256];
    DWORD n;
    ck_assert(GetTokenInformation(r, TokenPrivileges, buf, sizeof buf, &n));
    TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
    ck_assert_uint_eq(tp->PrivilegeCount, ALICE_PRIVILEGES - 1);
    for (DWORD i = 0; i < tp->PrivilegeCount; i++)
        ck_assert_uint_ne(tp->Privileges[i].Luid.LowPart, CHANGE_NOTIFY_LUID);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(sids_and_privileges_the_token_lacks_are_ignored)
{
    HANDLE token = impersonation_token();
    PSID stranger = sid_of(DOMAIN_SID "-4242");
    SID_AND_ATTRIBUTES d = {stranger, 0xffffffff}; /* the Attributes of SidsToDisable are ignored */
    LUID_AND_ATTRIBUTES del = {{0xdeadbeef, 0}, 0};
    HANDLE r = NULL;
    SetLastError(0xdeadbeef);
    ck_assert(CreateRestrictedToken(token, 0, 1, &d, 1, &del, 0, NULL, &r));
    ck_assert_last_error(0xdeadbeef);
    ck_assert_uint_eq(group_count(r), ALICE_GROUPS);
    ck_assert_uint_eq(statistics(r).PrivilegeCount, ALICE_PRIVILEGES);
    ck_assert_int_eq(IsTokenRestricted(r), FALSE);
    LocalFree(stranger);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(disable_max_privilege_keeps_change_notify_alone_and_ignores_the_list)
{
    HANDLE token = impersonation_token();
    HANDLE r = NULL;
    /* With DISABLE_MAX_PRIVILEGE the privilege list is ignored, even a count without an array. */
    ck_assert(CreateRestrictedToken(token, DISABLE_MAX_PRIVILEGE, 0, NULL, 5, NULL, 0, NULL, &r));
    BYTE buf[256];
    DWORD n;
    ck_assert(GetTokenInformation(r, TokenPrivileges, buf, sizeof buf, &n));
    TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
    ck_assert_uint_eq(tp->PrivilegeCount, 1);
    ck_assert_uint_eq(tp->Privileges[0].Luid.LowPart, CHANGE_NOTIFY_LUID);
    ck_assert_uint_eq(tp->Privileges[0].Attributes, SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    ck_assert_uint_eq(n, offsetof(TOKEN_PRIVILEGES, Privileges) + sizeof(LUID_AND_ATTRIBUTES));
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(restricting_sids_show_in_token_restricted_sids_and_is_token_restricted)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, NULL, "S-1-1-0");
    SetLastError(0xdeadbeef);
    ck_assert_int_eq(IsTokenRestricted(r), TRUE);
    ck_assert_last_error(0xdeadbeef);
    SetLastError(0xdeadbeef);
    ck_assert_int_eq(IsTokenRestricted(token), FALSE);
    ck_assert_last_error(0xdeadbeef); /* an answer, not a failure */
    BYTE buf[256];
    DWORD n = 0;
    ck_assert(GetTokenInformation(r, TokenRestrictedSids, buf, sizeof buf, &n));
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    ck_assert_uint_eq(g->GroupCount, 1);
    ck_assert_uint_eq(n, offsetof(TOKEN_GROUPS, Groups) + sizeof(SID_AND_ATTRIBUTES) + 12);
    PSID world = sid_of("S-1-1-0");
    ck_assert(EqualSid(g->Groups[0].Sid, world));
    ck_assert_uint_eq(g->Groups[0].Attributes, SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert(GetTokenInformation(token, TokenRestrictedSids, buf, sizeof buf, &n));
    ck_assert_uint_eq(g->GroupCount, 0);
    ck_assert_uint_eq(n, offsetof(TOKEN_GROUPS, Groups));
    /* TokenGroupsAndPrivileges carries them too. */
    BYTE all[2048];
    ck_assert(GetTokenInformation(r, TokenGroupsAndPrivileges, all, sizeof all, &n));
    TOKEN_GROUPS_AND_PRIVILEGES *gp = (TOKEN_GROUPS_AND_PRIVILEGES *)all;
    ck_assert_uint_eq(gp->RestrictedSidCount, 1);
    ck_assert_uint_eq(gp->RestrictedSidLength, 12);
    ck_assert(EqualSid(gp->RestrictedSids[0].Sid, world));
    ck_assert_uint_eq(gp->SidCount, ALICE_GROUPS + 1);
    ck_assert((BYTE *)gp->RestrictedSids[0].Sid >= all && (BYTE *)gp->RestrictedSids[0].Sid + 12 <= all + n);
    /* Restricted or filtered, as the information classes say. */
    ck_assert_uint_eq(dword_class(r, TokenIsRestricted), 1);
    ck_assert_uint_eq(dword_class(r, TokenHasRestrictions), 1);
    ck_assert_uint_eq(dword_class(token, TokenIsRestricted), 0);
    ck_assert_uint_eq(dword_class(token, TokenHasRestrictions), 0);
    LocalFree(world);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_restricted_token_gets_a_new_token_id_and_modified_id)
{
    HANDLE token = impersonation_token();
    TOKEN_STATISTICS before = statistics(token);
    HANDLE r = restricted(token, 0, DOMAIN_USERS, NULL);
    TOKEN_STATISTICS after = statistics(r);
    ck_assert(memcmp(&after.TokenId, &before.TokenId, sizeof(LUID)) != 0);
    ck_assert(memcmp(&after.ModifiedId, &before.ModifiedId, sizeof(LUID)) != 0);
    ck_assert(memcmp(&after.ModifiedId, &after.TokenId, sizeof(LUID)) != 0);
    ck_assert(!memcmp(&after.AuthenticationId, &before.AuthenticationId, sizeof(LUID)));
    ck_assert_uint_eq(after.GroupCount, before.GroupCount);
    ck_assert_uint_eq(after.TokenType, TokenImpersonation);
    /* The source did not change. */
    TOKEN_STATISTICS again = statistics(token);
    ck_assert(!memcmp(&again.ModifiedId, &before.ModifiedId, sizeof(LUID)));
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(sandbox_inert_shows_in_token_sand_box_inert)
{
    HANDLE token = impersonation_token();
    HANDLE inert = restricted(token, SANDBOX_INERT, NULL, NULL);
    ck_assert_uint_eq(dword_class(inert, TokenSandBoxInert), 1);
    ck_assert_uint_eq(dword_class(token, TokenSandBoxInert), 0);
    ck_assert_int_eq(IsTokenRestricted(inert), FALSE); /* filtered, but with no restricting SIDs */
    ck_assert_uint_eq(dword_class(inert, TokenHasRestrictions), 1);
    CloseHandle(inert);
    CloseHandle(token);
}
END_TEST

START_TEST(a_restricted_source_keeps_only_the_restricting_sids_it_already_has)
{
    HANDLE token = impersonation_token();
    HANDLE first = restricted(token, 0, NULL, "S-1-1-0");
    /* Asked for Authenticated Users besides Everyone: only Everyone, which the source has, remains. */
    SID_AND_ATTRIBUTES r[2] = {{sid_of("S-1-5-11"), 0}, {sid_of("S-1-1-0"), 0}};
    HANDLE second = NULL;
    ck_assert(CreateRestrictedToken(first, 0, 0, NULL, 0, NULL, 2, r, &second));
    BYTE buf[256];
    DWORD n;
    ck_assert(GetTokenInformation(second, TokenRestrictedSids, buf, sizeof buf, &n));
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    ck_assert_uint_eq(g->GroupCount, 1);
    ck_assert(EqualSid(g->Groups[0].Sid, r[1].Sid));
    /* None asked for: the source's list is kept. */
    HANDLE third = restricted(first, 0, NULL, NULL);
    ck_assert(GetTokenInformation(third, TokenRestrictedSids, buf, sizeof buf, &n));
    ck_assert_uint_eq(g->GroupCount, 1);
    LocalFree(r[0].Sid);
    LocalFree(r[1].Sid);
    CloseHandle(third);
    CloseHandle(second);
    CloseHandle(first);
    CloseHandle(token);
}
END_TEST

/* ---- CreateRestrictedToken: handles and bad arguments ---- */

START_TEST(the_new_handle_has_the_access_of_the_existing_one)
{
    HANDLE process, token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateTokenEx(process, TOKEN_DUPLICATE, NULL, SecurityImpersonation, TokenImpersonation, &token));
    HANDLE r = restricted(token, 0, DOMAIN_USERS, NULL);
    DWORD type = 0xdeadbeef, n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!GetTokenInformation(r, TokenType, &type, sizeof type, &n));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(type, 0xdeadbeef);
    HANDLE again = restricted(r, 0, NULL, NULL); /* TOKEN_DUPLICATE it has */
    CloseHandle(again);
    CloseHandle(r);
    CloseHandle(token);
    CloseHandle(process);
}
END_TEST

START_TEST(without_token_duplicate_access_it_is_access_denied)
{
    HANDLE query;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &query));
    HANDLE r;
    SENTINEL(r);
    SetLastError(0xdeadbeef);
    ck_assert(!CreateRestrictedToken(query, 0, 0, NULL, 0, NULL, 0, NULL, &r));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    ck_assert_untouched(r);
    /* The process token pseudo-handle has TOKEN_QUERY only. */
    SetLastError(0xdeadbeef);
    ck_assert(!CreateRestrictedToken(GetCurrentProcessToken(), 0, 0, NULL, 0, NULL, 0, NULL, &r));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    ck_assert_untouched(r);
    CloseHandle(query);
}
END_TEST

START_TEST(bad_arguments_fail_with_windows_errors_and_no_handle)
{
    HANDLE token = impersonation_token();
    PSID world = sid_of("S-1-1-0");
    BYTE bad_sid[12] = {2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}; /* revision 2 */
    SID_AND_ATTRIBUTES good = {world, 0}, bad = {bad_sid, 0}, flagged = {world, SE_GROUP_ENABLED};
    LUID_AND_ATTRIBUTES del = {{SHUTDOWN_LUID, 0}, 0};
    struct {
        const char *what;
        HANDLE h;
        DWORD flags, ndisable;
        PSID_AND_ATTRIBUTES disable;
        DWORD ndelete;
        PLUID_AND_ATTRIBUTES del;
        DWORD nrestrict;
        PSID_AND_ATTRIBUTES restrict_to;
        DWORD error;
    } cases[] = {
        {"unknown flag", token, 0x10, 0, NULL, 0, NULL, 0, NULL, ERROR_INVALID_PARAMETER},
        {"disable count without array", token, 0, 1, NULL, 0, NULL, 0, NULL, ERROR_INVALID_PARAMETER},
        {"delete count without array", token, 0, 0, NULL, 1, NULL, 0, NULL, ERROR_INVALID_PARAMETER},
        {"restrict count without array", token, 0, 0, NULL, 0, NULL, 1, NULL, ERROR_INVALID_PARAMETER},
        {"malformed SID to disable", token, 0, 1, &bad, 0, NULL, 0, NULL, ERROR_INVALID_SID},
        {"malformed restricting SID", token, 0, 0, NULL, 0, NULL, 1, &bad, ERROR_INVALID_SID},
        {"restricting SID with attributes", token, 0, 0, NULL, 1, &del, 1, &flagged, ERROR_INVALID_PARAMETER},
        {"NULL token", NULL, 0, 1, &good, 0, NULL, 0, NULL, ERROR_INVALID_HANDLE},
        {"forged token", (HANDLE)(uintptr_t)0x7ff0, 0, 0, NULL, 0, NULL, 0, NULL, ERROR_INVALID_HANDLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        HANDLE r;
        SENTINEL(r);
        SetLastError(0xdeadbeef);
        ck_assert_msg(!CreateRestrictedToken(cases[i].h, cases[i].flags, cases[i].ndisable, cases[i].disable,
                                             cases[i].ndelete, cases[i].del, cases[i].nrestrict, cases[i].restrict_to,
                                             &r),
                      "%s succeeded", cases[i].what);
        ck_assert_msg(GetLastError() == cases[i].error, "%s: last error %lu, expected %lu", cases[i].what,
                      (unsigned long)GetLastError(), (unsigned long)cases[i].error);
        ck_assert_untouched(r);
    }
    SetLastError(0xdeadbeef);
    ck_assert(!CreateRestrictedToken(token, 0, 0, NULL, 0, NULL, 0, NULL, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 1); /* token alone: no failed call left a handle */
    LocalFree(world);
    CloseHandle(token);
}
END_TEST

START_TEST(the_new_handle_is_owned_and_closing_it_twice_is_misuse)
{
    HANDLE token = impersonation_token();
    fakesspi_counts before, during, after;
    fakesspi_get_counts(&before);
    HANDLE r = restricted(token, 0, NULL, "S-1-1-0");
    fakesspi_get_counts(&during);
    ck_assert_uint_eq(during.live_handles, before.live_handles + 1);
    ck_assert_uint_eq(during.live_tokens, before.live_tokens + 1);
    ck_assert(CloseHandle(r));
    fakesspi_get_counts(&after);
    ck_assert_uint_eq(after.live_handles, before.live_handles);
    ck_assert_uint_eq(after.live_tokens, before.live_tokens);
    SetLastError(0xdeadbeef);
    ck_assert(!CloseHandle(r));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    CloseHandle(token);
}
END_TEST

/* ---- access checks of restricted and deny-only tokens (MS-DTYP 2.5.3.2) ---- */

START_TEST(a_restricted_token_gets_only_what_both_checks_grant)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, NULL, "S-1-1-0");
    const char *sddl = "O:BAG:BAD:(A;;FA;;;" ALICE ")(A;;FR;;;WD)";
    ck_assert_granted(check(sddl, token, FILE_WRITE_DATA), FILE_WRITE_DATA);
    ck_assert_granted(check(sddl, r, FILE_READ_DATA), FILE_READ_DATA);
    ck_assert_denied(check(sddl, r, FILE_WRITE_DATA));
    ck_assert_granted(check(sddl, token, MAXIMUM_ALLOWED), FILE_ALL_ACCESS);
    ck_assert_granted(check(sddl, r, MAXIMUM_ALLOWED), FILE_GENERIC_READ);
    /* What only a restricting SID is granted, the normal check must grant too. */
    HANDLE rc = restricted(token, 0, NULL, "S-1-5-12");
    ck_assert_denied(check("O:BAG:BAD:(A;;FA;;;RC)", rc, FILE_READ_DATA));
    ck_assert_granted(check("O:BAG:BAD:(A;;FA;;;RC)(A;;FR;;;WD)", rc, FILE_READ_DATA), FILE_READ_DATA);
    ck_assert_denied(check("O:BAG:BAD:(A;;FA;;;RC)(A;;FR;;;WD)", rc, FILE_WRITE_DATA));
    /* A deny ACE for a restricting SID denies in its pass. */
    ck_assert_denied(check("O:BAG:BAD:(D;;FR;;;RC)(A;;FA;;;WD)", rc, FILE_READ_DATA));
    CloseHandle(rc);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_write_restricted_token_limits_only_writes)
{
    HANDLE token = impersonation_token();
    HANDLE w = restricted(token, WRITE_RESTRICTED, NULL, "S-1-1-0");
    const char *sddl = "O:BAG:BAD:(A;;FA;;;" ALICE ")(A;;FR;;;WD)";
    ck_assert_granted(check(sddl, w, FILE_READ_DATA | FILE_EXECUTE), FILE_READ_DATA | FILE_EXECUTE);
    ck_assert_denied(check(sddl, w, FILE_WRITE_DATA));
    ck_assert_granted(check(sddl, w, MAXIMUM_ALLOWED),
                      FILE_ALL_ACCESS & ~(FILE_GENERIC_WRITE & ~(DWORD)FILE_GENERIC_READ));
    ck_assert_granted(check("O:BAG:BAD:(A;;FA;;;" ALICE ")(A;;FW;;;WD)", w, FILE_WRITE_DATA), FILE_WRITE_DATA);
    /* Membership is not a write: a write-restricted token is a member of its groups. */
    ck_assert_int_eq(member(w, DOMAIN_USERS), TRUE);
    CloseHandle(w);
    CloseHandle(token);
}
END_TEST

START_TEST(check_token_membership_of_a_restricted_token_needs_a_restricting_sid)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, NULL, "S-1-1-0");
    ck_assert_int_eq(member(r, "S-1-1-0"), TRUE);
    ck_assert_int_eq(member(r, DOMAIN_USERS), FALSE);
    ck_assert_int_eq(member(r, ALICE), FALSE);
    ck_assert_int_eq(member(token, DOMAIN_USERS), TRUE);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_deny_only_group_matches_deny_aces_and_never_allow_aces)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, DOMAIN_USERS, NULL);
    ck_assert_granted(check("O:BAG:BAD:(A;;FA;;;" DOMAIN_USERS ")", token, FILE_READ_DATA), FILE_READ_DATA);
    ck_assert_denied(check("O:BAG:BAD:(A;;FA;;;" DOMAIN_USERS ")", r, FILE_READ_DATA));
    const char *deny = "O:BAG:BAD:(D;;FW;;;" DOMAIN_USERS ")(A;;FA;;;WD)";
    ck_assert_denied(check(deny, r, FILE_WRITE_DATA));
    ck_assert_granted(check(deny, r, FILE_READ_DATA), FILE_READ_DATA);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_deny_only_user_is_denied_by_its_aces_and_owns_nothing)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, ALICE, NULL);
    ck_assert_denied(check("O:BAG:BAD:(A;;FA;;;" ALICE ")", r, FILE_READ_DATA));
    ck_assert_denied(check("O:BAG:BAD:(D;;FR;;;" ALICE ")(A;;FA;;;WD)", r, FILE_READ_DATA));
    /* An owner gets READ_CONTROL and WRITE_DAC from an empty DACL; a deny-only owner does not. */
    const char *owned = "O:" ALICE "G:BAD:";
    ck_assert_granted(check(owned, token, READ_CONTROL | WRITE_DAC), READ_CONTROL | WRITE_DAC);
    ck_assert_denied(check(owned, r, READ_CONTROL));
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(the_owners_implicit_rights_need_the_owner_among_the_restricting_sids)
{
    HANDLE token = impersonation_token();
    HANDLE world = restricted(token, 0, NULL, "S-1-1-0");
    HANDLE self = restricted(token, 0, NULL, ALICE);
    const char *owned = "O:" ALICE "G:BAD:";
    ck_assert_denied(check(owned, world, READ_CONTROL));
    ck_assert_granted(check(owned, self, READ_CONTROL | WRITE_DAC), READ_CONTROL | WRITE_DAC);
    CloseHandle(self);
    CloseHandle(world);
    CloseHandle(token);
}
END_TEST

/* ---- AdjustTokenGroups ---- */

/* Turns a group of the token behind h into an optional one (enabled by default, not mandatory): every group
 * a logon gives is mandatory, and Windows lets only optional groups be disabled. */
static void make_group_optional(HANDLE h, const char *text)
{
    struct fs_token *t;
    ck_assert_int_eq(fs_api_token(h, 0, "test", &t, NULL), FS_OK);
    PSID s = sid_of(text);
    struct fs_sid sid;
    fs_sid_copy_in(&sid, s);
    LocalFree(s);
    fs_token_state_lock();
    for (size_t i = 0; i < t->ngroups; i++)
        if (fs_sid_equal(&t->groups[i].sid, &sid))
            t->groups[i].attributes = SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED;
    fs_token_state_unlock();
    fs_token_unref(t);
}

/* A one-group TOKEN_GROUPS (the SID is the caller's to LocalFree). */
static TOKEN_GROUPS one_group(const char *sid, DWORD attributes)
{
    TOKEN_GROUPS g = {1, {{sid_of(sid), attributes}}};
    return g;
}

START_TEST(adjust_token_groups_disables_enables_and_reports_the_previous_state)
{
    HANDLE token = impersonation_token();
    make_group_optional(token, DOMAIN_USERS);
    TOKEN_STATISTICS before = statistics(token);
    TOKEN_GROUPS off = one_group(DOMAIN_USERS, 0);
    BYTE prev[256];
    memset(prev, 0xcc, sizeof prev);
    DWORD len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(AdjustTokenGroups(token, FALSE, &off, sizeof prev, (PTOKEN_GROUPS)prev, &len));
    ck_assert_last_error(ERROR_SUCCESS);
    TOKEN_GROUPS *p = (TOKEN_GROUPS *)prev;
    ck_assert_uint_eq(len, offsetof(TOKEN_GROUPS, Groups) + sizeof(SID_AND_ATTRIBUTES) + 28);
    ck_assert_uint_eq(p->GroupCount, 1);
    ck_assert(EqualSid(p->Groups[0].Sid, off.Groups[0].Sid));
    ck_assert_uint_eq(p->Groups[0].Attributes, SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert((BYTE *)p->Groups[0].Sid == prev + offsetof(TOKEN_GROUPS, Groups) + sizeof(SID_AND_ATTRIBUTES));
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_ENABLED_BY_DEFAULT);
    ck_assert_int_eq(member(token, DOMAIN_USERS), FALSE);
    TOKEN_STATISTICS after = statistics(token);
    ck_assert(memcmp(&after.ModifiedId, &before.ModifiedId, sizeof(LUID)) != 0);
    ck_assert(!memcmp(&after.TokenId, &before.TokenId, sizeof(LUID)));
    /* A disabled group is not deny-only: it matches neither allow nor deny ACEs. */
    ck_assert_denied(check("O:BAG:BAD:(A;;FA;;;" DOMAIN_USERS ")", token, FILE_READ_DATA));
    ck_assert_granted(check("O:BAG:BAD:(D;;FA;;;" DOMAIN_USERS ")(A;;FR;;;WD)", token, FILE_READ_DATA),
                      FILE_READ_DATA);
    /* The previous state, passed back, restores the group. */
    ck_assert(AdjustTokenGroups(token, FALSE, p, 0, NULL, NULL));
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert_int_eq(member(token, DOMAIN_USERS), TRUE);
    LocalFree(off.Groups[0].Sid);
    CloseHandle(token);
}
END_TEST

START_TEST(adjust_token_groups_with_a_short_previous_state_changes_nothing)
{
    HANDLE token = impersonation_token();
    make_group_optional(token, DOMAIN_USERS);
    TOKEN_STATISTICS before = statistics(token);
    TOKEN_GROUPS off = one_group(DOMAIN_USERS, 0);
    BYTE prev[256];
    memset(prev, 0xcc, sizeof prev);
    DWORD need = offsetof(TOKEN_GROUPS, Groups) + sizeof(SID_AND_ATTRIBUTES) + 28, len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(token, FALSE, &off, need - 1, (PTOKEN_GROUPS)prev, &len));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(len, need);
    ck_assert_uint_eq(prev[0], 0xcc);
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    TOKEN_STATISTICS after = statistics(token);
    ck_assert(!memcmp(&after.ModifiedId, &before.ModifiedId, sizeof(LUID)));
    ck_assert(AdjustTokenGroups(token, FALSE, &off, need, (PTOKEN_GROUPS)prev, &len));
    ck_assert_uint_eq(len, need);
    LocalFree(off.Groups[0].Sid);
    CloseHandle(token);
}
END_TEST

START_TEST(reset_to_default_enables_what_is_enabled_by_default)
{
    HANDLE token = impersonation_token();
    make_group_optional(token, DOMAIN_USERS);
    TOKEN_GROUPS off = one_group(DOMAIN_USERS, 0);
    ck_assert(AdjustTokenGroups(token, FALSE, &off, 0, NULL, NULL));
    BYTE prev[256];
    DWORD len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    /* NewState is ignored on a reset. */
    ck_assert(AdjustTokenGroups(token, TRUE, NULL, sizeof prev, (PTOKEN_GROUPS)prev, &len));
    ck_assert_last_error(ERROR_SUCCESS);
    TOKEN_GROUPS *p = (TOKEN_GROUPS *)prev;
    ck_assert_uint_eq(p->GroupCount, 1);
    ck_assert_uint_eq(p->Groups[0].Attributes, SE_GROUP_ENABLED_BY_DEFAULT);
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    /* Again: nothing to change, an empty previous state. */
    TOKEN_STATISTICS before = statistics(token);
    len = 0xdeadbeef;
    ck_assert(AdjustTokenGroups(token, TRUE, NULL, sizeof prev, (PTOKEN_GROUPS)prev, &len));
    ck_assert_uint_eq(p->GroupCount, 0);
    ck_assert_uint_eq(len, offsetof(TOKEN_GROUPS, Groups));
    TOKEN_STATISTICS after = statistics(token);
    ck_assert(!memcmp(&after.ModifiedId, &before.ModifiedId, sizeof(LUID)));
    LocalFree(off.Groups[0].Sid);
    CloseHandle(token);
}
END_TEST

START_TEST(a_mandatory_group_cannot_be_disabled)
{
    HANDLE token = impersonation_token();
    TOKEN_STATISTICS before = statistics(token);
    TOKEN_GROUPS off = one_group(DOMAIN_USERS, 0);
    BYTE prev[256];
    memset(prev, 0xcc, sizeof prev);
    DWORD len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(token, FALSE, &off, sizeof prev, (PTOKEN_GROUPS)prev, &len));
    ck_assert_last_error(ERROR_CANT_DISABLE_MANDATORY);
    ck_assert_uint_eq(len, 0xdeadbeef);
    ck_assert_uint_eq(prev[0], 0xcc);
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    TOKEN_STATISTICS after = statistics(token);
    ck_assert(!memcmp(&after.ModifiedId, &before.ModifiedId, sizeof(LUID)));
    /* Enabling it, which it already is, is no change and no error. */
    TOKEN_GROUPS on = one_group(DOMAIN_USERS, SE_GROUP_ENABLED);
    SetLastError(0xdeadbeef);
    ck_assert(AdjustTokenGroups(token, FALSE, &on, 0, NULL, NULL));
    ck_assert_last_error(ERROR_SUCCESS);
    LocalFree(on.Groups[0].Sid);
    LocalFree(off.Groups[0].Sid);
    CloseHandle(token);
}
END_TEST

START_TEST(a_deny_only_group_cannot_be_enabled)
{
    HANDLE token = impersonation_token();
    HANDLE r = restricted(token, 0, DOMAIN_USERS, NULL); /* with TOKEN_ADJUST_GROUPS, as token has */
    TOKEN_GROUPS on = one_group(DOMAIN_USERS, SE_GROUP_ENABLED);
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(r, FALSE, &on, 0, NULL, NULL));
    ck_assert_last_error(ERROR_CANT_ENABLE_DENY_ONLY);
    ck_assert_uint_eq(group_attributes(r, DOMAIN_USERS), SE_GROUP_USE_FOR_DENY_ONLY);
    /* A reset leaves it deny-only too. */
    ck_assert(AdjustTokenGroups(r, TRUE, NULL, 0, NULL, NULL));
    ck_assert_uint_eq(group_attributes(r, DOMAIN_USERS), SE_GROUP_USE_FOR_DENY_ONLY);
    LocalFree(on.Groups[0].Sid);
    CloseHandle(r);
    CloseHandle(token);
}
END_TEST

START_TEST(a_sid_that_is_not_a_group_of_the_token_is_not_all_assigned)
{
    HANDLE token = impersonation_token();
    make_group_optional(token, DOMAIN_USERS);
    TOKEN_GROUPS *g = calloc(1, sizeof(TOKEN_GROUPS) + 2 * sizeof(SID_AND_ATTRIBUTES));
    g->GroupCount = 3;
    g->Groups[0] = (SID_AND_ATTRIBUTES){sid_of(DOMAIN_SID "-4242"), 0};
    g->Groups[1] = (SID_AND_ATTRIBUTES){sid_of(ALICE), 0}; /* the user is not a group */
    g->Groups[2] = (SID_AND_ATTRIBUTES){sid_of(DOMAIN_USERS), 0};
    SetLastError(0xdeadbeef);
    ck_assert(AdjustTokenGroups(token, FALSE, g, 0, NULL, NULL));
    ck_assert_last_error(ERROR_NOT_ALL_ASSIGNED);
    ck_assert_uint_eq(group_attributes(token, DOMAIN_USERS), SE_GROUP_ENABLED_BY_DEFAULT); /* the rest applied */
    for (int i = 0; i < 3; i++)
        LocalFree(g->Groups[i].Sid);
    free(g);
    CloseHandle(token);
}
END_TEST

START_TEST(adjust_token_groups_needs_adjust_groups_and_query_for_the_previous_state)
{
    HANDLE process, query, adjust;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY, &process));
    ck_assert(DuplicateTokenEx(process, TOKEN_QUERY, NULL, SecurityImpersonation, TokenImpersonation, &query));
    ck_assert(DuplicateTokenEx(process, TOKEN_ADJUST_GROUPS, NULL, SecurityImpersonation, TokenImpersonation, &adjust));
    TOKEN_GROUPS on = one_group(DOMAIN_USERS, SE_GROUP_ENABLED);
    BYTE prev[256];
    DWORD len = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(query, FALSE, &on, 0, NULL, NULL));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(adjust, FALSE, &on, sizeof prev, (PTOKEN_GROUPS)prev, &len));
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(len, 0xdeadbeef);
    ck_assert(AdjustTokenGroups(adjust, FALSE, &on, 0, NULL, NULL));
    LocalFree(on.Groups[0].Sid);
    CloseHandle(adjust);
    CloseHandle(query);
    CloseHandle(process);
}
END_TEST

START_TEST(adjust_token_groups_bad_arguments_fail_as_windows)
{
    HANDLE token = impersonation_token();
    BYTE prev[64];
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(token, FALSE, NULL, 0, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    TOKEN_GROUPS on = one_group(DOMAIN_USERS, SE_GROUP_ENABLED);
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(token, FALSE, &on, sizeof prev, (PTOKEN_GROUPS)prev, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    BYTE bad_sid[12] = {2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    TOKEN_GROUPS bad = {1, {{bad_sid, SE_GROUP_ENABLED}}};
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups(token, FALSE, &bad, 0, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_SID);
    SetLastError(0xdeadbeef);
    ck_assert(!AdjustTokenGroups((HANDLE)(uintptr_t)0x7ff0, FALSE, &on, 0, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    LocalFree(on.Groups[0].Sid);
    CloseHandle(token);
}
END_TEST

/* Group changes and the readers of group attributes meet under one lock: a reader sees the group either
 * enabled or disabled, never anything between, and the access check agrees with the membership it saw. */
struct toggler {
    HANDLE token;
    int rounds;
};

static void *toggle_groups(void *arg)
{
    struct toggler *tg = arg;
    TOKEN_GROUPS off = one_group(DOMAIN_USERS, 0), on = one_group(DOMAIN_USERS, SE_GROUP_ENABLED);
    for (int i = 0; i < tg->rounds; i++) {
        if (!AdjustTokenGroups(tg->token, FALSE, i % 2 ? &on : &off, 0, NULL, NULL))
            return (void *)1;
    }
    LocalFree(off.Groups[0].Sid);
    LocalFree(on.Groups[0].Sid);
    return NULL;
}

START_TEST(group_changes_and_their_readers_do_not_race)
{
    HANDLE token = impersonation_token();
    make_group_optional(token, DOMAIN_USERS);
    struct toggler tg = {token, 2000};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, toggle_groups, &tg), 0);
    for (int i = 0; i < 300; i++) {
        DWORD a = group_attributes(token, DOMAIN_USERS);
        ck_assert_msg(a == SE_GROUP_ENABLED_BY_DEFAULT || a == (SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED),
                      "attributes %#lx", (unsigned long)a);
        struct outcome o = check("O:BAG:BAD:(A;;FR;;;" DOMAIN_USERS ")", token, FILE_READ_DATA);
        ck_assert(o.ok);
        ck_assert(o.status ? o.granted == FILE_READ_DATA : o.granted == 0);
        (void)member(token, DOMAIN_USERS);
    }
    void *failed = (void *)1;
    ck_assert_int_eq(pthread_join(th, &failed), 0);
    ck_assert_ptr_null(failed);
    CloseHandle(token);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("restricted_token");
    TCase *tc = test_case("create");
    tcase_add_test(tc, a_disabled_group_becomes_deny_only_and_checks_no_membership);
    tcase_add_test(tc, a_restricted_copy_of_a_primary_token_is_primary);
    tcase_add_test(tc, the_user_sid_can_be_made_deny_only);
    tcase_add_test(tc, a_deleted_privilege_leaves_the_token);
    tcase_add_test(tc, sids_and_privileges_the_token_lacks_are_ignored);
    tcase_add_test(tc, disable_max_privilege_keeps_change_notify_alone_and_ignores_the_list);
    tcase_add_test(tc, restricting_sids_show_in_token_restricted_sids_and_is_token_restricted);
    tcase_add_test(tc, a_restricted_token_gets_a_new_token_id_and_modified_id);
    tcase_add_test(tc, sandbox_inert_shows_in_token_sand_box_inert);
    tcase_add_test(tc, a_restricted_source_keeps_only_the_restricting_sids_it_already_has);
    tcase_add_test(tc, the_new_handle_has_the_access_of_the_existing_one);
    tcase_add_test(tc, without_token_duplicate_access_it_is_access_denied);
    tcase_add_test(tc, bad_arguments_fail_with_windows_errors_and_no_handle);
    tcase_add_test(tc, the_new_handle_is_owned_and_closing_it_twice_is_misuse);
    suite_add_tcase(s, tc);
    tc = test_case("access_check");
    tcase_add_test(tc, a_restricted_token_gets_only_what_both_checks_grant);
    tcase_add_test(tc, a_write_restricted_token_limits_only_writes);
    tcase_add_test(tc, check_token_membership_of_a_restricted_token_needs_a_restricting_sid);
    tcase_add_test(tc, a_deny_only_group_matches_deny_aces_and_never_allow_aces);
    tcase_add_test(tc, a_deny_only_user_is_denied_by_its_aces_and_owns_nothing);
    tcase_add_test(tc, the_owners_implicit_rights_need_the_owner_among_the_restricting_sids);
    suite_add_tcase(s, tc);
    tc = test_case("adjust_groups");
    tcase_add_test(tc, adjust_token_groups_disables_enables_and_reports_the_previous_state);
    tcase_add_test(tc, adjust_token_groups_with_a_short_previous_state_changes_nothing);
    tcase_add_test(tc, reset_to_default_enables_what_is_enabled_by_default);
    tcase_add_test(tc, a_mandatory_group_cannot_be_disabled);
    tcase_add_test(tc, a_deny_only_group_cannot_be_enabled);
    tcase_add_test(tc, a_sid_that_is_not_a_group_of_the_token_is_not_all_assigned);
    tcase_add_test(tc, adjust_token_groups_needs_adjust_groups_and_query_for_the_previous_state);
    tcase_add_test(tc, adjust_token_groups_bad_arguments_fail_as_windows);
    tcase_add_test(tc, group_changes_and_their_readers_do_not_race);
    suite_add_tcase(s, tc);
    return test_run(s);
}
