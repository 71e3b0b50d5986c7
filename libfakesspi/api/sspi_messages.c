/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage. MessageSeqNo is ignored: NTLM
 * contexts are connection-oriented and keep their own counters (SSPI-NOTES §6.4). */
#include "api.h"
#include "sspi/protect.h"
#include "sspihandle.h"

enum op { SIGN, VERIFY, SEAL, UNSEAL };

static SECURITY_STATUS protect(PCtxtHandle h, enum op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out,
                               const char *api)
{
    fs_api_enter();
    struct fs_context *ctx;
    fs_err err = fs_api_context(h, api, &ctx);
    if (err != FS_OK)
        return fs_sec_status(err);
    pthread_mutex_lock(&ctx->lock);
    if (!ctx->complete)
        err = FS_E_OUT_OF_SEQUENCE;
    else if (op == SIGN)
        err = fs_protect_sign(ctx, qop, msg);
    else if (op == VERIFY)
        err = fs_protect_verify(ctx, msg, qop_out);
    else if (op == SEAL)
        err = fs_protect_seal(ctx, qop, msg);
    else
        err = fs_protect_unseal(ctx, msg, qop_out);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    /* Confidentiality that was never negotiated is an unsupported function here. */
    return err == FS_E_NOT_SUPPORTED ? SEC_E_UNSUPPORTED_FUNCTION : fs_sec_status(err);
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    (void)MessageSeqNo;
    return protect(phContext, SIGN, fQOP, pMessage, NULL, "MakeSignature");
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                          ULONG *pfQOP)
{
    (void)MessageSeqNo;
    return protect(phContext, VERIFY, 0, pMessage, pfQOP, "VerifySignature");
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage, ULONG MessageSeqNo)
{
    (void)MessageSeqNo;
    return protect(phContext, SEAL, fQOP, pMessage, NULL, "EncryptMessage");
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                         ULONG *pfQOP)
{
    (void)MessageSeqNo;
    return protect(phContext, UNSEAL, 0, pMessage, pfQOP, "DecryptMessage");
}
