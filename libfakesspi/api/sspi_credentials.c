/* Packages, credentials and FreeContextBuffer. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "api.h"
#include "core/clock.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "sspi/buffers.h"
#include "sspi/package_info.h"
#include "sspihandle.h"

static SECURITY_STATUS enumerate_untraced(ULONG *count, void **info, int wide, const char *api)
{
    fs_api_enter();
    if (!count || !info)
        return SEC_E_INVALID_PARAMETER;
    void *all = fs_package_info_all(wide, count, api);
    if (!all)
        return SEC_E_INSUFFICIENT_MEMORY;
    *info = all;
    return SEC_E_OK;
}

static SECURITY_STATUS enumerate(ULONG *count, void **info, int wide, const char *api)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, api);
    SECURITY_STATUS st = enumerate_untraced(count, info, wide, api);
    fs_trace_outputs(&t);
    if (st == SEC_E_OK)
        fs_trace_number(&t, "pcPackages", *count);
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo)
{
    return enumerate(pcPackages, (void **)ppPackageInfo, 0, "EnumerateSecurityPackagesA");
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo)
{
    return enumerate(pcPackages, (void **)ppPackageInfo, 1, "EnumerateSecurityPackagesW");
}

/* *ppPackageInfo stays untouched for an unknown name (Wine's test against Windows). */
static SECURITY_STATUS package_info_untraced(const char *name, void **out, int wide, const char *api)
{
    const struct fs_package *pkg = fs_package_find(name);
    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    if (!out)
        return SEC_E_INVALID_PARAMETER;
    void *info = fs_package_info(pkg, wide, api);
    if (!info)
        return SEC_E_INSUFFICIENT_MEMORY;
    *out = info;
    return SEC_E_OK;
}

static SECURITY_STATUS package_info(const char *name, void **out, int wide, const char *api)
{
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_string(&t, "pszPackageName", name);
    return fs_trace_status(&t, package_info_untraced(name, out, wide, api));
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName, PSecPkgInfoA *ppPackageInfo)
{
    fs_api_enter();
    return package_info(pszPackageName, (void **)ppPackageInfo, 0, "QuerySecurityPackageInfoA");
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName, PSecPkgInfoW *ppPackageInfo)
{
    fs_api_enter();
    int failed = 0;
    char *name = fs_api_narrow(pszPackageName, &failed);
    SECURITY_STATUS st = failed ? SEC_E_INSUFFICIENT_MEMORY
                                : package_info(name, (void **)ppPackageInfo, 1, "QuerySecurityPackageInfoW");
    free(name);
    return st;
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(PVOID pvContextBuffer)
{
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, "FreeContextBuffer"); /* the pointer is not shown: it would differ run to run */
    /* Memory we did not hand out is reported (FOREIGN_FREE) and left alone; Windows returns
     * SEC_E_OK here whatever it is given (doc/semantics.md §15). */
    if (pvContextBuffer)
        fs_mem_free(pvContextBuffer, FS_MEM_CONTEXT_BUFFER, "FreeContextBuffer");
    return fs_trace_status(&t, SEC_E_OK);
}

/* One string of a SEC_WINNT_AUTH_IDENTITY: ANSI (UTF-8 here) or UTF-16, length in characters. */
static char *identity_string(const void *p, ULONG len, int unicode, int *failed)
{
    if (!p)
        return NULL;
    size_t n;
    char *s;
    if (!unicode) {
        s = fs_strndup(p, len);
    } else {
        fs_utf16_to_utf8(p, len, NULL, 0, &n, 0);
        s = fs_malloc(n + 1);
        if (s) {
            fs_utf16_to_utf8(p, len, s, n, &n, 0);
            s[n] = '\0';
        }
    }
    if (!s)
        *failed = 1;
    return s;
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

/* SEC_WINNT_AUTH_IDENTITY_A/W or _EXA/W; the EX form announces itself by Version (doc/semantics.md §1). */
static fs_err read_identity(const void *auth, struct identity_strings *out)
{
    memset(out, 0, sizeof *out);
    ULONG version;
    memcpy(&version, auth, sizeof version);
    int failed = 0;
    if (version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        const SEC_WINNT_AUTH_IDENTITY_EXW *ex = auth;
        if (ex->Length < sizeof *ex)
            return FS_E_UNKNOWN_CREDENTIALS;
        int unicode = (ex->Flags & SEC_WINNT_AUTH_IDENTITY_UNICODE) != 0;
        if (!unicode && !(ex->Flags & SEC_WINNT_AUTH_IDENTITY_ANSI))
            return FS_E_UNKNOWN_CREDENTIALS;
        out->user = identity_string(ex->User, ex->UserLength, unicode, &failed);
        out->domain = identity_string(ex->Domain, ex->DomainLength, unicode, &failed);
        out->password = identity_string(ex->Password, ex->PasswordLength, unicode, &failed);
        out->packages = identity_string(ex->PackageList, ex->PackageListLength, unicode, &failed);
    } else if (version == SEC_WINNT_AUTH_IDENTITY_VERSION_2) {
        return FS_E_UNKNOWN_CREDENTIALS; /* packed EX2 identities: not emulated */
    } else {
        const SEC_WINNT_AUTH_IDENTITY_W *id = auth;
        int unicode = (id->Flags & SEC_WINNT_AUTH_IDENTITY_UNICODE) != 0;
        if (!unicode && !(id->Flags & SEC_WINNT_AUTH_IDENTITY_ANSI))
            return FS_E_UNKNOWN_CREDENTIALS;
        out->user = identity_string(id->User, id->UserLength, unicode, &failed);
        out->domain = identity_string(id->Domain, id->DomainLength, unicode, &failed);
        out->password = identity_string(id->Password, id->PasswordLength, unicode, &failed);
    }
    return failed ? FS_E_NOMEM : FS_OK;
}

static SECURITY_STATUS acquire_untraced(const char *package, ULONG use, void *auth, PCredHandle out,
                                        PTimeStamp expiry, const char *api)
{
    const struct fs_package *pkg = fs_package_find(package);
    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    ULONG direction = use & SECPKG_CRED_BOTH;
    if (!direction || (use & ~(ULONG)(SECPKG_CRED_BOTH | SECPKG_CRED_DEFAULT | SECPKG_CRED_AUTOLOGON_RESTRICTED |
                                      SECPKG_CRED_PROCESS_POLICY_ONLY)))
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (!out)
        return SEC_E_INVALID_HANDLE;
    struct identity_strings ids = {0};
    fs_err err = auth ? read_identity(auth, &ids) : FS_OK;
    struct fs_credential *cred = NULL;
    if (err == FS_OK) {
        struct fs_explicit_identity e = {ids.user, ids.domain, ids.password, ids.packages};
        err = fs_credential_acquire(pkg, direction, auth ? &e : NULL, &cred);
    }
    free_identity(&ids);
    uintptr_t value = 0;
    if (err == FS_OK) {
        err = fs_handle_open(FS_HANDLE_CREDENTIAL, &cred->base, 0, api, &value);
        fs_object_unref(&cred->base);
    }
    if (err != FS_OK)
        return fs_sec_status(err);
    fs_api_set_handle(out, pkg, value);
    if (expiry)
        expiry->QuadPart = FS_TIME_NEVER; /* NTLM credentials do not expire */
    return SEC_E_OK;
}

static SECURITY_STATUS acquire(const char *package, ULONG use, void *auth, PCredHandle out, PTimeStamp expiry,
                               const char *api)
{
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_string(&t, "pszPackage", package);
    fs_trace_number(&t, "fCredentialUse", use);
    fs_trace_string(&t, "pAuthData", auth ? "an identity" : NULL);
    SECURITY_STATUS st = acquire_untraced(package, use, auth, out, expiry, api);
    fs_trace_outputs(&t);
    if (st == SEC_E_OK)
        fs_trace_sec_handle(&t, "phCredential", out);
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage, ULONG fCredentialUse,
                                                    PVOID pvLogonId, PVOID pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    PVOID pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    FS_FAULT_POINT_SSPI("AcquireCredentialsHandleA");
    (void)pszPrincipal, (void)pvLogonId, (void)pGetKeyFn, (void)pvGetKeyArgument;
    fs_api_enter();
    return acquire(pszPackage, fCredentialUse, pAuthData, phCredential, ptsExpiry, "AcquireCredentialsHandleA");
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage, ULONG fCredentialUse,
                                                    PVOID pvLogonId, PVOID pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    PVOID pvGetKeyArgument, PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    FS_FAULT_POINT_SSPI("AcquireCredentialsHandleW");
    (void)pszPrincipal, (void)pvLogonId, (void)pGetKeyFn, (void)pvGetKeyArgument;
    fs_api_enter();
    int failed = 0;
    char *package = fs_api_narrow(pszPackage, &failed);
    SECURITY_STATUS st = failed ? SEC_E_INSUFFICIENT_MEMORY
                                : acquire(package, fCredentialUse, pAuthData, phCredential, ptsExpiry,
                                          "AcquireCredentialsHandleW");
    free(package);
    return st;
}

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    static const char api[] = "FreeCredentialsHandle";
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phCredential", phCredential);
    if (!phCredential)
        return fs_trace_status(&t, SEC_E_INVALID_HANDLE);
    /* Contexts made from it keep their own reference (doc/semantics.md §6). */
    return fs_trace_status(&t, fs_sec_status(fs_handle_close(phCredential->dwUpper, FS_HANDLE_CREDENTIAL, api)));
}

static SECURITY_STATUS query_credential_untraced(PCredHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    fs_api_enter();
    struct fs_credential *cred;
    fs_err err = fs_api_credential(h, api, &cred);
    if (err != FS_OK)
        return fs_sec_status(err);
    if (attr != SECPKG_CRED_ATTR_NAMES)
        err = FS_E_NOT_SUPPORTED;
    else if (!buf)
        err = FS_E_INVALID_PARAMETER;
    else if (!(((SecPkgCredentials_NamesA *)buf)->sUserName = fs_context_string(cred->name, wide, api)))
        err = FS_E_NOMEM;
    fs_object_unref(&cred->base);
    return fs_sec_status(err);
}

static SECURITY_STATUS query_credential(PCredHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phCredential", h);
    fs_trace_number(&t, "ulAttribute", attr);
    SECURITY_STATUS st = query_credential_untraced(h, attr, buf, wide, api);
    fs_trace_outputs(&t);
    if (st == SEC_E_OK)
        fs_trace_text(&t, "sUserName", ((SecPkgCredentials_NamesA *)buf)->sUserName, wide);
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute, PVOID pBuffer)
{
    return query_credential(phCredential, ulAttribute, pBuffer, 0, "QueryCredentialsAttributesA");
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute, PVOID pBuffer)
{
    return query_credential(phCredential, ulAttribute, pBuffer, 1, "QueryCredentialsAttributesW");
}
