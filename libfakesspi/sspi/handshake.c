/* The generic part of InitializeSecurityContext and AcceptSecurityContext (doc/semantics.md §7). */
#include "core/alloc.h"
#include "handshake.h"

#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "core/clock.h"

fs_err fs_handshake_leg(struct fs_context *ctx, const char *target, ULONG req, PSecBufferDesc in,
                        PSecBufferDesc out, int *complete, const char *api)
{
    if (ctx->complete)
        return FS_E_OUT_OF_SEQUENCE; /* a finished context takes no more legs */
    PSecBuffer token = fs_buffers_find(in, SECBUFFER_TOKEN);
    PSecBuffer bindings = fs_buffers_find(in, SECBUFFER_CHANNEL_BINDINGS);
    if (token && token->cbBuffer && !token->pvBuffer)
        return FS_E_INVALID_TOKEN;
    struct fs_step_in step_in = {
        .token = token && token->cbBuffer ? token->pvBuffer : NULL,
        .token_len = token ? token->cbBuffer : 0,
        .bindings = bindings && bindings->pvBuffer ? bindings->pvBuffer : NULL,
        .bindings_len = bindings ? bindings->cbBuffer : 0,
        .target = target,
        .req_flags = req,
        .package_list = ctx->cred->package_list,
    };
    struct fs_step_out step_out = {0};
    fs_writer_init(&step_out.token);
    const struct fs_package *pkg = ctx->pkg;
    fs_err err = ctx->server ? pkg->server_step(&ctx->state, &ctx->cred->id, &step_in, &step_out)
                             : pkg->client_step(&ctx->state, &ctx->cred->id, &step_in, &step_out);
    int allocate = (req & ISC_REQ_ALLOCATE_MEMORY) != 0; /* == ASC_REQ_ALLOCATE_MEMORY */
    struct fs_token_slot slot = {0};
    if (err == FS_OK)
        err = fs_buffers_reserve_token(out, allocate, &step_out.token, api, &slot);
    /* Only a leg that reaches the caller counts: SEC_E_BUFFER_TOO_SMALL invites a retry with a bigger
     * buffer, which a remembered authenticator would refuse as a replay. And a leg refused as a replay
     * leaves the caller's buffers as they were, with nothing allocated for them to free. */
    if (err == FS_OK && step_out.commit)
        err = step_out.commit(step_out.commit_arg);
    if (err == FS_OK)
        fs_buffers_write_token(&slot, &step_out.token);
    fs_buffers_drop_token(&slot, api);
    free(step_out.commit_arg);
    fs_writer_free(&step_out.token);
    if (err != FS_OK) {
        fs_token_unref(step_out.peer_token);
        free(step_out.peer_name);
        return err;
    }
    ctx->req_flags = req;
    ctx->ret_flags = step_out.ret_flags | (allocate ? ISC_RET_ALLOCATED_MEMORY : 0);
    if (!ctx->server && !ctx->target && target)
        ctx->target = fs_strdup(target);
    if (step_out.complete) {
        ctx->complete = 1;
        ctx->start = fs_clock_now();
        if (step_out.expiry)
            ctx->expiry = step_out.expiry;
        ctx->token = step_out.peer_token;
        if (step_out.peer_name) {
            free(ctx->client_name);
            ctx->client_name = step_out.peer_name;
        }
    }
    *complete = step_out.complete;
    return FS_OK;
}
