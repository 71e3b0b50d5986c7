/* libfakesspi loaded with dlopen() into a process where another library already exports the same names (as
 * FreeRDP's server loads it beside libwinpr2): its function tables and its own internal calls must reach
 * libfakesspi's code, never the other library's (doc/semantics.md §18). This program links the decoy
 * (tests/api/decoy.c) and not libfakesspi, so the decoy's definitions come first in the global scope. */
#include <check.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define SECURITY_WIN32
#include "security.h"
#include "windows.h"

#include "decoy.h"

static void *lib;
static PSecurityFunctionTableA ta;

/* As WinPR's LoadLibraryA and GetProcAddress do it. Like FreeRDP, the test never unloads the module: its state
 * stays reachable until the process ends. */
static void load(void)
{
    lib = dlopen(FAKESSPI_SO, RTLD_LOCAL | RTLD_LAZY);
    ck_assert_msg(lib != NULL, "dlopen %s: %s", FAKESSPI_SO, dlerror());
    INIT_SECURITY_INTERFACE_A init = (INIT_SECURITY_INTERFACE_A)dlsym(lib, SECURITY_ENTRYPOINT_ANSIA);
    ck_assert_ptr_nonnull(init);
    ta = init();
    ck_assert_ptr_nonnull(ta);
}

static void *ours(const char *name)
{
    void *p = dlsym(lib, name);
    ck_assert_msg(p != NULL, "libfakesspi does not export %s", name);
    return p;
}

static void *slot(const void *table, size_t offset)
{
    void *p;
    memcpy(&p, (const char *)table + offset, sizeof p);
    return p;
}

START_TEST(the_decoy_comes_first_in_the_global_scope)
{
    /* Without this the other tests could not fail: a plain lookup by name finds the decoy's function. */
    long (*global)(void) = (long (*)(void))dlsym(RTLD_DEFAULT, "AcceptSecurityContext");
    ck_assert_ptr_nonnull(global);
    ck_assert_ptr_ne((void *)global, ours("AcceptSecurityContext"));
    int before = decoy_calls();
    ck_assert_uint_eq((unsigned long)global(), DECOY_STATUS);
    ck_assert_int_eq(decoy_calls(), before + 1);
}
END_TEST

struct entry {
    const char *name;
    size_t offset;
};

static const struct entry slots_a[] = {
#define A(field, name) {name, offsetof(SecurityFunctionTableA, field)}
    A(EnumerateSecurityPackagesA, "EnumerateSecurityPackagesA"),
    A(QueryCredentialsAttributesA, "QueryCredentialsAttributesA"),
    A(AcquireCredentialsHandleA, "AcquireCredentialsHandleA"),
    A(FreeCredentialHandle, "FreeCredentialsHandle"),
    A(InitializeSecurityContextA, "InitializeSecurityContextA"),
    A(AcceptSecurityContext, "AcceptSecurityContext"),
    A(CompleteAuthToken, "CompleteAuthToken"),
    A(DeleteSecurityContext, "DeleteSecurityContext"),
    A(ApplyControlToken, "ApplyControlToken"),
    A(QueryContextAttributesA, "QueryContextAttributesA"),
    A(ImpersonateSecurityContext, "ImpersonateSecurityContext"),
    A(RevertSecurityContext, "RevertSecurityContext"),
    A(MakeSignature, "MakeSignature"),
    A(VerifySignature, "VerifySignature"),
    A(FreeContextBuffer, "FreeContextBuffer"),
    A(QuerySecurityPackageInfoA, "QuerySecurityPackageInfoA"),
    A(ExportSecurityContext, "ExportSecurityContext"),
    A(ImportSecurityContextA, "ImportSecurityContextA"),
    A(QuerySecurityContextToken, "QuerySecurityContextToken"),
    A(EncryptMessage, "EncryptMessage"),
    A(DecryptMessage, "DecryptMessage"),
    A(SetContextAttributesA, "SetContextAttributesA"),
#undef A
};

static const struct entry slots_w[] = {
#define W(field, name) {name, offsetof(SecurityFunctionTableW, field)}
    W(EnumerateSecurityPackagesW, "EnumerateSecurityPackagesW"),
    W(QueryCredentialsAttributesW, "QueryCredentialsAttributesW"),
    W(AcquireCredentialsHandleW, "AcquireCredentialsHandleW"),
    W(FreeCredentialsHandle, "FreeCredentialsHandle"),
    W(InitializeSecurityContextW, "InitializeSecurityContextW"),
    W(AcceptSecurityContext, "AcceptSecurityContext"),
    W(CompleteAuthToken, "CompleteAuthToken"),
    W(DeleteSecurityContext, "DeleteSecurityContext"),
    W(ApplyControlToken, "ApplyControlToken"),
    W(QueryContextAttributesW, "QueryContextAttributesW"),
    W(ImpersonateSecurityContext, "ImpersonateSecurityContext"),
    W(RevertSecurityContext, "RevertSecurityContext"),
    W(MakeSignature, "MakeSignature"),
    W(VerifySignature, "VerifySignature"),
    W(FreeContextBuffer, "FreeContextBuffer"),
    W(QuerySecurityPackageInfoW, "QuerySecurityPackageInfoW"),
    W(ExportSecurityContext, "ExportSecurityContext"),
    W(ImportSecurityContextW, "ImportSecurityContextW"),
    W(QuerySecurityContextToken, "QuerySecurityContextToken"),
    W(EncryptMessage, "EncryptMessage"),
    W(DecryptMessage, "DecryptMessage"),
    W(SetContextAttributesW, "SetContextAttributesW"),
#undef W
};

START_TEST(every_slot_of_the_ansi_table_is_libfakesspis_own_function)
{
    for (size_t i = 0; i < sizeof slots_a / sizeof slots_a[0]; i++)
        ck_assert_msg(slot(ta, slots_a[i].offset) == ours(slots_a[i].name), "the A table's %s is not ours",
                      slots_a[i].name);
}
END_TEST

START_TEST(every_slot_of_the_wide_table_is_libfakesspis_own_function)
{
    INIT_SECURITY_INTERFACE_W init = (INIT_SECURITY_INTERFACE_W)ours(SECURITY_ENTRYPOINT_ANSIW);
    PSecurityFunctionTableW tw = init();
    ck_assert_ptr_nonnull(tw);
    for (size_t i = 0; i < sizeof slots_w / sizeof slots_w[0]; i++)
        ck_assert_msg(slot(tw, slots_w[i].offset) == ours(slots_w[i].name), "the W table's %s is not ours",
                      slots_w[i].name);
}
END_TEST

/* A CredSSP server's path through the table against an NTLM client through the same table, then two exports that
 * call other exports inside libfakesspi (DuplicateToken calls DuplicateTokenEx; ExportSecurityContext with
 * DELETE_OLD calls DeleteSecurityContext): none of it may run the decoy's code. */
START_TEST(a_handshake_through_the_table_never_reaches_the_decoy)
{
    int before = decoy_calls();
    PSecPkgInfoA info;
    ck_assert_int_eq(ta->QuerySecurityPackageInfoA("Negotiate", &info), SEC_E_OK);
    ULONG max_token = info->cbMaxToken;
    ck_assert_int_eq(ta->FreeContextBuffer(info), SEC_E_OK);

    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle client_cred, server_cred;
    ck_assert_int_eq(ta->AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &client_cred, NULL),
                     SEC_E_OK);
    ck_assert_int_eq(ta->AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                   &server_cred, NULL),
                     SEC_E_OK);

    unsigned char *c2s = malloc(max_token), *s2c = malloc(max_token);
    SecBuffer cout = {max_token, SECBUFFER_TOKEN, c2s}, sout = {max_token, SECBUFFER_TOKEN, s2c};
    SecBuffer cin = {0, SECBUFFER_TOKEN, s2c}, sin = {0, SECBUFFER_TOKEN, c2s};
    SecBufferDesc coutd = {SECBUFFER_VERSION, 1, &cout}, soutd = {SECBUFFER_VERSION, 1, &sout};
    SecBufferDesc cind = {SECBUFFER_VERSION, 1, &cin}, sind = {SECBUFFER_VERSION, 1, &sin};
    CtxtHandle client, server;
    ULONG attrs;
    ck_assert_int_eq(ta->InitializeSecurityContextA(&client_cred, NULL, "TERMSRV/server", ISC_REQ_CONFIDENTIALITY,
                                                    0, SECURITY_NATIVE_DREP, NULL, 0, &client, &coutd, &attrs,
                                                    NULL),
                     SEC_I_CONTINUE_NEEDED);
    sin.cbBuffer = cout.cbBuffer;
    ck_assert_int_eq(ta->AcceptSecurityContext(&server_cred, NULL, &sind, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &server, &soutd, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    cin.cbBuffer = sout.cbBuffer;
    cout.cbBuffer = max_token;
    ck_assert_int_eq(ta->InitializeSecurityContextA(&client_cred, &client, "TERMSRV/server", ISC_REQ_CONFIDENTIALITY,
                                                    0, SECURITY_NATIVE_DREP, &cind, 0, &client, &coutd, &attrs,
                                                    NULL),
                     SEC_E_OK);
    sin.cbBuffer = cout.cbBuffer;
    sout.cbBuffer = max_token;
    ck_assert_int_eq(ta->AcceptSecurityContext(&server_cred, &server, &sind, ASC_REQ_CONFIDENTIALITY,
                                               SECURITY_NATIVE_DREP, &server, &soutd, &attrs, NULL),
                     SEC_E_OK);

    SecPkgContext_Sizes sizes;
    ck_assert_int_eq(ta->QueryContextAttributesA(&server, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    unsigned char trailer[64];
    char data[] = "public key hash";
    SecBuffer msg[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, trailer}, {sizeof data, SECBUFFER_DATA, data}};
    SecBufferDesc msgd = {SECBUFFER_VERSION, 2, msg};
    ULONG qop;
    ck_assert_int_eq(ta->EncryptMessage(&client, 0, &msgd, 0), SEC_E_OK);
    ck_assert_int_eq(ta->DecryptMessage(&server, &msgd, 0, &qop), SEC_E_OK);
    ck_assert_str_eq(data, "public key hash");

    ck_assert_int_eq(ta->ImpersonateSecurityContext(&server), SEC_E_OK);
    ck_assert_int_eq(ta->RevertSecurityContext(&server), SEC_E_OK);
    HANDLE token = NULL;
    ck_assert_int_eq(ta->QuerySecurityContextToken(&server, &token), SEC_E_OK);
    BOOL(WINAPI * duplicate_token)(HANDLE, SECURITY_IMPERSONATION_LEVEL, PHANDLE) =
        (BOOL(WINAPI *)(HANDLE, SECURITY_IMPERSONATION_LEVEL, PHANDLE))ours("DuplicateToken");
    BOOL(WINAPI * close_handle)(HANDLE) = (BOOL(WINAPI *)(HANDLE))ours("CloseHandle");
    HANDLE copy = NULL;
    ck_assert(duplicate_token(token, SecurityImpersonation, &copy));
    ck_assert_ptr_nonnull(copy);
    ck_assert(close_handle(copy));
    ck_assert(close_handle(token));

    SecBuffer packed;
    ck_assert_int_eq(ta->ExportSecurityContext(&server, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL), SEC_E_OK);
    ck_assert_int_eq(ta->FreeContextBuffer(packed.pvBuffer), SEC_E_OK);
    ck_assert_int_eq(ta->DeleteSecurityContext(&client), SEC_E_OK);
    ck_assert_int_eq(ta->FreeCredentialHandle(&client_cred), SEC_E_OK);
    ck_assert_int_eq(ta->FreeCredentialHandle(&server_cred), SEC_E_OK);
    free(c2s);
    free(s2c);
    ck_assert_msg(decoy_calls() == before, "the decoy's %s ran", decoy_last());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("interposition");
    TCase *tc = tcase_create("dlopen beside a decoy");
    tcase_add_checked_fixture(tc, load, NULL);
    tcase_add_test(tc, the_decoy_comes_first_in_the_global_scope);
    tcase_add_test(tc, every_slot_of_the_ansi_table_is_libfakesspis_own_function);
    tcase_add_test(tc, every_slot_of_the_wide_table_is_libfakesspis_own_function);
    tcase_add_test(tc, a_handshake_through_the_table_never_reaches_the_decoy);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
