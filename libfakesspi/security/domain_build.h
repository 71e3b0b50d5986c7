/* Building a domain principal by principal: shared by the INI reader and the control API. */
#ifndef FS_SECURITY_DOMAIN_BUILD_H
#define FS_SECURITY_DOMAIN_BUILD_H

#include "domain.h"

/* Each returns NULL/-1 and writes a reason (without file or line) into message on refusal.
 * A returned pointer is valid until the next fs_domain_new_* call on the same domain. */
struct fs_group *fs_domain_new_group(struct fs_domain *d, const char *name, uint32_t rid, char *message,
                                     size_t cap);
struct fs_user *fs_domain_new_user(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap);
int fs_domain_set_user_groups(struct fs_domain *d, struct fs_user *u, const char *list, char *message, size_t cap);
int fs_domain_set_user_privileges(struct fs_user *u, const char *list, char *message, size_t cap);
int fs_domain_set_user_spns(struct fs_user *u, const char *list, char *message, size_t cap);
int fs_domain_set_string(char **field, const char *value, char *message, size_t cap);
/* Fills what was not given: default privileges from the user's groups. */
void fs_domain_finish_user(struct fs_user *u);
/* A GUID drawn from the seeded generator (version 4 bits set). */
void fs_domain_random_guid(uint8_t guid[16]);
int fs_domain_parse_guid(const char *text, uint8_t guid[16]);

/* Adds principals; message explains a refusal. */
int fs_domain_add_group(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap);
int fs_domain_add_user(struct fs_domain *d, const char *name, uint32_t rid, const char *password,
                       const char *groups, char *message, size_t cap);

#endif
