/* The misuse door: report text, counting, callback, and the three policies. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "core/misuse.h"

/* Runs fn with stderr sent to a temporary file; returns what was written (static buffer). */
static const char *stderr_of(void (*fn)(void))
{
    static char out[8192];
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, sizeof out - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return out;
}

static void double_close_once(void)
{
    HANDLE h;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
    CloseHandle(h);
    CloseHandle(h);
}

START_TEST(report_policy_writes_the_report_to_stderr)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_REPORT);
    const char *text = stderr_of(double_close_once);
    ck_assert_msg(!strncmp(text, "fakesspi: MISUSE DOUBLE_CLOSE: CloseHandle: ", 44), "got: %s", text);
    ck_assert_ptr_nonnull(strstr(text, "handed out by OpenProcessToken"));
    ck_assert_ptr_nonnull(strstr(text, "closed by CloseHandle"));
    ck_assert_ptr_nonnull(strstr(text, "misused by   CloseHandle"));
    ck_assert_misuse(DOUBLE_CLOSE, 1);
}
END_TEST

START_TEST(silent_policy_counts_without_writing)
{
    fakesspi_set_misuse_callback(NULL, NULL);
    const char *text = stderr_of(double_close_once);
    ck_assert_str_eq(text, "");
    ck_assert_misuse(DOUBLE_CLOSE, 1);
}
END_TEST

START_TEST(abort_policy_aborts_after_the_report)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_ABORT);
    double_close_once();
}
END_TEST

START_TEST(the_callback_gets_the_kind_and_the_full_report)
{
    double_close_once();
    ck_assert_int_eq(test_reports, 1);
    ck_assert_ptr_nonnull(strstr(test_last_report, "MISUSE DOUBLE_CLOSE"));
}
END_TEST

START_TEST(environment_chooses_the_policy)
{
    setenv("FAKESSPI_ON_MISUSE", "silent", 1);
    fakesspi_reset(); /* re-reads the environment and drops the callback */
    const char *text = stderr_of(double_close_once);
    ck_assert_str_eq(text, "");
    unsetenv("FAKESSPI_ON_MISUSE");
}
END_TEST

static void bad_policy_reset(void)
{
    setenv("FAKESSPI_ON_MISUSE", "sometimes", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_ON_MISUSE");
}

START_TEST(an_unknown_policy_value_is_named_not_ignored)
{
    const char *text = stderr_of(bad_policy_reset);
    ck_assert_ptr_nonnull(strstr(text, "FAKESSPI_ON_MISUSE=sometimes is not report, abort or silent"));
}
END_TEST

START_TEST(every_kind_has_a_stable_upper_case_name)
{
    for (int k = 0; k < FAKESSPI_MISUSE_KIND_COUNT; k++) {
        const char *name = fakesspi_misuse_name((fakesspi_misuse_kind)k);
        ck_assert_ptr_nonnull(name);
        for (const char *c = name; *c; c++)
            ck_assert(( *c >= 'A' && *c <= 'Z') || *c == '_');
    }
    ck_assert_str_eq(fakesspi_misuse_name(FAKESSPI_MISUSE_CLOSE_BORROWED), "CLOSE_BORROWED");
    ck_assert_ptr_null(fakesspi_misuse_name(FAKESSPI_MISUSE_KIND_COUNT));
}
END_TEST

START_TEST(counts_add_up_to_the_total)
{
    double_close_once();
    CloseHandle((HANDLE)(uintptr_t)0x123450);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.misuse[FAKESSPI_MISUSE_DOUBLE_CLOSE], 1);
    ck_assert_uint_eq(c.misuse[FAKESSPI_MISUSE_INVALID_HANDLE], 1);
    ck_assert_uint_eq(c.misuse_total, 2);
}
END_TEST

START_TEST(handle_reuse_windows_from_the_environment_recycles_values)
{
    setenv("FAKESSPI_HANDLE_REUSE", "windows", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_HANDLE_REUSE");
    HANDLE a, b;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &a));
    CloseHandle(a);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &b));
    ck_assert_ptr_eq(a, b);
    CloseHandle(b);
}
END_TEST

START_TEST(backtraces_can_be_turned_off)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_REPORT);
    setenv("FAKESSPI_BACKTRACE", "0", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_BACKTRACE");
    const char *text = stderr_of(double_close_once);
    ck_assert_ptr_nonnull(strstr(text, "handed out by OpenProcessToken"));
    ck_assert_ptr_null(strstr(text, "#0 "));
}
END_TEST

START_TEST(backtraces_are_on_by_default)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_REPORT);
    const char *text = stderr_of(double_close_once);
    ck_assert_ptr_nonnull(strstr(text, "#0 "));
}
END_TEST

static void luid_of_a_logon(LUID *out)
{
    HANDLE h;
    ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &h));
    TOKEN_STATISTICS st;
    DWORD n;
    ck_assert(GetTokenInformation(h, TokenStatistics, &st, sizeof st, &n));
    *out = st.AuthenticationId;
    CloseHandle(h);
}

/* One run with FAKESSPI_SEED=random in a child process: what it printed on stderr, the seed
 * fakesspi_seed() reported and a logon's LUID after each of two resets. */
struct random_run {
    char stderr_text[512];
    unsigned long long seed;
    LUID first, second;
};

static void run_with_random_seed(struct random_run *run)
{
    int out[2], err[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(err), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(err[1], 2);
        setenv("FAKESSPI_SEED", "random", 1);
        fakesspi_reset();
        struct random_run r = {{0}, fakesspi_seed(), {0, 0}, {0, 0}};
        luid_of_a_logon(&r.first);
        fakesspi_reset(); /* keeps the drawn seed, and says nothing more */
        luid_of_a_logon(&r.second);
        if (write(out[1], &r, sizeof r) != (ssize_t)sizeof r)
            _exit(1);
        _exit(0);
    }
    close(out[1]);
    close(err[1]);
    memset(run, 0, sizeof *run);
    struct random_run r;
    ck_assert_int_eq(read(out[0], &r, sizeof r), (ssize_t)sizeof r);
    ssize_t n = read(err[0], run->stderr_text, sizeof run->stderr_text - 1);
    ck_assert_int_gt(n, 0);
    run->seed = r.seed;
    run->first = r.first;
    run->second = r.second;
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(out[0]);
    close(err[0]);
}

START_TEST(seed_random_differs_between_runs_and_a_number_repeats)
{
    struct random_run one, two;
    run_with_random_seed(&one);
    run_with_random_seed(&two);
    ck_assert(one.first.LowPart != two.first.LowPart); /* 2^-20 chance of a false failure */
    ck_assert(one.seed != two.seed);
    LUID c, d;
    setenv("FAKESSPI_SEED", "1234", 1);
    fakesspi_reset();
    luid_of_a_logon(&c);
    fakesspi_reset();
    luid_of_a_logon(&d);
    unsetenv("FAKESSPI_SEED");
    ck_assert_uint_eq(c.LowPart, d.LowPart);
}
END_TEST

static void luid_with_seed(const char *seed, LUID *out)
{
    if (seed)
        setenv("FAKESSPI_SEED", seed, 1);
    else
        unsetenv("FAKESSPI_SEED");
    fakesspi_reset();
    luid_of_a_logon(out);
    unsetenv("FAKESSPI_SEED");
}

/* " -1" became 2^64-1 (strtoull skips the space and negates) and "010" was octal 8: refused or read as decimal. */
START_TEST(a_seed_is_a_plain_decimal_number)
{
    LUID fallback, minus_one, ten, octal_ten, eight, max;
    luid_with_seed(NULL, &fallback);
    luid_with_seed(" -1", &minus_one);                  /* refused (named on stderr): the default seed */
    luid_with_seed("18446744073709551615", &max);
    ck_assert_uint_eq(minus_one.LowPart, fallback.LowPart);
    ck_assert_uint_ne(minus_one.LowPart, max.LowPart);
    luid_with_seed("10", &ten);
    luid_with_seed("010", &octal_ten);
    luid_with_seed("8", &eight);
    ck_assert_uint_eq(octal_ten.LowPart, ten.LowPart);
    ck_assert_uint_ne(octal_ten.LowPart, eight.LowPart);
    LUID hex;
    luid_with_seed("0x10", &hex);                       /* refused */
    ck_assert_uint_eq(hex.LowPart, fallback.LowPart);
}
END_TEST

/* FAKESSPI_SEED=random says once what it drew; FAKESSPI_SEED=N with that N replays the run. */
START_TEST(seed_random_prints_the_seed_it_drew_and_that_seed_replays_the_run)
{
    struct random_run run;
    run_with_random_seed(&run);
    char expected[256];
    snprintf(expected, sizeof expected, "fakesspi: FAKESSPI_SEED=random drew %llu; rerun with FAKESSPI_SEED=%llu\n",
             run.seed, run.seed);
    ck_assert_str_eq(run.stderr_text, expected); /* once, though the child reset twice */
    ck_assert_uint_eq(run.first.LowPart, run.second.LowPart); /* the resets kept the drawn seed */
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", run.seed);
    setenv("FAKESSPI_SEED", seed, 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_SEED");
    ck_assert_uint_eq(fakesspi_seed(), run.seed);
    LUID replayed;
    luid_of_a_logon(&replayed);
    ck_assert_uint_eq(replayed.LowPart, run.first.LowPart);
    ck_assert_int_eq(replayed.HighPart, run.first.HighPart);
}
END_TEST

/* fakesspi_seed() is the seed in use: FAKESSPI_SEED's, 0 by default, or the last fakesspi_set_seed(). */
START_TEST(fakesspi_seed_returns_the_seed_in_use)
{
    ck_assert_uint_eq(fakesspi_seed(), 0);
    fakesspi_set_seed(0xfeedfacecafeull);
    ck_assert_uint_eq(fakesspi_seed(), 0xfeedfacecafeull);
    setenv("FAKESSPI_SEED", "42", 1); /* plain decimal only: a_seed_is_a_plain_decimal_number */
    fakesspi_reset();
    unsetenv("FAKESSPI_SEED");
    ck_assert_uint_eq(fakesspi_seed(), 42);
    fakesspi_reset();
    ck_assert_uint_eq(fakesspi_seed(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/misuse");
    TCase *tc = test_case("misuse");
    tcase_add_test(tc, report_policy_writes_the_report_to_stderr);
    tcase_add_test(tc, silent_policy_counts_without_writing);
    tcase_add_test_raise_signal(tc, abort_policy_aborts_after_the_report, SIGABRT);
    tcase_add_test(tc, the_callback_gets_the_kind_and_the_full_report);
    tcase_add_test(tc, environment_chooses_the_policy);
    tcase_add_test(tc, an_unknown_policy_value_is_named_not_ignored);
    tcase_add_test(tc, every_kind_has_a_stable_upper_case_name);
    tcase_add_test(tc, counts_add_up_to_the_total);
    tcase_add_test(tc, handle_reuse_windows_from_the_environment_recycles_values);
    tcase_add_test(tc, backtraces_can_be_turned_off);
    tcase_add_test(tc, backtraces_are_on_by_default);
    tcase_add_test(tc, seed_random_differs_between_runs_and_a_number_repeats);
    tcase_add_test(tc, a_seed_is_a_plain_decimal_number);
    tcase_add_test(tc, seed_random_prints_the_seed_it_drew_and_that_seed_replays_the_run);
    tcase_add_test(tc, fakesspi_seed_returns_the_seed_in_use);
    suite_add_tcase(s, tc);
    return test_run(s);
}
