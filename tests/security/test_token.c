/* Tokens as GetTokenInformation shows them: layouts, sizes, and what each logon puts in. */
#include "testutil.h"
#include "sddl.h"

static HANDLE logon(const char *user, const char *password, DWORD type)
{
    HANDLE h = NULL;
    ck_assert_msg(LogonUserA(user, "EXAMPLE", password, type, LOGON32_PROVIDER_DEFAULT, &h), "logon %s: %lu", user,
                  (unsigned long)GetLastError());
    return h;
}

/* The two-call pattern; returns a malloc'd result and checks the size protocol on the way. */
static void *query(HANDLE token, TOKEN_INFORMATION_CLASS cls, DWORD *size_out)
{
    DWORD needed = 0xdeadbeef;
    SetLastError(0);
    ck_assert(!GetTokenInformation(token, cls, NULL, 0, &needed));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_ne(needed, 0xdeadbeef);
    /* One byte short still fails, with the same size. */
    unsigned char *buf = malloc(needed + 16);
    DWORD again = 0;
    ck_assert(!GetTokenInformation(token, cls, buf, needed - 1, &again));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(again, needed);
    DWORD written = 0;
    ck_assert(GetTokenInformation(token, cls, buf, needed + 16, &written));
    ck_assert_uint_eq(written, needed);
    if (size_out)
        *size_out = needed;
    return buf;
}

static int points_inside(const void *p, const void *buf, DWORD size)
{
    return (const unsigned char *)p >= (const unsigned char *)buf &&
           (const unsigned char *)p < (const unsigned char *)buf + size;
}

static void sid_text(PSID sid, char *out, size_t cap)
{
    LPSTR s = NULL;
    ck_assert(ConvertSidToStringSidA(sid, &s));
    snprintf(out, cap, "%s", s);
    LocalFree(s);
}

START_TEST(token_user_is_44_bytes_with_the_sid_inside_the_buffer)
{
    HANDLE h = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    DWORD size;
    TOKEN_USER *tu = query(h, TokenUser, &size);
    ck_assert_uint_eq(size, 44); /* 16 + S-1-5-21-a-b-c-RID (28): doc/semantics.md §16 */
    ck_assert(points_inside(tu->User.Sid, tu, size));
    ck_assert_uint_eq(tu->User.Attributes, 0);
    char text[128];
    sid_text(tu->User.Sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-5-21-1000000001-2000000002-3000000003-1104");
    free(tu);
    CloseHandle(h);
}
END_TEST

static int find_group(const TOKEN_GROUPS *g, const char *sid, DWORD *attributes)
{
    for (DWORD i = 0; i < g->GroupCount; i++) {
        char text[128];
        sid_text(g->Groups[i].Sid, text, sizeof text);
        if (!strcmp(text, sid)) {
            if (attributes)
                *attributes = g->Groups[i].Attributes;
            return (int)i;
        }
    }
    return -1;
}

START_TEST(a_network_logon_has_the_network_groups_and_no_logon_sid)
{
    HANDLE h = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    DWORD size, attrs;
    TOKEN_GROUPS *g = query(h, TokenGroups, &size);
    static const char *expected[] = {"S-1-5-21-1000000001-2000000002-3000000003-513",
                                     "S-1-5-21-1000000001-2000000002-3000000003-1200",
                                     "S-1-1-0", "S-1-5-32-545", "S-1-5-2", "S-1-5-11", "S-1-5-15"};
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        ck_assert_msg(find_group(g, expected[i], &attrs) >= 0, "%s missing", expected[i]);
        ck_assert_uint_eq(attrs, SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
        ck_assert(points_inside(g->Groups[find_group(g, expected[i], NULL)].Sid, g, size));
    }
    ck_assert_int_eq(find_group(g, "S-1-5-4", NULL), -1);
    ck_assert_int_eq(find_group(g, "S-1-5-32-544", NULL), -1);
    ck_assert_int_eq(find_group(g, "S-1-16-8192", &attrs), (int)g->GroupCount - 1);
    ck_assert_uint_eq(attrs, SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED);
    for (DWORD i = 0; i < g->GroupCount; i++)
        ck_assert((g->Groups[i].Attributes & SE_GROUP_LOGON_ID) != SE_GROUP_LOGON_ID);
    /* Exact size: header + one SID_AND_ATTRIBUTES per group + the SIDs themselves. */
    DWORD sids = 0;
    for (DWORD i = 0; i < g->GroupCount; i++)
        sids += GetLengthSid(g->Groups[i].Sid);
    ck_assert_uint_eq(size, 8 + 16 * g->GroupCount + sids);
    free(g);
    SetLastError(0);
    DWORD needed;
    ck_assert(!GetTokenInformation(h, TokenLogonSid, NULL, 0, &needed));
    ck_assert_last_error(ERROR_NOT_FOUND);
    CloseHandle(h);
}
END_TEST

START_TEST(an_interactive_logon_has_interactive_and_a_logon_sid)
{
    HANDLE h = logon("bob", "Hunter2!", LOGON32_LOGON_INTERACTIVE);
    DWORD size, attrs;
    TOKEN_GROUPS *g = query(h, TokenGroups, &size);
    ck_assert_int_ge(find_group(g, "S-1-5-4", NULL), 0);
    ck_assert_int_ge(find_group(g, "S-1-2-0", NULL), 0);
    ck_assert_int_eq(find_group(g, "S-1-5-2", NULL), -1);
    int logon_sid = -1;
    for (DWORD i = 0; i < g->GroupCount; i++)
        if ((g->Groups[i].Attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID)
            logon_sid = (int)i;
    ck_assert_int_ge(logon_sid, 0);
    attrs = g->Groups[logon_sid].Attributes;
    ck_assert_uint_eq(attrs, 0xC0000007);
    char text[128];
    sid_text(g->Groups[logon_sid].Sid, text, sizeof text);
    ck_assert(!strncmp(text, "S-1-5-5-", 8));
    free(g);
    TOKEN_GROUPS *ls = query(h, TokenLogonSid, &size);
    ck_assert_uint_eq(ls->GroupCount, 1);
    char again[128];
    sid_text(ls->Groups[0].Sid, again, sizeof again);
    ck_assert_str_eq(again, text);
    free(ls);
    TOKEN_TYPE *type = query(h, TokenType, NULL);
    ck_assert_int_eq(*type, TokenPrimary);
    free(type);
    CloseHandle(h);
}
END_TEST

START_TEST(an_administrator_is_elevated_high_and_owned_by_administrators)
{
    HANDLE h = logon("Administrator", "Adm1n!pass", LOGON32_LOGON_INTERACTIVE);
    DWORD attrs;
    TOKEN_GROUPS *g = query(h, TokenGroups, NULL);
    ck_assert_int_ge(find_group(g, "S-1-5-32-544", &attrs), 0);
    ck_assert_uint_eq(attrs, 0xF);
    ck_assert_int_ge(find_group(g, "S-1-5-21-1000000001-2000000002-3000000003-512", NULL), 0);
    ck_assert_int_ge(find_group(g, "S-1-16-12288", NULL), 0);
    free(g);
    TOKEN_OWNER *o = query(h, TokenOwner, NULL);
    char text[128];
    sid_text(o->Owner, text, sizeof text);
    ck_assert_str_eq(text, "S-1-5-32-544");
    free(o);
    TOKEN_ELEVATION *e = query(h, TokenElevation, NULL);
    ck_assert_uint_eq(e->TokenIsElevated, 1);
    free(e);
    TOKEN_PRIVILEGES *p = query(h, TokenPrivileges, NULL);
    int impersonate = 0;
    for (DWORD i = 0; i < p->PrivilegeCount; i++) {
        if (i)
            ck_assert_uint_lt(p->Privileges[i - 1].Luid.LowPart, p->Privileges[i].Luid.LowPart);
        if (p->Privileges[i].Luid.LowPart == 29) {
            impersonate = 1;
            ck_assert_uint_eq(p->Privileges[i].Attributes, SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT);
        }
    }
    ck_assert(impersonate);
    free(p);
    CloseHandle(h);
}
END_TEST

START_TEST(a_standard_user_has_change_notify_enabled_and_no_impersonate)
{
    HANDLE h = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK);
    DWORD size;
    TOKEN_PRIVILEGES *p = query(h, TokenPrivileges, &size);
    ck_assert_uint_eq(size, 4 + 12 * p->PrivilegeCount);
    int notify = 0;
    for (DWORD i = 0; i < p->PrivilegeCount; i++) {
        ck_assert_uint_ne(p->Privileges[i].Luid.LowPart, 29);
        if (p->Privileges[i].Luid.LowPart == 23) {
            notify = 1;
            ck_assert_uint_eq(p->Privileges[i].Attributes, 3);
        }
    }
    ck_assert(notify);
    free(p);
    TOKEN_ELEVATION *e = query(h, TokenElevation, NULL);
    ck_assert_uint_eq(e->TokenIsElevated, 0);
    free(e);
    TOKEN_MANDATORY_LABEL *l = query(h, TokenIntegrityLevel, NULL);
    char text[64];
    sid_text(l->Label.Sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-16-8192");
    ck_assert_uint_eq(l->Label.Attributes, 0x60);
    free(l);
    CloseHandle(h);
}
END_TEST

START_TEST(fixed_size_classes_have_windows_sizes)
{
    HANDLE h = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK);
    static const struct {
        TOKEN_INFORMATION_CLASS cls;
        DWORD size;
    } cases[] = {{TokenType, 4}, {TokenImpersonationLevel, 4}, {TokenStatistics, 56}, {TokenSessionId, 4},
                 {TokenOrigin, 8}, {TokenElevationType, 4}, {TokenElevation, 4}, {TokenSource, 16},
                 {TokenIsAppContainer, 4}, {TokenRestrictedSids, 8}, {TokenIsRestricted, 4}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        DWORD size;
        free(query(h, cases[i].cls, &size));
        ck_assert_msg(size == cases[i].size, "class %d: %lu", cases[i].cls, (unsigned long)size);
    }
    CloseHandle(h);
}
END_TEST

START_TEST(a_network_logon_from_logon_user_is_an_impersonation_token)
{
    HANDLE h = logon("bob", "Hunter2!", LOGON32_LOGON_NETWORK);
    TOKEN_STATISTICS *st = query(h, TokenStatistics, NULL);
    ck_assert_int_eq(st->TokenType, TokenImpersonation);
    ck_assert_int_eq(st->ImpersonationLevel, SecurityImpersonation);
    ck_assert_int_eq(st->ExpirationTime.QuadPart, INT64_MAX);
    ck_assert_uint_ne(st->TokenId.LowPart, st->AuthenticationId.LowPart);
    free(st);
    TOKEN_SOURCE *src = query(h, TokenSource, NULL);
    ck_assert(!memcmp(src->SourceName, "Advapi  ", 8));
    free(src);
    SECURITY_IMPERSONATION_LEVEL *lvl = query(h, TokenImpersonationLevel, NULL);
    ck_assert_int_eq(*lvl, SecurityImpersonation);
    free(lvl);
    CloseHandle(h);
}
END_TEST

START_TEST(impersonation_level_of_a_primary_token_is_invalid_parameter)
{
    HANDLE h = logon("bob", "Hunter2!", LOGON32_LOGON_INTERACTIVE);
    DWORD needed;
    SECURITY_IMPERSONATION_LEVEL lvl;
    ck_assert(!GetTokenInformation(h, TokenImpersonationLevel, &lvl, sizeof lvl, &needed));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!GetTokenInformation(h, TokenLinkedToken, NULL, 0, &needed));
    ck_assert_last_error(ERROR_NO_SUCH_LOGON_SESSION);
    ck_assert(!GetTokenInformation(h, (TOKEN_INFORMATION_CLASS)999, NULL, 0, &needed));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    CloseHandle(h);
}
END_TEST

START_TEST(groups_and_privileges_put_the_user_first)
{
    HANDLE h = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    DWORD size;
    TOKEN_GROUPS_AND_PRIVILEGES *gp = query(h, TokenGroupsAndPrivileges, &size);
    TOKEN_GROUPS *g = query(h, TokenGroups, NULL);
    TOKEN_PRIVILEGES *p = query(h, TokenPrivileges, NULL);
    ck_assert_uint_eq(gp->SidCount, g->GroupCount + 1);
    ck_assert_uint_eq(gp->PrivilegeCount, p->PrivilegeCount);
    ck_assert_uint_eq(gp->PrivilegeLength, 12 * p->PrivilegeCount);
    char text[128];
    sid_text(gp->Sids[0].Sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-5-21-1000000001-2000000002-3000000003-1104");
    ck_assert(points_inside(gp->Sids, gp, size) && points_inside(gp->Privileges, gp, size));
    for (DWORD i = 0; i < gp->SidCount; i++)
        ck_assert(points_inside(gp->Sids[i].Sid, gp, size));
    TOKEN_STATISTICS *st = query(h, TokenStatistics, NULL);
    ck_assert_uint_eq(gp->AuthenticationId.LowPart, st->AuthenticationId.LowPart);
    ck_assert_uint_eq(st->GroupCount, g->GroupCount);
    free(st);
    free(gp);
    free(g);
    free(p);
    CloseHandle(h);
}
END_TEST

START_TEST(the_default_dacl_grants_the_owner_and_system)
{
    HANDLE h = logon("alice", "Passw0rd!", LOGON32_LOGON_INTERACTIVE);
    DWORD size;
    TOKEN_DEFAULT_DACL *dd = query(h, TokenDefaultDacl, &size);
    ck_assert(points_inside(dd->DefaultDacl, dd, size));
    ck_assert_uint_eq(dd->DefaultDacl->AclRevision, 2);
    ck_assert_uint_eq(dd->DefaultDacl->AceCount, 2);
    ck_assert_uint_eq(dd->DefaultDacl->AclSize, size - sizeof(TOKEN_DEFAULT_DACL));
    free(dd);
    CloseHandle(h);
}
END_TEST

START_TEST(same_seed_same_luids)
{
    HANDLE h = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    TOKEN_STATISTICS *a = query(h, TokenStatistics, NULL);
    CloseHandle(h);
    fakesspi_reset();
    h = logon("alice", "Passw0rd!", LOGON32_LOGON_NETWORK);
    TOKEN_STATISTICS *b = query(h, TokenStatistics, NULL);
    CloseHandle(h);
    ck_assert(!memcmp(&a->TokenId, &b->TokenId, sizeof a->TokenId));
    ck_assert(!memcmp(&a->AuthenticationId, &b->AuthenticationId, sizeof a->AuthenticationId));
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("security/token");
    TCase *tc = test_case("token");
    tcase_add_test(tc, token_user_is_44_bytes_with_the_sid_inside_the_buffer);
    tcase_add_test(tc, a_network_logon_has_the_network_groups_and_no_logon_sid);
    tcase_add_test(tc, an_interactive_logon_has_interactive_and_a_logon_sid);
    tcase_add_test(tc, an_administrator_is_elevated_high_and_owned_by_administrators);
    tcase_add_test(tc, a_standard_user_has_change_notify_enabled_and_no_impersonate);
    tcase_add_test(tc, fixed_size_classes_have_windows_sizes);
    tcase_add_test(tc, a_network_logon_from_logon_user_is_an_impersonation_token);
    tcase_add_test(tc, impersonation_level_of_a_primary_token_is_invalid_parameter);
    tcase_add_test(tc, groups_and_privileges_put_the_user_first);
    tcase_add_test(tc, the_default_dacl_grants_the_owner_and_system);
    tcase_add_test(tc, same_seed_same_luids);
    suite_add_tcase(s, tc);
    return test_run(s);
}
