/* Win32 handle, token, SID, account, string and memory functions that Windows auth code uses. */
#ifndef FAKESSPI_WINBASE_H
#define FAKESSPI_WINBASE_H

#include <stdarg.h>

#include "winnt.h"
#include "winerror.h"

FAKESSPI_BEGIN_DECLS

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* ---- handles ---- */
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002
#define HANDLE_FLAG_INHERIT 0x00000001
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 0x00000002

FAKESSPI_API BOOL WINAPI CloseHandle(HANDLE hObject);
FAKESSPI_API BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
    HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle, DWORD dwDesiredAccess, BOOL bInheritHandle,
    DWORD dwOptions);
FAKESSPI_API BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
FAKESSPI_API BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
FAKESSPI_API HANDLE WINAPI GetCurrentProcess(void);
FAKESSPI_API HANDLE WINAPI GetCurrentThread(void);
FAKESSPI_API DWORD WINAPI GetCurrentProcessId(void);
FAKESSPI_API DWORD WINAPI GetCurrentThreadId(void);

/* Pseudo-handles: inline on Windows too; closing one is a harmless no-op. */
static inline HANDLE GetCurrentProcessToken(void) { return (HANDLE)(LONG_PTR)-4; }
static inline HANDLE GetCurrentThreadToken(void) { return (HANDLE)(LONG_PTR)-5; }
static inline HANDLE GetCurrentThreadEffectiveToken(void) { return (HANDLE)(LONG_PTR)-6; }

FAKESSPI_API DWORD WINAPI GetLastError(void);
FAKESSPI_API void WINAPI SetLastError(DWORD dwErrCode);

/* ---- logon and tokens ---- */
#define LOGON32_LOGON_INTERACTIVE 2
#define LOGON32_LOGON_NETWORK 3
#define LOGON32_LOGON_BATCH 4
#define LOGON32_LOGON_SERVICE 5
#define LOGON32_LOGON_UNLOCK 7
#define LOGON32_LOGON_NETWORK_CLEARTEXT 8
#define LOGON32_LOGON_NEW_CREDENTIALS 9
#define LOGON32_PROVIDER_DEFAULT 0
#define LOGON32_PROVIDER_WINNT35 1
#define LOGON32_PROVIDER_WINNT40 2
#define LOGON32_PROVIDER_WINNT50 3
#define LOGON32_PROVIDER_VIRTUAL 4

FAKESSPI_API BOOL WINAPI LogonUserA(LPCSTR lpszUsername, LPCSTR lpszDomain, LPCSTR lpszPassword,
    DWORD dwLogonType, DWORD dwLogonProvider, PHANDLE phToken);
FAKESSPI_API BOOL WINAPI LogonUserW(LPCWSTR lpszUsername, LPCWSTR lpszDomain, LPCWSTR lpszPassword,
    DWORD dwLogonType, DWORD dwLogonProvider, PHANDLE phToken);
FAKESSPI_API BOOL WINAPI OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle);
FAKESSPI_API BOOL WINAPI OpenThreadToken(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf,
    PHANDLE TokenHandle);
FAKESSPI_API BOOL WINAPI DuplicateToken(HANDLE ExistingTokenHandle,
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel, PHANDLE DuplicateTokenHandle);
FAKESSPI_API BOOL WINAPI DuplicateTokenEx(HANDLE hExistingToken, DWORD dwDesiredAccess,
    LPSECURITY_ATTRIBUTES lpTokenAttributes, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    TOKEN_TYPE TokenType, PHANDLE phNewToken);
FAKESSPI_API BOOL WINAPI GetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
    LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength);
FAKESSPI_API BOOL WINAPI ImpersonateLoggedOnUser(HANDLE hToken);
FAKESSPI_API BOOL WINAPI RevertToSelf(void);
FAKESSPI_API BOOL WINAPI CheckTokenMembership(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember);

/* ---- ACLs, security descriptors and the access check ---- */
FAKESSPI_API BOOL WINAPI InitializeAcl(PACL pAcl, DWORD nAclLength, DWORD dwAclRevision);
FAKESSPI_API BOOL WINAPI IsValidAcl(PACL pAcl);
FAKESSPI_API BOOL WINAPI GetAclInformation(PACL pAcl, LPVOID pAclInformation, DWORD nAclInformationLength,
    ACL_INFORMATION_CLASS dwAclInformationClass);
FAKESSPI_API BOOL WINAPI AddAce(PACL pAcl, DWORD dwAceRevision, DWORD dwStartingAceIndex, LPVOID pAceList,
    DWORD nAceListLength);
FAKESSPI_API BOOL WINAPI GetAce(PACL pAcl, DWORD dwAceIndex, LPVOID *pAce);
FAKESSPI_API BOOL WINAPI DeleteAce(PACL pAcl, DWORD dwAceIndex);
FAKESSPI_API BOOL WINAPI FindFirstFreeAce(PACL pAcl, LPVOID *pAce);
FAKESSPI_API BOOL WINAPI AddAccessAllowedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask, PSID pSid);
FAKESSPI_API BOOL WINAPI AddAccessAllowedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask,
    PSID pSid);
FAKESSPI_API BOOL WINAPI AddAccessDeniedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask, PSID pSid);
FAKESSPI_API BOOL WINAPI AddAccessDeniedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask,
    PSID pSid);
FAKESSPI_API BOOL WINAPI AddAccessAllowedObjectAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags,
    DWORD AccessMask, GUID *ObjectTypeGuid, GUID *InheritedObjectTypeGuid, PSID pSid);
FAKESSPI_API BOOL WINAPI AddAccessDeniedObjectAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags,
    DWORD AccessMask, GUID *ObjectTypeGuid, GUID *InheritedObjectTypeGuid, PSID pSid);
FAKESSPI_API BOOL WINAPI AddMandatoryAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD MandatoryPolicy,
    PSID pLabelSid);
FAKESSPI_API BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor, DWORD dwRevision);
FAKESSPI_API BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor);
FAKESSPI_API DWORD WINAPI GetSecurityDescriptorLength(PSECURITY_DESCRIPTOR pSecurityDescriptor);
FAKESSPI_API BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
    PSECURITY_DESCRIPTOR_CONTROL pControl, LPDWORD lpdwRevision);
FAKESSPI_API BOOL WINAPI SetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
    SECURITY_DESCRIPTOR_CONTROL ControlBitsOfInterest, SECURITY_DESCRIPTOR_CONTROL ControlBitsToSet);
FAKESSPI_API BOOL WINAPI GetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID *pOwner,
    LPBOOL lpbOwnerDefaulted);
FAKESSPI_API BOOL WINAPI SetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID pOwner,
    BOOL bOwnerDefaulted);
FAKESSPI_API BOOL WINAPI GetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID *pGroup,
    LPBOOL lpbGroupDefaulted);
FAKESSPI_API BOOL WINAPI SetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID pGroup,
    BOOL bGroupDefaulted);
FAKESSPI_API BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
    LPBOOL lpbDaclPresent, PACL *pDacl, LPBOOL lpbDaclDefaulted);
FAKESSPI_API BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bDaclPresent,
    PACL pDacl, BOOL bDaclDefaulted);
FAKESSPI_API BOOL WINAPI GetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
    LPBOOL lpbSaclPresent, PACL *pSacl, LPBOOL lpbSaclDefaulted);
FAKESSPI_API BOOL WINAPI SetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bSaclPresent,
    PACL pSacl, BOOL bSaclDefaulted);
FAKESSPI_API VOID WINAPI MapGenericMask(PDWORD AccessMask, PGENERIC_MAPPING GenericMapping);
FAKESSPI_API BOOL WINAPI AccessCheck(PSECURITY_DESCRIPTOR pSecurityDescriptor, HANDLE ClientToken,
    DWORD DesiredAccess, PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet, LPDWORD PrivilegeSetLength,
    LPDWORD GrantedAccess, LPBOOL AccessStatus);
FAKESSPI_API BOOL WINAPI AccessCheckByType(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID PrincipalSelfSid,
    HANDLE ClientToken, DWORD DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList, DWORD ObjectTypeListLength,
    PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet, LPDWORD PrivilegeSetLength, LPDWORD GrantedAccess,
    LPBOOL AccessStatus);
FAKESSPI_API BOOL WINAPI AccessCheckByTypeResultList(PSECURITY_DESCRIPTOR pSecurityDescriptor,
    PSID PrincipalSelfSid, HANDLE ClientToken, DWORD DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList,
    DWORD ObjectTypeListLength, PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet,
    LPDWORD PrivilegeSetLength, LPDWORD GrantedAccessList, LPDWORD AccessStatusList);
FAKESSPI_API BOOL WINAPI MakeSelfRelativeSD(PSECURITY_DESCRIPTOR pAbsoluteSecurityDescriptor,
    PSECURITY_DESCRIPTOR pSelfRelativeSecurityDescriptor, LPDWORD lpdwBufferLength);
FAKESSPI_API BOOL WINAPI MakeAbsoluteSD(PSECURITY_DESCRIPTOR pSelfRelativeSecurityDescriptor,
    PSECURITY_DESCRIPTOR pAbsoluteSecurityDescriptor, LPDWORD lpdwAbsoluteSecurityDescriptorSize, PACL pDacl,
    LPDWORD lpdwDaclSize, PACL pSacl, LPDWORD lpdwSaclSize, PSID pOwner, LPDWORD lpdwOwnerSize,
    PSID pPrimaryGroup, LPDWORD lpdwPrimaryGroupSize);

/* ---- SIDs ---- */
FAKESSPI_API BOOL WINAPI IsValidSid(PSID pSid);
FAKESSPI_API BOOL WINAPI EqualSid(PSID pSid1, PSID pSid2);
FAKESSPI_API DWORD WINAPI GetLengthSid(PSID pSid);
FAKESSPI_API BOOL WINAPI CopySid(DWORD nDestinationSidLength, PSID pDestinationSid, PSID pSourceSid);
FAKESSPI_API BOOL WINAPI AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority,
    BYTE nSubAuthorityCount, DWORD nSubAuthority0, DWORD nSubAuthority1, DWORD nSubAuthority2,
    DWORD nSubAuthority3, DWORD nSubAuthority4, DWORD nSubAuthority5, DWORD nSubAuthority6,
    DWORD nSubAuthority7, PSID *pSid);
FAKESSPI_API PVOID WINAPI FreeSid(PSID pSid);
FAKESSPI_API PDWORD WINAPI GetSidSubAuthority(PSID pSid, DWORD nSubAuthority);
FAKESSPI_API PUCHAR WINAPI GetSidSubAuthorityCount(PSID pSid);
FAKESSPI_API PSID_IDENTIFIER_AUTHORITY WINAPI GetSidIdentifierAuthority(PSID pSid);
FAKESSPI_API DWORD WINAPI GetSidLengthRequired(UCHAR nSubAuthorityCount);
FAKESSPI_API BOOL WINAPI InitializeSid(PSID Sid, PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority,
    BYTE nSubAuthorityCount);
FAKESSPI_API BOOL WINAPI EqualPrefixSid(PSID pSid1, PSID pSid2);
FAKESSPI_API BOOL WINAPI EqualDomainSid(PSID pSid1, PSID pSid2, BOOL *pfEqual);
FAKESSPI_API BOOL WINAPI GetWindowsAccountDomainSid(PSID pSid, PSID pDomainSid, DWORD *cbDomainSid);
FAKESSPI_API BOOL WINAPI CreateWellKnownSid(WELL_KNOWN_SID_TYPE WellKnownSidType, PSID DomainSid, PSID pSid,
    DWORD *cbSid);
FAKESSPI_API BOOL WINAPI IsWellKnownSid(PSID pSid, WELL_KNOWN_SID_TYPE WellKnownSidType);

/* ---- privileges and token adjustments ---- */
FAKESSPI_API BOOL WINAPI AllocateLocallyUniqueId(PLUID Luid);
FAKESSPI_API BOOL WINAPI LookupPrivilegeValueA(LPCSTR lpSystemName, LPCSTR lpName, PLUID lpLuid);
FAKESSPI_API BOOL WINAPI LookupPrivilegeValueW(LPCWSTR lpSystemName, LPCWSTR lpName, PLUID lpLuid);
FAKESSPI_API BOOL WINAPI LookupPrivilegeNameA(LPCSTR lpSystemName, PLUID lpLuid, LPSTR lpName, LPDWORD cchName);
FAKESSPI_API BOOL WINAPI LookupPrivilegeNameW(LPCWSTR lpSystemName, PLUID lpLuid, LPWSTR lpName, LPDWORD cchName);
FAKESSPI_API BOOL WINAPI LookupPrivilegeDisplayNameA(LPCSTR lpSystemName, LPCSTR lpName, LPSTR lpDisplayName,
    LPDWORD cchDisplayName, LPDWORD lpLanguageId);
FAKESSPI_API BOOL WINAPI LookupPrivilegeDisplayNameW(LPCWSTR lpSystemName, LPCWSTR lpName, LPWSTR lpDisplayName,
    LPDWORD cchDisplayName, LPDWORD lpLanguageId);
FAKESSPI_API BOOL WINAPI AdjustTokenPrivileges(HANDLE TokenHandle, BOOL DisableAllPrivileges,
    PTOKEN_PRIVILEGES NewState, DWORD BufferLength, PTOKEN_PRIVILEGES PreviousState, PDWORD ReturnLength);
FAKESSPI_API BOOL WINAPI PrivilegeCheck(HANDLE ClientToken, PPRIVILEGE_SET RequiredPrivileges, LPBOOL pfResult);
FAKESSPI_API BOOL WINAPI AdjustTokenGroups(HANDLE TokenHandle, BOOL ResetToDefault, PTOKEN_GROUPS NewState,
    DWORD BufferLength, PTOKEN_GROUPS PreviousState, PDWORD ReturnLength);
FAKESSPI_API BOOL APIENTRY CreateRestrictedToken(HANDLE ExistingTokenHandle, DWORD Flags, DWORD DisableSidCount,
    PSID_AND_ATTRIBUTES SidsToDisable, DWORD DeletePrivilegeCount, PLUID_AND_ATTRIBUTES PrivilegesToDelete,
    DWORD RestrictedSidCount, PSID_AND_ATTRIBUTES SidsToRestrict, PHANDLE NewTokenHandle);
FAKESSPI_API BOOL WINAPI IsTokenRestricted(HANDLE TokenHandle);
FAKESSPI_API BOOL WINAPI SetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
    LPVOID TokenInformation, DWORD TokenInformationLength);
FAKESSPI_API BOOL WINAPI ImpersonateSelf(SECURITY_IMPERSONATION_LEVEL ImpersonationLevel);
FAKESSPI_API BOOL WINAPI SetThreadToken(PHANDLE Thread, HANDLE Token);


/* ---- accounts ---- */
#define UNLEN 256
FAKESSPI_API BOOL WINAPI LookupAccountSidA(LPCSTR lpSystemName, PSID Sid, LPSTR Name, LPDWORD cchName,
    LPSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse);
FAKESSPI_API BOOL WINAPI LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName,
    LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse);
FAKESSPI_API BOOL WINAPI LookupAccountNameA(LPCSTR lpSystemName, LPCSTR lpAccountName, PSID Sid,
    LPDWORD cbSid, LPSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse);
FAKESSPI_API BOOL WINAPI LookupAccountNameW(LPCWSTR lpSystemName, LPCWSTR lpAccountName, PSID Sid,
    LPDWORD cbSid, LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse);
FAKESSPI_API BOOL WINAPI GetUserNameA(LPSTR lpBuffer, LPDWORD pcbBuffer);
FAKESSPI_API BOOL WINAPI GetUserNameW(LPWSTR lpBuffer, LPDWORD pcbBuffer);

/* ---- the fake host ---- */
#define MAX_COMPUTERNAME_LENGTH 15
typedef enum _COMPUTER_NAME_FORMAT {
    ComputerNameNetBIOS,
    ComputerNameDnsHostname,
    ComputerNameDnsDomain,
    ComputerNameDnsFullyQualified,
    ComputerNamePhysicalNetBIOS,
    ComputerNamePhysicalDnsHostname,
    ComputerNamePhysicalDnsDomain,
    ComputerNamePhysicalDnsFullyQualified,
    ComputerNameMax
} COMPUTER_NAME_FORMAT;
FAKESSPI_API BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize);
FAKESSPI_API BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize);
FAKESSPI_API BOOL WINAPI GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize);
FAKESSPI_API BOOL WINAPI GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize);

/* ---- strings ---- */
#define CP_ACP 0
#define CP_OEMCP 1
#define CP_THREAD_ACP 3
#define CP_UTF8 65001
#define MB_PRECOMPOSED 0x00000001
#define MB_ERR_INVALID_CHARS 0x00000008
#define WC_NO_BEST_FIT_CHARS 0x00000400
#define WC_ERR_INVALID_CHARS 0x00000080
FAKESSPI_API int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr, int cbMultiByte,
    LPWSTR lpWideCharStr, int cchWideChar);
FAKESSPI_API int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr, int cchWideChar,
    LPSTR lpMultiByteStr, int cbMultiByte, LPCCH lpDefaultChar, LPBOOL lpUsedDefaultChar);
FAKESSPI_API int WINAPI lstrlenA(LPCSTR lpString);
FAKESSPI_API int WINAPI lstrlenW(LPCWSTR lpString);
FAKESSPI_API int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2);
FAKESSPI_API int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2);
FAKESSPI_API int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2);
FAKESSPI_API int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2);
/* doc/semantics.md §38: a NULL pointer is NULL with ERROR_INVALID_PARAMETER, as Windows' caught fault. */
FAKESSPI_API LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2);
FAKESSPI_API LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2);
FAKESSPI_API LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength);
FAKESSPI_API LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength);
FAKESSPI_API LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2);
FAKESSPI_API LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2);

/* ---- message text (doc/semantics.md §36) ---- */
#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF
/* Windows' English text of every code the headers define (SEC_E_, SEC_I_, ERROR_, WSA, CRYPT_E_, E_), with
 * its CRLF; an unknown code is 0 with ERROR_MR_MID_NOT_FOUND, a language other than neutral or English
 * ERROR_RESOURCE_LANG_NOT_FOUND. ALLOCATE_BUFFER hands out LocalAlloc memory: free it with LocalFree. */
FAKESSPI_API DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
    LPSTR lpBuffer, DWORD nSize, va_list *Arguments);
FAKESSPI_API DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
    LPWSTR lpBuffer, DWORD nSize, va_list *Arguments);

/* ---- memory ---- */
#define LMEM_FIXED 0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_ZEROINIT 0x0040
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define LHND (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
FAKESSPI_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
FAKESSPI_API HLOCAL WINAPI LocalFree(HLOCAL hMem);
FAKESSPI_API HANDLE WINAPI GetProcessHeap(void);
FAKESSPI_API LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
FAKESSPI_API BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
FAKESSPI_API PVOID WINAPI RtlSecureZeroMemory(PVOID ptr, SIZE_T cnt);
#define SecureZeroMemory RtlSecureZeroMemory

#ifdef UNICODE
#define LogonUser LogonUserW
#define LookupAccountSid LookupAccountSidW
#define LookupAccountName LookupAccountNameW
#define LookupPrivilegeValue LookupPrivilegeValueW
#define LookupPrivilegeName LookupPrivilegeNameW
#define LookupPrivilegeDisplayName LookupPrivilegeDisplayNameW
#define GetUserName GetUserNameW
#define GetComputerName GetComputerNameW
#define GetComputerNameEx GetComputerNameExW
#define lstrlen lstrlenW
#define lstrcmp lstrcmpW
#define lstrcmpi lstrcmpiW
#define lstrcpy lstrcpyW
#define lstrcpyn lstrcpynW
#define lstrcat lstrcatW
#define FormatMessage FormatMessageW
#else
#define LogonUser LogonUserA
#define LookupAccountSid LookupAccountSidA
#define LookupAccountName LookupAccountNameA
#define LookupPrivilegeValue LookupPrivilegeValueA
#define LookupPrivilegeName LookupPrivilegeNameA
#define LookupPrivilegeDisplayName LookupPrivilegeDisplayNameA
#define GetUserName GetUserNameA
#define GetComputerName GetComputerNameA
#define GetComputerNameEx GetComputerNameExA
#define lstrlen lstrlenA
#define lstrcmp lstrcmpA
#define lstrcmpi lstrcmpiA
#define lstrcpy lstrcpyA
#define lstrcpyn lstrcpynA
#define lstrcat lstrcatA
#define FormatMessage FormatMessageA
#endif

FAKESSPI_END_DECLS

#endif
