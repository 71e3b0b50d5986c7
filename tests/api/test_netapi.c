/* NetUserGetGroups and NetUserGetLocalGroups answered from the fake domain (doc/semantics.md §21). */
#include <lm.h>

#include "testutil.h"

static int has_name(const LPWSTR *names, size_t stride, DWORD n, const WCHAR *want)
{
    for (DWORD i = 0; i < n; i++) {
        const WCHAR *name = *(const LPWSTR *)((const BYTE *)names + i * stride);
        if (lstrcmpW(name, want) == 0)
            return 1;
    }
    return 0;
}

START_TEST(global_groups_of_a_user_include_the_primary_group)
{
    LPBYTE buf = (LPBYTE)0xdeadbeef;
    DWORD read = 0xdeadbeef, total = 0xdeadbeef;
    ck_assert_uint_eq(NetUserGetGroups(NULL, u"alice", 0, &buf, MAX_PREFERRED_LENGTH, &read, &total), NERR_Success);
    ck_assert_uint_eq(read, 2);
    ck_assert_uint_eq(total, 2);
    ck_assert(has_name((LPWSTR *)buf, sizeof(GROUP_USERS_INFO_0), read, u"Domain Users"));
    ck_assert(has_name((LPWSTR *)buf, sizeof(GROUP_USERS_INFO_0), read, u"Engineering"));
    ck_assert_uint_eq(NetApiBufferFree(buf), NERR_Success);
    ck_assert_uint_eq(NetUserGetGroups(NULL, u"EXAMPLE\\bob", 1, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_Success);
    ck_assert_uint_eq(read, 1);
    GROUP_USERS_INFO_1 *info = (GROUP_USERS_INFO_1 *)buf;
    ck_assert_int_eq(lstrcmpW(info[0].grui1_name, u"Domain Users"), 0);
    ck_assert_uint_eq(info[0].grui1_attributes, SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert_uint_eq(NetApiBufferFree(buf), NERR_Success);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(local_groups_are_the_builtin_aliases)
{
    LPBYTE buf = NULL;
    DWORD read = 0, total = 0;
    ck_assert_uint_eq(NetUserGetLocalGroups(NULL, u"Administrator", 0, 0, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_Success);
    ck_assert_uint_eq(read, 1);
    ck_assert_int_eq(lstrcmpW(((LOCALGROUP_USERS_INFO_0 *)buf)[0].lgrui0_name, u"Administrators"), 0);
    NetApiBufferFree(buf);
    /* Indirectly through Domain Users and Domain Admins, as Active Directory nests them. */
    ck_assert_uint_eq(NetUserGetLocalGroups(NULL, u"Administrator", 0, LG_INCLUDE_INDIRECT, &buf,
                                            MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_Success);
    ck_assert_uint_eq(read, 2);
    ck_assert(has_name((LPWSTR *)buf, sizeof(LOCALGROUP_USERS_INFO_0), read, u"Administrators"));
    ck_assert(has_name((LPWSTR *)buf, sizeof(LOCALGROUP_USERS_INFO_0), read, u"Users"));
    NetApiBufferFree(buf);
    ck_assert_uint_eq(NetUserGetLocalGroups(NULL, u"bob", 0, 0, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_Success);
    ck_assert_uint_eq(read, 0);
    NetApiBufferFree(buf);
}
END_TEST

START_TEST(bad_input_gets_the_net_api_statuses)
{
    LPBYTE buf = (LPBYTE)0xdeadbeef;
    DWORD read = 0xdeadbeef, total = 0xdeadbeef;
    ck_assert_uint_eq(NetUserGetGroups(NULL, u"nobody", 0, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_UserNotFound);
    ck_assert_uint_eq(NetUserGetGroups(u"\\\\OTHERHOST", u"alice", 0, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      NERR_InvalidComputer);
    ck_assert_uint_eq(NetUserGetGroups(NULL, u"alice", 2, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      ERROR_INVALID_LEVEL);
    ck_assert_uint_eq(NetUserGetLocalGroups(NULL, u"alice", 1, 0, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      ERROR_INVALID_LEVEL);
    ck_assert_uint_eq(NetUserGetLocalGroups(NULL, u"alice", 0, 0x10, &buf, MAX_PREFERRED_LENGTH, &read, &total),
                      ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(buf, (LPBYTE)0xdeadbeef);
    ck_assert_uint_eq(read, 0xdeadbeef);
    ck_assert_uint_eq(NetApiBufferFree(NULL), NERR_Success);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/netapi");
    TCase *tc = test_case("netapi");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, global_groups_of_a_user_include_the_primary_group);
    tcase_add_test(tc, local_groups_are_the_builtin_aliases);
    tcase_add_test(tc, bad_input_gets_the_net_api_statuses);
    suite_add_tcase(s, tc);
    return test_run(s);
}
