/* The initiator's service-ticket cache (doc/semantics.md §49): a second handshake to a service reuses the
 * logon session's ticket with a new authenticator, until the ticket's end time on the virtual clock; another
 * service, user or logon session gets its own; a reset, a domain load, a purge or a new service key forgets it. */
#include <pthread.h>

#include "sspi/sspitest.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/bytes.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_replay.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/token.h"

#define SPN "HTTP/server.example.test"
#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define TEN_HOURS FAKESSPI_SECONDS(10 * 3600)

extern const char fs_default_domain_ini[];

/* One first leg: the AP-REQ as it went on the wire, and the two ciphertexts inside it. */
struct leg {
    CtxtHandle ctx;
    unsigned char token[4096];
    ULONG len;
    struct krb_ap_req r;
};

static CredHandle client_cred(const char *user, const char *password)
{
    CredHandle c;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, "EXAMPLE", password);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &c,
                                                   NULL),
                         SEC_E_OK);
    return c;
}

static CredHandle service_cred(const char *password)
{
    CredHandle c;
    kerberos_credential("svc_server", password, SECPKG_CRED_INBOUND, &c);
    return c;
}

static void first_leg(CredHandle *cred, const char *target, struct leg *l)
{
    SecBuffer out = {sizeof l->token, SECBUFFER_TOKEN, l->token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)target, MUTUAL, 0, SECURITY_NATIVE_DREP,
                                                    NULL, 0, &l->ctx, &outd, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    l->len = out.cbBuffer;
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(l->token, l->len, &tok_id, &inner, &inner_len), 0);
    ck_assert_uint_eq(tok_id, KRB_TOK_AP_REQ);
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &l->r, &derr), FS_OK);
}

static void leg_free(struct leg *l)
{
    DeleteSecurityContext(&l->ctx);
    krb_ap_req_free(&l->r);
}

static int same_ticket(const struct leg *a, const struct leg *b)
{
    return a->r.ticket_cipher_len == b->r.ticket_cipher_len &&
           !memcmp(a->r.ticket_cipher, b->r.ticket_cipher, a->r.ticket_cipher_len);
}

static int same_authenticator(const struct leg *a, const struct leg *b)
{
    return a->r.auth_cipher_len == b->r.auth_cipher_len &&
           !memcmp(a->r.auth_cipher, b->r.auth_cipher, a->r.auth_cipher_len);
}

/* The acceptor's answer to a token; with SEC_E_OK the client finishes the handshake on the AP-REP. */
static SECURITY_STATUS accept_leg(CredHandle *server_cred, struct leg *l, CredHandle *client_cred)
{
    unsigned char rep[4096], none[16];
    SecBuffer in = {l->len, SECBUFFER_TOKEN, l->token}, out = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle server = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs;
    SECURITY_STATUS st = AcceptSecurityContext(server_cred, NULL, &ind, ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP,
                                               &server, &outd, &attrs, NULL);
    if (st != SEC_E_OK) {
        ck_assert_uint_eq(server.dwLower, 0xdeadbeef);
        return st;
    }
    SecBuffer in2 = {out.cbBuffer, SECBUFFER_TOKEN, rep}, out2 = {sizeof none, SECBUFFER_TOKEN, none};
    SecBufferDesc ind2 = {SECBUFFER_VERSION, 1, &in2}, outd2 = {SECBUFFER_VERSION, 1, &out2};
    ck_assert_sec_status(InitializeSecurityContextA(client_cred, &l->ctx, (SEC_CHAR *)SPN, MUTUAL, 0,
                                                    SECURITY_NATIVE_DREP, &ind2, 0, &l->ctx, &outd2, &attrs, NULL),
                         SEC_E_OK);
    DeleteSecurityContext(&server);
    return SEC_E_OK;
}

START_TEST(the_second_handshake_to_a_service_reuses_the_ticket_with_a_new_authenticator)
{
    CredHandle cc = client_cred("alice", "Passw0rd!"), sc = service_cred("S3rv1ce!pass");
    struct leg first, second;
    first_leg(&cc, SPN, &first);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2); /* the ticket and the TGT it came from (doc/semantics.md §62) */
    first_leg(&cc, SPN, &second);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2);
    ck_assert_msg(same_ticket(&first, &second), "the second AP-REQ carries another ticket");
    ck_assert_msg(!same_authenticator(&first, &second), "the second AP-REQ repeats the first one's authenticator");
    /* Both are taken, each once: the replay cache tells the authenticators apart, not the tickets. */
    ck_assert_sec_status(accept_leg(&sc, &first, &cc), SEC_E_OK);
    ck_assert_sec_status(accept_leg(&sc, &second, &cc), SEC_E_OK);
    ck_assert_uint_eq(krb_replay_count(), 2);
    ck_assert_sec_status(accept_leg(&sc, &second, &cc), SEC_E_LOGON_DENIED); /* a true replay */
    ck_assert_sec_status(accept_leg(&sc, &first, &cc), SEC_E_LOGON_DENIED);
    leg_free(&first);
    leg_free(&second);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* Another credential handle of the same user in the same logon session shares its tickets, as on Windows. */
START_TEST(another_credential_of_the_same_user_and_session_reuses_the_ticket)
{
    CredHandle c1 = client_cred("alice", "Passw0rd!"), c2 = client_cred("alice", "Passw0rd!");
    struct leg a, b;
    first_leg(&c1, SPN, &a);
    first_leg(&c2, SPN, &b);
    ck_assert(same_ticket(&a, &b));
    leg_free(&a);
    leg_free(&b);
    FreeCredentialsHandle(&c1);
    FreeCredentialsHandle(&c2);
}
END_TEST

START_TEST(another_service_or_another_user_gets_another_ticket)
{
    CredHandle alice = client_cred("alice", "Passw0rd!"), bob = client_cred("bob", "Hunter2!");
    CredHandle sc = service_cred("S3rv1ce!pass");
    struct leg http, host, bobs;
    first_leg(&alice, SPN, &http);
    first_leg(&alice, "host/server.example.test", &host);
    first_leg(&bob, SPN, &bobs);
    ck_assert_uint_eq(krb_ticket_cache_count(), 5); /* three tickets, alice's TGT and bob's */
    ck_assert(!same_ticket(&http, &host));
    ck_assert(!same_ticket(&http, &bobs));
    ck_assert(!same_ticket(&host, &bobs));
    ck_assert_sec_status(accept_leg(&sc, &http, &alice), SEC_E_OK);
    ck_assert_sec_status(accept_leg(&sc, &host, &alice), SEC_E_OK);
    ck_assert_sec_status(accept_leg(&sc, &bobs, &bob), SEC_E_OK);
    leg_free(&http);
    leg_free(&host);
    leg_free(&bobs);
    FreeCredentialsHandle(&alice);
    FreeCredentialsHandle(&bob);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* The acceptor finds SPNs case-insensitively and with or without our realm: so does the cache. */
START_TEST(the_service_is_matched_as_the_acceptor_matches_spns)
{
    CredHandle cc = client_cred("alice", "Passw0rd!"), sc = service_cred("S3rv1ce!pass");
    struct leg a, b;
    first_leg(&cc, SPN, &a);
    first_leg(&cc, "http/SERVER.example.test@example.test", &b);
    ck_assert(same_ticket(&a, &b));
    ck_assert_uint_eq(krb_ticket_cache_count(), 2);
    ck_assert_sec_status(accept_leg(&sc, &b, &cc), SEC_E_OK);
    leg_free(&a);
    leg_free(&b);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* A logon session of its own (LogonUser, impersonated) has a ticket cache of its own. */
START_TEST(another_logon_session_of_the_same_user_gets_another_ticket)
{
    CredHandle process_cred = client_cred("alice", "Passw0rd!");
    HANDLE logon;
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &logon));
    ck_assert(ImpersonateLoggedOnUser(logon));
    CredHandle session_cred = client_cred("alice", "Passw0rd!");
    ck_assert(RevertToSelf());
    struct leg a, b, c;
    first_leg(&process_cred, SPN, &a);
    first_leg(&session_cred, SPN, &b);
    first_leg(&session_cred, SPN, &c);
    ck_assert(!same_ticket(&a, &b));
    ck_assert(same_ticket(&b, &c));
    ck_assert_uint_eq(krb_ticket_cache_count(), 4); /* a TGT and a ticket in each session */
    leg_free(&a);
    leg_free(&b);
    leg_free(&c);
    FreeCredentialsHandle(&process_cred);
    FreeCredentialsHandle(&session_cred);
    CloseHandle(logon);
}
END_TEST

/* A credential holds the logon session it was acquired in, as on Windows: the session outlives the logon's last
 * token while the credential lives, and its end, when the credential goes, takes its tickets with it
 * (doc/semantics.md §49). */
START_TEST(a_credential_keeps_its_logon_session_whose_end_forgets_its_tickets)
{
    HANDLE logon;
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &logon));
    TOKEN_STATISTICS stats;
    DWORD len;
    ck_assert(GetTokenInformation(logon, TokenStatistics, &stats, sizeof stats, &len));
    ck_assert(ImpersonateLoggedOnUser(logon));
    CredHandle session_cred = client_cred("alice", "Passw0rd!");
    ck_assert(RevertToSelf());
    ck_assert(CloseHandle(logon)); /* the logon's last token: the credential still holds its session */
    PSECURITY_LOGON_SESSION_DATA data = NULL;
    ck_assert_int_eq(LsaGetLogonSessionData(&stats.AuthenticationId, &data), STATUS_SUCCESS);
    ck_assert_int_eq(LsaFreeReturnBuffer(data), STATUS_SUCCESS);
    struct leg a;
    first_leg(&session_cred, SPN, &a);
    leg_free(&a);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2);
    CredHandle other = client_cred("bob", "Hunter2!"); /* the process's session: its ticket stays */
    struct leg b;
    first_leg(&other, SPN, &b);
    leg_free(&b);
    ck_assert_uint_eq(krb_ticket_cache_count(), 4);
    ck_assert_sec_status(FreeCredentialsHandle(&session_cred), SEC_E_OK); /* the session ends, its ticket too */
    ck_assert_int_eq(LsaGetLogonSessionData(&stats.AuthenticationId, &data), STATUS_NO_SUCH_LOGON_SESSION);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2);
    FreeCredentialsHandle(&other);
}
END_TEST

/* The client's context, complete: when it expires. */
static LONGLONG expiry_of(struct leg *l)
{
    SecPkgContext_Lifespan life;
    ck_assert_sec_status(QueryContextAttributesA(&l->ctx, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    return life.tsExpiry.QuadPart;
}

START_TEST(past_its_end_time_on_the_virtual_clock_a_new_ticket_is_made)
{
    CredHandle cc = client_cred("alice", "Passw0rd!"), sc = service_cred("S3rv1ce!pass");
    struct leg first, late, later;
    first_leg(&cc, SPN, &first);
    ck_assert_sec_status(accept_leg(&sc, &first, &cc), SEC_E_OK);
    LONGLONG end = expiry_of(&first);
    ck_assert_int_eq(end - (LONGLONG)fakesspi_clock_now(), TEN_HOURS);
    fakesspi_clock_advance(TEN_HOURS - 1);
    first_leg(&cc, SPN, &late);
    ck_assert(same_ticket(&first, &late));
    ck_assert_sec_status(accept_leg(&sc, &late, &cc), SEC_E_OK);
    /* A context lives as long as its ticket: the reused one's end, not ten hours from now. */
    ck_assert_int_eq(expiry_of(&late), end);
    fakesspi_clock_advance(1);
    first_leg(&cc, SPN, &later);
    ck_assert(!same_ticket(&first, &later));
    ck_assert_sec_status(accept_leg(&sc, &later, &cc), SEC_E_OK);
    ck_assert_int_eq(expiry_of(&later) - (LONGLONG)fakesspi_clock_now(), TEN_HOURS);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2); /* the new ticket and the renewed TGT */
    leg_free(&first);
    leg_free(&late);
    leg_free(&later);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* The clock set back before the ticket's start: not yet valid, so not reused. */
START_TEST(a_ticket_that_has_not_started_is_not_reused)
{
    fakesspi_clock_advance(FAKESSPI_SECONDS(3600));
    CredHandle cc = client_cred("alice", "Passw0rd!"), sc = service_cred("S3rv1ce!pass");
    struct leg first, earlier;
    first_leg(&cc, SPN, &first);
    fakesspi_clock_advance(-FAKESSPI_SECONDS(3600));
    first_leg(&cc, SPN, &earlier);
    ck_assert(!same_ticket(&first, &earlier));
    ck_assert_sec_status(accept_leg(&sc, &earlier, &cc), SEC_E_OK);
    leg_free(&first);
    leg_free(&earlier);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

START_TEST(a_reset_forgets_every_ticket)
{
    CredHandle cc = client_cred("alice", "Passw0rd!");
    struct leg l;
    first_leg(&cc, SPN, &l);
    leg_free(&l);
    FreeCredentialsHandle(&cc);
    ck_assert_uint_eq(krb_ticket_cache_count(), 2);
    fakesspi_reset();
    ck_assert_uint_eq(krb_ticket_cache_count(), 0);
}
END_TEST

/* The same domain loaded again is another load: its tickets are made anew. */
START_TEST(a_domain_load_forgets_every_ticket)
{
    CredHandle cc = client_cred("alice", "Passw0rd!"), sc = service_cred("S3rv1ce!pass");
    struct leg before, after;
    first_leg(&cc, SPN, &before);
    ck_assert_int_eq(fakesspi_load_domain_text(fs_default_domain_ini, "the embedded domain again"), 0);
    ck_assert_uint_eq(krb_ticket_cache_purge(0, 1, NULL), 0); /* nothing of the old load is left to purge */
    ck_assert_uint_eq(krb_ticket_cache_count(), 0);
    first_leg(&cc, SPN, &after);
    ck_assert(!same_ticket(&before, &after));
    ck_assert_sec_status(accept_leg(&sc, &after, &cc), SEC_E_OK);
    leg_free(&before);
    leg_free(&after);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* The service account's password changes (by a new domain): the next ticket is under the new key, which the
 * service's new credential opens; the old ticket would have been KRB_AP_ERR_MODIFIED. */
START_TEST(after_the_service_password_changes_the_ticket_is_under_the_new_key)
{
    CredHandle cc = client_cred("alice", "Passw0rd!");
    struct leg before, after;
    first_leg(&cc, SPN, &before);
    char text[4096];
    const char *old = strstr(fs_default_domain_ini, "S3rv1ce!pass");
    ck_assert_ptr_nonnull(old);
    snprintf(text, sizeof text, "%.*sN3w!pass%s", (int)(old - fs_default_domain_ini), fs_default_domain_ini,
             old + strlen("S3rv1ce!pass"));
    ck_assert_int_eq(fakesspi_load_domain_text(text, "rotated"), 0);
    CredHandle sc = service_cred("N3w!pass");
    ck_assert_sec_status(accept_leg(&sc, &before, &cc), SEC_E_WRONG_PRINCIPAL);
    first_leg(&cc, SPN, &after);
    ck_assert(!same_ticket(&before, &after));
    ck_assert_sec_status(accept_leg(&sc, &after, &cc), SEC_E_OK);
    leg_free(&before);
    leg_free(&after);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
END_TEST

/* Below the SSPI: a ticket kept under one service key is not handed out for another, and is forgotten. */
START_TEST(a_ticket_under_another_service_key_is_not_handed_out)
{
    struct krb_key old_key = {.etype = KRB_ETYPE_AES256, .len = 32}, new_key = old_key;
    memset(old_key.bytes, 1, 32);
    memset(new_key.bytes, 2, 32);
    static const uint8_t bytes[] = {0x61, 0x03, 0x02, 0x01, 0x05};
    struct krb_cached_ticket t = {.ticket = bytes, .ticket_len = sizeof bytes, .endtime = 1000};
    t.session_key.etype = KRB_ETYPE_AES256;
    t.session_key.len = 32;
    struct krb_ticket_cache_key k = {42, 7, "alice", SPN, &old_key, 0, NULL};
    krb_ticket_cache_put(&k, SPN, &t);
    struct fs_writer w;
    fs_writer_init(&w);
    struct krb_cached_ticket got;
    char sname[64];
    ck_assert_int_eq(krb_ticket_cache_get(&k, 10, &w, &got, sname, sizeof sname), 1);
    ck_assert_mem_eq(w.data, bytes, sizeof bytes);
    ck_assert_str_eq(sname, SPN);
    k.service_key = &new_key;
    ck_assert_int_eq(krb_ticket_cache_get(&k, 10, &w, &got, sname, sizeof sname), 0);
    ck_assert_uint_eq(w.len, sizeof bytes); /* nothing more written */
    ck_assert_uint_eq(krb_ticket_cache_count(), 0);
    fs_writer_free(&w);
}
END_TEST

static int collect(const struct krb_ticket_cache_entry *e, void *arg)
{
    char *names = arg;
    strcat(names, e->client);
    strcat(names, ">");
    strcat(names, e->server);
    strcat(names, ";");
    return 0;
}

/* At its bound the cache forgets the ticket least recently used, and the handshake goes on. */
START_TEST(at_its_bound_the_least_recently_used_ticket_is_forgotten)
{
    krb_ticket_cache_set_limit(3); /* two tickets and the TGT */
    CredHandle cc = client_cred("alice", "Passw0rd!");
    struct leg a, b, c, d, e;
    first_leg(&cc, SPN, &a);
    first_leg(&cc, "host/server.example.test", &b);
    first_leg(&cc, SPN, &c);                        /* HTTP/ is now the more recent */
    first_leg(&cc, "cifs/server.example.test", &d); /* host/ goes */
    ck_assert(same_ticket(&a, &c));
    ck_assert_uint_eq(krb_ticket_cache_count(), 3);
    char names[512] = "";
    ck_assert_uint_eq(krb_ticket_cache_enumerate(0, 1, collect, names), 3);
    ck_assert_str_eq(names, "alice>HTTP/server.example.test;alice>krbtgt/EXAMPLE.TEST;alice>cifs/server.example.test;");
    first_leg(&cc, "host/server.example.test", &e);
    ck_assert(!same_ticket(&b, &e));
    leg_free(&a);
    leg_free(&b);
    leg_free(&c);
    leg_free(&d);
    leg_free(&e);
    FreeCredentialsHandle(&cc);
}
END_TEST

static uint64_t my_logon_id(void)
{
    struct fs_token *t = fs_effective_token();
    ck_assert_ptr_nonnull(t);
    uint64_t id = t->auth_id;
    fs_token_unref(t);
    return id;
}

/* The LSA's ticket-cache messages have one function each below them: list one session's tickets, purge some. */
START_TEST(a_logon_sessions_tickets_are_listed_and_purged_by_service)
{
    CredHandle alice = client_cred("alice", "Passw0rd!"), bob = client_cred("bob", "Hunter2!");
    struct leg a, b, c, again;
    first_leg(&alice, SPN, &a);
    first_leg(&alice, "host/server.example.test", &b);
    first_leg(&bob, SPN, &c);
    uint64_t session = my_logon_id();
    char names[512] = "";
    ck_assert_uint_eq(krb_ticket_cache_enumerate(session, 0, collect, names), 5);
    ck_assert_str_eq(names, "alice>HTTP/server.example.test;alice>krbtgt/EXAMPLE.TEST;alice>host/server.example.test;"
                              "bob>krbtgt/EXAMPLE.TEST;bob>HTTP/server.example.test;");
    names[0] = '\0';
    ck_assert_uint_eq(krb_ticket_cache_enumerate(session + 1, 0, collect, names), 0);
    ck_assert_str_eq(names, "");
    ck_assert_uint_eq(krb_ticket_cache_purge(session + 1, 0, NULL), 0);
    ck_assert_uint_eq(krb_ticket_cache_purge(session, 0, "http/SERVER.example.test"), 2);
    ck_assert_uint_eq(krb_ticket_cache_count(), 3); /* alice's host/ ticket and the two TGTs */
    first_leg(&alice, SPN, &again);
    ck_assert(!same_ticket(&a, &again));
    ck_assert_uint_eq(krb_ticket_cache_purge(session, 0, NULL), 4);
    ck_assert_uint_eq(krb_ticket_cache_count(), 0);
    leg_free(&a);
    leg_free(&b);
    leg_free(&c);
    leg_free(&again);
    FreeCredentialsHandle(&alice);
    FreeCredentialsHandle(&bob);
}
END_TEST

/* Listing drops the tickets whose end time has passed. */
START_TEST(listing_leaves_out_and_forgets_ended_tickets)
{
    CredHandle cc = client_cred("alice", "Passw0rd!");
    struct leg a;
    first_leg(&cc, SPN, &a);
    fakesspi_clock_advance(TEN_HOURS);
    char names[512] = "";
    ck_assert_uint_eq(krb_ticket_cache_enumerate(0, 1, collect, names), 0);
    ck_assert_uint_eq(krb_ticket_cache_count(), 1); /* the ended TGT, kept until its renew-till (doc/semantics.md §62) */
    leg_free(&a);
    FreeCredentialsHandle(&cc);
}
END_TEST

/* With a named seed, handshakes that reuse a ticket repeat byte for byte from one run to the next. */
START_TEST(with_a_fixed_seed_cached_handshakes_repeat_byte_for_byte)
{
    static unsigned char runs[2][3][4096];
    ULONG lens[2][3];
    for (int run = 0; run < 2; run++) {
        fakesspi_set_seed(11);
        fakesspi_reset();
        CredHandle cc = client_cred("alice", "Passw0rd!");
        for (int i = 0; i < 3; i++) {
            struct leg l;
            first_leg(&cc, SPN, &l);
            memcpy(runs[run][i], l.token, l.len);
            lens[run][i] = l.len;
            leg_free(&l);
        }
        FreeCredentialsHandle(&cc);
    }
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(lens[0][i], lens[1][i]);
        ck_assert_msg(!memcmp(runs[0][i], runs[1][i], lens[0][i]), "handshake %d differs between the runs", i);
    }
    ck_assert(memcmp(runs[0][0], runs[0][1], lens[0][0] < lens[0][1] ? lens[0][0] : lens[0][1]));
}
END_TEST

struct worker {
    CredHandle cc, sc;
    int failures;
};

static void *handshakes(void *arg)
{
    struct worker *w = arg;
    static const char *const spns[] = {SPN, "host/server.example.test", "cifs/server.example.test"};
    for (int i = 0; i < 150; i++) {
        unsigned char req[4096], rep[4096], none[16];
        CtxtHandle client, server;
        ULONG attrs;
        SecBuffer o1 = {sizeof req, SECBUFFER_TOKEN, req}, o2 = {sizeof rep, SECBUFFER_TOKEN, rep};
        SecBuffer o3 = {sizeof none, SECBUFFER_TOKEN, none};
        SecBufferDesc d1 = {SECBUFFER_VERSION, 1, &o1}, d2 = {SECBUFFER_VERSION, 1, &o2}, d3 = {SECBUFFER_VERSION, 1, &o3};
        const char *spn = spns[i % 3];
        if (InitializeSecurityContextA(&w->cc, NULL, (SEC_CHAR *)spn, MUTUAL, 0, 0, NULL, 0, &client, &d1, &attrs,
                                       NULL) != SEC_I_CONTINUE_NEEDED) {
            w->failures++;
            continue;
        }
        SecBuffer i1 = {o1.cbBuffer, SECBUFFER_TOKEN, req};
        SecBufferDesc id1 = {SECBUFFER_VERSION, 1, &i1};
        if (AcceptSecurityContext(&w->sc, NULL, &id1, 0, 0, &server, &d2, &attrs, NULL) != SEC_E_OK) {
            w->failures++;
            DeleteSecurityContext(&client);
            continue;
        }
        SecBuffer i2 = {o2.cbBuffer, SECBUFFER_TOKEN, rep};
        SecBufferDesc id2 = {SECBUFFER_VERSION, 1, &i2};
        if (InitializeSecurityContextA(&w->cc, &client, (SEC_CHAR *)spn, MUTUAL, 0, 0, &id2, 0, &client, &d3, &attrs,
                                       NULL) != SEC_E_OK)
            w->failures++;
        DeleteSecurityContext(&client);
        DeleteSecurityContext(&server);
    }
    return NULL;
}

/* Two threads share the cache, at a bound that makes them evict each other's tickets. */
START_TEST(two_threads_share_the_cache_at_its_bound)
{
    krb_ticket_cache_set_limit(2);
    struct worker w[2] = {{client_cred("alice", "Passw0rd!"), service_cred("S3rv1ce!pass"), 0},
                          {client_cred("bob", "Hunter2!"), service_cred("S3rv1ce!pass"), 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, handshakes, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(w[i].failures, 0);
        FreeCredentialsHandle(&w[i].cc);
        FreeCredentialsHandle(&w[i].sc);
    }
    ck_assert_uint_le(krb_ticket_cache_count(), 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kerberos/ticket cache");
    TCase *tc = test_case("ticket cache");
    tcase_add_test(tc, the_second_handshake_to_a_service_reuses_the_ticket_with_a_new_authenticator);
    tcase_add_test(tc, another_credential_of_the_same_user_and_session_reuses_the_ticket);
    tcase_add_test(tc, another_service_or_another_user_gets_another_ticket);
    tcase_add_test(tc, the_service_is_matched_as_the_acceptor_matches_spns);
    tcase_add_test(tc, another_logon_session_of_the_same_user_gets_another_ticket);
    tcase_add_test(tc, a_credential_keeps_its_logon_session_whose_end_forgets_its_tickets);
    tcase_add_test(tc, past_its_end_time_on_the_virtual_clock_a_new_ticket_is_made);
    tcase_add_test(tc, a_ticket_that_has_not_started_is_not_reused);
    tcase_add_test(tc, a_reset_forgets_every_ticket);
    tcase_add_test(tc, a_domain_load_forgets_every_ticket);
    tcase_add_test(tc, after_the_service_password_changes_the_ticket_is_under_the_new_key);
    tcase_add_test(tc, a_ticket_under_another_service_key_is_not_handed_out);
    tcase_add_test(tc, at_its_bound_the_least_recently_used_ticket_is_forgotten);
    tcase_add_test(tc, a_logon_sessions_tickets_are_listed_and_purged_by_service);
    tcase_add_test(tc, listing_leaves_out_and_forgets_ended_tickets);
    tcase_add_test(tc, with_a_fixed_seed_cached_handshakes_repeat_byte_for_byte);
    tcase_add_test(tc, two_threads_share_the_cache_at_its_bound);
    suite_add_tcase(s, tc);
    return test_run(s);
}
