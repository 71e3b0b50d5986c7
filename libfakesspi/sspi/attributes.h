/* QueryContextAttributes: each SECPKG_ATTR_* the packages support, in its A or W form. */
#ifndef FS_SSPI_ATTRIBUTES_H
#define FS_SSPI_ATTRIBUTES_H

#include "context.h"
#include "sspi.h"

/* Fills the caller's structure (ctx->lock held). Pointers inside are NEW context buffers, except
 * SECPKG_ATTR_ACCESS_TOKEN's handle, which is BORROWED from the context. */
FS_MUST_CHECK fs_err fs_query_attribute(struct fs_context *ctx, ULONG attr, void *buf, int wide, const char *api);

/* The size of the attribute's structure, which QueryContextAttributesEx checks; 0 for an attribute no package
 * here supports. */
ULONG fs_attribute_size(ULONG attr);

#endif
