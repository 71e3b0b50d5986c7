/* SID functions of advapi32: validity, comparison, copies and allocation. */
#include <string.h>

#include "api.h"
#include "core/lasterror.h"
#include "core/memtrack.h"

BOOL WINAPI IsValidSid(PSID pSid)
{
    fs_api_enter();
    return fs_sid_is_valid(pSid) ? TRUE : FALSE;
}

DWORD WINAPI GetLengthSid(PSID pSid)
{
    fs_api_enter();
    return pSid ? 8u + 4u * ((const BYTE *)pSid)[1] : 0;
}

BOOL WINAPI EqualSid(PSID pSid1, PSID pSid2)
{
    fs_api_enter();
    if (!fs_sid_is_valid(pSid1) || !fs_sid_is_valid(pSid2))
        return fs_fail(FS_E_INVALID_SID);
    /* Windows sets ERROR_SUCCESS when both are valid, equal or not (doc/semantics.md §16). */
    fs_last_error_set(ERROR_SUCCESS);
    DWORD len = GetLengthSid(pSid1);
    return len == GetLengthSid(pSid2) && !memcmp(pSid1, pSid2, len);
}

BOOL WINAPI CopySid(DWORD nDestinationSidLength, PSID pDestinationSid, PSID pSourceSid)
{
    fs_api_enter();
    if (!fs_sid_is_valid(pSourceSid))
        return fs_fail(FS_E_INVALID_SID);
    DWORD len = GetLengthSid(pSourceSid);
    if (nDestinationSidLength < len)
        return fs_fail(FS_E_INSUFFICIENT_BUFFER);
    if (!pDestinationSid)
        return fs_fail(FS_E_NOACCESS);
    memmove(pDestinationSid, pSourceSid, len);
    return TRUE;
}

static BOOL AllocateAndInitializeSid_untraced(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount,
                                     DWORD s0, DWORD s1, DWORD s2, DWORD s3, DWORD s4, DWORD s5, DWORD s6,
                                     DWORD s7, PSID *pSid)
{
    fs_api_enter();
    if (!pIdentifierAuthority || !pSid)
        return fs_fail(FS_E_NOACCESS);
    if (nSubAuthorityCount > 8)
        return fs_fail(FS_E_INVALID_SID);
    const DWORD subs[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    size_t len = 8 + 4 * (size_t)nSubAuthorityCount;
    BYTE *sid = fs_mem_alloc(FS_MEM_SID, len, 0, "AllocateAndInitializeSid");
    if (!sid)
        return fs_fail(FS_E_NOMEM);
    sid[0] = SID_REVISION;
    sid[1] = nSubAuthorityCount;
    memcpy(sid + 2, pIdentifierAuthority->Value, 6);
    memcpy(sid + 8, subs, 4 * (size_t)nSubAuthorityCount);
    *pSid = sid;
    return TRUE;
}

static PVOID FreeSid_untraced(PSID pSid)
{
    fs_api_enter();
    if (!pSid)
        return NULL;
    return fs_mem_free(pSid, FS_MEM_SID, "FreeSid") == FS_OK ? NULL : pSid;
}

PDWORD WINAPI GetSidSubAuthority(PSID pSid, DWORD nSubAuthority)
{
    fs_api_enter();
    /* Windows leaves the result undefined here; NULL is the safe undefined. */
    if (!fs_sid_is_valid(pSid) || nSubAuthority >= ((BYTE *)pSid)[1]) {
        fs_last_error_set(ERROR_INVALID_SID);
        return NULL;
    }
    fs_last_error_set(ERROR_SUCCESS);
    return (PDWORD)((BYTE *)pSid + 8 + 4 * (size_t)nSubAuthority);
}

PUCHAR WINAPI GetSidSubAuthorityCount(PSID pSid)
{
    fs_api_enter();
    if (!fs_sid_is_valid(pSid)) {
        fs_last_error_set(ERROR_INVALID_SID);
        return NULL;
    }
    fs_last_error_set(ERROR_SUCCESS);
    return (PUCHAR)pSid + 1;
}

PSID_IDENTIFIER_AUTHORITY WINAPI GetSidIdentifierAuthority(PSID pSid)
{
    fs_api_enter();
    if (!fs_sid_is_valid(pSid)) {
        fs_last_error_set(ERROR_INVALID_SID);
        return NULL;
    }
    fs_last_error_set(ERROR_SUCCESS);
    return (PSID_IDENTIFIER_AUTHORITY)((BYTE *)pSid + 2);
}

BOOL WINAPI AllocateAndInitializeSid(PSID_IDENTIFIER_AUTHORITY pIdentifierAuthority, BYTE nSubAuthorityCount,
                                     DWORD s0, DWORD s1, DWORD s2, DWORD s3, DWORD s4, DWORD s5, DWORD s6,
                                     DWORD s7, PSID *pSid)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "AllocateAndInitializeSid");
    fs_trace_number(&t, "nSubAuthorityCount", nSubAuthorityCount);
    BOOL ok = AllocateAndInitializeSid_untraced(pIdentifierAuthority, nSubAuthorityCount, s0, s1, s2, s3, s4, s5,
                                                s6, s7, pSid);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_sid(&t, "pSid", *pSid);
    return fs_trace_bool(&t, ok);
}

PVOID WINAPI FreeSid(PSID pSid)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "FreeSid"); /* the pointer is not shown: it would differ run to run */
    PVOID left = FreeSid_untraced(pSid);
    return fs_trace_freed(&t, left);
}
