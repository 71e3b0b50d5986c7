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

static DWORD sid_length(const void *sid) { return 8u + 4u * ((const BYTE *)sid)[1]; }

BOOL WINAPI EqualSid(PSID pSid1, PSID pSid2)
{
    struct fs_call call;
    fs_call_begin(&call, "EqualSid");
    fs_trace_sid(&call.trace, "pSid1", pSid1);
    fs_trace_sid(&call.trace, "pSid2", pSid2);
    int equal = 0;
    if (fs_call_proceed(&call)) {
        call.err = fs_sid_is_valid(pSid1) && fs_sid_is_valid(pSid2) ? FS_OK : FS_E_INVALID_SID;
        equal = call.err == FS_OK && sid_length(pSid1) == sid_length(pSid2) &&
                !memcmp(pSid1, pSid2, sid_length(pSid1));
    }
    /* Unequal is FALSE with ERROR_SUCCESS: Windows sets it when both are valid (doc/semantics.md §16). */
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
