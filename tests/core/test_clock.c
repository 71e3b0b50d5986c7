/* The virtual clock: fixed by default, moved by tests, read by every timestamp. */
#include "testutil.h"

START_TEST(fixed_time_starts_at_the_documented_epoch_and_stays)
{
    ck_assert_uint_eq(fakesspi_clock_now(), FAKESSPI_CLOCK_EPOCH);
    ck_assert_uint_eq(fakesspi_clock_now(), FAKESSPI_CLOCK_EPOCH);
}
END_TEST

START_TEST(advance_and_set_move_it)
{
    fakesspi_clock_advance(FAKESSPI_SECONDS(90));
    ck_assert_uint_eq(fakesspi_clock_now(), FAKESSPI_CLOCK_EPOCH + 900000000ull);
    fakesspi_clock_set(42);
    ck_assert_uint_eq(fakesspi_clock_now(), 42);
    fakesspi_reset();
    ck_assert_uint_eq(fakesspi_clock_now(), FAKESSPI_CLOCK_EPOCH);
}
END_TEST

/* INT64_MIN wrapped the clock to the far future; it stops at the ends instead. */
START_TEST(advancing_past_either_end_stops_there)
{
    fakesspi_clock_advance(INT64_MIN);
    ck_assert_uint_eq(fakesspi_clock_now(), 0);
    fakesspi_clock_advance(-1);
    ck_assert_uint_eq(fakesspi_clock_now(), 0);
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    ck_assert_uint_eq(fakesspi_clock_now(), 10000000);
    fakesspi_clock_advance(INT64_MAX);
    ck_assert_uint_eq(fakesspi_clock_now(), (uint64_t)INT64_MAX);
    fakesspi_clock_advance(INT64_MAX);
    ck_assert_uint_eq(fakesspi_clock_now(), (uint64_t)INT64_MAX);
    fakesspi_clock_advance(-FAKESSPI_SECONDS(1));
    ck_assert_uint_eq(fakesspi_clock_now(), (uint64_t)INT64_MAX - 10000000);
}
END_TEST

START_TEST(real_time_is_now)
{
    fakesspi_clock_use_real(1);
    uint64_t t = fakesspi_clock_now();
    ck_assert_uint_gt(t, 134000000000000000ull); /* after mid-2025 */
    fakesspi_clock_use_real(0);
    setenv("FAKESSPI_CLOCK", "real", 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_CLOCK");
    ck_assert_uint_gt(fakesspi_clock_now(), 134000000000000000ull);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/clock");
    TCase *tc = test_case("clock");
    tcase_add_test(tc, fixed_time_starts_at_the_documented_epoch_and_stays);
    tcase_add_test(tc, advance_and_set_move_it);
    tcase_add_test(tc, advancing_past_either_end_stops_there);
    tcase_add_test(tc, real_time_is_now);
    suite_add_tcase(s, tc);
    return test_run(s);
}
