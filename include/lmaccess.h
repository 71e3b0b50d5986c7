/* A user's groups from the fake domain, as a domain controller's SAM answers NetUserGetGroups (global
 * groups) and NetUserGetLocalGroups (aliases: BUILTIN\...). */
#ifndef FAKESSPI_LMACCESS_H
#define FAKESSPI_LMACCESS_H

#include "lmcons.h"

FAKESSPI_BEGIN_DECLS

#define LG_INCLUDE_INDIRECT 0x0001

typedef struct _GROUP_USERS_INFO_0 {
    LPWSTR grui0_name;
} GROUP_USERS_INFO_0, *PGROUP_USERS_INFO_0, *LPGROUP_USERS_INFO_0;

typedef struct _GROUP_USERS_INFO_1 {
    LPWSTR grui1_name;
    DWORD grui1_attributes;
} GROUP_USERS_INFO_1, *PGROUP_USERS_INFO_1, *LPGROUP_USERS_INFO_1;

typedef struct _LOCALGROUP_USERS_INFO_0 {
    LPWSTR lgrui0_name;
} LOCALGROUP_USERS_INFO_0, *PLOCALGROUP_USERS_INFO_0, *LPLOCALGROUP_USERS_INFO_0;

/* servername NULL (or this host); level 0 (or 1 for NetUserGetGroups); one buffer for the caller to
 * NetApiBufferFree. An unknown user is NERR_UserNotFound; another server is NERR_InvalidComputer. */
FAKESSPI_API NET_API_STATUS NET_API_FUNCTION NetUserGetGroups(LPCWSTR servername, LPCWSTR username, DWORD level,
    LPBYTE *bufptr, DWORD prefmaxlen, LPDWORD entriesread, LPDWORD totalentries);
FAKESSPI_API NET_API_STATUS NET_API_FUNCTION NetUserGetLocalGroups(LPCWSTR servername, LPCWSTR username,
    DWORD level, DWORD flags, LPBYTE *bufptr, DWORD prefmaxlen, LPDWORD entriesread, LPDWORD totalentries);

FAKESSPI_END_DECLS

#endif
