/* SID string conversion and the SDDL two-letter SID aliases. */
#ifndef FAKESSPI_SDDL_H
#define FAKESSPI_SDDL_H

#include "winnt.h"

FAKESSPI_BEGIN_DECLS

#define SDDL_REVISION_1 1
#define SDDL_REVISION SDDL_REVISION_1

#define SDDL_EVERYONE TEXT("WD")
#define SDDL_AUTHENTICATED_USERS TEXT("AU")
#define SDDL_BUILTIN_ADMINISTRATORS TEXT("BA")
#define SDDL_BUILTIN_USERS TEXT("BU")
#define SDDL_BUILTIN_GUESTS TEXT("BG")
#define SDDL_LOCAL_SYSTEM TEXT("SY")
#define SDDL_LOCAL_SERVICE TEXT("LS")
#define SDDL_NETWORK_SERVICE TEXT("NS")
#define SDDL_NETWORK TEXT("NU")
#define SDDL_INTERACTIVE TEXT("IU")
#define SDDL_SERVICE TEXT("SU")
#define SDDL_ANONYMOUS TEXT("AN")
#define SDDL_CREATOR_OWNER TEXT("CO")
#define SDDL_CREATOR_GROUP TEXT("CG")
#define SDDL_DOMAIN_ADMINISTRATORS TEXT("DA")
#define SDDL_DOMAIN_USERS TEXT("DU")
#define SDDL_DOMAIN_GUESTS TEXT("DG")
#define SDDL_LOCAL_ADMIN TEXT("LA")
#define SDDL_LOCAL_GUEST TEXT("LG")
#define SDDL_ML_LOW TEXT("LW")
#define SDDL_ML_MEDIUM TEXT("ME")
#define SDDL_ML_HIGH TEXT("HI")
#define SDDL_ML_SYSTEM TEXT("SI")

FAKESSPI_API BOOL WINAPI ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid);
FAKESSPI_API BOOL WINAPI ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid);
FAKESSPI_API BOOL WINAPI ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid);
FAKESSPI_API BOOL WINAPI ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid);

#ifdef UNICODE
#define ConvertSidToStringSid ConvertSidToStringSidW
#define ConvertStringSidToSid ConvertStringSidToSidW
#else
#define ConvertSidToStringSid ConvertSidToStringSidA
#define ConvertStringSidToSid ConvertStringSidToSidA
#endif

FAKESSPI_END_DECLS

#endif
