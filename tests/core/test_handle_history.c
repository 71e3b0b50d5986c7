/* Handle history (!htrace): every event a value went through, in order, from a test and in reports. */
#include "sspi/sspitest.h"

#include "core/origin.h"

static char *line_of(uintptr_t value, const char *prefix)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "%s %#lx", prefix, (unsigned long)value);
    return buf;
}

/* One call site reached from two callers at the same stack depth (noipa: not inlined, not folded into
 * one function): the stacks are cached per call site
 * and must still name each one's own caller (core/origin.c checks the saved return addresses). */
static __attribute__((noipa)) HANDLE open_here(void)
{
    HANDLE h = NULL;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    __asm__ volatile("" ::: "memory"); /* no tail call: this frame stays on the stack */
    return h;
}

static __attribute__((noipa)) HANDLE from_alpha(void)
{
    HANDLE h = open_here();
    __asm__ volatile("" ::: "memory");
    return h;
}

static __attribute__((noipa)) HANDLE from_beta(void)
{
    HANDLE h = open_here();
    __asm__ volatile("" ::: "memory");
    return h;
}

static void assert_opened_from(HANDLE h, const char *caller, const char *not_caller)
{
    char *history = fakesspi_handle_history((uintptr_t)h);
    ck_assert_msg(strstr(history, "#0 open_here at ") && strstr(history, caller) && !strstr(history, not_caller),
                  "want %s, not %s, in:\n%s", caller, not_caller, history);
    free(history);
    CloseHandle(h);
}

START_TEST(one_call_site_from_two_callers_keeps_each_callers_stack)
{
    for (int round = 0; round < 3; round++) {
        assert_opened_from(from_alpha(), "#1 from_alpha at ", "from_beta");
        assert_opened_from(from_beta(), "#1 from_beta at ", "from_alpha");
    }
}
END_TEST

/* Two functions calling OpenProcessToken and CloseHandle: four call sites in all, which the per-thread cache
 * keeps together wherever ASLR puts them (a set holds four). With the direct-mapped table before it, two of the four
 * shared a slot in about one run in eleven, and then unwound on every call. */
static __attribute__((noipa)) void open_and_close_here(void)
{
    HANDLE h = NULL;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    CloseHandle(h);
    __asm__ volatile("" ::: "memory");
}

static __attribute__((noipa)) void open_and_close_there(void)
{
    HANDLE h = NULL;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h);
    CloseHandle(h);
    __asm__ volatile("" ::: "memory");
}

START_TEST(a_loop_over_a_few_call_sites_unwinds_only_once_per_site)
{
    enum { ROUNDS = 50 };
    uint64_t before = fs_origin_unwinds(), after[ROUNDS];
    /* The same callers every round (no branch on the round, which the compiler would peel into other call
     * sites): only the first round unwinds. */
    for (int round = 0; round < ROUNDS; round++) {
        open_and_close_here();
        open_and_close_there();
        after[round] = fs_origin_unwinds();
    }
    ck_assert_uint_gt(after[0], before);
    ck_assert_uint_eq(after[ROUNDS - 1], after[0]);
}
END_TEST

START_TEST(a_token_handle_tells_its_whole_life)
{
    HANDLE token, copy;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &token));
    ck_assert(DuplicateHandle(GetCurrentProcess(), token, GetCurrentProcess(), &copy, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
    ck_assert(CloseHandle(token));
    ck_assert(!CloseHandle(token));
    ck_assert(CloseHandle(copy));

    char *history = fakesspi_handle_history((uintptr_t)token);
    char expect[4][128];
    snprintf(expect[0], sizeof expect[0], "OpenProcessToken: opened token handle %#lx (OWNED)", (unsigned long)token);
    snprintf(expect[1], sizeof expect[1], "DuplicateHandle: %#lx duplicated into token handle %#lx",
             (unsigned long)token, (unsigned long)copy);
    snprintf(expect[2], sizeof expect[2], "CloseHandle: closed token handle %#lx", (unsigned long)token);
    snprintf(expect[3], sizeof expect[3], "CloseHandle: MISUSE DOUBLE_CLOSE of %#lx", (unsigned long)token);
    const char *order[] = {expect[0], expect[1], expect[2], expect[3]};
    assert_in_order(history, order, sizeof order / sizeof *order);
    /* Each event carries the stack that made it. */
    ck_assert_msg(strstr(history, "  #0 ") != NULL, "no stack in:\n%s", history);
    free(history);

    char *copy_history = fakesspi_handle_history((uintptr_t)copy);
    char from[128];
    snprintf(from, sizeof from, "token handle %#lx duplicated from %#lx", (unsigned long)copy, (unsigned long)token);
    const char *copy_order[] = {"DuplicateHandle: opened token handle", from, "CloseHandle: closed"};
    assert_in_order(copy_history, copy_order, sizeof copy_order / sizeof *copy_order);
    ck_assert_ptr_null(strstr(copy_history, "MISUSE"));
    free(copy_history);
}
END_TEST

START_TEST(duplicate_token_ex_is_recorded_on_both_values)
{
    HANDLE token, imp;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE, &token));
    ck_assert(DuplicateTokenEx(token, TOKEN_QUERY, NULL, SecurityImpersonation, TokenImpersonation, &imp));
    char *history = fakesspi_handle_history((uintptr_t)token);
    ck_assert_msg(history && strstr(history, line_of((uintptr_t)imp, "duplicated into token handle")),
                  "%s", history);
    free(history);
    CloseHandle(imp);
    CloseHandle(token);
}
END_TEST

START_TEST(a_lent_access_token_shows_its_owner_and_its_revocation)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_REQ_CONNECTION, ASC_REQ_CONNECTION, NULL), SEC_E_OK);
    SecPkgContext_AccessToken at;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_ACCESS_TOKEN, &at), SEC_E_OK);
    uintptr_t server = p.server.dwUpper;
    pair_free(&p);
    ck_assert(!CloseHandle(at.AccessToken)); /* the owner is gone: a stale value */
    ck_assert_misuse(OWNER_GONE, 1);

    char *history = fakesspi_handle_history((uintptr_t)at.AccessToken);
    char lent[128], revoked[128];
    snprintf(lent, sizeof lent, "lent token handle %#lx by its owner %#lx (BORROWED)", (unsigned long)at.AccessToken,
             (unsigned long)server);
    snprintf(revoked, sizeof revoked, "revoked token handle %#lx: its owner %#lx was deleted",
             (unsigned long)at.AccessToken, (unsigned long)server);
    const char *order[] = {"QueryContextAttributes", lent, "DeleteSecurityContext", revoked,
                           "CloseHandle: MISUSE OWNER_GONE"};
    assert_in_order(history, order, sizeof order / sizeof *order);
    free(history);

    /* The owner's own history names what it lent. */
    char *owner = fakesspi_handle_history(server);
    char lent_by[128];
    snprintf(lent_by, sizeof lent_by, "%#lx lent its token handle %#lx", (unsigned long)server,
             (unsigned long)at.AccessToken);
    const char *owner_order[] = {"AcceptSecurityContext: opened context handle", lent_by,
                                 "DeleteSecurityContext: closed context handle"};
    assert_in_order(owner, owner_order, sizeof owner_order / sizeof *owner_order);
    free(owner);
}
END_TEST

START_TEST(the_misuse_report_carries_the_history)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    CloseHandle(token);
    DWORD length;
    ck_assert(!GetTokenInformation(token, TokenUser, NULL, 0, &length));
    ck_assert_int_eq(test_reports, 1);
    char header[128];
    snprintf(header, sizeof header, "history of %#lx", (unsigned long)token);
    const char *order[] = {header, "OpenProcessToken: opened token handle", "CloseHandle: closed token handle",
                           "GetTokenInformation: MISUSE USE_AFTER_CLOSE"};
    assert_in_order(test_last_report, order, sizeof order / sizeof *order);
}
END_TEST

START_TEST(a_recycled_value_shows_every_object_that_held_it)
{
    fakesspi_set_handle_reuse(1);
    HANDLE first, second;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &first));
    CloseHandle(first);
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &second));
    ck_assert_ptr_eq(first, second);
    CloseHandle(second);
    char *history = fakesspi_handle_history((uintptr_t)first);
    const char *order[] = {"opened token", "closed token", "opened token", "closed token"};
    assert_in_order(history, order, sizeof order / sizeof *order);
    free(history);
}
END_TEST

START_TEST(the_ring_is_bounded_and_says_so)
{
    setenv("FAKESSPI_HTRACE_EVENTS", "3", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_HTRACE_EVENTS");
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    HANDLE token, other;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    for (int i = 0; i < 3; i++) {
        ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &other));
        CloseHandle(other);
    }
    CloseHandle(token);
    char *history = fakesspi_handle_history((uintptr_t)token);
    /* Its opening has left the ring; its closing has not, and the text says events were dropped. */
    ck_assert_ptr_nonnull(history);
    ck_assert_ptr_null(strstr(history, "opened"));
    ck_assert_ptr_nonnull(strstr(history, "closed token"));
    ck_assert_ptr_nonnull(strstr(history, "the 5 oldest events have left the ring of 3"));
    free(history);
}
END_TEST

START_TEST(history_can_be_turned_off_and_unknown_values_have_none)
{
    setenv("FAKESSPI_HTRACE_EVENTS", "0", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_HTRACE_EVENTS");
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    ck_assert_ptr_null(fakesspi_handle_history((uintptr_t)token));
    CloseHandle(token);
    fakesspi_reset();
    ck_assert_ptr_null(fakesspi_handle_history(0x1234));
}
END_TEST

START_TEST(reset_forgets_the_history)
{
    HANDLE token;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    CloseHandle(token);
    fakesspi_reset();
    ck_assert_ptr_null(fakesspi_handle_history((uintptr_t)token));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/handle_history");
    TCase *tc = test_case("htrace");
    tcase_add_test(tc, a_token_handle_tells_its_whole_life);
    tcase_add_test(tc, one_call_site_from_two_callers_keeps_each_callers_stack);
    tcase_add_test(tc, a_loop_over_a_few_call_sites_unwinds_only_once_per_site);
    tcase_add_test(tc, duplicate_token_ex_is_recorded_on_both_values);
    tcase_add_test(tc, a_lent_access_token_shows_its_owner_and_its_revocation);
    tcase_add_test(tc, the_misuse_report_carries_the_history);
    tcase_add_test(tc, a_recycled_value_shows_every_object_that_held_it);
    tcase_add_test(tc, the_ring_is_bounded_and_says_so);
    tcase_add_test(tc, history_can_be_turned_off_and_unknown_values_have_none);
    tcase_add_test(tc, reset_forgets_the_history);
    suite_add_tcase(s, tc);
    return test_run(s);
}
