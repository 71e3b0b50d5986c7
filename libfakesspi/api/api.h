/* Shared by the exported entry points: start-up, the one entry shape, error mapping, token lookup,
 * A/W strings and trace renderings of Windows types. */
#ifndef FS_API_API_H
#define FS_API_API_H

#include "windows.h"
#include "sspi.h"
#include "winternl.h"
#include "core/error.h"
#include "core/trace.h"
#include "entry.h"
#include "security/token.h"

/* Initialises the emulation once; fs_call_begin() calls it (and FS_GATE_SCOPE below). */
void fs_api_enter(void);

/* For exports outside the entry shape (accessors, the control API): starts the library and passes the fork
 * gate (core/fork_gate.h) for as long as the function runs, whichever return it takes, so that a fork()
 * never finds one of them holding a lock. */
struct fs_gate_scope {
    int unused;
};
struct fs_gate_scope fs_gate_scope_enter(void);
void fs_gate_scope_leave(struct fs_gate_scope *scope);
#define FS_GATE_SCOPE() \
    __attribute__((cleanup(fs_gate_scope_leave))) struct fs_gate_scope fs_gate_scope_ = fs_gate_scope_enter()

/* The one mapping from internal errors to Windows codes (errmap.c, from core/internal_errors.def). */
DWORD fs_win32_error(fs_err err);
SECURITY_STATUS fs_sec_status(fs_err err);
NTSTATUS fs_nt_status(fs_err err); /* the LSA's answer (ntsecapi.h) */

/* A token handle (real or pseudo) with the access the call needs, through core's one lookup; NEW
 * reference. FS_E_INVALID_HANDLE (reported as misuse), FS_E_ACCESS_DENIED, FS_E_NO_TOKEN, ... */
FS_MUST_CHECK fs_err fs_api_token(HANDLE h, DWORD need, const char *api, struct fs_token **out, DWORD *granted);
/* Hands out a NEW OWNED handle to t with the given (already mapped) access. */
FS_MUST_CHECK fs_err fs_api_open_token(struct fs_token *t, DWORD access, const char *api, HANDLE *out);
/* GENERIC_* and MAXIMUM_ALLOWED turned into token rights, as the token object's mapping does. */
DWORD fs_map_token_access(DWORD desired);

/* What the trace says of an access check, decision by decision (AccessCheck, AuthzAccessCheck):
 * "ACE 2 allow S-1-5-32-545 +READ_CONTROL|SYNCHRONIZE|0x89, ...", as doc/semantics.md §23 shows. */
struct fs_access_result;
void fs_api_access_steps_text(const struct fs_access_result *r, char *out, size_t cap);
/* An OBJECT_TYPE_LIST copied in for AccessCheckByType and AuthzAccessCheck: NULL pointers ERROR_NOACCESS, a
 * list that is not a tree ERROR_INVALID_PARAMETER (doc/semantics.md §59); *out (NULL for n 0) is the caller's
 * to free. */
struct fs_object_type;
FS_MUST_CHECK fs_err fs_api_object_types_in(const OBJECT_TYPE_LIST *list, DWORD n, struct fs_object_type **out);

/* A SID as its S-1-... text, a wide string as UTF-8: never a pointer, so traces repeat. */
void fs_trace_sid(struct fs_trace *t, const char *key, const void *sid);
void fs_trace_wstring(struct fs_trace *t, const char *key, const WCHAR *value);
/* An A or W function's string: UTF-8 when !wide, UTF-16 when wide. */
void fs_trace_text(struct fs_trace *t, const char *key, const void *value, int wide);

/* UTF-8 copy of a wide argument: NEW (free()), NULL stays NULL; *failed set when out of memory. */
char *fs_api_narrow(LPCWSTR s, int *failed);

/* UTF-8 copy of a counted wide string (a UNICODE_STRING's units, no NUL needed): NEW in *out (free()).
 * FS_E_INVALID_PARAMETER when it holds a NUL, FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_api_narrow_counted(const WCHAR *s, size_t units, char **out);
/* A UNICODE_STRING of an LSA submission (LsaLogonUser, LsaCallAuthenticationPackage) as UTF-8: NEW in *out
 * (free()). Its text lies inside the submission of size bytes at base, WCHAR-aligned, as MSDN requires
 * ("contiguous to the structure itself"); an empty one may point anywhere. FS_E_INVALID_PARAMETER otherwise. */
FS_MUST_CHECK fs_err fs_api_submitted_string(const void *base, ULONG size, const UNICODE_STRING *s, char **out);
/* Writes value as UTF-16 with its NUL at out, which has room for fs_api_text_units(value, 1) + 1 units; *bytes
 * gets the length without the NUL, in bytes (a UNICODE_STRING's Length). Returns where the next text may go. */
WCHAR *fs_api_widen_into(const char *value, WCHAR *out, USHORT *bytes);

/* Length of a UTF-8 result in the caller's characters: bytes for A functions, UTF-16 units for W. */
size_t fs_api_text_units(const char *value, int wide);
/* Copies a UTF-8 result into an A (wide = 0) or W caller buffer of *cch characters (NUL included).
 * Too small: *cch = characters needed including the NUL, returns FS_E_INSUFFICIENT_BUFFER.
 * Fits: *cch = characters written excluding the NUL. */
FS_MUST_CHECK fs_err fs_api_copy_out(const char *value, void *out, DWORD *cch, int wide);

#endif
