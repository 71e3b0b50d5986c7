/* LocalAlloc/LocalFree, the process heap and SecureZeroMemory, tracked for misuse and leaks. */
#include <string.h>

#include "api.h"
#include "core/memtrack.h"

/* GetProcessHeap's value: not a handle-table entry, just a recognisable constant. */
#define PROCESS_HEAP ((HANDLE)(uintptr_t)0x4850u)

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    fs_api_enter();
    /* Moveable memory is handed out fixed: LocalLock is not part of the emulation. */
    if (uFlags & ~(UINT)(LMEM_MOVEABLE | LMEM_ZEROINIT)) {
        fs_fail(FS_E_INVALID_PARAMETER);
        return NULL;
    }
    void *p = fs_mem_alloc(FS_MEM_LOCAL, uBytes, (uFlags & LMEM_ZEROINIT) != 0, "LocalAlloc");
    if (!p)
        fs_fail(FS_E_NOMEM);
    return p;
}

static HLOCAL LocalFree_untraced(HLOCAL hMem)
{
    fs_api_enter();
    if (!hMem)
        return NULL;
    fs_err err = fs_mem_free(hMem, FS_MEM_LOCAL, "LocalFree");
    if (err == FS_OK)
        return NULL;
    fs_fail(err);
    return hMem;
}

HANDLE WINAPI GetProcessHeap(void) { return PROCESS_HEAP; }

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    fs_api_enter();
    if (hHeap != PROCESS_HEAP) {
        fs_fail(FS_E_INVALID_HANDLE);
        return NULL;
    }
    void *p = fs_mem_alloc(FS_MEM_HEAP, dwBytes, (dwFlags & HEAP_ZERO_MEMORY) != 0, "HeapAlloc");
    if (!p)
        fs_fail(FS_E_NOMEM);
    return p;
}

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    (void)dwFlags;
    fs_api_enter();
    if (hHeap != PROCESS_HEAP)
        return fs_fail(FS_E_INVALID_HANDLE);
    if (!lpMem)
        return TRUE;
    fs_err err = fs_mem_free(lpMem, FS_MEM_HEAP, "HeapFree");
    return err == FS_OK ? TRUE : fs_fail(FS_E_INVALID_PARAMETER);
}

PVOID WINAPI RtlSecureZeroMemory(PVOID ptr, SIZE_T cnt)
{
    explicit_bzero(ptr, cnt);
    return ptr;
}

HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "LocalFree"); /* the pointer is not shown: it would differ run to run */
    HLOCAL left = LocalFree_untraced(hMem);
    return fs_trace_freed(&t, left);
}
