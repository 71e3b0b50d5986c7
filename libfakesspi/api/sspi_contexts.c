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
#include "sspi/export.h"
#include "sspi/handshake.h"
#include "sspihandle.h"

/* The leg both sides share: find or make the context, run the leg, hand the handle out. */
static SECURITY_STATUS leg_untraced(PCredHandle cred_handle, PCtxtHandle ctx_handle, const char *target, ULONG req,
                           PSecBufferDesc in, PCtxtHandle new_handle, PSecBufferDesc out, ULONG *attrs,
                           PTimeStamp expiry, int server, const char *api)
{
    struct fs_context *ctx = NULL;
    fs_err err;
    int first = !ctx_handle;
    if (first) {
        struct fs_credential *cred;
        if (!new_handle)
            return SEC_E_INVALID_HANDLE;
        err = fs_api_credential(cred_handle, api, &cred);
        if (err != FS_OK)
            return fs_sec_status(err);
        if (!(cred->use & (server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND))) {
            fs_object_unref(&cred->base);
            return SEC_E_NO_CREDENTIALS;
        }
        ctx = fs_context_new(cred, server);
        fs_object_unref(&cred->base);
        if (!ctx)
            return SEC_E_INSUFFICIENT_MEMORY;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        if (!server && cred->name && !(ctx->client_name = fs_strdup(cred->name))) {
            fs_object_unref(&ctx->base);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
    } else {
        err = fs_api_context(ctx_handle, api, &ctx);
        if (err != FS_OK)
            return fs_sec_status(err);
        if (ctx->server != server) {
            fs_object_unref(&ctx->base);
            return SEC_E_INVALID_HANDLE; /* a client context passed to AcceptSecurityContext, or back */
        }
    }
    int complete = 0;
    pthread_mutex_lock(&ctx->lock);
    err = fs_handshake_leg(ctx, target, req, in, out, &complete, api);
    ULONG ret = ctx->ret_flags;
    pthread_mutex_unlock(&ctx->lock);
    if (err == FS_OK && first) {
        uintptr_t value;
        err = fs_handle_open(FS_HANDLE_CONTEXT, &ctx->base, 0, api, &value);
        if (err == FS_OK) {
            ctx->handle = value;
            fs_api_set_handle(new_handle, ctx->pkg, value);
        }
    } else if (err == FS_OK && new_handle && fs_strict()) {
        /* Strict mode: a new value on every leg, the old one closed, so a caller that ignores
         * phNewContext fails at once instead of on some other platform. */
        uintptr_t value, old = ctx_handle->dwUpper;
        err = fs_handle_open(FS_HANDLE_CONTEXT, &ctx->base, 0, api, &value);
        if (err == FS_OK) {
            ctx->handle = value;
            fs_api_set_handle(new_handle, ctx->pkg, value);
            fs_handle_close(old, FS_HANDLE_CONTEXT, api);
        }
    } else if (err == FS_OK && new_handle && new_handle != ctx_handle) {
        *new_handle = *ctx_handle; /* Windows keeps the value stable across legs */
    }
    uint64_t ctx_expiry = ctx->expiry;
    /* A failed first leg makes no context: this drops the only reference (doc/semantics.md §7). */
    fs_object_unref(&ctx->base);
    if (err != FS_OK)
        return fs_sec_status(err);
    if (attrs)
        *attrs = ret;
    if (expiry)
        expiry->QuadPart = (LONGLONG)ctx_expiry;
    return complete ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS leg(PCredHandle cred_handle, PCtxtHandle ctx_handle, const char *target, ULONG req,
                           PSecBufferDesc in, PCtxtHandle new_handle, PSecBufferDesc out, ULONG *attrs,
                           PTimeStamp expiry, int server, const char *api)
{
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phCredential", cred_handle);
    fs_trace_sec_handle(&t, "phContext", ctx_handle);
    if (!server)
        fs_trace_string(&t, "pszTargetName", target);
    fs_trace_flags(&t, "fContextReq", server ? FS_NAMES_ASC_REQ : FS_NAMES_ISC_REQ, req);
    fs_trace_buffers(&t, "pInput", in);
    SECURITY_STATUS st = leg_untraced(cred_handle, ctx_handle, target, req, in, new_handle, out, attrs, expiry, server,
                                      api);
    fs_trace_outputs(&t);
    if (SEC_SUCCESS(st)) {
        fs_trace_sec_handle(&t, "phNewContext", new_handle);
        fs_trace_buffers(&t, "pOutput", out);
        if (attrs)
            fs_trace_flags(&t, "pfContextAttr", server ? FS_NAMES_ASC_RET : FS_NAMES_ISC_RET, *attrs);
    }
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_CHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    FS_FAULT_POINT_SSPI("InitializeSecurityContextA");
    (void)Reserved1, (void)TargetDataRep, (void)Reserved2;
    fs_api_enter();
    return leg(phCredential, phContext, pszTargetName, fContextReq, pInput, phNewContext, pOutput, pfContextAttr,
               ptsExpiry, 0, "InitializeSecurityContextA");
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_WCHAR *pszTargetName, ULONG fContextReq, ULONG Reserved1,
                                                     ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    FS_FAULT_POINT_SSPI("InitializeSecurityContextW");
    (void)Reserved1, (void)TargetDataRep, (void)Reserved2;
    fs_api_enter();
    int failed = 0;
    char *target = fs_api_narrow(pszTargetName, &failed);
    SECURITY_STATUS st = failed ? SEC_E_INSUFFICIENT_MEMORY
                                : leg(phCredential, phContext, target, fContextReq, pInput, phNewContext, pOutput,
                                      pfContextAttr, ptsExpiry, 0, "InitializeSecurityContextW");
    free(target);
    return st;
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput,
                                                ULONG fContextReq, ULONG TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    FS_FAULT_POINT_SSPI("AcceptSecurityContext");
    (void)TargetDataRep;
    fs_api_enter();
    return leg(phCredential, phContext, NULL, fContextReq, pInput, phNewContext, pOutput, pfContextAttr, ptsExpiry, 1,
               "AcceptSecurityContext");
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    static const char api[] = "DeleteSecurityContext";
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phContext", phContext);
    if (!phContext)
        return fs_trace_status(&t, SEC_E_INVALID_HANDLE);
    struct fs_object *taken;
    fs_err err = fs_handle_close_take(phContext->dwUpper, FS_HANDLE_CONTEXT, api, &taken);
    if (err != FS_OK)
        return fs_trace_status(&t, fs_sec_status(err));
    struct fs_context *ctx = fs_context_from_object(taken);
    /* The token handle it lent dies now, even if a call in flight still holds the context. */
    pthread_mutex_lock(&ctx->lock);
    fs_context_revoke_token(ctx, api);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(taken);
    return fs_trace_status(&t, SEC_E_OK);
}

/* NTLM never asks for it; on a valid context it succeeds (doc/semantics.md §11). */
static SECURITY_STATUS CompleteAuthToken_untraced(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    (void)pToken;
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(phContext, "CompleteAuthToken", &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    fs_object_unref(&ctx->base);
    return SEC_E_OK;
}

static SECURITY_STATUS ApplyControlToken_untraced(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    (void)pInput;
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(phContext, "ApplyControlToken", &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    fs_object_unref(&ctx->base);
    return SEC_E_UNSUPPORTED_FUNCTION; /* only Schannel takes control tokens */
}

SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "CompleteAuthToken");
    fs_trace_sec_handle(&t, "phContext", phContext);
    return fs_trace_status(&t, CompleteAuthToken_untraced(phContext, pToken));
}

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "ApplyControlToken");
    fs_trace_sec_handle(&t, "phContext", phContext);
    return fs_trace_status(&t, ApplyControlToken_untraced(phContext, pInput));
}

static SECURITY_STATUS query_untraced(PCtxtHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    if (!buf) {
        fs_object_unref(&ctx->base);
        return SEC_E_INVALID_PARAMETER;
    }
    pthread_mutex_lock(&ctx->lock);
    err = fs_query_attribute(ctx, attr, buf, wide, api);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return fs_sec_status(err);
}

static SECURITY_STATUS query(PCtxtHandle h, ULONG attr, void *buf, int wide, const char *api)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phContext", h);
    fs_trace_value(&t, "ulAttribute", FS_NAMES_SECPKG_ATTR, attr);
    SECURITY_STATUS st = query_untraced(h, attr, buf, wide, api);
    fs_trace_outputs(&t);
    /* The lent token handle is worth seeing: it is the one a caller must not close. */
    if (st == SEC_E_OK && attr == SECPKG_ATTR_ACCESS_TOKEN)
        fs_trace_handle(&t, "AccessToken", (uintptr_t)((SecPkgContext_AccessToken *)buf)->AccessToken);
    if (st == SEC_E_OK && attr == SECPKG_ATTR_FLAGS)
        fs_trace_number(&t, "Flags", ((SecPkgContext_Flags *)buf)->Flags);
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer)
{
    FS_FAULT_POINT_SSPI("QueryContextAttributesA");
    return query(phContext, ulAttribute, pBuffer, 0, "QueryContextAttributesA");
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer)
{
    FS_FAULT_POINT_SSPI("QueryContextAttributesW");
    return query(phContext, ulAttribute, pBuffer, 1, "QueryContextAttributesW");
}

/* The Ex form names the buffer's size; the structures are the same. */
static ULONG attribute_size(ULONG attr)
{
    switch (attr) {
    case SECPKG_ATTR_SIZES: return sizeof(SecPkgContext_Sizes);
    case SECPKG_ATTR_NAMES: case SECPKG_ATTR_AUTHORITY: case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_ACCESS_TOKEN: return sizeof(void *);
    case SECPKG_ATTR_LIFESPAN: return sizeof(SecPkgContext_Lifespan);
    case SECPKG_ATTR_KEY_INFO: return sizeof(SecPkgContext_KeyInfoA);
    case SECPKG_ATTR_SESSION_KEY: return sizeof(SecPkgContext_SessionKey);
    case SECPKG_ATTR_NEGOTIATION_INFO: return sizeof(SecPkgContext_NegotiationInfoA);
    case SECPKG_ATTR_NATIVE_NAMES: return sizeof(SecPkgContext_NativeNamesA);
    case SECPKG_ATTR_FLAGS: return sizeof(SecPkgContext_Flags);
    case SECPKG_ATTR_CREDENTIAL_NAME: return sizeof(SecPkgContext_CredentialNameA);
    case SECPKG_ATTR_STREAM_SIZES: return sizeof(SecPkgContext_StreamSizes);
    default: return 0;
    }
}

static SECURITY_STATUS query_ex(PCtxtHandle h, ULONG attr, void *buf, ULONG size, int wide, const char *api)
{
    ULONG need = attribute_size(attr);
    if (need && size < need) {
        struct fs_trace t;
        fs_trace_begin(&t, api);
        fs_trace_sec_handle(&t, "phContext", h);
        fs_trace_value(&t, "ulAttribute", FS_NAMES_SECPKG_ATTR, attr);
        fs_trace_number(&t, "cbBuffer", size);
        return fs_trace_status(&t, SEC_E_BUFFER_TOO_SMALL);
    }
    return query(h, attr, buf, wide, api);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer,
                                                    ULONG cbBuffer)
{
    return query_ex(phContext, ulAttribute, pBuffer, cbBuffer, 0, "QueryContextAttributesExA");
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer,
                                                    ULONG cbBuffer)
{
    return query_ex(phContext, ulAttribute, pBuffer, cbBuffer, 1, "QueryContextAttributesExW");
}

static SECURITY_STATUS set_attribute_untraced(PCtxtHandle h, const char *api)
{
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    fs_object_unref(&ctx->base);
    return SEC_E_UNSUPPORTED_FUNCTION; /* NTLM has no settable attributes */
}

static SECURITY_STATUS set_attribute(PCtxtHandle h, ULONG attr, const char *api)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phContext", h);
    fs_trace_number(&t, "ulAttribute", attr);
    return fs_trace_status(&t, set_attribute_untraced(h, api));
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer, ULONG cbBuffer)
{
    (void)pBuffer, (void)cbBuffer;
    return set_attribute(phContext, ulAttribute, "SetContextAttributesA");
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, PVOID pBuffer, ULONG cbBuffer)
{
    (void)pBuffer, (void)cbBuffer;
    return set_attribute(phContext, ulAttribute, "SetContextAttributesW");
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

SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
{
    FS_FAULT_POINT_SSPI("QuerySecurityContextToken");
    static const char api[] = "QuerySecurityContextToken";
    fs_api_enter();
    struct fs_trace tr;
    fs_trace_begin(&tr, api);
    fs_trace_sec_handle(&tr, "phContext", phContext);
    struct fs_token *t;
    fs_err err = server_token(phContext, api, &t);
    if (err != FS_OK)
        return fs_trace_status(&tr, fs_sec_status(err));
    HANDLE h = NULL;
    /* A NEW owned handle every call, alive until CloseHandle (doc/semantics.md §13). */
    err = Token ? fs_api_open_token(t, TOKEN_ALL_ACCESS, api, &h) : FS_E_INVALID_PARAMETER;
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_trace_status(&tr, fs_sec_status(err));
    *Token = h;
    fs_trace_outputs(&tr);
    fs_trace_handle(&tr, "Token", (uintptr_t)h);
    return fs_trace_status(&tr, SEC_E_OK);
}

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    FS_FAULT_POINT_SSPI("ImpersonateSecurityContext");
    fs_api_enter();
    struct fs_trace tr;
    fs_trace_begin(&tr, "ImpersonateSecurityContext");
    fs_trace_sec_handle(&tr, "phContext", phContext);
    struct fs_token *t;
    fs_err err = server_token(phContext, "ImpersonateSecurityContext", &t);
    if (err == FS_OK) {
        err = fs_impersonate(t);
        fs_token_unref(t);
    }
    return fs_trace_status(&tr, fs_sec_status(err));
}

SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    fs_api_enter();
    struct fs_trace tr;
    fs_trace_begin(&tr, "RevertSecurityContext");
    fs_trace_sec_handle(&tr, "phContext", phContext);
    struct fs_context *ctx;
    fs_err err = fs_api_context(phContext, "RevertSecurityContext", &ctx);
    if (err == FS_OK) {
        fs_object_unref(&ctx->base);
        fs_revert_to_self();
    }
    return fs_trace_status(&tr, fs_sec_status(err));
}

static SECURITY_STATUS ExportSecurityContext_untraced(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                                     void **pToken)
{
    static const char api[] = "ExportSecurityContext";
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(phContext, api, &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    if (!pPackedContext || (fFlags & ~(ULONG)(SECPKG_CONTEXT_EXPORT_RESET_NEW | SECPKG_CONTEXT_EXPORT_DELETE_OLD |
                                               SECPKG_CONTEXT_EXPORT_TO_KERNEL))) {
        fs_object_unref(&ctx->base);
        return SEC_E_INVALID_PARAMETER;
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
        if (token)
            fs_handle_close((uintptr_t)token, FS_HANDLE_TOKEN, api);
        fs_writer_free(&packed); /* wipes the session keys it held */
        fs_object_unref(&ctx->base);
        return err == FS_E_NOT_SUPPORTED ? SEC_E_UNSUPPORTED_FUNCTION : fs_sec_status(err);
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
    if (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        DeleteSecurityContext(phContext);
    return SEC_E_OK;
}

static SECURITY_STATUS import_untraced(const char *package, PSecBuffer packed, void *token, PCtxtHandle out,
                                       const char *api)
{
    const struct fs_package *pkg = fs_package_find(package);
    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    if (!packed || !packed->pvBuffer || !out)
        return SEC_E_INVALID_TOKEN;
    struct fs_token *t = NULL;
    if (token) {
        fs_err err = fs_api_token(token, TOKEN_QUERY, api, &t, NULL);
        if (err != FS_OK)
            return fs_sec_status(err);
    }
    struct fs_context *ctx;
    fs_err err = fs_context_import(pkg, packed->pvBuffer, packed->cbBuffer, t, &ctx);
    fs_token_unref(t);
    if (err != FS_OK)
        return fs_sec_status(err);
    uintptr_t value;
    err = fs_handle_open(FS_HANDLE_CONTEXT, &ctx->base, 0, api, &value);
    if (err == FS_OK) {
        ctx->handle = value;
        fs_api_set_handle(out, pkg, value);
    }
    fs_object_unref(&ctx->base);
    return fs_sec_status(err);
}

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                                void **pToken)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, "ExportSecurityContext");
    fs_trace_sec_handle(&t, "phContext", phContext);
    fs_trace_number(&t, "fFlags", fFlags);
    SECURITY_STATUS st = ExportSecurityContext_untraced(phContext, fFlags, pPackedContext, pToken);
    fs_trace_outputs(&t);
    if (st == SEC_E_OK) {
        fs_trace_number(&t, "cbPackedContext", pPackedContext->cbBuffer);
        if (pToken)
            fs_trace_handle(&t, "pToken", (uintptr_t)*pToken);
    }
    return fs_trace_status(&t, st);
}

static SECURITY_STATUS import(const char *package, PSecBuffer packed, void *token, PCtxtHandle out, const char *api)
{
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_string(&t, "pszPackage", package);
    fs_trace_number(&t, "cbPackedContext", packed ? packed->cbBuffer : 0);
    fs_trace_handle(&t, "Token", (uintptr_t)token);
    SECURITY_STATUS st = import_untraced(package, packed, token, out, api);
    fs_trace_outputs(&t);
    if (st == SEC_E_OK)
        fs_trace_sec_handle(&t, "phContext", out);
    return fs_trace_status(&t, st);
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext, VOID *Token,
                                                 PCtxtHandle phContext)
{
    fs_api_enter();
    return import(pszPackage, pPackedContext, Token, phContext, "ImportSecurityContextA");
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext, VOID *Token,
                                                 PCtxtHandle phContext)
{
    fs_api_enter();
    int failed = 0;
    char *name = fs_api_narrow(pszPackage, &failed);
    SECURITY_STATUS st = failed ? SEC_E_INSUFFICIENT_MEMORY
                                : import(name, pPackedContext, Token, phContext, "ImportSecurityContextW");
    free(name);
    return st;
}
