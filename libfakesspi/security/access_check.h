/* The access check of MS-DTYP 2.5.3.2 against our tokens: a descriptor, a token, a desired mask. */
#ifndef FS_SECURITY_ACCESS_CHECK_H
#define FS_SECURITY_ACCESS_CHECK_H

#include <stdint.h>
#include "core/error.h"
#include "token.h"

struct fs_generic_mapping {
    uint32_t read, write, execute, all;
};

/* GENERIC_* bits replaced by what the mapping says (MapGenericMask). */
uint32_t fs_map_generic(uint32_t mask, const struct fs_generic_mapping *m);

struct fs_access_result {
    uint32_t granted;     /* the rights granted; 0 when denied */
    int allowed;          /* every desired right was granted */
    int privilege_missing; /* ACCESS_SYSTEM_SECURITY asked without SeSecurityPrivilege */
    uint32_t privileges[2]; /* LUIDs of the privileges used (SeSecurity, SeTakeOwnership) */
    int nprivileges;
};

/* desired is already mapped (no GENERIC_* bits); sd is valid with an owner and a group. A NULL m leaves the
 * ACEs' bits unmapped, generic ones included (GetEffectiveRightsFromAcl, doc/semantics.md §42). */
void fs_access_check(const void *sd, const struct fs_token *t, uint32_t desired, const struct fs_generic_mapping *m,
                     struct fs_access_result *out);

#endif
