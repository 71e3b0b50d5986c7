/* SID functions of advapi32: validity, comparison, copies and allocation. */
#include <stdint.h>
#include <string.h>

#include "api.h"
#include "core/lasterror.h"
#include "core/memtrack.h"
#include "security/accounts.h"
#include "security/wellknown.h"

BOOL WINAPI IsValidSid(PSID pSid)
{
    FS_GATE_SCOPE();
    return fs_sid_is_valid(pSid) ? TRUE : FALSE;
}

DWORD WINAPI GetLengthSid(PSID pSid)
{
    FS_GATE_SCOPE();
    return pSid ? 8u + 4u * ((const BYTE *)pSid)[1] : 0;
}

static DWORD sid_length(const void *sid) { return 8u + 4u * ((const BYTE *)sid)[1]; }

BOOL WINAPI EqualSid(PSID pSid1, PSID pSid2)
{
    struct fs_call call;
    fs_call_begin(&call, "EqualSid");
    fs_trace_sid(&call.trace, "pSid1", pSid1);
    fs_trace_sid(&call.trace, "pSid2", pSid2);
    int equal = 0;
    /* FALSE with ERROR_SUCCESS for unequal and for invalid SIDs alike: Windows does not report an
     * invalid SID here (doc/semantics.md §37); validity only keeps the compare inside the SIDs. */
    if (fs_call_proceed(&call))
        equal = fs_sid_is_valid(pSid1) && fs_sid_is_valid(pSid2) && sid_length(pSid1) == sid_length(pSid2) &&
                !memcmp(pSid1, pSid2, sid_length(pSid1));
    return fs_call_end_answer(&call, equal);
}

static fs_err copy_sid(DWORD capacity, PSID dest, PSID source)
{
    if (!fs_sid_is_valid(source))
        return FS_E_INVALID_SID;
    DWORD len = sid_length(source);
    if (capacity < len)
        return FS_E_INSUFFICIENT_BUFFER;
    if (!dest)
        return FS_E_NOACCESS;
    memmove(dest, source, len);
    return FS_OK;
}

BOOL WINAPI CopySid(DWORD nDestinationSidLength, PSID pDestinationSid, PSID pSourceSid)
{
    struct fs_call call;
    fs_call_begin(&call, "CopySid");
    fs_trace_number(&call.trace, "nDestinationSidLength", nDestinationSidLength);
    fs_trace_sid(&call.trace, "pSourceSid", pSourceSid);
    if (fs_call_proceed(&call))
        call.err = copy_sid(nDestinationSidLength, pDestinationSid, pSourceSid);
    return fs_call_end_bool(&call);
}

static fs_err AllocateAndInitializeSid_body(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount,
                                     DWORD s0, DWORD s1, DWORD s2, DWORD s3, DWORD s4, DWORD s5, DWORD s6,
                                     DWORD s7, PSID *pSid)
{
    if (!pIdentifierAuthority || !pSid)
        return FS_E_NOACCESS;
    if (nSubAuthorityCount > 8)
        return FS_E_INVALID_SID;
    const DWORD subs[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    size_t len = 8 + 4 * (size_t)nSubAuthorityCount;
    BYTE *sid = fs_mem_alloc(FS_MEM_SID, len, 0, "AllocateAndInitializeSid");
    if (!sid)
        return FS_E_NOMEM;
    sid[0] = SID_REVISION;
    sid[1] = nSubAuthorityCount;
    memcpy(sid + 2, pIdentifierAuthority->Value, 6);
    memcpy(sid + 8, subs, 4 * (size_t)nSubAuthorityCount);
    *pSid = sid;
    return FS_OK;
}


/* The three accessors compute an address and read nothing: Windows does not validate the SID, and
 * sets the last error to ERROR_SUCCESS (doc/semantics.md §37). */
PDWORD WINAPI GetSidSubAuthority(PSID pSid, DWORD nSubAuthority)
{
    FS_GATE_SCOPE();
    fs_last_error_set(fs_win32_error(FS_OK));
    return (PDWORD)((uintptr_t)pSid + 8 + 4 * (uintptr_t)nSubAuthority);
}

PUCHAR WINAPI GetSidSubAuthorityCount(PSID pSid)
{
    FS_GATE_SCOPE();
    fs_last_error_set(fs_win32_error(FS_OK));
    return (PUCHAR)((uintptr_t)pSid + 1);
}

PSID_IDENTIFIER_AUTHORITY WINAPI GetSidIdentifierAuthority(PSID pSid)
{
    FS_GATE_SCOPE();
    fs_last_error_set(fs_win32_error(FS_OK));
    return (PSID_IDENTIFIER_AUTHORITY)((uintptr_t)pSid + 2);
}

BOOL WINAPI AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount,
                                     DWORD s0, DWORD s1, DWORD s2, DWORD s3, DWORD s4, DWORD s5, DWORD s6,
                                     DWORD s7, PSID *pSid)
{
    struct fs_call call;
    fs_call_begin(&call, "AllocateAndInitializeSid");
    fs_trace_number(&call.trace, "nSubAuthorityCount", nSubAuthorityCount);
    if (fs_call_proceed(&call))
        call.err = AllocateAndInitializeSid_body(pIdentifierAuthority, nSubAuthorityCount, s0, s1, s2, s3, s4, s5,
                                                s6, s7, pSid);
    if (fs_call_outputs(&call))
        fs_trace_sid(&call.trace, "pSid", *pSid);
    return fs_call_end_bool(&call);
}

PVOID WINAPI FreeSid(PSID pSid)
{
    struct fs_call call;
    fs_call_begin(&call, "FreeSid"); /* the pointer is not shown: it would differ run to run */
    if (fs_call_proceed(&call) && pSid)
        call.err = fs_mem_free(pSid, FS_MEM_SID, call.api);
    return fs_call_end_freed(&call, pSid);
}

/* ---- sizes, in-place initialisation, prefixes and domains ---- */

DWORD WINAPI GetSidLengthRequired(UCHAR nSubAuthorityCount)
{
    FS_GATE_SCOPE();
    return 8u + 4u * nSubAuthorityCount;
}

static fs_err InitializeSid_body(PSID Sid, PSID_IDENTIFIER_AUTHORITY authority, BYTE count)
{
    if (!Sid || !authority)
        return FS_E_NOACCESS;
    if (count > SID_MAX_SUB_AUTHORITIES)
        return FS_E_INVALID_PARAMETER;
    /* The sub-authorities are the caller's to fill: Windows leaves them as they are. */
    BYTE *sid = Sid;
    sid[0] = SID_REVISION;
    sid[1] = count;
    memcpy(sid + 2, authority->Value, 6);
    return FS_OK;
}

BOOL WINAPI InitializeSid(PSID Sid, PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount)
{
    struct fs_call call;
    fs_call_begin(&call, "InitializeSid");
    fs_trace_number(&call.trace, "nSubAuthorityCount", nSubAuthorityCount);
    if (fs_call_proceed(&call))
        call.err = InitializeSid_body(Sid, pIdentifierAuthority, nSubAuthorityCount);
    return fs_call_end_bool(&call);
}

/* Same revision, authority and count, and every sub-authority but the last (the RID) equal. */
BOOL WINAPI EqualPrefixSid(PSID pSid1, PSID pSid2)
{
    FS_GATE_SCOPE();
    if (!fs_sid_is_valid(pSid1) || !fs_sid_is_valid(pSid2))
        return FALSE;
    const BYTE *a = pSid1, *b = pSid2;
    if (a[1] != b[1])
        return FALSE;
    size_t prefix = 8 + 4 * (size_t)(a[1] ? a[1] - 1 : 0);
    return !memcmp(a, b, prefix) ? TRUE : FALSE;
}

/* An account domain SID is S-1-5-21 and three more sub-authorities; an account SID adds a RID. */
static int account_domain_of(const BYTE *sid)
{
    static const BYTE nt[6] = {0, 0, 0, 0, 0, 5};
    if (sid[1] < 4) /* before reading a sub-authority the SID may not have */
        return 0;
    DWORD first;
    memcpy(&first, sid + 8, sizeof first);
    return !memcmp(sid + 2, nt, 6) && first == SECURITY_NT_NON_UNIQUE;
}

static fs_err GetWindowsAccountDomainSid_body(PSID pSid, PSID pDomainSid, DWORD *cbDomainSid)
{
    if (!fs_sid_is_valid(pSid))
        return FS_E_INVALID_SID;
    if (!cbDomainSid)
        return FS_E_INVALID_PARAMETER;
    if (((const BYTE *)pSid)[1] < 4)
        return FS_E_INVALID_SID;
    if (!account_domain_of(pSid))
        return FS_E_NON_ACCOUNT_SID;
    DWORD need = 8 + 4 * 4;
    if (*cbDomainSid < need || !pDomainSid) {
        *cbDomainSid = need;
        return pDomainSid ? FS_E_INSUFFICIENT_BUFFER : FS_E_INVALID_PARAMETER;
    }
    memmove(pDomainSid, pSid, need);
    ((BYTE *)pDomainSid)[1] = 4;
    *cbDomainSid = need;
    return FS_OK;
}

BOOL WINAPI GetWindowsAccountDomainSid(PSID pSid, PSID pDomainSid, DWORD *cbDomainSid)
{
    struct fs_call call;
    fs_call_begin(&call, "GetWindowsAccountDomainSid");
    fs_trace_sid(&call.trace, "pSid", pSid);
    if (fs_call_proceed(&call))
        call.err = GetWindowsAccountDomainSid_body(pSid, pDomainSid, cbDomainSid);
    if (fs_call_outputs(&call))
        fs_trace_sid(&call.trace, "pDomainSid", pDomainSid);
    return fs_call_end_bool(&call);
}

static int is_builtin(const BYTE *sid)
{
    static const BYTE nt[6] = {0, 0, 0, 0, 0, 5};
    if (sid[1] < 1)
        return 0;
    DWORD first;
    memcpy(&first, sid + 8, sizeof first);
    return !memcmp(sid + 2, nt, 6) && first == SECURITY_BUILTIN_DOMAIN_RID;
}

/* Both in the same account domain, or both BUILTIN; the first must be one or the other
 * (ERROR_NON_DOMAIN_SID), the second may be anything (then not equal). */
static fs_err EqualDomainSid_body(PSID pSid1, PSID pSid2, BOOL *pfEqual)
{
    if (!fs_sid_is_valid(pSid1) || !fs_sid_is_valid(pSid2))
        return FS_E_INVALID_SID;
    if (!pfEqual)
        return FS_E_INVALID_PARAMETER;
    const BYTE *a = pSid1, *b = pSid2;
    if (account_domain_of(a)) {
        *pfEqual = account_domain_of(b) && !memcmp(a + 8, b + 8, 16) ? TRUE : FALSE;
        return FS_OK;
    }
    if (is_builtin(a)) {
        *pfEqual = is_builtin(b) ? TRUE : FALSE;
        return FS_OK;
    }
    return FS_E_NON_DOMAIN_SID;
}

BOOL WINAPI EqualDomainSid(PSID pSid1, PSID pSid2, BOOL *pfEqual)
{
    struct fs_call call;
    fs_call_begin(&call, "EqualDomainSid");
    fs_trace_sid(&call.trace, "pSid1", pSid1);
    fs_trace_sid(&call.trace, "pSid2", pSid2);
    if (fs_call_proceed(&call))
        call.err = EqualDomainSid_body(pSid1, pSid2, pfEqual);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "pfEqual", (uint64_t)*pfEqual);
    return fs_call_end_answer(&call, TRUE); /* Windows sets ERROR_SUCCESS on success */
}

/* ---- well-known SIDs ---- */

/* The SID of a type: fixed, or the RID appended to DomainSid (NULL: the fake domain, the local
 * computer's account domain here; doc/semantics.md §37). */
static fs_err well_known(int type, PSID DomainSid, struct fs_sid *out)
{
    uint32_t rid = 0;
    int kind = fs_wellknown_of_type(type, out, &rid);
    if (kind == 0)
        return FS_E_INVALID_PARAMETER;
    if (kind == 1)
        return FS_OK;
    struct fs_sid domain;
    if (DomainSid) {
        fs_sid_copy_in(&domain, DomainSid);
    } else {
        struct fs_account acct;
        if (fs_account_domain(&acct) != FS_OK)
            return FS_E_INVALID_PARAMETER;
        domain = acct.sid;
    }
    if (domain.count >= SID_MAX_SUB_AUTHORITIES)
        return FS_E_INVALID_PARAMETER;
    fs_sid_append(out, &domain, rid);
    return FS_OK;
}

static fs_err CreateWellKnownSid_body(WELL_KNOWN_SID_TYPE type, PSID DomainSid, PSID pSid, DWORD *cbSid)
{
    if (!cbSid || (DomainSid && !fs_sid_is_valid(DomainSid)))
        return FS_E_INVALID_PARAMETER;
    struct fs_sid sid;
    fs_err err = well_known((int)type, DomainSid, &sid);
    if (err != FS_OK)
        return err;
    DWORD len = (DWORD)fs_sid_length(&sid);
    if (*cbSid < len) {
        *cbSid = len;
        return FS_E_INSUFFICIENT_BUFFER;
    }
    if (!pSid)
        return FS_E_INVALID_PARAMETER;
    memcpy(pSid, &sid, len);
    *cbSid = len;
    return FS_OK;
}

BOOL WINAPI CreateWellKnownSid(WELL_KNOWN_SID_TYPE WellKnownSidType, PSID DomainSid, PSID pSid, DWORD *cbSid)
{
    struct fs_call call;
    fs_call_begin(&call, "CreateWellKnownSid");
    fs_trace_number(&call.trace, "WellKnownSidType", (uint64_t)WellKnownSidType);
    fs_trace_sid(&call.trace, "DomainSid", DomainSid);
    if (fs_call_proceed(&call))
        call.err = CreateWellKnownSid_body(WellKnownSidType, DomainSid, pSid, cbSid);
    if (fs_call_outputs(&call))
        fs_trace_sid(&call.trace, "pSid", pSid);
    return fs_call_end_bool(&call);
}

/* A domain-relative type matches any account SID with its RID (doc/semantics.md §37). */
BOOL WINAPI IsWellKnownSid(PSID pSid, WELL_KNOWN_SID_TYPE WellKnownSidType)
{
    FS_GATE_SCOPE();
    if (!fs_sid_is_valid(pSid))
        return FALSE;
    struct fs_sid want, have;
    uint32_t rid = 0;
    fs_sid_copy_in(&have, pSid);
    switch (fs_wellknown_of_type((int)WellKnownSidType, &want, &rid)) {
    case 1: return fs_sid_equal(&want, &have) ? TRUE : FALSE;
    case 2: return have.count >= 5 && account_domain_of(pSid) && have.sub[have.count - 1] == rid ? TRUE : FALSE;
    default: return FALSE;
    }
}
