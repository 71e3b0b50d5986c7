/* Which buffers a signature covers and which get encrypted; the package does the cryptography. */
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
        return FS_E_INVALID_TOKEN; /* only DATA buffers: SEC_E_INVALID_TOKEN (SSPI-NOTES §8.16) */
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if (is_data(&msg->pBuffers[i]) && msg->pBuffers[i].cbBuffer && !msg->pBuffers[i].pvBuffer)
            return FS_E_INVALID_TOKEN;
    return FS_OK;
}

/* All DATA buffers, read-only ones included, in order: what a signature covers. */
static uint8_t *data_bytes(PSecBufferDesc msg, size_t *len)
{
    *len = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if (is_data(&msg->pBuffers[i]))
            *len += msg->pBuffers[i].cbBuffer;
    uint8_t *all = malloc(*len + 1);
    if (!all)
        return NULL;
    size_t at = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if (is_data(&msg->pBuffers[i]) && msg->pBuffers[i].cbBuffer) {
            memcpy(all + at, msg->pBuffers[i].pvBuffer, msg->pBuffers[i].cbBuffer);
            at += msg->pBuffers[i].cbBuffer;
        }
    return all;
}

fs_err fs_protect_sign(struct fs_context *ctx, ULONG qop, PSecBufferDesc msg)
{
    PSecBuffer sig;
    fs_err err = prepare(ctx, msg, &sig);
    if (err != FS_OK)
        return err;
    if (qop)
        return FS_E_QOP_NOT_SUPPORTED;
    if (sig->cbBuffer < ctx->pkg->max_signature)
        return FS_E_INSUFFICIENT_BUFFER;
    size_t len;
    uint8_t *data = data_bytes(msg, &len);
    if (!data)
        return FS_E_NOMEM;
    err = ctx->pkg->sign(ctx->state, data, len, sig->pvBuffer, sig->cbBuffer);
    free(data);
    if (err == FS_OK)
        sig->cbBuffer = ctx->pkg->max_signature;
    return err;
}

fs_err fs_protect_verify(struct fs_context *ctx, PSecBufferDesc msg, ULONG *qop)
{
    PSecBuffer sig;
    fs_err err = prepare(ctx, msg, &sig);
    if (err != FS_OK)
        return err;
    size_t len;
    uint8_t *data = data_bytes(msg, &len);
    if (!data)
        return FS_E_NOMEM;
    err = ctx->pkg->verify(ctx->state, data, len, sig->pvBuffer, sig->cbBuffer);
    free(data);
    if (err == FS_OK && qop)
        *qop = 0;
    return err;
}

/* The writable DATA buffers: what gets encrypted in place. */
static size_t writable_parts(PSecBufferDesc msg, uint8_t **parts, size_t *lens)
{
    size_t n = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];
        if (is_data(b) && !(b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM))) {
            parts[n] = b->pvBuffer;
            lens[n] = b->cbBuffer;
            n++;
        }
    }
    return n;
}

static fs_err with_parts(struct fs_context *ctx, PSecBufferDesc msg, PSecBuffer sig, int sealing)
{
    uint8_t **parts = calloc(msg->cBuffers + 1, sizeof *parts);
    size_t *lens = calloc(msg->cBuffers + 1, sizeof *lens);
    fs_err err = FS_E_NOMEM;
    if (parts && lens) {
        size_t n = writable_parts(msg, parts, lens);
        err = sealing ? ctx->pkg->seal(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer)
                      : ctx->pkg->unseal(ctx->state, parts, lens, n, sig->pvBuffer, sig->cbBuffer);
    }
    free(parts);
    free(lens);
    return err;
}

fs_err fs_protect_seal(struct fs_context *ctx, ULONG qop, PSecBufferDesc msg)
{
    PSecBuffer sig;
    fs_err err = prepare(ctx, msg, &sig);
    if (err != FS_OK)
        return err;
    if (qop)
        return FS_E_QOP_NOT_SUPPORTED;
    if (sig->cbBuffer < ctx->pkg->security_trailer)
        return FS_E_INSUFFICIENT_BUFFER;
    err = with_parts(ctx, msg, sig, 1);
    if (err == FS_OK)
        sig->cbBuffer = ctx->pkg->security_trailer;
    return err;
}

fs_err fs_protect_unseal(struct fs_context *ctx, PSecBufferDesc msg, ULONG *qop)
{
    PSecBuffer sig;
    fs_err err = prepare(ctx, msg, &sig);
    if (err != FS_OK)
        return err;
    err = with_parts(ctx, msg, sig, 0);
    if (err == FS_OK && qop)
        *qop = 0;
    return err;
}
