/* An output TOKEN buffer that announces room but has no memory (pvBuffer NULL), without ALLOCATE_MEMORY:
 * the leg goes on as Windows 8 and later let it, and the token reaches no one (doc/semantics.md §46). */
#include "sspi/sspitest.h"

#define SPN "HTTP/server.example.test"
#define ROOM 48256 /* Negotiate's cbMaxToken, the largest of the three */

static const char *const packages[] = {"NTLM", "Negotiate", "Kerberos"};

static void client_credential(const char *package, CredHandle *out)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(
        AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, out, NULL),
        SEC_E_OK);
}

/* The first client leg into out; ISC_REQ_MUTUAL_AUTH so that Kerberos, too, has a second leg to ask for. */
static SECURITY_STATUS first_leg(CredHandle *cred, SecBuffer *out, CtxtHandle *ctx, ULONG *attrs)
{
    SecBufferDesc d = {SECBUFFER_VERSION, 1, out};
    return InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)SPN, ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP, NULL,
                                      0, ctx, &d, attrs, NULL);
}

static ULONG live_handles(void)
{
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    return (ULONG)c.live_handles;
}

/* The same start for both legs compared below: a Kerberos token's length depends on the random sequence number
 * (a DER INTEGER of 1 to 5 bytes), which the default seed salts per process (doc/semantics.md §29). */
static void same_start(void)
{
    fakesspi_set_seed(7);
    fakesspi_reset();
}

START_TEST(a_first_leg_with_room_but_no_memory_continues_in_every_package)
{
    static unsigned char token[ROOM];
    for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++) {
        CredHandle cred;
        same_start();
        client_credential(packages[i], &cred);
        /* What the same leg says with real memory behind the buffer. */
        SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
        CtxtHandle ctx;
        ULONG attrs, expected_attrs;
        ck_assert_sec_status(first_leg(&cred, &out, &ctx, &expected_attrs), SEC_I_CONTINUE_NEEDED);
        ULONG length = out.cbBuffer;
        ck_assert_uint_gt(length, 0);
        ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
        ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);

        same_start();
        client_credential(packages[i], &cred);
        out = (SecBuffer){ROOM, SECBUFFER_TOKEN, NULL};
        ctx = (CtxtHandle){0xdeadbeef, 0xdeadbeef};
        attrs = 0xdeadbeef;
        ck_assert_msg(first_leg(&cred, &out, &ctx, &attrs) == SEC_I_CONTINUE_NEEDED, "%s", packages[i]);
        ck_assert_ptr_null(out.pvBuffer);
        ck_assert_uint_eq(out.BufferType, SECBUFFER_TOKEN);
        ck_assert_msg(out.cbBuffer == length, "%s: cbBuffer %lu, the token is %lu", packages[i],
                      (unsigned long)out.cbBuffer, (unsigned long)length);
        ck_assert_uint_eq(attrs, expected_attrs);
        ck_assert(ctx.dwLower != 0xdeadbeef || ctx.dwUpper != 0xdeadbeef);
        ck_assert_uint_eq(live_handles(), 2); /* the credential and the context */
        SecPkgContext_Sizes sizes;
        ck_assert_sec_status(QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
        ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
        ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
    }
}
END_TEST

/* The size is judged first: too little room is SEC_E_BUFFER_TOO_SMALL whatever pvBuffer is (doc/semantics.md §7). */
START_TEST(too_little_room_without_memory_is_still_buffer_too_small)
{
    static const ULONG rooms[] = {0, 8};
    for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++) {
        CredHandle cred;
        client_credential(packages[i], &cred);
        for (size_t r = 0; r < sizeof rooms / sizeof rooms[0]; r++) {
            SecBuffer out = {rooms[r], SECBUFFER_TOKEN, NULL};
            CtxtHandle ctx = {0xdeadbeef, 0xdeadbeef};
            ULONG attrs;
            ck_assert_msg(first_leg(&cred, &out, &ctx, &attrs) == SEC_E_BUFFER_TOO_SMALL, "%s, room %lu",
                          packages[i], (unsigned long)rooms[r]);
            ck_assert_uint_eq(out.cbBuffer, rooms[r]);
            ck_assert_ptr_null(out.pvBuffer);
            ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
            ck_assert_uint_eq(ctx.dwUpper, 0xdeadbeef);
            ck_assert_uint_eq(live_handles(), 1); /* no context was made */
        }
        FreeCredentialsHandle(&cred);
    }
}
END_TEST

/* ALLOCATE_MEMORY still wins over a NULL pvBuffer: the token arrives in new memory (doc/semantics.md §7). */
START_TEST(allocate_memory_still_hands_out_the_token)
{
    CredHandle cred;
    client_credential("NTLM", &cred);
    SecBuffer out = {ROOM, SECBUFFER_TOKEN, NULL};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                                    NULL, 0, &ctx, &d, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(out.pvBuffer);
    ck_assert(!memcmp(out.pvBuffer, "NTLMSSP", 8));
    ck_assert(attrs & ISC_RET_ALLOCATED_MEMORY);
    ck_assert_sec_status(FreeContextBuffer(out.pvBuffer), SEC_E_OK);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
}
END_TEST

/* The context whose NEGOTIATE_MESSAGE was lost is a whole client context: given a CHALLENGE it answers,
 * and the server takes the answer. The server hears the NEGOTIATE of a twin client with the same credential,
 * the same bytes. */
START_TEST(the_context_of_a_lost_first_token_finishes_the_handshake)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    SecBuffer lost = {sizeof p.c2s, SECBUFFER_TOKEN, NULL};
    SecBufferDesc lost_d = {SECBUFFER_VERSION, 1, &lost};
    CtxtHandle client;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, NULL, NULL, 0, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                    &client, &lost_d, &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED); /* the twin */
    ck_assert_uint_eq(p.c2s_len, lost.cbBuffer);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    DeleteSecurityContext(&p.client);
    p.client = client;
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_E_OK);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_E_OK);
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(names.sUserName);
    pair_free(&p);
    ck_assert_uint_eq(live_handles(), 0);
}
END_TEST

/* AcceptSecurityContext judges its output buffer by the same rule: the CHALLENGE is made, the context is
 * handed out, and only the length comes back. */
START_TEST(accept_with_room_but_no_memory_continues_and_gives_only_the_length)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    ULONG challenge = p.s2c_len;
    ck_assert_uint_gt(challenge, 0);

    SecBuffer in = {p.c2s_len, SECBUFFER_TOKEN, p.c2s}, out = {sizeof p.s2c, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_d = {SECBUFFER_VERSION, 1, &in}, out_d = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle server = {0xdeadbeef, 0xdeadbeef};
    ULONG attrs = 0xdeadbeef;
    ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, NULL, &in_d, 0, SECURITY_NATIVE_DREP, &server, &out_d,
                                               &attrs, NULL),
                         SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_null(out.pvBuffer);
    ck_assert_uint_eq(out.cbBuffer, challenge);
    ck_assert_uint_eq(attrs, p.server_attrs);
    ck_assert(server.dwLower != 0xdeadbeef || server.dwUpper != 0xdeadbeef);
    ck_assert_sec_status(DeleteSecurityContext(&server), SEC_E_OK);

    out = (SecBuffer){8, SECBUFFER_TOKEN, NULL};
    server = (CtxtHandle){0xdeadbeef, 0xdeadbeef};
    ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, NULL, &in_d, 0, SECURITY_NATIVE_DREP, &server, &out_d,
                                               &attrs, NULL),
                         SEC_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(out.cbBuffer, 8);
    ck_assert_uint_eq(server.dwLower, 0xdeadbeef);
    pair_free(&p);
    ck_assert_uint_eq(live_handles(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/null_token_buffer");
    TCase *tc = tcase_create("null_token_buffer");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, a_first_leg_with_room_but_no_memory_continues_in_every_package);
    tcase_add_test(tc, too_little_room_without_memory_is_still_buffer_too_small);
    tcase_add_test(tc, allocate_memory_still_hands_out_the_token);
    tcase_add_test(tc, the_context_of_a_lost_first_token_finishes_the_handshake);
    tcase_add_test(tc, accept_with_room_but_no_memory_continues_and_gives_only_the_length);
    suite_add_tcase(s, tc);
    return test_run(s);
}
