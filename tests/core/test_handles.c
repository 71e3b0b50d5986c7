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
    tcase_add_test(tc, a_protected_handle_refuses_to_close);
    tcase_add_test(tc, reset_drops_every_handle_and_its_reference);
    tcase_add_test(tc, leak_report_counts_live_owned_handles);
    suite_add_tcase(s, tc);
    return test_run(s);
}
