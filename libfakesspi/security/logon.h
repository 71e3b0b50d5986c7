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
    const char *package;            /* the logon session's package: "NTLM", "Negotiate"; NULL is "Kerberos" */
};

/* Builds a NEW token for u (no password check: the caller has authenticated u), the first of a new logon
 * session (doc/semantics.md §48). */
FS_MUST_CHECK fs_err fs_logon_build(const struct fs_domain *d, const struct fs_user *u, const struct fs_logon_request *req,
                      struct fs_token **out);

/* The logon an SSPI server makes for an authenticated client (NTLM, Kerberos): a network logon whose
 * NEW impersonation token (identification level when identify) carries the package's source name and
 * extra group (S-1-5-64-10 for NTLM, S-1-18-1 for Kerberos; NULL for none), and a NEW "DOMAIN\user" for the context's
 * names. On failure neither is made. */
fs_err fs_logon_network(const struct fs_domain *d, const struct fs_user *u, const char *source, const char *extra_sid,
                        int identify, struct fs_token **token, char **name);

/* LogonUser: finds the user ("alice", "EXAMPLE\alice" or a UPN when domain is NULL), checks the
 * password in constant time, the account's state, then builds a NEW token. ntlm: the logon is NTLM's (LogonUser's
 * WINNT35 and WINNT40 providers), which the domain's NTLM policy may refuse (doc/semantics.md §57). */
FS_MUST_CHECK fs_err fs_logon_user(const char *user, const char *domain, const char *password, uint32_t logon_type,
                                   int ntlm, struct fs_token **out);

/* LsaLogonUser's logons (doc/semantics.md §44). */
struct fs_lsa_logon_request {
    uint32_t logon_type;            /* SECURITY_LOGON_TYPE: Interactive, Network, Batch, Service, Unlock, NetworkCleartext */
    int token_type;                 /* TokenPrimary or TokenImpersonation */
    int level;                      /* for impersonation tokens */
    char source_name[8];            /* the caller's TOKEN_SOURCE, kept byte for byte */
    uint64_t source_id;
    const struct fs_sid *groups;    /* LocalGroups and the package's own group; may be NULL */
    size_t ngroups;
    const char *package;            /* the package that logged on: "NTLM" (MSV1_0) or "Kerberos" */
};

/* What the profile buffer tells of the account: NEW strings (free()). */
struct fs_logon_profile {
    char *full_name;                /* the display name, "" when it has none */
    char *logon_server;             /* the host that checked the password: the fake domain's computer */
};

/* A logon the LSA makes: with password (MSV1_0 and Kerberos interactive logons) it is checked; with none
 * (S4U) the user is only found, as a name, "DOMAIN\name" or UPN (domain may name the domain or be empty).
 * On success a NEW token and the profile's strings. On failure FS_E_LOGON_FAILURE with *sub FS_E_NO_SUCH_USER or
 * FS_E_WRONG_PASSWORD, or FS_E_ACCOUNT_RESTRICTION with *sub FS_E_ACCOUNT_DISABLED or FS_E_ACCOUNT_EXPIRED;
 * *sub is FS_OK when there is no sub-status. */
FS_MUST_CHECK fs_err fs_logon_lsa(const char *user, const char *domain, const char *password,
                                  const struct fs_lsa_logon_request *req, struct fs_token **out,
                                  struct fs_logon_profile *profile, fs_err *sub);

#endif
