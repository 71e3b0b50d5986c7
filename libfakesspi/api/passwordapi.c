/* ChangeAccountPasswordA/W: a password change in the running fake domain (doc/semantics.md §52). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/utf.h"
#include "packages/package.h"
#include "security/domain_current.h"

/* The packages whose domain controller changes passwords: MSV1_0 (NTLM), Kerberos, and Negotiate over them. */
static fs_err change(const char *package, const char *domain, const char *account, const char *old_password,
                     const char *new_password)
{
    if (!package || !fs_package_find(package))
        return FS_E_SECPKG_NOT_FOUND;
    if (fs_ascii_casecmp(package, "NTLM") && fs_ascii_casecmp(package, "Kerberos") &&
        fs_ascii_casecmp(package, "Negotiate"))
        return FS_E_NOT_SUPPORTED;
    if (!account || !old_password || !new_password || !fs_utf8_is_valid(new_password, strlen(new_password)))
        return FS_E_INVALID_PARAMETER;
    /* Kerberos and Negotiate change it through the KDC (RFC 3244), NTLM through the SAM (doc/semantics.md §57.5). */
    fs_err err = fs_domain_current_change_password(account, domain, old_password, new_password,
                                                   fs_ascii_casecmp(package, "NTLM") != 0);
    /* A wrong old password is the logon's STATUS_WRONG_PASSWORD, which SSPI reports as SEC_E_LOGON_DENIED. */
    return err == FS_E_WRONG_PASSWORD ? FS_E_LOGON_DENIED : err;
}

/* Traced without either password, which never go into a trace. pOutput is left as it is: the emulation has no
 * response to give (doc/semantics.md §52). */
static SECURITY_STATUS traced_change(struct fs_call *call, const char *package, const char *domain, const char *account,
                                     const char *old_password, const char *new_password, int narrow_failed,
                                     BOOLEAN impersonating)
{
    fs_trace_string(&call->trace, "pszPackageName", package);
    fs_trace_string(&call->trace, "pszDomainName", domain);
    fs_trace_string(&call->trace, "pszAccountName", account);
    fs_trace_number(&call->trace, "bImpersonating", impersonating);
    if (fs_call_proceed(call))
        call->err = narrow_failed ? FS_E_NOMEM : change(package, domain, account, old_password, new_password);
    return fs_call_end_status(call);
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName,
                                                 SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
                                                 SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating, ULONG dwReserved,
                                                 PSecBufferDesc pOutput)
{
    (void)dwReserved;
    (void)pOutput;
    struct fs_call call;
    fs_call_begin(&call, "ChangeAccountPasswordA");
    return traced_change(&call, pszPackageName, pszDomainName, pszAccountName, pszOldPassword, pszNewPassword, 0,
                         bImpersonating);
}

static void free_secret(char *s)
{
    if (s) /* a copy of a secret: wiped before it goes */
        explicit_bzero(s, strlen(s));
    free(s);
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName, SEC_WCHAR *pszDomainName,
                                                 SEC_WCHAR *pszAccountName, SEC_WCHAR *pszOldPassword,
                                                 SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating, ULONG dwReserved,
                                                 PSecBufferDesc pOutput)
{
    (void)dwReserved;
    (void)pOutput;
    struct fs_call call;
    fs_call_begin(&call, "ChangeAccountPasswordW");
    int failed = 0;
    char *package = fs_api_narrow(pszPackageName, &failed);
    char *domain = fs_api_narrow(pszDomainName, &failed);
    char *account = fs_api_narrow(pszAccountName, &failed);
    char *old_password = fs_api_narrow(pszOldPassword, &failed);
    char *new_password = fs_api_narrow(pszNewPassword, &failed);
    SECURITY_STATUS st = traced_change(&call, package, domain, account, old_password, new_password, failed,
                                       bImpersonating);
    free(package);
    free(domain);
    free(account);
    free_secret(old_password);
    free_secret(new_password);
    return st;
}
