/* Security contexts: a package's state plus what SSPI keeps around it, the access token above all. */
#ifndef FS_SSPI_CONTEXT_H
#define FS_SSPI_CONTEXT_H

#include <pthread.h>
#include <stdint.h>

#include "credential.h"

struct fs_context {
    struct fs_object base;
    pthread_mutex_t lock;         /* one call at a time on a context */
    const struct fs_package *pkg;
    struct fs_credential *cred;   /* a reference: the credential outlives nothing it should not */
    int server;
    void *state;                  /* the package's */
    int complete;
    uint32_t req_flags;
    uint32_t ret_flags;
    char *target;                 /* client: the target name */
    char *client_name;            /* "EXAMPLE\alice": the client's identity, on both sides once known */
    struct fs_token *token;       /* server, once complete: OWNED by the context */
    uintptr_t handle;             /* the context's own handle value (dwUpper) */
    uintptr_t lent_token;         /* the BORROWED handle SECPKG_ATTR_ACCESS_TOKEN hands out, or 0 */
    uint64_t start;
    uint64_t expiry;
    const void *front_end;        /* what the front end that made the context keeps on it (the GSSAPI module: its
                                   * mechanism, doc/semantics.md §64); NULL for SSPI's own */
};

/* A NEW context on cred (which it references). */
struct fs_context *fs_context_new(struct fs_credential *cred, int server);
/* The handle SECPKG_ATTR_ACCESS_TOKEN lends: made on first request, the same value after.
 * Call with ctx->lock held. */
FS_MUST_CHECK fs_err fs_context_lend_token(struct fs_context *ctx, uintptr_t *value, const char *api);
/* Invalidates the lent handle: called when the context is deleted. */
void fs_context_revoke_token(struct fs_context *ctx, const char *api);
/* The end of a context its handle was just closed on (taken: the handle table's reference, which this gives
 * back): the token handle it lent dies now, even if a call in flight still holds the context. */
void fs_context_retire(struct fs_object *taken, const char *api);
/* The context kind: "context", described as "NTLM server context for EXAMPLE\\alice, complete". */
extern const struct fs_object_ops fs_context_ops;

static inline struct fs_context *fs_context_from_object(struct fs_object *o)
{
    return fs_object_as(o, &fs_context_ops);
}

#endif
