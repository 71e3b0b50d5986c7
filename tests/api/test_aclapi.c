/* aclapi.h: SetEntriesInAcl's statuses and merge rules, the trustee helpers, GetEffectiveRightsFromAcl, and
 * AccessCheck on a merged ACL with the token of an NTLM handshake (doc/semantics.md §42). */
#define SECURITY_WIN32
#include "testutil.h"
#include "aclapi.h"
#include "sddl.h"
#include "security.h"

#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"
#define ALICE DOMAIN_SID "-1104"
#define BOB DOMAIN_SID "-1105"
#define ENGINEERING DOMAIN_SID "-1200"

static PACL const no_acl_yet = (PACL)(uintptr_t)0xdeadbeef;

/* A SID from its text, for the test's lifetime (LocalFree it). */
static PSID sid(const char *text)
{
    PSID s = NULL;
    ck_assert_msg(ConvertStringSidToSidA(text, &s), "%s", text);
    return s;
}

/* The DACL of an SDDL descriptor, copied out so the descriptor can go. */
static PACL acl_from(const char *sddl, BYTE *buf, size_t cap)
{
    PSECURITY_DESCRIPTOR sd;
    ck_assert_msg(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, NULL), "%s", sddl);
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = NULL;
    ck_assert(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted));
    ck_assert(present && dacl);
    ck_assert_uint_le(dacl->AclSize, cap);
    memcpy(buf, dacl, dacl->AclSize);
    LocalFree(sd);
    return (PACL)buf;
}

static EXPLICIT_ACCESS_A entry(DWORD mask, ACCESS_MODE mode, DWORD inheritance, PSID trustee)
{
    EXPLICIT_ACCESS_A e;
    memset(&e, 0, sizeof e);
    e.grfAccessPermissions = mask;
    e.grfAccessMode = mode;
    e.grfInheritance = inheritance;
    BuildTrusteeWithSidA(&e.Trustee, trustee);
    return e;
}

/* Asserts the index-th ACE is {type, flags, mask, SID text}. */
static void assert_ace(PACL acl, DWORD index, BYTE type, BYTE flags, DWORD mask, const char *who)
{
    ACCESS_ALLOWED_ACE *ace = NULL;
    ck_assert_msg(GetAce(acl, index, (LPVOID *)&ace), "no ACE %u", (unsigned)index);
    ck_assert_uint_eq(ace->Header.AceType, type);
    ck_assert_uint_eq(ace->Header.AceFlags, flags);
    ck_assert_uint_eq(ace->Mask, mask);
    PSID want = sid(who);
    ck_assert_msg(EqualSid(&ace->SidStart, want), "ACE %u is not for %s", (unsigned)index, who);
    LocalFree(want);
}

static DWORD ace_count(PACL acl)
{
    ACL_SIZE_INFORMATION info;
    ck_assert(GetAclInformation(acl, &info, sizeof info, AclSizeInformation));
    return info.AceCount;
}

START_TEST(no_entries_and_no_old_acl_give_no_acl)
{
    PACL out = no_acl_yet;
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(SetEntriesInAclW(0, NULL, NULL, &out), ERROR_SUCCESS);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(GetLastError(), 0xdeadbeef); /* the error is the return value, the last error stays */
}
END_TEST

START_TEST(a_sid_trustee_ignores_the_multiple_trustee_fields)
{
    PSID everyone = sid("S-1-1-0");
    EXPLICIT_ACCESS_A e = entry(KEY_READ, GRANT_ACCESS, NO_INHERITANCE, everyone);
    e.Trustee.MultipleTrusteeOperation = (MULTIPLE_TRUSTEE_OPERATION)0xDEADBEEF;
    e.Trustee.pMultipleTrustee = (PTRUSTEE_A)(uintptr_t)0xdeadbeef;
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_SUCCESS);
    ck_assert_ptr_nonnull(out);
    ck_assert(IsValidAcl(out));
    ck_assert_uint_eq(out->AclRevision, ACL_REVISION);
    ck_assert_uint_eq(ace_count(out), 1);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, 0, KEY_READ, "S-1-1-0");
    ck_assert_uint_eq(out->AclSize, 8 + 8 + 12); /* exactly the header and one ACE for a one-RID SID */
    ck_assert_ptr_null(LocalFree(out));
    LocalFree(everyone);
}
END_TEST

START_TEST(name_trustees_resolve_as_lookupaccountname_does)
{
    EXPLICIT_ACCESS_A a[3];
    BuildExplicitAccessWithNameA(&a[0], (LPSTR) "Everyone", KEY_READ, GRANT_ACCESS, NO_INHERITANCE);
    BuildExplicitAccessWithNameA(&a[1], (LPSTR) "EXAMPLE\\alice", KEY_WRITE, GRANT_ACCESS, NO_INHERITANCE);
    BuildExplicitAccessWithNameA(&a[2], (LPSTR) "Engineering", DELETE, DENY_ACCESS, NO_INHERITANCE);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(3, a, NULL, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 3);
    assert_ace(out, 0, ACCESS_DENIED_ACE_TYPE, 0, DELETE, ENGINEERING);
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, 0, KEY_READ, "S-1-1-0");
    assert_ace(out, 2, ACCESS_ALLOWED_ACE_TYPE, 0, KEY_WRITE, ALICE);
    LocalFree(out);

    EXPLICIT_ACCESS_W w;
    WCHAR bob[] = u"bob";
    BuildExplicitAccessWithNameW(&w, bob, GENERIC_READ, SET_ACCESS, SUB_CONTAINERS_AND_OBJECTS_INHERIT);
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclW(1, &w, NULL, &out), ERROR_SUCCESS);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, GENERIC_READ, BOB);
    LocalFree(out);
}
END_TEST

START_TEST(current_user_is_the_process_user)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    BYTE buf[256];
    DWORD len;
    ck_assert(GetTokenInformation(token, TokenUser, buf, sizeof buf, &len));
    CloseHandle(token);
    EXPLICIT_ACCESS_A e;
    BuildExplicitAccessWithNameA(&e, (LPSTR) "CURRENT_USER", KEY_READ, GRANT_ACCESS, NO_INHERITANCE);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_SUCCESS);
    ACCESS_ALLOWED_ACE *ace;
    ck_assert(GetAce(out, 0, (LPVOID *)&ace));
    ck_assert(EqualSid(&ace->SidStart, ((TOKEN_USER *)buf)->User.Sid));
    LocalFree(out);
}
END_TEST

START_TEST(bad_trustees_fail_and_leave_no_acl)
{
    EXPLICIT_ACCESS_A e;
    BuildExplicitAccessWithNameA(&e, (LPSTR) "Everyone", KEY_READ, GRANT_ACCESS, NO_INHERITANCE);
    e.Trustee.TrusteeForm = TRUSTEE_BAD_FORM;
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(out);

    BuildExplicitAccessWithNameA(&e, (LPSTR) "Everyone", KEY_READ, GRANT_ACCESS, NO_INHERITANCE);
    e.Trustee.MultipleTrusteeOperation = TRUSTEE_IS_IMPERSONATE;
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(out);

    BuildExplicitAccessWithNameA(&e, (LPSTR) "nobody-at-all", KEY_READ, GRANT_ACCESS, NO_INHERITANCE);
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_NONE_MAPPED);
    ck_assert_ptr_null(out);

    /* Not Windows-checked, the emulation's answers (doc/semantics.md §42): a malformed SID, an unknown mode,
     * a malformed old ACL, no out-pointer. */
    BYTE bad_sid[12] = {9, 1};
    EXPLICIT_ACCESS_A s = entry(KEY_READ, GRANT_ACCESS, NO_INHERITANCE, bad_sid);
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &s, NULL, &out), ERROR_INVALID_SID);
    ck_assert_ptr_null(out);
    PSID everyone = sid("S-1-1-0");
    s = entry(KEY_READ, (ACCESS_MODE)42, NO_INHERITANCE, everyone);
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &s, NULL, &out), ERROR_INVALID_PARAMETER);
    ck_assert_ptr_null(out);
    BYTE junk[8] = {7, 0, 8, 0, 1, 0, 0, 0};
    s = entry(KEY_READ, GRANT_ACCESS, NO_INHERITANCE, everyone);
    out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &s, (PACL)junk, &out), ERROR_INVALID_ACL);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(SetEntriesInAclA(1, &s, NULL, NULL), ERROR_INVALID_PARAMETER);
    LocalFree(everyone);
}
END_TEST

START_TEST(revoking_a_trustee_without_aces_succeeds)
{
    PSID alice = sid(ALICE);
    EXPLICIT_ACCESS_A e = entry(0, REVOKE_ACCESS, NO_INHERITANCE, alice);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_SUCCESS);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(ace_count(out), 0);
    LocalFree(out);
    LocalFree(alice);
}
END_TEST

START_TEST(grant_adds_its_rights_to_the_trustees_allow_ace)
{
    BYTE buf[256];
    PACL old = acl_from("D:(A;;0x1;;;" ALICE ")(A;;0x10;;;WD)", buf, sizeof buf);
    PSID alice = sid(ALICE);
    EXPLICIT_ACCESS_A e = entry(0x2, GRANT_ACCESS, NO_INHERITANCE, alice);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, old, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 2);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, 0, 0x3, ALICE);
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, 0, 0x10, "S-1-1-0");
    LocalFree(out);
    /* Another inheritance is another ACE. */
    e.grfInheritance = SUB_CONTAINERS_ONLY_INHERIT;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, old, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 3);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, CONTAINER_INHERIT_ACE, 0x2, ALICE);
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, 0, 0x1, ALICE);
    LocalFree(out);
    LocalFree(alice);
}
END_TEST

START_TEST(set_replaces_the_trustees_allow_and_deny_aces)
{
    BYTE buf[256];
    PACL old = acl_from("D:(D;;0x4;;;" ALICE ")(A;;0x1;;;" ALICE ")(A;;0x1;;;WD)", buf, sizeof buf);
    PSID alice = sid(ALICE);
    EXPLICIT_ACCESS_A e = entry(0x2, SET_ACCESS, NO_INHERITANCE, alice);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, old, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 2);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, 0, 0x2, ALICE);
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, 0, 0x1, "S-1-1-0");
    LocalFree(out);
    LocalFree(alice);
}
END_TEST

START_TEST(deny_goes_before_every_allow_and_inherited_aces_last)
{
    BYTE buf[256];
    PACL old = acl_from("D:(A;ID;0x20;;;BU)(A;;0x1;;;WD)", buf, sizeof buf);
    PSID alice = sid(ALICE), bob = sid(BOB);
    EXPLICIT_ACCESS_A e[3] = {entry(0x2, GRANT_ACCESS, NO_INHERITANCE, bob),
                              entry(0x4, DENY_ACCESS, NO_INHERITANCE, alice),
                              entry(0x8, DENY_ACCESS, NO_INHERITANCE, alice)};
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(3, e, old, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 4);
    assert_ace(out, 0, ACCESS_DENIED_ACE_TYPE, 0, 0xC, ALICE); /* two denies of one trustee are one ACE */
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, 0, 0x2, BOB);
    assert_ace(out, 2, ACCESS_ALLOWED_ACE_TYPE, 0, 0x1, "S-1-1-0");
    assert_ace(out, 3, ACCESS_ALLOWED_ACE_TYPE, INHERITED_ACE, 0x20, "S-1-5-32-545");
    LocalFree(out);
    LocalFree(alice);
    LocalFree(bob);
}
END_TEST

START_TEST(revoke_removes_the_explicit_aces_and_keeps_the_inherited)
{
    BYTE buf[256];
    PACL old = acl_from("D:(D;;0x4;;;" ALICE ")(A;;0x1;;;" ALICE ")(A;;0x1;;;WD)(A;ID;0x2;;;" ALICE ")", buf,
                        sizeof buf);
    PSID alice = sid(ALICE);
    EXPLICIT_ACCESS_A e = entry(0, REVOKE_ACCESS, NO_INHERITANCE, alice);
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, old, &out), ERROR_SUCCESS);
    ck_assert_uint_eq(ace_count(out), 2);
    assert_ace(out, 0, ACCESS_ALLOWED_ACE_TYPE, 0, 0x1, "S-1-1-0");
    assert_ace(out, 1, ACCESS_ALLOWED_ACE_TYPE, INHERITED_ACE, 0x2, ALICE);
    LocalFree(out);
    LocalFree(alice);
}
END_TEST

START_TEST(audit_modes_make_audit_aces)
{
    PSID everyone = sid("S-1-1-0");
    EXPLICIT_ACCESS_A e[2] = {entry(DELETE, SET_AUDIT_SUCCESS, NO_INHERITANCE, everyone),
                              entry(WRITE_DAC, SET_AUDIT_FAILURE, NO_INHERITANCE, everyone)};
    PACL out = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(2, e, NULL, &out), ERROR_SUCCESS);
    assert_ace(out, 0, SYSTEM_AUDIT_ACE_TYPE, SUCCESSFUL_ACCESS_ACE_FLAG, DELETE, "S-1-1-0");
    assert_ace(out, 1, SYSTEM_AUDIT_ACE_TYPE, FAILED_ACCESS_ACE_FLAG, WRITE_DAC, "S-1-1-0");
    LocalFree(out);
    LocalFree(everyone);
}
END_TEST

START_TEST(the_trustee_helpers_fill_and_read_the_structure)
{
    TRUSTEE_A t;
    SENTINEL(t);
    PSID everyone = sid("S-1-1-0");
    BuildTrusteeWithSidA(&t, everyone);
    ck_assert_ptr_null(t.pMultipleTrustee);
    ck_assert_int_eq(t.MultipleTrusteeOperation, NO_MULTIPLE_TRUSTEE);
    ck_assert_int_eq(GetTrusteeFormA(&t), TRUSTEE_IS_SID);
    ck_assert_int_eq(GetTrusteeTypeA(&t), TRUSTEE_IS_UNKNOWN);
    ck_assert_ptr_eq(GetTrusteeNameA(&t), (LPSTR)everyone);
    TRUSTEE_W w;
    SENTINEL(w);
    WCHAR name[] = u"alice";
    BuildTrusteeWithNameW(&w, name);
    ck_assert_int_eq(GetTrusteeFormW(&w), TRUSTEE_IS_NAME);
    ck_assert_int_eq(GetTrusteeTypeW(&w), TRUSTEE_IS_UNKNOWN);
    ck_assert_ptr_eq(GetTrusteeNameW(&w), name);
    w.TrusteeType = TRUSTEE_IS_USER;
    ck_assert_int_eq(GetTrusteeTypeW(&w), TRUSTEE_IS_USER);
    EXPLICIT_ACCESS_W e;
    SENTINEL(e);
    BuildExplicitAccessWithNameW(&e, name, GENERIC_ALL, DENY_ACCESS, INHERIT_ONLY);
    ck_assert_uint_eq(e.grfAccessPermissions, GENERIC_ALL);
    ck_assert_int_eq(e.grfAccessMode, DENY_ACCESS);
    ck_assert_uint_eq(e.grfInheritance, INHERIT_ONLY);
    ck_assert_int_eq(e.Trustee.TrusteeForm, TRUSTEE_IS_NAME);
    ck_assert_ptr_eq(e.Trustee.ptstrName, name);
    LocalFree(everyone);
}
END_TEST

START_TEST(explicit_entries_read_the_acl_back_as_one_block)
{
    BYTE buf[512];
    PACL acl = acl_from("D:(D;;0x4;;;" BOB ")(A;CI;0x1;;;" ENGINEERING ")(A;ID;0x2;;;WD)", buf, sizeof buf);
    ULONG count = 0xdeadbeef;
    PEXPLICIT_ACCESS_A list = (PEXPLICIT_ACCESS_A)(uintptr_t)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(GetExplicitEntriesFromAclA(acl, &count, &list), ERROR_SUCCESS);
    ck_assert_uint_eq(GetLastError(), 0xdeadbeef);
    ck_assert_uint_eq(count, 3);
    ck_assert_int_eq(list[0].grfAccessMode, DENY_ACCESS);
    ck_assert_uint_eq(list[0].grfAccessPermissions, 0x4);
    ck_assert_uint_eq(list[0].grfInheritance, NO_INHERITANCE);
    ck_assert_int_eq(list[0].Trustee.TrusteeForm, TRUSTEE_IS_SID);
    ck_assert_int_eq(list[0].Trustee.TrusteeType, TRUSTEE_IS_USER);
    PSID bob = sid(BOB), everyone = sid("S-1-1-0");
    ck_assert(EqualSid((PSID)list[0].Trustee.ptstrName, bob));
    ck_assert_int_eq(list[1].grfAccessMode, GRANT_ACCESS);
    ck_assert_uint_eq(list[1].grfInheritance, SUB_CONTAINERS_ONLY_INHERIT);
    ck_assert_int_eq(list[1].Trustee.TrusteeType, TRUSTEE_IS_GROUP);
    ck_assert_uint_eq(list[2].grfInheritance, INHERITED_ACCESS_ENTRY);
    ck_assert_int_eq(list[2].Trustee.TrusteeType, TRUSTEE_IS_WELL_KNOWN_GROUP);
    ck_assert(EqualSid((PSID)list[2].Trustee.ptstrName, everyone));

    /* The entries feed SetEntriesInAcl back to the same ACEs. */
    PACL again = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(2, list, NULL, &again), ERROR_SUCCESS);
    assert_ace(again, 0, ACCESS_DENIED_ACE_TYPE, 0, 0x4, BOB);
    assert_ace(again, 1, ACCESS_ALLOWED_ACE_TYPE, CONTAINER_INHERIT_ACE, 0x1, ENGINEERING);
    LocalFree(again);
    ck_assert_ptr_null(LocalFree(list));

    /* An empty ACL: no entries and no block; no out-pointers: the emulation says ERROR_INVALID_PARAMETER. */
    BYTE empty[8];
    ck_assert(InitializeAcl((PACL)empty, sizeof empty, ACL_REVISION));
    PEXPLICIT_ACCESS_W wlist = (PEXPLICIT_ACCESS_W)(uintptr_t)0xdeadbeef;
    count = 0xdeadbeef;
    ck_assert_uint_eq(GetExplicitEntriesFromAclW((PACL)empty, &count, &wlist), ERROR_SUCCESS);
    ck_assert_uint_eq(count, 0);
    ck_assert_ptr_null(wlist);
    ck_assert_uint_eq(GetExplicitEntriesFromAclW(acl, NULL, &wlist), ERROR_INVALID_PARAMETER);
    LocalFree(bob);
    LocalFree(everyone);
}
END_TEST

START_TEST(injected_faults_come_back_as_the_returned_error)
{
    PSID everyone = sid("S-1-1-0");
    EXPLICIT_ACCESS_A e = entry(KEY_READ, GRANT_ACCESS, NO_INHERITANCE, everyone);
    ck_assert_int_eq(fakesspi_fault_call("SetEntriesInAclA", 1, ERROR_NOT_ENOUGH_MEMORY), 0);
    PACL out = no_acl_yet;
    SetLastError(0xdeadbeef);
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_NOT_ENOUGH_MEMORY);
    ck_assert_uint_eq(GetLastError(), 0xdeadbeef);
    ck_assert_ptr_eq(out, no_acl_yet); /* the body did not run */
    ck_assert_uint_eq(SetEntriesInAclA(1, &e, NULL, &out), ERROR_SUCCESS);
    LocalFree(out);
    /* Every allocation failing in turn: ERROR_NOT_ENOUGH_MEMORY and no ACL, never a crash or a leak. */
    int failures = 0;
    for (uint64_t nth = 1; nth < 64; nth++) {
        fakesspi_fault_alloc(nth);
        out = no_acl_yet;
        DWORD r = SetEntriesInAclA(1, &e, NULL, &out);
        fakesspi_fault_clear();
        if (r == ERROR_SUCCESS) {
            LocalFree(out);
            break;
        }
        ck_assert_uint_eq(r, ERROR_NOT_ENOUGH_MEMORY);
        ck_assert_ptr_null(out);
        failures++;
    }
    ck_assert_int_ge(failures, 1);
    LocalFree(everyone);
}
END_TEST

static DWORD effective(PACL acl, const char *who)
{
    PSID s = sid(who);
    TRUSTEE_A t;
    BuildTrusteeWithSidA(&t, s);
    ACCESS_MASK rights = 0xdeadbeef;
    ck_assert_uint_eq(GetEffectiveRightsFromAclA(acl, &t, &rights), ERROR_SUCCESS);
    LocalFree(s);
    return rights;
}

/* With no domain installed (a refused load), the call fails and leaves the domain unlocked: a load after
 * it still goes through (it used to wait for ever on a read lock the call kept). */
START_TEST(effective_rights_without_a_domain_leave_the_domain_unlocked)
{
    BYTE buf[512];
    PACL acl = acl_from("D:(A;;0x1;;;WD)", buf, sizeof buf);
    ck_assert_int_ne(fakesspi_load_domain_text("[domain]\nnetbios = \n", "broken"), 0);
    PSID s = sid("WD");
    TRUSTEE_A t;
    BuildTrusteeWithSidA(&t, s);
    ACCESS_MASK rights = 0xdeadbeef;
    (void)GetEffectiveRightsFromAclA(acl, &t, &rights);
    LocalFree(s);
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = OTHER\ndns = other.test\nsid = S-1-5-21-7-8-9\n",
                                               "whole"), 0);
}
END_TEST

START_TEST(effective_rights_follow_the_access_check_through_the_users_groups)
{
    BYTE buf[512];
    PACL acl = acl_from("D:(D;;0x4;;;" BOB ")(A;;0x1;;;" ENGINEERING ")(A;;0x6;;;DU)(A;;GR;;;WD)", buf, sizeof buf);
    ck_assert_uint_eq(effective(acl, ALICE), 0x7 | GENERIC_READ); /* Engineering, Domain Users, Everyone */
    ck_assert_uint_eq(effective(acl, BOB), 0x2 | GENERIC_READ);   /* the deny came first */
    ck_assert_uint_eq(effective(acl, "S-1-1-0"), GENERIC_READ);   /* a group alone */
    ck_assert_uint_eq(effective(acl, "S-1-5-32-544"), 0);

    WCHAR name[] = u"EXAMPLE\\alice";
    TRUSTEE_W t;
    BuildTrusteeWithNameW(&t, name);
    ACCESS_MASK rights = 0xdeadbeef;
    ck_assert_uint_eq(GetEffectiveRightsFromAclW(acl, &t, &rights), ERROR_SUCCESS);
    ck_assert_uint_eq(rights, 0x7 | GENERIC_READ);
    WCHAR nobody[] = u"nobody-at-all";
    BuildTrusteeWithNameW(&t, nobody);
    rights = 0xdeadbeef;
    ck_assert_uint_eq(GetEffectiveRightsFromAclW(acl, &t, &rights), ERROR_NONE_MAPPED);
    ck_assert_uint_eq(rights, 0xdeadbeef);
    ck_assert_uint_eq(GetEffectiveRightsFromAclW(NULL, &t, &rights), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(GetEffectiveRightsFromAclW(acl, NULL, &rights), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(rights, 0xdeadbeef);
}
END_TEST

/* alice's token as a server gets it from an NTLM handshake (QuerySecurityContextToken). */
static HANDLE handshake_token(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle client_cred, server_cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                               &client_cred, NULL),
                     SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &server_cred, NULL),
                     SEC_E_OK);
    static unsigned char c2s[4096], s2c[4096];
    SecBuffer cout = {sizeof c2s, SECBUFFER_TOKEN, c2s}, sout = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBuffer cin = {0, SECBUFFER_TOKEN, s2c}, sin = {0, SECBUFFER_TOKEN, c2s};
    SecBufferDesc coutd = {SECBUFFER_VERSION, 1, &cout}, soutd = {SECBUFFER_VERSION, 1, &sout};
    SecBufferDesc cind = {SECBUFFER_VERSION, 1, &cin}, sind = {SECBUFFER_VERSION, 1, &sin};
    CtxtHandle client, server;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&client_cred, NULL, (SEC_CHAR *)"host/server", 0, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &client, &coutd, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    sin.cbBuffer = cout.cbBuffer;
    ck_assert_sec_status(AcceptSecurityContext(&server_cred, NULL, &sind, 0, SECURITY_NATIVE_DREP, &server, &soutd, &attrs,
                                           NULL),
                     SEC_I_CONTINUE_NEEDED);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&client_cred, &client, (SEC_CHAR *)"host/server", 0, 0,
                                                SECURITY_NATIVE_DREP, &cind, 0, &client, &coutd, &attrs, NULL),
                     SEC_E_OK);
    sin.cbBuffer = cout.cbBuffer;
    sout.cbBuffer = sizeof s2c;
    ck_assert_sec_status(AcceptSecurityContext(&server_cred, &server, &sind, 0, SECURITY_NATIVE_DREP, &server, &soutd,
                                           &attrs, NULL),
                     SEC_E_OK);
    HANDLE token = NULL;
    ck_assert_sec_status(QuerySecurityContextToken(&server, &token), SEC_E_OK);
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
    return token;
}

START_TEST(access_check_reads_the_merged_acl_as_windows_would)
{
    PSID alice = sid(ALICE), everyone = sid("S-1-1-0");
    EXPLICIT_ACCESS_A e[2] = {entry(FILE_GENERIC_READ | FILE_GENERIC_WRITE, SET_ACCESS, NO_INHERITANCE, everyone),
                              entry(FILE_WRITE_DATA, DENY_ACCESS, NO_INHERITANCE, alice)};
    PACL dacl = no_acl_yet;
    ck_assert_uint_eq(SetEntriesInAclA(2, e, NULL, &dacl), ERROR_SUCCESS);
    PSID admins = sid("BA");
    SECURITY_DESCRIPTOR sd;
    ck_assert(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    ck_assert(SetSecurityDescriptorOwner(&sd, admins, FALSE));
    ck_assert(SetSecurityDescriptorGroup(&sd, admins, FALSE));
    ck_assert(SetSecurityDescriptorDacl(&sd, TRUE, dacl, FALSE));

    HANDLE token = handshake_token();
    GENERIC_MAPPING mapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};
    BYTE privs[64];
    DWORD len = sizeof privs, granted = 0xdeadbeef;
    BOOL status = 0xdead;
    ck_assert(AccessCheck(&sd, token, FILE_READ_DATA, &mapping, (PPRIVILEGE_SET)privs, &len, &granted, &status));
    ck_assert(status);
    ck_assert_uint_eq(granted, FILE_READ_DATA);
    SetLastError(0xdeadbeef);
    ck_assert(AccessCheck(&sd, token, FILE_WRITE_DATA, &mapping, (PPRIVILEGE_SET)privs, &len, &granted, &status));
    ck_assert(!status);
    ck_assert_uint_eq(granted, 0);
    ck_assert_last_error(ERROR_ACCESS_DENIED);
    ck_assert(AccessCheck(&sd, token, MAXIMUM_ALLOWED, &mapping, (PPRIVILEGE_SET)privs, &len, &granted, &status));
    ck_assert(status);
    ck_assert_uint_eq(granted, (FILE_GENERIC_READ | FILE_GENERIC_WRITE) & ~(DWORD)FILE_WRITE_DATA);

    /* The same answer through GetEffectiveRightsFromAcl. */
    ck_assert_uint_eq(effective(dacl, ALICE), (FILE_GENERIC_READ | FILE_GENERIC_WRITE) & ~(DWORD)FILE_WRITE_DATA);
    CloseHandle(token);
    LocalFree(dacl);
    LocalFree(admins);
    LocalFree(alice);
    LocalFree(everyone);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/aclapi");
    TCase *tc = test_case("SetEntriesInAcl");
    tcase_add_test(tc, no_entries_and_no_old_acl_give_no_acl);
    tcase_add_test(tc, a_sid_trustee_ignores_the_multiple_trustee_fields);
    tcase_add_test(tc, name_trustees_resolve_as_lookupaccountname_does);
    tcase_add_test(tc, current_user_is_the_process_user);
    tcase_add_test(tc, bad_trustees_fail_and_leave_no_acl);
    tcase_add_test(tc, revoking_a_trustee_without_aces_succeeds);
    tcase_add_test(tc, grant_adds_its_rights_to_the_trustees_allow_ace);
    tcase_add_test(tc, set_replaces_the_trustees_allow_and_deny_aces);
    tcase_add_test(tc, deny_goes_before_every_allow_and_inherited_aces_last);
    tcase_add_test(tc, revoke_removes_the_explicit_aces_and_keeps_the_inherited);
    tcase_add_test(tc, audit_modes_make_audit_aces);
    tcase_add_test(tc, injected_faults_come_back_as_the_returned_error);
    suite_add_tcase(s, tc);
    tc = test_case("trustees and effective rights");
    tcase_add_test(tc, the_trustee_helpers_fill_and_read_the_structure);
    tcase_add_test(tc, explicit_entries_read_the_acl_back_as_one_block);
    tcase_add_test(tc, effective_rights_follow_the_access_check_through_the_users_groups);
    tcase_add_test(tc, effective_rights_without_a_domain_leave_the_domain_unlocked);
    tcase_add_test(tc, access_check_reads_the_merged_acl_as_windows_would);
    suite_add_tcase(s, tc);
    return test_run(s);
}
