/* The client's TGT and its lifetimes on the virtual clock (doc/semantics.md §62): a credential's TimeStamp is its TGT's
 * end time; the TGT has the domain policy's lifetimes and AD's flags and is listed with the tickets; a service ticket
 * never outlives it; past its end it is renewed until its renew-till, then made anew from the password; a purge of it
 * makes the next use get a new one. */
#include "sspi/sspitest.h"
#include "api/lsa_test_strings.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_kdc.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "security/domain_current.h"

#define SPN "HTTP/server.example.test"
#define OTHER_SPN "cifs/server.example.test"
#define TGS "krbtgt/EXAMPLE.TEST"
#define HOURS(n) FAKESSPI_SECONDS((n) * 3600)
#define DAYS(n) HOURS(24 * (n))
/* KERB_TICKET_FLAGS_*: forwardable renewable initial pre_authent name_canonicalize, as klist shows AD's TGT; a renewed
 * TGT, issued by the TGS exchange, and a service ticket have all but initial. */
#define TGT_FLAGS 0x40e10000u
#define TGS_FLAGS 0x40a10000u

extern const char fs_default_domain_ini[];

static HANDLE lsa;
static ULONG kerberos;

static void setup(void)
{
    test_setup();
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING name = {8, 9, (PCHAR) "Kerberos"};
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &kerberos), STATUS_SUCCESS);
}

static void teardown(void)
{
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
    test_teardown();
}

/* alice's outbound credential in package (explicit, or the default with user NULL); its TimeStamp in *expiry. */
static CredHandle credential(const char *package, const char *user, LONGLONG *expiry)
{
    CredHandle c;
    TimeStamp ts;
    ts.QuadPart = 0xdeadbeef;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user ? user : "", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL,
                                                   user ? &id : NULL, NULL, NULL, &c, &ts),
                         SEC_E_OK);
    if (expiry)
        *expiry = ts.QuadPart;
    return c;
}

/* A one-leg handshake's client side (no mutual authentication: complete at once): the context's expiry. */
static LONGLONG one_leg(CredHandle *cred, const char *spn, SECURITY_STATUS expected)
{
    CtxtHandle ctx;
    unsigned char token[4096];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    TimeStamp ts;
    ts.QuadPart = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)spn, 0, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                    &ctx, &outd, &attrs, &ts),
                         expected);
    if (expected == SEC_E_OK)
        ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    return ts.QuadPart;
}

/* The caller's tickets as KerbQueryTicketCacheExMessage lists them; freed by the caller. */
static KERB_QUERY_TKT_CACHE_EX_RESPONSE *listing(void)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheExMessage, {0, 0}};
    void *answer = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    return answer;
}

/* The listed ticket of server, copied (its names not kept): 0 when there is none. */
static int listed(const char *server, KERB_TICKET_CACHE_INFO_EX *out)
{
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *r = listing();
    int found = 0;
    for (ULONG i = 0; i < r->CountOfTickets; i++) {
        if (!strcmp(narrow(&r->Tickets[i].ServerName), server)) {
            ck_assert_str_eq(narrow(&r->Tickets[i].ClientName), "alice");
            ck_assert_str_eq(narrow(&r->Tickets[i].ServerRealm), "EXAMPLE.TEST");
            *out = r->Tickets[i];
            found = 1;
        }
    }
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    return found;
}

static NTSTATUS purge(const char *server)
{
    struct {
        KERB_PURGE_TKT_CACHE_REQUEST req;
        WCHAR text[64];
    } p = {{KerbPurgeTicketCacheMessage, {0, 0}, {0, 0, NULL}, {0, 0, NULL}}, {0}};
    size_t n = strlen(server);
    for (size_t i = 0; i < n; i++)
        p.text[i] = (WCHAR)server[i];
    p.req.ServerName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), p.text};
    void *answer = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &p, sizeof p, &answer, &length, &status), STATUS_SUCCESS);
    return status;
}

START_TEST(the_credentials_timestamp_is_its_tgts_end_time_not_never)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now(), expiry;
    CredHandle cred = credential("Kerberos", "alice", &expiry);
    ck_assert_int_eq(expiry, t0 + HOURS(10)); /* the TGT the first use gets */
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t0 + HOURS(10));
    fakesspi_clock_advance(HOURS(1));
    CredHandle later = credential("Kerberos", "alice", &expiry);
    ck_assert_int_eq(expiry, t0 + HOURS(10)); /* the session's TGT, made an hour ago */
    CredHandle nego = credential("Negotiate", "alice", &expiry);
    ck_assert_int_eq(expiry, t0 + HOURS(10));
    CredHandle ntlm = credential("NTLM", "alice", &expiry);
    ck_assert_int_eq(expiry, 0x7FFFFFFFFFFFFFFFLL); /* NTLM's never expire */
    SEC_WINNT_AUTH_IDENTITY_A elsewhere = identity_a("alice", "ELSEWHERE", "Passw0rd!");
    CredHandle foreign;
    TimeStamp ts;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &elsewhere, NULL,
                                                   NULL, &foreign, &ts),
                         SEC_E_OK);
    ck_assert_int_eq(ts.QuadPart, 0x7FFFFFFFFFFFFFFFLL); /* no TGT to be had in another realm */
    FreeCredentialsHandle(&foreign);
    FreeCredentialsHandle(&cred);
    FreeCredentialsHandle(&later);
    FreeCredentialsHandle(&nego);
    FreeCredentialsHandle(&ntlm);
}
END_TEST

START_TEST(the_tgt_is_listed_with_ad_flags_and_times_and_the_ticket_renews_with_it)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    CredHandle cred = credential("Kerberos", "alice", NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *r = listing();
    ck_assert_uint_eq(r->CountOfTickets, 2);
    ck_assert_str_eq(narrow(&r->Tickets[0].ServerName), TGS); /* klist's #0 */
    ck_assert_str_eq(narrow(&r->Tickets[1].ServerName), SPN);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    KERB_TICKET_CACHE_INFO_EX tgt, st;
    ck_assert(listed(TGS, &tgt));
    ck_assert_uint_eq(tgt.TicketFlags, TGT_FLAGS);
    ck_assert_int_eq(tgt.StartTime.QuadPart, t0);
    ck_assert_int_eq(tgt.EndTime.QuadPart, t0 + HOURS(10));
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t0 + DAYS(7));
    ck_assert_int_eq(tgt.EncryptionType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert(listed(SPN, &st));
    ck_assert_uint_eq(st.TicketFlags, TGS_FLAGS);
    ck_assert_int_eq(st.EndTime.QuadPart, t0 + HOURS(10));
    ck_assert_int_eq(st.RenewTime.QuadPart, tgt.RenewTime.QuadPart); /* renewable as long as its TGT */
    FreeCredentialsHandle(&cred);
}
END_TEST

/* The domain file's [domain] text with extra lines after its header. */
static int load_with(const char *lines)
{
    static char text[16384];
    const char *after = strstr(fs_default_domain_ini, "[domain]\n");
    ck_assert_ptr_nonnull(after);
    size_t head = (size_t)(after - fs_default_domain_ini) + strlen("[domain]\n");
    ck_assert_int_lt(snprintf(text, sizeof text, "%.*s%s%s", (int)head, fs_default_domain_ini, lines,
                              fs_default_domain_ini + head),
                     (int)sizeof text);
    return fakesspi_load_domain_text(text, "policy");
}

START_TEST(the_domain_policy_sets_the_tgts_lifetime_and_renewal)
{
    ck_assert_int_eq(load_with("kerberos_max_ticket_age = 0\n"), -1);
    ck_assert_int_eq(load_with("kerberos_max_renew_age = soon\n"), -1);
    ck_assert_int_eq(load_with("kerberos_max_ticket_age = 3600\nkerberos_max_renew_age = 7200\n"), 0);
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now(), expiry;
    CredHandle cred = credential("Kerberos", "alice", &expiry);
    ck_assert_int_eq(expiry, t0 + HOURS(1));
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t0 + HOURS(1));
    KERB_TICKET_CACHE_INFO_EX tgt;
    ck_assert(listed(TGS, &tgt));
    ck_assert_int_eq(tgt.EndTime.QuadPart, t0 + HOURS(1));
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t0 + HOURS(2));
    /* Renewed once the hour is over: to the renew-till at most. */
    fakesspi_clock_advance(HOURS(1) + FAKESSPI_SECONDS(1800));
    ck_assert_int_eq(one_leg(&cred, OTHER_SPN, SEC_E_OK), t0 + HOURS(2));
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(a_service_ticket_never_outlives_its_tgt)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    CredHandle cred = credential("Kerberos", "alice", NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    fakesspi_clock_advance(HOURS(6));
    ck_assert_int_eq(one_leg(&cred, OTHER_SPN, SEC_E_OK), t0 + HOURS(10)); /* not six hours later */
    KERB_TICKET_CACHE_INFO_EX st;
    ck_assert(listed(OTHER_SPN, &st));
    ck_assert_int_eq(st.StartTime.QuadPart, t0 + HOURS(6));
    ck_assert_int_eq(st.EndTime.QuadPart, t0 + HOURS(10));
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(past_its_end_the_tgt_is_renewed_with_the_same_renew_till_and_the_ticket_replaced)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now(), expiry;
    CredHandle cred = credential("Kerberos", "alice", NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    fakesspi_clock_advance(HOURS(10));
    LONGLONG t1 = (LONGLONG)fakesspi_clock_now();
    KERB_TICKET_CACHE_INFO_EX tgt, st;
    ck_assert(!listed(TGS, &tgt)); /* ended: not listed, though kept for its renewal */
    CredHandle now = credential("Kerberos", "alice", &expiry);
    ck_assert_int_eq(expiry, t1 + HOURS(10)); /* what the renewal will give */
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t1 + HOURS(10)); /* the ended ticket replaced */
    ck_assert(listed(TGS, &tgt));
    ck_assert_int_eq(tgt.StartTime.QuadPart, t1);
    ck_assert_int_eq(tgt.EndTime.QuadPart, t1 + HOURS(10));
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t0 + DAYS(7)); /* the same renew-till */
    ck_assert_uint_eq(tgt.TicketFlags, TGS_FLAGS);          /* renewed by the TGS exchange: not INITIAL */
    ck_assert(listed(SPN, &st));
    ck_assert_int_eq(st.StartTime.QuadPart, t1);
    /* Near the renew-till the renewal ends there. */
    fakesspi_clock_set((ULONGLONG)(t0 + DAYS(7) - HOURS(1)));
    ck_assert_int_eq(one_leg(&cred, OTHER_SPN, SEC_E_OK), t0 + DAYS(7));
    FreeCredentialsHandle(&cred);
    FreeCredentialsHandle(&now);
}
END_TEST

START_TEST(past_its_renew_till_a_credential_with_a_password_gets_a_new_tgt)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    CredHandle cred = credential("Kerberos", "alice", NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    fakesspi_clock_advance(DAYS(7));
    LONGLONG t1 = (LONGLONG)fakesspi_clock_now();
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t1 + HOURS(10));
    KERB_TICKET_CACHE_INFO_EX tgt;
    ck_assert(listed(TGS, &tgt));
    ck_assert_uint_eq(tgt.TicketFlags, TGT_FLAGS); /* an AS exchange's again */
    ck_assert_int_eq(tgt.StartTime.QuadPart, t1);
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t1 + DAYS(7));
    ck_assert_int_gt(tgt.RenewTime.QuadPart, t0 + DAYS(7));
    FreeCredentialsHandle(&cred);
}
END_TEST

/* The default credential of a LogonUser session: the session keeps the password, as the LSA keeps an interactive
 * logon's, so it too gets a new TGT past the renew-till (doc/semantics.md §62). */
START_TEST(a_logon_sessions_default_credential_gets_a_new_tgt_past_its_renew_till)
{
    HANDLE logon;
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_INTERACTIVE, LOGON32_PROVIDER_DEFAULT, &logon));
    ck_assert(ImpersonateLoggedOnUser(logon));
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now(), expiry;
    CredHandle cred = credential("Kerberos", NULL, &expiry);
    ck_assert_int_eq(expiry, t0 + HOURS(10));
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t0 + HOURS(10));
    fakesspi_clock_advance(DAYS(8));
    LONGLONG t1 = (LONGLONG)fakesspi_clock_now();
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t1 + HOURS(10));
    KERB_TICKET_CACHE_INFO_EX tgt;
    ck_assert(listed(TGS, &tgt)); /* in the logon's session, the caller's while it impersonates */
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t1 + DAYS(7));
    ck_assert(RevertToSelf());
    FreeCredentialsHandle(&cred);
    ck_assert(CloseHandle(logon));
}
END_TEST

START_TEST(a_purged_tgt_is_replaced_at_the_next_use)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    CredHandle cred = credential("Kerberos", "alice", NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    ck_assert_nt(purge("KRBTGT/example.test"), STATUS_SUCCESS); /* matched as SPNs are */
    KERB_TICKET_CACHE_INFO_EX tgt, st;
    ck_assert(!listed(TGS, &tgt));
    ck_assert(listed(SPN, &st)); /* the service ticket stays */
    fakesspi_clock_advance(HOURS(1));
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t0 + HOURS(10)); /* the cached ticket: no TGT needed */
    ck_assert(!listed(TGS, &tgt));
    ck_assert_int_eq(one_leg(&cred, OTHER_SPN, SEC_E_OK), t0 + HOURS(11));
    ck_assert(listed(TGS, &tgt));
    ck_assert_int_eq(tgt.StartTime.QuadPart, t0 + HOURS(1));
    ck_assert_uint_eq(tgt.TicketFlags, TGT_FLAGS);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* ---- the logon's TGT, as klist shows it and KerbRetrieveEncodedTicketMessage hands it out (doc/semantics.md §70) ---- */

/* A KerbRetrieveEncodedTicketMessage of the caller's session for target: the package's status, the answer in *out. */
static NTSTATUS retrieve(const char *target, ULONG options, KERB_RETRIEVE_TKT_RESPONSE **out)
{
    struct {
        KERB_RETRIEVE_TKT_REQUEST req;
        WCHAR text[64];
    } r = {{KerbRetrieveEncodedTicketMessage, {0, 0}, {0, 0, NULL}, 0, options, 0, {0, 0}}, {0}};
    size_t n = strlen(target);
    for (size_t i = 0; i < n; i++)
        r.text[i] = (WCHAR)target[i];
    r.req.TargetName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), r.text};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &r, sizeof r, &answer, &length, &status), STATUS_SUCCESS);
    if (status != STATUS_SUCCESS) {
        ck_assert_ptr_null(answer);
        ck_assert_uint_eq(length, 0);
    }
    *out = status == STATUS_SUCCESS ? answer : NULL;
    return status;
}

static ULONG listed_count(void)
{
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *r = listing();
    ULONG n = r->CountOfTickets;
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    return n;
}

START_TEST(the_process_users_logon_holds_its_tgt_before_any_handshake)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    KERB_TICKET_CACHE_INFO_EX tgt;
    ck_assert_uint_eq(listed_count(), 1); /* klist right after logon: the TGT alone */
    ck_assert(listed(TGS, &tgt));
    ck_assert_uint_eq(tgt.TicketFlags, TGT_FLAGS);
    ck_assert_int_eq(tgt.StartTime.QuadPart, t0);
    ck_assert_int_eq(tgt.EndTime.QuadPart, t0 + HOURS(10));
    ck_assert_int_eq(tgt.RenewTime.QuadPart, t0 + DAYS(7));
    fakesspi_clock_advance(HOURS(1));
    ck_assert(listed(TGS, &tgt)); /* the same TGT, not one made at each look */
    ck_assert_int_eq(tgt.StartTime.QuadPart, t0);
    /* The first handshake gets its service ticket from it. */
    CredHandle cred = credential("Kerberos", NULL, NULL);
    ck_assert_int_eq(one_leg(&cred, SPN, SEC_E_OK), t0 + HOURS(10));
    ck_assert_uint_eq(listed_count(), 2);
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(a_purged_logon_tgt_comes_back_only_with_the_next_use)
{
    ck_assert_uint_eq(listed_count(), 1);
    ck_assert_nt(purge(TGS), STATUS_SUCCESS);
    ck_assert_uint_eq(listed_count(), 0); /* klist purge, then klist: nothing */
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_USE_CACHE_ONLY, &answer), STATUS_OBJECT_NAME_NOT_FOUND);
    CredHandle cred = credential("Kerberos", NULL, NULL);
    one_leg(&cred, SPN, SEC_E_OK);
    ck_assert_uint_eq(listed_count(), 2);
    FreeCredentialsHandle(&cred);
}
END_TEST

START_TEST(a_retrieve_of_krbtgt_gives_the_sessions_tgt_with_its_session_key_zeroed)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_DEFAULT, &answer), STATUS_SUCCESS);
    KERB_EXTERNAL_TICKET *x = &answer->Ticket;
    ck_assert_uint_eq(x->ServiceName->NameCount, 2);
    ck_assert_int_eq(x->ServiceName->NameType, 2); /* KRB_NT_SRV_INST */
    ck_assert_str_eq(narrow(&x->ServiceName->Names[0]), "krbtgt");
    ck_assert_str_eq(narrow(&x->ServiceName->Names[1]), "EXAMPLE.TEST");
    ck_assert_str_eq(narrow(&x->ClientName->Names[0]), "alice");
    ck_assert_str_eq(narrow(&x->DomainName), "EXAMPLE.TEST");
    ck_assert_uint_eq(x->TicketFlags, TGT_FLAGS);
    ck_assert_int_eq(x->StartTime.QuadPart, t0);
    ck_assert_int_eq(x->EndTime.QuadPart, t0 + HOURS(10));
    ck_assert_int_eq(x->RenewUntil.QuadPart, t0 + DAYS(7));
    /* No allowtgtsessionkey: the key's type and length, its bytes zero (KB 308339, klist tgt). */
    ck_assert_int_eq(x->SessionKey.KeyType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(x->SessionKey.Length, 32);
    for (ULONG i = 0; i < x->SessionKey.Length; i++)
        ck_assert_uint_eq(x->SessionKey.Value[i], 0);
    /* The encoded ticket is the TGT itself: krbtgt/EXAMPLE.TEST, in krbtgt's key, for alice, with a real key. */
    struct krb_ap_req r;
    ck_assert_int_eq(krb_parse_ticket(x->EncodedTicket, x->EncodedTicketSize, &r), FS_OK);
    char sname[64];
    krb_principal_format(&r.sname, sname, sizeof sname);
    ck_assert_str_eq(sname, TGS);
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key kdc;
    ck_assert_int_eq(krb_kdc_key(d, KRB_KDC_ETYPE, &kdc), FS_OK);
    fs_domain_release();
    struct krb_ticket t;
    ck_assert_int_eq(krb_open_ticket(&r, &kdc, &t), FS_OK);
    char cname[64];
    krb_principal_format(&t.cname, cname, sizeof cname);
    ck_assert_str_eq(cname, "alice");
    ck_assert_uint_eq(t.flags, TGT_FLAGS);
    uint8_t zero[32] = {0};
    ck_assert(memcmp(t.session_key.bytes, zero, 32) != 0);
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    /* The same TGT under every spelling of its name, from the cache alone as well. */
    static const char *const names[] = {"krbtgt", "KRBTGT/example.test", "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        KERB_RETRIEVE_TKT_RESPONSE *again;
        ck_assert_nt(retrieve(names[i], KERB_RETRIEVE_TICKET_USE_CACHE_ONLY, &again), STATUS_SUCCESS);
        ck_assert_uint_eq(again->Ticket.EncodedTicketSize, x->EncodedTicketSize);
        ck_assert_mem_eq(again->Ticket.EncodedTicket, x->EncodedTicket, x->EncodedTicketSize);
        ck_assert_nt(LsaFreeReturnBuffer(again), STATUS_SUCCESS);
    }
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    /* A new TGT past the one held is a TGS exchange for krbtgt: not emulated. */
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_DONT_USE_CACHE, &answer), STATUS_NOT_SUPPORTED);
}
END_TEST

START_TEST(a_retrieve_of_an_ended_tgt_renews_it_and_from_the_cache_alone_finds_none)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    ck_assert_uint_eq(listed_count(), 1);
    fakesspi_clock_advance(HOURS(10));
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_USE_CACHE_ONLY, &answer), STATUS_OBJECT_NAME_NOT_FOUND);
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_DEFAULT, &answer), STATUS_SUCCESS);
    ck_assert_int_eq(answer->Ticket.StartTime.QuadPart, t0 + HOURS(10));
    ck_assert_int_eq(answer->Ticket.EndTime.QuadPart, t0 + HOURS(20));
    ck_assert_int_eq(answer->Ticket.RenewUntil.QuadPart, t0 + DAYS(7)); /* renewed: the same renew-till */
    ck_assert_uint_eq(answer->Ticket.TicketFlags, TGS_FLAGS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_network_logon_holds_no_tgt)
{
    HANDLE logon;
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &logon));
    ck_assert(ImpersonateLoggedOnUser(logon));
    ck_assert_uint_eq(listed_count(), 0);
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(retrieve(TGS, KERB_RETRIEVE_TICKET_DEFAULT, &answer), (NTSTATUS)SEC_E_NO_CREDENTIALS);
    ck_assert(RevertToSelf());
    ck_assert(CloseHandle(logon));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kerberos/tgt");
    TCase *tc = tcase_create("tgt");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_credentials_timestamp_is_its_tgts_end_time_not_never);
    tcase_add_test(tc, the_tgt_is_listed_with_ad_flags_and_times_and_the_ticket_renews_with_it);
    tcase_add_test(tc, the_domain_policy_sets_the_tgts_lifetime_and_renewal);
    tcase_add_test(tc, a_service_ticket_never_outlives_its_tgt);
    tcase_add_test(tc, past_its_end_the_tgt_is_renewed_with_the_same_renew_till_and_the_ticket_replaced);
    tcase_add_test(tc, past_its_renew_till_a_credential_with_a_password_gets_a_new_tgt);
    tcase_add_test(tc, a_logon_sessions_default_credential_gets_a_new_tgt_past_its_renew_till);
    tcase_add_test(tc, a_purged_tgt_is_replaced_at_the_next_use);
    tcase_add_test(tc, the_process_users_logon_holds_its_tgt_before_any_handshake);
    tcase_add_test(tc, a_purged_logon_tgt_comes_back_only_with_the_next_use);
    tcase_add_test(tc, a_retrieve_of_krbtgt_gives_the_sessions_tgt_with_its_session_key_zeroed);
    tcase_add_test(tc, a_retrieve_of_an_ended_tgt_renews_it_and_from_the_cache_alone_finds_none);
    tcase_add_test(tc, a_network_logon_holds_no_tgt);
    suite_add_tcase(s, tc);
    return test_run(s);
}
