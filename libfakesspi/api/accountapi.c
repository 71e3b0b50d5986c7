/* LookupAccountSid/Name and GetUserName, with Windows' two-call size protocol. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/utf.h"
#include "security/accounts.h"
#include "security/identity.h"

/* Both buffers must fit or neither is written: Windows reports both sizes at once. */
static fs_err copy_pair(const char *name, const char *domain, void *name_out, DWORD *cch_name, void *domain_out,
                        DWORD *cch_domain, int wide)
{
    size_t nlen, dlen;
    if (wide) {
        fs_utf8_to_utf16(name, strlen(name), NULL, 0, &nlen, 0);
        fs_utf8_to_utf16(domain, strlen(domain), NULL, 0, &dlen, 0);
    } else {
        nlen = strlen(name);
        dlen = strlen(domain);
    }
    if (*cch_name < nlen + 1 || *cch_domain < dlen + 1 || !name_out || !domain_out) {
        *cch_name = (DWORD)(nlen + 1);
        *cch_domain = (DWORD)(dlen + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    if (wide) {
        fs_api_copy_out_w(name, name_out, cch_name);
        fs_api_copy_out_w(domain, domain_out, cch_domain);
    } else {
        fs_api_copy_out_a(name, name_out, cch_name);
        fs_api_copy_out_a(domain, domain_out, cch_domain);
    }
    return FS_OK;
}

static BOOL lookup_sid_untraced(const char *system, PSID Sid, void *Name, LPDWORD cchName, void *Domain,
                                LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    if (!cchName || !cchDomain || !peUse)
        return fs_fail(FS_E_NOACCESS);
    if (!fs_sid_is_valid(Sid))
        return fs_fail(FS_E_INVALID_SID);
    if (!fs_is_local_machine(system))
        return fs_fail(FS_E_SERVER_UNAVAILABLE);
    struct fs_sid sid;
    fs_sid_copy_in(&sid, Sid);
    struct fs_account acct;
    fs_err err = fs_account_by_sid(&sid, &acct);
    if (err == FS_OK)
        err = copy_pair(acct.name, acct.domain, Name, cchName, Domain, cchDomain, wide);
    if (err != FS_OK)
        return fs_fail(err);
    *peUse = (SID_NAME_USE)acct.use;
    return TRUE;
}

static BOOL lookup_sid(const char *system, PSID Sid, void *Name, LPDWORD cchName, void *Domain,
                       LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    struct fs_trace t;
    fs_trace_begin(&t, wide ? "LookupAccountSidW" : "LookupAccountSidA");
    fs_trace_string(&t, "lpSystemName", system);
    fs_trace_sid(&t, "Sid", Sid);
    BOOL ok = lookup_sid_untraced(system, Sid, Name, cchName, Domain, cchDomain, peUse, wide);
    fs_trace_outputs(&t);
    if (ok) {
        fs_trace_text(&t, "Name", Name, wide);
        fs_trace_text(&t, "ReferencedDomainName", Domain, wide);
        fs_trace_number(&t, "peUse", (uint64_t)*peUse);
    } else if (cchName && cchDomain) {
        fs_trace_number(&t, "cchName", *cchName);
        fs_trace_number(&t, "cchReferencedDomainName", *cchDomain);
    }
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI LookupAccountSidA(LPCSTR lpSystemName, PSID Sid, LPSTR Name, LPDWORD cchName, LPSTR ReferencedDomainName,
                              LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    fs_api_enter();
    return lookup_sid(lpSystemName, Sid, Name, cchName, ReferencedDomainName, cchReferencedDomainName, peUse, 0);
}

BOOL WINAPI LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName,
                              LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    fs_api_enter();
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed);
    BOOL ok = failed ? fs_fail(FS_E_NOMEM)
                     : lookup_sid(system, Sid, Name, cchName, ReferencedDomainName, cchReferencedDomainName, peUse, 1);
    free(system);
    return ok;
}

static BOOL lookup_name_untraced(const char *system, const char *account, PSID Sid, LPDWORD cbSid, void *Domain,
                                 LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    if (!cbSid || !cchDomain || !peUse)
        return fs_fail(FS_E_NOACCESS);
    if (!account)
        return fs_fail(FS_E_INVALID_PARAMETER);
    if (!fs_is_local_machine(system))
        return fs_fail(FS_E_SERVER_UNAVAILABLE);
    struct fs_account acct;
    fs_err err = fs_account_by_name(account, &acct);
    if (err != FS_OK)
        return fs_fail(err);
    size_t sid_len = fs_sid_length(&acct.sid);
    size_t dlen;
    if (wide)
        fs_utf8_to_utf16(acct.domain, strlen(acct.domain), NULL, 0, &dlen, 0);
    else
        dlen = strlen(acct.domain);
    if (*cbSid < sid_len || *cchDomain < dlen + 1 || !Sid || !Domain) {
        *cbSid = (DWORD)sid_len;
        *cchDomain = (DWORD)(dlen + 1);
        return fs_fail(FS_E_INSUFFICIENT_BUFFER);
    }
    memcpy(Sid, &acct.sid, sid_len);
    *cbSid = (DWORD)sid_len;
    if (wide)
        fs_api_copy_out_w(acct.domain, Domain, cchDomain);
    else
        fs_api_copy_out_a(acct.domain, Domain, cchDomain);
    *peUse = (SID_NAME_USE)acct.use;
    return TRUE;
}

static BOOL lookup_name(const char *system, const char *account, PSID Sid, LPDWORD cbSid, void *Domain,
                        LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    struct fs_trace t;
    fs_trace_begin(&t, wide ? "LookupAccountNameW" : "LookupAccountNameA");
    fs_trace_string(&t, "lpSystemName", system);
    fs_trace_string(&t, "lpAccountName", account);
    BOOL ok = lookup_name_untraced(system, account, Sid, cbSid, Domain, cchDomain, peUse, wide);
    fs_trace_outputs(&t);
    if (ok) {
        fs_trace_sid(&t, "Sid", Sid);
        fs_trace_text(&t, "ReferencedDomainName", Domain, wide);
        fs_trace_number(&t, "peUse", (uint64_t)*peUse);
    } else if (cbSid && cchDomain) {
        fs_trace_number(&t, "cbSid", *cbSid);
        fs_trace_number(&t, "cchReferencedDomainName", *cchDomain);
    }
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI LookupAccountNameA(LPCSTR lpSystemName, LPCSTR lpAccountName, PSID Sid, LPDWORD cbSid,
                               LPSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    fs_api_enter();
    return lookup_name(lpSystemName, lpAccountName, Sid, cbSid, ReferencedDomainName, cchReferencedDomainName,
                       peUse, 0);
}

BOOL WINAPI LookupAccountNameW(LPCWSTR lpSystemName, LPCWSTR lpAccountName, PSID Sid, LPDWORD cbSid,
                               LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    fs_api_enter();
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed);
    char *account = fs_api_narrow(lpAccountName, &failed);
    BOOL ok = failed ? fs_fail(FS_E_NOMEM)
                     : lookup_name(system, account, Sid, cbSid, ReferencedDomainName, cchReferencedDomainName,
                                   peUse, 1);
    free(system);
    free(account);
    return ok;
}

/* GetUserName counts the NUL both ways: needed and written (unlike most Win32 functions). */
static BOOL user_name_untraced(void *buffer, LPDWORD size, int wide)
{
    if (!size)
        return fs_fail(FS_E_NOACCESS);
    struct fs_token *t = fs_effective_token();
    if (!t)
        return fs_fail(FS_E_NO_SUCH_LOGON_SESSION);
    fs_err err = wide ? fs_api_copy_out_w(t->account, buffer, size) : fs_api_copy_out_a(t->account, buffer, size);
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_fail(err);
    *size += 1;
    return TRUE;
}

static BOOL user_name(void *buffer, LPDWORD size, int wide)
{
    struct fs_trace t;
    fs_trace_begin(&t, wide ? "GetUserNameW" : "GetUserNameA");
    BOOL ok = user_name_untraced(buffer, size, wide);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_text(&t, "lpBuffer", buffer, wide);
    if (size)
        fs_trace_number(&t, "pcbBuffer", *size);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI GetUserNameA(LPSTR lpBuffer, LPDWORD pcbBuffer)
{
    fs_api_enter();
    return user_name(lpBuffer, pcbBuffer, 0);
}

BOOL WINAPI GetUserNameW(LPWSTR lpBuffer, LPDWORD pcbBuffer)
{
    fs_api_enter();
    return user_name(lpBuffer, pcbBuffer, 1);
}
