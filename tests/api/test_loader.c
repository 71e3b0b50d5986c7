/* LoadLibrary, GetModuleHandle, GetProcAddress and FreeLibrary over our own exports (doc/semantics.md §38). */
#define SECURITY_WIN32
#include "testutil.h"

#include "security.h"
#include "api/exports.h"

START_TEST(every_sspi_dll_loads_in_the_spellings_windows_code_uses)
{
    static const char *const names[] = {
        "secur32.dll", "SECUR32.DLL", "Secur32", "security.dll", "security", "sspicli.dll", "SspiCli.dll",
        "advapi32.dll", "ADVAPI32", "kernel32.dll", "C:\\Windows\\System32\\secur32.dll",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        SetLastError(0xdeadbeef);
        HMODULE h = LoadLibraryA(names[i]);
        ck_assert_msg(h != NULL, "LoadLibraryA(\"%s\") failed with %u", names[i], (unsigned)GetLastError());
        ck_assert(h == GetModuleHandleA(names[i]));
        ck_assert(FreeLibrary(h));
    }
}
END_TEST

START_TEST(the_classic_pattern_loads_security_dll_and_calls_its_table)
{
    HMODULE h = LoadLibraryA("security.dll");
    ck_assert_ptr_nonnull(h);
    INIT_SECURITY_INTERFACE_A init = (INIT_SECURITY_INTERFACE_A)(void (*)(void))GetProcAddress(h, SECURITY_ENTRYPOINT_ANSIA);
    ck_assert_ptr_nonnull(init);
    ck_assert(init == InitSecurityInterfaceA);
    PSecurityFunctionTableA table = init();
    ck_assert_ptr_nonnull(table);
    PSecPkgInfoA info = NULL;
    ck_assert_sec_status(table->QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
    ck_assert_str_eq(info->Name, "NTLM");
    ck_assert_sec_status(table->FreeContextBuffer(info), SEC_E_OK);
    ck_assert(FreeLibrary(h));
}
END_TEST

START_TEST(the_wide_loader_finds_the_same_modules)
{
    HMODULE h = LoadLibraryW(u"SSPICLI.DLL");
    ck_assert_ptr_nonnull(h);
    ck_assert(h == LoadLibraryA("sspicli"));
    ck_assert(h == GetModuleHandleW(u"sspicli.dll"));
    ck_assert(h == LoadLibraryExW(u"sspicli.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32));
    ck_assert(h != GetModuleHandleA("secur32.dll"));
    void (*init)(void) = (void (*)(void))GetProcAddress(h, "InitSecurityInterfaceW");
    ck_assert(init == (void (*)(void))InitSecurityInterfaceW);
}
END_TEST

START_TEST(every_row_of_the_export_table_is_found_by_get_proc_address)
{
    HMODULE h = GetModuleHandleA("secur32.dll");
    size_t n = 0;
    for (const char *name; (name = fs_export_name(n)) != NULL; n++)
        ck_assert_msg(GetProcAddress(h, name) != NULL, "GetProcAddress(\"%s\") is NULL", name);
    ck_assert_uint_gt(n, 200);
    ck_assert(GetProcAddress(h, "AcceptSecurityContext") == (FARPROC)(void (*)(void))AcceptSecurityContext);
    ck_assert(GetProcAddress(h, "LookupAccountSidW") == (FARPROC)(void (*)(void))LookupAccountSidW);
    ck_assert(GetProcAddress(h, "GetProcAddress") == (FARPROC)(void (*)(void))GetProcAddress);
}
END_TEST

START_TEST(a_name_not_exported_is_proc_not_found)
{
    HMODULE h = LoadLibraryA("secur32.dll");
    static const char *const names[] = {"acceptsecuritycontext", "InitSecurityInterface", "fs_export_address",
                                        "SspiNoSuchFunction", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        SetLastError(0xdeadbeef);
        ck_assert_ptr_null(GetProcAddress(h, names[i]));
        ck_assert_last_error(ERROR_PROC_NOT_FOUND);
    }
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(GetProcAddress(h, (LPCSTR)(uintptr_t)1)); /* an ordinal: ours have none */
    ck_assert_last_error(ERROR_PROC_NOT_FOUND);
}
END_TEST

START_TEST(the_program_itself_exports_nothing_and_a_forged_module_is_not_found)
{
    HMODULE self = GetModuleHandleA(NULL);
    ck_assert_ptr_nonnull(self);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(GetProcAddress(self, "AcceptSecurityContext"));
    ck_assert_last_error(ERROR_PROC_NOT_FOUND);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(GetProcAddress(NULL, "non_ex_call"));
    ck_assert_last_error(ERROR_PROC_NOT_FOUND);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(GetProcAddress((HMODULE)(uintptr_t)0xdeadbeef, "non_ex_call"));
    ck_assert_last_error(ERROR_MOD_NOT_FOUND);
    SetLastError(0xdeadbeef);
    ck_assert(!FreeLibrary((HMODULE)(uintptr_t)0xdeadbeef));
    ck_assert_last_error(ERROR_MOD_NOT_FOUND);
}
END_TEST

START_TEST(an_unknown_module_is_mod_not_found)
{
    static const char *const names[] = {"non_ex_pv.dll", "secur32.exe", "secur", "secur32.dll.dll", "", "ntdll.dll",
                                         "secur3", "secur322", "SECUR32x.dll"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        SetLastError(0xdeadbeef);
        ck_assert_ptr_null(LoadLibraryA(names[i]));
        ck_assert_last_error(ERROR_MOD_NOT_FOUND);
        SetLastError(0xdeadbeef);
        ck_assert_ptr_null(GetModuleHandleA(names[i]));
        ck_assert_last_error(ERROR_MOD_NOT_FOUND);
    }
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(LoadLibraryW(u"winhttp.dll"));
    ck_assert_last_error(ERROR_MOD_NOT_FOUND);
}
END_TEST

START_TEST(load_library_ex_checks_its_arguments)
{
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(LoadLibraryA(NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(LoadLibraryExA("secur32.dll", (HANDLE)(uintptr_t)4, 0));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(LoadLibraryExA("secur32.dll", NULL, LOAD_WITH_ALTERED_SEARCH_PATH | LOAD_LIBRARY_SEARCH_SYSTEM32));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(LoadLibraryExA("secur32.dll", NULL, 0x00100000));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_ptr_nonnull(LoadLibraryExA("secur32.dll", NULL, LOAD_WITH_ALTERED_SEARCH_PATH));
    ck_assert_ptr_nonnull(LoadLibraryExA("secur32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32));
}
END_TEST

START_TEST(an_injected_fault_fails_get_proc_address)
{
    HMODULE h = LoadLibraryA("secur32.dll");
    ck_assert_int_eq(fakesspi_fault_call("GetProcAddress", 1, ERROR_NOT_ENOUGH_MEMORY), 0);
    SetLastError(0xdeadbeef);
    ck_assert_ptr_null(GetProcAddress(h, "AcceptSecurityContext"));
    ck_assert_last_error(ERROR_NOT_ENOUGH_MEMORY);
    ck_assert_ptr_nonnull(GetProcAddress(h, "AcceptSecurityContext"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/loader");
    TCase *tc = test_case("loader");
    tcase_add_test(tc, every_sspi_dll_loads_in_the_spellings_windows_code_uses);
    tcase_add_test(tc, the_classic_pattern_loads_security_dll_and_calls_its_table);
    tcase_add_test(tc, the_wide_loader_finds_the_same_modules);
    tcase_add_test(tc, every_row_of_the_export_table_is_found_by_get_proc_address);
    tcase_add_test(tc, a_name_not_exported_is_proc_not_found);
    tcase_add_test(tc, the_program_itself_exports_nothing_and_a_forged_module_is_not_found);
    tcase_add_test(tc, an_unknown_module_is_mod_not_found);
    tcase_add_test(tc, load_library_ex_checks_its_arguments);
    tcase_add_test(tc, an_injected_fault_fails_get_proc_address);
    suite_add_tcase(s, tc);
    return test_run(s);
}
