/* Logons: checking a password against the domain and building the token Windows would build. */
#ifndef FS_SECURITY_LOGON_H
#define FS_SECURITY_LOGON_H

#include <stdint.h>
#include "core/error.h"
#include "domain.h"
#include "token.h"

struct fs_logon_request {
    uint32_t logon_type;            /* LOGON32_LOGON_* */
    const char *source;             /* TOKEN_SOURCE name, up to 8 characters */
    int token_type;                 /* TokenPrimary or TokenImpersonation */
    int level;                      /* for impersonation tokens */
    const struct fs_sid *extra;     /* more groups, e.g. NTLM Authentication; may be NULL */
    size_t nextra;
    uint32_t session_id;
    int explicit_logon;             /* LogonUser: the caller proved the password itself */
};

/* Builds a NEW token for u (no password check: the caller has authenticated u). */
FS_MUST_CHECK fs_err fs_logon_build(const struct fs_domain *d, const struct fs_user *u, const struct fs_logon_request *req,
                      struct fs_token **out);

/* The logon an SSPI server makes for an authenticated client (NTLM, Kerberos): a network logon whose
 * NEW impersonation token (identification level when identify) carries the package's source name and
 * extra group (S-1-5-64-10 for NTLM, S-1-18-1 for Kerberos; NULL for none), and a NEW "DOMAIN\user" for the context's
 * names. On failure neither is made. */
fs_err fs_logon_network(const struct fs_domain *d, const struct fs_user *u, const char *source, const char *extra_sid,
                        int identify, struct fs_token **token, char **name);

/* LogonUser: finds the user ("alice", "EXAMPLE\alice" or a UPN when domain is NULL), checks the
 * password in constant time, the account's state, then builds a NEW token. */
FS_MUST_CHECK fs_err fs_logon_user(const char *user, const char *domain, const char *password, uint32_t logon_type,
                     struct fs_token **out);

#endif
