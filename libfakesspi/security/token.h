/* Access tokens: refcounted objects, immutable but for what token_adjust.h changes, that handles, threads and contexts hold. */
#ifndef FS_SECURITY_TOKEN_H
#define FS_SECURITY_TOKEN_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "core/object.h"
#include "sid.h"

struct fs_token_group {
    struct fs_sid sid;
    uint32_t attributes; /* SE_GROUP_* */
};

struct fs_token_privilege {
    uint32_t luid;
    uint32_t attributes; /* SE_PRIVILEGE_* */
};

struct fs_logon_session;

struct fs_token {
    struct fs_object base;
    struct fs_sid user;
    uint32_t user_attributes;        /* 0, or SE_GROUP_USE_FOR_DENY_ONLY once CreateRestrictedToken disabled it */
    struct fs_token_group *groups;   /* includes the logon SID and, last, the integrity label */
    size_t ngroups;
    struct fs_token_privilege *privileges;
    size_t nprivileges;
    int owner_group;                 /* index into groups, or -1 for the user */
    int primary_group;               /* index into groups */
    int label_group;                 /* index of the integrity label */
    int type;                        /* TOKEN_TYPE */
    int level;                       /* SECURITY_IMPERSONATION_LEVEL (impersonation tokens) */
    uint64_t token_id, auth_id, modified_id, origin, source_id;
    char source_name[8];
    uint32_t session_id;
    uint32_t logon_type;             /* LOGON32_LOGON_* */
    int from_explicit_logon;         /* made by LogonUser: impersonable without SeImpersonatePrivilege */
    char *account;                   /* "alice" */
    char *domain;                    /* "EXAMPLE" */
    unsigned char *default_dacl;     /* set by SetTokenInformation; NULL: none */
    size_t default_dacl_len;
    int default_dacl_set;            /* 0: the default DACL a logon gets (owner and SYSTEM) */
    /* CreateRestrictedToken's marks (token_restrict.h, doc/semantics.md §45). */
    struct fs_token_group *restricted_sids; /* the restricting SIDs: a second pass of every access check */
    size_t nrestricted;
    int restricted;                  /* has a restricting list (IsTokenRestricted), even one left empty */
    int write_restricted;            /* WRITE_RESTRICTED: the restricting SIDs limit write rights only */
    int sandbox_inert;               /* SANDBOX_INERT (TokenSandBoxInert) */
    int lua;                         /* LUA_TOKEN: recorded only */
    int filtered;                    /* made by CreateRestrictedToken (TokenHasRestrictions) */
    struct fs_logon_session *logon_session; /* auth_id's session, held (logon_session.h); NULL: none */
};

/* Privilege and group attributes, owner, primary group, default DACL and session may change after a token is
 * made (token_adjust.h); readers of those take this lock (one for all tokens: changes are rare). */
void fs_token_state_lock(void);
void fs_token_state_unlock(void);

/* A NEW, empty token (one reference) for the builders to fill. */
struct fs_token *fs_token_new(void);
/* A NEW token: a copy of src with a new TokenId, as DuplicateTokenEx makes. */
FS_MUST_CHECK fs_err fs_token_duplicate(const struct fs_token *src, int type, int level, struct fs_token **out);

/* The token kind: name "token", described as "EXAMPLE\\alice, primary" in reports. */
extern const struct fs_object_ops fs_token_ops;

static inline struct fs_token *fs_token_ref(struct fs_token *t) { fs_object_ref(&t->base); return t; }
static inline void fs_token_unref(struct fs_token *t) { if (t) fs_object_unref(&t->base); }
static inline struct fs_token *fs_token_from_object(struct fs_object *o)
{
    return fs_object_as(o, &fs_token_ops);
}

/* Is sid the user or an enabled group, neither deny-only? The caller holds the state lock (or owns t alone). */
int fs_token_has_enabled_sid(const struct fs_token *t, const struct fs_sid *sid);
/* CheckTokenMembership's rule: an enabled SID, and one of the restricting SIDs too when the token has them
 * (a write-restricted token's list limits writes only). Takes the state lock. */
int fs_token_is_member(const struct fs_token *t, const struct fs_sid *sid);
/* Is sid one of the token's restricting SIDs? (they never change, so no lock) */
int fs_token_has_restricted_sid(const struct fs_token *t, const struct fs_sid *sid);
int fs_token_has_enabled_privilege(const struct fs_token *t, uint32_t luid);
size_t fs_token_live_count(void);

/* GetTokenInformation: writes class cls into buf in Windows' x64 layout, pointers into buf.
 * *needed is always set. FS_E_INSUFFICIENT_BUFFER when len is short. */
FS_MUST_CHECK fs_err fs_token_query(const struct fs_token *t, int cls, void *buf, uint32_t len, uint32_t *needed);

#endif
