/* _T(), _TCHAR and the generic-text routines (_tcslen, _tcscpy_s, _tprintf, _tmain, ...), following
 * _UNICODE/UNICODE as on Windows. Wide names go to the 16-bit functions: the C library's own names
 * under -fshort-wchar (relabelled by fakesspi_wchar16.h), the fakesspi_ ones otherwise, so _T("")
 * strings of either kind (L"" or u"") meet functions that read them right. */
#ifndef FAKESSPI_TCHAR_H
#define FAKESSPI_TCHAR_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include "windef.h"
#include "fakesspi_crt.h"

#if defined(_UNICODE) || defined(UNICODE)
typedef WCHAR _TCHAR, _TSCHAR, _TUCHAR, _TXCHAR;
typedef int _TINT; /* wint_t on Windows: an int-sized unit */
#define _T(x) FAKESSPI_WIDE_(x)
#define _TEXT(x) FAKESSPI_WIDE_(x)
#define _TEOF WEOF

#if defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ == 2
#define FAKESSPI_T16_(name) name
#else
#define FAKESSPI_T16_(name) fakesspi_##name
#endif
#define _tcslen FAKESSPI_T16_(wcslen)
#define _tcsclen FAKESSPI_T16_(wcslen)
#define _tcsnlen FAKESSPI_T16_(wcsnlen)
#define _tcscpy FAKESSPI_T16_(wcscpy)
#define _tcsncpy FAKESSPI_T16_(wcsncpy)
#define _tcscat FAKESSPI_T16_(wcscat)
#define _tcsncat FAKESSPI_T16_(wcsncat)
#define _tcscmp FAKESSPI_T16_(wcscmp)
#define _tcsncmp FAKESSPI_T16_(wcsncmp)
#define _tcschr FAKESSPI_T16_(wcschr)
#define _tcsrchr FAKESSPI_T16_(wcsrchr)
#define _tcsstr FAKESSPI_T16_(wcsstr)
#define _tcspbrk FAKESSPI_T16_(wcspbrk)
#define _tcsspn FAKESSPI_T16_(wcsspn)
#define _tcscspn FAKESSPI_T16_(wcscspn)
#define _tcstok_s FAKESSPI_T16_(wcstok)
#define _tcstol FAKESSPI_T16_(wcstol)
#define _tcstoul FAKESSPI_T16_(wcstoul)
#define _tcstoi64 FAKESSPI_T16_(wcstoll)
#define _tcstoui64 FAKESSPI_T16_(wcstoull)
#define _tprintf FAKESSPI_T16_(wprintf)
#define _vtprintf FAKESSPI_T16_(vwprintf)
#define _ftprintf FAKESSPI_T16_(fwprintf)
#define _vftprintf FAKESSPI_T16_(vfwprintf)
#define _fputts FAKESSPI_T16_(fputws)
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcsdup _wcsdup
#define _tcscpy_s wcscpy_s
#define _tcsncpy_s wcsncpy_s
#define _tcscat_s wcscat_s
#define _tcsncat_s wcsncat_s
#define _ttoi _wtoi
#define _ttol _wtol
#define _stprintf_s swprintf_s
#define _vstprintf_s vswprintf_s
#define _sntprintf _snwprintf
#define _vsntprintf _vsnwprintf
#define _sntprintf_s _snwprintf_s
#define _vsntprintf_s _vsnwprintf_s
#define _sctprintf _scwprintf
#define _stprintf _swprintf
#define _totlower towlower
#define _totupper towupper
#define _istalpha iswalpha
#define _istdigit iswdigit
#define _istalnum iswalnum
#define _istspace iswspace
#define _istupper iswupper
#define _istlower iswlower
#define _istxdigit iswxdigit
#define _istprint iswprint
#define _tmain wmain
#define _tWinMain wWinMain

/* The legacy two-argument swprintf that _stprintf names on Windows: no size, like sprintf. */
static inline int _swprintf(WCHAR *buffer, const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = fakesspi_vswprintf(buffer, (size_t)-1 / (2 * sizeof(WCHAR)), format, ap);
    va_end(ap);
    return n;
}

#else
typedef char _TCHAR, _TSCHAR, _TXCHAR;
typedef unsigned char _TUCHAR;
typedef int _TINT;
#define _T(x) x
#define _TEXT(x) x
#define _TEOF EOF
#define _tcslen strlen
#define _tcsclen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcspbrk strpbrk
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcstok_s strtok_r
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 strtoll
#define _tcstoui64 strtoull
#define _tprintf printf
#define _vtprintf vprintf
#define _ftprintf fprintf
#define _vftprintf vfprintf
#define _fputts fputs
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcsdup _strdup
#define _tcscpy_s strcpy_s
#define _tcsncpy_s strncpy_s
#define _tcscat_s strcat_s
#define _tcsncat_s strncat_s
#define _ttoi atoi
#define _ttol atol
#define _stprintf_s sprintf_s
#define _vstprintf_s vsprintf_s
#define _sntprintf _snprintf
#define _vsntprintf _vsnprintf
#define _sntprintf_s _snprintf_s
#define _vsntprintf_s _vsnprintf_s
#define _sctprintf _scprintf
#define _stprintf sprintf
#define _totlower tolower
#define _totupper toupper
#define _istalpha isalpha
#define _istdigit isdigit
#define _istalnum isalnum
#define _istspace isspace
#define _istupper isupper
#define _istlower islower
#define _istxdigit isxdigit
#define _istprint isprint
#define _tmain main
#define _tWinMain WinMain
#endif

#endif
