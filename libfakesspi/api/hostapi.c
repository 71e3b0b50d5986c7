/* The fake host's names: NetBIOS name from the domain file, DNS names under the domain. */
#include <ctype.h>
#include <stdio.h>

#include "api.h"
#include "security/domain_current.h"

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
static fs_err copy_name(COMPUTER_NAME_FORMAT format, void *buffer, LPDWORD size, int wide, fs_err too_small)
{
    if (!size)
        return FS_E_NOACCESS;
    char name[320];
    fs_err err = host_name(format, name, sizeof name);
    if (err == FS_OK)
        err = fs_api_copy_out(name, buffer, size, wide);
    if (err == FS_E_INSUFFICIENT_BUFFER)
        err = too_small;
    return err;
}

static BOOL traced_name(const char *api, COMPUTER_NAME_FORMAT format, void *buffer, LPDWORD size, int wide,
                        fs_err too_small)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_value(&call.trace, "NameType", FS_NAMES_COMPUTER_NAME_FORMAT, (uint32_t)format);
    if (fs_call_proceed(&call))
        call.err = copy_name(format, buffer, size, wide, too_small);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "lpBuffer", buffer, wide);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize)
{
    return traced_name(__func__, ComputerNameNetBIOS, lpBuffer, nSize, 0, FS_E_BUFFER_OVERFLOW);
}

BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize)
{
    return traced_name(__func__, ComputerNameNetBIOS, lpBuffer, nSize, 1, FS_E_BUFFER_OVERFLOW);
}

BOOL WINAPI GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize)
{
    return traced_name(__func__, NameType, lpBuffer, nSize, 0, FS_E_MORE_DATA);
}

BOOL WINAPI GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize)
{
    return traced_name(__func__, NameType, lpBuffer, nSize, 1, FS_E_MORE_DATA);
}
