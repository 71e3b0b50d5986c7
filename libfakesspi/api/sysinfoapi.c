/* GetVersion and GetVersionEx: the version Windows reports to a program without a compatibility
 * manifest, 6.2.9200, whatever it runs on (doc/semantics.md §38). */
#include <string.h>

#include "api.h"
#include "sysinfoapi.h"

#define MAJOR 6u
#define MINOR 2u
#define BUILD 9200u

DWORD WINAPI GetVersion(void) { return BUILD << 16 | MINOR << 8 | MAJOR; }

/* The size field decides which structure the caller passed; only the two of the call's width are
 * accepted, as Windows checks them before writing anything. */
static fs_err fill_version(void *info, int wide)
{
    if (!info)
        return FS_E_NOACCESS;
    DWORD size;
    memcpy(&size, info, sizeof size);
    size_t plain = wide ? sizeof(OSVERSIONINFOW) : sizeof(OSVERSIONINFOA);
    size_t ex = wide ? sizeof(OSVERSIONINFOEXW) : sizeof(OSVERSIONINFOEXA);
    if (size != plain && size != ex)
        return FS_E_INSUFFICIENT_BUFFER;
    OSVERSIONINFOEXW w = {.dwOSVersionInfoSize = size,
                          .dwMajorVersion = MAJOR,
                          .dwMinorVersion = MINOR,
                          .dwBuildNumber = BUILD,
                          .dwPlatformId = VER_PLATFORM_WIN32_NT,
                          .wSuiteMask = VER_SUITE_SINGLEUSERTS,
                          .wProductType = VER_NT_WORKSTATION};
    if (wide) {
        memcpy(info, &w, size);
        return FS_OK;
    }
    /* szCSDVersion is empty in both widths: the A structure is the same fields, narrower. */
    OSVERSIONINFOEXA a = {.dwOSVersionInfoSize = size,
                          .dwMajorVersion = w.dwMajorVersion,
                          .dwMinorVersion = w.dwMinorVersion,
                          .dwBuildNumber = w.dwBuildNumber,
                          .dwPlatformId = w.dwPlatformId,
                          .wSuiteMask = w.wSuiteMask,
                          .wProductType = w.wProductType};
    memcpy(info, &a, size);
    return FS_OK;
}

static BOOL traced_version(const char *api, void *info, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (info) {
        DWORD size;
        memcpy(&size, info, sizeof size);
        fs_trace_number(&call.trace, "dwOSVersionInfoSize", size);
    }
    if (fs_call_proceed(&call))
        call.err = fill_version(info, wide);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation)
{
    return traced_version(__func__, lpVersionInformation, 0);
}

BOOL WINAPI GetVersionExW(LPOSVERSIONINFOW lpVersionInformation)
{
    return traced_version(__func__, lpVersionInformation, 1);
}
