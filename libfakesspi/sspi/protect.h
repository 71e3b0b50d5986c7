/* MakeSignature, VerifySignature, EncryptMessage, DecryptMessage over a SecBufferDesc. */
#ifndef FS_SSPI_PROTECT_H
#define FS_SSPI_PROTECT_H

#include "context.h"
#include "sspi.h"

enum fs_protect_op { FS_PROTECT_SIGN, FS_PROTECT_VERIFY, FS_PROTECT_SEAL, FS_PROTECT_UNSEAL };

/* Runs with ctx->lock held on a complete context. qop is the caller's fQOP (sign, seal); qop_out
 * receives the QOP found (verify, unseal) and may be NULL. */
FS_MUST_CHECK fs_err fs_protect(struct fs_context *ctx, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out);

#endif
