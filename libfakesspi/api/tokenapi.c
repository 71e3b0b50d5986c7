/* Token functions: open, duplicate, query, impersonate, check membership. */
#include <string.h>

#include "api.h"
#include "core/handles.h"
#include "security/identity.h"
#include "security/pseudo_handles.h"

static fs_err OpenProcessToken_body(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle, const char *api)
{
    /* Only this process exists; its pseudo-handle is the one process handle there is. */
    struct fs_object *process;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)ProcessHandle), &fs_process_ops, 0, api, &process, NULL);
    if (err != FS_OK)
        return err;
    fs_object_unref(process);
    if (!TokenHandle)
        return FS_E_NOACCESS;
    struct fs_token *t = fs_process_token();
    if (!t)
        return FS_E_NO_SUCH_LOGON_SESSION;
    HANDLE h;
    err = fs_api_open_token(t, fs_map_token_access(DesiredAccess), api, &h);
    fs_token_unref(t);
    if (err != FS_OK)
        return err;
    *TokenHandle = h;
    return FS_OK;
}

BOOL WINAPI OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "OpenProcessToken");
    fs_trace_handle(&call.trace, "ProcessHandle", (uintptr_t)ProcessHandle);
    fs_trace_number(&call.trace, "DesiredAccess", DesiredAccess);
    if (fs_call_proceed(&call))
        call.err = OpenProcessToken_body(ProcessHandle, DesiredAccess, TokenHandle, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)*TokenHandle);
    return fs_call_end_bool(&call);
}

static fs_err OpenThreadToken_body(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf, PHANDLE TokenHandle, const char *api)
{
    (void)OpenAsSelf; /* the access check runs against our own token either way */
    if (!TokenHandle)
        return FS_E_NOACCESS;
    *TokenHandle = NULL;
    struct fs_object *thread;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)ThreadHandle), &fs_thread_ops, 0, api, &thread, NULL);
    if (err != FS_OK)
        return err;
    fs_object_unref(thread);
    struct fs_token *t = fs_thread_token();
    if (!t)
        return FS_E_NO_TOKEN;
    if (t->level == SecurityAnonymous)
        err = FS_E_CANT_OPEN_ANONYMOUS;
    HANDLE h = NULL;
    if (err == FS_OK)
        err = fs_api_open_token(t, fs_map_token_access(DesiredAccess), api, &h);
    fs_token_unref(t);
    if (err != FS_OK)
        return err;
    *TokenHandle = h;
    return FS_OK;
}

BOOL WINAPI OpenThreadToken(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf, PHANDLE TokenHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "OpenThreadToken");
    fs_trace_handle(&call.trace, "ThreadHandle", (uintptr_t)ThreadHandle);
    fs_trace_number(&call.trace, "DesiredAccess", DesiredAccess);
    if (fs_call_proceed(&call))
        call.err = OpenThreadToken_body(ThreadHandle, DesiredAccess, OpenAsSelf, TokenHandle, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)*TokenHandle);
    return fs_call_end_bool(&call);
}

static fs_err DuplicateTokenEx_body(HANDLE hExistingToken, DWORD dwDesiredAccess, LPSECURITY_ATTRIBUTES lpTokenAttributes,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE token_type,
                             PHANDLE phNewToken, const char *api)
{
    if (!phNewToken)
        return FS_E_NOACCESS;
    if ((token_type != TokenPrimary && token_type != TokenImpersonation) || (int)level < SecurityAnonymous ||
        (int)level > SecurityDelegation)
        return FS_E_INVALID_PARAMETER;
    struct fs_token *src;
    DWORD granted;
    fs_err err = fs_api_token(hExistingToken, TOKEN_DUPLICATE, api, &src, &granted);
    if (err != FS_OK)
        return err;
    /* An impersonation token cannot be raised above its own level, nor turned into a primary
     * token unless it is at least at impersonation level. */
    if (src->type == TokenImpersonation &&
        ((token_type == TokenImpersonation && (int)level > src->level) ||
         (token_type == TokenPrimary && src->level < SecurityImpersonation)))
        err = FS_E_BAD_IMPERSONATION_LEVEL;
    struct fs_token *copy = NULL;
    if (err == FS_OK)
        err = fs_token_duplicate(src, token_type, (int)level, &copy);
    fs_token_unref(src);
    HANDLE h = NULL;
    if (err == FS_OK) {
        DWORD access = dwDesiredAccess ? fs_map_token_access(dwDesiredAccess) : granted;
        err = fs_api_open_token(copy, access, api, &h);
        if (err == FS_OK && lpTokenAttributes && lpTokenAttributes->bInheritHandle)
            err = fs_handle_set_flags(fs_handle_key((uintptr_t)h), &fs_token_ops, api, HANDLE_FLAG_INHERIT,
                                      HANDLE_FLAG_INHERIT);
    }
    fs_token_unref(copy);
    if (err != FS_OK)
        return err;
    fs_handle_note_duplicate((uintptr_t)hExistingToken, (uintptr_t)h, &fs_token_ops, api);
    *phNewToken = h;
    return FS_OK;
}

static BOOL traced_duplicate(struct fs_call *call, HANDLE existing, DWORD desired, LPSECURITY_ATTRIBUTES attributes,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE token_type, PHANDLE out)
{
    fs_trace_handle(&call->trace, "hExistingToken", (uintptr_t)existing);
    fs_trace_value(&call->trace, "ImpersonationLevel", FS_NAMES_IMPERSONATION_LEVEL, (uint32_t)level);
    fs_trace_value(&call->trace, "TokenType", FS_NAMES_TOKEN_TYPE, (uint32_t)token_type);
    if (fs_call_proceed(call))
        call->err = DuplicateTokenEx_body(existing, desired, attributes, level, token_type, out, call->api);
    if (fs_call_outputs(call))
        fs_trace_handle(&call->trace, "phNewToken", (uintptr_t)*out);
    return fs_call_end_bool(call);
}

BOOL WINAPI DuplicateTokenEx(HANDLE hExistingToken, DWORD dwDesiredAccess, LPSECURITY_ATTRIBUTES lpTokenAttributes,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE token_type, PHANDLE phNewToken)
{
    struct fs_call call;
    fs_call_begin(&call, "DuplicateTokenEx");
    return traced_duplicate(&call, hExistingToken, dwDesiredAccess, lpTokenAttributes, level, token_type, phNewToken);
}

/* DuplicateTokenEx for an impersonation token that can impersonate and be queried. */
BOOL WINAPI DuplicateToken(HANDLE ExistingTokenHandle, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                           PHANDLE DuplicateTokenHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "DuplicateToken");
    return traced_duplicate(&call, ExistingTokenHandle, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, ImpersonationLevel,
                            TokenImpersonation, DuplicateTokenHandle);
}

static fs_err GetTokenInformation_body(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                                LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength, const char *api)
{
    if (!ReturnLength || (!TokenInformation && TokenInformationLength))
        return FS_E_NOACCESS;
    DWORD need = TokenInformationClass == TokenSource ? TOKEN_QUERY_SOURCE : TOKEN_QUERY;
    struct fs_token *t;
    fs_err err = fs_api_token(TokenHandle, need, api, &t, NULL);
    if (err != FS_OK)
        return err;
    uint32_t needed = 0;
    err = fs_token_query(t, (int)TokenInformationClass, TokenInformation, TokenInformationLength, &needed);
    fs_token_unref(t);
    if (err == FS_OK || err == FS_E_INSUFFICIENT_BUFFER)
        *ReturnLength = needed;
    return err;
}

BOOL WINAPI GetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                                LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength)
{
    struct fs_call call;
    fs_call_begin(&call, "GetTokenInformation");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_value(&call.trace, "TokenInformationClass", FS_NAMES_TOKEN_INFORMATION_CLASS, (uint32_t)TokenInformationClass);
    fs_trace_number(&call.trace, "TokenInformationLength", TokenInformationLength);
    if (fs_call_proceed(&call))
        call.err = GetTokenInformation_body(TokenHandle, TokenInformationClass, TokenInformation, TokenInformationLength, ReturnLength, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "ReturnLength", *ReturnLength);
    return fs_call_end_bool(&call);
}

static fs_err ImpersonateLoggedOnUser_body(HANDLE hToken, const char *api)
{
    struct fs_token *t;
    DWORD granted;
    fs_err err = fs_api_token(hToken, TOKEN_QUERY, api, &t, &granted);
    if (err != FS_OK)
        return err;
    DWORD need = t->type == TokenPrimary ? TOKEN_QUERY | TOKEN_DUPLICATE : TOKEN_QUERY | TOKEN_IMPERSONATE;
    if ((granted & need) != need)
        err = FS_E_ACCESS_DENIED;
    if (err == FS_OK)
        err = fs_impersonate(t);
    fs_token_unref(t);
    return err;
}

BOOL WINAPI ImpersonateLoggedOnUser(HANDLE hToken)
{
    struct fs_call call;
    fs_call_begin(&call, "ImpersonateLoggedOnUser");
    fs_trace_handle(&call.trace, "hToken", (uintptr_t)hToken);
    if (fs_call_proceed(&call))
        call.err = ImpersonateLoggedOnUser_body(hToken, call.api);
    return fs_call_end_bool(&call);
}

BOOL WINAPI RevertToSelf(void)
{
    struct fs_call call;
    fs_call_begin(&call, "RevertToSelf");
    if (fs_call_proceed(&call))
        fs_revert_to_self();
    return fs_call_end_bool(&call);
}

static fs_err CheckTokenMembership_body(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember, const char *api)
{
    if (!IsMember)
        return FS_E_NOACCESS;
    /* Cleared before anything can fail, so a caller that ignores the result is not let in
     * (doc/semantics.md §37). */
    *IsMember = FALSE;
    if (!fs_sid_is_valid(SidToCheck))
        return FS_E_INVALID_SID;
    struct fs_token *t;
    if (TokenHandle) {
        fs_err err = fs_api_token(TokenHandle, TOKEN_QUERY, api, &t, NULL);
        if (err != FS_OK)
            return err;
        if (t->type != TokenImpersonation) {
            fs_token_unref(t);
            return FS_E_NO_IMPERSONATION_TOKEN;
        }
    } else {
        /* NULL: the thread's impersonation token, else a copy of the process token. */
        t = fs_effective_token();
        if (!t)
            return FS_E_NO_SUCH_LOGON_SESSION;
    }
    struct fs_sid sid;
    size_t len = 8 + 4 * (size_t)((const BYTE *)SidToCheck)[1];
    memcpy(&sid, SidToCheck, len);
    *IsMember = fs_token_is_member(t, &sid) ? TRUE : FALSE; /* doc/semantics.md §45 */
    fs_token_unref(t);
    return FS_OK;
}

BOOL WINAPI CheckTokenMembership(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember)
{
    struct fs_call call;
    fs_call_begin(&call, "CheckTokenMembership");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_sid(&call.trace, "SidToCheck", SidToCheck);
    if (fs_call_proceed(&call))
        call.err = CheckTokenMembership_body(TokenHandle, SidToCheck, IsMember, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "IsMember", (uint64_t)*IsMember);
    return fs_call_end_bool(&call);
}
