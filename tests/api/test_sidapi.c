/* SID functions and SDDL string conversion. */
#include "testutil.h"
#include "sddl.h"

START_TEST(allocate_and_initialize_builds_the_windows_layout)
{
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID sid = NULL;
    ck_assert(AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0,
                                       &sid));
    static const BYTE expected[] = {1, 2, 0, 0, 0, 0, 0, 5, 0x20, 0, 0, 0, 0x20, 2, 0, 0};
    ck_assert_uint_eq(GetLengthSid(sid), 16);
    ck_assert(!memcmp(sid, expected, 16));
    ck_assert(IsValidSid(sid));
    ck_assert_uint_eq(*GetSidSubAuthorityCount(sid), 2);
    ck_assert_uint_eq(*GetSidSubAuthority(sid, 1), 544);
    ck_assert_uint_eq(GetSidIdentifierAuthority(sid)->Value[5], 5);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_eq(GetSidSubAuthority(sid, 2), (BYTE *)sid + 16); /* past the count: not checked */
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert_ptr_null(FreeSid(sid));
    ck_assert(!AllocateAndInitializeSid(&nt, 9, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
    ck_assert_last_error(ERROR_INVALID_SID);
}
END_TEST

START_TEST(equal_sid_sets_last_error_both_ways)
{
    PSID a, b, c;
    ck_assert(ConvertStringSidToSidA("S-1-5-18", &a));
    ck_assert(ConvertStringSidToSidA("SY", &b));
    ck_assert(ConvertStringSidToSidA("S-1-5-19", &c));
    SetLastError(1234);
    ck_assert(EqualSid(a, b));
    ck_assert_last_error(ERROR_SUCCESS);
    SetLastError(1234);
    ck_assert(!EqualSid(a, c));
    ck_assert_last_error(ERROR_SUCCESS);
    BYTE bad[8] = {2, 0};
    SetLastError(1234);
    ck_assert(!EqualSid(a, bad));
    ck_assert_last_error(ERROR_SUCCESS);
    ck_assert(!IsValidSid(bad));
    ck_assert(!IsValidSid(NULL));
    LocalFree(a);
    LocalFree(b);
    LocalFree(c);
}
END_TEST

START_TEST(copy_sid_checks_the_destination_size)
{
    PSID s;
    ck_assert(ConvertStringSidToSidA("S-1-5-21-1-2-3-500", &s));
    BYTE dest[SECURITY_MAX_SID_SIZE];
    ck_assert(!CopySid(GetLengthSid(s) - 1, dest, s));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert(CopySid(sizeof dest, dest, s));
    ck_assert(EqualSid(dest, s));
    LocalFree(s);
}
END_TEST

START_TEST(string_sids_round_trip_in_both_widths)
{
    static const char *texts[] = {"S-1-5-21-1000000001-2000000002-3000000003-1104", "S-1-1-0", "S-1-16-12288",
                                  "S-1-0x123456789ABC-7"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        PSID sid;
        ck_assert(ConvertStringSidToSidA(texts[i], &sid));
        LPSTR a;
        ck_assert(ConvertSidToStringSidA(sid, &a));
        ck_assert_str_eq(a, texts[i]);
        LPWSTR w;
        ck_assert(ConvertSidToStringSidW(sid, &w));
        PSID again;
        ck_assert(ConvertStringSidToSidW(w, &again));
        ck_assert(EqualSid(sid, again));
        LocalFree(a);
        LocalFree(w);
        LocalFree(sid);
        LocalFree(again);
    }
}
END_TEST

START_TEST(sddl_aliases_name_well_known_and_domain_sids)
{
    static const struct {
        const char *alias, *sid;
    } cases[] = {{"WD", "S-1-1-0"}, {"AU", "S-1-5-11"}, {"BA", "S-1-5-32-544"}, {"BU", "S-1-5-32-545"},
                 {"SY", "S-1-5-18"}, {"NS", "S-1-5-20"}, {"LS", "S-1-5-19"}, {"NU", "S-1-5-2"}, {"IU", "S-1-5-4"},
                 {"ME", "S-1-16-8192"}, {"DU", "S-1-5-21-1000000001-2000000002-3000000003-513"},
                 {"DA", "S-1-5-21-1000000001-2000000002-3000000003-512"},
                 {"LA", "S-1-5-21-1000000001-2000000002-3000000003-500"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        PSID sid;
        ck_assert_msg(ConvertStringSidToSidA(cases[i].alias, &sid), "%s", cases[i].alias);
        LPSTR text;
        ConvertSidToStringSidA(sid, &text);
        ck_assert_str_eq(text, cases[i].sid);
        LocalFree(text);
        LocalFree(sid);
    }
}
END_TEST

START_TEST(malformed_strings_are_invalid_sid_and_leave_the_output_alone)
{
    static const char *bad[] = {"", "XX", "S-1", "S-2-5-1", "S-1-5-", "S-1-5", "S-1-5-x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        PSID sid = (PSID)0x1;
        SetLastError(0);
        ck_assert_msg(!ConvertStringSidToSidA(bad[i], &sid), "'%s'", bad[i]);
        ck_assert_last_error(ERROR_INVALID_SID);
        ck_assert_ptr_eq(sid, (PSID)0x1);
    }
    PSID sid;
    ck_assert(!ConvertStringSidToSidA(NULL, &sid));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    BYTE bad_sid[8] = {3, 0};
    LPSTR text;
    ck_assert(!ConvertSidToStringSidA(bad_sid, &text));
    ck_assert_last_error(ERROR_INVALID_SID);
}
END_TEST

START_TEST(freeing_with_the_wrong_function_is_reported)
{
    SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    PSID sid;
    ck_assert(AllocateAndInitializeSid(&world, 1, 0, 0, 0, 0, 0, 0, 0, 0, &sid));
    ck_assert_ptr_null(LocalFree(sid)); /* works, as Windows' shared heap lets it */
    ck_assert_misuse(WRONG_FREE, 1);
    ck_assert_ptr_nonnull(strstr(test_last_report, "must be freed with FreeSid"));
    ck_assert_ptr_eq(FreeSid(sid), sid); /* now a double free */
    ck_assert_misuse(DOUBLE_FREE, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/sids");
    TCase *tc = test_case("sids");
    tcase_add_test(tc, allocate_and_initialize_builds_the_windows_layout);
    tcase_add_test(tc, equal_sid_sets_last_error_both_ways);
    tcase_add_test(tc, copy_sid_checks_the_destination_size);
    tcase_add_test(tc, string_sids_round_trip_in_both_widths);
    tcase_add_test(tc, sddl_aliases_name_well_known_and_domain_sids);
    tcase_add_test(tc, malformed_strings_are_invalid_sid_and_leave_the_output_alone);
    tcase_add_test(tc, freeing_with_the_wrong_function_is_reported);
    suite_add_tcase(s, tc);
    return test_run(s);
}
