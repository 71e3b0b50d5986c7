/* The trace: one line per call, in order, names not numbers, the same bytes for the same seed. */
#include <sys/wait.h>
#include <unistd.h>

#include "core/utf.h"
#include "authz.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "sspi/sspitest.h"

static char path[64];

static void trace_to_file(const char *format, const char *level)
{
    snprintf(path, sizeof path, "/tmp/fakesspi-trace-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    setenv("FAKESSPI_TRACE", path, 1);
    setenv("FAKESSPI_TRACE_FORMAT", format, 1);
    setenv("FAKESSPI_TRACE_LEVEL", level, 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_TRACE");
    unsetenv("FAKESSPI_TRACE_FORMAT");
    unsetenv("FAKESSPI_TRACE_LEVEL");
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
}

static char *read_trace(void)
{
    static char text[1 << 16];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    return text;
}

static void session(void)
{
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    pair_handshake(&p, ISC_REQ_CONFIDENTIALITY, ASC_REQ_CONFIDENTIALITY, "HOST/server");
    SecPkgContext_AccessToken at;
    QueryContextAttributesA(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &at);
    pair_free(&p);
    CloseHandle(at.AccessToken); /* after the context: the classic bug, traced too */
}

/* One trace per process: a reset (a Check fixture's, before each test) marks the file and goes on,
 * numbering from 1 again; notes, clock moves and misuse are in it too. */
START_TEST(the_trace_survives_a_reset_and_marks_it)
{
    trace_to_file("text", "1");
    setenv("FAKESSPI_TRACE", path, 1);
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(CloseHandle(h));
    fakesspi_trace_note("end of the first test");
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    fakesspi_clock_advance(600 * 10000000LL);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    ck_assert(CloseHandle(h));
    ck_assert(!CloseHandle(h));
    unsetenv("FAKESSPI_TRACE");
    char *t = read_trace();
    static const char expected[] =
        "#1 [1] OpenProcessToken(ProcessHandle=0xffffffffffffffff, DesiredAccess=8) -> TokenHandle=0x1000004 = TRUE\n"
        "#2 [1] CloseHandle(hObject=0x1000004) = TRUE\n"
        "#2 [1] note: end of the first test\n"
        "#0 fakesspi_reset()\n"
        "#0 [1] fakesspi_clock_advance(6000000000): now 133801638000000000\n"
        /* the next generation: the value closed before the reset names nothing new (doc/semantics.md §39) */
        "#1 [1] OpenProcessToken(ProcessHandle=0xffffffffffffffff, DesiredAccess=8) -> TokenHandle=0x2000004 = TRUE\n"
        "#2 [1] CloseHandle(hObject=0x2000004) = TRUE\n"
        "#3 [1] CloseHandle(hObject=0x2000004) = FALSE (ERROR_INVALID_HANDLE) [MISUSE DOUBLE_CLOSE]\n";
    ck_assert_str_eq(t, expected);
}
END_TEST

/* A call failed by fault injection is traced like any other, its status marked as injected. */
START_TEST(an_injected_fault_is_traced)
{
    trace_to_file("text", "1");
    ck_assert_int_eq(fakesspi_faults("AcquireCredentialsHandleA#1=SEC_E_NO_CREDENTIALS,CloseHandle#1=ERROR_ACCESS_DENIED,"
                                     "QuerySecurityPackageInfoA#1=0x800903FF"),
                     0);
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                                   NULL, &cred, NULL), SEC_E_NO_CREDENTIALS);
    ck_assert(!CloseHandle((HANDLE)(uintptr_t)0x40));
    PSecPkgInfoA info;
    ck_assert_int_eq(QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info), (SECURITY_STATUS)0x800903FF);
    char *t = read_trace();
    static const char expected[] =
        "#1 [1] AcquireCredentialsHandleA(pszPackage=\"NTLM\", fCredentialUse=SECPKG_CRED_OUTBOUND, pAuthData=NULL) = "
        "SEC_E_NO_CREDENTIALS (injected)\n"
        "#2 [1] CloseHandle(hObject=0x40) = FALSE (ERROR_ACCESS_DENIED) (injected)\n"
        "#3 [1] QuerySecurityPackageInfoA(pszPackageName=\"NTLM\") = status 0x800903ff (injected)\n";
    ck_assert_str_eq(t, expected);
}
END_TEST

/* The LSA's results are traced by name, an injected NTSTATUS marked as injected like any other fault, and an
 * allocation failed inside an LSA call names its site and ends STATUS_NO_MEMORY. */
START_TEST(an_injected_lsa_fault_is_traced_by_name)
{
    trace_to_file("text", "1");
    ck_assert_int_eq(fakesspi_faults("LsaOpenPolicy#1=STATUS_ACCESS_DENIED"), 0);
    LSA_OBJECT_ATTRIBUTES attrs = {0};
    LSA_HANDLE policy;
    ck_assert_int_eq(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_ACCESS_DENIED);
    ck_assert_int_eq(LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES, &policy), STATUS_SUCCESS);
    fakesspi_fault_alloc(1);
    LSA_UNICODE_STRING name = {10, 12, (PWSTR)u"alice"};
    PLSA_REFERENCED_DOMAIN_LIST domains;
    PLSA_TRANSLATED_SID2 sids;
    ck_assert_int_eq(LsaLookupNames2(policy, 0, 1, &name, &domains, &sids), STATUS_NO_MEMORY);
    ck_assert_int_eq(LsaClose(policy), STATUS_SUCCESS);
    char *t = read_trace();
    static const char *in_order[] = { /* the handle's value depends on the tests run before in the process */
        "#1 [1] LsaOpenPolicy(DesiredAccess=2048) = STATUS_ACCESS_DENIED (injected)\n",
        "#2 [1] LsaOpenPolicy(DesiredAccess=2048) -> PolicyHandle=0x", "004 = STATUS_SUCCESS\n",
        "#3 [1] LsaLookupNames2(PolicyHandle=0x", "004, Flags=0, Count=1) = STATUS_NO_MEMORY [FAULT alloc#1]\n",
        "#4 [1] LsaClose(ObjectHandle=0x", "004) = STATUS_SUCCESS\n",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
}
END_TEST

/* AccessCheck's line says which step decided which bits: each ACE that granted or denied something new, by
 * its number and SID, the owner's implicit rights, in the order MS-DTYP 2.5.3.2 walks them
 * (doc/semantics.md §23). Here the deny comes after an allow that already granted READ_CONTROL and SYNCHRONIZE, so it denies only
 * the rest of FILE_GENERIC_WRITE, and the third ACE cannot grant what the deny took. */
START_TEST(an_access_check_is_traced_decision_by_decision)
{
    trace_to_file("text", "1");
    HANDLE primary, token;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &primary));
    ck_assert(DuplicateToken(primary, SecurityImpersonation, &token));
    PSECURITY_DESCRIPTOR sd, owned;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:SYG:SYD:(A;;FR;;;WD)(D;;FW;;;WD)(A;;FA;;;AU)",
                                                                   SDDL_REVISION_1, &sd, NULL));
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA(
        "O:S-1-5-21-1000000001-2000000002-3000000003-1104G:SYD:(A;;FR;;;WD)", SDDL_REVISION_1, &owned, NULL));
    GENERIC_MAPPING files = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};
    PRIVILEGE_SET privileges;
    DWORD len = sizeof privileges, granted;
    BOOL status;
    ck_assert(AccessCheck(sd, token, FILE_READ_DATA | FILE_WRITE_DATA, &files, &privileges, &len, &granted, &status));
    ck_assert(!status);
    ck_assert(AccessCheck(owned, token, MAXIMUM_ALLOWED, &files, &privileges, &len, &granted, &status));
    ck_assert(status);
    char *t = read_trace();
    static const char *in_order[] = {
        "AccessCheck(ClientToken=0x", "DesiredAccess=3) -> GrantedAccess=0, AccessStatus=0, decided=\"ACE 1 allow "
        "S-1-1-0 +READ_CONTROL|SYNCHRONIZE|0x89, ACE 2 deny S-1-1-0 -0x116, ACE 3 allow S-1-5-11 "
        "+DELETE|WRITE_DAC|WRITE_OWNER|0x60\" = TRUE\n",
        "AccessCheck(ClientToken=0x", "DesiredAccess=33554432) -> GrantedAccess=1441929, AccessStatus=1, "
        "decided=\"owner +READ_CONTROL|WRITE_DAC, ACE 1 allow S-1-1-0 +SYNCHRONIZE|0x89\" = TRUE\n",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
    LocalFree(sd);
    LocalFree(owned);
    CloseHandle(token);
    CloseHandle(primary);
}
END_TEST

/* AuthzAccessCheck's line says the same (doc/semantics.md §56): the reply's mask and error, and the deciding ACEs. */
START_TEST(an_authz_check_is_traced_decision_by_decision)
{
    trace_to_file("text", "1");
    HANDLE token;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &token));
    AUTHZ_RESOURCE_MANAGER_HANDLE rm;
    ck_assert(AuthzInitializeResourceManager(AUTHZ_RM_FLAG_NO_AUDIT, NULL, NULL, NULL, NULL, &rm));
    AUTHZ_CLIENT_CONTEXT_HANDLE c;
    LUID none = {0, 0};
    ck_assert(AuthzInitializeContextFromToken(0, token, rm, NULL, none, NULL, &c));
    PSECURITY_DESCRIPTOR sd;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:SYG:SYD:(A;;0x1;;;WD)(D;;0x6;;;WD)(A;;0x7;;;AU)",
                                                                   SDDL_REVISION_1, &sd, NULL));
    AUTHZ_ACCESS_REQUEST req = {0x3, NULL, NULL, 0, NULL};
    DWORD granted, error;
    AUTHZ_ACCESS_REPLY reply = {1, &granted, NULL, &error};
    ck_assert(AuthzAccessCheck(0, c, &req, NULL, sd, NULL, 0, &reply, NULL));
    ck_assert_uint_eq(error, ERROR_ACCESS_DENIED);
    char *t = read_trace();
    static const char *in_order[] = {
        "AuthzAccessCheck(hAuthzClientContext=0x", "DesiredAccess=3, OptionalSecurityDescriptorCount=0) -> "
        "GrantedAccessMask=0, Error=5, decided=\"ACE 1 allow S-1-1-0 +0x1, ACE 2 deny S-1-1-0 -0x6\" = TRUE\n",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
    LocalFree(sd);
    ck_assert(AuthzFreeContext(c));
    ck_assert(AuthzFreeResourceManager(rm));
    CloseHandle(token);
}
END_TEST

START_TEST(each_call_is_one_line_in_order_with_names)
{
    trace_to_file("text", "1");
    session();
    char *t = read_trace();
    static const char *in_order[] = {
        "#1 [1] AcquireCredentialsHandleA(pszPackage=\"NTLM\"",
        "#3 [1] InitializeSecurityContextA(phCredential={2,",
        "fContextReq=ISC_REQ_CONFIDENTIALITY, pInput=NULL) -> phNewContext={2,",
        "pOutput=[TOKEN 40], pfContextAttr=ISC_RET_CONFIDENTIALITY|ISC_RET_INTEGRITY = "
        "SEC_I_CONTINUE_NEEDED",
        "AcceptSecurityContext(", "fContextReq=ASC_REQ_CONFIDENTIALITY, pInput=[TOKEN 40])",
        "= SEC_E_OK",
        "QueryContextAttributesA(phContext={2,", "ulAttribute=SECPKG_ATTR_ACCESS_TOKEN) -> AccessToken=0x",
        "DeleteSecurityContext(", "FreeCredentialsHandle(",
        "CloseHandle(hObject=0x", "= FALSE (ERROR_INVALID_HANDLE)",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
    ck_assert_ptr_null(strstr(t, "Hunter2!")); /* passwords never reach a trace */
}
END_TEST

/* One session traced by a forked child, which opens the trace itself: each child starts from the same state,
 * as two runs of one program do (handle values move on across resets in one process: doc/semantics.md §39). */
static char *session_in_a_child(const char *format, const char *level)
{
    snprintf(path, sizeof path, "/tmp/fakesspi-trace-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setenv("FAKESSPI_TRACE", path, 1);
        setenv("FAKESSPI_TRACE_FORMAT", format, 1);
        setenv("FAKESSPI_TRACE_LEVEL", level, 1);
        fakesspi_reset();
        fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
        session();
        exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return read_trace();
}

START_TEST(the_same_seed_gives_the_same_trace_byte_for_byte)
{
    static char first[1 << 16];
    snprintf(first, sizeof first, "%s", session_in_a_child("json", "2"));
    ck_assert_str_eq(session_in_a_child("json", "2"), first);
    ck_assert_ptr_nonnull(strstr(first, "\"hex\":\"4e544c4d535350000100000"));
    ck_assert_ptr_nonnull(strstr(first, "{\"seq\":1,\"thread\":1,\"function\":\"AcquireCredentialsHandleA\",\"args\":{"));
}
END_TEST

static void bad_destination(void)
{
    setenv("FAKESSPI_TRACE", "/nonexistent/dir/trace.txt", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_TRACE");
}

START_TEST(an_unwritable_destination_is_named)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    bad_destination();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    char text[512] = "";
    size_t n = fread(text, 1, sizeof text - 1, tmp);
    text[n] = '\0';
    fclose(tmp);
    ck_assert_ptr_nonnull(strstr(text, "FAKESSPI_TRACE=/nonexistent/dir/trace.txt cannot be opened"));
}
END_TEST

/* A first leg to a target name a caller does not control. */
static void first_leg_to(const char *target)
{
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char out[4096];
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred,
                                               NULL), SEC_E_OK);
    ck_assert_sec_status(InitializeSecurityContextA(&cred, NULL, (char *)target, 0, 0, 0, NULL, 0, &ctx, &od, &attrs,
                                                NULL), SEC_I_CONTINUE_NEEDED);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
}

START_TEST(a_newline_in_a_target_name_cannot_forge_a_trace_line)
{
    trace_to_file("text", "1");
    first_leg_to("HOST/x\n#99 [1] LogonUserA(lpszUsername=\"Administrator\") = TRUE\r\t\x01\"\\");
    char *t = read_trace();
    ck_assert_msg(strstr(t, "pszTargetName=\"HOST/x\\n#99 [1] LogonUserA(lpszUsername=\\\"Administrator\\\") = TRUE"
                            "\\r\\t\\x01\\\"\\\""), "got:\n%s", t);
    for (const char *line = t; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        ck_assert_msg(strncmp(line, "#99 ", 4), "a forged line:\n%s", t);
}
END_TEST

START_TEST(bytes_that_are_not_utf8_keep_the_json_trace_valid)
{
    trace_to_file("json", "1");
    first_leg_to("HOST/caf\xe9\xff-\xc3\xa9");
    char *t = read_trace();
    ck_assert_msg(fs_utf8_is_valid(t, strlen(t)), "the JSON trace is not UTF-8:\n%s", t);
    ck_assert_msg(strstr(t, "\"pszTargetName\":\"HOST/caf\\ufffd\\ufffd-\xc3\xa9\""), "got:\n%s", t);
    trace_to_file("text", "1");
    first_leg_to("HOST/caf\xe9");
    t = read_trace();
    ck_assert_msg(strstr(t, "pszTargetName=\"HOST/caf\\xe9\""), "got:\n%s", t);
}
END_TEST

/* /dev/full took every line and said nothing. */
START_TEST(a_trace_that_cannot_be_written_says_so_once)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    setenv("FAKESSPI_TRACE", "/dev/full", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_TRACE");
    first_leg_to("HOST/server");
    first_leg_to("HOST/server");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    char text[2048] = "";
    size_t n = fread(text, 1, sizeof text - 1, tmp);
    text[n] = '\0';
    fclose(tmp);
    const char *said = strstr(text, "fakesspi: writing the trace to /dev/full failed (No space left on device); "
                                    "tracing stops");
    ck_assert_msg(said != NULL, "got: %s", text);
    ck_assert_msg(!strstr(said + 20, "writing the trace"), "more than once: %s", text);
    fakesspi_reset();
}
END_TEST

/* Beyond SSPI: the handle, account, name and SID calls a server makes around a logon. */
static void account_session(void)
{
    HANDLE token, copy;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &token));
    ck_assert(DuplicateHandle(GetCurrentProcess(), token, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS));
    ck_assert(SetHandleInformation(copy, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
    DWORD flags;
    ck_assert(GetHandleInformation(copy, &flags));
    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD sid_size = sizeof sid;
    char domain[32], name[64];
    DWORD domain_size = sizeof domain, name_size = sizeof name;
    SID_NAME_USE use;
    ck_assert(LookupAccountNameA(NULL, "EXAMPLE\\Engineering", sid, &sid_size, domain, &domain_size, &use));
    BOOL member;
    HANDLE imp;
    ck_assert(DuplicateToken(token, SecurityImpersonation, &imp));
    ck_assert(CheckTokenMembership(imp, sid, &member));
    domain_size = sizeof domain;
    WCHAR wname[64], wdomain[32];
    DWORD wname_size = 64, wdomain_size = 32;
    ck_assert(LookupAccountSidW(NULL, sid, wname, &wname_size, wdomain, &wdomain_size, &use));
    ck_assert(GetUserNameA(name, &name_size));
    ULONG ex_size = sizeof name;
    ck_assert(GetUserNameExA(NameUserPrincipal, name, &ex_size));
    ex_size = sizeof name;
    ck_assert(TranslateNameA("EXAMPLE\\bob", NameSamCompatible, NameDisplay, name, &ex_size));
    LPSTR text;
    ck_assert(ConvertSidToStringSidA(sid, &text));
    ck_assert_ptr_null(LocalFree(text));
    PSID parsed;
    ck_assert(ConvertStringSidToSidW(u"S-1-5-32-544", &parsed));
    ck_assert_ptr_null(LocalFree(parsed));
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID system;
    ck_assert(AllocateAndInitializeSid(&nt, 1, SECURITY_LOCAL_SYSTEM_RID, 0, 0, 0, 0, 0, 0, 0, &system));
    ck_assert_ptr_null(FreeSid(system));
    ck_assert_ptr_nonnull(LocalFree(system)); /* freed already: it comes back, and the trace says why */
    CloseHandle(imp);
    CloseHandle(copy);
    CloseHandle(token);
}

START_TEST(handle_account_and_sid_calls_are_traced_too)
{
    trace_to_file("text", "1");
    account_session();
    char *t = read_trace();
    /* Every value is deterministic: handles, SIDs, names. Sizes follow each function's own rule
     * (GetUserName counts the NUL, GetUserNameEx does not, TranslateName does). Pointers are never shown. */
    static const char expected[] =
        "#1 [1] OpenProcessToken(ProcessHandle=0xffffffffffffffff, DesiredAccess=10) -> TokenHandle=0x1000004 = TRUE\n"
        "#2 [1] DuplicateHandle(hSourceHandle=0x1000004, dwDesiredAccess=0, bInheritHandle=0, dwOptions=2) -> "
        "lpTargetHandle=0x1000008 = TRUE\n"
        "#3 [1] SetHandleInformation(hObject=0x1000008, dwMask=1, dwFlags=1) = TRUE\n"
        "#4 [1] GetHandleInformation(hObject=0x1000008) -> lpdwFlags=1 = TRUE\n"
        "#5 [1] LookupAccountNameA(lpSystemName=NULL, lpAccountName=\"EXAMPLE\\Engineering\") -> "
        "Sid=\"S-1-5-21-1000000001-2000000002-3000000003-1200\", ReferencedDomainName=\"EXAMPLE\", peUse=SidTypeGroup = TRUE\n"
        "#6 [1] DuplicateToken(hExistingToken=0x1000004, ImpersonationLevel=SecurityImpersonation, TokenType=TokenImpersonation) -> "
        "phNewToken=0x100000c = TRUE\n"
        "#7 [1] CheckTokenMembership(TokenHandle=0x100000c, SidToCheck=\"S-1-5-21-1000000001-2000000002-3000000003-1200\") "
        "-> IsMember=1 = TRUE\n"
        "#8 [1] LookupAccountSidW(lpSystemName=NULL, Sid=\"S-1-5-21-1000000001-2000000002-3000000003-1200\") -> "
        "Name=\"Engineering\", ReferencedDomainName=\"EXAMPLE\", peUse=SidTypeGroup = TRUE\n"
        "#9 [1] GetUserNameA() -> lpBuffer=\"alice\", pcbBuffer=6 = TRUE\n"
        "#10 [1] GetUserNameExA(NameFormat=NameUserPrincipal) -> lpNameBuffer=\"alice@example.test\", nSize=18 = TRUE\n"
        "#11 [1] TranslateNameA(lpAccountName=\"EXAMPLE\\bob\", AccountNameFormat=NameSamCompatible, DesiredNameFormat=NameDisplay) -> "
        "lpTranslatedName=\"Bob Builder\", nSize=12 = TRUE\n"
        "#12 [1] ConvertSidToStringSidA(Sid=\"S-1-5-21-1000000001-2000000002-3000000003-1200\") -> "
        "StringSid=\"S-1-5-21-1000000001-2000000002-3000000003-1200\" = TRUE\n"
        "#13 [1] LocalFree() = NULL\n"
        "#14 [1] ConvertStringSidToSidW(StringSid=\"S-1-5-32-544\") -> Sid=\"S-1-5-32-544\" = TRUE\n"
        "#15 [1] LocalFree() = NULL\n"
        "#16 [1] AllocateAndInitializeSid(nSubAuthorityCount=1) -> pSid=\"S-1-5-18\" = TRUE\n"
        "#17 [1] FreeSid() = NULL\n"
        "#18 [1] LocalFree() = not freed (ERROR_INVALID_HANDLE) [MISUSE DOUBLE_FREE]\n"
        "#19 [1] CloseHandle(hObject=0x100000c) = TRUE\n"
        "#20 [1] CloseHandle(hObject=0x1000008) = TRUE\n"
        "#21 [1] CloseHandle(hObject=0x1000004) = TRUE\n";
    ck_assert_str_eq(t, expected);
}
END_TEST

/* The SSPI calls around the handshake: packages, credential attributes, export and import. */
START_TEST(package_credential_and_export_calls_are_traced)
{
    trace_to_file("text", "1");
    ULONG count;
    PSecPkgInfoA info;
    ck_assert_sec_status(EnumerateSecurityPackagesA(&count, &info), SEC_E_OK);
    FreeContextBuffer(info);
    ck_assert_sec_status(QuerySecurityPackageInfoA("Kerberos5", &info), SEC_E_SECPKG_NOT_FOUND);
    struct pair p;
    pair_credentials(&p, "bob", "Hunter2!");
    SecPkgCredentials_NamesA names;
    ck_assert_sec_status(QueryCredentialsAttributesA(&p.client_cred, SECPKG_CRED_ATTR_NAMES, &names), SEC_E_OK);
    FreeContextBuffer(names.sUserName);
    ck_assert_sec_status(pair_handshake(&p, 0, 0, NULL), SEC_E_OK);
    ck_assert_sec_status(CompleteAuthToken(&p.server, NULL), SEC_E_OK);
    SecPkgContext_Sizes sizes;
    ck_assert_sec_status(QueryContextAttributesExA(&p.server, SECPKG_ATTR_SIZES, &sizes, 4), SEC_E_BUFFER_TOO_SMALL);
    SecBuffer packed;
    HANDLE token;
    ck_assert_sec_status(ExportSecurityContext(&p.server, 0, &packed, (void **)&token), SEC_E_OK);
    CtxtHandle imported;
    ck_assert_sec_status(ImportSecurityContextA("NTLM", &packed, token, &imported), SEC_E_OK);
    FreeContextBuffer(packed.pvBuffer);
    CloseHandle(token);
    DeleteSecurityContext(&imported);
    pair_free(&p);
    char *t = read_trace();
    static const char *in_order[] = {
        "#1 [1] EnumerateSecurityPackagesA() -> pcPackages=3 = SEC_E_OK\n",
        "#3 [1] QuerySecurityPackageInfoA(pszPackageName=\"Kerberos5\") = SEC_E_SECPKG_NOT_FOUND\n",
        "QueryCredentialsAttributesA(phCredential={2,", "ulAttribute=SECPKG_CRED_ATTR_NAMES) -> sUserName=\"EXAMPLE\\bob\" = SEC_E_OK\n",
        "CompleteAuthToken(phContext={2,", "}) = SEC_E_OK\n",
        "QueryContextAttributesExA(phContext={2,", "ulAttribute=SECPKG_ATTR_SIZES, cbBuffer=4) = SEC_E_BUFFER_TOO_SMALL\n",
        "ExportSecurityContext(phContext={2,", "fFlags=0) -> cbPackedContext=",
        "ImportSecurityContextA(pszPackage=\"NTLM\", cbPackedContext=", ") -> phContext={2,",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
}
END_TEST

/* Enumerated arguments print by name, as flags do; a value without a name prints as its number. */
START_TEST(enumerations_are_traced_by_name)
{
    trace_to_file("text", "1");
    HANDLE h;
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &h));
    DWORD n = 0xdeadbeef;
    ck_assert(!GetTokenInformation(h, TokenUser, NULL, 0, &n));
    ck_assert(CloseHandle(h));
    char name[64];
    DWORD size = sizeof name;
    ck_assert(GetComputerNameExA(ComputerNameDnsHostname, name, &size));
    size = sizeof name;
    ck_assert(!GetComputerNameExA((COMPUTER_NAME_FORMAT)77, name, &size));
    char *t = read_trace();
    static const char *in_order[] = {
        "#1 [1] LogonUserA(", "dwLogonType=LOGON32_LOGON_NETWORK", "= TRUE\n",
        "#2 [1] GetTokenInformation(", "TokenInformationClass=TokenUser,", "= FALSE (ERROR_INSUFFICIENT_BUFFER)\n",
        "#4 [1] GetComputerNameExA(NameType=ComputerNameDnsHostname)",
        "#5 [1] GetComputerNameExA(NameType=77)",
    };
    assert_in_order(t, in_order, sizeof in_order / sizeof *in_order);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/trace");
    TCase *tc = test_case("trace");
    tcase_add_test(tc, each_call_is_one_line_in_order_with_names);
    tcase_add_test(tc, an_injected_fault_is_traced);
    tcase_add_test(tc, an_injected_lsa_fault_is_traced_by_name);
    tcase_add_test(tc, an_access_check_is_traced_decision_by_decision);
    tcase_add_test(tc, an_authz_check_is_traced_decision_by_decision);
    tcase_add_test(tc, the_trace_survives_a_reset_and_marks_it);
    tcase_add_test(tc, the_same_seed_gives_the_same_trace_byte_for_byte);
    tcase_add_test(tc, an_unwritable_destination_is_named);
    tcase_add_test(tc, a_newline_in_a_target_name_cannot_forge_a_trace_line);
    tcase_add_test(tc, bytes_that_are_not_utf8_keep_the_json_trace_valid);
    tcase_add_test(tc, a_trace_that_cannot_be_written_says_so_once);
    tcase_add_test(tc, handle_account_and_sid_calls_are_traced_too);
    tcase_add_test(tc, package_credential_and_export_calls_are_traced);
    tcase_add_test(tc, enumerations_are_traced_by_name);
    suite_add_tcase(s, tc);
    return test_run(s);
}
