/* The fake domain: the embedded default, the INI format and its errors, the control API. */
#include <unistd.h>

#include "testutil.h"
#include "security/domain_current.h"
#include "security/domain_ini.h"

#define DATA(name) TEST_DATA_DIR "/" name

START_TEST(the_default_domain_is_exactly_as_documented)
{
    const struct fs_domain *d = fs_domain_acquire();
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->netbios, "EXAMPLE");
    ck_assert_str_eq(d->dns, "example.test");
    char text[FS_SID_STRING_MAX];
    fs_sid_format(&d->sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-5-21-1000000001-2000000002-3000000003");
    static const struct {
        const char *name;
        uint32_t rid;
        const char *password;
        int disabled;
        size_t ngroups;
    } users[] = {{"alice", 1104, "Passw0rd!", 0, 2}, {"bob", 1105, "Hunter2!", 0, 1},
                 {"Administrator", 500, "Adm1n!pass", 0, 3}, {"Guest", 501, "", 1, 2}};
    for (size_t i = 0; i < sizeof users / sizeof *users; i++) {
        const struct fs_user *u = fs_domain_find_user(d, users[i].name);
        ck_assert_ptr_nonnull(u);
        ck_assert_uint_eq(u->rid, users[i].rid);
        ck_assert_str_eq(u->password, users[i].password);
        ck_assert_int_eq(u->disabled, users[i].disabled);
        ck_assert_uint_eq(u->ngroups, users[i].ngroups);
    }
    const struct fs_group *eng = fs_domain_find_group(d, "Engineering");
    ck_assert_ptr_nonnull(eng);
    ck_assert_uint_eq(eng->rid, 1200);
    const struct fs_user *alice = fs_domain_find_user(d, "alice");
    ck_assert(fs_sid_equal(&alice->groups[1], &eng->sid));
    fs_domain_release();
}
END_TEST

START_TEST(users_are_found_by_every_spelling)
{
    const struct fs_domain *d = fs_domain_acquire();
    static const char *names[] = {"alice", "ALICE", "EXAMPLE\\alice", "example.test\\Alice", "alice@example.test"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const struct fs_user *u = fs_domain_find_user(d, names[i]);
        ck_assert_msg(u && u->rid == 1104, "%s not found", names[i]);
    }
    ck_assert_ptr_null(fs_domain_find_user(d, "OTHER\\alice"));
    ck_assert_ptr_null(fs_domain_find_user(d, "mallory"));
    fs_domain_release();
}
END_TEST

START_TEST(a_domain_file_with_every_key_loads)
{
    ck_assert_int_eq(fakesspi_load_domain_file(DATA("small_domain.ini")), -1); /* no alice to run as */
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "no user 'alice'"));
    const struct fs_domain *d = fs_domain_acquire();
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->computer, "WEB01");
    const struct fs_user *carol = fs_domain_find_user(d, "carol.danvers@corp.example");
    ck_assert_ptr_nonnull(carol);
    ck_assert_uint_eq(carol->primary_group_rid, 3000);
    ck_assert_uint_eq(carol->nprivileges, 2);
    ck_assert_uint_eq(carol->privileges[0], 17); /* sorted by LUID: SeBackup before SeChangeNotify */
    ck_assert_uint_eq(carol->privileges[1], 23);
    ck_assert_uint_eq(carol->guid[0], 0xaa);
    ck_assert_uint_eq(carol->nspns, 1);
    const struct fs_user *dave = fs_domain_find_user(d, "dave");
    ck_assert_int_eq(dave->expired, 1);
    ck_assert_uint_eq(dave->ngroups, 1); /* Domain Users by default */
    fs_domain_release();
    ck_assert_int_eq(fakesspi_set_process_user("carol"), 0);
}
END_TEST

START_TEST(a_bad_file_names_file_and_line_and_logons_fail)
{
    ck_assert_int_eq(fakesspi_load_domain_file(DATA("bad_domain.ini")), -1);
    const char *msg = fakesspi_last_message();
    ck_assert_msg(strstr(msg, "bad_domain.ini:12: user 'erin': unknown group 'Nonexistent'"), "got: %s", msg);
    HANDLE h = (HANDLE)1;
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_NO_LOGON_SERVERS);
    ck_assert_ptr_null(h);
}
END_TEST

START_TEST(a_missing_file_is_named)
{
    ck_assert_int_eq(fakesspi_load_domain_file("/nonexistent/domain.ini"), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "/nonexistent/domain.ini: cannot open"));
}
END_TEST

START_TEST(each_format_error_is_explained)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"netbios = X\n", "t:1: 'netbios' comes before any section"},
        {"[domain]\nnetbios = X\n", "t:1: [domain] needs netbios, dns and sid"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-1-0\n", "t:4: 'S-1-1-0' is not a domain SID"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\ncolour=blue\n", "t:5: unknown key 'colour' in [domain]"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[planet Mars]\n", "t:5: unknown section [planet Mars]"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[user a]\npassword=p\n", "t:5: user 'a' needs 'rid = NUMBER'"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group g]\nrid=7\n[group h]\nrid=7\n",
         "t:7: RID 7 is already used"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\ndisabled=maybe\n",
         "t:9: 'disabled' must be yes or no"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\nprivileges=SeFly\n",
         "t:9: user 'a': unknown privilege 'SeFly'"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[user a]\nrid=9\n",
         "t:5: user 'a': unknown group 'Domain Users'"},
        {"[domain\n", "t:1: a section header must look like"},
        {"[domain]\nno equals sign\n", "t:2: expected 'key = value'"},
        {"", "t:1: no [domain] section"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char message[512] = "";
        struct fs_domain *d = fs_domain_parse(cases[i].text, "t", message, sizeof message);
        ck_assert_msg(d == NULL, "case %zu parsed", i);
        ck_assert_msg(strstr(message, cases[i].message), "case %zu: got '%s', want '%s'", i, message,
                      cases[i].message);
    }
}
END_TEST

START_TEST(users_and_groups_can_be_added_from_a_test)
{
    ck_assert_int_eq(fakesspi_add_group("Testers", 1300), 0);
    ck_assert_int_eq(fakesspi_add_user("trent", 1400, "pw", "Domain Users, Testers"), 0);
    HANDLE h;
    ck_assert(LogonUserA("trent", "EXAMPLE", "pw", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
    ck_assert_int_eq(fakesspi_add_user("trent", 1401, "pw", NULL), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "already used"));
    ck_assert_int_eq(fakesspi_add_user("uma", 1104, "pw", NULL), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "RID 1104 is already used"));
    ck_assert_int_eq(fakesspi_add_user("vic", 1402, "pw", "Nope"), -1);
    ck_assert_int_eq(fakesspi_add_user("bad\\name", 1403, "pw", NULL), -1);
}
END_TEST

START_TEST(the_environment_names_the_domain_file)
{
    setenv("FAKESSPI_DOMAIN", DATA("small_domain.ini"), 1);
    setenv("FAKESSPI_USER", "carol", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_DOMAIN");
    unsetenv("FAKESSPI_USER");
    char name[64];
    DWORD n = sizeof name;
    ck_assert(GetUserNameA(name, &n));
    ck_assert_str_eq(name, "carol");
    n = sizeof name;
    ck_assert(GetComputerNameA(name, &n));
    ck_assert_str_eq(name, "WEB01");
}
END_TEST

START_TEST(guids_come_from_the_seed)
{
    uint8_t first[16], again[16], other[16];
    const struct fs_domain *d = fs_domain_acquire();
    memcpy(first, fs_domain_find_user(d, "bob")->guid, 16);
    fs_domain_release();
    fakesspi_reset();
    d = fs_domain_acquire();
    memcpy(again, fs_domain_find_user(d, "bob")->guid, 16);
    fs_domain_release();
    ck_assert(!memcmp(first, again, 16));
    setenv("FAKESSPI_SEED", "42", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_SEED");
    d = fs_domain_acquire();
    memcpy(other, fs_domain_find_user(d, "bob")->guid, 16);
    fs_domain_release();
    ck_assert(memcmp(first, other, 16));
    ck_assert_uint_eq(other[6] >> 4, 4); /* a version 4 GUID */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("security/domain");
    TCase *tc = test_case("domain");
    tcase_add_test(tc, the_default_domain_is_exactly_as_documented);
    tcase_add_test(tc, users_are_found_by_every_spelling);
    tcase_add_test(tc, a_domain_file_with_every_key_loads);
    tcase_add_test(tc, a_bad_file_names_file_and_line_and_logons_fail);
    tcase_add_test(tc, a_missing_file_is_named);
    tcase_add_test(tc, each_format_error_is_explained);
    tcase_add_test(tc, users_and_groups_can_be_added_from_a_test);
    tcase_add_test(tc, the_environment_names_the_domain_file);
    tcase_add_test(tc, guids_come_from_the_seed);
    suite_add_tcase(s, tc);
    return test_run(s);
}
