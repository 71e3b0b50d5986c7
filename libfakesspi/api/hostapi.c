/* The fake host's names: NetBIOS name from the domain file, DNS names under the domain. */
#include <ctype.h>
#include <stdio.h>

#include "api.h"
#include "security/domain.h"

static fs_err host_name(COMPUTER_NAME_FORMAT format, char *out, size_t cap)
{
    const struct fs_domain *d = fs_domain_acquire();
    fs_err err = FS_OK;
    if (!d) {
        err = FS_E_DOMAIN_UNUSABLE;
    } else {
        char lower[64];
        size_t i = 0;
        for (; d->computer[i] && i + 1 < sizeof lower; i++)
            lower[i] = (char)tolower((unsigned char)d->computer[i]);
        lower[i] = '\0';
        switch (format) {
        case ComputerNameNetBIOS: case ComputerNamePhysicalNetBIOS: snprintf(out, cap, "%s", d->computer); break;
        case ComputerNameDnsHostname: case ComputerNamePhysicalDnsHostname: snprintf(out, cap, "%s", lower); break;
        case ComputerNameDnsDomain: case ComputerNamePhysicalDnsDomain: snprintf(out, cap, "%s", d->dns); break;
        case ComputerNameDnsFullyQualified: case ComputerNamePhysicalDnsFullyQualified:
            snprintf(out, cap, "%s.%s", lower, d->dns);
            break;
        case ComputerNameMax:
        default: err = FS_E_INVALID_PARAMETER;
        }
    }
    fs_domain_release();
    return err;
}

/* too_small: GetComputerName says ERROR_BUFFER_OVERFLOW, GetComputerNameEx ERROR_MORE_DATA. */
static BOOL copy_name(COMPUTER_NAME_FORMAT format, void *buffer, LPDWORD size, int wide, fs_err too_small)
{
    if (!size)
        return fs_fail(FS_E_NOACCESS);
    char name[320];
    fs_err err = host_name(format, name, sizeof name);
    if (err == FS_OK)
        err = wide ? fs_api_copy_out_w(name, buffer, size) : fs_api_copy_out_a(name, buffer, size);
    if (err == FS_E_INSUFFICIENT_BUFFER)
        err = too_small;
    return err == FS_OK ? TRUE : fs_fail(err);
}

BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize)
{
    fs_api_enter();
    return copy_name(ComputerNameNetBIOS, lpBuffer, nSize, 0, FS_E_BUFFER_OVERFLOW);
}

BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize)
{
    fs_api_enter();
    return copy_name(ComputerNameNetBIOS, lpBuffer, nSize, 1, FS_E_BUFFER_OVERFLOW);
}

BOOL WINAPI GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize)
{
    fs_api_enter();
    return copy_name(NameType, lpBuffer, nSize, 0, FS_E_MORE_DATA);
}

BOOL WINAPI GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize)
{
    fs_api_enter();
    return copy_name(NameType, lpBuffer, nSize, 1, FS_E_MORE_DATA);
}
