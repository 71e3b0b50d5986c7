/* CloseHandle, DuplicateHandle, handle flags and the process/thread pseudo-handles. */
#include <unistd.h>
#include <sys/syscall.h>

#include "api.h"
#include "core/handles.h"
#include "core/lasterror.h"
#include "core/origin.h"

HANDLE WINAPI GetCurrentProcess(void) { return FS_PSEUDO_PROCESS; }
HANDLE WINAPI GetCurrentThread(void) { return FS_PSEUDO_THREAD; }
DWORD WINAPI GetCurrentProcessId(void) { return (DWORD)getpid(); }
DWORD WINAPI GetCurrentThreadId(void) { return fs_thread_id(); }

BOOL WINAPI CloseHandle(HANDLE hObject)
{
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, "CloseHandle");
    fs_trace_handle(&t, "hObject", (uintptr_t)hObject);
    /* Closing a pseudo-handle is a harmless no-op on Windows. */
    if (fs_is_pseudo_handle(hObject))
        return fs_trace_bool(&t, TRUE);
    fs_err err = fs_handle_close((uintptr_t)hObject, FS_HANDLE_TOKEN, "CloseHandle");
    return fs_trace_bool(&t, err == FS_OK ? TRUE : fs_fail(err));
}

static BOOL DuplicateHandle_untraced(HANDLE hSourceProcessHandle, HANDLE hSourceHandle, HANDLE hTargetProcessHandle,
                            LPHANDLE lpTargetHandle, DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    static const char api[] = "DuplicateHandle";
    fs_api_enter();
    if (dwOptions & ~(DWORD)(DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS))
        return fs_fail(FS_E_INVALID_PARAMETER);
    /* Only this process exists in the emulation. */
    if (hSourceProcessHandle != FS_PSEUDO_PROCESS || hTargetProcessHandle != FS_PSEUDO_PROCESS)
        return fs_fail(FS_E_INVALID_HANDLE);
    /* Process and thread objects are not emulated beyond their pseudo-handles. */
    if (fs_is_pseudo_handle(hSourceHandle))
        return fs_fail(FS_E_NOT_SUPPORTED);

    struct fs_object *obj;
    uint32_t access;
    fs_err err = fs_handle_get((uintptr_t)hSourceHandle, FS_HANDLE_TOKEN, api, &obj, &access);
    if (err != FS_OK)
        return fs_fail(err);
    /* With lpTargetHandle NULL, Windows still makes the duplicate and just does not say its value:
     * the handle leaks (MSDN: kept for compatibility). It is made here too, and reported at exit. */
    uintptr_t value = 0;
    DWORD granted = dwOptions & DUPLICATE_SAME_ACCESS ? access : fs_map_token_access(dwDesiredAccess);
    err = fs_handle_open(FS_HANDLE_TOKEN, obj, granted, api, &value);
    if (err == FS_OK && bInheritHandle)
        fs_handle_set_flags(value, FS_HANDLE_TOKEN, api, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    fs_object_unref(obj);
    /* Windows closes the source even when the duplication itself fails. */
    if (dwOptions & DUPLICATE_CLOSE_SOURCE)
        fs_handle_close((uintptr_t)hSourceHandle, FS_HANDLE_TOKEN, api);
    if (err != FS_OK)
        return fs_fail(err);
    fs_handle_note_duplicate((uintptr_t)hSourceHandle, value, FS_HANDLE_TOKEN, api);
    if (lpTargetHandle)
        *lpTargetHandle = (HANDLE)value;
    return TRUE;
}

static BOOL GetHandleInformation_untraced(HANDLE hObject, LPDWORD lpdwFlags)
{
    fs_api_enter();
    if (!lpdwFlags)
        return fs_fail(FS_E_NOACCESS);
    uint32_t flags;
    fs_err err = fs_handle_get_flags((uintptr_t)hObject, FS_HANDLE_TOKEN, "GetHandleInformation", &flags);
    if (err != FS_OK)
        return fs_fail(err);
    *lpdwFlags = flags;
    return TRUE;
}

static BOOL SetHandleInformation_untraced(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    fs_api_enter();
    const DWORD valid = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;
    if (dwMask & ~valid)
        return fs_fail(FS_E_INVALID_PARAMETER);
    fs_err err = fs_handle_set_flags((uintptr_t)hObject, FS_HANDLE_TOKEN, "SetHandleInformation", dwMask, dwFlags);
    return err == FS_OK ? TRUE : fs_fail(err);
}

DWORD WINAPI GetLastError(void) { return fs_last_error_get(); }
void WINAPI SetLastError(DWORD dwErrCode) { fs_last_error_set(dwErrCode); }

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle, HANDLE hTargetProcessHandle,
                            LPHANDLE lpTargetHandle, DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "DuplicateHandle");
    fs_trace_handle(&t, "hSourceHandle", (uintptr_t)hSourceHandle);
    fs_trace_number(&t, "dwDesiredAccess", dwDesiredAccess);
    fs_trace_number(&t, "bInheritHandle", (uint64_t)bInheritHandle);
    fs_trace_number(&t, "dwOptions", dwOptions);
    BOOL ok = DuplicateHandle_untraced(hSourceProcessHandle, hSourceHandle, hTargetProcessHandle, lpTargetHandle,
                                       dwDesiredAccess, bInheritHandle, dwOptions);
    fs_trace_outputs(&t);
    if (ok && lpTargetHandle)
        fs_trace_handle(&t, "lpTargetHandle", (uintptr_t)*lpTargetHandle);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "GetHandleInformation");
    fs_trace_handle(&t, "hObject", (uintptr_t)hObject);
    BOOL ok = GetHandleInformation_untraced(hObject, lpdwFlags);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_number(&t, "lpdwFlags", *lpdwFlags);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "SetHandleInformation");
    fs_trace_handle(&t, "hObject", (uintptr_t)hObject);
    fs_trace_number(&t, "dwMask", dwMask);
    fs_trace_number(&t, "dwFlags", dwFlags);
    return fs_trace_bool(&t, SetHandleInformation_untraced(hObject, dwMask, dwFlags));
}
