/* ExportSecurityContext and ImportSecurityContext: a context that moves and keeps talking. */
#include "sspi/sspitest.h"

#define ISC_STD (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT)
#define ASC_STD (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT)

static SECURITY_STATUS seal_and_open(CtxtHandle *from, CtxtHandle *to)
{
    char data[] = "moving house";
    unsigned char sig[16];
    SecBuffer b[2] = {{sizeof data, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = EncryptMessage(from, 0, &d, 0);
    return st ? st : DecryptMessage(to, &d, 0, NULL);
}

START_TEST(an_exported_server_context_keeps_talking_after_import)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_STD, ASC_STD, "HOST/server");
    ck_assert_sec_status(seal_and_open(&p.client, &p.server), SEC_E_OK);
    SecBuffer packed;
    HANDLE token = NULL;
    ck_assert_sec_status(ExportSecurityContext(&p.server, 0, &packed, &token), SEC_E_OK);
    ck_assert_ptr_nonnull(packed.pvBuffer);
    ck_assert_ptr_nonnull(token);
    CtxtHandle moved;
    ck_assert_sec_status(ImportSecurityContextA("NTLM", &packed, token, &moved), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    ck_assert(CloseHandle(token)); /* ours to close: the context took its own reference */
    ck_assert_sec_status(seal_and_open(&p.client, &moved), SEC_E_OK);
    ck_assert_sec_status(seal_and_open(&moved, &p.client), SEC_E_OK);
    SecPkgContext_NamesA names;
    ck_assert_sec_status(QueryContextAttributesA(&moved, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    ck_assert_str_eq(names.sUserName, "EXAMPLE\\bob");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_AccessToken at;
    ck_assert_sec_status(QueryContextAttributesA(&moved, SECPKG_ATTR_ACCESS_TOKEN, &at), SEC_E_OK);
    DeleteSecurityContext(&moved);
    pair_free(&p);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.live_allocations, 0);
}
END_TEST

START_TEST(delete_old_deletes_the_source)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    SecBuffer packed;
    CtxtHandle old = p.client;
    ck_assert_sec_status(ExportSecurityContext(&p.client, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL), SEC_E_OK);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesA(&old, SECPKG_ATTR_SIZES, &sizes), SEC_E_INVALID_HANDLE);
    ck_assert_sec_status(ImportSecurityContextW(u"NTLM", &packed, NULL, &p.client), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    ck_assert_sec_status(seal_and_open(&p.client, &p.server), SEC_E_OK);
    HANDLE h;
    ck_assert_sec_status(QuerySecurityContextToken(&p.client, &h), SEC_E_NO_IMPERSONATION); /* still a client */
    pair_free(&p);
}
END_TEST

START_TEST(reset_new_restarts_the_sequence)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    ck_assert_sec_status(seal_and_open(&p.client, &p.server), SEC_E_OK);
    SecBuffer packed;
    ck_assert_sec_status(ExportSecurityContext(&p.client, SECPKG_CONTEXT_EXPORT_RESET_NEW, &packed, NULL), SEC_E_OK);
    CtxtHandle fresh;
    ck_assert_sec_status(ImportSecurityContextA("NTLM", &packed, NULL, &fresh), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    char data[] = "x";
    unsigned char sig[16];
    SecBuffer b[2] = {{sizeof data, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(&fresh, 0, &d, 0), SEC_E_OK);
    ck_assert_uint_eq(sig[12], 0); /* sequence 0 again */
    ck_assert_sec_status(VerifySignature(&p.server, &d, 0, NULL), SEC_E_OUT_OF_SEQUENCE); /* the server is at 1 */
    DeleteSecurityContext(&fresh);
    pair_free(&p);
}
END_TEST

START_TEST(bad_packed_contexts_are_invalid_token)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    pair_handshake(&p, ISC_STD, ASC_STD, NULL);
    SecBuffer packed;
    ck_assert_sec_status(ExportSecurityContext(&p.server, 0, &packed, NULL), SEC_E_OK);
    CtxtHandle c = {7, 7};
    for (ULONG cut = 0; cut < packed.cbBuffer; cut += 7) {
        SecBuffer truncated = {cut, SECBUFFER_EMPTY, packed.pvBuffer};
        ck_assert_sec_status(ImportSecurityContextA("NTLM", &truncated, NULL, &c), SEC_E_INVALID_TOKEN);
    }
    ((unsigned char *)packed.pvBuffer)[0] ^= 0xff;
    ck_assert_sec_status(ImportSecurityContextA("NTLM", &packed, NULL, &c), SEC_E_INVALID_TOKEN);
    ck_assert_sec_status(ImportSecurityContextA("Digest", &packed, NULL, &c), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_sec_status(ImportSecurityContextA("NTLM", NULL, NULL, &c), SEC_E_INVALID_TOKEN);
    ck_assert_uint_eq(c.dwLower, 7);
    FreeContextBuffer(packed.pvBuffer);
    ck_assert_sec_status(ExportSecurityContext(&p.server, 0x100, &packed, NULL), SEC_E_INVALID_PARAMETER);
    pair_free(&p);
    /* A context mid-handshake has nothing to export. */
    pair_credentials(&p, "alice", "Passw0rd!");
    unsigned char buf[256];
    SecBuffer ob = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    InitializeSecurityContextA(&p.client_cred, NULL, NULL, 0, 0, 0, NULL, 0, &p.client, &od, &attrs, NULL);
    ck_assert_sec_status(ExportSecurityContext(&p.client, 0, &packed, NULL), SEC_E_UNSUPPORTED_FUNCTION);
    DeleteSecurityContext(&p.client);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/export");
    TCase *tc = test_case("export");
    tcase_add_test(tc, an_exported_server_context_keeps_talking_after_import);
    tcase_add_test(tc, delete_old_deletes_the_source);
    tcase_add_test(tc, reset_new_restarts_the_sequence);
    tcase_add_test(tc, bad_packed_contexts_are_invalid_token);
    suite_add_tcase(s, tc);
    return test_run(s);
}
