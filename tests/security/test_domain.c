/* The fake domain: the embedded default, the INI format and its errors, the control API. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "sddl.h"
#include "security/domain_current.h"
#include "security/domain_ini.h"
#include "security/nt_hash.h"

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
    ck_assert_int_eq(fakesspi_load_domain_file(DATA("small_domain.ini")), 0); /* installed, with no alice to run as */
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
        /* An account given by its key (doc/semantics.md §73): 32 hex digits, no password beside, RC4 among its types. */
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\n"
         "nt_hash=D217FAEAE5E6B5F95CCC94077AB8A5\n",
         "t:9: user 'a': nt_hash must be 32 hex digits (the NT hash, the account's RC4-HMAC key)"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\n"
         "nt_hash=D217FAEAE5E6B5F95CCC94077AB8A5FC00\n",
         "t:9: user 'a': nt_hash must be 32 hex digits"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\n"
         "nt_hash=G217FAEAE5E6B5F95CCC94077AB8A5FC\n",
         "t:9: user 'a': nt_hash must be 32 hex digits"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\n"
         "nt_hash=0x17FAEAE5E6B5F95CCC94077AB8A5FC\n",
         "t:9: user 'a': nt_hash must be 32 hex digits"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\npassword=p\n"
         "nt_hash=D217FAEAE5E6B5F95CCC94077AB8A5FC\n",
         "t:7: user 'a': give password or nt_hash, not both"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=9\n"
         "nt_hash=D217FAEAE5E6B5F95CCC94077AB8A5FC\nsupported_enctypes=aes256\n",
         "t:7: user 'a': supported_enctypes lists no RC4, the one key an account given by nt_hash has"},
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


#define HEAD "[domain]\nnetbios=X\ndns=x.test\nsid=S-1-5-21-1-2-3\n[group Domain Users]\nrid=513\n"

/* What an adversarial tester fed the loader: each is refused with the file and line. */
START_TEST(hostile_domain_files_are_refused_with_file_and_line)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-32\n", "t:4: 'S-1-5-32' is not a domain SID"},
        {"[domain]\nnetbios=X\ndns=x\nsid=S-1-5-18-1\n", "t:4: 'S-1-5-18-1' is not a domain SID"},
        {HEAD "[user a]\nrid=1000\nupn=b@x.test\n[user b]\nrid=1001\n", "t:10: user 'b': the UPN 'b@x.test' is already a's"},
        {HEAD "[user a]\nrid=1000\nupn=shared@x.test\n[user b]\nrid=1001\nupn=SHARED@x.test\n",
         "t:10: user 'b': the UPN 'SHARED@x.test' is already a's"},
        {HEAD "[user a]\nrid=1000\nupn=nosuffix\n", "t:7: user 'a': 'nosuffix' is not a UPN"},
        /* found by fuzz_text: looked up, it read as OTHER\\x@y and named no account of this domain */
        {HEAD "[user a]\nrid=1000\nupn=OTHER\\x@x.test\n", "t:7: user 'a': 'OTHER\\x@x.test' is not a UPN"},
        {HEAD "[user Everyone]\nrid=1000\n", "t:7: 'Everyone' is the name of the well-known account Everyone"},
        {HEAD "[group Administrators]\nrid=1000\n", "t:7: 'Administrators' is the name of the well-known account BUILTIN\\Administrators"},
        {HEAD "[user system]\nrid=1000\n", "t:7: 'system' is the name of the well-known account NT AUTHORITY\\SYSTEM"},
        {"[domain]\nnetbios=\ndns=x\nsid=S-1-5-21-1\n", "t:2: '' is not a NetBIOS name"},
        {"[domain]\nnetbios=X\ndns=\nsid=S-1-5-21-1\n", "t:3: '' is not a DNS name"},
        {"[domain]\nnetbios=SIXTEENCHARSLONG\ndns=x\nsid=S-1-5-21-1\n", "t:2: 'SIXTEENCHARSLONG' is not a NetBIOS name"},
        {HEAD "[user j\xfcrgen]\nrid=1000\n", "t:7: not UTF-8"},
        {HEAD "[user a]\nrid=1000\npassword=caf\xe9\n", "t:9: not UTF-8"},
        {HEAD "[user a]\nrid=1000\nrid=1001\n", "t:9: 'rid' is given twice in this section (first at line 8)"},
        {HEAD "[user a]\nrid=1000\npassword=one\npassword=two\n", "t:10: 'password' is given twice"},
        {"[domain]\nnetbios=X\nnetbios=Y\ndns=x\nsid=S-1-5-21-1\n", "t:3: 'netbios' is given twice"},
        {HEAD "[user a]\nrid=1000\nspn=HTTP/a, http/A\n", "t:9: user 'a': SPN 'http/A' is listed twice"},
        {HEAD "[user a]\nrid=1000\nspn=HTTP/web\n[user b]\nrid=1001\nspn=http/WEB\n",
         "t:10: user 'b': the SPN 'http/WEB' is already registered to 'a'"},
        {HEAD "[user a]\nrid=1000\nprivileges=SeBackupPrivilege, SeBackupPrivilege\n",
         "t:9: user 'a': privilege 'SeBackupPrivilege' is listed twice"},
        {HEAD "[user a]\nrid=0100\n", "t:8: user 'a' needs 'rid = NUMBER' (decimal)"},
        {HEAD "[user a]\nrid=0x64\n", "t:8: user 'a' needs 'rid = NUMBER' (decimal)"},
        {HEAD "[user abcdefghijklmnopqrstu]\nrid=1000\n", "t:7: 'abcdefghijklmnopqrstu' is longer than Windows allows (20"},
        {HEAD "[user a:b]\nrid=1000\n", "t:7: 'a:b' is not a valid account name (it has ':')"},
        {HEAD "[user dot.]\nrid=1000\n", "t:7: 'dot.' is not a valid account name (it ends with a period)"},
        {HEAD "[user J\xc3\xbcrgen]\nrid=1000\n[user J\xc3\x9cRGEN]\nrid=1001\n",
         "t:9: the name 'J\xc3\x9cRGEN' is already used in the domain"},
        {HEAD "[group Staff]\nrid=1000\ngroups=Staff\n", "t:9: group 'Staff' cannot be a member of itself"},
        {HEAD "[group Staff]\nrid=1000\ngroups=Nowhere\n", "t:9: group 'Staff': unknown group 'Nowhere'"},
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

START_TEST(a_nul_byte_is_refused_with_its_line_not_taken_for_the_end)
{
    static const char text[] = HEAD "[user a]\nrid=1000\n\0[user b]\nrid=1001\n";
    char message[512] = "";
    ck_assert_ptr_null(fs_domain_parse_bytes(text, sizeof text - 1, "t", message, sizeof message));
    ck_assert_str_eq(message, "t:9: a NUL byte (the domain file is text)");
    /* The same through a file. */
    char path[] = "/tmp/fakesspi-nul-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    ck_assert_int_eq(fakesspi_load_domain_file(path), -1);
    unlink(path);
    ck_assert_msg(strstr(fakesspi_last_message(), ":9: a NUL byte"), "got: %s", fakesspi_last_message());
}
END_TEST

/* A directory gave ftell's LONG_MAX (an 8 EiB allocation), a FIFO hung for ever, a /proc file read as empty. */
START_TEST(only_a_regular_file_is_read_as_the_domain)
{
    ck_assert_int_eq(fakesspi_load_domain_file("/tmp"), -1);
    ck_assert_str_eq(fakesspi_last_message(), "/tmp: is a directory, not a domain file");
    char fifo[] = "/tmp/fakesspi-fifo-XXXXXX";
    int fd = mkstemp(fifo);
    close(fd);
    unlink(fifo);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(fakesspi_load_domain_file(fifo), -1); /* returns at once: nobody writes to it */
    unlink(fifo);
    ck_assert_msg(strstr(fakesspi_last_message(), "is not a regular file"), "got: %s", fakesspi_last_message());
    ck_assert_int_eq(fakesspi_load_domain_file("/dev/null"), -1);
    ck_assert_msg(strstr(fakesspi_last_message(), "/dev/null: is not a regular file"), "got: %s",
                  fakesspi_last_message());
    /* /proc files say their size is 0 but have text: it is read, and refused for what it is. */
    ck_assert_int_eq(fakesspi_load_domain_file("/proc/self/status"), -1);
    ck_assert_msg(strstr(fakesspi_last_message(), "/proc/self/status:1: expected 'key = value'"), "got: %s",
                  fakesspi_last_message());
    /* Each refusal leaves no domain: logons fail as with an unreachable domain controller. */
    HANDLE h = (HANDLE)1;
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_NO_LOGON_SERVERS);
}
END_TEST

START_TEST(an_empty_file_is_named_empty)
{
    char path[] = "/tmp/fakesspi-empty-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    ck_assert_int_eq(fakesspi_load_domain_file(path), -1);
    unlink(path);
    ck_assert_msg(strstr(fakesspi_last_message(), ": the domain file is empty"), "got: %s", fakesspi_last_message());
}
END_TEST

/* -1 means nothing was installed, 0 that the domain is in use: they were both -1 before. */
START_TEST(loading_returns_0_exactly_when_the_domain_is_installed)
{
    ck_assert_int_eq(fakesspi_load_domain_text(HEAD "[user zed]\nrid=1000\npassword=pw\n", "no alice"), 0);
    ck_assert_msg(strstr(fakesspi_last_message(), "it has no user 'alice' to run the process as"), "got: %s",
                  fakesspi_last_message());
    HANDLE h = (HANDLE)0xdeadbeef;
    ck_assert(LogonUserA("zed", "X", "pw", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
    ck_assert(!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert_int_eq(fakesspi_set_process_user("zed"), 0);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    CloseHandle(h);
    /* A load with the process user leaves no note. */
    ck_assert_int_eq(fakesspi_load_domain_text(HEAD "[user zed]\nrid=1000\npassword=pw\n", "again"), 0);
    ck_assert_str_eq(fakesspi_last_message(), "");
    ck_assert_int_eq(fakesspi_load_domain_text(HEAD "[user zed]\nrid=0100\n", "bad"), -1);
    ck_assert(!LogonUserA("zed", "X", "pw", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_NO_LOGON_SERVERS);
}
END_TEST

/* Windows compares account names case-insensitively in Unicode, not only in ASCII. */
START_TEST(names_match_in_unicode_upper_case)
{
    ck_assert_int_eq(fakesspi_add_user("J\xc3\xbcrgen", 1500, "pw", NULL), 0);
    ck_assert_int_eq(fakesspi_add_user("J\xc3\x9cRGEN", 1501, "pw", NULL), -1);
    ck_assert_msg(strstr(fakesspi_last_message(), "already used"), "got: %s", fakesspi_last_message());
    HANDLE h = (HANDLE)0xdeadbeef;
    ck_assert(LogonUserA("j\xc3\x9crgen", "EXAMPLE", "pw", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = fs_domain_find_user(d, "EXAMPLE\\J\xc3\x9cRGEN");
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->name, "J\xc3\xbcrgen");
    ck_assert_ptr_nonnull(fs_domain_find_user(d, "J\xc3\xbcrgen@EXAMPLE.TEST"));
    fs_domain_release();
    /* A name that is not UTF-8 is no account (it was one: LogonUser worked, NTLM then did not). */
    ck_assert_int_eq(fakesspi_add_user("j\xfcrgen", 1502, "pw", NULL), -1);
    ck_assert_msg(strstr(fakesspi_last_message(), "is not UTF-8"), "got: %s", fakesspi_last_message());
}
END_TEST

static int token_has(HANDLE token, const char *sid_text)
{
    PSID sid = NULL;
    BOOL member = FALSE;
    ck_assert(ConvertStringSidToSidA(sid_text, &sid));
    ck_assert(CheckTokenMembership(token, sid, &member));
    LocalFree(sid);
    return member;
}

/* Staff is in Engineers, Engineers in Builders and in BUILTIN\Administrators, Builders back in Staff. */
START_TEST(nested_groups_reach_the_token_and_a_cycle_ends)
{
    ck_assert_int_eq(fakesspi_load_domain_text(HEAD "[group Staff]\nrid=1100\ngroups=Engineers\n"
                                               "[group Engineers]\nrid=1101\ngroups=Builders, BUILTIN\\Administrators\n"
                                               "[group Builders]\nrid=1102\ngroups=Staff\n"
                                               "[group Outsiders]\nrid=1103\n"
                                               "[user alice]\nrid=1000\npassword=pw\ngroups=Domain Users, Staff\n",
                                               "nested"),
                     0);
    HANDLE token = NULL, imp = NULL;
    ck_assert(LogonUserA("alice", "X", "pw", LOGON32_LOGON_NETWORK, 0, &token));
    ck_assert(DuplicateToken(token, SecurityImpersonation, &imp));
    ck_assert(token_has(imp, "S-1-5-21-1-2-3-1100"));
    ck_assert(token_has(imp, "S-1-5-21-1-2-3-1101"));
    ck_assert(token_has(imp, "S-1-5-21-1-2-3-1102"));
    ck_assert(token_has(imp, "S-1-5-32-544"));
    ck_assert(!token_has(imp, "S-1-5-21-1-2-3-1103"));
    DWORD size = 0;
    ck_assert(!GetTokenInformation(imp, TokenGroups, NULL, 0, &size));
    TOKEN_GROUPS *groups = malloc(size);
    ck_assert(GetTokenInformation(imp, TokenGroups, groups, size, &size));
    int staff = 0;
    for (DWORD i = 0; i < groups->GroupCount; i++) {
        char *text = NULL;
        ck_assert(ConvertSidToStringSidA(groups->Groups[i].Sid, &text));
        staff += !strcmp(text, "S-1-5-21-1-2-3-1100");
        LocalFree(text);
    }
    ck_assert_int_eq(staff, 1); /* once, though the cycle leads back to it */
    free(groups);
    CloseHandle(imp);
    CloseHandle(token);
}
END_TEST

/* Two threads ask for the NT hashes of the same fresh accounts at once, in the same order, so that they meet
 * on most accounts while one of them is making the hash (the lazy, lock-free once of fs_domain_user_nt_hash). */
enum { RACE_USERS = 300 };
struct hash_racer {
    pthread_barrier_t *start;
    uint8_t hashes[RACE_USERS][16];
    int made[RACE_USERS];
};

static void *race_for_hashes(void *arg)
{
    struct hash_racer *r = arg;
    const struct fs_domain *d = fs_domain_acquire(); /* shared: a read lock, as every logon holds */
    pthread_barrier_wait(r->start);
    for (int i = 0; i < RACE_USERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "r%d", i);
        const struct fs_user *u = fs_domain_find_user(d, name);
        r->made[i] = u ? fs_domain_user_nt_hash(d, u, r->hashes[i]) : -1;
    }
    fs_domain_release();
    return NULL;
}

START_TEST(two_threads_making_one_accounts_nt_hash_at_once_get_the_same_bytes)
{
    size_t cap = RACE_USERS * 64 + 256, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, HEAD);
    for (int i = 0; i < RACE_USERS; i++)
        len += (size_t)snprintf(text + len, cap - len, "[user r%d]\nrid=%d\npassword=Race-%d\n", i, 3000 + i, i);
    ck_assert_int_eq(fakesspi_load_domain_text(text, "race"), 0);
    free(text);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    static struct hash_racer racers[2]; /* 10 KB each: not on the test's stack */
    memset(racers, 0xEE, sizeof racers);
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) {
        racers[t].start = &start;
        ck_assert_int_eq(pthread_create(&threads[t], NULL, race_for_hashes, &racers[t]), 0);
    }
    for (int t = 0; t < 2; t++)
        ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
    pthread_barrier_destroy(&start);
    const struct fs_domain *d = fs_domain_acquire();
    for (int i = 0; i < RACE_USERS; i++) {
        char password[16];
        uint8_t want[16];
        snprintf(password, sizeof password, "Race-%d", i);
        ck_assert_int_eq(fs_nt_hash(password, want), FS_OK);
        for (int t = 0; t < 2; t++) {
            ck_assert_int_eq(racers[t].made[i], 1);
            ck_assert_msg(!memcmp(racers[t].hashes[i], want, 16), "thread %d got a wrong hash for r%d", t, i);
        }
        ck_assert_int_eq(atomic_load(&d->nt_hashes[i].state), FS_NT_HASH_MADE); /* kept for the next logon */
        ck_assert(!memcmp(d->nt_hashes[i].bytes, want, 16));
    }
    fs_domain_release();
}
END_TEST

/* A password that is not UTF-8 has no NT hash: asked twice, the answer is kept and the same. An empty password
 * has one (MD4 of nothing). */
START_TEST(an_account_without_a_utf8_password_has_no_nt_hash_and_an_empty_one_has)
{
    ck_assert_int_eq(fakesspi_add_user("badpw", 4000, "caf\xE9", NULL), 0);
    ck_assert_int_eq(fakesspi_add_user("nopw", 4001, "", NULL), 0);
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *bad = fs_domain_find_user(d, "badpw"), *none = fs_domain_find_user(d, "nopw");
    ck_assert_ptr_nonnull(bad);
    ck_assert_ptr_nonnull(none);
    for (int round = 0; round < 2; round++) {
        uint8_t hash[16];
        memset(hash, 0xEE, sizeof hash);
        ck_assert_int_eq(fs_domain_user_nt_hash(d, bad, hash), 0);
        static const uint8_t zero[16];
        ck_assert(!memcmp(hash, zero, 16)); /* nothing left that looks like a hash */
        ck_assert_int_eq(atomic_load(&d->nt_hashes[bad - d->users].state), FS_NT_HASH_NONE);
        static const uint8_t empty[16] = {0x31, 0xd6, 0xcf, 0xe0, 0xd1, 0x6a, 0xe9, 0x31,
                                          0xb7, 0x3c, 0x59, 0xd7, 0xe0, 0xc0, 0x89, 0xc0}; /* MD4("") */
        ck_assert_int_eq(fs_domain_user_nt_hash(d, none, hash), 1);
        ck_assert(!memcmp(hash, empty, 16));
    }
    fs_domain_release();
}
END_TEST

/* An account given by its NT hash (doc/semantics.md §73): that hash is its own from the load, it has no password (and
 * so no LM hash), its Kerberos types are cut to RC4, and a password logs it on when its hash is that one, as with a
 * domain controller that keeps hashes only. */
START_TEST(an_account_given_by_its_nt_hash_has_that_hash_rc4_only_and_no_password)
{
    uint8_t want[16];
    ck_assert_int_eq(fs_nt_hash("L3gacy!pass", want), FS_OK);
    char hex[33];
    for (size_t i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, i % 2 ? "%02X" : "%02x", want[i]); /* either case */
    char text[1024];
    snprintf(text, sizeof text,
             "[domain]\nnetbios = CORP\ndns = corp.example\nsid = S-1-5-21-11-22-33\n[group Domain Users]\nrid = 513\n"
             "[user svc_legacy]\nrid = 1300\nnt_hash = %s\n"
             "[user svc_mixed]\nrid = 1301\nnt_hash = %s\nsupported_enctypes = 0x3c\n",
             hex, hex);
    ck_assert_msg(fakesspi_load_domain_text(text, "keys") == 0, "%s", fakesspi_last_message());
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *legacy = fs_domain_find_user(d, "svc_legacy"), *mixed = fs_domain_find_user(d, "svc_mixed");
    uint8_t hash[16];
    ck_assert_int_eq(fs_domain_user_nt_hash(d, legacy, hash), 1);
    ck_assert_mem_eq(hash, want, 16);
    ck_assert(legacy->nt_hash_given && legacy->password == NULL);
    ck_assert_uint_eq(legacy->supported_enctypes, 0x4);  /* none listed: RC4, its one key */
    ck_assert_uint_eq(mixed->supported_enctypes, 0x24);  /* 0x3c without the AES types it has no key for */
    fs_domain_release();
    HANDLE h = (HANDLE)0xdeadbeef;
    ck_assert(LogonUserA("svc_legacy", "CORP", "L3gacy!pass", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
    static const char *const wrong[] = {"l3gacy!pass", "", "D217FAEAE5E6B5F95CCC94077AB8A5FC"};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        h = (HANDLE)0xdeadbeef;
        ck_assert_msg(!LogonUserA("svc_legacy", "CORP", wrong[i], LOGON32_LOGON_NETWORK, 0, &h), "'%s'", wrong[i]);
        ck_assert_last_error(ERROR_LOGON_FAILURE);
    }
    /* A change checks the old password by its hash too; then the account has the new password, its hash made from it. */
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "CORP", "svc_legacy", "wrong", "N3w!pass", FALSE, 0, NULL),
                         SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "CORP", "svc_legacy", "L3gacy!pass", "N3w!pass", FALSE, 0,
                                                NULL), SEC_E_OK);
    ck_assert(LogonUserA("svc_legacy", "CORP", "N3w!pass", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
    ck_assert(!LogonUserA("svc_legacy", "CORP", "L3gacy!pass", LOGON32_LOGON_NETWORK, 0, &h));
    d = fs_domain_acquire();
    legacy = fs_domain_find_user(d, "svc_legacy");
    ck_assert(!legacy->nt_hash_given);
    ck_assert_str_eq(legacy->password, "N3w!pass");
    ck_assert_int_eq(fs_domain_user_nt_hash(d, legacy, hash), 1);
    ck_assert_int_eq(fs_nt_hash("N3w!pass", want), FS_OK);
    ck_assert_mem_eq(hash, want, 16);
    fs_domain_release();
}
END_TEST

/* A real company's size: 100,000 users and 10,000 groups, nested, load and resolve (the time is measured by
 * make bench, not here). */
START_TEST(a_domain_of_100000_users_loads_and_resolves)
{
    enum { USERS = 100000, GROUPS = 10000 };
    size_t cap = (size_t)USERS * 96 + (size_t)GROUPS * 64 + 256, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, HEAD);
    for (int g = 0; g < GROUPS; g++) { /* a binary tree of nesting: g is in g/2 */
        len += (size_t)snprintf(text + len, cap - len, "[group g%d]\nrid=%d\n", g, 200000 + g);
        if (g)
            len += (size_t)snprintf(text + len, cap - len, "groups=g%d\n", (g - 1) / 2);
    }
    for (int u = 0; u < USERS; u++)
        len += (size_t)snprintf(text + len, cap - len, "[user u%d]\nrid=%d\npassword=p%d\ngroups=Domain Users, g%d\n",
                                u, 1000 + u, u, GROUPS - 1 - u % GROUPS);
    ck_assert_uint_lt(len, cap);
    ck_assert_int_eq(fakesspi_load_domain_text(text, "big"), 0);
    free(text);
    const struct fs_domain *d = fs_domain_acquire();
    ck_assert_uint_eq(d->nusers, USERS);
    ck_assert_uint_eq(d->ngroups, GROUPS + 1);
    const struct fs_user *last = fs_domain_find_user(d, "U99999");
    ck_assert_ptr_nonnull(last);
    ck_assert_uint_eq(last->rid, 1000 + 99999);
    ck_assert_ptr_eq(fs_domain_find_user_by_sid(d, &last->sid), last);
    ck_assert_ptr_nonnull(fs_domain_find_group(d, "G5000"));
    fs_domain_release();
    HANDLE token = NULL, imp = NULL;
    ck_assert(LogonUserA("u99999", "X", "p99999", LOGON32_LOGON_NETWORK, 0, &token));
    ck_assert(DuplicateToken(token, SecurityImpersonation, &imp));
    CloseHandle(imp);
    CloseHandle(token);
    ck_assert(LogonUserA("u0", "X", "p0", LOGON32_LOGON_NETWORK, 0, &token));
    ck_assert(DuplicateToken(token, SecurityImpersonation, &imp));
    /* u0 is in g9999, whose parents g4999, g2499, ... reach g0. */
    static const int chain[] = {9999, 4999, 2499, 1249, 624, 311, 155, 77, 38, 18, 8, 3, 1, 0};
    for (size_t i = 0; i < sizeof chain / sizeof *chain; i++) {
        char sid[64];
        snprintf(sid, sizeof sid, "S-1-5-21-1-2-3-%d", 200000 + chain[i]);
        ck_assert_msg(token_has(imp, sid), "u0's token lacks g%d", chain[i]);
    }
    ck_assert(!token_has(imp, "S-1-5-21-1-2-3-200002"));
    CloseHandle(imp);
    CloseHandle(token);
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
    tcase_add_test(tc, hostile_domain_files_are_refused_with_file_and_line);
    tcase_add_test(tc, a_nul_byte_is_refused_with_its_line_not_taken_for_the_end);
    tcase_add_test(tc, only_a_regular_file_is_read_as_the_domain);
    tcase_add_test(tc, an_empty_file_is_named_empty);
    tcase_add_test(tc, loading_returns_0_exactly_when_the_domain_is_installed);
    tcase_add_test(tc, names_match_in_unicode_upper_case);
    tcase_add_test(tc, nested_groups_reach_the_token_and_a_cycle_ends);
    tcase_add_test(tc, two_threads_making_one_accounts_nt_hash_at_once_get_the_same_bytes);
    tcase_add_test(tc, an_account_without_a_utf8_password_has_no_nt_hash_and_an_empty_one_has);
    tcase_add_test(tc, an_account_given_by_its_nt_hash_has_that_hash_rc4_only_and_no_password);
    TCase *big = test_case("big domain");
    tcase_set_timeout(big, 300); /* correctness only; under valgrind the load takes a while */
    tcase_add_test(big, a_domain_of_100000_users_loads_and_resolves);
    suite_add_tcase(s, big);
    suite_add_tcase(s, tc);
    return test_run(s);
}
