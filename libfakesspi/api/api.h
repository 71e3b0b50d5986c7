/* Shared by the exported entry points: start-up, error mapping, token handles. */
#ifndef FS_API_API_H
#define FS_API_API_H

#include "windows.h"
#include "sspi.h"
#include "core/error.h"
#include "core/fault.h"
#include "core/lasterror.h"
#include "core/trace.h"
#include "security/token.h"

/* Every exported function calls this first: it initialises the emulation once. */
void fs_api_enter(void);

/* Fault injection points (FAKESSPI_FAULTS=Function#N=NAME): the Nth call returns the armed status,
 * or, for Win32 functions, FALSE with the armed last error. */
#define FS_FAULT_POINT_SSPI(name)                             \
    do {                                                      \
        int64_t fault_;                                       \
        fs_api_enter();                                       \
        if (fs_fault_call(name, &fault_))                     \
            return (SECURITY_STATUS)fault_;                   \
    } while (0)
#define FS_FAULT_POINT_WIN32(name)                            \
    do {                                                      \
        int64_t fault_;                                       \
        fs_api_enter();                                       \
        if (fs_fault_call(name, &fault_)) {                   \
            fs_last_error_set((uint32_t)fault_);              \
            return FALSE;                                     \
        }                                                     \
    } while (0)

/* The one mapping from internal errors to Windows codes. */
DWORD fs_win32_error(fs_err err);
SECURITY_STATUS fs_sec_status(fs_err err);
/* Sets the thread's last error from err and returns FALSE: "return fs_fail(err);". */
BOOL fs_fail(fs_err err);

/* Pseudo-handles (GetCurrentProcess() = -1, GetCurrentThread() = -2, token pseudo-handles -4..-6). */
#define FS_PSEUDO_PROCESS ((HANDLE)(LONG_PTR)-1)
#define FS_PSEUDO_THREAD ((HANDLE)(LONG_PTR)-2)
#define FS_PSEUDO_PROCESS_TOKEN ((HANDLE)(LONG_PTR)-4)
#define FS_PSEUDO_THREAD_TOKEN ((HANDLE)(LONG_PTR)-5)
#define FS_PSEUDO_EFFECTIVE_TOKEN ((HANDLE)(LONG_PTR)-6)
int fs_is_pseudo_handle(HANDLE h);

/* Resolves a token handle (real or pseudo) with the access the call needs; NEW reference.
 * Failures: FS_E_INVALID_HANDLE (reported as misuse), FS_E_ACCESS_DENIED, FS_E_NO_TOKEN. */
fs_err fs_api_token(HANDLE h, DWORD need, const char *api, struct fs_token **out, DWORD *granted);
/* Hands out a NEW OWNED handle to t with the given (already mapped) access. */
fs_err fs_api_open_token(struct fs_token *t, DWORD access, const char *api, HANDLE *out);
/* GENERIC_* and MAXIMUM_ALLOWED turned into token rights, as the token object's mapping does. */
DWORD fs_map_token_access(DWORD desired);

/* Ends a trace line with an SSPI status, or with a Win32 result and its last error. Return their
 * argument so a function can end with `return fs_trace_status(&t, st);`. */
SECURITY_STATUS fs_trace_status(struct fs_trace *t, SECURITY_STATUS st);
BOOL fs_trace_bool(struct fs_trace *t, BOOL ok);
/* A SID as its S-1-... text, a wide string as UTF-8: never a pointer, so traces repeat. */
void fs_trace_sid(struct fs_trace *t, const char *key, const void *sid);
void fs_trace_wstring(struct fs_trace *t, const char *key, const WCHAR *value);
/* Ends the line of a free function that returns NULL on success (LocalFree, FreeSid); returns left. */
void *fs_trace_freed(struct fs_trace *t, void *left);
/* An A or W function's string: UTF-8 when !wide, UTF-16 when wide. */
void fs_trace_text(struct fs_trace *t, const char *key, const void *value, int wide);

/* UTF-8 copy of a wide argument: NEW (free()), NULL stays NULL; *failed set when out of memory. */
char *fs_api_narrow(LPCWSTR s, int *failed);

/* Copies a UTF-8 result into an A or W caller buffer of *cch characters (NUL included).
 * Too small: *cch = characters needed including the NUL, returns FS_E_INSUFFICIENT_BUFFER.
 * Fits: *cch = characters written excluding the NUL. */
fs_err fs_api_copy_out_a(const char *value, LPSTR out, DWORD *cch);
fs_err fs_api_copy_out_w(const char *value, LPWSTR out, DWORD *cch);

#endif
