/* _T() and _TCHAR, following UNICODE/_UNICODE as on Windows. */
#ifndef FAKESSPI_TCHAR_H
#define FAKESSPI_TCHAR_H

#include "windef.h"

#if defined(_UNICODE) || defined(UNICODE)
typedef WCHAR _TCHAR;
#define _T(x) FAKESSPI_WIDE_(x)
#define _TEXT(x) FAKESSPI_WIDE_(x)
#else
typedef char _TCHAR;
#define _T(x) x
#define _TEXT(x) x
#endif

#endif
