/* The subset of <windows.h> that ported Windows authentication code needs. Like Windows' own, it brings
 * <stdarg.h>, <ctype.h> and <string.h>, and, unless WIN32_LEAN_AND_MEAN is defined, <stdlib.h> (which
 * Windows gets through ole2.h), rpc.h, winsock.h and wincrypt.h: code that calls malloc, va_start or
 * isalpha after including only <windows.h> builds unchanged. */
#ifndef FAKESSPI_WINDOWS_H
#define FAKESSPI_WINDOWS_H

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "windef.h"
#include "winnt.h"
#include "winerror.h"
#include "winbase.h"
#include "libloaderapi.h"
#include "sysinfoapi.h"
#include "winuser.h"

#ifndef WIN32_LEAN_AND_MEAN
#include <stdlib.h>
#include "rpc.h"
#include "winsock.h"
#include "wincrypt.h"
#endif

#endif
