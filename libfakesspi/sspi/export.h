/* ExportSecurityContext / ImportSecurityContext: a complete context, packed and unpacked. */
#ifndef FS_SSPI_EXPORT_H
#define FS_SSPI_EXPORT_H

#include "context.h"

/* Packs ctx (ctx->lock held, complete). reset: the import starts its message streams afresh. */
FS_MUST_CHECK fs_err fs_context_export(struct fs_context *ctx, int reset, struct fs_writer *out);
/* A NEW context from a packed one; token (may be NULL) becomes a server context's own token. */
FS_MUST_CHECK fs_err fs_context_import(const struct fs_package *pkg, const uint8_t *data, size_t len, struct fs_token *token,
                         struct fs_context **out);

#endif
