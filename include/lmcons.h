/* LAN Manager lengths and types (lmcons.h). */
#ifndef FAKESSPI_LMCONS_H
#define FAKESSPI_LMCONS_H

#include "windef.h"

#define CNLEN 15
#define LM20_CNLEN 15
#define DNLEN CNLEN
#define LM20_DNLEN LM20_CNLEN
#define UNCLEN (CNLEN + 2)
#define NNLEN 80
#define RMLEN (UNCLEN + 1 + NNLEN)
#define UNLEN 256
#define LM20_UNLEN 20
#define GNLEN UNLEN
#define LM20_GNLEN LM20_UNLEN
#define PWLEN 256
#define LM20_PWLEN 14
#define MAXCOMMENTSZ 256
#define NET_API_FUNCTION WINAPI
#define MAX_PREFERRED_LENGTH ((DWORD)-1)
#define NERR_Success 0

typedef DWORD NET_API_STATUS;
typedef WCHAR *LMSTR;
typedef const WCHAR *LMCSTR;

#endif
