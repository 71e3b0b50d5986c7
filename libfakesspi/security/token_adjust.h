/* The parts of a token that may change after it is made (AdjustTokenPrivileges, SetTokenInformation),
 * under the one lock that readers of those parts take too (doc/semantics.md §37). */
#ifndef FS_SECURITY_TOKEN_ADJUST_H
#define FS_SECURITY_TOKEN_ADJUST_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "token.h"

/* Enables/disables/removes privileges the token holds (SE_PRIVILEGE_ENABLED, SE_PRIVILEGE_REMOVED), or
 * disables them all. *previous (NEW, free()) receives the former state of each privilege changed when
 * want_previous; a previous state larger than capacity bytes is FS_E_INSUFFICIENT_BUFFER and changes
 * nothing. *not_all is set when a privilege named is not in the token. */
FS_MUST_CHECK fs_err fs_token_adjust_privileges(struct fs_token *t, int disable_all,
                                                const struct fs_token_privilege *changes, size_t n, int want_previous,
                                                struct fs_token_privilege **previous, size_t *nprevious, int *not_all,
                                                size_t capacity);
/* The owner must be the user or a group of the token marked SE_GROUP_OWNER (FS_E_INVALID_OWNER). */
FS_MUST_CHECK fs_err fs_token_set_owner(struct fs_token *t, const void *sid);
/* The primary group must be the user or one of the token's groups (FS_E_INVALID_PRIMARY_GROUP). */
FS_MUST_CHECK fs_err fs_token_set_primary_group(struct fs_token *t, const void *sid);
/* A copy of acl (size bytes) becomes the default DACL; NULL clears it (no default DACL). */
FS_MUST_CHECK fs_err fs_token_set_default_dacl(struct fs_token *t, const void *acl, size_t size);
FS_MUST_CHECK fs_err fs_token_set_session(struct fs_token *t, uint32_t session);

#endif
