/* SetEntriesInAcl's merge of explicit access entries into an ACL, trustees to SIDs, and the effective
 * rights an ACL gives a trustee (doc/semantics.md §42). */
#ifndef FS_SECURITY_EXPLICIT_ACCESS_H
#define FS_SECURITY_EXPLICIT_ACCESS_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "sid.h"

/* A TRUSTEE as the api layer read it: sid for TRUSTEE_IS_SID, name (UTF-8) for TRUSTEE_IS_NAME. */
struct fs_trustee {
    int form;          /* TRUSTEE_FORM */
    int operation;     /* MULTIPLE_TRUSTEE_OPERATION */
    const void *sid;   /* caller memory, not yet validated */
    const char *name;
};

/* The trustee's SID: names resolve as LookupAccountName does, "CURRENT_USER" is the process's user.
 * FS_E_INVALID_PARAMETER for a bad or unsupported form (or a name trustee that claims impersonation),
 * FS_E_INVALID_SID for a malformed SID, FS_E_NONE_MAPPED for an unknown name. */
FS_MUST_CHECK fs_err fs_trustee_sid(const struct fs_trustee *t, struct fs_sid *out);

/* One EXPLICIT_ACCESS with its trustee resolved. */
struct fs_explicit_entry {
    uint32_t mask;
    int mode;             /* ACCESS_MODE */
    uint32_t inheritance; /* grfInheritance */
    struct fs_sid sid;
    int type;             /* TRUSTEE_TYPE: read out by fs_explicit_entries, ignored by the merge */
};

/* SetEntriesInAcl: entries applied in order to a copy of old_acl (may be NULL), the result in
 * canonical order, explicit deny, explicit allow (and audit), inherited. *out is a NEW LocalAlloc
 * block (FS_MEM_LOCAL, for LocalFree), or NULL when there are no entries and no old ACL.
 * FS_E_INVALID_ACL for a malformed old ACL, FS_E_INVALID_PARAMETER for an unknown mode. */
FS_MUST_CHECK fs_err fs_explicit_merge(const struct fs_explicit_entry *entries, size_t n, const void *old_acl,
                                       const char *api, void **out);

/* GetExplicitEntriesFromAcl: one entry per allow, deny and audit ACE of a valid acl, in ACL order (GRANT_ACCESS,
 * DENY_ACCESS, SET_AUDIT_SUCCESS/FAILURE; the ACE flags' inheritance bits; the SID's account type). *out is NEW
 * (free()), NULL when *n is 0. FS_E_INVALID_ACL for a malformed ACL. */
FS_MUST_CHECK fs_err fs_explicit_entries(const void *acl, struct fs_explicit_entry **out, size_t *n);

/* GetEffectiveRightsFromAcl: what MS-DTYP 2.5.3.2 grants sid (with its groups, when it is a domain
 * user: those of a network logon) through acl, generic bits as they stand in the ACEs. */
FS_MUST_CHECK fs_err fs_effective_rights(const void *acl, const struct fs_sid *sid, uint32_t *out);

#endif
