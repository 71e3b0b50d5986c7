/* Which buffers a signature covers and which get encrypted; the package does the cryptography. */
#include "core/alloc.h"
#include "protect.h"

#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "core/clock.h"

static int is_data(const SecBuffer *b) { return (b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_DATA; }

/* Checks the descriptor shape every call shares; finds the signature (TOKEN) buffer. */
static fs_err prepare(struct fs_context *ctx, PSecBufferDesc msg, PSecBuffer *sig)
{
    if (!msg || !msg->pBuffers || msg->ulVersion != SECBUFFER_VERSION)
        return FS_E_INVALID_TOKEN;
    if (ctx->expiry != (uint64_t)FS_TIME_NEVER && fs_clock_now() >= ctx->expiry)
        return FS_E_CONTEXT_EXPIRED;
    *sig = fs_buffers_find(msg, SECBUFFER_TOKEN);
    if (!*sig || !(*sig)->pvBuffer)
        return FS_E_INVALID_TOKEN; /* only DATA buffers: SEC_E_INVALID_TOKEN (doc/semantics.md §12) */
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if (is_data(&msg->pBuffers[i]) && msg->pBuffers[i].cbBuffer && !msg->pBuffers[i].pvBuffer)
            return FS_E_INVALID_TOKEN;
    return FS_OK;
}

/* The DATA buffers as parts; writable_only leaves out the read-only ones (they are not encrypted). */
static size_t data_parts(PSecBufferDesc msg, int writable_only, uint8_t **parts, size_t *lens)
{
    size_t n = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];
        if (!is_data(b) ||
            (writable_only && (b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM))))
            continue;
        parts[n] = b->pvBuffer;
        lens[n] = b->cbBuffer;
        n++;
    }
    return n;
}

/* Runs op with the parts in small arrays on the stack, or on the heap for unusually many buffers. */
static fs_err with_parts(struct fs_context *ctx, PSecBufferDesc msg, PSecBuffer sig, enum fs_protect_op op)
{
    uint8_t *stack_parts[8];
    size_t stack_lens[8];
    int heap = msg->cBuffers > 8;
    uint8_t **parts = heap ? fs_calloc(msg->cBuffers, sizeof *parts) : stack_parts;
    size_t *lens = heap ? fs_calloc(msg->cBuffers, sizeof *lens) : stack_lens;
    fs_err err = FS_E_NOMEM;
    if (parts && lens) {
        size_t n = data_parts(msg, op == FS_PROTECT_SEAL || op == FS_PROTECT_UNSEAL, parts, lens);
        const struct fs_package *pkg = ctx->pkg;
        switch (op) {
        case FS_PROTECT_SIGN: err = pkg->sign(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer); break;
        case FS_PROTECT_VERIFY: err = pkg->verify(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer); break;
        case FS_PROTECT_SEAL: err = pkg->seal(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer); break;
        case FS_PROTECT_UNSEAL: err = pkg->unseal(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer); break;
        }
    }
    if (heap) {
        free(parts);
        free(lens);
    }
    return err;
}

fs_err fs_protect(struct fs_context *ctx, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out)
{
    PSecBuffer sig;
    fs_err err = prepare(ctx, msg, &sig);
    if (err != FS_OK)
        return err;
    int producing = op == FS_PROTECT_SIGN || op == FS_PROTECT_SEAL;
    /* What the signature takes: a MAC for signing, the security trailer for sealing. */
    const struct fs_package *pkg = fs_package_effective(ctx->pkg, ctx->state);
    ULONG room = op == FS_PROTECT_SIGN ? pkg->max_signature : pkg->security_trailer;
    if (producing && qop)
        return FS_E_QOP_NOT_SUPPORTED;
    if (producing && sig->cbBuffer < room)
        return FS_E_INSUFFICIENT_BUFFER;
    err = with_parts(ctx, msg, sig, op);
    if (err == FS_OK && producing)
        sig->cbBuffer = room;
    if (err == FS_OK && qop_out)
        *qop_out = 0;
    return err;
}
