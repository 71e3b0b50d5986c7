/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage. MessageSeqNo is ignored: NTLM
 * contexts are connection-oriented and keep their own counters (doc/semantics.md §12). */
#include "api.h"
#include "sspi/protect.h"
#include "sspihandle.h"

static SECURITY_STATUS protect(PCtxtHandle h, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out,
                               const char *api)
{
    fs_api_enter();
    struct fs_trace t;
    fs_trace_begin(&t, api);
    fs_trace_sec_handle(&t, "phContext", h);
    if (op == FS_PROTECT_SIGN || op == FS_PROTECT_SEAL)
        fs_trace_number(&t, "fQOP", qop);
    fs_trace_buffers(&t, "pMessage", msg);
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err == FS_OK) {
        pthread_mutex_lock(&ctx->lock);
        err = ctx->complete ? fs_protect(ctx, op, qop, msg, qop_out) : FS_E_OUT_OF_SEQUENCE;
        pthread_mutex_unlock(&ctx->lock);
        fs_object_unref(&ctx->base);
    }
    fs_trace_outputs(&t);
    if (err == FS_OK)
        fs_trace_buffers(&t, "pMessage", msg);
    /* Confidentiality that was never negotiated is an unsupported function here. */
    return fs_trace_status(&t, err == FS_E_NOT_SUPPORTED ? SEC_E_UNSUPPORTED_FUNCTION : fs_sec_status(err));
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    FS_FAULT_POINT_SSPI("MakeSignature");
    (void)MessageSeqNo;
    return protect(phContext, FS_PROTECT_SIGN, fQOP, pMessage, NULL, "MakeSignature");
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                          ULONG *pfQOP)
{
    FS_FAULT_POINT_SSPI("VerifySignature");
    (void)MessageSeqNo;
    return protect(phContext, FS_PROTECT_VERIFY, 0, pMessage, pfQOP, "VerifySignature");
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    FS_FAULT_POINT_SSPI("EncryptMessage");
    (void)MessageSeqNo;
    return protect(phContext, FS_PROTECT_SEAL, fQOP, pMessage, NULL, "EncryptMessage");
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                         ULONG *pfQOP)
{
    FS_FAULT_POINT_SSPI("DecryptMessage");
    (void)MessageSeqNo;
    return protect(phContext, FS_PROTECT_UNSEAL, 0, pMessage, pfQOP, "DecryptMessage");
}
