/* The packed form: a header SSPI owns, then the package's own state. Nothing is trusted on import. */
#include "core/alloc.h"
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "sspi.h"

static const uint8_t magic[6] = {'F', 'S', 'C', 'T', 'X', 1};

static void put_string(struct fs_writer *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    fs_write_u16le(w, (uint16_t)n);
    fs_write_bytes(w, s, n);
}

/* NEW string, or NULL with r->failed set (malformed) or *nomem set. */
static char *get_string(struct fs_reader *r, int *nomem)
{
    uint16_t n = fs_read_u16le(r);
    const uint8_t *p = fs_reader_slice(r, r->pos, n);
    if (!p)
        return NULL;
    r->pos += n;
    if (memchr(p, 0, n)) {
        r->failed = 1;
        return NULL;
    }
    char *s = fs_strndup((const char *)p, n);
    if (!s)
        *nomem = 1;
    return s;
}

fs_err fs_context_export(struct fs_context *ctx, int reset, struct fs_writer *w)
{
    fs_write_bytes(w, magic, sizeof magic);
    put_string(w, ctx->pkg->name);
    fs_write_u8(w, (uint8_t)ctx->server);
    fs_write_u32le(w, ctx->req_flags);
    fs_write_u32le(w, ctx->ret_flags);
    fs_write_u64le(w, ctx->start);
    fs_write_u64le(w, ctx->expiry);
    put_string(w, ctx->client_name);
    put_string(w, ctx->target);
    fs_err err = ctx->pkg->export_state(ctx->state, reset, w);
    return err != FS_OK ? err : w->failed ? FS_E_NOMEM : FS_OK;
}

fs_err fs_context_import(const struct fs_package *pkg, const uint8_t *data, size_t len, struct fs_token *token,
                         struct fs_context **out)
{
    struct fs_reader r;
    fs_reader_init(&r, data, len);
    uint8_t m[sizeof magic];
    fs_read_bytes(&r, m, sizeof m);
    int nomem = 0;
    char *name = get_string(&r, &nomem);
    int server = fs_read_u8(&r);
    uint32_t req = fs_read_u32le(&r), ret = fs_read_u32le(&r);
    uint64_t start = fs_read_u64le(&r), expiry = fs_read_u64le(&r);
    char *client = get_string(&r, &nomem), *target = get_string(&r, &nomem);
    fs_err err = nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    void *state = NULL;
    struct fs_credential *cred = NULL;
    if (nomem || r.failed || memcmp(m, magic, sizeof magic) || !name || strcmp(name, pkg->name) || server > 1)
        goto out;
    err = pkg->import_state(&r, &state);
    if (err != FS_OK)
        goto out;
    if (r.pos != r.len) { /* trailing bytes: not something we packed */
        err = FS_E_INVALID_TOKEN;
        goto out;
    }
    err = fs_credential_for_import(pkg, server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, client, &cred);
    if (err != FS_OK)
        goto out;
    struct fs_context *ctx = fs_context_new(cred, server);
    fs_object_unref(&cred->base);
    if (!ctx) {
        err = FS_E_NOMEM;
        goto out;
    }
    ctx->state = state;
    state = NULL;
    ctx->complete = 1;
    ctx->req_flags = req;
    ctx->ret_flags = ret;
    ctx->start = start;
    ctx->expiry = expiry;
    ctx->client_name = client;
    ctx->target = *target ? target : NULL;
    if (!*target)
        free(target);
    client = target = NULL;
    ctx->token = server && token ? fs_token_ref(token) : NULL;
    *out = ctx;
    err = FS_OK;
out:
    if (state)
        pkg->free_state(state);
    free(name);
    free(client);
    free(target);
    return err;
}
