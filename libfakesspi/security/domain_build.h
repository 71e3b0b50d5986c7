/* Building a domain principal by principal: shared by the INI reader and the control API. */
#ifndef FS_SECURITY_DOMAIN_BUILD_H
#define FS_SECURITY_DOMAIN_BUILD_H

#include "domain.h"

/* Makes room for so many users and groups in all (a loader that knows its counts), or -1. */
int fs_domain_reserve(struct fs_domain *d, size_t users, size_t groups);
/* Each returns NULL/-1 and writes a reason (without file or line) into message on refusal.
 * A returned pointer is valid until the next fs_domain_new_* call on the same domain. */
struct fs_group *fs_domain_new_group(struct fs_domain *d, const char *name, uint32_t rid, char *message,
                                     size_t cap);
struct fs_user *fs_domain_new_user(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap);
int fs_domain_set_user_groups(struct fs_domain *d, struct fs_user *u, const char *list, char *message, size_t cap);
int fs_domain_set_user_privileges(struct fs_user *u, const char *list, char *message, size_t cap);
int fs_domain_set_user_spns(struct fs_user *u, const char *list, char *message, size_t cap);
/* allowed_to_delegate_to: a comma-separated list of SPNs, not checked against the domain's (msDS-AllowedToDelegateTo
 * may name services of other domains). */
int fs_domain_set_user_delegation_targets(struct fs_user *u, const char *list, char *message, size_t cap);
/* workstations: a comma-separated list of NetBIOS computer names (AD's userWorkstations, doc/semantics.md §57). */
int fs_domain_set_user_workstations(struct fs_user *u, const char *list, char *message, size_t cap);
/* nt_hash: 32 hex digits, the account's NT hash (its RC4-HMAC key), given instead of a password; it is the user's
 * from now on (doc/semantics.md §73). */
int fs_domain_set_user_nt_hash(struct fs_domain *d, struct fs_user *u, const char *hex, char *message, size_t cap);
int fs_domain_set_string(char **field, const char *value, char *message, size_t cap);
/* The groups a group is nested in (domain groups declared before the call, or BUILTIN aliases). */
int fs_domain_set_group_groups(struct fs_domain *d, struct fs_group *g, const char *list, char *message, size_t cap);
/* Completes a user made by fs_domain_new_user: refuses a UPN or SPN another account has, fills what was not
 * given (default privileges from the user's groups) and puts the user in the indexes; the NT hash waits for its
 * first use (fs_domain_user_nt_hash), unless it was given (fs_domain_set_user_nt_hash), which makes the user one
 * without a password whose encryption types are RC4's.
 * On refusal the user is still in the array and in the name and RID indexes, where fs_domain_new_user put it
 * (fs_domain_add_user takes it out of all three), but in no other index. */
int fs_domain_finish_user(struct fs_domain *d, struct fs_user *u, char *message, size_t cap);
/* A GUID drawn from the seeded generator (version 4 bits set). */
void fs_domain_random_guid(uint8_t guid[16]);
int fs_domain_parse_guid(const char *text, uint8_t guid[16]);

/* Adds principals; message explains a refusal. */
int fs_domain_add_group(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap);
int fs_domain_add_user(struct fs_domain *d, const char *name, uint32_t rid, const char *password,
                       const char *groups, char *message, size_t cap);

#endif
