/* The Sspi* identity helpers of sspi.h: opaque identities as SEC_WINNT_AUTH_IDENTITY_EXW blocks with
 * their strings packed after the structure, in LocalAlloc memory that is wiped when freed
 * (doc/semantics.md §38). */
#include <string.h>

#include "api.h"
#include "wincred.h"
#include "core/memtrack.h"
#include "core/utf.h"

typedef SEC_WINNT_AUTH_IDENTITY_EXW identity;

static size_t units(const WCHAR *s) { return s ? fs_utf16_len((const uint16_t *)s) : 0; }

/* The identities these helpers read: the EXW structure, Unicode. */
static const identity *as_identity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque)
{
    const identity *id = opaque;
    if (!id || id->Version != SEC_WINNT_AUTH_IDENTITY_VERSION || id->Length < sizeof *id ||
        !(id->Flags & SEC_WINNT_AUTH_IDENTITY_UNICODE))
        return NULL;
    return id;
}

/* Copies n units and a NUL to *at, advancing it; NULL when the string is absent. */
static unsigned short *pack(WCHAR **at, const WCHAR *s, size_t n, int present)
{
    if (!present)
        return NULL;
    WCHAR *start = *at;
    if (n)
        memcpy(start, s, n * sizeof(WCHAR));
    start[n] = 0;
    *at = start + n + 1;
    return (unsigned short *)start;
}

static fs_err build(const WCHAR *user, size_t nuser, const WCHAR *domain, size_t ndomain, const WCHAR *password,
                    size_t npassword, ULONG extra_flags, const char *api, identity **out)
{
    size_t size = sizeof(identity) + ((user ? nuser + 1 : 0) + (domain ? ndomain + 1 : 0) +
                                      (password ? npassword + 1 : 0)) * sizeof(WCHAR);
    identity *id = fs_mem_alloc(FS_MEM_LOCAL, size, 1, api);
    if (!id)
        return FS_E_NOMEM;
    WCHAR *at = (WCHAR *)(id + 1);
    id->Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id->Length = sizeof *id;
    id->User = pack(&at, user, nuser, user != NULL);
    id->UserLength = (ULONG)nuser;
    id->Domain = pack(&at, domain, ndomain, domain != NULL);
    id->DomainLength = (ULONG)ndomain;
    id->Password = pack(&at, password, npassword, password != NULL);
    id->PasswordLength = (ULONG)npassword;
    id->Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED | extra_flags;
    *out = id;
    return FS_OK;
}

/* A NUL-terminated LocalAlloc copy of n units; NULL stays NULL. */
static fs_err copy_string(const unsigned short *s, size_t n, const char *api, PCWSTR *out)
{
    if (!s) {
        *out = NULL;
        return FS_OK;
    }
    WCHAR *c = fs_mem_alloc(FS_MEM_LOCAL, (n + 1) * sizeof(WCHAR), 0, api);
    if (!c)
        return FS_E_NOMEM;
    if (n)
        memcpy(c, s, n * sizeof(WCHAR));
    c[n] = 0;
    *out = c;
    return FS_OK;
}

static void local_free(const void *p, const char *api)
{
    if (p && fs_mem_free((void *)(uintptr_t)p, FS_MEM_LOCAL, api) != FS_OK)
        return; /* reported as misuse by memtrack */
}

SECURITY_STATUS SEC_ENTRY SspiEncodeStringsAsAuthIdentity(PCWSTR pszUserName, PCWSTR pszDomainName,
                                                          PCWSTR pszPackedCredentialsString,
                                                          PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiEncodeStringsAsAuthIdentity");
    fs_trace_wstring(&call.trace, "pszUserName", pszUserName);
    fs_trace_wstring(&call.trace, "pszDomainName", pszDomainName);
    identity *id = NULL;
    if (fs_call_proceed(&call)) {
        /* Nothing to encode is an invalid token, checked before the out-pointer. */
        if (!pszUserName && !pszDomainName && !pszPackedCredentialsString)
            call.err = FS_E_INVALID_TOKEN;
        else if (!ppAuthIdentity)
            call.err = FS_E_INVALID_PARAMETER;
        else
            call.err = build(pszUserName, units(pszUserName), pszDomainName, units(pszDomainName),
                             pszPackedCredentialsString, units(pszPackedCredentialsString), 0, call.api, &id);
        if (call.err == FS_OK)
            *ppAuthIdentity = id;
    }
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY SspiEncodeAuthIdentityAsStrings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE pAuthIdentity,
                                                          PCWSTR *ppszUserName, PCWSTR *ppszDomainName,
                                                          PCWSTR *ppszPackedCredentialsString)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiEncodeAuthIdentityAsStrings");
    if (fs_call_proceed(&call)) {
        const identity *id = as_identity(pAuthIdentity);
        PCWSTR user = NULL, domain = NULL, password = NULL;
        call.err = !pAuthIdentity ? FS_E_INVALID_PARAMETER : !id ? FS_E_INVALID_TOKEN : FS_OK;
        if (call.err == FS_OK && ppszUserName)
            call.err = copy_string(id->User, id->UserLength, call.api, &user);
        if (call.err == FS_OK && ppszDomainName)
            call.err = copy_string(id->Domain, id->DomainLength, call.api, &domain);
        if (call.err == FS_OK && ppszPackedCredentialsString)
            call.err = copy_string(id->Password, id->PasswordLength, call.api, &password);
        if (call.err == FS_OK) {
            if (ppszUserName)
                *ppszUserName = user;
            if (ppszDomainName)
                *ppszDomainName = domain;
            if (ppszPackedCredentialsString)
                *ppszPackedCredentialsString = password;
        } else {
            local_free(user, call.api);
            local_free(domain, call.api);
            local_free(password, call.api);
        }
    }
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY SspiCopyAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData,
                                               PSEC_WINNT_AUTH_IDENTITY_OPAQUE *AuthDataCopy)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiCopyAuthIdentity");
    if (fs_call_proceed(&call)) {
        const identity *id = as_identity(AuthData);
        identity *copy = NULL;
        call.err = !AuthData || !AuthDataCopy ? FS_E_INVALID_PARAMETER : !id ? FS_E_INVALID_TOKEN : FS_OK;
        if (call.err == FS_OK)
            call.err = build((const WCHAR *)id->User, id->UserLength, (const WCHAR *)id->Domain, id->DomainLength,
                             (const WCHAR *)id->Password, id->PasswordLength,
                             id->Flags & ~(ULONG)(SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_MARSHALLED),
                             call.api, &copy);
        if (call.err == FS_OK)
            *AuthDataCopy = copy;
    }
    return fs_call_end_status(&call);
}

/* The password's characters are wiped and its length becomes 0; the user and domain stay. */
static void zero_identity(void *data)
{
    identity *id = data;
    if (!as_identity(data) || !id->Password)
        return;
    explicit_bzero(id->Password, id->PasswordLength * sizeof(WCHAR));
    id->PasswordLength = 0;
}

VOID SEC_ENTRY SspiZeroAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    FS_GATE_SCOPE();
    zero_identity(AuthData);
}

/* Wiped, then freed. */
VOID SEC_ENTRY SspiFreeAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    FS_GATE_SCOPE();
    if (!AuthData)
        return;
    zero_identity(AuthData);
    local_free(AuthData, "SspiFreeAuthIdentity");
}

VOID SEC_ENTRY SspiLocalFree(PVOID DataBuffer)
{
    FS_GATE_SCOPE();
    local_free(DataBuffer, "SspiLocalFree");
}

BOOLEAN SEC_ENTRY SspiIsAuthIdentityEncrypted(PSEC_WINNT_AUTH_IDENTITY_OPAQUE EncryptedAuthData)
{
    const identity *id = as_identity(EncryptedAuthData);
    return id && (id->Flags & (SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED |
                               SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED |
                               SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED));
}

static int same_text(const unsigned short *a, ULONG na, const unsigned short *b, ULONG nb, int fold)
{
    if (na != nb)
        return 0;
    for (ULONG i = 0; i < na; i++) {
        unsigned x = a[i], y = b[i];
        if (fold) {
            x = x >= 'A' && x <= 'Z' ? x + 32 : x;
            y = y >= 'A' && y <= 'Z' ? y + 32 : y;
        }
        if (x != y)
            return 0;
    }
    return 1;
}

/* The same user: user and domain equal in any case. The same identity: that, and the same password. */
SECURITY_STATUS SEC_ENTRY SspiCompareAuthIdentities(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity1,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity2,
                                                    PBOOLEAN SameSuppliedUser, PBOOLEAN SameSuppliedIdentity)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiCompareAuthIdentities");
    if (fs_call_proceed(&call)) {
        const identity *a = as_identity(AuthIdentity1), *b = as_identity(AuthIdentity2);
        call.err = !AuthIdentity1 || !AuthIdentity2 ? FS_E_INVALID_PARAMETER : !a || !b ? FS_E_INVALID_TOKEN : FS_OK;
        if (call.err == FS_OK) {
            int user = same_text(a->User, a->UserLength, b->User, b->UserLength, 1) &&
                       same_text(a->Domain, a->DomainLength, b->Domain, b->DomainLength, 1);
            int password = same_text(a->Password, a->PasswordLength, b->Password, b->PasswordLength, 0);
            if (SameSuppliedUser)
                *SameSuppliedUser = (BOOLEAN)user;
            if (SameSuppliedIdentity)
                *SameSuppliedIdentity = (BOOLEAN)(user && password);
        }
    }
    return fs_call_end_status(&call);
}

/* "DOMAIN\user", or the user alone without a domain: the Credential Manager's user and default target. */
static fs_err qualified_user(const identity *id, const char *api, PCWSTR *out)
{
    size_t n = id->UserLength + (id->Domain ? id->DomainLength + 1 : 0);
    WCHAR *s = fs_mem_alloc(FS_MEM_LOCAL, (n + 1) * sizeof(WCHAR), 0, api);
    if (!s)
        return FS_E_NOMEM;
    WCHAR *at = s;
    if (id->Domain) {
        memcpy(at, id->Domain, id->DomainLength * sizeof(WCHAR));
        at += id->DomainLength;
        *at++ = u'\\';
    }
    if (id->UserLength)
        memcpy(at, id->User, id->UserLength * sizeof(WCHAR));
    s[n] = 0;
    *out = s;
    return FS_OK;
}

static fs_err target_of(const identity *id, PCWSTR target, const char *api, PCWSTR *out)
{
    return target ? copy_string((const unsigned short *)target, units(target), api, out) : qualified_user(id, api, out);
}

SECURITY_STATUS SEC_ENTRY SspiPrepareForCredRead(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity, PCWSTR pszTargetName,
                                                 PULONG pCredmanCredentialType, PCWSTR *ppszCredmanTargetName)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiPrepareForCredRead");
    fs_trace_wstring(&call.trace, "pszTargetName", pszTargetName);
    if (fs_call_proceed(&call)) {
        const identity *id = as_identity(AuthIdentity);
        call.err = !AuthIdentity || !pCredmanCredentialType || !ppszCredmanTargetName ? FS_E_INVALID_PARAMETER
                   : !id                                                              ? FS_E_INVALID_TOKEN
                                                                                      : FS_OK;
        PCWSTR target = NULL;
        if (call.err == FS_OK)
            call.err = target_of(id, pszTargetName, call.api, &target);
        if (call.err == FS_OK) {
            *pCredmanCredentialType = CRED_TYPE_DOMAIN_PASSWORD;
            *ppszCredmanTargetName = target;
        }
    }
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY SspiPrepareForCredWrite(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity, PCWSTR pszTargetName,
                                                  PULONG pCredmanCredentialType, PCWSTR *ppszCredmanTargetName,
                                                  PCWSTR *ppszCredmanUserName, PUCHAR *ppCredentialBlob,
                                                  PULONG pCredentialBlobSize)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiPrepareForCredWrite");
    fs_trace_wstring(&call.trace, "pszTargetName", pszTargetName);
    if (fs_call_proceed(&call)) {
        const identity *id = as_identity(AuthIdentity);
        call.err = !AuthIdentity || !pCredmanCredentialType || !ppszCredmanTargetName || !ppszCredmanUserName ||
                           !ppCredentialBlob || !pCredentialBlobSize
                       ? FS_E_INVALID_PARAMETER
                   : !id ? FS_E_INVALID_TOKEN
                         : FS_OK;
        PCWSTR target = NULL, user = NULL;
        UCHAR *blob = NULL;
        size_t bytes = id ? id->PasswordLength * sizeof(WCHAR) : 0;
        if (call.err == FS_OK)
            call.err = target_of(id, pszTargetName, call.api, &target);
        if (call.err == FS_OK)
            call.err = qualified_user(id, call.api, &user);
        /* The blob is the password's characters without a NUL. */
        if (call.err == FS_OK && !(blob = fs_mem_alloc(FS_MEM_LOCAL, bytes ? bytes : 1, 0, call.api)))
            call.err = FS_E_NOMEM;
        if (call.err == FS_OK) {
            if (bytes)
                memcpy(blob, id->Password, bytes);
            *pCredmanCredentialType = CRED_TYPE_DOMAIN_PASSWORD;
            *ppszCredmanTargetName = target;
            *ppszCredmanUserName = user;
            *ppCredentialBlob = blob;
            *pCredentialBlobSize = (ULONG)bytes;
        } else {
            local_free(target, call.api);
            local_free(user, call.api);
        }
    }
    return fs_call_end_status(&call);
}
