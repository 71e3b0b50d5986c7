/* What a CredSSP server that loads libfakesspi as its SSPI module relies on, as FreeRDP 2's RDP server calls it
 * (doc/semantics.md §19): everything through InitSecurityInterfaceA's table, "Negotiate" on the server, a bare
 * NTLMSSP client as WinPR's, output buffers preallocated at cbMaxToken, sealing as [TOKEN][DATA]. */
#include "sspi/sspitest.h"

/* The flags FreeRDP's nla.c asks of AcceptSecurityContext (tspkg's, it says). */
#define RDP_ASC_REQ                                                                                              \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_CONNECTION | ASC_REQ_USE_SESSION_KEY |           \
     ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_EXTENDED_ERROR)
#define RDP_ISC_REQ (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_USE_SESSION_KEY) /* WinPR's client */

struct rdp {
    PSecurityFunctionTableA t;
    PSecPkgInfoA package;
    CredHandle server_cred, client_cred;
    CtxtHandle server, client;
    int server_started;
    unsigned char *to_server, *to_client; /* cbMaxToken bytes each, as nla_alloc_buffer allocates them */
    ULONG to_server_len, to_client_len;
    ULONG attrs;
};

static void rdp_start(struct rdp *r, const char *user, const char *domain, const char *password)
{
    memset(r, 0, sizeof *r);
    r->t = InitSecurityInterfaceA();
    ck_assert_sec_status(r->t->QuerySecurityPackageInfoA("Negotiate", &r->package), SEC_E_OK);
    ck_assert_sec_status(r->t->AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                     &r->server_cred, NULL),
                     SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, domain, password);
    ck_assert_sec_status(r->t->AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                     &r->client_cred, NULL),
                     SEC_E_OK);
    r->to_server = malloc(r->package->cbMaxToken);
    r->to_client = malloc(r->package->cbMaxToken);
}

static SECURITY_STATUS client_leg(struct rdp *r, int first)
{
    SecBuffer in = {r->to_client_len, SECBUFFER_TOKEN, r->to_client};
    SecBuffer out = {r->package->cbMaxToken, SECBUFFER_TOKEN, r->to_server};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    SECURITY_STATUS st = r->t->InitializeSecurityContextA(&r->client_cred, first ? NULL : &r->client,
                                                          "TERMSRV/server.example.test", RDP_ISC_REQ, 0,
                                                          SECURITY_NATIVE_DREP, first ? NULL : &ind, 0, &r->client,
                                                          &outd, &attrs, NULL);
    r->to_server_len = out.cbBuffer;
    return st;
}

/* One server leg as nla_server_authenticate runs it: a fresh cbMaxToken buffer, no ASC_REQ_ALLOCATE_MEMORY. */
static SECURITY_STATUS server_leg(struct rdp *r)
{
    SecBuffer in = {r->to_server_len, SECBUFFER_TOKEN, r->to_server};
    SecBuffer out = {r->package->cbMaxToken, SECBUFFER_TOKEN, r->to_client};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
    memset(r->to_client, 0xdd, r->package->cbMaxToken);
    SECURITY_STATUS st = r->t->AcceptSecurityContext(&r->server_cred, r->server_started ? &r->server : NULL, &ind,
                                                     RDP_ASC_REQ, SECURITY_NATIVE_DREP, &r->server, &outd, &r->attrs,
                                                     NULL);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        r->server_started = 1;
    r->to_client_len = out.cbBuffer;
    return st;
}

static SECURITY_STATUS rdp_logon(struct rdp *r)
{
    ck_assert_sec_status(client_leg(r, 1), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(server_leg(r), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(client_leg(r, 0), SEC_E_OK);
    return server_leg(r);
}

static void rdp_end(struct rdp *r)
{
    if (r->server_started)
        ck_assert_sec_status(r->t->DeleteSecurityContext(&r->server), SEC_E_OK);
    ck_assert_sec_status(r->t->DeleteSecurityContext(&r->client), SEC_E_OK);
    ck_assert_sec_status(r->t->FreeCredentialHandle(&r->server_cred), SEC_E_OK);
    ck_assert_sec_status(r->t->FreeCredentialHandle(&r->client_cred), SEC_E_OK);
    ck_assert_sec_status(r->t->FreeContextBuffer(r->package), SEC_E_OK);
    free(r->to_server);
    free(r->to_client);
}

/* One sealed message from one context to the other: [TOKEN cbSecurityTrailer][DATA], as nla.c lays it out. */
static void seal(struct rdp *r, PCtxtHandle from, PCtxtHandle to, ULONG seq, const char *text)
{
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(r->t->QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    unsigned char wire[16 + 128];
    size_t len = strlen(text);
    ck_assert_uint_le(sizes.cbSecurityTrailer + len, sizeof wire);
    memcpy(wire + sizes.cbSecurityTrailer, text, len);
    SecBuffer b[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, wire},
                      {(ULONG)len, SECBUFFER_DATA, wire + sizes.cbSecurityTrailer}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(r->t->EncryptMessage(from, 0, &d, seq), SEC_E_OK);
    ck_assert_uint_eq(b[0].cbBuffer, 16); /* nla.c would shrink the message if the signature were shorter */
    ck_assert_uint_eq(b[1].cbBuffer, len);
    ck_assert_msg(memcmp(b[1].pvBuffer, text, len) != 0, "the data went out in clear");
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(r->t->DecryptMessage(to, &d, seq, &qop), SEC_E_OK);
    ck_assert(!memcmp(b[1].pvBuffer, text, len));
}

START_TEST(negotiate_package_info_is_named_exactly_and_sizes_the_buffers)
{
    PSecPkgInfoA info = (PSecPkgInfoA)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(InitSecurityInterfaceA()->QuerySecurityPackageInfoA("Negotiate", &info), SEC_E_OK);
    /* nla.c compares the name with _tcsncmp over sizeof "Negotiate", the terminator included. */
    ck_assert(!memcmp(info->Name, "Negotiate", sizeof "Negotiate"));
    ck_assert_uint_eq(info->cbMaxToken, 48256);
    ck_assert_sec_status(InitSecurityInterfaceA()->FreeContextBuffer(info), SEC_E_OK);
}
END_TEST

START_TEST(server_credentials_need_no_auth_data)
{
    CredHandle cred = {0xdeadbeef, 0xdeadbeef};
    TimeStamp expiry = {{0xdeadbeef, 0xdeadbeef}};
    PSecurityFunctionTableA t = InitSecurityInterfaceA();
    ck_assert_sec_status(t->AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                  &cred, &expiry),
                     SEC_E_OK);
    ck_assert(cred.dwLower != 0xdeadbeef || cred.dwUpper != 0xdeadbeef);
    ck_assert_sec_status(t->FreeCredentialHandle(&cred), SEC_E_OK);
}
END_TEST

START_TEST(a_bare_ntlmssp_negotiate_gets_a_bare_challenge_in_the_preallocated_buffer)
{
    struct rdp r;
    rdp_start(&r, "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(client_leg(&r, 1), SEC_I_CONTINUE_NEEDED);
    ck_assert(!memcmp(r.to_server, "NTLMSSP\0\1\0\0\0", 12)); /* what WinPR's client sends under "Negotiate" */
    ck_assert_sec_status(server_leg(&r), SEC_I_CONTINUE_NEEDED);
    ck_assert(!memcmp(r.to_client, "NTLMSSP\0\2\0\0\0", 12));
    ck_assert_uint_gt(r.to_client_len, 48);
    ck_assert_uint_lt(r.to_client_len, r.package->cbMaxToken);
    ck_assert_uint_eq(r.to_client[r.to_client_len], 0xdd); /* nothing written past the length it reports */
    rdp_end(&r);
}
END_TEST

START_TEST(the_authenticate_leg_is_ok_with_an_empty_last_token)
{
    struct rdp r;
    rdp_start(&r, "alice", "EXAMPLE", "Passw0rd!");
    /* SEC_E_OK, not SEC_I_COMPLETE_NEEDED: nla.c then sends nothing and reads the public key from the same
     * message as the AUTHENTICATE. */
    ck_assert_sec_status(rdp_logon(&r), SEC_E_OK);
    ck_assert_uint_eq(r.to_client_len, 0);
    ck_assert(r.attrs & ASC_RET_CONFIDENTIALITY);
    rdp_end(&r);
}
END_TEST

START_TEST(sizes_give_a_16_byte_trailer)
{
    struct rdp r;
    rdp_start(&r, "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(rdp_logon(&r), SEC_E_OK);
    SecPkgContext_Sizes sizes;
    memset(&sizes, 0xdd, sizeof sizes);
    ck_assert_sec_status(r.t->QueryContextAttributesA(&r.server, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    ck_assert_uint_eq(sizes.cbSecurityTrailer, 16);
    ck_assert_uint_eq(sizes.cbMaxSignature, 16);
    ck_assert_uint_eq(sizes.cbBlockSize, 0);
    rdp_end(&r);
}
END_TEST

/* CredSSP v6: the client's public key hash (its sequence 0), the server's answer (the server's 0), then the
 * TSCredentials (the client's 1). */
START_TEST(sealing_as_token_then_data_with_sequence_numbers_0_and_1)
{
    struct rdp r;
    rdp_start(&r, "alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(rdp_logon(&r), SEC_E_OK);
    seal(&r, &r.client, &r.server, 0, "client-to-server public key hash");
    seal(&r, &r.server, &r.client, 0, "server-to-client public key hash");
    seal(&r, &r.client, &r.server, 1, "TSCredentials: alice, EXAMPLE, Passw0rd!");
    rdp_end(&r);
}
END_TEST

START_TEST(impersonation_through_the_table_runs_as_the_client)
{
    struct rdp r;
    rdp_start(&r, "bob", "EXAMPLE", "Hunter2!");
    ck_assert_sec_status(rdp_logon(&r), SEC_E_OK);
    ck_assert_ptr_nonnull(r.t->ImpersonateSecurityContext);
    ck_assert_ptr_nonnull(r.t->RevertSecurityContext);
    ck_assert_sec_status(r.t->ImpersonateSecurityContext(&r.server), SEC_E_OK);
    char name[64];
    ULONG size = sizeof name;
    ck_assert(GetUserNameExA(NameSamCompatible, name, &size));
    ck_assert_str_eq(name, "EXAMPLE\\bob");
    ck_assert_sec_status(r.t->RevertSecurityContext(&r.server), SEC_E_OK);
    HANDLE token = (HANDLE)(uintptr_t)0xdeadbeef;
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token));
    ck_assert_last_error(ERROR_NO_TOKEN);
    rdp_end(&r);
}
END_TEST

START_TEST(a_wrong_password_is_logon_denied_on_the_last_leg)
{
    struct rdp r;
    rdp_start(&r, "alice", "EXAMPLE", "Passw0rd?");
    ck_assert_sec_status(rdp_logon(&r), SEC_E_LOGON_DENIED);
    rdp_end(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("credssp_server");
    TCase *tc = test_case("what FreeRDP's server relies on");
    tcase_add_test(tc, negotiate_package_info_is_named_exactly_and_sizes_the_buffers);
    tcase_add_test(tc, server_credentials_need_no_auth_data);
    tcase_add_test(tc, a_bare_ntlmssp_negotiate_gets_a_bare_challenge_in_the_preallocated_buffer);
    tcase_add_test(tc, the_authenticate_leg_is_ok_with_an_empty_last_token);
    tcase_add_test(tc, sizes_give_a_16_byte_trailer);
    tcase_add_test(tc, sealing_as_token_then_data_with_sequence_numbers_0_and_1);
    tcase_add_test(tc, impersonation_through_the_table_runs_as_the_client);
    tcase_add_test(tc, a_wrong_password_is_logon_denied_on_the_last_leg);
    suite_add_tcase(s, tc);
    return test_run(s);
}
