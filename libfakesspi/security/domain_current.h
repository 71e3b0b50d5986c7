/* The process's one current domain, shared by every thread. */
#ifndef FS_SECURITY_DOMAIN_CURRENT_H
#define FS_SECURITY_DOMAIN_CURRENT_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "domain.h"

/* The process's current domain. Readers hold it between acquire and release (a read lock);
 * acquire returns NULL while the last load failed. */
const struct fs_domain *fs_domain_acquire(void);
void fs_domain_release(void);
/* Replace the current domain; on failure the current domain becomes unusable (logons fail).
 * A domain file is a regular file of at most FS_DOMAIN_FILE_MAX bytes. */
#define FS_DOMAIN_FILE_MAX (64 << 20)
int fs_domain_install_text(const char *text, const char *source, char *message, size_t cap);
int fs_domain_install_file(const char *path, char *message, size_t cap);
/* Edit the current domain under the write lock. */
int fs_domain_current_add_user(const char *name, uint32_t rid, const char *password, const char *groups,
                               char *message, size_t cap);
int fs_domain_current_add_group(const char *name, uint32_t rid, char *message, size_t cap);
/* ChangeAccountPassword in the running domain (doc/semantics.md §52): the account (a name, "DOMAIN\\name" or UPN; domain
 * empty or naming the domain) proves old_password, as a logon does (a wrong one counts towards the lockout:
 * FS_E_WRONG_PASSWORD), then new_password is its password, set now, and must_change_password is cleared.
 * FS_E_NO_SUCH_DOMAIN, FS_E_NO_SUCH_USER, FS_E_ACCOUNT_LOCKED_OUT, FS_E_ACCOUNT_DISABLED, FS_E_ACCOUNT_EXPIRED,
 * FS_E_DOMAIN_UNUSABLE or FS_E_NOMEM change nothing. through_kdc: the change goes through Kerberos (its AS exchange
 * also refuses outside the logon hours or from another workstation, FS_E_INVALID_LOGON_HOURS /
 * FS_E_INVALID_WORKSTATION); otherwise through MSV1_0's SAM change, which does not look at them
 * (doc/semantics.md §57.5). */
FS_MUST_CHECK fs_err fs_domain_current_change_password(const char *user, const char *domain, const char *old_password,
                                                       const char *new_password, int through_kdc);
/* The current domain's kerberos_accept_any_spn switch, set or cleared; -1 with no domain. */
int fs_domain_current_accept_any_spn(int on, char *message, size_t cap);

#endif
