/* InitializeSecurityContext, AcceptSecurityContext and the rest of a context's life. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "api.h"
#include "core/clock.h"
#include "core/handles.h"
#include "core/strict.h"
#include "security/identity.h"
#include "sspi/attributes.h"
#include "sspi/buffers.h"
#include "sspi/capture.h"
#include "sspi/export.h"
#include "sspi/handshake.h"
#include "sechandle.h"

/* A scripted leg (fakesspi_script_call): the package is not run; the caller gets the test's token, into
 * its TOKEN buffer or new memory under ALLOCATE_MEMORY, and too small a buffer fails as the package's
 * own token would (doc/semantics.md §7). */
static fs_err scripted_leg(struct fs_context *ctx, ULONG req, PSecBufferDesc out, const struct fs_writer *token,
                           const char *api)
{
    if (token->failed)
        return FS_E_NOMEM;
    int allocate = (req & ISC_REQ_ALLOCATE_MEMORY) != 0; /* == ASC_REQ_ALLOCATE_MEMORY */
    fs_err err = fs_buffers_put_token(out, allocate, token, api);
    if (err == FS_OK && allocate && token->len)
        ctx->ret_flags |= ISC_RET_ALLOCATED_MEMORY; /* == ASC_RET_ALLOCATED_MEMORY */
    return err;
}

/* FAKESSPI_PCAP: the leg's input and output tokens and its status, as the peer would see them. */
static void capture_leg(struct fs_context *ctx, PSecBufferDesc in, PSecBufferDesc out, fs_err err, int complete)
{
    if (!fs_capture_active())
        return;
    PSecBuffer i = fs_buffers_find(in, SECBUFFER_TOKEN), o = err == FS_OK ? fs_buffers_find(out, SECBUFFER_TOKEN) : NULL;
    int32_t status = err != FS_OK ? fs_sec_status(err) : complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    fs_capture_leg(ctx, i && i->pvBuffer ? i->pvBuffer : NULL, i && i->pvBuffer ? i->cbBuffer : 0, status,
                   o && o->pvBuffer ? o->pvBuffer : NULL, o && o->pvBuffer ? o->cbBuffer : 0);
}

/* The leg both sides share: find or make the context, run the leg (or the script's), hand the handle out. */
static fs_err leg(PCredHandle cred_handle, PCtxtHandle ctx_handle, const char *target, ULONG req, PSecBufferDesc in,
                  PCtxtHandle new_handle, PSecBufferDesc out, ULONG *attrs, PTimeStamp expiry, int server,
                  const struct fs_writer *script, const char *api)
{
    struct fs_context *ctx = NULL;
    fs_err err;
    int first = !ctx_handle;
    if (first) {
        struct fs_credential *cred;
        if (!new_handle)
            return FS_E_INVALID_HANDLE;
        err = fs_api_credential(cred_handle, api, &cred);
        if (err != FS_OK)
            return err;
        if (!(cred->use & (server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND))) {
            fs_object_unref(&cred->base);
            return FS_E_NO_CREDENTIALS;
        }
        ctx = fs_context_new(cred, server);
        fs_object_unref(&cred->base);
        if (!ctx)
            return FS_E_NOMEM;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        if (!server && cred->name && !(ctx->client_name = fs_strdup(cred->name))) {
            fs_object_unref(&ctx->base);
            return FS_E_NOMEM;
        }
    } else {
        err = fs_api_context(ctx_handle, api, &ctx);
        if (err != FS_OK)
            return err;
        if (ctx->server != server) {
            fs_object_unref(&ctx->base);
            return FS_E_INVALID_HANDLE; /* a client context passed to AcceptSecurityContext, or back */
        }
    }
    int complete = 0;
    pthread_mutex_lock(&ctx->lock);
    if (script)
        err = scripted_leg(ctx, req, out, script, api);
    else
        err = fs_handshake_leg(ctx, target, req, in, out, &complete, api);
    capture_leg(ctx, in, out, err, complete);
    ULONG ret = ctx->ret_flags;
    pthread_mutex_unlock(&ctx->lock);
    if (err == FS_OK && first) {
        err = fs_api_open_sec_handle(&ctx->base, ctx->pkg, api, new_handle);
        if (err == FS_OK)
            ctx->handle = new_handle->dwUpper;
    } else if (err == FS_OK && new_handle && fs_strict()) {
        /* Strict mode: a new value on every leg, the old one closed, so a caller that ignores
         * phNewContext fails at once instead of on some other platform. */
        CtxtHandle old = *ctx_handle;
        err = fs_api_open_sec_handle(&ctx->base, ctx->pkg, api, new_handle);
        if (err == FS_OK) {
            ctx->handle = new_handle->dwUpper;
            struct fs_object *taken;
            if (fs_api_close_sec_handle(&old, &fs_context_ops, api, &taken) == FS_OK) /* live: we just used it */
                fs_object_unref(taken);
        }
    } else if (err == FS_OK && new_handle && new_handle != ctx_handle) {
        *new_handle = *ctx_handle; /* Windows keeps the value stable across legs */
    }
    uint64_t ctx_expiry = ctx->expiry;
    /* A failed first leg makes no context: this drops the only reference (doc/semantics.md §7). */
    fs_object_unref(&ctx->base);
    if (err != FS_OK)
        return err;
    if (attrs)
        *attrs = ret;
    if (expiry)
        expiry->QuadPart = (LONGLONG)ctx_expiry;
    return complete ? FS_OK : FS_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS traced_leg(struct fs_call *call, PCredHandle cred_handle, PCtxtHandle ctx_handle,
                                  const char *target, int target_failed, ULONG req, PSecBufferDesc in,
                                  PCtxtHandle new_handle, PSecBufferDesc out, ULONG *attrs, PTimeStamp expiry,
                                  int server)
{
    fs_trace_sec_handle(&call->trace, "phCredential", cred_handle);
    fs_trace_sec_handle(&call->trace, "phContext", ctx_handle);
    if (!server)
        fs_trace_string(&call->trace, "pszTargetName", target);
    fs_trace_flags(&call->trace, "fContextReq", server ? FS_NAMES_ASC_REQ : FS_NAMES_ISC_REQ, req);
    fs_trace_buffers(&call->trace, "pInput", in);
    /* A script that succeeds still makes the context and hands out its token; one that fails skips both. */
    const struct fs_writer *script = NULL;
    if (fs_call_proceed(call) || (call->scripted && !call->chosen_fails && (script = &call->script_token)))
        call->err = target_failed ? FS_E_NOMEM
                                  : leg(cred_handle, ctx_handle, target, req, in, new_handle, out, attrs, expiry,
                                        server, script, call->api);
    if (fs_call_outputs(call)) {
        fs_trace_sec_handle(&call->trace, "phNewContext", new_handle);
        fs_trace_buffers(&call->trace, "pOutput", out);
        if (attrs)
            fs_trace_flags(&call->trace, "pfContextAttr", server ? FS_NAMES_ASC_RET : FS_NAMES_ISC_RET, *attrs);
    }
    fs_writer_free(&call->script_token);
    return fs_call_end_status(call);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    (void)Reserved1, (void)TargetDataRep, (void)Reserved2;
    struct fs_call call;
    fs_call_begin(&call, "InitializeSecurityContextA");
    return traced_leg(&call, phCredential, phContext, pszTargetName, 0, fContextReq, pInput, phNewContext, pOutput,
                      pfContextAttr, ptsExpiry, 0);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    (void)Reserved1, (void)TargetDataRep, (void)Reserved2;
    struct fs_call call;
    fs_call_begin(&call, "InitializeSecurityContextW");
    int failed = 0;
    char *target = fs_api_narrow(pszTargetName, &failed);
    SECURITY_STATUS st = traced_leg(&call, phCredential, phContext, target, failed, fContextReq, pInput, phNewContext,
                                    pOutput, pfContextAttr, ptsExpiry, 0);
    free(target);
    return st;
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
                                                ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    (void)TargetDataRep;
    struct fs_call call;
    fs_call_begin(&call, "AcceptSecurityContext");
    return traced_leg(&call, phCredential, phContext, NULL, 0, fContextReq, pInput, phNewContext, pOutput,
                      pfContextAttr, ptsExpiry, 1);
}

/* The body of DeleteSecurityContext, also run by ExportSecurityContext's DELETE_OLD. */
static fs_err delete_context(PCtxtHandle h, const char *api)
{
    struct fs_object *taken;
    fs_err err = fs_api_close_sec_handle(h, &fs_context_ops, api, &taken);
    if (err != FS_OK)
        return err;
    fs_context_retire(taken, api);
    return FS_OK;
}

/* The whole entry shape of the calls whose only traced argument is the context handle. */
static SECURITY_STATUS traced_on_context(const char *api, PCtxtHandle h, fs_err (*body)(PCtxtHandle, const char *))
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sec_handle(&call.trace, "phContext", h);
    if (fs_call_proceed(&call))
        call.err = body(h, api);
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    return traced_on_context("DeleteSecurityContext", phContext, delete_context);
}

/* A call that needs only a valid context and then answers `verdict`. */
static fs_err on_valid_context(PCtxtHandle h, fs_err verdict, const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    fs_object_unref(&ctx->base);
    return verdict;
}

/* NTLM never asks for it; on a valid context it succeeds (doc/semantics.md §11). */
static fs_err complete_auth_token(PCtxtHandle h, const char *api) { return on_valid_context(h, FS_OK, api); }

SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    (void)pToken;
    return traced_on_context("CompleteAuthToken", phContext, complete_auth_token);
}

/* Only Schannel takes control tokens. */
static fs_err apply_control_token(PCtxtHandle h, const char *api) { return on_valid_context(h, FS_E_NOT_SUPPORTED, api); }

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    (void)pInput;
    return traced_on_context("ApplyControlToken", phContext, apply_control_token);
}

static fs_err query(PCtxtHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    if (!buf) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_PARAMETER;
    }
    pthread_mutex_lock(&ctx->lock);
    err = fs_query_attribute(ctx, attr, buf, wide, api);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return err;
}

/* Every QueryContextAttributes(Ex)A/W: size is (ULONG)-1 for the forms without one. */
static SECURITY_STATUS traced_query(const char *api, PCtxtHandle h, ULONG attr, void *buf, ULONG size, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sec_handle(&call.trace, "phContext", h);
    fs_trace_value(&call.trace, "ulAttribute", FS_NAMES_SECPKG_ATTR, attr);
    if (size != (ULONG)-1)
        fs_trace_number(&call.trace, "cbBuffer", size);
    if (fs_call_proceed(&call)) {
        ULONG need = size != (ULONG)-1 ? fs_attribute_size(attr) : 0;
        call.err = need && size < need ? FS_E_INSUFFICIENT_BUFFER : query(h, attr, buf, wide, api);
    }
    /* The lent token handle is worth seeing: it is the one a caller must not close. */
    if (fs_call_outputs(&call)) {
        if (attr == SECPKG_ATTR_ACCESS_TOKEN)
            fs_trace_handle(&call.trace, "AccessToken", (uintptr_t)((SecPkgContext_AccessToken *)buf)->AccessToken);
        else if (attr == SECPKG_ATTR_FLAGS)
            fs_trace_number(&call.trace, "Flags", ((SecPkgContext_Flags *)buf)->Flags);
    }
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer)
{
    return traced_query("QueryContextAttributesA", phContext, ulAttribute, pBuffer, (ULONG)-1, 0);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer)
{
    return traced_query("QueryContextAttributesW", phContext, ulAttribute, pBuffer, (ULONG)-1, 1);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer,
                                                    ULONG cbBuffer)
{
    return traced_query("QueryContextAttributesExA", phContext, ulAttribute, pBuffer, cbBuffer, 0);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer,
                                                    ULONG cbBuffer)
{
    return traced_query("QueryContextAttributesExW", phContext, ulAttribute, pBuffer, cbBuffer, 1);
}

/* NTLM, Kerberos and Negotiate have no settable attributes here. */
static SECURITY_STATUS traced_set_attribute(const char *api, PCtxtHandle h, ULONG attr)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sec_handle(&call.trace, "phContext", h);
    fs_trace_value(&call.trace, "ulAttribute", FS_NAMES_SECPKG_ATTR, attr);
    if (fs_call_proceed(&call))
        call.err = on_valid_context(h, FS_E_NOT_SUPPORTED, api);
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer, ULONG cbBuffer)
{
    (void)pBuffer, (void)cbBuffer;
    return traced_set_attribute("SetContextAttributesA", phContext, ulAttribute);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer, ULONG cbBuffer)
{
    (void)pBuffer, (void)cbBuffer;
    return traced_set_attribute("SetContextAttributesW", phContext, ulAttribute);
}

/* The server's token, for the two calls that use it directly. NEW reference. */
static fs_err server_token(PCtxtHandle h, const char *api, struct fs_token **out)
{
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    *out = ctx->server && ctx->token ? fs_token_ref(ctx->token) : NULL;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return *out ? FS_OK : FS_E_NO_IMPERSONATION;
}

/* A NEW owned handle every call, alive until CloseHandle (doc/semantics.md §13). */
static fs_err context_token(PCtxtHandle h, void **out, const char *api)
{
    struct fs_token *t;
    fs_err err = server_token(h, api, &t);
    if (err != FS_OK)
        return err;
    HANDLE value = NULL;
    err = out ? fs_api_open_token(t, TOKEN_ALL_ACCESS, api, &value) : FS_E_INVALID_PARAMETER;
    fs_token_unref(t);
    if (err == FS_OK)
        *out = value;
    return err;
}

SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
{
    struct fs_call call;
    fs_call_begin(&call, "QuerySecurityContextToken");
    fs_trace_sec_handle(&call.trace, "phContext", phContext);
    if (fs_call_proceed(&call))
        call.err = context_token(phContext, Token, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "Token", (uintptr_t)*Token);
    return fs_call_end_status(&call);
}

static fs_err impersonate_context(PCtxtHandle h, const char *api)
{
    struct fs_token *t;
    fs_err err = server_token(h, api, &t);
    if (err != FS_OK)
        return err;
    err = fs_impersonate(t);
    fs_token_unref(t);
    return err;
}

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    return traced_on_context("ImpersonateSecurityContext", phContext, impersonate_context);
}

static fs_err revert_context(PCtxtHandle h, const char *api)
{
    fs_err err = on_valid_context(h, FS_OK, api);
    if (err == FS_OK)
        fs_revert_to_self();
    return err;
}

SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    return traced_on_context("RevertSecurityContext", phContext, revert_context);
}

static fs_err export_context(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext, void **pToken,
                             const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_api_context(phContext, api, &ctx);
    if (err != FS_OK)
        return err;
    if (!pPackedContext || (fFlags & ~(ULONG)(SECPKG_CONTEXT_EXPORT_RESET_NEW | SECPKG_CONTEXT_EXPORT_DELETE_OLD |
                                               SECPKG_CONTEXT_EXPORT_TO_KERNEL))) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_PARAMETER;
    }
    struct fs_writer packed;
    fs_writer_init(&packed);
    HANDLE token = NULL;
    pthread_mutex_lock(&ctx->lock);
    /* Only an established context can travel: there is no handshake state to pack. */
    err = ctx->complete ? fs_context_export(ctx, (fFlags & SECPKG_CONTEXT_EXPORT_RESET_NEW) != 0, &packed)
                        : FS_E_NOT_SUPPORTED;
    if (err == FS_OK && pToken && ctx->server && ctx->token)
        err = fs_api_open_token(ctx->token, TOKEN_ALL_ACCESS, api, &token); /* NEW: the caller closes it */
    pthread_mutex_unlock(&ctx->lock);
    void *buffer = NULL;
    if (err == FS_OK && !(buffer = fs_context_buffer(packed.len, api)))
        err = FS_E_NOMEM;
    if (err != FS_OK) {
        /* The handle was made above and never left this function: closing it cannot fail. */
        fs_err closed = token ? fs_handle_close(fs_handle_key((uintptr_t)token), &fs_token_ops, api) : FS_OK;
        (void)closed;
        fs_writer_free(&packed); /* wipes the session keys it held */
        fs_object_unref(&ctx->base);
        return err;
    }
    memcpy(buffer, packed.data, packed.len);
    pPackedContext->BufferType = SECBUFFER_EMPTY;
    pPackedContext->cbBuffer = (ULONG)packed.len;
    pPackedContext->pvBuffer = buffer;
    fs_writer_free(&packed);
    if (pToken)
        *pToken = token;
    fs_object_unref(&ctx->base);
    /* DELETE_OLD: the source is gone; the caller must not delete it again. */
    /* Live a moment ago; if a racing DeleteSecurityContext got there first, that one reported it. */
    fs_err deleted = fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD ? delete_context(phContext, api) : FS_OK;
    (void)deleted;
    return FS_OK;
}

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                                void **pToken)
{
    struct fs_call call;
    fs_call_begin(&call, "ExportSecurityContext");
    fs_trace_sec_handle(&call.trace, "phContext", phContext);
    fs_trace_number(&call.trace, "fFlags", fFlags);
    if (fs_call_proceed(&call))
        call.err = export_context(phContext, fFlags, pPackedContext, pToken, call.api);
    if (fs_call_outputs(&call)) {
        fs_trace_number(&call.trace, "cbPackedContext", pPackedContext->cbBuffer);
        if (pToken)
            fs_trace_handle(&call.trace, "pToken", (uintptr_t)*pToken);
    }
    return fs_call_end_status(&call);
}

static fs_err import_context(const char *package, PSecBuffer packed, void *token, PCtxtHandle out, const char *api)
{
    const struct fs_package *pkg = fs_package_find(package);
    if (!pkg)
        return FS_E_SECPKG_NOT_FOUND;
    if (!packed || !packed->pvBuffer || !out)
        return FS_E_INVALID_TOKEN;
    struct fs_token *t = NULL;
    if (token) {
        fs_err err = fs_api_token(token, TOKEN_QUERY, api, &t, NULL);
        if (err != FS_OK)
            return err;
    }
    struct fs_context *ctx;
    fs_err err = fs_context_import(pkg, packed->pvBuffer, packed->cbBuffer, t, &ctx);
    fs_token_unref(t);
    if (err != FS_OK)
        return err;
    err = fs_api_open_sec_handle(&ctx->base, pkg, api, out);
    if (err == FS_OK)
        ctx->handle = out->dwUpper;
    fs_object_unref(&ctx->base);
    return err;
}

static SECURITY_STATUS traced_import(struct fs_call *call, const char *package, int package_failed, PSecBuffer packed,
                                     void *token, PCtxtHandle out)
{
    fs_trace_string(&call->trace, "pszPackage", package);
    fs_trace_number(&call->trace, "cbPackedContext", packed ? packed->cbBuffer : 0);
    fs_trace_handle(&call->trace, "Token", (uintptr_t)token);
    if (fs_call_proceed(call))
        call->err = package_failed ? FS_E_NOMEM : import_context(package, packed, token, out, call->api);
    if (fs_call_outputs(call))
        fs_trace_sec_handle(&call->trace, "phContext", out);
    return fs_call_end_status(call);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext, VOID *Token,
                                                 PCtxtHandle phContext)
{
    struct fs_call call;
    fs_call_begin(&call, "ImportSecurityContextA");
    return traced_import(&call, pszPackage, 0, pPackedContext, Token, phContext);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext, VOID *Token,
                                                 PCtxtHandle phContext)
{
    struct fs_call call;
    fs_call_begin(&call, "ImportSecurityContextW");
    int failed = 0;
    char *name = fs_api_narrow(pszPackage, &failed);
    SECURITY_STATUS st = traced_import(&call, name, failed, pPackedContext, Token, phContext);
    free(name);
    return st;
}
