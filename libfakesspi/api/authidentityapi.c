/* The Sspi* identity helpers of sspi.h. They read SEC_WINNT_AUTH_IDENTITY_EXA/W through the one reader of
 * identities (authidentity.h); what they make is an _EX block in the charset it came in, its strings packed
 * after the structure, in LocalAlloc memory that is wiped when freed (doc/semantics.md §38). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "authidentity.h"
#include "wincred.h"
#include "core/alloc.h"
#include "core/memtrack.h"
#include "core/utf.h"

/* The A and W forms share this layout: pointers and ULONGs. */
typedef SEC_WINNT_AUTH_IDENTITY_EXW identity;

static size_t units(const WCHAR *s) { return s ? fs_utf16_len((const uint16_t *)s) : 0; }

/* The identities these helpers read: the _EX form, ANSI or Unicode, with a Length that covers it. */
static int as_identity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE opaque, struct fs_auth_identity *id)
{
    return opaque && fs_auth_identity_read(opaque, FS_AUTH_IDENTITY_WHOLE_EX, id) == FS_OK;
}

static size_t packed_size(const struct fs_auth_string *s, size_t unit)
{
    return s->chars ? ((size_t)s->len + 1) * unit : 0; /* in size_t: a ULONG length of 0xFFFFFFFF must not wrap */
}

/* Copies s and a NUL (unit bytes a character) to *at, advancing it; NULL when s is absent. */
static unsigned char *pack(unsigned char **at, const struct fs_auth_string *s, size_t unit)
{
    if (!s->chars)
        return NULL;
    unsigned char *start = *at;
    if (s->len)
        memcpy(start, s->chars, s->len * unit);
    memset(start + s->len * unit, 0, unit);
    *at = start + (s->len + 1) * unit;
    return start;
}

/* A new _EX identity holding from's strings in from's charset; its Flags are from's, MARSHALLED added. */
static fs_err build(const struct fs_auth_identity *from, const char *api, identity **out)
{
    size_t unit = fs_auth_identity_unit(from);
    size_t size = sizeof(identity) + packed_size(&from->user, unit) + packed_size(&from->domain, unit) +
                  packed_size(&from->password, unit) + packed_size(&from->packages, unit);
    identity *id = fs_mem_alloc(FS_MEM_LOCAL, size, 1, api);
    if (!id)
        return FS_E_NOMEM;
    unsigned char *at = (unsigned char *)(id + 1);
    id->Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id->Length = sizeof *id;
    id->User = (unsigned short *)pack(&at, &from->user, unit);
    id->UserLength = id->User ? from->user.len : 0;
    id->Domain = (unsigned short *)pack(&at, &from->domain, unit);
    id->DomainLength = id->Domain ? from->domain.len : 0;
    id->Password = (unsigned short *)pack(&at, &from->password, unit);
    id->PasswordLength = id->Password ? from->password.len : 0;
    id->PackageList = (unsigned short *)pack(&at, &from->packages, unit);
    id->PackageListLength = id->PackageList ? from->packages.len : 0;
    id->Flags = from->flags | SEC_WINNT_AUTH_IDENTITY_MARSHALLED;
    *out = id;
    return FS_OK;
}

/* A NUL-terminated LocalAlloc UTF-16 copy of s; NULL stays NULL. */
static fs_err copy_string(const struct fs_auth_string *s, int unicode, const char *api, PCWSTR *out)
{
    if (!s->chars) {
        *out = NULL;
        return FS_OK;
    }
    size_t n = fs_auth_string_units(s, unicode);
    WCHAR *c = fs_mem_alloc(FS_MEM_LOCAL, (n + 1) * sizeof(WCHAR), 0, api);
    if (!c)
        return FS_E_NOMEM;
    fs_auth_string_put_utf16(s, unicode, (uint16_t *)c);
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
        else {
            struct fs_auth_identity from = {
                .ex = 1,
                .unicode = 1,
                .flags = SEC_WINNT_AUTH_IDENTITY_UNICODE,
                .user = {pszUserName, (ULONG)units(pszUserName)},
                .domain = {pszDomainName, (ULONG)units(pszDomainName)},
                .password = {pszPackedCredentialsString, (ULONG)units(pszPackedCredentialsString)},
            };
            call.err = build(&from, call.api, &id);
        }
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
        struct fs_auth_identity id;
        PCWSTR user = NULL, domain = NULL, password = NULL;
        call.err = !pAuthIdentity                     ? FS_E_INVALID_PARAMETER
                   : !as_identity(pAuthIdentity, &id) ? FS_E_INVALID_TOKEN
                                                      : FS_OK;
        if (call.err == FS_OK && ppszUserName)
            call.err = copy_string(&id.user, id.unicode, call.api, &user);
        if (call.err == FS_OK && ppszDomainName)
            call.err = copy_string(&id.domain, id.unicode, call.api, &domain);
        if (call.err == FS_OK && ppszPackedCredentialsString)
            call.err = copy_string(&id.password, id.unicode, call.api, &password);
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
        struct fs_auth_identity id;
        identity *copy = NULL;
        call.err = !AuthData || !AuthDataCopy        ? FS_E_INVALID_PARAMETER
                   : !as_identity(AuthData, &id)     ? FS_E_INVALID_TOKEN
                                                     : FS_OK;
        if (call.err == FS_OK)
            call.err = build(&id, call.api, &copy);
        if (call.err == FS_OK)
            *AuthDataCopy = copy;
    }
    return fs_call_end_status(&call);
}

/* The password's characters are wiped and its length becomes 0; the user and domain stay. */
static void zero_identity(void *data)
{
    struct fs_auth_identity id;
    if (!as_identity(data, &id) || !id.password.chars)
        return;
    explicit_bzero((void *)(uintptr_t)id.password.chars, id.password.len * fs_auth_identity_unit(&id));
    ((identity *)data)->PasswordLength = 0;
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
    struct fs_auth_identity id;
    return as_identity(EncryptedAuthData, &id) && (id.flags & (SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED |
                               SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED |
                               SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED));
}

/* Whether a and b hold the same characters, whichever charset each is in; fold: ASCII letters in any case. */
static fs_err same_text(const struct fs_auth_string *a, int a_unicode, const struct fs_auth_string *b, int b_unicode,
                        int fold, int *same)
{
    size_t na = fs_auth_string_units(a, a_unicode), nb = fs_auth_string_units(b, b_unicode);
    *same = 0;
    if (na != nb)
        return FS_OK;
    uint16_t *x = fs_malloc((na + 1) * sizeof *x), *y = fs_malloc((nb + 1) * sizeof *y);
    fs_err err = x && y ? FS_OK : FS_E_NOMEM;
    if (err == FS_OK) {
        fs_auth_string_put_utf16(a, a_unicode, x);
        fs_auth_string_put_utf16(b, b_unicode, y);
        *same = 1;
        for (size_t i = 0; i < na && *same; i++) {
            unsigned p = x[i], q = y[i];
            if (fold) {
                p = p >= 'A' && p <= 'Z' ? p + 32 : p;
                q = q >= 'A' && q <= 'Z' ? q + 32 : q;
            }
            *same = p == q;
        }
        explicit_bzero(x, na * sizeof *x); /* they may be a password's characters */
        explicit_bzero(y, nb * sizeof *y);
    }
    free(x);
    free(y);
    return err;
}

/* The same user: user and domain equal in any case. The same identity: that, and the same password. */
SECURITY_STATUS SEC_ENTRY SspiCompareAuthIdentities(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity1,
                                                    PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity2,
                                                    PBOOLEAN SameSuppliedUser, PBOOLEAN SameSuppliedIdentity)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiCompareAuthIdentities");
    if (fs_call_proceed(&call)) {
        struct fs_auth_identity a, b;
        call.err = !AuthIdentity1 || !AuthIdentity2                                     ? FS_E_INVALID_PARAMETER
                   : !as_identity(AuthIdentity1, &a) || !as_identity(AuthIdentity2, &b) ? FS_E_INVALID_TOKEN
                                                                                        : FS_OK;
        int user = 0, domain = 0, password = 0;
        if (call.err == FS_OK)
            call.err = same_text(&a.user, a.unicode, &b.user, b.unicode, 1, &user);
        if (call.err == FS_OK)
            call.err = same_text(&a.domain, a.unicode, &b.domain, b.unicode, 1, &domain);
        if (call.err == FS_OK)
            call.err = same_text(&a.password, a.unicode, &b.password, b.unicode, 0, &password);
        if (call.err == FS_OK) {
            user = user && domain;
            if (SameSuppliedUser)
                *SameSuppliedUser = (BOOLEAN)user;
            if (SameSuppliedIdentity)
                *SameSuppliedIdentity = (BOOLEAN)(user && password);
        }
    }
    return fs_call_end_status(&call);
}

/* "DOMAIN\user", or the user alone without a domain: the Credential Manager's user and default target. */
static fs_err qualified_user(const struct fs_auth_identity *id, const char *api, PCWSTR *out)
{
    size_t nuser = fs_auth_string_units(&id->user, id->unicode);
    size_t ndomain = fs_auth_string_units(&id->domain, id->unicode);
    size_t n = nuser + (id->domain.chars ? ndomain + 1 : 0);
    WCHAR *s = fs_mem_alloc(FS_MEM_LOCAL, (n + 1) * sizeof(WCHAR), 0, api);
    if (!s)
        return FS_E_NOMEM;
    WCHAR *at = s;
    if (id->domain.chars) {
        fs_auth_string_put_utf16(&id->domain, id->unicode, (uint16_t *)at);
        at += ndomain;
        *at++ = u'\\';
    }
    fs_auth_string_put_utf16(&id->user, id->unicode, (uint16_t *)at);
    s[n] = 0;
    *out = s;
    return FS_OK;
}

static fs_err target_of(const struct fs_auth_identity *id, PCWSTR target, const char *api, PCWSTR *out)
{
    struct fs_auth_string given = {target, (ULONG)units(target)};
    return target ? copy_string(&given, 1, api, out) : qualified_user(id, api, out);
}

SECURITY_STATUS SEC_ENTRY SspiPrepareForCredRead(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthIdentity, PCWSTR pszTargetName,
                                                 PULONG pCredmanCredentialType, PCWSTR *ppszCredmanTargetName)
{
    struct fs_call call;
    fs_call_begin(&call, "SspiPrepareForCredRead");
    fs_trace_wstring(&call.trace, "pszTargetName", pszTargetName);
    if (fs_call_proceed(&call)) {
        struct fs_auth_identity id;
        call.err = !AuthIdentity || !pCredmanCredentialType || !ppszCredmanTargetName ? FS_E_INVALID_PARAMETER
                   : !as_identity(AuthIdentity, &id)                                  ? FS_E_INVALID_TOKEN
                                                                                      : FS_OK;
        PCWSTR target = NULL;
        if (call.err == FS_OK)
            call.err = target_of(&id, pszTargetName, call.api, &target);
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
        struct fs_auth_identity id;
        call.err = !AuthIdentity || !pCredmanCredentialType || !ppszCredmanTargetName || !ppszCredmanUserName ||
                           !ppCredentialBlob || !pCredentialBlobSize
                       ? FS_E_INVALID_PARAMETER
                   : !as_identity(AuthIdentity, &id) ? FS_E_INVALID_TOKEN
                                                     : FS_OK;
        PCWSTR target = NULL, user = NULL;
        UCHAR *blob = NULL;
        size_t bytes = call.err == FS_OK ? fs_auth_string_units(&id.password, id.unicode) * sizeof(WCHAR) : 0;
        if (call.err == FS_OK)
            call.err = target_of(&id, pszTargetName, call.api, &target);
        if (call.err == FS_OK)
            call.err = qualified_user(&id, call.api, &user);
        /* The blob is the password's characters in UTF-16, without a NUL. */
        if (call.err == FS_OK && !(blob = fs_mem_alloc(FS_MEM_LOCAL, bytes ? bytes : 1, 0, call.api)))
            call.err = FS_E_NOMEM;
        if (call.err == FS_OK) {
            fs_auth_string_put_utf16(&id.password, id.unicode, (uint16_t *)blob);
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
