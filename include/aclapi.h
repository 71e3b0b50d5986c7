/* The ACL helpers of advapi32: explicit access entries merged into ACLs, trustees, effective rights.
 * windows.h does not include this header, as on Windows. */
#ifndef FAKESSPI_ACLAPI_H
#define FAKESSPI_ACLAPI_H

#include "windows.h"
#include "accctrl.h"

FAKESSPI_BEGIN_DECLS

/* These return a Win32 error code (ERROR_SUCCESS on success) and leave the last error alone. */
FAKESSPI_API DWORD WINAPI SetEntriesInAclA(ULONG cCountOfExplicitEntries, PEXPLICIT_ACCESS_A pListOfExplicitEntries,
                                           PACL OldAcl, PACL *NewAcl);
FAKESSPI_API DWORD WINAPI SetEntriesInAclW(ULONG cCountOfExplicitEntries, PEXPLICIT_ACCESS_W pListOfExplicitEntries,
                                           PACL OldAcl, PACL *NewAcl);
FAKESSPI_API DWORD WINAPI GetExplicitEntriesFromAclA(PACL pacl, PULONG pcCountOfExplicitEntries,
                                                     PEXPLICIT_ACCESS_A *pListOfExplicitEntries);
FAKESSPI_API DWORD WINAPI GetExplicitEntriesFromAclW(PACL pacl, PULONG pcCountOfExplicitEntries,
                                                     PEXPLICIT_ACCESS_W *pListOfExplicitEntries);
FAKESSPI_API DWORD WINAPI GetEffectiveRightsFromAclA(PACL pacl, PTRUSTEE_A pTrustee, PACCESS_MASK pAccessRights);
FAKESSPI_API DWORD WINAPI GetEffectiveRightsFromAclW(PACL pacl, PTRUSTEE_W pTrustee, PACCESS_MASK pAccessRights);

FAKESSPI_API VOID WINAPI BuildExplicitAccessWithNameA(PEXPLICIT_ACCESS_A pExplicitAccess, LPSTR pTrusteeName,
                                                      DWORD AccessPermissions, ACCESS_MODE AccessMode, DWORD Inheritance);
FAKESSPI_API VOID WINAPI BuildExplicitAccessWithNameW(PEXPLICIT_ACCESS_W pExplicitAccess, LPWSTR pTrusteeName,
                                                      DWORD AccessPermissions, ACCESS_MODE AccessMode, DWORD Inheritance);
FAKESSPI_API VOID WINAPI BuildTrusteeWithNameA(PTRUSTEE_A pTrustee, LPSTR pName);
FAKESSPI_API VOID WINAPI BuildTrusteeWithNameW(PTRUSTEE_W pTrustee, LPWSTR pName);
FAKESSPI_API VOID WINAPI BuildTrusteeWithSidA(PTRUSTEE_A pTrustee, PSID pSid);
FAKESSPI_API VOID WINAPI BuildTrusteeWithSidW(PTRUSTEE_W pTrustee, PSID pSid);
FAKESSPI_API LPSTR WINAPI GetTrusteeNameA(PTRUSTEE_A pTrustee);
FAKESSPI_API LPWSTR WINAPI GetTrusteeNameW(PTRUSTEE_W pTrustee);
FAKESSPI_API TRUSTEE_TYPE WINAPI GetTrusteeTypeA(PTRUSTEE_A pTrustee);
FAKESSPI_API TRUSTEE_TYPE WINAPI GetTrusteeTypeW(PTRUSTEE_W pTrustee);
FAKESSPI_API TRUSTEE_FORM WINAPI GetTrusteeFormA(PTRUSTEE_A pTrustee);
FAKESSPI_API TRUSTEE_FORM WINAPI GetTrusteeFormW(PTRUSTEE_W pTrustee);

#ifdef UNICODE
#define SetEntriesInAcl SetEntriesInAclW
#define GetExplicitEntriesFromAcl GetExplicitEntriesFromAclW
#define GetEffectiveRightsFromAcl GetEffectiveRightsFromAclW
#define BuildExplicitAccessWithName BuildExplicitAccessWithNameW
#define BuildTrusteeWithName BuildTrusteeWithNameW
#define BuildTrusteeWithSid BuildTrusteeWithSidW
#define GetTrusteeName GetTrusteeNameW
#define GetTrusteeType GetTrusteeTypeW
#define GetTrusteeForm GetTrusteeFormW
#else
#define SetEntriesInAcl SetEntriesInAclA
#define GetExplicitEntriesFromAcl GetExplicitEntriesFromAclA
#define GetEffectiveRightsFromAcl GetEffectiveRightsFromAclA
#define BuildExplicitAccessWithName BuildExplicitAccessWithNameA
#define BuildTrusteeWithName BuildTrusteeWithNameA
#define BuildTrusteeWithSid BuildTrusteeWithSidA
#define GetTrusteeName GetTrusteeNameA
#define GetTrusteeType GetTrusteeTypeA
#define GetTrusteeForm GetTrusteeFormA
#endif

FAKESSPI_END_DECLS

#endif
