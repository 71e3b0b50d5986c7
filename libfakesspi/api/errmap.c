/* The one mapping of internal errors to Win32 last-error values and SECURITY_STATUS. */
#include "api.h"
#include "core/lasterror.h"
#include "core/names.h"
#include <stdio.h>

DWORD fs_win32_error(fs_err err)
{
    switch (err) {
    case FS_OK: return ERROR_SUCCESS;
    case FS_E_NOMEM: return ERROR_NOT_ENOUGH_MEMORY;
    case FS_E_INVALID_HANDLE: return ERROR_INVALID_HANDLE;
    case FS_E_INVALID_PARAMETER: return ERROR_INVALID_PARAMETER;
    case FS_E_INSUFFICIENT_BUFFER: return ERROR_INSUFFICIENT_BUFFER;
    case FS_E_BAD_LENGTH: return ERROR_BAD_LENGTH;
    case FS_E_ACCESS_DENIED: return ERROR_ACCESS_DENIED;
    case FS_E_NOACCESS: return ERROR_NOACCESS;
    case FS_E_NO_TOKEN: return ERROR_NO_TOKEN;
    case FS_E_LOGON_FAILURE: return ERROR_LOGON_FAILURE;
    case FS_E_ACCOUNT_DISABLED: return ERROR_ACCOUNT_DISABLED;
    case FS_E_ACCOUNT_EXPIRED: return ERROR_ACCOUNT_EXPIRED;
    case FS_E_LOGON_TYPE_NOT_GRANTED: return ERROR_LOGON_TYPE_NOT_GRANTED;
    case FS_E_NONE_MAPPED: return ERROR_NONE_MAPPED;
    case FS_E_INVALID_SID: return ERROR_INVALID_SID;
    case FS_E_NO_SUCH_USER: return ERROR_NO_SUCH_USER;
    case FS_E_NO_SUCH_DOMAIN: return ERROR_NO_SUCH_DOMAIN;
    case FS_E_BAD_IMPERSONATION_LEVEL: return ERROR_BAD_IMPERSONATION_LEVEL;
    case FS_E_NO_IMPERSONATION_TOKEN: return ERROR_NO_IMPERSONATION_TOKEN;
    case FS_E_CANT_OPEN_ANONYMOUS: return ERROR_CANT_OPEN_ANONYMOUS;
    case FS_E_BAD_TOKEN_TYPE: return ERROR_BAD_TOKEN_TYPE;
    case FS_E_NOT_FOUND: return ERROR_NOT_FOUND;
    case FS_E_NOT_SUPPORTED: return ERROR_NOT_SUPPORTED;
    case FS_E_INVALID_FLAGS: return ERROR_INVALID_FLAGS;
    case FS_E_NO_UNICODE_TRANSLATION: return ERROR_NO_UNICODE_TRANSLATION;
    case FS_E_MORE_DATA: return ERROR_MORE_DATA;
    case FS_E_NO_SUCH_LOGON_SESSION: return ERROR_NO_SUCH_LOGON_SESSION;
    case FS_E_BUFFER_OVERFLOW: return ERROR_BUFFER_OVERFLOW;
    case FS_E_SERVER_UNAVAILABLE: return RPC_S_SERVER_UNAVAILABLE;
    /* A domain file that failed to load behaves like an unreachable domain controller. */
    case FS_E_DOMAIN_UNUSABLE: return ERROR_NO_LOGON_SERVERS;
    /* SSPI outcomes reach a last-error only through Win32 wrappers; HRESULT-style, as Windows does. */
    case FS_E_INVALID_TOKEN: return (DWORD)SEC_E_INVALID_TOKEN;
    case FS_E_OUT_OF_SEQUENCE: return (DWORD)SEC_E_OUT_OF_SEQUENCE;
    case FS_E_MESSAGE_ALTERED: return (DWORD)SEC_E_MESSAGE_ALTERED;
    case FS_E_BAD_BINDINGS: return (DWORD)SEC_E_BAD_BINDINGS;
    case FS_E_QOP_NOT_SUPPORTED: return (DWORD)SEC_E_QOP_NOT_SUPPORTED;
    case FS_E_CONTEXT_EXPIRED: return (DWORD)SEC_E_CONTEXT_EXPIRED;
    case FS_E_NO_CREDENTIALS: return (DWORD)SEC_E_NO_CREDENTIALS;
    case FS_E_UNKNOWN_CREDENTIALS: return (DWORD)SEC_E_UNKNOWN_CREDENTIALS;
    case FS_E_SECPKG_NOT_FOUND: return (DWORD)SEC_E_SECPKG_NOT_FOUND;
    case FS_E_LOGON_DENIED: return ERROR_LOGON_FAILURE;
    case FS_E_NO_IMPERSONATION: return (DWORD)SEC_E_NO_IMPERSONATION;
    case FS_E_INTERNAL: return (DWORD)SEC_E_INTERNAL_ERROR;
    case FS_E_TARGET_UNKNOWN: return (DWORD)SEC_E_TARGET_UNKNOWN;
    case FS_E_WRONG_PRINCIPAL: return (DWORD)SEC_E_WRONG_PRINCIPAL;
    case FS_E_TIME_SKEW: return (DWORD)SEC_E_TIME_SKEW;
    case FS_E_MUTUAL_AUTH_FAILED: return (DWORD)SEC_E_MUTUAL_AUTH_FAILED;
    case FS_E_INVALID_DATA: return ERROR_INVALID_DATA;
    case FS_E_DOWNGRADE_DETECTED: return (DWORD)SEC_E_DOWNGRADE_DETECTED;
    }
    return ERROR_INVALID_FUNCTION;
}

SECURITY_STATUS fs_sec_status(fs_err err)
{
    switch (err) {
    case FS_OK: return SEC_E_OK;
    case FS_E_NOMEM: return SEC_E_INSUFFICIENT_MEMORY;
    case FS_E_INVALID_HANDLE: return SEC_E_INVALID_HANDLE;
    case FS_E_INVALID_PARAMETER: return SEC_E_INVALID_PARAMETER;
    case FS_E_INSUFFICIENT_BUFFER: case FS_E_BUFFER_OVERFLOW: case FS_E_MORE_DATA: case FS_E_BAD_LENGTH:
        return SEC_E_BUFFER_TOO_SMALL;
    case FS_E_LOGON_FAILURE: case FS_E_ACCOUNT_DISABLED: case FS_E_ACCOUNT_EXPIRED:
    case FS_E_LOGON_TYPE_NOT_GRANTED: case FS_E_NO_SUCH_USER:
        return SEC_E_LOGON_DENIED;
    case FS_E_NO_TOKEN: case FS_E_NO_IMPERSONATION_TOKEN: case FS_E_CANT_OPEN_ANONYMOUS:
        return SEC_E_NO_IMPERSONATION;
    case FS_E_NOT_SUPPORTED: return SEC_E_UNSUPPORTED_FUNCTION;
    case FS_E_DOMAIN_UNUSABLE: case FS_E_NO_SUCH_DOMAIN: case FS_E_SERVER_UNAVAILABLE:
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case FS_E_INVALID_TOKEN: return SEC_E_INVALID_TOKEN;
    case FS_E_OUT_OF_SEQUENCE: return SEC_E_OUT_OF_SEQUENCE;
    case FS_E_MESSAGE_ALTERED: return SEC_E_MESSAGE_ALTERED;
    case FS_E_BAD_BINDINGS: return SEC_E_BAD_BINDINGS;
    case FS_E_QOP_NOT_SUPPORTED: return SEC_E_QOP_NOT_SUPPORTED;
    case FS_E_CONTEXT_EXPIRED: return SEC_E_CONTEXT_EXPIRED;
    case FS_E_NO_CREDENTIALS: return SEC_E_NO_CREDENTIALS;
    case FS_E_UNKNOWN_CREDENTIALS: return SEC_E_UNKNOWN_CREDENTIALS;
    case FS_E_SECPKG_NOT_FOUND: return SEC_E_SECPKG_NOT_FOUND;
    case FS_E_LOGON_DENIED: return SEC_E_LOGON_DENIED;
    case FS_E_NO_IMPERSONATION: return SEC_E_NO_IMPERSONATION;
    case FS_E_TARGET_UNKNOWN: return SEC_E_TARGET_UNKNOWN;
    case FS_E_WRONG_PRINCIPAL: return SEC_E_WRONG_PRINCIPAL;
    case FS_E_TIME_SKEW: return SEC_E_TIME_SKEW;
    case FS_E_MUTUAL_AUTH_FAILED: return SEC_E_MUTUAL_AUTH_FAILED;
    case FS_E_DOWNGRADE_DETECTED: return SEC_E_DOWNGRADE_DETECTED;
    case FS_E_ACCESS_DENIED: return SEC_E_NOT_OWNER;
    default: return SEC_E_INTERNAL_ERROR;
    }
}

BOOL fs_fail(fs_err err)
{
    fs_last_error_set(fs_win32_error(err));
    return FALSE;
}

SECURITY_STATUS fs_trace_status(struct fs_trace *t, SECURITY_STATUS st)
{
    if (t->on) {
        const char *name = fs_status_name(st);
        char text[32];
        snprintf(text, sizeof text, "%#010x", (unsigned)st);
        fs_trace_end(t, name ? name : text);
    }
    return st;
}

BOOL fs_trace_bool(struct fs_trace *t, BOOL ok)
{
    if (t->on) {
        DWORD e = fs_last_error_get();
        const char *name = fs_error_name(e);
        char text[96];
        if (ok)
            snprintf(text, sizeof text, "TRUE");
        else if (name)
            snprintf(text, sizeof text, "FALSE (%s)", name);
        else
            snprintf(text, sizeof text, "FALSE (error %lu)", (unsigned long)e);
        fs_trace_end(t, text);
    }
    return ok;
}
