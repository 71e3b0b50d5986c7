/* Privileges by name and LUID, fresh LUIDs, and the calls that change a token: AdjustTokenPrivileges,
 * PrivilegeCheck, SetTokenInformation, ImpersonateSelf, SetThreadToken (doc/semantics.md §37). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "security/accounts.h"
#include "security/acl.h"
#include "security/identity.h"
#include "security/luid.h"
#include "security/privileges.h"
#include "security/pseudo_handles.h"
#include "security/token_adjust.h"

/* ---- names and LUIDs ---- */

static fs_err LookupPrivilegeValue_body(const char *system, const char *name, PLUID luid)
{
    if (!fs_is_local_machine(system))
        return FS_E_SERVER_UNAVAILABLE;
    uint32_t value = name ? fs_privilege_luid(name) : 0;
    if (!value)
        return FS_E_NO_SUCH_PRIVILEGE;
    if (!luid)
        return FS_E_NOACCESS;
    luid->LowPart = value;
    luid->HighPart = 0;
    return FS_OK;
}

static BOOL traced_privilege_value(const char *api, const char *system, const char *name, int failed, PLUID luid)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_string(&call.trace, "lpSystemName", system);
    fs_trace_string(&call.trace, "lpName", name);
    if (fs_call_proceed(&call))
        call.err = failed ? FS_E_NOMEM : LookupPrivilegeValue_body(system, name, luid);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "lpLuid", luid->LowPart);
    return fs_call_end_bool(&call);
}

BOOL WINAPI LookupPrivilegeValueA(LPCSTR lpSystemName, LPCSTR lpName, PLUID lpLuid)
{
    return traced_privilege_value("LookupPrivilegeValueA", lpSystemName, lpName, 0, lpLuid);
}

BOOL WINAPI LookupPrivilegeValueW(LPCWSTR lpSystemName, LPCWSTR lpName, PLUID lpLuid)
{
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed), *name = fs_api_narrow(lpName, &failed);
    BOOL ok = traced_privilege_value("LookupPrivilegeValueW", system, name, failed, lpLuid);
    free(system);
    free(name);
    return ok;
}

static fs_err LookupPrivilegeName_body(const char *system, PLUID luid, void *name, LPDWORD cch, int wide)
{
    if (!fs_is_local_machine(system))
        return FS_E_SERVER_UNAVAILABLE;
    if (!luid || !cch)
        return FS_E_NOACCESS;
    const char *text = luid->HighPart ? NULL : fs_privilege_name(luid->LowPart);
    if (!text)
        return FS_E_NO_SUCH_PRIVILEGE;
    return fs_api_copy_out(text, name, cch, wide);
}

static BOOL traced_privilege_name(const char *api, const char *system, int failed, PLUID luid, void *name,
                                  LPDWORD cch, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_string(&call.trace, "lpSystemName", system);
    if (luid)
        fs_trace_number(&call.trace, "lpLuid", luid->LowPart);
    if (fs_call_proceed(&call))
        call.err = failed ? FS_E_NOMEM : LookupPrivilegeName_body(system, luid, name, cch, wide);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "lpName", name, wide);
    return fs_call_end_bool(&call);
}

BOOL WINAPI LookupPrivilegeNameA(LPCSTR lpSystemName, PLUID lpLuid, LPSTR lpName, LPDWORD cchName)
{
    return traced_privilege_name("LookupPrivilegeNameA", lpSystemName, 0, lpLuid, lpName, cchName, 0);
}

BOOL WINAPI LookupPrivilegeNameW(LPCWSTR lpSystemName, PLUID lpLuid, LPWSTR lpName, LPDWORD cchName)
{
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed);
    BOOL ok = traced_privilege_name("LookupPrivilegeNameW", system, failed, lpLuid, lpName, cchName, 1);
    free(system);
    return ok;
}

static fs_err LookupPrivilegeDisplayName_body(const char *system, const char *name, void *display, LPDWORD cch,
                                              LPDWORD language, int wide)
{
    if (!fs_is_local_machine(system))
        return FS_E_SERVER_UNAVAILABLE;
    uint32_t luid = name ? fs_privilege_luid(name) : 0;
    if (!luid)
        return FS_E_NO_SUCH_PRIVILEGE;
    if (!cch || !language)
        return FS_E_NOACCESS;
    fs_err err = fs_api_copy_out(fs_privilege_display_name(luid), display, cch, wide);
    if (err == FS_OK)
        *language = 0x0409; /* English (United States): the only texts kept */
    return err;
}

static BOOL traced_display_name(const char *api, const char *system, const char *name, int failed, void *display,
                                LPDWORD cch, LPDWORD language, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_string(&call.trace, "lpSystemName", system);
    fs_trace_string(&call.trace, "lpName", name);
    if (fs_call_proceed(&call))
        call.err = failed ? FS_E_NOMEM : LookupPrivilegeDisplayName_body(system, name, display, cch, language, wide);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "lpDisplayName", display, wide);
    return fs_call_end_bool(&call);
}

BOOL WINAPI LookupPrivilegeDisplayNameA(LPCSTR lpSystemName, LPCSTR lpName, LPSTR lpDisplayName,
                                        LPDWORD cchDisplayName, LPDWORD lpLanguageId)
{
    return traced_display_name("LookupPrivilegeDisplayNameA", lpSystemName, lpName, 0, lpDisplayName, cchDisplayName,
                               lpLanguageId, 0);
}

BOOL WINAPI LookupPrivilegeDisplayNameW(LPCWSTR lpSystemName, LPCWSTR lpName, LPWSTR lpDisplayName,
                                        LPDWORD cchDisplayName, LPDWORD lpLanguageId)
{
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed), *name = fs_api_narrow(lpName, &failed);
    BOOL ok = traced_display_name("LookupPrivilegeDisplayNameW", system, name, failed, lpDisplayName,
                                  cchDisplayName, lpLanguageId, 1);
    free(system);
    free(name);
    return ok;
}

/* From the seeded LUID sequence, so a run with the same seed hands out the same values. */
BOOL WINAPI AllocateLocallyUniqueId(PLUID Luid)
{
    struct fs_call call;
    fs_call_begin(&call, "AllocateLocallyUniqueId");
    if (fs_call_proceed(&call)) {
        if (!Luid) {
            call.err = FS_E_NOACCESS;
        } else {
            uint64_t v = fs_luid_next();
            Luid->LowPart = (DWORD)v;
            Luid->HighPart = (LONG)(v >> 32);
        }
    }
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "Luid", Luid->LowPart);
    return fs_call_end_bool(&call);
}

/* ---- AdjustTokenPrivileges and PrivilegeCheck ---- */

static fs_err AdjustTokenPrivileges_body(HANDLE TokenHandle, BOOL DisableAll, PTOKEN_PRIVILEGES NewState,
                                         DWORD BufferLength, PTOKEN_PRIVILEGES PreviousState, PDWORD ReturnLength,
                                         const char *api)
{
    if (!DisableAll && !NewState)
        return FS_E_INVALID_PARAMETER;
    if (PreviousState && !ReturnLength)
        return FS_E_NOACCESS;
    DWORD need = TOKEN_ADJUST_PRIVILEGES | (PreviousState ? TOKEN_QUERY : 0);
    struct fs_token *t;
    fs_err err = fs_api_token(TokenHandle, need, api, &t, NULL);
    if (err != FS_OK)
        return err;
    size_t n = DisableAll ? 0 : NewState->PrivilegeCount;
    struct fs_token_privilege *changes = fs_calloc(n + 1, sizeof *changes);
    struct fs_token_privilege *previous = NULL;
    size_t nprevious = 0;
    int not_all = 0;
    if (!changes) {
        err = FS_E_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (NewState->Privileges[i].Luid.HighPart ||
            (NewState->Privileges[i].Attributes & ~(DWORD)SE_PRIVILEGE_VALID_ATTRIBUTES)) {
            err = FS_E_INVALID_PARAMETER;
            goto out;
        }
        changes[i].luid = NewState->Privileges[i].Luid.LowPart;
        changes[i].attributes = NewState->Privileges[i].Attributes;
    }
    /* With a PreviousState buffer too small, nothing changes: Windows checks the size first. */
    err = fs_token_adjust_privileges(t, DisableAll != FALSE, changes, n, PreviousState != NULL, &previous, &nprevious,
                                     &not_all, PreviousState ? BufferLength : 0);
    if (PreviousState && (err == FS_OK || err == FS_E_INSUFFICIENT_BUFFER))
        *ReturnLength = (DWORD)(offsetof(TOKEN_PRIVILEGES, Privileges) + nprevious * sizeof(LUID_AND_ATTRIBUTES));
    if (err == FS_OK && PreviousState) {
        PreviousState->PrivilegeCount = (DWORD)nprevious;
        for (size_t i = 0; i < nprevious; i++) {
            PreviousState->Privileges[i].Luid.LowPart = previous[i].luid;
            PreviousState->Privileges[i].Luid.HighPart = 0;
            PreviousState->Privileges[i].Attributes = previous[i].attributes;
        }
    }
    if (err == FS_OK && not_all)
        err = FS_I_NOT_ALL_ASSIGNED;
out:
    free(changes);
    free(previous);
    fs_token_unref(t);
    return err;
}

BOOL WINAPI AdjustTokenPrivileges(HANDLE TokenHandle, BOOL DisableAllPrivileges, PTOKEN_PRIVILEGES NewState,
                                  DWORD BufferLength, PTOKEN_PRIVILEGES PreviousState, PDWORD ReturnLength)
{
    struct fs_call call;
    fs_call_begin(&call, "AdjustTokenPrivileges");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_number(&call.trace, "DisableAllPrivileges", (uint64_t)DisableAllPrivileges);
    if (fs_call_proceed(&call))
        call.err = AdjustTokenPrivileges_body(TokenHandle, DisableAllPrivileges, NewState, BufferLength, PreviousState,
                                              ReturnLength, call.api);
    return fs_call_end_bool_noting(&call);
}

static fs_err PrivilegeCheck_body(HANDLE ClientToken, PPRIVILEGE_SET set, LPBOOL result, const char *api)
{
    if (!set || !result)
        return FS_E_NOACCESS;
    struct fs_token *t;
    fs_err err = fs_api_token(ClientToken, TOKEN_QUERY, api, &t, NULL);
    if (err != FS_OK)
        return err;
    if (t->type != TokenImpersonation) {
        fs_token_unref(t);
        return FS_E_NO_IMPERSONATION_TOKEN;
    }
    DWORD held = 0;
    for (DWORD i = 0; i < set->PrivilegeCount; i++) {
        int on = !set->Privilege[i].Luid.HighPart && fs_token_has_enabled_privilege(t, set->Privilege[i].Luid.LowPart);
        if (on) {
            set->Privilege[i].Attributes |= SE_PRIVILEGE_USED_FOR_ACCESS;
            held++;
        }
    }
    fs_token_unref(t);
    *result = (set->Control & PRIVILEGE_SET_ALL_NECESSARY) ? held == set->PrivilegeCount : held > 0;
    return FS_OK;
}

BOOL WINAPI PrivilegeCheck(HANDLE ClientToken, PPRIVILEGE_SET RequiredPrivileges, LPBOOL pfResult)
{
    struct fs_call call;
    fs_call_begin(&call, "PrivilegeCheck");
    fs_trace_handle(&call.trace, "ClientToken", (uintptr_t)ClientToken);
    if (fs_call_proceed(&call))
        call.err = PrivilegeCheck_body(ClientToken, RequiredPrivileges, pfResult, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "pfResult", (uint64_t)*pfResult);
    return fs_call_end_bool(&call);
}

/* ---- SetTokenInformation ---- */

static fs_err SetTokenInformation_body(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS cls, LPVOID info, DWORD len,
                                       const char *api)
{
    DWORD need;
    size_t size;
    switch ((int)cls) { /* only the settable classes */
    case TokenOwner: need = TOKEN_ADJUST_DEFAULT; size = sizeof(TOKEN_OWNER); break;
    case TokenPrimaryGroup: need = TOKEN_ADJUST_DEFAULT; size = sizeof(TOKEN_PRIMARY_GROUP); break;
    case TokenDefaultDacl: need = TOKEN_ADJUST_DEFAULT; size = sizeof(TOKEN_DEFAULT_DACL); break;
    case TokenSessionId: need = TOKEN_ADJUST_SESSIONID | TOKEN_ADJUST_DEFAULT; size = sizeof(DWORD); break;
    default: return FS_E_INVALID_PARAMETER;
    }
    if (len < size)
        return FS_E_BAD_LENGTH;
    if (!info)
        return FS_E_NOACCESS;
    struct fs_token *t;
    fs_err err = fs_api_token(TokenHandle, need, api, &t, NULL);
    if (err != FS_OK)
        return err;
    switch ((int)cls) { /* only the settable classes */
    case TokenOwner: {
        PSID sid = ((TOKEN_OWNER *)info)->Owner;
        err = fs_sid_is_valid(sid) ? fs_token_set_owner(t, sid) : FS_E_INVALID_SID;
        break;
    }
    case TokenPrimaryGroup: {
        PSID sid = ((TOKEN_PRIMARY_GROUP *)info)->PrimaryGroup;
        err = fs_sid_is_valid(sid) ? fs_token_set_primary_group(t, sid) : FS_E_INVALID_SID;
        break;
    }
    case TokenDefaultDacl: {
        const ACL *acl = ((TOKEN_DEFAULT_DACL *)info)->DefaultDacl;
        /* Its AclSize is believed only once the ACL is whole: GetTokenInformation hands it back. */
        err = acl && !fs_acl_is_valid(acl) ? FS_E_INVALID_ACL : fs_token_set_default_dacl(t, acl, acl ? acl->AclSize : 0);
        break;
    }
    default: { /* TokenSessionId: SeTcbPrivilege, enabled, in the caller's own token */
        DWORD session;
        memcpy(&session, info, sizeof session);
        struct fs_token *self = fs_effective_token();
        int tcb = self && fs_token_has_enabled_privilege(self, fs_privilege_luid("SeTcbPrivilege"));
        fs_token_unref(self);
        err = tcb ? fs_token_set_session(t, session) : FS_E_PRIVILEGE_NOT_HELD;
        break;
    }
    }
    fs_token_unref(t);
    return err;
}

BOOL WINAPI SetTokenInformation(HANDLE TokenHandle, TOKEN_INFORMATION_CLASS TokenInformationClass,
                                LPVOID TokenInformation, DWORD TokenInformationLength)
{
    struct fs_call call;
    fs_call_begin(&call, "SetTokenInformation");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_value(&call.trace, "TokenInformationClass", FS_NAMES_TOKEN_INFORMATION_CLASS,
                   (uint32_t)TokenInformationClass);
    fs_trace_number(&call.trace, "TokenInformationLength", TokenInformationLength);
    if (fs_call_proceed(&call))
        call.err = SetTokenInformation_body(TokenHandle, TokenInformationClass, TokenInformation,
                                            TokenInformationLength, call.api);
    return fs_call_end_bool(&call);
}

/* ---- the thread's token ---- */

static fs_err ImpersonateSelf_body(SECURITY_IMPERSONATION_LEVEL level)
{
    if ((int)level < SecurityAnonymous || (int)level > SecurityDelegation)
        return FS_E_BAD_IMPERSONATION_LEVEL;
    struct fs_token *self = fs_process_token();
    if (!self)
        return FS_E_NO_SUCH_LOGON_SESSION;
    struct fs_token *copy = NULL;
    fs_err err = fs_token_duplicate(self, TokenImpersonation, (int)level, &copy);
    fs_token_unref(self);
    if (err == FS_OK)
        err = fs_impersonate(copy);
    fs_token_unref(copy);
    return err;
}

BOOL WINAPI ImpersonateSelf(SECURITY_IMPERSONATION_LEVEL ImpersonationLevel)
{
    struct fs_call call;
    fs_call_begin(&call, "ImpersonateSelf");
    fs_trace_value(&call.trace, "ImpersonationLevel", FS_NAMES_IMPERSONATION_LEVEL, (uint32_t)ImpersonationLevel);
    if (fs_call_proceed(&call))
        call.err = ImpersonateSelf_body(ImpersonationLevel);
    return fs_call_end_bool(&call);
}

/* Only the calling thread exists for us: Thread is NULL or points at its handle. A NULL Token reverts. */
static fs_err SetThreadToken_body(PHANDLE Thread, HANDLE Token, const char *api)
{
    if (Thread) {
        struct fs_object *thread;
        fs_err err = fs_handle_get(fs_handle_key((uintptr_t)*Thread), &fs_thread_ops, 0, api, &thread, NULL);
        if (err != FS_OK)
            return err;
        fs_object_unref(thread);
    }
    if (!Token) {
        fs_revert_to_self();
        return FS_OK;
    }
    struct fs_token *t;
    fs_err err = fs_api_token(Token, TOKEN_IMPERSONATE, api, &t, NULL);
    if (err != FS_OK)
        return err;
    err = t->type == TokenImpersonation ? fs_impersonate(t) : FS_E_BAD_TOKEN_TYPE;
    fs_token_unref(t);
    return err;
}

BOOL WINAPI SetThreadToken(PHANDLE Thread, HANDLE Token)
{
    struct fs_call call;
    fs_call_begin(&call, "SetThreadToken");
    fs_trace_handle(&call.trace, "Token", (uintptr_t)Token);
    if (fs_call_proceed(&call))
        call.err = SetThreadToken_body(Thread, Token, call.api);
    return fs_call_end_bool(&call);
}
