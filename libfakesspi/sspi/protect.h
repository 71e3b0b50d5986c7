/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage over a SecBufferDesc. */
#ifndef FS_SSPI_PROTECT_H
#define FS_SSPI_PROTECT_H

#include "context.h"
#include "sspi.h"

/* Each runs with ctx->lock held on a complete context. */
fs_err fs_protect_sign(struct fs_context *ctx, ULONG qop, PSecBufferDesc msg);
fs_err fs_protect_verify(struct fs_context *ctx, PSecBufferDesc msg, ULONG *qop);
fs_err fs_protect_seal(struct fs_context *ctx, ULONG qop, PSecBufferDesc msg);
fs_err fs_protect_unseal(struct fs_context *ctx, PSecBufferDesc msg, ULONG *qop);

#endif
