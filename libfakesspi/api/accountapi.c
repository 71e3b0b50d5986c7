/* LookupAccountSid/Name and GetUserName, with Windows' two-call size protocol. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/utf.h"
#include "security/accounts.h"
#include "security/identity.h"

/* Both buffers must fit or neither is written: Windows reports both sizes at once. A NULL buffer
 * with a size large enough is not written and not an error (doc/semantics.md §37). */
static fs_err copy_pair(const char *name, const char *domain, void *name_out, DWORD *cch_name, void *domain_out,
                        DWORD *cch_domain, int wide)
{
    size_t nlen = fs_api_text_units(name, wide), dlen = fs_api_text_units(domain, wide);
    if (*cch_name < nlen + 1 || *cch_domain < dlen + 1) {
        *cch_name = (DWORD)(nlen + 1);
        *cch_domain = (DWORD)(dlen + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    /* Both sizes were checked above, so each copy fits. */
    fs_err err = FS_OK;
    if (name_out)
        err = fs_api_copy_out(name, name_out, cch_name, wide);
    else
        *cch_name = (DWORD)nlen;
    if (err != FS_OK)
        return err;
    if (domain_out)
        return fs_api_copy_out(domain, domain_out, cch_domain, wide);
    *cch_domain = (DWORD)dlen;
    return FS_OK;
}

static fs_err lookup_sid_body(const char *system, PSID Sid, void *Name, LPDWORD cchName, void *Domain,
                                LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    if (!cchName || !cchDomain || !peUse)
        return FS_E_NOACCESS;
    if (!fs_sid_is_valid(Sid))
        return FS_E_INVALID_SID;
    if (!fs_is_local_machine(system))
        return FS_E_SERVER_UNAVAILABLE;
    struct fs_sid sid;
    fs_sid_copy_in(&sid, Sid);
    struct fs_account acct;
    fs_err err = fs_account_by_sid(&sid, &acct);
    if (err == FS_OK)
        err = copy_pair(acct.name, acct.domain, Name, cchName, Domain, cchDomain, wide);
    if (err != FS_OK)
        return err;
    *peUse = (SID_NAME_USE)acct.use;
    return FS_OK;
}

static BOOL traced_lookup_sid(struct fs_call *call, const char *system, int system_failed, PSID Sid, void *Name,
                              LPDWORD cchName, void *Domain, LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    fs_trace_string(&call->trace, "lpSystemName", system);
    fs_trace_sid(&call->trace, "Sid", Sid);
    if (fs_call_proceed(call))
        call->err = system_failed ? FS_E_NOMEM : lookup_sid_body(system, Sid, Name, cchName, Domain, cchDomain, peUse, wide);
    if (fs_call_outputs(call)) {
        fs_trace_text(&call->trace, "Name", Name, wide);
        fs_trace_text(&call->trace, "ReferencedDomainName", Domain, wide);
        fs_trace_value(&call->trace, "peUse", FS_NAMES_SID_NAME_USE, (uint32_t)*peUse);
    } else if (cchName && cchDomain) {
        fs_trace_outputs(&call->trace);
        fs_trace_number(&call->trace, "cchName", *cchName);
        fs_trace_number(&call->trace, "cchReferencedDomainName", *cchDomain);
    }
    return fs_call_end_bool(call);
}

BOOL WINAPI LookupAccountSidA(LPCSTR lpSystemName, PSID Sid, LPSTR Name, LPDWORD cchName, LPSTR ReferencedDomainName,
                              LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    struct fs_call call;
    fs_call_begin(&call, "LookupAccountSidA");
    return traced_lookup_sid(&call, lpSystemName, 0, Sid, Name, cchName, ReferencedDomainName, cchReferencedDomainName,
                             peUse, 0);
}

BOOL WINAPI LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName,
                              LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    struct fs_call call;
    fs_call_begin(&call, "LookupAccountSidW");
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed);
    BOOL ok = traced_lookup_sid(&call, system, failed, Sid, Name, cchName, ReferencedDomainName,
                                cchReferencedDomainName, peUse, 1);
    free(system);
    return ok;
}

static fs_err lookup_name_body(const char *system, const char *account, PSID Sid, LPDWORD cbSid, void *Domain,
                                 LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    if (!cbSid || !cchDomain || !peUse)
        return FS_E_NOACCESS;
    if (!fs_is_local_machine(system))
        return FS_E_SERVER_UNAVAILABLE;
    struct fs_account acct;
    /* No name (NULL or ""): the account domain itself, as SidTypeDomain (doc/semantics.md §37). */
    fs_err err = account && *account ? fs_account_by_name(account, &acct) : fs_account_domain(&acct);
    if (err != FS_OK)
        return err;
    size_t sid_len = fs_sid_length(&acct.sid);
    size_t dlen = fs_api_text_units(acct.domain, wide);
    if (*cbSid < sid_len || *cchDomain < dlen + 1 || !Sid || !Domain) {
        *cbSid = (DWORD)sid_len;
        *cchDomain = (DWORD)(dlen + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    memcpy(Sid, &acct.sid, sid_len);
    *cbSid = (DWORD)sid_len;
    err = fs_api_copy_out(acct.domain, Domain, cchDomain, wide); /* fits: checked above */
    if (err != FS_OK)
        return err;
    *peUse = (SID_NAME_USE)acct.use;
    return FS_OK;
}

static BOOL traced_lookup_name(struct fs_call *call, const char *system, const char *account, int narrow_failed,
                               PSID Sid, LPDWORD cbSid, void *Domain, LPDWORD cchDomain, PSID_NAME_USE peUse, int wide)
{
    fs_trace_string(&call->trace, "lpSystemName", system);
    fs_trace_string(&call->trace, "lpAccountName", account);
    if (fs_call_proceed(call))
        call->err = narrow_failed ? FS_E_NOMEM
                                  : lookup_name_body(system, account, Sid, cbSid, Domain, cchDomain, peUse, wide);
    if (fs_call_outputs(call)) {
        fs_trace_sid(&call->trace, "Sid", Sid);
        fs_trace_text(&call->trace, "ReferencedDomainName", Domain, wide);
        fs_trace_value(&call->trace, "peUse", FS_NAMES_SID_NAME_USE, (uint32_t)*peUse);
    } else if (cbSid && cchDomain) {
        fs_trace_outputs(&call->trace);
        fs_trace_number(&call->trace, "cbSid", *cbSid);
        fs_trace_number(&call->trace, "cchReferencedDomainName", *cchDomain);
    }
    return fs_call_end_bool(call);
}

BOOL WINAPI LookupAccountNameA(LPCSTR lpSystemName, LPCSTR lpAccountName, PSID Sid, LPDWORD cbSid,
                               LPSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    struct fs_call call;
    fs_call_begin(&call, "LookupAccountNameA");
    return traced_lookup_name(&call, lpSystemName, lpAccountName, 0, Sid, cbSid, ReferencedDomainName,
                              cchReferencedDomainName, peUse, 0);
}

BOOL WINAPI LookupAccountNameW(LPCWSTR lpSystemName, LPCWSTR lpAccountName, PSID Sid, LPDWORD cbSid,
                               LPWSTR ReferencedDomainName, LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse)
{
    struct fs_call call;
    fs_call_begin(&call, "LookupAccountNameW");
    int failed = 0;
    char *system = fs_api_narrow(lpSystemName, &failed);
    char *account = fs_api_narrow(lpAccountName, &failed);
    BOOL ok = traced_lookup_name(&call, system, account, failed, Sid, cbSid, ReferencedDomainName,
                                 cchReferencedDomainName, peUse, 1);
    free(system);
    free(account);
    return ok;
}

/* GetUserName counts the NUL both ways: needed and written (unlike most Win32 functions). */
static fs_err user_name_body(void *buffer, LPDWORD size, int wide)
{
    if (!size)
        return FS_E_NOACCESS;
    struct fs_token *t = fs_effective_token();
    if (!t)
        return FS_E_NO_SUCH_LOGON_SESSION;
    fs_err err = fs_api_copy_out(t->account, buffer, size, wide);
    fs_token_unref(t);
    if (err != FS_OK)
        return err;
    *size += 1;
    return FS_OK;
}

static BOOL traced_user_name(const char *api, void *buffer, LPDWORD size, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = user_name_body(buffer, size, wide);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "lpBuffer", buffer, wide);
    fs_trace_outputs(&call.trace);
    if (size)
        fs_trace_number(&call.trace, "pcbBuffer", *size);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetUserNameA(LPSTR lpBuffer, LPDWORD pcbBuffer)
{
    return traced_user_name("GetUserNameA", lpBuffer, pcbBuffer, 0);
}

BOOL WINAPI GetUserNameW(LPWSTR lpBuffer, LPDWORD pcbBuffer)
{
    return traced_user_name("GetUserNameW", lpBuffer, pcbBuffer, 1);
}
