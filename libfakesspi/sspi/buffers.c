/* SecBuffer handling and FreeContextBuffer-able memory. */
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

fs_err fs_buffers_put_token(PSecBufferDesc out, int allocate, const struct fs_writer *token, const char *api)
{
    PSecBuffer b = fs_buffers_find(out, SECBUFFER_TOKEN);
    if (token->len == 0) {
        if (b) {
            b->cbBuffer = 0;
            if (allocate)
                b->pvBuffer = NULL;
        }
        return FS_OK;
    }
    if (!b)
        return FS_E_INSUFFICIENT_BUFFER;
    if (allocate) {
        void *p = fs_context_buffer(token->len, api);
        if (!p)
            return FS_E_NOMEM;
        memcpy(p, token->data, token->len);
        b->pvBuffer = p;
    } else {
        if (!b->pvBuffer || b->cbBuffer < token->len)
            return FS_E_INSUFFICIENT_BUFFER;
        /* Strict mode: whatever the caller reads past cbBuffer is garbage, not zeros. */
        if (fs_strict())
            memset(b->pvBuffer, FS_STRICT_GARBAGE, b->cbBuffer);
        memcpy(b->pvBuffer, token->data, token->len);
    }
    b->cbBuffer = (ULONG)token->len;
    fs_fault_corrupt_token(b->pvBuffer, token->len);
    return FS_OK;
}

static size_t string_size(const char *s, int wide)
{
    size_t units;
    if (!wide)
        return strlen(s) + 1;
    fs_utf8_to_utf16(s, strlen(s), NULL, 0, &units, 0);
    return (units + 1) * sizeof(WCHAR);
}

/* Writes s at p in the A or W form; returns the bytes used. */
static size_t put_string(char *p, const char *s, int wide)
{
    size_t n = string_size(s, wide), units;
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
    char *p = fs_context_buffer(string_size(s, wide), api);
    if (p)
        put_string(p, s, wide);
    return p;
}

/* SecPkgInfoA and W share their layout but for the string pointers' types. */
static size_t fill_info(SecPkgInfoA *info, char *strings, const struct fs_package *pkg, int wide)
{
    info->fCapabilities = pkg->capabilities;
    info->wVersion = pkg->version;
    info->wRPCID = pkg->rpcid;
    info->cbMaxToken = pkg->max_token;
    info->Name = strings;
    size_t n = put_string(strings, pkg->name, wide);
    info->Comment = strings + n;
    return n + put_string(strings + n, pkg->comment, wide);
}

void *fs_package_info(const struct fs_package *pkg, int wide, const char *api)
{
    size_t size = sizeof(SecPkgInfoA) + string_size(pkg->name, wide) + string_size(pkg->comment, wide);
    SecPkgInfoA *info = fs_context_buffer(size, api);
    if (info)
        fill_info(info, (char *)(info + 1), pkg, wide);
    return info;
}

void *fs_package_info_all(int wide, ULONG *count, const char *api)
{
    size_t n = fs_package_count(), size = n * sizeof(SecPkgInfoA);
    for (size_t i = 0; i < n; i++)
        size += string_size(fs_package_at(i)->name, wide) + string_size(fs_package_at(i)->comment, wide);
    SecPkgInfoA *infos = fs_context_buffer(size, api);
    if (!infos)
        return NULL;
    char *strings = (char *)(infos + n);
    for (size_t i = 0; i < n; i++)
        strings += fill_info(&infos[i], strings, fs_package_at(i), wide);
    *count = (ULONG)n;
    return infos;
}
