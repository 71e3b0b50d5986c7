/* The trace: one line per call, in order, names not numbers, the same bytes for the same seed. */
#include <unistd.h>

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

START_TEST(each_call_is_one_line_in_order_with_names)
{
    trace_to_file("text", "1");
    session();
    char *t = read_trace();
    static const char *in_order[] = {
        "#1 [1] AcquireCredentialsHandleA(pszPackage=\"NTLM\"",
        "#3 [1] InitializeSecurityContextA(phCredential={0,",
        "fContextReq=ISC_REQ_CONFIDENTIALITY, pInput=NULL) -> phNewContext={0,",
        "pOutput=[TOKEN 40], pfContextAttr=ISC_RET_CONFIDENTIALITY|ISC_RET_CONNECTION|ISC_RET_INTEGRITY = "
        "SEC_I_CONTINUE_NEEDED",
        "AcceptSecurityContext(", "fContextReq=ASC_REQ_CONFIDENTIALITY, pInput=[TOKEN 40])",
        "= SEC_E_OK",
        "QueryContextAttributesA(phContext={0,", "ulAttribute=SECPKG_ATTR_ACCESS_TOKEN) -> AccessToken=0x",
        "DeleteSecurityContext(", "FreeCredentialsHandle(",
        "CloseHandle(hObject=0x", "= FALSE (ERROR_INVALID_HANDLE)",
    };
    const char *at = t;
    for (size_t i = 0; i < sizeof in_order / sizeof *in_order; i++) {
        const char *found = strstr(at, in_order[i]);
        ck_assert_msg(found, "'%s' missing after offset %td in:\n%s", in_order[i], at - t, t);
        at = found + strlen(in_order[i]);
    }
    ck_assert_ptr_null(strstr(t, "Hunter2!")); /* passwords never reach a trace */
}
END_TEST

START_TEST(the_same_seed_gives_the_same_trace_byte_for_byte)
{
    trace_to_file("json", "2");
    session();
    char first[1 << 16];
    snprintf(first, sizeof first, "%s", read_trace());
    trace_to_file("json", "2");
    session();
    ck_assert_str_eq(read_trace(), first);
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

int main(void)
{
    Suite *s = suite_create("api/trace");
    TCase *tc = test_case("trace");
    tcase_add_test(tc, each_call_is_one_line_in_order_with_names);
    tcase_add_test(tc, the_same_seed_gives_the_same_trace_byte_for_byte);
    tcase_add_test(tc, an_unwritable_destination_is_named);
    suite_add_tcase(s, tc);
    return test_run(s);
}
