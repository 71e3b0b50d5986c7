/* Four threads hammering handles, token queries and impersonation at once. */
#include <pthread.h>

#include "testutil.h"

#define THREADS 4
#define ROUNDS 3000

struct worker {
    HANDLE shared;   /* one token all threads duplicate and query */
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ROUNDS; i++) {
        HANDLE dup;
        if (!DuplicateHandle(GetCurrentProcess(), w->shared, GetCurrentProcess(), &dup, 0, FALSE,
                             DUPLICATE_SAME_ACCESS)) {
            w->failures++;
            continue;
        }
        unsigned char buf[256];
        DWORD n;
        if (!GetTokenInformation(dup, TokenUser, buf, sizeof buf, &n) || n != 44)
            w->failures++;
        if (!ImpersonateLoggedOnUser(dup))
            w->failures++;
        char name[32];
        DWORD size = sizeof name;
        if (!GetUserNameA(name, &size) || strcmp(name, "bob"))
            w->failures++;
        if (!RevertToSelf())
            w->failures++;
        HANDLE t;
        if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t) || GetLastError() != ERROR_NO_TOKEN)
            w->failures++;
        if (!CloseHandle(dup))
            w->failures++;
    }
    return NULL;
}

START_TEST(handles_tokens_and_impersonation_are_thread_safe)
{
    HANDLE bob;
    ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &bob));
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){bob, 0};
        pthread_create(&th[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(w[i].failures, 0);
    }
    CloseHandle(bob);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.misuse_total, 0);
    ck_assert_uint_eq(c.live_tokens, 1); /* only the process token is left */
}
END_TEST

struct racer {
    HANDLE h;
    int closed;
};

static void *close_it(void *arg)
{
    struct racer *r = arg;
    r->closed = CloseHandle(r->h) ? 1 : 0;
    return NULL;
}

START_TEST(racing_closes_of_one_handle_succeed_exactly_once)
{
    for (int round = 0; round < 200; round++) {
        HANDLE h;
        ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
        pthread_t th[THREADS];
        struct racer r[THREADS];
        for (int i = 0; i < THREADS; i++) {
            r[i] = (struct racer){h, 0};
            pthread_create(&th[i], NULL, close_it, &r[i]);
        }
        int closed = 0;
        for (int i = 0; i < THREADS; i++) {
            pthread_join(th[i], NULL);
            closed += r[i].closed;
        }
        ck_assert_int_eq(closed, 1);
    }
    ck_assert_misuse(DOUBLE_CLOSE, 200 * (THREADS - 1));
}
END_TEST

static void *duplicate_it(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ROUNDS; i++) {
        HANDLE dup = NULL;
        if (!DuplicateToken(w->shared, SecurityImpersonation, &dup)) {
            w->failures++;
            continue;
        }
        unsigned char buf[256];
        DWORD n;
        if (!GetTokenInformation(dup, TokenUser, buf, sizeof buf, &n) || n != 44 || !CloseHandle(dup))
            w->failures++;
    }
    return NULL;
}

/* DuplicateToken copied the source token whole, its reference count too, while the other thread changed it
 * (TSan saw the race): duplicates copy everything but the object header. */
START_TEST(two_threads_duplicate_one_token_at_once)
{
    HANDLE bob;
    ck_assert(LogonUserA("bob", NULL, "Hunter2!", LOGON32_LOGON_NETWORK, 0, &bob));
    pthread_t th[2];
    struct worker w[2];
    for (int i = 0; i < 2; i++) {
        w[i] = (struct worker){bob, 0};
        pthread_create(&th[i], NULL, duplicate_it, &w[i]);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(w[i].failures, 0);
    }
    CloseHandle(bob);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.live_tokens, 1);
}
END_TEST

/* One NTLM logon of user (explicit password) to the default inbound credential: its status, and the name the
 * server's context gives the client. */
struct ntlm_logon {
    pthread_barrier_t *start;
    const char *user, *password;
    SECURITY_STATUS status;
    char name[64];
};

static void *log_on_with_ntlm(void *arg)
{
    struct ntlm_logon *l = arg;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)l->user, (unsigned long)strlen(l->user), NULL, 0,
                                    (unsigned char *)l->password, (unsigned long)strlen(l->password),
                                    SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    CtxtHandle client, server;
    ULONG attrs;
    unsigned char c2s[4096], s2c[4096];
    SecBuffer out = {sizeof c2s, SECBUFFER_TOKEN, c2s}, back = {sizeof s2c, SECBUFFER_TOKEN, s2c}, in;
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out}, backd = {SECBUFFER_VERSION, 1, &back};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in};
    l->status = AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc, NULL);
    if (l->status == SEC_E_OK)
        l->status = AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, NULL);
    if (l->status != SEC_E_OK)
        return NULL;
    pthread_barrier_wait(l->start); /* both threads reach the server's hash check together */
    InitializeSecurityContextA(&cc, NULL, "HOST/server", 0, 0, 0, NULL, 0, &client, &outd, &attrs, NULL);
    in = (SecBuffer){out.cbBuffer, SECBUFFER_TOKEN, c2s};
    AcceptSecurityContext(&sc, NULL, &ind, 0, 0, &server, &backd, &attrs, NULL);
    in = (SecBuffer){back.cbBuffer, SECBUFFER_TOKEN, s2c};
    out.cbBuffer = sizeof c2s;
    InitializeSecurityContextA(&cc, &client, "HOST/server", 0, 0, 0, &ind, 0, &client, &outd, &attrs, NULL);
    in = (SecBuffer){out.cbBuffer, SECBUFFER_TOKEN, c2s};
    back.cbBuffer = sizeof s2c;
    l->status = AcceptSecurityContext(&sc, &server, &ind, 0, 0, &server, &backd, &attrs, NULL);
    SecPkgContext_NamesA names;
    if (l->status == SEC_E_OK && QueryContextAttributesA(&server, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
        snprintf(l->name, sizeof l->name, "%s", names.sUserName);
        FreeContextBuffer(names.sUserName);
    }
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return NULL;
}

/* An account's NT hash is made at its first logon, without a lock: two threads whose first logons of a fresh
 * account meet there both succeed, as the same user. */
START_TEST(two_first_logons_of_one_account_at_once_both_succeed_alike)
{
    for (int round = 0; round < 20; round++) {
        char user[32];
        snprintf(user, sizeof user, "fresh%d", round);
        ck_assert_int_eq(fakesspi_add_user(user, (DWORD)(7000 + round), "Fr3sh!pw", NULL), 0);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        pthread_t th[2];
        struct ntlm_logon l[2];
        for (int i = 0; i < 2; i++) {
            l[i] = (struct ntlm_logon){&start, user, "Fr3sh!pw", (SECURITY_STATUS)0xdeadbeef, ""};
            ck_assert_int_eq(pthread_create(&th[i], NULL, log_on_with_ntlm, &l[i]), 0);
        }
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        char want[64];
        snprintf(want, sizeof want, "EXAMPLE\\%s", user);
        for (int i = 0; i < 2; i++) {
            ck_assert_sec_status(l[i].status, SEC_E_OK);
            ck_assert_str_eq(l[i].name, want);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/threads");
    TCase *tc = test_case("threads");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, handles_tokens_and_impersonation_are_thread_safe);
    tcase_add_test(tc, racing_closes_of_one_handle_succeed_exactly_once);
    tcase_add_test(tc, two_threads_duplicate_one_token_at_once);
    tcase_add_test(tc, two_first_logons_of_one_account_at_once_both_succeed_alike);
    suite_add_tcase(s, tc);
    return test_run(s);
}
