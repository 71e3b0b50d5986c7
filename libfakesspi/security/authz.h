/* AuthZ's objects (authz.h): resource managers, client contexts and cached access-check results, each a kind of
 * core's one handle table (doc/semantics.md §56). A client context is a snapshot of a token's identity taken
 * when it is made, so later AdjustTokenGroups or a closed token handle do not change it. */
#ifndef FS_SECURITY_AUTHZ_H
#define FS_SECURITY_AUTHZ_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "core/object.h"
#include "sid.h"
#include "token.h"

struct fs_authz_manager {
    struct fs_object base;
    uint32_t flags;       /* AUTHZ_RM_FLAG_* */
    void (*compute_groups)(void); /* the caller's PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS, NULL for none (api/ casts) */
    void (*free_groups)(void);    /* its PFN_AUTHZ_FREE_DYNAMIC_GROUPS */
    char name[128];       /* the resource manager's name, for reports; "" when it has none */
};

struct fs_authz_context {
    struct fs_object base;
    struct fs_token *identity;         /* the snapshot: an identification-level copy (held) */
    struct fs_authz_manager *manager;  /* held: a context keeps its resource manager alive */
    int64_t expiration;                /* the caller's expiration time, INT64 max for none */
    uint64_t identifier;               /* the caller's LUID, as given */
};

/* What AuthzAccessCheck hands back for AuthzCachedAccessCheck: the context and a copy of the descriptor. */
struct fs_authz_results {
    struct fs_object base;
    struct fs_authz_context *context;  /* held */
    void *sd;                          /* a self-relative copy of the descriptor(s) checked */
    struct fs_sid principal_self;
    int has_principal_self;
};

/* The kinds, each reported as "LEAK AUTHZ_HANDLE" when left open. */
extern const struct fs_object_ops fs_authz_manager_ops;
extern const struct fs_object_ops fs_authz_context_ops;
extern const struct fs_object_ops fs_authz_results_ops;

/* A NEW resource manager (one reference); name may be NULL. */
FS_MUST_CHECK fs_err fs_authz_manager_new(uint32_t flags, const char *name, struct fs_authz_manager **out);

/* A NEW client context from a token: its user, groups (none but the integrity label with skip_groups, as
 * AUTHZ_SKIP_TOKEN_GROUPS asks), restricting SIDs and privileges as they are now. */
FS_MUST_CHECK fs_err fs_authz_context_from_token(struct fs_authz_manager *m, const struct fs_token *t, int skip_groups,
                                                 int64_t expiration, uint64_t identifier, struct fs_authz_context **out);

/* A NEW client context for a domain account's SID, with the groups a network logon of it would have (an S4U
 * logon, as Windows makes one); privileges only with privileges set (AUTHZ_COMPUTE_PRIVILEGES).
 * FS_E_NONE_MAPPED for a SID that is no account of the domain. */
FS_MUST_CHECK fs_err fs_authz_context_from_sid(struct fs_authz_manager *m, const struct fs_sid *user, int skip_groups,
                                               int privileges, int64_t expiration, uint64_t identifier,
                                               struct fs_authz_context **out);

/* The groups a resource manager's compute-dynamic-groups callback adds (restricting: to the restricting SIDs,
 * which makes the identity restricted). Called before the context is used by any check. */
FS_MUST_CHECK fs_err fs_authz_context_add_groups(struct fs_authz_context *ctx, const struct fs_token_group *groups,
                                                 size_t n, int restricting);

/* The descriptor AuthzAccessCheck evaluates: primary's owner, group and SACL, and a DACL of primary's ACEs followed
 * by those of each more[i] in order (a missing primary DACL stays missing). A NEW self-relative block (free()).
 * FS_E_INVALID_SECURITY_DESCR for an invalid descriptor or a primary without owner or group, FS_E_INVALID_ACL when
 * the ACEs do not fit one ACL. */
FS_MUST_CHECK fs_err fs_authz_merge_descriptors(const void *primary, const void *const *more, size_t nmore, void **out,
                                                size_t *out_len);

/* A NEW results object holding ctx and a copy of sd_len bytes at sd. */
FS_MUST_CHECK fs_err fs_authz_results_new(struct fs_authz_context *ctx, const void *sd, size_t sd_len,
                                          const struct fs_sid *principal_self, struct fs_authz_results **out);

#endif
