/* Security descriptor functions over security/security_descriptor.c: initialise, get and set the parts,
 * convert between the absolute and self-relative forms. */
/* -Wcast-qual is off in this file only: the Get* calls hand out pointers into the caller's own descriptor, which security/security_descriptor.c reads through const views. */
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <string.h>

#include "api.h"
#include "security/acl.h"
#include "security/security_descriptor.h"
#include "security/sid.h"

static fs_err InitializeSecurityDescriptor_body(PSECURITY_DESCRIPTOR sd, DWORD revision)
{
    if (!sd)
        return FS_E_NOACCESS;
    if (revision != SECURITY_DESCRIPTOR_REVISION)
        return FS_E_UNKNOWN_REVISION;
    memset(sd, 0, sizeof(SECURITY_DESCRIPTOR));
    ((SECURITY_DESCRIPTOR *)sd)->Revision = SECURITY_DESCRIPTOR_REVISION;
    return FS_OK;
}

BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor, DWORD dwRevision)
{
    struct fs_call call;
    fs_call_begin(&call, "InitializeSecurityDescriptor");
    fs_trace_number(&call.trace, "dwRevision", dwRevision);
    if (fs_call_proceed(&call))
        call.err = InitializeSecurityDescriptor_body(pSecurityDescriptor, dwRevision);
    return fs_call_end_bool(&call);
}

BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor)
{
    struct fs_call call;
    fs_call_begin(&call, "IsValidSecurityDescriptor");
    if (fs_call_proceed(&call))
        call.err = fs_sd_is_valid(pSecurityDescriptor) ? FS_OK : FS_E_INVALID_SECURITY_DESCR;
    return fs_call_end_bool(&call);
}

/* The self-relative size either form would take; cannot fail on Windows. */
DWORD WINAPI GetSecurityDescriptorLength(PSECURITY_DESCRIPTOR pSecurityDescriptor)
{
    FS_GATE_SCOPE();
    struct fs_sd v;
    if (!pSecurityDescriptor || fs_sd_read(pSecurityDescriptor, &v) != FS_OK)
        return 0;
    return (DWORD)fs_sd_relative_length(&v);
}

static fs_err GetSecurityDescriptorControl_body(PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR_CONTROL control,
                                                LPDWORD revision)
{
    if (!sd || !control || !revision)
        return FS_E_NOACCESS;
    const SECURITY_DESCRIPTOR *s = sd;
    *revision = s->Revision;
    if (s->Revision != SECURITY_DESCRIPTOR_REVISION)
        return FS_E_UNKNOWN_REVISION;
    *control = s->Control;
    return FS_OK;
}

BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                         PSECURITY_DESCRIPTOR_CONTROL pControl, LPDWORD lpdwRevision)
{
    struct fs_call call;
    fs_call_begin(&call, "GetSecurityDescriptorControl");
    if (fs_call_proceed(&call))
        call.err = GetSecurityDescriptorControl_body(pSecurityDescriptor, pControl, lpdwRevision);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "Control", *pControl);
    return fs_call_end_bool(&call);
}

/* Only the inheritance bits may be set by the caller (doc/semantics.md §22). */
#define SETTABLE_CONTROL (SE_DACL_AUTO_INHERIT_REQ | SE_SACL_AUTO_INHERIT_REQ | SE_DACL_AUTO_INHERITED | \
                          SE_SACL_AUTO_INHERITED | SE_DACL_PROTECTED | SE_SACL_PROTECTED)

static fs_err SetSecurityDescriptorControl_body(PSECURITY_DESCRIPTOR sd, SECURITY_DESCRIPTOR_CONTROL interest,
                                                SECURITY_DESCRIPTOR_CONTROL set)
{
    if (!sd)
        return FS_E_NOACCESS;
    SECURITY_DESCRIPTOR *s = sd;
    if (s->Revision != SECURITY_DESCRIPTOR_REVISION)
        return FS_E_UNKNOWN_REVISION;
    if ((interest | set) & ~SETTABLE_CONTROL)
        return FS_E_INVALID_PARAMETER;
    s->Control = (WORD)((s->Control & ~interest) | (set & interest));
    return FS_OK;
}

BOOL WINAPI SetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                         SECURITY_DESCRIPTOR_CONTROL ControlBitsOfInterest,
                                         SECURITY_DESCRIPTOR_CONTROL ControlBitsToSet)
{
    struct fs_call call;
    fs_call_begin(&call, "SetSecurityDescriptorControl");
    fs_trace_number(&call.trace, "ControlBitsOfInterest", ControlBitsOfInterest);
    fs_trace_number(&call.trace, "ControlBitsToSet", ControlBitsToSet);
    if (fs_call_proceed(&call))
        call.err = SetSecurityDescriptorControl_body(pSecurityDescriptor, ControlBitsOfInterest, ControlBitsToSet);
    return fs_call_end_bool(&call);
}

/* ---- owner and group ---- */

enum part { OWNER, GROUP, DACL, SACL };

static fs_err get_sid_part(PSECURITY_DESCRIPTOR sd, enum part which, PSID *sid, LPBOOL defaulted)
{
    if (!sd || !sid || !defaulted)
        return FS_E_NOACCESS;
    struct fs_sd v;
    fs_err err = fs_sd_read(sd, &v);
    if (err != FS_OK)
        return err;
    *sid = (PSID)(which == OWNER ? v.owner : v.group);
    *defaulted = (v.control & (which == OWNER ? SE_OWNER_DEFAULTED : SE_GROUP_DEFAULTED)) ? TRUE : FALSE;
    return FS_OK;
}

/* The setters work on the absolute form only: a self-relative descriptor is ERROR_INVALID_SECURITY_DESCR. */
static fs_err absolute(PSECURITY_DESCRIPTOR sd, SECURITY_DESCRIPTOR **out)
{
    if (!sd)
        return FS_E_NOACCESS;
    SECURITY_DESCRIPTOR *s = sd;
    if (s->Revision != SECURITY_DESCRIPTOR_REVISION)
        return FS_E_UNKNOWN_REVISION;
    if (s->Control & SE_SELF_RELATIVE)
        return FS_E_INVALID_SECURITY_DESCR;
    *out = s;
    return FS_OK;
}

static fs_err set_sid_part(PSECURITY_DESCRIPTOR sd, enum part which, PSID sid, BOOL defaulted)
{
    SECURITY_DESCRIPTOR *s;
    fs_err err = absolute(sd, &s);
    if (err != FS_OK)
        return err;
    WORD flag = which == OWNER ? SE_OWNER_DEFAULTED : SE_GROUP_DEFAULTED;
    if (which == OWNER)
        s->Owner = sid;
    else
        s->Group = sid;
    s->Control = (WORD)(defaulted ? s->Control | flag : s->Control & ~flag);
    return FS_OK;
}

static BOOL traced_get_sid(const char *api, PSECURITY_DESCRIPTOR sd, enum part which, PSID *sid, LPBOOL defaulted)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = get_sid_part(sd, which, sid, defaulted);
    if (fs_call_outputs(&call))
        fs_trace_sid(&call.trace, which == OWNER ? "pOwner" : "pGroup", *sid);
    return fs_call_end_bool(&call);
}

static BOOL traced_set_sid(const char *api, PSECURITY_DESCRIPTOR sd, enum part which, PSID sid, BOOL defaulted)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sid(&call.trace, which == OWNER ? "pOwner" : "pGroup", sid);
    fs_trace_number(&call.trace, "bDefaulted", (uint64_t)defaulted);
    if (fs_call_proceed(&call))
        call.err = set_sid_part(sd, which, sid, defaulted);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID *pOwner,
                                       LPBOOL lpbOwnerDefaulted)
{
    return traced_get_sid("GetSecurityDescriptorOwner", pSecurityDescriptor, OWNER, pOwner, lpbOwnerDefaulted);
}

BOOL WINAPI SetSecurityDescriptorOwner(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID pOwner, BOOL bOwnerDefaulted)
{
    return traced_set_sid("SetSecurityDescriptorOwner", pSecurityDescriptor, OWNER, pOwner, bOwnerDefaulted);
}

BOOL WINAPI GetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID *pGroup,
                                       LPBOOL lpbGroupDefaulted)
{
    return traced_get_sid("GetSecurityDescriptorGroup", pSecurityDescriptor, GROUP, pGroup, lpbGroupDefaulted);
}

BOOL WINAPI SetSecurityDescriptorGroup(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID pGroup, BOOL bGroupDefaulted)
{
    return traced_set_sid("SetSecurityDescriptorGroup", pSecurityDescriptor, GROUP, pGroup, bGroupDefaulted);
}

/* ---- DACL and SACL ---- */

/* *present always; the ACL and its defaulted flag only when present, as Windows leaves them otherwise. */
static fs_err get_acl_part(PSECURITY_DESCRIPTOR sd, enum part which, LPBOOL present, PACL *acl, LPBOOL defaulted)
{
    if (!sd || !present || !acl || !defaulted)
        return FS_E_NOACCESS;
    struct fs_sd v;
    fs_err err = fs_sd_read(sd, &v);
    if (err != FS_OK)
        return err;
    WORD present_flag = which == DACL ? SE_DACL_PRESENT : SE_SACL_PRESENT;
    WORD defaulted_flag = which == DACL ? SE_DACL_DEFAULTED : SE_SACL_DEFAULTED;
    *present = (v.control & present_flag) ? TRUE : FALSE;
    if (*present) {
        *acl = (PACL)(which == DACL ? v.dacl : v.sacl);
        *defaulted = (v.control & defaulted_flag) ? TRUE : FALSE;
    }
    return FS_OK;
}

static fs_err set_acl_part(PSECURITY_DESCRIPTOR sd, enum part which, BOOL present, PACL acl, BOOL defaulted)
{
    SECURITY_DESCRIPTOR *s;
    fs_err err = absolute(sd, &s);
    if (err != FS_OK)
        return err;
    WORD present_flag = which == DACL ? SE_DACL_PRESENT : SE_SACL_PRESENT;
    WORD defaulted_flag = which == DACL ? SE_DACL_DEFAULTED : SE_SACL_DEFAULTED;
    if (!present) {
        s->Control &= (WORD)~present_flag;
        return FS_OK;
    }
    if (which == DACL)
        s->Dacl = acl;
    else
        s->Sacl = acl;
    s->Control |= present_flag;
    s->Control = (WORD)(defaulted ? s->Control | defaulted_flag : s->Control & ~defaulted_flag);
    return FS_OK;
}

static BOOL traced_get_acl(const char *api, PSECURITY_DESCRIPTOR sd, enum part which, LPBOOL present, PACL *acl,
                           LPBOOL defaulted)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = get_acl_part(sd, which, present, acl, defaulted);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "Present", (uint64_t)*present);
    return fs_call_end_bool(&call);
}

static BOOL traced_set_acl(const char *api, PSECURITY_DESCRIPTOR sd, enum part which, BOOL present, PACL acl,
                           BOOL defaulted)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_number(&call.trace, "bPresent", (uint64_t)present);
    fs_trace_number(&call.trace, "bDefaulted", (uint64_t)defaulted);
    if (fs_call_proceed(&call))
        call.err = set_acl_part(sd, which, present, acl, defaulted);
    return fs_call_end_bool(&call);
}

BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, LPBOOL lpbDaclPresent, PACL *pDacl,
                                      LPBOOL lpbDaclDefaulted)
{
    return traced_get_acl("GetSecurityDescriptorDacl", pSecurityDescriptor, DACL, lpbDaclPresent, pDacl,
                          lpbDaclDefaulted);
}

BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bDaclPresent, PACL pDacl,
                                      BOOL bDaclDefaulted)
{
    return traced_set_acl("SetSecurityDescriptorDacl", pSecurityDescriptor, DACL, bDaclPresent, pDacl,
                          bDaclDefaulted);
}

BOOL WINAPI GetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, LPBOOL lpbSaclPresent, PACL *pSacl,
                                      LPBOOL lpbSaclDefaulted)
{
    return traced_get_acl("GetSecurityDescriptorSacl", pSecurityDescriptor, SACL, lpbSaclPresent, pSacl,
                          lpbSaclDefaulted);
}

BOOL WINAPI SetSecurityDescriptorSacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bSaclPresent, PACL pSacl,
                                      BOOL bSaclDefaulted)
{
    return traced_set_acl("SetSecurityDescriptorSacl", pSecurityDescriptor, SACL, bSaclPresent, pSacl,
                          bSaclDefaulted);
}

/* ---- the two forms ---- */

static fs_err MakeSelfRelativeSD_body(PSECURITY_DESCRIPTOR abs, PSECURITY_DESCRIPTOR rel, LPDWORD len)
{
    if (!abs || !len)
        return FS_E_NOACCESS;
    struct fs_sd v;
    fs_err err = fs_sd_read(abs, &v);
    if (err != FS_OK)
        return err;
    if (v.control & SE_SELF_RELATIVE)
        return FS_E_BAD_DESCRIPTOR_FORMAT;
    size_t need = fs_sd_relative_length(&v);
    if (*len < need || !rel) {
        *len = (DWORD)need;
        return FS_E_INSUFFICIENT_BUFFER;
    }
    fs_sd_write_relative(&v, rel);
    return FS_OK;
}

BOOL WINAPI MakeSelfRelativeSD(PSECURITY_DESCRIPTOR pAbsoluteSecurityDescriptor,
                               PSECURITY_DESCRIPTOR pSelfRelativeSecurityDescriptor, LPDWORD lpdwBufferLength)
{
    struct fs_call call;
    fs_call_begin(&call, "MakeSelfRelativeSD");
    fs_trace_number(&call.trace, "BufferLength", lpdwBufferLength ? *lpdwBufferLength : 0);
    if (fs_call_proceed(&call))
        call.err = MakeSelfRelativeSD_body(pAbsoluteSecurityDescriptor, pSelfRelativeSecurityDescriptor,
                                           lpdwBufferLength);
    return fs_call_end_bool(&call);
}

/* One part of MakeAbsoluteSD: its size is always reported; it is copied only when everything fits. */
struct part_out {
    const void *src;
    size_t len;
    void *dst;
    DWORD *size;
};

static fs_err MakeAbsoluteSD_body(PSECURITY_DESCRIPTOR rel, PSECURITY_DESCRIPTOR abs, LPDWORD abs_size,
                                  struct part_out parts[4])
{
    if (!rel || !abs_size)
        return FS_E_NOACCESS;
    for (int i = 0; i < 4; i++)
        if (!parts[i].size)
            return FS_E_NOACCESS;
    struct fs_sd v;
    fs_err err = fs_sd_read(rel, &v);
    if (err != FS_OK)
        return err;
    if (!(v.control & SE_SELF_RELATIVE))
        return FS_E_BAD_DESCRIPTOR_FORMAT;
    const void *src[4] = {v.dacl, v.sacl, v.owner, v.group};
    int fits = *abs_size >= sizeof(SECURITY_DESCRIPTOR) && abs;
    for (int i = 0; i < 4; i++) {
        parts[i].src = src[i];
        parts[i].len = !src[i] ? 0 : i < 2 ? fs_acl_size(src[i]) : fs_sd_sid_length(src[i]);
        if (*parts[i].size < parts[i].len || (parts[i].len && !parts[i].dst))
            fits = 0;
    }
    if (!fits) {
        *abs_size = sizeof(SECURITY_DESCRIPTOR);
        for (int i = 0; i < 4; i++)
            *parts[i].size = (DWORD)parts[i].len;
        return FS_E_INSUFFICIENT_BUFFER;
    }
    SECURITY_DESCRIPTOR out = {0};
    out.Revision = SECURITY_DESCRIPTOR_REVISION;
    out.Control = (WORD)(v.control & ~SE_SELF_RELATIVE);
    void *copies[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < 4; i++)
        if (parts[i].len) {
            memcpy(parts[i].dst, parts[i].src, parts[i].len);
            copies[i] = parts[i].dst;
        }
    out.Dacl = copies[0];
    out.Sacl = copies[1];
    out.Owner = copies[2];
    out.Group = copies[3];
    memcpy(abs, &out, sizeof out);
    return FS_OK;
}

BOOL WINAPI MakeAbsoluteSD(PSECURITY_DESCRIPTOR pSelfRelativeSecurityDescriptor,
                           PSECURITY_DESCRIPTOR pAbsoluteSecurityDescriptor, LPDWORD lpdwAbsoluteSecurityDescriptorSize,
                           PACL pDacl, LPDWORD lpdwDaclSize, PACL pSacl, LPDWORD lpdwSaclSize, PSID pOwner,
                           LPDWORD lpdwOwnerSize, PSID pPrimaryGroup, LPDWORD lpdwPrimaryGroupSize)
{
    struct fs_call call;
    fs_call_begin(&call, "MakeAbsoluteSD");
    struct part_out parts[4] = {{NULL, 0, pDacl, lpdwDaclSize},
                                {NULL, 0, pSacl, lpdwSaclSize},
                                {NULL, 0, pOwner, lpdwOwnerSize},
                                {NULL, 0, pPrimaryGroup, lpdwPrimaryGroupSize}};
    if (fs_call_proceed(&call))
        call.err = MakeAbsoluteSD_body(pSelfRelativeSecurityDescriptor, pAbsoluteSecurityDescriptor,
                                       lpdwAbsoluteSecurityDescriptorSize, parts);
    return fs_call_end_bool(&call);
}
