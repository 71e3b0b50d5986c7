/* The parts of a token that may change after it is made (AdjustTokenPrivileges, AdjustTokenGroups, SetTokenInformation),
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
/* One change AdjustTokenGroups asks for: a SID and whether it is to be enabled. */
struct fs_group_change {
    struct fs_sid sid;
    int enable;
};

/* Enables or disables groups of the token, or (reset) sets each back to SE_GROUP_ENABLED_BY_DEFAULT.
 * A mandatory group cannot be disabled (FS_E_CANT_DISABLE_MANDATORY), a deny-only one cannot be enabled
 * (FS_E_CANT_ENABLE_DENY_ONLY); either changes nothing. *previous (NEW, free()) receives the former state of
 * each group changed when want_previous; *needed is the size of that state as a TOKEN_GROUPS, and when it is
 * larger than capacity the call is FS_E_INSUFFICIENT_BUFFER and changes nothing. *not_all is set when a SID
 * named is not a group of the token (the user SID and the integrity label are not) (doc/semantics.md §45). */
FS_MUST_CHECK fs_err fs_token_adjust_groups(struct fs_token *t, int reset, const struct fs_group_change *changes,
                                            size_t n, int want_previous, struct fs_token_group **previous,
                                            size_t *nprevious, size_t *needed, int *not_all, size_t capacity);
/* The owner must be the user or a group of the token marked SE_GROUP_OWNER (FS_E_INVALID_OWNER). */
FS_MUST_CHECK fs_err fs_token_set_owner(struct fs_token *t, const void *sid);
/* The primary group must be the user or one of the token's groups (FS_E_INVALID_PRIMARY_GROUP). */
FS_MUST_CHECK fs_err fs_token_set_primary_group(struct fs_token *t, const void *sid);
/* A copy of acl (size bytes) becomes the default DACL; NULL clears it (no default DACL). */
FS_MUST_CHECK fs_err fs_token_set_default_dacl(struct fs_token *t, const void *acl, size_t size);
FS_MUST_CHECK fs_err fs_token_set_session(struct fs_token *t, uint32_t session);

#endif
