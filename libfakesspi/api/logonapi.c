/* LogonUserA/W: a password logon against the fake domain. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "security/logon.h"

static BOOL logon_untraced(const char *user, const char *domain, const char *password, DWORD type, DWORD provider,
                           PHANDLE token, const char *api);

/* Traced without the password, which never goes into a trace. */
static BOOL logon(const char *user, const char *domain, const char *password, DWORD type, DWORD provider,
                  PHANDLE token, const char *api)
{
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_string(&t, "lpszUsername", user);
    fs_trace_string(&t, "lpszDomain", domain);
    fs_trace_number(&t, "dwLogonType", type);
    BOOL ok = logon_untraced(user, domain, password, type, provider, token, api);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_handle(&t, "phToken", (uintptr_t)*token);
    return fs_trace_bool(&t, ok);
}

static BOOL logon_untraced(const char *user, const char *domain, const char *password, DWORD type, DWORD provider,
                           PHANDLE token, const char *api)
{
    if (!token)
        return fs_fail(FS_E_NOACCESS);
    *token = NULL;
    if (provider > LOGON32_PROVIDER_VIRTUAL)
        return fs_fail(FS_E_INVALID_PARAMETER);
    struct fs_token *t;
    fs_err err = fs_logon_user(user, domain, password, type, &t);
    if (err != FS_OK)
        return fs_fail(err);
    HANDLE h;
    err = fs_api_open_token(t, TOKEN_ALL_ACCESS, api, &h);
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_fail(err);
    *token = h;
    return TRUE;
}

BOOL WINAPI LogonUserA(LPCSTR lpszUsername, LPCSTR lpszDomain, LPCSTR lpszPassword, DWORD dwLogonType,
                       DWORD dwLogonProvider, PHANDLE phToken)
{
    FS_FAULT_POINT_WIN32("LogonUserA");
    fs_api_enter();
    return logon(lpszUsername, lpszDomain, lpszPassword, dwLogonType, dwLogonProvider, phToken, "LogonUserA");
}

BOOL WINAPI LogonUserW(LPCWSTR lpszUsername, LPCWSTR lpszDomain, LPCWSTR lpszPassword, DWORD dwLogonType,
                       DWORD dwLogonProvider, PHANDLE phToken)
{
    FS_FAULT_POINT_WIN32("LogonUserW");
    fs_api_enter();
    int failed = 0;
    char *user = fs_api_narrow(lpszUsername, &failed);
    char *domain = fs_api_narrow(lpszDomain, &failed);
    char *password = fs_api_narrow(lpszPassword, &failed);
    BOOL ok = failed ? fs_fail(FS_E_NOMEM)
                     : logon(user, domain, password, dwLogonType, dwLogonProvider, phToken, "LogonUserW");
    free(user);
    free(domain);
    if (password) /* a copy of a secret: wiped before it goes */
        explicit_bzero(password, strlen(password));
    free(password);
    return ok;
}
