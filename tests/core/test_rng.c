/* The seeded stream every random byte comes from: the same seed gives the same bytes however they are drawn, and
 * a new seed reaches every thread, even one whose pool still holds bytes of the old stream. */
#include <pthread.h>
#include <string.h>

#include "core/rng.h"
#include "testutil.h"

START_TEST(one_seed_gives_the_same_bytes_however_they_are_drawn)
{
    uint8_t whole[200], parts[200];
    fs_rng_seed(7);
    fs_rng_bytes(whole, sizeof whole);
    fs_rng_seed(7);
    size_t sizes[] = {1, 7, 64, 3, 60, 65}, at = 0; /* across and along the 64-byte pool blocks */
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        fs_rng_bytes(parts + at, sizes[i]);
        at += sizes[i];
    }
    ck_assert_uint_eq(at, sizeof parts);
    ck_assert_mem_eq(whole, parts, sizeof whole);
    fs_rng_seed(8);
    fs_rng_bytes(parts, sizeof parts);
    ck_assert(memcmp(whole, parts, sizeof whole) != 0);
}
END_TEST

static pthread_barrier_t step;
static uint8_t drawn_after_reseed[8];

static void *draw_around_a_reseed(void *arg)
{
    (void)arg;
    uint8_t first;
    fs_rng_bytes(&first, 1); /* this thread's pool now holds 63 bytes of the old stream */
    pthread_barrier_wait(&step);
    pthread_barrier_wait(&step); /* the main thread seeds again in between */
    fs_rng_bytes(drawn_after_reseed, sizeof drawn_after_reseed);
    return NULL;
}

START_TEST(a_new_seed_reaches_a_thread_whose_pool_held_the_old_stream)
{
    uint8_t expected[8];
    fs_rng_seed(2);
    fs_rng_bytes(expected, sizeof expected);
    fs_rng_seed(1);
    pthread_barrier_init(&step, NULL, 2);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, draw_around_a_reseed, NULL), 0);
    pthread_barrier_wait(&step);
    fs_rng_seed(2);
    pthread_barrier_wait(&step);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&step);
    ck_assert_mem_eq(drawn_after_reseed, expected, sizeof expected);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/rng");
    TCase *tc = test_case("rng");
    tcase_add_test(tc, one_seed_gives_the_same_bytes_however_they_are_drawn);
    tcase_add_test(tc, a_new_seed_reaches_a_thread_whose_pool_held_the_old_stream);
    suite_add_tcase(s, tc);
    return test_run(s);
}
