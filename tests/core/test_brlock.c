/* The brlock behind the fork gate and the current domain: readers nest and never wait for each other, a writer
 * waits for every reader but its own thread and keeps new readers out, and what a writer changes is seen whole.
 * The suite makes no API call, so nothing else uses the domain's reader marks its lock borrows. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/brlock.h"
#include "testutil.h"

static struct fs_brlock lock = FS_BRLOCK_INIT(FS_BRLOCK_DOMAIN);

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static atomic_int writer_in, reader_in;

static void *write_once(void *arg)
{
    (void)arg;
    fs_brlock_write(&lock);
    atomic_store(&writer_in, 1);
    fs_brlock_write_unlock(&lock);
    return NULL;
}

static void *read_once(void *arg)
{
    (void)arg;
    fs_brlock_read(&lock);
    atomic_store(&reader_in, 1);
    fs_brlock_read_unlock(&lock);
    return NULL;
}

START_TEST(a_writer_waits_until_nested_reads_have_all_ended)
{
    atomic_store(&writer_in, 0);
    fs_brlock_read(&lock);
    fs_brlock_read(&lock); /* nested */
    ck_assert(fs_brlock_reading(&lock));
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, write_once, NULL), 0);
    pause_ms(100);
    ck_assert_int_eq(atomic_load(&writer_in), 0);
    fs_brlock_read_unlock(&lock);
    pause_ms(100);
    ck_assert_int_eq(atomic_load(&writer_in), 0); /* one read still held */
    fs_brlock_read_unlock(&lock);
    ck_assert(!fs_brlock_reading(&lock));
    pthread_join(t, NULL);
    ck_assert_int_eq(atomic_load(&writer_in), 1);
}
END_TEST

START_TEST(a_writer_keeps_new_readers_out_until_it_is_done)
{
    atomic_store(&reader_in, 0);
    fs_brlock_write(&lock);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, read_once, NULL), 0);
    pause_ms(100);
    ck_assert_int_eq(atomic_load(&reader_in), 0);
    fs_brlock_write_unlock(&lock);
    pthread_join(t, NULL);
    ck_assert_int_eq(atomic_load(&reader_in), 1);
}
END_TEST

/* fork() from a misuse callback: the thread inside a call closes the gate it is itself reading. */
START_TEST(a_reader_may_write_and_its_own_read_does_not_block_it)
{
    fs_brlock_read(&lock);
    fs_brlock_write(&lock);
    fs_brlock_write_unlock(&lock);
    fs_brlock_read_unlock(&lock);
    ck_assert(!fs_brlock_reading(&lock));
}
END_TEST

/* Readers on other threads do not wait for one another. */
static pthread_barrier_t all_reading;

static void *read_together(void *arg)
{
    (void)arg;
    fs_brlock_read(&lock);
    pthread_barrier_wait(&all_reading); /* would never return if a reader waited for another */
    fs_brlock_read_unlock(&lock);
    return NULL;
}

START_TEST(readers_on_other_threads_read_at_once)
{
    pthread_t t[3];
    pthread_barrier_init(&all_reading, NULL, 4);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, read_together, NULL), 0);
    fs_brlock_read(&lock);
    pthread_barrier_wait(&all_reading);
    fs_brlock_read_unlock(&lock);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&all_reading);
}
END_TEST

/* Writers keep two fields equal; readers must never see them differ (ThreadSanitizer also watches this). */
static struct {
    long a, b;
} shared;
static atomic_int torn;

static void *mixed(void *arg)
{
    int writer = (int)(intptr_t)arg;
    for (int i = 0; i < 20000; i++) {
        if (writer && i % 16 == 0) {
            fs_brlock_write(&lock);
            shared.a++;
            shared.b++;
            fs_brlock_write_unlock(&lock);
        } else {
            fs_brlock_read(&lock);
            if (shared.a != shared.b)
                atomic_store(&torn, 1);
            fs_brlock_read_unlock(&lock);
        }
    }
    return NULL;
}

START_TEST(readers_never_see_half_a_write)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, mixed, (void *)(intptr_t)(i % 2)), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(atomic_load(&torn), 0);
    ck_assert_int_eq(shared.a, 2 * 20000 / 16);
    ck_assert_int_eq(shared.b, shared.a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/brlock");
    TCase *tc = test_case("brlock");
    tcase_add_test(tc, a_writer_waits_until_nested_reads_have_all_ended);
    tcase_add_test(tc, a_writer_keeps_new_readers_out_until_it_is_done);
    tcase_add_test(tc, a_reader_may_write_and_its_own_read_does_not_block_it);
    tcase_add_test(tc, readers_on_other_threads_read_at_once);
    tcase_add_test(tc, readers_never_see_half_a_write);
    suite_add_tcase(s, tc);
    return test_run(s);
}
