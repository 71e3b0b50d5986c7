/* The Kerberos package through SSPI: legs and statuses with and without mutual authentication, the
 * server's token, message protection, and each refusal (doc/semantics.md §9, RFC 4120 3.2.3). */
#include "sspi/sspitest.h"
#include "core/bytes.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_replay.h"
#include "security/domain_current.h"

#define SPN "HTTP/server.example.test"

struct krb {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    ULONG client_attrs, server_attrs;
    unsigned char ap_req[4096], ap_rep[4096];
    ULONG ap_req_len, ap_rep_len;
};

static void krb_credentials(struct krb *k, const char *user, const char *password)
{
    kerberos_credential(user, password, SECPKG_CRED_OUTBOUND, &k->client_cred);
    /* The service runs as the account that owns SPN (doc/semantics.md §41). */
    kerberos_credential("svc_server", "S3rv1ce!pass", SECPKG_CRED_INBOUND, &k->server_cred);
}

static SECURITY_STATUS krb_isc(struct krb *k, const char *target, ULONG req)
{
    SecBuffer out = {sizeof k->ap_req, SECBUFFER_TOKEN, k->ap_req};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = InitializeSecurityContextA(&k->client_cred, NULL, (SEC_CHAR *)target, req, 0,
                                                    SECURITY_NATIVE_DREP, NULL, 0, &k->client, &outd,
                                                    &k->client_attrs, NULL);
    k->ap_req_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS krb_asc(struct krb *k, const unsigned char *token, ULONG len)
{
    SecBuffer in = {len, SECBUFFER_TOKEN, (void *)token}, out = {sizeof k->ap_rep, SECBUFFER_TOKEN, k->ap_rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = AcceptSecurityContext(&k->server_cred, NULL, &ind, ASC_REQ_CONFIDENTIALITY, SECURITY_NATIVE_DREP,
                                               &k->server, &outd, &k->server_attrs, NULL);
    k->ap_rep_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS krb_isc_reply(struct krb *k, ULONG req)
{
    unsigned char none[16];
    SecBuffer in = {k->ap_rep_len, SECBUFFER_TOKEN, k->ap_rep}, out = {sizeof none, SECBUFFER_TOKEN, none};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS st = InitializeSecurityContextA(&k->client_cred, &k->client, (SEC_CHAR *)SPN, req, 0,
                                                    SECURITY_NATIVE_DREP, &ind, 0, &k->client, &outd,
                                                    &k->client_attrs, NULL);
    if (st == SEC_E_OK)
        ck_assert_uint_eq(out.cbBuffer, 0);
    return st;
}

static void krb_free(struct krb *k)
{
    DeleteSecurityContext(&k->client);
    DeleteSecurityContext(&k->server);
    FreeCredentialsHandle(&k->client_cred);
    FreeCredentialsHandle(&k->server_cred);
}

#define MUTUAL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

/* The full exchange with mutual authentication: two client legs, one server leg. */
static void krb_mutual(struct krb *k)
{
    krb_credentials(k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(krb_asc(k, k->ap_req, k->ap_req_len), SEC_E_OK);
    ck_assert_uint_gt(k->ap_rep_len, 0);
    ck_assert_sec_status(krb_isc_reply(k, MUTUAL), SEC_E_OK);
}

START_TEST(without_mutual_auth_the_handshake_is_one_leg)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, ISC_REQ_CONFIDENTIALITY), SEC_E_OK);
    /* GSS framing: [APPLICATION 0], the Kerberos OID, TOK_ID 01 00 (AP-REQ), then [APPLICATION 14]. */
    ck_assert_uint_eq(k.ap_req[0], 0x60);
    static const unsigned char oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00};
    size_t hdr = k.ap_req[1] & 0x80 ? 2 + (k.ap_req[1] & 0x7f) : 2;
    ck_assert(!memcmp(k.ap_req + hdr, oid, sizeof oid));
    ck_assert_uint_eq(k.ap_req[hdr + sizeof oid], 0x6e);
    ck_assert_uint_eq(k.client_attrs & ISC_RET_MUTUAL_AUTH, 0);
    ck_assert_sec_status(krb_asc(&k, k.ap_req, k.ap_req_len), SEC_E_OK);
    ck_assert_uint_eq(k.ap_rep_len, 0);
    ck_assert(k.server_attrs & ASC_RET_CONFIDENTIALITY);
    krb_free(&k);
}
END_TEST

START_TEST(with_mutual_auth_the_server_answers_and_the_client_checks_it)
{
    struct krb k;
    krb_mutual(&k);
    ck_assert(k.client_attrs & ISC_RET_MUTUAL_AUTH);
    ck_assert(k.server_attrs & ASC_RET_MUTUAL_AUTH);
    /* The AP-REP is framed with TOK_ID 02 00. */
    ck_assert_uint_eq(k.ap_rep[0], 0x60);
    ck_assert_uint_eq(k.ap_rep[2 + 11], 0x02);
    /* A finished context takes no more legs. */
    ck_assert_sec_status(krb_isc_reply(&k, MUTUAL), SEC_E_OUT_OF_SEQUENCE);
    krb_free(&k);
}
END_TEST

START_TEST(the_server_token_is_the_clients_with_kerberos_groups)
{
    struct krb k;
    krb_mutual(&k);
    SecPkgContext_AccessToken at;
    ck_assert_sec_status(QueryContextAttributesA(&k.server, SECPKG_ATTR_ACCESS_TOKEN, &at), SEC_E_OK);
    BOOL member = FALSE;
    PSID sid = NULL;
    ck_assert(ConvertStringSidToSidA("S-1-5-21-1000000001-2000000002-3000000003-1200", &sid)); /* Engineering */
    ck_assert(CheckTokenMembership(at.AccessToken, sid, &member));
    ck_assert(member);
    LocalFree(sid);
    ck_assert(ConvertStringSidToSidA("S-1-18-1", &sid)); /* authority asserted identity */
    ck_assert(CheckTokenMembership(at.AccessToken, sid, &member));
    ck_assert(member);
    LocalFree(sid);
    ck_assert(ConvertStringSidToSidA("S-1-5-64-10", &sid)); /* not NTLM's */
    ck_assert(CheckTokenMembership(at.AccessToken, sid, &member));
    ck_assert(!member);
    LocalFree(sid);
    TOKEN_SOURCE source;
    DWORD len;
    ck_assert(GetTokenInformation(at.AccessToken, TokenSource, &source, sizeof source, &len));
    ck_assert(!memcmp(source.SourceName, "Kerberos", 8));
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&k.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    ck_assert_sec_status(ImpersonateSecurityContext(&k.server), SEC_E_OK);
    char user[64];
    DWORD n = sizeof user;
    ck_assert(GetUserNameA(user, &n));
    ck_assert_str_eq(user, "alice");
    ck_assert_sec_status(RevertSecurityContext(&k.server), SEC_E_OK);
    krb_free(&k);
}
END_TEST

START_TEST(package_info_and_sizes_are_windows_values)
{
    PSecPkgInfoA info;
    ck_assert_sec_status(QuerySecurityPackageInfoA("kerberos", &info), SEC_E_OK);
    ck_assert_str_eq(info->Name, "Kerberos");
    ck_assert_uint_eq(info->wRPCID, 16);
    ck_assert_uint_eq(info->cbMaxToken, 48000);
    ck_assert_uint_eq(info->fCapabilities, 0x8F3BBF);
    FreeContextBuffer(info);
    struct krb k;
    krb_mutual(&k);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(&k.client, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbMaxToken, 48000);
    ck_assert_uint_eq(sizes.cbMaxSignature, 28);
    ck_assert_uint_eq(sizes.cbBlockSize, 1);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, 60);
    SecPkgContext_SessionKey key;
    ck_assert_sec_status(QueryContextAttributesA(&k.client, SECPKG_ATTR_SESSION_KEY, &key), SEC_E_OK);
    SecPkgContext_SessionKey skey;
    ck_assert_sec_status(QueryContextAttributesA(&k.server, SECPKG_ATTR_SESSION_KEY, &skey), SEC_E_OK);
    ck_assert_uint_eq(key.SessionKeyLength, 32); /* the acceptor's AES-256 subkey, on both sides */
    ck_assert_uint_eq(skey.SessionKeyLength, 32);
    ck_assert(!memcmp(key.SessionKey, skey.SessionKey, 32));
    FreeContextBuffer(key.SessionKey);
    FreeContextBuffer(skey.SessionKey);
    krb_free(&k);
}
END_TEST

static SECURITY_STATUS seal(CtxtHandle *ctx, char *data, ULONG len, unsigned char *trailer)
{
    SecBuffer b[2] = {{60, SECBUFFER_TOKEN, trailer}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    return EncryptMessage(ctx, 0, &d, 0);
}

static SECURITY_STATUS unseal(CtxtHandle *ctx, char *data, ULONG len, unsigned char *trailer)
{
    SecBuffer b[2] = {{60, SECBUFFER_TOKEN, trailer}, {len, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0;
    return DecryptMessage(ctx, &d, 0, &qop);
}

START_TEST(sealed_messages_travel_both_ways_and_damage_is_caught)
{
    struct krb k;
    krb_mutual(&k);
    unsigned char trailer[60];
    char msg[] = "the quarterly numbers";
    ck_assert_sec_status(seal(&k.client, msg, sizeof msg, trailer), SEC_E_OK);
    ck_assert(memcmp(msg, "the quarterly numbers", sizeof msg));
    /* RFC 4121 Wrap header: 05 04, flags sealed|acceptor subkey, filler, EC 0, RRC 28 */
    static const unsigned char hdr[] = {0x05, 0x04, 0x06, 0xff, 0x00, 0x00, 0x00, 0x1c};
    ck_assert(!memcmp(trailer, hdr, sizeof hdr));
    char copy[sizeof msg];
    unsigned char trailer_copy[60];
    memcpy(copy, msg, sizeof msg);
    memcpy(trailer_copy, trailer, 60);
    copy[3] ^= 1;
    ck_assert_sec_status(unseal(&k.server, copy, sizeof copy, trailer_copy), SEC_E_MESSAGE_ALTERED);
    ck_assert_sec_status(unseal(&k.server, msg, sizeof msg, trailer), SEC_E_OK);
    ck_assert_str_eq(msg, "the quarterly numbers");

    char reply[] = "received";
    ck_assert_sec_status(seal(&k.server, reply, sizeof reply, trailer), SEC_E_OK);
    ck_assert_uint_eq(trailer[2], 0x07); /* and sent by the acceptor */
    memcpy(copy, reply, sizeof reply);
    memcpy(trailer_copy, trailer, 60);
    ck_assert_sec_status(unseal(&k.client, reply, sizeof reply, trailer), SEC_E_OK);
    ck_assert_str_eq(reply, "received");
    /* The same message again is out of sequence. */
    ck_assert_sec_status(unseal(&k.client, copy, sizeof reply, trailer_copy), SEC_E_OUT_OF_SEQUENCE);
    krb_free(&k);
}
END_TEST

START_TEST(signatures_are_rfc4121_mic_tokens)
{
    struct krb k;
    krb_mutual(&k);
    char msg[] = "sign me";
    unsigned char sig[28];
    SecBuffer b[2] = {{sizeof msg, SECBUFFER_DATA, msg}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(&k.client, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(b[1].cbBuffer, 28);
    static const unsigned char hdr[] = {0x04, 0x04, 0x04, 0xff, 0xff, 0xff, 0xff, 0xff};
    ck_assert(!memcmp(sig, hdr, sizeof hdr));
    ULONG qop;
    msg[0] = 'S';
    ck_assert_sec_status(VerifySignature(&k.server, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    msg[0] = 's';
    ck_assert_sec_status(VerifySignature(&k.server, &d, 0, &qop), SEC_E_OK);
    /* The client cannot verify its own signature: the direction is in the key usage and flags. */
    ck_assert_sec_status(MakeSignature(&k.client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(VerifySignature(&k.client, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    krb_free(&k);
}
END_TEST

/* Ten buffers: the MIC covers them in order; and an allocation failure on the way is reported as
 * such, not as a signature that cannot verify, and spends no sequence number. */
START_TEST(a_signature_over_many_buffers_and_a_failed_allocation)
{
    struct krb k;
    krb_mutual(&k);
    char parts[10][4];
    memset(parts, 0, sizeof parts); /* every byte signed is a defined one */
    unsigned char sig[28];
    SecBuffer b[11];
    for (int i = 0; i < 10; i++) {
        snprintf(parts[i], sizeof parts[i], "p%d", i);
        b[i] = (SecBuffer){sizeof parts[i], SECBUFFER_DATA, parts[i]};
    }
    b[10] = (SecBuffer){sizeof sig, SECBUFFER_TOKEN, sig};
    SecBufferDesc d = {SECBUFFER_VERSION, 11, b};
    ULONG qop;
    fakesspi_fault_alloc(3); /* two for the parts list, then the checksum's own */
    ck_assert_sec_status(MakeSignature(&k.client, 0, &d, 0), SEC_E_INSUFFICIENT_MEMORY);
    fakesspi_fault_clear();
    ck_assert_sec_status(MakeSignature(&k.client, 0, &d, 0), SEC_E_OK);
    fakesspi_fault_alloc(3);
    ck_assert_sec_status(VerifySignature(&k.server, &d, 0, &qop), SEC_E_INSUFFICIENT_MEMORY);
    fakesspi_fault_clear();
    ck_assert_sec_status(VerifySignature(&k.server, &d, 0, &qop), SEC_E_OK);
    parts[9][0] = 'P';
    ck_assert_sec_status(MakeSignature(&k.client, 0, &d, 0), SEC_E_OK);
    parts[3][0] = 'P';
    ck_assert_sec_status(VerifySignature(&k.server, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    krb_free(&k);
}
END_TEST

START_TEST(an_unregistered_spn_is_target_unknown_and_makes_no_context)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    k.client.dwLower = k.client.dwUpper = 0x77;
    ck_assert_sec_status(krb_isc(&k, "HTTP/elsewhere.example.test", MUTUAL), SEC_E_TARGET_UNKNOWN);
    ck_assert_uint_eq(k.client.dwUpper, 0x77);
    ck_assert_sec_status(krb_isc(&k, NULL, MUTUAL), SEC_E_TARGET_UNKNOWN);
    ck_assert_sec_status(krb_isc(&k, SPN "@OTHER.REALM", MUTUAL), SEC_E_TARGET_UNKNOWN);
    /* Case does not matter, the realm may be named. */
    ck_assert_sec_status(krb_isc(&k, "http/SERVER.example.test@EXAMPLE.TEST", ISC_REQ_CONFIDENTIALITY), SEC_E_OK);
    DeleteSecurityContext(&k.client);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(a_wrong_password_is_logon_denied_at_the_client)
{
    struct krb k;
    krb_credentials(&k, "alice", "not her password");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(clocks_more_than_five_minutes_apart_are_time_skew)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    fakesspi_clock_advance(301ll * 10000000);
    ck_assert_sec_status(krb_asc(&k, k.ap_req, k.ap_req_len), SEC_E_TIME_SKEW);
    fakesspi_clock_advance(-2ll * 10000000); /* 4:59 is within the skew */
    ck_assert_sec_status(krb_asc(&k, k.ap_req, k.ap_req_len), SEC_E_OK);
    krb_free(&k);
}
END_TEST

START_TEST(a_replayed_ap_req_is_refused)
{
    struct krb k;
    krb_mutual(&k);
    CtxtHandle second;
    SecBuffer in = {k.ap_req_len, SECBUFFER_TOKEN, k.ap_req}, out = {sizeof k.ap_rep, SECBUFFER_TOKEN, k.ap_rep};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    memset(k.ap_rep, 0xaa, sizeof k.ap_rep);
    fakesspi_snapshot before;
    fakesspi_snapshot_take(&before);
    ck_assert_sec_status(AcceptSecurityContext(&k.server_cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, &second, &outd,
                                               &attrs, NULL),
                         SEC_E_LOGON_DENIED);
    /* The refused leg wrote nothing into the caller's buffer... */
    ck_assert_uint_eq(out.cbBuffer, sizeof k.ap_rep);
    for (size_t i = 0; i < sizeof k.ap_rep; i++)
        ck_assert_uint_eq(k.ap_rep[i], 0xaa);
    /* ...and under ALLOCATE_MEMORY allocated nothing the caller would have had to free. */
    out = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
    ck_assert_sec_status(AcceptSecurityContext(&k.server_cred, NULL, &ind, ASC_REQ_ALLOCATE_MEMORY,
                                               SECURITY_NATIVE_DREP, &second, &outd, &attrs, NULL),
                         SEC_E_LOGON_DENIED);
    ck_assert_ptr_null(out.pvBuffer);
    ck_assert_uint_eq(out.cbBuffer, 0);
    char *report = fakesspi_check_since(&before);
    ck_assert_msg(!report, "%s", report);
    krb_free(&k);
}
END_TEST

START_TEST(a_ticket_under_an_old_key_is_wrong_principal)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    /* The service account's password changes between the ticket and its use. */
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = EXAMPLE\ndns = example.test\n"
                                               "sid = S-1-5-21-1000000001-2000000002-3000000003\ncomputer = SERVER\n"
                                               "[group Domain Users]\nrid = 513\n"
                                               "[user alice]\nrid = 1104\npassword = Passw0rd!\ngroups = Domain Users\n"
                                               "[user svc_server]\nrid = 1106\npassword = changed\n"
                                               "groups = Domain Users\nspn = " SPN "\n",
                                               "rotated"),
                     0);
    ck_assert_sec_status(krb_asc(&k, k.ap_req, k.ap_req_len), SEC_E_WRONG_PRINCIPAL);
    DeleteSecurityContext(&k.client);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(contexts_expire_with_the_ticket_on_the_virtual_clock)
{
    struct krb k;
    krb_mutual(&k);
    SecPkgContext_Lifespan life;
    ck_assert_sec_status(QueryContextAttributesA(&k.server, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    ck_assert_int_eq(life.tsExpiry.QuadPart - (LONGLONG)fakesspi_clock_now(), 10ll * 3600 * 10000000);
    unsigned char trailer[60];
    char msg[] = "late";
    fakesspi_clock_advance(10ll * 3600 * 10000000 - 1);
    ck_assert_sec_status(seal(&k.client, msg, sizeof msg, trailer), SEC_E_OK);
    fakesspi_clock_advance(1);
    ck_assert_sec_status(seal(&k.client, msg, sizeof msg, trailer), SEC_E_CONTEXT_EXPIRED);
    ck_assert_sec_status(unseal(&k.server, msg, sizeof msg, trailer), SEC_E_CONTEXT_EXPIRED);
    krb_free(&k);
}
END_TEST

/* doc/testing.md's "Pin time" recipes, the doc's text byte for byte (tests/tree/check_testing_recipes.sh). */
START_TEST(recipe_a_context_expires_with_its_ticket)
{
    struct krb k;
    krb_mutual(&k);
    CtxtHandle client = k.client;
    char text[] = "late";
    unsigned char trailer[60];
    SecBuffer parts[2] = {{sizeof text, SECBUFFER_DATA, text}, {sizeof trailer, SECBUFFER_TOKEN, trailer}};
    SecBufferDesc message = {SECBUFFER_VERSION, 2, parts};
    /* recipe: clock-expiry */
    /* a Kerberos handshake to HTTP/server.example.test done: client and server contexts in hand */
    fakesspi_clock_advance(FAKESSPI_SECONDS(10 * 3600));
    ck_assert_sec_status(EncryptMessage(&client, 0, &message, 0), SEC_E_CONTEXT_EXPIRED);
    /* end of recipe */
    krb_free(&k);
}
END_TEST

START_TEST(recipe_an_ap_req_six_minutes_late_is_time_skew)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    CredHandle server_cred = k.server_cred;
    CtxtHandle server = {0xdeadbeef, 0xdeadbeef};
    SecBuffer in = {k.ap_req_len, SECBUFFER_TOKEN, k.ap_req}, reply = {sizeof k.ap_rep, SECBUFFER_TOKEN, k.ap_rep};
    SecBufferDesc ap_req = {SECBUFFER_VERSION, 1, &in}, out = {SECBUFFER_VERSION, 1, &reply};
    ULONG attrs;
    /* recipe: clock-skew */
    /* the client's first leg made an AP-REQ; the server takes it six minutes later */
    fakesspi_clock_advance(FAKESSPI_SECONDS(6 * 60));
    ck_assert_sec_status(AcceptSecurityContext(&server_cred, NULL, &ap_req, 0, SECURITY_NATIVE_DREP, &server,
                                               &out, &attrs, NULL),
                         SEC_E_TIME_SKEW);
    /* end of recipe */
    ck_assert_uint_eq(server.dwLower, 0xdeadbeef); /* no context was made */
    DeleteSecurityContext(&k.client);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(garbage_and_ntlm_tokens_are_invalid_token)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    static const unsigned char ntlm[] = "NTLMSSP\0\1\0\0\0\x07\x82\x08\xa2";
    ck_assert_sec_status(krb_asc(&k, ntlm, sizeof ntlm), SEC_E_INVALID_TOKEN);
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    /* Every truncation of a good AP-REQ is refused cleanly. */
    for (ULONG n = 0; n < k.ap_req_len; n += 7)
        ck_assert_sec_status(krb_asc(&k, k.ap_req, n), SEC_E_INVALID_TOKEN);
    DeleteSecurityContext(&k.client);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(a_forged_ap_rep_fails_mutual_authentication)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    /* An AP-REP from another exchange: encrypted in another session key. */
    struct krb other;
    krb_mutual(&other);
    memcpy(k.ap_rep, other.ap_rep, other.ap_rep_len);
    k.ap_rep_len = other.ap_rep_len;
    ck_assert_sec_status(krb_isc_reply(&k, MUTUAL), SEC_E_MUTUAL_AUTH_FAILED);
    krb_free(&other);
    DeleteSecurityContext(&k.client);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

START_TEST(same_seed_same_ap_req)
{
    unsigned char first[4096];
    ULONG first_len;
    for (int run = 0; run < 2; run++) {
        fakesspi_reset();
        struct krb k;
        krb_credentials(&k, "alice", "Passw0rd!");
        ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
        if (run == 0) {
            memcpy(first, k.ap_req, k.ap_req_len);
            first_len = k.ap_req_len;
        } else {
            ck_assert_uint_eq(k.ap_req_len, first_len);
            ck_assert(!memcmp(first, k.ap_req, first_len));
        }
        DeleteSecurityContext(&k.client);
        FreeCredentialsHandle(&k.client_cred);
        FreeCredentialsHandle(&k.server_cred);
    }
}
END_TEST

/* One AP-REQ from a fresh client context (each has its own authenticator); returns the server's status. */
static SECURITY_STATUS one_logon(struct krb *k, SECURITY_STATUS *isc)
{
    *isc = krb_isc(k, SPN, MUTUAL);
    SECURITY_STATUS st = krb_asc(k, k->ap_req, k->ap_req_len);
    DeleteSecurityContext(&k->client);
    if (st == SEC_E_OK)
        DeleteSecurityContext(&k->server);
    return st;
}

/* The cache was a 4096-entry ring: a captured AP-REQ came back after 4096 other logons. */
START_TEST(a_replay_is_refused_after_any_number_of_other_logons)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    unsigned char captured[4096];
    ULONG captured_len = k.ap_req_len;
    memcpy(captured, k.ap_req, captured_len);
    ck_assert_sec_status(krb_asc(&k, captured, captured_len), SEC_E_OK);
    DeleteSecurityContext(&k.client);
    DeleteSecurityContext(&k.server);
    SECURITY_STATUS isc;
    for (int i = 0; i < 5000; i++)
        ck_assert_sec_status(one_logon(&k, &isc), SEC_E_OK);
    ck_assert_uint_eq(krb_replay_count(), 5001);
    ck_assert_sec_status(krb_asc(&k, captured, captured_len), SEC_E_LOGON_DENIED);
    /* Time, not traffic, empties the cache: ten minutes and a second later every entry is gone. */
    fakesspi_clock_advance(FAKESSPI_SECONDS(601));
    ck_assert_sec_status(one_logon(&k, &isc), SEC_E_OK);
    ck_assert_uint_eq(krb_replay_count(), 1);
    ck_assert_sec_status(krb_asc(&k, captured, captured_len), SEC_E_TIME_SKEW); /* and the skew check refuses it */
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

/* At its bound the cache refuses new logons (as an acceptor out of resources) rather than forget one. */
START_TEST(a_full_replay_cache_refuses_new_logons_until_entries_expire)
{
    krb_replay_set_limit(3);
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    SECURITY_STATUS isc;
    for (int i = 0; i < 3; i++)
        ck_assert_sec_status(one_logon(&k, &isc), SEC_E_OK);
    ck_assert_sec_status(one_logon(&k, &isc), SEC_E_INSUFFICIENT_MEMORY);
    fakesspi_clock_advance(FAKESSPI_SECONDS(601));
    ck_assert_sec_status(one_logon(&k, &isc), SEC_E_OK);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

/* SEC_E_BUFFER_TOO_SMALL had already remembered the authenticator, so the retry it invites was a "replay". */
START_TEST(a_retry_after_buffer_too_small_is_accepted)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    ck_assert_sec_status(krb_isc(&k, SPN, MUTUAL), SEC_I_CONTINUE_NEEDED);
    unsigned char small[16];
    SecBuffer in = {k.ap_req_len, SECBUFFER_TOKEN, k.ap_req}, out = {sizeof small, SECBUFFER_TOKEN, small};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle server = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs;
    ck_assert_sec_status(AcceptSecurityContext(&k.server_cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, &server, &outd,
                                           &attrs, NULL), SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(server.dwLower, 0xdeadbeef);
    ck_assert_uint_eq(krb_replay_count(), 0);
    ck_assert_sec_status(krb_asc(&k, k.ap_req, k.ap_req_len), SEC_E_OK);
    ck_assert_sec_status(krb_isc_reply(&k, MUTUAL), SEC_E_OK);
    CtxtHandle again;
    out = (SecBuffer){sizeof k.ap_rep, SECBUFFER_TOKEN, k.ap_rep};
    ck_assert_sec_status(AcceptSecurityContext(&k.server_cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, &again, &outd, &attrs,
                                           NULL), SEC_E_LOGON_DENIED); /* now it is a replay */
    krb_free(&k);
}
END_TEST

/* A ticket under the service's own key, for Administrator of another realm and without group data: it
 * became EXAMPLE\Administrator's token. */
static ULONG forge_ap_req(const char *crealm, unsigned char *out, size_t cap)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *svc = fs_domain_find_user(d, "svc_server");
    ck_assert_ptr_nonnull(svc);
    struct krb_key service_key;
    ck_assert_int_eq(krb_user_key(d, svc, KRB_ETYPE_AES256, &service_key), FS_OK);
    char realm[256];
    krb_realm(d, realm, sizeof realm);
    fs_domain_release();
    struct krb_principal sname, cname;
    ck_assert_int_eq(krb_principal_from_text(SPN, KRB_NT_SRV_INST, &sname), FS_OK);
    ck_assert_int_eq(krb_principal_from_text("Administrator", KRB_NT_PRINCIPAL, &cname), FS_OK);
    uint64_t now = fakesspi_clock_now();
    struct krb_ticket t = {.crealm = (char *)crealm, .cname = cname, .authtime = now, .starttime = now,
                           .endtime = now + FAKESSPI_SECONDS(3600), .renew_till = now + FAKESSPI_SECONDS(3600)};
    krb_random_key(KRB_ETYPE_AES256, &t.session_key);
    struct krb_authenticator a = {.crealm = (char *)crealm, .cname = cname, .has_gss_checksum = 1, .ctime = now};
    struct fs_writer ticket, auth, req, framed;
    fs_writer_init(&ticket);
    fs_writer_init(&auth);
    fs_writer_init(&req);
    fs_writer_init(&framed);
    ck_assert_int_eq(krb_build_ticket(&t, realm, &sname, &service_key, KRB_KVNO, &ticket), FS_OK);
    ck_assert_int_eq(krb_build_authenticator(&a, &t.session_key, &auth), FS_OK);
    krb_build_ap_req(0, ticket.data, ticket.len, auth.data, auth.len, &req);
    krb_gss_frame(&framed, krb_oid_krb5, KRB_TOK_AP_REQ, req.data, req.len);
    ck_assert(!framed.failed && framed.len <= cap);
    memcpy(out, framed.data, framed.len);
    ULONG len = (ULONG)framed.len;
    fs_writer_free(&ticket);
    fs_writer_free(&auth);
    fs_writer_free(&req);
    fs_writer_free(&framed);
    krb_principal_free(&sname);
    krb_principal_free(&cname);
    return len;
}

START_TEST(a_principal_of_another_realm_is_no_domain_account)
{
    struct krb k;
    krb_credentials(&k, "alice", "Passw0rd!");
    unsigned char req[4096];
    ULONG len = forge_ap_req("EVIL.REALM", req, sizeof req);
    ck_assert_sec_status(krb_asc(&k, req, len), SEC_E_LOGON_DENIED);
    /* The same forgery in our own realm is taken: the check is the realm, not the forging. */
    len = forge_ap_req("EXAMPLE.TEST", req, sizeof req);
    ck_assert_sec_status(krb_asc(&k, req, len), SEC_E_OK);
    DeleteSecurityContext(&k.server);
    FreeCredentialsHandle(&k.client_cred);
    FreeCredentialsHandle(&k.server_cred);
}
END_TEST

/* Times before 1970 and after 9999 made the encoder fail, reported as SEC_E_INSUFFICIENT_MEMORY. */
START_TEST(kerberos_works_with_the_clock_in_1601_and_in_9999)
{
    static const uint64_t clocks[] = {42, 2650467ull * 86400 * 10000000ull, /* 1601, 8857-ish */
                                      (3067670ull * 86400 + 86000) * 10000000ull /* 9999-12-31T23:53:20 */};
    for (size_t i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        fakesspi_clock_set(clocks[i]);
        struct krb k;
        krb_mutual(&k);
        krb_free(&k);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/kerberos");
    TCase *tc = test_case("kerberos");
    tcase_add_test(tc, without_mutual_auth_the_handshake_is_one_leg);
    tcase_add_test(tc, with_mutual_auth_the_server_answers_and_the_client_checks_it);
    tcase_add_test(tc, recipe_a_context_expires_with_its_ticket);
    tcase_add_test(tc, recipe_an_ap_req_six_minutes_late_is_time_skew);
    tcase_add_test(tc, the_server_token_is_the_clients_with_kerberos_groups);
    tcase_add_test(tc, package_info_and_sizes_are_windows_values);
    tcase_add_test(tc, sealed_messages_travel_both_ways_and_damage_is_caught);
    tcase_add_test(tc, signatures_are_rfc4121_mic_tokens);
    tcase_add_test(tc, a_signature_over_many_buffers_and_a_failed_allocation);
    tcase_add_test(tc, an_unregistered_spn_is_target_unknown_and_makes_no_context);
    tcase_add_test(tc, a_wrong_password_is_logon_denied_at_the_client);
    tcase_add_test(tc, clocks_more_than_five_minutes_apart_are_time_skew);
    tcase_add_test(tc, a_replayed_ap_req_is_refused);
    tcase_add_test(tc, a_ticket_under_an_old_key_is_wrong_principal);
    tcase_add_test(tc, contexts_expire_with_the_ticket_on_the_virtual_clock);
    tcase_add_test(tc, garbage_and_ntlm_tokens_are_invalid_token);
    tcase_add_test(tc, a_forged_ap_rep_fails_mutual_authentication);
    tcase_add_test(tc, same_seed_same_ap_req);
    tcase_add_test(tc, a_full_replay_cache_refuses_new_logons_until_entries_expire);
    tcase_add_test(tc, a_retry_after_buffer_too_small_is_accepted);
    tcase_add_test(tc, a_principal_of_another_realm_is_no_domain_account);
    tcase_add_test(tc, kerberos_works_with_the_clock_in_1601_and_in_9999);
    suite_add_tcase(s, tc);
    TCase *many = test_case("many logons");
    tcase_set_timeout(many, 300); /* 5,000 handshakes; slow under valgrind */
    tcase_add_test(many, a_replay_is_refused_after_any_number_of_other_logons);
    suite_add_tcase(s, many);
    return test_run(s);
}
