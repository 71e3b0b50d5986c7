/* Wide-string Windows code: a "DOMAIN\user" name split with wcschr, wcslen and wcsncpy_s, a logon with the
 * parts, the account's groups from lm.h, text printed with wprintf and _tprintf, error text from
 * FormatMessageW. Built with -fshort-wchar on Linux so that L"" is WCHAR, as on Windows. */
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <windows.h>
#include <lm.h>
#include <tchar.h>
#include <strsafe.h> /* after tchar.h, as Windows' headers require */
#include <wchar.h>
#include <stdio.h>

static void print_error(const wchar_t *what, DWORD error)
{
    wchar_t text[256];
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL,
                        error, 0, text, _countof(text), NULL))
        wcscpy_s(text, _countof(text), L"(no text)");
    wprintf(L"%s failed: %lu %s\n", what, error, text);
}

/* Splits "DOMAIN\user"; a name without a backslash has no domain. */
static BOOL split(const wchar_t *full, wchar_t *domain, size_t domain_cch, wchar_t *user, size_t user_cch)
{
    const wchar_t *slash = wcschr(full, L'\\');
    if (!slash) {
        domain[0] = L'\0';
        return wcscpy_s(user, user_cch, full) == 0;
    }
    return wcsncpy_s(domain, domain_cch, full, (size_t)(slash - full)) == 0 &&
           wcscpy_s(user, user_cch, slash + 1) == 0;
}

int _tmain_impl(void)
{
    const wchar_t *names[] = { L"EXAMPLE\\alice", L"bob", L"EXAMPLE\\nobody" };
    const wchar_t *passwords[] = { L"Passw0rd!", L"Hunter2!", L"x" };
    for (size_t i = 0; i < _countof(names); i++) {
        wchar_t domain[DNLEN + 1], user[UNLEN + 1];
        if (!split(names[i], domain, _countof(domain), user, _countof(user)))
            return 1;
        wprintf(L"%s: %u characters, domain \"%s\", user \"%s\"\n", names[i], (unsigned)wcslen(names[i]), domain,
                user);
        HANDLE token;
        if (!LogonUserW(user, domain[0] ? domain : NULL, passwords[i], LOGON32_LOGON_NETWORK,
                        LOGON32_PROVIDER_DEFAULT, &token)) {
            print_error(L"LogonUser", GetLastError());
            continue;
        }
        CloseHandle(token);
        LOCALGROUP_USERS_INFO_0 *groups = NULL;
        DWORD read = 0, total = 0;
        NET_API_STATUS status = NetUserGetLocalGroups(NULL, names[i], 0, LG_INCLUDE_INDIRECT, (LPBYTE *)&groups,
                                                      MAX_PREFERRED_LENGTH, &read, &total);
        if (status != NERR_Success)
            return 2;
        for (DWORD g = 0; g < read; g++)
            _tprintf(_T("  member of %s\n"), groups[g].lgrui0_name);
        NetApiBufferFree(groups);
        wchar_t line[64];
        if (FAILED(StringCchPrintfW(line, _countof(line), L"%s logged on", user)))
            return 3;
        wprintf(L"  %s (%u)\n", line, (unsigned)wcslen(line));
    }
    return 0;
}

int main(void)
{
    return _tmain_impl();
}
