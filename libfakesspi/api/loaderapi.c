/* LoadLibrary, GetModuleHandle, GetProcAddress and FreeLibrary over our own exports: the DLLs that
 * Windows code loads for SSPI and its neighbours are all this library, already loaded
 * (doc/semantics.md §38). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "exports.h"
#include "libloaderapi.h"
#include "core/utf.h"

/* The modules' handles are constants, 64 KiB apart as image bases are, so traces repeat run to run.
 * Index 0 is the program itself, which exports nothing of ours. */
static const char *const module_names[] = {NULL, "secur32", "security", "sspicli", "advapi32", "kernel32"};
#define NMODULES (sizeof module_names / sizeof module_names[0])
#define MODULE_BASE ((uintptr_t)0x7ffa00000000u)
#define MODULE_STRIDE ((uintptr_t)0x10000u)

static HMODULE module_handle(size_t i) { return (HMODULE)(MODULE_BASE + i * MODULE_STRIDE); }

/* The module's index, or NMODULES when the value is not one of ours. */
static size_t module_index(HMODULE h)
{
    uintptr_t v = (uintptr_t)h;
    if (v < MODULE_BASE || (v - MODULE_BASE) % MODULE_STRIDE)
        return NMODULES;
    uintptr_t i = (v - MODULE_BASE) / MODULE_STRIDE;
    return i < NMODULES ? (size_t)i : NMODULES;
}

/* A path's last part, without a ".dll" ending, compared in any case, as the loader matches names. */
static fs_err find_module(const char *name, HMODULE *out)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    size_t len = strlen(base);
    if (len > 4 && fs_ascii_casecmp(base + len - 4, ".dll") == 0)
        len -= 4;
    for (size_t i = 1; i < NMODULES; i++)
        if (strlen(module_names[i]) == len && !fs_ascii_ncasecmp(base, module_names[i], len)) {
            *out = module_handle(i);
            return FS_OK;
        }
    return FS_E_MOD_NOT_FOUND;
}

/* The flags LoadLibraryEx knows. LOAD_WITH_ALTERED_SEARCH_PATH does not combine with a
 * LOAD_LIBRARY_SEARCH_ flag; a file handle is reserved and must be NULL. */
#define SEARCH_FLAGS 0x7f00u
#define KNOWN_FLAGS 0xffffu

static fs_err load(const char *name, HANDLE file, DWORD flags, HMODULE *out)
{
    if (!name || file || (flags & ~(DWORD)KNOWN_FLAGS) ||
        ((flags & LOAD_WITH_ALTERED_SEARCH_PATH) && (flags & SEARCH_FLAGS)))
        return FS_E_INVALID_PARAMETER;
    return find_module(name, out);
}

/* A W name as UTF-8 for the body; *err is FS_E_NOMEM when the copy failed. */
static char *narrow_name(LPCWSTR name, fs_err *err)
{
    int failed = 0;
    char *s = fs_api_narrow(name, &failed);
    *err = failed ? FS_E_NOMEM : FS_OK;
    return s;
}

static HMODULE traced_load(const char *api, const void *name, HANDLE file, DWORD flags, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_text(&call.trace, "lpLibFileName", name, wide);
    fs_trace_number(&call.trace, "dwFlags", flags);
    HMODULE h = NULL;
    if (fs_call_proceed(&call)) {
        char *narrow = NULL;
        call.err = FS_OK;
        if (wide)
            narrow = narrow_name(name, &call.err);
        if (call.err == FS_OK)
            call.err = load(wide ? narrow : name, file, flags, &h);
        free(narrow);
    }
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "module", (uintptr_t)h);
    return fs_call_end_pointer(&call, h);
}

HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName) { return traced_load(__func__, lpLibFileName, NULL, 0, 0); }
HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName) { return traced_load(__func__, lpLibFileName, NULL, 0, 1); }

HMODULE WINAPI LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    return traced_load(__func__, lpLibFileName, hFile, dwFlags, 0);
}

HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    return traced_load(__func__, lpLibFileName, hFile, dwFlags, 1);
}

static HMODULE traced_module_handle(const char *api, const void *name, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_text(&call.trace, "lpModuleName", name, wide);
    HMODULE h = NULL;
    if (fs_call_proceed(&call)) {
        char *narrow = NULL;
        call.err = FS_OK;
        if (!name)
            h = module_handle(0);
        else if (wide)
            narrow = narrow_name(name, &call.err);
        if (name && call.err == FS_OK)
            call.err = find_module(wide ? narrow : name, &h);
        free(narrow);
    }
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "module", (uintptr_t)h);
    return fs_call_end_pointer(&call, h);
}

HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName) { return traced_module_handle(__func__, lpModuleName, 0); }
HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName) { return traced_module_handle(__func__, lpModuleName, 1); }

/* NULL is the program, which exports nothing: ERROR_PROC_NOT_FOUND, as Windows answers; a value that
 * is no module: ERROR_MOD_NOT_FOUND. An ordinal (a value below 64 Ki) finds nothing: ours have none. */
static fs_err find_proc(HMODULE h, LPCSTR name, fs_export_fn *out)
{
    size_t i = h ? module_index(h) : 0;
    if (i == NMODULES)
        return FS_E_MOD_NOT_FOUND;
    if (i == 0 || (uintptr_t)name < 0x10000u)
        return FS_E_PROC_NOT_FOUND;
    *out = fs_export_address(name);
    return *out ? FS_OK : FS_E_PROC_NOT_FOUND;
}

FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    struct fs_call call;
    fs_call_begin(&call, "GetProcAddress");
    fs_trace_handle(&call.trace, "hModule", (uintptr_t)hModule);
    if ((uintptr_t)lpProcName < 0x10000u)
        fs_trace_number(&call.trace, "ordinal", (uintptr_t)lpProcName);
    else
        fs_trace_string(&call.trace, "lpProcName", lpProcName);
    fs_export_fn f = NULL;
    if (fs_call_proceed(&call))
        call.err = find_proc(hModule, lpProcName, &f);
    /* The function's address is not traced (it would differ run to run): the local stands for it. */
    return fs_call_end_pointer(&call, f ? (void *)&f : NULL) ? (FARPROC)f : NULL;
}

/* Our modules stay loaded (the program is linked against them), so the count is not kept: freeing
 * one succeeds; a value that is no module is ERROR_MOD_NOT_FOUND. */
BOOL WINAPI FreeLibrary(HMODULE hLibModule)
{
    struct fs_call call;
    fs_call_begin(&call, "FreeLibrary");
    fs_trace_handle(&call.trace, "hLibModule", (uintptr_t)hLibModule);
    if (fs_call_proceed(&call))
        call.err = hLibModule && module_index(hLibModule) < NMODULES ? FS_OK : FS_E_MOD_NOT_FOUND;
    return fs_call_end_bool(&call);
}
