/* The handle table: values, generations, tombstones, borrowed handles, reuse policies. */
#include "testutil.h"
#include "core/handles.h"

struct dummy {
    struct fs_object base;
    int *destroyed;
};

static void dummy_destroy(struct fs_object *o)
{
    struct dummy *d = (struct dummy *)o;
    (*d->destroyed)++;
    free(d);
}

/* Stand-ins for the kinds the layers above define. */
static const struct fs_object_ops token_ops = {.name = "token", .leak_name = "HANDLE", .destroy = dummy_destroy};
static const struct fs_object_ops context_ops = {.name = "context", .leak_name = "CONTEXT", .destroy = dummy_destroy};
static const struct fs_object_ops credential_ops = {.name = "credential", .leak_name = "CREDENTIAL",
                                                    .destroy = dummy_destroy};

static struct dummy *dummy_new(int *destroyed)
{
    struct dummy *d = calloc(1, sizeof *d);
    fs_object_init(&d->base, &token_ops);
    d->destroyed = destroyed;
    return d;
}

START_TEST(values_are_nonzero_multiples_of_four)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t values[100];
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &values[i]), FS_OK);
        ck_assert_uint_ne(values[i], 0);
        ck_assert_uint_eq(values[i] % 4, 0);
    }
    /* Closed again: a dummy left in the table would outlive `destroyed` and be described as a token. */
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(fs_handle_close(fs_handle_key(values[i]), &token_ops, "test"), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(each_owned_handle_holds_a_reference)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t a, b;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &a), FS_OK);
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &b), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 0);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(a), &token_ops, "test"), FS_OK);
    ck_assert_int_eq(destroyed, 0);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(b), &token_ops, "test"), FS_OK);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(lookup_returns_a_new_reference_and_the_access)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t v;
    ck_assert_int_eq(fs_handle_open(&d->base, 0x2a, 0, "test", &v), FS_OK);
    struct fs_object *o;
    uint32_t access;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(v), &token_ops, 0, "test", &o, &access), FS_OK);
    ck_assert_ptr_eq(o, &d->base);
    ck_assert_uint_eq(access, 0x2a);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "test"), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 0); /* the lookup's reference keeps it */
    fs_object_unref(o);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(second_close_is_double_close_and_use_is_use_after_close)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t v;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "Opener", &v), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "Closer"), FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "Closer"), FS_E_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_CLOSE, 1);
    ck_assert_ptr_nonnull(strstr(test_last_report, "fakesspi: MISUSE DOUBLE_CLOSE: Closer:"));
    ck_assert_ptr_nonnull(strstr(test_last_report, "handed out by Opener"));
    ck_assert_ptr_nonnull(strstr(test_last_report, "closed by Closer"));
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(v), &token_ops, 0, "User", &o, NULL), FS_E_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
}
END_TEST

START_TEST(a_value_never_issued_is_invalid_handle)
{
    static const uintptr_t forged[] = {0, 1, 2, 3, 5, 0x1234, 4, (uintptr_t)-8, 0xdeadbeef0, 0x400000000004ull};
    for (size_t i = 0; i < sizeof forged / sizeof *forged; i++) {
        struct fs_object *o;
        ck_assert_int_eq(fs_handle_get(fs_handle_key(forged[i]), &token_ops, 0, "test", &o, NULL), FS_E_INVALID_HANDLE);
    }
    ck_assert_misuse(INVALID_HANDLE, sizeof forged / sizeof *forged);
}
END_TEST

START_TEST(a_handle_of_another_kind_is_wrong_kind)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t v;
    d->base.ops = &context_ops;
    ck_assert_int_eq(fs_handle_open(&d->base, 0, 0, "test", &v), FS_OK);
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(v), &token_ops, 0, "test", &o, NULL), FS_E_INVALID_HANDLE);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "test"), FS_E_INVALID_HANDLE);
    ck_assert_misuse(WRONG_KIND, 2);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &context_ops, "test"), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(closing_a_borrowed_handle_is_reported_succeeds_and_keeps_it_valid)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t lent;
    ck_assert_int_eq(fs_handle_lend(&d->base, 8, "QueryContextAttributesW", 0x40, &context_ops, &lent),
                     FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(lent), &token_ops, "CloseHandle"), FS_OK);
    ck_assert_misuse(CLOSE_BORROWED, 1);
    ck_assert_ptr_nonnull(strstr(test_last_report, "BORROWED"));
    ck_assert_ptr_nonnull(strstr(test_last_report, "context 0x40"));
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(lent), &token_ops, 0, "test", &o, NULL), FS_OK);
    fs_object_unref(o);
    fs_handle_revoke(lent, "DeleteSecurityContext");
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(a_borrowed_handle_holds_no_reference_and_dies_with_its_owner)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t lent;
    ck_assert_int_eq(fs_handle_lend(&d->base, 8, "QueryContextAttributesW", 0x40, &context_ops, &lent), FS_OK);
    size_t owned, lent_count;
    fs_handle_counts(&owned, &lent_count);
    ck_assert_uint_eq(owned, 0);
    ck_assert_uint_eq(lent_count, 1);
    fs_handle_revoke(lent, "DeleteSecurityContext");
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 1);
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(lent), &token_ops, 0, "GetTokenInformation", &o, NULL), FS_E_INVALID_HANDLE);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(lent), &token_ops, "CloseHandle"), FS_E_INVALID_HANDLE);
    ck_assert_misuse(OWNER_GONE, 2);
    ck_assert_ptr_nonnull(strstr(test_last_report, "revoked when its owner was deleted by DeleteSecurityContext"));
}
END_TEST

START_TEST(the_default_never_reuses_a_value)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t first, v;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &first), FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(first), &token_ops, "test"), FS_OK);
    for (int i = 0; i < 20000; i++) {
        ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
        ck_assert_uint_ne(v, first);
        ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "test"), FS_OK);
    }
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(first), &token_ops, 0, "test", &o, NULL), FS_E_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
    fs_object_unref(&d->base);
}
END_TEST

START_TEST(windows_reuse_hands_the_freed_value_out_again)
{
    fakesspi_set_handle_reuse(1);
    int destroyed = 0;
    struct dummy *a = dummy_new(&destroyed), *b = dummy_new(&destroyed);
    uintptr_t va, vb;
    ck_assert_int_eq(fs_handle_open(&a->base, 8, 0, "test", &va), FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(va), &token_ops, "test"), FS_OK);
    ck_assert_int_eq(fs_handle_open(&b->base, 8, 0, "test", &vb), FS_OK);
    ck_assert_uint_eq(va, vb);
    /* The classic hazard: the stale value now finds the other object. */
    struct fs_object *o;
    ck_assert_int_eq(fs_handle_get(fs_handle_key(va), &token_ops, 0, "test", &o, NULL), FS_OK);
    ck_assert_ptr_eq(o, &b->base);
    fs_object_unref(o);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(vb), &token_ops, "test"), FS_OK);
    fs_object_unref(&a->base);
    fs_object_unref(&b->base);
    ck_assert_int_eq(destroyed, 2);
}
END_TEST

/* The model of the default reuse the per-thread slot caches must keep: one FIFO list of freed slots, and a freed
 * slot handed out again only once more than TOMBSTONE_QUEUE (4096) slots are free; otherwise a new slot. */
#define MODEL_QUEUE 4096u
#define MODEL_MAX 12000u
struct reuse_model {
    uint32_t fifo[MODEL_MAX], head, tail; /* a ring: head..tail */
    uint32_t nslots;
};

static uint32_t model_open(struct reuse_model *m)
{
    if (m->tail - m->head > MODEL_QUEUE)
        return m->fifo[m->head++ % MODEL_MAX];
    return m->nslots++;
}

static void model_close(struct reuse_model *m, uint32_t slot) { m->fifo[m->tail++ % MODEL_MAX] = slot; }

static uint32_t slot_of(uintptr_t value) { return (uint32_t)(((uint64_t)value >> 2) & ((1u << 22) - 1u)) - 1u; }

/* Opens and closes in a seeded, uneven pattern (up to 40 open at once), checking each value's slot against the
 * model: rounds many enough to go through the tombstone queue several times. */
struct churn {
    struct reuse_model *model;
    struct dummy *obj;
    uintptr_t open[40];
    int nopen;
    uint32_t seed;
    int rounds;
};

static void churn_run(struct churn *c)
{
    for (int i = 0; i < c->rounds; i++) {
        c->seed = c->seed * 1103515245u + 12345u;
        int opening = c->nopen == 0 || (c->nopen < 40 && (c->seed >> 16) % 3 != 0);
        if (opening) {
            uintptr_t v;
            ck_assert_int_eq(fs_handle_open(&c->obj->base, 8, 0, "test", &v), FS_OK);
            ck_assert_uint_eq(slot_of(v), model_open(c->model));
            c->open[c->nopen++] = v;
        } else {
            int k = (int)((c->seed >> 8) % (uint32_t)c->nopen);
            ck_assert_int_eq(fs_handle_close(fs_handle_key(c->open[k]), &token_ops, "test"), FS_OK);
            model_close(c->model, slot_of(c->open[k]));
            c->open[k] = c->open[--c->nopen];
        }
    }
}

/* A churn over a fresh model and object; churn_finish closes what it left open and drops the object. */
static struct reuse_model the_model;

static struct churn churn_start(uint32_t seed, int rounds, int *destroyed)
{
    memset(&the_model, 0, sizeof the_model);
    return (struct churn){.model = &the_model, .obj = dummy_new(destroyed), .seed = seed, .rounds = rounds};
}

static void churn_finish(struct churn *c)
{
    while (c->nopen)
        ck_assert_int_eq(fs_handle_close(fs_handle_key(c->open[--c->nopen]), &token_ops, "test"), FS_OK);
    fs_object_unref(&c->obj->base);
}

static void *churn_thread(void *arg)
{
    churn_run(arg);
    return NULL;
}

START_TEST(one_thread_gets_its_slots_in_the_order_of_one_fifo_list)
{
    int destroyed = 0;
    struct churn c = churn_start(7, 40000, &destroyed);
    churn_run(&c);
    ck_assert_uint_gt(the_model.head, 8000); /* freed slots were handed out again, many times */
    churn_finish(&c);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

/* A thread that exits with slots in its cache gives them back, where the list would hold them: a thread that
 * goes on after it gets the values one thread doing both would get. */
START_TEST(a_thread_that_exits_gives_its_cached_slots_back_in_order)
{
    int destroyed = 0;
    struct churn c = churn_start(11, 15000, &destroyed);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, churn_thread, &c), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    c.rounds = 15000;
    churn_run(&c); /* the handles the thread left open are closed here, as any thread may */
    ck_assert_uint_gt(the_model.head, 1000);
    churn_finish(&c);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

/* A reset takes the slots away from under every thread's cache: the next value is the first slot's. */
START_TEST(after_a_reset_no_cached_slot_is_handed_out)
{
    int destroyed = 0;
    struct churn c = churn_start(3, 12000, &destroyed);
    churn_run(&c);
    fs_handle_reset(); /* drops the handles still open, and their references */
    uintptr_t v;
    struct dummy *d = dummy_new(&destroyed);
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
    ck_assert_uint_eq(slot_of(v), 0);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "test"), FS_OK);
    fs_object_unref(&d->base);
    fs_object_unref(&c.obj->base);
    ck_assert_int_eq(destroyed, 2);
}
END_TEST

/* Switching to Windows-style reuse puts the calling thread's cached slots back: the value just freed is the
 * next one handed out, as without a cache. */
START_TEST(windows_reuse_after_default_churn_hands_back_the_value_just_freed)
{
    int destroyed = 0;
    struct churn c = churn_start(5, 12000, &destroyed);
    churn_run(&c);
    fakesspi_set_handle_reuse(1);
    for (int i = 0; i < 100; i++) {
        uintptr_t a, b;
        ck_assert_int_eq(fs_handle_open(&c.obj->base, 8, 0, "test", &a), FS_OK);
        ck_assert_int_eq(fs_handle_close(fs_handle_key(a), &token_ops, "test"), FS_OK);
        ck_assert_int_eq(fs_handle_open(&c.obj->base, 8, 0, "test", &b), FS_OK);
        ck_assert_uint_eq(a, b);
        ck_assert_int_eq(fs_handle_close(fs_handle_key(b), &token_ops, "test"), FS_OK);
    }
    churn_finish(&c);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

/* Two threads opening, looking up and closing at once never share a slot: each finds its own object behind
 * every value it holds. */
struct own_objects {
    struct dummy *obj;
};

static void *hold_and_check(void *arg)
{
    struct own_objects *o = arg;
    uintptr_t held[8];
    for (int round = 0; round < 3000; round++) {
        for (int i = 0; i < 8; i++)
            if (fs_handle_open(&o->obj->base, 8, 0, "test", &held[i]) != FS_OK)
                return "open failed";
        for (int i = 0; i < 8; i++) {
            struct fs_object *found;
            if (fs_handle_get(fs_handle_key(held[i]), &token_ops, 0, "test", &found, NULL) != FS_OK)
                return "lookup failed";
            fs_object_unref(found);
            if (found != &o->obj->base)
                return "another thread's object behind a value";
        }
        for (int i = 0; i < 8; i++)
            if (fs_handle_close(fs_handle_key(held[i]), &token_ops, "test") != FS_OK)
                return "close failed";
    }
    return NULL;
}

START_TEST(two_threads_never_get_one_slot)
{
    int destroyed = 0;
    struct own_objects a = {dummy_new(&destroyed)}, b = {dummy_new(&destroyed)};
    pthread_t ta, tb;
    void *ra, *rb;
    ck_assert_int_eq(pthread_create(&ta, NULL, hold_and_check, &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, hold_and_check, &b), 0);
    ck_assert_int_eq(pthread_join(ta, &ra), 0);
    ck_assert_int_eq(pthread_join(tb, &rb), 0);
    ck_assert_msg(!ra, "%s", (const char *)ra);
    ck_assert_msg(!rb, "%s", (const char *)rb);
    size_t owned, lent;
    fs_handle_counts(&owned, &lent);
    ck_assert_uint_eq(owned + lent, 0);
    fs_object_unref(&a.obj->base);
    fs_object_unref(&b.obj->base);
    ck_assert_int_eq(destroyed, 2);
}
END_TEST

START_TEST(a_protected_handle_refuses_to_close)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t v;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
    ck_assert_int_eq(fs_handle_set_flags(fs_handle_key(v), &token_ops, "test", FS_HANDLE_FLAG_PROTECT_FROM_CLOSE,
                                         FS_HANDLE_FLAG_PROTECT_FROM_CLOSE), FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "CloseHandle"), FS_E_INVALID_HANDLE);
    ck_assert_misuse(CLOSE_PROTECTED, 1);
    ck_assert_int_eq(fs_handle_set_flags(fs_handle_key(v), &token_ops, "test", FS_HANDLE_FLAG_PROTECT_FROM_CLOSE, 0), FS_OK);
    ck_assert_int_eq(fs_handle_close(fs_handle_key(v), &token_ops, "CloseHandle"), FS_OK);
    fs_object_unref(&d->base);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(reset_drops_every_handle_and_its_reference)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed);
    uintptr_t v;
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
    fs_object_unref(&d->base);
    fs_handle_reset();
    ck_assert_int_eq(destroyed, 1);
    size_t owned, lent;
    fs_handle_counts(&owned, &lent);
    ck_assert_uint_eq(owned + lent, 0);
}
END_TEST

START_TEST(leak_report_counts_live_owned_handles)
{
    int destroyed = 0;
    struct dummy *d = dummy_new(&destroyed); /* no describer for credentials yet */
    uintptr_t v, lent;
    d->base.ops = &credential_ops;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
    d->base.ops = &credential_ops;
    ck_assert_int_eq(fs_handle_open(&d->base, 8, 0, "test", &v), FS_OK);
    ck_assert_int_eq(fs_handle_lend(&d->base, 8, "test", 4, &context_ops, &lent), FS_OK);
    ck_assert_uint_eq(fs_handle_report_leaks(), 2);
    fs_handle_revoke(lent, "test");
    fs_handle_reset();
    fs_object_unref(&d->base);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core/handles");
    TCase *tc = test_case("handles");
    tcase_add_test(tc, values_are_nonzero_multiples_of_four);
    tcase_add_test(tc, each_owned_handle_holds_a_reference);
    tcase_add_test(tc, lookup_returns_a_new_reference_and_the_access);
    tcase_add_test(tc, second_close_is_double_close_and_use_is_use_after_close);
    tcase_add_test(tc, a_value_never_issued_is_invalid_handle);
    tcase_add_test(tc, a_handle_of_another_kind_is_wrong_kind);
    tcase_add_test(tc, closing_a_borrowed_handle_is_reported_succeeds_and_keeps_it_valid);
    tcase_add_test(tc, a_borrowed_handle_holds_no_reference_and_dies_with_its_owner);
    tcase_add_test(tc, the_default_never_reuses_a_value);
    tcase_add_test(tc, windows_reuse_hands_the_freed_value_out_again);
    tcase_add_test(tc, one_thread_gets_its_slots_in_the_order_of_one_fifo_list);
    tcase_add_test(tc, a_thread_that_exits_gives_its_cached_slots_back_in_order);
    tcase_add_test(tc, after_a_reset_no_cached_slot_is_handed_out);
    tcase_add_test(tc, windows_reuse_after_default_churn_hands_back_the_value_just_freed);
    tcase_add_test(tc, two_threads_never_get_one_slot);
    tcase_add_test(tc, a_protected_handle_refuses_to_close);
    tcase_add_test(tc, reset_drops_every_handle_and_its_reference);
    tcase_add_test(tc, leak_report_counts_live_owned_handles);
    suite_add_tcase(s, tc);
    return test_run(s);
}
