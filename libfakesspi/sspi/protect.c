/* Which buffers a signature covers and which get encrypted; the package does the cryptography. */
#include "core/alloc.h"
#include "protect.h"

#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "capture.h"
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

/* The DATA buffers the signature covers, as parts; sign_only marks the read-only ones, which are never
 * encrypted. SECBUFFER_READONLY_WITH_CHECKSUM data is signed; SECBUFFER_READONLY data only where the
 * package signs it (NTLM), else it is left out (doc/semantics.md §39). */
static size_t data_parts(PSecBufferDesc msg, int signs_readonly, uint8_t **parts, size_t *lens, uint8_t *sign_only)
{
    size_t n = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];
        int checksum = (b->BufferType & SECBUFFER_READONLY_WITH_CHECKSUM) != 0;
        int readonly = (b->BufferType & SECBUFFER_READONLY) != 0;
        if (!is_data(b) || (readonly && !checksum && !signs_readonly))
            continue;
        parts[n] = b->pvBuffer;
        lens[n] = b->cbBuffer;
        sign_only[n] = (uint8_t)(readonly || checksum);
        n++;
    }
    return n;
}

/* Runs op with the parts in small arrays on the stack, or on the heap for unusually many buffers.
 * *sig_len is the signature buffer's room, and on a successful seal the trailer written. */
static fs_err with_parts(struct fs_context *ctx, PSecBufferDesc msg, uint8_t *sig, size_t *sig_len,
                         enum fs_protect_op op, ULONG qop, uint32_t *qop_out)
{
    uint8_t *stack_parts[8];
    size_t stack_lens[8];
    uint8_t stack_sign_only[8];
    int heap = msg->cBuffers > 8;
    uint8_t **parts = heap ? fs_calloc(msg->cBuffers, sizeof *parts) : stack_parts;
    size_t *lens = heap ? fs_calloc(msg->cBuffers, sizeof *lens) : stack_lens;
    uint8_t *sign_only = heap ? fs_calloc(msg->cBuffers, 1) : stack_sign_only;
    fs_err err = FS_E_NOMEM;
    if (parts && lens && sign_only) {
        const struct fs_package *pkg = ctx->pkg;
        int signs_readonly = fs_package_effective(pkg, ctx->state)->signs_readonly;
        size_t n = data_parts(msg, signs_readonly, parts, lens, sign_only);
        switch (op) {
        case FS_PROTECT_SIGN: err = pkg->sign(ctx->state, parts, lens, n, sig, *sig_len); break;
        case FS_PROTECT_VERIFY: err = pkg->verify(ctx->state, parts, lens, n, sig, *sig_len); break;
        case FS_PROTECT_SEAL: err = pkg->seal(ctx->state, qop, parts, lens, sign_only, n, sig, sig_len); break;
        case FS_PROTECT_UNSEAL:
            err = pkg->unseal(ctx->state, parts, lens, sign_only, n, sig, *sig_len, qop_out);
            break;
        }
    }
    if (heap) {
        free(parts);
        free(lens);
        free(sign_only);
    }
    return err;
}

/* DecryptMessage over [SECBUFFER_STREAM, SECBUFFER_DATA]: the package finds where the received message's
 * trailer ends; the data is decrypted in place and the DATA buffer then points at it inside the stream
 * (doc/semantics.md §28). */
static fs_err unseal_stream(struct fs_context *ctx, PSecBufferDesc msg, uint32_t *qop_out)
{
    PSecBuffer stream = fs_buffers_find(msg, SECBUFFER_STREAM), data = fs_buffers_find(msg, SECBUFFER_DATA);
    if (!stream || !data || !stream->pvBuffer)
        return FS_E_INVALID_TOKEN;
    const struct fs_package *pkg = ctx->pkg;
    size_t trailer;
    fs_err err = pkg->stream_split ? pkg->stream_split(ctx->state, stream->pvBuffer, stream->cbBuffer, &trailer)
                                   : FS_E_INVALID_TOKEN;
    if (err != FS_OK)
        return err;
    uint8_t *at = (uint8_t *)stream->pvBuffer + trailer;
    uint8_t *const parts[1] = {at};
    size_t lens[1] = {stream->cbBuffer - trailer};
    err = pkg->unseal(ctx->state, parts, lens, NULL, 1, stream->pvBuffer, trailer, qop_out);
    if (err == FS_OK) {
        data->pvBuffer = at;
        data->cbBuffer = (ULONG)lens[0];
    }
    return err;
}

/* After a seal no padding was needed (RC4 and AES-CTS are stream-like): callers that join the token,
 * data and padding buffers must find the padding empty, as Windows leaves it. */
static void no_padding(PSecBufferDesc msg)
{
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if ((msg->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_PADDING)
            msg->pBuffers[i].cbBuffer = 0;
}

/* FAKESSPI_PCAP: a sealed or signed message as it travels, the trailer (or signature) and then the data
 * buffers' bytes. */
static void capture_message(struct fs_context *ctx, int sent, int sealed, PSecBufferDesc msg, const SecBuffer *trailer)
{
    if (!fs_capture_active())
        return; /* nothing allocated when nothing is captured: alloc#N counts as without the switch */
    struct fs_writer data;
    fs_writer_init(&data);
    for (ULONG i = 0; i < msg->cBuffers; i++)
        if (is_data(&msg->pBuffers[i]))
            fs_write_bytes(&data, msg->pBuffers[i].pvBuffer, msg->pBuffers[i].cbBuffer);
    if (!data.failed)
        fs_capture_message(ctx, sent, sealed, trailer->pvBuffer, trailer->cbBuffer, data.data, data.len);
    fs_writer_free(&data);
}

fs_err fs_protect(struct fs_context *ctx, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out)
{
    const struct fs_package *pkg = fs_package_effective(ctx->pkg, ctx->state);
    uint32_t found_qop = 0;
    /* Windows' NTLM leaves *pfQOP as the caller had it; Kerberos says what the sender used. */
    uint32_t *report = pkg->reports_qop && qop_out ? &found_qop : NULL;
    fs_err err;
    if (op == FS_PROTECT_UNSEAL && msg && msg->pBuffers && msg->ulVersion == SECBUFFER_VERSION &&
        !fs_buffers_find(msg, SECBUFFER_TOKEN) && fs_buffers_find(msg, SECBUFFER_STREAM)) {
        if (ctx->expiry != (uint64_t)FS_TIME_NEVER && fs_clock_now() >= ctx->expiry)
            return FS_E_CONTEXT_EXPIRED;
        err = unseal_stream(ctx, msg, report);
    } else {
        PSecBuffer sig;
        err = prepare(ctx, msg, &sig);
        if (err != FS_OK)
            return err;
        int producing = op == FS_PROTECT_SIGN || op == FS_PROTECT_SEAL;
        /* What the signature takes: a MAC for signing, the security trailer for sealing. */
        uint32_t max_signature = pkg->max_signature, security_trailer = pkg->security_trailer;
        if (ctx->pkg->sizes && ctx->state)
            ctx->pkg->sizes(ctx->state, &max_signature, &security_trailer);
        ULONG room = op == FS_PROTECT_SIGN ? max_signature : security_trailer;
        if (op == FS_PROTECT_SIGN && qop)
            return FS_E_QOP_NOT_SUPPORTED;
        if (producing && sig->cbBuffer < room && !(op == FS_PROTECT_SEAL && qop))
            return FS_E_INSUFFICIENT_BUFFER;
        size_t sig_len = sig->cbBuffer;
        if (op == FS_PROTECT_UNSEAL || op == FS_PROTECT_VERIFY)
            capture_message(ctx, 0, op == FS_PROTECT_UNSEAL, msg, sig);
        err = with_parts(ctx, msg, sig->pvBuffer, &sig_len, op, qop, report);
        if (err == FS_OK && op == FS_PROTECT_SIGN) {
            sig->cbBuffer = room;
            capture_message(ctx, 1, 0, msg, sig);
        }
        if (err == FS_OK && op == FS_PROTECT_SEAL) {
            sig->cbBuffer = (ULONG)sig_len;
            no_padding(msg);
            capture_message(ctx, 1, 1, msg, sig);
        }
    }
    if (err == FS_OK && report)
        *qop_out = found_qop;
    return err;
}
