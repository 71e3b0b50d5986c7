/* A million random handle values through every handle-taking function: no crash, the Windows
 * error, nothing else disturbed. Seeded, so a failure reproduces. */
#include "testutil.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Random values, biased towards the shapes that matter: near a live handle, small, aligned. */
static uintptr_t random_handle(uintptr_t live)
{
    uint64_t r = next_random();
    switch (r % 6) {
    case 0: return (uintptr_t)next_random();
    case 1: return (uintptr_t)(next_random() & 0xFFFFFF);
    case 2: return (uintptr_t)(next_random() & 0xFFFFFC);
    case 3: return live + ((r >> 8) % 64 + 1) * 4;           /* a neighbour slot */
    case 4: return live + ((uintptr_t)((r >> 8) % 8 + 1) << 24); /* a later generation */
    default: return live ^ ((uintptr_t)1 << ((r >> 8) % 62));
    }
}

static int is_pseudo(uintptr_t v) { return v >= (uintptr_t)-6; }

START_TEST(random_handles_get_invalid_handle_from_every_function)
{
    HANDLE live;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &live));
    fakesspi_set_misuse_callback(NULL, NULL); /* silent and uncounted reports keep this fast */
    unsigned char buf[512];
    BYTE everyone[12] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    long calls = 0;
    /* tools/valgrind.sh asks for fewer: a million calls under valgrind take too long. */
    long iterations = getenv("FUZZ_ITERATIONS") ? atol(getenv("FUZZ_ITERATIONS")) : 1000000;
    for (int i = 0; i < iterations; i++) {
        uintptr_t v = random_handle((uintptr_t)live);
        if (v == (uintptr_t)live || is_pseudo(v))
            continue;
        HANDLE h = (HANDLE)v, out = (HANDLE)0x77;
        DWORD n = 0;
        BOOL ok;
        switch (i % 8) {
        case 0: ok = CloseHandle(h); break;
        case 1: ok = GetTokenInformation(h, TokenUser, buf, sizeof buf, &n); break;
        case 2: ok = DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &out, 0, FALSE, 2); break;
        case 3: ok = DuplicateTokenEx(h, 0, NULL, SecurityImpersonation, TokenPrimary, &out); break;
        case 4: ok = ImpersonateLoggedOnUser(h); break;
        case 5: {
            BOOL member;
            ok = CheckTokenMembership(h, everyone, &member);
            break;
        }
        case 6: ok = GetHandleInformation(h, &n); break;
        default: ok = OpenProcessToken(h, TOKEN_QUERY, &out); break;
        }
        ck_assert_msg(!ok, "value %#lx was accepted by case %d", (unsigned long)v, i % 8);
        ck_assert_msg(GetLastError() == ERROR_INVALID_HANDLE, "value %#lx case %d: error %lu", (unsigned long)v,
                      i % 8, (unsigned long)GetLastError());
        ck_assert_ptr_eq(out, (HANDLE)0x77);
        calls++;
    }
    ck_assert_int_gt(calls, iterations * 8 / 10);
    /* Nothing else was disturbed: the live handle works, nothing leaked or was impersonated. */
    unsigned char user[64];
    DWORD n;
    ck_assert(GetTokenInformation(live, TokenUser, user, sizeof user, &n));
    HANDLE t;
    ck_assert(!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t));
    ck_assert(CloseHandle(live));
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_handles, 0);
    ck_assert_uint_eq(c.misuse[FAKESSPI_MISUSE_CLOSE_BORROWED], 0);
    ck_assert_uint_ge(c.misuse_total, (size_t)calls);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/fuzz-handles");
    TCase *tc = test_case("fuzz");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, random_handles_get_invalid_handle_from_every_function);
    suite_add_tcase(s, tc);
    return test_run(s);
}
