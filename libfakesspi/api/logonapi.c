/* LogonUserA/W: a password logon against the fake domain. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "security/logon.h"

static fs_err logon(const char *user, const char *domain, const char *password, DWORD type, DWORD provider,
                    PHANDLE token, const char *api)
{
    if (!token)
        return FS_E_NOACCESS;
    *token = NULL;
    if (provider > LOGON32_PROVIDER_VIRTUAL)
        return FS_E_INVALID_PARAMETER;
    struct fs_token *t;
    /* WINNT35 and WINNT40 are NTLM; the default and WINNT50 are Negotiate, which logs on with Kerberos. */
    int ntlm = provider == LOGON32_PROVIDER_WINNT35 || provider == LOGON32_PROVIDER_WINNT40;
    fs_err err = fs_logon_user(user, domain, password, type, ntlm, &t);
    if (err != FS_OK)
        return err;
    HANDLE h;
    err = fs_api_open_token(t, TOKEN_ALL_ACCESS, api, &h);
    fs_token_unref(t);
    if (err == FS_OK)
        *token = h;
    return err;
}

/* Traced without the password, which never goes into a trace. */
static BOOL traced_logon(struct fs_call *call, const char *user, const char *domain, const char *password,
                         int narrow_failed, DWORD type, DWORD provider, PHANDLE token)
{
    fs_trace_string(&call->trace, "lpszUsername", user);
    fs_trace_string(&call->trace, "lpszDomain", domain);
    fs_trace_value(&call->trace, "dwLogonType", FS_NAMES_LOGON_TYPE, type);
    if (fs_call_proceed(call))
        call->err = narrow_failed ? FS_E_NOMEM : logon(user, domain, password, type, provider, token, call->api);
    if (fs_call_outputs(call))
        fs_trace_handle(&call->trace, "phToken", (uintptr_t)*token);
    return fs_call_end_bool(call);
}

BOOL WINAPI LogonUserA(LPCSTR lpszUsername, LPCSTR lpszDomain, LPCSTR lpszPassword, DWORD dwLogonType,
                       DWORD dwLogonProvider, PHANDLE phToken)
{
    struct fs_call call;
    fs_call_begin(&call, "LogonUserA");
    return traced_logon(&call, lpszUsername, lpszDomain, lpszPassword, 0, dwLogonType, dwLogonProvider, phToken);
}

BOOL WINAPI LogonUserW(LPCWSTR lpszUsername, LPCWSTR lpszDomain, LPCWSTR lpszPassword, DWORD dwLogonType,
                       DWORD dwLogonProvider, PHANDLE phToken)
{
    struct fs_call call;
    fs_call_begin(&call, "LogonUserW");
    int failed = 0;
    char *user = fs_api_narrow(lpszUsername, &failed);
    char *domain = fs_api_narrow(lpszDomain, &failed);
    char *password = fs_api_narrow(lpszPassword, &failed);
    BOOL ok = traced_logon(&call, user, domain, password, failed, dwLogonType, dwLogonProvider, phToken);
    free(user);
    free(domain);
    if (password) /* a copy of a secret: wiped before it goes */
        explicit_bzero(password, strlen(password));
    free(password);
    return ok;
}
