/* The NTLM handshake through SSPI: legs, statuses, flags, the access token, impersonation. */
#include "sspi/sspitest.h"

#define ISC_STD (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | \
                 ISC_REQ_CONNECTION)
#define ASC_STD (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | \
                 ASC_REQ_CONNECTION)

START_TEST(three_legs_continue_continue_ok_ok)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, "HTTP/server.example.test"), SEC_E_OK);
    ck_assert(p.client_attrs & ISC_RET_CONFIDENTIALITY);
    ck_assert(p.client_attrs & ISC_RET_INTEGRITY);
    ck_assert(p.server_attrs & ASC_RET_CONFIDENTIALITY);
    ck_assert(p.server_attrs & ASC_RET_INTEGRITY); /* 0x20000: not ISC's bit */
    ck_assert(!(p.server_attrs & ISC_RET_INTEGRITY));
    pair_free(&p);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.misuse_total, 0);
}
END_TEST

START_TEST(a_wrong_password_is_logon_denied)
{
    struct pair p;
    pair_credentials(&p, "alice", "wrong");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_LOGON_DENIED);
    pair_free(&p);
}
END_TEST

START_TEST(unknown_and_disabled_users_are_logon_denied)
{
    struct pair p;
    pair_credentials(&p, "mallory", "x");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_LOGON_DENIED);
    pair_free(&p);
    pair_credentials(&p, "Guest", "");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_LOGON_DENIED);
    pair_free(&p);
}
END_TEST

START_TEST(default_credentials_are_the_process_user)
{
    struct pair p;
    pair_credentials(&p, NULL, NULL);
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    pair_free(&p);
}
END_TEST

START_TEST(the_access_token_is_borrowed_and_dies_with_the_context)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    SecPkgContext_AccessToken a, b;
    ck_assert_sec_status(QueryContextAttributesW(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &a), SEC_E_OK);
    ck_assert_sec_status(QueryContextAttributesW(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &b), SEC_E_OK);
    ck_assert_ptr_eq(a.AccessToken, b.AccessToken); /* doc/semantics.md §13 */
    TOKEN_TYPE type;
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD n;
    ck_assert(GetTokenInformation(a.AccessToken, TokenType, &type, sizeof type, &n));
    ck_assert_int_eq(type, TokenImpersonation);
    ck_assert(GetTokenInformation(a.AccessToken, TokenImpersonationLevel, &level, sizeof level, &n));
    ck_assert_int_eq(level, SecurityImpersonation);
    PSID ntlm;
    ck_assert(ConvertStringSidToSidA("S-1-5-64-10", &ntlm));
    HANDLE dup;
    ck_assert(DuplicateToken(a.AccessToken, SecurityImpersonation, &dup));
    BOOL member = FALSE;
    ck_assert(CheckTokenMembership(dup, ntlm, &member));
    ck_assert(member);
    LocalFree(ntlm);
    CloseHandle(dup);
    ck_assert_sec_status(DeleteSecurityContext(&p.server), SEC_E_OK);
    SetLastError(0);
    ck_assert(!CloseHandle(a.AccessToken)); /* doc/semantics.md §13 */
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(OWNER_GONE, 1);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(closing_the_borrowed_token_is_reported_and_the_context_keeps_it)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    SecPkgContext_AccessToken a;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &a), SEC_E_OK);
    ck_assert(CloseHandle(a.AccessToken)); /* TRUE, as on Windows */
    ck_assert_misuse(CLOSE_BORROWED, 1);
    ck_assert_sec_status(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    RevertSecurityContext(&p.server);
    pair_free(&p);
}
END_TEST

START_TEST(query_security_context_token_gives_a_new_owned_handle_each_time)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    HANDLE h1, h2;
    ck_assert_sec_status(QuerySecurityContextToken(&p.server, &h1), SEC_E_OK);
    ck_assert_sec_status(QuerySecurityContextToken(&p.server, &h2), SEC_E_OK);
    ck_assert_ptr_ne(h1, h2); /* doc/semantics.md §13 */
    pair_free(&p);
    DWORD n;
    TOKEN_TYPE type;
    ck_assert(GetTokenInformation(h1, TokenType, &type, sizeof type, &n)); /* outlives the context */
    ck_assert(CloseHandle(h1));
    ck_assert(CloseHandle(h2));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_tokens, 1);
}
END_TEST

START_TEST(client_and_mid_handshake_contexts_have_no_token)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    SecPkgContext_AccessToken a;
    HANDLE h;
    ck_assert_sec_status(QueryContextAttributesA(&p.client, SECPKG_ATTR_ACCESS_TOKEN, &a), SEC_E_NO_IMPERSONATION);
    ck_assert_sec_status(QuerySecurityContextToken(&p.client, &h), SEC_E_NO_IMPERSONATION);
    ck_assert_sec_status(ImpersonateSecurityContext(&p.client), SEC_E_NO_IMPERSONATION);
    pair_free(&p);
}
END_TEST

START_TEST(impersonate_security_context_sets_the_thread_token)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    ck_assert_int_eq(fakesspi_set_process_user("Administrator"), 0); /* holds SeImpersonatePrivilege */
    ck_assert_sec_status(ImpersonateSecurityContext(&p.server), SEC_E_OK);
    char name[32];
    DWORD n = sizeof name;
    ck_assert(GetUserNameA(name, &n));
    ck_assert_str_eq(name, "bob");
    HANDLE t;
    ck_assert(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    CloseHandle(t);
    ck_assert_sec_status(RevertSecurityContext(&p.server), SEC_E_OK);
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    ck_assert_last_error(ERROR_NO_TOKEN); /* doc/semantics.md §14 */
    pair_free(&p);
}
END_TEST

START_TEST(isc_identify_gives_an_identification_token)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD | ISC_REQ_IDENTIFY, ASC_STD, NULL);
    ck_assert(p.client_attrs & ISC_RET_IDENTIFY);
    ck_assert(p.server_attrs & ASC_RET_IDENTIFY);
    SecPkgContext_AccessToken a;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &a), SEC_E_OK);
    SECURITY_IMPERSONATION_LEVEL level;
    DWORD n;
    ck_assert(GetTokenInformation(a.AccessToken, TokenImpersonationLevel, &level, sizeof level, &n));
    ck_assert_int_eq(level, SecurityIdentification);
    pair_free(&p);
}
END_TEST

START_TEST(first_leg_without_an_output_buffer_is_buffer_too_small_and_makes_no_context)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    CtxtHandle ctx = {0x11, 0x22};
    ULONG attrs;
    TimeStamp ts;
    ck_assert_sec_status(
        InitializeSecurityContextA(&p.client_cred, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, NULL, &attrs, &ts),
        SEC_E_BUFFER_TOO_SMALL); /* doc/semantics.md §7 */
    SecBuffer b = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    unsigned char buf[8];
    b.pvBuffer = buf;
    ck_assert_sec_status(
        InitializeSecurityContextA(&p.client_cred, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, &d, &attrs, &ts),
        SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(b.cbBuffer, 0);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 2); /* the two credentials, no context */
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(allocate_memory_hands_out_a_buffer_for_free_context_buffer)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    SecBuffer b = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    ULONG attrs = 0;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                                    &p.client, &d, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert(attrs & ISC_RET_ALLOCATED_MEMORY); /* doc/semantics.md §7 */
    ck_assert_ptr_nonnull(b.pvBuffer);
    ck_assert_uint_eq(b.cbBuffer, 40);
    ck_assert(!memcmp(b.pvBuffer, "NTLMSSP\0\1\0\0\0", 12));
    ck_assert_sec_status(FreeContextBuffer(b.pvBuffer), SEC_E_OK);
    ck_assert_sec_status(FreeContextBuffer(b.pvBuffer), SEC_E_OK); /* Windows says OK; we report it */
    ck_assert_misuse(DOUBLE_FREE, 1);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(negotiate_flags_follow_the_requested_protection)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    unsigned char buf[256];
    SecBuffer b = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, NULL, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0,
                                                    &p.client, &d, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(buf[12] & 0x30, 0x30); /* sign and seal: doc/semantics.md §8 */
    DeleteSecurityContext(&p.client);
    b.cbBuffer = sizeof buf;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, NULL, NULL, 0, 0, 0, NULL, 0, &p.client, &d, &attrs,
                                                    NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_uint_eq(buf[12] & 0x30, 0);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(legs_out_of_order_and_garbage_are_rejected)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    unsigned char out[512];
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    unsigned char garbage[] = "this is not NTLM";
    SecBuffer ib = {sizeof garbage, SECBUFFER_TOKEN, garbage};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    ULONG attrs;
    CtxtHandle server;
    SENTINEL(server);
    ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, NULL, &id, 0, 0, &server, &od, &attrs, NULL),
                         SEC_E_INVALID_TOKEN);
    ck_assert_untouched(server); /* no context was made */
    /* A completed context takes no more legs. */
    ck_assert_sec_status(pair_handshake(&p, ISC_STD, ASC_STD, NULL), SEC_E_OK);
    ob.cbBuffer = sizeof out;
    ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, &p.server, &id, 0, 0, &p.server, &od, &attrs, NULL),
                         SEC_E_OUT_OF_SEQUENCE);
    pair_free(&p);
}
END_TEST

START_TEST(deleted_and_forged_context_handles_are_invalid_handle)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    CtxtHandle stale = p.server;
    ck_assert_sec_status(DeleteSecurityContext(&p.server), SEC_E_OK);
    ck_assert_sec_status(DeleteSecurityContext(&stale), SEC_E_INVALID_HANDLE); /* doc/semantics.md §7 */
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(&stale, SECPKG_ATTR_SIZES, &sizes), SEC_E_INVALID_HANDLE);
    CtxtHandle invalid;
    SecInvalidateHandle(&invalid);
    ck_assert_sec_status(QueryContextAttributesA(&invalid, SECPKG_ATTR_SIZES, &sizes), SEC_E_INVALID_HANDLE);
    ck_assert_sec_status(DeleteSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    /* A credential handle where a context belongs. */
    ck_assert_sec_status(QueryContextAttributesA(&p.client_cred, SECPKG_ATTR_SIZES, &sizes), SEC_E_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 1);
    CredHandle cred = p.client_cred;
    ck_assert_sec_status(FreeCredentialsHandle(&p.client_cred), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_INVALID_HANDLE);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(a_context_keeps_its_credential_alive)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED);
    FreeCredentialsHandle(&p.client_cred); /* contexts hold their own reference (doc/semantics.md §6) */
    SecInvalidateHandle(&p.client_cred);   /* so the client's next leg passes no credential */
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_E_OK);
    DeleteSecurityContext(&p.client);
    DeleteSecurityContext(&p.server);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

START_TEST(same_seed_same_bytes)
{
    unsigned char first[4096], second[4096];
    size_t n1 = 0, n2 = 0;
    for (int run = 0; run < 2; run++) {
        fakesspi_reset();
        struct pair p;
        pair_credentials(&p, "alice", "Passw0rd!");
        pair_client_step(&p, ISC_STD, NULL);
        pair_server_step(&p, ASC_STD);
        ck_assert_sec_status(pair_client_step(&p, ISC_STD, NULL), SEC_E_OK);
        memcpy(run ? second : first, p.c2s, p.c2s_len);
        *(run ? &n2 : &n1) = p.c2s_len;
        pair_free(&p);
    }
    ck_assert_uint_eq(n1, n2);
    ck_assert(!memcmp(first, second, n1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/ntlm-handshake");
    TCase *tc = test_case("handshake");
    tcase_add_test(tc, three_legs_continue_continue_ok_ok);
    tcase_add_test(tc, a_wrong_password_is_logon_denied);
    tcase_add_test(tc, unknown_and_disabled_users_are_logon_denied);
    tcase_add_test(tc, default_credentials_are_the_process_user);
    tcase_add_test(tc, the_access_token_is_borrowed_and_dies_with_the_context);
    tcase_add_test(tc, closing_the_borrowed_token_is_reported_and_the_context_keeps_it);
    tcase_add_test(tc, query_security_context_token_gives_a_new_owned_handle_each_time);
    tcase_add_test(tc, client_and_mid_handshake_contexts_have_no_token);
    tcase_add_test(tc, impersonate_security_context_sets_the_thread_token);
    tcase_add_test(tc, isc_identify_gives_an_identification_token);
    tcase_add_test(tc, first_leg_without_an_output_buffer_is_buffer_too_small_and_makes_no_context);
    tcase_add_test(tc, allocate_memory_hands_out_a_buffer_for_free_context_buffer);
    tcase_add_test(tc, negotiate_flags_follow_the_requested_protection);
    tcase_add_test(tc, legs_out_of_order_and_garbage_are_rejected);
    tcase_add_test(tc, deleted_and_forged_context_handles_are_invalid_handle);
    tcase_add_test(tc, a_context_keeps_its_credential_alive);
    tcase_add_test(tc, same_seed_same_bytes);
    suite_add_tcase(s, tc);
    return test_run(s);
}
