/* LsaCallAuthenticationPackage: the Kerberos ticket-cache messages klist sends, over the client's service-ticket
 * cache (doc/semantics.md §49, §51). */
#include "testutil.h"
#include "lsa_test_strings.h"

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

/* A query of the caller's cache (LogonId 0) in any of its forms, which share the header's layout: the answer,
 * checked to hold its array; freed by the caller. */
static void *query_ex(KERB_PROTOCOL_MESSAGE_TYPE type, size_t element, ULONG *count)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {type, {0, 0}};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *r = answer;
    ck_assert_int_eq(r->MessageType, type);
    ck_assert_uint_ge(length, offsetof(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets) + r->CountOfTickets * element);
    *count = r->CountOfTickets;
    return answer;
}

static KERB_QUERY_TKT_CACHE_RESPONSE *query(void)
{
    ULONG count;
    return query_ex(KerbQueryTicketCacheMessage, sizeof(KERB_TICKET_CACHE_INFO), &count);
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


/* A retrieve request with its target's text after it in the one submission, as the LSA wants it. */
struct retrieve {
    KERB_RETRIEVE_TKT_REQUEST req;
    WCHAR text[128];
};

static void retrieve_request(struct retrieve *r, const char *target, ULONG options)
{
    *r = (struct retrieve){{KerbRetrieveEncodedTicketMessage, {0, 0}, {0, 0, NULL}, 0, options, 0, {0, 0}}, {0}};
    size_t n = strlen(target);
    for (size_t i = 0; i < n; i++)
        r->text[i] = (WCHAR)target[i];
    r->req.TargetName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), r->text};
}

/* Sends r: the package's status; *out the answer (NULL, with a zero length, whenever the status is a failure). */
static NTSTATUS send_retrieve(struct retrieve *r, KERB_RETRIEVE_TKT_RESPONSE **out)
{
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, r, sizeof *r, &answer, &length, &status), STATUS_SUCCESS);
    if (status != STATUS_SUCCESS) {
        ck_assert_ptr_null(answer);
        ck_assert_uint_eq(length, 0);
    } else {
        KERB_EXTERNAL_TICKET *t = &((KERB_RETRIEVE_TKT_RESPONSE *)answer)->Ticket;
        /* One block: the names, texts, key and ticket all lie inside it. */
        ck_assert(t->EncodedTicket >= (PUCHAR)answer + sizeof(KERB_RETRIEVE_TKT_RESPONSE));
        ck_assert_ptr_eq(t->EncodedTicket + t->EncodedTicketSize, (PUCHAR)answer + length);
    }
    *out = status == STATUS_SUCCESS ? answer : NULL;
    return status;
}

/* The cached ticket for target (KERB_RETRIEVE_TICKET_USE_CACHE_ONLY): its DER bytes into der (cap bytes). */
static ULONG cached_ticket(const char *target, UCHAR *der, size_t cap)
{
    struct retrieve r;
    retrieve_request(&r, target, KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    KERB_RETRIEVE_TKT_RESPONSE *t;
    ck_assert_nt(send_retrieve(&r, &t), STATUS_SUCCESS);
    ULONG n = t->Ticket.EncodedTicketSize;
    ck_assert_uint_le(n, cap);
    memcpy(der, t->Ticket.EncodedTicket, n);
    ck_assert_nt(LsaFreeReturnBuffer(t), STATUS_SUCCESS);
    return n;
}

START_TEST(a_handshake_leaves_its_ticket_in_the_callers_ticket_cache)
{
    ck_assert_uint_eq(count_tickets(), 1); /* the logon's TGT alone (doc/semantics.md §70) */
    handshake_to(SPN);
    handshake_to(SPN); /* the same ticket again: still one, after the TGT it came from (doc/semantics.md §62) */
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ck_assert_uint_eq(r->CountOfTickets, 2);
    ck_assert_str_eq(narrow(&r->Tickets[0].ServerName), "krbtgt/EXAMPLE.TEST");
    KERB_TICKET_CACHE_INFO *t = &r->Tickets[1];
    ck_assert_str_eq(narrow(&t->ServerName), SPN);
    ck_assert_str_eq(narrow(&t->RealmName), "EXAMPLE.TEST");
    ck_assert_int_eq(t->EndTime.QuadPart - t->StartTime.QuadPart, TEN_HOURS);
    ck_assert_int_gt(t->RenewTime.QuadPart, t->EndTime.QuadPart);
    ck_assert_int_eq(t->EncryptionType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(t->TicketFlags & (KERB_TICKET_FLAGS_forwardable | KERB_TICKET_FLAGS_renewable |
                                        KERB_TICKET_FLAGS_pre_authent),
                      KERB_TICKET_FLAGS_forwardable | KERB_TICKET_FLAGS_renewable | KERB_TICKET_FLAGS_pre_authent);
    /* The texts lie inside the one block, after the array. */
    ck_assert_ptr_eq(r->Tickets[0].ServerName.Buffer, (WCHAR *)&r->Tickets[2]);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
}
END_TEST

START_TEST(an_ended_ticket_is_no_longer_listed)
{
    handshake_to(SPN);
    fakesspi_clock_advance(TEN_HOURS);
    ck_assert_uint_eq(count_tickets(), 0); /* the TGT has ended too: kept for its renewal, not listed */
}
END_TEST

START_TEST(a_purge_forgets_one_service_or_every_ticket_and_the_next_handshake_makes_a_new_one)
{
    handshake_to(SPN);
    handshake_to(OTHER_SPN);
    ck_assert_uint_eq(count_tickets(), 3); /* and the TGT */
    ck_assert_nt(purge("http/SERVER.example.test"), STATUS_SUCCESS); /* matched as SPNs are: in any case */
    KERB_QUERY_TKT_CACHE_RESPONSE *r = query();
    ck_assert_uint_eq(r->CountOfTickets, 2);
    ck_assert_str_eq(narrow(&r->Tickets[1].ServerName), OTHER_SPN);
    ck_assert_nt(LsaFreeReturnBuffer(r), STATUS_SUCCESS);
    handshake_to(SPN);
    ck_assert_uint_eq(count_tickets(), 3);
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
    req.MessageType = KerbDecryptDataMessage; /* a message the emulator does not answer */
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_NOT_SUPPORTED);
    req.MessageType = KerbRetrieveEncodedTicketMessage; /* shorter than its KERB_RETRIEVE_TKT_REQUEST */
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_INVALID_PARAMETER);
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

START_TEST(the_ex_queries_name_the_client_and_ex2_and_ex3_the_session_key_type)
{
    handshake_to(SPN);
    ULONG n;
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *ex =
        query_ex(KerbQueryTicketCacheExMessage, sizeof(KERB_TICKET_CACHE_INFO_EX), &n);
    ck_assert_uint_eq(n, 2); /* the TGT, then the ticket (doc/semantics.md §62) */
    KERB_TICKET_CACHE_INFO_EX *t = &ex->Tickets[1];
    ck_assert_str_eq(narrow(&t->ClientName), "alice");
    ck_assert_str_eq(narrow(&t->ClientRealm), "EXAMPLE.TEST");
    ck_assert_str_eq(narrow(&t->ServerName), SPN);
    ck_assert_str_eq(narrow(&t->ServerRealm), "EXAMPLE.TEST");
    ck_assert_int_eq(t->EndTime.QuadPart - t->StartTime.QuadPart, TEN_HOURS);
    ck_assert_int_gt(t->RenewTime.QuadPart, t->EndTime.QuadPart);
    ck_assert_int_eq(t->EncryptionType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(t->TicketFlags & KERB_TICKET_FLAGS_forwardable, KERB_TICKET_FLAGS_forwardable);
    ck_assert_ptr_eq(ex->Tickets[0].ClientName.Buffer, (WCHAR *)&ex->Tickets[2]); /* the texts follow the array */
    LONGLONG start = t->StartTime.QuadPart;
    ck_assert_nt(LsaFreeReturnBuffer(ex), STATUS_SUCCESS);

    KERB_QUERY_TKT_CACHE_EX2_RESPONSE *ex2 =
        query_ex(KerbQueryTicketCacheEx2Message, sizeof(KERB_TICKET_CACHE_INFO_EX2), &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(narrow(&ex2->Tickets[1].ClientName), "alice");
    ck_assert_str_eq(narrow(&ex2->Tickets[1].ServerName), SPN);
    ck_assert_int_eq(ex2->Tickets[1].StartTime.QuadPart, start);
    ck_assert_uint_eq(ex2->Tickets[1].SessionKeyType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_ptr_eq(ex2->Tickets[0].ClientName.Buffer, (WCHAR *)&ex2->Tickets[2]);
    ck_assert_nt(LsaFreeReturnBuffer(ex2), STATUS_SUCCESS);

    KERB_QUERY_TKT_CACHE_EX3_RESPONSE *ex3 =
        query_ex(KerbQueryTicketCacheEx3Message, sizeof(KERB_TICKET_CACHE_INFO_EX3), &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ex3->Tickets[0].CacheFlags, 1); /* the TGT: klist's "0x1 -> PRIMARY" (doc/semantics.md §62) */
    KERB_TICKET_CACHE_INFO_EX3 *t3 = &ex3->Tickets[1];
    ck_assert_str_eq(narrow(&t3->ClientName), "alice");
    ck_assert_str_eq(narrow(&t3->ServerRealm), "EXAMPLE.TEST");
    ck_assert_uint_eq(t3->SessionKeyType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(t3->BranchId, 0);
    ck_assert_uint_eq(t3->CacheFlags, 0); /* a service ticket, not the primary TGT */
    ck_assert_str_eq(narrow(&t3->KdcCalled), ""); /* no KDC is ever called */
    ck_assert_nt(LsaFreeReturnBuffer(ex3), STATUS_SUCCESS);
}
END_TEST

START_TEST(the_ex_queries_of_another_session_need_tcb_and_a_short_one_is_refused)
{
    KERB_QUERY_TKT_CACHE_REQUEST req = {KerbQueryTicketCacheEx3Message, SYSTEM_LUID};
    void *answer = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_ACCESS_DENIED);
    ck_assert_ptr_null(answer);
    ck_assert_uint_eq(length, 0);
    req = (KERB_QUERY_TKT_CACHE_REQUEST){KerbQueryTicketCacheEx2Message, {0, 0}};
    status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &req, sizeof req - 1, &answer, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_INVALID_PARAMETER);
    ck_assert_ptr_null(answer);
}
END_TEST

START_TEST(a_retrieve_hands_out_the_cached_ticket_its_names_and_its_session_key)
{
    handshake_to(SPN);
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    KERB_EXTERNAL_TICKET *t = &answer->Ticket;
    ck_assert_int_eq(t->ServiceName->NameType, 2); /* KRB_NT_SRV_INST */
    ck_assert_uint_eq(t->ServiceName->NameCount, 2);
    ck_assert_str_eq(narrow(&t->ServiceName->Names[0]), "HTTP");
    ck_assert_str_eq(narrow(&t->ServiceName->Names[1]), "server.example.test");
    ck_assert_uint_eq(t->TargetName->NameCount, 2);
    ck_assert_str_eq(narrow(&t->TargetName->Names[1]), "server.example.test");
    ck_assert_int_eq(t->ClientName->NameType, 1); /* KRB_NT_PRINCIPAL */
    ck_assert_uint_eq(t->ClientName->NameCount, 1);
    ck_assert_str_eq(narrow(&t->ClientName->Names[0]), "alice");
    ck_assert_str_eq(narrow(&t->DomainName), "EXAMPLE.TEST");
    ck_assert_str_eq(narrow(&t->TargetDomainName), "EXAMPLE.TEST");
    ck_assert_str_eq(narrow(&t->AltTargetDomainName), "EXAMPLE.TEST");
    ck_assert_int_eq(t->SessionKey.KeyType, KERB_ETYPE_AES256_CTS_HMAC_SHA1_96);
    ck_assert_uint_eq(t->SessionKey.Length, 32);
    ck_assert_ptr_nonnull(t->SessionKey.Value);
    ck_assert_uint_eq(t->TicketFlags & KERB_TICKET_FLAGS_renewable, KERB_TICKET_FLAGS_renewable);
    ck_assert_uint_eq(t->Flags, 0);
    ck_assert_int_eq(t->EndTime.QuadPart - t->StartTime.QuadPart, TEN_HOURS);
    ck_assert_int_gt(t->RenewUntil.QuadPart, t->EndTime.QuadPart);
    ck_assert_int_eq(t->TimeSkew.QuadPart, 0);
    /* The DER Ticket: [APPLICATION 1] (RFC 4120 5.3). */
    ck_assert_uint_gt(t->EncodedTicketSize, 100);
    ck_assert_uint_eq(t->EncodedTicket[0], 0x61);
    /* It is the ticket the handshake made: the query shows the same times, and it stays the one ticket. */
    KERB_QUERY_TKT_CACHE_RESPONSE *q = query();
    ck_assert_uint_eq(q->CountOfTickets, 2); /* the TGT and this ticket */
    ck_assert_int_eq(q->Tickets[1].StartTime.QuadPart, t->StartTime.QuadPart);
    ck_assert_nt(LsaFreeReturnBuffer(q), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
}
END_TEST

START_TEST(a_retrieve_from_the_cache_only_without_a_ticket_is_object_name_not_found)
{
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_OBJECT_NAME_NOT_FOUND);
    retrieve_request(&r, "HTTP/nowhere.example.test", KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_OBJECT_NAME_NOT_FOUND);
    ck_assert_uint_eq(count_tickets(), 1); /* the logon's TGT alone (doc/semantics.md §70) */
}
END_TEST

START_TEST(a_retrieve_without_a_cached_ticket_makes_one_that_the_next_handshake_uses)
{
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_uint_eq(count_tickets(), 2); /* and the TGT it came from */
    static UCHAR made[4096], cached[4096];
    ULONG n = answer->Ticket.EncodedTicketSize;
    memcpy(made, answer->Ticket.EncodedTicket, n);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    handshake_to(SPN); /* reuses it: still one ticket, the same bytes */
    ck_assert_uint_eq(count_tickets(), 2);
    ck_assert_uint_eq(cached_ticket(SPN, cached, sizeof cached), n);
    ck_assert_mem_eq(cached, made, n);
    /* "@REALM" names the same service. */
    ck_assert_uint_eq(cached_ticket(SPN "@EXAMPLE.TEST", cached, sizeof cached), n);
    ck_assert_mem_eq(cached, made, n);
}
END_TEST

START_TEST(a_retrieve_with_options_flags_or_an_encryption_type_does_not_keep_its_ticket)
{
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DONT_USE_CACHE);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.TicketFlags = KERB_TICKET_FLAGS_forwardable;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.EncryptionType = KERB_ETYPE_AES256_CTS_HMAC_SHA1_96;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    ck_assert_uint_eq(count_tickets(), 1); /* the TGT alone: the AS exchange's result is kept */
    /* KERB_RETRIEVE_TICKET_CACHE_TICKET keeps it. */
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_CACHE_TICKET);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    ck_assert_uint_eq(count_tickets(), 2);
    /* KERB_RETRIEVE_TICKET_DONT_USE_CACHE makes a new ticket even so, and leaves the cached one. */
    static UCHAR before[4096], after[4096];
    ULONG n = cached_ticket(SPN, before, sizeof before);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DONT_USE_CACHE);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert(answer->Ticket.EncodedTicketSize != n || memcmp(answer->Ticket.EncodedTicket, before, n) != 0);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    ck_assert_uint_eq(cached_ticket(SPN, after, sizeof after), n);
    ck_assert_mem_eq(after, before, n);
}
END_TEST

START_TEST(a_retrieve_for_a_service_no_account_registers_is_no_trust_sam_account)
{
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, "HTTP/nowhere.example.test", KERB_RETRIEVE_TICKET_DEFAULT);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NO_TRUST_SAM_ACCOUNT);
    retrieve_request(&r, SPN "@OTHER.REALM", KERB_RETRIEVE_TICKET_DEFAULT);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NO_TRUST_SAM_ACCOUNT);
    ck_assert_uint_eq(count_tickets(), 1); /* the logon's TGT alone (doc/semantics.md §70) */
}
END_TEST

START_TEST(a_retrieve_the_emulator_cannot_answer_is_refused_with_the_package_status)
{
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DONT_USE_CACHE | KERB_RETRIEVE_TICKET_USE_CACHE_ONLY);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_INVALID_PARAMETER);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_AS_KERB_CRED); /* a KRB-CRED answer: not emulated */
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NOT_SUPPORTED);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.EncryptionType = KERB_ETYPE_RC4_HMAC_NT; /* tickets are AES256 only */
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NOT_SUPPORTED);
    /* A new TGT past the one held (a TGS exchange for krbtgt): not emulated (doc/semantics.md §70). */
    retrieve_request(&r, "krbtgt/EXAMPLE.TEST", KERB_RETRIEVE_TICKET_DONT_USE_CACHE);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NOT_SUPPORTED);
    retrieve_request(&r, "", KERB_RETRIEVE_TICKET_DEFAULT);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NOT_SUPPORTED);
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.LogonId = (LUID)SYSTEM_LUID;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_ACCESS_DENIED);
    /* The target's text must lie inside the submission. */
    WCHAR elsewhere[] = {'c', 'i', 'f', 's', 0};
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.TargetName = (UNICODE_STRING){8, 10, elsewhere};
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_INVALID_PARAMETER);
    /* Shorter than KERB_RETRIEVE_TKT_REQUEST. */
    void *raw = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &r, sizeof r.req - 1, &raw, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_INVALID_PARAMETER);
    ck_assert_ptr_null(raw);
    ck_assert_uint_eq(count_tickets(), 1); /* the logon's TGT alone (doc/semantics.md §70) */
}
END_TEST

START_TEST(a_retrieve_with_a_credential_handle_is_for_that_credentials_principal)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"bob", 3, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Hunter2!", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle bob, ntlm;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &bob, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &ntlm, NULL),
                         SEC_E_OK);
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_USE_CREDHANDLE);
    r.req.CredentialsHandle = bob;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_str_eq(narrow(&answer->Ticket.ClientName->Names[0]), "bob");
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    /* Kept in the caller's session, under bob: the query lists it. */
    ULONG n;
    KERB_QUERY_TKT_CACHE_EX_RESPONSE *ex =
        query_ex(KerbQueryTicketCacheExMessage, sizeof(KERB_TICKET_CACHE_INFO_EX), &n);
    ck_assert_uint_eq(n, 3); /* bob's TGT and ticket, then the session's own logon TGT, alice's (doc/semantics.md §70) */
    ck_assert_str_eq(narrow(&ex->Tickets[1].ClientName), "bob");
    ck_assert_nt(LsaFreeReturnBuffer(ex), STATUS_SUCCESS);
    /* Another package's credential, or none. */
    r.req.CredentialsHandle = ntlm;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_INVALID_HANDLE);
    FreeCredentialsHandle(&bob);
    r.req.CredentialsHandle = bob;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_INVALID_HANDLE);
    ck_assert_int_ge(test_reports, 1); /* the closed handle is misuse, reported */
    FreeCredentialsHandle(&ntlm);
}
END_TEST

START_TEST(an_unfreed_retrieved_ticket_is_a_leak)
{
    size_t before = fakesspi_check_leaks();
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DONT_USE_CACHE);
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), before + 1);
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), before);
}
END_TEST

/* A domain whose svc_logon holds SeTcbPrivilege, enabled here: it may ask for another session's tickets. */
static const char tcb_domain[] = "[domain]\n"
                                 "netbios = EXAMPLE\n"
                                 "dns = example.test\n"
                                 "sid = S-1-5-21-1000000001-2000000002-3000000003\n"
                                 "computer = SERVER\n"
                                 "[group Domain Users]\n"
                                 "rid = 513\n"
                                 "[user alice]\n"
                                 "rid = 1104\n"
                                 "password = Passw0rd!\n"
                                 "[user svc_server]\n"
                                 "rid = 1106\n"
                                 "password = S3rv1ce!pass\n"
                                 "spn = HTTP/server.example.test\n"
                                 "[user svc_logon]\n"
                                 "rid = 1300\n"
                                 "password = L0gon!svc\n"
                                 "privileges = SeTcbPrivilege\n";

START_TEST(with_tcb_a_retrieve_is_for_another_sessions_user_and_kept_in_that_session)
{
    ck_assert_int_eq(fakesspi_load_domain_text(tcb_domain, "tcb"), 0);
    ck_assert_int_eq(fakesspi_set_process_user("svc_logon"), 0);
    HANDLE self, alice;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &self));
    TOKEN_PRIVILEGES tp = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
    ck_assert(LookupPrivilegeValueA(NULL, "SeTcbPrivilege", &tp.Privileges[0].Luid));
    ck_assert(AdjustTokenPrivileges(self, FALSE, &tp, 0, NULL, NULL));
    ck_assert(CloseHandle(self));
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_BATCH, LOGON32_PROVIDER_DEFAULT, &alice));
    TOKEN_STATISTICS st;
    DWORD n;
    ck_assert(GetTokenInformation(alice, TokenStatistics, &st, sizeof st, &n));
    KERB_RETRIEVE_TKT_RESPONSE *answer;
    struct retrieve r;
    retrieve_request(&r, SPN, KERB_RETRIEVE_TICKET_DEFAULT);
    r.req.LogonId = st.AuthenticationId;
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_SUCCESS);
    ck_assert_str_eq(narrow(&answer->Ticket.ClientName->Names[0]), "alice");
    ck_assert_uint_eq(answer->Ticket.SessionKey.Length, 32); /* handed out to a TCB caller too */
    ck_assert_nt(LsaFreeReturnBuffer(answer), STATUS_SUCCESS);
    /* Kept in alice's session, not the caller's, which holds its own logon's TGT alone (doc/semantics.md §70). */
    ck_assert_uint_eq(count_tickets(), 1);
    KERB_QUERY_TKT_CACHE_REQUEST q = {KerbQueryTicketCacheMessage, st.AuthenticationId};
    void *listed = NULL;
    ULONG length = 0;
    NTSTATUS status = (NTSTATUS)0xdeadbeef;
    ck_assert_nt(LsaCallAuthenticationPackage(lsa, kerberos, &q, sizeof q, &listed, &length, &status),
                 STATUS_SUCCESS);
    ck_assert_nt(status, STATUS_SUCCESS);
    ck_assert_uint_eq(((KERB_QUERY_TKT_CACHE_RESPONSE *)listed)->CountOfTickets, 2); /* and alice's TGT */
    ck_assert_nt(LsaFreeReturnBuffer(listed), STATUS_SUCCESS);
    /* A session nobody has. */
    r.req.LogonId = (LUID){0x7654321, 0};
    ck_assert_nt(send_retrieve(&r, &answer), STATUS_NO_SUCH_LOGON_SESSION);
    ck_assert(CloseHandle(alice));
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
    tcase_add_test(tc, the_ex_queries_name_the_client_and_ex2_and_ex3_the_session_key_type);
    tcase_add_test(tc, the_ex_queries_of_another_session_need_tcb_and_a_short_one_is_refused);
    tcase_add_test(tc, a_retrieve_hands_out_the_cached_ticket_its_names_and_its_session_key);
    tcase_add_test(tc, a_retrieve_from_the_cache_only_without_a_ticket_is_object_name_not_found);
    tcase_add_test(tc, a_retrieve_without_a_cached_ticket_makes_one_that_the_next_handshake_uses);
    tcase_add_test(tc, a_retrieve_with_options_flags_or_an_encryption_type_does_not_keep_its_ticket);
    tcase_add_test(tc, a_retrieve_for_a_service_no_account_registers_is_no_trust_sam_account);
    tcase_add_test(tc, a_retrieve_the_emulator_cannot_answer_is_refused_with_the_package_status);
    tcase_add_test(tc, a_retrieve_with_a_credential_handle_is_for_that_credentials_principal);
    tcase_add_test(tc, an_unfreed_retrieved_ticket_is_a_leak);
    tcase_add_test(tc, with_tcb_a_retrieve_is_for_another_sessions_user_and_kept_in_that_session);
    suite_add_tcase(s, tc);
    return test_run(s);
}
