// Windows code is often C++ with UNICODE and capitalised includes: it must compile and run unchanged.
#define SECURITY_WIN32
#include <Windows.h>
#include <Security.h>
#include <Sspi.h>
#include <WinError.h>
#include <Sddl.h>
#include <tchar.h>
#include <fakesspi.h>

#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vector>

static_assert(sizeof(WCHAR) == 2, "WCHAR is a UTF-16 unit");
static_assert(sizeof(SecHandle) == 16, "SecHandle");
static_assert(SEC_E_LOGON_DENIED < 0, "SECURITY_STATUS is negative");
// UNICODE maps the SDK's generic names to the W types.
static_assert(std::is_same<INIT_SECURITY_INTERFACE, INIT_SECURITY_INTERFACE_W>::value, "INIT_SECURITY_INTERFACE");
static_assert(std::is_same<ACQUIRE_CREDENTIALS_HANDLE_FN, ACQUIRE_CREDENTIALS_HANDLE_FN_W>::value, "generic FN names");
static_assert(std::is_same<SecurityFunctionTable, SecurityFunctionTableW>::value, "SecurityFunctionTable");
static_assert(sizeof(NEGOSSP_NAME) == 20 && sizeof(SECURITY_ENTRYPOINT[0]) == 2, "NEGOSSP_NAME is wide");

int main()
{
    HANDLE token = nullptr;
    // UNICODE is defined for this test: LogonUser is LogonUserW, TEXT() makes u"" literals.
    if (!LogonUser(TEXT("alice"), TEXT("EXAMPLE"), _T("Passw0rd!"), LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT,
                   &token)) {
        std::printf("LogonUserW failed: %lu\n", static_cast<unsigned long>(GetLastError()));
        return 1;
    }
    DWORD needed = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &needed);
    std::vector<BYTE> buffer(needed);
    if (!GetTokenInformation(token, TokenUser, buffer.data(), needed, &needed) || needed != 44)
        return 2;
    LPTSTR text = nullptr;
    if (!ConvertSidToStringSid(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &text))
        return 3;
    const WCHAR expected[] = TEXT("S-1-5-21-1000000001-2000000002-3000000003-1104");
    bool same = std::memcmp(text, expected, sizeof expected) == 0;
    LocalFree(text);
    CloseHandle(token);
    if (!same)
        return 4;
    // Both spellings of the SDK's authority initialisers, as ported code writes them.
    SID_IDENTIFIER_AUTHORITY plain = SECURITY_NT_AUTHORITY;
    SID_IDENTIFIER_AUTHORITY braced = { SECURITY_NT_AUTHORITY };
    static SID_IDENTIFIER_AUTHORITY world = SECURITY_WORLD_SID_AUTHORITY;
    if (plain.Value[5] != 5 || braced.Value[5] != 5 || world.Value[5] != 1)
        return 6;
    PSID users = nullptr;
    if (!AllocateAndInitializeSid(&braced, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS, 0, 0, 0, 0, 0, 0,
                                  &users))
        return 7;
    LPTSTR users_text = nullptr;
    if (!ConvertSidToStringSid(users, &users_text))
        return 8;
    const WCHAR users_expected[] = TEXT("S-1-5-32-545");
    bool users_same = std::memcmp(users_text, users_expected, sizeof users_expected) == 0;
    LocalFree(users_text);
    FreeSid(users);
    if (!users_same)
        return 9;
    SecPkgInfo info = {};
    info.fCapabilities = SECPKG_FLAG_INTEGRITY;
    std::printf("C++ port works: %s\n", fakesspi_status_name(SEC_E_OK));
    return info.fCapabilities == 1 ? 0 : 5;
}
