/* CreateRestrictedToken's filter: a NEW token that is a narrower copy of another (doc/semantics.md §45). */
#ifndef FS_SECURITY_TOKEN_RESTRICT_H
#define FS_SECURITY_TOKEN_RESTRICT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "token.h"

/* What the filter takes away. SIDs and LUIDs the token does not hold are ignored, as Windows ignores them. */
struct fs_token_restriction {
    uint32_t flags;                  /* DISABLE_MAX_PRIVILEGE | SANDBOX_INERT | LUA_TOKEN | WRITE_RESTRICTED */
    const struct fs_sid *disable;    /* the user or groups that become deny-only */
    size_t ndisable;
    const uint32_t *remove;          /* privileges (LUIDs) to delete; ignored with DISABLE_MAX_PRIVILEGE */
    size_t nremove;
    const struct fs_sid *restrict_to; /* restricting SIDs; a restricted source keeps only those it has too */
    size_t nrestrict;
};

/* A NEW token (one reference): src filtered by r, of src's type and level, with a new TokenId and
 * ModifiedId. src itself does not change. */
FS_MUST_CHECK fs_err fs_token_restrict(const struct fs_token *src, const struct fs_token_restriction *r,
                                       struct fs_token **out);

#endif
