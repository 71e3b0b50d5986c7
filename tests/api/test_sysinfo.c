/* GetVersion and GetVersionEx: Windows' answer to a program without a manifest (doc/semantics.md §38). */
#include "testutil.h"

START_TEST(get_version_ex_a_reports_6_2_9200_on_nt)
{
    OSVERSIONINFOA info;
    memset(&info, 0xcc, sizeof info);
    info.dwOSVersionInfoSize = sizeof info;
    SetLastError(0xdeadbeef);
    ck_assert(GetVersionExA(&info));
    ck_assert_uint_eq(info.dwOSVersionInfoSize, sizeof info);
    ck_assert_uint_eq(info.dwMajorVersion, 6);
    ck_assert_uint_eq(info.dwMinorVersion, 2);
    ck_assert_uint_eq(info.dwBuildNumber, 9200);
    ck_assert_uint_eq(info.dwPlatformId, VER_PLATFORM_WIN32_NT);
    ck_assert_str_eq(info.szCSDVersion, "");
}
END_TEST

START_TEST(the_ex_structures_add_a_workstation_without_service_pack)
{
    struct {
        OSVERSIONINFOEXW info;
        DWORD guard;
    } w;
    memset(&w, 0xcc, sizeof w);
    w.info.dwOSVersionInfoSize = sizeof w.info;
    ck_assert(GetVersionExW((LPOSVERSIONINFOW)&w.info));
    ck_assert_uint_eq(w.info.dwMajorVersion, 6);
    ck_assert_uint_eq(w.info.dwBuildNumber, 9200);
    ck_assert_uint_eq(w.info.szCSDVersion[0], 0);
    ck_assert_uint_eq(w.info.wServicePackMajor, 0);
    ck_assert_uint_eq(w.info.wServicePackMinor, 0);
    ck_assert_uint_eq(w.info.wSuiteMask, VER_SUITE_SINGLEUSERTS);
    ck_assert_uint_eq(w.info.wProductType, VER_NT_WORKSTATION);
    ck_assert_uint_eq(w.guard, 0xccccccccu);

    OSVERSIONINFOEXA a;
    memset(&a, 0xcc, sizeof a);
    a.dwOSVersionInfoSize = sizeof a;
    ck_assert(GetVersionExA((LPOSVERSIONINFOA)&a));
    ck_assert_uint_eq(a.dwMinorVersion, 2);
    ck_assert_uint_eq(a.wProductType, VER_NT_WORKSTATION);
    ck_assert_uint_eq(a.wReserved, 0);
}
END_TEST

START_TEST(a_plain_structure_is_written_no_further_than_its_size)
{
    struct {
        OSVERSIONINFOW info;
        unsigned char after[8];
    } w;
    memset(&w, 0xcc, sizeof w);
    w.info.dwOSVersionInfoSize = sizeof w.info;
    ck_assert(GetVersionExW(&w.info));
    ck_assert_uint_eq(w.info.dwPlatformId, VER_PLATFORM_WIN32_NT);
    for (size_t i = 0; i < sizeof w.after; i++)
        ck_assert_uint_eq(w.after[i], 0xcc);
}
END_TEST

START_TEST(a_wrong_size_is_insufficient_buffer_and_writes_nothing)
{
    static const DWORD sizes[] = {0, sizeof(OSVERSIONINFOA) / 2, sizeof(OSVERSIONINFOA) * 2, sizeof(OSVERSIONINFOW),
                                  sizeof(OSVERSIONINFOA) + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        OSVERSIONINFOEXW info;
        memset(&info, 0xcc, sizeof info);
        info.dwOSVersionInfoSize = sizes[i];
        SetLastError(0xdeadbeef);
        ck_assert(!GetVersionExA((LPOSVERSIONINFOA)&info));
        ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
        ck_assert_uint_eq(info.dwMajorVersion, 0xccccccccu);
    }
    OSVERSIONINFOW w;
    memset(&w, 0xcc, sizeof w);
    w.dwOSVersionInfoSize = sizeof(OSVERSIONINFOA); /* the A size for the W call */
    SetLastError(0xdeadbeef);
    ck_assert(!GetVersionExW(&w));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(w.dwMajorVersion, 0xccccccccu);
    SetLastError(0xdeadbeef);
    ck_assert(!GetVersionExA(NULL));
    ck_assert_last_error(ERROR_NOACCESS);
}
END_TEST

START_TEST(get_version_packs_the_same_numbers)
{
    DWORD v = GetVersion();
    ck_assert_uint_eq(v, 0x23F00206u);
    ck_assert_uint_eq(LOBYTE(LOWORD(v)), 6);
    ck_assert_uint_eq(HIBYTE(LOWORD(v)), 2);
    ck_assert_uint_eq(HIWORD(v), 9200);
}
END_TEST

START_TEST(the_sizes_are_windows_sizes)
{
    ck_assert_uint_eq(sizeof(OSVERSIONINFOA), 148);
    ck_assert_uint_eq(sizeof(OSVERSIONINFOW), 276);
    ck_assert_uint_eq(sizeof(OSVERSIONINFOEXA), 156);
    ck_assert_uint_eq(sizeof(OSVERSIONINFOEXW), 284);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/sysinfo");
    TCase *tc = test_case("version");
    tcase_add_test(tc, get_version_ex_a_reports_6_2_9200_on_nt);
    tcase_add_test(tc, the_ex_structures_add_a_workstation_without_service_pack);
    tcase_add_test(tc, a_plain_structure_is_written_no_further_than_its_size);
    tcase_add_test(tc, a_wrong_size_is_insufficient_buffer_and_writes_nothing);
    tcase_add_test(tc, get_version_packs_the_same_numbers);
    tcase_add_test(tc, the_sizes_are_windows_sizes);
    suite_add_tcase(s, tc);
    return test_run(s);
}
