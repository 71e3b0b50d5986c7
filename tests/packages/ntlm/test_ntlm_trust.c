/* NTLM across a trust (doc/semantics.md §76): a server of OTHER (its credential an account of OTHER) challenges in
 * OTHER's name, validates EXAMPLE\alice's NTLMv2 response by pass-through to EXAMPLE, and gives a token with her
 * EXAMPLE SIDs and OTHER's domain-local groups; with no trust toward EXAMPLE the logon is denied. */
#include "sspi/sspitest.h"

#include "security/trust_domain.h"

#define EXAMPLE_SID "S-1-5-21-1000000001-2000000002-3000000003"
#define REQ (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)

/* alice's NTLM client and the server credential of user in domain (password), the pair ready for its legs. */
static void credentials(struct pair *p, const char *user, const char *domain, const char *password)
{
    memset(p, 0, sizeof *p);
    SEC_WINNT_AUTH_IDENTITY_A c = identity_a("alice", "EXAMPLE", "Passw0rd!");
    SEC_WINNT_AUTH_IDENTITY_A s = identity_a(user, domain, password);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &c, NULL, NULL,
                                                   &p->client_cred, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, &s, NULL, NULL,
                                                   &p->server_cred, NULL),
                         SEC_E_OK);
}

static int holds_utf16(const unsigned char *p, size_t len, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + 2 * n <= len; i++) {
        size_t k = 0;
        while (k < n && p[i + 2 * k] == (unsigned char)text[k] && p[i + 2 * k + 1] == 0)
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

START_TEST(a_server_of_the_trusted_domain_takes_alice_by_pass_through_with_its_domain_local_groups)
{
    trust_load(TRUST_SECTIONS("two-way"));
    struct pair p;
    credentials(&p, "svc_files", "OTHER", "F1les!pass");
    ck_assert_sec_status(pair_client_step(&p, REQ, "HTTP/files.other.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    /* The CHALLENGE names the server's domain and host: OTHER's. */
    ck_assert(holds_utf16(p.s2c, p.s2c_len, "other.test"));
    ck_assert(holds_utf16(p.s2c, p.s2c_len, "FILES"));
    ck_assert(!holds_utf16(p.s2c, p.s2c_len, "example.test"));
    ck_assert_sec_status(pair_client_step(&p, REQ, "HTTP/files.other.test"), SEC_E_OK);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_E_OK);
    char sids[4096];
    trust_token_sids(&p.server, sids, sizeof sids);
    ck_assert_msg(!strncmp(sids, EXAMPLE_SID "-1104;", strlen(EXAMPLE_SID "-1104;")), "%s", sids);
    ck_assert_msg(strstr(sids, EXAMPLE_SID "-1200;"), "%s", sids);
    ck_assert_msg(strstr(sids, TRUST_OTHER_SID "-1300;"), "%s", sids);
    ck_assert_msg(!strstr(sids, TRUST_OTHER_SID "-1301;"), "%s", sids);
    pair_free(&p);
}
END_TEST

START_TEST(a_server_of_the_first_domain_gives_no_sids_of_the_trusted_one)
{
    trust_load(TRUST_SECTIONS("two-way"));
    struct pair p;
    credentials(&p, "svc_server", "EXAMPLE", "S3rv1ce!pass");
    ck_assert_sec_status(pair_handshake(&p, REQ, 0, "HTTP/server.example.test"), SEC_E_OK);
    char sids[4096];
    trust_token_sids(&p.server, sids, sizeof sids);
    ck_assert_msg(!strstr(sids, TRUST_OTHER_SID), "%s", sids);
    pair_free(&p);
}
END_TEST

START_TEST(a_domain_that_does_not_trust_the_client_s_denies_the_logon)
{
    trust_load(TRUST_SECTIONS("outbound"));
    struct pair p;
    credentials(&p, "svc_files", "OTHER", "F1les!pass");
    ck_assert_sec_status(pair_handshake(&p, REQ, 0, "HTTP/files.other.test"), SEC_E_LOGON_DENIED);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ntlm_trust");
    TCase *tc = test_case("trust");
    tcase_add_test(tc, a_server_of_the_trusted_domain_takes_alice_by_pass_through_with_its_domain_local_groups);
    tcase_add_test(tc, a_server_of_the_first_domain_gives_no_sids_of_the_trusted_one);
    tcase_add_test(tc, a_domain_that_does_not_trust_the_client_s_denies_the_logon);
    suite_add_tcase(s, tc);
    return test_run(s);
}
