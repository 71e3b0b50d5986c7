/* Code-page conversion and the lstr* helpers. The "ANSI" code page here is UTF-8. These are C runtime
 * plumbing outside the entry shape (exports.def: RUNTIME): not traced, not failed by FAKESSPI_FAULTS. */
#include <string.h>

#include "api.h"
#include "core/lasterror.h"
#include "core/utf.h"

/* CP_ACP, CP_OEMCP and CP_THREAD_ACP are UTF-8 in the emulation (like Windows' UTF-8 locale
 * option); other code pages are not available. */
static int is_utf8_page(UINT cp) { return cp == CP_UTF8 || cp == CP_ACP || cp == CP_OEMCP || cp == CP_THREAD_ACP; }

int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr, int cbMultiByte,
                               LPWSTR lpWideCharStr, int cchWideChar)
{
    FS_GATE_SCOPE();
    if (!lpMultiByteStr || cbMultiByte == 0 || cbMultiByte < -1 || cchWideChar < 0 ||
        (cchWideChar && !lpWideCharStr) || !is_utf8_page(CodePage) ||
        (lpWideCharStr && (const void *)lpWideCharStr == (const void *)lpMultiByteStr)) {
        fs_last_error_set(fs_win32_error(FS_E_INVALID_PARAMETER));
        return 0;
    }
    DWORD allowed = CodePage == CP_UTF8 ? MB_ERR_INVALID_CHARS : MB_ERR_INVALID_CHARS | MB_PRECOMPOSED;
    if (dwFlags & ~allowed) {
        fs_last_error_set(fs_win32_error(FS_E_INVALID_FLAGS));
        return 0;
    }
    size_t len = cbMultiByte == -1 ? strlen(lpMultiByteStr) + 1 : (size_t)cbMultiByte;
    size_t units;
    fs_err err = fs_utf8_to_utf16(lpMultiByteStr, len, cchWideChar ? (uint16_t *)lpWideCharStr : NULL,
                                  (size_t)cchWideChar, &units, (dwFlags & MB_ERR_INVALID_CHARS) != 0);
    if (err != FS_OK) {
        fs_last_error_set(fs_win32_error(err));
        return 0;
    }
    return (int)units;
}

int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr, int cchWideChar,
                               LPSTR lpMultiByteStr, int cbMultiByte, LPCCH lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
    FS_GATE_SCOPE();
    if (!lpWideCharStr || cchWideChar == 0 || cchWideChar < -1 || cbMultiByte < 0 ||
        (cbMultiByte && !lpMultiByteStr) || !is_utf8_page(CodePage) ||
        (CodePage == CP_UTF8 && (lpDefaultChar || lpUsedDefaultChar))) {
        fs_last_error_set(fs_win32_error(FS_E_INVALID_PARAMETER));
        return 0;
    }
    DWORD allowed = CodePage == CP_UTF8 ? WC_ERR_INVALID_CHARS : WC_ERR_INVALID_CHARS | WC_NO_BEST_FIT_CHARS;
    if (dwFlags & ~allowed) {
        fs_last_error_set(fs_win32_error(FS_E_INVALID_FLAGS));
        return 0;
    }
    size_t len = cchWideChar == -1 ? fs_utf16_len((const uint16_t *)lpWideCharStr) + 1 : (size_t)cchWideChar;
    size_t bytes;
    fs_err err = fs_utf16_to_utf8((const uint16_t *)lpWideCharStr, len, cbMultiByte ? lpMultiByteStr : NULL,
                                  (size_t)cbMultiByte, &bytes, (dwFlags & WC_ERR_INVALID_CHARS) != 0);
    if (err != FS_OK) {
        fs_last_error_set(fs_win32_error(err));
        return 0;
    }
    if (lpUsedDefaultChar)
        *lpUsedDefaultChar = FALSE;
    return (int)bytes;
}

int WINAPI lstrlenA(LPCSTR lpString) { return lpString ? (int)strlen(lpString) : 0; }
int WINAPI lstrlenW(LPCWSTR lpString) { return lpString ? (int)fs_utf16_len((const uint16_t *)lpString) : 0; }

/* NULL sorts before every string, as lstrcmp does. */
static int null_order(const void *a, const void *b) { return !a ? (b ? -1 : 0) : 1; }

int WINAPI lstrcmpA(LPCSTR a, LPCSTR b)
{
    if (!a || !b)
        return null_order(a, b);
    int c = strcmp(a, b);
    return (c > 0) - (c < 0);
}

int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    if (!a || !b)
        return null_order(a, b);
    while (*a && *a == *b)
        a++, b++;
    return (*a > *b) - (*a < *b);
}

int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b)
{
    if (!a || !b)
        return null_order(a, b);
    int c = fs_ascii_casecmp(a, b);
    return (c > 0) - (c < 0);
}

int WINAPI lstrcmpiW(LPCWSTR a, LPCWSTR b)
{
    if (!a || !b)
        return null_order(a, b);
    int c = fs_utf16_ascii_casecmp((const uint16_t *)a, (const uint16_t *)b);
    return (c > 0) - (c < 0);
}

/* lstrcpy, lstrcpyn and lstrcat catch the fault of a bad pointer on Windows and return NULL with
 * ERROR_INVALID_PARAMETER; a NULL pointer is the bad pointer we can see (doc/semantics.md §38). */
static void *bad_pointer(void)
{
    fs_last_error_set(fs_win32_error(FS_E_INVALID_PARAMETER));
    return NULL;
}

LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return bad_pointer();
    memmove(lpString1, lpString2, strlen(lpString2) + 1);
    return lpString1;
}

LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return bad_pointer();
    memmove(lpString1, lpString2, (fs_utf16_len((const uint16_t *)lpString2) + 1) * sizeof(WCHAR));
    return lpString1;
}

/* At most iMaxLength - 1 characters, then the NUL; 0 writes nothing. A negative length is taken as
 * unsigned, as Windows does: no limit. */
LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
{
    unsigned count = (unsigned)iMaxLength;
    if (!count)
        return lpString1;
    if (!lpString1 || (!lpString2 && count > 1))
        return bad_pointer();
    char *d = lpString1;
    for (const char *s = lpString2; count > 1 && *s; count--)
        *d++ = *s++;
    *d = '\0';
    return lpString1;
}

LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength)
{
    unsigned count = (unsigned)iMaxLength;
    if (!count)
        return lpString1;
    if (!lpString1 || (!lpString2 && count > 1))
        return bad_pointer();
    WCHAR *d = lpString1;
    for (const WCHAR *s = lpString2; count > 1 && *s; count--)
        *d++ = *s++;
    *d = 0;
    return lpString1;
}

LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return bad_pointer();
    strcat(lpString1, lpString2);
    return lpString1;
}

LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return bad_pointer();
    size_t at = fs_utf16_len((const uint16_t *)lpString1);
    memcpy(lpString1 + at, lpString2, (fs_utf16_len((const uint16_t *)lpString2) + 1) * sizeof(WCHAR));
    return lpString1;
}
