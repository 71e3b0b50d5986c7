/* Token functions: open, duplicate, query, impersonate, check membership. */
#include <string.h>

#include "api.h"
#include "core/handles.h"
#include "core/misuse.h"
#include "security/identity.h"

static BOOL OpenProcessToken_untraced(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
{
    FS_FAULT_POINT_WIN32("OpenProcessToken");
    static const char api[] = "OpenProcessToken";
    fs_api_enter();
    if (ProcessHandle != FS_PSEUDO_PROCESS) {
        /* Only this process exists; anything else is not a process handle we know. */
        struct fs_object *obj;
        fs_err err = fs_is_pseudo_handle(ProcessHandle)
                         ? FS_E_INVALID_HANDLE
                         : fs_handle_get((uintptr_t)ProcessHandle, 0, api, &obj, NULL);
        if (err == FS_OK) {
            struct fs_misuse_detail d = {.handle = (uintptr_t)ProcessHandle, .handle_kind = "token",
                                         .windows = "a process handle is required; the call fails"};
            fs_misuse(FAKESSPI_MISUSE_WRONG_KIND, api, &d);
            fs_object_unref(obj);
        }
        return fs_fail(FS_E_INVALID_HANDLE);
    }
    if (!TokenHandle)
        return fs_fail(FS_E_NOACCESS);
    struct fs_token *t = fs_process_token();
    if (!t)
        return fs_fail(FS_E_NO_SUCH_LOGON_SESSION);
    HANDLE h;
    fs_err err = fs_api_open_token(t, fs_map_token_access(DesiredAccess), api, &h);
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_fail(err);
    *TokenHandle = h;
    return TRUE;
}

BOOL WINAPI OpenProcessToken(HANDLE ProcessHandle, DWORD DesiredAccess, PHANDLE TokenHandle)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "OpenProcessToken");
    fs_trace_handle(&t, "ProcessHandle", (uintptr_t)ProcessHandle);
    fs_trace_number(&t, "DesiredAccess", DesiredAccess);
    BOOL ok = OpenProcessToken_untraced(ProcessHandle, DesiredAccess, TokenHandle);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_handle(&t, "TokenHandle", (uintptr_t)*TokenHandle);
    return fs_trace_bool(&t, ok);
}

static BOOL OpenThreadToken_untraced(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf, PHANDLE TokenHandle)
{
    FS_FAULT_POINT_WIN32("OpenThreadToken");
    static const char api[] = "OpenThreadToken";
    (void)OpenAsSelf; /* the access check runs against our own token either way */
    fs_api_enter();
    if (!TokenHandle)
        return fs_fail(FS_E_NOACCESS);
    *TokenHandle = NULL;
    if (ThreadHandle != FS_PSEUDO_THREAD)
        return fs_fail(FS_E_INVALID_HANDLE);
    struct fs_token *t = fs_thread_token();
    if (!t)
        return fs_fail(FS_E_NO_TOKEN);
    fs_err err = FS_OK;
    if (t->level == SecurityAnonymous)
        err = FS_E_CANT_OPEN_ANONYMOUS;
    HANDLE h = NULL;
    if (err == FS_OK)
        err = fs_api_open_token(t, fs_map_token_access(DesiredAccess), api, &h);
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_fail(err);
    *TokenHandle = h;
    return TRUE;
}

BOOL WINAPI OpenThreadToken(HANDLE ThreadHandle, DWORD DesiredAccess, BOOL OpenAsSelf, PHANDLE TokenHandle)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "OpenThreadToken");
    fs_trace_handle(&t, "ThreadHandle", (uintptr_t)ThreadHandle);
    fs_trace_number(&t, "DesiredAccess", DesiredAccess);
    BOOL ok = OpenThreadToken_untraced(ThreadHandle, DesiredAccess, OpenAsSelf, TokenHandle);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_handle(&t, "TokenHandle", (uintptr_t)*TokenHandle);
    return fs_trace_bool(&t, ok);
}

static BOOL DuplicateTokenEx_untraced(HANDLE hExistingToken, DWORD dwDesiredAccess, LPSECURITY_ATTRIBUTES lpTokenAttributes,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE token_type,
                             PHANDLE phNewToken)
{
    FS_FAULT_POINT_WIN32("DuplicateTokenEx");
    static const char api[] = "DuplicateTokenEx";
    fs_api_enter();
    if (!phNewToken)
        return fs_fail(FS_E_NOACCESS);
    if ((token_type != TokenPrimary && token_type != TokenImpersonation) || (int)level < SecurityAnonymous ||
        (int)level > SecurityDelegation)
        return fs_fail(FS_E_INVALID_PARAMETER);
    struct fs_token *src;
    DWORD granted;
    fs_err err = fs_api_token(hExistingToken, TOKEN_DUPLICATE, api, &src, &granted);
    if (err != FS_OK)
        return fs_fail(err);
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
            fs_handle_set_flags((uintptr_t)h, FS_HANDLE_TOKEN, api, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    }
    fs_token_unref(copy);
    if (err != FS_OK)
        return fs_fail(err);
    fs_handle_note_duplicate((uintptr_t)hExistingToken, (uintptr_t)h, FS_HANDLE_TOKEN, api);
    *phNewToken = h;
    return TRUE;
}

BOOL WINAPI DuplicateTokenEx(HANDLE hExistingToken, DWORD dwDesiredAccess, LPSECURITY_ATTRIBUTES lpTokenAttributes,
                             SECURITY_IMPERSONATION_LEVEL level, TOKEN_TYPE token_type,
                             PHANDLE phNewToken)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "DuplicateTokenEx");
    fs_trace_handle(&t, "hExistingToken", (uintptr_t)hExistingToken);
    fs_trace_number(&t, "ImpersonationLevel", (uint64_t)level);
    fs_trace_number(&t, "TokenType", (uint64_t)token_type);
    BOOL ok = DuplicateTokenEx_untraced(hExistingToken, dwDesiredAccess, lpTokenAttributes, level, token_type, phNewToken);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_handle(&t, "phNewToken", (uintptr_t)*phNewToken);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI DuplicateToken(HANDLE ExistingTokenHandle, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                           PHANDLE DuplicateTokenHandle)
{
    return DuplicateTokenEx(ExistingTokenHandle, TOKEN_IMPERSONATE | TOKEN_QUERY, NULL, ImpersonationLevel,
                            TokenImpersonation, DuplicateTokenHandle);
}

static BOOL GetTokenInformation_untraced(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                                LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength)
{
    FS_FAULT_POINT_WIN32("GetTokenInformation");
    fs_api_enter();
    if (!ReturnLength || (!TokenInformation && TokenInformationLength))
        return fs_fail(FS_E_NOACCESS);
    DWORD need = TokenInformationClass == TokenSource ? TOKEN_QUERY_SOURCE : TOKEN_QUERY;
    struct fs_token *t;
    fs_err err = fs_api_token(TokenHandle, need, "GetTokenInformation", &t, NULL);
    if (err != FS_OK)
        return fs_fail(err);
    uint32_t needed = 0;
    err = fs_token_query(t, (int)TokenInformationClass, TokenInformation, TokenInformationLength, &needed);
    fs_token_unref(t);
    if (err == FS_OK || err == FS_E_INSUFFICIENT_BUFFER)
        *ReturnLength = needed;
    return err == FS_OK ? TRUE : fs_fail(err);
}

BOOL WINAPI GetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                                LPVOID TokenInformation, DWORD TokenInformationLength, PDWORD ReturnLength)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "GetTokenInformation");
    fs_trace_handle(&t, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_number(&t, "TokenInformationClass", (uint64_t)TokenInformationClass);
    fs_trace_number(&t, "TokenInformationLength", TokenInformationLength);
    BOOL ok = GetTokenInformation_untraced(TokenHandle, TokenInformationClass, TokenInformation, TokenInformationLength, ReturnLength);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_number(&t, "ReturnLength", *ReturnLength);
    return fs_trace_bool(&t, ok);
}

static BOOL ImpersonateLoggedOnUser_untraced(HANDLE hToken)
{
    FS_FAULT_POINT_WIN32("ImpersonateLoggedOnUser");
    fs_api_enter();
    struct fs_token *t;
    DWORD granted;
    fs_err err = fs_api_token(hToken, TOKEN_QUERY, "ImpersonateLoggedOnUser", &t, &granted);
    if (err != FS_OK)
        return fs_fail(err);
    DWORD need = t->type == TokenPrimary ? TOKEN_QUERY | TOKEN_DUPLICATE : TOKEN_QUERY | TOKEN_IMPERSONATE;
    if ((granted & need) != need)
        err = FS_E_ACCESS_DENIED;
    if (err == FS_OK)
        err = fs_impersonate(t);
    fs_token_unref(t);
    return err == FS_OK ? TRUE : fs_fail(err);
}

BOOL WINAPI ImpersonateLoggedOnUser(HANDLE hToken)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "ImpersonateLoggedOnUser");
    fs_trace_handle(&t, "hToken", (uintptr_t)hToken);
    BOOL ok = ImpersonateLoggedOnUser_untraced(hToken);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI RevertToSelf(void)
{
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, "RevertToSelf");
    fs_revert_to_self();
    return fs_trace_bool(&t, TRUE);
}

static BOOL CheckTokenMembership_untraced(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember)
{
    FS_FAULT_POINT_WIN32("CheckTokenMembership");
    fs_api_enter();
    if (!IsMember)
        return fs_fail(FS_E_NOACCESS);
    if (!fs_sid_is_valid(SidToCheck))
        return fs_fail(FS_E_INVALID_SID);
    struct fs_token *t;
    if (TokenHandle) {
        fs_err err = fs_api_token(TokenHandle, TOKEN_QUERY, "CheckTokenMembership", &t, NULL);
        if (err != FS_OK)
            return fs_fail(err);
        if (t->type != TokenImpersonation) {
            fs_token_unref(t);
            return fs_fail(FS_E_NO_IMPERSONATION_TOKEN);
        }
    } else {
        /* NULL: the thread's impersonation token, else a copy of the process token. */
        t = fs_effective_token();
        if (!t)
            return fs_fail(FS_E_NO_SUCH_LOGON_SESSION);
    }
    struct fs_sid sid;
    size_t len = 8 + 4 * (size_t)((const BYTE *)SidToCheck)[1];
    memcpy(&sid, SidToCheck, len);
    *IsMember = fs_token_has_enabled_sid(t, &sid) ? TRUE : FALSE;
    fs_token_unref(t);
    return TRUE;
}

BOOL WINAPI CheckTokenMembership(HANDLE TokenHandle, PSID SidToCheck, PBOOL IsMember)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "CheckTokenMembership");
    fs_trace_handle(&t, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_sid(&t, "SidToCheck", SidToCheck);
    BOOL ok = CheckTokenMembership_untraced(TokenHandle, SidToCheck, IsMember);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_number(&t, "IsMember", (uint64_t)*IsMember);
    return fs_trace_bool(&t, ok);
}
