/* Who the code runs as: the process token, and each thread's impersonation token. */
#ifndef FS_SECURITY_IDENTITY_H
#define FS_SECURITY_IDENTITY_H

#include "core/error.h"
#include "token.h"

/* (Re)builds the process token for a user of the current domain: an interactive primary
 * logon, as the session's shell would have. FS_E_NO_SUCH_USER if the domain lacks the user. */
FS_MUST_CHECK fs_err fs_process_token_set_user(const char *name);
void fs_process_token_clear(void);
/* NEW reference, or NULL if the process has no usable user. */
struct fs_token *fs_process_token(void);

/* NEW reference to the calling thread's impersonation token, or NULL. */
struct fs_token *fs_thread_token(void);
/* NEW reference: the thread token if impersonating, else the process token. */
struct fs_token *fs_effective_token(void);

/* ImpersonateLoggedOnUser: the thread takes its own reference (to a copy for primary tokens),
 * at the level Windows grants (see the rule in identity.c). */
FS_MUST_CHECK fs_err fs_impersonate(struct fs_token *token);
void fs_revert_to_self(void);

#endif
