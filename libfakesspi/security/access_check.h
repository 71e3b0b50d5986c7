/* The access check of MS-DTYP 2.5.3.2 against our tokens: a descriptor, a token, a desired mask. */
#ifndef FS_SECURITY_ACCESS_CHECK_H
#define FS_SECURITY_ACCESS_CHECK_H

#include <stdint.h>
#include "core/error.h"
#include "sid.h"
#include "token.h"

struct fs_generic_mapping {
    uint32_t read, write, execute, all;
};

/* GENERIC_* bits replaced by what the mapping says (MapGenericMask). */
uint32_t fs_map_generic(uint32_t mask, const struct fs_generic_mapping *m);

/* One decision of the check: where a right was granted or denied, for the trace (doc/semantics.md §23). */
enum fs_access_source {
    FS_ACCESS_PRIVILEGE,  /* SeSecurityPrivilege or SeTakeOwnershipPrivilege granted its right */
    FS_ACCESS_LABEL,      /* the mandatory label denied what a lower integrity level may not have */
    FS_ACCESS_OWNER,      /* the owner's implicit READ_CONTROL|WRITE_DAC */
    FS_ACCESS_NO_DACL,    /* no DACL, or a NULL one: everything asked */
    FS_ACCESS_ACE,        /* an ACE of the DACL */
};

struct fs_access_step {
    enum fs_access_source source;
    int allow;            /* granted (1) or denied (0) */
    uint32_t bits;        /* only the bits this step decided */
    uint32_t ace;         /* FS_ACCESS_ACE: the ACE's index in the DACL, from 0 */
    const void *sid;      /* FS_ACCESS_ACE: its SID (BORROWED from the descriptor) */
    int restricting;      /* the walk of a restricted token's restricting SIDs */
};

#define FS_ACCESS_MAX_STEPS 16

struct fs_access_result {
    uint32_t granted;     /* the rights granted; 0 when denied */
    int allowed;          /* every desired right was granted */
    int privilege_missing; /* ACCESS_SYSTEM_SECURITY asked without SeSecurityPrivilege */
    uint32_t privileges[2]; /* LUIDs of the privileges used (SeSecurity, SeTakeOwnership) */
    int nprivileges;
    struct fs_access_step steps[FS_ACCESS_MAX_STEPS]; /* the decisions, in order */
    int nsteps;
    int steps_left_out;   /* decisions past FS_ACCESS_MAX_STEPS, counted only */
};

/* One element of an object type list (OBJECT_TYPE_LIST): the object itself at level 0, its property sets and
 * properties below it, in depth-first order (MS-DTYP 2.4.2.4 ... 2.5.3.2). */
struct fs_object_type {
    uint16_t level;
    uint8_t guid[16]; /* as Windows stores a GUID */
};

/* What AccessCheckByType refuses as FS_E_INVALID_PARAMETER: a list that does not start with the one level-0
 * element, a level above ACCESS_MAX_LEVEL (4) or more than one below its predecessor, a GUID twice
 * (doc/semantics.md §59). FS_E_NOMEM when the GUIDs cannot be copied to be compared. */
FS_MUST_CHECK fs_err fs_object_types_check(const struct fs_object_type *types, size_t n);

/* The check of one element of an object type list. */
struct fs_access_element {
    uint32_t granted;     /* 0 when denied */
    int allowed;
};

/* desired is already mapped (no GENERIC_* bits); sd is valid with an owner and a group. A NULL m leaves the
 * ACEs' bits unmapped, generic ones included (GetEffectiveRightsFromAcl, doc/semantics.md §42). */
void fs_access_check(const void *sd, const struct fs_token *t, uint32_t desired, const struct fs_generic_mapping *m,
                     struct fs_access_result *out);
/* The same, with the SID an ACE naming PRINCIPAL_SELF (S-1-5-10) stands for: the object's own principal, as
 * AccessCheckByType and AuthzAccessCheck take it (MS-DTYP 2.5.3.2). NULL: such ACEs match only a token that
 * holds S-1-5-10 itself. */
void fs_access_check_self(const void *sd, const struct fs_token *t, uint32_t desired,
                          const struct fs_generic_mapping *m, const struct fs_sid *principal_self,
                          struct fs_access_result *out);
/* The same against an object type list (AccessCheckByType, doc/semantics.md §59): out is the answer for the
 * object as a whole, elements (ntypes entries, may be NULL) the answer for each element. Object ACEs that
 * name a GUID apply to that element and those below it. ntypes 0 is fs_access_check_self. FS_E_NOMEM only. */
FS_MUST_CHECK fs_err fs_access_check_by_type(const void *sd, const struct fs_token *t, uint32_t desired,
                                             const struct fs_generic_mapping *m, const struct fs_sid *principal_self,
                                             const struct fs_object_type *types, size_t ntypes,
                                             struct fs_access_element *elements, struct fs_access_result *out);

#endif
