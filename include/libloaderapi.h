/* The loader over libfakesspi's own exports (doc/semantics.md §38): secur32.dll, security.dll,
 * sspicli.dll, advapi32.dll and kernel32.dll are all this library, already loaded. */
#ifndef FAKESSPI_LIBLOADERAPI_H
#define FAKESSPI_LIBLOADERAPI_H

#include "windef.h"

FAKESSPI_BEGIN_DECLS

/* Windows' own types: () is "any arguments" in C and "none" in C++. Casting one to the function's
 * real type draws -Wcast-function-type (in -Wextra) here as with MinGW-w64 (doc/porting.md). */
#if defined(__GNUC__) && !defined(__cplusplus)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#endif
typedef INT_PTR (WINAPI *FARPROC)();
typedef INT_PTR (WINAPI *NEARPROC)();
typedef INT_PTR (WINAPI *PROC)();
#if defined(__GNUC__) && !defined(__cplusplus)
#pragma GCC diagnostic pop
#endif

#define DONT_RESOLVE_DLL_REFERENCES 0x00000001
#define LOAD_LIBRARY_AS_DATAFILE 0x00000002
#define LOAD_WITH_ALTERED_SEARCH_PATH 0x00000008
#define LOAD_IGNORE_CODE_AUTHZ_LEVEL 0x00000010
#define LOAD_LIBRARY_AS_IMAGE_RESOURCE 0x00000020
#define LOAD_LIBRARY_AS_DATAFILE_EXCLUSIVE 0x00000040
#define LOAD_LIBRARY_REQUIRE_SIGNED_TARGET 0x00000080
#define LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR 0x00000100
#define LOAD_LIBRARY_SEARCH_APPLICATION_DIR 0x00000200
#define LOAD_LIBRARY_SEARCH_USER_DIRS 0x00000400
#define LOAD_LIBRARY_SEARCH_SYSTEM32 0x00000800
#define LOAD_LIBRARY_SEARCH_DEFAULT_DIRS 0x00001000
#define LOAD_LIBRARY_SAFE_CURRENT_DIRS 0x00002000
#define LOAD_LIBRARY_SEARCH_SYSTEM32_NO_FORWARDER 0x00004000

/* A module name (any case, ".dll" or not, a path's last part) of one of ours: its handle; another
 * name: NULL with ERROR_MOD_NOT_FOUND; NULL: ERROR_INVALID_PARAMETER. */
FAKESSPI_API HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName);
FAKESSPI_API HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName);
FAKESSPI_API HMODULE WINAPI LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags);
FAKESSPI_API HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags);
/* The same handles without a reference; NULL names the program itself. */
FAKESSPI_API HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName);
FAKESSPI_API HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName);
/* Any function libfakesspi exports (libfakesspi/api/exports.def), by its exact name. */
FAKESSPI_API FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName);
FAKESSPI_API BOOL WINAPI FreeLibrary(HMODULE hLibModule);

#ifdef UNICODE
#define LoadLibrary LoadLibraryW
#define LoadLibraryEx LoadLibraryExW
#define GetModuleHandle GetModuleHandleW
#else
#define LoadLibrary LoadLibraryA
#define LoadLibraryEx LoadLibraryExA
#define GetModuleHandle GetModuleHandleA
#endif

FAKESSPI_END_DECLS

#endif
