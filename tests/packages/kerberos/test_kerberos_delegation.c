/* Kerberos delegation (doc/semantics.md §54): ISC_REQ_DELEGATE to a service trusted for delegation forwards the
 * client's TGT in a KRB-CRED inside the authenticator checksum (RFC 4121 4.1.1); the service, impersonating the
 * client, acquires the client's credentials and reaches a back-end as the client (the double hop). To a service
 * not trusted for delegation the request is silently dropped. A service with msDS-AllowedToDelegateTo reaches the
 * listed back ends only, through S4U2Proxy (constrained delegation), and so does the user of an S4U logon when the
 * service is trusted to authenticate for delegation (protocol transition). */
#include <stdio.h>
#include <stdlib.h>

#include "sspi/sspitest.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/bytes.h"
#include "packages/kerberos/krb_cred.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "security/domain_current.h"

#define FRONT "HTTP/front.example.test"
#define PLAIN "HTTP/plain.example.test"
#define BACK "MSSQLSvc/back.example.test"
#define KCD "HTTP/kcd.example.test"
#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define ALICE_SID "S-1-5-21-1000000001-2000000002-3000000003-1104"
/* TicketFlags as klist shows them: forwardable forwarded renewable pre_authent name_canonicalize, and forwardable
 * renewable pre_authent ok_as_delegate name_canonicalize. */
#define FORWARDED_TGT_FLAGS 0x60a10000u
#define OK_AS_DELEGATE_TICKET_FLAGS 0x40a50000u

extern const char fs_default_domain_ini[];

/* The embedded domain and three services: a front end trusted for delegation, one that is not, and a back end;
 * with protect_alice, alice is a member of Protected Users (doc/semantics.md §57). */
static void load_domain_with(int protect_alice)
{
    static const char services[] = "\n[user svc_front]\nrid = 1120\npassword = Fr0nt!pass\n"
                                   "privileges = SeImpersonatePrivilege\n"
                                   "spn = " FRONT "\ntrusted_for_delegation = yes\n"
                                   "\n[user svc_plain]\nrid = 1121\npassword = Pla1n!pass\n"
                                   "privileges = SeImpersonatePrivilege\n"
                                   "spn = " PLAIN "\ntrusted_for_delegation = no\n"
                                   "\n[user svc_back]\nrid = 1122\npassword = B4ck!pass\nspn = " BACK "\n"
                                   "\n[user svc_kcd]\nrid = 1123\npassword = Kcd!pass\n"
                                   "spn = " KCD "\nallowed_to_delegate_to = " BACK ", cifs/other.example.test\n"
                                   "\n[user svc_t2a]\nrid = 1124\npassword = T2a!pass\n"
                                   "privileges = SeTcbPrivilege, SeImpersonatePrivilege\nspn = HTTP/t2a.example.test\n"
                                   "allowed_to_delegate_to = " BACK "\ntrusted_to_auth_for_delegation = yes\n"
                                   "\n[user svc_s4u]\nrid = 1125\npassword = S4u!pass\n"
                                   "privileges = SeTcbPrivilege, SeImpersonatePrivilege\nspn = HTTP/s4u.example.test\n"
                                   "allowed_to_delegate_to = " BACK "\n";
    static const char groups[] = "groups = Domain Users, Engineering\n";
    const char *line = strstr(strstr(fs_default_domain_ini, "[user alice]\n"), groups);
    char text[12288];
    ck_assert_int_lt(snprintf(text, sizeof text, "%.*s%s%s%s%s", (int)(line - fs_default_domain_ini),
                              fs_default_domain_ini,
                              protect_alice ? "groups = Domain Users, Engineering, Protected Users\n" : groups,
                              line + strlen(groups), services,
                              protect_alice ? "\n[group Protected Users]\nrid = 525\n" : ""),
                     (int)sizeof text);
    ck_assert_int_eq(fakesspi_load_domain_text(text, "delegation"), 0);
}

static void load_domain(void) { load_domain_with(0); }

static void setup(void)
{
    load_domain();
    /* The front end runs as its service account, which may impersonate its clients. */
    ck_assert_int_eq(fakesspi_set_process_user("svc_front"), 0);
}

static CredHandle credential(ULONG use, const char *user, const char *password)
{
    CredHandle c;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, "EXAMPLE", password);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", use, NULL, &id, NULL, NULL, &c, NULL), SEC_E_OK);
    return c;
}

struct hop {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    ULONG client_attrs, server_attrs;
    unsigned char ap_req[8192];
    ULONG ap_req_len;
};

/* alice's outbound credential and the inbound one of the service account service. */
static void hop_begin(struct hop *h, const char *service, const char *password)
{
    memset(h, 0, sizeof *h);
    h->client_cred = credential(SECPKG_CRED_OUTBOUND, "alice", "Passw0rd!");
    h->server_cred = credential(SECPKG_CRED_INBOUND, service, password);
}

/* A whole mutual handshake from client_cred to a service running as server_cred. */
static void handshake(struct hop *h, const char *spn, ULONG isc_req)
{
    unsigned char rep[4096], none[16];
    SecBuffer o1 = {sizeof h->ap_req, SECBUFFER_TOKEN, h->ap_req}, o2 = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBuffer o3 = {sizeof none, SECBUFFER_TOKEN, none};
    SecBufferDesc d1 = {SECBUFFER_VERSION, 1, &o1}, d2 = {SECBUFFER_VERSION, 1, &o2}, d3 = {SECBUFFER_VERSION, 1, &o3};
    h->client_attrs = h->server_attrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&h->client_cred, NULL, (SEC_CHAR *)spn, isc_req, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &h->client, &d1, &h->client_attrs,
                                                    NULL),
                         SEC_I_CONTINUE_NEEDED);
    h->ap_req_len = o1.cbBuffer;
    SecBuffer i1 = {o1.cbBuffer, SECBUFFER_TOKEN, h->ap_req};
    SecBufferDesc id1 = {SECBUFFER_VERSION, 1, &i1};
    ck_assert_sec_status(AcceptSecurityContext(&h->server_cred, NULL, &id1, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &h->server, &d2, &h->server_attrs, NULL),
                         SEC_E_OK);
    SecBuffer i2 = {o2.cbBuffer, SECBUFFER_TOKEN, rep};
    SecBufferDesc id2 = {SECBUFFER_VERSION, 1, &i2};
    ck_assert_sec_status(InitializeSecurityContextA(&h->client_cred, &h->client, (SEC_CHAR *)spn, isc_req, 0,
                                                    SECURITY_NATIVE_DREP, &id2, 0, &h->client, &d3, &h->client_attrs,
                                                    NULL),
                         SEC_E_OK);
}

static void hop_free(struct hop *h)
{
    DeleteSecurityContext(&h->client);
    DeleteSecurityContext(&h->server);
    FreeCredentialsHandle(&h->client_cred);
    FreeCredentialsHandle(&h->server_cred);
}

static SECURITY_IMPERSONATION_LEVEL token_level(CtxtHandle *server)
{
    HANDLE token = (HANDLE)0xdeadbeef;
    ck_assert_sec_status(QuerySecurityContextToken(server, &token), SEC_E_OK);
    SECURITY_IMPERSONATION_LEVEL level = (SECURITY_IMPERSONATION_LEVEL)0xdeadbeef;
    DWORD len = 0;
    ck_assert(GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof level, &len));
    ck_assert(CloseHandle(token));
    return level;
}

/* The SID of the user a server context's token is for, as GetTokenInformation(TokenUser) gives it. */
static void token_user(CtxtHandle *server, char *sid, size_t cap)
{
    HANDLE token = (HANDLE)0xdeadbeef;
    ck_assert_sec_status(QuerySecurityContextToken(server, &token), SEC_E_OK);
    union {
        TOKEN_USER user;
        unsigned char bytes[256];
    } u;
    DWORD len = 0;
    ck_assert(GetTokenInformation(token, TokenUser, &u, sizeof u, &len));
    char *text = NULL;
    ck_assert(ConvertSidToStringSidA(u.user.User.Sid, &text));
    snprintf(sid, cap, "%s", text);
    LocalFree(text);
    ck_assert(CloseHandle(token));
}

/* The authenticator of the AP-REQ h's client sent, opened with the service's key as the acceptor opens it. */
static void open_authenticator(const struct hop *h, const char *service, const char *password,
                               struct krb_authenticator *a, struct krb_key *session_key)
{
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(h->ap_req, h->ap_req_len, &tok_id, &inner, &inner_len), 0);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &derr), FS_OK);
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = fs_domain_find_user(d, service);
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->password, password);
    struct krb_key key;
    ck_assert_int_eq(krb_user_key(d, u, r.ticket_etype, &key), FS_OK);
    fs_domain_release();
    struct krb_ticket t;
    ck_assert_int_eq(krb_open_ticket(&r, &key, &t), FS_OK);
    ck_assert_int_eq(krb_open_authenticator(&r, &t.session_key, a), FS_OK);
    *session_key = t.session_key;
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
}

START_TEST(to_a_service_trusted_for_delegation_both_sides_report_delegate)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    ck_assert_uint_eq(h.client_attrs, ISC_RET_DELEGATE | ISC_RET_MUTUAL_AUTH | ISC_RET_REPLAY_DETECT |
                                          ISC_RET_SEQUENCE_DETECT | ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY | ISC_RET_CONNECTION);
    ck_assert_uint_eq(h.server_attrs, ASC_RET_DELEGATE | ASC_RET_MUTUAL_AUTH | ASC_RET_REPLAY_DETECT |
                                          ASC_RET_SEQUENCE_DETECT | ASC_RET_CONFIDENTIALITY | ASC_RET_INTEGRITY |
                                          ASC_RET_CONNECTION);
    SecPkgContext_Flags flags = {0xdeadbeef};
    ck_assert_sec_status(QueryContextAttributesA(&h.server, SECPKG_ATTR_FLAGS, &flags), SEC_E_OK);
    ck_assert_uint_eq(flags.Flags & ASC_RET_DELEGATE, ASC_RET_DELEGATE);
    ck_assert_int_eq(token_level(&h.server), SecurityDelegation);
    hop_free(&h);
}
END_TEST

START_TEST(the_checksum_carries_a_krb_cred_with_a_forwarded_tgt)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct krb_authenticator a;
    struct krb_key session_key;
    open_authenticator(&h, "svc_front", "Fr0nt!pass", &a, &session_key);
    ck_assert_uint_eq(a.gss_flags & GSS_C_DELEG_FLAG, GSS_C_DELEG_FLAG);
    ck_assert_ptr_nonnull(a.deleg);
    ck_assert_uint_eq(a.deleg[0], 0x76); /* [APPLICATION 22]: KRB-CRED */
    struct krb_cred c;
    ck_assert_int_eq(krb_open_cred(a.deleg, a.deleg_len, &session_key, &c), FS_OK); /* key usage 14 */
    char name[128];
    krb_principal_format(&c.pname, name, sizeof name);
    ck_assert_str_eq(name, "alice");
    krb_principal_format(&c.sname, name, sizeof name);
    ck_assert_str_eq(name, "krbtgt/EXAMPLE.TEST");
    ck_assert_str_eq(c.prealm, "EXAMPLE.TEST");
    ck_assert_str_eq(c.srealm, "EXAMPLE.TEST");
    ck_assert_uint_eq(c.flags, FORWARDED_TGT_FLAGS);
    ck_assert_uint_eq(c.endtime - c.starttime, FAKESSPI_SECONDS(10 * 3600));
    /* The ticket is the KDC's: it opens with the krbtgt key and names the same client and key. */
    struct krb_ap_req r;
    ck_assert_int_eq(krb_parse_ticket(c.ticket, c.ticket_len, &r), FS_OK);
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key kdc;
    ck_assert_int_eq(krb_kdc_key(d, r.ticket_etype, &kdc), FS_OK);
    fs_domain_release();
    struct krb_ticket t;
    ck_assert_int_eq(krb_open_ticket(&r, &kdc, &t), FS_OK);
    ck_assert_uint_eq(t.flags, FORWARDED_TGT_FLAGS);
    ck_assert_str_eq(t.cname.parts[0], "alice");
    ck_assert_mem_eq(t.session_key.bytes, c.key.bytes, c.key.len);
    ck_assert_ptr_nonnull(t.pac); /* a Windows TGT carries the PAC */
    krb_ticket_free(&t);
    krb_ap_req_free(&r);
    krb_cred_free(&c);
    krb_authenticator_free(&a);
    hop_free(&h);
}
END_TEST

/* What each side reports when the client asked to delegate but the KDC did not mark the service's ticket
 * OK-AS-DELEGATE: the same statuses, no DELEGATE on either side, and a plain impersonation token. */
START_TEST(to_a_service_not_trusted_for_delegation_the_request_is_silently_dropped)
{
    struct hop h;
    hop_begin(&h, "svc_plain", "Pla1n!pass");
    handshake(&h, PLAIN, MUTUAL | ISC_REQ_DELEGATE);
    ck_assert_uint_eq(h.client_attrs, ISC_RET_MUTUAL_AUTH | ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT |
                                          ISC_RET_CONFIDENTIALITY | ISC_RET_INTEGRITY | ISC_RET_CONNECTION);
    ck_assert_uint_eq(h.server_attrs, ASC_RET_MUTUAL_AUTH | ASC_RET_REPLAY_DETECT | ASC_RET_SEQUENCE_DETECT |
                                          ASC_RET_CONFIDENTIALITY | ASC_RET_INTEGRITY | ASC_RET_CONNECTION);
    ck_assert_int_eq(token_level(&h.server), SecurityImpersonation);
    struct krb_authenticator a;
    struct krb_key session_key;
    open_authenticator(&h, "svc_plain", "Pla1n!pass", &a, &session_key);
    ck_assert_uint_eq(a.gss_flags & GSS_C_DELEG_FLAG, 0);
    ck_assert_ptr_null(a.deleg);
    krb_authenticator_free(&a);
    hop_free(&h);
}
END_TEST

START_TEST(without_isc_req_delegate_nothing_is_forwarded_to_a_trusted_service)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL);
    ck_assert_uint_eq(h.client_attrs & ISC_RET_DELEGATE, 0);
    ck_assert_uint_eq(h.server_attrs & ASC_RET_DELEGATE, 0);
    ck_assert_int_eq(token_level(&h.server), SecurityImpersonation);
    struct krb_authenticator a;
    struct krb_key session_key;
    open_authenticator(&h, "svc_front", "Fr0nt!pass", &a, &session_key);
    ck_assert_ptr_null(a.deleg);
    krb_authenticator_free(&a);
    hop_free(&h);
}
END_TEST

/* The front end, impersonating the client, acquires the default Kerberos credential and authenticates to the back
 * end; the back end's context and token are the client's. */
static void second_hop(CtxtHandle *front, struct hop *back)
{
    ck_assert_sec_status(ImpersonateSecurityContext(front), SEC_E_OK);
    TimeStamp expiry;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &back->client_cred, &expiry),
                         SEC_E_OK);
    ck_assert_sec_status(RevertSecurityContext(front), SEC_E_OK);
    back->server_cred = credential(SECPKG_CRED_INBOUND, "svc_back", "B4ck!pass");
}

START_TEST(the_double_hop_reaches_the_back_end_as_the_client)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    SecPkgCredentials_NamesA cred_name;
    ck_assert_sec_status(QueryCredentialsAttributesA(&back.client_cred, SECPKG_CRED_ATTR_NAMES, &cred_name), SEC_E_OK);
    ck_assert_str_eq(cred_name.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(cred_name.sUserName);
    handshake(&back, BACK, MUTUAL);
    char sid[128];
    token_user(&back.server, sid, sizeof sid);
    ck_assert_str_eq(sid, ALICE_SID);
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&back.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_NativeNamesA native;
    ck_assert_sec_status(QueryContextAttributesA(&back.client, SECPKG_ATTR_NATIVE_NAMES, &native), SEC_E_OK);
    ck_assert_str_eq(native.sClientName, "alice@EXAMPLE.TEST");
    ck_assert_str_eq(native.sServerName, BACK "@EXAMPLE.TEST");
    FreeContextBuffer(native.sClientName);
    FreeContextBuffer(native.sServerName);
    hop_free(&back);
    hop_free(&h);
}
END_TEST

START_TEST(without_delegation_the_impersonated_client_has_no_credentials_at_isc)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL);
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    unsigned char token[4096];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&back.client_cred, NULL, (SEC_CHAR *)BACK, MUTUAL, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &ctx, &outd, &attrs, NULL),
                         SEC_E_NO_CREDENTIALS);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    ck_assert_uint_eq(ctx.dwUpper, 0xdeadbeef);
    FreeCredentialsHandle(&back.client_cred);
    FreeCredentialsHandle(&back.server_cred);
    hop_free(&h);
}
END_TEST

/* The forwarded TGT lives in the client's logon session on the server: a credential acquired there keeps the
 * session, so it still works after the server context is gone; when the last holder goes, the TGT goes too. */
START_TEST(the_delegated_tgt_lives_as_long_as_the_clients_logon_session)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    size_t before = krb_ticket_cache_count();
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    DeleteSecurityContext(&h.server);
    SecInvalidateHandle(&h.server);
    handshake(&back, BACK, MUTUAL);
    ck_assert_uint_eq(krb_ticket_cache_count(), before + 1); /* the back end's ticket, in the same session */
    hop_free(&back);
    ck_assert_uint_eq(krb_ticket_cache_count(), before - 1); /* the session ended: TGT and ticket forgotten */
    hop_free(&h);
}
END_TEST

struct flags_seen {
    uint32_t tgt, own_tgt, front;
    size_t n;
};

static int note_flags(const struct krb_ticket_cache_entry *e, void *arg)
{
    struct flags_seen *seen = arg;
    if (!strcmp(e->server, "krbtgt/EXAMPLE.TEST") && (e->ticket->flags & 0x20000000u)) /* FORWARDED */
        seen->tgt = e->ticket->flags;
    else if (!strcmp(e->server, "krbtgt/EXAMPLE.TEST"))
        seen->own_tgt = e->ticket->flags;
    else if (!strcmp(e->server, FRONT))
        seen->front = e->ticket->flags;
    seen->n++;
    return 0;
}

START_TEST(the_ticket_says_ok_as_delegate_and_the_forwarded_tgt_says_forwarded)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct flags_seen seen = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0};
    ck_assert_uint_eq(krb_ticket_cache_enumerate(0, 1, note_flags, &seen), 3); /* and the client's own TGT */
    ck_assert_uint_eq(seen.front, OK_AS_DELEGATE_TICKET_FLAGS);
    ck_assert_uint_eq(seen.tgt, FORWARDED_TGT_FLAGS);
    ck_assert_uint_eq(seen.own_tgt, 0x40e10000u); /* forwardable renewable initial pre_authent name_canonicalize */
    hop_free(&h);
}
END_TEST

START_TEST(trusted_for_delegation_in_the_domain_file_is_yes_or_no)
{
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = EXAMPLE\ndns = example.test\n"
                                               "sid = S-1-5-21-1-2-3\n[user svc]\nrid = 1200\npassword = x\ntrusted_for_delegation = maybe\n",
                                               "bad"),
                     -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "'trusted_for_delegation' must be yes or no"));
}
END_TEST

/* The first leg of alice to svc_front, as it went on the wire, and then again with the authenticator's delegation
 * replaced by deleg (NULL: none, the flag still set), re-encrypted as a client would: the AP-REQ in out. */
struct forged {
    unsigned char token[8192];
    ULONG len;
};

static void forge_delegation(const struct hop *h, const uint8_t *deleg, size_t deleg_len, int under_subkey,
                             struct forged *out)
{
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(h->ap_req, h->ap_req_len, &tok_id, &inner, &inner_len), 0);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &derr), FS_OK);
    /* The Ticket whole, as the AP-REQ's [3] carries it. */
    struct der d, skip;
    der_init(&d, inner, inner_len, &derr);
    struct der app = der_enter(&d, DER_APP(14));
    struct der seq = der_enter(&app, DER_SEQUENCE);
    for (unsigned n = 0; n < 3; n++)
        ck_assert(der_enter_optional(&seq, (uint8_t)DER_CTX(n), &skip));
    struct der f3 = der_enter(&seq, DER_CTX(3));
    struct der ticket = der_take_raw(&f3, DER_APP(1));
    ck_assert(der_ok(&d));
    struct krb_authenticator a;
    struct krb_key session_key;
    open_authenticator(h, "svc_front", "Fr0nt!pass", &a, &session_key);
    if (under_subkey) { /* the same KRB-CRED, under the initiator's subkey */
        struct krb_cred c;
        ck_assert_int_eq(krb_open_cred(a.deleg, a.deleg_len, &session_key, &c), FS_OK);
        struct fs_writer w;
        fs_writer_init(&w);
        ck_assert_int_eq(krb_build_cred(&c, &a.subkey, &w), FS_OK);
        free(a.deleg);
        a.deleg = w.data;
        a.deleg_len = w.len;
        krb_cred_free(&c);
    } else {
        free(a.deleg);
        a.deleg = deleg ? malloc(deleg_len) : NULL;
        if (deleg)
            memcpy(a.deleg, deleg, deleg_len);
        a.deleg_len = deleg ? deleg_len : 0;
    }
    a.gss_flags |= GSS_C_DELEG_FLAG;
    struct fs_writer auth, req, framed;
    fs_writer_init(&auth);
    fs_writer_init(&req);
    fs_writer_init(&framed);
    ck_assert_int_eq(krb_build_authenticator(&a, &session_key, &auth), FS_OK);
    krb_build_ap_req(r.ap_options, ticket.p, ticket.len, auth.data, auth.len, &req);
    krb_gss_frame(&framed, krb_oid_krb5, KRB_TOK_AP_REQ, req.data, req.len);
    ck_assert(!framed.failed && framed.len <= sizeof out->token);
    memcpy(out->token, framed.data, framed.len);
    out->len = (ULONG)framed.len;
    fs_writer_free(&auth);
    fs_writer_free(&req);
    fs_writer_free(&framed);
    krb_authenticator_free(&a);
    krb_ap_req_free(&r);
}

static SECURITY_STATUS accept_forged(CredHandle *server_cred, struct forged *f, ULONG *attrs, CtxtHandle *ctx)
{
    unsigned char rep[4096];
    SecBuffer in = {f->len, SECBUFFER_TOKEN, f->token}, out = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    ctx->dwLower = ctx->dwUpper = 0xdeadbeef;
    *attrs = 0xdeadbeef;
    return AcceptSecurityContext(server_cred, NULL, &ind, ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP, ctx, &outd,
                                 attrs, NULL);
}

START_TEST(a_krb_cred_that_does_not_parse_is_invalid_token)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    static const uint8_t garbage[] = {0x76, 0x03, 0x02, 0x01, 0x05};
    struct forged f;
    forge_delegation(&h, garbage, sizeof garbage, 0, &f);
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(accept_forged(&h.server_cred, &f, &attrs, &ctx), SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    hop_free(&h);
}
END_TEST

START_TEST(a_krb_cred_forwarding_another_clients_tgt_is_logon_denied)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct krb_authenticator a;
    struct krb_key session_key;
    open_authenticator(&h, "svc_front", "Fr0nt!pass", &a, &session_key);
    struct krb_cred c;
    ck_assert_int_eq(krb_open_cred(a.deleg, a.deleg_len, &session_key, &c), FS_OK);
    krb_principal_free(&c.pname);
    ck_assert_int_eq(krb_principal_from_text("bob", KRB_NT_PRINCIPAL, &c.pname), FS_OK);
    struct fs_writer w;
    fs_writer_init(&w);
    ck_assert_int_eq(krb_build_cred(&c, &session_key, &w), FS_OK);
    struct forged f;
    forge_delegation(&h, w.data, w.len, 0, &f);
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(accept_forged(&h.server_cred, &f, &attrs, &ctx), SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    fs_writer_free(&w);
    krb_cred_free(&c);
    krb_authenticator_free(&a);
    hop_free(&h);
}
END_TEST

START_TEST(a_krb_cred_under_the_initiators_subkey_is_taken)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct forged f;
    forge_delegation(&h, NULL, 0, 1, &f);
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(accept_forged(&h.server_cred, &f, &attrs, &ctx), SEC_E_OK);
    ck_assert_uint_eq(attrs & ASC_RET_DELEGATE, ASC_RET_DELEGATE);
    ck_assert_int_eq(token_level(&ctx), SecurityDelegation);
    DeleteSecurityContext(&ctx);
    hop_free(&h);
}
END_TEST

START_TEST(the_delegation_flag_on_a_24_byte_checksum_delegates_nothing)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct forged f;
    forge_delegation(&h, NULL, 0, 0, &f);
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(accept_forged(&h.server_cred, &f, &attrs, &ctx), SEC_E_OK);
    ck_assert_uint_eq(attrs & ASC_RET_DELEGATE, 0);
    ck_assert_int_eq(token_level(&ctx), SecurityImpersonation);
    DeleteSecurityContext(&ctx);
    hop_free(&h);
}
END_TEST

/* Negotiate picks Kerberos on both hops; the default Negotiate credential of the impersonated client uses the TGT. */
START_TEST(the_double_hop_works_through_negotiate_too)
{
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct hop back;
    memset(&back, 0, sizeof back);
    ck_assert_sec_status(ImpersonateSecurityContext(&h.server), SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &back.client_cred, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(RevertSecurityContext(&h.server), SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("svc_back", "EXAMPLE", "B4ck!pass");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, &id, NULL, NULL,
                                                   &back.server_cred, NULL),
                         SEC_E_OK);
    handshake(&back, BACK, MUTUAL);
    char sid[128];
    token_user(&back.server, sid, sizeof sid);
    ck_assert_str_eq(sid, ALICE_SID);
    SecPkgContext_NegotiationInfoA ni;
    ck_assert_sec_status(QueryContextAttributesA(&back.server, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    ck_assert_str_eq(ni.PackageInfo->Name, "Kerberos");
    FreeContextBuffer(ni.PackageInfo);
    hop_free(&back);
    hop_free(&h);
}
END_TEST

/* Constrained delegation: the client delegates nothing, yet the service allowed to delegate to the back end reaches
 * it as the client (S4U2Proxy with the client's ticket as evidence); to any other service it has no credentials. */
static int count_alice_tgts(const struct krb_ticket_cache_entry *e, void *arg)
{
    if (!strncmp(e->server, "krbtgt/", 7) && !strcmp(e->client, "alice"))
        ++*(size_t *)arg;
    return 0;
}

START_TEST(constrained_delegation_reaches_only_the_allowed_back_end_as_the_client)
{
    struct hop h;
    hop_begin(&h, "svc_kcd", "Kcd!pass");
    handshake(&h, KCD, MUTUAL | ISC_REQ_DELEGATE);
    ck_assert_uint_eq(h.client_attrs & ISC_RET_DELEGATE, 0); /* not trusted for unconstrained delegation */
    ck_assert_uint_eq(h.server_attrs & ASC_RET_DELEGATE, 0);
    ck_assert_int_eq(token_level(&h.server), SecurityImpersonation);
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    handshake(&back, BACK, MUTUAL);
    char sid[128];
    token_user(&back.server, sid, sizeof sid);
    ck_assert_str_eq(sid, ALICE_SID);
    /* S4U2Proxy used the service's TGT: alice's network session, which has no password, got none of hers; her only
     * TGT is the one of her own session (doc/semantics.md §62). */
    size_t tgts = 0;
    krb_ticket_cache_enumerate(0, 1, count_alice_tgts, &tgts);
    ck_assert_uint_eq(tgts, 1);
    /* svc_server's HTTP/ is not in svc_kcd's msDS-AllowedToDelegateTo: the KDC refuses S4U2Proxy. */
    unsigned char token[4096];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&back.client_cred, NULL, (SEC_CHAR *)"HTTP/server.example.test",
                                                    MUTUAL, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx, &outd, &attrs,
                                                    NULL),
                         SEC_E_NO_CREDENTIALS);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    hop_free(&back);
    hop_free(&h);
}
END_TEST

static int count_kcd(const struct krb_ticket_cache_entry *e, void *arg)
{
    if (!strcmp(e->server, KCD) && !strcmp(e->client, "alice"))
        ++*(size_t *)arg;
    return 0;
}

START_TEST(the_evidence_ticket_is_kept_in_the_clients_session_on_the_server)
{
    struct hop h;
    hop_begin(&h, "svc_kcd", "Kcd!pass");
    handshake(&h, KCD, MUTUAL);
    size_t n = 0;
    krb_ticket_cache_enumerate(0, 1, count_kcd, &n);
    ck_assert_uint_eq(n, 2); /* alice's own, and the copy in her network logon's session */
    HANDLE token;
    ck_assert_sec_status(QuerySecurityContextToken(&h.server, &token), SEC_E_OK);
    TOKEN_STATISTICS stats;
    DWORD len;
    ck_assert(GetTokenInformation(token, TokenStatistics, &stats, sizeof stats, &len));
    ck_assert(CloseHandle(token));
    uint64_t session = (uint64_t)stats.AuthenticationId.HighPart << 32 | stats.AuthenticationId.LowPart;
    n = 0;
    krb_ticket_cache_enumerate(session, 0, count_kcd, &n);
    ck_assert_uint_eq(n, 1);
    /* A service without msDS-AllowedToDelegateTo keeps nothing there. */
    struct hop plain;
    hop_begin(&plain, "svc_plain", "Pla1n!pass");
    handshake(&plain, PLAIN, MUTUAL);
    size_t before = krb_ticket_cache_count();
    DeleteSecurityContext(&plain.server);
    SecInvalidateHandle(&plain.server);
    ck_assert_uint_eq(krb_ticket_cache_count(), before);
    hop_free(&plain);
    hop_free(&h);
}
END_TEST

START_TEST(allowed_to_delegate_to_in_the_domain_file_is_a_list_of_spns)
{
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = EXAMPLE\ndns = example.test\n"
                                               "sid = S-1-5-21-1-2-3\n[user svc]\nrid = 1200\npassword = x\n"
                                               "allowed_to_delegate_to = MSSQLSvc/db, alice\n",
                                               "bad"),
                     -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "user 'svc': 'alice' is not an SPN"));
}
END_TEST

/* LsaLogonUser with KERB_S4U_LOGON for alice, by a logon process running as service (SeTcbPrivilege enabled): an
 * impersonation token, without alice's password. */
static HANDLE s4u_logon_of_alice(const char *service)
{
    ck_assert_int_eq(fakesspi_set_process_user(service), 0);
    HANDLE self;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &self));
    TOKEN_PRIVILEGES tp = {1, {{{0, 0}, SE_PRIVILEGE_ENABLED}}};
    ck_assert(LookupPrivilegeValueA(NULL, "SeTcbPrivilege", &tp.Privileges[0].Luid));
    ck_assert(AdjustTokenPrivileges(self, FALSE, &tp, 0, NULL, NULL));
    ck_assert(CloseHandle(self));
    char origin_text[] = "delegation", package_text[] = "Kerberos";
    LSA_STRING origin = {sizeof origin_text - 1, sizeof origin_text, origin_text};
    LSA_STRING package_name = {sizeof package_text - 1, sizeof package_text, package_text};
    HANDLE lsa = NULL;
    LSA_OPERATIONAL_MODE mode;
    ck_assert_nt(LsaRegisterLogonProcess(&origin, &lsa, &mode), STATUS_SUCCESS);
    ULONG package = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &package_name, &package), STATUS_SUCCESS);
    static const WCHAR upn[] = u"alice";
    union {
        KERB_S4U_LOGON s4u;
        BYTE bytes[256];
    } sub;
    memset(&sub, 0, sizeof sub);
    sub.s4u.MessageType = KerbS4ULogon;
    sub.s4u.ClientUpn.Buffer = (PWSTR)(sub.bytes + sizeof sub.s4u);
    sub.s4u.ClientUpn.Length = sub.s4u.ClientUpn.MaximumLength = sizeof upn - sizeof(WCHAR);
    memcpy(sub.bytes + sizeof sub.s4u, upn, sizeof upn);
    TOKEN_SOURCE source = {{'d', 'e', 'l', 'e', 'g', ' ', ' ', ' '}, {1, 0}};
    PVOID profile = NULL;
    ULONG profile_len;
    LUID luid;
    HANDLE token = (HANDLE)0xdeadbeef;
    QUOTA_LIMITS quotas;
    NTSTATUS sub_status;
    ck_assert_nt(LsaLogonUser(lsa, &origin, Network, package, &sub, (ULONG)(sizeof sub.s4u + sizeof upn), NULL, &source,
                              &profile, &profile_len, &luid, &token, &quotas, &sub_status),
                 STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD len;
    ck_assert(GetTokenInformation(token, TokenImpersonationLevel, &level, sizeof level, &len));
    ck_assert_int_eq(level, SecurityImpersonation);
    return token;
}

/* The default Kerberos credential while impersonating token. */
static CredHandle credential_of(HANDLE token)
{
    CredHandle c;
    ck_assert(ImpersonateLoggedOnUser(token));
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c,
                                                   NULL),
                         SEC_E_OK);
    ck_assert(RevertToSelf());
    return c;
}

START_TEST(protocol_transition_reaches_the_allowed_back_end_as_the_s4u_user)
{
    HANDLE token = s4u_logon_of_alice("svc_t2a");
    struct hop back;
    memset(&back, 0, sizeof back);
    back.client_cred = credential_of(token);
    back.server_cred = credential(SECPKG_CRED_INBOUND, "svc_back", "B4ck!pass");
    handshake(&back, BACK, MUTUAL);
    char sid[128];
    token_user(&back.server, sid, sizeof sid);
    ck_assert_str_eq(sid, ALICE_SID);
    hop_free(&back);
    ck_assert(CloseHandle(token));
}
END_TEST

/* Without TRUSTED_TO_AUTH_FOR_DELEGATION the S4U2Self ticket is not forwardable: the KDC refuses S4U2Proxy. */
START_TEST(without_protocol_transition_the_s4u_user_has_no_credentials)
{
    HANDLE token = s4u_logon_of_alice("svc_s4u");
    CredHandle cred = credential_of(token);
    unsigned char out_token[4096];
    SecBuffer out = {sizeof out_token, SECBUFFER_TOKEN, out_token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)BACK, MUTUAL, 0, SECURITY_NATIVE_DREP, NULL,
                                                    0, &ctx, &outd, &attrs, NULL),
                         SEC_E_NO_CREDENTIALS);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    FreeCredentialsHandle(&cred);
    ck_assert(CloseHandle(token));
}
END_TEST

/* ---- Protected Users (doc/semantics.md §57): the KDC marks none of their tickets forwardable ---- */

static void protect_alice(void)
{
    load_domain_with(1);
    ck_assert_int_eq(fakesspi_set_process_user("svc_front"), 0);
}

/* InitializeSecurityContext's first leg from cred to spn: the status, with no context made on failure. */
static SECURITY_STATUS first_leg(CredHandle *cred, const char *spn)
{
    unsigned char out_token[4096];
    SecBuffer out = {sizeof out_token, SECBUFFER_TOKEN, out_token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    SECURITY_STATUS status = InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)spn, MUTUAL, 0, SECURITY_NATIVE_DREP,
                                                        NULL, 0, &ctx, &outd, &attrs, NULL);
    if (SEC_SUCCESS(status))
        ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    else
        ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    return status;
}

/* The forwarded TGT ends with the client's TGT, and the impersonated client's credential with it; past its end the
 * front end's session has no password to get another: SEC_E_NO_CREDENTIALS (doc/semantics.md §62). */
START_TEST(past_the_forwarded_tgts_end_the_impersonated_client_has_no_credentials)
{
    LONGLONG t0 = (LONGLONG)fakesspi_clock_now();
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    ck_assert_sec_status(first_leg(&h.client_cred, "HTTP/server.example.test"), SEC_I_CONTINUE_NEEDED); /* the TGT */
    fakesspi_clock_advance(FAKESSPI_SECONDS(3600)); /* forwarded an hour later: it still ends with the TGT */
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    ck_assert_sec_status(ImpersonateSecurityContext(&h.server), SEC_E_OK);
    CredHandle cred;
    TimeStamp expiry;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                                   &cred, &expiry),
                         SEC_E_OK);
    ck_assert_sec_status(RevertSecurityContext(&h.server), SEC_E_OK);
    ck_assert_int_eq(expiry.QuadPart, t0 + FAKESSPI_SECONDS(10 * 3600)); /* the TGT's end, not ten hours from now */
    fakesspi_clock_advance(FAKESSPI_SECONDS(9 * 3600) - 1);
    ck_assert_sec_status(first_leg(&cred, BACK), SEC_I_CONTINUE_NEEDED);
    fakesspi_clock_advance(1);
    ck_assert_sec_status(first_leg(&cred, BACK), SEC_E_NO_CREDENTIALS);
    FreeCredentialsHandle(&cred);
    hop_free(&h);
}
END_TEST

START_TEST(a_protected_user_delegates_nothing_to_a_service_trusted_for_delegation)
{
    protect_alice();
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    ck_assert_uint_eq(h.client_attrs & ISC_RET_DELEGATE, 0);
    ck_assert_uint_eq(h.server_attrs & ASC_RET_DELEGATE, 0);
    ck_assert_int_eq(token_level(&h.server), SecurityImpersonation);
    /* The front end, impersonating her, has no TGT of hers to go on with. */
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    ck_assert_sec_status(first_leg(&back.client_cred, BACK), SEC_E_NO_CREDENTIALS);
    hop_free(&back);
    hop_free(&h);
}
END_TEST

START_TEST(a_protected_users_ticket_is_no_evidence_for_constrained_delegation)
{
    protect_alice();
    struct hop h;
    hop_begin(&h, "svc_kcd", "Kcd!pass");
    handshake(&h, KCD, MUTUAL);
    struct hop back;
    memset(&back, 0, sizeof back);
    second_hop(&h.server, &back);
    /* BACK is in svc_kcd's list, but her ticket is not forwardable: KDC_ERR_BADOPTION (MS-SFU 3.2.5.2.1). */
    ck_assert_sec_status(first_leg(&back.client_cred, BACK), SEC_E_NO_CREDENTIALS);
    hop_free(&back);
    hop_free(&h);
}
END_TEST

START_TEST(protocol_transition_does_not_reach_the_back_end_as_a_protected_user)
{
    protect_alice();
    HANDLE token = s4u_logon_of_alice("svc_t2a");
    CredHandle cred = credential_of(token);
    ck_assert_sec_status(first_leg(&cred, BACK), SEC_E_NO_CREDENTIALS);
    FreeCredentialsHandle(&cred);
    ck_assert(CloseHandle(token));
}
END_TEST

static int note_front_ticket(const struct krb_ticket_cache_entry *e, void *arg)
{
    if (!strcmp(e->server, FRONT))
        *(struct krb_cached_ticket *)arg = *e->ticket;
    return 0;
}

START_TEST(a_protected_users_ticket_is_not_forwardable_and_ends_and_renews_within_four_hours)
{
    protect_alice();
    struct hop h;
    hop_begin(&h, "svc_front", "Fr0nt!pass");
    handshake(&h, FRONT, MUTUAL | ISC_REQ_DELEGATE);
    struct krb_cached_ticket t;
    memset(&t, 0, sizeof t);
    ck_assert_uint_eq(krb_ticket_cache_enumerate(0, 1, note_front_ticket, &t), 2); /* alice's TGT, no forwarded one */
    ck_assert_uint_eq(t.flags, OK_AS_DELEGATE_TICKET_FLAGS & ~0x40000000u); /* as ever, less forwardable */
    ck_assert_uint_eq(t.endtime - t.authtime, 4ull * 3600 * 10000000);
    ck_assert_uint_eq(t.renew_till, t.endtime);
    explicit_bzero(&t, sizeof t);
    hop_free(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kerberos/delegation");
    TCase *tc = test_case("delegation");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, to_a_service_trusted_for_delegation_both_sides_report_delegate);
    tcase_add_test(tc, the_checksum_carries_a_krb_cred_with_a_forwarded_tgt);
    tcase_add_test(tc, to_a_service_not_trusted_for_delegation_the_request_is_silently_dropped);
    tcase_add_test(tc, without_isc_req_delegate_nothing_is_forwarded_to_a_trusted_service);
    tcase_add_test(tc, the_double_hop_reaches_the_back_end_as_the_client);
    tcase_add_test(tc, without_delegation_the_impersonated_client_has_no_credentials_at_isc);
    tcase_add_test(tc, the_delegated_tgt_lives_as_long_as_the_clients_logon_session);
    tcase_add_test(tc, the_ticket_says_ok_as_delegate_and_the_forwarded_tgt_says_forwarded);
    tcase_add_test(tc, trusted_for_delegation_in_the_domain_file_is_yes_or_no);
    tcase_add_test(tc, a_krb_cred_that_does_not_parse_is_invalid_token);
    tcase_add_test(tc, a_krb_cred_forwarding_another_clients_tgt_is_logon_denied);
    tcase_add_test(tc, a_krb_cred_under_the_initiators_subkey_is_taken);
    tcase_add_test(tc, the_delegation_flag_on_a_24_byte_checksum_delegates_nothing);
    tcase_add_test(tc, the_double_hop_works_through_negotiate_too);
    tcase_add_test(tc, constrained_delegation_reaches_only_the_allowed_back_end_as_the_client);
    tcase_add_test(tc, the_evidence_ticket_is_kept_in_the_clients_session_on_the_server);
    tcase_add_test(tc, allowed_to_delegate_to_in_the_domain_file_is_a_list_of_spns);
    tcase_add_test(tc, protocol_transition_reaches_the_allowed_back_end_as_the_s4u_user);
    tcase_add_test(tc, without_protocol_transition_the_s4u_user_has_no_credentials);
    tcase_add_test(tc, past_the_forwarded_tgts_end_the_impersonated_client_has_no_credentials);
    tcase_add_test(tc, a_protected_user_delegates_nothing_to_a_service_trusted_for_delegation);
    tcase_add_test(tc, a_protected_users_ticket_is_no_evidence_for_constrained_delegation);
    tcase_add_test(tc, protocol_transition_does_not_reach_the_back_end_as_a_protected_user);
    tcase_add_test(tc, a_protected_users_ticket_is_not_forwardable_and_ends_and_renews_within_four_hours);
    suite_add_tcase(s, tc);
    return test_run(s);
}
