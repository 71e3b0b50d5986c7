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

/* What LookupPrivilegeDisplayName gives on an English Windows. */
static const char *const display[] = {
    [2] = "Create a token object",
    [3] = "Replace a process level token",
    [4] = "Lock pages in memory",
    [5] = "Adjust memory quotas for a process",
    [6] = "Add workstations to domain",
    [7] = "Act as part of the operating system",
    [8] = "Manage auditing and security log",
    [9] = "Take ownership of files or other objects",
    [10] = "Load and unload device drivers",
    [11] = "Profile system performance",
    [12] = "Change the system time",
    [13] = "Profile single process",
    [14] = "Increase scheduling priority",
    [15] = "Create a pagefile",
    [16] = "Create permanent shared objects",
    [17] = "Back up files and directories",
    [18] = "Restore files and directories",
    [19] = "Shut down the system",
    [20] = "Debug programs",
    [21] = "Generate security audits",
    [22] = "Modify firmware environment values",
    [23] = "Bypass traverse checking",
    [24] = "Force shutdown from a remote system",
    [25] = "Remove computer from docking station",
    [26] = "Synchronize directory service data",
    [27] = "Enable computer and user accounts to be trusted for delegation",
    [28] = "Perform volume maintenance tasks",
    [29] = "Impersonate a client after authentication",
    [30] = "Create global objects",
    [31] = "Access Credential Manager as a trusted caller",
    [32] = "Modify an object label",
    [33] = "Increase a process working set",
    [34] = "Change the time zone",
    [35] = "Create symbolic links",
    [36] = "Obtain an impersonation token for another user in the same session",
};

const char *fs_privilege_display_name(uint32_t luid)
{
    return luid < sizeof display / sizeof *display && display[luid] ? display[luid] : "";
}
