/* Fault injection: chosen statuses from chosen calls, and every allocation of a whole exchange failed
 * in turn, each failure reported cleanly with nothing leaked. */
#include "sspi/sspitest.h"

#include "ntsecapi.h"
#include "ntstatus.h"

START_TEST(the_nth_call_returns_the_armed_status)
{
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#2=SEC_E_LOGON_DENIED"), 0);
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    /* The second call, whatever its input (here the NEGOTIATE again). */
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_E_LOGON_DENIED);
    pair_free(&p);
}
END_TEST

START_TEST(win32_faults_set_the_last_error)
{
    setenv("FAKESSPI_FAULTS", "LogonUserA#1=ERROR_ACCOUNT_RESTRICTION", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_FAULTS");
    HANDLE h;
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_ACCOUNT_RESTRICTION);
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    CloseHandle(h);
}
END_TEST

START_TEST(unknown_functions_and_names_are_refused)
{
    ck_assert_int_eq(fakesspi_faults("CreateFileW#1=ERROR_ACCESS_DENIED"), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "'CreateFileW' is not a function"));
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#1=SEC_E_MADE_UP"), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "'SEC_E_MADE_UP' is not a status"));
    /* A success is no fault, and each kind of function fails its own way. */
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#1=SEC_I_CONTINUE_NEEDED"), -1);
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#1=ERROR_ACCESS_DENIED"), -1);
    ck_assert_int_eq(fakesspi_faults("CloseHandle#1=SEC_E_INVALID_HANDLE"), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "CloseHandle fails with a non-zero ERROR_ code"));
    ck_assert_int_eq(fakesspi_faults("CloseHandle#1=ERROR_SUCCESS"), -1);
    /* GSS_S_ names are the GSSAPI module's (doc/semantics.md §67), and no gss_* call is the SSPI side's. */
    ck_assert_int_eq(fakesspi_faults("AcceptSecurityContext#1=GSS_S_DEFECTIVE_TOKEN"), -1);
    ck_assert_ptr_nonnull(strstr(fakesspi_last_message(), "AcceptSecurityContext fails with a failing SEC_E_ status"));
    ck_assert_int_eq(fakesspi_faults("gss_wrap#1=GSS_S_FAILURE"), -1);
    /* Functions that cannot fail on Windows cannot be failed here either. */
    ck_assert_int_eq(fakesspi_faults("GetLastError#1=ERROR_ACCESS_DENIED"), -1);
    ck_assert_int_eq(fakesspi_faults("alloc#0"), -1);
    ck_assert_int_eq(fakesspi_faults("alloc"), -1);
    ck_assert_int_eq(fakesspi_faults("alloc#3,bogus#1=X"), -1); /* nothing armed on error */
    HANDLE h;
    for (int i = 0; i < 5; i++) {
        ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
        CloseHandle(h);
    }
}
END_TEST

/* Every function of the entry shape can be failed, the ones that once could not among them. */
START_TEST(every_sspi_and_win32_function_can_be_failed)
{
    ck_assert_int_eq(fakesspi_faults("QuerySecurityPackageInfoA#1=SEC_E_SECPKG_NOT_FOUND,"
                                     "EnumerateSecurityPackagesA#1=SEC_E_INSUFFICIENT_MEMORY,"
                                     "FreeCredentialsHandle#1=SEC_E_INVALID_HANDLE,"
                                     "DeleteSecurityContext#1=SEC_E_INVALID_HANDLE,"
                                     "ExportSecurityContext#1=SEC_E_UNSUPPORTED_FUNCTION,"
                                     "LookupAccountSidA#1=ERROR_NONE_MAPPED,"
                                     "GetUserNameExA#1=ERROR_NO_SUCH_DOMAIN,"
                                     "CloseHandle#1=ERROR_INVALID_HANDLE"), 0);
    PSecPkgInfoA info = (PSecPkgInfoA)(uintptr_t)0xdeadbeef;
    ck_assert_sec_status(QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info), SEC_E_SECPKG_NOT_FOUND);
    ck_assert_ptr_eq(info, (PSecPkgInfoA)(uintptr_t)0xdeadbeef); /* an injected failure writes nothing */
    ULONG count;
    ck_assert_sec_status(EnumerateSecurityPackagesA(&count, &info), SEC_E_INSUFFICIENT_MEMORY);
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                   NULL, &cred, NULL), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_INVALID_HANDLE);
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK); /* the injected failure freed nothing */
    CtxtHandle none = {0, 0};
    ck_assert_sec_status(DeleteSecurityContext(&none), SEC_E_INVALID_HANDLE);
    ck_assert_sec_status(ExportSecurityContext(&none, 0, NULL, NULL), SEC_E_UNSUPPORTED_FUNCTION);
    PSID sid;
    SID_IDENTIFIER_AUTHORITY nt = {{0, 0, 0, 0, 0, 5}};
    ck_assert(AllocateAndInitializeSid(&nt, 1, 18, 0, 0, 0, 0, 0, 0, 0, &sid));
    char name[64], domain[64];
    DWORD cn = sizeof name, cd = sizeof domain;
    SID_NAME_USE use;
    ck_assert(!LookupAccountSidA(NULL, sid, name, &cn, domain, &cd, &use));
    ck_assert_last_error(ERROR_NONE_MAPPED);
    FreeSid(sid);
    ULONG size = sizeof name;
    ck_assert(!GetUserNameExA(NameSamCompatible, name, &size));
    ck_assert_last_error(ERROR_NO_SUCH_DOMAIN);
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert(CloseHandle(h)); /* still open: the injected failure closed nothing */
}
END_TEST

/* A malformed FAKESSPI_FAULTS stops the process at start with the reason, not a warning that lets a
 * test pass with nothing injected (run as an exit test: the process must end with status 2). */
START_TEST(a_typo_in_the_faults_stops_the_process)
{
    setenv("FAKESSPI_FAULTS", "AcceptSecurityContxt#1=SEC_E_LOGON_DENIED", 1);
    fakesspi_reset();
    ck_abort_msg("fakesspi_reset() went on with a malformed FAKESSPI_FAULTS");
}
END_TEST

static unsigned long long current_allocation;

/* One whole exchange that tolerates any failure and cleans up after itself. Returns how many
 * calls failed; every failure must be a memory status or error. */
static int exchange(void)
{
    int failures = 0;
    CredHandle cc, sc;
    CtxtHandle c, s;
    int have_cc = 0, have_sc = 0, have_c = 0, have_s = 0;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("bob", "EXAMPLE", "Hunter2!");
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c}, ic, is;
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
    ULONG attrs;
    SECURITY_STATUS st;
#define STEP(call, ok)                                                                     \
    st = (call);                                                                           \
    if (st != (ok)) {                                                                      \
        ck_assert_msg(st == SEC_E_INSUFFICIENT_MEMORY, "allocation %llu failed: %s gave %s", current_allocation, #call, fakesspi_status_name(st)); \
        failures++;                                                                        \
        goto out;                                                                          \
    }
    STEP(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc, NULL), SEC_E_OK);
    have_cc = 1;
    STEP(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, NULL), SEC_E_OK);
    have_sc = 1;
    STEP(InitializeSecurityContextA(&cc, NULL, "HOST/server", ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0, &c, &ocd,
                                    &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    have_c = 1;
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    STEP(AcceptSecurityContext(&sc, NULL, &isd, ASC_REQ_CONFIDENTIALITY, 0, &s, &osd, &attrs, NULL),
         SEC_I_CONTINUE_NEEDED);
    have_s = 1;
    ic = (SecBuffer){os.cbBuffer, SECBUFFER_TOKEN, s2c};
    oc.cbBuffer = sizeof c2s;
    STEP(InitializeSecurityContextA(&cc, &c, "HOST/server", ISC_REQ_CONFIDENTIALITY, 0, 0, &icd, 0, &c, &ocd, &attrs,
                                    NULL), SEC_E_OK);
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    os.cbBuffer = sizeof s2c;
    STEP(AcceptSecurityContext(&sc, &s, &isd, ASC_REQ_CONFIDENTIALITY, 0, &s, &osd, &attrs, NULL), SEC_E_OK);
    char data[] = "payload";
    unsigned char sig[16];
    SecBuffer b[2] = {{sizeof data, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    STEP(EncryptMessage(&c, 0, &d, 0), SEC_E_OK);
    STEP(DecryptMessage(&s, &d, 0, NULL), SEC_E_OK);
    SecPkgContext_NamesA names;
    STEP(QueryContextAttributesA(&s, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    FreeContextBuffer(names.sUserName);
    SecPkgContext_AccessToken at;
    STEP(QueryContextAttributesA(&s, SECPKG_ATTR_ACCESS_TOKEN, &at), SEC_E_OK);
    HANDLE token;
    STEP(QuerySecurityContextToken(&s, &token), SEC_E_OK);
    CloseHandle(token);
    STEP(ImpersonateSecurityContext(&s), SEC_E_OK);
    RevertSecurityContext(&s);
    SecBuffer packed;
    STEP(ExportSecurityContext(&s, 0, &packed, NULL), SEC_E_OK);
    CtxtHandle moved;
    st = ImportSecurityContextA("NTLM", &packed, NULL, &moved);
    FreeContextBuffer(packed.pvBuffer);
    if (st == SEC_E_OK)
        DeleteSecurityContext(&moved);
    else
        ck_assert_msg(st == SEC_E_INSUFFICIENT_MEMORY, "import: %s", fakesspi_status_name(st)), failures++;
    PSID sid;
    if (!ConvertStringSidToSidA("S-1-5-21-1000000001-2000000002-3000000003-1105", &sid)) {
        ck_assert_last_error(ERROR_NOT_ENOUGH_MEMORY);
        failures++;
    } else {
        LocalFree(sid);
    }
out:
    if (have_c)
        DeleteSecurityContext(&c);
    if (have_s)
        DeleteSecurityContext(&s);
    if (have_cc)
        FreeCredentialsHandle(&cc);
    if (have_sc)
        FreeCredentialsHandle(&sc);
    return failures;
#undef STEP
}

/* Fails the 1st, 2nd, ... allocation of run(what, target) in turn until the run makes fewer allocations
 * than the one failed: each must fail cleanly, leaving no handle, block or misuse. Returns the count. */
static uint64_t walk_every_allocation(int (*run)(const char *, const char *), const char *what, const char *target)
{
    fakesspi_reset();
    ck_assert_int_eq(run(what, target), 0);
    uint64_t n;
    for (n = 1; n < 100000; n++) {
        fakesspi_reset();
        fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
        fakesspi_fault_alloc(n);
        current_allocation = (unsigned long long)n;
        int failures = run(what, target);
        uint64_t counted = fakesspi_fault_allocations();
        fakesspi_fault_clear();
        fakesspi_counts c;
        fakesspi_get_counts(&c);
        ck_assert_msg(c.live_handles == 0 && c.live_allocations == 0 && c.live_tokens == 1,
                      "%s allocation %llu: %zu handles, %zu blocks, %zu tokens left", what, (unsigned long long)n,
                      c.live_handles, c.live_allocations, c.live_tokens);
        ck_assert_msg(c.misuse_total == 0, "%s allocation %llu: misuse", what, (unsigned long long)n);
        if (counted < n) { /* the run made fewer allocations: every one has been failed */
            ck_assert_int_eq(failures, 0);
            break;
        }
    }
    ck_assert_uint_gt(n, 20); /* a real exchange allocates; the walk did cover them */
    return n - 1;
}

static int ntlm_exchange(const char *what, const char *target)
{
    (void)what;
    (void)target;
    return exchange();
}

START_TEST(every_allocation_of_an_exchange_fails_cleanly)
{
    uint64_t n = walk_every_allocation(ntlm_exchange, "NTLM", NULL);
    printf("walked %llu allocations of one exchange\n", (unsigned long long)n);
}
END_TEST

/* A whole exchange of any package, legs until both sides are done, then a sealed message each way and an
 * export: returns how many calls failed (each must fail with SEC_E_INSUFFICIENT_MEMORY). */
static int package_exchange(const char *package, const char *target)
{
    int failures = 0;
    CredHandle cc, sc;
    CtxtHandle c, s;
    int have_cc = 0, have_sc = 0, have_c = 0, have_s = 0;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    static unsigned char c2s[8192], s2c[8192];
    ULONG c2s_len = 0, s2c_len = 0, attrs;
    SECURITY_STATUS st, cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    const ULONG isc = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY;
#define WALK_FAILED(what)                                                                                        \
    do {                                                                                                    \
        ck_assert_msg(st == SEC_E_INSUFFICIENT_MEMORY, "%s allocation %llu: %s gave %s", package,            \
                      current_allocation, what, fakesspi_status_name(st));                                  \
        failures++;                                                                                         \
        goto out;                                                                                           \
    } while (0)
    if ((st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                        NULL)) != SEC_E_OK)
        WALK_FAILED("AcquireCredentialsHandle");
    have_cc = 1;
    if ((st = acquire_service_credential(package, &sc)) != SEC_E_OK)
        WALK_FAILED("AcquireCredentialsHandle");
    have_sc = 1;
    for (int leg = 0; leg < 4 && (cs != SEC_E_OK || ss != SEC_E_OK); leg++) {
        if (cs == SEC_I_CONTINUE_NEEDED) {
            SecBuffer in = {s2c_len, SECBUFFER_TOKEN, s2c}, out = {sizeof c2s, SECBUFFER_TOKEN, c2s};
            SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
            st = cs = InitializeSecurityContextA(&cc, have_c ? &c : NULL, (SEC_CHAR *)target, isc, 0, 0,
                                                 have_c ? &ind : NULL, 0, &c, &outd, &attrs, NULL);
            if (cs != SEC_E_OK && cs != SEC_I_CONTINUE_NEEDED)
                WALK_FAILED("InitializeSecurityContext");
            have_c = 1;
            c2s_len = out.cbBuffer;
        }
        if (ss == SEC_I_CONTINUE_NEEDED && c2s_len) {
            SecBuffer in = {c2s_len, SECBUFFER_TOKEN, c2s}, out = {sizeof s2c, SECBUFFER_TOKEN, s2c};
            SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
            st = ss = AcceptSecurityContext(&sc, have_s ? &s : NULL, &ind, ASC_REQ_CONFIDENTIALITY, 0, &s, &outd,
                                            &attrs, NULL);
            if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
                WALK_FAILED("AcceptSecurityContext");
            have_s = 1;
            s2c_len = out.cbBuffer;
            c2s_len = 0;
        }
    }
    ck_assert_msg(cs == SEC_E_OK && ss == SEC_E_OK, "%s: the exchange did not finish", package);
    char data[] = "payload";
    unsigned char trailer[64];
    SecPkgContext_Sizes sizes;
    if ((st = QueryContextAttributesA(&c, SECPKG_ATTR_SIZES, &sizes)) != SEC_E_OK)
        WALK_FAILED("QueryContextAttributes");
    SecBuffer b[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, trailer}, {sizeof data, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    if ((st = EncryptMessage(&c, 0, &d, 0)) != SEC_E_OK)
        WALK_FAILED("EncryptMessage");
    if ((st = DecryptMessage(&s, &d, 0, NULL)) != SEC_E_OK)
        WALK_FAILED("DecryptMessage");
    SecBuffer packed;
    if ((st = ExportSecurityContext(&s, 0, &packed, NULL)) != SEC_E_OK)
        WALK_FAILED("ExportSecurityContext");
    CtxtHandle moved;
    st = ImportSecurityContextA((SEC_CHAR *)package, &packed, NULL, &moved);
    FreeContextBuffer(packed.pvBuffer);
    if (st != SEC_E_OK)
        WALK_FAILED("ImportSecurityContext");
    DeleteSecurityContext(&moved);
out:
    if (have_c)
        DeleteSecurityContext(&c);
    if (have_s)
        DeleteSecurityContext(&s);
    if (have_cc)
        FreeCredentialsHandle(&cc);
    if (have_sc)
        FreeCredentialsHandle(&sc);
    return failures;
#undef WALK_FAILED
}

/* The walk above, for Kerberos and both ways of Negotiate. */
START_TEST(every_allocation_of_kerberos_and_negotiate_exchanges_fails_cleanly)
{
    static const char *const cases[][2] = {{"Kerberos", "HTTP/server.example.test"},
                                           {"Negotiate", "HTTP/server.example.test"},
                                           {"Negotiate", "HOST/elsewhere.example.test"}};
    for (size_t k = 0; k < 3; k++) {
        uint64_t n = walk_every_allocation(package_exchange, cases[k][0], cases[k][1]);
        printf("walked %llu allocations of a %s exchange to %s\n", (unsigned long long)n, cases[k][0], cases[k][1]);
    }
}
END_TEST

/* Runs the three legs and stops at the first failure; returns the failing status, or SEC_E_OK.
 * *failed_leg says which leg failed (1: server reads NEGOTIATE, 2: client reads CHALLENGE,
 * 3: server reads AUTHENTICATE). */
static SECURITY_STATUS damaged_exchange(int *failed_leg, unsigned char *sent, ULONG *sent_len)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    SECURITY_STATUS st;
    *failed_leg = 0;
    ck_assert_sec_status(pair_client_step(&p, 0, NULL), SEC_I_CONTINUE_NEEDED);
    memcpy(sent, p.c2s, p.c2s_len);
    *sent_len = p.c2s_len;
    if ((st = pair_server_step(&p, 0)) != SEC_I_CONTINUE_NEEDED)
        *failed_leg = 1;
    else if ((st = pair_client_step(&p, 0, NULL)) != SEC_E_OK)
        *failed_leg = 2;
    else if ((st = pair_server_step(&p, 0)) != SEC_E_OK)
        *failed_leg = 3;
    if (p.client_made)
        DeleteSecurityContext(&p.client);
    if (p.server_made)
        DeleteSecurityContext(&p.server);
    FreeCredentialsHandle(&p.client_cred);
    FreeCredentialsHandle(&p.server_cred);
    return st;
}

START_TEST(a_corrupted_token_reaches_the_peer)
{
    unsigned char sent[4096];
    ULONG len;
    int leg;
    /* Byte 0 of NEGOTIATE is the 'N' of its signature: the server does not recognise the message. */
    ck_assert_int_eq(fakesspi_faults("token#1@0"), 0);
    ck_assert_sec_status(damaged_exchange(&leg, sent, &len), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(leg, 1);
    ck_assert_uint_eq(sent[0], (unsigned char)~'N');
    ck_assert_mem_eq(sent + 1, "TLMSSP", 6);

    /* Byte 8 of CHALLENGE is its message type: the client refuses it. */
    fakesspi_fault_clear();
    fakesspi_fault_token(2, 8);
    ck_assert_sec_status(damaged_exchange(&leg, sent, &len), SEC_E_INVALID_TOKEN);
    ck_assert_int_eq(leg, 2);

    /* The middle of AUTHENTICATE lies in the NTLMv2 response: its proof no longer matches. */
    ck_assert_int_eq(fakesspi_faults("token#3"), 0);
    ck_assert_sec_status(damaged_exchange(&leg, sent, &len), SEC_E_LOGON_DENIED);
    ck_assert_int_eq(leg, 3);

    /* Counting starts when armed, and a fault fires once: the next exchange is whole. */
    ck_assert_sec_status(damaged_exchange(&leg, sent, &len), SEC_E_OK);
    ck_assert_int_eq(leg, 0);
    ck_assert_uint_eq(sent[0], 'N');
}
END_TEST

/* A fault text refused, and the message that says why. */
struct refusal {
    const char *spec;
    const char *message;
};

/* Each text is refused (-1) with its message, and arms nothing. */
static void assert_each_refused(const struct refusal *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(fakesspi_faults(cases[i].spec) == -1, "%s was accepted", cases[i].spec);
        ck_assert_msg(strstr(fakesspi_last_message(), cases[i].message), "%s: got '%s'", cases[i].spec,
                      fakesspi_last_message());
    }
}

/* Nonsense the grammar took: a negative or overflowing count, a success as a fault, and a misleading message
 * once more than 32 faults were given. */
START_TEST(nonsense_faults_are_refused_by_what_is_wrong)
{
    static const struct refusal cases[] = {
        {"alloc#-1", "alloc#-1: the count must be a number from 1"},
        {"alloc# 3", "alloc# 3: the count must be a number from 1"},
        {"alloc#18446744073709551616", "alloc#18446744073709551616: the count must be a number from 1"},
        {"token#-2", "token#-2: write token#N"},
        {"token#1@99999999999999999999", "token#1@99999999999999999999: write token#N"},
        {"AcceptSecurityContext#99999999999999999999=SEC_E_LOGON_DENIED", "AcceptSecurityContext#99999999999999999999=SEC_E_LOGON_DENIED: write AcceptSecurityContext#N=STATUS"},
        {"AcceptSecurityContext#1=SEC_E_OK", "AcceptSecurityContext#1: 'SEC_E_OK' is a success, not a fault"},
        {"AcceptSecurityContext#1=SEC_I_CONTINUE_NEEDED", "'SEC_I_CONTINUE_NEEDED' is a success, not a fault"},
        {"LogonUserA#1=ERROR_SUCCESS", "LogonUserA#1: 'ERROR_SUCCESS' is a success, not a fault"},
    };
    assert_each_refused(cases, sizeof cases / sizeof *cases);
    /* 33 targets, each armed once (a number fails an SSPI function and a Win32 one alike) */
    static const char *const targets[33] = {
        "AcceptSecurityContext", "AccessCheck", "AcquireCredentialsHandleA", "AcquireCredentialsHandleW",
        "AddAccessAllowedAce", "AddAccessAllowedAceEx", "AddAccessDeniedAce", "AddAccessDeniedAceEx", "AddAce",
        "AddMandatoryAce", "AdjustTokenGroups", "AdjustTokenPrivileges", "AllocateAndInitializeSid",
        "AllocateLocallyUniqueId", "ApplyControlToken", "CheckTokenMembership", "CloseHandle", "CompleteAuthToken",
        "ConvertSidToStringSidA", "ConvertSidToStringSidW", "ConvertStringSidToSidA", "ConvertStringSidToSidW",
        "CopySid", "CreateRestrictedToken", "CreateWellKnownSid", "DecryptMessage", "DeleteAce",
        "DeleteSecurityContext", "DuplicateHandle", "DuplicateToken", "DuplicateTokenEx", "EncryptMessage",
        "ExportSecurityContext",
    };
    char many[33 * 48] = "";
    for (int i = 0; i < 33; i++) {
        strcat(strcat(strcat(many, i ? "," : ""), targets[i]), "#100=0x80090300");
        if (i == 31) {
            ck_assert_msg(fakesspi_faults(many) == 0, "%s", fakesspi_last_message()); /* 32 are fine */
            fakesspi_fault_clear();
        }
    }
    ck_assert_int_eq(fakesspi_faults(many), -1);
    ck_assert_str_eq(fakesspi_last_message(), "more than 32 faults at once");
    fakesspi_fault_clear();
}
END_TEST

START_TEST(token_fault_grammar_errors_are_refused)
{
    const char *bad[] = {"token#0", "token", "token#1@", "token#1@x", "token#1@-3", "token#2x", NULL};
    for (int i = 0; bad[i]; i++) {
        ck_assert_msg(fakesspi_faults(bad[i]) == -1, "%s was accepted", bad[i]);
        ck_assert_msg(strstr(fakesspi_last_message(), "token#") != NULL, "%s: %s", bad[i], fakesspi_last_message());
    }
    /* An offset past the end inverts the last byte: NEGOTIATE's NTLM revision (15), which the server
     * does not check, but the MIC in AUTHENTICATE covers the NEGOTIATE the client sent, so the damage
     * is found on the last leg. */
    unsigned char sent[4096];
    ULONG len;
    int leg;
    ck_assert_int_eq(fakesspi_faults("token#1@100000"), 0);
    SECURITY_STATUS st = damaged_exchange(&leg, sent, &len);
    ck_assert_uint_eq(sent[len - 1], (unsigned char)~15u);
    ck_assert_int_eq(leg, 3);
    ck_assert_sec_status(st, SEC_E_LOGON_DENIED); /* as for any MIC mismatch (test_ntlm_security) */
}
END_TEST


/* The LSA's functions (ntsecapi.h) return an NTSTATUS: faults name one, by its STATUS_ name. */

/* One contiguous MSV1_0_INTERACTIVE_LOGON: the structure, then its strings (as MSDN requires). */
struct logon_submission {
    union {
        MSV1_0_INTERACTIVE_LOGON logon;
        BYTE bytes[512];
    } u;
    ULONG size;
};

static void put_wide(struct logon_submission *s, UNICODE_STRING *field, const char *text)
{
    size_t n = strlen(text);
    WCHAR *at = (WCHAR *)(s->u.bytes + s->size);
    for (size_t i = 0; i < n; i++)
        at[i] = (WCHAR)text[i];
    at[n] = 0;
    field->Buffer = at;
    field->Length = field->MaximumLength = (USHORT)(n * sizeof(WCHAR));
    s->size += (ULONG)((n + 1) * sizeof(WCHAR));
}

static void alice_logon(struct logon_submission *s)
{
    memset(s, 0, sizeof *s);
    s->u.logon.MessageType = MsV1_0InteractiveLogon;
    s->size = sizeof s->u.logon;
    put_wide(s, &s->u.logon.LogonDomainName, "EXAMPLE");
    put_wide(s, &s->u.logon.UserName, "alice");
    put_wide(s, &s->u.logon.Password, "Passw0rd!");
}

struct logon_out {
    PVOID profile;
    ULONG profile_length;
    LUID luid;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
};

static NTSTATUS logon_alice(HANDLE lsa, ULONG package, struct logon_out *o)
{
    struct logon_submission s;
    alice_logon(&s);
    LSA_STRING origin = {9, 10, (PCHAR) "test_lsa"};
    TOKEN_SOURCE src = {{'U', 's', 'e', 'r', '3', '2', ' ', ' '}, {0x1234, 0x5}};
    return LsaLogonUser(lsa, &origin, Interactive, package, s.u.bytes, s.size, NULL, &src, &o->profile,
                        &o->profile_length, &o->luid, &o->token, &o->quotas, &o->sub);
}

static ULONG msv1_0(HANDLE lsa)
{
    LSA_STRING name = {(USHORT)strlen(MSV1_0_PACKAGE_NAME), (USHORT)sizeof MSV1_0_PACKAGE_NAME,
                       (PCHAR)MSV1_0_PACKAGE_NAME};
    ULONG package = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &package), STATUS_SUCCESS);
    return package;
}

static void assert_nothing_left(void)
{
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.live_allocations, 0);
    ck_assert_uint_eq(c.misuse_total, 0);
}

/* A fault on LsaLogonUser, LsaLookupNames2 or LsaOpenPolicy returns exactly the named NTSTATUS and writes no
 * out-parameter, *SubStatus included (the body never runs: doc/semantics.md §47); the next call is whole. */
START_TEST(lsa_faults_return_the_named_ntstatus_and_write_nothing)
{
    ck_assert_int_eq(fakesspi_faults("LsaOpenPolicy#1=STATUS_ACCESS_DENIED,LsaLookupNames2#1=STATUS_NO_MEMORY,"
                                     "LsaLogonUser#1=STATUS_NO_MEMORY"), 0);
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy = (LSA_HANDLE)(uintptr_t)0xdeadbeef;
    ck_assert_nt(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_ACCESS_DENIED);
    ck_assert_ptr_eq(policy, (LSA_HANDLE)(uintptr_t)0xdeadbeef);
    ck_assert_nt(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_SUCCESS);

    LSA_UNICODE_STRING name = {10, 12, (PWSTR)u"alice"};
    PLSA_REFERENCED_DOMAIN_LIST domains = (PLSA_REFERENCED_DOMAIN_LIST)(uintptr_t)0xdeadbeef;
    PLSA_TRANSLATED_SID2 sids = (PLSA_TRANSLATED_SID2)(uintptr_t)0xdeadbeef;
    ck_assert_nt(LsaLookupNames2(policy, 0, 1, &name, &domains, &sids), STATUS_NO_MEMORY);
    ck_assert_ptr_eq(domains, (PLSA_REFERENCED_DOMAIN_LIST)(uintptr_t)0xdeadbeef);
    ck_assert_ptr_eq(sids, (PLSA_TRANSLATED_SID2)(uintptr_t)0xdeadbeef);
    ck_assert_nt(LsaLookupNames2(policy, 0, 1, &name, &domains, &sids), STATUS_SUCCESS);
    ck_assert_int_eq(sids[0].Use, SidTypeUser);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(policy), STATUS_SUCCESS);

    HANDLE lsa;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    ULONG package = msv1_0(lsa);
    struct logon_out o;
    SENTINEL(o);
    ck_assert_nt(logon_alice(lsa, package, &o), STATUS_NO_MEMORY);
    ck_assert_untouched(o.profile);
    ck_assert_untouched(o.profile_length);
    ck_assert_untouched(o.luid);
    ck_assert_untouched(o.token);
    ck_assert_untouched(o.quotas);
    ck_assert_untouched(o.sub);
    ck_assert_nt(logon_alice(lsa, package, &o), STATUS_SUCCESS);
    ck_assert_int_eq(o.sub, STATUS_SUCCESS);
    ck_assert(CloseHandle(o.token));
    ck_assert_nt(LsaFreeReturnBuffer(o.profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    assert_nothing_left();
}
END_TEST

/* Every LSA function of the entry shape is a target, the frees and closes too (an injected failure frees and
 * closes nothing), and the control API takes the NTSTATUS itself. */
START_TEST(every_lsa_function_can_be_failed)
{
    ck_assert_int_eq(fakesspi_faults("LsaConnectUntrusted#1=STATUS_INSUFFICIENT_RESOURCES,"
                                     "LsaRegisterLogonProcess#1=STATUS_PORT_CONNECTION_REFUSED,"
                                     "LsaLookupAuthenticationPackage#1=STATUS_NO_SUCH_PACKAGE,"
                                     "LsaDeregisterLogonProcess#1=STATUS_INVALID_HANDLE,"
                                     "LsaQueryInformationPolicy#1=STATUS_ACCESS_DENIED,"
                                     "LsaLookupSids#1=STATUS_NONE_MAPPED,"
                                     "LsaFreeMemory#1=STATUS_INVALID_HANDLE,"
                                     "LsaFreeReturnBuffer#1=STATUS_INVALID_HANDLE"), 0);
    ck_assert_int_eq(fakesspi_fault_call("LsaClose", 1, STATUS_INVALID_HANDLE), 0);
    HANDLE lsa = (HANDLE)(uintptr_t)0xdeadbeef;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_INSUFFICIENT_RESOURCES);
    ck_assert_ptr_eq(lsa, (HANDLE)(uintptr_t)0xdeadbeef);
    LSA_STRING me = {4, 5, (PCHAR) "test"};
    LSA_OPERATIONAL_MODE mode = 0xdeadbeef;
    ck_assert_nt(LsaRegisterLogonProcess(&me, &lsa, &mode), STATUS_PORT_CONNECTION_REFUSED);
    ck_assert_uint_eq(mode, 0xdeadbeef);
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING name = {(USHORT)strlen(MSV1_0_PACKAGE_NAME), (USHORT)sizeof MSV1_0_PACKAGE_NAME,
                       (PCHAR)MSV1_0_PACKAGE_NAME};
    ULONG package = 0xdeadbeef;
    ck_assert_nt(LsaLookupAuthenticationPackage(lsa, &name, &package), STATUS_NO_SUCH_PACKAGE);
    ck_assert_uint_eq(package, 0xdeadbeef);
    struct logon_out o;
    ck_assert_nt(logon_alice(lsa, msv1_0(lsa), &o), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(o.profile), STATUS_INVALID_HANDLE);
    ck_assert_nt(LsaFreeReturnBuffer(o.profile), STATUS_SUCCESS); /* the injected failure freed nothing */
    ck_assert(CloseHandle(o.token));
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_INVALID_HANDLE);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS); /* still open until now */

    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy;
    ck_assert_nt(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES | POLICY_VIEW_LOCAL_INFORMATION, &policy),
                 STATUS_SUCCESS);
    PVOID info = (PVOID)(uintptr_t)0xdeadbeef;
    ck_assert_nt(LsaQueryInformationPolicy(policy, PolicyAccountDomainInformation, &info), STATUS_ACCESS_DENIED);
    ck_assert_ptr_eq(info, (PVOID)(uintptr_t)0xdeadbeef);
    ck_assert_nt(LsaQueryInformationPolicy(policy, PolicyAccountDomainInformation, &info), STATUS_SUCCESS);
    PSID sid = ((POLICY_ACCOUNT_DOMAIN_INFO *)info)->DomainSid;
    PLSA_REFERENCED_DOMAIN_LIST domains = (PLSA_REFERENCED_DOMAIN_LIST)(uintptr_t)0xdeadbeef;
    PLSA_TRANSLATED_NAME names = (PLSA_TRANSLATED_NAME)(uintptr_t)0xdeadbeef;
    ck_assert_nt(LsaLookupSids(policy, 1, &sid, &domains, &names), STATUS_NONE_MAPPED);
    ck_assert_ptr_eq(domains, (PLSA_REFERENCED_DOMAIN_LIST)(uintptr_t)0xdeadbeef);
    ck_assert_ptr_eq(names, (PLSA_TRANSLATED_NAME)(uintptr_t)0xdeadbeef);
    ck_assert_nt(LsaFreeMemory(info), STATUS_INVALID_HANDLE);
    ck_assert_nt(LsaFreeMemory(info), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(policy), STATUS_INVALID_HANDLE);
    ck_assert_nt(LsaClose(policy), STATUS_SUCCESS);
    assert_nothing_left();
}
END_TEST

/* An NTSTATUS is refused for an SSPI or Win32 function, a SECURITY_STATUS or Win32 error for an LSA one, and an
 * unknown STATUS_ name or a success for any: the parser's error, nothing armed. */
START_TEST(ntstatus_faults_are_refused_where_they_cannot_be_returned)
{
    static const struct refusal cases[] = {
        {"AcceptSecurityContext#1=STATUS_LOGON_FAILURE",
         "AcceptSecurityContext#1=STATUS_LOGON_FAILURE: AcceptSecurityContext fails with a failing SEC_E_ status"},
        {"LogonUserA#1=STATUS_ACCOUNT_DISABLED",
         "LogonUserA#1=STATUS_ACCOUNT_DISABLED: LogonUserA fails with a non-zero ERROR_ code"},
        {"LsaLogonUser#1=SEC_E_LOGON_DENIED",
         "LsaLogonUser#1=SEC_E_LOGON_DENIED: LsaLogonUser fails with a failing STATUS_ NTSTATUS"},
        {"LsaOpenPolicy#2=ERROR_ACCESS_DENIED",
         "LsaOpenPolicy#2=ERROR_ACCESS_DENIED: LsaOpenPolicy fails with a failing STATUS_ NTSTATUS"},
        {"LsaLookupNames2#1=STATUS_MADE_UP", "'STATUS_MADE_UP' is not a status or error name"},
        {"LsaLookupNames2#1=STATUS_SUCCESS", "LsaLookupNames2#1: 'STATUS_SUCCESS' is a success, not a fault"},
        {"LsaLookupNames2#1=STATUS_SOME_NOT_MAPPED",
         "LsaLookupNames2#1: 'STATUS_SOME_NOT_MAPPED' is a success, not a fault"},
        {"LsaLogonUser#0=STATUS_NO_MEMORY", "LsaLogonUser#0=STATUS_NO_MEMORY: write LsaLogonUser#N=STATUS"},
        {"LsaNtStatusToWinError#1=STATUS_NO_MEMORY", "'LsaNtStatusToWinError' is not a function"},
    };
    assert_each_refused(cases, sizeof cases / sizeof *cases);
    /* Nothing was armed by the refused ones: the LSA answers as usual. */
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy;
    ck_assert_nt(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(policy), STATUS_SUCCESS);
}
END_TEST

/* A status the tables do not name is injected by its number: hex for any family, decimal too (a Win32 code as
 * winerror.h writes it); the number must be a failure of the function's own kind (doc/semantics.md §47). */
START_TEST(a_fault_can_name_its_status_by_number)
{
    ck_assert_int_eq(fakesspi_faults("AcquireCredentialsHandleA#1=0x800903FF,LogonUserA#1=1326,"
                                     "LsaOpenPolicy#1=0xc0000022,CloseHandle#1=0x80090308"), 0);
    CredHandle cred;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                               NULL, &cred, NULL), (SECURITY_STATUS)0x800903FF);
    HANDLE h;
    ck_assert(!LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, 0, &h));
    ck_assert_last_error(ERROR_LOGON_FAILURE);
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy;
    ck_assert_nt(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_ACCESS_DENIED);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(!CloseHandle(h));
    ck_assert_last_error(0x80090308); /* an HRESULT as a last error, as SSPI's Win32 callers sometimes see */
    ck_assert(CloseHandle(h));

    static const struct refusal refused[] = {
        {"AcceptSecurityContext#1=0x00090312", "AcceptSecurityContext#1: '0x00090312' is a success, not a fault"},
        {"LsaLogonUser#1=0x0", "LsaLogonUser#1: '0x0' is a success, not a fault"},
        {"LogonUserA#1=0", "LogonUserA#1: '0' is a success, not a fault"},
        {"AcceptSecurityContext#1=0x1800903FF", "'0x1800903FF' is not a status or error name, nor a 32-bit number"},
        {"LogonUserA#1=4294967296", "'4294967296' is not a status or error name, nor a 32-bit number"},
        {"AcceptSecurityContext#1=0x", "'0x' is not a status or error name, nor a 32-bit number"},
        {"LogonUserA#1=13x", "'13x' is not a status or error name, nor a 32-bit number"},
        {"LogonUserA#1=-5", "'-5' is not a status or error name, nor a 32-bit number"},
        {"LogonUserA#1= 5", "' 5' is not a status or error name, nor a 32-bit number"},
        /* one fault per target at a time: a second in the same text would silently replace the first */
        {"LogonUserA#1=1326,LogonUserA#3=5", "LogonUserA#3=5: one fault per function at a time"},
        {"alloc#2,alloc#7+", "alloc#7+: one fault per allocation count at a time"},
        {"token#1,token#2@3", "token#2@3: one fault per token count at a time"},
    };
    assert_each_refused(refused, sizeof refused / sizeof *refused);
}
END_TEST

/* Counts the calls that failed; every failure must be STATUS_NO_MEMORY. */
static int lsa_session(const char *what, const char *target)
{
    (void)what;
    (void)target;
    int failures = 0;
    NTSTATUS st;
#define LSA_STEP(call)                                                                                       \
    if ((st = (call)) != STATUS_SUCCESS) {                                                                   \
        ck_assert_msg(st == STATUS_NO_MEMORY, "allocation %llu: %s gave %s (0x%08x)", current_allocation, #call, \
                      fakesspi_status_name(st) ? fakesspi_status_name(st) : "?", (unsigned)st);              \
        failures++;                                                                                          \
        goto out;                                                                                            \
    }
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy = NULL;
    HANDLE lsa = NULL;
    PVOID info = NULL;
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL, domains2 = NULL;
    PLSA_TRANSLATED_SID2 sids = NULL;
    PLSA_TRANSLATED_NAME names = NULL;
    struct logon_out o = {0};
    LSA_UNICODE_STRING name[2] = {{10, 12, (PWSTR)u"alice"}, {24, 26, (PWSTR)u"Domain Users"}};
    LSA_STRING msv = {(USHORT)strlen(MSV1_0_PACKAGE_NAME), (USHORT)sizeof MSV1_0_PACKAGE_NAME,
                      (PCHAR)MSV1_0_PACKAGE_NAME};
    ULONG package;
    LSA_STEP(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES | POLICY_VIEW_LOCAL_INFORMATION, &policy));
    LSA_STEP(LsaQueryInformationPolicy(policy, PolicyDnsDomainInformation, &info));
    LSA_STEP(LsaLookupNames2(policy, 0, 2, name, &domains, &sids));
    PSID found[2] = {sids[0].Sid, sids[1].Sid};
    LSA_STEP(LsaLookupSids(policy, 2, found, &domains2, &names));
    LSA_STEP(LsaConnectUntrusted(&lsa));
    LSA_STEP(LsaLookupAuthenticationPackage(lsa, &msv, &package));
    LSA_STEP(logon_alice(lsa, package, &o));
out:
    if (o.token)
        CloseHandle(o.token);
    if (o.profile)
        ck_assert_nt(LsaFreeReturnBuffer(o.profile), STATUS_SUCCESS);
    if (lsa)
        ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    PVOID blocks[] = {info, domains, sids, domains2, names};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (blocks[i])
            ck_assert_nt(LsaFreeMemory(blocks[i]), STATUS_SUCCESS);
    if (policy)
        ck_assert_nt(LsaClose(policy), STATUS_SUCCESS);
    return failures;
#undef LSA_STEP
}

/* An allocation failed inside an LSA call comes back as STATUS_NO_MEMORY, every one in turn, nothing left. */
START_TEST(every_allocation_of_an_lsa_session_fails_with_status_no_memory)
{
    uint64_t n = walk_every_allocation(lsa_session, "LSA", NULL);
    printf("walked %llu allocations of an LSA session\n", (unsigned long long)n);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/faults");
    TCase *tc = test_case("faults");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, the_nth_call_returns_the_armed_status);
    tcase_add_test(tc, win32_faults_set_the_last_error);
    tcase_add_test(tc, unknown_functions_and_names_are_refused);
    tcase_add_test(tc, every_sspi_and_win32_function_can_be_failed);
    tcase_add_exit_test(tc, a_typo_in_the_faults_stops_the_process, 2);
    tcase_add_test(tc, every_allocation_of_an_exchange_fails_cleanly);
    tcase_add_test(tc, every_allocation_of_kerberos_and_negotiate_exchanges_fails_cleanly);
    tcase_add_test(tc, a_corrupted_token_reaches_the_peer);
    tcase_add_test(tc, token_fault_grammar_errors_are_refused);
    tcase_add_test(tc, nonsense_faults_are_refused_by_what_is_wrong);
    tcase_add_test(tc, lsa_faults_return_the_named_ntstatus_and_write_nothing);
    tcase_add_test(tc, every_lsa_function_can_be_failed);
    tcase_add_test(tc, ntstatus_faults_are_refused_where_they_cannot_be_returned);
    tcase_add_test(tc, a_fault_can_name_its_status_by_number);
    tcase_add_test(tc, every_allocation_of_an_lsa_session_fails_with_status_no_memory);
    suite_add_tcase(s, tc);
    return test_run(s);
}
