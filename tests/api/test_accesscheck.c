/* AccessCheck against tokens from LogonUser, walked through MS-DTYP 2.5.3.2's cases. */
#include "access_outcome.h"

START_TEST(an_allow_ace_grants_exactly_what_was_asked)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(A;;FR;;;WD)", t, FILE_READ_DATA | SYNCHRONIZE);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, FILE_READ_DATA | SYNCHRONIZE);
    o = check("O:BAG:BAD:(A;;FR;;;WD)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.granted, 0);
    ck_assert_uint_eq(o.error, ERROR_ACCESS_DENIED);
    CloseHandle(t);
}
END_TEST

START_TEST(a_deny_ace_counts_only_before_the_allow)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(D;;FW;;;WD)(A;;FA;;;WD)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.error, ERROR_ACCESS_DENIED);
    o = check("O:BAG:BAD:(A;;FA;;;WD)(D;;FW;;;WD)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, FILE_WRITE_DATA);
    /* Deny ACEs match the user too, and an unrelated deny changes nothing. */
    o = check("O:BAG:BAD:(D;;FW;;;SY)(A;;FA;;;AU)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && o.status);
    CloseHandle(t);
}
END_TEST

START_TEST(maximum_allowed_is_every_allowed_bit_not_denied_first)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(D;;FW;;;WD)(A;;FA;;;WD)", t, MAXIMUM_ALLOWED);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, FILE_ALL_ACCESS & ~FILE_GENERIC_WRITE);
    o = check("O:BAG:BAD:(A;;FR;;;WD)", t, MAXIMUM_ALLOWED | FILE_WRITE_DATA);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.granted, 0);
    o = check("O:BAG:BAD:", t, MAXIMUM_ALLOWED);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.error, ERROR_ACCESS_DENIED);
    /* A NULL DACL grants the mapping's everything. */
    o = check("O:BAG:BAD:NO_ACCESS_CONTROL", t, MAXIMUM_ALLOWED);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, FILE_ALL_ACCESS);
    CloseHandle(t);
}
END_TEST

START_TEST(generic_rights_must_be_mapped_first)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(A;;GR;;;WD)", t, GENERIC_READ);
    ck_assert(!o.ok);
    ck_assert_uint_eq(o.error, ERROR_GENERIC_NOT_MAPPED);
    ck_assert_uint_eq(o.granted, 0xdeadbeef);
    DWORD mask = GENERIC_READ;
    MapGenericMask(&mask, &file_mapping);
    ck_assert_uint_eq(mask, FILE_GENERIC_READ);
    /* GR in the ACE is mapped with the caller's mapping. */
    o = check("O:BAG:BAD:(A;;GR;;;WD)", t, mask);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, FILE_GENERIC_READ);
    CloseHandle(t);
}
END_TEST

START_TEST(the_owner_may_always_read_and_change_the_dacl)
{
    HANDLE t = alice_impersonation();
    BYTE user[256];
    DWORD len;
    ck_assert(GetTokenInformation(t, TokenUser, user, sizeof user, &len));
    LPSTR sid;
    ck_assert(ConvertSidToStringSidA(((TOKEN_USER *)user)->User.Sid, &sid));
    char sddl[256];
    snprintf(sddl, sizeof sddl, "O:%sG:BAD:", sid);
    struct outcome o = check(sddl, t, READ_CONTROL | WRITE_DAC);
    ck_assert(o.ok && o.status);
    ck_assert_uint_eq(o.granted, READ_CONTROL | WRITE_DAC);
    o = check(sddl, t, WRITE_OWNER);
    ck_assert(o.ok && !o.status);
    /* An OWNER RIGHTS ACE replaces the implicit rights. */
    snprintf(sddl, sizeof sddl, "O:%sG:BAD:(A;;RC;;;S-1-3-4)", sid);
    o = check(sddl, t, WRITE_DAC);
    ck_assert(o.ok && !o.status);
    o = check(sddl, t, READ_CONTROL);
    ck_assert(o.ok && o.status);
    LocalFree(sid);
    CloseHandle(t);
}
END_TEST

START_TEST(a_higher_label_stops_writes_from_a_medium_token)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NW;;;HI)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.error, ERROR_ACCESS_DENIED);
    o = check("O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NW;;;HI)", t, FILE_READ_DATA);
    ck_assert(o.ok && o.status);
    o = check("O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NW;;;LW)", t, FILE_WRITE_DATA);
    ck_assert(o.ok && o.status);
    CloseHandle(t);
}
END_TEST

START_TEST(system_security_needs_the_security_privilege)
{
    HANDLE t = alice_impersonation();
    struct outcome o = check("O:BAG:BAD:(A;;FA;;;WD)", t, ACCESS_SYSTEM_SECURITY);
    ck_assert(o.ok && !o.status);
    ck_assert_uint_eq(o.error, ERROR_PRIVILEGE_NOT_HELD);
    CloseHandle(t);
}
END_TEST

START_TEST(bad_input_fails_with_windows_errors)
{
    HANDLE primary;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &primary));
    struct outcome o = check("O:BAG:BAD:(A;;FA;;;WD)", primary, FILE_READ_DATA);
    ck_assert(!o.ok);
    ck_assert_uint_eq(o.error, ERROR_NO_IMPERSONATION_TOKEN);
    ck_assert_int_eq(o.status, 0xdead);
    HANDLE t = alice_impersonation();
    o = check("G:BAD:(A;;FA;;;WD)", t, FILE_READ_DATA); /* no owner */
    ck_assert(!o.ok);
    ck_assert_uint_eq(o.error, ERROR_INVALID_SECURITY_DESCR);
    PSECURITY_DESCRIPTOR sd;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:BAG:BAD:(A;;FA;;;WD)", SDDL_REVISION_1, &sd,
                                                                    NULL));
    PRIVILEGE_SET privs;
    DWORD len = sizeof privs - 1, granted = 0xdeadbeef;
    BOOL status = 0xdead;
    ck_assert(!AccessCheck(sd, t, FILE_READ_DATA, &file_mapping, &privs, &len, &granted, &status));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(len, sizeof(PRIVILEGE_SET));
    ck_assert_uint_eq(granted, 0xdeadbeef);
    ck_assert(!AccessCheck(sd, (HANDLE)(uintptr_t)0x1234, FILE_READ_DATA, &file_mapping, &privs, &len, &granted,
                           &status));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    LocalFree(sd);
    CloseHandle(t);
    CloseHandle(primary);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/accesscheck");
    TCase *tc = test_case("access check");
    tcase_add_test(tc, an_allow_ace_grants_exactly_what_was_asked);
    tcase_add_test(tc, a_deny_ace_counts_only_before_the_allow);
    tcase_add_test(tc, maximum_allowed_is_every_allowed_bit_not_denied_first);
    tcase_add_test(tc, generic_rights_must_be_mapped_first);
    tcase_add_test(tc, the_owner_may_always_read_and_change_the_dacl);
    tcase_add_test(tc, a_higher_label_stops_writes_from_a_medium_token);
    tcase_add_test(tc, system_security_needs_the_security_privilege);
    tcase_add_test(tc, bad_input_fails_with_windows_errors);
    suite_add_tcase(s, tc);
    return test_run(s);
}
