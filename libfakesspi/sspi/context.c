/* Context lifetime: the one place a context, its package state and its token are freed. */
#include "core/alloc.h"
#include "context.h"

#include <stdio.h>
#include <stdlib.h>

#include "capture.h"
#include "core/handles.h"
#include "winnt.h"

static void destroy(struct fs_object *obj)
{
    struct fs_context *c = (struct fs_context *)obj;
    fs_capture_forget(c);
    fs_context_revoke_token(c, "DeleteSecurityContext");
    if (c->state)
        c->pkg->free_state(c->state);
    fs_token_unref(c->token);
    fs_object_unref(&c->cred->base);
    free(c->target);
    free(c->client_name);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

struct fs_context *fs_context_new(struct fs_credential *cred, int server)
{
    struct fs_context *c = fs_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    fs_object_init(&c->base, &fs_context_ops);
    pthread_mutex_init(&c->lock, NULL);
    c->pkg = cred->pkg;
    c->cred = (struct fs_credential *)fs_object_ref(&cred->base);
    c->server = server;
    return c;
}

fs_err fs_context_lend_token(struct fs_context *c, uintptr_t *value, const char *api)
{
    if (!c->lent_token) {
        fs_err err = fs_handle_lend(&c->token->base, TOKEN_ALL_ACCESS, api, c->handle, &fs_context_ops,
                                    &c->lent_token);
        if (err != FS_OK)
            return err;
    }
    *value = c->lent_token;
    return FS_OK;
}

void fs_context_revoke_token(struct fs_context *c, const char *api)
{
    if (c->lent_token) {
        fs_handle_revoke(c->lent_token, api);
        c->lent_token = 0;
    }
}

void fs_context_retire(struct fs_object *taken, const char *api)
{
    struct fs_context *ctx = fs_context_from_object(taken);
    pthread_mutex_lock(&ctx->lock);
    fs_context_revoke_token(ctx, api);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(taken);
}

static void describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_context *c = (const struct fs_context *)obj;
    snprintf(buf, size, "%s %s context%s%s, %s", c->pkg->name, c->server ? "server" : "client",
             c->client_name ? " for " : "", c->client_name ? c->client_name : "",
             c->complete ? "complete" : "mid-handshake");
}

const struct fs_object_ops fs_context_ops = {
    .name = "context", .leak_name = "CONTEXT", .describe = describe, .destroy = destroy};
