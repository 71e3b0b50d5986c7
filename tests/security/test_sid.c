/* SID text form and arithmetic. */
#include "testutil.h"
#include "security/sid.h"

START_TEST(text_round_trips)
{
    static const char *texts[] = {"S-1-5-21-1000000001-2000000002-3000000003-1104", "S-1-1-0", "S-1-5", "S-1-0-0",
                                  "S-1-16-8192", "S-1-5-32-544", "S-1-0x123456789ABC-1",
                                  "S-1-5-4294967295-1-2-3-4-5-6-7-8-9-10-11-12-13-14"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        struct fs_sid sid;
        ck_assert_int_eq(fs_sid_parse(texts[i], &sid), FS_OK);
        char out[FS_SID_STRING_MAX];
        fs_sid_format(&sid, out, sizeof out);
        ck_assert_str_eq(out, texts[i]);
    }
}
END_TEST

START_TEST(malformed_text_is_invalid_sid)
{
    static const char *bad[] = {"", "S", "S-", "S-1", "S-2-5", "S-1-5-", "S-1--5", "X-1-5", "S-1-5-x", "S-1-5 ",
                                "S-1-5-4294967296", "S-1-281474976710656", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
                                "S-1-5--1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct fs_sid sid;
        ck_assert_msg(fs_sid_parse(bad[i], &sid) == FS_E_INVALID_SID, "'%s' parsed", bad[i]);
    }
}
END_TEST

START_TEST(length_and_domain_membership)
{
    struct fs_sid domain, user;
    ck_assert_int_eq(fs_sid_parse("S-1-5-21-1-2-3", &domain), FS_OK);
    fs_sid_append(&user, &domain, 1104);
    ck_assert_uint_eq(fs_sid_length(&user), 28);
    uint32_t rid = 0;
    ck_assert(fs_sid_is_in_domain(&user, &domain, &rid));
    ck_assert_uint_eq(rid, 1104);
    ck_assert(!fs_sid_is_in_domain(&domain, &user, NULL));
    ck_assert(fs_sid_equal(&user, &user));
    ck_assert(!fs_sid_equal(&user, &domain));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("security/sid");
    TCase *tc = test_case("sid");
    tcase_add_test(tc, text_round_trips);
    tcase_add_test(tc, malformed_text_is_invalid_sid);
    tcase_add_test(tc, length_and_domain_membership);
    suite_add_tcase(s, tc);
    return test_run(s);
}
