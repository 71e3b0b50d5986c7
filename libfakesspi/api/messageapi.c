/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage. MessageSeqNo is ignored: NTLM
 * contexts are connection-oriented and keep their own counters (doc/semantics.md §12). */
#include "api.h"
#include "sspi/protect.h"
#include "sechandle.h"

static fs_err protect(PCtxtHandle h, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out,
                      const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    err = ctx->complete ? fs_protect(ctx, op, qop, msg, qop_out) : FS_E_OUT_OF_SEQUENCE;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return err;
}

static SECURITY_STATUS traced_protect(const char *api, PCtxtHandle h, enum fs_protect_op op, ULONG qop,
                                      PSecBufferDesc msg, ULONG *qop_out)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sec_handle(&call.trace, "phContext", h);
    if (op == FS_PROTECT_SIGN || op == FS_PROTECT_SEAL)
        fs_trace_number(&call.trace, "fQOP", qop);
    fs_trace_buffers(&call.trace, "pMessage", msg);
    if (fs_call_proceed(&call))
        call.err = protect(h, op, qop, msg, qop_out, api);
    if (fs_call_outputs(&call))
        fs_trace_buffers(&call.trace, "pMessage", msg);
    return fs_call_end_status(&call);
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    (void)MessageSeqNo;
    return traced_protect("MakeSignature", phContext, FS_PROTECT_SIGN, fQOP, pMessage, NULL);
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                          ULONG *pfQOP)
{
    (void)MessageSeqNo;
    return traced_protect("VerifySignature", phContext, FS_PROTECT_VERIFY, 0, pMessage, pfQOP);
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    (void)MessageSeqNo;
    return traced_protect("EncryptMessage", phContext, FS_PROTECT_SEAL, fQOP, pMessage, NULL);
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                         ULONG *pfQOP)
{
    (void)MessageSeqNo;
    return traced_protect("DecryptMessage", phContext, FS_PROTECT_UNSEAL, 0, pMessage, pfQOP);
}
