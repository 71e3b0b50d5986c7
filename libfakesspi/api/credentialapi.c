/* Packages, credentials and FreeContextBuffer. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "api.h"
#include "authidentity.h"
#include "core/clock.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "core/script.h"
#include "sspi/buffers.h"
#include "sspi/package_info.h"
#include "sechandle.h"

static fs_err enumerate(ULONG *count, void **info, int wide, const char *api)
{
    if (!count || !info)
        return FS_E_INVALID_PARAMETER;
    void *all = fs_package_info_all(wide, count, api);
    if (!all)
        return FS_E_NOMEM;
    *info = all;
    return FS_OK;
}

static SECURITY_STATUS traced_enumerate(const char *api, ULONG *count, void **info, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = enumerate(count, info, wide, api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "pcPackages", *count);
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo)
{
    return traced_enumerate("EnumerateSecurityPackagesA", pcPackages, (void **)ppPackageInfo, 0);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo)
{
    return traced_enumerate("EnumerateSecurityPackagesW", pcPackages, (void **)ppPackageInfo, 1);
}

/* *ppPackageInfo stays untouched for an unknown name (Wine's test against Windows). A test's script
 * (fakesspi_script_max_token) may choose the cbMaxToken reported: *scripted is then 1. */
static fs_err package_info(const char *name, void **out, int wide, int *scripted, const char *api)
{
    const struct fs_package *pkg = fs_package_find(name);
    if (!pkg)
        return FS_E_SECPKG_NOT_FOUND;
    if (!out)
        return FS_E_INVALID_PARAMETER;
    void *info = fs_package_info(pkg, wide, api);
    if (!info)
        return FS_E_NOMEM;
    uint32_t max_token;
    if ((*scripted = fs_script_max_token(pkg->name, &max_token))) {
        if (wide)
            ((PSecPkgInfoW)info)->cbMaxToken = max_token;
        else
            ((PSecPkgInfoA)info)->cbMaxToken = max_token;
    }
    *out = info;
    return FS_OK;
}

static SECURITY_STATUS traced_package_info(struct fs_call *call, const char *name, int name_failed, void **out,
                                           int wide)
{
    fs_trace_string(&call->trace, "pszPackageName", name);
    if (fs_call_proceed(call))
        call->err = name_failed ? FS_E_NOMEM : package_info(name, out, wide, &call->scripted, call->api);
    if (fs_call_outputs(call))
        fs_trace_number(&call->trace, "cbMaxToken", wide ? (*(PSecPkgInfoW *)out)->cbMaxToken
                                                          : (*(PSecPkgInfoA *)out)->cbMaxToken);
    return fs_call_end_status(call);
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName, PSecPkgInfoA *ppPackageInfo)
{
    struct fs_call call;
    fs_call_begin(&call, "QuerySecurityPackageInfoA");
    return traced_package_info(&call, pszPackageName, 0, (void **)ppPackageInfo, 0);
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName, PSecPkgInfoW *ppPackageInfo)
{
    struct fs_call call;
    fs_call_begin(&call, "QuerySecurityPackageInfoW");
    int failed = 0;
    char *name = fs_api_narrow(pszPackageName, &failed);
    SECURITY_STATUS st = traced_package_info(&call, name, failed, (void **)ppPackageInfo, 1);
    free(name);
    return st;
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer)
{
    struct fs_call call;
    fs_call_begin(&call, "FreeContextBuffer"); /* the pointer is not shown: it would differ run to run */
    /* Memory we did not hand out is reported (FOREIGN_FREE) and left alone; Windows returns
     * SEC_E_OK here whatever it is given (doc/semantics.md §15). */
    if (fs_call_proceed(&call) && pvContextBuffer) {
        fs_err freed = fs_mem_free(pvContextBuffer, FS_MEM_CONTEXT_BUFFER, call.api);
        (void)freed; /* reported as misuse inside; the status stays SEC_E_OK */
    }
    return fs_call_end_status(&call);
}

struct identity_strings {
    char *user, *domain, *password, *packages;
};

static void free_identity(struct identity_strings *s)
{
    free(s->user);
    free(s->domain);
    if (s->password)
        explicit_bzero(s->password, strlen(s->password));
    free(s->password);
    free(s->packages);
}

/* SEC_WINNT_AUTH_IDENTITY_A/W or _EXA/W, whatever an _EX's Length says (doc/semantics.md §1), as UTF-8
 * strings for the logon. */
static fs_err read_identity(const void *auth, struct identity_strings *out)
{
    memset(out, 0, sizeof *out);
    struct fs_auth_identity id;
    fs_err err = fs_auth_identity_read(auth, 0, &id);
    if (err == FS_OK)
        err = fs_auth_string_utf8(&id.user, id.unicode, &out->user);
    if (err == FS_OK)
        err = fs_auth_string_utf8(&id.domain, id.unicode, &out->domain);
    if (err == FS_OK)
        err = fs_auth_string_utf8(&id.password, id.unicode, &out->password);
    if (err == FS_OK)
        err = fs_auth_string_utf8(&id.packages, id.unicode, &out->packages);
    return err;
}

static fs_err acquire(const char *package, ULONG use, void *auth, PCredHandle out, PTimeStamp expiry,
                      const char *api)
{
    const struct fs_package *pkg = fs_package_find(package);
    if (!pkg)
        return FS_E_SECPKG_NOT_FOUND;
    ULONG direction = use & SECPKG_CRED_BOTH;
    if (!direction || (use & ~(ULONG)(SECPKG_CRED_BOTH | SECPKG_CRED_DEFAULT | SECPKG_CRED_AUTOLOGON_RESTRICTED |
                                      SECPKG_CRED_PROCESS_POLICY_ONLY)))
        return FS_E_UNKNOWN_CREDENTIALS;
    if (!out)
        return FS_E_INVALID_HANDLE;
    struct identity_strings ids = {0};
    fs_err err = auth ? read_identity(auth, &ids) : FS_OK;
    struct fs_credential *cred = NULL;
    if (err == FS_OK) {
        struct fs_explicit_identity e = {.user = ids.user, .domain = ids.domain, .password = ids.password,
                                         .package_list = ids.packages};
        err = fs_credential_acquire(pkg, direction, auth ? &e : NULL, &cred);
    }
    free_identity(&ids);
    uint64_t expires = (uint64_t)FS_TIME_NEVER;
    if (err == FS_OK) {
        /* NTLM's never expire; Kerberos' with their TGT, in local time: UTC here (doc/semantics.md §62) */
        expires = fs_credential_expiry(cred);
        err = fs_api_open_sec_handle(&cred->base, pkg, api, out);
        fs_object_unref(&cred->base);
    }
    if (err == FS_OK && expiry)
        expiry->QuadPart = (LONGLONG)expires;
    return err;
}

static SECURITY_STATUS traced_acquire(struct fs_call *call, const char *package, int package_failed, ULONG use,
                                      void *auth, PCredHandle out, PTimeStamp expiry)
{
    fs_trace_string(&call->trace, "pszPackage", package);
    fs_trace_value(&call->trace, "fCredentialUse", FS_NAMES_SECPKG_CRED, use);
    fs_trace_string(&call->trace, "pAuthData", auth ? "an identity" : NULL);
    if (fs_call_proceed(call))
        call->err = package_failed ? FS_E_NOMEM : acquire(package, use, auth, out, expiry, call->api);
    if (fs_call_outputs(call))
        fs_trace_sec_handle(&call->trace, "phCredential", out);
    return fs_call_end_status(call);
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage, ULONG fCredentialUse,
                                                    PVOID pvLogonId, PVOID pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    PVOID pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    (void)pszPrincipal, (void)pvLogonId, (void)pGetKeyFn, (void)pvGetKeyArgument;
    struct fs_call call;
    fs_call_begin(&call, "AcquireCredentialsHandleA");
    return traced_acquire(&call, pszPackage, 0, fCredentialUse, pAuthData, phCredential, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage, ULONG fCredentialUse,
                                                    PVOID pvLogonId, PVOID pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    PVOID pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    (void)pszPrincipal, (void)pvLogonId, (void)pGetKeyFn, (void)pvGetKeyArgument;
    struct fs_call call;
    fs_call_begin(&call, "AcquireCredentialsHandleW");
    int failed = 0;
    char *package = fs_api_narrow(pszPackage, &failed);
    SECURITY_STATUS st = traced_acquire(&call, package, failed, fCredentialUse, pAuthData, phCredential, ptsExpiry);
    free(package);
    return st;
}

/* Contexts made from it keep their own reference (doc/semantics.md §6). */
static fs_err free_credential(PCredHandle h, const char *api)
{
    struct fs_object *taken;
    fs_err err = fs_api_close_sec_handle(h, &fs_credential_ops, api, &taken);
    fs_object_unref(taken);
    return err;
}

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    struct fs_call call;
    fs_call_begin(&call, "FreeCredentialsHandle");
    fs_trace_sec_handle(&call.trace, "phCredential", phCredential);
    if (fs_call_proceed(&call))
        call.err = free_credential(phCredential, call.api);
    return fs_call_end_status(&call);
}

static fs_err query_credential(PCredHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    struct fs_credential *cred;
    fs_err err = fs_api_credential(h, api, &cred);
    if (err != FS_OK)
        return err;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        err = FS_E_NOT_SUPPORTED;
    else if (!buf)
        err = FS_E_INVALID_PARAMETER;
    else if (!(((SecPkgCredentials_NamesA *)buf)->sUserName = fs_context_string(cred->name, wide, api)))
        err = FS_E_NOMEM;
    fs_object_unref(&cred->base);
    return err;
}

static SECURITY_STATUS traced_query_credential(const char *api, PCredHandle h, ULONG attr, void *buf, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sec_handle(&call.trace, "phCredential", h);
    fs_trace_value(&call.trace, "ulAttribute", FS_NAMES_SECPKG_CRED_ATTR, attr);
    if (fs_call_proceed(&call))
        call.err = query_credential(h, attr, buf, wide, api);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "sUserName", ((SecPkgCredentials_NamesA *)buf)->sUserName, wide);
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute, PVOID pBuffer)
{
    return traced_query_credential("QueryCredentialsAttributesA", phCredential, ulAttribute, pBuffer, 0);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute, PVOID pBuffer)
{
    return traced_query_credential("QueryCredentialsAttributesW", phCredential, ulAttribute, pBuffer, 1);
}
