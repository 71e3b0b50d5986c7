/* One leg of a handshake on a context: the package's step, the caller's buffers, the flags. */
#ifndef FS_SSPI_HANDSHAKE_H
#define FS_SSPI_HANDSHAKE_H

#include "context.h"
#include "sspi.h"

/* Runs a leg (ctx->lock held). Returns FS_OK with *complete set, or the failure. The output token
 * goes to out; ALLOCATE_MEMORY is read from req (ISC and ASC use the same bit). */
FS_MUST_CHECK fs_err fs_handshake_leg(struct fs_context *ctx, const char *target, ULONG req, PSecBufferDesc in,
                        PSecBufferDesc out, int *complete, const char *api);

#endif
