/* Kerberos across a trust (doc/semantics.md §76): EXAMPLE\alice logs on to a service of OTHER.TEST through a referral
 * TGT (krbtgt/OTHER.TEST@EXAMPLE.TEST, in the inter-realm key) and OTHER's service ticket, whose PAC carries her
 * EXAMPLE SIDs and OTHER's domain-local groups as resource groups; the acceptor's token holds both; the ticket cache
 * lists both tickets with their realms; the statuses when no domain or no trust gives the SPN. */
#include "sspi/sspitest.h"

#include "ntsecapi.h"
#include "ntstatus.h"
#include "api/lsa_test_strings.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "packages/kerberos/krb_trust.h"
#include "packages/kerberos/pac.h"
#include "security/domain_current.h"
#include "security/trust_domain.h"

#define SPN "HTTP/files.other.test"
#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define EXAMPLE_SID "S-1-5-21-1000000001-2000000002-3000000003"

static void load_two_way(void) { trust_load(TRUST_SECTIONS("two-way")); }

/* Both ends of one logon: the client of EXAMPLE and the acceptor of OTHER, in one package. */
struct ends {
    CredHandle cc, sc;
    CtxtHandle client, server;
    unsigned char c2s[8192], s2c[4096];
    ULONG c2s_len, s2c_len, client_attrs, server_attrs;
};

static void acquire(struct ends *e, const char *package, const char *user, const char *domain, const char *password)
{
    memset(e, 0, sizeof *e);
    SEC_WINNT_AUTH_IDENTITY_A c = user ? identity_a(user, domain, password) : identity_a("", "", "");
    SEC_WINNT_AUTH_IDENTITY_A s = identity_a("svc_files", "OTHER", "F1les!pass");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL,
                                                   user ? &c : NULL, NULL,
                                                   NULL, &e->cc, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, &s, NULL,
                                                   NULL, &e->sc, NULL),
                         SEC_E_OK);
}

static SECURITY_STATUS client_leg(struct ends *e, int first, const char *target)
{
    SecBuffer out = {sizeof e->c2s, SECBUFFER_TOKEN, e->c2s}, in = {e->s2c_len, SECBUFFER_TOKEN, e->s2c};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out}, in_d = {SECBUFFER_VERSION, 1, &in};
    SECURITY_STATUS st = InitializeSecurityContextA(&e->cc, first ? NULL : &e->client, (SEC_CHAR *)target, MUTUAL, 0,
                                                    SECURITY_NATIVE_DREP, first ? NULL : &in_d, 0, &e->client, &out_d,
                                                    &e->client_attrs, NULL);
    e->c2s_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS server_leg(struct ends *e, int first)
{
    SecBuffer out = {sizeof e->s2c, SECBUFFER_TOKEN, e->s2c}, in = {e->c2s_len, SECBUFFER_TOKEN, e->c2s};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out}, in_d = {SECBUFFER_VERSION, 1, &in};
    SECURITY_STATUS st = AcceptSecurityContext(&e->sc, first ? NULL : &e->server, &in_d, ASC_REQ_MUTUAL_AUTH,
                                               SECURITY_NATIVE_DREP, &e->server, &out_d, &e->server_attrs, NULL);
    e->s2c_len = out.cbBuffer;
    return st;
}

/* Kerberos' two legs, or Negotiate's (three with its final mechListMIC answer); both contexts complete. */
static void handshake(struct ends *e)
{
    ck_assert_sec_status(client_leg(e, 1, SPN), SEC_I_CONTINUE_NEEDED);
    SECURITY_STATUS st = server_leg(e, 1);
    ck_assert_msg(st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED, "ASC: 0x%08x", (unsigned)st);
    SECURITY_STATUS cst = client_leg(e, 0, SPN);
    ck_assert_msg(cst == SEC_E_OK || cst == SEC_I_CONTINUE_NEEDED, "ISC: 0x%08x", (unsigned)cst);
    if (st == SEC_I_CONTINUE_NEEDED)
        ck_assert_sec_status(server_leg(e, 0), SEC_E_OK);
    if (cst == SEC_I_CONTINUE_NEEDED)
        ck_assert_sec_status(client_leg(e, 0, SPN), SEC_E_OK);
}

/* Frees what a test that stopped after the client's first leg made. */
static void client_only_free(struct ends *e)
{
    DeleteSecurityContext(&e->client);
    FreeCredentialsHandle(&e->cc);
    FreeCredentialsHandle(&e->sc);
}

static void ends_free(struct ends *e)
{
    DeleteSecurityContext(&e->client);
    DeleteSecurityContext(&e->server);
    FreeCredentialsHandle(&e->cc);
    FreeCredentialsHandle(&e->sc);
}

START_TEST(alice_of_example_logs_on_to_a_service_of_the_trusted_domain_with_kerberos)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
    handshake(&e);
    SecPkgContext_NativeNamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&e.client, SECPKG_ATTR_NATIVE_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sClientName, "alice@EXAMPLE.TEST");
    ck_assert_str_eq(names.sServerName, SPN "@OTHER.TEST");
    FreeContextBuffer(names.sClientName);
    FreeContextBuffer(names.sServerName);
    char sids[4096];
    trust_token_sids(&e.server, sids, sizeof sids);
    /* Her own SIDs, of EXAMPLE, and OTHER's domain-local group that holds EXAMPLE\Engineering. */
    ck_assert_msg(!strncmp(sids, EXAMPLE_SID "-1104;", strlen(EXAMPLE_SID "-1104;")), "%s", sids);
    ck_assert_msg(strstr(sids, EXAMPLE_SID "-513;"), "%s", sids);
    ck_assert_msg(strstr(sids, EXAMPLE_SID "-1200;"), "%s", sids);
    ck_assert_msg(strstr(sids, TRUST_OTHER_SID "-1300;"), "%s", sids);
    ck_assert_msg(!strstr(sids, TRUST_OTHER_SID "-1301;"), "%s", sids); /* bob's, not hers */
    ck_assert_msg(!strstr(sids, TRUST_OTHER_SID "-513;"), "%s", sids);  /* she is no user of OTHER */
    ends_free(&e);
}
END_TEST

START_TEST(negotiate_picks_kerberos_across_the_trust_and_the_token_is_the_same)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Negotiate", "bob", "EXAMPLE", "Hunter2!");
    handshake(&e);
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(&e.server, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, "Kerberos");
    FreeContextBuffer(ni.PackageInfo);
    char sids[4096];
    trust_token_sids(&e.server, sids, sizeof sids);
    ck_assert_msg(!strncmp(sids, EXAMPLE_SID "-1105;", strlen(EXAMPLE_SID "-1105;")), "%s", sids);
    ck_assert_msg(strstr(sids, TRUST_OTHER_SID "-1301;"), "%s", sids);
    ck_assert_msg(!strstr(sids, TRUST_OTHER_SID "-1300;"), "%s", sids);
    ends_free(&e);
}
END_TEST

/* The referral in the inter-realm key, the service ticket in the service's, its PAC: the logon of EXAMPLE, the
 * resource groups of OTHER (MS-KILE 3.3.5.7.3's resource SID compression). */
struct held {
    uint8_t referral[4096], service[4096];
    size_t referral_len, service_len;
};

static int keep_tickets(const struct krb_ticket_cache_entry *e, void *arg)
{
    struct held *h = arg;
    if (!strcmp(e->server, "krbtgt/OTHER.TEST")) {
        memcpy(h->referral, e->ticket->ticket, e->ticket->ticket_len);
        h->referral_len = e->ticket->ticket_len;
    } else if (!strcmp(e->server, SPN)) {
        memcpy(h->service, e->ticket->ticket, e->ticket->ticket_len);
        h->service_len = e->ticket->ticket_len;
    }
    return 0;
}

START_TEST(the_referral_is_in_the_trust_key_and_the_service_ticket_s_pac_has_other_s_resource_groups)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(client_leg(&e, 1, SPN), SEC_I_CONTINUE_NEEDED);
    struct held h = {0};
    krb_ticket_cache_enumerate(0, 1, keep_tickets, &h);
    ck_assert_uint_gt(h.referral_len, 0);
    ck_assert_uint_gt(h.service_len, 0);
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_domain *o = d->trusts[0].domain;
    struct krb_key trust_key, other_kdc, service_key;
    ck_assert_int_eq(krb_trust_key(d, o, &d->trusts[0], &trust_key), FS_OK);
    ck_assert_int_eq(krb_kdc_key(o, KRB_ETYPE_AES256, &other_kdc), FS_OK);
    const struct fs_user *svc = fs_domain_find_user(o, "svc_files");
    ck_assert_int_eq(krb_user_key(o, svc, KRB_ETYPE_AES256, &service_key), FS_OK);

    struct krb_ap_req r;
    struct krb_ticket t;
    ck_assert_int_eq(krb_parse_ticket(h.referral, h.referral_len, &r), FS_OK);
    ck_assert_str_eq(r.realm, "EXAMPLE.TEST"); /* issued by EXAMPLE's KDC */
    ck_assert_int_eq(krb_open_ticket(&r, &other_kdc, &t), FS_E_MESSAGE_ALTERED);
    ck_assert_int_eq(krb_open_ticket(&r, &trust_key, &t), FS_OK);
    ck_assert_str_eq(t.crealm, "EXAMPLE.TEST");
    krb_ticket_free(&t);
    krb_ap_req_free(&r);

    ck_assert_int_eq(krb_parse_ticket(h.service, h.service_len, &r), FS_OK);
    ck_assert_str_eq(r.realm, "OTHER.TEST");
    ck_assert_int_eq(krb_open_ticket(&r, &service_key, &t), FS_OK);
    ck_assert_str_eq(t.crealm, "EXAMPLE.TEST");
    ck_assert_int_eq(krb_pac_verify_server(t.pac, t.pac_len, &service_key), FS_OK);
    struct krb_pac pac;
    memset(&pac, 0, sizeof pac);
    ck_assert_int_eq(krb_pac_parse(t.pac, t.pac_len, &pac), FS_OK);
    char sid[FS_SID_STRING_MAX];
    fs_sid_format(&pac.logon.domain_sid, sid, sizeof sid);
    ck_assert_str_eq(sid, EXAMPLE_SID);
    ck_assert_uint_eq(pac.logon.user_rid, 1104);
    ck_assert_str_eq(pac.logon.logon_domain, "EXAMPLE");
    ck_assert_uint_eq(pac.logon.user_flags & PAC_LOGON_RESOURCE_GROUPS, PAC_LOGON_RESOURCE_GROUPS);
    fs_sid_format(&pac.logon.resource_domain, sid, sizeof sid);
    ck_assert_str_eq(sid, TRUST_OTHER_SID);
    ck_assert_uint_eq(pac.logon.nresource, 1);
    ck_assert_uint_eq(pac.logon.resource[0].rid, 1300);
    ck_assert_uint_eq(pac.logon.resource[0].attributes, SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT |
                                                            SE_GROUP_ENABLED | SE_GROUP_RESOURCE);
    krb_pac_free(&pac);
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    fs_domain_release();
    client_only_free(&e);
}
END_TEST

/* The caller's session's tickets as the message of type lists them; freed by the caller. */
static void *query_cache(HANDLE lsa, ULONG kerberos, KERB_PROTOCOL_MESSAGE_TYPE type)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {type, {0, 0}};
    void *answer = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    return answer;
}

/* What klist shows (KerbQueryTicketCacheEx3Message and KerbQueryTicketCacheMessage) of the caller's session after
 * the logon with its default credential (alice's): the session's TGT, the referral TGT krbtgt/OTHER.TEST of
 * EXAMPLE.TEST, and the service ticket of OTHER.TEST; every client alice@EXAMPLE.TEST; the session's own TGT alone
 * PRIMARY. */
START_TEST(the_ticket_cache_lists_the_referral_and_the_service_ticket_with_their_realms)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Kerberos", NULL, NULL, NULL);
    handshake(&e);
    HANDLE lsa;
    ULONG kerberos;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING name = {8, 9, (PCHAR) "Kerberos"};
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &kerberos), STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_EX3_RESPONSE *ex3 = query_cache(lsa, kerberos, KerbQueryTicketCacheEx3Message);
    ck_assert_uint_eq(ex3->CountOfTickets, 3);
    static const char *const server[] = {"krbtgt/EXAMPLE.TEST", "krbtgt/OTHER.TEST", SPN};
    static const char *const realm[] = {"EXAMPLE.TEST", "EXAMPLE.TEST", "OTHER.TEST"};
    for (ULONG i = 0; i < 3; i++) {
        KERB_TICKET_CACHE_INFO_EX3 *t = &ex3->Tickets[i];
        ck_assert_str_eq(narrow(&t->ClientName), "alice");
        ck_assert_str_eq(narrow(&t->ClientRealm), "EXAMPLE.TEST");
        ck_assert_str_eq(narrow(&t->ServerName), server[i]);
        ck_assert_str_eq(narrow(&t->ServerRealm), realm[i]);
        ck_assert_uint_eq(t->CacheFlags, i == 0 ? 0x1u : 0u);
    }
    ck_assert_nt(LsaFreeReturnBuffer(ex3), STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_RESPONSE *old = query_cache(lsa, kerberos, KerbQueryTicketCacheMessage);
    ck_assert_uint_eq(old->CountOfTickets, 3);
    ck_assert_str_eq(narrow(&old->Tickets[1].RealmName), "EXAMPLE.TEST");
    ck_assert_str_eq(narrow(&old->Tickets[2].RealmName), "OTHER.TEST");
    ck_assert_nt(LsaFreeReturnBuffer(old), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    ends_free(&e);
}
END_TEST

/* A second logon to the service reuses both tickets: no new referral, the same service ticket. */
START_TEST(a_second_logon_reuses_the_service_ticket_and_the_referral)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(client_leg(&e, 1, SPN), SEC_I_CONTINUE_NEEDED);
    struct held first = {0}, second = {0};
    krb_ticket_cache_enumerate(0, 1, keep_tickets, &first);
    size_t count = krb_ticket_cache_count();
    DeleteSecurityContext(&e.client);
    ck_assert_sec_status(client_leg(&e, 1, SPN), SEC_I_CONTINUE_NEEDED);
    krb_ticket_cache_enumerate(0, 1, keep_tickets, &second);
    ck_assert_uint_eq(krb_ticket_cache_count(), count);
    ck_assert_uint_eq(first.service_len, second.service_len);
    ck_assert(!memcmp(first.service, second.service, first.service_len));
    ck_assert(!memcmp(first.referral, second.referral, first.referral_len));
    client_only_free(&e);
}
END_TEST

/* KerbRetrieveEncodedTicketMessage for a service of OTHER (the caller's session, its default credential): the
 * service ticket of OTHER.TEST, issued and valid there; none when OTHER does not trust EXAMPLE. */
static NTSTATUS retrieve(const char *target, KERB_RETRIEVE_TKT_RESPONSE **out)
{
    HANDLE lsa;
    ULONG kerberos;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING name = {8, 9, (PCHAR) "Kerberos"};
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &kerberos), STATUS_SUCCESS);
    struct {
        KERB_RETRIEVE_TKT_REQUEST req;
        WCHAR text[128];
    } r = {{KerbRetrieveEncodedTicketMessage, {0, 0}, {0, 0, NULL}, 0, 0, 0, {0, 0}}, {0}};
    size_t n = strlen(target);
    for (size_t i = 0; i < n; i++)
        r.text[i] = (WCHAR)target[i];
    r.req.TargetName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), r.text};
    void *answer = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &r, sizeof r, &answer, &length, &status), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    *out = answer;
    return status;
}

START_TEST(the_encoded_ticket_of_a_service_of_the_trusted_domain_is_of_its_realm)
{
    load_two_way();
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(retrieve(SPN, &answer), STATUS_SUCCESS);
    KERB_EXTERNAL_TICKET *t = &answer->Ticket;
    ck_assert_str_eq(narrow(&t->DomainName), "OTHER.TEST");
    ck_assert_str_eq(narrow(&t->TargetDomainName), "OTHER.TEST");
    ck_assert_str_eq(narrow(&t->ClientName->Names[0]), "alice");
    struct krb_ap_req r;
    ck_assert_int_eq(krb_parse_ticket(t->EncodedTicket, t->EncodedTicketSize, &r), FS_OK);
    ck_assert_str_eq(r.realm, "OTHER.TEST");
    krb_ap_req_free(&r);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);

    trust_load(TRUST_SECTIONS("outbound"));
    answer = (void *)0xdeadbeef;
    ck_assert_nt(retrieve(SPN, &answer), STATUS_NO_TRUST_SAM_ACCOUNT); /* as for an SPN of no domain */
    ck_assert_ptr_null(answer);
}
END_TEST

START_TEST(an_spn_that_no_domain_holds_is_target_unknown)
{
    load_two_way();
    struct ends e;
    acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(client_leg(&e, 1, "HTTP/nowhere.other.test"), SEC_E_TARGET_UNKNOWN);
    ck_assert_sec_status(client_leg(&e, 1, SPN "@EXAMPLE.TEST"), SEC_E_TARGET_UNKNOWN); /* not EXAMPLE's */
    ck_assert_sec_status(client_leg(&e, 1, SPN "@OTHER.TEST"), SEC_I_CONTINUE_NEEDED);
    client_only_free(&e);
}
END_TEST

START_TEST(without_a_trust_toward_the_client_s_domain_there_is_no_referral)
{
    trust_load(TRUST_SECTIONS("outbound")); /* EXAMPLE trusts OTHER; OTHER does not trust EXAMPLE */
    struct ends e;
    acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(client_leg(&e, 1, SPN), SEC_E_TARGET_UNKNOWN);
    FreeCredentialsHandle(&e.cc);
    FreeCredentialsHandle(&e.sc);
}
END_TEST

START_TEST(the_same_seed_gives_the_same_cross_realm_ap_req)
{
    unsigned char first[8192];
    ULONG first_len = 0;
    for (int run = 0; run < 2; run++) {
        fakesspi_reset();
        load_two_way();
        struct ends e;
        acquire(&e, "Kerberos", "alice", "EXAMPLE", "Passw0rd!");
        ck_assert_sec_status(client_leg(&e, 1, SPN), SEC_I_CONTINUE_NEEDED);
        if (run == 0) {
            memcpy(first, e.c2s, e.c2s_len);
            first_len = e.c2s_len;
        } else {
            ck_assert_uint_eq(e.c2s_len, first_len);
            ck_assert(!memcmp(first, e.c2s, first_len));
        }
        client_only_free(&e);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kerberos_trust");
    TCase *tc = test_case("trust");
    tcase_add_test(tc, alice_of_example_logs_on_to_a_service_of_the_trusted_domain_with_kerberos);
    tcase_add_test(tc, negotiate_picks_kerberos_across_the_trust_and_the_token_is_the_same);
    tcase_add_test(tc, the_referral_is_in_the_trust_key_and_the_service_ticket_s_pac_has_other_s_resource_groups);
    tcase_add_test(tc, the_ticket_cache_lists_the_referral_and_the_service_ticket_with_their_realms);
    tcase_add_test(tc, a_second_logon_reuses_the_service_ticket_and_the_referral);
    tcase_add_test(tc, the_encoded_ticket_of_a_service_of_the_trusted_domain_is_of_its_realm);
    tcase_add_test(tc, an_spn_that_no_domain_holds_is_target_unknown);
    tcase_add_test(tc, without_a_trust_toward_the_client_s_domain_there_is_no_referral);
    tcase_add_test(tc, the_same_seed_gives_the_same_cross_realm_ap_req);
    suite_add_tcase(s, tc);
    return test_run(s);
}
