/* CloseHandle, DuplicateHandle, handle flags and the process/thread pseudo-handles. */
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "api.h"
#include "runtime.h"
#include "core/handles.h"
#include "core/lasterror.h"
#include "core/origin.h"
#include "security/pseudo_handles.h"

/* Pseudo-handles and ids: they cannot fail, and are not traced (they would fill a trace with noise
 * and are called by the trace's own readers). */
HANDLE WINAPI GetCurrentProcess(void) { return (HANDLE)FS_PSEUDO_PROCESS; }
HANDLE WINAPI GetCurrentThread(void) { return (HANDLE)FS_PSEUDO_THREAD; }
DWORD WINAPI GetCurrentProcessId(void) { return (DWORD)getpid(); }
DWORD WINAPI GetCurrentThreadId(void) { return fs_thread_id(); }
DWORD WINAPI GetLastError(void) { return fs_winsock_last_error(); }
void WINAPI SetLastError(DWORD dwErrCode) { fs_last_error_set(dwErrCode); }

BOOL WINAPI CloseHandle(HANDLE hObject)
{
    struct fs_call call;
    fs_call_begin(&call, "CloseHandle");
    fs_trace_handle(&call.trace, "hObject", (uintptr_t)hObject);
    if (fs_call_proceed(&call))
        call.err = fs_handle_close(fs_handle_key((uintptr_t)hObject), &fs_token_ops, call.api);
    return fs_call_end_bool(&call);
}

static fs_err duplicate_handle(HANDLE source_process, HANDLE source, HANDLE target_process, LPHANDLE target,
                               DWORD desired, BOOL inherit, DWORD options, const char *api)
{
    if (options & ~(DWORD)(DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS))
        return FS_E_INVALID_PARAMETER;
    /* Only this process exists in the emulation. */
    if ((uintptr_t)source_process != FS_PSEUDO_PROCESS || (uintptr_t)target_process != FS_PSEUDO_PROCESS)
        return FS_E_INVALID_HANDLE;
    /* Process and thread objects are not emulated beyond their pseudo-handles. */
    if (fs_is_pseudo_handle((uintptr_t)source))
        return FS_E_NOT_SUPPORTED;

    struct fs_object *obj;
    uint32_t access;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)source), &fs_token_ops, 0, api, &obj, &access);
    if (err != FS_OK)
        return err;
    /* With lpTargetHandle NULL, Windows still makes the duplicate and just does not say its value:
     * the handle leaks (MSDN: kept for compatibility). It is made here too, and reported at exit. */
    uintptr_t value = 0;
    DWORD granted = options & DUPLICATE_SAME_ACCESS ? access : fs_map_token_access(desired);
    err = fs_handle_open(obj, granted, 0, api, &value);
    if (err == FS_OK && inherit)
        err = fs_handle_set_flags(fs_handle_key(value), &fs_token_ops, api, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    fs_object_unref(obj);
    /* Windows closes the source even when the duplication itself fails. */
    if (options & DUPLICATE_CLOSE_SOURCE)
    {
        /* Live a moment ago; a racing CloseHandle would have reported its own double close. */
        fs_err closed = fs_handle_close(fs_handle_key((uintptr_t)source), &fs_token_ops, api);
        (void)closed;
    }
    if (err != FS_OK)
        return err;
    fs_handle_note_duplicate((uintptr_t)source, value, &fs_token_ops, api);
    if (target)
        *target = (HANDLE)value;
    return FS_OK;
}

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle, HANDLE hTargetProcessHandle,
                            LPHANDLE lpTargetHandle, DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    struct fs_call call;
    fs_call_begin(&call, "DuplicateHandle");
    fs_trace_handle(&call.trace, "hSourceHandle", (uintptr_t)hSourceHandle);
    fs_trace_number(&call.trace, "dwDesiredAccess", dwDesiredAccess);
    fs_trace_number(&call.trace, "bInheritHandle", (uint64_t)bInheritHandle);
    fs_trace_number(&call.trace, "dwOptions", dwOptions);
    if (fs_call_proceed(&call))
        call.err = duplicate_handle(hSourceProcessHandle, hSourceHandle, hTargetProcessHandle, lpTargetHandle,
                                    dwDesiredAccess, bInheritHandle, dwOptions, call.api);
    if (fs_call_outputs(&call) && lpTargetHandle)
        fs_trace_handle(&call.trace, "lpTargetHandle", (uintptr_t)*lpTargetHandle);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    struct fs_call call;
    fs_call_begin(&call, "GetHandleInformation");
    fs_trace_handle(&call.trace, "hObject", (uintptr_t)hObject);
    if (fs_call_proceed(&call)) {
        uint32_t flags;
        call.err = !lpdwFlags ? FS_E_NOACCESS
                              : fs_handle_get_flags(fs_handle_key((uintptr_t)hObject), &fs_token_ops, call.api, &flags);
        if (call.err == FS_OK)
            *lpdwFlags = flags;
    }
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "lpdwFlags", *lpdwFlags);
    return fs_call_end_bool(&call);
}

BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    struct fs_call call;
    fs_call_begin(&call, "SetHandleInformation");
    fs_trace_handle(&call.trace, "hObject", (uintptr_t)hObject);
    fs_trace_number(&call.trace, "dwMask", dwMask);
    fs_trace_number(&call.trace, "dwFlags", dwFlags);
    const DWORD valid = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;
    if (fs_call_proceed(&call))
        call.err = dwMask & ~valid ? FS_E_INVALID_PARAMETER
                                   : fs_handle_set_flags(fs_handle_key((uintptr_t)hObject), &fs_token_ops, call.api,
                                                         dwMask, dwFlags);
    return fs_call_end_bool(&call);
}
