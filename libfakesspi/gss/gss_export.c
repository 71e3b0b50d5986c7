/* Interprocess tokens through the module (RFC 2744 5.14 and 5.20, doc/semantics.md §72): gss_export_sec_context and
 * gss_import_sec_context over SSPI's packed context. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/handles.h"
#include "gss_context.h"
#include "gss_entry.h"
#include "gssi.h"
#include "sspi/export.h"

/* The module's interprocess token, inside the mechglue's own framing (the length and OID of the mechanism it
 * selected): this magic, the context's mechanism OID (one length byte, then its DER bytes), the client's and the
 * service's principal as gss_inquire_context names them (a 16-bit length, then the text; the Kerberos package's
 * packed state does not keep them), then the SSPI side's packed context as ExportSecurityContext makes it
 * (sspi/export.c). */
static const uint8_t interprocess_magic[6] = {'F', 'S', 'G', 'S', 'S', 1};

static void put_text(struct fs_writer *w, const char *text)
{
    size_t n = text ? strnlen(text, UINT16_MAX) : 0;
    fs_write_u16le(w, (uint16_t)n);
    fs_write_bytes(w, text, n);
}

/* A NEW string, NULL for none; sets r->failed on a malformed one, *nomem when out of memory. */
static char *get_text(struct fs_reader *r, int *nomem)
{
    uint16_t n = fs_read_u16le(r);
    const uint8_t *p = fs_reader_slice(r, r->pos, n);
    if (!p || memchr(p, 0, n)) {
        r->failed = 1;
        return NULL;
    }
    r->pos += n;
    char *text = n ? fs_strndup((const char *)p, n) : NULL;
    if (n && !text)
        *nomem = 1;
    return text;
}

/* Packs an established context into a NEW buffer of the caller's (gss_release_buffer frees it) and deletes it. */
static fs_err export_context(gss_ctx_id_t *handle, gss_buffer_t out, const struct fs_gss_mech **mech_out,
                             const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    if (!handle || *handle == GSS_C_NO_CONTEXT)
        return FS_E_INVALID_HANDLE;
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(*handle, api, &ctx);
    if (err != FS_OK)
        return err;
    struct fs_writer w;
    fs_writer_init(&w);
    pthread_mutex_lock(&ctx->lock);
    const struct fs_gss_mech *mech = *mech_out = ctx->front_end;
    const char *client, *server;
    fs_gss_principals(ctx, &client, &server);
    fs_write_bytes(&w, interprocess_magic, sizeof interprocess_magic);
    fs_write_u8(&w, (uint8_t)mech->oid->length);
    fs_write_bytes(&w, mech->oid->elements, mech->oid->length);
    put_text(&w, client);
    put_text(&w, server);
    /* Only an established context travels, as SSPI's ExportSecurityContext: no handshake state is packed
     * (doc/semantics.md §72). The message streams go on where they were. */
    err = ctx->complete ? fs_context_export(ctx, 0, &w) : FS_E_NOT_SUPPORTED;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (err == FS_OK && !(out->value = malloc(w.len)))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        memcpy(out->value, w.data, out->length = w.len);
        /* The context is gone once packed (RFC 2744 5.14); a racing gss_delete_sec_context that got there first
         * reported itself. */
        fs_err deleted = fs_gss_delete_context(handle, GSS_C_NO_BUFFER, api);
        (void)deleted;
        *handle = GSS_C_NO_CONTEXT;
    }
    fs_writer_free(&w); /* wipes the session keys it held */
    return err;
}

/* MIT's mechglue context (its mglueP.h): what g_exp_sec_context hands an interposer is &internal_ctx_id of one. */
struct mechglue_context {
    struct mechglue_context *loopback; /* itself, while the context is valid */
    gss_OID mech_type;                 /* the OID the mechglue selected: the interposer's OID, then the public one */
    gss_ctx_id_t internal_ctx_id;
};

/* 1 when the call came from MIT's mechglue: the library whose gss_export_sec_context the module links to. */
static int called_by_mechglue(void *caller)
{
    Dl_info at, glue;
    return caller && dladdr(caller, &at) && dladdr((void *)(uintptr_t)gss_export_sec_context, &glue) &&
           at.dli_fbase == glue.dli_fbase;
}

/* MIT's mechglue frames an exported token with its context's OID, which for an interposed mechanism is the
 * interposer's OID followed by the public one; its gss_import_sec_context sends a token so framed to the real
 * mechanism (MIT's krb5, which cannot read it), and one framed with the public OID to the interposer. So that the
 * program's own import comes back here, the module cuts the OID of the mechglue context it just emptied down to
 * the public one, in place (the mechglue frees that context next), only when the call came from the mechglue and
 * the context is the mechglue's and names the exported mechanism (doc/semantics.md §72). */
static void frame_with_public_oid(gss_ctx_id_t *handle, const struct fs_gss_mech *mech, void *caller)
{
    if (!called_by_mechglue(caller))
        return;
    struct mechglue_context *glue =
        (struct mechglue_context *)(void *)((char *)handle - offsetof(struct mechglue_context, internal_ctx_id));
    gss_OID oid = glue->loopback == glue ? glue->mech_type : GSS_C_NO_OID;
    const size_t n = mech->oid->length;
    if (!oid || !oid->elements || oid->length <= n ||
        memcmp((const char *)oid->elements + (oid->length - n), mech->oid->elements, n))
        return;
    memmove(oid->elements, (const char *)oid->elements + (oid->length - n), n);
    oid->length = (OM_uint32)n;
}

OM_uint32 gssi_export_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_buffer_t interprocess_token)
{
    void *caller = __builtin_return_address(0);
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_export_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    const struct fs_gss_mech *mech = NULL;
    call.err = export_context(context_handle, interprocess_token, &mech, call.api);
    if (call.err == FS_OK)
        frame_with_public_oid(context_handle, mech, caller);
    if (fs_gss_call_outputs(&call))
        fs_trace_number(&call.trace, "interprocess_token", interprocess_token->length);
    return fs_gss_call_end(&call, minor_status);
}

/* A NEW context handle from an interprocess token; anything but what export_context made is a defective token.
 * mech_oid: the public OID the mechglue framed the token with (GSS_C_NO_OID: none said). */
static fs_err import_context(gss_const_OID mech_oid, gss_buffer_t in, gss_ctx_id_t *handle, const char *api)
{
    if (!handle)
        return FS_E_NOACCESS;
    *handle = GSS_C_NO_CONTEXT;
    if (!in || !in->value || !in->length)
        return FS_E_INVALID_TOKEN;
    struct fs_reader r;
    fs_reader_init(&r, in->value, in->length);
    uint8_t magic[sizeof interprocess_magic];
    fs_read_bytes(&r, magic, sizeof magic);
    uint8_t oid[255];
    uint8_t oid_len = fs_read_u8(&r);
    fs_read_bytes(&r, oid, oid_len);
    if (r.failed || memcmp(magic, interprocess_magic, sizeof magic))
        return FS_E_INVALID_TOKEN;
    gss_OID_desc packed_oid = {oid_len, oid};
    const struct fs_gss_mech *mech = fs_gss_mech_by_oid(&packed_oid);
    /* The mechglue names the public OID of the frame; a token of another of the module's mechanisms is not one. */
    if (!mech || (mech_oid != GSS_C_NO_OID && fs_gss_mech_by_oid(mech_oid) != mech))
        return FS_E_INVALID_TOKEN;
    int nomem = 0;
    char *client = get_text(&r, &nomem), *server = get_text(&r, &nomem);
    struct fs_context *ctx = NULL;
    fs_err err = nomem ? FS_E_NOMEM : r.failed ? FS_E_INVALID_TOKEN : FS_OK;
    if (err == FS_OK)
        err = fs_context_import(mech->pkg, r.data + r.pos, r.len - r.pos, NULL, &ctx);
    if (err != FS_OK) {
        free(client);
        free(server);
        return err;
    }
    ctx->front_end = mech;
    if (client) { /* the principal, where the SSPI side packed its "EXAMPLE\\alice" */
        free(ctx->client_name);
        ctx->client_name = client;
    }
    if (server) {
        free(ctx->target);
        ctx->target = server;
    }
    uintptr_t value;
    err = fs_handle_open(&ctx->base, 0, fs_gss_tag(), api, &value);
    if (err == FS_OK) {
        ctx->handle = value;
        *handle = (gss_ctx_id_t)value;
    }
    fs_object_unref(&ctx->base);
    return err;
}

/* gss_import_sec_context, once the call has begun. */
static OM_uint32 import_call(struct fs_gss_call *call, OM_uint32 *minor_status, gss_const_OID mech_type,
                             gss_buffer_t interprocess_token, gss_ctx_id_t *context_handle)
{
    fs_trace_number(&call->trace, "interprocess_token", interprocess_token ? interprocess_token->length : 0);
    if (!fs_gss_call_proceed(call))
        return fs_gss_call_end(call, minor_status);
    call->err = import_context(mech_type, interprocess_token, context_handle, call->api);
    if (fs_gss_call_outputs(call))
        fs_trace_handle(&call->trace, "context_handle", (uintptr_t)*context_handle);
    return fs_gss_call_end(call, minor_status);
}

OM_uint32 gssi_import_sec_context(OM_uint32 *minor_status, gss_buffer_t interprocess_token,
                                  gss_ctx_id_t *context_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_import_sec_context), FS_GSS_ON_CONTEXT);
    return import_call(&call, minor_status, GSS_C_NO_OID, interprocess_token, context_handle);
}

/* What MIT's mechglue calls for an interposer's token, with the public OID it was framed with. */
OM_uint32 gssi_import_sec_context_by_mech(OM_uint32 *minor_status, gss_OID mech_type,
                                          gss_buffer_t interprocess_token, gss_ctx_id_t *context_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_import_sec_context), FS_GSS_ON_CONTEXT);
    const struct fs_gss_mech *named = mech_type ? fs_gss_mech_by_oid(mech_type) : NULL;
    fs_trace_string(&call.trace, "mech_type", named ? named->name : NULL);
    return import_call(&call, minor_status, mech_type, interprocess_token, context_handle);
}
