/* LsaCallAuthenticationPackage: the Kerberos ticket-cache messages klist sends, over the client's service-ticket
 * cache (doc/semantics.md §49, §51). */
#include "testutil.h"

#include "ntsecapi.h"
#include "ntstatus.h"
#include "security.h"

#define SPN "HTTP/server.example.test"
#define OTHER_SPN "cifs/server.example.test"
#define TEN_HOURS FAKESSPI_SECONDS(10 * 3600) /* in FILETIME units, as the answer gives times */

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

/* A first leg to spn with the process user's own Kerberos credentials: its ticket stays in the session. */
static void handshake_to(const char *spn)
{
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char token[4096];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &cred, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)spn, ISC_REQ_MUTUAL_AUTH, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &outd, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
}

/* The caller's ticket cache (LogonId 0), checked to be one well-formed answer; freed by the caller. */
static KERB_QUERY_TKT_CACHE_RESPONSE *query(void)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheMessage, {0, 0}};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_RESPONSE *r = answer;
    ck_assert_int_eq(r->MessageType, KerbQueryTicketCacheMessage);
    ck_assert_uint_ge(length, offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets) +
                                  r->CountOfTickets * sizeof(KERB_TICKET_CACHE_INFO));
    return r;
}

static char *narrow(const UNICODE_STRING *s)
{
    static char text[2][256];
    static int next;
    char *out = text[next++ % 2];
    ck_assert_uint_lt(s->Length / 2, sizeof text[0]);
    ck_assert_uint_eq(s->MaximumLength, s->Length + 2);
    for (USHORT i = 0; i < s->Length / 2; i++)
        out[i] = (char)s->Buffer[i];
    out[s->Length / 2] = '\0';
    ck_assert_uint_eq(s->Buffer[s->Length / 2], 0);
    return out;
}

static ULONG count_tickets(void)
{
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ULONG n = r->CountOfTickets;
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    return n;
}

/* A purge request with its names' text after it in the one submission, as the LSA wants them. */
struct purge {
    KERB_PURGE_TKT_CACHE_REQUEST req;
    WCHAR text[64];
};

static NTSTATUS purge(const char *server)
{
    struct purge p = {{KerbPurgeTicketCacheMessage, {0, 0}, {0, 0, NULL}, {0, 0, NULL}}, {0}};
    size_t n = server ? strlen(server) : 0;
    for (size_t i = 0; i < n; i++)
        p.text[i] = (WCHAR)server[i];
    p.req.ServerName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), n ? p.text : NULL};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &p, sizeof p, &answer, &length, &status), STATUS_SUCCESS);
    ck_assert_ptr_null(answer);
    ck_assert_uint_eq(length, 0);
    return status;
}

START_TEST(a_handshake_leaves_its_ticket_in_the_callers_ticket_cache)
{
    ck_assert_uint_eq(count_tickets(), 0);
    handshake_to(SPN);
    handshake_to(SPN); /* the same ticket again: still one */
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ck_assert_uint_eq(r->CountOfTickets, 1);
    KERB_TICKET_CACHE_INFO *t = &r->Tickets[0];
    ck_assert_str_eq(narrow(&t->ServerName), SPN);
    ck_assert_str_eq(narrow(&t->RealmName), "EXAMPLE.TEST");
    ck_assert_int_eq(t->EndTime.QuadPart - t->StartTime.QuadPart, TEN_HOURS);
    ck_assert_int_gt(t->RenewTime.QuadPart, t->EndTime.QuadPart);
    ck_assert_int_eq(t->EncryptionType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(t->TicketFlags & (KERB_TICKET_FLAGS_forwardable | KERB_TICKET_FLAGS_renewable |
                                        KERB_TICKET_FLAGS_pre_authent),
                      KERB_TICKET_FLAGS_forwardable | KERB_TICKET_FLAGS_renewable | KERB_TICKET_FLAGS_pre_authent);
    /* The texts lie inside the one block, after the array. */
    ck_assert_ptr_eq(t->ServerName.Buffer, (WCHAR *)&r->Tickets[1]);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_ended_ticket_is_no_longer_listed)
{
    handshake_to(SPN);
    fakesspi_clock_advance(TEN_HOURS);
    ck_assert_uint_eq(count_tickets(), 0);
}
END_TEST

START_TEST(a_purge_forgets_one_service_or_every_ticket_and_the_next_handshake_makes_a_new_one)
{
    handshake_to(SPN);
    handshake_to(OTHER_SPN);
    ck_assert_uint_eq(count_tickets(), 2);
    ck_assert_nt(purge("http/SERVER.example.test"), STATUS_SUCCESS); /* matched as SPNs are: in any case */
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ck_assert_uint_eq(r->CountOfTickets, 1);
    ck_assert_str_eq(narrow(&r->Tickets[0].ServerName), OTHER_SPN);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    handshake_to(SPN);
    ck_assert_uint_eq(count_tickets(), 2);
    ck_assert_nt(purge(NULL), STATUS_SUCCESS);
    ck_assert_uint_eq(count_tickets(), 0);
}
END_TEST

START_TEST(another_sessions_cache_needs_tcb)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheMessage, SYSTEM_LUID};
    void *answer = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_ACCESS_DENIED);
    ck_assert_ptr_null(answer);
    ck_assert_uint_eq(length, 0);
}
END_TEST

START_TEST(what_reaches_no_package_fails_the_call_and_the_rest_is_the_package_answer)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheMessage, {0, 0}};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    HANDLE forged = (HANDLE)(uintptr_t)0x7ffc;
    ck_assert_nt(LsaCallAuthenticationPackage(forged, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_INVALID_HANDLE);
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, 99, &req, sizeof req, &answer, &length, &status),
                 STATUS_NO_SUCH_PACKAGE);
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, NULL, &length, &status),
                 STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, NULL),
                 STATUS_INVALID_PARAMETER);
    ck_assert_ptr_eq(answer, (void *)0xdeadbeef);
    ck_assert_nt(status, 0xdeadbeef);
    /* The package's own refusals: the call succeeds, ProtocolStatus says why, nothing is handed out. */
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req - 1, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_INVALID_PARAMETER);
    ck_assert_ptr_null(answer);
    ck_assert_uint_eq(length, 0);
    req.MessageType = KerbRetrieveEncodedTicketMessage;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_NOT_SUPPORTED);
    LSA_STRING msv_name = {(USHORT)strlen(MSV1_0_PACKAGE_NAME), (USHORT)strlen(MSV1_0_PACKAGE_NAME) + 1,
                           (PCHAR)MSV1_0_PACKAGE_NAME};
    ULONG msv;
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &msv_name, &msv), STATUS_SUCCESS);
    req.MessageType = KerbQueryTicketCacheMessage;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, msv, &req, sizeof req, &answer, &length, &status), STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_NOT_SUPPORTED);
    /* A purge naming text outside its submission. */
    WCHAR elsewhere[] = {'c', 'i', 'f', 's', 0};
    KERB_PURGE_TKT_CACHE_REQUEST p = {KerbPurgeTicketCacheMessage, {0, 0}, {8, 10, elsewhere}, {0, 0, NULL}};
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &p, sizeof p, &answer, &length, &status), STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_INVALID_PARAMETER);
    ck_assert_ptr_null(answer);
}
END_TEST

START_TEST(an_unfreed_answer_is_a_leak)
{
    size_t before = fakesspi_check_leaks(); /* the connection handle, open until the teardown */
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ck_assert_uint_eq(fakesspi_check_leaks(), before + 1);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), before);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/lsa_call");
    TCase *tc = test_case("lsa_call");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_handshake_leaves_its_ticket_in_the_callers_ticket_cache);
    tcase_add_test(tc, an_ended_ticket_is_no_longer_listed);
    tcase_add_test(tc, a_purge_forgets_one_service_or_every_ticket_and_the_next_handshake_makes_a_new_one);
    tcase_add_test(tc, another_sessions_cache_needs_tcb);
    tcase_add_test(tc, what_reaches_no_package_fails_the_call_and_the_rest_is_the_package_answer);
    tcase_add_test(tc, an_unfreed_answer_is_a_leak);
    suite_add_tcase(s, tc);
    return test_run(s);
}
