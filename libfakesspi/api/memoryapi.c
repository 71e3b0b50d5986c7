/* LocalAlloc/LocalFree, the process heap and SecureZeroMemory, tracked for misuse and leaks. */
#include <string.h>

#include "api.h"
#include "core/memtrack.h"

/* GetProcessHeap's value: not a handle-table entry, just a recognisable constant. */
#define PROCESS_HEAP ((HANDLE)(uintptr_t)0x4850u)

/* Accessors that cannot fail: not traced. */
HANDLE WINAPI GetProcessHeap(void) { return PROCESS_HEAP; }

PVOID WINAPI RtlSecureZeroMemory(PVOID ptr, SIZE_T cnt)
{
    explicit_bzero(ptr, cnt);
    return ptr;
}

static fs_err allocate(enum fs_mem_kind kind, SIZE_T bytes, int zero, void **out, const char *api)
{
    *out = fs_mem_alloc(kind, bytes, zero, api);
    return *out ? FS_OK : FS_E_NOMEM;
}

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    struct fs_call call;
    fs_call_begin(&call, "LocalAlloc");
    fs_trace_number(&call.trace, "uFlags", uFlags);
    fs_trace_number(&call.trace, "uBytes", uBytes);
    void *p = NULL;
    /* Moveable memory is handed out fixed: LocalLock is not part of the emulation. */
    if (fs_call_proceed(&call))
        call.err = uFlags & ~(UINT)(LMEM_MOVEABLE | LMEM_ZEROINIT)
                       ? FS_E_INVALID_PARAMETER
                       : allocate(FS_MEM_LOCAL, uBytes, (uFlags & LMEM_ZEROINIT) != 0, &p, call.api);
    return fs_call_end_pointer(&call, p);
}

HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    struct fs_call call;
    fs_call_begin(&call, "LocalFree"); /* the pointer is not shown: it would differ run to run */
    if (fs_call_proceed(&call) && hMem)
        call.err = fs_mem_free(hMem, FS_MEM_LOCAL, call.api);
    return fs_call_end_freed(&call, hMem);
}

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    struct fs_call call;
    fs_call_begin(&call, "HeapAlloc");
    fs_trace_number(&call.trace, "dwFlags", dwFlags);
    fs_trace_number(&call.trace, "dwBytes", dwBytes);
    void *p = NULL;
    if (fs_call_proceed(&call))
        call.err = hHeap != PROCESS_HEAP
                       ? FS_E_INVALID_HANDLE
                       : allocate(FS_MEM_HEAP, dwBytes, (dwFlags & HEAP_ZERO_MEMORY) != 0, &p, call.api);
    return fs_call_end_pointer(&call, p);
}

static fs_err heap_free(HANDLE heap, LPVOID mem, const char *api)
{
    if (heap != PROCESS_HEAP)
        return FS_E_INVALID_HANDLE;
    if (!mem)
        return FS_OK;
    return fs_mem_free(mem, FS_MEM_HEAP, api) == FS_OK ? FS_OK : FS_E_INVALID_PARAMETER;
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    (void)dwFlags;
    struct fs_call call;
    fs_call_begin(&call, "HeapFree");
    if (fs_call_proceed(&call))
        call.err = heap_free(hHeap, lpMem, call.api);
    return fs_call_end_bool(&call);
}
