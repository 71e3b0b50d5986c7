/* The domain controller's account policy: lockout after bad passwords, password age and must-change. */
#ifndef FS_SECURITY_ACCOUNT_POLICY_H
#define FS_SECURITY_ACCOUNT_POLICY_H

#include "core/error.h"
#include "domain.h"

/* What the logon proved of the password. */
enum fs_password_proof {
    FS_PASSWORD_GOOD,   /* the right password (or the key made from it) */
    FS_PASSWORD_BAD,    /* a wrong one: it counts towards the lockout */
    FS_PASSWORD_NONE,   /* no password at all (S4U): only the account's own state is checked */
};

/* The domain controller's verdict on a logon of u, a user of d (which the caller holds), in Windows' order
 * (doc/semantics.md §52): a locked-out account fails whatever the password (FS_E_ACCOUNT_LOCKED_OUT, and the
 * attempt does not count); a wrong password counts towards the lockout (FS_E_WRONG_PASSWORD: the bad password that
 * reaches the threshold still fails as a wrong password, the next logon as locked out); a good one resets the count;
 * then the account's state: FS_E_ACCOUNT_DISABLED, FS_E_ACCOUNT_EXPIRED, FS_E_PASSWORD_MUST_CHANGE,
 * FS_E_PASSWORD_EXPIRED. Thread-safe under the domain's read lock. */
FS_MUST_CHECK fs_err fs_account_verdict(const struct fs_domain *d, const struct fs_user *u,
                                        enum fs_password_proof proof);

/* The protocol a logon proves its password with: the domain's NTLM policy refuses NTLM (doc/semantics.md §57). */
enum fs_logon_protocol {
    FS_LOGON_KERBEROS, /* Kerberos, or a logon that Windows makes with Negotiate (LogonUser's default provider) */
    FS_LOGON_NTLM,     /* an NTLM acceptor's pass-through logon, MSV1_0 in LsaLogonUser, LogonUser's WINNT35/40 */
};

/* The domain controller's verdict on the protocol of a logon of u, before the password is looked at (a refused
 * protocol neither checks nor counts it): FS_E_NTLM_BLOCKED for NTLM when the domain's policy denies NTLM, and
 * FS_E_ACCOUNT_RESTRICTION for NTLM when u is a member of Protected Users (doc/semantics.md §57). */
FS_MUST_CHECK fs_err fs_account_protocol_verdict(const struct fs_domain *d, const struct fs_user *u,
                                                 enum fs_logon_protocol protocol);

/* Whether u is a member of the domain's Protected Users group (RID 525): directly, as its primary group or through
 * nested groups; 0 when the domain has no such group. -1 when memory ran out. Read once, when the user is made
 * (fs_user.protected_user). */
int fs_account_in_protected_users(const struct fs_domain *d, const struct fs_user *u);

/* An acceptor's verdict on the client's channel bindings (Extended Protection, doc/semantics.md §57): with no
 * bindings of its own (acceptor_has 0) it takes any; a client that sent bindings (client_sent) must have sent the
 * acceptor's (same), else FS_E_BAD_BINDINGS; one that sent none is taken unless d requires bindings
 * (channel_bindings = required), then FS_E_BAD_BINDINGS too. d may be NULL (no domain: nothing required). */
FS_MUST_CHECK fs_err fs_bindings_verdict(const struct fs_domain *d, int acceptor_has, int client_sent, int same);

/* Whether the domain loaded lets a member's client send NTLM at all: Negotiate leaves NTLM out when it does not
 * (doc/semantics.md §57). Takes the domain's read lock. */
int fs_domain_policy_allows_ntlm(void);

/* The NTLMSSP flags the domain loaded requires an NTLM acceptor (server 1: NtlmMinServerSec) or client (server 0:
 * NtlmMinClientSec) to negotiate, FS_NTLM_MIN_SEC_* (doc/semantics.md §57.6); with no domain, Windows' default. Takes
 * the domain's read lock. */
uint32_t fs_domain_policy_ntlm_min_sec(int server);

/* The LmCompatibilityLevel (0 to 5) of the domain loaded: its clients' (dc 0: what an NTLM client sends) or its
 * domain controller's (dc 1: what an NTLM acceptor takes), doc/semantics.md §61; with no domain, Windows' default 3.
 * Takes the domain's read lock. */
int fs_domain_policy_lm_compat_level(int dc);

/* The same verdict for a logon from the computer named workstation (the NTLM AUTHENTICATE message's; NULL: this
 * host, the domain's computer); after the account's own state, its logon hours on the virtual clock
 * (FS_E_INVALID_LOGON_HOURS) and workstations (FS_E_INVALID_WORKSTATION) are checked (doc/semantics.md §57). */
FS_MUST_CHECK fs_err fs_account_verdict_from(const struct fs_domain *d, const struct fs_user *u,
                                             enum fs_password_proof proof, const char *workstation);

/* AD's logonHours from a domain file's text: "all", "none", 42 hex digits (the attribute's 21 bytes) or a list such
 * as "Mon-Fri 08-18, Sat 09-12, Sun" (UTC hours, the end excluded; a day alone is the whole day). -1 for anything
 * else. */
int fs_logon_hours_parse(const char *text, uint8_t out[21]);

/* Whether u is locked out now (a lockout past its duration is over). */
int fs_account_locked_out(const struct fs_domain *d, const struct fs_user *u);

/* When u's password expires under d's maximum password age (FILETIME), or FS_TIME_NEVER. */
int64_t fs_account_password_expiry(const struct fs_domain *d, const struct fs_user *u);

#endif
