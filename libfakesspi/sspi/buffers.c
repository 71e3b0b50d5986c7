/* SecBuffer handling and FreeContextBuffer-able memory: raw blocks and strings in the A or W form. */
#include "buffers.h"

#include <string.h>

#include "core/fault.h"
#include "core/memtrack.h"
#include "core/strict.h"
#include "core/utf.h"

PSecBuffer fs_buffers_find(PSecBufferDesc desc, ULONG type)
{
    if (!desc || !desc->pBuffers)
        return NULL;
    for (ULONG i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}

void *fs_context_buffer(size_t size, const char *api) { return fs_mem_alloc(FS_MEM_CONTEXT_BUFFER, size, 1, api); }

fs_err fs_buffers_reserve_token(PSecBufferDesc out, int allocate, const struct fs_writer *token, const char *api,
                                struct fs_token_slot *slot)
{
    *slot = (struct fs_token_slot){.buffer = fs_buffers_find(out, SECBUFFER_TOKEN), .allocate = allocate};
    if (token->len == 0)
        return FS_OK;
    if (!slot->buffer)
        return FS_E_INSUFFICIENT_BUFFER;
    if (allocate) {
        slot->memory = fs_context_buffer(token->len, api);
        return slot->memory ? FS_OK : FS_E_NOMEM;
    }
    /* Room is what counts: a NULL pvBuffer with room lets the leg go on (doc/semantics.md §46). */
    return slot->buffer->cbBuffer >= token->len ? FS_OK : FS_E_INSUFFICIENT_BUFFER;
}

void fs_buffers_write_token(struct fs_token_slot *slot, const struct fs_writer *token)
{
    PSecBuffer b = slot->buffer;
    if (!b)
        return; /* an empty token needs no buffer */
    if (token->len == 0) {
        b->cbBuffer = 0;
        if (slot->allocate)
            b->pvBuffer = NULL;
        return;
    }
    if (!slot->allocate && !b->pvBuffer) {
        /* Room announced but no memory behind it: Windows 8 and later let the leg succeed, and the token
         * reaches no one (doc/semantics.md §46). */
        b->cbBuffer = (ULONG)token->len;
        return;
    }
    if (slot->allocate) {
        b->pvBuffer = slot->memory;
        slot->memory = NULL;
    } else if (fs_strict()) {
        /* Strict mode: whatever the caller reads past cbBuffer is garbage, not zeros. */
        memset(b->pvBuffer, FS_STRICT_GARBAGE, b->cbBuffer);
    }
    memcpy(b->pvBuffer, token->data, token->len);
    b->cbBuffer = (ULONG)token->len;
    fs_fault_corrupt_token(b->pvBuffer, token->len);
}

void fs_buffers_drop_token(struct fs_token_slot *slot, const char *api)
{
    fs_mem_discard(slot->memory, FS_MEM_CONTEXT_BUFFER, api);
    slot->memory = NULL;
}

fs_err fs_buffers_put_token(PSecBufferDesc out, int allocate, const struct fs_writer *token, const char *api)
{
    struct fs_token_slot slot;
    fs_err err = fs_buffers_reserve_token(out, allocate, token, api, &slot);
    if (err == FS_OK)
        fs_buffers_write_token(&slot, token);
    return err;
}

size_t fs_context_string_size(const char *s, int wide)
{
    size_t units;
    if (!wide)
        return strlen(s) + 1;
    fs_utf8_to_utf16(s, strlen(s), NULL, 0, &units, 0);
    return (units + 1) * sizeof(WCHAR);
}

size_t fs_context_string_put(char *p, const char *s, int wide)
{
    size_t n = fs_context_string_size(s, wide), units;
    if (!wide) {
        memcpy(p, s, n);
    } else {
        fs_utf8_to_utf16(s, strlen(s), (uint16_t *)p, n / sizeof(WCHAR) - 1, &units, 0);
        ((uint16_t *)p)[units] = 0;
    }
    return n;
}

void *fs_context_string(const char *s, int wide, const char *api)
{
    char *p = fs_context_buffer(fs_context_string_size(s, wide), api);
    if (p)
        fs_context_string_put(p, s, wide);
    return p;
}
