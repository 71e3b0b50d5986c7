/* Code-page conversion, lstr*, and the tracked Local/Heap allocators. */
#include "testutil.h"

START_TEST(multi_byte_to_wide_char_two_call_pattern)
{
    const char *text = "caf\xc3\xa9";
    int n = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    ck_assert_int_eq(n, 5); /* four characters and the NUL */
    WCHAR w[5];
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, text, -1, w, 5), 5);
    ck_assert(!memcmp(w, u"caf\u00e9", 10));
    SetLastError(0);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, text, -1, w, 4), 0);
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, text, 3, w, 5), 3); /* no NUL when a length is given */
}
END_TEST

START_TEST(multi_byte_to_wide_char_rejects_what_windows_rejects)
{
    WCHAR w[8];
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xff", 2, w, 8), 0);
    ck_assert_last_error(ERROR_NO_UNICODE_TRANSLATION);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, "a\xff", 2, w, 8), 2);
    ck_assert_uint_eq(w[1], 0xFFFD);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED, "a", 1, w, 8), 0);
    ck_assert_last_error(ERROR_INVALID_FLAGS);
    ck_assert_int_eq(MultiByteToWideChar(1252, 0, "a", 1, w, 8), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, NULL, 1, w, 8), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(MultiByteToWideChar(CP_UTF8, 0, "a", 0, w, 8), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_int_eq(MultiByteToWideChar(CP_ACP, MB_PRECOMPOSED, "a", 1, w, 8), 1);
}
END_TEST

START_TEST(wide_char_to_multi_byte_two_call_pattern)
{
    const WCHAR *w = u"\u20ac1";
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    ck_assert_int_eq(n, 5);
    char out[5];
    ck_assert_int_eq(WideCharToMultiByte(CP_UTF8, 0, w, -1, out, 5, NULL, NULL), 5);
    ck_assert_str_eq(out, "\xe2\x82\xac" "1");
    ck_assert_int_eq(WideCharToMultiByte(CP_UTF8, 0, w, -1, out, 2, NULL, NULL), 0);
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    BOOL used;
    ck_assert_int_eq(WideCharToMultiByte(CP_UTF8, 0, w, -1, out, 5, NULL, &used), 0);
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    const WCHAR lone[] = {0xD800, 0};
    ck_assert_int_eq(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, lone, -1, out, 5, NULL, NULL), 0);
    ck_assert_last_error(ERROR_NO_UNICODE_TRANSLATION);
}
END_TEST

START_TEST(lstr_functions_handle_null_and_case)
{
    ck_assert_int_eq(lstrlenA(NULL), 0);
    ck_assert_int_eq(lstrlenW(u"abc"), 3);
    ck_assert_int_eq(lstrcmpiA("Negotiate", "NEGOTIATE"), 0);
    ck_assert_int_eq(lstrcmpiW(u"ntlm", u"NTLM"), 0);
    ck_assert_int_lt(lstrcmpA("a", "b"), 0);
    ck_assert_int_gt(lstrcmpW(u"b", u"a"), 0);
    ck_assert_int_lt(lstrcmpA(NULL, "a"), 0);
    ck_assert_int_eq(lstrcmpA(NULL, NULL), 0);
}
END_TEST

START_TEST(local_alloc_zeroes_and_local_free_returns_null)
{
    unsigned char *p = LocalAlloc(LPTR, 64);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < 64; i++)
        ck_assert_uint_eq(p[i], 0);
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_allocations, 1);
    ck_assert_ptr_null(LocalFree(p));
    ck_assert_ptr_null(LocalFree(NULL));
    fakesspi_get_counts(&c);
    ck_assert_uint_eq(c.live_allocations, 0);
    ck_assert_ptr_null(LocalAlloc(0x8000, 4));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(freeing_foreign_memory_is_reported_and_refused)
{
    char stack[16];
    ck_assert_ptr_eq(LocalFree(stack), stack);
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert_misuse(FOREIGN_FREE, 1);
    void *p = LocalAlloc(LMEM_FIXED, 8);
    LocalFree(p);
    ck_assert_ptr_eq(LocalFree(p), p);
    ck_assert_misuse(DOUBLE_FREE, 1);
}
END_TEST

START_TEST(the_process_heap_allocates_and_frees)
{
    HANDLE heap = GetProcessHeap();
    unsigned char *p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 32);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p[31], 0);
    ck_assert(HeapFree(heap, 0, p));
    ck_assert(!HeapFree(heap, 0, p));
    ck_assert_misuse(DOUBLE_FREE, 1);
    ck_assert_ptr_null(HeapAlloc((HANDLE)0x1234, 0, 4));
    ck_assert_last_error(ERROR_INVALID_HANDLE);
    ck_assert(HeapFree(heap, 0, NULL));
}
END_TEST

START_TEST(secure_zero_memory_zeroes)
{
    char secret[] = "Passw0rd!";
    SecureZeroMemory(secret, sizeof secret);
    for (size_t i = 0; i < sizeof secret; i++)
        ck_assert_int_eq(secret[i], 0);
}
END_TEST

START_TEST(lstrcpy_and_lstrcat_copy_and_return_the_destination)
{
    char a[16];
    ck_assert_ptr_eq(lstrcpyA(a, "EXAMPLE"), a);
    ck_assert_ptr_eq(lstrcatA(a, "\\alice"), a);
    ck_assert_str_eq(a, "EXAMPLE\\alice");
    WCHAR w[16];
    ck_assert_ptr_eq(lstrcpyW(w, u"bob"), w);
    ck_assert_ptr_eq(lstrcatW(w, u"@x"), w);
    ck_assert(!memcmp(w, u"bob@x", 12));
    ck_assert_int_eq(lstrlenW(w), 5);
}
END_TEST

START_TEST(lstrcpyn_keeps_room_for_the_nul)
{
    char a[8];
    memset(a, 'z', sizeof a);
    ck_assert_ptr_eq(lstrcpynA(a, "alice", 4), a);
    ck_assert_str_eq(a, "ali");
    ck_assert_int_eq(a[4], 'z');
    ck_assert_ptr_eq(lstrcpynA(a, "bob", 8), a);
    ck_assert_str_eq(a, "bob");
    memset(a, 'z', sizeof a);
    ck_assert_ptr_eq(lstrcpynA(a, "bob", 0), a); /* nothing written */
    ck_assert_int_eq(a[0], 'z');
    ck_assert_ptr_eq(lstrcpynA(a, "bob", 1), a);
    ck_assert_int_eq(a[0], '\0');
    ck_assert_ptr_eq(lstrcpynA(a, "bob", -1), a); /* unsigned: no limit */
    ck_assert_str_eq(a, "bob");
    WCHAR w[8];
    ck_assert_ptr_eq(lstrcpynW(w, u"alice", 3), w);
    ck_assert(!memcmp(w, u"al", 6));
}
END_TEST

START_TEST(lstr_copies_through_a_null_pointer_fail_with_invalid_parameter)
{
    char a[8] = "keep";
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(lstrcpyA(a, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_str_eq(a, "keep");
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(lstrcatA(NULL, "x"));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(lstrcpyW(NULL, u"x"));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(lstrcpynA(a, NULL, 4));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    WCHAR w[4] = {0};
    ck_assert_ptr_null(lstrcatW(w, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(the_generic_lstr_names_follow_unicode)
{
    TCHAR t[8];
    ck_assert_ptr_eq(lstrcpy(t, TEXT("ab")), t);
    ck_assert_ptr_eq(lstrcat(t, TEXT("c")), t);
    ck_assert_ptr_eq(lstrcpyn(t, t, 8), t);
    ck_assert_int_eq(lstrlen(t), 3);
    ck_assert_int_eq(lstrcmp(t, TEXT("abc")), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/strings+memory");
    TCase *tc = test_case("strings");
    tcase_add_test(tc, multi_byte_to_wide_char_two_call_pattern);
    tcase_add_test(tc, multi_byte_to_wide_char_rejects_what_windows_rejects);
    tcase_add_test(tc, wide_char_to_multi_byte_two_call_pattern);
    tcase_add_test(tc, lstr_functions_handle_null_and_case);
    tcase_add_test(tc, lstrcpy_and_lstrcat_copy_and_return_the_destination);
    tcase_add_test(tc, lstrcpyn_keeps_room_for_the_nul);
    tcase_add_test(tc, lstr_copies_through_a_null_pointer_fail_with_invalid_parameter);
    tcase_add_test(tc, the_generic_lstr_names_follow_unicode);
    tcase_add_test(tc, local_alloc_zeroes_and_local_free_returns_null);
    tcase_add_test(tc, freeing_foreign_memory_is_reported_and_refused);
    tcase_add_test(tc, the_process_heap_allocates_and_frees);
    tcase_add_test(tc, secure_zero_memory_zeroes);
    suite_add_tcase(s, tc);
    return test_run(s);
}
