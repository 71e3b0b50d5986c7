/* Leaks at exit: each live handle and block is reported; FAKESSPI_LEAK_EXITCODE sets the status. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* Forks; the child runs body with stderr in a pipe and then exit(0)s, so the exit-time checks run.
 * Returns the child's exit status; its stderr goes to out. */
static int run_child(void (*body)(void), char *out, size_t cap)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        body();
        exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t got;
    while (n + 1 < cap && (got = read(fds[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)got;
    out[n] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void leak_a_token_and_memory(void)
{
    fakesspi_reset();
    HANDLE h;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    LocalAlloc(LPTR, 24);
}

START_TEST(a_leaked_handle_and_block_are_reported_at_exit)
{
    char out[16384];
    int status = run_child(leak_a_token_and_memory, out, sizeof out);
    ck_assert_int_eq(status, 0);
    ck_assert_msg(strstr(out, "fakesspi: LEAK HANDLE: token handle"), "got: %s", out);
    ck_assert_ptr_nonnull(strstr(out, "EXAMPLE\\alice, primary"));
    ck_assert_ptr_nonnull(strstr(out, "handed out by OpenProcessToken"));
    ck_assert_ptr_nonnull(strstr(out, "fakesspi: LEAK MEMORY: 24 bytes from LocalAlloc"));
}
END_TEST

static void leak_with_exit_code(void)
{
    setenv("FAKESSPI_LEAK_EXITCODE", "7", 1);
    leak_a_token_and_memory();
}

START_TEST(leak_exitcode_makes_a_leaking_process_fail)
{
    char out[16384];
    ck_assert_int_eq(run_child(leak_with_exit_code, out, sizeof out), 7);
}
END_TEST

static void clean_exit(void)
{
    setenv("FAKESSPI_LEAK_EXITCODE", "7", 1);
    fakesspi_reset();
    HANDLE h;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    CloseHandle(h);
}

START_TEST(a_clean_process_reports_nothing)
{
    char out[4096];
    ck_assert_int_eq(run_child(clean_exit, out, sizeof out), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

/* Two context buffers and a LocalAlloc block left unfreed; with shift_the_heap set, the run first takes heap of
 * its own, so the blocks land at other addresses. */
static int shift_the_heap;
static void *elsewhere; /* reachable, so LeakSanitizer does not count it */
static void leak_context_buffers(void)
{
    fakesspi_reset();
    elsewhere = shift_the_heap ? malloc(40000) : NULL;
    PSecPkgInfoA ntlm, kerberos;
    QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &ntlm);
    QuerySecurityPackageInfoA((SEC_CHAR *)"Kerberos", &kerberos);
    LocalAlloc(LPTR, 24);
}

START_TEST(memory_leak_reports_are_the_same_in_two_runs_and_name_blocks_not_addresses)
{
    static char runs[2][32768]; /* from one call site, so the stacks match too */
    for (shift_the_heap = 0; shift_the_heap < 2; shift_the_heap++)
        ck_assert_int_eq(run_child(leak_context_buffers, runs[shift_the_heap], sizeof runs[0]), 0);
    const char *first = runs[0];
    ck_assert_str_eq(first, runs[1]);
    const char *const in_order[] = {
        "fakesspi: LEAK MEMORY: ", " bytes from QuerySecurityPackageInfoA (block #1) were never freed with "
        "FreeContextBuffer", " bytes from QuerySecurityPackageInfoA (block #2) were never freed with FreeContextBuffer",
        "24 bytes from LocalAlloc (block #3) were never freed with LocalFree"};
    assert_in_order(first, in_order, 4);
    ck_assert_msg(!strstr(first, " at 0x"), "an address in the report:\n%s", first);
}
END_TEST

START_TEST(check_leaks_on_demand_counts_them)
{
    HANDLE a, b;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &a);
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &b);
    ck_assert_uint_eq(fakesspi_check_leaks(), 2);
    CloseHandle(a);
    CloseHandle(b);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

static void *impersonate_and_leave(void *arg)
{
    ImpersonateLoggedOnUser((HANDLE)arg);
    return NULL; /* no RevertToSelf */
}

START_TEST(a_thread_that_ends_while_impersonating_is_reported)
{
    HANDLE bob;
    ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &bob));
    pthread_t th;
    pthread_create(&th, NULL, impersonate_and_leave, bob);
    pthread_join(th, NULL);
    ck_assert_misuse(THREAD_EXIT_IMPERSONATING, 1);
    CloseHandle(bob);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/leaks");
    TCase *tc = test_case("leaks");
    tcase_add_test(tc, a_leaked_handle_and_block_are_reported_at_exit);
    tcase_add_test(tc, leak_exitcode_makes_a_leaking_process_fail);
    tcase_add_test(tc, a_clean_process_reports_nothing);
    tcase_add_test(tc, check_leaks_on_demand_counts_them);
    tcase_add_test(tc, memory_leak_reports_are_the_same_in_two_runs_and_name_blocks_not_addresses);
    tcase_add_test(tc, a_thread_that_ends_while_impersonating_is_reported);
    suite_add_tcase(s, tc);
    return test_run(s);
}
