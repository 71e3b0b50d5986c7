/* Message protection through the module (RFC 4121 4.2 for Kerberos, MS-NLMP 3.4 for NTLM: the tokens SSPI's
 * MakeSignature and EncryptMessage make): gss_wrap, gss_unwrap, gss_get_mic, gss_verify_mic, gss_wrap_size_limit. */
#include <stdlib.h>
#include <string.h>

#include "gss_context.h"
#include "gss_entry.h"
#include "gssi.h"
#include "packages/kerberos/krb_gss.h"

fs_err fs_gss_protection_of(gss_ctx_id_t h, const char *api, struct fs_gss_protection *out)
{
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    if (ctx->complete) {
        out->pkg = fs_package_effective(ctx->pkg, ctx->state);
        out->max_signature = out->pkg->max_signature;
        out->security_trailer = out->pkg->security_trailer;
        if (ctx->pkg->sizes && ctx->state)
            ctx->pkg->sizes(ctx->state, &out->max_signature, &out->security_trailer);
        out->mech = ctx->front_end;
    }
    int complete = ctx->complete;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return complete ? FS_OK : FS_E_INVALID_HANDLE; /* not established: no context yet, as MIT's mechanism says */
}

/* NTLM's Wrap token is always sealed, whatever conf_req_flag says, as gss-ntlmssp makes it (doc/semantics.md §64). */
int fs_gss_always_seals(const struct fs_gss_protection *p) { return p->pkg == &fs_ntlm_package; }

/* RFC 2744 5.34: the largest message whose Wrap token fits in req_output_size bytes. */
static fs_err wrap_size_limit(gss_ctx_id_t h, int conf_req, OM_uint32 req_output_size, OM_uint32 *max_input,
                              const char *api)
{
    struct fs_gss_protection p;
    fs_err err = fs_gss_protection_of(h, api, &p);
    if (err != FS_OK)
        return err;
    if (!max_input)
        return FS_E_NOACCESS;
    const OM_uint32 overhead = conf_req || fs_gss_always_seals(&p) ? p.security_trailer : WRAP_SIGN_ONLY_OVERHEAD;
    *max_input = req_output_size > overhead ? req_output_size - overhead : 0;
    return FS_OK;
}

OM_uint32 gssi_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                               gss_qop_t qop_req, OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_size_limit), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "req_output_size", req_output_size);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_size_limit(context_handle, conf_req_flag, req_output_size, max_input_size, call.api);
    if (fs_gss_call_outputs(&call))
        fs_trace_number(&call.trace, "max_input_size", *max_input_size);
    return fs_gss_call_end(&call, minor_status);
}

/* Runs op on a complete context under its lock. */
fs_err fs_gss_protect(gss_ctx_id_t h, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out,
               const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    err = ctx->complete ? fs_protect(ctx, op, qop, msg, qop_out) : FS_E_INVALID_HANDLE;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return err;
}

/* What wrap, unwrap and get_mic do first: an empty output for the caller, and the context's protection. */
static fs_err begin_output(gss_ctx_id_t h, gss_buffer_t out, const char *api, struct fs_gss_protection *p)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    return fs_gss_protection_of(h, api, p);
}

static fs_err wrap(gss_ctx_id_t h, int conf_req, gss_buffer_t in, int *conf_state, gss_buffer_t out, const char *api)
{
    struct fs_gss_protection p;
    fs_err err = begin_output(h, out, api, &p);
    if (err != FS_OK)
        return err;
    const size_t room = p.security_trailer;
    if (!in || (in->length && !in->value) || in->length > UINT32_MAX - room)
        return FS_E_INVALID_PARAMETER;
    uint8_t *b = malloc(room + in->length + 1);
    if (!b)
        return FS_E_NOMEM;
    if (in->length)
        memcpy(b + room, in->value, in->length);
    /* The Wrap token is the trailer and then the (encrypted) data, as EncryptMessage lays them out: RFC 4121's
     * token with Kerberos, NTLM's 16-byte signature and the sealed data as gss-ntlmssp's gss_wrap writes them. */
    const int seal = conf_req || fs_gss_always_seals(&p);
    SecBuffer bufs[2] = {{(ULONG)room, SECBUFFER_TOKEN, b}, {(ULONG)in->length, SECBUFFER_DATA, b + room}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    err = fs_gss_protect(h, FS_PROTECT_SEAL, seal ? 0 : KRB_QOP_NO_ENCRYPT, &desc, NULL, api);
    if (err != FS_OK) {
        free(b);
        return err;
    }
    if (bufs[0].cbBuffer < room) /* a shorter trailer (no encryption): the data follows it */
        memmove(b + bufs[0].cbBuffer, b + room, in->length);
    out->value = b;
    out->length = bufs[0].cbBuffer + in->length;
    fs_gss_mech_frame(p.mech, b, out->length); /* an RFC 1964 (RC4) token under Microsoft's OID */
    if (conf_state)
        *conf_state = seal;
    return FS_OK;
}

OM_uint32 gssi_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                    gss_qop_t qop_req, gss_buffer_t input_message_buffer, int *conf_state,
                    gss_buffer_t output_message_buffer)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : wrap(context_handle, conf_req_flag, input_message_buffer, conf_state,
                                                    output_message_buffer, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err unwrap(gss_ctx_id_t h, gss_buffer_t in, gss_buffer_t out, int *conf_state, gss_qop_t *qop_state,
                     const char *api)
{
    struct fs_gss_protection p;
    fs_err err = begin_output(h, out, api, &p);
    if (err != FS_OK)
        return err;
    if (!in || !in->length || !in->value || in->length > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    /* NTLM's token is its signature and then the data; Kerberos finds where its trailer ends itself. */
    const int stream = p.pkg->stream_split != NULL;
    if (!stream && in->length < p.security_trailer)
        return FS_E_INVALID_TOKEN;
    uint8_t *b = malloc(in->length);
    if (!b)
        return FS_E_NOMEM;
    memcpy(b, in->value, in->length);
    /* DecryptMessage's one received message (SECBUFFER_STREAM), or its TOKEN and DATA. */
    SecBuffer bufs[2] = {{(ULONG)in->length, SECBUFFER_STREAM, b}, {0, SECBUFFER_DATA, NULL}};
    if (!stream) {
        bufs[0] = (SecBuffer){p.security_trailer, SECBUFFER_TOKEN, b};
        bufs[1] = (SecBuffer){(ULONG)(in->length - p.security_trailer), SECBUFFER_DATA, b + p.security_trailer};
    }
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    ULONG qop = 0;
    err = fs_gss_protect(h, FS_PROTECT_UNSEAL, 0, &desc, &qop, api);
    if (err == FS_OK && bufs[1].cbBuffer) {
        out->value = malloc(bufs[1].cbBuffer);
        if (!out->value)
            err = FS_E_NOMEM;
        else
            memcpy(out->value, bufs[1].pvBuffer, out->length = bufs[1].cbBuffer);
    }
    explicit_bzero(b, in->length);
    free(b);
    if (err == FS_OK && conf_state)
        *conf_state = qop != KRB_QOP_NO_ENCRYPT;
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    return err;
}

OM_uint32 gssi_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                      gss_buffer_t input_message_buffer, gss_buffer_t output_message_buffer,
                      int *conf_state, gss_qop_t *qop_state)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_unwrap), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = unwrap(context_handle, input_message_buffer, output_message_buffer, conf_state, qop_state, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err get_mic(gss_ctx_id_t h, gss_buffer_t msg, gss_buffer_t out, const char *api)
{
    struct fs_gss_protection p;
    fs_err err = begin_output(h, out, api, &p);
    if (err != FS_OK)
        return err;
    if (!msg || (msg->length && !msg->value) || msg->length > UINT32_MAX)
        return FS_E_INVALID_PARAMETER;
    uint8_t *sig = malloc(p.max_signature);
    if (!sig)
        return FS_E_NOMEM;
    SecBuffer bufs[2] = {{(ULONG)msg->length, SECBUFFER_DATA, msg->value}, {p.max_signature, SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    err = fs_gss_protect(h, FS_PROTECT_SIGN, 0, &desc, NULL, api);
    if (err != FS_OK) {
        free(sig);
        return err;
    }
    out->value = sig;
    out->length = bufs[1].cbBuffer;
    fs_gss_mech_frame(p.mech, sig, out->length); /* an RFC 1964 (RC4) token under Microsoft's OID */
    return FS_OK;
}
OM_uint32 gssi_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                       gss_buffer_t message_buffer, gss_buffer_t message_token)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_get_mic), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : get_mic(context_handle, message_buffer, message_token, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err verify_mic(gss_ctx_id_t h, gss_buffer_t msg, gss_buffer_t tok, gss_qop_t *qop_state, const char *api)
{
    if (!msg || (msg->length && !msg->value) || msg->length > UINT32_MAX || !tok || !tok->value ||
        tok->length > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    SecBuffer bufs[2] = {{(ULONG)msg->length, SECBUFFER_DATA, msg->value}, {(ULONG)tok->length, SECBUFFER_TOKEN, tok->value}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    ULONG qop = 0;
    fs_err err = fs_gss_protect(h, FS_PROTECT_VERIFY, 0, &desc, &qop, api);
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    return err;
}

OM_uint32 gssi_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                          gss_buffer_t message_buffer, gss_buffer_t message_token, gss_qop_t *qop_state)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_verify_mic), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = verify_mic(context_handle, message_buffer, message_token, qop_state, call.api);
    return fs_gss_call_end(&call, minor_status);
}
