/* ACL and ACE functions over security/acl.c: InitializeAcl, AddAce, GetAce, AddAccessAllowedAce, ... */
/* -Wcast-qual is off in this file only: GetAce and friends hand out pointers into the caller's own ACL, which security/acl.c reads through const views. */
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "api.h"
#include "security/acl.h"

BOOL WINAPI InitializeAcl(PACL pAcl, DWORD nAclLength, DWORD dwAclRevision)
{
    struct fs_call call;
    fs_call_begin(&call, "InitializeAcl");
    fs_trace_number(&call.trace, "nAclLength", nAclLength);
    fs_trace_number(&call.trace, "dwAclRevision", dwAclRevision);
    if (fs_call_proceed(&call))
        call.err = pAcl ? fs_acl_init(pAcl, nAclLength, dwAclRevision) : FS_E_NOACCESS;
    return fs_call_end_bool(&call);
}

/* Answers without touching the last error, as IsValidSid does. */
BOOL WINAPI IsValidAcl(PACL pAcl)
{
    FS_GATE_SCOPE();
    return fs_acl_is_valid(pAcl) ? TRUE : FALSE;
}

static fs_err GetAclInformation_body(PACL acl, LPVOID info, DWORD len, ACL_INFORMATION_CLASS cls)
{
    if (!acl || !info)
        return FS_E_NOACCESS;
    if (cls == AclRevisionInformation) {
        if (len < sizeof(ACL_REVISION_INFORMATION))
            return FS_E_INSUFFICIENT_BUFFER;
        ((ACL_REVISION_INFORMATION *)info)->AclRevision = fs_acl_revision(acl);
        return FS_OK;
    }
    if (cls != AclSizeInformation)
        return FS_E_INVALID_PARAMETER;
    if (len < sizeof(ACL_SIZE_INFORMATION))
        return FS_E_INSUFFICIENT_BUFFER;
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    ACL_SIZE_INFORMATION *s = info;
    s->AceCount = fs_acl_count(acl);
    s->AclBytesInUse = (DWORD)fs_acl_bytes_in_use(acl);
    s->AclBytesFree = fs_acl_size(acl) - s->AclBytesInUse;
    return FS_OK;
}

BOOL WINAPI GetAclInformation(PACL pAcl, LPVOID pAclInformation, DWORD nAclInformationLength,
                              ACL_INFORMATION_CLASS dwAclInformationClass)
{
    struct fs_call call;
    fs_call_begin(&call, "GetAclInformation");
    fs_trace_number(&call.trace, "nAclInformationLength", nAclInformationLength);
    fs_trace_number(&call.trace, "dwAclInformationClass", (uint64_t)dwAclInformationClass);
    if (fs_call_proceed(&call))
        call.err = GetAclInformation_body(pAcl, pAclInformation, nAclInformationLength, dwAclInformationClass);
    return fs_call_end_bool(&call);
}

BOOL WINAPI AddAce(PACL pAcl, DWORD dwAceRevision, DWORD dwStartingAceIndex, LPVOID pAceList, DWORD nAceListLength)
{
    struct fs_call call;
    fs_call_begin(&call, "AddAce");
    fs_trace_number(&call.trace, "dwAceRevision", dwAceRevision);
    fs_trace_number(&call.trace, "dwStartingAceIndex", dwStartingAceIndex);
    fs_trace_number(&call.trace, "nAceListLength", nAceListLength);
    if (fs_call_proceed(&call))
        call.err = fs_acl_insert(pAcl, dwAceRevision, dwStartingAceIndex, pAceList, nAceListLength);
    return fs_call_end_bool(&call);
}

static fs_err GetAce_body(PACL acl, DWORD index, LPVOID *ace)
{
    if (!ace)
        return FS_E_NOACCESS;
    struct fs_ace view;
    fs_err err = fs_acl_get(acl, index, &view);
    if (err != FS_OK)
        return err;
    *ace = (LPVOID)view.raw;
    return FS_OK;
}

BOOL WINAPI GetAce(PACL pAcl, DWORD dwAceIndex, LPVOID *pAce)
{
    struct fs_call call;
    fs_call_begin(&call, "GetAce");
    fs_trace_number(&call.trace, "dwAceIndex", dwAceIndex);
    if (fs_call_proceed(&call))
        call.err = GetAce_body(pAcl, dwAceIndex, pAce);
    return fs_call_end_bool(&call);
}

BOOL WINAPI DeleteAce(PACL pAcl, DWORD dwAceIndex)
{
    struct fs_call call;
    fs_call_begin(&call, "DeleteAce");
    fs_trace_number(&call.trace, "dwAceIndex", dwAceIndex);
    if (fs_call_proceed(&call))
        call.err = fs_acl_delete(pAcl, dwAceIndex);
    return fs_call_end_bool(&call);
}

/* The end of the last ACE; NULL (with TRUE) when the ACL has no room left. */
static fs_err FindFirstFreeAce_body(PACL acl, LPVOID *ace)
{
    if (!ace)
        return FS_E_NOACCESS;
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    size_t used = fs_acl_bytes_in_use(acl);
    *ace = used < fs_acl_size(acl) ? (BYTE *)acl + used : NULL;
    return FS_OK;
}

BOOL WINAPI FindFirstFreeAce(PACL pAcl, LPVOID *pAce)
{
    struct fs_call call;
    fs_call_begin(&call, "FindFirstFreeAce");
    if (fs_call_proceed(&call))
        call.err = FindFirstFreeAce_body(pAcl, pAce);
    return fs_call_end_bool(&call);
}

/* The Add*Ace family: one body, the ACE type and the flags allowed differ. Object ACEs carry the GUIDs given
 * (either may be NULL) before the SID, and make the ACL ACL_REVISION_DS (doc/semantics.md §59). */
static fs_err add_ace(PACL acl, DWORD revision, DWORD flags, DWORD allowed_flags, BYTE type, DWORD mask,
                      const GUID *object_type, const GUID *inherited_object_type, PSID sid)
{
    if (flags & ~allowed_flags)
        return FS_E_INVALID_FLAGS;
    return fs_acl_append_object(acl, revision, type, (BYTE)flags, mask, (const uint8_t *)object_type,
                                (const uint8_t *)inherited_object_type, sid);
}

static BOOL traced_add(const char *api, PACL acl, DWORD revision, DWORD flags, DWORD allowed_flags, BYTE type,
                       DWORD mask, const GUID *object_type, const GUID *inherited_object_type, PSID sid)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_number(&call.trace, "dwAceRevision", revision);
    fs_trace_number(&call.trace, "AceFlags", flags);
    fs_trace_number(&call.trace, "AccessMask", mask);
    fs_trace_sid(&call.trace, "pSid", sid);
    if (fs_call_proceed(&call))
        call.err = add_ace(acl, revision, flags, allowed_flags, type, mask, object_type, inherited_object_type, sid);
    return fs_call_end_bool(&call);
}

#define ACE_FLAGS_ALLOWED (VALID_INHERIT_FLAGS | SUCCESSFUL_ACCESS_ACE_FLAG | FAILED_ACCESS_ACE_FLAG)

BOOL WINAPI AddAccessAllowedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask, PSID pSid)
{
    return traced_add("AddAccessAllowedAce", pAcl, dwAceRevision, 0, 0, ACCESS_ALLOWED_ACE_TYPE, AccessMask, NULL, NULL,
                      pSid);
}

BOOL WINAPI AddAccessAllowedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask, PSID pSid)
{
    return traced_add("AddAccessAllowedAceEx", pAcl, dwAceRevision, AceFlags, ACE_FLAGS_ALLOWED,
                      ACCESS_ALLOWED_ACE_TYPE, AccessMask, NULL, NULL, pSid);
}

BOOL WINAPI AddAccessDeniedAce(PACL pAcl, DWORD dwAceRevision, DWORD AccessMask, PSID pSid)
{
    return traced_add("AddAccessDeniedAce", pAcl, dwAceRevision, 0, 0, ACCESS_DENIED_ACE_TYPE, AccessMask, NULL, NULL,
                      pSid);
}

BOOL WINAPI AddAccessDeniedAceEx(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask, PSID pSid)
{
    return traced_add("AddAccessDeniedAceEx", pAcl, dwAceRevision, AceFlags, ACE_FLAGS_ALLOWED,
                      ACCESS_DENIED_ACE_TYPE, AccessMask, NULL, NULL, pSid);
}

BOOL WINAPI AddAccessAllowedObjectAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask,
                                      GUID *ObjectTypeGuid, GUID *InheritedObjectTypeGuid, PSID pSid)
{
    return traced_add("AddAccessAllowedObjectAce", pAcl, dwAceRevision, AceFlags, ACE_FLAGS_ALLOWED,
                      ACCESS_ALLOWED_OBJECT_ACE_TYPE, AccessMask, ObjectTypeGuid, InheritedObjectTypeGuid, pSid);
}

BOOL WINAPI AddAccessDeniedObjectAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD AccessMask,
                                     GUID *ObjectTypeGuid, GUID *InheritedObjectTypeGuid, PSID pSid)
{
    return traced_add("AddAccessDeniedObjectAce", pAcl, dwAceRevision, AceFlags, ACE_FLAGS_ALLOWED,
                      ACCESS_DENIED_OBJECT_ACE_TYPE, AccessMask, ObjectTypeGuid, InheritedObjectTypeGuid, pSid);
}

/* The label's mask is its policy (NO_WRITE_UP, ...): anything else is refused (doc/semantics.md §22). */
static fs_err AddMandatoryAce_body(PACL acl, DWORD revision, DWORD flags, DWORD policy, PSID sid)
{
    if (policy & ~(DWORD)SYSTEM_MANDATORY_LABEL_VALID_MASK)
        return FS_E_INVALID_PARAMETER;
    return add_ace(acl, revision, flags, VALID_INHERIT_FLAGS, SYSTEM_MANDATORY_LABEL_ACE_TYPE, policy, NULL, NULL, sid);
}

BOOL WINAPI AddMandatoryAce(PACL pAcl, DWORD dwAceRevision, DWORD AceFlags, DWORD MandatoryPolicy, PSID pLabelSid)
{
    struct fs_call call;
    fs_call_begin(&call, "AddMandatoryAce");
    fs_trace_number(&call.trace, "dwAceRevision", dwAceRevision);
    fs_trace_number(&call.trace, "AceFlags", AceFlags);
    fs_trace_number(&call.trace, "MandatoryPolicy", MandatoryPolicy);
    fs_trace_sid(&call.trace, "pLabelSid", pLabelSid);
    if (fs_call_proceed(&call))
        call.err = AddMandatoryAce_body(pAcl, dwAceRevision, AceFlags, MandatoryPolicy, pLabelSid);
    return fs_call_end_bool(&call);
}
