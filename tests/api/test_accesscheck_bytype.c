/* AccessCheckByType and AccessCheckByTypeResultList against a tree of object types, object ACEs, and their
 * SDDL and byte layout (doc/semantics.md §59; MS-DTYP 2.4.4.3, 2.5.3.2). */
#include "access_outcome.h"
#include "sddl.h"

/* A directory-style object: read property (RP) and write property (WP) on the object, two property sets and
 * the two properties of the first one. */
#define RP 0x10
#define WP 0x20
static const GUID object_guid = {0x01020301, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 1}};
static const GUID set1_guid = {0x01020302, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 2}};
static const GUID prop1a_guid = {0x01020303, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 3}};
static const GUID prop1b_guid = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 4}};
static const GUID set2_guid = {0x01020305, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 5}};
/* The same GUIDs as SDDL writes them. */
#define SET1 "01020302-0506-0708-090a-0b0c0d0e0f02"
#define PROP1A "01020303-0506-0708-090a-0b0c0d0e0f03"
#define SET2 "01020305-0506-0708-090a-0b0c0d0e0f05"
#define ELSEWHERE "01020309-0506-0708-090a-0b0c0d0e0f09"

enum { OBJECT, SET_1, PROP_1A, PROP_1B, SET_2, NTYPES };

static void tree(OBJECT_TYPE_LIST types[NTYPES])
{
    types[OBJECT] = (OBJECT_TYPE_LIST){ACCESS_OBJECT_GUID, 0, (GUID *)&object_guid};
    types[SET_1] = (OBJECT_TYPE_LIST){ACCESS_PROPERTY_SET_GUID, 0, (GUID *)&set1_guid};
    types[PROP_1A] = (OBJECT_TYPE_LIST){ACCESS_PROPERTY_GUID, 0, (GUID *)&prop1a_guid};
    types[PROP_1B] = (OBJECT_TYPE_LIST){ACCESS_PROPERTY_GUID, 0, (GUID *)&prop1b_guid};
    types[SET_2] = (OBJECT_TYPE_LIST){ACCESS_PROPERTY_SET_GUID, 0, (GUID *)&set2_guid};
}

static GENERIC_MAPPING ds_mapping = {RP | READ_CONTROL, WP, 0, 0xF01FF};

static PSECURITY_DESCRIPTOR sd_of(const char *sddl)
{
    PSECURITY_DESCRIPTOR sd;
    ck_assert_msg(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, NULL), "%s", sddl);
    return sd;
}

/* AccessCheckByType over the whole tree (or none, ntypes 0): the call, then what it said (sentinels before). */
struct whole {
    BOOL ok, status;
    DWORD granted, error;
};

static struct whole by_type(const char *sddl, HANDLE token, DWORD desired, PSID self, DWORD ntypes)
{
    PSECURITY_DESCRIPTOR sd = sd_of(sddl);
    OBJECT_TYPE_LIST types[NTYPES];
    tree(types);
    BYTE privs[64];
    DWORD len = sizeof privs;
    struct whole w = {0, 0xdead, 0xdeadbeef, 0};
    SetLastError(0xdeadbeef);
    w.ok = AccessCheckByType(sd, self, token, desired, ntypes ? types : NULL, ntypes, &ds_mapping,
                             (PPRIVILEGE_SET)privs, &len, &w.granted, &w.status);
    w.error = GetLastError();
    LocalFree(sd);
    return w;
}

/* AccessCheckByTypeResultList over the whole tree: a granted mask and a status per element. */
struct each {
    DWORD granted[NTYPES], status[NTYPES];
};

static struct each result_list(const char *sddl, HANDLE token, DWORD desired, PSID self)
{
    PSECURITY_DESCRIPTOR sd = sd_of(sddl);
    OBJECT_TYPE_LIST types[NTYPES];
    tree(types);
    BYTE privs[64];
    DWORD len = sizeof privs;
    struct each e;
    memset(&e, 0xee, sizeof e);
    ck_assert(AccessCheckByTypeResultList(sd, self, token, desired, types, NTYPES, &ds_mapping, (PPRIVILEGE_SET)privs,
                                          &len, e.granted, e.status));
    LocalFree(sd);
    return e;
}

#define ck_assert_element(e, i, mask) \
    do { \
        ck_assert_msg((e).status[i] == ((mask) ? ERROR_SUCCESS : ERROR_ACCESS_DENIED), "element %d: status %lu", \
                      (int)(i), (unsigned long)(e).status[i]); \
        ck_assert_msg((e).granted[i] == (mask), "element %d: granted %#lx", (int)(i), (unsigned long)(e).granted[i]); \
    } while (0)

START_TEST(an_object_ace_grants_its_part_and_what_is_below_it)
{
    HANDLE t = alice_impersonation();
    const char *sddl = "O:BAG:BAD:(OA;;RP;" SET1 ";;WD)";
    struct each e = result_list(sddl, t, RP, NULL);
    ck_assert_element(e, SET_1, RP);
    ck_assert_element(e, PROP_1A, RP);
    ck_assert_element(e, PROP_1B, RP);
    ck_assert_element(e, SET_2, 0);
    ck_assert_element(e, OBJECT, 0);
    /* The object as a whole is not granted what only one of its parts is. */
    struct whole w = by_type(sddl, t, RP, NULL, NTYPES);
    ck_assert(w.ok && !w.status);
    ck_assert_uint_eq(w.granted, 0);
    ck_assert_uint_eq(w.error, ERROR_ACCESS_DENIED);
    CloseHandle(t);
}
END_TEST

START_TEST(the_whole_object_is_granted_once_every_part_is)
{
    HANDLE t = alice_impersonation();
    const char *sddl = "O:BAG:BAD:(OA;;RP;" SET1 ";;WD)(OA;;RP;" SET2 ";;WD)";
    struct whole w = by_type(sddl, t, RP, NULL, NTYPES);
    ck_assert(w.ok && w.status);
    ck_assert_uint_eq(w.granted, RP);
    struct each e = result_list(sddl, t, RP, NULL);
    for (int i = 0; i < NTYPES; i++)
        ck_assert_element(e, i, RP);
    CloseHandle(t);
}
END_TEST

START_TEST(a_part_denied_first_is_the_whole_denied)
{
    HANDLE t = alice_impersonation();
    const char *sddl = "O:BAG:BAD:(OD;;RP;" PROP1A ";;WD)(A;;RP;;;WD)";
    struct each e = result_list(sddl, t, RP, NULL);
    ck_assert_element(e, PROP_1A, 0);
    ck_assert_element(e, SET_1, 0);
    ck_assert_element(e, OBJECT, 0);
    ck_assert_element(e, PROP_1B, RP);
    ck_assert_element(e, SET_2, RP);
    struct whole w = by_type(sddl, t, RP, NULL, NTYPES);
    ck_assert(w.ok && !w.status);
    ck_assert_uint_eq(w.error, ERROR_ACCESS_DENIED);
    /* The same deny after the allow comes too late. */
    w = by_type("O:BAG:BAD:(A;;RP;;;WD)(OD;;RP;" PROP1A ";;WD)", t, RP, NULL, NTYPES);
    ck_assert(w.ok && w.status);
    ck_assert_uint_eq(w.granted, RP);
    CloseHandle(t);
}
END_TEST

START_TEST(object_aces_apply_only_where_their_guid_is)
{
    HANDLE t = alice_impersonation();
    /* A GUID the list does not have: the ACE is skipped. */
    struct whole w = by_type("O:BAG:BAD:(OA;;RP;" ELSEWHERE ";;WD)", t, RP, NULL, NTYPES);
    ck_assert(w.ok && !w.status);
    /* No object type in the ACE: it applies to the whole object, list or not. */
    w = by_type("O:BAG:BAD:(OA;;RP;;;WD)", t, RP, NULL, NTYPES);
    ck_assert(w.ok && w.status);
    w = by_type("O:BAG:BAD:(OA;;RP;;;WD)", t, RP, NULL, 0);
    ck_assert(w.ok && w.status);
    /* Without a list, an ACE naming a GUID grants nothing and denies nothing. */
    w = by_type("O:BAG:BAD:(OA;;RP;" SET1 ";;WD)", t, RP, NULL, 0);
    ck_assert(w.ok && !w.status);
    w = by_type("O:BAG:BAD:(OD;;RP;" SET1 ";;WD)(A;;RP;;;WD)", t, RP, NULL, 0);
    ck_assert(w.ok && w.status);
    /* AccessCheck reads object ACEs the same way. */
    PSECURITY_DESCRIPTOR sd = sd_of("O:BAG:BAD:(OA;;RP;" SET1 ";;WD)(OA;;WP;;;WD)");
    BYTE privs[64];
    DWORD len = sizeof privs, granted = 0xdeadbeef;
    BOOL status = 0xdead;
    ck_assert(AccessCheck(sd, t, MAXIMUM_ALLOWED, &ds_mapping, (PPRIVILEGE_SET)privs, &len, &granted, &status));
    ck_assert(status);
    ck_assert_uint_eq(granted, WP);
    LocalFree(sd);
    CloseHandle(t);
}
END_TEST

START_TEST(maximum_allowed_gives_each_part_its_own_rights)
{
    HANDLE t = alice_impersonation();
    const char *sddl = "O:BAG:BAD:(OA;;RPWP;" SET1 ";;WD)(OA;;RP;" SET2 ";;WD)";
    struct each e = result_list(sddl, t, MAXIMUM_ALLOWED, NULL);
    ck_assert_element(e, SET_1, RP | WP);
    ck_assert_element(e, PROP_1A, RP | WP);
    ck_assert_element(e, SET_2, RP);
    /* The object has what both of its sets have. */
    ck_assert_element(e, OBJECT, RP);
    struct whole w = by_type(sddl, t, MAXIMUM_ALLOWED, NULL, NTYPES);
    ck_assert(w.ok && w.status);
    ck_assert_uint_eq(w.granted, RP);
    CloseHandle(t);
}
END_TEST

START_TEST(principal_self_is_the_sid_the_caller_names)
{
    HANDLE t = alice_impersonation();
    PSID self, other;
    ck_assert(ConvertStringSidToSidA("S-1-5-21-1000000001-2000000002-3000000003-1104", &self));
    ck_assert(ConvertStringSidToSidA("S-1-5-21-1000000001-2000000002-3000000003-1105", &other));
    const char *sddl = "O:BAG:BAD:(OA;;WP;" SET1 ";;PS)";
    struct each e = result_list(sddl, t, WP, self);
    ck_assert_element(e, SET_1, WP);
    ck_assert_element(e, PROP_1B, WP);
    e = result_list(sddl, t, WP, other);
    ck_assert_element(e, SET_1, 0);
    e = result_list(sddl, t, WP, NULL);
    ck_assert_element(e, SET_1, 0);
    LocalFree(self);
    LocalFree(other);
    CloseHandle(t);
}
END_TEST

/* One AccessCheckByType on a list that is not a tree: refused before anything is written. */
static void assert_list_refused(HANDLE t, OBJECT_TYPE_LIST *types, DWORD n, DWORD error)
{
    PSECURITY_DESCRIPTOR sd = sd_of("O:BAG:BAD:(A;;RP;;;WD)");
    BYTE privs[64];
    DWORD len = sizeof privs, granted = 0xdeadbeef;
    BOOL status = 0xdead;
    SetLastError(0xdeadbeef);
    ck_assert(!AccessCheckByType(sd, NULL, t, RP, types, n, &ds_mapping, (PPRIVILEGE_SET)privs, &len, &granted,
                                 &status));
    ck_assert_last_error(error);
    ck_assert_uint_eq(granted, 0xdeadbeef);
    ck_assert_int_eq(status, 0xdead);
    LocalFree(sd);
}

START_TEST(a_list_that_is_not_a_tree_is_an_invalid_parameter)
{
    HANDLE t = alice_impersonation();
    OBJECT_TYPE_LIST types[NTYPES];
    tree(types);
    types[OBJECT].Level = ACCESS_PROPERTY_SET_GUID; /* does not start at the object */
    assert_list_refused(t, types, NTYPES, ERROR_INVALID_PARAMETER);
    tree(types);
    types[SET_2].Level = ACCESS_OBJECT_GUID; /* a second object */
    assert_list_refused(t, types, NTYPES, ERROR_INVALID_PARAMETER);
    tree(types);
    types[SET_1].Level = ACCESS_PROPERTY_GUID; /* a level skipped */
    assert_list_refused(t, types, NTYPES, ERROR_INVALID_PARAMETER);
    tree(types);
    types[PROP_1B].ObjectType = (GUID *)&prop1a_guid; /* a GUID twice */
    assert_list_refused(t, types, NTYPES, ERROR_INVALID_PARAMETER);
    tree(types);
    types[SET_2].ObjectType = NULL;
    assert_list_refused(t, types, NTYPES, ERROR_NOACCESS);
    assert_list_refused(t, NULL, 2, ERROR_NOACCESS);
    /* Levels go down to ACCESS_MAX_LEVEL (4), not below. */
    GUID guids[6];
    OBJECT_TYPE_LIST deep[6];
    for (int i = 0; i < 6; i++) {
        guids[i] = set2_guid;
        guids[i].Data4[7] = (BYTE)(0x20 + i);
        deep[i] = (OBJECT_TYPE_LIST){(WORD)i, 0, &guids[i]};
    }
    assert_list_refused(t, deep, 6, ERROR_INVALID_PARAMETER);
    PSECURITY_DESCRIPTOR sd = sd_of("O:BAG:BAD:(A;;RP;;;WD)");
    BYTE privs[64];
    DWORD len = sizeof privs, granted = 0xdeadbeef;
    BOOL status = 0xdead;
    ck_assert(AccessCheckByType(sd, NULL, t, RP, deep, 5, &ds_mapping, (PPRIVILEGE_SET)privs, &len, &granted,
                                &status));
    ck_assert(status);
    ck_assert_uint_eq(granted, RP);
    LocalFree(sd);
    CloseHandle(t);
}
END_TEST

START_TEST(bad_arguments_get_the_errors_access_check_gives)
{
    HANDLE t = alice_impersonation();
    PSECURITY_DESCRIPTOR sd = sd_of("O:BAG:BAD:(A;;RP;;;WD)");
    OBJECT_TYPE_LIST types[NTYPES];
    tree(types);
    BYTE privs[64];
    DWORD len = sizeof privs, granted[NTYPES] = {0xdeadbeef}, status[NTYPES] = {0xdeadbeef};
    /* A result list needs a list. */
    SetLastError(0xdeadbeef);
    ck_assert(!AccessCheckByTypeResultList(sd, NULL, t, RP, NULL, 0, &ds_mapping, (PPRIVILEGE_SET)privs, &len,
                                           granted, status));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!AccessCheckByTypeResultList(sd, NULL, t, RP, types, NTYPES, &ds_mapping, (PPRIVILEGE_SET)privs, &len,
                                           granted, NULL));
    ck_assert_last_error(ERROR_NOACCESS);
    ck_assert_uint_eq(granted[0], 0xdeadbeef);
    /* A malformed principal self SID. */
    BYTE bad_sid[8] = {9, 0};
    BOOL one = 0xdead;
    ck_assert(!AccessCheckByType(sd, (PSID)bad_sid, t, RP, types, NTYPES, &ds_mapping, (PPRIVILEGE_SET)privs, &len,
                                 granted, &one));
    ck_assert_last_error(ERROR_INVALID_SID);
    /* A primary token, as AccessCheck. */
    HANDLE primary;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &primary));
    ck_assert(!AccessCheckByType(sd, NULL, primary, RP, types, NTYPES, &ds_mapping, (PPRIVILEGE_SET)privs, &len,
                                 granted, &one));
    ck_assert_last_error(ERROR_NO_IMPERSONATION_TOKEN);
    ck_assert_int_eq(one, 0xdead);
    CloseHandle(primary);
    LocalFree(sd);
    CloseHandle(t);
}
END_TEST

START_TEST(object_aces_are_laid_out_as_windows_lays_them)
{
    BYTE buf[256];
    PACL acl = (PACL)buf;
    PSID world;
    ck_assert(ConvertStringSidToSidA("S-1-1-0", &world));
    ck_assert(InitializeAcl(acl, sizeof buf, ACL_REVISION));
    ck_assert(AddAccessAllowedObjectAce(acl, ACL_REVISION_DS, CONTAINER_INHERIT_ACE, RP, (GUID *)&set1_guid, NULL,
                                        world));
    ck_assert_uint_eq(acl->AclRevision, ACL_REVISION_DS);
    ACCESS_ALLOWED_OBJECT_ACE *ace;
    ck_assert(GetAce(acl, 0, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, ACCESS_ALLOWED_OBJECT_ACE_TYPE);
    ck_assert_uint_eq(ace->Header.AceFlags, CONTAINER_INHERIT_ACE);
    ck_assert_uint_eq(ace->Header.AceSize, 12 + 16 + 12); /* mask and flags, one GUID, S-1-1-0 */
    ck_assert_uint_eq(ace->Flags, ACE_OBJECT_TYPE_PRESENT);
    /* Data1..Data3 little-endian, as a GUID lies in memory. */
    static const BYTE set1_bytes[16] = {2, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 2};
    ck_assert_mem_eq((BYTE *)ace + 12, set1_bytes, 16);
    ck_assert_mem_eq((BYTE *)ace + 28, world, 12);
    /* Both GUIDs: the SID moves to SidStart. */
    ck_assert(AddAccessDeniedObjectAce(acl, ACL_REVISION_DS, 0, WP, (GUID *)&set1_guid, (GUID *)&set2_guid, world));
    ck_assert(GetAce(acl, 1, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, ACCESS_DENIED_OBJECT_ACE_TYPE);
    ck_assert_uint_eq(ace->Flags, ACE_OBJECT_TYPE_PRESENT | ACE_INHERITED_OBJECT_TYPE_PRESENT);
    ck_assert_mem_eq(&ace->SidStart, world, 12);
    ck_assert(IsValidAcl(acl));
    /* SDDL writes them back with the GUIDs in their fields, lower case. */
    SECURITY_DESCRIPTOR absolute;
    ck_assert(InitializeSecurityDescriptor(&absolute, SECURITY_DESCRIPTOR_REVISION));
    ck_assert(SetSecurityDescriptorDacl(&absolute, TRUE, acl, FALSE));
    LPSTR text;
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(&absolute, SDDL_REVISION_1,
                                                                   DACL_SECURITY_INFORMATION, &text, NULL));
    ck_assert_str_eq(text, "D:(OA;CI;RP;" SET1 ";;WD)(OD;;WP;" SET1 ";" SET2 ";WD)");
    LocalFree(text);
    /* Flags an access ACE may not carry, and a revision that does not exist. */
    SetLastError(0xdeadbeef);
    ck_assert(!AddAccessAllowedObjectAce(acl, ACL_REVISION_DS, 0x20, RP, NULL, NULL, world));
    ck_assert_last_error(ERROR_INVALID_FLAGS);
    ck_assert(!AddAccessAllowedObjectAce(acl, 5, 0, RP, NULL, NULL, world));
    ck_assert_last_error(ERROR_REVISION_MISMATCH);
    LocalFree(world);
}
END_TEST

START_TEST(sddl_object_aces_round_trip_byte_exact)
{
    const char *sddl = "O:BAG:BAD:(OA;CIIO;RPWP;" SET1 ";" SET2 ";AU)(OD;;CR;" PROP1A ";;WD)(A;;RC;;;WD)";
    PSECURITY_DESCRIPTOR sd = sd_of(sddl);
    LPSTR text;
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(
        sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
        &text, NULL));
    ck_assert_str_eq(text, sddl);
    PSECURITY_DESCRIPTOR again = sd_of(text);
    ck_assert_uint_eq(GetSecurityDescriptorLength(again), GetSecurityDescriptorLength(sd));
    ck_assert_mem_eq(again, sd, GetSecurityDescriptorLength(sd));
    /* An ACL with an object ACE has revision 4. */
    BOOL present, defaulted;
    PACL dacl;
    ck_assert(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted));
    ck_assert_uint_eq(dacl->AclRevision, ACL_REVISION_DS);
    LocalFree(text);
    LocalFree(again);
    LocalFree(sd);
    /* Only object ACEs take GUIDs, and a GUID must be one. */
    PSECURITY_DESCRIPTOR none = (PSECURITY_DESCRIPTOR)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ck_assert(!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(A;;RP;" SET1 ";;WD)", SDDL_REVISION_1, &none,
                                                                    NULL));
    ck_assert_last_error(ERROR_INVALID_ACL);
    ck_assert(!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:(OA;;RP;not-a-guid;;WD)", SDDL_REVISION_1,
                                                                    &none, NULL));
    ck_assert_last_error(ERROR_INVALID_ACL);
    ck_assert_ptr_eq(none, (PSECURITY_DESCRIPTOR)0xdeadbeef);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/accesscheck_bytype");
    TCase *tc = test_case("access check by type");
    tcase_add_test(tc, an_object_ace_grants_its_part_and_what_is_below_it);
    tcase_add_test(tc, the_whole_object_is_granted_once_every_part_is);
    tcase_add_test(tc, a_part_denied_first_is_the_whole_denied);
    tcase_add_test(tc, object_aces_apply_only_where_their_guid_is);
    tcase_add_test(tc, maximum_allowed_gives_each_part_its_own_rights);
    tcase_add_test(tc, principal_self_is_the_sid_the_caller_names);
    tcase_add_test(tc, a_list_that_is_not_a_tree_is_an_invalid_parameter);
    tcase_add_test(tc, bad_arguments_get_the_errors_access_check_gives);
    tcase_add_test(tc, object_aces_are_laid_out_as_windows_lays_them);
    tcase_add_test(tc, sddl_object_aces_round_trip_byte_exact);
    suite_add_tcase(s, tc);
    return test_run(s);
}
