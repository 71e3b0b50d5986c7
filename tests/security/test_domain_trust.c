/* The domain file's second domain and its trust (doc/semantics.md §76): [trust NAME], the principals written
 * NAME\account, domain-local groups holding the first domain's accounts, and the loader's refusals. */
#include "testutil.h"

#include <string.h>

#include "sddl.h"

#include "security/domain.h"
#include "security/domain_ini.h"
#include "security/trust_domain.h"

static struct fs_domain *parse_with_trust(const char *direction)
{
    static char text[16384];
    int n = snprintf(text, sizeof text, "%s%s", fs_default_domain_ini,
                     !strcmp(direction, "inbound") ? TRUST_SECTIONS("inbound") : TRUST_SECTIONS("two-way"));
    ck_assert_int_lt(n, (int)sizeof text);
    char message[512] = "";
    struct fs_domain *d = fs_domain_parse(text, "trust.ini", message, sizeof message);
    ck_assert_msg(d != NULL, "%s", message);
    return d;
}

START_TEST(a_trust_section_makes_a_second_domain_with_its_own_names_and_sid)
{
    struct fs_domain *d = parse_with_trust("two-way");
    ck_assert_uint_eq(d->ntrusts, 1);
    const struct fs_trust *t = fs_domain_find_trust(d, "other.test");
    ck_assert_ptr_eq(t, fs_domain_find_trust(d, "OTHER"));
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->domain->netbios, "OTHER");
    ck_assert_str_eq(t->domain->dns, "other.test");
    ck_assert_str_eq(t->domain->computer, "FILES");
    char sid[FS_SID_STRING_MAX];
    fs_sid_format(&t->domain->sid, sid, sizeof sid);
    ck_assert_str_eq(sid, TRUST_OTHER_SID);
    ck_assert_uint_eq(t->direction, FS_TRUST_BOTH);
    ck_assert(t->forest);
    ck_assert_str_eq(t->password, "Tru5t!EXAMPLE-OTHER");
    ck_assert_ptr_null(fs_domain_find_trust(d, "EXAMPLE"));
    fs_domain_free(d);
}
END_TEST

START_TEST(principals_written_with_the_trusts_name_belong_to_the_second_domain_only)
{
    struct fs_domain *d = parse_with_trust("two-way");
    const struct fs_domain *o = d->trusts[0].domain;
    const struct fs_user *carol = fs_domain_find_user(o, "carol");
    ck_assert_ptr_nonnull(carol);
    ck_assert_ptr_null(fs_domain_find_user(d, "carol"));
    char sid[FS_SID_STRING_MAX];
    fs_sid_format(&carol->sid, sid, sizeof sid);
    ck_assert_str_eq(sid, TRUST_OTHER_SID "-1104");
    /* RID 1104 is alice's in EXAMPLE and carol's in OTHER: each domain its own RIDs. */
    ck_assert_str_eq(fs_domain_find_user(d, "alice")->name, "alice");
    ck_assert_ptr_eq(fs_domain_find_spn(o, "HTTP/files.other.test"), fs_domain_find_user(o, "svc_files"));
    ck_assert_ptr_null(fs_domain_find_spn(d, "HTTP/files.other.test"));
    ck_assert_ptr_nonnull(fs_domain_find_user(o, "krbtgt"));
    fs_domain_free(d);
}
END_TEST

START_TEST(a_domain_local_group_holds_accounts_and_groups_of_the_first_domain)
{
    struct fs_domain *d = parse_with_trust("two-way");
    const struct fs_domain *o = d->trusts[0].domain;
    const struct fs_group *readers = fs_domain_find_group(o, "Readers");
    ck_assert(readers->domain_local);
    ck_assert_uint_eq(readers->nmembers, 1);
    ck_assert(fs_sid_equal(&readers->members[0], &fs_domain_find_group(d, "Engineering")->sid));
    ck_assert(!fs_domain_find_group(o, "Staff")->domain_local);
    /* alice (Engineering) is in Readers; bob in Auditors. */
    const struct fs_user *alice = fs_domain_find_user(d, "alice");
    struct fs_sid sids[3] = {alice->sid, fs_domain_find_group(d, "Domain Users")->sid,
                             fs_domain_find_group(d, "Engineering")->sid};
    uint32_t *rids = NULL;
    size_t n = 0;
    ck_assert_int_eq(fs_domain_resource_groups(o, sids, 3, &rids, &n), FS_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(rids[0], 1300);
    free(rids);
    sids[0] = fs_domain_find_user(d, "bob")->sid;
    ck_assert_int_eq(fs_domain_resource_groups(o, sids, 2, &rids, &n), FS_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(rids[0], 1301);
    free(rids);
    sids[0] = fs_domain_find_user(d, "Administrator")->sid;
    ck_assert_int_eq(fs_domain_resource_groups(o, sids, 1, &rids, &n), FS_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(rids);
    fs_domain_free(d);
}
END_TEST

START_TEST(the_direction_is_read_as_the_first_domain_sees_it)
{
    struct fs_domain *d = parse_with_trust("inbound");
    ck_assert_uint_eq(d->trusts[0].direction, FS_TRUST_INBOUND);
    fs_domain_free(d);
}
END_TEST

/* LookupAccountName and LookupAccountSid find the trusted domain's accounts, after the domain's own. */
START_TEST(lookups_name_the_trusted_domains_accounts_and_its_domain_local_groups_are_aliases)
{
    trust_load(TRUST_SECTIONS("two-way"));
    static const struct {
        const char *name, *sid, *account, *domain;
        SID_NAME_USE use;
    } cases[] = {
        {"OTHER\\carol", TRUST_OTHER_SID "-1104", "carol", "OTHER", SidTypeUser},
        {"carol", TRUST_OTHER_SID "-1104", "carol", "OTHER", SidTypeUser},
        {"other.test\\svc_files", TRUST_OTHER_SID "-1106", "svc_files", "OTHER", SidTypeUser},
        {"OTHER\\Readers", TRUST_OTHER_SID "-1300", "Readers", "OTHER", SidTypeAlias},
        {"OTHER\\Staff", TRUST_OTHER_SID "-1302", "Staff", "OTHER", SidTypeGroup},
        {"OTHER", TRUST_OTHER_SID, "OTHER", "OTHER", SidTypeDomain},
        /* A name both domains have is the domain's own first. */
        {"Domain Users", "S-1-5-21-1000000001-2000000002-3000000003-513", "Domain Users", "EXAMPLE", SidTypeGroup},
        {"OTHER\\Domain Users", TRUST_OTHER_SID "-513", "Domain Users", "OTHER", SidTypeGroup},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned char sid[SECURITY_MAX_SID_SIZE];
        char domain[64], name[64], *text_sid;
        DWORD cb = sizeof sid, cch = sizeof domain, cch_name = sizeof name;
        SID_NAME_USE use = (SID_NAME_USE)0xdeadbeef;
        ck_assert_msg(LookupAccountNameA(NULL, cases[i].name, sid, &cb, domain, &cch, &use), "case %zu", i);
        ck_assert(ConvertSidToStringSidA(sid, &text_sid));
        ck_assert_str_eq(text_sid, cases[i].sid);
        LocalFree(text_sid);
        ck_assert_str_eq(domain, cases[i].domain);
        ck_assert_int_eq(use, cases[i].use);
        cch = sizeof domain;
        use = (SID_NAME_USE)0xdeadbeef;
        ck_assert_msg(LookupAccountSidA(NULL, sid, name, &cch_name, domain, &cch, &use), "case %zu", i);
        ck_assert_str_eq(name, cases[i].account);
        ck_assert_str_eq(domain, cases[i].domain);
        ck_assert_int_eq(use, cases[i].use);
    }
    unsigned char sid[SECURITY_MAX_SID_SIZE];
    char domain[64];
    DWORD cb = sizeof sid, cch = sizeof domain;
    SID_NAME_USE use;
    SetLastError(0xdeadbeef);
    ck_assert(!LookupAccountNameA(NULL, "OTHER\\alice", sid, &cb, domain, &cch, &use));
    ck_assert_uint_eq(GetLastError(), ERROR_NONE_MAPPED);
}
END_TEST

#define HEAD "[domain]\nnetbios=X\ndns=x.test\nsid=S-1-5-21-1\n[group Domain Users]\nrid=513\n[user a]\nrid=1000\n" \
             "password=p\n"
#define TRUST "[trust Y]\ndns=y.test\nsid=S-1-5-21-2\npassword=t\n"

START_TEST(bad_trust_sections_are_refused_with_the_reason)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {HEAD "[trust Y]\ndns=y.test\nsid=S-1-5-21-2\n", "t:10: [trust Y] needs a password"},
        {HEAD "[trust Y]\nsid=S-1-5-21-2\npassword=t\n", "t:10: [trust] needs netbios, dns and sid"},
        {HEAD TRUST "direction=sideways\n", "t:14: 'direction' must be two-way, inbound (Y trusts X) or outbound"},
        {HEAD TRUST "type=realm\n", "t:14: 'type' must be forest or external"},
        {HEAD TRUST "netbios=Z\n", "t:14: [trust Y] is named by its header: no 'netbios' key"},
        {HEAD TRUST "colour=blue\n", "t:14: unknown key 'colour' in [trust Y]"},
        {HEAD "[trust X]\ndns=y.test\nsid=S-1-5-21-2\npassword=t\n", "t:10: [trust X]: a domain of that name"},
        {HEAD TRUST TRUST, "t:14: [trust Y]: a domain of that name is in the file already"},
        {HEAD "[trust Y]\ndns=x.test\nsid=S-1-5-21-2\npassword=t\n", "t:10: [trust Y] needs a DNS name and a SID of"},
        {HEAD "[trust Y]\ndns=y.test\nsid=S-1-5-21-1\npassword=t\n", "t:10: [trust Y] needs a DNS name and a SID of"},
        {HEAD "[trust Y.Z]\ndns=y.test\nsid=S-1-5-21-2\npassword=t\n", "t:10: 'Y.Z' is not a NetBIOS name"},
        {HEAD "[user Z\\b]\nrid=1001\n", "t:10: 'Z\\b': no [trust Z] section for it"},
        {HEAD TRUST "[group Y\\G]\nrid=1300\nmembers=X\\a\n",
         "t:16: group 'G' has members of other domains: it needs 'scope = domain_local'"},
        {HEAD TRUST "[group Y\\G]\nrid=1300\nscope=universal\n", "t:16: 'scope' must be global or domain_local"},
        {HEAD TRUST "[group Y\\G]\nrid=1300\nscope=domain_local\nmembers=X\\nobody\n",
         "t:17: member 'X\\nobody': no such user or group"},
        {HEAD TRUST "[group Y\\G]\nrid=1300\nscope=domain_local\nmembers=a\n",
         "t:17: member 'a' must be DOMAIN\\name of another domain"},
        {HEAD TRUST "[group Y\\G]\nrid=1300\nscope=domain_local\n[user Y\\c]\nrid=1000\npassword=p\ngroups=G\n"
                    "[group Y\\H]\nrid=1301\nscope=domain_local\nmembers=Y\\c\n",
         "t:24: member 'Y\\c' must be DOMAIN\\name of another domain"},
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

int main(void)
{
    Suite *s = suite_create("domain_trust");
    TCase *tc = test_case("trust");
    tcase_add_test(tc, a_trust_section_makes_a_second_domain_with_its_own_names_and_sid);
    tcase_add_test(tc, principals_written_with_the_trusts_name_belong_to_the_second_domain_only);
    tcase_add_test(tc, a_domain_local_group_holds_accounts_and_groups_of_the_first_domain);
    tcase_add_test(tc, the_direction_is_read_as_the_first_domain_sees_it);
    tcase_add_test(tc, bad_trust_sections_are_refused_with_the_reason);
    tcase_add_test(tc, lookups_name_the_trusted_domains_accounts_and_its_domain_local_groups_are_aliases);
    suite_add_tcase(s, tc);
    return test_run(s);
}
