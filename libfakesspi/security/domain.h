/* The fake domain's model: its users and groups, and the lookups on them. */
#ifndef FS_SECURITY_DOMAIN_H
#define FS_SECURITY_DOMAIN_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include "domain_index.h"
#include "sid.h"

struct fs_group {
    char *name;
    uint32_t rid;
    struct fs_sid sid;
    char *description;
    uint8_t guid[16];
    struct fs_sid *groups;      /* the groups this group is a member of (nesting): domain groups, BUILTIN aliases */
    size_t ngroups;
    /* [group] scope = domain_local: a domain-local group, which may hold accounts and groups of a trusted domain
     * (members, AD's foreign security principals); its SIDs reach a token only through this domain's KDC or DC
     * (doc/semantics.md §76). */
    int domain_local;
    struct fs_sid *members;     /* [group] members: SIDs of other domains' accounts and groups */
    size_t nmembers;
};

struct fs_user {
    char *name;
    uint32_t rid;
    struct fs_sid sid;
    char *password;             /* never NULL once the user is finished, but for nt_hash_given; its NT hash:
                                 * fs_domain_user_nt_hash */
    /* [user] nt_hash: the account is given by its key, not a password, as an AD export or a keytab gives one: its NT
     * hash, which is its RC4-HMAC key, is the domain's from the load, password is NULL, and its Kerberos encryption
     * types are RC4 only (doc/semantics.md §73). */
    int nt_hash_given;
    char *display;
    char *given;
    char *surname;
    char *upn;
    uint8_t guid[16];
    int disabled;
    int expired;
    uint32_t primary_group_rid;
    struct fs_sid *groups;      /* domain groups and BUILTIN aliases, in file order */
    size_t ngroups;
    uint32_t *privileges;       /* LUIDs; explicit, or the defaults for the user's groups */
    size_t nprivileges;
    char **spns;
    size_t nspns;
    uint32_t supported_enctypes; /* msDS-SupportedEncryptionTypes (security/enctypes.h); 0: the default */
    /* Password policy (doc/semantics.md §52). */
    int must_change_password;   /* [user] must_change_password: AD's pwdLastSet = 0 */
    int password_never_expires; /* [user] password_never_expires: UF_DONT_EXPIRE_PASSWD */
    uint64_t password_last_set; /* FILETIME; default: the virtual time the user was loaded */
    /* [user] trusted_for_delegation: AD's userAccountControl TRUSTED_FOR_DELEGATION; the KDC marks its service
     * tickets OK-AS-DELEGATE, and clients asking to delegate forward their TGT to it (doc/semantics.md §54). */
    int trusted_for_delegation;
    /* [user] allowed_to_delegate_to: AD's msDS-AllowedToDelegateTo, the SPNs the KDC issues this service tickets to
     * as its clients (constrained delegation, S4U2Proxy, doc/semantics.md §54). */
    char **allowed_to_delegate_to;
    size_t nallowed_to_delegate_to;
    /* [user] trusted_to_auth_for_delegation: TRUSTED_TO_AUTH_FOR_DELEGATION, protocol transition: the KDC's S4U2Self
     * tickets to this service are forwardable, so an S4U logon's user can be delegated on (doc/semantics.md §54). */
    int trusted_to_auth_for_delegation;
    /* A member of Protected Users (RID 525), directly, as its primary group or through nesting, as the domain was
     * when the user was made: no NTLM, no delegation, AES only, 4-hour tickets (doc/semantics.md §57). */
    int protected_user;
    /* [user] logon_hours: AD's logonHours, one bit per hour of the week in UTC, bit 0 of byte 0 Sunday 00:00-01:00;
     * consulted only when logon_hours_set (doc/semantics.md §57). */
    uint8_t logon_hours[21];
    int logon_hours_set;
    /* [user] workstations: AD's userWorkstations, the NetBIOS names of the computers it may log on from; none: any. */
    char **workstations;
    size_t nworkstations;
};

/* The domain's account and authentication policy, from [domain] (doc/semantics.md §52). Times in 100 ns units. */
struct fs_domain_policy {
    uint32_t lockout_threshold;  /* bad passwords that lock an account out; 0: never */
    uint64_t lockout_duration;   /* how long a lockout lasts; 0: until the domain is loaded again */
    uint64_t lockout_window;     /* a bad password older than this no longer counts */
    uint64_t max_password_age;   /* 0: passwords never expire */
    int ntlm_disabled;           /* [domain] ntlm = disabled: "Restrict NTLM" to deny all (doc/semantics.md §57) */
    int bindings_required;       /* [domain] channel_bindings = required (doc/semantics.md §57) */
    /* [domain] ntlm_min_server_sec / ntlm_min_client_sec: NtlmMinServerSec and NtlmMinClientSec, the NTLMSSP flags an
     * NTLM acceptor / client requires (doc/semantics.md §57.6); FS_NTLM_MIN_SEC_DEFAULT unless the file sets them. */
    uint32_t ntlm_min_server_sec;
    uint32_t ntlm_min_client_sec;
    /* [domain] lm_compatibility_level / dc_lm_compatibility_level: LmCompatibilityLevel, 0 to 5, of the domain's
     * clients (what an NTLM client sends) and of its domain controller (what an NTLM acceptor takes); the DC's
     * defaults to the clients' (doc/semantics.md §61). */
    int lm_compat_level;
    int dc_lm_compat_level;
    /* [domain] kerberos_max_ticket_age / kerberos_max_renew_age: the Kerberos policy's "Maximum lifetime for user
     * ticket" and "... for user ticket renewal"; 0 (unset): AD's 10 hours and 7 days (doc/semantics.md §62). */
    uint64_t krb_max_ticket_age;
    uint64_t krb_max_renew_age;
};

/* The values the two keys take: NTLMv2 session security (NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) and 128-bit
 * encryption (NTLMSSP_NEGOTIATE_128), MS-NLMP 2.2.2.5; Windows' default since Windows 7 is 128-bit encryption. */
#define FS_NTLM_MIN_SEC_NTLM2 0x00080000u
#define FS_NTLM_MIN_SEC_128 0x20000000u
#define FS_NTLM_MIN_SEC_DEFAULT FS_NTLM_MIN_SEC_128

/* Windows' default LmCompatibilityLevel since Windows Vista: send NTLMv2 only, accept everything
 * (doc/semantics.md §61). */
#define FS_LM_COMPAT_DEFAULT 3

/* One account's lockout state: badPwdCount, badPasswordTime and lockoutTime of AD (MS-ADTS 3.1.1.4.5). */
struct fs_account_state {
    uint32_t bad_count;
    uint64_t bad_time;
    uint64_t lockout_time;      /* 0: not locked out */
    /* Set under the policy's lock while bad_count or lockout_time is not 0, read without it: a good password for an
     * account with nothing recorded changes nothing, and two threads logging on one account share no lock. */
    atomic_bool recorded;
};

/* A user's NT hash, made at its first use rather than at load: a domain of 100,000 accounts would otherwise
 * spend a tenth of its load in MD4 for accounts that never log on. Threads share the domain under its read
 * lock, so the hash is made once without a lock: the one thread that moves state from UNMADE to MAKING writes
 * bytes and then publishes MADE (release); a reader copies bytes only after seeing MADE (acquire). */
enum fs_nt_hash_state { FS_NT_HASH_UNMADE, FS_NT_HASH_MAKING, FS_NT_HASH_MADE, FS_NT_HASH_NONE };
struct fs_nt_hash_once {
    _Atomic unsigned char state; /* an enum fs_nt_hash_state; NONE: the password is not UTF-8 */
    uint8_t bytes[16];
};

struct fs_domain {
    char *netbios;    /* EXAMPLE */
    char *dns;        /* example.test */
    char *computer;   /* NetBIOS name of the fake host, e.g. SERVER */
    struct fs_sid sid;
    uint8_t guid[16];
    int kerberos_accept_any_spn; /* [domain] kerberos_accept_any_spn: any acceptor takes every SPN (doc/semantics.md §41) */
    uint64_t serial;  /* which load this is: every install as the current domain draws a new one (never 0), so that
                       * what was derived from an earlier domain (Kerberos' ticket cache) can tell (doc/semantics.md §49) */
    struct fs_user *users;
    size_t nusers;
    /* users[i]'s NT hash is nt_hashes[i] (users_cap of them): apart from the users, so that a copy of a user
     * (a Kerberos logon's view) never copies a secret, and writable through a const domain. */
    struct fs_nt_hash_once *nt_hashes;
    /* users[i]'s lockout state is accounts[i] (users_cap of them): written through a const domain under
     * account_policy.c's lock, so that threads holding the read lock can count bad passwords. */
    struct fs_account_state *accounts;
    struct fs_domain_policy policy;
    struct fs_group *groups;
    size_t ngroups;
    size_t users_cap, groups_cap;
    /* Lookups in constant time, whatever the domain's size. Names are keyed in Windows' upper case
     * (fs_utf8_upcase), so "Jürgen" and "JÜRGEN" are one account, as on Windows. */
    struct fs_index names;      /* user and group names -> FS_DOMAIN_GROUP_BIT | index, or a user's index */
    struct fs_index rids;       /* RID -> the same */
    struct fs_index upns;       /* users' UPNs -> user index */
    struct fs_index spns;       /* SPNs -> user index */
    struct fs_trust *trusts;    /* [trust NAME] sections (doc/semantics.md §76) */
    size_t ntrusts;
};

/* TRUSTED_DOMAIN_INFORMATION_EX's TrustDirection (ntsecapi.h), as the domain holding the trust sees it: INBOUND,
 * the other domain trusts this one (this domain's accounts log on to its services); OUTBOUND, this domain trusts
 * the other (doc/semantics.md §76). */
#define FS_TRUST_INBOUND 0x1u
#define FS_TRUST_OUTBOUND 0x2u
#define FS_TRUST_BOTH 0x3u

/* A trust with a second domain, and that domain whole (doc/semantics.md §76). */
struct fs_trust {
    struct fs_domain *domain;   /* owned: its users, groups, SPNs and krbtgt; it holds no trusts of its own */
    uint32_t direction;         /* FS_TRUST_* */
    int forest;                 /* a forest trust; otherwise an external one */
    char *password;             /* the trust password, whose keys are the inter-realm keys of both directions */
};

#define FS_DOMAIN_GROUP_BIT 0x80000000u
/* The longest name, UPN or SPN that can be a key (in bytes of upper-cased UTF-8, with its NUL). */
#define FS_DOMAIN_KEY_MAX 3200

/* Frees a domain and everything it holds (passwords and NT hashes wiped). */
void fs_domain_free(struct fs_domain *d);
/* Frees what one user holds (not the user itself). */
void fs_domain_free_user(struct fs_user *u);

/* The user's NT hash (MD4 of the UTF-16LE password; the key NTLM and RC4 Kerberos start from), made at the
 * first call and kept, or given by the domain file (nt_hash_given): 1 and the hash in out, or 0 (out zeroed) when
 * the password is not UTF-8, as no such account can log on. Safe from any number of threads holding the domain's read lock. */
int fs_domain_user_nt_hash(const struct fs_domain *d, const struct fs_user *u, uint8_t out[16]);
/* 1 when given is the user's password: the same text, or for an account given by its NT hash (nt_hash_given) a text
 * of the same NT hash, as a domain controller that keeps only the hash checks it (doc/semantics.md §73). In constant
 * time for a given length. */
int fs_domain_user_password_matches(const struct fs_domain *d, const struct fs_user *u, const char *given);

/* Queries on a domain. Names are matched ASCII case-insensitively; user names may be
 * "alice", "EXAMPLE\alice", "example.test\alice" or "alice@example.test". */
const struct fs_user *fs_domain_find_user(const struct fs_domain *d, const char *name);
const struct fs_user *fs_domain_find_user_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
const struct fs_group *fs_domain_find_group(const struct fs_domain *d, const char *name);
const struct fs_group *fs_domain_find_group_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
/* The user that registered an SPN ("HTTP/host", case-insensitive), or NULL. */
const struct fs_user *fs_domain_find_spn(const struct fs_domain *d, const char *spn);
/* Every group a principal belongs to, directly or through nested groups, once each, the direct ones first
 * in their order: a NEW array in *out (free it). Walks only the groups involved, never the whole domain. */
FS_MUST_CHECK fs_err fs_domain_expand_groups(const struct fs_domain *d, const struct fs_sid *direct, size_t n, struct fs_sid **out,
                               size_t *count);
/* A name's key in the indexes (Windows' upper case); -1 when it cannot be one (not UTF-8, too long). */
int fs_domain_key(const char *name, char key[FS_DOMAIN_KEY_MAX], size_t *len);
/* "EXAMPLE" or "example.test" (or "." for the local machine). */
int fs_domain_is_named(const struct fs_domain *d, const char *name);
/* The trust of d with the domain called name (NetBIOS or DNS name), or NULL (doc/semantics.md §76). */
const struct fs_trust *fs_domain_find_trust(const struct fs_domain *d, const char *name);
/* The RIDs of resource's domain-local groups that one of sids (an account's user and group SIDs, of another
 * domain) is a member of: a NEW array in *rids (free it), none: NULL and 0 (doc/semantics.md §76). */
FS_MUST_CHECK fs_err fs_domain_resource_groups(const struct fs_domain *resource, const struct fs_sid *sids, size_t n,
                                               uint32_t **rids, size_t *count);
/* The same for u, an account of home: its user SID, primary group and groups (nested ones expanded in home). */
FS_MUST_CHECK fs_err fs_domain_user_resource_groups(const struct fs_domain *home, const struct fs_user *u,
                                                    const struct fs_domain *resource, uint32_t **rids, size_t *count);
#endif
