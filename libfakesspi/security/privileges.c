/* Windows assigns privilege LUIDs statically (SE_MIN_WELL_KNOWN_PRIVILEGE = 2 onwards). */
#include "privileges.h"

#include <stddef.h>
#include "core/utf.h"

static const char *const names[] = {
    [2] = "SeCreateTokenPrivilege",
    [3] = "SeAssignPrimaryTokenPrivilege",
    [4] = "SeLockMemoryPrivilege",
    [5] = "SeIncreaseQuotaPrivilege",
    [6] = "SeMachineAccountPrivilege",
    [7] = "SeTcbPrivilege",
    [8] = "SeSecurityPrivilege",
    [9] = "SeTakeOwnershipPrivilege",
    [10] = "SeLoadDriverPrivilege",
    [11] = "SeSystemProfilePrivilege",
    [12] = "SeSystemtimePrivilege",
    [13] = "SeProfileSingleProcessPrivilege",
    [14] = "SeIncreaseBasePriorityPrivilege",
    [15] = "SeCreatePagefilePrivilege",
    [16] = "SeCreatePermanentPrivilege",
    [17] = "SeBackupPrivilege",
    [18] = "SeRestorePrivilege",
    [19] = "SeShutdownPrivilege",
    [20] = "SeDebugPrivilege",
    [21] = "SeAuditPrivilege",
    [22] = "SeSystemEnvironmentPrivilege",
    [23] = "SeChangeNotifyPrivilege",
    [24] = "SeRemoteShutdownPrivilege",
    [25] = "SeUndockPrivilege",
    [26] = "SeSyncAgentPrivilege",
    [27] = "SeEnableDelegationPrivilege",
    [28] = "SeManageVolumePrivilege",
    [29] = "SeImpersonatePrivilege",
    [30] = "SeCreateGlobalPrivilege",
    [31] = "SeTrustedCredManAccessPrivilege",
    [32] = "SeRelabelPrivilege",
    [33] = "SeIncreaseWorkingSetPrivilege",
    [34] = "SeTimeZonePrivilege",
    [35] = "SeCreateSymbolicLinkPrivilege",
    [36] = "SeDelegateSessionUserImpersonatePrivilege",
};

#define COUNT (sizeof names / sizeof names[0])

uint32_t fs_privilege_luid(const char *name)
{
    for (uint32_t i = 2; i < COUNT; i++)
        if (!fs_ascii_casecmp(name, names[i]))
            return i;
    return 0;
}

const char *fs_privilege_name(uint32_t luid) { return luid < COUNT ? names[luid] : NULL; }
